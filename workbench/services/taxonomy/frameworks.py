"""Framework mapping for one incident: information only, never a legal reading.

Two sources, kept apart so a reader sees which is which:
- what the team *recorded* in `impact.regulatory` (EU AI Act, ISO/IEC 42001, NIST AI RMF or other references);
- what the incident's taxonomy tags *map to* in taxonomy.toml (NIST AI RMF functions, OWASP LLM Top 10 2025
  ids, MITRE ATLAS technique ids), each with the modes that bring it in.

`framework_mapping(incident, taxonomy)` -> FrameworkMapping; the report's Technical Analysis section renders
it with `mapping_markdown_lines`, the Taxonomy pane with its own Rich text, `workbench taxonomy map` with
`render_mapping_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...domain.model import FrameworkRef, Incident
from ...domain.taxonomy import Taxonomy
from .usage import tag_uses

DISCLAIMER = (
    "Framework references are for orientation only: they are not a legal interpretation, "
    "a compliance assessment or a certification."
)
NIST_ORDER = ("govern", "map", "measure", "manage")
NOTHING_MAPPED = "No framework references recorded and no tagged mode maps to one."


@dataclass(frozen=True)
class MappedId:
    id: str
    modes: tuple[str, ...]  # the incident's live modes that map to it


@dataclass(frozen=True)
class FrameworkMapping:
    incident_id: str
    modes: tuple[str, ...]  # live modes, incident and cause tags, in first-seen order
    nist_ai_rmf: tuple[MappedId, ...] = ()  # functions, in the framework's order
    owasp_llm: tuple[MappedId, ...] = ()
    atlas: tuple[MappedId, ...] = ()
    recorded: dict[str, tuple[FrameworkRef, ...]] = field(default_factory=dict)  # framework -> refs, as written
    unresolved_tags: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.nist_ai_rmf or self.owasp_llm or self.atlas or self.recorded)


def framework_mapping(incident: Incident, taxonomy: Taxonomy) -> FrameworkMapping:
    modes: list[str] = []
    unresolved: list[str] = []
    for use in tag_uses(incident, taxonomy):
        if use.mode_id is None:
            if use.tag not in unresolved:
                unresolved.append(use.tag)
        elif use.mode_id not in modes:
            modes.append(use.mode_id)
    by_id = {m.id: m for m in taxonomy.modes}
    nist: dict[str, list[str]] = {}
    owasp: dict[str, list[str]] = {}
    atlas: dict[str, list[str]] = {}
    for mode_id in modes:
        mappings = by_id[mode_id].mappings
        for key, target in ((mappings.nist_ai_rmf, nist), (mappings.owasp_llm, owasp), (mappings.atlas, atlas)):
            for ref in key:
                target.setdefault(ref, []).append(mode_id)
    recorded: dict[str, list[FrameworkRef]] = {}
    for regulation in incident.impact.regulatory:
        recorded.setdefault(regulation.framework.strip() or "(unnamed framework)", []).append(regulation)
    return FrameworkMapping(
        incident_id=incident.id,
        modes=tuple(modes),
        nist_ai_rmf=tuple(MappedId(f, tuple(nist[f])) for f in NIST_ORDER if f in nist),
        owasp_llm=tuple(MappedId(k, tuple(v)) for k, v in sorted(owasp.items())),
        atlas=tuple(MappedId(k, tuple(v)) for k, v in sorted(atlas.items())),
        recorded={k: tuple(v) for k, v in recorded.items()},
        unresolved_tags=tuple(unresolved),
    )


def shown_id(label: str, framework_id: str) -> str:
    """NIST AI RMF functions are written in capitals (GOVERN, MAP, MEASURE, MANAGE), as the framework does."""
    return framework_id.upper() if label == "NIST AI RMF" else framework_id


def _mapped_lines(label: str, ids: tuple[MappedId, ...], quote: Callable[[str], str]) -> list[str]:
    return [
        f"- {label} {quote(shown_id(label, item.id))}: via {', '.join(quote(m) for m in item.modes)}" for item in ids
    ]


def mapping_markdown_lines(
    mapping: FrameworkMapping,
    quote: Callable[[str], str] = lambda s: f"`{s}`",
    text: Callable[[str], str] = str,
    unresolved: bool = True,
) -> list[str]:
    """The body of the mapping block (no heading, no disclaimer): what the team recorded, what the tags map
    to, or one line saying there is nothing. `quote` formats ids and `text` the team's free text, so the
    report can apply its own markdown escaping."""
    lines: list[str] = []
    if mapping.recorded:
        lines.append("**Recorded by the team**")
        lines.append("")
        for framework, refs in mapping.recorded.items():
            for ref in refs:
                note = f" — {text(ref.note)}" if ref.note else ""
                lines.append(f"- {text(framework)}: {text(ref.reference)}{note}")
        lines.append("")
    if mapping.nist_ai_rmf or mapping.owasp_llm or mapping.atlas:
        lines.append("**From the taxonomy tags**")
        lines.append("")
        lines += _mapped_lines("NIST AI RMF", mapping.nist_ai_rmf, quote)
        lines += _mapped_lines("OWASP LLM", mapping.owasp_llm, quote)
        lines += _mapped_lines("MITRE ATLAS", mapping.atlas, quote)
        lines.append("")
    if mapping.is_empty:
        lines += [NOTHING_MAPPED, ""]
    if unresolved and mapping.unresolved_tags:
        lines += [f"Tags not in the taxonomy (not mapped): {', '.join(mapping.unresolved_tags)}", ""]
    return lines


def render_mapping_markdown(mapping: FrameworkMapping) -> str:
    """A 'Framework mapping' block (markdown, no heading level assumed beyond ###)."""
    return "\n".join(
        ["### Framework mapping (information only)", "", f"*{DISCLAIMER}*", "", *mapping_markdown_lines(mapping)]
    )


def render_mapping_text(mapping: FrameworkMapping) -> str:
    lines = [f"Framework mapping for {mapping.incident_id} (information only)", DISCLAIMER, ""]
    if mapping.recorded:
        lines.append("Recorded by the team:")
        for framework, refs in mapping.recorded.items():
            for ref in refs:
                lines.append(f"  {framework}: {ref.reference}" + (f" — {ref.note}" if ref.note else ""))
        lines.append("")
    if mapping.nist_ai_rmf or mapping.owasp_llm or mapping.atlas:
        lines.append("From the taxonomy tags:")
        for label, ids in (
            ("NIST AI RMF", mapping.nist_ai_rmf),
            ("OWASP LLM", mapping.owasp_llm),
            ("MITRE ATLAS", mapping.atlas),
        ):
            for item in ids:
                lines.append(f"  {label:<12} {shown_id(label, item.id):<12} via {', '.join(item.modes)}")
        lines.append("")
    if mapping.is_empty:
        lines.append(NOTHING_MAPPED)
    if mapping.unresolved_tags:
        lines.append(f"Tags not in the taxonomy (not mapped): {', '.join(mapping.unresolved_tags)}")
    return "\n".join(lines).rstrip("\n") + "\n"
