"""One modal form for every entry: fields described as data, validated by the domain model.

A form never loses what was typed: an invalid value is refused with a message under its field,
and the form stays open with everything as the user left it. A form given a `FormJournal` also
journals what is typed (see form_journal.py), so a crash loses nothing; escape on a changed form
asks once more before the typing is thrown away.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Literal, cast

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.timer import Timer
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from .form_journal import FormJournal
from .readonly import refuse_edit
from .redraw import update_static
from .help_registry import help_section
from .resize_once import skip_same_size
from .styles_ahead import css_sources, mount_then_remove, styled_once

if TYPE_CHECKING:
    from pydantic import ValidationError

JOURNAL_DELAY = 0.5  # seconds after the last change, as for the narrative

Kind = Literal["text", "multiline", "select", "bool", "time", "date", "list", "int", "float"]


@dataclass
class FormField:
    name: str
    label: str
    kind: Kind = "text"
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, value) for selects
    help: str = ""
    placeholder: str = ""
    allow_blank: bool = True


class FormError(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def parse_time(text: str) -> datetime | None:
    """ISO 8601 with an offset or Z -> UTC. Blank -> None. Anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("z", "Z").replace(" ", "T", 1))
    except ValueError:
        raise ValueError("not an ISO 8601 time, e.g. 2025-08-05T16:00Z or 2025-08-05T09:00-07:00") from None
    if value.tzinfo is None:
        raise ValueError("add 'Z' for UTC or an offset such as +02:00: a time without one is ambiguous")
    return value.astimezone(timezone.utc)


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date, e.g. 2025-10-01") from None


def format_value(kind: Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind == "time" and isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if kind == "list" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind in ("int", "float"):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(value)


class FormBody(VerticalScroll):
    """The form's scrolling body, which also carries every form's CSS (unscoped: it names FormModal).

    Why here and not on the screen: Textual adds a class's CSS to the stylesheet when the first widget of
    that class is mounted, and then parses the stylesheet again; once an app holds more than 64 CSS sources
    (the incident screen brings it there), every such parse re-parses all of them (its parse cache holds 64):
    ~30 ms each, and a first form open did three (the screen, Select's parts, Button). `warm_form_styles`
    mounts one of each of a form's widgets while the app is idle, so a form's open parses nothing."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > VerticalScroll {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    /* The title is docked: it stays in view while the fields scroll (80x24 shows a few fields at a time, and
       the first field's focus must not scroll the title away). The buttons stay in the flow: docked, they
       would come first in the focus chain and tab would leave the last field for them. */
    FormModal .form-title { dock: top; width: 1fr; background: $surface; text-style: bold; color: $primary;
                            padding: 1 0 0 0; }
    FormModal.-short > VerticalScroll { max-height: 100%; }
    FormModal.-short .form-title { padding: 0; }
    FormModal.-short .form-buttons { padding: 0; }
    FormModal .field-label { padding: 1 0 0 0; color: $text-muted; }
    FormModal .field-help { color: $text-muted; text-style: italic; }
    FormModal .field-error { color: $error; text-style: bold; }
    /* A yes/no field is its checkbox alone (its label is the checkbox's): the blank line a label gives. */
    FormModal .field-bool { margin-top: 1; }
    FormModal .field-preview { color: $success; }
    FormModal TextArea { height: 6; }
    FormModal .form-buttons { height: auto; padding: 1 0; align-horizontal: right; }
    FormModal .form-buttons Button { margin-left: 1; }
    /* Docked under the fields, so the escape question and an error are in view however far the fields are
       scrolled (at 80x24 the New incident form's last lines were below the edge: esc seemed to do nothing). */
    FormModal #form-error { dock: bottom; height: auto; background: $surface; color: $error; display: none; }
    FormModal #form-error.shown { display: block; }
    FormModal #form-error.note { color: $warning; }
    """


WARMUP_ID = "form-styles-warmup"


def _forms_css_added(app: App[Any]) -> bool:
    return app.stylesheet.has_source(inspect.getfile(FormBody), "FormBody.DEFAULT_CSS")


def form_styles_warmed(parent: Widget) -> bool:
    """Whether the forms' CSS is in the stylesheet and the hidden widgets that brought it are gone again."""
    return _forms_css_added(parent.app) and not parent.query(f"#{WARMUP_ID}")


def form_warmup_box(app: App[Any]) -> Vertical:
    """One of every widget a form is made of, in a box to mount hidden (and remove once mounted): their CSS is
    then in the stylesheet, and ModalScreen's is added now. The app's warm-up while the list is read mounts it
    with the incident screen's (app.warm_styles_ahead): one parse for both."""
    _add_modal_css(app)
    return Vertical(
        FormBody(),
        Label(""),
        Input(),
        Select([("", "")]),
        TextArea(),
        Checkbox(),
        Horizontal(Button("")),
    )


def warm_form_styles(parent: Widget) -> None:
    """Have the CSS of every widget a form is made of in the stylesheet before the first form opens: mount
    one of each, hidden, into `parent` and remove them once mounted. Once per app (the stylesheet keeps it):
    nothing when the list's warm-up brought them already."""
    app = parent.app
    if not parent.is_attached or _forms_css_added(app):
        return
    box = form_warmup_box(app)
    box.id = WARMUP_ID
    box.display = False

    async def warm() -> None:
        await mount_then_remove(parent, box)

    parent.call_later(warm)


def _add_modal_css(app: App[Any]) -> None:
    """ModalScreen's own CSS, which Textual adds when the first modal is pushed: added now, as Textual adds a
    screen's base class (where it stands in FormModal's chain of bases is its tie-breaker), so that first push
    finds the same source already there and parses nothing."""
    chain: list[type] = [FormModal]
    while chain[-1] is not ModalScreen:
        chain.append(next(b for b in chain[-1].__bases__ if issubclass(b, ModalScreen)))
    read_from = (inspect.getfile(ModalScreen), "ModalScreen.DEFAULT_CSS")
    css = ModalScreen.__dict__.get("DEFAULT_CSS", "")
    if css and not app.stylesheet.has_source(*read_from):
        scope = ModalScreen.__name__ if ModalScreen.__dict__.get("SCOPED_CSS", True) else ""
        app.stylesheet.add_source(
            css, read_from=read_from, is_default_css=True, tie_breaker=-(len(chain) - 1), scope=scope
        )


@help_section("Forms", order=80)
class FormModal(ModalScreen[Any]):
    """Edit `values` through `fields`; `build(values)` turns them into the result or raises.

    `build` may raise `FormError` (field -> message) or pydantic's `ValidationError`, whose
    locations are mapped to fields.
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self, title: str, fields: list[FormField], values: dict[str, Any], build: Callable[[dict[str, Any]], Any]
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.values = values
        self.build = build
        # Set by Pane.open_form: where typing is journaled, and values to show instead of `values`.
        self.journal: FormJournal | None = None
        self.prefill: dict[str, Any] | None = None
        self._opened_with: dict[str, Any] | None = None
        self._journal_timer: Timer | None = None
        self._journal_seq = 0
        self._discard_armed = False
        self._resumed = False  # shown once already (its first ScreenResume has run)
        self._css_sources = css_sources(self.app)  # CSS sources when made: none new by the first resume? (styled_once)
        if fields:  # the first field has focus from the start, so keys typed while the form opens land in it
            # A per-form value: Textual reads AUTO_FOCUS through the instance, so setting it here works.
            self.AUTO_FOCUS = f"#field-{fields[0].name}"  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        # As few widgets as the fields need (each costs its compose and styles in the first frame, and one shown
        # its layout and paint too): a field's error line is mounted when it has an error (`_show_errors`),
        # the form's own line when it first has something to say (`_form_line`), and a yes/no field is its
        # checkbox alone, whose label says it.
        with FormBody():
            # User and domain text is never markup: "[DATA GAP]" must show as written.
            save, cancel = self._keys()
            yield Static(self._title_line(save, cancel), classes="form-title")
            for f in self.fields:
                if f.kind != "bool":
                    yield Label(f.label, classes="field-label", markup=False)
                yield self._widget(f)
                if f.help:
                    yield Static(f.help, id=f"help-{f.name}", classes="field-help", markup=False)
                if f.kind == "time":
                    yield Static("", id=f"preview-{f.name}", classes="field-preview")
            with Horizontal(classes="form-buttons"):
                yield Button(f"Cancel ({cancel})", id="cancel")
                yield Button(f"Save ({save})", id="save", variant="primary")

    def _keys(self) -> tuple[str, str]:
        """How the save and cancel keys are shown, as the user's keymap.toml binds them."""
        keymap: dict[str, str] = getattr(getattr(self.app, "config", None), "keymap", None) or {}
        shown = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            key = keymap.get(binding.id or "", binding.key).split(",")[0].strip()
            shown.append(self.app.get_key_display(Binding(key, binding.action)))
        save, cancel = shown
        return save, cancel

    def _title_line(self, save: str, cancel: str) -> Table:
        """The title with the form's two keys beside it: at 80x24 the buttons are below the fields, out of
        view, and a first-time user saw no way to save or leave. Text, not markup: "[DATA GAP]" shows as written."""
        grid = Table.grid(expand=True, padding=(0, 0, 0, 2))
        grid.add_column(ratio=1)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(Text(self.form_title), Text(f"{save} save · {cancel} cancel", style="not bold dim"))
        return grid

    def _widget(self, f: FormField):
        value = self.values.get(f.name)
        wid = f"field-{f.name}"
        if f.kind == "select":
            return Select(
                f.options, value=value if value is not None else Select.NULL, allow_blank=f.allow_blank, id=wid
            )
        if f.kind == "bool":
            return Checkbox(Text(f.label), value=bool(value), id=wid, classes="field-bool")
        if f.kind == "multiline":
            return TextArea(str(value or ""), id=wid, soft_wrap=True, show_line_numbers=False)
        return Input(format_value(f.kind, value), placeholder=f.placeholder, id=wid)

    def on_mount(self) -> None:
        if refuse_edit(self):
            self._stop_journal()
            if self.journal is not None:
                self.journal.discard()
            self.dismiss(None)
            return
        self._opened_with = self.raw_values()
        if self.prefill:
            self.fill(self.prefill)
            self._note("Restored what was typed before and never saved: check it, then ctrl+s saves it.")
        for f in self.fields:
            if f.kind == "time":
                self._preview(f.name)
        self._scrollbar_ahead()
        if self.fields:
            self.query_one(f"#field-{self.fields[0].name}").focus(scroll_visible=False)
            # From the top: the first field's label stays in view under the docked title at 80x24.
            self.call_after_refresh(self.query_one(VerticalScroll).scroll_home, animate=False)

    def _scrollbar_ahead(self) -> None:
        """Whether the body scrolls, decided before its first layout. Textual decides it in that layout, after
        arranging the fields without a scrollbar: when one was needed, every field was narrowed and the form (with
        the dimmed screen beneath) laid out and painted again, and every widget's new size asked for one layout
        more after the first frame. The fields' height is measured here as the layout measures it, at the width
        they have beside a scrollbar: taller than the room, the scrollbar is needed there; if not, they fit at the
        full width too (text is no taller wider). A wrong guess costs only the old second layout (Textual corrects
        the scrollbar either way); the heights measured are the ones that layout then reuses."""
        body = self.query_one(FormBody)
        styles, size = body.styles, self.app.size
        if styles.width is None or styles.max_height is None or styles.overflow_y != "auto":
            return
        width = int(styles.width.resolve(size, size))
        if styles.max_width is not None:
            width = min(width, int(styles.max_width.resolve(size, size)))
        room = int(styles.max_height.resolve(size, size)) - styles.gutter.height
        beside_bar = width - styles.gutter.width - styles.scrollbar_size_vertical
        if beside_bar <= 0 or room <= 0:
            return
        body.show_vertical_scrollbar = body.get_content_height(size, size, beside_bar) > room

    def on_resize(self, event: events.Resize) -> None:
        # Laid out once as it opens, and the incident screen under it not again (resize_once.py).
        skip_same_size(self, event)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Styled once as it opens when the forms' CSS was there already (warm_form_styles): its widgets were
        # styled as they were mounted (styles_ahead.py).
        styled_once(event, not self._resumed, self._css_sources, css_sources(self.app))
        self._resumed = True

    def fill(self, values: dict[str, Any]) -> None:
        """Put raw values (as `raw_values` returns them) into the fields; unknown names are skipped."""
        for f in self.fields:
            if f.name not in values:
                continue
            value = values[f.name]
            widget = self.query_one(f"#field-{f.name}")
            try:
                if isinstance(widget, Select):
                    widget.value = Select.NULL if value is None else value
                elif isinstance(widget, Checkbox):
                    widget.value = bool(value)
                elif isinstance(widget, TextArea):
                    widget.load_text(str(value or ""))
                else:
                    cast(Input, widget).value = "" if value is None else str(value)
            except Exception:  # an option that no longer exists: the field keeps what the pane gave it
                continue
        self._schedule_journal()

    def _note(self, text: str) -> None:
        """A line that is not an error (the restore, the escape question), in the error line's place."""
        self._form_line(Text(text, style="bold"), note=True)

    def _form_line(self, text: Text | None, note: bool = False) -> None:
        """The line under the fields: an error for the form as a whole, a note, or nothing (hidden). Mounted the
        first time there is something to say (where it stood in the DOM: before the buttons; docked, it shows
        under the fields either way)."""
        line = next(iter(self.query("#form-error").results(Static)), None)
        if line is None:
            if text is None:
                return
            line = Static(text, id="form-error")
            self.query_one(FormBody).mount(line, before=self.query_one(".form-buttons"))
        line.update(text or "")
        line.set_class(text is not None, "shown")
        line.set_class(note, "note")

    @property
    def changed(self) -> bool:
        return self._opened_with is not None and self.raw_values() != self._opened_with

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        spec = next((f for f in self.fields if f.name == name), None)
        if spec and spec.kind == "time":
            self._preview(name)
        self._schedule_journal()

    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _other_changed(self) -> None:
        self._schedule_journal()

    # ---------------------------------------------------------------------------------- journal
    def _schedule_journal(self) -> None:
        if self._discard_armed:
            self._discard_armed = False
            self._form_line(None)
        if self.journal is None or self._opened_with is None:
            return
        if self._journal_timer is not None:
            self._journal_timer.stop()
        self._journal_timer = self.set_timer(JOURNAL_DELAY, self._journal_now)

    def _journal_now(self, final: bool = False) -> None:
        """Hand the current values to a thread (typing never waits for the disk)."""
        self._journal_timer = None
        journal = self.journal
        if journal is None or not self.is_mounted:
            return
        self._journal_seq += 1
        values = self.raw_values() if self.changed else None
        opened = self._opened_with or {}
        changed = [name for name, value in (values or {}).items() if opened.get(name) != value]
        seq = self._journal_seq

        def write() -> None:
            try:
                journal.write(seq, values, final=final, changed=changed)
            except Exception as exc:  # the journal is a safety net: its trouble is reported, never fatal
                self.app.call_from_thread(self.app.notify, f"Could not journal the form: {exc}", severity="warning")

        # An app worker, not the form's: it must finish even when the form has just closed.
        self.app.run_worker(write, thread=True, group="form-journal", exit_on_error=False)

    def flush_journal(self) -> None:
        """Write a pending journal update now, on this thread (the app is quitting: no worker would finish)."""
        if self._journal_timer is None or self.journal is None:
            return
        self._stop_journal()
        self._journal_seq += 1
        values = self.raw_values() if self.changed else None
        opened = self._opened_with or {}
        try:
            self.journal.write(
                self._journal_seq, values, changed=[n for n, v in (values or {}).items() if opened.get(n) != v]
            )
        except Exception as exc:  # said, never fatal: quitting goes on
            self.app.notify(f"Could not journal the form: {exc}", severity="warning")

    def _stop_journal(self) -> None:
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self._journal_timer = None

    def _preview(self, name: str) -> None:
        raw = self.query_one(f"#field-{name}", Input).value
        preview = self.query_one(f"#preview-{name}", Static)
        try:
            value = parse_time(raw)
            shown = f"stored as {value:%Y-%m-%d %H:%M:%S} UTC" if value else ""
        except ValueError:
            shown = ""
        # Only when it changes: a form's Input posts Changed for the value it opens with, and an update laid the
        # whole form out again after its first frame (the line empty before and after, for a new entry).
        update_static(preview, shown)

    def raw_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                out[f.name] = widget.value
            elif isinstance(widget, TextArea):
                out[f.name] = widget.text
            else:
                out[f.name] = cast(Input, widget).value
        return out

    def parsed_values(self) -> dict[str, Any]:
        """Typed values, or FormError naming every field that could not be read."""
        errors: dict[str, str] = {}
        out: dict[str, Any] = {}
        for f in self.fields:
            raw = self.raw_values()[f.name]
            try:
                if f.kind == "time":
                    out[f.name] = parse_time(raw)
                elif f.kind == "date":
                    out[f.name] = parse_date(raw)
                elif f.kind == "list":
                    out[f.name] = [p.strip() for p in raw.split(",") if p.strip()]
                elif f.kind == "int":
                    out[f.name] = int(raw) if raw.strip() else None
                elif f.kind == "float":
                    out[f.name] = float(raw) if raw.strip() else None
                else:
                    out[f.name] = raw
            except ValueError as exc:
                message = str(exc)
                if f.kind in ("int", "float"):
                    message = f"not a number: {raw!r}"
                errors[f.name] = message
        if errors:
            raise FormError(errors)
        return out

    def action_submit(self) -> None:
        for line in self.query(".field-error").results(Static):  # the last submit's errors
            line.update("")
            line.display = False
        self._form_line(None)
        try:
            result = self.build(self.parsed_values())
        except FormError as exc:
            self._show_errors(exc.errors)
            return
        except ValueError as exc:  # pydantic's ValidationError is one: imported here, forms load before any model
            from pydantic import ValidationError

            if isinstance(exc, ValidationError):
                self._show_errors(validation_errors(exc, [f.name for f in self.fields]))
            else:
                self._form_line(Text(str(exc)))
            return
        self._stop_journal()
        if self.journal is not None:
            # What was typed stays journaled until the save that holds it is committed: the last values
            # are written (in a thread), then the entry is closed; the pane's open_form hands it to the
            # session, which discards it after that commit.
            self._journal_now(final=True)
        self.dismiss(result)

    def _show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for name, message in errors.items():
            if any(f.name == name for f in self.fields):
                self._field_error(name, Text(f"✗ {message}"))
                first = first or name
            else:
                self._form_line(Text(f"✗ {name}: {message}"))
        if first:
            self.query_one(f"#field-{first}").focus()

    def _field_error(self, name: str, text: Text) -> None:
        """Show `text` under the field (after its help and preview lines), in a line made the first time."""
        found = self.query(f"#error-{name}").results(Static)
        line = next(iter(found), None)
        if line is None:
            spec = next(f for f in self.fields if f.name == name)
            under = f"#preview-{name}" if spec.kind == "time" else f"#help-{name}" if spec.help else f"#field-{name}"
            line = Static(text, id=f"error-{name}", classes="field-error")
            self.query_one(FormBody).mount(line, after=self.query_one(under))
            return
        line.update(text)
        line.display = True

    def action_cancel(self) -> None:
        """Escape: an untouched form closes; a changed one asks once more, then forgets the typing."""
        if self.changed and not self._discard_armed:
            self._discard_armed = True
            self._note("You changed this form: esc again discards the changes, ctrl+s saves them.")
            return
        self._stop_journal()
        if self.journal is not None:
            self.journal.discard()
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


def validation_errors(exc: ValidationError, names: list[str]) -> dict[str, str]:
    """pydantic errors -> {form field: message}, matching the deepest location part that is a field."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        name = next((p for p in reversed(loc) if p in names), None) or (".".join(loc) or "form")
        message = str(err["msg"]).removeprefix("Value error, ")
        if err.get("type") == "string_too_short":
            message = "cannot be empty"
        out.setdefault(name, message)
    return out
