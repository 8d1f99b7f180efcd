"""The Report pane: a live preview of the canonical report and exports to files through a path prompt.

The UI tests use a small incident: the Markdown widget builds one widget per block, and the examples'
long reports make every test slow without testing anything more (the report itself is tested in
tests/test_report_*.py on every example).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from textual.widgets import Input

from workbench.domain import edit
from workbench.domain.model import ActionItem, Cause, Incident, KeyTimes, TimelineEntry
from workbench.services.report import ReportOptions, render_from_store
from workbench.ui.modals.export_path import ExportPathModal
from workbench.ui.panes.report import ReportPane
from workbench.ui.windowed_markdown import WindowedMarkdown

from .conftest import open_incident, settle
from .waiting import until

SIZE = (140, 40)
SMALL = "2025-09-02-rag-index-served-stale-answers"


@pytest.fixture
def small_store(ui_store):
    t = datetime(2025, 9, 2, 9, 0, tzinfo=timezone.utc)
    ui_store.create(
        Incident(
            id=SMALL,
            title="RAG index served stale answers",
            severity="P2",
            commander="Dana Kim",
            lead="@lee",
            summary="A partial reindex left the retriever on a stale shard for 3 hours.",
            times=KeyTimes(started=t),
            timeline=[TimelineEntry(id="t-0001", time=t, event="Partial reindex finishes", source="indexer log")],
            causes=[
                Cause(
                    id="c-0001",
                    statement="Reindex job reported success on partial completion",
                    kind="proximate",
                    status="hypothesis",
                    category="data",
                )
            ],
            actions=[
                ActionItem(
                    id="AI-001",
                    action="Fail the job on a partial reindex",
                    owner="Dana Kim",
                    due=date(2025, 10, 1),
                    verification="A partial run pages the owner",
                    addresses=["c-0001"],
                )
            ],
        ),
        "## Technical Analysis\n\nDana Kim found the stale shard.\n",
    )
    (ui_store.root / "people.toml").write_text('[[people]]\nname = "Dana Kim"\nrole = "Search on-call"\n')
    return ui_store


async def export(pilot, key: str, target: Path) -> None:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportPathModal)
    pilot.app.screen.query_one(Input).value = str(target)
    await pilot.press("enter")
    await pilot.pause()


async def test_preview_follows_edits_and_every_export_key_writes_its_file(make_app, small_store, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_incident(pilot, SMALL)  # opens on the overview: the report pane is made on demand
        pane = screen.pane("report")
        assert isinstance(pane, ReportPane)
        assert not pane.is_mounted  # nor its preview built
        await pilot.press("9")
        await until(pilot, lambda: pane.is_mounted and bool(pane.query("#report-preview")), "the report pane")
        preview = pane.query_one("#report-preview", WindowedMarkdown)
        await until(pilot, lambda: preview.source == render_from_store(small_store, SMALL))
        assert "## Root Causes & Contributing Factors" in preview.source
        screen.apply(edit.replace(screen.incident, title="Renamed in the pane test"), "overview", "rename")
        await settle(pilot)
        assert preview.source.startswith("# Postmortem: Renamed in the pane test")

        files = {
            key: tmp_path / name for key, name in (("m", "r.md"), ("h", "r.html"), ("x", "one.md"), ("r", "red.md"))
        }
        for key, path in files.items():
            await export(pilot, key, path)
            await until(pilot, path.exists)
        await settle(pilot)
    assert files["m"].read_text() == render_from_store(small_store, SMALL)
    html = files["h"].read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "Renamed in the pane test" in html
    lines = files["x"].read_text().rstrip("\n").split("\n")
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    redacted = files["r"].read_text()
    assert redacted == render_from_store(small_store, SMALL, ReportOptions(audience="external"))
    assert "Dana" not in redacted and "@lee" not in redacted and "Search on-call" in redacted


async def test_existing_file_needs_a_second_enter_and_escape_writes_nothing(make_app, small_store, tmp_path):
    target = tmp_path / "keep.md"
    target.write_text("precious")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, SMALL, "report")
        await export(pilot, "m", target)
        assert isinstance(pilot.app.screen, ExportPathModal)  # still asking
        assert "exists" in str(pilot.app.screen.query_one("#export-message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_text() == "precious"
        await export(pilot, "m", tmp_path / "missing-folder" / "x.md")
        assert "does not exist" in str(pilot.app.screen.query_one("#export-message").render())
        await pilot.press("escape")
        await export(pilot, "m", target)
        await pilot.press("enter")  # the second enter replaces it
        await until(pilot, lambda: target.read_text() != "precious")
    assert target.read_text().startswith("# Postmortem: RAG index served stale answers")


def _opener(pilot_keys: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.open_incident(SMALL, "report")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()  # the report renders in a worker
        await pilot.pause()
        for key in pilot_keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


def test_report_pane_snapshot(snap_compare, make_app, small_store):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opener())


def test_export_modal_snapshot(snap_compare, make_app, small_store):
    async def run_before(pilot) -> None:
        await _opener(("h",))(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False  # a blinking cursor makes the picture flaky
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_an_export_goes_to_the_stores_exports_folder_kept_out_of_git(make_app, small_store):
    app = make_app()
    said: list[str] = []
    real_notify = app.notify

    def notify(message, *args, **kwargs):
        said.append(str(message))
        return real_notify(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await open_incident(pilot, SMALL, "report")
        await pilot.press("m")
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ExportPathModal)
        assert "the store's exports/ folder" in " ".join(
            str(s.render()) for s in modal.query(".hint")
        )  # the prompt says where a bare name goes
        assert modal.base == small_store.root / "exports"
        default = modal.query_one(Input).value
        await pilot.press("enter")  # the suggested name, as it is
        target = small_store.root / "exports" / default
        await until(pilot, target.exists)
        await until(pilot, lambda: any(str(target) in s for s in said))
    assert target.read_text() == render_from_store(small_store, SMALL)
    assert "/exports/" in (small_store.root / ".git" / "info" / "exclude").read_text().splitlines()
    assert "exports" not in small_store.git.repo.git.status("--porcelain")  # not offered for commit
    assert small_store.git.repo.git.check_ignore("exports/" + default) == "exports/" + default
