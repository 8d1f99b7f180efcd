"""Any markdown postmortem -> an incident. Timelines, actions and causes are lifted out when they are
recognised; every other line stays in the narrative under its original heading, so nothing is lost."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from ...domain.ids import new_entry_id, new_incident_id, next_action_id
from ...domain.model import ActionItem, Cause, Gap, Incident, KeyTimes, TimelineEntry
from .blocks import Block, Section, blocks_of, sectioned, split_front_matter, table_cells
from .stamps import DATE_ONLY_RE, _date_of, parse_date, parse_stamp, strip_lead, zone_hint

TIMELINE_RE = re.compile(r"timeline|chronolog|sequence of events|what happened when", re.I)
ACTIONS_RE = re.compile(r"action items?|actions|remediation|follow[- ]?ups?|next steps|prevent|improvements|"
                        r"to ?dos?|corrective|fixes", re.I)
CAUSES_RE = re.compile(r"root causes?|contributing factors?|causes?\b|why did (it|this) happen|"
                       r"how did (it|this) happen|what went wrong", re.I)
DONE_RE = re.compile(r"\b(completed?|done|finished|resolved)\b", re.I)
TIME_HEADER_RE = re.compile(r"^(time|date|when|timestamp|utc|date ?/ ?time)\b", re.I)
SEVERITY_RE = re.compile(r"\bseverity\W{0,5}(p[0-3]|sev\s?-?[0-4]|critical|high|major|medium|moderate|minor|low)\b",
                         re.I)
_ACTION_COLS = {"action": re.compile(r"action|task|item|what|description|summary|title", re.I),
                "owner": re.compile(r"owner|assignee|who|responsible", re.I),
                "due": re.compile(r"due|deadline|date|when|eta", re.I),
                "status": re.compile(r"status|state|done", re.I),
                "priority": re.compile(r"priority|prio", re.I)}


@dataclass
class Recognised:
    title: str = ""
    notes: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.notes.append(text)


@dataclass
class Draft:
    title: str
    severity: str | None = None
    doc_date: date | None = None
    postmortem_date: date | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)

    def new_id(self, collection: str) -> str:
        value = next_action_id(self.taken) if collection == "actions" else new_entry_id(collection, self.taken)
        self.taken.add(value)
        return value


def _category(heading: str) -> str | None:
    if TIMELINE_RE.search(heading):
        return "timeline"
    if CAUSES_RE.search(heading):
        return "causes"
    if ACTIONS_RE.search(heading):
        return "actions"
    return None


def _severity(text: str) -> tuple[str | None, str]:
    match = SEVERITY_RE.search(text)
    if not match:
        return None, ""
    raw = match.group(1).lower().replace(" ", "").replace("-", "")
    mapping = {"p0": "P0", "p1": "P1", "p2": "P2", "p3": "P2", "sev0": "P0", "sev1": "P1", "sev2": "P2", "sev3": "P2",
               "sev4": "P2", "critical": "P0", "high": "P1", "major": "P1", "medium": "P2", "moderate": "P2",
               "minor": "P2", "low": "P2"}
    return mapping.get(raw), match.group(0)


def _find_date(text: str, year_hint: int | None = None) -> date | None:
    for match in re.finditer(r"\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
                             r"\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}", text, re.I):
        m = DATE_ONLY_RE.match(match.group(0))
        found = _date_of(m, year_hint) if m else None
        if found:
            return found
    return None


def category_of(stack: list[tuple[int, str, str | None]]) -> str | None:
    return next((c for _, _, c in reversed(stack) if c), None)


def _clean_event(text: str) -> str:
    return " ".join(text.split()).strip(" -–—:|") or ""


def _item_text(block: Block) -> str:
    first = strip_lead(block.lines[0])
    rest = [line.strip() for line in block.lines[1:]]
    return " ".join([first, *rest]).strip()


class GenericImporter:
    def __init__(self, text: str, filename: str):
        self.filename = filename
        text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        self.lines = text.split("\n")

    # ---------------------------------------------------------------------------------------
    def run(self, incident_id: str | None, taken_ids: set[str]) -> tuple[Incident, str, list[str]]:
        front, body = split_front_matter(self.lines)
        title_line, title, title_span = None, "", 0
        for block in blocks_of(body):
            if block.kind == "heading" and block.level == 1:
                title, title_span = block.title.strip(), len(block.lines)
                title_line = next(n for n, line in enumerate(body) if line == block.lines[0])
                break
            if block.kind in ("heading", "fence", "table"):
                break
        fm_title = next((re.sub(r"^title:\s*", "", line).strip().strip("\"'") for line in front
                         if line.startswith("title:")), "")
        fm_date = next((parse_date(re.sub(r"^date:\s*", "", line).strip()) for line in front
                        if line.startswith("date:")), None)
        title_lines = body[title_line: title_line + title_span] if title_line is not None else []
        if title_line is not None:
            body = body[:title_line] + body[title_line + title_span:]
        title = (title or fm_title or re.sub(r"[-_]+", " ", self.filename.rsplit(".", 1)[0])).strip()[:200] or \
            "Imported postmortem"
        full = "\n".join(self.lines)
        file_date = _find_date(self.filename)
        doc_date = _find_date(title) or fm_date or _find_date("\n".join(body[:30])) or file_date
        draft = Draft(title=title, doc_date=doc_date, postmortem_date=fm_date)
        severity, said = _severity(full)
        draft.severity = severity
        if severity:
            draft.notes.append(f"severity {severity} (from {said!r})")
        keep = [f"<!-- Imported from {self.filename} by `workbench import`; the original title line and front "
                f"matter follow."]
        keep += front + title_lines + ["-->", ""]
        draft.narrative.extend(keep)
        for section in sectioned(body):
            self._section(section, draft)
        return self._finish(draft, incident_id, taken_ids)

    # ---------------------------------------------------------------------------------------
    def _section(self, section: Section, draft: Draft) -> None:
        if section.heading_line:
            # Every section is a level-2 heading of the narrative (its words kept; setext and level-1 converted).
            line = section.heading_line
            draft.narrative.append(line if line.startswith("## ") else "#" + line if line.startswith("# ")
                                   else f"## {line.strip()}")
            # A setext underline has no words, but it was in the document: kept, hidden from readers.
            draft.narrative.extend(f"<!-- {u.strip()} -->" for u in section.underline)
        stack: list[tuple[int, str, str | None]] = [(section.level, section.heading, _category(section.heading))]
        zone = zone_hint(section.heading)
        base = draft.doc_date
        last_time: datetime | None = None
        parent: tuple[int, ActionItem | Cause] | None = None  # the last lifted item, for its nested sub-items
        for block in section.blocks:
            if block.kind == "item" and parent and block.level > parent[0] and category_of(stack) in (
                    "actions", "causes"):
                entry = parent[1]
                entry.source = entry.source + "\n" + block.text
                if isinstance(entry, ActionItem):
                    entry.action = (entry.action + "\n- " + _item_text(block))[:20_000]
                else:
                    entry.statement = (entry.statement + "\n- " + _item_text(block))[:20_000]
                continue
            if block.kind != "item" or block.level == 0:
                parent = None if block.kind != "item" else parent
            if block.kind == "heading":
                text = block.title
                while stack and stack[-1][0] >= block.level:
                    stack.pop()
                stack.append((block.level, text, _category(text)))
                day = parse_date(text, base.year if base else None) or _find_date(text)
                if day and any(c == "timeline" for _, _, c in stack):
                    base, last_time = day, None
                zone = zone_hint(text) or zone
                draft.narrative.extend(block.lines if len(block.lines) == 1 else
                                       ["#" * block.level + " " + block.title,
                                        *(f"<!-- {u.strip()} -->" for u in block.lines[1:])])
                continue
            category = next((c for _, _, c in reversed(stack) if c), None)
            context = " / ".join(h for _, h, _ in stack if h)
            done = any(DONE_RE.search(h) for _, h, _ in stack)
            if block.kind == "line":
                hint = zone_hint(block.lines[0])
                if hint and category == "timeline":
                    zone = hint
                day = parse_date(block.lines[0].strip().strip("*_ :"), base.year if base else None)
                if category == "timeline" and day and len(block.lines[0].strip().strip("*_ :")) <= 30:
                    base, last_time = day, None
                draft.narrative.extend(block.lines)
            elif block.kind == "table":
                if not self._table(block, draft, category, zone, base, context, done):
                    draft.narrative.extend(block.lines)
            elif block.kind == "item" and category == "timeline":
                stamp = parse_stamp(block.lines[0], base, zone)
                if stamp is None:
                    draft.narrative.extend(block.lines)
                    continue
                event = _clean_event(" ".join([stamp.text, *(line.strip() for line in block.lines[1:])]))
                when, rolled = stamp.when, False
                if stamp.day_inferred and last_time and when < last_time - timedelta(hours=1):
                    when, rolled = when + timedelta(days=1), True  # past midnight on a time-only list
                last_time = when
                self._entry(draft, when, event, block.text, stamp, rolled)
            elif block.kind == "item" and category == "actions":
                text = _item_text(block)
                ticked = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(\[[xX]\]|✅|✔)", block.lines[0])
                status = "done" if ticked or done else "open"
                action = ActionItem(id=draft.new_id("actions"), action=text[:20_000], status=status,
                                    source=block.text)
                draft.actions.append(action)
                parent = (block.level, action)
            elif block.kind == "item" and category == "causes":
                kind = "proximate" if re.search(r"root cause", context, re.I) else "contributing"
                cause = Cause(id=draft.new_id("causes"), statement=_item_text(block)[:20_000],
                              kind=kind, status="hypothesis", source=block.text)
                draft.causes.append(cause)
                parent = (block.level, cause)
            else:
                draft.narrative.extend(block.lines)

    def _entry(self, draft: Draft, when: datetime, event: str, source: str, stamp, rolled: bool) -> None:
        draft.timeline.append(TimelineEntry(
            id=draft.new_id("timeline"), time=when, event=(event or _clean_event(source) or "(no text)")[:20_000],
            source=source, data_gap=stamp.time_missing, assumption=stamp.zone_assumed or rolled))

    def _table(self, block: Block, draft: Draft, category: str | None, zone: str | None, base: date | None,
               context: str, done: bool) -> bool:
        header = table_cells(block.lines[0])
        rows = [table_cells(line) for line in block.lines[2:]]
        zone = zone_hint(block.lines[0]) or zone
        skeleton = ["<!-- The rows of this table were imported as "
                    + ("timeline entries" if category != "actions" else "action items") + ":", *block.lines[:2], "-->"]
        is_timeline = bool(TIME_HEADER_RE.match(header[0] if header else "")) or category == "timeline"
        if is_timeline and rows and all(parse_stamp(r[0], base, zone) for r in rows if any(r)):
            for line, cells in zip(block.lines[2:], rows):
                if not any(cells):
                    continue
                stamp = parse_stamp(cells[0], base, zone)
                event = _clean_event(" — ".join(c for c in cells[1:] if c)) or stamp.text
                self._entry(draft, stamp.when, event, line.strip(), stamp, False)
            draft.narrative.extend(skeleton)
            return True
        columns = {name: next((i for i, h in enumerate(header) if rx.search(h)), None)
                   for name, rx in _ACTION_COLS.items()}
        if category == "actions" and columns["action"] is not None and rows:
            for line, cells in zip(block.lines[2:], rows):
                def col(name: str) -> str:
                    i = columns[name]
                    return cells[i] if i is not None and i < len(cells) else ""
                if not col("action"):
                    draft.narrative.append(line)
                    continue
                status_text = col("status").lower()
                status = "done" if done or re.search(r"done|complete|closed|✅|yes", status_text) else \
                    "in-progress" if "progress" in status_text else "open"
                due = _find_date(col("due"))
                prio = col("priority").upper()
                draft.actions.append(ActionItem(
                    id=draft.new_id("actions"), action=col("action"), owner=col("owner")[:300], due=due,
                    status=status, priority=prio if prio in ("P0", "P1", "P2", "P3") else "P2", source=line.strip()))
            draft.narrative.extend(skeleton)
            return True
        return False

    # ---------------------------------------------------------------------------------------
    def _finish(self, draft: Draft, incident_id: str | None, taken_ids: set[str]) -> tuple[Incident, str, list[str]]:
        notes = list(draft.notes)
        entries = sorted(draft.timeline, key=lambda e: e.time)
        started = entries[0].time if entries else (
            datetime(draft.doc_date.year, draft.doc_date.month, draft.doc_date.day, tzinfo=timezone.utc)
            if draft.doc_date else None)
        gaps = []
        if entries:
            gaps.append(("assumption", "The start time is the earliest imported timeline entry.",
                         "confirm the start of impact from monitoring data"))
        elif started:
            gaps.append(("assumption", "The start date is the date the source document gives; the time of day is "
                         "not known.", "find the start of impact in monitoring data"))
        else:
            gaps.append(("data-gap", "No date could be recognised in the source document.", "add the start time"))
        if any(e.assumption for e in draft.timeline):
            gaps.append(("assumption", "Some imported times had no time zone (or crossed midnight on a list of times); "
                         "they were read as UTC on the stated day. Entries marked [ASSUMPTION].",
                         "check the zone and date with the source"))
        if any(e.data_gap for e in draft.timeline):
            gaps.append(("data-gap", "Some imported timeline entries give a date without a time of day.",
                         "find the times in logs"))
        if draft.causes:
            gaps.append(("assumption", "Imported causes are working hypotheses until evidence is linked to them.",
                         "link timeline evidence and confirm each cause in review"))
        for kind, text, closes in gaps:
            draft.gaps.append(Gap(id=draft.new_id("gaps"), kind=kind, text=text, closes_by=closes))
        incident_id = incident_id or new_incident_id(
            started.date() if started else date.today(), draft.title, taken_ids)
        incident = Incident(
            id=incident_id, title=draft.title, severity=draft.severity or "P2", stage="review",
            postmortem_date=draft.postmortem_date, times=KeyTimes(started=started), timeline=draft.timeline,
            causes=draft.causes, actions=draft.actions, gaps=draft.gaps)
        narrative = "\n".join(draft.narrative).strip("\n") + "\n"
        notes.insert(0, f"title: {draft.title}")
        notes.append(f"started: {started:%Y-%m-%d %H:%M} UTC" if started else "started: not found [DATA GAP]")
        if draft.postmortem_date:
            notes.append(f"postmortem date: {draft.postmortem_date}")
        notes.append(f"timeline entries: {len(draft.timeline)}"
                     + (f" ({sum(e.assumption for e in draft.timeline)} with an assumed zone or day)"
                        if any(e.assumption for e in draft.timeline) else ""))
        notes.append(f"action items: {len(draft.actions)}")
        notes.append(f"causes: {len(draft.causes)} (as hypotheses)")
        from ...domain.narrative import sections as md_sections
        kept = [s.heading for s in md_sections(narrative) if s.heading]
        notes.append(f"narrative sections kept: {len(kept)}" + (f" ({', '.join(kept)})" if kept else ""))
        return incident, narrative, notes
