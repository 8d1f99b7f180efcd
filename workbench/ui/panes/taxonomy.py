"""Taxonomy: the failure modes this incident and its causes are tagged with, resolved through the
store's taxonomy (aliases and merges followed; tags that name nothing are shown as such), and under
the table one of four views: the highlighted mode explained (m), tag suggestions for the incident and
the highlighted cause with the words that matched and why (s; y or enter accepts one), similar past
incidents with why (p; enter opens one) and the framework mapping (f, information only). Tags change
only by a key press, and each tag added or removed is one commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, OptionList, Static

from ...domain import edit
from ...services.taxonomy.frameworks import FrameworkMapping, framework_mapping
from ...services.learning.suggest import Suggester
from ...services.taxonomy.search import TaxonomyIndex
from ...store import StoreError
from ..modals.taxonomy_picker import TaxonomyPicker, mode_detail
from ..search_index import SearchIndex
from ..taxonomy_cache import cached_index, load_index
from ..tables import Fit, FitTable, cursor_key, move_to
from ..hints import HintLine
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
TAXONOMY_KEYS = [
    ("t", "tag incident"),
    ("d", "remove tag"),
    ("y", "accept suggestion"),
    ("c", "next cause"),
    ("o", "open similar"),
    ("3, t", "tag a cause"),
]
from .taxonomy_views import (
    INCIDENT,
    Learned,
    Stamp,
    build_suggester,
    framework_count,
    framework_text,
    learn,
    others_stamp,
    similar_options,
    suggestion_options,
    view_bar,
)


def open_picker(pane: Pane, tagged: Iterable[str], target: str, on_pick: Callable[[str], None]) -> None:
    """Load the taxonomy off the UI thread (cached after the first time), then show the picker."""
    tags = list(tagged)
    store = pane.session.git_store

    def load() -> None:
        try:
            index = load_index(store)
        except (StoreError, OSError) as exc:
            pane.app.call_from_thread(
                partial(pane.notify, f"Cannot read the taxonomy: {exc}", severity="error", timeout=10, markup=False)
            )
            return
        pane.app.call_from_thread(_push, index)

    def _push(index: TaxonomyIndex) -> None:
        def done(mode_id: str | None) -> None:
            if mode_id:
                on_pick(mode_id)

        pane.app.push_screen(TaxonomyPicker(index, tags, target), done)

    pane.run_worker(load, thread=True, group="taxonomy", exit_on_error=False)


def add_tag(tags: list[str], mode_id: str, index: TaxonomyIndex | None) -> list[str] | None:
    """Tags with `mode_id` added, or None when a tag already names that mode (through an alias too)."""
    resolve = index.taxonomy.resolve if index else (lambda t: None)
    for tag in tags:
        if tag == mode_id or ((m := resolve(tag)) is not None and m.id == mode_id):
            return None
    return [*tags, mode_id]


class TaxonomyPane(Pane):
    pane_id = "taxonomy"
    title = "Taxonomy"
    key = "5"
    needs_disk = True

    BINDINGS = [
        Binding("t,a", "tag", "Tag incident", id="taxonomy.tag"),
        Binding("d,delete", "remove", "Remove tag", id="taxonomy.remove"),
        # The view keys are shown in the bar above the views (the footer stays short at 120 columns).
        Binding("m", "view('mode')", "View: mode detail", id="taxonomy.view_mode", show=False),
        Binding("s", "view('suggestions')", "View: tag suggestions", id="taxonomy.view_suggestions", show=False),
        Binding("p", "view('similar')", "View: similar past incidents", id="taxonomy.view_similar", show=False),
        Binding("f", "view('frameworks')", "View: framework mapping", id="taxonomy.view_frameworks", show=False),
        Binding("c", "next_cause", "Next cause", id="taxonomy.next_cause"),
        Binding("y", "accept", "Accept suggestion", id="taxonomy.accept"),
        Binding("o", "open_similar", "Open incident", id="taxonomy.open_similar"),
    ]

    DEFAULT_CSS = """
    TaxonomyPane #taxonomy-table { height: auto; max-height: 45%; }
    TaxonomyPane #taxonomy-views-bar { height: 1; background: $panel; padding: 0 1; }
    TaxonomyPane #taxonomy-views { height: 1fr; }
    TaxonomyPane #taxonomy-views > VerticalScroll { height: 1fr; padding: 0 1; }
    TaxonomyPane #taxonomy-views > OptionList { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, session) -> None:
        super().__init__(session)
        self.lower_view = "mode"
        self.suggester: Suggester | None = None
        self.learned: Learned | None = None
        self.learning_status: str | None = None  # why there is no suggester (building, failed)
        self._learning_started = False
        self._drawn_cause: str | None = None  # the cause whose suggestions the list shows
        self._bindings_state: tuple[object, ...] = ()
        self._generation = 0  # of the index build; only the latest one's result is used
        self._built_stamp: Stamp | None = None

    def compose(self) -> ComposeResult:
        yield HintLine(keys=TAXONOMY_KEYS, classes="pane-summary")
        # At 80 columns the note gives way and the tag narrows (the mode's detail below shows both whole); the
        # mode's name takes the rest.
        table: DataTable[Any] = FitTable(
            {"mode": Fit(flex_min=28), "note": Fit(compact=0), "tag": Fit(compact=24)},
            cursor_type="row",
            zebra_stripes=True,
            id="taxonomy-table",
        )
        table.add_column("On", key="on", width=8)
        table.add_column("Tag (as written)", key="tag", width=44)
        table.add_column("Mode", key="mode")
        table.add_column("Note", key="note", width=24)
        yield table
        yield Static("", id="taxonomy-views-bar")
        with ContentSwitcher(initial="taxonomy-view-mode", id="taxonomy-views"):
            with VerticalScroll(id="taxonomy-view-mode"):
                yield Static("", id="taxonomy-detail")
            yield OptionList(id="taxonomy-view-suggestions")
            yield OptionList(id="taxonomy-view-similar")
            with VerticalScroll(id="taxonomy-view-frameworks"):
                yield Static("", id="taxonomy-frameworks")

    def on_mount(self) -> None:
        self.show()
        if cached_index(self.session.git_store) is None:
            self.run_worker(self._load, thread=True, group="taxonomy", exit_on_error=False)
        self.first_seen(self._start_learning)  # the first Show can be dropped (Pane.first_seen)

    def on_show(self) -> None:
        # The store-wide index is built the first time the pane is seen, not for every incident opened.
        self._start_learning()

    def resumed(self) -> None:
        # Back from another screen: taxonomy.toml may have been edited (the Taxonomy screen, T). The reload
        # is a stat when nothing changed; a new taxonomy redraws the tags and rebuilds the suggestions.
        if self._learning_started or cached_index(self.session.git_store) is not None:
            self.run_worker(partial(self._load, quiet=True), thread=True, group="taxonomy", exit_on_error=False)

    def _load(self, quiet: bool = False) -> None:
        try:
            load_index(self.session.git_store)
        except (StoreError, OSError) as exc:
            if not quiet:  # said once, on mount; not again after every modal
                self.app.call_from_thread(
                    partial(self.notify, f"Cannot read the taxonomy: {exc}", severity="error", timeout=10, markup=False)
                )
            return
        # Other incidents changed since the index was built (edited on another screen, pulled by a sync)?
        stale = (
            self.suggester is not None and others_stamp(self.session.git_store, self.session.id) != self._built_stamp
        )
        self.app.call_from_thread(self._taxonomy_loaded, stale)

    def _taxonomy_loaded(self, stale: bool = False) -> None:
        index = self.index
        if self.suggester is not None and (
            stale or (index is not None and self.suggester.taxonomy is not index.taxonomy)
        ):
            # Built on an older taxonomy or older incidents: build again off the UI thread; the views keep
            # showing the old results until the new index has scored them.
            self._build()
        self.show()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#taxonomy-table", DataTable)

    @property
    def suggestions(self) -> OptionList:
        return self.query_one("#taxonomy-view-suggestions", OptionList)

    @property
    def similar(self) -> OptionList:
        return self.query_one("#taxonomy-view-similar", OptionList)

    @property
    def index(self) -> TaxonomyIndex | None:
        return cached_index(self.session.git_store)

    def rows(self) -> list[tuple[str, str]]:
        """(owner, tag): the incident's own tags first, then each cause's, in file order."""
        out = [(INCIDENT, tag) for tag in self.incident.taxonomy]
        for cause in self.incident.causes:
            out += [(cause.id, tag) for tag in cause.taxonomy]
        return out

    def table_rows(self) -> list[tuple[str, str]]:
        """`rows()` plus one row (tag "") for each cause without tags, so it can be highlighted for suggestions."""
        out = [(INCIDENT, tag) for tag in self.incident.taxonomy]
        for cause in self.incident.causes:
            out += [(cause.id, tag) for tag in cause.taxonomy] or [(cause.id, "")]
        return out

    def show(self) -> None:
        table = self.table
        current = self.current_row()
        table.clear()
        index = self.index
        unresolved = 0
        for owner, tag in self.table_rows():
            mode = index.taxonomy.resolve(tag) if index and tag else None
            if not tag:
                name, note = Text("no tags yet", style="italic dim"), Text("s: suggestions", style="dim")
            elif index is None:
                name, note = Text("loading taxonomy…", style="dim"), Text("")
            elif mode is None:
                unresolved += 1
                name, note = Text("not in the taxonomy", style="bold red"), Text("resolves to nothing", style="red")
            else:
                name = Text(mode.name)
                note = Text(f"→ {mode.id}" if mode.id != tag else "", style="italic")
                if mode.deprecated:
                    note.append(" deprecated", style="yellow")
            table.add_row(
                Text(owner, style="bold" if owner == INCIDENT else ""), Text(tag), name, note, key=f"{owner}|{tag}"
            )
        own = len(self.incident.taxonomy)
        summary = f"{_count(own, 'incident tag')} · {_count(len(self.rows()) - own, 'cause tag')}"
        untagged = sum(1 for c in self.incident.causes if not c.taxonomy)
        if untagged:
            summary += f" · {_count(untagged, 'cause')} untagged"
        if unresolved:
            summary += f" · {unresolved} resolve to nothing"
        self.query_one(".pane-summary", HintLine).show(summary)
        if current and not self._focus_row(current):
            # The row went away (its tag was removed, or a cause's first tag replaced "no tags yet").
            self.focus_entry(current.partition("|")[0])
        self._show_detail()
        self._draw_frameworks()
        self._draw_bar()
        self._request_learned()

    def current_row(self) -> str | None:
        return cursor_key(self.table)

    def _focus_row(self, key: str) -> bool:
        return move_to(self.table, key)

    def focus_entry(self, entry_id: str) -> bool:
        """A cause id: its first tag (or its "no tags yet" row)."""
        key = next((f"{o}|{t}" for o, t in self.table_rows() if o == entry_id), None)
        return key is not None and self._focus_row(key)

    def selected_cause(self) -> str | None:
        """The cause whose row is highlighted in the tag table (its suggestions are shown), if any."""
        key = self.current_row()
        owner = key.partition("|")[0] if key else INCIDENT
        return None if owner == INCIDENT else owner

    @on(DataTable.RowHighlighted, "#taxonomy-table")
    def _highlighted(self) -> None:
        self._show_detail()
        self._request_learned()

    def _show_detail(self) -> None:
        detail = self.query_one("#taxonomy-detail", Static)
        key = self.current_row()
        if key is None:
            detail.update(
                Text(
                    "No taxonomy tags yet: press t to pick a failure mode for this incident, or s for suggestions.",
                    style="italic",
                )
            )
            return
        owner, _, tag = key.partition("|")
        if not tag:
            detail.update(
                Text(
                    f"Cause {owner} has no tags yet: s shows suggestions for it (y accepts one); "
                    "or tag it from the Causes pane (3, t).",
                    style="italic",
                )
            )
            return
        index = self.index
        if index is None:
            detail.update(Text("Loading the taxonomy…", style="italic"))
            return
        mode = index.taxonomy.resolve(tag)
        if mode is None:
            detail.update(
                Text(
                    f"{tag!s} names no mode of this store's taxonomy (nor an alias of one). "
                    "Remove it with d, or add the mode to taxonomy.toml.",
                    style="italic",
                )
            )
            return
        where = "the incident" if owner == INCIDENT else f"cause {owner}"
        head = Text.assemble(
            ("Tagged on ", "dim"),
            (where, "bold"),
            (f"  (written as {tag}, an alias)" if tag != mode.id else "", "italic"),
        )
        detail.update(Group(head, mode_detail(index.taxonomy, mode)))

    # ------------------------------------------------------------------------ views under the table
    def _draw_bar(self) -> None:
        learned = self.learned
        counts = {"frameworks": framework_count(self.mapping())}
        if learned is not None:
            counts["suggestions"] = str(len(learned.for_incident) + len(learned.for_cause))
            counts["similar"] = str(len(learned.similar))
        self.query_one("#taxonomy-views-bar", Static).update(view_bar(self.lower_view, counts))

    def mapping(self) -> FrameworkMapping | None:
        index = self.index
        return framework_mapping(self.incident, index.taxonomy) if index else None

    def _draw_frameworks(self) -> None:
        index = self.index
        self.query_one("#taxonomy-frameworks", Static).update(
            framework_text(self.mapping(), index.taxonomy if index else None)
        )

    def action_view(self, view: str) -> None:
        self.lower_view = view
        self.query_one(ContentSwitcher).current = f"taxonomy-view-{view}"
        target = self.table if view == "mode" else self.query_one(f"#taxonomy-view-{view}")
        target.focus()
        if view in ("suggestions", "similar"):
            self._start_learning()
        self._draw_bar()
        self._bindings_changed()

    def action_next_cause(self) -> None:
        causes = [c.id for c in self.incident.causes]
        if not causes:
            return
        current = self.selected_cause()
        after = causes[(causes.index(current) + 1) % len(causes)] if current in causes else causes[0]
        self.focus_entry(after)

    def _in_views(self) -> bool:
        focused = self.screen.focused
        views = self.query_one("#taxonomy-views")
        return focused is not None and (focused is views or views in focused.ancestors)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return not self._in_views()
        if action == "next_cause":
            return self.lower_view == "suggestions" and bool(self.incident.causes)
        if action == "accept":
            return self.lower_view == "suggestions" and self._highlighted_id(self.suggestions) is not None
        if action == "open_similar":
            return self.lower_view == "similar" and self._highlighted_id(self.similar) is not None
        return True

    def _bindings_changed(self) -> None:
        """Refresh the footer only when what check_action answers changes: each refresh recomposes the
        footer and reflows the whole incident screen."""
        state = (
            self.lower_view,
            self._in_views(),
            bool(self.incident.causes),
            self._highlighted_id(self.suggestions) is not None,
            self._highlighted_id(self.similar) is not None,
        )
        if state != self._bindings_state:
            self._bindings_state = state
            self.refresh_bindings()

    @on(OptionList.OptionHighlighted)
    @on(events.DescendantFocus)
    def _option_highlighted(self) -> None:
        self._bindings_changed()

    @staticmethod
    def _highlighted_id(options: OptionList) -> str | None:
        option = options.highlighted_option
        return option.id if option is not None and not option.disabled else None

    # ------------------------------------------------------------------ learning (built off the UI thread)
    def _start_learning(self) -> None:
        if self._learning_started:
            return
        self._learning_started = True
        self.learning_status = "Building suggestions from the store's incidents…"
        self._draw_learned()
        self.call_after_refresh(self._build)  # the pane drawn first: the build's Python competes for the GIL

    def _build(self) -> None:
        self._generation += 1
        self.run_worker(
            partial(self._build_learning, self._generation), thread=True, group="taxonomy-learning", exit_on_error=False
        )

    def _build_learning(self, generation: int) -> None:
        store = self.session.git_store
        try:
            stamp = others_stamp(store, self.session.id)  # before reading: a change meanwhile shows next time
            taxonomy = load_index(store).taxonomy
            suggester, _ = build_suggester(SearchIndex.of(self.app).engine, taxonomy)
        except Exception as exc:  # shown in the views; the tag table keeps working
            self.app.call_from_thread(self._learning_failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._learning_ready, generation, suggester, stamp)

    def _learning_failed(self, message: str) -> None:
        self.learning_status = f"Cannot build suggestions or similar incidents: {message}"
        self._draw_learned()

    def _learning_ready(self, generation: int, suggester: Suggester, stamp: Stamp) -> None:
        index = self.index
        if generation != self._generation or (index is not None and suggester.taxonomy is not index.taxonomy):
            return  # a newer build is on its way (or will be, for the taxonomy that replaced this one)
        self.suggester = suggester
        self._built_stamp = stamp
        self.learning_status = None
        self._request_learned()

    @property
    def learning_started(self) -> bool:
        """The background build of the suggestions index has been started (benchmarks wait on it)."""
        return self._learning_started

    def learned_is_current(self) -> bool:
        learned = self.learned
        if learned is None or learned.incident is not self.incident or learned.source is not self.suggester:
            return False
        cause = self.selected_cause()
        return learned.cause_id == (cause if any(c.id == cause for c in self.incident.causes) else None)

    def _request_learned(self) -> None:
        suggester = self.suggester
        if suggester is None or not self.is_mounted or self.learned_is_current():
            return
        incident, cause = self.incident, self.selected_cause()
        self.run_worker(
            partial(self._learn, suggester, incident, cause),
            thread=True,
            group="taxonomy-learn",
            exclusive=True,
            exit_on_error=False,
        )

    def _learn(self, suggester: Suggester, incident: Any, cause: str | None) -> None:
        try:
            learned = learn(suggester, incident, cause)
        except Exception as exc:
            self.app.call_from_thread(self._learning_failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._learned_ready, learned)

    def _learned_ready(self, learned: Learned) -> None:
        self.learned = learned
        if not self.learned_is_current():  # the incident or the highlighted cause moved on meanwhile
            self._request_learned()
        self._draw_learned()

    def _draw_learned(self) -> None:
        learned = self.learned
        status = self.learning_status
        index = self.index
        _refill(self.suggestions, suggestion_options(learned if status is None else None, self.incident, status))
        if learned is not None and learned.cause_id != self._drawn_cause:
            # Another cause was highlighted (c, or the table): show its suggestions, under the incident's.
            self._drawn_cause = learned.cause_id
            first = next((s for s in learned.for_cause), None)
            if first is not None:
                self.suggestions.highlighted = self.suggestions.get_option_index(f"{learned.cause_id}|{first.mode_id}")
        _refill(
            self.similar,
            similar_options(learned if status is None else None, index.taxonomy if index else None, status),
        )
        self._draw_bar()
        self._bindings_changed()

    # ---------------------------------------------------------------------------------- editing
    def action_tag(self) -> None:
        def picked(mode_id: str) -> None:
            tags = add_tag(list(self.incident.taxonomy), mode_id, self.index)
            if tags is None:
                self.notify(f"The incident is already tagged with {mode_id}.", severity="information")
                return
            self.commit(edit.replace(self.incident, taxonomy=tags), f"tag incident with {mode_id}")
            self._focus_row(f"{INCIDENT}|{mode_id}")

        open_picker(self, self.incident.taxonomy, "the incident", picked)

    def action_remove(self) -> None:
        key = self.current_row()
        if key is None:
            return
        owner, _, tag = key.partition("|")
        if not tag:
            return
        if owner == INCIDENT:
            new = edit.replace(self.incident, taxonomy=[t for t in self.incident.taxonomy if t != tag])
            self.commit(new, f"remove tag {tag} from incident")
            return
        causes = [
            c.model_copy(update={"taxonomy": [t for t in c.taxonomy if t != tag]}) if c.id == owner else c
            for c in self.incident.causes
        ]
        self.commit(edit.replace(self.incident, causes=causes), f"remove tag {tag} from {owner}")

    @on(OptionList.OptionSelected, "#taxonomy-view-suggestions")
    def _suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.accept(event.option_id)

    def action_accept(self) -> None:
        self.accept(self._highlighted_id(self.suggestions))

    def accept(self, option_id: str | None) -> None:
        """Tag the incident or the cause with a suggested mode: one commit, only ever on a key press."""
        if not option_id or "|" not in option_id:
            return
        owner, _, mode_id = option_id.partition("|")
        incident = self.incident
        if owner == INCIDENT:
            tags = add_tag(list(incident.taxonomy), mode_id, self.index)
            if tags is None:
                self.notify(f"The incident is already tagged with {mode_id}.", severity="information")
                return
            new, where = edit.replace(incident, taxonomy=tags), "incident"
        else:
            cause = next((c for c in incident.causes if c.id == owner), None)
            if cause is None:
                self.notify(f"Cause {owner} is not in the incident any more.", severity="warning")
                return
            tags = add_tag(list(cause.taxonomy), mode_id, self.index)
            if tags is None:
                self.notify(f"{owner} is already tagged with {mode_id}.", severity="information")
                return
            causes = [c.model_copy(update={"taxonomy": tags}) if c.id == owner else c for c in incident.causes]
            new, where = edit.replace(incident, causes=causes), owner
        at = self.suggestions.highlighted
        self.suggestions.remove_option(option_id)
        if at is not None and self.suggestions.option_count:
            self.suggestions.highlighted = min(at, self.suggestions.option_count - 1)
        self.commit(new, f"tag {where} with {mode_id} (accepted suggestion)")

    # -------------------------------------------------------------------------- similar incidents
    @on(OptionList.OptionSelected, "#taxonomy-view-similar")
    def _similar_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_similar(event.option_id)

    def action_open_similar(self) -> None:
        self.open_similar(self._highlighted_id(self.similar))

    def open_similar(self, incident_id: str | None) -> None:
        """Open a similar incident over this one (esc comes back): the screen does it."""
        if incident_id:
            self.post_message(self.IncidentWanted(incident_id))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _refill(options: OptionList, new: list[Any]) -> None:
    """Replace the options, keeping the highlight on the same id (else the same place, else the first one
    that can be chosen)."""
    before = options.highlighted_option.id if options.highlighted_option is not None else None
    at = options.highlighted
    options.set_options(new)
    ids = [o.id for o in new]
    enabled = [i for i, o in enumerate(new) if not o.disabled]
    if not enabled:
        return
    if before in ids and not new[ids.index(before)].disabled:
        options.highlighted = ids.index(before)
    elif at is not None:
        options.highlighted = min((i for i in enabled if i >= at), default=enabled[-1])
    else:
        options.highlighted = enabled[0]
