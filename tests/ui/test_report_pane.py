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
from workbench.ui.markdown_blocks import OneWidgetTable
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


def _at_the_action_items():
    async def run_before(pilot) -> None:
        await _opener()(pilot)
        view = pilot.app.screen.query_one("#report-preview", WindowedMarkdown)
        await until(pilot, lambda: view.complete, "the report shown")

        def top_of_actions() -> int:  # where the piece starts (it moves as the pieces above take real heights)
            return min(view.max_scroll_y, next(s for p, s, _e in view.placed() if "## Action Items" in p.text))

        def there() -> bool:
            if not view.complete:
                return False
            if view.scroll_y != top_of_actions():
                view.scroll_to(y=top_of_actions(), animate=False, immediate=True)
                return False
            return True

        await until(pilot, there, "the action items built, at the top of the view")
        await pilot.pause()

    return run_before


def test_action_table_at_80x24_folds_its_narrow_columns_under_the_action(snap_compare, make_app, small_store):
    """At 80 columns the eight-column action table keeps ID, Action, Owner (a short name here) and Verification, the
    due date, priority, status and addresses on a line under the action (the Action column was a letter a line)."""
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_at_the_action_items())


async def test_at_80_columns_every_action_value_is_on_screen_and_the_report_text_is_unchanged(make_app, small_store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_the_action_items()(pilot)
        view = app.screen.query_one("#report-preview", WindowedMarkdown)
        # Only the drawing adapts: the report's text (what every export writes) keeps its eight columns.
        assert view.source == render_from_store(small_store, SMALL)
        assert "| ID | Action | Owner | Due Date | Verification Method | Priority | Status | Addresses |" in view.source
        table = next(t for t in view.query(OneWidgetTable) if "Verification" in t.plain_rows()[0][4])
        width = table.content_size.width
        assert width < 80
        lines = app.console.render_lines(table.render(), app.console.options.update_width(width), pad=False)
        text = ["".join(segment.text for segment in line) for line in lines]
        header = text[1].replace("│", " ").split()
        # ID, Action, Owner and Verification Method stay columns; the four narrow ones are written under the action.
        assert header == ["ID", "Action", "Owner", "Verification", "Method"], text[:3]
        shown = " ".join(" ".join(line.replace("│", " ").split()) for line in text)
        for value in ("AI-001", "Fail the job on a", "Dana Kim", "Due Date: 2025-10-01", "Addresses: c-0001"):
            assert value in shown, (value, shown)
        assert "Priority: P" in shown and "Status: open" in shown
