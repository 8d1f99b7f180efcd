"""Typing in forms is journaled; after a crash the next start reopens the form with what was typed."""

from __future__ import annotations

import json
import tomllib

from textual.widgets import Input, TextArea

from workbench.ui.forms import FormModal
from workbench.ui.modals.restore import RestoreModal
from workbench.ui.screens.incident import IncidentScreen

from .conftest import CLAUDE, OPENAI, finding_counts_ready, git_subjects, open_incident, settle
from .waiting import until, until_screen
from workbench.ui.forms import JOURNAL_DELAY

SIZE = (140, 40)


def _toml(store, incident_id):
    return tomllib.loads((store.folder_of(incident_id) / "incident.toml").read_text())


def _form_entries(store, incident_id):
    return [e for e in store.journal.pending(incident_id) if e.pane.startswith("form.")]


async def _type_into_edit_form(pilot, store, text: str) -> str:
    """Open the edit form of the entry under the cursor and type into its event; return the entry id."""
    screen = pilot.app.screen
    entry_id = screen.pane("timeline").current_id()
    assert entry_id
    await pilot.press("e")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    form.query_one("#field-event", TextArea).text = text
    await until(pilot, lambda: _form_entries(store, CLAUDE), "the form's journal entry")
    return entry_id


def _form_mounted(app) -> bool:
    """A pushed FormModal is app.screen before its on_mount has put the restored values in."""
    return isinstance(app.screen, FormModal) and app.screen._opened_with is not None  # noqa: SLF001


async def test_form_typing_survives_a_crash_and_the_next_start_reopens_the_form(make_app, ui_store):
    head = ui_store.git.repo.head.commit.hexsha
    text = "Typed into the form, never saved: survives the crash"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        third = sorted(_toml(ui_store, CLAUDE)["timeline"], key=lambda e: e["time"])[2]["id"]
        assert app.screen.pane("timeline").focus_entry(third)
        await pilot.pause()
        entry_id = await _type_into_edit_form(pilot, ui_store, text)
        [entry] = _form_entries(ui_store, CLAUDE)
        assert entry.content["values"]["event"] == text and entry.content["entry"] == entry_id
        assert entry.content["action"] == "edit" and entry.content["pane"] == "timeline"
        assert entry.path.parent.parent == ui_store.private_dir / "journal"
        # The crash: the app goes away with the form open; nothing was submitted.
    assert ui_store.git.repo.head.commit.hexsha == head
    assert ui_store.git.repo.git.status("--porcelain") == ""  # the journal is git-ignored
    original = next(e for e in _toml(ui_store, CLAUDE)["timeline"] if e["id"] == entry_id)["event"]
    assert original != text

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RestoreModal)
        row = str(modal.query_one("#restore-list").get_option_at_index(0).prompt)
        assert f"timeline form · {entry_id}" in row and text[:30] in row
        await pilot.press("r")
        await until(pilot, lambda: _form_mounted(app), "the form reopened")
        form = app.screen
        assert form.form_title == f"Edit timeline entry {entry_id}"  # the same entry's form
        assert form.query_one("#field-event", TextArea).text == text
        assert "Restored what was typed" in str(form.query_one("#form-error").render())
        incident_screen = app.screen_stack[-2]
        assert isinstance(incident_screen, IncidentScreen) and incident_screen.session.id == CLAUDE
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not _form_entries(ui_store, CLAUDE), "the journal entry cleared")
    saved = next(e for e in _toml(ui_store, CLAUDE)["timeline"] if e["id"] == entry_id)
    assert saved["event"] == text
    assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: timeline: edit entry {entry_id} ")
    assert len(ui_store.git.repo.git.rev_list(f"{head}..HEAD").split()) == 1
    assert ui_store.journal.pending() == []


async def test_submitting_commits_and_clears_the_journal(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, OPENAI, "overview")
        await pilot.press("s")  # edit scope
        await pilot.pause()
        form = app.screen
        form.query_one("#field-excludes", TextArea).text = "Billing systems (a separate review)."
        await until(pilot, lambda: _form_entries(ui_store, OPENAI), "journaled")
        assert _form_entries(ui_store, OPENAI)[0].pane == "form.overview.edit_scope"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not _form_entries(ui_store, OPENAI), "cleared after the commit")
    assert _toml(ui_store, OPENAI)["scope"]["excludes"] == "Billing systems (a separate review)."
    assert git_subjects(ui_store, 1)[0] == f"{OPENAI}: overview: edit scope"


async def test_escape_on_a_changed_form_asks_once_then_discards_the_typing(make_app, ui_store):
    head = ui_store.git.repo.head.commit.hexsha
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await _type_into_edit_form(pilot, ui_store, "a stray escape must not lose this")
        form = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form, "the first escape only asks"
        assert "esc again discards" in str(form.query_one("#form-error").render())
        assert _form_entries(ui_store, CLAUDE)  # still journaled
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)
        await app.workers.wait_for_complete()
        assert _form_entries(ui_store, CLAUDE) == []
        # An untouched form closes on the first escape and journals nothing.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        # A pause that is the test: the journal writes JOURNAL_DELAY after the last change, and "nothing was
        # journaled" has no signal to wait on, so the delay is waited out (with a margin).
        await pilot.pause(JOURNAL_DELAY + 0.2)
        assert not isinstance(app.screen, FormModal)
    assert ui_store.journal.pending() == []
    assert ui_store.git.repo.head.commit.hexsha == head


async def test_a_why_form_restores_under_its_parent_cause(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "causes")
        pane = screen.pane("causes")
        parent = pane.current_id()
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#field-statement", TextArea).text = "Why: no staged rollout for config"
        await until(pilot, lambda: _form_entries(ui_store, OPENAI), "journaled")
    [entry] = _form_entries(ui_store, OPENAI)
    assert entry.content["action"] == "why" and entry.content["entry"] == parent
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await until(pilot, lambda: _form_mounted(app), "the form reopened")
        assert app.screen.form_title.startswith(f"Why? — {parent}:")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not _form_entries(ui_store, OPENAI), "cleared")
    added = [c for c in _toml(ui_store, OPENAI)["causes"] if c["statement"] == "Why: no staged rollout for config"]
    assert len(added) == 1 and added[0]["parent"] == parent


async def test_a_form_for_an_entry_that_is_gone_keeps_the_typing(make_app, ui_store):
    path = ui_store.private_dir / "journal" / CLAUDE / "form.timeline.edit.t-999.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "incident": CLAUDE,
                "pane": "form.timeline.edit.t-999",
                "saved_at": "2025-10-01T11:58:00+00:00",
                "base_sha256": "",
                "content": {
                    "kind": "form",
                    "title": "Edit timeline entry T-999",
                    "pane": "timeline",
                    "action": "edit",
                    "entry": "T-999",
                    "values": {"event": "kept"},
                },
            }
        )
    )
    head = ui_store.git.repo.head.commit.hexsha
    app = make_app()
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        real = app.notify
        app.notify = lambda message, **kw: (seen.append(str(message)), real(message, **kw))[1]  # type: ignore
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, FormModal)  # never the form of another entry
    assert any("T-999 is not in Timeline any more" in m for m in seen)
    assert ui_store.journal.get(CLAUDE, "form.timeline.edit.t-999") is not None
    assert ui_store.git.repo.head.commit.hexsha == head


def write_form_offer(store) -> None:
    """A journaled Timeline edit form, as a crash leaves it: the next start offers it back."""
    path = store.private_dir / "journal" / OPENAI / "form.timeline.edit.t-004.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "incident": OPENAI,
                "pane": "form.timeline.edit.t-004",
                "saved_at": "2025-10-01T11:58:00+00:00",
                "base_sha256": "",
                "content": {
                    "kind": "form",
                    "title": "Edit timeline entry T-004",
                    "pane": "timeline",
                    "action": "edit",
                    "entry": "T-004",
                    "values": {"event": "Telemetry rollout reaches the largest clusters", "source": "status page"},
                },
            }
        )
    )


def test_restore_modal_with_a_form_snapshot(snap_compare, make_app, ui_store):
    write_form_offer(ui_store)
    (ui_store.private_dir / "journal" / CLAUDE).mkdir(parents=True, exist_ok=True)
    (ui_store.private_dir / "journal" / CLAUDE / "narrative.json").write_text(
        json.dumps(
            {
                "incident": CLAUDE,
                "pane": "narrative",
                "saved_at": "2025-10-01T11:59:00+00:00",
                "base_sha256": "",
                "content": "# Claude\n\nA paragraph about the rollback, typed but never saved.\n",
            }
        )
    )

    async def run_before(pilot) -> None:
        await pilot.pause()
        await finding_counts_ready(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_restored_form_snapshot(snap_compare, make_app, ui_store):
    """The form reopened by a restore: the typed values in place and the line that says so."""
    path = ui_store.private_dir / "journal" / OPENAI / "form.overview.edit_scope.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "incident": OPENAI,
                "pane": "form.overview.edit_scope",
                "saved_at": "2025-10-01T11:58:00+00:00",
                "base_sha256": "",
                "content": {
                    "kind": "form",
                    "title": "Edit scope",
                    "pane": "overview",
                    "action": "edit_scope",
                    "entry": None,
                    "values": {"excludes": "Billing systems (a separate review)."},
                },
            }
        )
    )

    async def run_before(pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, RestoreModal), "the restore offer")
        await pilot.press("r")
        await until(
            pilot,
            lambda: (
                # query, not query_one: the form may be pushed but not composed yet (a loaded machine)
                isinstance(pilot.app.screen, FormModal)
                and any("Restored" in str(line.render()) for line in pilot.app.screen.query("#form-error"))
            ),
            "the form reopened",
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_escape_asks_before_discarding_snapshot(snap_compare, make_app, ui_store):
    async def run_before(pilot) -> None:
        await open_incident(pilot, OPENAI, "overview")
        await pilot.press("s")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-excludes", TextArea).text = "Billing systems."
        await pilot.press("escape")
        # The question is a line of the form; a fixed pause was outlasted on a loaded machine (CI, stop 31).
        await until(
            pilot, lambda: "esc again discards" in str(form.query_one("#form-error").render()), "the escape question"
        )

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_a_review_comment_stays_journaled_until_its_own_write_lands(make_app, ui_store, monkeypatch):
    """The comment form's values are written by the pane's own worker (review.toml), not by an incident save:
    a failed write keeps the typing journaled and the form offers it again; a good one clears it."""
    import workbench.ui.panes.review as review_module

    real_add = review_module.add_comment
    monkeypatch.setattr(review_module, "add_comment", lambda *a, **kw: (_ for _ in ()).throw(OSError("disk full")))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, OPENAI, "review")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-on", Input).value = "AI-003"
        form.query_one("#field-text", TextArea).text = "Which quarter is this due?"
        await until(pilot, lambda: _form_entries(ui_store, OPENAI), "journaled")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not (ui_store.folder_of(OPENAI) / "review.toml").exists()
        [entry] = _form_entries(ui_store, OPENAI)  # not written: the typing is kept
        assert entry.content["values"]["text"] == "Which quarter is this due?"
        # c opens the same form with what was typed; this time the write succeeds and the entry goes.
        monkeypatch.setattr(review_module, "add_comment", real_add)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the form")
        assert app.screen.query_one("#field-text", TextArea).text == "Which quarter is this due?"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not _form_entries(ui_store, OPENAI), "cleared after the comment was committed")
        assert screen.session.wait_idle(20)
    review = tomllib.loads((ui_store.folder_of(OPENAI) / "review.toml").read_text())
    assert [c["text"] for c in review["comments"]] == ["Which quarter is this due?"]
    assert git_subjects(ui_store, 1)[0].startswith(f"{OPENAI}: review: comment ")


async def test_quitting_right_after_typing_still_journals_the_form(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, OPENAI, "overview")
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#field-excludes", TextArea).text = "Typed a moment before quitting."
        await pilot.pause()
        assert _form_entries(ui_store, OPENAI) == []  # the half-second debounce has not fired yet
        await app.action_quit()
        # Written on the spot, before the app is gone.
        [entry] = _form_entries(ui_store, OPENAI)
        assert entry.content["values"]["excludes"] == "Typed a moment before quitting."
        assert entry.content["changed"] == ["excludes"]


async def test_a_meeting_capture_is_restored_in_its_section(make_app, ui_store):
    """Meeting captures are written by the meeting's own worker; a restore opens the meeting from the Review
    pane, goes to the section the capture was typed in, and reopens the capture form with the text."""
    from workbench.ui.screens.meeting import MeetingScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, OPENAI, "review")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.press("right")
        section = app.screen.items[app.screen.index].title
        assert app.screen.index == 1
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the decision form")
        app.screen.query_one("#field-text", TextArea).text = "Keep P0: every product was down"
        await until(pilot, lambda: _form_entries(ui_store, OPENAI), "journaled")
    [entry] = _form_entries(ui_store, OPENAI)
    assert entry.content["then"] == ["goto(1)", "capture('decision')"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RestoreModal), "the restore offer")
        await pilot.press("r")
        await until(pilot, lambda: _form_mounted(app), "the form reopened")
        meeting = app.screen_stack[-2]
        assert isinstance(meeting, MeetingScreen) and meeting.index == 1
        assert app.screen.query_one("#field-text", TextArea).text == "Keep P0: every product was down"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not _form_entries(ui_store, OPENAI), "cleared once the note was committed")
    notes = tomllib.loads((ui_store.folder_of(OPENAI) / "review.toml").read_text())["meeting"]
    assert [(n["kind"], n["section"], n["text"]) for n in notes] == [
        ("decision", section, "Keep P0: every product was down")
    ]


async def test_add_evidence_keeps_the_typing_until_the_evidence_is_committed(make_app, ui_store, monkeypatch):
    from pathlib import Path

    import workbench.ui.panes.evidence as evidence_module
    from workbench.store import StoreError

    log = Path(__file__).resolve().parent.parent / "data" / "evidence" / "app.jsonl"
    real_add = evidence_module.add_evidence

    def refuse(*args, **kwargs):
        raise StoreError("the store is busy")

    monkeypatch.setattr(evidence_module, "add_evidence", refuse)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, CLAUDE, "evidence")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the form")
        app.screen.query_one("#field-items", Input).value = str(log)
        app.screen.query_one("#field-description", Input).value = "summarizer log"
        await until(pilot, lambda: _form_entries(ui_store, CLAUDE), "journaled")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        [entry] = _form_entries(ui_store, CLAUDE)  # the write failed: what was typed is kept
        assert entry.content["values"]["description"] == "summarizer log"
        monkeypatch.setattr(evidence_module, "add_evidence", real_add)
        await pilot.press("a")  # the same form, with what was typed
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the form again")
        assert app.screen.query_one("#field-description", Input).value == "summarizer log"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: len(screen.session.incident.evidence) == 1, "the evidence added")
        await until(pilot, lambda: not _form_entries(ui_store, CLAUDE), "cleared once committed")
    assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: evidence: add evidence ")
