"""Snapshots of the Evidence pane, the staging list and the Timeline pane's silence rows, at a fixed
size on the example store with fixed dates. Look at the report before accepting changes."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from workbench.services.evidence.collection import mark
from workbench.services.evidence.locker import add_evidence
from workbench.services.importing.timeline import ImportOptions, run_import
from workbench.services.importing.timeline.review import decide, deduplicate

from .conftest import CLAUDE, OPENAI, settle

SIZE = (140, 40)
DATA = Path(__file__).resolve().parent.parent / "data" / "evidence"
ADDED = datetime(2025, 9, 20, 10, 30, tzinfo=timezone.utc)


def _opener(incident_id: str, pane: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(incident_id, pane)
        await settle(pilot)

    return run_before


class _Counter:
    """Entry ids are random (no merge collisions); a snapshot needs them fixed."""

    def __init__(self) -> None:
        self.n = 0

    def token_hex(self, nbytes: int) -> str:
        self.n += 1
        return f"{self.n:0{nbytes * 2}x}"


def test_evidence_pane(snap_compare, make_app, ui_store, monkeypatch):
    import workbench.domain.ids as ids

    monkeypatch.setattr(ids, "secrets", _Counter())
    record, _ = add_evidence(
        ui_store,
        ui_store.load(OPENAI),
        [str(DATA / "app.jsonl"), str(DATA / "pagerduty.json")],
        description="exported during the review",
        now=ADDED,
    )
    record, _ = add_evidence(
        ui_store,
        record,
        ["https://status.openai.com/incidents/ctrsv3lwd797"],
        now=ADDED,
        description="public status page",
    )
    record = mark(ui_store, record, "logs", "gathered")
    record = mark(ui_store, record, "prompts", "not-needed", reason="no model behaviour involved")
    mark(ui_store, record, "traces", "missing", reason="control-plane traces were not retained")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opener(OPENAI, "evidence"))


def test_evidence_remove_confirm(snap_compare, make_app, ui_store, monkeypatch):
    import workbench.domain.ids as ids

    monkeypatch.setattr(ids, "secrets", _Counter())
    add_evidence(
        ui_store, ui_store.load(OPENAI), [str(DATA / "app.jsonl")], description="exported during the review", now=ADDED
    )

    async def run_before(pilot) -> None:
        await _opener(OPENAI, "evidence")(pilot)
        pilot.app.screen.query_one("#evidence-table").focus()
        await pilot.press("x")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_timeline_staging_modal(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _opener(CLAUDE, "timeline")(pilot)
        screen = pilot.app.screen
        result = run_import("pagerduty", DATA / "pagerduty.json", ImportOptions(label="evidence/pagerduty.json"))
        staged, duplicates = deduplicate(screen.session.incident, result.candidates)
        staged = decide(decide(staged, 0, "accepted"), 1, "dropped")
        screen.pane("timeline").review(
            "Review events from evidence/pagerduty.json (pagerduty)", staged, duplicates, result.problems
        )
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_timeline_pane_with_silences(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _opener(OPENAI, "timeline")(pilot)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
