"""Review steps, each one commit: comments anchored to an entry or section, resolving them, stage
sign-offs (`Reviewed-by:` trailers), stage moves through the gates, and review-meeting notes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from ...domain.ids import next_action_id
from ...domain.model import STAGES, ActionItem, Incident
from ...domain.narrative import sections
from ...domain.review import Comment, MeetingNote, Review, Signoff
from ...store import IncidentRecord, Store, StoreError
from ...store.reviewfile import ReviewRecord, load_review, reviewer_identity, save_review, save_with_incident
from .checks import CheckConfig, Finding, load_config, run_checks
from .stages import GateBlocked, advance, override_trailers

# incident.toml tables a comment may be anchored to, besides entries and narrative sections.
FIELD_ANCHORS = ("summary", "scope", "times", "impact", "ai_factors", "lessons", "severity", "stage", "follow_up")


class ReviewBlocked(StoreError):
    """A sign-off was refused; the message lists why and how to override."""


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Anchor:
    kind: str  # "entry", "section" or "field"
    name: str  # the entry id, section heading as written, or field name
    line: int | None = None  # narrative line of a section


def resolve_anchor(incident: Incident, narrative: str, on: str) -> Anchor | None:
    """What `on` points at: an entry id, a narrative section (any case), or an incident.toml table."""
    on = on.strip()
    if on in incident.entry_ids():
        return Anchor("entry", on)
    for section in sections(narrative):
        if section.heading and section.heading.casefold() == on.casefold():
            return Anchor("section", section.heading, section.line)
    if on in FIELD_ANCHORS:
        return Anchor("field", on)
    return None


def _new_id(prefix: str, taken: set[str]) -> str:
    while True:
        candidate = f"{prefix}-{secrets.token_hex(2)}"
        if candidate not in taken:
            return candidate


def add_comment(
    store: Store, incident_id: str, on: str, text: str, *, now: datetime | None = None
) -> tuple[ReviewRecord, Comment]:
    record = store.load(incident_id)
    anchor = resolve_anchor(record.incident, record.narrative, on)
    if anchor is None:
        known = sorted(record.incident.entry_ids())[:8]
        raise StoreError(
            f"{on!r} is not an entry, a section of postmortem.md, or one of {', '.join(FIELD_ANCHORS)}"
            f" (entries include {', '.join(known) or 'none yet'})"
        )
    if not text.strip():
        raise StoreError("a review comment needs text")
    rr = load_review(store, incident_id, record.folder)
    name, email = reviewer_identity(store)
    comment = Comment(
        id=_new_id("rc", rr.review.ids()),
        on=anchor.name,
        text=text.strip(),
        author=f"{name} <{email}>" if email else name,
        at=_now(now),
    )
    review = rr.review.model_copy(update={"comments": [*rr.review.comments, comment]})
    short = " ".join(text.split())[:50]
    return save_review(store, rr, review, what=f'comment {comment.id} on {anchor.name}: "{short}"'), comment


def resolve_comment(
    store: Store, incident_id: str, comment_id: str, resolution: str = "", *, now: datetime | None = None
) -> ReviewRecord:
    rr = load_review(store, incident_id)
    comment = next((c for c in rr.review.comments if c.id == comment_id), None)
    if comment is None:
        open_ids = ", ".join(c.id for c in rr.review.open_comments()) or "none"
        raise StoreError(f"no review comment {comment_id!r} on {incident_id} (open comments: {open_ids})")
    if comment.resolved:
        raise StoreError(f"comment {comment_id} is already resolved")
    name, email = reviewer_identity(store)
    done = comment.model_copy(
        update={
            "resolved": True,
            "resolved_by": f"{name} <{email}>" if email else name,
            "resolved_at": _now(now),
            "resolution": resolution.strip(),
        }
    )
    review = rr.review.model_copy(update={"comments": [done if c.id == comment_id else c for c in rr.review.comments]})
    return save_review(store, rr, review, what=f"resolve comment {comment_id}")


def findings_for(
    store: Store, record: IncidentRecord, review: Review | None = None, config: CheckConfig | None = None
) -> list[Finding]:
    """Every finding for a stored incident: the checks plus its review comments."""
    config = config or load_config(store.root)
    review = review if review is not None else load_review(store, record.id, record.folder).review
    found = run_checks(record.incident, record.narrative, toml_text=record.toml.text, config=config)
    return found + comment_findings(record.incident, record.narrative, review)


def comment_findings(incident: Incident, narrative: str, review: Review) -> list[Finding]:
    out = []
    for c in review.open_comments():
        anchor = resolve_anchor(incident, narrative, c.on)
        if anchor is None:
            out.append(
                Finding(
                    "review.orphan",
                    "warning",
                    f"open comment {c.id} is on {c.on!r}, which no longer exists: {c.text[:80]}",
                    "Resolve it, or anchor the point again.",
                    "review.toml",
                    c.id,
                    f"comments[{c.id}]",
                )
            )
        else:
            out.append(
                Finding(
                    "review.open-comment",
                    "info",
                    f"open comment {c.id} on {c.on} by {c.author or 'a reviewer'}: {c.text[:100]}",
                    "Answer it and resolve it: `workbench review resolve ID COMMENT_ID`.",
                    "postmortem.md" if anchor.kind == "section" else "incident.toml",
                    anchor.name,
                    c.on,
                    anchor.line,
                )
            )
    return out


def signoff(
    store: Store,
    incident_id: str,
    stage: str | None = None,
    *,
    override: str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> tuple[ReviewRecord, list[str]]:
    """Sign off a stage (default: the incident's current one). Refused while comments are open or errors
    remain, unless `override` gives a reason, which the commit records. Returns the trailers written."""
    record = store.load(incident_id)
    stage = stage or record.incident.stage
    if stage not in STAGES:
        raise StoreError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    rr = load_review(store, incident_id, record.folder)
    blocking = [f"open comment {c.id}" for c in rr.review.open_comments()]
    errors = [f for f in findings_for(store, record, rr.review) if f.severity == "error"]
    blocking += [f"{f.rule}: {f.message}" for f in errors]
    name, email = reviewer_identity(store)
    trailers = []
    if blocking:
        if not override or not override.strip():
            listed = "\n  ".join(blocking[:10]) + (
                f"\n  ... and {len(blocking) - 10} more" if len(blocking) > 10 else ""
            )
            raise ReviewBlocked(
                f"cannot sign off {stage} of {incident_id} yet:\n  {listed}\n"
                "Resolve them, or give a reason to override (recorded in the commit; "
                "on the command line: --override REASON)."
            )
        trailers += [
            f"Override: sign-off of {stage} with {len(blocking)} open item(s)",
            f"Override-Reason: {' '.join(override.split())}",
        ]
    trailers.append(f"Reviewed-by: {name} <{email}>")
    entry = Signoff(stage=stage, name=name, email=email, at=_now(now), note=note.strip())
    review = rr.review.model_copy(update={"signoffs": [*rr.review.signoffs, entry]})
    return save_review(store, rr, review, what=f"sign off stage {stage}", trailers=trailers), trailers


def move_stage(
    store: Store,
    record: IncidentRecord,
    to_stage: str,
    *,
    override: str | None = None,
    config: CheckConfig | None = None,
) -> tuple[IncidentRecord, list[str]]:
    """Move the incident to `to_stage` through the gates. Raises GateBlocked unless met or overridden."""
    if to_stage == record.incident.stage:
        raise StoreError(f"{record.id} is already at stage {to_stage}")
    rr = load_review(store, record.id, record.folder)
    unmet = advance(
        record.incident,
        to_stage,
        record.narrative,
        review=rr.review,
        config=config or load_config(store.root),
        toml_text=record.toml.text,
    )
    trailers: list[str] = []
    if unmet:
        if not override or not override.strip():
            raise GateBlocked(record.incident.stage, to_stage, unmet)
        trailers = override_trailers(record.incident.stage, to_stage, unmet, override)
    moved = record.incident.model_copy(update={"stage": to_stage})
    moved = Incident.model_validate(moved.model_dump())
    # The same words as the app's stage keys: "<id>: stage: advance analysis -> review".
    verb = "advance" if STAGES.index(to_stage) > STAGES.index(record.incident.stage) else "move back"
    saved = store.save(
        record, moved, where="stage", what=f"{verb} {record.incident.stage} -> {to_stage}", trailers=trailers
    )
    return saved, trailers


def add_meeting_note(
    store: Store,
    incident_id: str,
    kind: str,
    text: str,
    *,
    section: str = "",
    owner: str = "",
    now: datetime | None = None,
) -> tuple[ReviewRecord, MeetingNote, str | None]:
    """Capture a decision, correction or new action item during a review meeting, committed at once.

    A new action item is also added to incident.toml (status open, owner if given), in the same commit.
    Returns the review record, the note, and the new action's id (or None).
    """
    if not text.strip():
        raise StoreError("a meeting note needs text")
    record = store.load(incident_id)
    rr = load_review(store, incident_id, record.folder)
    name, email = reviewer_identity(store)
    note_id = _new_id("m", rr.review.ids())
    when = _now(now)
    if kind == "action":
        action_id = next_action_id(record.incident.entry_ids())
        action = ActionItem(id=action_id, action=text.strip(), owner=owner.strip())
        incident = record.incident.model_copy(update={"actions": [*record.incident.actions, action]})
        incident = Incident.model_validate(incident.model_dump())
        note = MeetingNote(
            id=note_id, kind="action", text=text.strip(), at=when, author=name, section=section, action=action_id
        )
        review = rr.review.model_copy(update={"meeting": [*rr.review.meeting, note]})
        saved_rr, _ = save_with_incident(
            store,
            rr,
            review,
            record,
            incident,
            where="review meeting",
            what=f'new action {action_id} "{" ".join(text.split())[:50]}"',
        )
        return saved_rr, note, action_id
    note = MeetingNote(id=note_id, kind=kind, text=text.strip(), at=when, author=name, section=section)
    review = rr.review.model_copy(update={"meeting": [*rr.review.meeting, note]})
    saved_rr = save_review(store, rr, review, what=f'meeting {kind}: "{" ".join(text.split())[:60]}"')
    return saved_rr, note, None
