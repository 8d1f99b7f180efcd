"""The start screen: list, filter, sort, create, and broken files shown without hiding the rest."""

from __future__ import annotations

import tomllib

from textual.widgets import Input, Select

from workbench.ui.forms import FormModal
from workbench.ui.screens.incident import IncidentScreen

from .conftest import CLAUDE, OPENAI, ULTRALYTICS, git_subjects, settle
from .waiting import until


async def _listed(pilot) -> None:
    """Wait until the list has rows (the index is read in a thread; a loaded machine takes longer)."""
    await until(
        pilot,
        lambda: pilot.app.screen.query("#incidents") and pilot.app.screen.query_one("#incidents").row_count,
        "the list's rows",
    )


def _ids(app) -> list[str]:
    return list(app.screen.query_one("#incidents").keys)


async def test_lists_every_incident_newest_first(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        assert _ids(app) == [CLAUDE, OPENAI, ULTRALYTICS]


async def test_filter_as_you_type_tolerates_typos(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        await pilot.press("slash", *"kubernets")  # typo
        await until(pilot, lambda: _ids(app) == [OPENAI], "the filtered list")
        await pilot.press("escape")
        await until(pilot, lambda: len(_ids(app)) == 3, "the whole list back")


async def test_sort_cycles_and_keeps_all_rows(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        await pilot.press("s")  # severity
        await until(pilot, lambda: _ids(app)[0] == OPENAI, "the P0 first")
        assert sorted(_ids(app)) == sorted([CLAUDE, OPENAI, ULTRALYTICS])


async def test_new_incident_creates_files_and_one_commit_then_opens_it(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#field-title", Input).value = "Reranker fallback served stale chunks"
        form.query_one("#field-severity", Select).value = "P1"
        form.query_one("#field-started", Input).value = "2025-09-30T22:10:00-04:00"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the new incident opened")
        await settle(pilot)
        assert app.screen.session.id == "2025-10-01-reranker-fallback-served-stale-chunks"
    folder = ui_store.root / "incidents/2025/10/2025-10-01-reranker-fallback-served-stale-chunks"
    data = tomllib.loads((folder / "incident.toml").read_text())
    assert data["severity"] == "P1" and data["times"]["started"].isoformat() == "2025-10-01T02:10:00+00:00"
    assert "## Executive Summary" in (folder / "postmortem.md").read_text()
    assert git_subjects(ui_store, 1)[0] == (
        "2025-10-01-reranker-fallback-served-stale-chunks: scoping: create 'Reranker fallback served stale chunks'"
    )


async def test_new_incident_needs_a_title(make_app, ui_store):
    app = make_app()
    head = ui_store.git.repo.head.commit.hexsha
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert "title" in str(app.screen.query_one("#error-title").render())
    assert ui_store.git.repo.head.commit.hexsha == head


async def test_broken_incident_is_reported_and_the_others_still_listed(make_app, cold_ui_store):
    ui_store = cold_ui_store  # no index on disk: its rows would list the file as it was before the edit below
    broken = ui_store.folder_of(OPENAI) / "incident.toml"
    text = broken.read_text().replace('severity = "P0"', 'severity = "P9"')
    broken.write_text(text)
    app = make_app(ui_store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        # The broken file is a row of its own, after the incidents (enter views it read-only).
        assert _ids(app) == [CLAUDE, ULTRALYTICS, f"problem:{broken.relative_to(ui_store.root)}"]
        problems = str(app.screen.query_one("#problems").render())
        assert "incident.toml:" in problems and "severity" in problems and "expected" in problems
    assert broken.read_text() == text  # nothing rewritten


async def test_the_list_comes_from_the_index_without_loading_every_incident(make_app, cold_ui_store, monkeypatch):
    """At 10,000 incidents a full load takes half a minute: the list must never do it when the index opens."""
    from workbench.store import Store

    ui_store = cold_ui_store  # no index on disk: its rows would list the file as it was before the edit below

    def refuse(self):
        raise AssertionError("the start screen loaded every incident")

    monkeypatch.setattr(Store, "load_all", refuse)
    broken = ui_store.folder_of(OPENAI) / "incident.toml"
    broken.write_text(broken.read_text().replace('severity = "P0"', 'severity = "P9"'))
    app = make_app(ui_store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)  # the index is read in a thread: a few pauses were not enough on a loaded machine
        # The broken file is a row of its own, after the incidents (enter views it read-only).
        assert _ids(app) == [CLAUDE, ULTRALYTICS, f"problem:{broken.relative_to(ui_store.root)}"]
        problems = str(app.screen.query_one("#problems").render())
        # The store's own message, found when the index read the file: file:line: field: message.
        assert f"{broken.relative_to(ui_store.root)}:" in problems and ": severity: " in problems


async def test_an_outside_edit_shows_in_the_list_after_reload_and_a_deleted_incident_goes(make_app, ui_store):
    import shutil

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        toml = ui_store.folder_of(CLAUDE) / "incident.toml"
        text = toml.read_text()
        title = tomllib.loads(text)["title"]
        toml.write_text(text.replace(title, "Retitled outside the app"))
        shutil.rmtree(ui_store.folder_of(ULTRALYTICS))
        await pilot.press("r")
        # The list reloads in a worker: wait for its rows, not for a number of pauses (a loaded machine outlasts them).
        await until(pilot, lambda: _ids(app) == [CLAUDE, OPENAI], "the reloaded list without the deleted incident")
        table = app.screen.query_one("#incidents")
        assert table.get_cell(CLAUDE, "title").plain == "Retitled outside the app"


async def test_a_first_index_build_shows_progress_and_typing_still_works(make_app, cold_ui_store, monkeypatch):
    import threading

    from textual.widgets import ProgressBar

    from workbench.services.search import SearchEngine

    release = threading.Event()
    real_open = SearchEngine.open

    def slow_open(self, progress=None):
        progress(40, 100)
        release.wait(10)  # the build is held at 40 of 100 until the test has looked
        return real_open(self, progress)

    monkeypatch.setattr(SearchEngine, "open", slow_open)
    app = make_app(cold_ui_store)  # no index yet: the build is a first one
    async with app.run_test(size=(140, 40)) as pilot:
        bar = app.screen.query_one("#indexing", ProgressBar)
        await until(pilot, lambda: bar.display, "bar.display")
        assert bar.display and bar.progress == 40 and bar.total == 100
        assert "40 of 100 incidents read" in str(app.screen.query_one("#counts").render())
        await pilot.press("slash", "c", "l")  # the app answers keys while the index builds
        assert app.screen.query_one("#filter", Input).value == "cl"
        release.set()
        await settle(pilot)
        assert not bar.display
        assert CLAUDE in _ids(app)


async def test_start_screen_keys_work_before_the_list_has_loaded(make_app, cold_ui_store, monkeypatch):
    """T (or n, L, /) pressed on the first frame must act, not land as text in the filter box."""
    import threading

    from workbench.services.search import SearchEngine
    from workbench.ui.screens.taxonomy import TaxonomyScreen

    release = threading.Event()
    real_open = SearchEngine.open
    monkeypatch.setattr(
        SearchEngine, "open", lambda self, progress=None: (release.wait(60), real_open(self, progress))[1]
    )
    app = make_app(cold_ui_store)  # no index on disk to list from: nothing is listed until the open is released
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TaxonomyScreen), "the Taxonomy screen")
        release.set()


async def test_a_long_list_draws_only_the_rows_on_screen_and_keys_still_move(make_app):
    """5,000 rows: every one is listed (no cap), but only the rows in view are drawn; j/k, page down, end and
    home move the cursor through all of them, and sorting works on the whole list (filtering: the tests above,
    through the same table)."""
    from datetime import datetime, timedelta, timezone

    from workbench.ui.screens.incident_list import Row

    from workbench.ui.search_index import SearchIndex

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # The store's own rows arrive in a thread when the index is ready; rows put in before that would be
        # replaced by them (a race the machine's load decided).
        index = SearchIndex.of(app)
        await until(pilot, lambda: index.ready, "the index")
        await _listed(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#incidents")
        base = datetime(2020, 1, 1, tzinfo=timezone.utc)
        screen.rows = [
            Row(
                f"2020-01-01-incident-{n:05d}",
                f"Incident number {n}",
                "P1" if n % 7 else "P0",
                "analysis",
                base + timedelta(hours=n),
                n % 4,
                f"incident number {n}",
                f"x/{n}",
            )
            for n in range(5000)
        ]
        drawn: set[str] = set()
        real = table.cell_function

        def spy(row, column, form, width):
            drawn.add(row.id)
            return real(row, column, form, width)

        table.cell_function = spy
        screen.redraw()
        await until(pilot, lambda: table.row_count == 5000 and drawn, "the 5,000 rows, drawn")
        assert table.keys[0] == "2020-01-01-incident-04999"  # newest first
        assert 0 < len(drawn) <= 24  # one screen of rows, not 5,000
        table.focus()
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        page = table.cursor_row - 1
        assert page >= 10
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key == "2020-01-01-incident-00000"
        assert "2020-01-01-incident-00000" in drawn and len(drawn) <= 3 * 24  # drawn where the cursor went
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("s")  # sort by severity: P0 first
        await pilot.pause()
        assert table.cell_function(table.rows[0], "severity", 0, 3).plain == "P0"


async def test_the_first_rows_come_from_the_index_on_disk_and_an_edit_since_shows_once_it_is_open(make_app, ui_store):
    """The list shows the index's rows before the engine opens (services/search/listing.py); an incident
    edited outside the app after the index was written is listed with its new title once the index caught
    up, and a deleted one goes."""
    import shutil

    from workbench.services.search import SearchEngine
    from workbench.ui.search_index import SearchIndex

    SearchEngine(ui_store.root).open()  # as a previous session left it
    toml = ui_store.folder_of(CLAUDE) / "incident.toml"
    text = toml.read_text()
    toml.write_text(text.replace(tomllib.loads(text)["title"], "Retitled while the app was closed"))
    shutil.rmtree(ui_store.folder_of(ULTRALYTICS))
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        index = SearchIndex.of(app)
        await until(pilot, lambda: index.ready, "the index")
        await settle(pilot)
        assert index.listing is not None and ULTRALYTICS in index.listing.columns.ids
        table = app.screen.query_one("#incidents")
        await until(pilot, lambda: _ids(app) == [CLAUDE, OPENAI], "the deleted incident to go")
        assert table.get_cell(CLAUDE, "title").plain == "Retitled while the app was closed"


async def test_rows_are_not_read_again_when_the_index_found_nothing_new(make_app, ui_store):
    """Nothing changed since the index was written: the rows shown from the index on disk stay (the "ready"
    that follows the engine's open reads and redraws nothing); after an outside edit, reload reads again."""
    from workbench.services.search import SearchEngine
    from workbench.ui.search_index import SearchIndex

    SearchEngine(ui_store.root).open()
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _listed(pilot)
        first = app.screen.rows
        index = SearchIndex.of(app)
        await until(pilot, lambda: index.ready, "the index")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen.rows is first
        told: list[str] = []
        index.subscribe(lambda state, done, total: told.append(state))
        await pilot.press("r")
        await until(pilot, lambda: "ready" in told, "the reload's refresh")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen.rows is first
        toml = ui_store.folder_of(CLAUDE) / "incident.toml"
        toml.write_text(toml.read_text().replace('title = "', 'title = "Edited: ', 1))
        await pilot.press("r")
        await until(pilot, lambda: app.screen.rows is not first, "the rows read again")
        assert app.screen.query_one("#incidents").get_cell(CLAUDE, "title").plain.startswith("Edited: ")


def test_rows_of_columns_report_an_id_used_by_several_folders_and_a_file_that_will_not_load() -> None:
    from workbench.services.search.listing import ListColumns
    from workbench.ui.screens.incident_list import rows_of_columns

    def column(*values):
        return list(values)

    c = ListColumns(
        ids=column("a", "b", "b", "b", "c"),
        titles=column("A", "B1", "B2", "B3", "C"),
        severities=column("P1", "", "", "", "P2"),
        stages=column("review", "", "", "", "analysis"),
        started_at=column("2025-01-02 10:00", "", "", "", ""),
        paths=column("2025/01/a", "2025/03/b", "2025/01/b", "2025/02/b", "2025/01/c"),
        tags=column(["llm"], [], [], [], []),
        open_actions=column(1, 0, 0, 0, 2),
        open_due=column("", "", "", "", ""),
        follow_up=column("", "", "", "", ""),
        follow_up_held=column("", "", "", "", ""),
        problems={4: [{"path": "2025/01/c/incident.toml", "message": "bad TOML", "line": 3, "field": "title"}]},
    )
    rows, problems, good = rows_of_columns(c)
    assert [r.id for r in rows] == ["a"] and good == [0]
    assert rows[0].started is not None and rows[0].haystack.startswith("a a p1")
    assert [(str(p.path), p.message, p.line, p.field) for p in problems] == [
        ("2025/01/b", "id 'b' is used by 3 folders: 2025/01/b, 2025/02/b, 2025/03/b", None, "id"),
        ("2025/01/c/incident.toml", "bad TOML", 3, "title"),
    ]
