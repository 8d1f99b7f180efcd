"""What a number does in its sentence, found on stop 35's reading of heldout14's and heldout13's impact misses and
extras (the sentences here were written for these tests; the incidents are invented): machines a preposition
introduces are the setup ("training with 8 GPUs fails"), the figure after "rather than" or "instead of" is the
alternative, "four minutes apart" is a gap between two marks, a word of harm inside a name in code ("FailAuth") is
no word, "Resolved in 3.4.0" names a release while "reverted within 25 minutes" is how long the harm lasted; where the
harm is only the paragraph's, a count a preposition introduces is the setting; "through 6 deploys" is a span and
"$0.05 spent" the spend of the work."""

from __future__ import annotations

from workbench.services.importing.postmortem import parse_markdown
from workbench.services.importing.postmortem.figures import figures_in, harm_words

from import_fixtures import figures


def pairs(sentence: str, impact_context: bool = False) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in figures_in(sentence, impact_context, borrowed=impact_context)]


def test_machines_a_preposition_introduces_are_the_setup():
    assert pairs("Fine-tuning with 16 A100 GPUs crashes in the checkpoint step due to a NCCL error.") == []
    assert pairs("The crash happens while collecting metrics from 16 ranks instead of 8.", True) == []
    # the harm said of the machines in their own predicate still counts
    assert pairs("3 nodes went down during the upgrade.") == [(3, "nodes")]
    assert pairs("We lost 4 GPUs to the power cut.") == [(4, "gpus")]
    assert pairs("Failures peak at noon with 300 running pods.") == [(300, "pods")]
    assert pairs("The pool was restored, but it came back with 12 machines that did not pass our checks.") == [
        (12, "machines")
    ]


def test_the_harm_of_another_event_is_not_said_of_the_machines():
    assert pairs("All 16 ranks were stopped after rank 3 failure, as designed.", True) == []
    assert pairs("16 workers failed after the upgrade.") == [(16, "workers")]


def test_the_alternative_and_a_factor_are_not_what_happened():
    assert (40, "services") not in pairs("The rollback failed once, so we patched one module rather than 40 services.")
    assert pairs("After an error the key was disabled for 2 hours (12 keys × 2h instead of 0 keys).", True) == [
        (2, "hours")
    ]


def test_a_gap_between_two_marks_is_no_length():
    assert pairs("The broken build was uploaded at 10:01 and the fix at 10:05, four minutes apart.") == []
    assert pairs("The package was downloaded for four minutes before it was pulled.") == [(4, "minutes")]


def test_a_word_of_harm_inside_a_name_in_code_is_no_word():
    assert not harm_words("Both codes were mapped to FailAuth and retried for 1 hour.")
    assert not harm_words("The router sets on_error_retry for 30 seconds.")
    assert harm_words("Auth failed for 1 hour.")


def test_resolved_in_a_release_measures_nothing_and_a_recovery_time_is_the_harms_length():
    assert not harm_words("Resolved in 3.4.0. The port touched 12 modules.")
    assert pairs("Resolved in 3.4.0. The port touched 12 modules.") == []
    assert pairs("Support noticed the wrong banner, and it was taken down and reverted within 20 minutes.") == [
        (20, "minutes")
    ]
    assert pairs("Service was restored in 3 hours.") == [(3, "hours")]


def test_a_summary_states_the_recovery_time_as_the_incident_impact():
    doc = (
        "# Pricing page error\n\n## Summary\n\nThe page showed last year's prices. Sales flagged it, and the page "
        "was reverted within 15 minutes.\n\n## Timeline\n\n- **10:00** Sales flags the page.\n"
    )
    assert figures(parse_markdown(doc, "pricing.md").incident) == [(15, "minutes")]


def test_a_count_a_preposition_introduces_is_the_setting_when_the_harm_is_only_the_paragraphs():
    doc = (
        "# Rebuild drift\n\n## What happened\n\nThe release could not be reproduced. A rebuild of the same "
        "commit came up on 11 newer packages and another base image.\n"
    )
    assert figures(parse_markdown(doc, "drift.md").incident) == []
    assert pairs("The rebuild came up on 11 newer packages.", True) == []
    assert pairs("The bad release affected 11 packages.", True) == [(11, "packages")]


def test_a_span_counted_in_events_and_the_spend_of_the_work_are_no_harm():
    assert pairs("The failure persisted through 6 deploys without anyone noticing.") == []
    assert pairs("Account suspended for three days, at about $0.05 spent, no breach found", True) == [(3, "days")]
    assert pairs("The outage cost us $2,500 spent on refunds.") == [(2500, "usd")]
