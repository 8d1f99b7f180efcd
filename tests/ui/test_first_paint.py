"""First paint: a pane's frame is drawn before its heavy content, keys typed meanwhile land, and the objects of an
incident screen stay out of the garbage collector's full walks while it is open and are freed when it closes."""

from __future__ import annotations

import gc
import threading
import weakref

from textual.widgets import TextArea

from workbench.ui.forms import FormModal
from workbench.ui.panes.narrative import PREVIEW_PENDING

from workbench.ui.screens.incident import IncidentScreen
from workbench.ui.windowed_markdown import WindowedMarkdown

from holders import holders

from .conftest import CLAUDE, OPENAI, open_incident, settle
from .test_keys_not_lost import chars, send_fast
from .waiting import until


async def test_the_narrative_preview_renders_after_the_pane_is_first_drawn_and_typing_meanwhile_lands(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        await settle(pilot)
        pane = next(p for p in screen.panes if p.pane_id == "narrative")
        # Never visited: the pane is not even mounted (main's lazy panes), so no preview block was built.
        assert not pane.is_mounted and pane.preview_text is None
        before = screen.session.narrative
        # The switch and a burst of typing at once, as a terminal delivers them.
        send_fast(app, [("alt+6", None), "ctrl+home", *chars("Typed at once ")])
        await until(pilot, lambda: pane.is_mounted, "the Narrative pane mounted")
        editor = screen.query_one("#narrative-editor", TextArea)
        await until(pilot, lambda: editor.text.startswith("Typed at once "), "every typed character")
        assert editor.text == "Typed at once " + before
        # Then the preview follows the editor: the narrative as typed, not the placeholder.
        await until(pilot, lambda: pane.preview_text == editor.text, "the preview rendered")
        preview = screen.query_one("#narrative-preview", WindowedMarkdown)
        assert preview.shown_source == editor.text
        built = " ".join(str(b.render()) for b in preview.query("MarkdownParagraph"))
        assert "Typed at once" in built  # the text on screen is the one typed, not the placeholder
        assert PREVIEW_PENDING.strip("*") not in built


async def _open_visit_and_close(pilot, app) -> weakref.ref[IncidentScreen]:
    """Open an incident, check it is out of automatic full collections but not frozen (and a visited pane), close
    it; a weak reference to its screen."""
    from workbench.ui import heap

    screen = await open_incident(pilot, CLAUDE, "timeline")
    await settle(pilot)
    await until(pilot, lambda: gc.isenabled(), "the collector back on once the screen is built")
    # Not frozen (gc.get_objects() lists what collections walk): its own collection need not thaw the app's
    # objects (ui/heap.py); no automatic full collection walks it while it is open.
    walked = {id(o) for o in gc.get_objects()}
    assert id(screen) in walked and all(id(p) in walked for p in screen.panes)
    assert gc.get_threshold()[2] == heap.FULL_OFF
    await pilot.press("alt+0")
    await until(pilot, lambda: screen.active_pane_id() == "evidence", "the Evidence pane")
    await settle(pilot)
    assert gc.get_threshold()[2] == heap.FULL_OFF
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, IncidentScreen), "back at the list")
    return weakref.ref(screen)


async def test_an_open_incident_screen_is_kept_out_of_full_collections_and_freed_when_it_closes(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        gone = await _open_visit_and_close(pilot, app)
        # Closed: collected once, so it does not stay in memory. Textual
        # keeps a reference to the screen closed last, so another is opened and closed first.
        await open_incident(pilot, OPENAI, "overview")
        await settle(pilot)
        await pilot.press("escape")
        try:
            await until(pilot, lambda: gone() is None, "the closed incident screen freed", timeout=20)
        except AssertionError:
            gc.unfreeze()  # what holds it may be frozen, out of get_referrers' sight
            gc.collect()
            raise AssertionError("the closed incident screen is held:\n" + holders(gone())) from None
    assert gc.get_freeze_count() == 0  # the app let go of everything it froze when it ended


async def test_a_form_has_its_size_classes_before_it_is_styled(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        pushed: list[FormModal] = []
        real_push = app.push_screen

        def spy(form, *args, **kwargs):
            result = real_push(form, *args, **kwargs)
            if isinstance(form, FormModal):
                pushed.append(form)
                # Set at the push, before the form is composed or styled (its first resize finds them there).
                assert not form.is_mounted
                assert form.has_class("-narrow") and form.has_class("-short")
                assert not form.has_class("-wide") and not form.has_class("-tall")
            return result

        app.push_screen = spy  # type: ignore[method-assign]
        screen.pane("timeline").action_add()  # type: ignore[attr-defined]
        await until(pilot, lambda: isinstance(app.screen, FormModal) and app.screen.focused is not None, "the form")
        assert pushed and app.screen is pushed[0]
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")


async def test_a_closed_screen_a_worker_thread_still_holds_is_freed_once_the_thread_ends(make_app, monkeypatch):
    """A pane's worker thread runs on after its screen closed (cancelling a thread worker does not stop the
    thread): the release 0.5 s after the close finds the screen alive. Frozen then, it stayed in memory once the
    thread let go (the full suite's in-suite failure, with a review's checks running long at load 15)."""
    from workbench.ui import heap

    releases: list[bool] = []
    real_released = heap.released

    def spy(screen=None, thorough=False):
        result = real_released(screen, thorough)
        releases.append(result)
        return result

    monkeypatch.setattr(heap, "released", spy)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        pane = screen.pane("review")
        go_on = threading.Event()
        pane.run_worker(lambda held=pane: go_on.wait(60) and held, thread=True, group="test-hold")
        gone = weakref.ref(screen)
        del screen, pane
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, IncidentScreen), "back at the list")
        # Textual keeps a reference to the screen closed last: another is opened and closed.
        await open_incident(pilot, OPENAI, "overview")
        await settle(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: releases.count(False) >= 2, "releases that found the screen still held")
        assert gone() is not None
        go_on.set()  # the thread ends and lets go
        try:
            await until(pilot, lambda: gone() is None, "the closed incident screen freed", timeout=20)
        except AssertionError:
            gc.unfreeze()
            gc.collect()
            raise AssertionError("the closed incident screen is held:\n" + holders(gone())) from None
        await until(pilot, lambda: releases[-1] is True, "what is left frozen again")
        assert gc.get_freeze_count() > 0
