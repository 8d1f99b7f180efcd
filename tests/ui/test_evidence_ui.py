"""The evidence flows in the app, driven by keys: the staging review in the Timeline pane (accept,
edit, drop, filter; one commit naming the sources), the Evidence pane (add, checklist), derived key
times, and a new user's whole path from evidence to sourced timeline, report and history."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import DataTable, Input, Select

from workbench.cli import main
from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.modals.timeline_staging import TimelineStagingModal

from .conftest import CLAUDE, ULTRALYTICS, git_subjects, open_incident, settle
from .waiting import until, until_screen

DATA = Path(__file__).resolve().parent.parent / "data" / "evidence"


def _toml(store, incident_id=CLAUDE):
    return tomllib.loads((store.folder_of(incident_id) / "incident.toml").read_text())


async def _import(pilot, fmt: str, path: str, tz: str = "") -> TimelineStagingModal:
    await pilot.press("i")
    form = await until_screen(pilot, FormModal)
    form.query_one("#field-format", Select).value = fmt
    form.query_one("#field-path", Input).value = path
    form.query_one("#field-tz", Input).value = tz
    await pilot.pause()
    await pilot.press("ctrl+s")
    return await until_screen(pilot, TimelineStagingModal)


async def test_staging_accept_drop_and_write_one_commit(make_app, ui_store):
    app = make_app()
    before = len(ui_store.history(CLAUDE))
    entries_before = len(_toml(ui_store)["timeline"])
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        modal = await _import(pilot, "pagerduty", str(DATA / "pagerduty.json"))
        assert [s.kind for s in modal.items] == ["detection", "escalation", "escalation", "resolution"]
        await pilot.press("a")  # accept the trigger, the cursor moves on
        await pilot.press("x")  # drop the acknowledgement
        await pilot.press("a")  # accept the escalation
        assert [s.decision for s in modal.items] == ["accepted", "dropped", "accepted", "pending"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TimelineStagingModal)
    data = _toml(ui_store)
    assert len(data["timeline"]) == entries_before + 2
    sources = {e["source"]: e for e in data["timeline"]}
    trigger = sources[f"https://acme.pagerduty.com/incidents/Q1ABC/log_entries/R1 ({DATA / 'pagerduty.json'}:3)"]
    assert trigger["kind"] == "detection" and trigger["time"].isoformat() == "2025-08-05T16:10:02+00:00"
    assert f"{DATA / 'pagerduty.json'}:34" in sources
    assert not any("Acknowledged" in e["event"] for e in data["timeline"])
    assert len(ui_store.history(CLAUDE)) == before + 1
    assert git_subjects(ui_store, 1)[0] == f"{CLAUDE}: timeline: import 2 events from {DATA / 'pagerduty.json'}"
    body = ui_store.git.repo.git.log("-1", "--format=%b")
    assert f"Imported-from: {DATA / 'pagerduty.json'} (2 events)" in body


async def test_staging_filter_edit_and_accept_all_shown(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        modal = await _import(pilot, "jsonl", str(DATA / "app.jsonl"))
        await pilot.press("slash")
        await pilot.press(*"rolled back")
        await pilot.press("enter")
        assert len(modal.shown) == 1
        await pilot.press("e")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-event").text = "Summarizer config rolled back to v41"
        form.query_one("#field-kind", Select).value = "mitigation"
        await pilot.pause()
        await pilot.press("ctrl+s")
        modal = await until_screen(pilot, TimelineStagingModal)
        select = modal.query_one("#staging-origin", Select)
        assert select.value == "__all__"
        modal.query_one("#staging-filter", Input).value = "error"
        await pilot.pause()
        assert [modal.items[i].event for i in modal.shown] == [
            "[ERROR] Output validation failed: 41% of responses truncated",
            "[WARN] Alert firing: summarizer error rate 12% > 5%",
            "[INFO] Error rate back under 1%, incident resolved",
        ]
        await pilot.press("A")
        await pilot.press("ctrl+s")
        await settle(pilot)
    events = {e["event"]: e for e in _toml(ui_store)["timeline"]}
    assert events["Summarizer config rolled back to v41"]["kind"] == "mitigation"
    assert events["Summarizer config rolled back to v41"]["source"] == f"{DATA / 'app.jsonl'}:4"
    assert "[ERROR] Output validation failed: 41% of responses truncated" in events
    assert not any("Deployed summarizer config" in e for e in events)  # never accepted, never written
    assert git_subjects(ui_store, 1)[0].endswith("timeline: import 4 events from " + str(DATA / "app.jsonl"))


async def test_staging_cancel_writes_nothing_and_problems_are_listed(make_app, ui_store):
    app = make_app()
    before = len(ui_store.history(CLAUDE))
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        modal = await _import(pilot, "jsonl", str(DATA / "app_bad.jsonl"))
        assert len(modal.items) == 3 and len(modal.problems) == 5
        await pilot.press("p")
        detail = str(modal.query_one("#staging-detail").render())
        assert f"{DATA / 'app_bad.jsonl'}:2: timestamp:" in detail
        await pilot.press("A", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, TimelineStagingModal)
    assert len(ui_store.history(CLAUDE)) == before


async def test_import_form_refuses_unknown_path_and_zone(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await pilot.press("i")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-path", Input).value = "/no/such/file.jsonl"
        form.query_one("#field-tz", Input).value = "Mars/Olympus"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "no such file" in str(form.query_one("#error-path").render())
        form.query_one("#field-path", Input).value = str(DATA / "gateway.csv")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unknown time zone" in str(form.query_one("#error-tz").render())


async def test_derive_key_times_after_confirm(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, ULTRALYTICS, "timeline")
        incident = screen.session.incident
        assert incident.times.detected is None
        first_detection = next(e for e in incident.sorted_timeline() if e.kind == "detection")
        await pilot.press("T")
        confirm = await until_screen(pilot, ConfirmModal)
        assert "detected" in confirm.question and first_detection.id in confirm.question
        await pilot.press("y")
        await settle(pilot)
    assert _toml(ui_store, ULTRALYTICS)["times"]["detected"] == first_detection.time
    assert "timeline: derive key times" in git_subjects(ui_store, 1)[0]


async def test_evidence_pane_checklist_marks(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "evidence")
        checks = screen.query_one("#collection-table", DataTable)
        checks.focus()
        checks.move_cursor(row=checks.get_row_index("paging"))
        await pilot.press("m")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-reason", Input).value = "PagerDuty export not yet requested"
        await pilot.press("ctrl+s")
        await settle(pilot)
        checks.move_cursor(row=checks.get_row_index("chat"))
        await pilot.press("n")
        form = await until_screen(pilot, FormModal)
        await pilot.press("ctrl+s")  # a reason is required: the form stays open
        assert app.screen is form and "needs a reason" in str(form.query_one("#error-reason").render())
        form.query_one("#field-reason", Input).value = "no chat channel was used"
        await pilot.press("ctrl+s")
        await settle(pilot)
        checks.move_cursor(row=checks.get_row_index("logs"))
        await pilot.press("g")  # no log evidence yet: refused with a message, nothing written
        await settle(pilot)
    data = _toml(ui_store)
    paging = next(c for c in data["collection"] if c["source"] == "paging")
    gap = next(g for g in data["gaps"] if g["id"] == paging["gap"])
    assert gap["text"] == "[DATA GAP] Paging records not available: PagerDuty export not yet requested"
    assert {c["source"]: c["status"] for c in data["collection"]} == {"chat": "not-needed", "paging": "missing"}
    assert git_subjects(ui_store, 2) == [
        f"{CLAUDE}: evidence: chat records not-needed",
        f"{CLAUDE}: evidence: paging records missing ([DATA GAP] recorded)",
    ]


async def test_new_user_end_to_end(make_app, ui_store, tmp_path, capsys):
    """Add a log file and a git repository as evidence, import both, review, accept, and find the
    sourced events in the timeline, the report and the history."""

    repo = _make_repo(tmp_path)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "evidence")
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-items", Input).value = f"{DATA / 'app.jsonl'}, {repo}"
        form.query_one("#field-description", Input).value = "summarizer log and service repo"
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: len(screen.session.incident.evidence) == 2, "len(screen.session.incident.evidence) == 2"
        )
        await settle(pilot)
        evidence = screen.session.incident.evidence
        assert [e.kind for e in evidence] == ["logs", "git-history"]
        assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: evidence: add evidence ")
        folder = ui_store.folder_of(CLAUDE)
        assert (folder / "evidence" / "app.jsonl").read_bytes() == (DATA / "app.jsonl").read_bytes()

        await pilot.press("2")
        modal = await _import(pilot, "jsonl", "evidence/app.jsonl")
        await pilot.press("A", "ctrl+s")
        await settle(pilot)
        modal = await _import(pilot, "git", str(repo))
        assert {s.origin for s in modal.items} == {"summarizer-service"}
        await pilot.press("A", "ctrl+s")
        await settle(pilot)
        table = screen.query_one("#timeline-table", DataTable)
        cells = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "evidence/app.jsonl:3" in cells
        assert any(c.startswith("git summarizer-service ") for c in cells)

        await pilot.press("7")  # History
        history = screen.query_one("#history-table", DataTable)
        await until(pilot, lambda: history.row_count, "the history's log")  # read by a worker
        await settle(pilot)
        messages = [str(history.get_row_at(i)[3]) for i in range(history.row_count)]
        assert any("import 5 events from evidence/app.jsonl" in m for m in messages)
        assert any("import" in m and "summarizer-service" in m for m in messages)
    subjects = git_subjects(ui_store, 3)
    assert subjects[0].startswith(f"{CLAUDE}: timeline: import ") and "summarizer-service" in subjects[0]
    assert subjects[1] == f"{CLAUDE}: timeline: import 5 events from evidence/app.jsonl"
    assert main(["--store", str(ui_store.root), "report", CLAUDE]) == 0
    report = capsys.readouterr().out
    assert "evidence/app.jsonl:3" in report and "git summarizer-service" in report
    assert main(["--store", str(ui_store.root), "validate"]) == 0


def _make_repo(tmp_path: Path) -> Path:
    import os
    import subprocess

    repo = tmp_path / "summarizer-service"
    repo.mkdir()

    def git(*args: str, when: str | None = None) -> None:
        env = {**os.environ}
        if when:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)

    git("init", "-q", "-b", "main")
    (repo / "config.yaml").write_text("temperature: 0.9\n")
    git("add", "config.yaml")
    git("commit", "-q", "-m", "Raise summarizer temperature to 0.9 (config v42)", when="2025-08-05T15:58:00+00:00")
    (repo / "config.yaml").write_text("temperature: 0.2\n")
    git("commit", "-q", "-am", "Revert summarizer temperature to 0.2 (config v41)", when="2025-08-05T16:35:00+00:00")
    return repo


async def test_evidence_pane_removes_an_item_after_confirm(make_app, ui_store):
    from workbench.services.evidence.locker import add_evidence

    record, (kept, url) = add_evidence(
        ui_store, ui_store.load(CLAUDE), [str(DATA / "app.jsonl"), "https://status.example.com/incidents/42"]
    )
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "evidence")
        table = screen.query_one("#evidence-table", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(kept.id))
        await pilot.press("x")
        confirm = await until_screen(pilot, ConfirmModal)
        assert "evidence/app.jsonl is deleted from the folder; git history keeps it" in confirm.question
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert (record.folder / "evidence" / "app.jsonl").exists()
        await pilot.press("x")
        await until_screen(pilot, ConfirmModal)
        await pilot.press("y")
        # The removal and its commit run in a worker: wait for the table to show it (a settle was too short at
        # load 20-35).
        await until(pilot, lambda: [str(k.value) for k in table.rows] == [url.id], "the item's row to go")
        await settle(pilot)
        assert [str(k.value) for k in table.rows] == [url.id]
    assert not (record.folder / "evidence" / "app.jsonl").exists()
    assert [e["id"] for e in _toml(ui_store)["evidence"]] == [url.id]
    assert git_subjects(ui_store, 1) == [f"{CLAUDE}: evidence: remove evidence {kept.id} app.jsonl"]
