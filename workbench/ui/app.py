"""WorkbenchApp: screens, themes, keymap, command palette. Thin on purpose: the work is in screens."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from rich.console import RenderableType
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerState

from ..services.bundled import themes_dir
from ..store import LoadError, NotFound, Store, StoreError, StoreProtocol
from . import heap, worker_threads
from .config import UserConfig
from .key_hold import KeyHold
from .pacing import pace
from .help_registry import binding_rows, help_sections
from .screens.incident_list import IncidentListScreen
from .themes import load_themes

if TYPE_CHECKING:
    from .screens.incident import IncidentScreen


class IncidentsProvider(Provider):
    """The command palette jumps to any incident by id or title."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, WorkbenchApp)
        matcher = self.matcher(query)
        for incident_id, title in app.incident_titles():
            text = f"Open {incident_id} — {title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(app.open_incident, incident_id), help=title)

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, WorkbenchApp)
        for incident_id, title in app.incident_titles()[:20]:
            yield DiscoveryHit(f"Open {incident_id}", partial(app.open_incident, incident_id), help=title)


INPUT_EVENTS = (
    events.Key,
    events.MouseDown,
    events.MouseUp,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)
SEARCH_SCREEN = "search"  # the name the kept search screen is installed under
EXIT_WAIT_S = 1.0  # the longest a quit waits for widgets being mounted (see WorkbenchApp.exit)
PREFETCH_AFTER_S = 1.0  # after the index is ready (the list's rows follow it), import the incident screen


def _prefetch_incident_screen(store: Store | None, app: App[Any] | None = None) -> None:
    """What the first incident opened needs, made off the event loop: the incident screen's modules, the review
    checks' compiled rules (~30 ms, read when an incident screen is made) and the store's map of incident folders
    (a walk of every folder: ~0.1 s at 10,000 incidents), which the first open from the list or a search result
    paid on the loop. The CSS warm-up (on the loop while the list is read, styles_ahead.py) is asked for as soon as
    the screen's modules are in: past the slower rest, the first open often came before it and it was skipped."""
    try:
        from .screens import incident  # noqa: F401
    except Exception:  # noqa: BLE001 - opening an incident imports it again and shows the real error
        return
    if app is not None and app.is_running:
        try:
            app.call_from_thread(warm_styles_ahead, app)
            from .screens import later_styles  # noqa: F401 - imported here, off the loop, while the warm-up mounts
        except Exception:  # noqa: BLE001 - the app is closing (or the import failed): the open adds the CSS itself
            pass
    try:
        from ..services.review.checks import default_config

        default_config()  # the Review pane's check rules (29 phrase patterns compiled), read when a screen is made
    except Exception:  # noqa: BLE001 - opening an incident imports it again and shows the real error
        pass
    if store is not None:
        try:
            store.folders()  # a stale map heals itself: folder_of looks again for a folder it does not find
        except Exception:  # noqa: BLE001 - the open walks the folders again and reports what is wrong
            pass


def warm_styles_ahead(app: App[Any]) -> None:
    """On the loop while the list is read: the incident screen's and the forms' CSS (one hidden box mounted), then
    the Learning screen's and every later screen's and modal's (search, help, pickers...) added at once and parsed
    once. Past 64 sources Textual parses every source again for each new one (screens/learning_styles.py): the
    box's widgets, whose parts mount in turns of their own (a parse each), come while the count is under that;
    the rest after, in one parse, so no screen opened later parses anything (screens/later_styles.py)."""
    from .screens.incident import warm_incident_styles

    if not app.is_running or _is_incident_screen(app.screen):
        return  # no warm-up mount: what was added would be parsed at some later mount instead
    from .forms import form_warmup_box

    warm_incident_styles(app, form_warmup_box(app), then=partial(add_later_styles_parsed, app))


def add_later_styles_parsed(app: App[Any]) -> None:
    """The Learning screen's CSS and the later screens' and modals', added and parsed at once (Stylesheet.parse):
    no widget of theirs is mounted yet, so nothing is styled again."""
    from .screens.later_styles import add_later_styles
    from .screens.learning_styles import add_learning_styles

    if not app.is_running:
        return
    add_learning_styles(app)
    add_later_styles(app)
    app.stylesheet.parse()


def _is_incident_screen(screen: object) -> TypeGuard[IncidentScreen]:
    """isinstance(screen, IncidentScreen) without importing it: before any incident opened, none exists."""
    module = sys.modules.get(f"{__package__}.screens.incident")
    return module is not None and isinstance(screen, module.IncidentScreen)


def mounting(app: App[Any]) -> bool:
    """Whether a widget of a screen in the stack has not handled its Mount yet (screens themselves aside: one
    pushed just now is skipped whole by the shutdown, none of its widgets made). An app ends only once this is
    False (WorkbenchApp.exit); a test harness that shuts the app down itself waits for it too."""
    return any(not widget.is_mounted for screen in app.screen_stack for widget in screen.walk_children(Widget))


def _loaded_pane_classes() -> list[Any]:
    """The pane classes, or none while the incident screen (which alone shows panes) was never imported."""
    if f"{__package__}.screens.incident" not in sys.modules:
        return []
    from .panes import pane_classes

    return pane_classes()


class WorkbenchApp(App[None]):
    TITLE = "Postmortem Workbench"
    COMMANDS = App.COMMANDS | {IncidentsProvider}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("f5", "sync", "Sync", id="app.sync", show=False),
        # Shown in the start screen's footer (list.taxonomy / list.learning); everywhere else via ? and ^p.
        Binding("T", "taxonomy", "Taxonomy", id="app.taxonomy", show=False),
        Binding("L", "learning", "Learning", id="app.learning", show=False),
        # priority: ctrl+k also means "delete to end of line" in an Input, and search must work while typing a filter.
        Binding("ctrl+k", "search", "Search", id="app.search", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True
    # Size classes set on every screen as the terminal resizes: the layouts' CSS gives 80x24 its compact forms
    # (a narrower stage bar, side panels stacked or folded) and lets 160 columns and more use the room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(
        self,
        store: StoreProtocol,
        config: UserConfig | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        store_label: str | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self._prefetch_listener: Any = None  # until the index first says "ready" (see _index_state)
        self._exit_asked: float | None = None  # when exit was first called (it waits for mounts: see exit)
        # No animations unless asked for (TEXTUAL_ANIMATIONS=full): the tab underline's slide repainted the
        # screen about twenty times after each pane switch, a fifth of the switch's work, for no information.
        if not os.environ.get("TEXTUAL_ANIMATIONS"):
            self.animation_level = "none"
        self.store = store
        # The git store on disk, for what reads files (the list's search index, the journal, sync, the Taxonomy,
        # Learning and Conflicts screens). Over the in-memory store (tests, previews) the app starts with no
        # list: incidents open with open_incident or the palette, and their screen works without the disk panes.
        self.disk: Store | None = store if isinstance(store, Store) else None
        # Viewers (`workbench serve --read-only`): the store refuses every write, and the app refuses edits
        # before a form opens or a pane changes what it shows (refuse_edit).
        self.read_only = read_only
        if read_only:
            store.read_only = True
            self.sub_title = "read-only"
        # Injectable for tests and snapshots: what "now" is, and how the store is named in the header.
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.store_label = store_label or (_home_relative(self.disk.root) if self.disk else "in-memory store")
        self.config = config or UserConfig.load()
        themes, problems = load_themes(themes_dir())
        for theme in themes:
            self.register_theme(theme)
        self.startup_problems = [*problems, *self.config.problems]
        self._titles: list[tuple[str, str]] | None = None
        self.search_index: object | None = None  # ui.search_index.SearchIndex, made on first use
        # The incident being opened off the event loop (open_incident), None otherwise: keys wait meanwhile.
        self.opening: str | None = None
        self._search_screen: Any = None  # the search screen (ctrl+k), made on first use and kept (action_search)
        # What the app said, newest last: Textual keeps its toasts private, and tests wait on these.
        self.notices: deque[str] = deque(maxlen=200)
        self._offered: set[tuple[str, str]] = set()  # unsaved work already offered for restore
        self.key_hold = KeyHold(self, super().on_event)
        self._last_input = time.monotonic()  # a key, click, scroll or paste (see seconds_idle)

    def size_classes(self, screen: Screen[Any]) -> dict[str, bool]:
        """The breakpoint classes Textual gives `screen` at the app's size (on or off), by Textual's rule: per
        axis, the class of the largest breakpoint the size reaches."""
        classes: dict[str, bool] = {}
        for own, default, dimension in (
            (screen.HORIZONTAL_BREAKPOINTS, self.HORIZONTAL_BREAKPOINTS, self.size.width),
            (screen.VERTICAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS, self.size.height),
        ):
            points = sorted(default if own is None else own, reverse=True)
            reached = next((name for at, name in points if dimension >= at), None)
            classes.update({name: name == reached for _, name in points})
        return classes

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        # A new screen gets its size classes before it is styled: Textual adds them at the screen's first
        # resize, which restyled the whole screen a second time (a form: a fifth of its opening; the incident
        # screen: ~900 nodes). Set now, that update finds nothing to change.
        if isinstance(screen, Screen) and not screen.is_attached:
            screen.update_classes(self.size_classes(screen), update=False)
        return super().push_screen(screen, *args, **kwargs)

    def seconds_idle(self) -> float:
        """How long nobody has typed, clicked, scrolled or pasted; 0 while the shown screen still works on
        something (a worker of it running: search results on their way, a pane's content). Work the user would
        feel as a stall (a full garbage collection, ui/heap.py) waits for a pause."""
        screen = self.screen_stack[-1] if self.screen_stack else None
        for worker in self.workers:
            if worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
                node = worker.node
                if node is screen or (isinstance(node, Widget) and screen in node.ancestors):
                    return 0.0
        return time.monotonic() - self._last_input

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, INPUT_EVENTS):
            self._last_input = time.monotonic()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await pace()  # a long burst of keys is routed in slices, not in one turn of the loop (ui/pacing.py)
        # Keys typed while a screen is still opening wait for it (ui/key_hold.py), so none is lost.
        if isinstance(event, events.Key) and not event.is_forwarded and await self.key_hold.filter(event):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        worker_threads.install()  # before any thread worker: a finished one must not keep its screen alive
        if self.disk is not None:
            heap.starting(self)  # no full garbage collection while the list is read and the index opened
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for problem in self.startup_problems:
            self.notify(problem, severity="warning", timeout=8)
        if self.disk is not None:  # the list is built from the search index of the files
            self.push_screen(IncidentListScreen(self.disk))
        if self.read_only:
            self.notify("Read-only: viewing only; edits are refused.", timeout=6)
        else:
            self.offer_unsaved_work()  # the journal of unsaved typing: on disk only
        if self.disk is None:
            return
        self._clean_up_after_crash()
        from .search_index import SearchIndex

        index = SearchIndex.of(self)
        self._prefetch_listener = self._index_state
        index.subscribe(self._index_state)

    def _index_state(self, state: str, done: int, total: int) -> None:
        """Called in the index's thread (not through the event loop: a round trip per progress tick slowed
        the first build). Once the index is ready, and the list has had time to fill from it, the incident
        screen and its ten panes (~0.35 s of imports) are imported, and the incident folders listed, in a
        thread of their own."""
        if state != "ready" or self._prefetch_listener is None:
            return
        from .search_index import SearchIndex

        SearchIndex.of(self).unsubscribe(self._prefetch_listener)
        self._prefetch_listener = None
        timer = threading.Timer(PREFETCH_AFTER_S, _prefetch_incident_screen, (self.disk, self))
        timer.daemon = True
        timer.start()

    @work(thread=True, exclusive=True, group="crash-cleanup", exit_on_error=False)
    def _clean_up_after_crash(self) -> None:
        """What a killed save left behind (temporary files, stale git locks), then say what was done.

        Here and not only in the CLI, so an app made directly (`WorkbenchApp(store)`) is covered too. When
        the CLI already ran it in this process it is not run again; its notes are shown here instead (the
        CLI printed them to a terminal the app is about to cover).
        """
        store = self.disk
        if store is None:
            return
        if not store.cleaned_up:
            try:
                store.cleanup_after_crash()
            except Exception as exc:  # never fatal: the app works without it, and says so
                self.call_from_thread(
                    self.notify, f"Crash cleanup could not run: {exc}", severity="warning", timeout=10
                )
                return
        notes = [*store.guard_notes, *store.crash_notes]
        if notes:
            self.call_from_thread(
                self.notify, "\n".join(f"• {n}" for n in notes), title="At start", severity="warning", timeout=15
            )

    def offer_unsaved_work(self) -> None:
        """Edits typed but never saved (journaled before a crash): offer them back, one at a time."""
        if self.disk is None:
            return
        journaled = self.disk.journal.pending()
        if not journaled:
            return  # the usual start: the modal and the form journal's module are not imported on the loop
        from .modals.restore import RestoreModal

        from .form_journal import is_form_content

        offered = self._offered
        pending = [
            e
            for e in journaled
            if (e.pane == "narrative" or is_form_content(e.content)) and (e.incident_id, e.pane) not in offered
        ]
        if pending:
            self.push_screen(RestoreModal(pending), self._restore_chosen)

    def _restore_chosen(self, choice) -> None:
        if choice is None:
            return
        what, entry = choice
        self._offered.add((entry.incident_id, entry.pane))
        assert self.disk is not None  # offered only from a store on disk (offer_unsaved_work)
        from .form_journal import is_form_content

        if what == "discard":
            self.disk.journal.clear(entry.incident_id, entry.pane)
            self.notify(f"Discarded the unsaved {entry.pane} of {entry.incident_id}.")
        elif is_form_content(entry.content):
            # The form opens again the way it was opened: its pane, the cursor on its entry, its action;
            # open_form pre-fills it from the journal. Other unsaved work is offered once it is closed.
            content = entry.content
            self.open_incident_now(entry.incident_id, content["pane"])
            screen = self.screen
            if _is_incident_screen(screen):
                screen.call_after_refresh(screen.pane(content["pane"]).reopen_form, content)
                rest = len(self.disk.journal.pending()) - 1
                if rest > 0:
                    self.notify(
                        f"{rest} more unsaved edit(s) will be offered at the next start (or: workbench recover).",
                        timeout=8,
                    )
            return
        else:
            self.open_incident_now(entry.incident_id, "narrative")
            screen = self.screen
            if _is_incident_screen(screen):
                screen.call_after_refresh(screen.pane("narrative").adopt, entry.content)  # type: ignore[attr-defined]  # pane() is typed as the base Pane
                self.notify("Restored the unsaved narrative: review it, then ctrl+s to save.", timeout=8)
        self.call_after_refresh(self.offer_unsaved_work)

    def watch_theme(self, theme: str) -> None:
        # Persist the user's choice (from the palette or a key); the default needs no write.
        if theme != self.config.theme and theme in self.available_themes:
            try:
                self.config.save_theme(theme)
            except OSError as exc:
                self.notify(f"Could not save the theme choice: {exc}", severity="warning")

    def on_unmount(self) -> None:
        # The app is done: what it froze out of the collector's sight (its screens, the index) is collectable
        # again, so an app run inside a longer process (tests, `workbench serve`) leaves nothing held. The index is
        # told first: an open still running in its thread would freeze again after this unfreeze.
        if self.search_index is not None:
            self.search_index.close()  # type: ignore[attr-defined]  # a SearchIndex (typed object to import it lazily)
        heap.app_closed()

    async def action_quit(self) -> None:
        """Quit without losing a word: unsaved prose is saved and pending commits finish first; an open form's
        latest typing is journaled now (not half a second later), so the next start offers it."""
        from .forms import FormModal

        for screen in self.screen_stack:
            if isinstance(screen, FormModal):
                screen.flush_journal()
        for screen in self.screen_stack:
            if _is_incident_screen(screen):
                screen.flush()
                if not screen.session.wait_idle(15):
                    self.notify("Still saving; try quitting again in a moment.", severity="warning")
                    return
        self.exit()

    def exit(self, result: None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        """Exit once no widget is part-way through mounting (a few turns; at most EXIT_WAIT_S). Textual's shutdown
        marks every widget pruned, and one caught before it composed mounts none of its parts: the Select of the
        forms' CSS warm-up (mounted while the list is read) then found no overlay in its Mount and raised
        NoMatches, ending a ctrl+q with an error."""
        if self._exit_asked is None:
            self._exit_asked = time.monotonic()
        if mounting(self) and time.monotonic() - self._exit_asked < EXIT_WAIT_S:
            self.set_timer(0.01, partial(self.exit, result, return_code, message))
            return
        super().exit(result, return_code, message)

    def needs_disk(self, what: str) -> Store | None:
        """The git store, or None after saying that `what` needs one (the app runs over the in-memory store)."""
        if self.disk is None:
            self.notify(f"{what} needs a store on disk; this one is kept in memory.", severity="warning")
        return self.disk

    def action_sync(self) -> None:
        """Team sync: pending saves finish, then fetch, rebase onto the upstream and push (in a worker)."""
        if self.needs_disk("Sync") is None:
            return
        for screen in self.screen_stack:
            if _is_incident_screen(screen):
                screen.flush()
        self.notify("Syncing with the team's remote…", timeout=3)
        self._sync_in_thread([s.session for s in self.screen_stack if _is_incident_screen(s)])

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync_in_thread(self, sessions: list) -> None:
        from ..store import sync as store_sync

        for session in sessions:
            session.wait_idle(30)
        try:
            assert self.disk is not None  # action_sync asked
            result = store_sync.sync(self.disk)
            message, severity = "; ".join(result.messages), "information"
        except store_sync.SyncConflict as exc:
            message, severity = str(exc).splitlines()[0], "warning"
            message += ": choose a side per field here (s resolves, commits and finishes the sync; x aborts it)"
            self.call_from_thread(self.action_conflicts)  # show them, to be settled by key
        except StoreError as exc:
            message, severity = str(exc), "error"
        self._titles = None
        self.call_from_thread(self.notify, message, title="Sync", severity=severity, timeout=12)

    def notify(self, message: str, **kwargs: Any) -> None:
        self.notices.append(str(message))
        super().notify(message, **kwargs)

    def clear_notifications(self) -> None:
        self.notices.clear()
        super().clear_notifications()

    def forget_titles(self) -> None:
        """The palette's incident titles are read again next time (after a sync, a rename, a resolve)."""
        self._titles = None

    def incident_titles(self) -> list[tuple[str, str]]:
        if self._titles is None:
            result = self.store.load_all()
            self._titles = [(r.id, r.incident.title) for r in result.records]
        return self._titles

    def open_incident(self, incident_id: str, pane: str | None = None, entry: str | None = None) -> None:
        """Open an incident's screen (at `pane`, on `entry`). Before the prefetch thread has imported the incident
        screen and its panes (an open in the first second or two after the list shows, or later under load), that
        import and the incident's load run in a thread and the screen is pushed when they are done: on the event
        loop they held it 0.8-1.2 s at load 7.5 (the index opening beside them). Keys typed meanwhile wait for the
        screen (`opening`, ui/key_hold.py)."""
        if self.opening is not None:
            return  # the open being prepared (enter pressed twice): its screen comes
        if self.disk is not None and f"{__package__}.screens.incident" not in sys.modules:
            self.opening = incident_id
            self._prepare_open(incident_id, pane, entry)
            return
        self.open_incident_now(incident_id, pane, entry)

    @work(thread=True, group="open-incident", exit_on_error=False)
    def _prepare_open(self, incident_id: str, pane: str | None, entry: str | None) -> None:
        record: Any = None
        try:
            from .screens import incident  # noqa: F401  # the screen and its panes, as the prefetch imports them

            record = self.store.load(incident_id)
        except Exception:  # noqa: BLE001 - the open on the loop loads again and shows what is wrong, as always
            record = None
        try:
            self.call_from_thread(self._prepared, incident_id, pane, entry, record)
        except RuntimeError:  # the app closed meanwhile
            pass

    def _prepared(self, incident_id: str, pane: str | None, entry: str | None, record: Any) -> None:
        self.opening = None
        self.open_incident_now(incident_id, pane, entry, record)

    def open_incident_now(
        self, incident_id: str, pane: str | None = None, entry: str | None = None, record: Any = None
    ) -> None:
        """Open at once, on the event loop: the screen is current when this returns (or a message says why not).
        `record`: the incident loaded already (by `_prepare_open`)."""
        try:
            record = record if record is not None else self.store.load(incident_id)
        except NotFound:
            self.notify(f"No incident {incident_id!r}", severity="error")
            return
        except LoadError as exc:  # a file that will not load: shown read-only, with its problem lines
            from .screens.raw_view import ReadOnlyViewScreen

            first = exc.problems[0] if exc.problems else None
            if first is not None and self.disk is not None:
                self.push_screen(
                    ReadOnlyViewScreen(self.disk, first.path, [p for p in exc.problems if p.path == first.path])
                )
                return
            self.notify(f"Cannot open {incident_id}: {exc}", severity="error", timeout=10)
            return
        except StoreError as exc:
            self.notify(f"Cannot open {incident_id}: {exc}", severity="error", timeout=10)
            return
        self._titles = None
        from .screens.incident import IncidentScreen  # normally imported already, off the loop (_index_state)

        heap.building(self)  # no full garbage collection while the screen is made (ui/heap.py)
        self.push_screen(IncidentScreen(self.store, record, pane, entry))

    def action_search(self) -> None:
        from .screens.search import SearchScreen  # numpy and the index load on first use, not at start

        if isinstance(self.screen, SearchScreen) or self.needs_disk("Search") is None:
            return
        # One search screen, kept (installed) between openings and emptied before each: composing, mounting
        # and styling a new one was about a fifth of the event loop's work to the first results.
        kept = self._search_screen
        if kept is None:
            kept = self._search_screen = SearchScreen()
            self.install_screen(kept, SEARCH_SCREEN)
        elif kept in self.screen_stack:  # further down (under the help screen, say): a second one on top
            self.push_screen(SearchScreen())
            return
        else:
            kept.reopen()
        self.push_screen(kept)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Keys", "Every key of every screen, with binding ids", self.action_help)
        yield SystemCommand("Sync", "Fetch, rebase onto the team's remote and push (F5)", self.action_sync)
        yield SystemCommand(
            "Conflicts",
            "Fields a sync found changed on both sides: choose a side, then commit (start screen: C)",
            self.action_conflicts,
        )
        yield SystemCommand("Search", "Search every incident and the taxonomy (ctrl+k)", self.action_search)
        for pane in _loaded_pane_classes():
            if _is_incident_screen(screen):
                from .panes import DIGIT_KEYS  # loaded already: _loaded_pane_classes() found the panes

                keys = (
                    f"key {pane.key}; alt+{pane.key} from a text field"
                    if pane.key in DIGIT_KEYS
                    else f"key {pane.key.upper()}, also from a text field"
                )
                yield SystemCommand(
                    f"Go to {pane.title}",
                    f"Show the {pane.title} pane ({keys})",
                    partial(screen.action_show_pane, pane.pane_id),
                )
        if _is_incident_screen(screen):
            yield SystemCommand(
                "Next pane",
                "Show the next pane (ctrl+pagedown, also from a text field)",
                partial(screen.action_cycle_pane, 1),
            )
            yield SystemCommand(
                "Previous pane",
                "Show the previous pane (ctrl+pageup, also from a text field)",
                partial(screen.action_cycle_pane, -1),
            )
            yield SystemCommand(
                "Advance stage", "Move the review to its next stage (])", partial(screen.action_stage, 1)
            )
            yield SystemCommand(
                "Move stage back", "Move the review to its previous stage ([)", partial(screen.action_stage, -1)
            )
            yield SystemCommand(
                "Review meeting",
                "Present the postmortem section by section and capture decisions (Review pane: m)",
                partial(self._meeting, screen),
            )
        if isinstance(screen, IncidentListScreen):
            yield SystemCommand("New incident", "Create an incident (n)", screen.action_new)
            yield SystemCommand(
                "Import postmortem",
                "Read a published markdown postmortem, review what it found, write it as a new incident (i)",
                screen.action_import_postmortem,
            )
        yield SystemCommand("Taxonomy", "Browse, search and edit the failure-mode taxonomy (T)", self.action_taxonomy)
        yield SystemCommand(
            "Learning across incidents", "Modes over time, recurring causes, times, actions (L)", self.action_learning
        )

    def action_taxonomy(self) -> None:
        from .screens.taxonomy import TaxonomyScreen

        if not isinstance(self.screen, TaxonomyScreen) and (disk := self.needs_disk("The Taxonomy screen")):
            self.push_screen(TaxonomyScreen(disk))

    def action_conflicts(self) -> None:
        from .screens.conflicts import ConflictsScreen

        if not isinstance(self.screen, ConflictsScreen) and (disk := self.needs_disk("The Conflicts screen")):
            self.push_screen(ConflictsScreen(disk))

    def action_learning(self) -> None:
        # Imported on the event loop when first pressed. Importing it in a thread while the app ran, with keys held
        # for the screen meanwhile, left a Header without its title in ~1 run in 5 under load (NoMatches, the app
        # ended); imported on the loop, 0 in 24 (stop 30).
        from .screens.learning import LearningScreen

        if not isinstance(self.screen, LearningScreen) and (disk := self.needs_disk("The Learning screen")):
            self.push_screen(LearningScreen(disk))

    def _meeting(self, screen: IncidentScreen) -> None:
        from .screens.meeting import MeetingScreen

        if self.needs_disk("Meeting mode") is not None:  # the meeting's notes live in review.toml
            self.push_screen(MeetingScreen(screen.session, screen.took_saved))

    def action_help(self) -> None:
        """Every screen registers its own section (help_registry.help_section); the app adds its own keys."""
        from .panes import pane_classes

        from .screens.help import HelpScreen  # not at start: the first screen is the list

        self.push_screen(HelpScreen([("Everywhere", binding_rows(WorkbenchApp)), *help_sections(pane_classes())]))


def _home_relative(path: Path) -> str:
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def run(store: Store, *, read_only: bool = False) -> int:
    WorkbenchApp(store, read_only=read_only).run()
    return 0
