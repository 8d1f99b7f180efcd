"""The search screen and the list filter: typing never waits, stale results are dropped, enter opens at the match."""

from __future__ import annotations

import asyncio
import threading

import pytest

from textual.widgets import DataTable, Input, ProgressBar, Static

from workbench.services.search import Hit, SearchResult
from workbench.ui.screens.incident import IncidentScreen
from workbench.ui.screens.search import MATCH_STYLE, SearchScreen, hit_text
from workbench.ui.search_index import SearchIndex

from .conftest import CLAUDE, OPENAI, ULTRALYTICS
from .waiting import until


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def _results(pilot) -> SearchScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await until(
        pilot,
        lambda: SearchIndex.of(pilot.app).ready and screen.shown_seq == screen.seq,
        "SearchIndex.of(pilot.app).ready and screen.shown_seq == screen.seq",
    )
    return screen


async def test_ctrl_k_searches_as_you_type_and_enter_opens_at_the_timeline_entry(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        await _type(pilot, "bedrok misrouting peak")  # a typo, words in another order than the event's
        screen = await _results(pilot)
        first = screen.hits[0]
        assert first.id == CLAUDE and first.kind == "event" and first.entry.startswith("t-")
        marked = [first.snippet[s.start : s.end] for s in first.spans]
        assert marked == ["Misrouting", "Bedrock", "peak", "Bedrock"]
        text = hit_text(first)
        styled = [text.plain[s.start : s.end] for s in text.spans if s.style == MATCH_STYLE]
        assert styled == marked
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        assert app.screen.session.id == CLAUDE
        assert app.screen.initial_pane == "timeline" and app.screen.initial_entry == first.entry


async def test_search_from_the_incident_screen_and_escape_returns(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.open_incident(OPENAI)
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)


async def test_a_taxonomy_mode_narrows_to_its_incidents(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        await _type(pilot, "ml package supply chain compromise")
        screen = await _results(pilot)
        mode = next(h for h in screen.hits if h.type == "mode")
        screen.open_hit(mode)
        screen = await _results(pilot)
        assert screen.query_one("#query", Input).value == f"mode:{mode.id}"
        assert [h.id for h in screen.hits] == [ULTRALYTICS]


async def test_bad_filter_is_shown_not_raised(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        await _type(pilot, "sev:P9")
        screen = await _results(pilot)
        status = screen.query_one("#status", Static)
        assert "sev:P9" in str(status.render()) and status.has_class("error")


async def test_typing_never_waits_and_stale_results_are_dropped(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        screen = await _results(pilot)
        engine = SearchIndex.of(app).engine
        real = engine.search
        started: list[str] = []
        finished: list[str] = []
        release = threading.Event()

        def slow(text, *args, **kwargs):
            started.append(text)
            release.wait(120)  # every search is held until all the keys are in
            finished.append(text)
            return real(text, *args, **kwargs)

        monkeypatch.setattr(engine, "search", slow)
        await _type(pilot, "ultralytics")
        # Every key landed while every search was still held: typing never waited for one (no clock needed).
        assert not finished
        assert screen.query_one("#query", Input).value == "ultralytics"
        assert screen.shown_seq < screen.seq
        release.set()
        screen = await _results(pilot)
        assert [h.id for h in screen.hits][:1] == [ULTRALYTICS]
        assert len(started) >= 2  # searches ran (held) while the keys came in
        # An answer to an older keystroke that arrives late is ignored.
        before = list(screen.hits)
        screen._show(screen.seq - 1, SearchResult(None, [], 0), "ultralytics")  # noqa: SLF001
        assert screen.hits == before


async def test_first_index_build_shows_progress(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        screen = await _results(pilot)
        screen._index_changed("indexing", 5, 20)  # noqa: SLF001
        bar = screen.query_one(ProgressBar)
        assert bar.display and bar.total == 20 and bar.progress == 5
        assert "5 of 20" in str(screen.query_one("#status", Static).render())
        screen._index_changed("ready", 0, 0)  # noqa: SLF001
        assert not bar.display
        screen._index_changed("indexing", 6, 20)  # noqa: SLF001
        assert len(screen.query(ProgressBar)) == 1 and bar.display and bar.progress == 6  # the same bar again


async def test_list_filter_uses_the_search_engine(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(
            pilot, lambda: app.screen.query_one("#incidents").row_count, "app.screen.query_one('#incidents').row_count"
        )
        await pilot.press("slash")
        await _type(pilot, "severity:P0")  # the first keystroke opens the index; the engine answers then
        table = app.screen.query_one("#incidents")
        await until(pilot, lambda: table.row_count == 1, "table.row_count == 1")
        assert list(table.keys) == [OPENAI]
        app.screen.query_one("#filter", Input).value = "degradaton tpu"  # a typo, and a word from a cause
        await until(pilot, lambda: list(table.keys) == [CLAUDE], "list(table.keys) == [CLAUDE]")
        assert list(table.keys) == [CLAUDE]


def test_search_screen_snapshot(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await pilot.press("ctrl+k")
        await _type(pilot, "approximate top-k tpu")
        screen = await _results(pilot)
        assert screen.hits
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=run_before)


async def test_the_same_query_answered_again_keeps_the_cursor_on_the_chosen_hit(make_app):
    """The index finishes a freshness check and the search re-runs: enter must still open what the reader chose
    (the list was rebuilt with the cursor back on the first hit, and on a large store that was a taxonomy mode)."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        await _type(pilot, "model")
        screen = await _results(pilot)
        assert len(screen.hits) >= 3
        await pilot.press("down", "down", "down")  # into the results, then two hits down
        results = screen.query_one("#results")
        chosen = screen.hits[results.highlighted]
        assert results.highlighted == 2
        shown = screen.shown_seq
        screen.index.refresh_in_thread()  # answers "ready" and the screen searches again
        await until(pilot, lambda: screen.shown_seq > shown, "the search to run again")
        assert screen.hits[results.highlighted] == chosen
        await pilot.press("enter")
        if chosen.type == "mode":  # enter on a mode searches the incidents it was seen in
            query = screen.query_one("#query", Input)
            await until(pilot, lambda: query.value == f"mode:{chosen.id}", "the mode's search")
        else:
            await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
            assert app.screen.session.id == chosen.id


async def test_opening_a_result_does_not_catch_the_hidden_list_up_and_going_back_does(make_app, ui_store):
    """The search screen closes and the incident opens at once: the list under them, resumed for an instant,
    does not refresh the index then (that competed with the incident's opening); shown again, it does."""
    from workbench.ui.screens.incident_list import IncidentListScreen

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        index = SearchIndex.of(app)
        await until(pilot, lambda: index.ready and app.screen.query_one("#incidents").row_count, "the list")
        await app.workers.wait_for_complete()
        told: list[str] = []
        index.subscribe(lambda state, done, total: told.append(state))
        toml = ui_store.folder_of(ULTRALYTICS) / "incident.toml"
        toml.write_text(toml.read_text().replace('title = "', 'title = "Edited outside: ', 1))
        await pilot.press("ctrl+k")
        await _type(pilot, "bedrok misrouting")
        await _results(pilot)
        await until(pilot, lambda: "ready" in told, "the search screen's own catch-up")  # it searches fresh files
        await app.workers.wait_for_complete()
        told.clear()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        await until(pilot, lambda: app.screen.is_mounted, "the incident screen mounted")
        await app.workers.wait_for_complete()
        assert told == []  # the list did not refresh the index while the search closed and the incident opened
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list again")
        table = app.screen.query_one("#incidents")
        await until(
            pilot, lambda: table.get_cell(ULTRALYTICS, "title").plain.startswith("Edited outside: "), "the edit"
        )


async def test_keys_typed_while_the_search_screen_opens_land_in_order_and_answer(make_app):
    """ctrl+k and a word at once, as a terminal delivers a burst: every character lands in the field, in order,
    and the answer shown is the word's."""
    from .test_keys_not_lost import chars, send_fast

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        send_fast(app, ["ctrl+k", *chars("ultralytics")])
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        screen = await _results(pilot)
        await until(pilot, lambda: screen.shown_text == "ultralytics", "the typed word's answer")
        assert screen.query_one("#query", Input).value == "ultralytics"
        assert [h.id for h in screen.hits][:1] == [ULTRALYTICS]


async def test_a_burst_of_keys_searches_only_the_newest_query_once_the_search_before_ends(make_app, monkeypatch):
    """A search thread per key ran all at once, each holding the interpreter in turn: on a 10k store under load the
    word's answer came seconds late. Keys typed while a search runs make that search's answer stale; only the
    newest query is searched after it."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        screen = await _results(pilot)
        engine = SearchIndex.of(app).engine
        real = engine.search
        started: list[str] = []
        release = threading.Event()

        def held(text, *args, **kwargs):
            started.append(text)
            if len(started) == 1:
                release.wait(10)  # the first key's search runs until every key is in
            return real(text, *args, **kwargs)

        monkeypatch.setattr(engine, "search", held)
        await _type(pilot, "ultralytics")
        assert started == ["u"]
        release.set()
        screen = await _results(pilot)
        assert screen.shown_text == "ultralytics" and [h.id for h in screen.hits][:1] == [ULTRALYTICS]
        # No key between the first and the last was searched. The newest query may run twice: when the index's
        # catch-up with the files ends after the first answer, the shown query is searched again (tested below).
        assert started[0] == "u" and set(started[1:]) == {"ultralytics"}, started


async def test_the_catch_up_with_the_files_starts_after_the_first_answer_and_still_finds_an_outside_edit(
    make_app, ui_store, monkeypatch
):
    """The catch-up stats every file (20,000 on a 10k store): it follows the first answer instead of racing it;
    an edit made outside the app is searchable once it has run."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        index = SearchIndex.of(app)
        await until(pilot, lambda: index.ready, "the index")
        await app.workers.wait_for_complete()
        states: list[str] = []
        index.subscribe(lambda state, done, total: states.append(state))
        engine = index.engine
        real_refresh = engine.refresh
        answered_before: list[int] = []

        def refresh(*args, **kwargs):
            answered_before.append(app.screen.shown_seq)  # answers shown when the catch-up began
            return real_refresh(*args, **kwargs)

        monkeypatch.setattr(engine, "refresh", refresh)
        toml = ui_store.folder_of(ULTRALYTICS) / "incident.toml"
        toml.write_text(toml.read_text().replace('title = "', 'title = "Quokkaflux ', 1))
        await pilot.press("ctrl+k")
        await until(pilot, lambda: "ready" in states, "the catch-up")
        assert answered_before and answered_before[0] >= 1  # the first answer was on screen before it began
        await _type(pilot, "quokkaflux")
        screen = await _results(pilot)
        assert [h.id for h in screen.hits][:1] == [ULTRALYTICS]


async def test_the_search_screen_is_kept_and_opens_again_empty_with_the_keys_typed_in_order(make_app):
    """The app keeps one search screen (a new one composed and styled at every ctrl+k was a fifth of the work to
    the first results). Opened again it holds nothing of the last search: the field empty and focused even when
    the results had the focus, the newest incidents listed before any key, and a word typed with ctrl+k lands in
    the field in order and is what is answered."""
    from .test_keys_not_lost import chars, send_fast

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        await pilot.press("ctrl+k")
        first = app.screen
        assert isinstance(first, SearchScreen)
        await _type(pilot, "ultralytics")
        await until(pilot, lambda: first.shown_text == "ultralytics", "the first answer")
        await pilot.press("down")  # into the results
        await until(pilot, lambda: first.focused is first.query_one("#results"), "the results focused")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SearchScreen), "the search screen closed")
        newest = SearchIndex.of(app).engine.search("", limit=50).hits

        await pilot.press("ctrl+k")
        assert app.screen is first
        field = first.query_one("#query", Input)
        assert field.value == "" and first.focused is field
        assert first.shown_text == "" and [h.id for h in first.hits] == [h.id for h in newest]
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SearchScreen), "closed again")

        send_fast(app, ["ctrl+k", *chars("bedrok misrouting")])
        await until(pilot, lambda: app.screen is first, "the same search screen")
        await until(pilot, lambda: first.shown_text == "bedrok misrouting", "the typed words' answer")
        assert field.value == "bedrok misrouting"
        assert [h.id for h in first.hits][:1] == [CLAUDE]


async def test_a_search_made_stale_by_a_newer_key_stops_early(make_app, monkeypatch):
    """A search whose key has been followed by another stops at its next step (it holds the lock the newer
    key's search waits on): its answer is never shown, and the newer query is answered."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+k")
        screen = await _results(pilot)
        engine = SearchIndex.of(app).engine
        real = engine.search
        release = threading.Event()
        told_stale: list[bool] = []

        def held(text, *args, stale=None, **kwargs):
            if text == "u":
                release.wait(10)  # until the next keys are in
                told_stale.append(stale is not None and stale())
            return real(text, *args, stale=stale, **kwargs)

        monkeypatch.setattr(engine, "search", held)
        await _type(pilot, "ult")
        release.set()
        screen = await _results(pilot)
        assert told_stale == [True]
        assert screen.shown_text == "ult"


async def test_a_word_typed_with_ctrl_k_is_the_first_answer_drawn(make_app, monkeypatch):
    """The newest incidents the screen opens with are not listed (nor searched) when characters typed with
    ctrl+k are still being handed to the field: their answer is the first one drawn."""
    from .test_keys_not_lost import chars, send_fast

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        engine = SearchIndex.of(app).engine
        asked: list[str] = []
        real_search, real_newest = engine.search, engine.newest_now

        def search(text, *args, **kwargs):
            asked.append(text)
            return real_search(text, *args, **kwargs)

        def newest(*args, **kwargs):
            asked.append("")
            return real_newest(*args, **kwargs)

        monkeypatch.setattr(engine, "search", search)
        monkeypatch.setattr(engine, "newest_now", newest)
        send_fast(app, ["ctrl+k", *chars("ultralytics")])
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        screen = await _results(pilot)
        await until(pilot, lambda: screen.shown_text == "ultralytics", "the typed word's answer")
        assert asked and "" not in asked and asked[-1] == "ultralytics", asked
        assert [h.id for h in screen.hits][:1] == [ULTRALYTICS]


async def test_a_word_typed_with_ctrl_k_is_in_the_field_in_the_search_screen_s_first_frame(make_app):
    """The characters typed with ctrl+k, held while the screen opens, go into the field before its first frame
    (replayed by the hold they landed a frame later, then each redrew the field before the answer's frame): the
    first frame drawn shows the whole word, and its search is the first one asked for."""
    from .test_keys_not_lost import chars, send_fast

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        engine = SearchIndex.of(app).engine
        asked: list[str] = []
        real = engine.search

        def search(text, *args, **kwargs):
            asked.append(text)
            return real(text, *args, **kwargs)

        engine.search = search  # type: ignore[method-assign]
        drawn: list[str] = []
        listening: list[SearchScreen] = []

        def watch() -> None:
            screen = app.screen
            if isinstance(screen, SearchScreen) and not listening:
                listening.append(screen)
                screen.screen_layout_refresh_signal.subscribe(
                    app, lambda s: drawn.append(s.query_one("#query", Input).value), immediate=True
                )

        send_fast(app, ["ctrl+k", *chars("ultralytics")])
        while not listening:  # subscribed as soon as the screen is pushed, before its first frame is drawn
            watch()
            await asyncio.sleep(0)
        await until(pilot, lambda: listening[0].shown_text == "ultralytics", "the typed word's answer")
        assert drawn and drawn[0] == "ultralytics", drawn
        assert asked[0] == "ultralytics", asked
        assert listening[0].query_one("#query", Input).value == "ultralytics"


async def test_the_first_answer_lays_the_screen_out_once_for_its_detail(make_app, monkeypatch):
    """The detail below the list is hidden until the first answer (a word typed with ctrl+k: the empty field is not
    answered): its width was measured as 0 then, so the list's Highlighted message measured it again once shown
    and asked for a second layout of the whole screen. Now the detail asks for one, with its real width."""
    from .test_keys_not_lost import chars, send_fast

    asked: list[bool] = []
    real = Static.update

    def update(self, *args, layout: bool = True, **kwargs):
        if self.id == "hit-detail":
            asked.append(layout)
        return real(self, *args, layout=layout, **kwargs)

    monkeypatch.setattr(Static, "update", update)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
        await app.workers.wait_for_complete()
        send_fast(app, ["ctrl+k", *chars("ultralytics")])
        await until(
            pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.shown_text == "ultralytics", "it"
        )
        screen = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = screen.query_one("#hit-detail", Static)
        assert detail.display and detail.content_region.width == 140 - 2
        assert asked.count(True) == 1, asked  # the detail's one layout, as it appears


async def _searched_to_a_timeline_event(pilot) -> Hit:
    """ctrl+k and a query typed as one burst; the top result, a timeline event of the Claude incident."""
    from .test_keys_not_lost import chars, send_fast

    app = pilot.app
    await until(pilot, lambda: SearchIndex.of(app).ready, "the index")
    send_fast(app, ["ctrl+k", *chars("bedrok misrouting peak")])
    await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
    search = await _results(pilot)
    await until(pilot, lambda: search.shown_text == "bedrok misrouting peak", f"the answer ({search.shown_text!r})")
    hit = search.hits[0]
    assert hit.id == CLAUDE and hit.kind == "event"
    return hit


async def test_a_key_typed_right_after_enter_lands_in_the_opened_incident(make_app):
    """enter on a result and `down` at once, as a terminal delivers a burst: the down is the incident's (its table's
    cursor moves one row below the matched entry), not the search screen's (it moved focus to the result list while
    the field's Submitted message waited behind it, and the key was gone)."""
    from workbench.ui.tables import cursor_key

    from .test_keys_not_lost import send_fast

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        hit = await _searched_to_a_timeline_event(pilot)
        send_fast(app, ["enter", "down"])
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        table = screen.pane("timeline").query_one(DataTable)
        below = table.coordinate_to_cell_key((table.get_row_index(hit.entry) + 1, 0)).row_key.value
        await until(pilot, lambda: cursor_key(table) == below, "the down typed with enter")
        await pilot.pause()
        assert cursor_key(table) == below


@pytest.mark.parametrize("opened_before", [False, True])
async def test_ctrl_k_a_query_enter_and_down_typed_at_once_open_the_query_s_hit(make_app, opened_before):
    """ctrl+k, a query, enter and down in one burst: enter waits for the answer to the query and opens its hit
    (the Claude incident at the timeline event, the down one row below it). It opened a hit of the answer shown
    before (the kept screen's newest incidents: the Claude incident's Overview), or, on a first opening with
    nothing shown yet, did nothing and the down moved focus to the results."""
    from workbench.ui.tables import cursor_key

    from .test_keys_not_lost import chars, send_fast

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        index = SearchIndex.of(app)
        await until(pilot, lambda: index.ready, "the index")
        hit = index.engine.search("bedrok misrouting peak", limit=1).hits[0]  # what the burst's query finds
        assert hit.id == CLAUDE and hit.kind == "event"
        if opened_before:  # the kept screen again, its last answer being the newest incidents
            await pilot.press("ctrl+k")
            await _results(pilot)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, SearchScreen), "the search screen closed")
        send_fast(app, ["ctrl+k", *chars("bedrok misrouting peak"), "enter", "down"])
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        assert screen.session.id == CLAUDE and screen.initial_pane == "timeline" and screen.initial_entry == hit.entry
        table = screen.pane("timeline").query_one(DataTable)
        below = table.coordinate_to_cell_key((table.get_row_index(hit.entry) + 1, 0)).row_key.value
        await until(pilot, lambda: cursor_key(table) == below, "the down typed with enter")


@pytest.mark.parametrize("placed_after_first_frame", [False, True])
async def test_a_key_typed_with_enter_waits_for_a_screen_slower_than_the_hold_limit(
    make_app, monkeypatch, placed_after_first_frame
):
    """The incident screen says it is building until it is mounted, focused and on the result's entry, so keys
    typed with enter wait for it however long that takes. key_hold.LIMIT (2 s) let them go to a screen that was
    not building: at load 20 a mount took longer, the `down` reached the screen before it had focus, and was lost
    (LIMIT 0 here plays that slow machine). Also when the entry can only be placed after the first frame: replayed
    before the placing, the `down` would be undone by it."""
    from workbench.ui import key_hold
    from workbench.ui.panes.timeline import TimelinePane
    from workbench.ui.tables import cursor_key

    from .test_keys_not_lost import send_fast

    if placed_after_first_frame:
        monkeypatch.setattr(TimelinePane, "focus_entry_before_layout", lambda self, entry_id: False)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        hit = await _searched_to_a_timeline_event(pilot)
        monkeypatch.setattr(key_hold, "LIMIT", 0.0)
        send_fast(app, ["enter", "down"])
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await until(pilot, lambda: not screen.building and not app.key_hold.held, "the screen opened, keys delivered")
        table = screen.pane("timeline").query_one(DataTable)
        below = table.coordinate_to_cell_key((table.get_row_index(hit.entry) + 1, 0)).row_key.value
        await pilot.pause()
        assert cursor_key(table) == below
