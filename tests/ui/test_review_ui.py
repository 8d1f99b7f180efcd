"""The Review pane, the stage gate, sign-off and review meeting mode, driven by keys; each test
asserts on the files and commits the keys produced."""

from __future__ import annotations

import tomllib

from textual.widgets import DataTable, Input, TextArea

from workbench.services.review.checks import counts
from workbench.services.review.steps import findings_for
from workbench.ui.modals.stage_gate import StageGateModal
from workbench.ui.panes.review import ReviewPane
from workbench.ui.screens.incident_list import IncidentListScreen
from workbench.ui.screens.meeting import MeetingScreen

from .conftest import FROZEN_NOW, OPENAI, ULTRALYTICS, git_subjects, open_incident, settle
from .waiting import until


def head_body(store) -> str:
    return store.git.repo.git.log("-1", "--format=%B")


async def review_ready(pilot, incident_id: str):
    screen = await open_incident(pilot, incident_id, "review")
    pane = screen.pane("review")
    await until(pilot, lambda: pane.loaded and pane.rows, "pane.loaded and pane.rows")
    await pilot.pause()
    return screen, pane


def select_row(pane: ReviewPane, key: str) -> None:
    table = pane.query_one("#review-findings", DataTable)
    table.move_cursor(row=table.get_row_index(key))


async def test_incident_list_shows_error_and_warning_counts(make_app, cold_ui_store):
    ui_store = cold_ui_store  # no counts cached yet: the list counts them itself
    app = make_app(ui_store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, IncidentListScreen)
        await until(pilot, lambda: len(screen.finding_counts) == 3, "len(screen.finding_counts) == 3")
        expected = counts(findings_for(ui_store, ui_store.load(OPENAI)))
        assert screen.finding_counts[OPENAI] == expected and expected["error"] > 0
        cell = screen.query_one("#incidents").get_cell(OPENAI, "findings")
        assert str(cell) == f"{expected['error']}E {expected['warning']}W"


async def test_findings_grouped_by_rule_and_jump_to_entry(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen, pane = await review_ready(pilot, OPENAI)
        table = pane.query_one("#review-findings", DataTable)
        keys = [str(k.value) for k in table.rows]
        assert "rule:actions.due" in keys and "rule:timeline.gap" in keys
        assert keys.index("rule:actions.due") < keys.index("f:actions.due:0")  # the rule heads its group
        gap = next(k for k, f in pane.rows.items() if f.rule == "timeline.gap")
        select_row(pane, gap)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.active_pane_id() == "timeline"
        timeline = screen.pane("timeline")
        assert timeline.current_id() == pane.rows[gap].entry == "t-b108"


async def test_gate_asks_and_records_the_override(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await review_ready(pilot, OPENAI)
        before = git_subjects(ui_store, 1)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert isinstance(app.screen, StageGateModal)
        await pilot.press("ctrl+s")  # no reason: refused, the modal stays
        await pilot.pause()
        assert isinstance(app.screen, StageGateModal)
        app.screen.query_one("#gate-reason", Input).value = "due dates live in JIRA-42"
        await pilot.press("ctrl+s")
        await settle(pilot)
        path = ui_store.folder_of(OPENAI) / "incident.toml"
        assert tomllib.loads(path.read_text())["stage"] == "tracking"
        assert git_subjects(ui_store, 1) != before
        body = head_body(ui_store)
        assert "Override: review -> tracking with unmet review.no-errors, review.signoff" in body
        assert "Override-Reason: due dates live in JIRA-42" in body


async def test_gate_stay_changes_nothing(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await review_ready(pilot, OPENAI)
        before = git_subjects(ui_store, 3)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert git_subjects(ui_store, 3) == before
        assert tomllib.loads((ui_store.folder_of(OPENAI) / "incident.toml").read_text())["stage"] == "review"


async def test_met_criteria_advance_without_asking(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await review_ready(pilot, ULTRALYTICS)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert not isinstance(app.screen, StageGateModal)
        assert tomllib.loads((ui_store.folder_of(ULTRALYTICS) / "incident.toml").read_text())["stage"] == "synthesis"
        assert "Override" not in head_body(ui_store)


async def test_comment_resolve_and_signoff_from_the_pane(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen, pane = await review_ready(pilot, OPENAI)
        due = next(k for k, f in pane.rows.items() if f.entry == "AI-003")
        select_row(pane, due)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#field-on", Input).value == "AI-003"  # anchored to the finding's entry
        app.screen.query_one("#field-text", TextArea).text = "Which quarter is this due?"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: pane.review.comments, "pane.review.comments")
        review_file = ui_store.folder_of(OPENAI) / "review.toml"
        [comment] = tomllib.loads(review_file.read_text())["comments"]
        assert (comment["on"], comment["text"], comment["at"]) == ("AI-003", "Which quarter is this due?", FROZEN_NOW)
        assert git_subjects(ui_store, 1)[0].startswith(f"{OPENAI}: review: comment {comment['id']} on AI-003")

        # the open comment shows up as a finding (an info one: listed once i shows info, below)
        await until(pilot, lambda: any(f.rule == "review.open-comment" for f in pane.findings), "the finding")
        pane.show_info = True
        pane.show()
        await until(
            pilot,
            lambda: any(f.rule == "review.open-comment" for f in pane.rows.values()),
            "any(f.rule == 'review.open-comment' for f in pane.rows.values())",
        )
        open_row = next(k for k, f in pane.rows.items() if f.rule == "review.open-comment")
        select_row(pane, open_row)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#field-note", Input).value = "Q1, agreed"
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: pane.review.comments and pane.review.comments[0].resolved,
            "pane.review.comments and pane.review.comments[0].resolved",
        )
        assert tomllib.loads(review_file.read_text())["comments"][0]["resolution"] == "Q1, agreed"

        await pilot.press("S")  # errors remain: asks for an override reason
        await until(pilot, lambda: app.screen.query("#field-reason"), "app.screen.query('#field-reason')")
        app.screen.query_one("#field-reason", Input).value = "due dates are not public"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: pane.review.signoffs, "pane.review.signoffs")
        body = head_body(ui_store)
        assert "Reviewed-by: Test Author <author@example.test>" in body
        assert "Override-Reason: due dates are not public" in body


async def test_meeting_mode_commits_each_capture(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen, pane = await review_ready(pilot, OPENAI)
        await pilot.press("m")
        await pilot.pause()
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        await pilot.press("right")
        assert meeting.items[meeting.index].title == "Timeline"
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#field-text", TextArea).text = "Keep P0: every product was down"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: meeting.notes, "meeting.notes")
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#field-text", TextArea).text = "Add a control-plane load gate to rollouts"
        app.screen.query_one("#field-owner", Input).value = "@infra"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(meeting.notes) == 2, "len(meeting.notes) == 2")
        folder = ui_store.folder_of(OPENAI)
        notes = tomllib.loads((folder / "review.toml").read_text())["meeting"]
        assert [(n["kind"], n["section"], n["at"]) for n in notes] == [
            ("decision", "Timeline", FROZEN_NOW),
            ("action", "Timeline", FROZEN_NOW),
        ]
        actions = tomllib.loads((folder / "incident.toml").read_text())["actions"]
        assert actions[-1] == {"id": "AI-006", "action": "Add a control-plane load gate to rollouts", "owner": "@infra"}
        subjects = git_subjects(ui_store, 2)
        assert subjects[0] == f'{OPENAI}: review meeting: new action AI-006 "Add a control-plane load gate to rollouts"'
        assert subjects[1] == f'{OPENAI}: review: meeting decision: "Keep P0: every product was down"'
        # The open incident adopted the new action: the next edit saves cleanly, no outside-edit clash.
        await pilot.press("escape")
        await pilot.pause()
        assert screen.session.incident.actions[-1].id == "AI-006"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert tomllib.loads((folder / "incident.toml").read_text())["stage"] == "synthesis"
        assert git_subjects(ui_store, 1)[0] == f"{OPENAI}: stage: move back review -> synthesis"


async def test_jump_to_a_narrative_line(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen, pane = await review_ready(pilot, OPENAI)
        await pilot.press("i")  # info findings include the [DATA GAP] inventory of postmortem.md
        await until(
            pilot,
            lambda: any(f.file == "postmortem.md" and f.line for f in pane.rows.values()),
            "any(f.file == 'postmortem.md' and f.line for f in pane.rows.values())",
        )
        key, finding = next((k, f) for k, f in pane.rows.items() if f.file == "postmortem.md" and f.line)
        select_row(pane, key)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.active_pane_id() == "narrative"
        area = screen.pane("narrative").query_one(TextArea)
        assert area.cursor_location[0] == finding.line - 1
        assert "[DATA GAP]" in area.document.get_line(finding.line - 1) or "[ASSUMPTION]" in area.document.get_line(
            finding.line - 1
        )


async def test_meeting_from_the_palette_and_keys_in_help(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, OPENAI, "overview")
        commands = {c.title: c for c in app.get_system_commands(screen)}
        commands["Review meeting"].callback()
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.action_help()
        await pilot.pause()
        ids = {b.id for _, rows in app.screen.sections for b in rows}
        assert {"meeting.decision", "meeting.action", "gate.override", "review.signoff", "review.jump"} <= ids
