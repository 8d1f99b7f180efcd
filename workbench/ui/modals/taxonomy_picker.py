"""Pick a failure mode from the whole taxonomy: fuzzy filtering as you type (offline, rapidfuzz via
`services.taxonomy.search`), and the highlighted mode's description, detection hints and framework
mappings shown before you tag. Reusable: give it the taxonomy index and the tags already set; it
returns the chosen mode id (or None)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.wording import counted
from ...domain.taxonomy import Mode, Taxonomy
from ...services.taxonomy.search import ModeHit, TaxonomyIndex
from ..help_registry import help_section


@help_section("Taxonomy picker", order=160)
class TaxonomyPicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TaxonomyPicker { align: center middle; }
    TaxonomyPicker > Vertical { width: 96%; height: 92%; border: thick $primary; background: $surface;
        padding: 0 1; }
    TaxonomyPicker .picker-title { text-style: bold; color: $primary; padding: 1 0 0 0; height: auto; }
    TaxonomyPicker #picker-query { margin: 1 0 0 0; }
    TaxonomyPicker #picker-count { color: $text-muted; height: 1; }
    TaxonomyPicker #picker-body { height: 1fr; }
    TaxonomyPicker #picker-list { width: 1fr; height: 1fr; }
    TaxonomyPicker #picker-detail-scroll { width: 1fr; height: 1fr; border-left: solid $panel; padding: 0 1; }
    TaxonomyPicker .picker-help { color: $text-muted; height: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="taxonomy_picker.cancel"),
        Binding("down", "move(1)", "Next", id="taxonomy_picker.next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", id="taxonomy_picker.previous", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", id="taxonomy_picker.page_down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", id="taxonomy_picker.page_up", show=False, priority=True),
    ]

    def __init__(
        self, index: TaxonomyIndex, tagged: Iterable[str] = (), target: str = "the incident", query: str = ""
    ) -> None:
        super().__init__()
        self.index = index
        self.target = target
        self.initial_query = query
        # Tags as written may be aliases: compare the live modes they resolve to.
        self.tagged = {m.id for m in (index.taxonomy.resolve(t) for t in tagged) if m is not None}
        self.hits: list[ModeHit] = []

    @property
    def taxonomy(self) -> Taxonomy:
        return self.index.taxonomy

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Tag {self.target} with a failure mode"), classes="picker-title")
            yield Input(
                self.initial_query, placeholder="type to filter: name, id, keyword, description…", id="picker-query"
            )
            yield Static("", id="picker-count")
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-list")
                with VerticalScroll(id="picker-detail-scroll"):
                    yield Static("", id="picker-detail")
            yield Static("type to filter · ↑/↓ move · enter tags · esc cancels", classes="picker-help")

    def on_mount(self) -> None:
        self._filter(self.initial_query)
        self.query_one(Input).focus()

    @on(Input.Changed, "#picker-query")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        self.hits = self.index.search(query, limit=None, include_deprecated=False)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(Option(self._prompt(hit), id=hit.mode.id) for hit in self.hits)
        live = sum(1 for m in self.taxonomy.modes if not m.deprecated)
        count = f"{len(self.hits)} of {counted(live, 'mode')}" if query.strip() else counted(live, "mode")
        self.query_one("#picker-count", Static).update(count)
        if self.hits:
            option_list.highlighted = 0
        self._show_detail()

    def _prompt(self, hit: ModeHit) -> Text:
        """Two lines: the name (✓ when already tagged), then the id and, when the match was elsewhere,
        the field that matched: a typo'd query still shows why a mode is listed."""
        mode = hit.mode
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("✓ " if mode.id in self.tagged else "  ", style="bold green")
        text.append(mode.name, style="bold")
        text.append(f"\n    {mode.id}", style="dim")
        if hit.field not in ("name", "id") and self.query_one(Input).value.strip():
            snippet = hit.text if len(hit.text) <= 40 else hit.text[:39] + "…"
            text.append(f" · {hit.field}: {snippet}", style="italic dim")
        return text

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def highlighted_mode(self) -> Mode | None:
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return None
        return self.hits[index].mode

    def _show_detail(self) -> None:
        detail = self.query_one("#picker-detail", Static)
        mode = self.highlighted_mode()
        if mode is None:
            detail.update(Text("No mode matches. Fewer or other words may help.", style="italic"))
            return
        detail.update(mode_detail(self.taxonomy, mode, tagged=mode.id in self.tagged))

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(OptionList)
        if not self.hits:
            return
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(len(self.hits) - 1, current + delta))

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        self._pick()

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self) -> None:
        self._pick()

    def _pick(self) -> None:
        mode = self.highlighted_mode()
        if mode is None:
            self.notify("No mode is highlighted: change the filter.", severity="warning")
            return
        self.dismiss(mode.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def mode_detail(taxonomy: Taxonomy, mode: Mode, tagged: bool = False) -> Group:
    """A mode as a reader needs it before tagging: what it is, how to spot it, what it maps to."""
    family = taxonomy.family(mode.family)
    head = Text()
    head.append(mode.name, style="bold")
    head.append(f"\n{mode.id}", style="dim")
    head.append(f"  ·  family {family.name if family else mode.family}", style="dim")
    if tagged:
        head.append("\n✓ already tagged", style="bold green")
    if mode.deprecated:
        head.append(f"\ndeprecated{' → ' + mode.replaced_by if mode.replaced_by else ''}", style="bold yellow")
    parts: list[Text] = [head, Text(""), Text(mode.description)]
    if mode.detection:
        parts += [Text(""), Text("Detection hints", style="bold")]
        parts += [Text(f"• {hint}") for hint in mode.detection]
    mappings = mode.mappings
    lines = [
        (label, values)
        for label, values in (
            ("NIST AI RMF", mappings.nist_ai_rmf),
            ("OWASP LLM Top 10", mappings.owasp_llm),
            ("MITRE ATLAS", mappings.atlas),
        )
        if values
    ]
    parts += [Text(""), Text("Mappings", style="bold")]
    if lines:
        parts += [Text.assemble((f"{label}: ", "dim"), ", ".join(values)) for label, values in lines]
    else:
        parts.append(Text("none recorded", style="italic dim"))
    if mode.keywords:
        parts += [Text(""), Text.assemble(("Keywords: ", "dim"), ", ".join(mode.keywords))]
    if mode.aliases:
        parts.append(Text.assemble(("Also known as: ", "dim"), ", ".join(mode.aliases)))
    return Group(*parts)
