"""Which incidents and causes are tagged with which mode, after following aliases and merges.

Tags are stored as written (an old id stays valid after a rename), so everything that counts or
compares tags goes through `Taxonomy.resolve` here first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...domain.model import Incident
from ...domain.taxonomy import Taxonomy
from ...store import IncidentRecord, Problem
from ...store import layout
from ...store.tomlfile import locate_line

if TYPE_CHECKING:
    from ..learning.profile import Profile  # learning imports this module: annotation only


@dataclass(frozen=True)
class TagUse:
    """One tag on an incident (cause_id None) or on one of its causes."""

    incident_id: str
    tag: str  # as written in the file
    mode_id: str | None  # the live mode it resolves to, None when it resolves to nothing
    cause_id: str | None = None
    cause_statement: str = ""


def tag_uses(incident: Incident | Profile, taxonomy: Taxonomy, live: dict[str, str] | None = None) -> list[TagUse]:
    """`live`: the taxonomy's `live_mode_ids`, when the caller asks for many incidents."""

    def mode_of(tag: str) -> str | None:
        if live is not None:
            return live.get(tag)
        mode = taxonomy.resolve(tag)
        return mode.id if mode else None

    out: list[TagUse] = []
    for tag in incident.taxonomy:
        out.append(TagUse(incident.id, tag, mode_of(tag)))
    for cause in incident.causes:
        for tag in cause.taxonomy:
            out.append(TagUse(incident.id, tag, mode_of(tag), cause.id, cause.statement))
    return out


def live_mode_ids(taxonomy: Taxonomy) -> dict[str, str]:
    """Every mode id and alias of `taxonomy` -> the live mode id it resolves to now (`Taxonomy.resolve`, which
    makes its lookup afresh on each call: asked once per tag, 55,000 times at 10,000 incidents, that was a
    second of CPU). Made once for a pass over many incidents; a tag missing here resolves to nothing."""
    keys = {key for m in taxonomy.modes for key in (m.id, *m.aliases)}
    return {key: mode.id for key in sorted(keys) if (mode := taxonomy.resolve(key)) is not None}


def incident_modes(incident: Incident | Profile, taxonomy: Taxonomy, live: dict[str, str] | None = None) -> set[str]:
    """The live modes an incident is classified under: its own tags and its causes' tags. `live`: the
    taxonomy's `live_mode_ids`, when the caller asks for many incidents."""
    if live is None:
        return {u.mode_id for u in tag_uses(incident, taxonomy) if u.mode_id is not None}
    modes = {live[t] for t in incident.taxonomy if t in live}
    for cause in incident.causes:
        modes.update(live[t] for t in cause.taxonomy if t in live)
    return modes


def usage_by_mode(incidents: Iterable[Incident | Profile], taxonomy: Taxonomy) -> dict[str, list[TagUse]]:
    """mode id -> every use of it (through any alias), in incident order."""
    out: dict[str, list[TagUse]] = {}
    live = live_mode_ids(taxonomy)
    for incident in incidents:
        for use in tag_uses(incident, taxonomy, live):
            if use.mode_id is not None:
                out.setdefault(use.mode_id, []).append(use)
    return out


def deprecated_tag_warnings(
    records: Iterable[IncidentRecord], taxonomy: Taxonomy, display: Callable[[Path], Path] = lambda p: p
) -> list[Problem]:
    """Tags that name a deprecated mode, or an old id that now resolves elsewhere: worth a look, not an error."""
    warnings: list[Problem] = []
    by_id = {m.id: m for m in taxonomy.modes}
    for record in records:
        path = Path(display(record.folder / layout.INCIDENT_FILE))
        text = record.toml.text
        spots: list[tuple[str, tuple[object, ...], str]] = [
            (tag, ("taxonomy", i), f"taxonomy[{i}]") for i, tag in enumerate(record.incident.taxonomy)
        ]
        for ci, cause in enumerate(record.incident.causes):
            spots += [
                (tag, ("causes", ci, "taxonomy", i), f"causes[{cause.id}].taxonomy[{i}]")
                for i, tag in enumerate(cause.taxonomy)
            ]
        for tag, loc, field in spots:
            mode = by_id.get(tag)
            live = taxonomy.resolve(tag)
            if live is None:
                continue  # reported as an error by validation
            line = locate_line(text, loc) if text else None
            if mode is not None and mode.deprecated:
                hint = f"; use {live.id!r}" if live.id != tag else ""
                warnings.append(Problem(path, f"warning: taxonomy id {tag!r} is deprecated{hint}", line, field))
            elif mode is None:
                warnings.append(Problem(path, f"warning: taxonomy id {tag!r} is an old id of {live.id!r}", line, field))
    return warnings
