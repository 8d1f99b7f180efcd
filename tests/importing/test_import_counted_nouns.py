"""Impact figures found on stop 33's reading of heldout10-12 (the sentences here were written for these tests; the
incidents are invented): a count's noun read from the tagger instead of a list ("4,310 of 4,902 pages", "19 failed
uploads"), a coordinated count that writes its noun once, a loss told with "deleting", a status line's verbless
"down", a table row whose label names what its bare number counts, and numbers that are no counts (a zero, a
"T+3h" mark, an HTTP status, a length in another language, what a recovery restored)."""

from __future__ import annotations

from workbench.services.importing.postmortem import parse_markdown
from workbench.services.importing.postmortem.figures import figures_in, harm_words

from import_fixtures import figures


def pairs(sentence: str, impact_context: bool = False) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in figures_in(sentence, impact_context)]


def test_a_count_whose_noun_no_list_names_is_read_from_its_head_noun():
    assert pairs("19 failed uploads in the nightly batch:") == [(19, "uploads")]
    # under an impact heading the harm needs no word of its own
    assert pairs("~27,500 thumbnails that should have been rendered", impact_context=True) == [(27500, "thumbnails")]
    # a count whose noun is named but no harm is said of it stays out
    units = [u for _, u in pairs("The importer failed after 9 days, 60K lines of code and 4 rewrites.")]
    assert "lines" not in units and "rewrites" not in units


def test_a_part_of_a_total_counts_the_part():
    assert pairs("4,310 of 4,902 pages were left without an index (88% data loss)", impact_context=True) == [
        (88, "%"),
        (4310, "pages"),
    ]
    assert pairs("In the end 12 out of 40 users were affected.") == [(12, "users")]


def test_a_coordinated_count_shares_the_noun_written_at_its_end_and_deleting_is_a_loss():
    sentence = "The script ran unattended, deleting a staging table holding 2,300+ invoice and 1,450+ vendor records."
    assert pairs(sentence) == [(2300, "records"), (1450, "records")]


def test_a_verbless_down_is_an_outage_and_a_down_with_a_verb_is_not():
    assert harm_words("All 7 edge proxies down")
    assert pairs("Status: Major - All 7 edge proxies down") == [(7, "proxies")]
    assert pairs("~02:10-03:05 | Gateway down (~1 hour)") == [(1, "hours")]
    assert not harm_words("We scaled the pool down to 4 workers after the review.")
    assert not harm_words("We shut the builders down for 2 hours to patch them.")


def test_numbers_that_count_nothing_give_no_figure():
    assert pairs("A 0 day in the parser left every deployment affected.") == []
    assert pairs("T+3h 41,204 errors persist in the decoder") == [(41204, "errors")]
    assert pairs("Requests were failing with 503 errors for a while.") == []
    assert pairs("Time to Recover (API) 15 minutos, impact contained", impact_context=True) == []
    assert pairs("Regenerated 8,120 missing previews overnight.") == []


def test_a_table_row_whose_label_names_the_count_and_the_harm():
    doc = (
        "# Leaked deploy key\n\n## Impact\n\n| Field | Value |\n|---|---|\n"
        "| **Builds Affected** | 14 |\n| **Owner** | 2 |\n"
    )
    assert figures(parse_markdown(doc, "leak.md").incident) == [(14, "builds")]


def test_a_figure_told_again_in_round_thousands_is_one_figure_and_a_labelled_zero_stays():
    doc = (
        "# Diverged run\n\n## Summary\n\nThe run went on for 12,861 more steps, all of them lost.\n\n"
        "## Impact\n\n- 13k steps lost to the divergence\n"
    )
    assert figures(parse_markdown(doc, "run.md").incident) == [(12861, "steps")]
    assert pairs("Time to detection: 0 minutes", impact_context=True) == [(0, "minutes")]


def test_the_length_of_the_work_and_a_recoverys_before_and_after_are_no_harm():
    assert pairs("It took nearly a week to prepare a private branch for the fix.") == []
    assert pairs("It took 50 minutes to restore the failing service.") == [(50, "minutes")]
    assert pairs("We repaired every broken row, recovering from 12% to 99.1% index coverage.") == []


def test_a_confidence_level_is_no_share_of_harm():
    assert pairs("Accuracy degraded to 0.41, 90% CI [0.37, 0.45], below the baseline.") == []
    assert pairs("Accuracy degraded by 12% against the baseline.") == [(12, "%")]


def test_a_count_that_marks_a_place_in_the_run_or_a_span_looked_over_is_no_harm():
    assert pairs("The loss/ppl settles at a much lower level after 9k updates.") == []
    assert pairs("Checks show no evidence of data loss in the last 21 snapshots.", impact_context=True) == []


def test_a_settings_value_a_later_verbs_object_and_a_name_with_digits_are_no_counts():
    assert (
        pairs("Impact: any worker past its queue limit (500 entries) would drop requests.", impact_context=True) == []
    )
    assert pairs("We pruned roughly 3,000 stale tags and added an auto-deletion rule.") == []
    assert pairs("Confirm all snapshots uploaded to R2", impact_context=True) == []


def test_a_count_the_team_acted_on_is_no_harm_and_one_it_lost_is():
    assert pairs("We archived roughly 4,000 stale forks after the review.", impact_context=True) == []
    assert pairs("We lost 1,300 drafts when the volume was wiped.") == [(1300, "drafts")]


def test_codes_in_a_list_and_the_second_day_of_a_date_pair_are_no_counts():
    assert pairs("Customer impact: HTTP 503, 502 errors and slow pages everywhere.", impact_context=True) == []
    assert pairs("It showed in the March 3 and 17 incidents where the cache failed.", impact_context=True) == []
