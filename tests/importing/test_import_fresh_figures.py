"""Impact figures found on stop 34's reading of heldout13's extras (the sentences here were written for these tests;
the incidents are invented): numbers that describe the system, the work or a norm rather than harm -- a number
that names rather than counts ("rank 6 failure"), a target ("should be <15 minutes"), an estimate, the spend of
the work ("Total project cost"), a load the system was tested at, a rate's "per 1M" and "a day", a CSS class read
as a unit -- and a labelled count followed by when it held."""

from __future__ import annotations

from workbench.services.importing.postmortem import parse_markdown
from workbench.services.importing.postmortem.figures import figures_in, harm_words

from import_fixtures import figures


def pairs(sentence: str, impact_context: bool = False) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in figures_in(sentence, impact_context)]


def test_a_number_before_a_singular_noun_names_it_and_counts_nothing():
    assert (6, "failures") not in pairs("Every shard was terminated after rank 6 failure.")
    # a table row's index before its text: "| 3 | OpenAI account disabled ... |"
    assert pairs("3 OpenAI account disabled for two days, no breach found", impact_context=True) == [(2, "days")]
    assert pairs("In the end 12 users were affected.") == [(12, "users")]


def test_a_target_an_estimate_and_a_yardstick_are_no_harm():
    assert pairs("Detection: delayed 50+ hours (should be <15 minutes)", impact_context=True) == [(50, "hours")]
    assert pairs("Jobs must run on 2 or fewer GPUs as a workaround.", impact_context=True) == []
    assert pairs("Estimated time to resolution: 20-40 minutes", impact_context=True) == []
    assert (40, "minutes") not in pairs("Detection time: 90x worse than target (60h vs 40min)", impact_context=True)


def test_the_spend_of_the_work_is_no_harm_and_a_cost_said_of_someone_is():
    assert pairs("Total project cost: $7.80 in API usage.") == []
    assert pairs("What tracing costs: $0.02 per query and $5 in a month.") == []
    assert pairs("The misrouted batch cost us $1,200.") == [(1200, "usd")]


def test_a_load_tested_and_a_rates_denominator_are_no_counts_or_lengths():
    assert (300, "users") not in pairs("Still zero failures at 300 users, the service slows down instead.")
    assert (1, "minutes") not in pairs("Spend was wasted at $0.35 per 1M tokens.")
    assert (1, "days") not in pairs("After the outage the free plan covers about 40 queries a day.")
    assert pairs("The API was unavailable for a day.") == [(1, "days")]


def test_a_css_class_is_no_unit_and_non_functional_is_harm():
    assert pairs("The dialog had w-full but was missing a min-w boundary, so the layout failed.") == []
    assert harm_words("The bot was 100% non-functional all weekend.")
    assert pairs("The bot was 100% non-functional all weekend.") == [(100, "%")]


def test_a_labelled_count_followed_by_when_it_held():
    doc = "# Leaked prompt\n\n## Impact\n\n**Customers Affected:** ~320 during the exposure window\n"
    assert figures(parse_markdown(doc, "leak.md").incident) == [(320, "customers")]


def test_a_month_is_a_length_of_harm():
    assert pairs("The nightly build was failing and nobody noticed for a month.") == [(1, "months")]
    assert pairs("The nightly build first failed 2 months ago.") == []
