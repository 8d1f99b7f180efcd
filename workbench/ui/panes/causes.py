"""Causes: a tree of causes (parent/child chains: 5 Whys, fault trees) with kind, lens, confirmed vs
working hypothesis (hypotheses in italics), evidence linked to timeline entries and taxonomy tags.
Add, ask "why?" (a child of the selected cause), edit, delete, toggle hypothesis, link evidence and
tag, each one commit."""

from __future__ import annotations

from typing import Any, get_args

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from ...domain.wording import counted
from ...domain import edit
from ...domain.model import LENS_LABELS, Cause, CauseKind, FishboneCategory, Incident
from ..forms import FormError, FormField, FormModal
from ..modals.confirm import ConfirmModal
from ..modals.pick import PickManyModal
from ..tables import shorten, theme_style
from ..taxonomy_cache import cached_index
from ..hints import HintLine
from ..redraw import update_static
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
CAUSE_KEYS = [
    ("a", "add"),
    ("w", "why?"),
    ("e", "edit"),
    ("l", "evidence"),
    ("t", "tag"),
    ("h", "hypothesis/confirmed"),
    ("d", "delete"),
]
from .taxonomy import add_tag, open_picker

KIND_OPTIONS = [(k, k) for k in get_args(CauseKind)]
LENS_OPTIONS = [(label, lens) for lens, label in LENS_LABELS.items()]
CATEGORY_OPTIONS = [(c, c) for c in get_args(FishboneCategory)]
STATUS_OPTIONS = [
    ("hypothesis (working, not yet confirmed)", "hypothesis"),
    ("confirmed (evidence shows it)", "confirmed"),
]
KIND_STYLE = {"proximate": "bold $error", "contributing": "bold $warning", "systemic": "bold $accent"}


def cause_fields() -> list[FormField]:
    return [
        FormField("statement", "Statement (what in the system allowed this; blameless, specific)", "multiline"),
        FormField("kind", "Kind", "select", KIND_OPTIONS, allow_blank=False),
        FormField("lens", "Lens (the analysis that found it)", "select", LENS_OPTIONS),
        FormField("category", "Fishbone category", "select", CATEGORY_OPTIONS),
        FormField(
            "status",
            "Status",
            "select",
            STATUS_OPTIONS,
            allow_blank=False,
            help="Keep it a hypothesis until evidence confirms it: never present a guess as fact.",
        ),
        FormField(
            "diagnostics",
            "Diagnostics cited (dx- ids, comma separated)",
            "list",
            help="A claim of rate, reliability or regression cites the statistic behind it (Diagnostics pane: f8).",
        ),
    ]


def children_of(incident: Incident) -> dict[str | None, list[Cause]]:
    """parent id (None for roots) -> causes, in file order."""
    out: dict[str | None, list[Cause]] = {}
    for cause in incident.causes:
        out.setdefault(cause.parent, []).append(cause)
    return out


class CausesPane(Pane):
    pane_id = "causes"
    title = "Causes"
    key = "3"

    BINDINGS = [
        Binding("a", "add", "Add", id="causes.add"),
        Binding("w", "why", "Why? (child)", id="causes.why"),
        Binding("e", "edit", "Edit", id="causes.edit"),
        Binding("d,delete", "delete", "Delete", id="causes.delete"),
        Binding("h", "toggle_status", "Hypothesis/confirmed", id="causes.toggle_status"),
        Binding("l", "link_evidence", "Evidence", id="causes.evidence"),
        Binding("t", "tag", "Tag", id="causes.tag"),
    ]

    DEFAULT_CSS = """
    CausesPane Tree { height: 1fr; }
    CausesPane #causes-detail-scroll { height: 13; border-top: solid $panel; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield HintLine(keys=CAUSE_KEYS, classes="pane-summary")
        tree: Tree[str] = Tree("Causes", id="causes-tree")
        tree.show_root = False
        tree.auto_expand = False  # enter edits; space folds a branch
        yield tree
        with VerticalScroll(id="causes-detail-scroll"):
            yield Static("", id="causes-detail")

    def on_mount(self) -> None:
        self.show()

    @property  # not `tree`: that is DOMNode.tree, the DOM as a Rich tree for Textual's logs
    def cause_tree(self) -> Tree[str]:
        return self.query_one(Tree)

    def show(self) -> None:
        tree = self.cause_tree
        current = self.current_id()
        folded = {n.data for n in _walk(tree.root) if n.data and n.allow_expand and not n.is_expanded}
        tree.clear()
        kids = children_of(self.incident)

        width = tree.scrollable_content_region.width

        def add(node: TreeNode[str], parent: str | None, depth: int = 0) -> None:
            for cause in kids.get(parent, []):
                room = max(width - 4 * depth - (2 if cause.id in kids else 0) - 1, 24) if width else None
                label = self._label(cause, room)
                if cause.id in kids:
                    child = node.add(label, data=cause.id, expand=cause.id not in folded)
                    add(child, cause.id, depth + 1)
                else:
                    node.add_leaf(label, data=cause.id)

        add(tree.root, None)
        tree.root.expand()
        causes = self.incident.causes
        hypotheses = sum(1 for c in causes if c.status == "hypothesis")
        unevidenced = sum(1 for c in causes if not c.evidence)
        without = f" · {unevidenced} without evidence" if unevidenced else ""
        self.query_one(".pane-summary", HintLine).show(
            [
                f"{counted(len(causes), 'cause')} · {counted(hypotheses, 'working hypothesis', 'working hypotheses')}"
                f"{without}",
                f"{counted(len(causes), 'cause')} · {counted(hypotheses, 'hypothesis', 'hypotheses')}{without}",
            ]
        )
        if not (current and self.focus_entry(current)) and causes:
            _ = tree.last_line
            tree.move_cursor_to_line(0)
        self._show_detail()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.call_after_refresh(self.show)  # labels are fitted to the tree's width

    def _label(self, cause: Cause, room: int | None = None) -> Text:
        """One line: id, kind, the statement, then lens, status, evidence and tags. In `room` columns the tags
        give way first, then the other details, then the statement ends in "…" (the detail below has it all)."""
        hypothesis = cause.status == "hypothesis"
        head = Text()
        head.append(f"{cause.id} ", style="bold")
        head.append(f"{cause.kind:<13}", style=theme_style(self, KIND_STYLE[cause.kind]))
        statement = " ".join(cause.statement.split())
        parts = [
            LENS_LABELS[cause.lens] if cause.lens else "no lens",
            "hypothesis" if hypothesis else "confirmed",
            f"{len(cause.evidence)} evidence" if cause.evidence else "NO EVIDENCE",
        ]
        short = statement if len(statement) <= 56 else statement[:55] + "…"
        text = head.copy()
        text.append(short, style="italic" if hypothesis else "")
        text.append("  · " + " · ".join(parts), style=theme_style(self, "$warning") if hypothesis else "dim")
        if room is None or text.cell_len <= room:  # the tags come last and give way first
            if cause.taxonomy:
                text.append("  " + ", ".join(cause.taxonomy), style=theme_style(self, "$accent"))
            if room is not None:
                text.truncate(room, overflow="ellipsis")
            return text
        text = head.copy()
        text.append(statement, style="italic" if hypothesis else "")
        text.truncate(room, overflow="ellipsis")
        return text

    def current_id(self) -> str | None:
        node = self.cause_tree.cursor_node
        return node.data if node is not None and node.data else None

    def focus_entry(self, entry_id: str) -> bool:
        tree = self.cause_tree
        node = next((n for n in _walk(tree.root) if n.data == entry_id), None)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        _ = tree.last_line  # lay the tree out now, so the node knows its line
        tree.move_cursor(node)
        return True

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(Tree.NodeSelected)
    def _selected(self) -> None:
        self.action_edit()

    def _cause(self, cause_id: str) -> Cause:
        return next(c for c in self.incident.causes if c.id == cause_id)

    def _show_detail(self) -> None:
        detail = self.query_one("#causes-detail", Static)
        cause_id = self.current_id()
        if cause_id is None:
            update_static(
                detail, Text("No causes yet: press a to add one, then w to ask why it happened.", style="italic")
            )
            return
        cause = self._cause(cause_id)
        hypothesis = cause.status == "hypothesis"
        head = Text.assemble(
            (f"{cause.id}  {cause.kind}", "bold"),
            f"  lens {LENS_LABELS[cause.lens] if cause.lens else '—'}  category {cause.category or '—'}  ",
            (
                "WORKING HYPOTHESIS" if hypothesis else "confirmed",
                theme_style(self, "bold $warning") if hypothesis else theme_style(self, "bold $success"),
            ),
            (f"  child of {cause.parent}" if cause.parent else "", "dim"),
        )
        parts: list[Any] = [head, Text(cause.statement, style="italic" if hypothesis else "")]
        timeline = {e.id: e for e in self.incident.timeline}
        parts.append(Text(f"Evidence ({len(cause.evidence)})", style="bold"))
        if not cause.evidence:
            parts.append(
                Text("none linked: press l to pick timeline entries", style=theme_style(self, "italic $warning"))
            )
        for entry_id in cause.evidence:
            entry = timeline[entry_id]
            parts.append(
                Text.assemble((f"  {entry.id}  {entry.time:%Y-%m-%d %H:%M} UTC  ", "dim"), shorten(entry.event, 110))
            )
        index = cached_index(self.session.disk) if self.session.disk is not None else None
        tags = Text("Tags: ", style="bold")
        if not cause.taxonomy:
            tags.append("none (t picks a failure mode)", style="italic dim")
        for n, tag in enumerate(cause.taxonomy):
            mode = index.taxonomy.resolve(tag) if index else None
            tags.append((", " if n else "") + tag)
            if mode is not None:
                tags.append(f" ({mode.name})", style="dim")
            elif index is not None:
                tags.append(" (not in the taxonomy)", style="red")
        parts.append(tags)
        update_static(detail, Group(*parts))

    # ---------------------------------------------------------------------------------- editing
    def _form(
        self,
        title: str,
        values: dict[str, Any],
        cause_id: str,
        base: Cause | None,
        parent: str | None,
        what: str,
        action: str,
        anchor: str | None = None,
    ) -> None:
        def build(v: dict[str, Any]) -> Any:
            if not v["statement"].strip():
                raise FormError({"statement": "cannot be empty: say what in the system allowed this"})
            keep = {"evidence": base.evidence, "taxonomy": base.taxonomy} if base else {}
            unknown = [d for d in v.get("diagnostics") or [] if d not in {x.id for x in self.incident.diagnostics}]
            if unknown:
                known = ", ".join(d.id for d in self.incident.diagnostics) or "none yet (f8 adds one)"
                raise FormError(
                    {"diagnostics": f"not a diagnostic of this incident: {', '.join(unknown)} (diagnostics: {known})"}
                )
            cause = Cause(id=cause_id, parent=parent, **keep, **v)
            return edit.upsert(self.incident, "causes", cause)

        def done(result: Incident | None) -> None:
            if result is None or result == self.incident:
                return
            statement = next(c for c in result.causes if c.id == cause_id).statement
            self.commit(
                result,
                f'{what} {cause_id} "{shorten(statement, 60)}"' + (f" under {parent}" if parent and not base else ""),
            )
            self.focus_entry(cause_id)

        self.open_form(FormModal(title, cause_fields(), values, build), done, action, anchor)

    def action_add(self) -> None:
        cause_id = edit.fresh_id(self.incident, "causes")
        self._form(
            "Add cause", {"kind": "contributing", "status": "hypothesis"}, cause_id, None, None, "add cause", "add"
        )

    def action_why(self) -> None:
        parent_id = self.current_id()
        if parent_id is None:
            self.notify("Select the cause to ask why about (or press a to add a first one).", severity="warning")
            return
        parent = self._cause(parent_id)
        cause_id = edit.fresh_id(self.incident, "causes")
        values = {"kind": "contributing", "status": "hypothesis", "lens": parent.lens, "category": parent.category}
        self._form(
            f"Why? — {parent_id}: {shorten(parent.statement, 60)}",
            values,
            cause_id,
            None,
            parent_id,
            "add cause",
            "why",
            parent_id,
        )

    def action_edit(self) -> None:
        cause_id = self.current_id()
        if cause_id is None:
            return
        cause = self._cause(cause_id)
        values = cause.model_dump(include={"statement", "kind", "lens", "category", "status", "diagnostics"})
        self._form(f"Edit cause {cause_id}", values, cause_id, cause, cause.parent, "edit cause", "edit", cause_id)

    def action_delete(self) -> None:
        cause_id = self.current_id()
        if cause_id is None:
            return
        cause = self._cause(cause_id)
        kids = children_of(self.incident).get(cause_id, [])
        addressed = [a.id for a in self.incident.actions if cause_id in a.addresses]
        notes = []
        if kids:
            notes.append(f"Its {len(kids)} child cause(s) move up to {cause.parent or 'the top level'}.")
        if addressed:
            notes.append(f"Actions {', '.join(addressed)} stop referring to it.")
        question = f"Delete cause {cause_id}?\n\n{cause.statement}" + ("\n\n" + " ".join(notes) if notes else "")

        def done(yes: bool | None) -> None:
            if yes:
                self.commit(
                    edit.delete(self.incident, "causes", cause_id),
                    f'delete cause {cause_id} "{shorten(cause.statement, 60)}"',
                )

        self.app.push_screen(ConfirmModal(question, "Delete"), done)

    def _update(self, cause_id: str, **changes: Any) -> Incident:
        causes = [c.model_copy(update=changes) if c.id == cause_id else c for c in self.incident.causes]
        return edit.replace(self.incident, causes=causes)

    def action_toggle_status(self) -> None:
        cause_id = self.current_id()
        if cause_id is None:
            return
        cause = self._cause(cause_id)
        new = "confirmed" if cause.status == "hypothesis" else "hypothesis"
        if new == "confirmed" and not cause.evidence:
            self.notify(
                f"{cause_id} has no evidence linked: confirming it anyway. Press l to link the "
                "timeline entries that show it.",
                severity="warning",
            )
        self.commit(self._update(cause_id, status=new), f"mark {cause_id} {new} (was {cause.status})")

    def action_link_evidence(self) -> None:
        cause_id = self.current_id()
        if cause_id is None:
            return
        cause = self._cause(cause_id)
        options = []
        for entry in self.incident.sorted_timeline():
            prompt = Text.assemble(
                (f"{entry.time:%Y-%m-%d %H:%M}  ", "bold"), (f"{entry.id}  ", "dim"), shorten(entry.event, 80)
            )
            options.append((prompt, entry.id))

        def done(chosen: list[str] | None) -> None:
            if chosen is None or set(chosen) == set(cause.evidence):
                return
            # Keep the order the author gave; new links go after, in time order.
            evidence = [e for e in cause.evidence if e in chosen] + [e for e in chosen if e not in cause.evidence]
            added = [e for e in evidence if e not in cause.evidence]
            removed = [e for e in cause.evidence if e not in evidence]
            words = []
            if added:
                words.append(f"link evidence {', '.join(added)} to {cause_id}")
            if removed:
                words.append(f"unlink evidence {', '.join(removed)} from {cause_id}")
            self.commit(self._update(cause_id, evidence=evidence), "; ".join(words))

        self.app.push_screen(
            PickManyModal(
                f"Evidence for {cause_id}: {shorten(cause.statement, 70)}",
                options,
                cause.evidence,
                "The timeline is empty: add entries in the Timeline pane (2) first.",
            ),
            done,
        )

    def action_tag(self) -> None:
        cause_id = self.current_id()
        if cause_id is None:
            return
        if self.session.disk is None:
            self.notify("Tagging reads the store's taxonomy index: open a store on disk.", severity="warning")
            return
        cause = self._cause(cause_id)

        def picked(mode_id: str) -> None:
            # The cause may have changed (or gone) while the picker was open.
            current = next((c for c in self.incident.causes if c.id == cause_id), None)
            if current is None:
                self.notify(f"{cause_id} was deleted; nothing tagged.", severity="warning")
                return
            tags = add_tag(list(current.taxonomy), mode_id, cached_index(self.session.git_store))
            if tags is None:
                self.notify(f"{cause_id} is already tagged with {mode_id}.", severity="information")
                return
            self.commit(self._update(cause_id, taxonomy=tags), f"tag {cause_id} with {mode_id}")
            self.focus_entry(cause_id)

        open_picker(self, cause.taxonomy, f"cause {cause_id}", picked)


def _walk(node: TreeNode[str]):
    yield node
    for child in node.children:
        yield from _walk(child)
