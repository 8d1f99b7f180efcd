"""How the import reads prose the way a person does: a running date carried from paragraph to paragraph,
actions written as sentences under "Takeaways", a remedy said in the passive in a summary list, and
"tracking issues for both of the above" turning the list above into actions. The fixture
(tests/data/import/security_writeup.md) was written for these tests in the style of a security write-up."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from workbench.services.importing.postmortem import parse_markdown
from workbench.services.importing.postmortem.wording import done_by_wording

DATA = Path(__file__).parent.parent / "data" / "import"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def reading():
    name = "security_writeup.md"
    return parse_markdown((DATA / name).read_text(encoding="utf-8"), name, given_date=None)


def action(r, words: str):
    found = [a for a in r.incident.actions if words.lower() in a.action.lower()]
    assert len(found) == 1, [a.action for a in r.incident.actions]
    return found[0]


def test_a_time_a_paragraph_after_its_date_takes_that_date_and_the_following_morning_the_next():
    times = [e.time for e in reading().incident.timeline if not e.data_gap]
    # 2:25 PM sits a paragraph after "March 5th": the 5th, not the 3rd (the first date) nor a title day.
    assert times == [utc(2026, 3, 3, 17, 40), utc(2026, 3, 5, 14, 10), utc(2026, 3, 5, 14, 25), utc(2026, 3, 6, 1, 5)]


def test_remedies_said_in_the_passive_are_steps_of_the_response_named_in_the_notes_not_actions():
    r = reading()
    texts = " ".join(a.action for a in r.incident.actions)
    for remedy in (
        "have been removed from the registry",
        "now either disabled or credentials rotated",
        "which have since been revoked",
        "lookalike domain has been taken down",
    ):
        assert remedy not in texts, remedy  # removing, revoking, taking down: getting through the incident
    assert any(n.startswith("4 steps taken to get through the incident") for n in r.notes), r.notes
    assert "residential proxy" not in texts


def test_tracking_issues_for_both_of_the_above_make_the_list_above_open_actions():
    r = reading()
    tokens = action(r, "tokens can sit unused")
    envs = action(r, "environments are optional")
    assert tokens.status == envs.status == "open"
    assert "tracking issue created" in tokens.action
    assert tokens.source.endswith(":26") and envs.source.endswith(":28")
    assert not [a for a in r.incident.actions if a.action.startswith("We've created tracking issues")]


def test_commitments_in_prose_under_takeaways_are_open_actions_but_conditions_and_history_are_not():
    r = reading()
    assert action(r, "we will review how we write abuse reports").status == "open"
    assert action(r, "foundation is exploring the transfer").status == "open"
    texts = " ".join(a.action for a in r.incident.actions)
    assert "we may want to buy" not in texts and "Historically" not in texts
    assert len(r.incident.actions) == 4  # the two tracked items and the two commitments


def test_an_action_is_not_done_because_a_condition_in_it_is_in_the_past():
    assert not done_by_wording("If possible observe the next daily run of the pipeline if we have fixed a major issue.")
    assert not done_by_wording("Disable pipeline until issue fixed")
    assert done_by_wording("Reverted the deployment")


STATS = """# Queue stall on 2025-04-02

## Summary

The stall affected 120 customers for about 10 minutes.

## Stats

- Time to detection: 10 minutes
- Time to recovery: 10 minutes
- Customers affected: 120 customers
- 4 user accounts were locked out
"""


def test_equal_figures_that_measure_different_things_stay_distinct_and_a_restated_one_counts_once():
    r = parse_markdown(STATS, "stats.md")
    figs = [
        f
        for f in [getattr(r.incident.impact, n) for n in r.incident.impact.FIGURES] + r.incident.impact.figures
        if f.value is not None
    ]
    tens = [f.source for f in figs if f.value == 10 and f.unit == "minutes"]
    assert sorted(tens) == ["stats.md:10", "stats.md:5", "stats.md:9"]  # outage, detection, recovery
    assert [f.source for f in figs if f.value == 120] == ["stats.md:5"]  # restated under Stats: once
    assert [(f.value, f.unit) for f in figs if f.value == 4] == [(4, "accounts")]


def test_mermaid_draws_a_date_only_entry_as_its_day_not_at_midnight():
    from workbench.services.report import mermaid, render_markdown

    text = (
        "# Training run diverged\n\n## 2024-03-04\n\nLoss spikes noticed in the nightly eval.\n\n"
        "## 2024-03-05\n\n- 09:30 UTC rolled back to the last good checkpoint\n"
    )
    incident = parse_markdown(text, "chronicle.md").incident
    assert [e.data_gap for e in incident.timeline] == [True, False]
    diagram = mermaid.timeline(incident)
    lines = diagram.splitlines()
    day = lines.index("    section 2024-03-04")
    assert lines[day + 1].startswith("        date only : Loss spikes noticed") and "(DATA GAP)" in lines[day + 1]
    assert "00h00" not in diagram and "        09h30 : rolled back" in diagram
    assert mermaid.validate(diagram) == []
    assert all(mermaid.validate(b) == [] for b in mermaid.blocks(render_markdown(incident, "")))
