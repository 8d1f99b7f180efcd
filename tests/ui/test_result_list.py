"""The search results list draws only the results on screen, and the ones scrolled to as the reader moves."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from workbench.ui.result_list import LINES, ResultList
from workbench.ui.screens.search import SearchScreen
from workbench.ui.search_index import SearchIndex

from .waiting import until


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


def _in_view(results: ResultList) -> set[int]:
    first = int(results.scroll_y) // LINES
    last = (int(results.scroll_y) + results.scrollable_content_region.height - 1) // LINES
    return set(range(first, min(last + 1, results.item_count)))


async def test_the_search_screen_draws_the_results_in_view_and_those_scrolled_to(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+k")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await _type(pilot, "model")
        await until(
            pilot,
            lambda: SearchIndex.of(app).ready and screen.shown_text == "model" and screen.shown_seq == screen.seq,
            "the answer to 'model'",
        )
        results = screen.query_one("#results", ResultList)
        await until(pilot, lambda: results.drawn_items, "the first results drawn")
        count = results.item_count
        assert count == len(screen.hits) >= 20
        first_page = _in_view(results)
        # Not all of them: those in view, and at most the one below them, drawn in a frame at the list's height
        # before the detail under it grew (the detail's new height reaches the screen's layout a frame after the
        # list's repaint, as Textual passes each widget's requests on when that widget is idle).
        assert first_page <= results.drawn_items <= first_page | {max(first_page) + 1}
        assert len(first_page) < count // 2
        await pilot.press("down", "pagedown")  # into the results, then a page down
        page = results.scrollable_content_region.height // LINES
        await until(pilot, lambda: results.highlighted == page, "a page down")
        await pilot.pause()
        second = _in_view(results)
        assert second - first_page and (second - first_page) <= results.drawn_items
        await pilot.press("end")
        await until(pilot, lambda: results.highlighted == count - 1, "the last result highlighted")
        await until(pilot, lambda: count - 1 in results.drawn_items, "the last result drawn")
        # Results scrolled past are never drawn (one result either side of a view may be, as the scroll settles).
        seen = first_page | second | _in_view(results)
        near = seen | {n + 1 for n in seen} | {n - 1 for n in seen}
        never_seen = set(range(count)) - near
        assert len(never_seen) >= 5 and not (never_seen & results.drawn_items)
        # The highlight is on what enter opens: the detail below the list shows that result.
        assert screen.hits[count - 1].title in str(screen.query_one("#hit-detail").render()).replace("\n", " ")


class _Results(App[None]):
    def __init__(self, items: list[str]) -> None:
        super().__init__()
        self.items = items
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield ResultList(lambda item: Text(f"{item}\n  second line of {item}"), id="results")

    def on_mount(self) -> None:
        self.query_one(ResultList).set_items(self.items, 0)
        self.query_one(ResultList).focus()

    def on_result_list_selected(self, event: ResultList.Selected) -> None:
        self.selected.append(event.index)


async def test_keys_and_a_click_move_the_highlight_and_select():
    app = _Results([f"item {n}" for n in range(40)])
    async with app.run_test(size=(60, 14)) as pilot:
        results = app.query_one(ResultList)
        await until(pilot, lambda: results.drawn_items, "drawn")
        await pilot.press("down", "down", "enter")
        assert results.highlighted == 2 and app.selected == [2]
        top = int(results.scroll_y)
        await pilot.click(
            ResultList, offset=(5, 1 + 2 * 3 + 1)
        )  # the border's line, then the fourth item's second line
        await until(pilot, lambda: len(app.selected) == 2, "the click's selection")
        assert app.selected[-1] == top // LINES + 3 == results.highlighted
        await pilot.press("end", "up")
        assert results.highlighted == 38
        results.set_items(["only"], 5)  # a new answer: the highlight stays within it
        assert results.highlighted == 0 and results.item_count == 1
        results.set_items([])
        assert results.highlighted is None
        await pilot.press("enter")  # nothing to select
        assert len(app.selected) == 2
