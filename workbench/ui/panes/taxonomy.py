"""Taxonomy: the failure modes this incident and its causes are tagged with, resolved through the
store's taxonomy (aliases and merges followed; tags that name nothing are shown as such), the
highlighted mode explained, and a fuzzy picker to add a tag. Each tag added or removed is one commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...domain import edit
from ...services.taxonomy_search import TaxonomyIndex
from ...store import StoreError
from ..modals.taxonomy_picker import TaxonomyPicker, mode_detail
from ..taxonomy_cache import cached_index, load_index
from .base import Pane

INCIDENT = "incident"


def open_picker(pane: Pane, tagged: Iterable[str], target: str, on_pick: Callable[[str], None]) -> None:
    """Load the taxonomy off the UI thread (cached after the first time), then show the picker."""
    tags = list(tagged)
    store = pane.session.store

    def load() -> None:
        try:
            index = load_index(store)
        except (StoreError, OSError) as exc:
            pane.app.call_from_thread(partial(pane.notify, f"Cannot read the taxonomy: {exc}", severity="error",
                                              timeout=10, markup=False))
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

    BINDINGS = [
        Binding("t,a", "tag", "Tag incident", id="taxonomy.tag"),
        Binding("d,delete", "remove", "Remove tag", id="taxonomy.remove"),
    ]

    DEFAULT_CSS = """
    TaxonomyPane DataTable { height: 1fr; }
    TaxonomyPane .pane-summary { height: 1; color: $text-muted; padding: 0 1; }
    TaxonomyPane #taxonomy-detail-scroll { height: 14; border-top: solid $panel; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-summary")
        table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True, id="taxonomy-table")
        table.add_column("On", key="on", width=8)
        table.add_column("Tag (as written)", key="tag", width=52)
        table.add_column("Mode", key="mode", width=40)
        table.add_column("Family", key="family", width=24)
        table.add_column("Note", key="note")
        yield table
        with VerticalScroll(id="taxonomy-detail-scroll"):
            yield Static("", id="taxonomy-detail")

    def on_mount(self) -> None:
        self.show()
        if cached_index(self.session.store) is None:
            self.run_worker(self._load, thread=True, group="taxonomy", exit_on_error=False)

    def _load(self) -> None:
        try:
            load_index(self.session.store)
        except (StoreError, OSError) as exc:
            self.app.call_from_thread(partial(self.notify, f"Cannot read the taxonomy: {exc}", severity="error",
                                              timeout=10, markup=False))
            return
        self.app.call_from_thread(self.show)

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    @property
    def index(self) -> TaxonomyIndex | None:
        return cached_index(self.session.store)

    def rows(self) -> list[tuple[str, str]]:
        """(owner, tag): the incident's own tags first, then each cause's, in file order."""
        out = [(INCIDENT, tag) for tag in self.incident.taxonomy]
        for cause in self.incident.causes:
            out += [(cause.id, tag) for tag in cause.taxonomy]
        return out

    def show(self) -> None:
        table = self.table
        current = self.current_row()
        table.clear()
        index = self.index
        unresolved = 0
        for owner, tag in self.rows():
            mode = index.taxonomy.resolve(tag) if index else None
            if index is None:
                name, family, note = Text("loading taxonomy…", style="dim"), "", Text("")
            elif mode is None:
                unresolved += 1
                name, family = Text("not in the taxonomy", style="bold red"), ""
                note = Text("resolves to nothing", style="red")
            else:
                fam = index.taxonomy.family(mode.family)
                name, family = Text(mode.name), (fam.name if fam else mode.family)
                note = Text(f"→ {mode.id}" if mode.id != tag else "", style="italic")
                if mode.deprecated:
                    note.append(" deprecated", style="yellow")
            table.add_row(Text(owner, style="bold" if owner == INCIDENT else ""), Text(tag), name, Text(family),
                          note, key=f"{owner}|{tag}")
        own = len(self.incident.taxonomy)
        summary = f"{own} incident tags · {len(self.rows()) - own} cause tags"
        if unresolved:
            summary += f" · {unresolved} resolve to nothing"
        summary += "   t tag the incident · d remove the highlighted tag · tag causes from the Causes pane (3, t)"
        self.query_one(".pane-summary", Static).update(summary)
        if current:
            self._focus_row(current)
        self._show_detail()

    def current_row(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def _focus_row(self, key: str) -> bool:
        table = self.table
        try:
            table.move_cursor(row=table.get_row_index(key))
        except Exception:
            return False
        return True

    def focus_entry(self, entry_id: str) -> bool:
        """A cause id: its first tag."""
        key = next((f"{o}|{t}" for o, t in self.rows() if o == entry_id), None)
        return key is not None and self._focus_row(key)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#taxonomy-detail", Static)
        key = self.current_row()
        if key is None:
            detail.update(Text("No taxonomy tags yet: press t to pick a failure mode for this incident.",
                               style="italic"))
            return
        owner, _, tag = key.partition("|")
        index = self.index
        if index is None:
            detail.update(Text("Loading the taxonomy…", style="italic"))
            return
        mode = index.taxonomy.resolve(tag)
        if mode is None:
            detail.update(Text(f"{tag!s} names no mode of this store's taxonomy (nor an alias of one). "
                               "Remove it with d, or add the mode to taxonomy.toml.", style="italic"))
            return
        where = "the incident" if owner == INCIDENT else f"cause {owner}"
        head = Text.assemble(("Tagged on ", "dim"), (where, "bold"),
                             (f"  (written as {tag}, an alias)" if tag != mode.id else "", "italic"))
        detail.update(Group(head, mode_detail(index.taxonomy, mode)))

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
        if owner == INCIDENT:
            new = edit.replace(self.incident, taxonomy=[t for t in self.incident.taxonomy if t != tag])
            self.commit(new, f"remove tag {tag} from incident")
            return
        causes = [c.model_copy(update={"taxonomy": [t for t in c.taxonomy if t != tag]}) if c.id == owner else c
                  for c in self.incident.causes]
        self.commit(edit.replace(self.incident, causes=causes), f"remove tag {tag} from {owner}")
