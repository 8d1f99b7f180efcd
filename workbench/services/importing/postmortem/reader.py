"""A published postmortem read the way a person reads it: facts into structure, nothing invented.

The markdown is parsed into blocks with line numbers (mdblocks), each block knows the headings above
it, and headings are mapped to meanings (headings.SYNONYMS). Times become timeline entries in UTC
(clock), numbers with units near words of impact become impact figures (figures), list items under
action-like headings become action items with a status read from their wording (wording), and every
item cites `file:line`. Whatever is not lifted into structure stays in the narrative under the
report's section it belongs to, so the report never calls something missing that the source gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import PurePath

from ....domain.ids import new_entry_id, new_incident_id, next_action_id, slugify
from ....domain.model import ActionItem, Cause, Figure, Gap, Impact, Incident, KeyTimes, Lessons, TimelineEntry
from . import clock, evidence, figures, headings, steps, wording
from .mdblocks import LABEL_LEVEL, Block, Heading, parse_blocks, split_front_matter

NO_DATE_ID = "undated"
_LINK_ONLY_RE = re.compile(
    r"^\s*(?:(?:see|ref|link|pr|issue)s?:?\s+)?(?:<?https?://\S+>?|\[[^\]]*\]\([^)]*\))\s*\.?$", re.I
)
# Commitments and steps taken written as sentences: "We'll add a manual override", "We have reached out to ...".
_WILL = (
    r"\b(?:we|i)(?:'ll| will| may| plan to| are going to|'re going to| intend to)\s+"
    # "We will be introducing rate limiting" (a future step) counts; "we will be able to" does not.
    r"(?!be\b(?!\s+\w+ing\b)|need\b|have to\b)\w+"
)
# "We should deploy hotfixes by ...", "We need to setup alerts", "we'll have to add instrumentation": an
# obligation the writers take on; "we should have caught it" looks back and is none. Under a lessons heading
# such a sentence is the lesson itself, not an action.
_OBLIGATION = (
    r"\b(?:we|i)(?:\s+(?:also|still|really|definitely|then))?\s*(?:should|must|need to|'ll have to| will have to|"
    r"'ll need to| will need to)\s+(?:also\s+|still\s+)?(?!have\s+\w+(?:ed|en|t)\b|not\b|be\b(?!\s+\w+ing\b))\w+"
)
_PROSE_OPEN_RE = re.compile(f"{_WILL}|{_OBLIGATION}", re.I)
_WILL_RE = re.compile(_WILL, re.I)
# A commitment that names no task: "we'll be making several changes", "we will have to circle back to this".
_VAGUE_RE = re.compile(
    r"\bcontinue to do (?:our|my) best\b|\b(?:several|some|a few|many|more|further|a number of|the necessary|various)\s+(?:changes|improvements|steps|"
    r"measures|actions|things)\b(?!\s+(?:to|in|on|for)\s+(?:the|our|its|their|how)\b)|\b(?:should|will|'ll|must|need to|have to)\s+(?:\w+\s+){1,2}"
    r"(?:to\s+|on\s+)?(?:this|it|that)\s*(?:once|when|later|again|[.,;]|$)|\b(?:should|must)\s+(?:\w+ly|never|always)\b|"
    # "we have already begun implementing measures to prevent similar incidents in the future": no task named.
    r"\b(?:implementing|making|taking|putting in place)\s+(?:changes|improvements|steps|measures|actions)\s+to\s+"
    r"(?:prevent|avoid)\s+(?:similar|such|this|these|future|further|a recurrence|recurrence)\b",
    re.I,
)
# A step reported in the past tense under an "Action taken" heading: "The user's IP address was banned
# immediately", "We then backdated the users' packages".
_PAST_STEP_RE = re.compile(
    r"\b(?:was|were|has been|have been)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|t)\b|"
    r"\b(?:we|i)\s+(?:then\s+|also\s+|immediately\s+|quickly\s+|finally\s+)?\w+ed\b",
    re.I,
)
# Present perfect ("We have reached out", "I've invalidated") or "X is now ..." is a step taken; a plain
# past ("I added a failing test") narrates the response and belongs to the timeline.
_PROSE_DONE_RE = re.compile(
    r"\b(?:we|i)(?:'ve| have)\s+(?:now\s+|also\s+|since\s+|already\s+)?"
    # A participle, not "We have an issue" or "I have not run": words ending like one are no verb.
    r"(?!been\b|had\b|seen\b|learned\b|got\b|grown\b|started\b|known\b|always\b|managed\b|an\b|not\b|often\b|"
    r"even\b|seven\b|ten\b|eleven\b|certain\b|own\b|most\b|just\b|almost\b|in\b|on\b|at\b|but\b|that\b|"
    r"what\b|n't\b)\w+(?:ed|t|n)\b|\b\w+ is now (?:entirely |fully )?\w+",
    re.I,
)
# Work the writers have begun and not finished: "We have also started the process of decommissioning several of
# our old CI services", "we have begun retooling our system for feedstock tokens".
_PROSE_BEGUN_RE = re.compile(
    r"\b(?:we|i)(?:'ve| have)\s+(?:also\s+|now\s+|already\s+)?(?:begun|started)\s+(?:the process of\s+|work on\s+)?"
    r"(?:\w+ly\s+)?(?!seeing\b|getting\b|noticing\b|receiving\b|hearing\b)\w+ing\b",
    re.I,
)
# A change the writers are making now: "We're also adding the integration repro script to CI/CD" (open).
_PROSE_UNDER_WAY_RE = re.compile(
    r"\bwe(?:'re| are)\s+(?:also\s+|now\s+|currently\s+|already\s+)?(?:adding|introducing|building|implementing|"
    r"rolling out|updating|migrating|moving|changing|improving|extending|automating|writing|creating|replacing|"
    r"hardening|deprecating|decommissioning|documenting)\b",
    re.I,
)
# A safeguard the writers now have, said in the present: "We prevent regression with unit tests for each fix",
# "We now require two reviewers for workflow changes" (done).
_SAFEGUARD_RE = re.compile(
    r"\bwe (?:now )?(?:prevent|guard against|catch|protect against|detect)\b[^.]{0,60}\b(?:with|using|via|through|by)\b"
    r"[^.]{0,30}\b(?:tests?|alerts?|checks?|monitoring|validation|CI)\b|"
    r"\bwe now (?:run|require|alert|test|check|validate|monitor|block|reject|pin|enforce|page)\b",
    re.I,
)
# A paragraph labelled as the fix made: "**Fix:** Change `content=` to `stream=` in `aiohttp_transport.py`."
_FIX_LABEL_RE = re.compile(r"(?:the )?(?:fix|fixed|solution)", re.I)
# A lead-in naming the changes made: "Two changes to fix the leak:"; each item's own wording says done or open.
# "To prevent similar issues in the future, we've made a few changes along with more long term improvements:" says
# the same with the purpose first.
_CHANGES_LEAD_RE = re.compile(
    r"\b(?:changes|fixes)\b[^.:]{0,30}\b(?:to|that|which)\s+(?:fix|address|resolve|close|stop|prevent|plug)\b|"
    r"\bto (?:prevent|avoid|stop)\b[^.:]{0,60}\bwe(?:'ve| have| will|'ll)?\s+(?:made|make|making|taken|take|put in place)\b"
    r"[^.:]{0,30}\b(?:changes|improvements|measures|steps)\b",
    re.I,
)
# An organisation or person at work on a change: "The PSF is exploring the transfer of ...".
_PROSE_WORKING_RE = re.compile(
    r"\b(?:we(?:'re| are)|(?:the\s+)?(?!you\b|they\b|it\b|which\b|that\b|this\b|who\b)[\w.-]+\s+(?:is|are))\s+(?:now\s+|also\s+|"
    r"currently\s+)?(?:exploring|working on|investigating|evaluating|looking into|"
    r"planning)\b",
    re.I,
)
# A remedy already applied, said in the passive: "... which have since been revoked", "now either disabled or
# credentials rotated", "An advisory has been published". Only these verbs: a fix, not any past event.
_REMEDY = (
    r"(?:removed|revoked|rotated|disabled|taken down|yanked|deleted|reverted|patched|blocked|banned|"
    r"quarantined|invalidated|reset|published|rolled back|deactivated|suspended|locked)"
)
_REMEDIED_RE = re.compile(
    rf"\b(?:ha(?:ve|s)\s+(?:since\s+|now\s+|already\s+)?been\s+(?:\w+\s+)?{_REMEDY}|"
    rf"\bnow\s+(?:either\s+)?{_REMEDY})\b",
    re.I,
)
# A change said in the passive, its subject a thing: "The posthog cookie ... was rescoped so ...", "This
# exclusion will be removed when ..." (the subject's first words, then the verb; not "It was decided").
_PASSIVE_CHANGE_RE = re.compile(
    r"^(?:the|this|that|these|those|a|an|our|all|each|every|new)\s+(?:[\w`*./'’-]+\s+){0,12}?"
    r"(?:(?P<will>will|is going to|are going to)\s+(?:now\s+|also\s+)?be|(?:was|were|has been|have been))\s+"
    r"(?:\w+ly\s+)?(?!\w+ing\b)(?:added|removed|rescoped|changed|updated|replaced|introduced|implemented|"
    r"configured|reconfigured|enabled|disabled|deployed|migrated|moved|fixed|improved|extended|documented|"
    r"automated|scoped|restricted|limited|raised|lowered|increased|reduced|set|pinned|rotated|renamed|"
    r"rewritten|refactored|tested|monitored|alerted|required|enforced|created|built|upgraded|deprecated|"
    r"decommissioned|hardened|split|separated|isolated|adjusted|tightened|relaxed|reviewed|audited)\b",
    re.I,
)
# "We've created tracking issues for both of the above changes": the list just above holds the actions.
_TRACKED_ABOVE_RE = re.compile(
    r"\b(?:tracking )?(?:issues?|tickets?|tasks?)\b[^.]{0,40}\bfor (?:both|each|all) "
    r"(?:of )?the above\b|\b(?:both|each|all) of the above (?:changes|items|points) "
    r"(?:are|have been) (?:tracked|filed|ticketed)",
    re.I,
)
_NEXT_DAY_RE = re.compile(r"\b(?:the )?(?:following|next) (?:day|morning|evening|night)\b", re.I)
# A condition or a look back, not a step: "If this turns out to be recurring, we may ...", "Historically we have used".
_NOT_A_STEP_RE = re.compile(r"\s*(?:if|once|when|unless|historically|previously|in the past)\b", re.I)
_ABOUT_THE_TEXT_RE = re.compile(
    r"\b(?:(?:see|listed|described|shown|strings|steps) (?:below|above)|this (?:blog )?post|"
    r"this (?:report|document|announcement|advisory|page|notice|write-?up)|read more)\b",
    re.I,
)
_FIGURE_ITEM_RE = re.compile(r"^[^:]{1,70}:\s*[~≈]?\s*\d[\w\s.%,~+-]{0,24}$|^[^:]{1,40}:\s*(?:\?|n/?a|tbd|-)\s*$", re.I)
_LABELLED_STAT_RE = re.compile(
    r"^\s*(?:time to \w+|duration|total (?:impact )?duration|detection delay|"
    r"total exposure|downtime|impact duration)\b",
    re.I,
)
# A task list's box: "[x] Add safeguards", "[ ] Add metrics".
_TASK_RE = re.compile(r"^\s*\[[ xX]\]\s+\S")
_TICKED_RE = re.compile(r"^\s*\[[xX]\]\s+\S")
# Words that are only an aside in parentheses, often a caption over a code sample: "(Dangerous):", "(Safe):".
_ASIDE_RE = re.compile(r"\s*\([^()]*\)\s*:?\s*")
_ACTION_PARA_RE = re.compile(r"^\s*action items?\s*:\s*(?P<text>.+)$", re.I | re.S)
# A change said to be out already: "This is already released for all SDKs now."
_ALREADY_SHIPPED_RE = re.compile(
    r"\b(?:is|are|has been|have been|was|were)\s+(?:now\s+)?already\s+(?:released|shipped|deployed|live|rolled out)\b"
    r"|\balready (?:released|shipped|deployed|live|rolled out)\b",
    re.I,
)
_ANY_WILL_RE = re.compile(r"\b\w+\s+will\s+(?!be\b|not\b|never\b)\w+", re.I)
# A lead-in naming work under way: "Sam and Naman have been working together to ..., which include changes such as:".
_WORK_UNDER_WAY_RE = re.compile(r"\b(?:ha(?:ve|s) been|(?:is|are)(?: now| currently)?)\s+working\b", re.I)
# Work the writers began: "forcing us to start instrumenting ...", "we started building ...".
_STARTED_WORK_RE = re.compile(r"\b(?:we|us)\s+(?:to\s+)?(?:start(?:ed)?|began|begin)\s+\w+ing\b", re.I)
# The last sentence of a lead-in that announces the list below it: "we will do the following:".
_ANNOUNCES_RE = re.compile(r"\b(?:the following|as follows|below|these|include|including|such as)\b", re.I)
_MEASURE_UNITS = ("minutes", "hours", "days", "weeks", "months", "seconds", "%", "usd", "eur")
# A timeline row's stamp that says the time is unknown: "[???]", "X:", "TBD -", "??:??".
_UNKNOWN_STAMP_RE = re.compile(r"^\s*\[?\s*(?:\?+(?::\?+)?|x|tbd|unknown|n/a)\s*\]?\s*[:\-–—]?(?=\s)", re.I)
# Meanings a sub-heading of an action section names a topic with, not a section of its own.
_TOPIC_KINDS = ("analysis", "detection", "causes", "summary")
_LESSON_KINDS = ("lessons", "lessons_good", "lessons_bad")
# A heading that closes on a clock time or window in brackets: "### Phase 1: Initial Discovery (11:00 - 11:30)".
_TIMED_HEADING_RE = re.compile(
    r"\(\s*~?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[-–—]|to)?\s*(?:~?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?\s*"
    r"(?:[A-Z]{2,5})?\s*\)\W*$",
    re.I,
)
# A heading over what came before the incident ("## Background", "### Background Events"): the rows and items
# it lists are earlier, separate work (LABELLING.md), though its prose may tell the incident's first moment.
_BACKGROUND_RE = re.compile(r"^\W*(?:the\s+)?background\b", re.I)
_SEP_RE = re.compile(r"^[\s\-–—:|,.~)]+")
# A sentence that sets the day of every row below it: "Unless otherwise noted all events happened on
# 2019-10-21"; a row that writes its own date is then an exception, not a new running day.
_DEFAULT_DAY_RE = re.compile(
    r"\bunless (?:otherwise )?(?:noted|stated|specified|indicated)\b|\ball (?:the )?(?:events|times|entries)\b[^.]{0,30}"
    r"\b(?:happened|occurred|took place|are) on\b",
    re.I,
)


@dataclass
class Item:
    """One extracted fact, for the dry run and the staging review: what, where, and the model object."""

    kind: str  # "timeline" | "action" | "impact" | "cause" | "lesson"
    cite: str  # file:line
    label: str  # one line for a person: "2025-09-29 16:58 UTC  Writer database ..."
    obj: object = None
    field: str = ""  # for impact: the Impact field it fills ("users_affected", "figures")


@dataclass
class Reading:
    incident: Incident
    narrative: str
    notes: list[str]
    items: list[Item]
    sections: list[tuple[str, str]]  # (source heading, where it went)
    stated_severity: str = ""  # the source's words, "" when it states none
    undated: bool = False


@dataclass
class _Entry:
    when: datetime  # UTC; for a date-only entry, midnight UTC of the stated day
    local_day: date
    event: str
    cite: str
    line: int
    written: str
    zone_note: str
    structured: bool  # a timeline list item or table row (prose mentions yield to these)
    date_only: bool = False
    assumed: bool = False
    block: int = 0  # the first line of the block it was read from


@dataclass
class _Context:
    year: int | None = None
    doc_day: date | None = None
    doc_day_zone: str | None = None  # the zone the title wrote with the document's date ("2017-11-30 4:23PM PST")
    doc_zone: str | None = None  # the one zone the document states, if it states exactly one
    zone_by_heading: dict[int, str] = field(default_factory=dict)
    zone_carried: dict[int, str] = field(default_factory=dict)  # day heading -> the timeline heading its zone is from
    day_by_heading: dict[int, date] = field(default_factory=dict)
    # A section's own record ("## Incident 2" / "**Date:** December 23, 2025 / **Duration:** ...") -> its day: the
    # bare times of the tables below it are on that day, not on the document's first ("Date: December 22-23").
    record_day: dict[int, date] = field(default_factory=dict)
    only_day: date | None = None  # the one day every full date of the text gives, if they all give one


class PostmortemReader:
    def __init__(
        self, text: str, filename: str, *, given_date: date | None = None, parse: clock.Parse = clock.parse_dateutil
    ):
        self.filename = PurePath(filename).name or "postmortem.md"
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        self.lines = self.text.split("\n")
        self.given_date = given_date
        self.parse = parse
        self.meta, self.offset = split_front_matter(self.text)
        self.blocks = parse_blocks("\n".join(self.lines[self.offset :]), self.offset)
        self.taken: set[str] = set()
        self.notes: list[str] = []
        self.items: list[Item] = []
        self.structured_lines: dict[int, str] = {}  # line -> what it became (for the narrative comments)
        self.discussed: set[str] = set()  # ids of actions read from commitments in discussion prose
        self.in_prose: set[str] = set()  # ids of actions read from sentences (not list items or rows)
        self.listed_actions = False  # the text has a section of actions (set when actions are read)
        self.response_steps: list[int] = []  # lines of steps taken during the incident, left out of the actions
        self.log_zone: dict[int, tuple[str, int]] = {}  # time heading line -> (zone its log runs in, where written)
        # The innermost heading -> (zone, line) a day line under it states ("2019-09-26 (all times in UTC-5)"): the
        # rows below it, and below later day lines that state none, are in that zone.
        self.line_zone: dict[int, tuple[str, int]] = {}

    def cite(self, line: int) -> str:
        return f"{self.filename}:{line}"

    def line_of(self, block: Block, sentence: str) -> int:
        """The source line a sentence of a block starts on (a paragraph spans lines; cite the right one)."""
        words = re.findall(r"\w+", sentence)[:4]
        if not words or block.end <= block.line:
            return block.line
        pattern = re.compile(r"\W+".join(re.escape(w) for w in words))
        joined, starts = "", []
        for n in range(block.line, block.end + 1):
            starts.append((len(joined), n))
            joined += self.lines[n - 1] + "\n"
        found = pattern.search(joined)
        if not found:
            return block.line
        return max(n for offset, n in starts if offset <= found.start())

    def new_id(self, collection: str) -> str:
        value = next_action_id(self.taken) if collection == "actions" else new_entry_id(collection, self.taken)
        self.taken.add(value)
        return value

    # ------------------------------------------------------------------------------------------ structure
    def _title(self) -> tuple[str, Block | None]:
        for block in self.blocks:
            if block.kind == "heading":
                if block.level == 1:
                    return block.text.strip()[:200], block
                break
        title = self.meta.get("title", "").strip()
        if title:
            return title[:200], None
        stem = re.sub(r"[-_]+", " ", self.filename.rsplit(".", 1)[0]).strip()
        return (stem or "Imported postmortem")[:200], None

    def kind(self, block: Block) -> str | None:
        names: list[Heading | _HeadingLike] = [h for h in block.headings if h.line != self.title_line]
        if block.kind == "heading" and block.line != self.title_line:
            names = [*names, _HeadingLike(block.text, block.line)]
        for n, heading in enumerate(reversed(names)):
            found = headings.kind_of(heading.text)
            if found in _TOPIC_KINDS and any(
                headings.kind_of(h.text) == "actions" for h in names[: len(names) - 1 - n]
            ):
                return "actions"  # "## Action items / ### Investigation": a group of actions, named by its topic
            if found:
                return found
            if heading.line in self.dated_headings or heading.line in self.stamped:
                return "timeline"  # a day-level log: "## 2024-03-04", "Mar 9 (Thursday)", "## 2022-05-07 20:14 ..."
        return None

    def _contexts(self) -> _Context:
        ctx = _Context()
        title_mentions = clock.find_mentions(self.title, None, self.parse)
        dated = [m.day for m in title_mentions if m.day and m.year_stated]
        ctx.year = dated[0].year if dated else clock.year_in(self.title)
        if dated:
            ctx.doc_day = dated[0]
            ctx.doc_day_zone = next((m.zone for m in title_mentions if m.day and m.year_stated), None)
        for block in self.blocks[:12]:
            if ctx.doc_day or not block.prose or block.kind == "heading":
                continue
            days = [m.day for m in clock.find_mentions(block.text, ctx.year, self.parse) if m.day and m.year_stated]
            if days:
                ctx.doc_day = days[0]
                ctx.year = ctx.year or days[0].year
        if ctx.year is None:
            for block in self.blocks:
                year = clock.year_in(block.text) if block.prose else None
                if year:
                    ctx.year = year
                    break
        if ctx.year is None:
            published = self._published()
            file_day = self._file_day()
            if published or file_day:
                source = "front matter" if published else "file name"
                ctx.year = (published or file_day).year  # type: ignore[union-attr]  # one of the two is set here
                self.notes.append(f"[ASSUMPTION] the text gives no year; {ctx.year} is taken from the {source}")
        zones: set[str] = set()
        for block in self.blocks:
            if not block.prose:
                continue
            texts = [block.text] if block.kind != "row" else [" ".join(block.header)]
            for text in texts:
                stated = clock.stated_zone(text) if len(text) <= 200 or block.kind == "heading" else None
                if stated:
                    zones.add(stated)
                    owner = (
                        block.line if block.kind == "heading" else (block.headings[-1].line if block.headings else 0)
                    )
                    if block.kind != "row":
                        ctx.zone_by_heading.setdefault(owner, stated)
            for m in clock.find_mentions(block.text, ctx.year, self.parse):
                if m.zone:
                    zones.add(m.zone)
            if block.kind == "heading":
                days = [m.day for m in clock.find_mentions(block.text, ctx.year, self.parse) if m.day and not m.at]
                if days:
                    ctx.day_by_heading[block.line] = days[0]
        if len(zones) == 1:
            ctx.doc_zone = next(iter(zones))
        for block in self.blocks:
            real = [h for h in block.headings if h.level != LABEL_LEVEL]
            section = real[-1].line if real else None
            if block.kind != "paragraph" or section is None or section == self.title_line or section in ctx.record_day:
                continue
            if evidence.incident_record(block.text):
                record = [m.day for m in clock.find_mentions(block.text, ctx.year, self.parse) if m.day and not m.at]
                if record and record[0] is not None:
                    ctx.record_day[section] = record[0]
        self._carry_timeline_zone(ctx)
        self.ctx = ctx
        full = {
            self._typo_year(m.day)
            for b in self.blocks
            if b.prose and not evidence.byline(b.text)
            for m in clock.find_mentions(b.text, ctx.year, self.parse)
            if m.day and m.year_stated
        }
        ctx.only_day = next(iter(full)) if len(full) == 1 else None
        return ctx

    def _carry_timeline_zone(self, ctx: _Context) -> None:
        """ "## Timeline / _All times in EEST_ / ## May 12 / ### 20:15": the day headings that follow a timeline
        heading at its own level continue that timeline, so the zone stated under it holds for them too, up to
        the next heading of that level that is not a day."""
        carried: tuple[int, str, str] | None = None  # (level, zone, the timeline heading's words)
        for block in self.blocks:
            if block.kind != "heading" or block.line == self.title_line:
                continue
            if carried is not None and block.level <= carried[0]:
                if block.level == carried[0] and block.line in self.dated_headings:
                    if block.line not in ctx.zone_by_heading:
                        ctx.zone_by_heading[block.line] = carried[1]
                        ctx.zone_carried[block.line] = carried[2]
                    continue
                carried = None
            zone = ctx.zone_by_heading.get(block.line)
            if zone and headings.kind_of(block.text) == "timeline":
                carried = (block.level, zone, block.text)

    def _stamped_headings(self) -> set[int]:
        """Headings that open with a clock time: each is one timeline entry ("### 08:47", "### 21:00 - Team
        alerted", "## 2022-05-07 20:14 Node failure"). A lone one counts only under a timeline heading; two or
        more at one level are a log of their own (a training log with a heading per event)."""
        found: dict[int, tuple[int, tuple[Heading, ...]]] = {}
        for b in self.blocks:
            if b.kind != "heading" or b.line == self.title_line:
                continue
            mentions = clock.find_mentions(b.text, 2000, self.parse)
            lead = b.text[: mentions[0].start] if mentions else "x"
            if mentions and mentions[0].at is not None and not re.sub(r"[\W_]", "", lead):
                found[b.line] = (b.level, b.headings)
        per_level: dict[int, int] = {}
        for level, _ in found.values():
            per_level[level] = per_level.get(level, 0) + 1
        return {
            line
            for line, (level, above) in found.items()
            if per_level[level] >= 2 or any(headings.kind_of(h.text) == "timeline" for h in above)
        }

    def _stamped_entry(self, block: Block, running: date | None, last: datetime | None) -> _Entry | None:
        """The entry of a heading that opens with a time; its event is the heading's words after the time, or
        the first paragraph under it when the heading is only a time ("### 08:47")."""
        mentions = clock.find_mentions(block.text, self.ctx.year, self.parse)
        first = mentions[0]
        rest = block.text[first.end :]
        if len(mentions) > 1 and re.fullmatch(r"\s*(?:-|–|—|to|until)\s*", rest[: mentions[1].start - first.end]):
            rest = block.text[mentions[1].end :]  # "### 8:20 - 8:24": the range's start is the entry
        event = _SEP_RE.sub("", rest).strip()
        if not event:
            body = next(
                (
                    b
                    for b in self.blocks
                    if b.line > block.line
                    and b.prose
                    and b.kind != "heading"
                    and b.headings
                    and b.headings[-1].line == block.line
                ),
                None,
            )
            event = one_line(body.text)[:2000] if body is not None else first.text
        entry = self._entry(block, first, mentions, event, True, running, block.line)
        if entry is not None and first.day is None and last is not None and _passed_midnight(entry.when, last):
            entry.when += timedelta(days=1)  # bare-time headings that pass midnight
            entry.local_day += timedelta(days=1)
            entry.assumed = True
            entry.zone_note += "; the day after the previous entry (the log passed midnight)"
        return entry

    def _range_end(self, block: Block, text: str, mentions: list[clock.Mention], start: _Entry) -> _Entry | None:
        """The end of a range that opens a heading or a row ("### ~13:30-13:45", "| 09:00 - 11:00 |"): an entry of
        its own, since the end of a window is when something changed. Read in the start's day and zone; an end
        before its start is on the next day. It yields to an entry the source gives that minute ("### 8:24")."""
        if len(mentions) >= 2 and start.date_only:
            return self._day_range_end(block, text, mentions, start)
        if len(mentions) < 2 or start.date_only or mentions[1].at is None:
            return None
        first, second = mentions[0], mentions[1]
        if not re.fullmatch(r"\s*(?:-|–|—|to|until|till)\s*~?\s*", text[first.end : second.start]):
            return None
        zone_of_end = second.zone or first.zone
        end_mention = clock.Mention(
            second.start, second.end, second.text, second.day or start.local_day, True, second.at, zone_of_end
        )
        end = self._entry(
            block, end_mention, [end_mention, *mentions], f"End of: {start.event}", False, start.local_day, start.line
        )
        if end is None:
            return None
        if end.when < start.when:
            end.when += timedelta(days=1)
            end.local_day += timedelta(days=1)
        end.zone_note += f"; the end of the range '{text[first.start : second.end].strip()}'"
        return end

    def _day_range_end(self, block: Block, text: str, mentions: list[clock.Mention], start: _Entry) -> _Entry | None:
        """ "| Jan 22–26 | Users report ... |": a row stamped with a range of days gives its last day too, a
        date-only entry of its own (LABELLING.md: a range of days gives its two days)."""
        first, second = mentions[0], mentions[1]
        joined = second.start < first.end or re.fullmatch(
            r"\s*(?:-|–|—|to|until|till|through)\s*", text[first.end : second.start]
        )
        if not joined or second.day is None or second.at is not None or second.day <= start.local_day:
            return None
        day = second.day
        return _Entry(
            datetime(day.year, day.month, day.day, tzinfo=timezone.utc),
            day,
            f"End of: {start.event}",
            start.cite,
            start.line,
            text[first.start : second.end].strip(),
            f"the last day of the range '{text[first.start : second.end].strip()}', without a time of day",
            True,
            date_only=True,
            block=start.block,
        )

    def _published(self) -> date | None:
        raw = self.meta.get("date", "")
        try:
            return date.fromisoformat(raw[:10]) if raw else None
        except ValueError:
            return None

    def _file_day(self) -> date | None:
        found = re.search(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)", self.filename)
        if not found:
            return None
        try:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            return None

    # ------------------------------------------------------------------------------------------ times
    def _zone_for(self, block: Block, mention: clock.Mention, others: list[clock.Mention]) -> tuple[str, str, bool]:
        """(zone, how it was known, assumed?) for one mention."""
        if mention.zone:
            return mention.zone, f"zone {mention.zone} written with the time", False
        near = [m for m in others if m.zone and m is not mention]
        if near:
            near.sort(key=lambda m: abs(m.start - mention.start))
            return near[0].zone or "UTC", f"zone {near[0].zone} from the same sentence", False
        if block.kind == "row":
            stated = clock.stated_zone(" ".join(block.header))
            if stated:
                return stated, f"zone {stated} from the table header", False
        own = [h for h in block.headings if not (h.level == LABEL_LEVEL and h.line == block.line)]
        lined = self.line_zone.get(own[-1].line if own else 0)
        if lined:
            return lined[0], f"zone {lined[0]} stated with the day line at line {lined[1]}", False
        for heading in reversed(block.headings):
            zone = self.ctx.zone_by_heading.get(heading.line)
            if zone:
                carried = self.ctx.zone_carried.get(heading.line)
                if carried:
                    return zone, f"zone {zone} stated under '{carried}', which '{heading.text}' continues", False
                return zone, f"zone {zone} stated under '{heading.text}'", False
        # A log of time headings keeps the zone its last heading wrote ("### 16:59 PST", then "### 17:07"),
        # as it keeps its day; a time in the body of such a heading ("since ~15:10") is in that zone too.
        owner = block.line if block.kind == "heading" else (block.headings[-1].line if block.headings else None)
        logged = self.log_zone.get(owner) if owner is not None else None
        if logged:
            zone, line = logged
            return zone, f"zone {zone} written with the time heading at line {line}", False
        if 0 in self.ctx.zone_by_heading:
            zone = self.ctx.zone_by_heading[0]
            return zone, f"zone {zone} stated at the top of the document", False
        if self.ctx.doc_zone:
            zone = self.ctx.doc_zone
            return zone, f"no zone written here; {zone} assumed, the only zone the document uses", True
        return "UTC", "no zone stated anywhere in the document; UTC assumed", True

    def _day_for(
        self,
        block: Block,
        mention: clock.Mention,
        others: list[clock.Mention],
        running: date | None,
        structured: bool = False,
    ) -> tuple[date | None, bool]:
        if mention.day:
            in_year = self._in_year(mention)
            return in_year, in_year != mention.day  # a year taken as the one before: an assumption, said in the note
        same = [m for m in others if m.day and m is not mention]
        if same:
            same.sort(key=lambda m: abs(m.start - mention.start))
            return same[0].day, False
        if running:
            return running, False
        for heading in reversed(block.headings):
            day = self.ctx.day_by_heading.get(heading.line) or self.ctx.record_day.get(heading.line)
            if day:
                return day, False
        if self.ctx.doc_day:
            return self.ctx.doc_day, False
        if self.ctx.only_day:
            return self.ctx.only_day, True  # "At about 12:30pm CT" in a text whose one stated day is April 9th
        if self.given_date:
            return self.given_date, True
        if structured and self._file_day():
            # "2026-01-27_run_crash.md" with a timeline table of bare times: that day, said so. A time in prose
            # ("I woke up around 05:30") in a text that states no day stays undated.
            return self._file_day(), True
        return None, False

    def _in_year(self, mention: clock.Mention) -> date:
        """A day written without its year that would fall more than half a year after the document's own
        date is in the year before ("[12-05 16:21]" in a postmortem of March 26th, 2019: December 2018)."""
        day = mention.day
        assert day is not None
        doc = self.ctx.doc_day
        anchor = doc or self.ctx.only_day
        if mention.alt_day is not None and anchor is not None and abs(mention.alt_day - anchor) < abs(day - anchor):
            return mention.alt_day  # "04/10" in a report dated April 10th: month first
        if not mention.year_stated and doc and day - doc > timedelta(days=183):
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # February 29th
                return day - timedelta(days=365)
        if mention.year_stated:
            return self._typo_year(day)
        return day

    def _typo_year(self, day: date) -> date:
        """A full date whose year is a slip: "2012-04-09" in the timeline of a postmortem dated 2020-04-09 by its
        title, front matter or file name. Only the document's own month and day in another year is read so (the note
        says so): "2023-07-20" in a report of 2024-07-08 is an earlier event a year before, not a slip."""
        anchors = {d for d in (self.title_day, self._published(), self._file_day()) if d is not None}
        if not anchors or day in anchors:
            return day
        for anchor in sorted(anchors):
            try:
                moved = day.replace(year=anchor.year)
            except ValueError:  # February 29th
                continue
            if moved == anchor:
                note = f"[ASSUMPTION] {day.isoformat()} is read as {moved.isoformat()}: its year contradicts the document's date"
                if note not in self.notes:
                    self.notes.append(note)
                return moved
        return day

    def _entry(
        self,
        block: Block,
        mention: clock.Mention,
        others: list[clock.Mention],
        event: str,
        structured: bool,
        running: date | None,
        line: int,
    ) -> _Entry | None:
        day, day_assumed = self._day_for(block, mention, others, running, structured)
        if day is None:
            self.notes.append(
                f"[DATA GAP] {self.cite(line)}: '{mention.text}' has no date anywhere; not imported (give --date)"
            )
            return None
        event = _SEP_RE.sub("", re.sub(r"\[\^[\w-]+\]", "", " ".join(event.split()))).strip() or mention.text
        if mention.at is None:
            return _Entry(
                datetime(day.year, day.month, day.day, tzinfo=timezone.utc),
                day,
                event,
                self.cite(line),
                line,
                mention.text,
                "date without a time of day",
                structured,
                date_only=True,
                assumed=day_assumed,
                block=block.line,
            )
        zone, how, assumed = self._zone_for(block, mention, others)
        if mention.day is None and day_assumed and day == self.ctx.only_day:
            how += f"; no day written here: {day}, the one day the text states"
        elif mention.day is None and day_assumed and not self.given_date and day == self._file_day():
            how += f"; the text states no day: {day}, the file name's date"
        if mention.day and day != mention.day and day != mention.alt_day:
            how += (
                f"; year taken as {day.year}: {mention.day.year} contradicts the document's date"
                if mention.year_stated
                else f"; year taken as {day.year}: {mention.day:%B} {mention.day.day} would fall after the document's date"
            )
        if mention.given_utc is not None:
            when = clock.to_utc(day, mention.at, zone)
            given = when.replace(hour=mention.given_utc.hour, minute=mention.given_utc.minute)
            if abs((given - when).total_seconds()) > 12 * 3600:
                given += timedelta(days=1) if given < when else timedelta(days=-1)
            when, how, assumed = given, "the UTC time the source gives", False
        else:
            when = clock.to_utc(day, mention.at, zone)
            home = self.ctx.doc_day_zone
            if mention.day is None and day == self.ctx.doc_day and home and zone != home:
                # The title's date is a day in the title's zone: "0:59 CET" in a report titled "2017-11-30
                # 4:23PM PST" is the CET time that falls on November 30th in PST (00:59 CET on December 1st).
                shift = day - when.astimezone(clock.zone_info(home)).date()
                if shift:
                    when += shift
                    how += f"; placed on {day} as dated in {home} by the title"
        return _Entry(
            when,
            day,
            event,
            self.cite(line),
            line,
            mention.text,
            how,
            structured,
            assumed=assumed or day_assumed,
            block=block.line,
        )

    def _timeline(self) -> list[_Entry]:
        out: list[_Entry] = []
        running: dict[int, tuple[date | None, datetime | None]] = {}  # innermost heading -> (day, last time)
        fixed_day: set[int] = set()  # headings whose rows share a day stated once ("all events happened on ...")
        prose_last: dict[int, _Entry] = {}  # innermost heading -> the last timed entry its prose gave
        log_zones: dict[int, tuple[str, int]] = {}  # heading over a log of time headings -> the zone last written
        day_lined: set[int] = set()  # headings whose rows a day line dates ("2019-09-25" then "- Realize it broke")
        for block in self.blocks:
            if block.kind == "heading" and block.line in self.stamped:
                parent = block.headings[-1].line if block.headings else 0
                day, last = running.get(parent, (None, None))
                written = clock.find_mentions(block.text, self.ctx.year, self.parse)[0].zone
                if written:
                    log_zones[parent] = (written, block.line)
                if parent in log_zones:
                    self.log_zone[block.line] = log_zones[parent]
                stamped = self._stamped_entry(block, day, last)
                if stamped is not None:
                    out.append(stamped)
                    mentions = clock.find_mentions(block.text, self.ctx.year, self.parse)
                    end = self._range_end(block, block.text, mentions, stamped)
                    if end is not None:
                        out.append(end)
                    self.structured_lines[block.line] = "timeline entries"
                    running[parent] = (stamped.local_day, stamped.when)
                    running[block.line] = (stamped.local_day, stamped.when)
                continue
            timed_close = block.kind == "heading" and bool(_TIMED_HEADING_RE.search(block.text))
            if block.kind == "heading" and block.prose and (self.kinds.get(id(block)) == "timeline" or timed_close):
                # "#### Error #1: Misdiagnosis (4:09 PM - Commit `399fd74`)": a heading of a timeline that tells
                # its time inside its words is an event at that time, as a stamped heading is; so is any heading
                # that closes on its time or window ("### Phase 2: Root Cause Analysis (11:30 - 12:00)", "### Fix #2:
                # Converted ... (12:13)"), whatever section it names. A window's end is an entry of its own.
                key = block.headings[-1].line if block.headings else 0
                in_words = [m for m in clock.find_mentions(block.text, self.ctx.year, self.parse) if m.at is not None]
                if in_words and block.line not in self.stamped and block.line != self.title_line:
                    entry = self._entry(
                        block, in_words[0], in_words, block.text, True, running.get(key, (None, None))[0], block.line
                    )
                    if entry is not None:
                        out.append(entry)
                        end = self._range_end(block, block.text, in_words, entry) if timed_close else None
                        if end is not None:
                            out.append(end)
                continue
            if block.kind == "code":
                # "## Timeline" / ```09-20 14:54    Gateway restarted ...```: a timeline kept as preformatted text.
                for seg_line, seg_text in self._stamped_code_lines(block):
                    mentions = clock.find_mentions(seg_text, self.ctx.year, self.parse)
                    entry = self._entry(
                        block, mentions[0], mentions[:1], seg_text[mentions[0].end :], True, None, seg_line
                    )
                    if entry is not None:
                        out.append(entry)
                        self.structured_lines[seg_line] = "timeline entries"
                continue
            if not block.prose or block.kind == "heading" or block.text.startswith("[^"):
                continue
            section = self.kinds[id(block)]
            if section == "recommendations" or id(block) in self.chat or evidence.byline(self._record(block)):
                continue  # a pasted chat log's timestamps are evidence; a byline dates the document
            if block.kind in ("row", "item") and any(_BACKGROUND_RE.match(h.text) for h in block.headings):
                continue  # "### Background Events / | Oct 29, 2025 | ... |": earlier work told as background
            # A paragraph's own bold lead ("**07:52** danrubel reports ...") is no section: its day runs on from
            # the heading above, where a day line ("2016-11-08") set it.
            own = [h for h in block.headings if not (h.level == LABEL_LEVEL and h.line == block.line)]
            key = own[-1].line if own else 0
            day, last = running.get(key, (None, None))
            if section == "timeline" and block.kind == "paragraph":
                heading_day = self._day_line(block)
                if heading_day is not None:
                    running[key] = (heading_day, None)  # "2019-01-22" on its own line heads the rows below
                    day_lined.add(key)
                    zone_rule = clock.stated_zone(block.text)
                    if zone_rule:
                        self.line_zone[key] = (zone_rule, block.line)
                    continue
                default = self._default_day(block)
                if default is not None:
                    running[key] = (default, None)
                    fixed_day.add(key)
                    continue
            if section == "timeline" and block.kind in ("item", "row"):
                stamp_text = block.cells[0] if block.kind == "row" and block.cells else block.text
                mentions = clock.find_mentions(stamp_text, self.ctx.year, self.parse)
                first = mentions[0] if mentions and mentions[0].start <= 12 else None
                if first is None:
                    unknown = _UNKNOWN_STAMP_RE.match(stamp_text)
                    placeholder_day = day or self._day_above(block)
                    # A top-level bullet under a day line that gives no time ("2019-09-25" / "- Realize it was
                    # broken") is an event of that day, its time of day unknown, as a "[???]" row is.
                    untimed = key in day_lined and day is not None and block.kind == "item" and block.depth == 0
                    if (unknown or untimed) and placeholder_day is not None:
                        # "[???] IOPS reached a critical point": a row whose time the author did not know is a
                        # date-only entry of the day it sits under.
                        event = _SEP_RE.sub("", stamp_text[unknown.end() :] if unknown else stamp_text).strip()
                        out.append(
                            _Entry(
                                datetime(
                                    placeholder_day.year,
                                    placeholder_day.month,
                                    placeholder_day.day,
                                    tzinfo=timezone.utc,
                                ),
                                placeholder_day,
                                event or stamp_text,
                                self.cite(block.line),
                                block.line,
                                unknown.group(0).strip() if unknown else placeholder_day.isoformat(),
                                "the row gives no time of day",
                                True,
                                date_only=True,
                            )
                        )
                    continue
                if block.kind == "row":
                    event = " — ".join(c for c in block.cells[1:] if c.strip())
                else:
                    event = _SEP_RE.sub("", block.text[first.end :]).strip()
                if first.day is not None and first.at is None:
                    # "- 2023-02-01 - summary updated between ~8-9 PM": a row stamped with its day that gives the
                    # time of day in its words is timed by them (a range there: its two ends).
                    hour_at = next(
                        (k for k, m in enumerate(mentions) if k and m.at is not None and m.day is None), None
                    )
                    if hour_at is not None:
                        timed = mentions[hour_at]
                        first = clock.Mention(
                            timed.start,
                            timed.end,
                            timed.text,
                            first.day,
                            first.year_stated,
                            timed.at,
                            timed.zone,
                            timed.given_utc,
                        )
                        mentions = [first, *mentions[hour_at + 1 :]]
                entry = self._entry(block, first, mentions, event, True, day, block.line)
                if entry is None:
                    continue
                if (
                    first.day is None
                    and first.at is not None
                    and last is not None
                    and _passed_midnight(entry.when, last)
                ):
                    entry.when += timedelta(days=1)  # a list of bare times that passes midnight
                    entry.local_day += timedelta(days=1)
                    entry.assumed = True
                    entry.zone_note += "; the day after the previous entry (the list passed midnight)"
                out.append(entry)
                end = self._range_end(block, stamp_text, mentions, entry)
                if end is not None:
                    out.append(end)
                self.structured_lines.update({n: "timeline entries" for n in range(block.line, block.end + 1)})
                running[key] = (
                    day if key in fixed_day else entry.local_day if first.day or day else day,
                    entry.when if not entry.date_only else last,
                )
                continue
            segments = self._stamped_lines(block) if section == "timeline" and block.kind == "paragraph" else []
            if segments:
                # "**07:52** danrubel reports ...<br>" / "**11:03** chinmaygarde ...": one paragraph, one entry per
                # stamped line, read as a list (its own day, passing midnight) rather than as running prose.
                for seg_line, seg_text in segments:
                    mentions = clock.find_mentions(seg_text, self.ctx.year, self.parse)
                    entry = self._entry(
                        block, mentions[0], mentions[:1], seg_text[mentions[0].end :], True, day, seg_line
                    )
                    if entry is None:
                        continue
                    if mentions[0].day is None and last is not None and _passed_midnight(entry.when, last):
                        entry.when += timedelta(days=1)
                        entry.local_day += timedelta(days=1)
                        entry.assumed = True
                        entry.zone_note += "; the day after the previous entry (the lines passed midnight)"
                    out.append(entry)
                    if not entry.date_only:
                        last = entry.when
                    day = entry.local_day
                    running[key] = (day, last)
                    for n, other in enumerate(mentions[1:], 1):
                        # Other times the line tells ("confirms peak at 18:00 UTC yesterday") are events too.
                        if other.at is None or evidence.in_log_field(seg_text, other.start):
                            continue
                        at_line = self.line_of(block, seg_text[other.start :])
                        told = self._entry(block, other, mentions[n:], seg_text, False, day, at_line)
                        if told is not None:
                            out.append(self._yesterday(told) if _YESTERDAY_RE.match(seg_text, other.end) else told)
                self.structured_lines.update({n: "timeline entries" for n in range(block.line, block.end + 1)})
                continue
            for sentence in figures.sentences(block.text):
                if evidence.earlier_occurrence(sentence):
                    continue  # "This occurred once previously on 2019-01-08": background, not this incident
                mentions = clock.find_mentions(sentence, self.ctx.year, self.parse)
                if not mentions and section not in _LESSON_KINDS and key in prose_last:
                    for later in _LATER_RE.finditer(sentence):  # "Twenty minutes later ... 2 hours later ..."
                        prose_last[key] = self._later_entry(block, sentence, later, prose_last[key])
                        out.append(prose_last[key])
                if evidence.pasted_message(sentence):
                    continue  # "... is failing. | Violation started: July 11, 2025 at 4:42PM UTC | Policy: ...": an alert
                for n, mention in enumerate(mentions):
                    if evidence.in_log_field(sentence, mention.start):
                        continue  # '"time":"2019-01-23T16:08:30Z"' in a pasted log line is evidence
                    if evidence.deadline(sentence, mention.start):
                        continue  # "**Due:** 2026-01-12" plans a day ahead for an action: no event
                    start_of = _range_start(sentence, mentions, n)
                    if (
                        start_of is not None
                        and mention.at is not None
                        and start_of.at is not None
                        and mention.day is None
                        and start_of.day is None
                        and mention.at < start_of.at
                    ):
                        continue  # "an upgrade from 9 am to 5 am": an end before its start cannot be placed
                    if section in _LESSON_KINDS and not (mention.at is not None and mention.year_stated):
                        # "a deploy started after 5pm is inadvisable": a lesson, not an event; "as early as
                        # 2016/11/07 21:30" names a moment of this incident by its full date.
                        continue
                    if mention.at is None and (mention.day is None or evidence.names_a_document(sentence, mention.end)):
                        continue  # "our December 3rd update" names another document
                    after = (
                        day + timedelta(days=1) if day and not mention.day and _NEXT_DAY_RE.search(sentence) else day
                    )  # "12 hours later, at 4:11 AM UTC the following morning"
                    entry = self._entry(
                        block, mention, mentions, sentence, False, after, self.line_of(block, sentence[mention.start :])
                    )
                    if entry is not None:
                        out.append(entry)
                        if not entry.date_only:
                            prose_last[key] = entry
                    if mention.day and mention.at is not None and entry is not None and not entry.assumed:
                        # A running date, as a reader keeps one: "At 3:28 PM UTC on November 23rd ..." then,
                        # a paragraph on, "At 3:43 PM ..." is the 23rd too, not the title's day.
                        day = entry.local_day
                        running[key] = (day, last)
        out += self._undated_days(out)
        titled = self._title_day()
        if not out or (titled and all(e.local_day < titled[0].local_day for e in out)):
            # "# 2026-07-31 — an unbounded constraint made every version un-installable": the record's own day,
            # when every other day the text tells comes before it (background: "the initial commit
            # (2026-05-07)"); a title whose day is earlier than the events is a leftover, not the record's day.
            out += titled
        return self._dedupe(out)

    def _record(self, block: Block) -> str:
        """A block's text with the rest of the record it is a field of: "- **Date**: 2025-08-09" with its sibling
        items ("- **Status**: resolved"), as a paragraph of fields holds them on its own lines."""
        if block.kind != "item" or not block.label_like:
            return block.text
        siblings = [b.text for b in self.blocks if b.kind == "item" and b.list_id == block.list_id and b is not block]
        return " ".join([block.text, *siblings])

    def _title_day(self) -> list[_Entry]:
        """ "# 2023-01-23 Upgrading ingress-nginx caused brief outage": a title that opens with the incident's date, in a text that
        gives no other date or time, dates it: one date-only entry citing the title (not the publication date of
        front matter, which dates the write-up)."""
        if self.title_line < 0:
            return []
        dated = [m for m in clock.find_mentions(self.title, None, self.parse) if m.day and m.year_stated]
        if not dated or re.sub(r"[\W_]", "", self.title[: dated[0].start]):
            return []  # the date must open the title, as incident logs name their entries ("Notes of 2024-05-01" is not)
        day = dated[0].day
        assert day is not None
        return [
            _Entry(
                datetime(day.year, day.month, day.day, tzinfo=timezone.utc),
                day,
                self.title,
                self.cite(self.title_line),
                self.title_line,
                dated[0].text,
                "the day the title gives, without a time of day",
                True,
                date_only=True,
            )
        ]

    def _stamped_lines(self, block: Block) -> list[tuple[int, str]]:
        """A timeline paragraph written as lines that each open with a time ("**16:27** Dart ...<br>", "July 23
        4:10 AM" / "Jenny confirms ..."): (line, plain text) per stamped line, the unstamped lines joined to the
        one above. One part or none when the paragraph is running prose."""
        parts: list[tuple[int, list[str]]] = []
        for n in range(block.line, block.end + 1):
            raw = self.lines[n - 1]
            plain = _MARKUP_RE.sub(" ", raw).strip()
            mentions = clock.find_mentions(plain, self.ctx.year, self.parse) if plain else []
            if mentions and mentions[0].at is not None and mentions[0].start == 0:
                parts.append((n, [raw]))
            elif parts:
                parts[-1][1].append(raw)
            elif plain:
                return []  # prose before the first stamp: not a list of stamped lines
        out = []
        for n, raw_lines in parts:
            rendered = parse_blocks("\n".join(_BREAK_RE.sub(" ", r) for r in raw_lines), 0)
            out.append((n, " ".join(b.text for b in rendered if b.prose)))
        return out

    def _stamped_code_lines(self, block: Block) -> list[tuple[int, str]]:
        """A code block right under a timeline heading whose lines are rows that each open with a day and a time
        ("09-20 15:30:17 Two 404s passed through"): (line, text) per row. A log or a command quoted in a timeline
        sits under an entry's own heading, or opens its lines otherwise (a level, a brace, a prompt), and gives
        none; a row with a day and no time of day (an earlier incident told as background) is none either."""
        if not block.headings or headings.kind_of(block.headings[-1].text) != "timeline":
            return []
        rows = [(block.line + 1 + n, raw.strip()) for n, raw in enumerate(block.text.split("\n")) if raw.strip()]
        stamped = []
        for line, text in rows:
            mentions = clock.find_mentions(text, self.ctx.year, self.parse)
            if mentions and mentions[0].start == 0 and mentions[0].at is not None and mentions[0].day is not None:
                rest = text[mentions[0].end :]
                if not _LOG_LEVEL_RE.match(rest):
                    stamped.append((line, text))
        return stamped if len(stamped) >= 2 and 3 * len(stamped) >= 2 * len(rows) else []

    @staticmethod
    def _yesterday(entry: _Entry) -> _Entry:
        """ "at 18:00 UTC yesterday", said in an entry of July 23rd: July 22nd."""
        entry.when -= timedelta(days=1)
        entry.local_day -= timedelta(days=1)
        entry.zone_note += "; 'yesterday': the day before the entry it is told in"
        return entry

    def _later_entry(self, block: Block, sentence: str, later: re.Match[str], before: _Entry) -> _Entry:
        """ "Twenty minutes later, the replica caught up": the time the text gives by counting from the time
        stated just before it, said in the note (so a reader can check the arithmetic)."""
        amount = figures.WORDS.get(later.group("n").lower()) or float(later.group("n"))
        unit = later.group("u").lower().rstrip("s")
        delta = timedelta(minutes=amount) if unit in ("minute", "min") else timedelta(hours=amount)
        when = before.when + delta
        line = self.line_of(block, sentence)
        note = f"{later.group(0).strip()} than {before.when:%Y-%m-%d %H:%M} UTC ({self.cite(before.line)})"
        return _Entry(
            when,
            before.local_day,
            sentence,
            self.cite(line),
            line,
            later.group(0).strip(),
            note,
            False,
            assumed=True,  # counted from the time stated before it, which the reader takes as its base
        )

    def _day_above(self, block: Block) -> date | None:
        for heading in reversed(block.headings):
            day = self.ctx.day_by_heading.get(heading.line) or self.ctx.record_day.get(heading.line)
            if day:
                return day
        return self.ctx.doc_day

    def _default_day(self, block: Block) -> date | None:
        """The one day a paragraph says all the rows below happened on ("Unless otherwise noted all events
        happened on 2019-10-21, and all times are in UTC.")."""
        if not _DEFAULT_DAY_RE.search(block.text):
            return None
        days = [m for m in clock.find_mentions(block.text, self.ctx.year, self.parse) if m.day and m.at is None]
        return self._in_year(days[0]) if len(days) == 1 else None

    def _day_line(self, block: Block) -> date | None:
        """The day of a paragraph that is nothing but a date ("2019-01-22", "**Tuesday, March 5**")."""
        mentions = clock.find_mentions(block.text, self.ctx.year, self.parse)
        if len(mentions) != 1 or mentions[0].day is None or mentions[0].at is not None:
            return None
        rest = (block.text[: mentions[0].start] + block.text[mentions[0].end :]).lower()
        if clock.stated_zone(rest) and len(rest) <= 60:
            return self._in_year(mentions[0])  # "2019-09-26 (all times in UTC-5)": a day line with its zone rule
        rest = re.sub(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\W", "", rest)
        return self._in_year(mentions[0]) if not rest else None

    def _undated_days(self, found: list[_Entry]) -> list[_Entry]:
        """A dated heading of a day-level log whose section gives no time: one entry for the day, its
        time of day a [DATA GAP], with the section's first words as the event."""
        # A day another heading of a per-event log gives ("## 2022-05-29 01:30 ...") does not stand for this
        # heading's own event ("## 2022-05-29 Smoothing ..."); a day the prose restates does. Two headings of
        # one day ("### 2022-05-18 hanging at eval redux", "### 2022-05-18 slurm doesn't quit") are two events.
        days = {e.local_day for e in found if e.line not in self.stamped}
        # "## May 13 / ### 14:30 / ### 15:51": a day heading whose own time headings gave entries is covered.
        timed_below = {h.line for b in self.blocks if b.line in self.stamped for h in b.headings}
        out = []
        for block in self.blocks:
            day = self.ctx.day_by_heading.get(block.line) if block.kind == "heading" else None
            if day is None or day in days or block.line not in self.dated_headings or block.line in timed_below:
                continue
            body = next(
                (
                    b
                    for b in self.blocks
                    if b.prose and b.kind != "heading" and b.headings and b.headings[-1].line == block.line
                ),
                None,
            )
            event = body.text if body is not None else block.text
            mention = clock.Mention(0, 0, block.text, day, True)
            out.append(
                _Entry(
                    datetime(day.year, day.month, day.day, tzinfo=timezone.utc),
                    day,
                    one_line(event)[:20_000],
                    self.cite(block.line),
                    block.line,
                    mention.text,
                    "a day heading without a time of day",
                    True,
                    date_only=True,
                )
            )
        return out

    def _dedupe(self, entries: list[_Entry]) -> list[_Entry]:
        structured_minutes = {e.when for e in entries if e.structured and not e.date_only}
        timed_days = {e.local_day for e in entries if not e.date_only} | {
            e.when.date() for e in entries if not e.date_only
        }
        seen_prose: set[datetime] = set()
        seen_days: set[tuple[date, int]] = set()
        told: set[date] = set()  # days a date-only entry already gives
        logged = {b.line for b in self.blocks if self.kinds[id(b)] == "timeline"}
        out = []
        for e in entries:
            if e.structured:
                out.append(e)
            elif not e.date_only:
                if e.when in structured_minutes or e.when in seen_prose:
                    continue
                seen_prose.add(e.when)
                out.append(e)
            else:
                # A day told twice in one paragraph ("Date: February 27" / "Feb 27 fix") is one date-only entry;
                # two paragraphs that each date an event to one day are two.
                if e.local_day in timed_days or (e.local_day, e.block) in seen_days:
                    continue
                if e.local_day in told and e.block not in logged:
                    # Outside a timeline a day told again is the same day ("the breach started on December 19",
                    # then "packages uploaded between December 19 and January 13"); a log's rows are events each.
                    continue
                seen_days.add((e.local_day, e.block))
                told.add(e.local_day)
                out.append(e)
        return out

    # ------------------------------------------------------------------------------------------ actions
    def _actions(self) -> list[ActionItem]:
        actions: list[ActionItem] = []
        last_ordered: dict[int, ActionItem] = {}  # innermost heading -> the last numbered action under it
        parents: dict[int, tuple[Block, ActionItem]] = {}
        # A paragraph ending in ":" and the list right after it: the list details the paragraph's action
        # ("We've established guiding criteria for disabling the system:"), or is the actions the paragraph
        # announces ("Going forward, we will do the following:"), with the paragraph's status.
        intro: tuple[int, ActionItem | None, str] | None = None  # (list id, action it details, announced status)
        previous: Block | None = None
        # Lists that report the steps taken to get through the incident ("We took the following steps to respond
        # to this incident:"), and the steps of them left out as no lasting change (their sub-items go with them).
        response_lists: set[int] = set()
        other_lists: set[int] = set()  # lists whose lead-in names causes or conditions, not changes
        left_out: list[Block] = []
        grouped: set[str] = set()  # ids of topic titles whose nested items are tasks of their own
        self.listed_actions = any(self.kinds[id(b)] == "actions" for b in self.blocks if b.kind == "heading")
        fixed_lead: dict[int, ActionItem] = {}  # heading -> a fix's lead-in to its code ("**The cap**, in x.toml:")
        # A list whose every item defines a term ("Prevent - Prevent similar issues ...", "P0 - Critical for ...")
        # explains how the action items are sorted; it is no action item itself.
        items_of: dict[int, list[Block]] = {}
        for b in self.blocks:
            if b.kind == "item" and b.depth == 0:
                items_of.setdefault(b.list_id, []).append(b)
        other_lists.update(
            list_id
            for list_id, items in items_of.items()
            if len(items) >= 2 and all(_DEFINITION_ITEM_RE.match(b.text) for b in items)
        )
        # A list of tick boxes holds its tasks in the boxes ("- [x] Pin MCP", "- [ ] Add a test").
        boxed = {
            list_id
            for list_id, items in items_of.items()
            if len(items) >= 2 and 2 * sum(bool(_TASK_RE.match(b.text)) for b in items) > len(items)
        }
        for block in self.blocks:
            section = self.kinds[id(block)]
            key = block.headings[-1].line if block.headings else 0
            after, previous = previous, block
            if block.kind == "item" and intro is not None and intro[0] != block.list_id and block.depth == 0:
                intro = None
            if block.kind == "item" and after is not None and after.kind == "paragraph" and block.depth == 0:
                intro = self._intro(after, actions, block.list_id)
                if steps.RESPONSE_LEAD_IN_RE.search(after.text):
                    response_lists.add(block.list_id)
                if _NOT_ACTIONS_LEAD_RE.search(after.text) or self._field_lines(after):
                    # ... and a list right under a paragraph of fields ("**Verification**:") details its last field
                    other_lists.add(block.list_id)
            if block.kind == "item" and block.list_id in other_lists:
                continue  # "This incident was caused by my failure to:", "... even when:": causes or conditions
            if block.kind == "item" and self._stamp_led(block):
                continue  # "- 13:00 — Automated anomaly detection triggered": a timeline entry, whatever the heading
            if block.kind == "item" and block.depth == 0 and block.list_id in boxed:
                if not _TASK_RE.match(block.text):
                    # "- [N/A] **Replace dontAsk** — not needed", "- **Production:** the leak is ...": a note
                    # among the boxes, no task.
                    left_out.append(block)
                    continue
                if section == "actions" and _TICKED_RE.match(block.text) and steps.response_step(_step_of(block)):
                    # "- [x] **USER**: revoked GitHub PAT": a box ticked for a step of the response, no lasting change
                    # (an open box, "- [ ] Investigate the root cause", is work the authors commit to).
                    left_out.append(block)
                    self.response_steps.append(block.line)
                    continue
            if block.kind in ("item", "row") and any(b.line < block.line <= b.end for b in left_out):
                continue  # a sub-item of a step left out details that step
            if (
                block.kind in ("item", "row")
                and section == "actions"
                and (block.list_id in response_lists or self._under_response_heading(block))
                and not steps.lasting(_step_of(block))
            ):
                # "## Our Response / 1. We immediately turned off all builds": a step of the response, no action.
                left_out.append(block)
                self.response_steps.append(block.line)
                continue
            if block.kind == "item" and intro is not None and intro[0] == block.list_id and not block.quoted:
                _, owner, announced = intro
                if owner is not None:
                    owner.action = f"{owner.action}\n- {block.text.strip()}"[:20_000]
                    owner.source = f"{owner.source}, {self.cite(block.line)}"
                    self.structured_lines.update({n: "action items" for n in range(block.line, block.end + 1)})
                    continue
                if announced and block.depth == 0 and block.text.strip():
                    status = "" if announced == "wording" else announced
                    actions.append(self._action(block, block.text.strip(), key, status=status))
                    parents[block.line] = (block, actions[-1])
                    continue
            if block.kind in ("paragraph", "quote"):
                intro = None
            if block.kind == "paragraph" and _PLACEHOLDER_RE.fullmatch(block.text):
                continue  # "### Mitigation / None.": the group holds no action
            fields = self._field_lines(block) if block.kind == "paragraph" else []
            if fields:
                # "**Date:** ... / **Severity:** ...": a paragraph of fields is the document's record, not prose;
                # only a field labelled as an action ("**Action:** ...", "**Fix:** ...") holds one, and a step of
                # the response there ("**Action**: Reverted the setting") stays in the timeline.
                for field_text in fields:
                    label, _, value = field_text.partition(":")
                    value = value.strip()
                    # ... and under a summary ("## TL;DR / **Short-term:** ... **Long-term:** ...") the plan is told
                    # again from the body, where it is read.
                    ahead = bool(headings.HORIZON_RE.match(label.strip())) and not any(
                        headings.kind_of(h.text) == "summary" for h in block.headings if h.level != LABEL_LEVEL
                    )
                    if not value or not (_ACTION_FIELD_RE.fullmatch(label.strip()) or ahead):
                        continue
                    if steps.response_step(value):
                        self.response_steps.append(block.line)
                        continue
                    # "**30 Days:** Security training for AI/LLM teams": a field named by its horizon is planned.
                    planned = "open" if ahead and not wording.marked_done(value) else ""
                    actions.append(self._action(block, value, key, status=planned))
                continue
            if block.kind == "paragraph":
                match = _ACTION_PARA_RE.match(block.text)
                if match:
                    actions.append(self._action(block, match.group("text"), key))
                elif section == "actions" and block.headings and self._under_own_label(block):
                    text = block.text.strip()
                    if block.label and block.headings[-1].line == block.line:
                        text = text[len(block.label) :].lstrip(" :")  # "**Action taken:** This process is ..."
                    if _ASIDE_RE.fullmatch(text) or _FILE_ONLY_RE.fullmatch(text):
                        pass  # "**BEFORE** (Dangerous):" over a code sample, "**File:** `eslint.config.mjs`": no task
                    elif text and len(figures.sentences(text)) <= 3:
                        actions.append(self._action(block, text, key))  # under "**Action taken:**": all of it
                    else:
                        actions += self._prose_actions(block, section, key)
                elif fix_heading := self._told_under_fix(block):
                    # "## Fix / `semantic.extra_importable` is now the one place that owns ...": under a heading that
                    # is only the record's fix, each paragraph tells one change made; a lead-in to the changed code
                    # ("**The cap**, in `pyproject.toml`:") and the words after that code ("with a comment naming
                    # ...") are one.
                    text = block.text.strip()
                    above = fixed_lead.pop(fix_heading, None)
                    if above is not None and after is not None and after.kind == "code" and text[:1].islower():
                        above.action = f"{above.action} {text}"[:20_000]
                        above.source = f"{above.source}, {self.cite(block.line)}"
                    else:
                        made = self._action(block, text, key, status="done", why="told under the fix heading")
                        actions.append(made)
                        if text.endswith(":"):
                            fixed_lead[fix_heading] = made
                elif (
                    block.label
                    and _FIX_LABEL_RE.fullmatch(block.label)
                    and section not in ("recommendations", "timeline")
                    and not block.quoted
                ):
                    # "**Fix:** Monkey-patch ...": the change the post reports as made for what it just explained.
                    text = block.text.strip()[len(block.label) :].lstrip(" :")
                    if text:
                        actions.append(self._action(block, text, key, status="done", why="labelled as the fix"))
                elif section == "actions" and self._one_of_paragraph_actions(block):
                    # "## Follow-up" written as paragraphs, no list: each paragraph is one action, all of it.
                    actions.append(self._action(block, block.text.strip(), key))
                elif section == "actions" and self._first_under_topic(block):
                    # "## Action items / ### Repo2docker / Limit memory available to build pods. (link)": the
                    # paragraph under a topic of the action list is that topic's action, all of it.
                    actions.append(self._action(block, block.text.strip(), key))
                elif (
                    section != "recommendations"
                    and id(block) not in self.chat
                    and not block.quoted
                    and not block.text.startswith("[^")
                ):
                    actions += self._prose_actions(block, section, key)
                    actions += self._inline_remedies(block, key)
                    if section != "timeline":
                        actions += self._fixes_said(block, key)
                continue
            if (
                block.kind == "item"
                and section not in ("actions", "recommendations", "timeline")
                and not block.quoted
                and not _REMEDIED_RE.search(block.text)
            ):
                fixes = self._fixes_said(block, key)
                if fixes:
                    actions += fixes  # "- **`.env` resolved relative to ...** ... Fixed with an absolute path ..."
                    continue
            if (
                block.kind == "item"
                and section not in ("actions", "recommendations", "timeline")
                and not block.quoted
                and _REMEDIED_RE.search(block.text)
            ):
                if steps.response_step(_step_of(block)):
                    self.response_steps.append(block.line)  # "API tokens ..., which have since been revoked"
                    continue
                actions.append(self._action(block, block.text.strip(), key))  # "..., which have since been revoked"
                continue
            if (
                block.kind == "item"
                and block.depth == 0
                and section not in ("actions", "recommendations", "timeline", *_LESSON_KINDS)
                and not block.quoted
                and any(headings.RECOVERY_HEADING.search(h.text) for h in block.headings if h.line != self.title_line)
                and wording.done_by_wording(block.text)
                and not steps.response_step(_step_of(block))
            ):
                # "## Recovery / - We doubled the number of proxy instances": a step taken to end it.
                actions.append(self._action(block, block.text.strip(), key, status="done"))
                continue
            # A task list ("- [x] Add safeguards", "- [ ] Add metrics") holds tasks whatever its heading is called
            # ("## Recommendations / ### Short-term"); a checklist for the readers is "recommendations" already.
            tasks = (
                block.kind == "item"
                and _TASK_RE.match(block.text) is not None
                and section not in ("recommendations", "timeline", *_LESSON_KINDS)
            )
            if (section != "actions" and not tasks) or block.kind not in ("item", "row") or block.quoted:
                continue
            if block.kind == "row":
                action = self._action_row(block)
                if action:
                    actions.append(action)
                continue
            text = block.text.strip()
            parent_block, parent = next(
                (
                    (b, a)
                    for b, a in parents.values()
                    if b.line < block.line <= b.end and b is not block and b.depth < block.depth
                ),
                (None, None),
            )
            detail_of = None
            if parent is not None and _STATUS_NOTE_RE.match(text):
                # "- Use a shared address / * This has been done: team@...": a sub-bullet that says the item's
                # status details it (LABELLING.md) and makes it done.
                parent.status = "done"
                detail_of = parent
            elif _LINK_ONLY_RE.match(text) or not text:
                detail_of = parent
            elif (
                parent is not None
                and parent_block is not None
                and block.depth == parent_block.depth + 1
                and self._topic_title(parent)
                and wording.names_own_task(text)
            ):
                # "1. **Workflow Validation in CI**: / - Add automated syntax validation / - Validate that ...": a
                # title that names a topic, not a task, groups tasks that each open with their own verb; each is
                # an action (LABELLING.md), and the title is none unless something under it details it.
                grouped.add(parent.id)
            elif parent is not None and (
                parent.action.split("\n")[0].rstrip().endswith(":")
                or "\n- " in parent.action
                or (parent_block is not None and _titled(parent_block))
            ):
                # Items nested under a lead-in ("Ensure that alerting is in place for:") complete it, and so do
                # items under a title set in bold ("1. **Decouple Scraping from Embedding**" / "- Use a job
                # queue"): the title names the action, its bullets say how. Items nested under a task of their own
                # written as a plain sentence ("Improve probe coverage" / "Create a dashboard") are sub-tasks.
                detail_of = parent
            elif not block.ordered and block.depth == 0 and key in last_ordered:
                detail_of = last_ordered[key]  # bullets that follow a numbered action explain it
            elif _FIGURE_ITEM_RE.match(text):
                continue
            if detail_of is not None:
                detail_of.source = f"{detail_of.source}, {self.cite(block.line)}"
                detail_of.action = f"{detail_of.action}\n- {text}"[:20_000]
                self.structured_lines.update({n: "action items" for n in range(block.line, block.end + 1)})
                parents[block.line] = (block, detail_of)  # what is nested under a detail details the same action
                continue
            if detail_of is None and text == "" and parent is None:
                continue
            # A lasting change among the steps the writers took ("6. We put in changes to conda-smithy"): done.
            action = self._action(block, text, key, status="done" if block.list_id in response_lists else "")
            actions.append(action)
            parents[block.line] = (block, action)
            if block.ordered and block.depth == 0:
                last_ordered[key] = action
        for action in [a for a in actions if a.id in grouped and "\n- " not in a.action]:
            self._drop(actions, action)  # a topic's title whose every item is a task of its own
        for action in [a for a in actions if a.id in self.in_prose]:
            if any(a.id not in self.in_prose and _restates(action.action, a.action) for a in actions):
                self._drop(actions, action)  # "We need to add alerts when ..." says again what an item lists
        said: list[ActionItem] = []
        for action in [a for a in actions if a.id in self.in_prose]:
            # The same commitment said again further down the post; a change made and a change ahead on one
            # subject ("The cookie was rescoped ..." / "This exclusion will be removed when the cookie ...") are two.
            if any(_restates(action.action, a.action) and a.status == action.status for a in said):
                self._drop(actions, action)
            else:
                said.append(action)
        return actions

    def _one_of_paragraph_actions(self, block: Block) -> bool:
        """The paragraph sits right under an action heading ("## Follow-up") whose section is two or more
        paragraphs and no list or table: the writers put one action in each paragraph."""
        if not block.headings or block.text.rstrip().endswith(":") or len(figures.sentences(block.text)) > 5:
            return False
        owner = block.headings[-1]
        if owner.level >= LABEL_LEVEL or owner.line == self.title_line or headings.kind_of(owner.text) != "actions":
            return False
        section = [b for b in self.blocks if b.line > owner.line and owner in b.headings and b.kind != "heading"]
        if any(b.headings[-1] is not owner or b.kind not in ("paragraph",) for b in section):
            return False  # a list, a table or sub-headings: the actions are those, the paragraphs lead in
        # Each paragraph proposes a change ("should", "could", "would be useful") or closes with what was done
        # about it ("(fixed by ...)", "(filed ...)"); an explanation among them makes the section prose.
        return len(section) >= 2 and all(
            wording.MODAL_RE.search(b.text) or _CLOSING_NOTE_RE.search(b.text) for b in section
        )

    def _under_response_heading(self, block: Block) -> bool:
        """The item sits under a heading of the response itself ("### Immediate actions (completed)", "## Our
        Response"), below any heading of actions to come ("### Long-term improvements")."""
        chain = [h for h in block.headings if h.line != self.title_line]
        if any(headings.OPEN_HEADING.search(h.text) or _RECOMMENDED_RE.search(h.text) for h in chain):
            # "### Medium-term Improvements / **Incident response and monitoring:**", "## Prevention
            # Recommendations / ### Immediate Actions": plans, what is recommended has not been done yet
            return False
        for heading in reversed(chain):
            if heading.level < LABEL_LEVEL and steps.RESPONSE_HEADING_RE.search(heading.text):
                return True
            if headings.kind_of(heading.text) == "actions":
                return False
        return False

    @staticmethod
    def _topic_title(action: ActionItem) -> bool:
        """The item is a lead-in over nested items ("1. **Workflow Validation in CI**:", "Dependency audit:") that
        names a topic rather than a task: it opens with no verb of its own. A bold title with no colon ("4. **Version
        Control Everything**") names its action; its bullets say how."""
        first = action.action.split("\n")[0].rstrip()
        return first.endswith(":") and not wording.names_own_task(first)

    def _stamp_led(self, block: Block) -> bool:
        """The item opens with a clock time ("13:00 — Investigation initiated"): an event of a timeline."""
        plain = _MARKUP_RE.sub(" ", block.text).strip()
        mentions = clock.find_mentions(plain[:40], self.ctx.year, self.parse) if plain else []
        return bool(mentions) and mentions[0].at is not None and mentions[0].start == 0

    def _told_under_fix(self, block: Block) -> int:
        """The paragraph sits right under a heading that is only the record's fix ("## Fix", "### The fix") and tells
        a change: not one left undone ("was NOT given the same narrowing"), not a step of the response ("Restarting
        the container resolved it"), and not a lead-in to a list or an explanation ("which is safe because:") --
        a lead-in to the changed code is the change's own first words. The heading's line, else 0."""
        own = [h for h in block.headings if h.level != LABEL_LEVEL and h.line != self.title_line]
        if not own or not _FIX_HEADING_RE.match(own[-1].text) or block.quoted or id(block) in self.chat:
            return 0
        if self.listed_actions:
            return 0  # a record with an action section ("## Remediation") lists its changes there; the fix retells them
        text = block.text.strip()
        if not text or _NOT_DONE_RE.search(text) or steps.response_step(text) or not re.search(r"[a-z]", text):
            return 0  # ... and "CORRECTED CONFIGURATION:" over the code is its caption
        if text.endswith(":") and not text[:1].islower():
            after = next((b for b in self.blocks if b.line > block.end), None)
            return own[-1].line if after is not None and after.kind == "code" else 0
        return own[-1].line

    def _first_under_topic(self, block: Block) -> bool:
        """The paragraph is the first block under a sub-heading of an action section ("### Repo2docker" under
        "## Action items"), and not a lead-in to a list (it does not end in ':')."""
        if not block.headings or block.headings[-1].level >= LABEL_LEVEL or block.text.rstrip().endswith(":"):
            return False
        topic = block.headings[-1]
        if not any(headings.kind_of(h.text) == "actions" for h in block.headings[:-1] if h.line != self.title_line):
            return False
        first = next((b for b in self.blocks if b.line > topic.line), None)
        return first is block and len(figures.sentences(block.text)) <= 6

    def _under_own_label(self, block: Block) -> bool:
        """The paragraph is its own "**Action taken:** ..." or the first block under a "**Action taken:**" line."""
        label = block.headings[-1]
        if label.level != LABEL_LEVEL:
            return False
        if label.line == block.line:
            return True
        first = next((b for b in self.blocks if b.line > label.line), None)
        return first is block

    def _intro(self, paragraph: Block, actions: list[ActionItem], list_id: int) -> tuple[int, ActionItem | None, str]:
        """What a paragraph ending in ':' makes of the list right after it (see _actions)."""
        text = paragraph.text.replace("’", "'").rstrip()
        if not text.endswith(":") or id(paragraph) in self.chat:
            return list_id, None, ""
        owner = next((a for a in reversed(actions) if a.source == self.cite(self.line_of(paragraph, a.action))), None)
        last = figures.sentences(text)[-1] if figures.sentences(text) else text
        announced = ""
        if _ANNOUNCES_RE.search(last):
            announced = (
                "open"
                if _PROSE_OPEN_RE.search(last) or _PROSE_WORKING_RE.search(last) or _WORK_UNDER_WAY_RE.search(last)
                else "done"
                if _PROSE_DONE_RE.search(last)
                else ""
            )
        sentences = figures.sentences(text)
        if (
            not announced
            and _ANNOUNCES_RE.search(last)
            and len(sentences) > 1
            and _STARTED_WORK_RE.search(sentences[-2])
        ):
            announced = "done"  # "... forcing us to start instrumenting our own tooling. Some of these include:"
        if not announced and steps.RESPONSE_LEAD_IN_RE.search(last):
            announced = "done"  # "We took the following steps to respond to this incident."
        if not announced and _CHANGES_LEAD_RE.search(last):
            announced = "wording"  # "Two changes to fix the leak:": each item's own tense says done or open
        if announced:
            if owner is not None and owner.action.rstrip().endswith(":"):
                self._drop(actions, owner)  # "we will do the following:" is no action; the list is
            return list_id, None, announced
        if owner is not None and owner.action.rstrip().endswith(":"):
            return list_id, owner, ""
        if (
            owner is None
            and self.kinds[id(paragraph)] == "actions"
            and len(sentences) == 1
            and _MADE_TO_RE.match(text)
            and not steps.response_step(text)
        ):
            # "### Enhanced Documentation / Added usage rules to: / - `tokens.ts` - inline notes": a change made,
            # its list saying where; the items detail it (LABELLING.md), they are no tasks of their own.
            key = paragraph.headings[-1].line if paragraph.headings else 0
            owner = self._action(paragraph, text, key, status="done", why="a change said made, its list its details")
            actions.append(owner)
            return list_id, owner, ""
        return list_id, None, ""

    def _fixes_said(self, block: Block, key: int) -> list[ActionItem]:
        """The fix a paragraph or item reports for the fault it tells ("... Fixed with an absolute path resolved
        from __file__.", "— the fix was a Clerk Dashboard config change", "The fix: independent jobs, ..."): one
        done action each, an item's bold lead (the fault) before it; a step of the response ("Fixed by
        restarting the node") stays in the story."""
        found = []
        for sentence in figures.sentences(" ".join(block.text.replace("’", "'").split())):
            match = _FIX_SAID_RE.search(sentence)
            if match is None:
                continue
            # What the fix was, its verb in the base form: "restarting the scheduler" -> "restart the scheduler".
            fix = sentence[match.end() - 1 :]
            if any(steps.response_step(re.sub(r"^(\w{3,}?)ing\b", base, fix)) for base in (r"\1", r"\1e")):
                continue
            head = block.head.strip("*_ ").rstrip(".:") if block.kind == "item" else ""
            text = f"{head}: {sentence}" if head and head not in sentence else sentence
            found.append(
                self._action(
                    block,
                    text,
                    key,
                    prose=True,
                    line=self.line_of(block, sentence),
                    status="done",
                    why="the fix the text reports",
                )
            )
        return found

    def _inline_remedies(self, block: Block, key: int) -> list[ActionItem]:
        """The remedies a paragraph lists after a label mid-prose ("... Fixes: separate dev/prod databases,
        approval required for destructive commands, tested backups"): one action each, open, as nothing says
        they were done."""
        match = _INLINE_REMEDIES_RE.search(block.text)
        if match is None or match.group("list").count(",") < 1:
            return []
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?", match.group("list"))]
        if " and " in parts[-1]:
            parts[-1:] = parts[-1].split(" and ", 1)  # "..., adding pre-review and setting up a team"
        return [
            self._action(block, part, key, status="open", why="listed after a label, no status said")
            for part in parts
            if len(part.split()) >= 2
        ]

    def _drop(self, actions: list[ActionItem], action: ActionItem) -> None:
        actions.remove(action)
        self.items = [i for i in self.items if i.obj is not action]
        self.taken.discard(action.id)

    def _prose_actions(self, block: Block, section: str | None, key: int) -> list[ActionItem]:
        """Actions written as sentences. Commitments ("we will ...", "we have reached out to ...") count
        under action-like and lesson-like headings ("Takeaways"), and anywhere when the source has no
        action section; a remedy said in the passive ("has been revoked") counts anywhere."""
        # Commitments count under action- and lesson-like headings, and in the discussion sections a report
        # has besides ("## Postmortem", "## Background", "## Conclusion"); not in the account of the incident.
        commitments = section in ("actions", "lessons", "lessons_bad", None, "analysis") or not self.has_action_section
        discussion = section in (None, "analysis") and self.has_action_section
        found: list[ActionItem] = []
        if section == "actions" and any(
            headings.DONE_HEADING.search(h.text) for h in block.headings if h.line != self.title_line
        ):
            # Under "## Action Taken" a paragraph reports the steps taken, each sentence one done step.
            for sentence in figures.sentences(block.text.replace("’", "'")):
                if steps.response_step(sentence):
                    self.response_steps.append(self.line_of(block, sentence))  # "The user was reported to GitHub"
                elif _PAST_STEP_RE.search(sentence) and not _PROSE_OPEN_RE.search(sentence):
                    found.append(
                        self._action(
                            block, sentence, key, line=self.line_of(block, sentence), status="done", prose=True
                        )
                    )
            return found
        shipped = _ALREADY_SHIPPED_RE.search(block.text)
        following = next((b for b in self.blocks if b.line > block.end), None)
        for sentence in self._clauses(figures.sentences(block.text.replace("’", "'"))):
            if _ABOUT_THE_TEXT_RE.search(sentence) or _NOT_A_STEP_RE.match(sentence):
                continue
            if sentence.rstrip().endswith(":") and (following is None or following.kind != "item"):
                continue  # "For the optimizer reset run we need to add:" then code: the task is the code, not said
            if section == "timeline" and (
                not any(headings.names_actions(h.text) for h in block.headings)
                or clock.find_mentions(sentence, self.ctx.year, self.parse)
            ):
                continue  # a timeline's sentences are events; under "Timeline and Response" an undated one may commit
            if shipped and commitments and _ANY_WILL_RE.search(sentence) and not _PROSE_OPEN_RE.search(sentence):
                # "All SDKs will stop retrying ... This is already released for all SDKs now.": done.
                found.append(
                    self._action(block, sentence, key, line=self.line_of(block, sentence), status="done", prose=True)
                )
                shipped = None
                continue
            if _TRACKED_ABOVE_RE.search(sentence):
                found += self._tracked_above(block, key)
                continue
            if _VAGUE_RE.search(sentence):
                continue  # "we'll be making several changes", "we will have to circle back to this": no task named
            if section in _LESSON_KINDS and _PROSE_OPEN_RE.search(sentence) and not _WILL_RE.search(sentence):
                continue  # "We should look into monitoring ..." under Lessons Learned is the lesson
            passive = _PASSIVE_CHANGE_RE.match(sentence) if section == "actions" else None
            if (
                passive
                and not _PROSE_OPEN_RE.search(sentence)
                and not _PROSE_DONE_RE.search(sentence)
                and (passive.group("will") or not steps.response_step(sentence))
            ):
                # "## Corrective measures / The cookie was rescoped so ...", "This exclusion will be removed when
                # ...": under an action heading a change said in the passive is one, its tense the status; a
                # change ahead is no step of the response ("A temporary exclusion was added" is one).
                status = "open" if passive.group("will") else "done"
                found.append(
                    self._action(
                        block,
                        sentence,
                        key,
                        prose=True,
                        line=self.line_of(block, sentence),
                        status=status,
                        why="a change said in the passive under an action heading",
                    )
                )
                continue
            if not _PROSE_OPEN_RE.search(sentence) and steps.response_step(sentence):
                if (commitments and _PROSE_DONE_RE.search(sentence)) or _REMEDIED_RE.search(sentence):
                    self.response_steps.append(self.line_of(block, sentence))  # "We immediately disclosed the bug"
                continue
            if discussion:
                # In a discussion section only a step ahead is an action; what was done there is the story.
                if (
                    _PROSE_OPEN_RE.search(sentence)
                    or _REMEDIED_RE.search(sentence)
                    or _under_way(sentence)
                    or _SAFEGUARD_RE.search(sentence)
                ):
                    found.append(self._action(block, sentence, key, prose=True, line=self.line_of(block, sentence)))
                    self.discussed.add(found[-1].id)
                continue
            if (
                commitments
                and (
                    _PROSE_OPEN_RE.search(sentence)
                    or _PROSE_DONE_RE.search(sentence)
                    or _PROSE_WORKING_RE.search(sentence)
                    or _PROSE_BEGUN_RE.search(sentence)
                    or _under_way(sentence)
                    or _SAFEGUARD_RE.search(sentence)
                    or wording.now_in_place(sentence)
                )
            ) or _REMEDIED_RE.search(sentence):
                found.append(self._action(block, sentence, key, prose=True, line=self.line_of(block, sentence)))
        return found

    @staticmethod
    def _clauses(sentences: list[str]) -> list[str]:
        """Sentences, with a second predicate that commits to something else split off: "I have revoked the
        token, and will avoid creating one in the future" is a step taken and a commitment."""
        out = []
        for sentence in sentences:
            parts = re.split(r",?\s+and\s+(?=(?:will|plan to|intend to|am going to|are going to)\s)", sentence)
            subject = re.match(r"\s*(we|i)\b", parts[0], re.I)
            if len(parts) == 2 and subject and _PROSE_DONE_RE.search(parts[0]):
                out += [parts[0].rstrip(" ,"), f"{subject.group(1)} {parts[1]}"]  # the sentence's own subject
            else:
                out.append(sentence)
        return out

    def _tracked_above(self, block: Block, key: int) -> list[ActionItem]:
        """The top-level items of the list right above a "tracking issues for the above" sentence, as
        open actions (an issue filed is a plan, not a change made)."""
        before = [b for b in self.blocks if b.line < block.line and (b.headings[-1].line if b.headings else 0) == key]
        items: list[Block] = []
        for b in reversed(before):
            if b.kind != "item":
                break
            if b.depth == 0:
                items.insert(0, b)
        out = []
        for b in items:
            text = f"{b.text.strip()} (tracking issue created, {self.cite(block.line)})"
            action = ActionItem(
                id=self.new_id("actions"), action=text[:20_000], status="open", source=self.cite(b.line)
            )
            self.structured_lines.update({n: "action items" for n in range(b.line, b.end + 1)})
            self.items.append(
                Item(
                    "action",
                    self.cite(b.line),
                    f"[open] {one_line(text)} (a tracking issue was filed for it, {self.cite(block.line)})",
                    action,
                )
            )
            out.append(action)
        return out

    def _status(self, block: Block, text: str) -> tuple[str, str]:
        raw = block.raw or text
        mark = wording.marked_done(raw) or wording.marked_done(text)
        if mark:
            return "done", f"marked {mark.group(0).strip()}"
        if wording.marked_open(raw):
            return "open", "an unticked box"
        for heading in reversed(block.headings):
            if headings.DONE_HEADING.search(heading.text):
                return "done", f"under '{heading.text}'"
            if headings.OPEN_HEADING.search(heading.text):
                return "open", f"under '{heading.text}'"
        if _REMEDIED_RE.search(text) or wording.done_by_wording(text):
            return "done", "the wording says it was done"
        fixed = self._fixed_elsewhere(block)
        if fixed:
            return "done", f"line {fixed} calls what it links to fixed"
        return "open", "no sign it was done"

    def _fixed_elsewhere(self, block: Block) -> int:
        """The line where the post calls what this item links to fixed: "1. Fix bug preventing ... ([pull
        request][fix-pr])" with "... for 9 hours ([fixed][fix-pr])" in "What went wrong" (0 when none)."""
        raw = "\n".join(self.lines[block.line - 1 : block.end])
        targets = re.findall(r"\]\[([^\]]+)\]", raw) + re.findall(r"\]\((https?://[^)\s]+)\)", raw)
        for target in targets:
            link = re.escape(f"][{target}]") if not target.startswith("http") else re.escape(f"]({target})")
            said = re.compile(
                rf"\[(?:fixed|merged|deployed|resolved|landed|done)\]{link[2:]}"
                rf"|\b(?:fixed|merged|deployed|landed) (?:in|by|with) \[[^\]]*{link}",
                re.I,
            )
            for n, line in enumerate(self.lines, 1):
                if not (block.line <= n <= block.end) and said.search(line):
                    return n
        return 0

    def _action(
        self, block: Block, text: str, key: int, prose: bool = False, line: int = 0, status: str = "", why: str = ""
    ) -> ActionItem:
        clean = re.sub(r"^\s*(?:\[[ xX]\]|✅|✔️?|✓|☑️?|⬜|☐)\s*", "", text).strip()
        if status:
            why = why or ("the paragraph says it is already out" if prose else "as its heading or lead-in says")
            if wording.marked_open(block.raw or clean) and status == "done":
                status, why = "open", "an unticked box"
            elif status == "done" and wording.BEGUN_RE.search(clean):
                status, why = "open", "begun, not finished"
        elif prose:
            done = (
                bool(
                    _PROSE_DONE_RE.search(clean)
                    or _REMEDIED_RE.search(clean)
                    or _SAFEGUARD_RE.search(clean)
                    or wording.now_in_place(clean)
                )
                and not _PROSE_OPEN_RE.search(clean)
                and not wording.OPEN_DESPITE_RE.search(clean)  # "We have set a goal of ...": a plan
                and not _PROSE_WORKING_RE.search(clean)
                and not _PROSE_BEGUN_RE.search(clean)
                and not _under_way(clean)
                or bool(
                    re.search(r"\balready (?:released|shipped|done|deployed|live)\b", block.text, re.I)
                    and _PROSE_OPEN_RE.search(clean)
                    and clean == figures.sentences(block.text)[0]
                )
            )
            status, why = ("done", "the sentence says it was done") if done else ("open", "a commitment in prose")
        else:
            status, why = self._status(block, clean)
        line = line or block.line
        # "Done: alert threshold lowered", "DONE - pin the actions", "(Done) ...": the status written as a prefix
        # is the status just read, not part of what was changed (LABELLING.md).
        clean = re.sub(r"\s*\((?i:done|completed?|fixed|shipped)\)\s*$", "", clean) or clean  # "... (Done)": a mark
        prefix = _STATUS_PREFIX_RE.match(clean)
        if prefix and clean[prefix.end() :].strip():
            word = prefix.group("word").lower()
            status = "done" if word not in ("open", "todo", "to do", "planned", "in progress", "wip") else "open"
            clean = clean[prefix.end() :].strip()
        action = ActionItem(
            id=self.new_id("actions"), action=clean[:20_000] or "(no text)", status=status, source=self.cite(line)
        )
        if not prose:
            self.structured_lines.update({n: "action items" for n in range(block.line, block.end + 1)})
        else:
            self.in_prose.add(action.id)
        self.items.append(Item("action", self.cite(line), f"[{status}] {one_line(clean)} ({why})", action))
        return action

    def _action_row(self, block: Block) -> ActionItem | None:
        header = [h.lower() for h in block.header]

        def col(*names: str) -> str:
            for i, h in enumerate(header):
                if any(re.search(n, h) for n in names) and i < len(block.cells):
                    return block.cells[i].strip()
            return ""

        # "| # | Change (system, not effort) | Owner | Status |": the change is the item, not its number.
        numbered = [c.strip() for c in block.cells if c.strip() and not re.fullmatch(r"#?\d+\.?", c.strip())]
        text = col(r"action", r"task", r"item", r"what", r"description", r"summary", r"title", r"\bchange") or (
            numbered[0] if numbered else ""
        )
        if not text:
            return None
        status_text = col(r"status", r"state", r"done")
        if not status_text:
            # No status column, but a cell that is nothing but a status ("| ... | Notes |" holding "Done").
            status_text = next(
                (c.strip() for c in block.cells if c.strip() != text and _STATUS_CELL_RE.fullmatch(c.strip())), ""
            )
        status = (
            "done"
            if wording.STATUS_DONE_RE.search(status_text)
            else "in-progress"
            if wording.STATUS_PROGRESS_RE.search(status_text)
            else self._status(block, text)[0]
            if not status_text
            else "open"
        )
        due_mentions = clock.find_mentions(col(r"due", r"deadline", r"date", r"eta"), self.ctx.year, self.parse)
        due = next((m.day for m in due_mentions if m.day and m.year_stated), None)
        prio = col(r"priority", r"prio").upper()
        action = ActionItem(
            id=self.new_id("actions"),
            action=text[:20_000],
            owner=col(r"owner", r"assignee", r"who", r"responsible")[:300],
            due=due,
            status=status,
            priority=prio if prio in ("P0", "P1", "P2", "P3") else "P2",
            source=self.cite(block.line),
        )
        self.structured_lines[block.line] = "action items"
        self.items.append(Item("action", self.cite(block.line), f"[{status}] {one_line(text)}", action))
        return action

    # ------------------------------------------------------------------------------------------ causes, lessons
    def _causes_and_lessons(self) -> tuple[list[Cause], Lessons]:
        causes: list[Cause] = []
        lessons = Lessons()
        open_cause: tuple[Block, Cause] | None = None
        for block in self.blocks:
            section = self.kinds[id(block)]
            text = block.text.strip()
            if block.kind == "item" and section == "causes":
                if open_cause and open_cause[0].line < block.line <= open_cause[0].end:
                    cause = open_cause[1]
                    cause.statement = f"{cause.statement}\n- {text}"[:20_000]
                    self.structured_lines.update({n: "causes" for n in range(block.line, block.end + 1)})
                    continue
                heading = " ".join(h.text for h in block.headings)
                cause = Cause(
                    id=self.new_id("causes"),
                    statement=text[:20_000] or "(no text)",
                    kind="proximate" if re.search(r"root cause|primary", heading, re.I) else "contributing",
                    status="hypothesis",
                    source=self.cite(block.line),
                )
                causes.append(cause)
                open_cause = (block, cause)
                self.structured_lines.update({n: "causes" for n in range(block.line, block.end + 1)})
                self.items.append(Item("cause", self.cite(block.line), one_line(text), cause))
            elif block.kind in ("item", "paragraph") and section in ("lessons_good", "lessons_bad", "lessons"):
                good = section == "lessons_good" or text.startswith(("✅", "✔"))
                bad = section == "lessons_bad" or text.startswith(("❌", "✗", "✖"))
                if not (good or bad) or not text:
                    continue
                clean = re.sub(r"^[✅✔❌✗✖️\s]+", "", text)
                (lessons.went_well if good else lessons.to_improve).append(clean[:20_000])
                self.items.append(
                    Item(
                        "lesson",
                        self.cite(block.line),
                        f"[{'went well' if good else 'to improve'}] {one_line(clean)}",
                        clean[:20_000],
                    )
                )
        return causes, lessons

    # ------------------------------------------------------------------------------------------ impact
    def _impact(self) -> Impact:
        impact = Impact()
        seen: set[tuple[float, str, frozenset[str], bool]] = set()  # equal figures of distinct facets stay apart
        named = {
            "users_affected": (
                "users",
                "customers",
                "accounts",
                "people",
                "persons",
                "teams",
                "tenants",
                "organizations",
                "organisations",
                "maintainers",
                "employees",
                "sites",
            ),
            "requests_affected": ("requests", "queries", "calls"),
            "compute_hours_lost": ("gpu-hours", "compute-hours"),
            "cost_usd": ("usd",),
        }
        repair_stated = bool(figures.REPAIR_LABEL_RE.search(self.text))
        for block in self.blocks:
            title = block is self.title_block  # "30min outage during node pool upgrade": a figure the title states
            if not block.prose or (block.kind == "heading" and not title) or block.text.startswith("[^"):
                continue
            section = self.kinds[id(block)]
            if section == "recommendations" or block.quoted or id(block) in self.chat:
                continue
            if section == "actions" and self.structured_lines.get(block.line) == "action items":
                continue  # an action item's figures are targets and settings ("decrease the timeout to 5 minutes")
            fields = self._field_lines(block)
            texts = (
                [" ".join(c for c in block.cells if c)] if block.kind == "row" else fields if fields else [block.text]
            )
            for text in texts:
                if repair_stated and figures.CLOSING_LABEL_RE.search(text):
                    continue  # "Time to resolve: 20m" beside "Time to repair: 11m": the response's length
                labelled = bool(_LABELLED_STAT_RE.match(text)) or (
                    (block.kind == "item" or bool(fields))
                    and bool(_FIGURE_ITEM_RE.match(text))
                    and not _SETTING_LABEL_RE.search(text.split(":", 1)[0])  # "Default TTL: 10 minutes"
                    # A labelled figure is impact where its label names the harm ("Downtime: 40 minutes", "Cost:
                    # $17 wasted") or the section is about impact; "Approval time: 24 hours" is a fact of the work.
                    and (
                        section == "impact"
                        or bool(figures.harm_words(text.split(":", 1)[0]))
                        # "From upload to first report: 1h 19m": a span between two marks of the incident.
                        or bool(_SPAN_LABEL_RE.search(text.split(":", 1)[0]))
                    )
                )
                paragraph_impact = (
                    not title and not fields and bool(figures.harm_words(text)) and len(figures.sentences(text)) <= 3
                )
                if fields and not (section == "impact" or labelled or figures.harm_words(text)):
                    continue  # "**Solution:** On-demand for 7-day jobs ($237)": a field that names no harm
                for sentence in figures.sentences(text):
                    if evidence.earlier_occurrence(sentence):
                        continue  # an earlier occurrence's figures are not this incident's impact
                    strong = section == "impact" or labelled
                    for found in figures.figures_in(sentence, strong or paragraph_impact, borrowed=not strong):
                        facets, label = figures.measures(found), figures.labelled(found)
                        # An equal figure is the same fact restated unless what it measures differs: both name
                        # it and share nothing ("Time to detection: 10 minutes", "Time to recovery: 10
                        # minutes"), or a labelled figure names it and the earlier mention did not.
                        if (
                            found.unit not in _MEASURE_UNITS
                            and float(found.value) >= 10
                            and any(
                                v == float(found.value) and u != found.unit and u not in _MEASURE_UNITS
                                for v, u, _, _ in seen
                            )
                        ):
                            continue  # "415 jobs were unable to start" ... "The 415 spurious pods": one fact restated
                        if any(u == found.unit and figures.rounds(found, v) for v, u, _, _ in seen):
                            continue  # "13k steps" after "13,144 more steps": the figure again, rounded
                        if any(
                            v == float(found.value)
                            and u == found.unit
                            and not (
                                (facets and f and not facets & f)
                                or (label and facets and not f)
                                or (lab and f and not facets)
                            )
                            for v, u, f, lab in seen
                        ):
                            continue
                        seen.add((float(found.value), found.unit, facets, label))
                        target = next((name for name, units in named.items() if found.unit in units), "figures")
                        if found.unit == "%" and re.search(r"\brequests?\b", sentence, re.I):
                            target = "requests_affected"
                        line = self.line_of(block, sentence)
                        fig = Figure(
                            value=found.value,
                            unit=found.unit,
                            note=f'"{one_line(sentence)[:1500]}"',
                            source=self.cite(line),
                        )
                        if target != "figures" and getattr(impact, target).is_empty:
                            setattr(impact, target, fig)
                        else:
                            target = "figures"
                            impact.figures = [*impact.figures, fig]
                        self.items.append(
                            Item(
                                "impact",
                                self.cite(line),
                                f'{found.value:g} {found.unit} — "{one_line(sentence)[:100]}"',
                                fig,
                                target,
                            )
                        )
        return impact

    # ------------------------------------------------------------------------------------------ narrative
    def _narrative(self) -> tuple[str, list[tuple[str, str]]]:
        out: list[str] = []
        placed: list[tuple[str, str]] = []
        hidden = [n for n in range(1, self.offset + 1)]
        if self.title_block is not None:
            hidden += list(range(self.title_block.line, self.title_block.end + 1))
        if hidden:
            out += [f"<!-- Imported from {self.filename} by `workbench import`; the front matter and title as written:"]
            out += [_comment_safe(self.lines[n - 1]) for n in hidden]
            out += ["-->", ""]
        heading_at = {b.line: b for b in self.blocks if b.kind == "heading" and b is not self.title_block}
        hidden_set = set(hidden)
        # Table headers of tables whose every row was lifted out go into the comment with their rows.
        for row in self.blocks:
            if row.kind == "row" and row.line in self.structured_lines and row.line - 2 > 0:
                above = self.lines[row.line - 2].strip()
                if above.startswith("|") or re.match(r"^[\s|:-]+$", above):
                    for n in (row.line - 1, row.line - 2):
                        if re.match(r"^\s*\|?[\s|:-]+\|?\s*$", self.lines[n - 1]) or self.lines[
                            n - 1
                        ].lstrip().startswith("|"):
                            if n not in self.structured_lines and not any(
                                b.kind == "row" and b.line == n for b in self.blocks
                            ):
                                self.structured_lines[n] = self.structured_lines[row.line]
        started = False
        target_open: str | None = None
        comment_run: list[str] = []
        comment_kind = ""

        def flush() -> None:
            nonlocal comment_run, comment_kind
            if comment_run:
                out.append(f"<!-- imported as {comment_kind} (the source lines, kept):")
                out.extend(_comment_safe(x) for x in comment_run)
                out.append("-->")
            comment_run, comment_kind = [], ""

        n = self.offset + 1
        while n <= len(self.lines):
            line = self.lines[n - 1]
            if n in hidden_set:
                n += 1
                continue
            block = heading_at.get(n)
            if block is not None:
                flush()
                kind = self.kinds[id(block)]
                target = headings.NARRATIVE_TARGET.get(kind or "") if block.level <= 2 else None
                underline = self.lines[block.line : block.end] if block.end > block.line else []
                if block.level <= 2:
                    if target:
                        if target != target_open:
                            out += ["", f"## {target}", ""]
                        target_open = target
                        if block.text.strip().casefold() != target.casefold():
                            out.append(f"### {block.text}")
                        placed.append((block.text, f"causes + {target}" if kind == "causes" else target))
                    else:
                        target_open = None
                        out.append(f"## {block.text}")
                        placed.append((block.text, self._where(kind)))
                else:
                    depth = block.level + (1 if target_open else 0)
                    out.append(f"{'#' * min(6, max(3, depth))} {block.text}")
                out += [f"<!-- {_comment_safe(u.strip())} -->" for u in underline if u.strip()]
                started = True
                n = block.end + 1
                continue
            if not started and line.strip():
                out += ["## Executive Summary", ""]
                placed.append(("(text before the first heading)", "Executive Summary"))
                target_open, started = "Executive Summary", True
            what = self.structured_lines.get(n)
            if what:
                if comment_kind and what != comment_kind:
                    flush()
                comment_kind = what
                comment_run.append(line)
            else:
                if comment_run and line.strip():
                    flush()
                if comment_run and not line.strip():
                    comment_run.append(line)
                else:
                    out.append(line)
            n += 1
        flush()
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n") + "\n"
        return text, placed

    def _field_lines(self, block: Block) -> list[str]:
        """A paragraph written as fields, one "**Label:** value" per line ("**Problem:** ...", "**Cost:** $17
        wasted", "**Prevention:** ..."): its lines as plain text, each read on its own, since a field's figures
        belong to its label, not to the paragraph's other fields. Empty for any other block."""
        if block.kind != "paragraph" or block.end <= block.line:
            return []
        raw = [self.lines[n - 1] for n in range(block.line, block.end + 1) if self.lines[n - 1].strip()]
        if len(raw) < 2 or not all(_FIELD_LINE_RE.match(r) for r in raw):
            return []
        return [" ".join(_MARKUP_RE.sub("", r).split()) for r in raw]

    def _where(self, kind: str | None) -> str:
        counts = {
            "timeline": "timeline",
            "actions": "actions",
            "causes": "causes",
            "impact": "impact figures",
            "lessons_good": "lessons (went well)",
            "lessons_bad": "lessons (to improve)",
        }
        base = counts.get(kind or "")
        return f"{base} + narrative" if base else "narrative"

    # ------------------------------------------------------------------------------------------ run
    def run(self, incident_id: str | None, taken_ids: set[str]) -> Reading:
        self.title, self.title_block = self._title()
        self.title_line = self.title_block.line if self.title_block is not None else -1
        self.dated_headings = {
            b.line
            for b in self.blocks
            if b.kind == "heading"
            and b.line != self.title_line
            and any(m.day and not m.at for m in clock.find_mentions(b.text, 2000, self.parse))
        }
        self.stamped = self._stamped_headings()
        self.kinds = {id(b): self.kind(b) for b in self.blocks}
        self.chat = evidence.chat_blocks(self.blocks)
        self.has_action_section = any(k == "actions" for k in self.kinds.values())
        title_days = [m.day for m in clock.find_mentions(self.title, None, self.parse) if m.day and m.year_stated]
        self.title_day = title_days[0] if title_days else None
        self.ctx = self._contexts()
        entries = self._timeline()
        timeline = []
        for e in sorted(entries, key=lambda x: (x.when, x.line)):
            note = f"as written: '{e.written}' ({e.zone_note})"
            entry = TimelineEntry(
                id=self.new_id("timeline"),
                time=e.when,
                event=e.event[:20_000] or e.written,
                source=e.cite,
                data_gap=e.date_only,
                assumption=e.assumed,
                note=note[:20_000],
            )
            timeline.append(entry)
            when = f"{e.local_day:%Y-%m-%d} (time of day unknown)" if e.date_only else f"{e.when:%Y-%m-%d %H:%M} UTC"
            self.items.append(Item("timeline", e.cite, f"{when}  {one_line(e.event)}", entry))
        actions = self._actions()
        if self.response_steps:
            left = sorted(set(self.response_steps))
            more = ", ..." if len(left) > 12 else ""
            self.notes.append(
                f"{len(left)} steps taken to get through the incident stay in the narrative, not actions (no lasting "
                f"change): {self.filename} lines {', '.join(str(n) for n in left[:12])}{more}"
            )
        causes, lessons = self._causes_and_lessons()
        impact = self._impact()
        prose = "\n".join(b.text for b in self.blocks if b.prose)
        severity = wording.stated_severity(prose)
        narrative, placed = self._narrative()
        timed = [e for e in timeline if not e.data_gap]
        started = min((e.time for e in timed), default=None)
        first_day = min((e.time.date() for e in timeline if e.data_gap), default=None)
        if started and first_day and first_day < started.date():
            started = None  # the incident began on a day the source gives without a time: no invented hour
        day = started.date() if started else (min(e.time for e in timeline).date() if timeline else self.given_date)
        gaps: list[Gap] = []

        def gap(kind: str, text: str, closes: str) -> None:
            gaps.append(Gap(id=self.new_id("gaps"), kind=kind, text=text, closes_by=closes))

        if severity is None:
            gap("data-gap", "The source states no severity; none was set.", "set the severity in scoping")
        elif severity[1].lower().replace(" ", "") != severity[0].lower():
            gap(
                "assumption",
                f"The source states severity as '{severity[1]}'; recorded as {severity[0]}.",
                "confirm the severity in scoping",
            )
        if started:
            gap(
                "assumption",
                "The start time is the earliest time the source gives.",
                "confirm the start of impact from monitoring data",
            )
        elif day and not self.given_date:
            gap(
                "data-gap",
                f"The source gives the start date ({day}) but no time of day.",
                "find the start time in monitoring data",
            )
        elif self.given_date:
            gap(
                "data-gap",
                f"The source states no date; {self.given_date} was given at import.",
                "confirm the date with the people involved",
            )
        else:
            gap("data-gap", "The source states no date for the incident.", "add the start date")
        assumed = [e for e in timeline if e.assumption]
        if assumed:
            zones = sorted({re.sub(r".*?; ?", "", e.note.split("(", 1)[-1]).rstrip(")") for e in assumed})
            gap(
                "assumption",
                f"{len(assumed)} imported time(s) had no zone or day of their own "
                f"({'; '.join(zones)[:400]}). Entries marked [ASSUMPTION].",
                "check the zone and date with the source",
            )
        if any(e.data_gap for e in timeline):
            gap(
                "data-gap",
                "Some imported timeline entries give a date without a time of day.",
                "find the times in logs",
            )
        if causes:
            gap(
                "assumption",
                "Imported causes are working hypotheses until evidence is linked to them.",
                "link timeline evidence and confirm each cause in review",
            )
        published = self._published()
        if incident_id is None:
            incident_id = new_incident_id(day, self.title, taken_ids) if day else _undated_id(self.title, taken_ids)
        incident = Incident(
            id=incident_id,
            title=self.title,
            severity=severity[0] if severity else None,
            stage="scoping",
            postmortem_date=published,
            times=KeyTimes(started=started),
            timeline=timeline,
            causes=causes,
            actions=actions,
            gaps=gaps,
            impact=impact,
            lessons=lessons,
        )
        incident = incident.model_copy(update={"stage": _reachable_stage(incident, narrative)})
        counts = {
            k: sum(1 for i in self.items if i.kind == k) for k in ("timeline", "action", "impact", "cause", "lesson")
        }
        notes = [
            f"title: {self.title}",
            f"severity: {severity[0]} (stated as '{severity[1]}')"
            if severity
            else "severity: not stated in the source [DATA GAP]",
            f"started: {started:%Y-%m-%d %H:%M} UTC"
            if started
            else f"started: {day} (time of day not stated) [DATA GAP]"
            if day
            else "started: no date in the source [DATA GAP] (give --date)",
            f"stage: {incident.stage} (the furthest stage whose gates the import meets)",
            f"timeline entries: {counts['timeline']} ({sum(e.assumption for e in timeline)} with an assumed "
            f"zone or day, {sum(e.data_gap for e in timeline)} date-only)",
            f"impact figures: {counts['impact']}",
            f"action items: {counts['action']} ({sum(a.status == 'done' for a in actions)} done)",
            f"causes: {counts['cause']} (as hypotheses)",
            f"lessons: {counts['lesson']}",
            *self.notes,
        ]
        return Reading(
            incident, narrative, notes, self.items, placed, severity[1] if severity else "", undated=day is None
        )


@dataclass
class _HeadingLike:
    text: str
    line: int


# A paragraph's closing note on what became of it: "(filed https://...)", "(fixed by adding ...)".
_CLOSING_NOTE_RE = re.compile(
    r"\((?:filed|fixed|added|implemented|merged|landed|deployed|enabled|created|done|tracked)\b[^()]{0,120}\)\s*$", re.I
)
# The label of a setting, not of a measure of harm: "Default TTL: 10 minutes", "Max size: 200 entries".
_SETTING_LABEL_RE = re.compile(
    r"^\W*(?:default|max(?:imum)?|min(?:imum)?)\b|\b(?:ttl|time-?out|limit|interval|threshold|size|capacity|"
    r"retention|quota|replicas)\b",
    re.I,
)
# A lead-in whose list is not changes: the causes ("This incident was caused by my failure to:") or the conditions
# a change guards against ("This will keep releases safe even when:").
_NOT_ACTIONS_LEAD_RE = re.compile(
    r"\b(?:caused by|because of|due to|failure to|failed to|root causes?)\b[^.]*:\s*$|\b(?:when|if|whenever)\s*:\s*$",
    re.I,
)
# "Prevent - Prevent similar issues from occurring.": one word (or a code such as P0) defined after a dash.
_DEFINITION_ITEM_RE = re.compile(r"^\s*[\w/+.]{1,20}\s+[-–—]\s+\S")
# "... blamed a rogue employee. Remediation: publishing the prompt, adding pre-review and setting up a team": the
# remedies a paragraph lists after a label in the middle of its prose, one action each.
_INLINE_REMEDIES_RE = re.compile(
    r"(?<=[.!?])\s+(?:fix(?:es)?|remediations?|mitigations?|follow-?ups?|changes)\s*:\s*(?P<list>[^.:;]+?)\s*(?:\.|$)",
    re.I,
)
# A fix reported in a sentence: "Fixed by switching to ...", "... — the fix was a config change", "The fix: ...",
# "The permanent correction preserves ...".
_FIX_SAID_RE = re.compile(
    # "the fix was a config change", "the fix is to pin ...", not "the fix was straightforward" (a judgement).
    r"(?:^|[—;:,]\s*)(?:fixed (?:by|with)|the fix (?:was|is)(?=\s+(?:simply\s+|just\s+)?(?:a|an|to)\b)|the fix\s*:|"
    r"the (?:permanent|lasting|long-term) (?:fix|correction)\b(?:\s+(?:was|is))?)\s+\S",
    re.I,
)
_RECOMMENDED_RE = re.compile(r"\brecommend(?:ed|ations?)?\b", re.I)
_STATUS_PREFIX_RE = re.compile(
    r"^\W{0,2}(?P<word>done|completed?|fixed|shipped|merged|open|todo|to do|planned|in progress|wip)\W{0,2}\s*[:\-–—)\]]\s*",
    re.I,
)
_ACTION_FIELD_RE = re.compile(r"(?:actions?(?: items?| taken)?|follow-?ups?|fix(?:ed)?)", re.I)
# A sub-bullet that only reports its item's status: "This has been done: ...", "Done.", "Completed in #412".
_STATUS_NOTE_RE = re.compile(
    r"^\W*(?:(?:this|that|it)\s+(?:has|have|is|was)\s+(?:now\s+|already\s+)?(?:been\s+)?"
    r"(?:done|completed|implemented|fixed|addressed|in place)|(?:done|completed|fixed|implemented)\b)",
    re.I,
)
_SPAN_LABEL_RE = re.compile(r"\b\w+\s+(?:to|until|till|->|→)\s+\w+", re.I)
# One field of a paragraph written as fields: "**Cost:** $17 wasted", "**Severity**: SEV-2 (High)".
_FIELD_LINE_RE = re.compile(r"^\s*(?:\*\*|__)[^*_\n]{1,40}?(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)")
# A table cell that is only a status word ("Done", "✅ Fixed", "Merged.").
_STATUS_CELL_RE = re.compile(r"(?:✅\s*)?(?:done|completed?|fixed|merged|landed|shipped|resolved|in place)\.?|✅", re.I)
# A paragraph that says a group of actions is empty: "None.", "N/A", "Nothing yet", "TBD".
_PLACEHOLDER_RE = re.compile(r"\s*(?:none|n/?a|nothing(?: yet)?|tbd|-+|—)\s*[.!]?\s*", re.I)
# Markup around a line's leading stamp ("**16:27**", "_5:00_", "- "), and HTML line breaks inside a paragraph.
_MARKUP_RE = re.compile(r"\*\*|__|(?<!\w)[*_`](?!\s)|<br\s*/?>|&lt;|&gt;", re.I)
_BREAK_RE = re.compile(r"<br\s*/?>", re.I)
_YESTERDAY_RE = re.compile(r"[\s,]*(?:yesterday|the (?:previous|prior) (?:day|night|evening)|the day before)\b", re.I)
# A time given by counting from the one stated just before: "20 minutes later", "Two hours later".
_LATER_RE = re.compile(
    r"\b(?P<n>\d{1,3}|"
    + "|".join(w for w in figures.WORDS if " " not in w and w not in ("a", "an"))
    + r"|an?)\s+(?P<u>minutes?|mins?|hours?)\s+later\b",
    re.I,
)
# A change said made, led into its list of places: "Added comprehensive usage rules to:", "Updated the docs in:".
_MADE_TO_RE = re.compile(
    r"^\W*(?:added|updated|documented|extended|moved|wrote|applied|enabled|introduced)\b[^:]{0,120}\b(?:to|in|into|across)\s*:$",
    re.I,
)
# A value that is only a file's name or path: "`eslint.config.mjs`", "src/lib/tokens.ts".
_FILE_ONLY_RE = re.compile(r"\s*[\w./~-]+\.[A-Za-z]\w{0,5}\s*")
# A heading that is only the record's fix: "## Fix", "### The fix" (not "Fixes", a list of many, nor "Fix #2: ...").
_FIX_HEADING_RE = re.compile(r"^\W*(?:the\s+)?fix\W*$", re.I)
# A change said not to be made: "`web._lexical_only_note` was NOT given the same narrowing".
_NOT_DONE_RE = re.compile(r"\b(?:was|were)\s+(?:not|never)\b|\b(?:wasn't|weren't)\b|\bNOT\b")
# What follows the stamp of a log line, not of a timeline row: "2017-09-29 00:46:54,810 WARNING Retrying ...".
_LOG_LEVEL_RE = re.compile(r"^[,.]\d+|^\s*\[?(?:debug|info|notice|warn(?:ing)?|error|err|critical|fatal|trace)\b", re.I)
_RANGE_JOIN_RE = re.compile(r"^\s*(?:-|–|—|to|until|till|through|thru|and)\s*$", re.I)


def _titled(block: Block) -> bool:
    """An item that is nothing but a bold title, perhaps with an aside ("1. **Fixed Vector Conversion** (Sep 16
    12:13pm)"): written as a heading of the bullets nested under it."""
    head = block.head.strip()
    if (
        not head
        or not block.text.startswith(head)
        or not re.search(r"(?:\*\*|__)\s*" + re.escape(head[:20]), block.raw)
    ):
        return False
    return bool(re.fullmatch(r"\s*:?\s*(?:\([^()]*\))?\s*:?\s*", block.text.split("\n")[0][len(head) :]))


def _passed_midnight(when: datetime, last: datetime) -> bool:
    """A bare time earlier than the one before it in a list is the next day's only when that is the nearer
    reading: 23:40 then 00:15 passed midnight; 13:06 then 05:00 (16 hours on, or 8 back) is as written."""
    return last - when > timedelta(hours=12)


def _range_start(sentence: str, mentions: list[clock.Mention], n: int) -> clock.Mention | None:
    """The mention a range ending at mentions[n] starts from ("from 9 am to 5 am", "between 1900 and 2100")."""
    if n == 0:
        return None
    before = mentions[n - 1]
    if not _RANGE_JOIN_RE.match(sentence[before.end : mentions[n].start]):
        return None
    if sentence[before.end : mentions[n].start].strip().lower() == "and" and not re.search(
        r"\bbetween\s*$", sentence[: before.start], re.I
    ):
        return None  # "on March 3 and March 9": two days, not a period
    return before


_COMMON = set(
    "a an the to of and or for in on with by is are was were be been our we it its this that as at from all any "
    "into not no more so can when should will would must need have has had also there their them they which "
    "add make sure ensure".split()
)


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in _COMMON}


def _restates(sentence: str, item: str) -> bool:
    """Whether a commitment in prose names the same task as a listed action item (three or more of its own
    words, and at least two in five of them, in the item)."""
    # The task is the main clause; a purpose clause (", so the problem can be investigated") says why.
    own = _content(re.split(r",?\s+(?:so that|so|in order to|to make sure)\s", sentence, maxsplit=1)[0])
    shared = own & _content(item)
    return len(shared) >= 3 and len(shared) * 5 >= len(own) * 2


def _under_way(sentence: str) -> bool:
    """The writers say they are making a change now ("We're also adding the repro script to CI/CD"), as a clause
    of its own: "the process and posture changes we're implementing here" names no change."""
    match = _PROSE_UNDER_WAY_RE.search(sentence)
    if not match:
        return False
    before = sentence[: match.start()].rstrip()
    return not before or before.endswith((",", ";", ":", "—")) or bool(re.search(r"\b(?:and|but|so)$", before, re.I))


def _step_of(block: Block) -> str:
    """What an item or row reports, without the details after it: the first sentence of its first paragraph
    ("**Scaling ingestion to clear backlog**", not the "... while monitoring:" that explains it)."""
    text = block.head or block.text
    first = figures.sentences(text)
    return first[0] if first else text


def one_line(text: str) -> str:
    return " ".join(text.split())


def _comment_safe(line: str) -> str:
    return line.replace("-->", "--&gt;").replace("<!--", "&lt;!--")


def _undated_id(title: str, taken: set[str]) -> str:
    base = f"{NO_DATE_ID}-{slugify(title)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _reachable_stage(incident: Incident, narrative: str) -> str:
    """The furthest stage whose entry criteria the imported incident meets, walking from the first."""
    from ....domain.model import STAGES
    from ...review.stages import criteria

    stage = STAGES[0]
    for nxt in STAGES[1:]:
        if nxt == "closed" or not all(c.met for c in criteria(incident, nxt, narrative)):
            break
        stage = nxt
    return stage
