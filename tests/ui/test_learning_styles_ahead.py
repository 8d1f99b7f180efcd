"""The Learning screen's CSS and its widgets' are in the stylesheet before the first `L` once the app has warmed
the incident screen's (screens/learning_styles.py): the screen and its sections then add no CSS source, so
Textual parses nothing as they open (past 64 sources it parses every source again for each new one), and what the
screen shows is the same as when it brought its CSS itself."""

from __future__ import annotations

from learning_store import learning_copy, learning_root  # noqa: F401

from workbench.ui.app import warm_styles_ahead
from workbench.ui.screens.incident_list import IncidentListScreen
from workbench.ui.styles_ahead import css_sources, warmed

from .test_styled_once import no_warm_ups, same_sources, sources
from .test_taxonomy_learning_pane import app_on
from .waiting import until


async def test_the_learning_screen_after_the_warm_up_adds_no_css_and_looks_the_same(learning_copy, monkeypatch):  # noqa: F811
    from workbench.ui.screens.learning import LearningScreen

    no_warm_ups(monkeypatch)
    seen = []
    for warm in (False, True):
        app = app_on(learning_copy)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, IncidentListScreen), "the list")
            listed = app.screen
            if warm:
                warm_styles_ahead(app)
                await until(pilot, lambda: warmed(listed) and not listed.query("#styles-ahead-warmup"), "the warm-up")
            await pilot.pause()
            before = css_sources(app)
            await pilot.press("L")
            await until(pilot, lambda: isinstance(app.screen, LearningScreen), "the Learning screen")
            screen = app.screen
            await until(pilot, lambda: screen.figures_drawn, "the figures drawn")
            await pilot.pause()
            seen.append((css_sources(app) - before, sources(app), app.export_screenshot()))
    (cold_added, cold_sources, cold_picture), (warm_added, warm_sources, warm_picture) = seen
    assert cold_added >= 3  # the screen's own, Sparkline's and Label's at least, each a parse of every source
    assert warm_added == 0
    # Each source the screen needed is there as Textual made it in the cold app (a tie-breaker may be lower: the
    # warm-up holds every later screen's chain of bases too, test_styled_once.same_sources).
    assert same_sources(cold_sources, warm_sources)
    assert warm_picture == cold_picture
