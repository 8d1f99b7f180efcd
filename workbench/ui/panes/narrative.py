"""Narrative: postmortem.md in a markdown editor beside its rendered preview, and $EDITOR on demand.

Typing stays in memory until ctrl+s (one commit per save, not per keystroke); leaving the
incident with unsaved prose saves it, so nothing is lost by walking away.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual import events, on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import TextArea

from ...domain.narrative import sections
from ...store import StoreError
from ..hints import HintLine
from ..pacing import pace
from ..tables import fit_markdown_tables
from ..windowed_markdown import WindowedMarkdown
from .base import Pane


JOURNAL_DELAY = 0.5  # seconds after the last key
# Seconds after the last key before the preview is re-rendered and the words counted. Rendering a 50 KB
# narrative as Markdown takes far longer than a keystroke: done on every key it left the editor seconds
# behind fast typing. The unsaved marker still shows at the first key.
SETTLE_DELAY = 0.3
# A narrative longer than HIGHLIGHT_LIMIT waits for a longer pause before its preview follows: the preview only
# builds the part in view and the sections that changed (windowed_markdown.py), but cutting the text is still a
# parse of all of it, which on a loaded machine, where keys are handled more than SETTLE_DELAY apart, need not
# run between every two keys.
LONG_PREVIEW_DELAY = 1.0
# Above this many characters the editor drops markdown highlighting: tree-sitter re-parses the whole
# document on every key (~40 ms a key at 50 KB on a loaded 2-core machine), which made long narratives lag.
HIGHLIGHT_LIMIT = 20_000


# What the preview shows until it has been rendered, for the moment after the pane's first frame.
PREVIEW_PENDING = "*Rendering the preview…*"


def editor_language(text: str) -> str | None:
    return "markdown" if len(text) <= HIGHLIGHT_LIMIT else None


def editor_command() -> list[str]:
    """$VISUAL or $EDITOR split like a shell would (no shell runs it), else vi."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(raw)


def changed_sections(old: str, new: str) -> list[str]:
    before = {s.heading: s.body for s in sections(old)}
    after = {s.heading: s.body for s in sections(new)}
    names = [h for h in after if before.get(h) != after[h]] + [h for h in before if h not in after]
    return [n or "preamble" for n in names]


class NarrativeEditor(TextArea):
    """The narrative's TextArea, taking a long burst of keys in slices of the event loop (ui/pacing.py): each
    key into a 50 KB text costs ~0.3 ms, and a burst went in as one turn of ~90 ms."""

    async def on_key(self, event: events.Key) -> None:
        await pace()  # runs before TextArea's own key handler, which inserts the character

    # Each key's edit posts these two to the editor itself, behind the keys still queued: a burst's 600 of them
    # then ran in one turn, each passed up through every container to the app. Paced too, and the cursor's
    # moves, which nothing above the editor reads, go no further.
    async def on_text_area_changed(self, event: TextArea.Changed) -> None:
        await pace()

    async def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        event.stop()
        await pace()


class NarrativePane(Pane):
    pane_id = "narrative"
    title = "Narrative"
    key = "6"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save narrative", id="narrative.save", priority=True),
        # Priority, so they work while typing; keys the editor itself does not use (ctrl+e is line end).
        Binding("ctrl+o", "external_editor", "Open in $EDITOR", id="narrative.editor", priority=True),
        Binding("ctrl+t", "toggle_preview", "Preview on/off", id="narrative.preview", priority=True),
    ]

    DEFAULT_CSS = """
    NarrativePane #narrative-status.dirty { color: $warning; text-style: bold; }
    NarrativePane Horizontal { height: 1fr; }
    NarrativePane #narrative-editor { width: 1fr; height: 1fr; }
    NarrativePane #narrative-preview { width: 1fr; height: 1fr; border-left: solid $panel; padding: 0 1; }
    NarrativePane #narrative-preview Markdown { padding: 0; }
    NarrativePane.no-preview #narrative-preview { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield HintLine(id="narrative-status")
        with Horizontal():
            yield NarrativeEditor(
                self.session.narrative,
                id="narrative-editor",
                language=editor_language(self.session.narrative),
                soft_wrap=True,
                show_line_numbers=True,
                tab_behavior="indent",
            )
            # The preview is rendered once the pane has been drawn (on_show), not here, and only the part of it
            # in view is built (a long narrative is hundreds of blocks; each would be laid out in every frame):
            # see windowed_markdown.py. An edit rebuilds the changed section's pieces, not the whole preview.
            # Not focusable, as the Markdown it replaced: tab goes from the editor to the pane switcher.
            yield WindowedMarkdown(id="narrative-preview", can_focus=False, after_build=fit_markdown_tables)

    def on_mount(self) -> None:
        self._status()
        self.query_one("#narrative-preview", WindowedMarkdown).update(PREVIEW_PENDING)
        self.first_seen(self.on_show)  # the first Show can be dropped (Pane.first_seen)

    def on_show(self) -> None:
        """Drawn (the editor and the preview's frame): now the preview, in a worker, if it is not current (a
        second call does nothing: the preview's source is the editor's text already)."""
        if not self.has_class("no-preview"):
            self._refresh_preview()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#narrative-editor", TextArea)

    @property
    def dirty(self) -> bool:
        return self.editor.text != self.session.narrative

    def saved(self) -> None:
        if self.is_mounted:
            self._status()

    def show(self) -> None:
        # Never overwrite what the user is typing: the editor's text changes only by the user,
        # $EDITOR, a restore or a reload (see `adopt`).
        if self.is_mounted:
            self._status()

    def focus_line(self, line: int) -> bool:
        """The editor's cursor at `line` (1-based), centred (a review finding's jump)."""
        self.editor.move_cursor((max(0, line - 1), 0), center=True)
        self.editor.focus()
        return True

    def adopt(self, text: str) -> None:
        """Replace the editor's text (after $EDITOR, a restore or a reload)."""
        self.editor.language = editor_language(text)
        # The preview follows as after typing (load_text posts Changed), after the pause; keys typed meanwhile
        # push it back.
        self.editor.load_text(text)
        self._status()

    @on(TextArea.Changed, "#narrative-editor")
    async def _changed(self, event: TextArea.Changed) -> None:
        event.stop()  # handled: no further up (a burst sent hundreds through every container to the app)
        await pace()  # one per key of a burst, behind the editor's: within the same slices (ui/pacing.py)
        if not self._shown_dirty:
            self._status()
        if self._settle_timer is not None:
            self._settle_timer.stop()
        self._settle_timer = self.set_timer(SETTLE_DELAY, self._settled)
        # Typing goes first: a preview waiting for a pause waits again. A piece already being built is left to
        # finish (each build is shielded: cancelled halfway, a Markdown could be left mid-mount and hang the app's
        # shutdown); long texts wait for LONG_PREVIEW_DELAY, so builds seldom meet typing.
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        # Journal what is typed (half a second after the last key, off the UI thread), so a crash before
        # ctrl+s loses nothing: the next start offers it back. Cleared once the text is saved.
        if self._journal_timer is not None:
            self._journal_timer.stop()
        self._journal_timer = self.set_timer(JOURNAL_DELAY, self._journal)

    _journal_timer: Timer | None = None
    _settle_timer: Timer | None = None
    _preview_timer: Timer | None = None
    _shown_dirty = False
    _preview_text: str | None = None
    _preview_asked = False

    @property
    def preview_text(self) -> str | None:
        """The text the preview shows now (it trails the editor by SETTLE_DELAY while typing); None until the
        pane has first been shown and its preview rendered."""
        return self._preview_text

    def _settled(self) -> None:
        self._settle_timer = None
        if self.is_mounted:
            self._status()
            editor = self.editor
            language = editor_language(editor.text)
            if editor.language != language:
                editor.language = language
            if self.has_class("no-preview"):
                return
            if language is None:  # a long text (no highlighting either): its render waits for a longer pause
                self._preview_timer = self.set_timer(LONG_PREVIEW_DELAY - SETTLE_DELAY, self._long_pause)
            else:
                self._refresh_preview()

    def _long_pause(self) -> None:
        self._preview_timer = None
        if self.is_mounted and not self.has_class("no-preview"):
            self._refresh_preview()

    def _journal(self) -> None:
        self._journal_timer = None
        if self.is_mounted:
            self._write_journal(self.editor.text if self.dirty else None)

    @work(thread=True, exclusive=True, group="narrative-journal", exit_on_error=False)
    def _write_journal(self, text: str | None) -> None:
        journal = self.session.journal
        if journal is None:  # the in-memory store keeps no journal: nothing on disk to lose in a crash
            return
        try:
            if text is None:
                journal.clear(self.session.id, "narrative")
            else:
                journal.record(self.session.id, "narrative", text, self.session.saved.toml.sha256)
        except (OSError, StoreError) as exc:
            self.app.call_from_thread(self.notify, f"Could not journal the narrative: {exc}", severity="warning")

    def _refresh_preview(self) -> None:
        text = self.editor.text
        preview = self.query_one("#narrative-preview", WindowedMarkdown)
        self._preview_asked = True
        if text != preview.source:
            # Cut in a thread; a newer text replaces this one before it is built (nothing to cancel), and only
            # the pieces that differ from what is shown are built again.
            preview.update(text)

    @on(WindowedMarkdown.Shown, "#narrative-preview")
    def _preview_shown(self, event: WindowedMarkdown.Shown) -> None:
        if self._preview_asked:  # not the placeholder put there at mount
            self._preview_text = event.source

    def _status(self) -> None:
        status = self.query_one("#narrative-status", HintLine)
        words = len(self.editor.text.split())
        # Against what is on disk, not what was handed to the save queue: a save that failed is still unsaved.
        self._shown_dirty = self.editor.text != self.session.saved.narrative
        if self._shown_dirty:
            status.show(
                [f"● unsaved changes · {words} words", f"● unsaved · {words} words"],
                [("ctrl+s", "save"), ("ctrl+z", "undo"), ("ctrl+t", "preview"), ("ctrl+o", "$EDITOR")],
            )
            status.add_class("dirty")
        else:
            status.show(f"saved · {words} words", [("ctrl+s", "save"), ("ctrl+t", "preview"), ("ctrl+o", "$EDITOR")])
            status.remove_class("dirty")

    def flush(self) -> None:
        if self.is_mounted and self.dirty:
            self.save_now()

    def action_save(self) -> None:
        if not self.dirty:
            if self.session.dirty:  # an earlier save failed and its edit waits in memory: try it again
                self.session.retry()
                return
            self.notify("The narrative has no unsaved changes.")
            return
        self.save_now()

    def save_now(self, suffix: str = "") -> None:
        old, new = self.session.narrative, self.editor.text
        names = changed_sections(old, new)
        what = "edit " + (
            ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "narrative"
        )
        self.commit(self.incident, what + suffix, narrative=new)
        self._status()

    def action_toggle_preview(self) -> None:
        self.toggle_class("no-preview")
        if not self.has_class("no-preview"):
            self._refresh_preview()  # it is not kept up to date while hidden

    def action_external_editor(self) -> None:
        """Edit a copy in $EDITOR with the app suspended, then take the result as one commit."""
        text = self.editor.text
        with tempfile.TemporaryDirectory(prefix="workbench-") as folder:
            path = Path(folder) / "postmortem.md"
            path.write_text(text, encoding="utf-8")
            command = [*editor_command(), str(path)]
            try:
                try:
                    with self.app.suspend():
                        result = subprocess.run(command, check=False)
                except SuspendNotSupported:  # headless (tests): nothing to hand the terminal to
                    result = subprocess.run(command, check=False, stdin=subprocess.DEVNULL)
            except (FileNotFoundError, PermissionError) as exc:
                self.notify(f"Could not start the editor {command[0]!r}: {exc}. Set $EDITOR.", severity="error")
                return
            if result.returncode != 0:
                self.notify(f"The editor exited with status {result.returncode}; nothing changed.", severity="warning")
                return
            edited = path.read_text(encoding="utf-8")
        if edited == text:
            self.notify("No change from the editor.")
            return
        self.adopt(edited)
        self.save_now(" in $EDITOR")
