"""Search, Learning and Conflicts at 80 columns: tables fit their width (columns give way by priority, cells
end in an ellipsis) and the area under them shows the highlighted row whole."""

from __future__ import annotations

from textual.widgets import Static

from workbench.ui.screens.conflicts import ConflictsScreen
from workbench.services.learning.stats import CauseCluster, CauseRef
from workbench.ui.screens.learning import SHOWN_CAUSES, LearningScreen, group_text
from workbench.ui.screens.search import SearchScreen
from workbench.ui.result_list import ResultList
from workbench.ui.search_index import SearchIndex
from workbench.ui.tables import FitTable

from learning_store import learning_copy, learning_root  # noqa: F401 - fixtures used by name

from .test_conflicts_ui import rows_ready, team  # noqa: F401 - `team` is a fixture used by name
from .waiting import until


def plain(widget: Static) -> str:
    return str(widget.render())


def fits(table: FitTable) -> bool:
    """Every shown column inside the table's width: nothing scrolls sideways."""
    return table.virtual_size.width <= table.scrollable_content_region.width


async def test_conflicts_keep_the_choice_in_view_at_80_columns_and_show_values_whole(make_app, team):  # noqa: F811
    app = make_app(team["bob"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await until(pilot, lambda: rows_ready(app), "the Conflicts screen after the sync")
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        table = screen.query_one("#conflicts-table", FitTable)
        await until(pilot, lambda: "base" not in table.shown, "the columns to fit 80 columns")
        assert table.shown == ["incident", "field", "ours", "theirs", "choice"] and fits(table)
        await pilot.press("down")  # the event: its values are longer than their cells
        await pilot.pause()
        detail = plain(screen.query_one("#conflict-detail", Static))
        assert "'alert fired for p99 latency'" in detail and '"alert fired (bob\'s words)"' in detail
        assert "base   'alert fired'" in detail  # the column that gave way, whole here
        await pilot.resize_terminal(200, 50)
        await until(pilot, lambda: "base" in table.shown, "Base to come back at 200 columns")
        assert table.shown == ["incident", "field", "base", "ours", "theirs", "choice"] and fits(table)


async def test_search_results_are_cut_at_80_columns_and_the_highlighted_one_is_shown_whole(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+k")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#query").value = "approximate top-k tpu"
        await until(pilot, lambda: SearchIndex.of(app).ready and screen.hits, "the results")
        await until(pilot, lambda: screen.shown_seq == screen.seq, "the last query's results")
        first = screen.hits[0]
        detail = plain(screen.query_one("#hit-detail", Static))
        assert first.title in detail.replace("\n", " ") or first.title in detail
        assert f"{first.field}: {first.snippet}" in detail.replace("\n", " ")
        await pilot.press("down")  # to the results, then the next one
        await pilot.press("down")
        await pilot.pause()
        second = screen.hits[screen.query_one(ResultList).highlighted or 0]
        assert second is not first
        assert second.snippet in plain(screen.query_one("#hit-detail", Static)).replace("\n", " ")


async def test_learning_groups_fit_80_columns_and_the_highlighted_group_reads_whole(make_app, learning_copy):  # noqa: F811
    app = make_app(learning_copy)  # 33 incidents whose causes recur
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        screen = app.screen
        assert isinstance(screen, LearningScreen)
        await until(pilot, lambda: screen.stats is not None and screen.query("#learning-causes"), "the stats")
        table = screen.query_one("#learning-causes", FitTable)
        await until(pilot, lambda: fits(table), "the groups table to fit")
        assert table.row_count == len(screen.stats.recurring_causes) > 0
        group = screen.stats.recurring_causes[0]
        detail = plain(screen.query_one("#learning-cause-detail", Static))
        assert detail.startswith(", ".join(group.words)) and f"{len(group.incidents):,} incidents" in detail
        for ref in group.causes[:SHOWN_CAUSES]:
            assert f"{ref.incident_id} {ref.cause_id}: {ref.statement}" in detail
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        second = screen.stats.recurring_causes[1]
        detail = plain(screen.query_one("#learning-cause-detail", Static))
        assert detail.startswith(", ".join(second.words)) and second.causes[0].statement in detail


def test_a_group_of_thousands_shows_its_first_statements_and_how_many_more() -> None:
    causes = [CauseRef(f"i{n}", "c-1", f"The rollout process allowed change {n} everywhere") for n in range(3000)]
    text = group_text(CauseCluster(["rollout", "process"], [c.incident_id for c in causes], causes)).plain
    assert text.startswith("rollout, process  3,000 incidents · 3,000 causes")
    assert text.count("The rollout process") == SHOWN_CAUSES
    assert f"… and {3000 - SHOWN_CAUSES:,} more" in text


async def test_a_table_whose_rows_came_before_its_first_fit_keeps_no_sideways_scrollbar():
    """Rows added before the first fit (the columns still sized to their content: far wider than the table),
    exactly as many as the height above a scrollbar holds: once fitted, no sideways scrollbar is left on its last
    line (a Review pane at 80x24 kept one in some runs)."""
    from textual.app import App, ComposeResult

    from workbench.ui.tables import Fit

    class One(App[None]):
        CSS = "FitTable { height: 9; }"

        def compose(self) -> ComposeResult:
            table = FitTable({"message": Fit(flex_min=28), "where": Fit(compact=12)}, cursor_type="row")
            table.add_column("Sev", key="sev", width=7)
            table.add_column("Where", key="where", width=24)
            table.add_column("Finding", key="message")
            for n in range(7):  # header + 7 rows: the 8 lines a 9-line table has above a scrollbar
                table.add_row("error", f"AI-00{n}", f"finding {n}: " + "a long message " * 8)
            yield table

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(FitTable)
        await until(pilot, lambda: fits(table) and table.scrollable_content_region.width == 80, "the columns fitted")
        await pilot.pause()
        assert not table.show_horizontal_scrollbar
        assert table.scrollable_content_region.height == 9  # all nine lines are the table's, none a scrollbar
        assert "AI-006" in table.render_line(7).text
