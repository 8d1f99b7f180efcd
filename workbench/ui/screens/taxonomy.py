"""The Taxonomy screen: families and modes as a tree, fuzzy-filtered as you type (offline), the
highlighted mode explained (description, detection hints, mappings, the incidents and causes tagged
with it), and keys to add, edit, rename, merge and deprecate modes, each one commit."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static, Tree

from ...domain.wording import counted
from ...domain.taxonomy import Family, Mode, Taxonomy
from ...services.taxonomy.edit import TaxonomyEditError, commit_edit, load_for_edit
from ...services.taxonomy.search import ModeHit, TaxonomyIndex
from ...services.learning import source as learning_source
from ...services.learning.memory import cyclic_gc_held_off, release_free_memory
from ...services.taxonomy.usage import TagUse, usage_by_mode
from ...store import Store, StoreError
from ..modals.taxonomy_edit import (
    Operation,
    add_form,
    deprecate_form,
    edit_form,
    merge_form,
    rename_form,
)
from ..help_registry import help_section
from ..search_index import SearchIndex
from ..fit_tree import FitTree
from ..hints import HintLine
from ..keybar import KeyBar


@dataclass(frozen=True)
class Loaded:
    taxonomy: Taxonomy
    index: TaxonomyIndex
    usage: dict[str, list[TagUse]]
    titles: dict[str, str]


def highlighted(text: str, spans: tuple[tuple[int, int], ...], style: str = "bold underline") -> Text:
    out = Text(text)
    for start, end in spans:
        out.stylize(style, start, end)
    return out


def mode_details(taxonomy: Taxonomy, mode: Mode, uses: list[TagUse], titles: dict[str, str]) -> RenderableType:
    family = taxonomy.family(mode.family)
    parts: list[RenderableType] = [
        Text.assemble((mode.name, "bold"), "  ", (mode.id, "dim")),
        Text(f"Family: {family.name if family else mode.family}", style="dim"),
    ]
    if mode.deprecated:
        parts.append(
            Text("Deprecated" + (f": replaced by {mode.replaced_by}" if mode.replaced_by else ""), style="bold yellow")
        )
    if mode.aliases:
        parts.append(Text(f"Old ids (aliases): {', '.join(mode.aliases)}", style="italic"))
    parts += [Text(""), Text(mode.description)]
    if mode.detection:
        parts += [Text(""), Text("Detection hints", style="bold")]
        parts += [Text(f"  • {hint}") for hint in mode.detection]
    if mode.keywords:
        parts += [Text(""), Text.assemble(("Keywords: ", "bold"), ", ".join(mode.keywords))]
    m = mode.mappings
    parts += [Text(""), Text("Mappings (references only, not a legal reading)", style="bold")]
    if m.atlas or m.owasp_llm or m.nist_ai_rmf:
        for label, ids in (
            ("MITRE ATLAS", m.atlas),
            ("OWASP LLM Top 10 2025", m.owasp_llm),
            ("NIST AI RMF", m.nist_ai_rmf),
        ):
            if ids:
                parts.append(Text(f"  {label}: {', '.join(ids)}"))
    else:
        parts.append(Text("  none recorded", style="dim"))
    incidents = list(dict.fromkeys(u.incident_id for u in uses))
    parts += [Text(""), Text(f"Tagged in {len(incidents)} incident(s)", style="bold")]
    for incident_id in incidents:
        parts.append(Text.assemble("  ", (incident_id, "bold"), "  ", titles.get(incident_id, "")))
        for use in (u for u in uses if u.incident_id == incident_id):
            via = f" (as {use.tag})" if use.tag != mode.id else ""
            if use.cause_id:
                parts.append(Text(f"      cause {use.cause_id}{via}: {use.cause_statement}", style="italic"))
            elif via:
                parts.append(Text(f"      incident tag{via}", style="italic"))
    return Group(*parts)


def family_details(taxonomy: Taxonomy, family: Family, usage: dict[str, list[TagUse]]) -> RenderableType:
    modes = taxonomy.modes_of(family.id)
    incidents = {u.incident_id for m in modes for u in usage.get(m.id, [])}
    return Group(
        Text(family.name, style="bold"),
        Text(family.id, style="dim"),
        Text(""),
        Text(family.description or "(no description)"),
        Text(""),
        Text(f"{counted(len(modes), 'mode')} · {counted(len(incidents), 'incident')} tagged with one of them"),
        Text("a add a mode to this family", style="dim"),
    )


@help_section("Taxonomy screen", order=60)
class TaxonomyScreen(Screen[None]):
    AUTO_FOCUS = "#tax-tree"
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="taxonomy_screen.filter"),
        Binding("a", "add", "Add mode", id="taxonomy_screen.add"),
        Binding("e", "edit", "Edit", id="taxonomy_screen.edit"),
        Binding("r", "rename", "Rename", id="taxonomy_screen.rename"),
        Binding("m", "merge", "Merge", id="taxonomy_screen.merge"),
        Binding("x", "deprecate", "Deprecate", id="taxonomy_screen.deprecate"),
        Binding("escape", "back", "Back", id="taxonomy_screen.back"),
    ]

    DEFAULT_CSS = """
    TaxonomyScreen #tax-filter { margin: 0 1; }
    TaxonomyScreen #tax-summary.error { color: $error; }
    TaxonomyScreen #tax-body { height: 1fr; }
    TaxonomyScreen #tax-tree { width: 2fr; border-right: solid $panel; }
    TaxonomyScreen #tax-detail-scroll { width: 3fr; padding: 0 1; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.data: Loaded | None = None
        self.hits: list[ModeHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Filter modes by name, keywords, description, hints (typos are fine) · / · esc", id="tax-filter"
        )
        yield HintLine("Loading the taxonomy…", id="tax-summary")
        with Horizontal(id="tax-body"):
            tree: Tree[object] = FitTree("Taxonomy", id="tax-tree")  # lines end in "…" at its width
            tree.show_root = False
            yield tree
            with VerticalScroll(id="tax-detail-scroll"):
                yield Static("", id="tax-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Taxonomy"
        self.sub_title = self.app.store_label  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        self.load()

    # ------------------------------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, group="taxonomy-load", exit_on_error=False)
    def load(self, focus: str | None = None) -> None:
        try:
            taxonomy = self.store.load_taxonomy()
        except StoreError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        # Which incidents use each mode, from the search index's profiles (services/learning/source.py), as the
        # Learning screen reads them: loading every incident in full took ~60 s and 600 MB at 10,000 incidents.
        with cyclic_gc_held_off():  # services/learning/memory.py
            try:
                profiles = learning_source.profiles(SearchIndex.of(self.app).engine)
            except Exception as exc:  # noqa: BLE001 - shown on screen; the taxonomy itself still loaded
                self.app.call_from_thread(self._failed_usage, taxonomy, f"{type(exc).__name__}: {exc}", focus)
                return
            data = Loaded(
                taxonomy,
                TaxonomyIndex(taxonomy),
                usage_by_mode(profiles, taxonomy),
                {p.id: p.title for p in profiles},
            )
            del profiles
        release_free_memory()
        self.app.call_from_thread(self._loaded, data, focus)

    def _failed_usage(self, taxonomy: Taxonomy, message: str, focus: str | None) -> None:
        self.notify(f"Cannot count the incidents that use each mode: {message}", severity="error", timeout=30)
        self._loaded(Loaded(taxonomy, TaxonomyIndex(taxonomy), {}, {}), focus)

    def _failed(self, message: str) -> None:
        summary = self.query_one("#tax-summary", HintLine)
        summary.add_class("error")
        summary.show(f"Cannot read taxonomy.toml: {message}", [])
        self.notify(f"Cannot read taxonomy.toml: {message}", severity="error", timeout=30)  # whole, wrapped

    def _loaded(self, data: Loaded, focus: str | None) -> None:
        self.data = data
        field = self.query_one("#tax-filter", Input)
        if focus and field.value.strip() and focus not in {h.mode.id for h in data.index.search(field.value, None)}:
            with self.prevent(Input.Changed):  # the mode just added or renamed must be visible
                field.value = ""
        self.redraw(focus)
        if not self.query_one("#tax-filter", Input).has_focus:  # never steal the keys someone is typing
            self.query_one(Tree).focus()

    # ------------------------------------------------------------------------------------- drawing
    @property
    def query_text(self) -> str:
        return self.query_one("#tax-filter", Input).value.strip()

    def redraw(self, focus: str | None = None) -> None:
        data = self.data
        if data is None:
            return
        tree: Tree[object] = self.query_one(Tree)
        keep = focus or self.current_key()
        tree.clear()
        query = self.query_text
        self.hits = data.index.search(query, limit=None)
        by_family: dict[str, list[ModeHit]] = {}
        for hit in self.hits:
            by_family.setdefault(hit.mode.family, []).append(hit)
        target = None
        families = list(data.taxonomy.families)
        if query:  # the family with the best match first; within a family, best match first
            best = {f: max(h.score for h in hs) for f, hs in by_family.items()}
            families.sort(key=lambda f: -best.get(f.id, -1))
        for family in families:
            hits = by_family.get(family.id, [])
            if query and not hits:
                continue
            node = tree.root.add(
                Text.assemble((family.name, "bold"), (f"  {len(hits)}", "dim")), data=family, expand=True
            )
            if keep == family.id and not query:  # while filtering, the best match wins over a family
                target = node
            for hit in hits:
                label = self._label(hit, query)
                leaf = node.add_leaf(label, data=hit.mode)
                if keep == hit.mode.id:
                    target = leaf
        modes = len(data.taxonomy.modes)
        shown = (
            f"{len(self.hits)} of {modes} modes match"
            if query
            else f"{counted(modes, 'mode')} in {counted(len(data.taxonomy.families), 'family', 'families')}"
        )
        deprecated = sum(1 for m in data.taxonomy.modes if m.deprecated)
        self.query_one("#tax-summary", HintLine).show(
            [f"{shown} · {deprecated} deprecated", shown],
            [("/", "filter"), ("a", "add"), ("e", "edit"), ("r", "rename"), ("m", "merge"), ("x", "deprecate")],
        )
        if target is None and query:
            target = next((n for f in tree.root.children for n in f.children), None)
        # The tree lays out its new lines on the next refresh; only then can the cursor land on a node.
        self.call_after_refresh(self._place_cursor, target)

    def _place_cursor(self, node, attempts: int = 20) -> None:
        tree: Tree[object] = self.query_one(Tree)
        if node is None and tree.cursor_line < 0 and tree.root.children:
            node = tree.root.children[0]
        if node is not None and node.line < 0 and attempts:
            # The tree numbers its new lines when idle; until then a node has no line to move to.
            self.set_timer(0.02, lambda: self._place_cursor(node, attempts - 1))
            return
        if node is not None:
            tree.move_cursor(node)
        self._show_detail(node)

    def _label(self, hit: ModeHit, query: str) -> Text:
        mode = hit.mode
        uses = len({u.incident_id for u in (self.data.usage.get(mode.id, []) if self.data else [])})
        name = highlighted(mode.name, hit.spans) if query and hit.field == "name" else Text(mode.name)
        if mode.deprecated:
            name.stylize("strike dim")
        label = Text.assemble(name, (f"  {uses}" if uses else "", "cyan"))
        if query and hit.field != "name":
            label.append(f"  ({hit.field})", style="dim italic")
        if mode.deprecated:
            label.append("  deprecated", style="yellow")
        return label

    def current_key(self) -> str | None:
        node = self.query_one(Tree).cursor_node
        if node is None or node.data is None:
            return None
        return node.data.id

    def current_mode(self) -> Mode | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None and isinstance(node.data, Mode) else None

    def current_family(self) -> str | None:
        node = self.query_one(Tree).cursor_node
        if node is None:
            return None
        if isinstance(node.data, Family):
            return node.data.id
        if isinstance(node.data, Mode):
            return node.data.family
        return None

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self, node=None) -> None:
        """Explain `node`, or the node under the cursor."""
        detail = self.query_one("#tax-detail", Static)
        data = self.data
        node = node or self.query_one(Tree).cursor_node
        if data is None or node is None or node.data is None:
            detail.update(Text("No mode matches the filter." if self.query_text else "", style="italic"))
            return
        if isinstance(node.data, Family):
            detail.update(family_details(data.taxonomy, node.data, data.usage))
        else:
            mode = node.data
            assert isinstance(mode, Mode)
            detail.update(mode_details(data.taxonomy, mode, data.usage.get(mode.id, []), data.titles))

    @on(Input.Changed, "#tax-filter")
    def _filter_changed(self) -> None:
        self.redraw()

    @on(Input.Submitted, "#tax-filter")
    def _filter_submitted(self) -> None:
        self.query_one(Tree).focus()

    # ------------------------------------------------------------------------------------- actions
    def action_filter(self) -> None:
        # At once, not after the next refresh (what focus() does): "/" and the words typed in one burst must all
        # land in the field, none of them taken as this screen's keys.
        self.set_focus(self.query_one("#tax-filter", Input))

    def action_back(self) -> None:
        field = self.query_one("#tax-filter", Input)
        if field.value:
            field.value = ""
            self.query_one(Tree).focus()
            return
        self.app.pop_screen()

    def _need_mode(self) -> Mode | None:
        mode = self.current_mode()
        if mode is None:
            self.notify("Highlight a mode first (the tree on the left).", severity="warning")
        return mode

    def _open(self, form, focus: str | None = None) -> None:
        def done(op: Operation | None) -> None:
            if op is not None:
                self.apply(op, focus)

        self.app.push_screen(form, done)

    def action_add(self) -> None:
        if self.data:
            self._open(add_form(self.data.taxonomy, self.current_family()))

    def action_edit(self) -> None:
        mode = self._need_mode()
        if mode and self.data:
            self._open(edit_form(self.data.taxonomy, mode), mode.id)

    def action_rename(self) -> None:
        mode = self._need_mode()
        if mode and self.data:
            self._open(rename_form(self.data.taxonomy, mode))

    def action_merge(self) -> None:
        mode = self._need_mode()
        if mode and self.data:
            self._open(merge_form(self.data.taxonomy, mode))

    def action_deprecate(self) -> None:
        mode = self._need_mode()
        if mode and self.data:
            self._open(deprecate_form(self.data.taxonomy, mode), mode.id)

    @work(thread=True, exclusive=True, group="taxonomy-commit", exit_on_error=False)
    def apply(self, op: Operation, focus: str | None = None) -> None:
        """Re-run the edit on taxonomy.toml as it is now, then commit it: an edit made elsewhere is kept."""
        try:
            taxonomy, base = load_for_edit(self.store)
            edit = op(taxonomy)
            commit = commit_edit(self.store, edit, base)
        except (TaxonomyEditError, StoreError, OSError) as exc:
            self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error", timeout=10)
            return
        message = f"Committed: {edit.what}" if commit else f"Nothing changed: {edit.what}"
        new_id = next(iter(edit.renamed.values()), None) or focus or _added_id(edit.what)
        self.app.call_from_thread(self.notify, message)
        self.app.call_from_thread(self.load, new_id)


def _added_id(what: str) -> str | None:
    """The mode to keep highlighted after the reload: the added one, or the one that absorbed a merge."""
    words = what.split()
    if what.startswith("add mode "):
        return words[2]
    if what.startswith("merge mode ") and len(words) > 4:
        return words[4]
    return None
