"""What the Taxonomy pane shows below its tag table besides the mode detail: tag suggestions (incident and
cause), similar past incidents, and the framework mapping. Pure drawing plus the off-thread build of the
store-wide learning index; the pane owns the widgets and the keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.widgets.option_list import Option

from ...domain.model import Incident
from ...domain.taxonomy import Taxonomy
from ...services.taxonomy.frameworks import DISCLAIMER, NOTHING_MAPPED, FrameworkMapping, shown_id
from ...services.learning.similar import SimilarIncident
from ...services.learning.suggest import Suggester, Suggestion
from ...store import Store, layout

if TYPE_CHECKING:
    from ...services.search import SearchEngine

INCIDENT = "incident"

# The views under the tag table: (view id, key, label). The keys are the pane's bindings.
VIEWS = (
    ("mode", "m", "Mode"),
    ("suggestions", "s", "Suggestions"),
    ("similar", "p", "Similar incidents"),
    ("frameworks", "f", "Frameworks"),
)


@dataclass(frozen=True)
class Learned:
    """Suggestions and similar incidents for one version of the incident and one highlighted cause."""

    incident: Incident
    cause_id: str | None
    for_incident: tuple[Suggestion, ...]
    for_cause: tuple[Suggestion, ...]
    similar: tuple[SimilarIncident, ...]
    source: Suggester  # the index that scored them (a rebuilt one scores again)


def build_suggester(engine: SearchEngine, taxonomy: Taxonomy) -> tuple[Suggester, int]:
    """The store-wide index (words of every incident, their tags), from the search index's profiles: no
    incident is loaded. Call from a worker. Incidents that do not load are left out (validate reports
    them); the count says how many went in."""
    from ...services.learning import source as learning_source
    from ...services.learning.memory import cyclic_gc_held_off, release_free_memory

    with cyclic_gc_held_off():  # for the whole build: see services/learning/memory.py
        suggester = learning_source.suggester(engine, taxonomy)
    release_free_memory()  # what the build freed goes back to the system, not kept by this thread's heap
    return suggester, len(suggester.similar.incidents)


Stamp = tuple[tuple[str, int, int], ...]


def others_stamp(store: Store, incident_id: str) -> Stamp:
    """The other incidents' files as (id, mtime, size): a folder scan and a stat each, to tell whether the index
    needs building again after another screen (or another process) changed one of them."""
    out = []
    for other, folders in sorted(layout.scan_incident_folders(store.root).items()):
        if other == incident_id:
            continue
        for folder in folders:
            try:
                stat = (folder / layout.INCIDENT_FILE).stat()
                out.append((other, stat.st_mtime_ns, stat.st_size))
            except OSError:
                out.append((other, 0, -1))
    return tuple(out)


def learn(suggester: Suggester, incident: Incident, cause_id: str | None) -> Learned:
    """Off the UI thread too: a long incident's text takes tens of milliseconds to score."""
    cause = cause_id if any(c.id == cause_id for c in incident.causes) else None
    return Learned(
        incident=incident,
        cause_id=cause,
        for_incident=tuple(suggester.for_incident(incident)),
        for_cause=tuple(suggester.for_cause(incident, cause)) if cause else (),
        similar=tuple(suggester.similar.similar_to(incident)),
        source=suggester,
    )


# ------------------------------------------------------------------------------------------- view bar
def view_bar(active: str, counts: dict[str, str]) -> Content:
    """The views and their keys, styled like the footer's keys; the active view reversed."""
    parts = []
    for view_id, key, label in VIEWS:
        count = counts.get(view_id, "")
        body = Content.from_markup(
            "[b $footer-key-foreground]$key[/] $label", key=key, label=f"{label}{' (' + count + ')' if count else ''}"
        )
        parts.append(body.pad(1, 1).stylize("reverse") if view_id == active else body.pad(1, 1))
    return Content(" ").join(parts)


# ---------------------------------------------------------------------------------------- suggestions
def suggestion_prompt(s: Suggestion) -> Table:
    head = Text.assemble(
        ("+ ", "bold green"),
        (s.name, "bold"),
        "  ",
        (s.mode_id, "dim"),
        "  ",
        (f"score {s.score:.2f}", "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )
    rows: list[tuple[str, Text | str]] = []
    if s.matched_words:
        rows.append(("matched", Text(", ".join(s.matched_words), style="italic")))
    for n, reason in enumerate(s.reasons):
        rows.append(("why" if n == 0 else "", reason))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2)
    grid.add_column(style="dim", no_wrap=True, width=7)
    grid.add_column(ratio=1)
    for label, value in rows:
        grid.add_row("", label, value)
    return _stack(head, grid)


def _stack(head: Text, body: Table) -> Table:
    """A heading line, then labelled lines indented under it (a grid keeps wrapped text aligned)."""
    outer = Table.grid()
    outer.add_column(ratio=1)
    outer.add_row(head)
    if body.row_count:
        outer.add_row(body)
    return outer


def _header(text: str, key: str, detail: str = "") -> Option:
    label = Text.assemble(
        (text, "bold underline"), "  " if detail else "", (detail, "dim"), no_wrap=True, overflow="ellipsis"
    )
    return Option(label, id=f"header|{key}", disabled=True)


def _note(text: str, key: str) -> Option:
    return Option(Text(text, style="italic dim"), id=f"note|{key}", disabled=True)


def suggestion_options(learned: Learned | None, incident: Incident, status: str | None) -> list[Option]:
    """Headed groups: the incident's suggestions, then the highlighted cause's. Option ids are
    'incident|<mode>' or '<cause id>|<mode>', so accepting knows where the tag goes."""
    if learned is None:
        return [_note(status or "Building suggestions from the store's incidents…", "status")]
    out = [_header("For the incident", "incident", "whole text: title, summary, causes, timeline")]
    if learned.for_incident:
        out += [Option(suggestion_prompt(s), id=f"{INCIDENT}|{s.mode_id}") for s in learned.for_incident]
    else:
        out.append(_note("No mode matches the incident's text strongly enough beyond its tags.", "incident"))
    cause = next((c for c in incident.causes if c.id == learned.cause_id), None)
    if cause is None:
        hint = (
            "Highlight a cause's row in the table (or press c) for that cause's suggestions."
            if incident.causes
            else "No causes recorded yet (Causes pane, 3)."
        )
        out.append(_note(hint, "cause"))
        return out
    statement = " ".join(cause.statement.split())
    out.append(_header(f"For cause {cause.id}", "cause", statement[:90] + ("…" if len(statement) > 90 else "")))
    if learned.for_cause:
        out += [Option(suggestion_prompt(s), id=f"{cause.id}|{s.mode_id}") for s in learned.for_cause]
    else:
        out.append(
            _note("No mode matches this cause's statement and evidence strongly enough beyond its tags.", "cause")
        )
    return out


# -------------------------------------------------------------------------------------------- similar
def similar_prompt(rank: int, s: SimilarIncident, taxonomy: Taxonomy | None) -> Table:
    head = Text.assemble(
        (f"{rank}. ", "bold"),
        (s.incident_id, "bold"),
        "  ",
        (f"similarity {s.score:.2f}", "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2)
    grid.add_column(style="dim", no_wrap=True, width=5)
    grid.add_column(ratio=1)
    grid.add_row("", "title", s.title)
    grid.add_row("", "why", Text(s.why(taxonomy), style="italic"))
    return _stack(head, grid)


def similar_options(learned: Learned | None, taxonomy: Taxonomy | None, status: str | None) -> list[Option]:
    if learned is None:
        return [_note(status or "Comparing with the store's incidents…", "status")]
    others = sum(1 for i in learned.source.similar.incidents if i != learned.incident.id)
    head = _header(
        f"Compared with {others} other incident{'' if others == 1 else 's'}",
        "similar",
        "shared failure modes, words of causes and timeline, systems; enter opens one",
    )
    if not learned.similar:
        return [head, _note("No past incident shares modes or wording with this one.", "none")]
    return [head, *(Option(similar_prompt(n, s, taxonomy), id=s.incident_id) for n, s in enumerate(learned.similar, 1))]


# ----------------------------------------------------------------------------------------- frameworks
def _refs_grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True, min_width=12)
    grid.add_column(style="bold", no_wrap=True, min_width=10)
    grid.add_column(ratio=1)
    return grid


def framework_text(mapping: FrameworkMapping | None, taxonomy: Taxonomy | None) -> RenderableType:
    """The mapping as the pane shows it: what the team recorded, then what the tags map to, each id with the
    modes that bring it in; a sentence when there is nothing. Information only, never a legal reading."""
    if mapping is None:
        return Text("Loading the taxonomy…", style="italic")
    parts: list[RenderableType] = [
        Text("Framework mapping: information only", style="bold"),
        Text(DISCLAIMER, style="italic dim"),
    ]
    if mapping.recorded:
        parts += [
            Text(""),
            Text.assemble(
                ("Recorded by the team", "bold"), "  ", ("impact → framework references (Overview pane)", "dim")
            ),
        ]
        grid = _refs_grid()
        for framework, refs in mapping.recorded.items():
            for ref in refs:
                grid.add_row(framework, ref.reference, ref.note)
        parts.append(grid)
    if mapping.nist_ai_rmf or mapping.owasp_llm or mapping.atlas:
        names = {m.id: m.name for m in taxonomy.modes} if taxonomy else {}
        parts += [
            Text(""),
            Text.assemble(
                ("From the taxonomy tags", "bold"), "  ", ("incident and cause tags, through taxonomy.toml", "dim")
            ),
        ]
        grid = _refs_grid()
        for label, ids in (
            ("NIST AI RMF", mapping.nist_ai_rmf),
            ("OWASP LLM", mapping.owasp_llm),
            ("MITRE ATLAS", mapping.atlas),
        ):
            for item in ids:
                grid.add_row(label, shown_id(label, item.id), "via " + ", ".join(names.get(m, m) for m in item.modes))
        parts.append(grid)
    if mapping.is_empty:
        parts += [
            Text(""),
            Text(NOTHING_MAPPED, style="italic"),
            Text(
                "Tag failure modes (t, or accept a suggestion: s) or record references on the Overview pane.",
                style="dim",
            ),
        ]
    if mapping.unresolved_tags:
        parts += [
            Text(""),
            Text.assemble(("Tags not in the taxonomy (not mapped): ", "yellow"), ", ".join(mapping.unresolved_tags)),
        ]
    return Group(*parts)


def framework_count(mapping: FrameworkMapping | None) -> str:
    if mapping is None:
        return ""
    n = (
        len(mapping.nist_ai_rmf)
        + len(mapping.owasp_llm)
        + len(mapping.atlas)
        + sum(len(v) for v in mapping.recorded.values())
    )
    return str(n)
