"""Parts of a postmortem that are evidence quoted into it, not the author's account: pasted chat logs,
the document's own bylines, and dates that name another document. A person reading the timeline skips
the timestamps of a pasted Slack thread ("Katharine [9:27 AM] ...") and "Posted on: December 3" is
when the text was written, not something that happened; so their dates and times become no entries
(the words stay in the narrative).
"""

from __future__ import annotations

import re

from .mdblocks import Block

# A chat message's header as Slack, IRC and Teams exports paste it: a speaker of one to three words,
# then the time (or "3 hours ago") in brackets: "liggitt [7:37 AM]", "Benjamin Elder [2:17 PM]".
CHAT_HEADER_RE = re.compile(
    r"^\s*@?[\w.-]+(?:\s+[\w.-]+){0,2}\s*\[\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|"
    r"\d+\s+\w+\s+ago|yesterday|today)\s*\]",
    re.I,
)
# The document's byline: when and by whom it was written or changed.
BYLINE_RE = re.compile(
    r"^\s*(?:posted|published|written|created|authored|last (?:modified|updated|edited)|updated|date)"
    r"(?:\s+(?:on|by|at))?\s*:"
    # "*Addendum, 2026-09-28:* ...": a note added to the write-up later is dated as the write-up is.
    r"|^\W*addend(?:um|a)\b[^:.]{0,30}:",
    re.I,
)
# A date used as the name of another document: "our December 3rd update", "the November 17th note".
DOCUMENT_NOUN_RE = re.compile(
    r"^\W{0,3}(?:update|post|note|newsletter|report|postmortem|post-mortem|retro(?:spective)?|"
    r"write-?up|blog(?: post)?|announcement|release notes?)s?\b",
    re.I,
)


def chat_message(block: Block) -> bool:
    return block.kind in ("paragraph", "quote") and bool(CHAT_HEADER_RE.match(block.text))


def chat_blocks(blocks: list[Block]) -> set[int]:
    """ids of the blocks that are pasted chat: each message, and every block of a section that holds two
    or more messages (the code and lines pasted between messages belong to the same log)."""
    per_section: dict[int, int] = {}
    for block in blocks:
        if chat_message(block):
            key = block.headings[-1].line if block.headings else 0
            per_section[key] = per_section.get(key, 0) + 1
    logs = {key for key, count in per_section.items() if count >= 2}
    out = set()
    for block in blocks:
        key = block.headings[-1].line if block.headings else 0
        if block.kind != "heading" and (key in logs or chat_message(block)):
            out.add(id(block))
    return out


# Fields of the incident itself. "**Date:** Feb 23, 2026 / **Duration:** ~3 hours / **Severity:** High" is the
# incident's header, so its date is when the incident happened, not when the post was written.
INCIDENT_FIELD_RE = re.compile(
    r"\b(?:duration|severity|status|impact|incident|outage|detected|resolved|affected)\s*:", re.I
)
# The "Date:" field of such a record: the day of the section it heads ("## Incident 2" / "**Date:** December 23").
_DATE_FIELD_RE = re.compile(r"^\W*(?:incident\s+)?date\W*:", re.I)


def incident_record(text: str) -> bool:
    return bool(_DATE_FIELD_RE.match(text)) and bool(INCIDENT_FIELD_RE.search(text))


def byline(text: str) -> bool:
    found = BYLINE_RE.match(text)
    if found and found.group(0).strip().lower().startswith("date"):
        return not INCIDENT_FIELD_RE.search(text)
    return bool(found)


def names_a_document(text: str, end: int) -> bool:
    """True when the date that ends at `end` is the name of another document ("our December 3rd update")."""
    return bool(DOCUMENT_NOUN_RE.match(text[end:]))


# A timestamp that is the value of a field of a pasted log line: '"time":"2019-01-23T16:08:30Z"', 'ts=...'.
# "Date:" and "Time:" are also how a person labels a field of a report ("**Date:** Feb 23, 2026"), so those two
# are a log's field only quoted, with "=", or glued to their value ("date:2019-01-23").
LOG_FIELD_RE = re.compile(
    r"""(?:["'](?:time|date)["']\s*[:=]|\b(?:time|date)\s*=|\b(?:time|date):(?=["']?$)|"""
    r"""["']?(?:timestamp|ts|@timestamp)["']?\s*[:=])\s*["']?$""",
    re.I,
)


def in_log_field(text: str, start: int) -> bool:
    """True when the date or time that starts at `start` is the value of a log line's time field."""
    return bool(LOG_FIELD_RE.search(text[max(0, start - 20) : start]))


# A deadline set for an action ("**Owner:** SRE Lead. **Due:** 2026-01-12.", "due by March 3", "Target date:
# 2026-02-01"): a day ahead that the text plans for, no event of the incident.
DEADLINE_RE = re.compile(
    r"\b(?:due(?:\s+(?:date|by|on))?|deadline|target(?:\s+date)?|eta|to be (?:done|completed|delivered) by)\W*$", re.I
)


def deadline(text: str, start: int) -> bool:
    """True when the date that starts at `start` is an action's due date."""
    return bool(DEADLINE_RE.search(text[max(0, start - 30) : start]))


# A sentence about an earlier, separate occurrence of the same problem: "This occurred once previously on
# 2019-01-08 and lasted 24 hours", "the last time this happened, in March". It is background: its date is no
# event of this incident and its figures are not this incident's impact.
EARLIER_OCCURRENCE_RE = re.compile(
    r"\b(?:occurred|happened|was (?:seen|observed)|took place)\s+(?:once\s+|twice\s+|also\s+)?(?:before|previously)\b"
    r"|\b(?:a|the|one|its)\s+(?:previous|prior|earlier)\s+(?:occurrence|incident|outage)\b"
    r"|\bthe last time (?:this|it) (?:happened|occurred)\b",
    re.I,
)


def earlier_occurrence(sentence: str) -> bool:
    return bool(EARLIER_OCCURRENCE_RE.search(sentence))


# A machine's message pasted whole: fields joined by "|" ("... is failing. | Violation started: July 11, 2025 at
# 4:42PM UTC | Policy: ... | Condition: ..."), as alerting tools send them. Its times are the tool's, quoted.
MESSAGE_FIELD_RE = re.compile(r"\|\s*[A-Z][\w ]{1,30}:\s")


def pasted_message(sentence: str) -> bool:
    return len(MESSAGE_FIELD_RE.findall(sentence)) >= 2
