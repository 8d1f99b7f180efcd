"""Keys typed faster than screens open are delivered to them, in order: nothing typed is lost."""

from __future__ import annotations

import asyncio
import unicodedata

from textual import events
from textual.widgets import Input, Select, TextArea

from workbench.ui.forms import FormModal

from .conftest import CLAUDE, open_incident, settle
from .waiting import until


def send_fast(app, keys: list[str | tuple[str, str]]) -> None:
    """Queue key events all at once, as a terminal delivers a burst: no waiting for the app between keys
    (Pilot.press waits for idle after every key, which hides exactly this problem). A key is a name, or a
    (name, character) pair for printable keys whose name is not the character ("minus", "-")."""
    for key in keys:
        key, char = key if isinstance(key, tuple) else (key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        # A terminal driver hands keys to the app's queue exactly so (Driver.send_message posts to the app).
        app.post_message(event)


def chars(text: str) -> list[tuple[str, str]]:
    """The key events a terminal sends for `text`: (key name, character)."""
    names = {" ": "space", "-": "minus", "#": "number_sign", ":": "colon"}
    return [(c if c.isalnum() else names.get(c) or unicodedata.name(c).lower().replace(" ", "_"), c) for c in text]


async def test_keys_typed_while_a_form_opens_land_in_its_first_field(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        send_fast(app, ["a", "Z", "q"])
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the form")
        form = app.screen
        await until(pilot, lambda: form.query_one("#field-time", Input).value == "Zq", "Zq in the field")
        await pilot.pause()  # every queued key handled: none lands late
        assert form.query_one("#field-time", Input).value == "Zq"  # typing replaces the selected time
        assert not form.query_one("#field-event", TextArea).text  # nothing strayed into other fields


async def test_fast_tabbing_keeps_each_fields_text_in_its_field(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        time_text = "2025-08-30T09:15Z"
        # a, the time typed over a cleared field, tab, the kind chosen in its dropdown, tab, the event, tab,
        # the source: all in one burst.
        burst = [
            "a",
            "ctrl+u",
            *chars(time_text),
            "tab",
            "enter",
            "down",
            "enter",
            "tab",
            *chars("Paging fired late"),
            "tab",
            *chars("pager#7"),
        ]
        send_fast(app, burst)
        await until(pilot, lambda: isinstance(app.screen, FormModal), "the form")
        form = app.screen
        await until(pilot, lambda: form.query_one("#field-source", Input).value == "pager#7", "the last field")
        assert form.query_one("#field-time", Input).value == time_text
        assert form.query_one("#field-kind", Select).value == "trigger"
        assert form.query_one("#field-event", TextArea).text == "Paging fired late"
        assert form.query_one("#field-source", Input).value == "pager#7"


async def test_digits_type_into_the_narrative_and_alt_digits_or_ctrl_page_keys_switch_panes(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.focus()
        await pilot.pause()
        before = editor.text
        send_fast(app, ["ctrl+home", *chars("7 of 9 replicas ")])
        await until(pilot, lambda: editor.text.startswith("7 of 9 replicas "), "the digits typed")
        assert editor.text == "7 of 9 replicas " + before
        assert screen.active_pane_id() == "narrative"
        seventh = screen.panes[[p.key for p in screen.panes].index("7")].pane_id
        await pilot.press("alt+7")
        await until(pilot, lambda: screen.active_pane_id() == seventh, "alt+7 to show pane 7")
        assert editor.text == "7 of 9 replicas " + before  # alt+7 typed nothing
        await pilot.press("ctrl+pageup")
        await until(pilot, lambda: screen.active_pane_id() == "narrative", "ctrl+pageup to go back")
        await pilot.press("ctrl+pagedown")
        await until(pilot, lambda: screen.active_pane_id() == seventh, "ctrl+pagedown to go forward")


async def test_a_fast_burst_into_a_50_kb_narrative_lands_whole_and_the_preview_follows(make_app, ui_store):
    long_text = "# Summary\n\n" + "".join(
        f"Paragraph {n}: the serving fleet drifted from its baseline. " * 4 + "\n\n" for n in range(220)
    )
    assert len(long_text) > 50_000
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        pane = screen.pane("narrative")
        pane.adopt(long_text)
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.focus()
        await pilot.pause()
        typed = "Quarantined the bad replica set at 09:40 and paged the model owner. " * 2
        send_fast(app, ["ctrl+home", *chars(typed)])
        await until(pilot, lambda: editor.text.startswith(typed), "every typed character")
        assert editor.text == typed + long_text
        assert pane.dirty
        from workbench.ui.windowed_markdown import WindowedMarkdown

        preview = screen.query_one("#narrative-preview", WindowedMarkdown)
        await until(pilot, lambda: preview.shown_source == editor.text, "the preview")
        top = preview.pieces[0].markdown  # the top of the narrative, in view, built with what was typed
        assert top is not None and "Quarantined" in " ".join(str(b.render()) for b in top.query("MarkdownParagraph"))


async def test_the_event_loop_runs_while_a_burst_goes_into_a_50_kb_narrative(make_app, ui_store):
    """The burst is taken in slices (ui/pacing.py): between its keys the loop runs other work (a frame, a timer),
    and what is seen then is a part of what was typed, in order. It was one turn: nothing ran until every key was in."""
    long_text = "# Summary\n\n" + "".join(
        f"Paragraph {n}: the serving fleet drifted from its baseline. " * 4 + "\n\n" for n in range(220)
    )
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "narrative")
        screen.pane("narrative").adopt(long_text)
        editor = screen.query_one("#narrative-editor", TextArea)
        editor.focus()
        await pilot.pause()
        typed = "Quarantined the bad replica set and paged the model owner. " * 5
        seen: list[str] = []
        loop = asyncio.get_running_loop()

        def look() -> None:  # queued again each turn: what the loop sees between slices
            text = editor.text
            seen.append(text[: len(text) - len(long_text)])
            if not text.startswith(typed):
                loop.call_soon(look)

        send_fast(app, ["ctrl+home", *chars(typed)])
        loop.call_soon(look)
        await until(pilot, lambda: editor.text.startswith(typed), "every typed character")
        assert editor.text == typed + long_text
        partial = {s for s in seen if 0 < len(s) < len(typed)}
        assert len(partial) >= 2  # the loop ran at least twice while the burst was being typed
        assert all(typed.startswith(s) for s in seen)  # and saw the keys land in order


async def test_slash_then_words_typed_at_once_all_land_in_the_list_filter(make_app):
    """`/` then "reward" in one burst: the filter gets "reward" (the r used to reach the list as Reload,
    because focus moved only after the next refresh)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#incidents")
        await until(pilot, lambda: table.row_count == 3, "the list")
        reloads: list[int] = []
        real_reload = app.screen.action_reload
        app.screen.action_reload = lambda: (reloads.append(1), real_reload())  # type: ignore[method-assign]
        send_fast(app, [("slash", "/"), *chars("rsqt kubernetes")])
        box = app.screen.query_one("#filter", Input)
        await until(pilot, lambda: box.value == "rsqt kubernetes", "the words in the filter")
        assert not reloads
