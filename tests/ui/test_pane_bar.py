"""The incident screen's pane tabs are one widget (ui/pane_bar.py) that draws what Textual's tabs drew: the same
picture as Textual's own `Tabs` for any shown tab and width (scrolled the same way at 80 columns), a click on a
label shows its pane, and the keys move the bar with the pane."""

from __future__ import annotations

import html
import re

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Tab, Tabs

from workbench.ui.pane_bar import PaneBar
from workbench.ui.panes import pane_classes

from .conftest import CLAUDE, open_incident
from .test_lazy_panes import showing
from .waiting import until

LABELS = [(f"tab-{p.pane_id}", f"{p.key} {p.title}") for p in pane_classes()]


class TextualTabs(App[None]):
    AUTO_FOCUS = None  # as on the incident screen: the tabs never had focus

    def __init__(self, active: str) -> None:
        super().__init__()
        self.active = active

    def compose(self) -> ComposeResult:
        yield Tabs(*(Tab(label, id=tab_id) for tab_id, label in LABELS), active=self.active)


class OneBar(App[None]):
    AUTO_FOCUS = None

    def __init__(self, active: str) -> None:
        super().__init__()
        self.active = active

    def compose(self) -> ComposeResult:
        yield PaneBar(LABELS, self.active)


CELL = 12.2  # a cell's width in Rich's SVG export


def picture(app: App[None]) -> dict[tuple[int, int], tuple[str, str, str]]:
    """What the screen shows, cell by cell: (character, its colour, the background), read from the screenshot.
    How the export splits a line into runs (which follows widget boundaries) is not part of the picture."""
    svg = html.unescape(app.export_screenshot(title="tabs"))
    classes = dict(re.findall(r"\.(terminal-\d+-r\d+) \{([^}]*)\}", svg))
    cells: dict[tuple[int, int], tuple[str, str, str]] = {}
    backgrounds: dict[tuple[int, int], str] = {}
    rect_rows = sorted({float(y) for y in re.findall(r'<rect fill="[^"]*" x="[\d.]+" y="([\d.]+)"', svg)})
    for fill, x, y, width in re.findall(r'<rect fill="([^"]*)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg):
        first = round(float(x) / CELL)
        for col in range(first, first + round(float(width) / CELL)):
            backgrounds[(rect_rows.index(float(y)), col)] = fill
    text_rows = sorted({float(y) for y in re.findall(r'<text class="[^"]*" x="[\d.]+" y="([\d.]+)"', svg)})
    for cls, x, y, text in re.findall(r'<text class="([^"]*)" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        row, first = text_rows.index(float(y)), round(float(x) / CELL)
        for n, char in enumerate(text):
            cells[(row, first + n)] = (char, classes.get(cls, ""), backgrounds.get((row, first + n), ""))
    for key, fill in backgrounds.items():
        cells.setdefault(key, (" ", "", fill))
    return {key: value for key, value in cells.items() if value[0].strip()} | {
        key: (" ", "", value[2]) for key, value in cells.items() if not value[0].strip()
    }


@pytest.mark.parametrize("focused", [False, True])
@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("shown", [0, 3, 6, 10])
async def test_the_bar_draws_the_same_picture_as_textuals_tabs(width, shown, focused):
    active = LABELS[shown][0]
    pictures: list[dict[tuple[int, int], tuple[str, str, str]]] = []
    for app in (TextualTabs(active), OneBar(active)):
        app.animation_level = "none"
        async with app.run_test(size=(width, 4)) as pilot:
            await pilot.pause()
            if focused:
                app.query_one(Tabs if isinstance(app, TextualTabs) else PaneBar).focus()
            await pilot.pause()
            await pilot.pause()
            pictures.append(picture(app))
    assert pictures[0] == pictures[1]


async def test_moving_from_tab_to_tab_scrolls_as_textuals_tabs_do():
    """The scroll depends on where it was (Textual rounds the centring from the position it had)."""
    order = [10, 2, 7, 0, 9, 5]
    pictures: list[list[dict[tuple[int, int], tuple[str, str, str]]]] = []
    for app_class in (TextualTabs, OneBar):
        app = app_class(LABELS[0][0])
        app.animation_level = "none"
        seen = []
        async with app.run_test(size=(80, 4)) as pilot:
            await pilot.pause()
            for index in order:
                target = LABELS[index][0]
                if isinstance(app, TextualTabs):
                    app.query_one(Tabs).active = target
                else:
                    app.query_one(PaneBar).active = target
                await pilot.pause()
                await pilot.pause()
                seen.append(picture(app))
        pictures.append(seen)
    assert pictures[0] == pictures[1]


async def test_the_incident_screen_has_no_tab_widgets_and_a_click_shows_the_pane(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: showing(screen, "overview"), "the overview pane")
        assert not screen.query("Tabs") and not screen.query("Tab")
        bar = screen.query_one(PaneBar)
        # "1 Overview" takes cells 0-11 with its padding, "2 Timeline" 12-23, "3 Causes" 24-33.
        await pilot.click(PaneBar, offset=(27, 0))
        await until(pilot, lambda: showing(screen, "causes"), "the causes pane after a click on its label")
        assert bar.active == "tab-causes"
        assert screen.focused is not bar  # the click focused the pane, not the bar
        await pilot.press("2")  # a digit from the Causes tree (not a text field)
        await until(pilot, lambda: showing(screen, "timeline"), "the timeline pane by its key")
        assert bar.active == "tab-timeline"
        assert "2 Timeline" in bar.render_line(0).text


async def test_escape_from_the_narrative_editor_leaves_it_then_left_and_right_step_between_panes(make_app):
    """The editor's escape moves focus on (Textual's TextArea): to the bar, as it went to Textual's tabs; a second
    escape closes the incident (test_narrative_history); from the bar, left and right show the pane beside."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        await until(pilot, lambda: showing(screen, "narrative"), "the narrative pane")
        bar = screen.query_one(PaneBar)
        await pilot.press("escape")
        await until(pilot, lambda: screen.focused is bar, "the focus on the pane bar")
        await pilot.press("right")
        await until(pilot, lambda: showing(screen, "history"), "the pane after the narrative")
        # The pane shown takes the focus (as after Textual's tabs): a second step starts from the bar again.
        bar.focus()
        await pilot.press("left")
        await until(pilot, lambda: showing(screen, "narrative"), "the pane before the history")
        await pilot.press("escape")
        await until(pilot, lambda: screen.focused is bar, "the focus on the pane bar again")
        await pilot.press("left")
        await until(pilot, lambda: showing(screen, "taxonomy"), "the pane before the narrative")


async def test_at_80_columns_the_shown_label_is_scrolled_into_view(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: showing(screen, "overview"), "the overview pane")
        bar = screen.query_one(PaneBar)
        last = screen.panes[-1]
        assert last.title not in bar.render_line(0).text  # off to the right at first
        await pilot.press(f"alt+{last.key}" if last.key.isdigit() else last.key)
        await until(pilot, lambda: showing(screen, last.pane_id), f"the {last.title} pane")
        assert last.title in bar.render_line(0).text


def test_the_help_lists_the_bars_keys_with_the_incident_screens():
    from workbench.ui.help_registry import help_sections

    sections = dict(help_sections(pane_classes()))
    ids = {binding.id for binding in sections["Incident screen"]}
    assert {"pane_bar.previous", "pane_bar.next"} <= ids
