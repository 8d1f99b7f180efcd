"""The review conversation beside an incident (review.toml): comments anchored to an entry or a
section, stage sign-offs, and notes captured in a review meeting. Pydantic models, no I/O."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .model import EntryId, Model, Short, Stage, Text, UtcTime

REVIEW_SCHEMA_VERSION = 1
MeetingKind = Literal["decision", "correction", "action"]
MEETING_KINDS: tuple[MeetingKind, ...] = ("decision", "correction", "action")


class Comment(Model):
    id: EntryId
    on: Annotated[
        str, Field(min_length=1, max_length=200)
    ]  # an entry id, or a section ("Technical Analysis", "impact")
    text: Text = Field(min_length=1)
    author: Short = ""
    at: UtcTime
    resolved: bool = False
    resolved_by: Short = ""
    resolved_at: UtcTime | None = None
    resolution: Text = ""


class Signoff(Model):
    stage: Stage
    name: Short
    email: Short = ""
    at: UtcTime
    note: Text = ""


class MeetingNote(Model):
    """Captured during a synchronous review: a decision, a correction, or a new action item."""

    id: EntryId
    kind: MeetingKind
    text: Text = Field(min_length=1)
    at: UtcTime
    author: Short = ""
    section: Short = ""  # what was on screen when it was said
    action: EntryId | None = None  # the action item it created


class Review(Model):
    schema_version: int = REVIEW_SCHEMA_VERSION
    comments: list[Comment] = []
    signoffs: list[Signoff] = []
    meeting: list[MeetingNote] = []

    def open_comments(self) -> list[Comment]:
        return [c for c in self.comments if not c.resolved]

    def signoffs_for(self, stage: str) -> list[Signoff]:
        return [s for s in self.signoffs if s.stage == stage]

    def ids(self) -> set[str]:
        return {c.id for c in self.comments} | {m.id for m in self.meeting}
