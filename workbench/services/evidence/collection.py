"""The data-collection checklist: for each source the method asks for (logs, traces, prompts, evals,
git history, chat and paging records, model versions, deployment metadata), gathered (with its
evidence), not needed (with a reason) or missing, which records a [DATA GAP] entry."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain import edit
from ...domain.model import SOURCE_KINDS, SOURCE_LABELS, Gap, Incident, SourceCheck
from ...store import IncidentRecord, Store, StoreError


@dataclass(frozen=True)
class ChecklistLine:
    source: str
    status: str  # gathered | not-needed | missing | open (not assessed yet)
    evidence: tuple[str, ...]
    note: str


def checklist(incident: Incident) -> list[ChecklistLine]:
    marked = {c.source: c for c in incident.collection}
    gaps = {g.id: g for g in incident.gaps}
    out = []
    for source in SOURCE_KINDS:
        check = marked.get(source)
        if check is None:
            have = [e.id for e in incident.evidence if e.kind == source]
            note = f"{len(have)} item(s) of {source} evidence in the locker: mark it gathered" if have else ""
            out.append(ChecklistLine(source, "open", tuple(have), note))
            continue
        note = check.reason
        if check.status == "missing" and check.gap in gaps:
            note = f"{check.gap}: {gaps[check.gap].text}"
        out.append(ChecklistLine(source, check.status, tuple(check.evidence), note))
    return out


def mark_incident(
    incident: Incident, source: str, status: str, *, evidence: list[str] | None = None, reason: str = ""
) -> Incident:
    if source not in SOURCE_KINDS:
        raise StoreError(f"unknown source {source!r}; one of: {', '.join(SOURCE_KINDS)}")
    label = SOURCE_LABELS[source]
    previous = next((c for c in incident.collection if c.source == source), None)
    gaps = list(incident.gaps)
    gap_id = previous.gap if previous else None
    if status == "gathered":
        chosen = list(evidence or [e.id for e in incident.evidence if e.kind == source])
        unknown = [e for e in chosen if e not in {x.id for x in incident.evidence}]
        if unknown:
            raise StoreError(f"{', '.join(unknown)}: not evidence of this incident")
        if not chosen:
            raise StoreError(
                f"{label}: gathered needs its evidence; add it first (`workbench evidence add`) or name evidence ids"
            )
        check = SourceCheck(source=source, status="gathered", evidence=chosen, reason=reason)
        # The gap it once recorded is closed, not deleted: the record of having been missing stays.
        gaps = [g.model_copy(update={"status": "closed"}) if g.id == gap_id else g for g in gaps]
        check = check.model_copy(update={"gap": gap_id if gap_id in {g.id for g in gaps} else None})
    elif status == "not-needed":
        if not reason.strip():
            raise StoreError(f"{label}: not needed needs a reason (why this source does not bear on the incident)")
        check = SourceCheck(source=source, status="not-needed", reason=reason)
    elif status == "missing":
        text = f"[DATA GAP] {label} not available" + (f": {reason}" if reason.strip() else "")
        if gap_id and any(g.id == gap_id for g in gaps):
            gaps = [g.model_copy(update={"text": text, "status": "open"}) if g.id == gap_id else g for g in gaps]
        else:
            gap_id = edit.fresh_id(incident, "gaps")
            gaps.append(
                Gap(
                    id=gap_id,
                    kind="data-gap",
                    text=text,
                    closes_by=f"gather the {label.lower()} and add them as evidence",
                )
            )
        check = SourceCheck(source=source, status="missing", reason=reason, gap=gap_id)
    else:
        raise StoreError(f"unknown status {status!r}: gathered, not-needed or missing")
    collection = [c for c in incident.collection if c.source != source] + [check]
    collection.sort(key=lambda c: SOURCE_KINDS.index(c.source))
    return edit.replace(incident, gaps=gaps, collection=collection)


def mark(
    store: Store,
    record: IncidentRecord,
    source: str,
    status: str,
    *,
    evidence: list[str] | None = None,
    reason: str = "",
) -> IncidentRecord:
    incident = mark_incident(record.incident, source, status, evidence=evidence, reason=reason)
    return store.save(record, incident, where="data-collection", what=describe_mark(source, status))


def describe_mark(source: str, status: str) -> str:
    return f"{SOURCE_LABELS[source].lower()} {status}" + (" ([DATA GAP] recorded)" if status == "missing" else "")
