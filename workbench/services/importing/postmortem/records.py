"""Structured AI-incident records as incidents: MITRE ATLAS case studies (YAML) and AI Incident Database
incident records (JSON). Each record becomes one incident, read with the same rules as a postmortem:
nothing invented (a date given only to the month or year fills no day; no severity unless stated), every
item cites `file:line`, and what is not lifted into structure stays in the narrative.

ATLAS (dist/ATLAS.yaml, schema atlas_output_schema.json): a top-level `case-studies` list; each has id,
name, summary, incident-date + incident-date-granularity (DATE | MONTH | YEAR), procedure (tactic,
technique, description), target, actor, case-study-type (incident | exercise), references. Line numbers
come from PyYAML's composed nodes (safe: no tags are constructed).

AIID (the database's incident export): a JSON list of incidents (or an object holding one, or a
`{"incidents": [...]}` wrapper), each with incident_id, date, title, description and the alleged
deployer / developer / harmed parties, spelled as in the export ("Alleged deployer of AI system") or as
in the API (AllegedDeployerOfAISystem)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from ....domain.ids import new_entry_id, new_incident_id, next_action_id
from ....domain.model import ActionItem, Figure, Gap, Impact, Incident, TimelineEntry
from .reader import Item, _reachable_stage, _undated_id, one_line


class RecordProblem(ValueError):
    """A record file that cannot be read: the message names the file, line and field."""


@dataclass
class Record:
    """One incident read from a record file (nothing written)."""

    key: str  # the record's own id: "AML.CS0003", "AIID 23"
    incident: Incident
    narrative: str
    notes: list[str]
    items: list[Item]
    undated: bool


GRANULARITY = {"DATE": "day", "MONTH": "month", "YEAR": "year"}


def kind_of(filename: str, text: str) -> str | None:
    """'atlas' or 'aiid' when the file is a record file this module reads, else None (markdown)."""
    low = filename.lower()
    if low.endswith((".yaml", ".yml")):
        return "atlas"
    if low.endswith(".json"):
        return "aiid"
    return None


# ------------------------------------------------------------------------------------------ ATLAS
def read_atlas(text: str, filename: str, taken: set[str], given: date | None = None) -> list[Record]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise RecordProblem(f"{filename}{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise RecordProblem(f"{filename}:1: not an ATLAS file (expected a mapping with 'case-studies')")
    data = yaml.safe_load(text)
    nodes = _mapping(root)
    studies_node = nodes.get("case-studies")
    studies = data.get("case-studies")
    if studies_node is None or not isinstance(studies, list):
        raise RecordProblem(f"{filename}:1: field 'case-studies': missing (not an ATLAS data file)")
    names = _atlas_names(data)
    out = []
    for node, study in zip(studies_node.value, studies, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(study, dict):
            raise RecordProblem(f"{filename}:{line}: a case study must be a mapping")
        out.append(_atlas_record(study, _mapping(node), names, filename, line, taken, given))
        taken.add(out[-1].incident.id)
    return out


def _mapping(node: Any) -> dict[str, Any]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _atlas_names(data: dict[str, Any]) -> dict[str, str]:
    """Tactic and technique ids -> names, from the same file's matrices (for a readable procedure)."""
    names: dict[str, str] = {}
    for matrix in data.get("matrices") or []:
        if not isinstance(matrix, dict):
            continue
        for group in ("tactics", "techniques"):
            for obj in matrix.get(group) or []:
                if isinstance(obj, dict) and obj.get("id") and obj.get("name"):
                    names[str(obj["id"])] = str(obj["name"])
    return names


def _atlas_record(
    study: dict[str, Any],
    nodes: dict[str, Any],
    names: dict[str, str],
    filename: str,
    line: int,
    taken: set[str],
    given: date | None,
) -> Record:
    def at(field: str) -> int:
        node = nodes.get(field)
        return node.start_mark.line + 1 if node is not None else line

    def need(field: str) -> str:
        value = study.get(field)
        if not isinstance(value, str) or not value.strip():
            raise RecordProblem(
                f"{filename}:{at(field) if field in nodes else line}: field '{field}': missing or empty"
            )
        return value.strip()

    key, title, summary = need("id"), need("name"), need("summary")
    raw_date = study.get("incident-date")
    granularity = str(study.get("incident-date-granularity") or "DATE").upper()
    if raw_date is not None and not isinstance(raw_date, date):
        try:
            raw_date = date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            raise RecordProblem(
                f"{filename}:{at('incident-date')}: field 'incident-date': {raw_date!r} is not a date like 2021-03-01"
            ) from None
    if granularity not in GRANULARITY:
        raise RecordProblem(
            f"{filename}:{at('incident-date-granularity')}: field 'incident-date-granularity': "
            f"{granularity!r} is not DATE, MONTH or YEAR"
        )
    builder = _Builder(filename, key, title, given)
    builder.prose(summary, at("summary"))
    steps = []
    procedure_node = nodes.get("procedure")
    for n, (step, node) in enumerate(
        zip(study.get("procedure") or [], procedure_node.value if procedure_node is not None else [], strict=False),
        start=1,
    ):
        if not isinstance(step, dict):
            continue
        tactic, technique = str(step.get("tactic") or ""), str(step.get("technique") or "")
        desc = one_line(str(step.get("description") or ""))
        label = " — ".join(
            x
            for x in (
                f"{names.get(tactic, tactic)} ({tactic})" if tactic else "",
                f"{names.get(technique, technique)} ({technique})" if technique else "",
            )
            if x
        )
        steps.append(f"{n}. **{label}**: {desc} <!-- {filename}:{node.start_mark.line + 1} -->")
        builder.prose(desc, node.start_mark.line + 1)
    if isinstance(raw_date, date):
        builder.dated(
            raw_date,
            GRANULARITY[granularity],
            at("incident-date"),
            f"incident-date {raw_date.isoformat()} (granularity {granularity})",
        )
    else:
        builder.gap("data-gap", "The case study states no incident date.", "add the date from the references")
    builder.read_prose(raw_date.year if isinstance(raw_date, date) else None)
    study_type = str(study.get("case-study-type") or "").strip()
    refs = [r for r in study.get("references") or [] if isinstance(r, dict)]
    parts = [
        f"<!-- Imported from {filename}:{line} ({key}) by `workbench import`. -->",
        "",
        "## Executive Summary",
        "",
        summary,
        "",
    ]
    facts = [
        ("Case study", f"{key} ({study_type or 'type not stated'})"),
        ("Target", one_line(str(study.get("target") or ""))),
        ("Actor", one_line(str(study.get("actor") or ""))),
        ("Reporter", one_line(str(study.get("reporter") or ""))),
    ]
    parts += [f"- **{k}**: {v}" for k, v in facts if v] + [""]
    if steps:
        parts += ["## Technical Analysis", "", "### Procedure (ATLAS tactics and techniques)", "", *steps, ""]
    if refs:
        parts += ["## References", ""]
        parts += [
            f"- [{one_line(str(r.get('title') or r.get('url') or 'reference'))}]({r.get('url')})"
            if r.get("url")
            else f"- {one_line(str(r.get('title')))}"
            for r in refs
        ]
        parts.append("")
    tags = ["atlas"] + (["exercise"] if study_type == "exercise" else [])
    if study_type == "exercise":
        builder.notes.append(
            "case-study-type 'exercise': a red-team or research exercise, not an incident in "
            "production (tagged 'exercise')"
        )
    return builder.build("\n".join(parts), taken, tags, systems=[one_line(str(study.get("target") or ""))[:300]])


# ------------------------------------------------------------------------------------------ AIID
_AIID_FIELDS = {
    "deployer": ("Alleged deployer of AI system", "AllegedDeployerOfAISystem", "alleged_deployer"),
    "developer": ("Alleged developer of AI system", "AllegedDeveloperOfAISystem", "alleged_developer"),
    "harmed": ("Alleged harmed or nearly harmed parties", "AllegedHarmedOrNearlyHarmedParties", "alleged_harmed"),
}


def read_aiid(text: str, filename: str, taken: set[str], given: date | None = None) -> list[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordProblem(f"{filename}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        data = data["incidents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise RecordProblem(f"{filename}:1: not an AI Incident Database export (expected a list of incidents)")
    lines = _record_lines(text, len(data))
    out = []
    for n, (record, line) in enumerate(zip(data, lines, strict=True)):
        if not isinstance(record, dict):
            raise RecordProblem(f"{filename}:{line}: record {n + 1} is not an object")
        out.append(_aiid_record(record, filename, line, taken, given))
        taken.add(out[-1].incident.id)
    return out


def _record_lines(text: str, count: int) -> list[int]:
    """The line each record's incident_id is on (json gives no positions), in order; 1 when not found."""
    found = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r'"incident_id"\s*:', text)]
    return found[:count] + [1] * max(0, count - len(found))


def _aiid_record(record: dict[str, Any], filename: str, line: int, taken: set[str], given: date | None) -> Record:
    ident = record.get("incident_id")
    if not isinstance(ident, int) or isinstance(ident, bool):
        raise RecordProblem(f"{filename}:{line}: field 'incident_id': missing or not a number")
    title = one_line(str(record.get("title") or ""))
    if not title:
        raise RecordProblem(f"{filename}:{line}: field 'title' (incident {ident}): missing or empty")
    key = f"AIID {ident}"
    description = str(record.get("description") or "").strip()
    builder = _Builder(filename, key, title, given)
    if description:
        builder.prose(description, line)
    raw_date = record.get("date")
    if raw_date:
        try:
            day = date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            raise RecordProblem(
                f"{filename}:{line}: field 'date' (incident {ident}): {raw_date!r} is not a date like 2021-03-01"
            ) from None
        builder.dated(day, "day", line, f"date {raw_date}")
    else:
        builder.gap("data-gap", "The record states no incident date.", "add the date from the reports")
    builder.read_prose(day.year if raw_date else None)

    def names(field: str) -> list[str]:
        for spelling in _AIID_FIELDS[field]:
            value = record.get(spelling)
            if isinstance(value, list):
                return [one_line(str(v)) for v in value if str(v).strip()]
            if isinstance(value, str) and value.strip():
                return [one_line(value)]
        return []

    parts = [
        f"<!-- Imported from {filename}:{line} ({key}) by `workbench import`. -->",
        "",
        "## Executive Summary",
        "",
        description or "[DATA GAP] The record gives no description.",
        "",
    ]
    facts = [
        ("AI Incident Database", f"incident {ident} (https://incidentdatabase.ai/cite/{ident})"),
        ("Alleged deployer", ", ".join(names("deployer"))),
        ("Alleged developer", ", ".join(names("developer"))),
        ("Alleged harmed or nearly harmed parties", ", ".join(names("harmed"))),
    ]
    parts += [f"- **{k}**: {v}" for k, v in facts if v]
    reports = record.get("reports")
    if isinstance(reports, list) and reports:
        parts.append(
            f"- **Reports**: {len(reports)} in the database ({', '.join(str(r) for r in reports[:20])}"
            f"{' …' if len(reports) > 20 else ''})"
        )
    parts.append("")
    systems = [f"{d} (deployer)" for d in names("deployer")][:10]
    return builder.build("\n".join(parts), taken, ["aiid"], systems=systems)


# ------------------------------------------------------------------------------------------ shared
class _Builder:
    """What one record yields, collected with citations, then made into a valid incident."""

    def __init__(self, filename: str, key: str, title: str, given: date | None = None) -> None:
        self.filename, self.key, self.title = filename, key, title[:200]
        self.given = given  # a date given at import for a record that states no day
        self.taken: set[str] = set()
        self.items: list[Item] = []
        self.notes: list[str] = []
        self.gaps: list[Gap] = []
        self.timeline: list[TimelineEntry] = []
        self.impact = Impact()
        self.day: date | None = None
        self.seen: set[tuple[float, str]] = set()
        self.passages: list[tuple[str, int]] = []
        self.actions: list[ActionItem] = []

    def cite(self, line: int) -> str:
        return f"{self.filename}:{line}"

    def gap(self, kind: str, text: str, closes: str) -> None:
        self.gaps.append(Gap(id=self._id("gaps"), kind=kind, text=text, closes_by=closes))

    def _id(self, collection: str) -> str:
        value = new_entry_id(collection, self.taken)
        self.taken.add(value)
        return value

    def dated(self, day: date, precision: str, line: int, written: str) -> None:
        if precision != "day":
            # "2020-01-01, granularity YEAR" says 2020: the first of January is a placeholder, not a fact.
            stated = f"{day:%Y}" if precision == "year" else f"{day:%Y-%m}"
            self.gap(
                "data-gap",
                f"The record dates the incident only to the {precision} ({stated}); no day was set.",
                "find the day in the references",
            )
            self.notes.append(f"[DATA GAP] {self.cite(line)}: {written}: only the {precision} {stated} is known")
            return
        self.day = day
        entry = TimelineEntry(
            id=self._id("timeline"),
            time=datetime(day.year, day.month, day.day, tzinfo=timezone.utc),
            event=f"Incident date stated by the record ({self.key})",
            source=self.cite(line),
            data_gap=True,
            note=f"as written: '{written}' (date without a time of day)",
        )
        self.timeline.append(entry)
        self.items.append(Item("timeline", entry.source, f"{day} (time of day unknown)  {entry.event}", entry))

    def prose(self, text: str, line: int) -> None:
        """A passage of the record (summary, a procedure step), read later with the postmortem rules."""
        self.passages.append((text, line))

    def read_prose(self, year: int | None) -> None:
        """The record's prose read as a postmortem is read: dates and times in sentences ("On July 13th,
        2025 …", "Four days later, on July 17th …"), impact figures, actions said as steps taken; each
        item's citation moved from the synthetic document to the record's line."""
        from .reader import PostmortemReader

        lines = [f"# {self.title}", ""]
        where: dict[int, int] = {}
        for text, line in self.passages:
            for para in re.split(r"\n\s*\n", text.strip()):
                if para.strip():
                    where[len(lines) + 1] = line
                    lines += [one_line(para), ""]
        head = ["---", f"date: {year}-01-01", "---"] if year else []  # the record's year, for dates without one
        shift = len(head)
        reading = PostmortemReader("\n".join(head + lines), self.filename).run(None, set())

        def cite(value: str) -> str:
            name, _, number = value.rpartition(":")
            return f"{name}:{where.get(int(number) - shift, 1)}" if number.isdigit() else value

        days = {e.time.date() for e in self.timeline}
        for item in reading.items:
            obj = item.obj
            if isinstance(obj, TimelineEntry):
                if obj.data_gap and obj.time.date() in days:
                    continue  # the record's own date field already gives that day
                entry = obj.model_copy(update={"id": self._id("timeline"), "source": cite(obj.source)})
                self.timeline.append(entry)
                self.items.append(Item("timeline", entry.source, item.label, entry))
            elif isinstance(obj, Figure):
                key = (float(obj.value or 0), obj.unit)
                if key in self.seen:
                    continue
                self.seen.add(key)
                fig = obj.model_copy(update={"source": cite(obj.source)})
                self.impact.figures = [*self.impact.figures, fig]
                self.items.append(Item("impact", fig.source, item.label, fig, "figures"))
            elif isinstance(obj, ActionItem):
                action = obj.model_copy(update={"id": next_action_id(self.taken), "source": cite(obj.source)})
                self.taken.add(action.id)
                self.actions.append(action)
                self.items.append(Item("action", action.source, item.label, action))
        self.notes += [
            re.sub(r"\b" + re.escape(self.filename) + r":(\d+)", lambda m: cite(m.group(0)), n)
            for n in reading.notes
            if n.startswith("[") and "front matter" not in n
        ]
        if any(e.assumption for e in self.timeline):
            self.gap(
                "assumption",
                "Some times in the record's text had no zone or day of their own; entries marked [ASSUMPTION].",
                "check them against the references",
            )

    def build(self, narrative: str, taken: set[str], tags: list[str], systems: list[str]) -> Record:
        self.gap("data-gap", "The record states no severity; none was set.", "set the severity in scoping")
        if self.day:
            self.gap(
                "data-gap",
                f"The record gives the date ({self.day}) but no time of day.",
                "find the start time in the references",
            )
        elif self.given:
            self.day = self.given
            self.gap(
                "data-gap",
                f"The record states no day; {self.given} was given at import.",
                "confirm the date from the references",
            )
        incident_id = new_incident_id(self.day, self.title, taken) if self.day else _undated_id(self.title, taken)
        incident = Incident(
            id=incident_id,
            title=self.title,
            severity=None,
            stage="scoping",
            timeline=sorted(self.timeline, key=lambda e: e.time),
            impact=self.impact,
            actions=self.actions,
            gaps=self.gaps,
            tags=tags,
            systems=[s for s in systems if s],
        )
        incident = incident.model_copy(update={"stage": _reachable_stage(incident, narrative)})
        notes = [
            f"record: {self.key}",
            f"title: {self.title}",
            "severity: not stated in the record [DATA GAP]",
            f"started: {self.day} (time of day not stated) [DATA GAP]"
            if self.day
            else "started: no day in the record [DATA GAP]",
            f"stage: {incident.stage} (the furthest stage whose gates the import meets)",
            f"timeline entries: {len(self.timeline)}",
            f"impact figures: {len(self.impact.figures)}",
            f"action items: {len(self.actions)}",
            *self.notes,
        ]
        return Record(self.key, incident, narrative, notes, self.items, undated=self.day is None)
