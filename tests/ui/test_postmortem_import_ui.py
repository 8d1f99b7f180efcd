"""Importing a postmortem from the start screen: i opens a form, the extracted facts are reviewed in the
timeline staging list, and only what was accepted is written, as one new incident in one commit."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import DataTable, Input

from workbench.ui.forms import FormModal
from workbench.ui.modals.timeline_staging import TimelineStagingModal
from workbench.ui.screens.incident import IncidentScreen
from .conftest import finding_counts_ready
from .waiting import until

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def staging_shown(app) -> bool:
    """The staging list is up and drawn (its rows are added when it mounts, a frame after it is pushed)."""
    screen = app.screen
    return (
        isinstance(screen, TimelineStagingModal)
        and bool(screen.query("#staging-table"))
        and screen.query_one("#staging-table", DataTable).row_count > 0
    )


async def start_import(pilot, path: Path, date: str = "", record: str = "") -> None:
    # The list's findings column is filled by a worker: counted first, so the list under the forms is final.
    await finding_counts_ready(pilot)
    await pilot.press("i")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, FormModal) and form.query_one("#field-path", Input)
    form.query_one("#field-path", Input).value = str(path)
    if date:
        form.query_one("#field-date", Input).value = date
    if record:
        form.query_one("#field-record", Input).value = record
    await pilot.pause()
    await pilot.press("ctrl+s")
    await until(
        pilot,
        lambda: (
            not isinstance(pilot.app.screen, FormModal)
            or pilot.app.screen.form_title.startswith("The source states no date")
        ),
    )


async def test_import_reviews_every_fact_and_writes_only_the_accepted_ones_in_one_commit(make_app, ui_store):
    app = make_app()
    before = len(ui_store.git.log([]))
    ids_before = set(ui_store.ids())
    async with app.run_test(size=(140, 40)) as pilot:
        await start_import(pilot, DATA / "structured.md")
        await until(pilot, lambda: staging_shown(app))
        modal = app.screen
        origins = [s.origin for s in modal.items]
        assert origins.count("timeline entries") == 3 and origins.count("action items") == 2
        table = modal.query_one("#staging-table", DataTable)
        assert str(table.get_row_at(0)[1]) == "2025-03-11 16:05:00"  # 09:05 PDT, in UTC
        await pilot.press("A")  # accept all shown
        await pilot.pause()
        second = [n for n, s in enumerate(modal.items) if s.origin == "timeline entries"][1]
        table.move_cursor(row=second)
        await pilot.press("x")  # drop one timeline entry
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen))
    new = set(ui_store.ids()) - ids_before
    assert new == {"2025-03-11-ranking-model-rollout-degraded-search-quality"}
    assert len(ui_store.git.log([])) == before + 1
    data = tomllib.loads((ui_store.folder_of(new.pop()) / "incident.toml").read_text())
    assert [e["time"].isoformat() for e in data["timeline"]] == [
        "2025-03-11T16:05:00+00:00",
        "2025-03-11T17:15:00+00:00",
    ]
    assert data["severity"] == "P1" and len(data["actions"]) == 2
    assert all(e["source"].startswith("structured.md:") for e in data["timeline"])


async def test_an_undated_source_asks_for_the_date_and_cancel_writes_nothing(make_app, ui_store):
    app = make_app()
    before = len(ui_store.git.log([]))
    async with app.run_test(size=(140, 40)) as pilot:
        await start_import(pilot, DATA / "undated.md")
        await until(pilot, lambda: isinstance(app.screen, FormModal))
        assert app.screen.form_title == "The source states no date"
        app.screen.query_one("#field-date", Input).value = "2025-05-02"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: staging_shown(app))
        assert "2025-05-02-prompt-injection" in app.screen.staging_title
        await pilot.press("escape")
        await pilot.app.workers.wait_for_complete()  # nothing a cancelled import started may commit
        await pilot.pause()
    assert len(ui_store.git.log([])) == before


def _without_reading_notice(app) -> None:
    """Snapshots leave out the "Reading …" toast: it is posted on the list screen, and whether it is drawn there
    (under the review, dimmed) before the review opens depends on the machine's speed; clearing it once the
    review is up clears it on the review only (Textual refreshes the toasts of the current screen)."""
    notify = app.notify

    def quiet(message, **kwargs) -> None:
        if not str(message).startswith("Reading "):
            notify(message, **kwargs)

    app.notify = quiet


def _to_staging(name: str):
    async def run_before(pilot) -> None:
        _without_reading_notice(pilot.app)
        await start_import(pilot, DATA / name)
        await until(pilot, lambda: staging_shown(pilot.app))
        await pilot.pause()

    return run_before


def test_staging_of_a_postmortem_import_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_to_staging("blog_post.md"))


def test_staging_of_a_postmortem_import_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 50), run_before=_to_staging("blog_post.md"))


async def _open_figure_form(pilot, unit: str) -> int:
    """Cursor to the impact figure with `unit` in the staging list, then e: its own form opens."""
    await pilot.pause()
    modal = pilot.app.screen
    row = next(n for n, s in enumerate(modal.items) if s.origin == "impact figures" and f" {unit} — " in s.event)
    table = modal.query_one("#staging-table", DataTable)
    for _ in range(modal.shown.index(row) - table.cursor_row):
        await pilot.press("down")
    await pilot.pause()
    assert table.cursor_row == modal.shown.index(row)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, FormModal))
    return row


async def test_a_figure_is_edited_by_keys_in_the_review_and_the_edit_is_what_is_written(make_app, ui_store):
    app = make_app()
    ids_before = set(ui_store.ids())
    async with app.run_test(size=(140, 40)) as pilot:
        await start_import(pilot, DATA / "blog_post.md")
        await until(pilot, lambda: staging_shown(app))
        modal = app.screen
        row = await _open_figure_form(pilot, "customers")
        form = app.screen
        assert form.form_title.startswith("Edit figure from blog_post.md:")
        assert form.query_one("#field-value", Input).value == "340"
        assert form.query_one("#field-unit", Input).value == "customers"
        form.query_one("#field-value", Input).focus()
        await pilot.press("end", *["backspace"] * 3, "3", "5", "2")  # 340 -> 352 by keys
        form.query_one("#field-unit", Input).focus()
        await pilot.press(*["backspace"] * len("customers"), *"accounts")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: staging_shown(app))
        assert modal.items[row].decision == "accepted" and modal.items[row].event.startswith("352 accounts — ")
        await pilot.press("A")  # accept the rest as they are
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen))
    new = (set(ui_store.ids()) - ids_before).pop()
    impact = tomllib.loads((ui_store.folder_of(new) / "incident.toml").read_text())["impact"]
    assert impact["users_affected"]["value"] == 352 and impact["users_affected"]["unit"] == "accounts"
    assert impact["users_affected"]["source"].startswith("blog_post.md:")
    assert impact["users_affected"]["note"].startswith('"During the incident roughly 12%')
    assert impact["requests_affected"]["value"] == 12  # the others are written as extracted


async def test_a_figure_form_refuses_a_value_without_a_unit(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await start_import(pilot, DATA / "blog_post.md")
        await until(pilot, lambda: staging_shown(app))
        await _open_figure_form(pilot, "usd")
        form = app.screen
        form.query_one("#field-unit", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, saying why
        assert "needs its unit" in str(form.query_one("#error-unit").render())


def _to_figure_form(name: str):
    async def run_before(pilot) -> None:
        await _to_staging(name)(pilot)
        await _open_figure_form(pilot, "usd")
        await pilot.pause()

    return run_before


def test_figure_edit_form_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_to_figure_form("blog_post.md"))


def test_figure_edit_form_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 50), run_before=_to_figure_form("blog_post.md"))


async def test_one_record_of_an_atlas_file_is_reviewed_and_written_as_one_incident(make_app, ui_store):
    app = make_app()
    before = len(ui_store.git.log([]))
    async with app.run_test(size=(140, 40)) as pilot:
        await start_import(pilot, DATA / "atlas_cases.yaml", record="AML.CS9001")
        await until(pilot, lambda: staging_shown(app))
        origins = [s.origin for s in app.screen.items]
        assert origins.count("timeline entries") == 1 and origins.count("impact figures") == 2
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen))
    assert len(ui_store.git.log([])) == before + 1
    data = tomllib.loads(
        (ui_store.folder_of("2023-05-17-spam-filter-evaded-by-a-paraphrasing-model") / "incident.toml").read_text()
    )
    assert data["tags"] == ["atlas"] and data["timeline"][0]["data_gap"] is True


async def _to_import_form(pilot) -> None:
    await pilot.pause()
    await pilot.press("i")
    await until(pilot, lambda: isinstance(pilot.app.screen, FormModal))


def test_import_form_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_to_import_form)


def test_import_form_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 50), run_before=_to_import_form)
