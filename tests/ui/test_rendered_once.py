"""A table's lines are made once per width (redraw.RenderedOnce): the Overview's sections are measured and painted
from the same lines at each of the screen's layouts, and look exactly as the table rendered directly."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from workbench.ui.redraw import RenderedOnce


class CountingTable(Table):
    def __init__(self) -> None:
        super().__init__(box=None, padding=(0, 2), show_edge=False, expand=True)
        self.renders = 0

    def __rich_console__(self, console, options):
        self.renders += 1
        yield from super().__rich_console__(console, options)


def table() -> CountingTable:
    t = CountingTable()
    t.add_column("Figure", style="bold", no_wrap=True)
    t.add_column("Note", ratio=4)
    t.add_row("Users affected", Text("about a third of the serving fleet, for most of the afternoon " * 2))
    t.add_row("Cost (USD)", Text("—", style="dim"))
    return t


def lines(console: Console, renderable, width: int) -> list[str]:
    options = console.options.update_width(width)
    return ["".join(s.text for s in line) for line in console.render_lines(renderable, options, pad=False)]


def test_each_width_is_rendered_once_and_the_lines_are_the_tables_own() -> None:
    console = Console(width=200, color_system=None, force_terminal=False)
    direct, wrapped = table(), table()
    once = RenderedOnce(wrapped)
    for width in (80, 80, 80):  # measured for the layout, painted, laid out again: one render
        assert lines(console, once, width) == lines(console, direct, width)
    assert wrapped.renders == 1
    narrow = lines(console, once, 40)  # another width: rendered for it, wrapped as the table itself wraps
    assert narrow == lines(console, direct, 40)
    assert len(narrow) > len(lines(console, once, 80))
    assert wrapped.renders == 2
    lines(console, once, 80)  # the first width is still kept
    assert wrapped.renders == 2


def test_measuring_it_measures_the_table() -> None:
    from rich.measure import Measurement

    console = Console(width=200, color_system=None)
    options = console.options.update_width(120)
    assert Measurement.get(console, options, RenderedOnce(table())) == Measurement.get(console, options, table())


async def test_an_opening_overview_measures_its_sections_at_one_width(make_app, monkeypatch):
    """The Overview keeps its scrollbar's room from the start: the scrollbar appearing after the first layout
    (the sections are longer than the screen) narrowed every section, and all five were rendered again at the
    new width in the layout after it."""
    from .conftest import CLAUDE, open_incident
    from .waiting import until

    widths: dict[int, set[int]] = {}
    render = RenderedOnce.__rich_console__

    def counted(self, console, options):
        widths.setdefault(id(self), set()).add(options.max_width)
        return render(self, console, options)

    monkeypatch.setattr(RenderedOnce, "__rich_console__", counted)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        scroll = screen.query_one("#overview-scroll")
        await until(pilot, lambda: scroll.max_scroll_y > 0, "the overview laid out, longer than the screen")
        await pilot.pause()
        assert len(widths) == 5  # the five sections
        assert all(len(seen) == 1 for seen in widths.values()), widths


def test_kept_lines_make_the_table_again_only_when_its_styles_change() -> None:
    """A widget's render() asks for its table at each layout and refresh: the same one (its lines kept) while the
    styles it is drawn with are the same, a new one made when they differ."""
    from rich.style import Style

    from workbench.ui.redraw import KeptLines

    made: list[CountingTable] = []

    def make() -> CountingTable:
        made.append(table())
        return made[-1]

    console = Console(width=200, color_system=None, force_terminal=False)
    kept = KeptLines()
    first = kept.get((Style(bold=True), ""), make)
    assert lines(console, first, 80) == lines(console, table(), 80)
    again = kept.get((Style(bold=True), ""), make)  # equal styles, made afresh by the caller
    assert again is first and len(made) == 1
    lines(console, again, 80)
    assert made[0].renders == 1
    restyled = kept.get((Style(bold=True), Style(reverse=True)), make)  # e.g. a selection through it
    assert restyled is not first and len(made) == 2
    lines(console, restyled, 80)
    assert made[1].renders == 1


async def test_an_opening_overview_makes_its_sections_lines_in_its_compose_not_in_the_first_layout(
    make_app, monkeypatch
):
    """The sections' lines are made in the pane's own turn (its compose), at the width the first layout then asks
    for: at 80 and 140 columns no section is rendered again afterwards, and none first in the screen's layout
    (where they were ~30% of an open's longest turn)."""
    from workbench.ui.panes.overview import FIRST_LAYOUT_MARGIN, OverviewPane

    from .conftest import CLAUDE, open_incident
    from .waiting import until

    composing: list[bool] = []
    compose = OverviewPane.compose

    def counted_compose(self):
        composing.append(True)
        try:
            yield from compose(self)
        finally:
            composing.pop()

    calls: dict[int, list[tuple[int, bool]]] = {}
    render = RenderedOnce.__rich_console__

    def counted(self, console, options):
        calls.setdefault(id(self), []).append((options.max_width, bool(composing)))
        return render(self, console, options)

    monkeypatch.setattr(OverviewPane, "compose", counted_compose)
    monkeypatch.setattr(RenderedOnce, "__rich_console__", counted)
    for size in ((80, 24), (140, 40)):
        calls.clear()
        app = make_app()
        async with app.run_test(size=size) as pilot:
            screen = await open_incident(pilot, CLAUDE)
            scroll = screen.query_one("#overview-scroll")
            await until(pilot, lambda: scroll.max_scroll_y > 0, "the overview laid out, longer than the screen")
            await pilot.pause()
            facts = screen.query_one("#overview-facts")
            assert facts.content_region.width == size[0] - FIRST_LAYOUT_MARGIN
            assert len(calls) == 5  # the five sections
            for seen in calls.values():
                assert seen[0] == (size[0] - FIRST_LAYOUT_MARGIN, True), seen  # made first in the compose
                assert {width for width, _ in seen} == {size[0] - FIRST_LAYOUT_MARGIN}, seen  # and at no other width
