"""A form's first frame holds only what it needs: no CSS parsed at its open, no widget for an absent error."""

from __future__ import annotations

import inspect

from rich.text import Text
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from workbench.ui.forms import FormBody, FormModal

from .conftest import CLAUDE, open_incident, settle
from .test_keys_not_lost import send_fast
from .waiting import until


def styles_warm(app) -> bool:
    return app.stylesheet.has_source(inspect.getfile(FormBody), "FormBody.DEFAULT_CSS")


def shown(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


async def test_the_first_form_opened_adds_no_css_and_keys_typed_at_once_land(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "timeline")
        await until(pilot, lambda: styles_warm(app), "the forms' CSS added while the screen is idle")
        await settle(pilot)
        sources = set(app.stylesheet.source)
        assert not any(isinstance(s, FormModal) for s in app.screen_stack)  # no form was ever pushed
        send_fast(app, ["a", "Z", "q", "7"])
        form = await until_form(pilot)
        await until(pilot, lambda: form.query_one("#field-time", Input).value == "Zq7", "Zq7 in the time field")
        # Every CSS source the form needs (its own, ModalScreen's, Select's parts, Button) was there before it:
        # with more than 64 sources each new one made Textual re-parse every source (~30 ms each).
        assert set(app.stylesheet.source) == sources
        # The warm-up's hidden widgets are gone again.
        assert not app.screen_stack[-2].query(FormBody)


async def until_form(pilot) -> FormModal:
    await until(pilot, lambda: isinstance(pilot.app.screen, FormModal), "the form")
    form = pilot.app.screen
    assert isinstance(form, FormModal)
    return form


async def timeline_form_typed_into(pilot, text: str) -> FormModal:
    """The Timeline pane's add form, opened by `a` with `text` typed at once after it (the first field's keys)."""
    from .test_keys_not_lost import chars

    await open_incident(pilot, CLAUDE, "timeline")
    await settle(pilot)
    send_fast(pilot.app, ["a", *chars(text)])
    return await until_form(pilot)


async def test_error_lines_are_made_when_a_field_has_an_error_and_hidden_once_fixed(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "timeline")
        await settle(pilot)
        before = len(screen.session.incident.timeline)
        await pilot.press("a")
        form = await until_form(pilot)
        assert not form.query(".field-error")  # no error yet: no line for one
        # A yes/no field is its checkbox alone: its label is not shown twice.
        labels = [shown(label) for label in form.query(Label).results(Label)]
        for box in form.query(Checkbox).results(Checkbox):
            assert str(box.label) not in labels
        form.query_one("#field-time", Input).value = "not a time"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query("#error-time"), "the time's error line")
        error = form.query_one("#error-time", Static)
        assert "not an ISO 8601 time" in shown(error)
        # Under the field's own lines: after the "stored as" preview, before the next field's label.
        children = list(form.query_one(FormBody).children)
        assert children.index(error) == children.index(form.query_one("#preview-time")) + 1
        assert app.screen is form
        form.query_one("#field-time", Input).value = "2025-08-30T09:15Z"
        form.query_one("#field-event", TextArea).load_text("")
        await pilot.press("ctrl+s")  # the time is fixed, the event is now empty: one line hides, one shows
        await until(pilot, lambda: form.query("#error-event"), "the event's error line")
        assert not error.display and shown(error) == ""
        assert "empty" in shown(form.query_one("#error-event", Static))
        form.query_one("#field-event", TextArea).load_text("Paging fired late")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form to close")
        await settle(pilot)
        assert len(screen.session.incident.timeline) == before + 1
        assert screen.session.saved.incident == screen.session.incident  # committed, nothing lost


async def test_the_time_preview_is_updated_only_when_what_it_says_changes(make_app, monkeypatch):
    """A form's Input posts Changed for the value it opens with, and each update of the preview line laid the whole
    form out again after its first frame. Each update now changes what the line says."""

    updates: list[object] = []
    update = Static.update

    def counted(self, *args, **kwargs):
        if self.id == "preview-time":
            updates.append(args[0] if args else kwargs.get("content"))
        return update(self, *args, **kwargs)

    monkeypatch.setattr(Static, "update", counted)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        form = await timeline_form_typed_into(pilot, "2025-08-30T09:15Z")
        preview = form.query_one("#preview-time", Static)
        await until(pilot, lambda: shown(preview) == "stored as 2025-08-30 09:15:00 UTC", "the time's preview")
        assert form.query_one("#field-time", Input).value == "2025-08-30T09:15Z"
        assert updates[-1] == "stored as 2025-08-30 09:15:00 UTC"
        assert all(before != after for before, after in zip(updates, updates[1:])), updates  # each one a change


async def test_the_forms_own_line_is_made_when_it_first_has_something_to_say(make_app):
    """The line under the fields for the form as a whole (the escape question, an error of no one field) is mounted
    the first time it has something to say, where it stood before (before the buttons): every form opens with a
    widget less to compose and style, hidden until then anyway."""

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        form = await timeline_form_typed_into(pilot, "Zq7")
        await until(pilot, lambda: form.query_one("#field-time", Input).value == "Zq7", "Zq7 in the time field")
        assert not form.query("#form-error")  # nothing to say yet: no line for it
        await pilot.press("escape")  # a changed form asks once more
        await until(pilot, lambda: form.query("#form-error"), "the escape question")
        line = form.query_one("#form-error", Static)
        assert app.screen is form and "esc again discards" in shown(line) and line.display
        children = list(form.query_one(FormBody).children)
        assert children.index(line) == children.index(form.query_one(".form-buttons")) - 1
        await pilot.press("8")  # typing on: the question is withdrawn, the line hidden, not removed
        await until(pilot, lambda: not line.display, "the question withdrawn")
        await pilot.press("escape")
        await until(pilot, lambda: line.display, "the question again")
        assert len(form.query("#form-error")) == 1 and "esc again discards" in shown(line)
