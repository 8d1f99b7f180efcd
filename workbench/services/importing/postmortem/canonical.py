"""The workbench's own canonical report -> the incident it was made from (report -> import -> report is stable).

Everything the report shows is read back: title block, summary, impact figures, timeline, key times,
narrative sections, AI-native factors, observations, causes (status from italics, kind from the group,
lens/category/parent/evidence/modes from the meta), barriers, lessons, actions, gaps and questions.
Timeline and barrier ids are not printed in the report, so they are new; derived parts (durations,
diagrams, framework mappings) are regenerated, not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from ....domain.ids import new_entry_id
from ....domain.model import LENS_LABELS, STAGE_LABELS, Incident
from ...report.canonical import (
    ADDITIONAL,
    FACTOR_LABELS,
    FIGURE_LABELS,
    KEY_TIMES,
    NO_ANALYSIS,
    NO_DETECTION,
    NO_LIGHT_ANALYSIS,
    NO_SUMMARY,
)
from ...report.markup import DATA_GAP, shift_headings, uncell
from .blocks import table_cells

TITLE_RE = re.compile(r"^# (Postmortem|Light Review): (.+)$")
META_RE = re.compile(r"^\*\*([^*]+)\*\*: (.*?)\s*$")
CODE_RE = re.compile(r"(`+) ?(.+?) ?\1")
FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")


def is_canonical(text: str) -> bool:
    lines = text.lstrip("\ufeff").split("\n", 12)
    return bool(TITLE_RE.match(lines[0])) and any(line.startswith("**Incident ID**: ") for line in lines)


def _unmark(text: str) -> str:
    return text.replace("**[DATA GAP]**", "[DATA GAP]").replace("**[ASSUMPTION]**", "[ASSUMPTION]")


def _codes(text: str) -> list[str]:
    return [m.group(2) for m in CODE_RE.finditer(text)]


def _h2_sections(lines: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = [("", [])]
    fence = False
    for line in lines:
        if FENCE_RE.match(line):
            fence = not fence
        if not fence and line.startswith("## "):
            out.append((line[3:].strip(), []))
        else:
            out[-1][1].append(line)
    return out


def _split_at(lines: list[str], marker: str) -> tuple[list[str], list[str]]:
    fence = False
    for n, line in enumerate(lines):
        if FENCE_RE.match(line):
            fence = not fence
        if not fence and line.strip() == marker:
            return lines[:n], lines[n + 1 :]
    return lines, []


def _h3_parts(lines: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = [("", [])]
    fence = False
    for line in lines:
        if FENCE_RE.match(line):
            fence = not fence
        if not fence and line.startswith("### "):
            out.append((line[4:].strip(), []))
        else:
            out[-1][1].append(line)
    return out


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _items(lines: list[str]) -> list[str]:
    """Top-level '- ' list items with their indented continuation lines, as text."""
    items: list[list[str]] = []
    for line in lines:
        if line.startswith("- "):
            items.append([line[2:]])
        elif items and line.startswith("  ") and line.strip():
            items[-1].append(line[2:])
        elif items and line.startswith("  - "):
            items[-1].append(line[2:])
    return ["\n".join(i) for i in items]


def _table(lines: list[str]) -> list[list[str]]:
    rows = [line for line in lines if line.startswith("|")]
    return [[uncell(c) for c in table_cells(r)] for r in rows[2:]]


EVIDENCE_ID_RE = re.compile(r"^t-[0-9a-z]{1,12}$")
PRINTED_ID_RE = re.compile(r"\bt-[0-9a-z]{1,12}\b")


def _evidence_item(text: str) -> tuple[str | None, datetime | None]:
    """A cause's evidence item: "t-0001 (2025-08-05 16:00 UTC)" (the entry's id and time), or a bare time
    from older reports."""
    match = re.match(r"^(\S+) \((.+) UTC\)$", text.strip())
    return (match.group(1), _time(match.group(2))) if match else (None, _time(text))


def _time(text: str) -> datetime | None:
    text = text.strip()
    if text.endswith(" (time unknown)"):  # a date-only entry, shown as its day
        text = text.removesuffix(" (time unknown)") + " 00:00"
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return None


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


_FIG_RE = re.compile(
    r"^(?:\*\*(?!\[DATA GAP\])(?P<value>[^*]+?)\*\*)?\s*(?:— )?(?P<note>.*?)(?:\s*\(source: (?P<source>.*)\))?$"
)


def _figure(text: str) -> dict[str, Any]:
    text = text.strip()
    if text == DATA_GAP or text.startswith(DATA_GAP + " —") or text.startswith(DATA_GAP + " (source:"):
        text = text[len(DATA_GAP) :].strip()  # our marker for a missing value; a note may start with its own
    match = _FIG_RE.match(text)
    assert match is not None  # every part of the pattern is optional: it matches any text
    out: dict[str, Any] = {}
    if match.group("value"):
        value, _, unit = match.group("value").partition(" ")
        number = _number(value)
        if number is not None:
            out["value"] = number
            if unit:
                out["unit"] = unit
    note = _unmark(match.group("note") or "").strip()
    if note:
        out["note"] = note
    if match.group("source"):
        out["source"] = match.group("source")
    return out


def _without_diagnostics(lines: list[str]) -> tuple[list[str], int]:
    """The report without its generated diagnostics parts (the "### Diagnostics" table and the summary's
    "Key figures" list), and how many diagnostics the table showed. A report prints a diagnostic's inputs
    and result, not everything needed to re-run it, so diagnostics are re-created, not read back."""
    out: list[str] = []
    shown = 0
    skipping = ""
    for line in lines:
        if skipping == "table" and (line.startswith("## ") or line.startswith("### ")):
            skipping = ""
        elif skipping == "figures" and line.startswith("- "):
            skipping = "figure items"
        elif skipping == "figure items" and not line.startswith("- "):
            skipping = ""
            if not line.strip():
                continue  # the block's closing blank line
        if line == "### Diagnostics":
            skipping = "table"
        elif line == "**Key figures, with their intervals**":
            skipping = "figures"
        if not skipping:
            out.append(line)
        elif skipping == "table" and line.startswith("| ") and "(dx-" in line:
            shown += 1
    return out, shown


def parse(text: str, incident_id: str | None = None) -> tuple[Incident, str, list[str]]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    lines, diagnostics_shown = _without_diagnostics(lines)
    title_match = TITLE_RE.match(lines[0])
    assert title_match is not None  # only called when is_canonical() saw this title
    data: dict[str, Any] = {
        "title": title_match.group(2).strip(),
        "review": "light" if title_match.group(1) == "Light Review" else "full",
    }
    sections = _h2_sections(lines[1:])
    notes = ["recognised the workbench's canonical report format"]
    if diagnostics_shown:
        notes.append(
            f"{diagnostics_shown} diagnostic(s) in the report were not imported: re-create them with "
            "`workbench diagnose KIND ... --incident ID --save` from the inputs the report lists"
        )
    taken: set[str] = set()
    # Ids the report prints (a cause's evidence): a new id never takes one, or the entry that id belongs to
    # could not take it back below and a citation would fall to another entry at the same instant.
    printed_ids = set(PRINTED_ID_RE.findall(text))

    def new(collection: str) -> str:
        value = new_entry_id(collection, taken | printed_ids)
        taken.add(value)
        return value

    # -- title block
    stage_of = {label: key for key, label in STAGE_LABELS.items()}
    for line in sections[0][1]:
        match = META_RE.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2)
        if value == DATA_GAP:
            continue
        if key == "Postmortem Date":
            data["postmortem_date"] = date.fromisoformat(value)
        elif key == "Severity":
            data["severity"] = value
        elif key == "Incident Commander":
            data["commander"] = value
        elif key == "Postmortem Lead":
            data["lead"] = value
        elif key == "Incident ID":
            data["id"] = _codes(value)[0]
        elif key == "Kind":
            kind, _, review = value.partition(", ")
            data["kind"] = kind.strip()
            data["review"] = "light" if review.strip() == "light review" else "full"
        elif key == "Stage":
            data["stage"] = stage_of.get(value, "review")
        elif key == "Follow-up Review":
            data["follow_up"] = date.fromisoformat(value)
        elif key in ("Systems", "Models", "Tags", "Failure Modes"):
            data[{"Failure Modes": "taxonomy"}.get(key, key.lower())] = _codes(value)
    if incident_id:
        data["id"] = incident_id
    narrative: dict[str, str] = {}
    other: list[tuple[str, str]] = []
    impact: dict[str, Any] = {}
    times: dict[str, Any] = {}
    timeline: list[dict[str, Any]] = []
    causes: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    barriers: list[dict[str, Any]] = []
    factors: dict[str, Any] = {}
    observations: list[dict[str, Any]] = []
    lessons: dict[str, Any] = {}

    for heading, body in sections[1:]:
        if heading in ("Executive Summary", "Summary"):
            text_part, rest = _split_at(body, "**Top actions**")
            text_part, _ = _split_at(text_part, "**Key figures, with their intervals**")  # generated, not authored
            paragraphs = [p for p in _text(text_part).split("\n\n") if p.strip()]
            if paragraphs and paragraphs != [NO_SUMMARY]:
                # The report bolds the author's own markers ([DATA GAP] -> **[DATA GAP]**): undone here.
                # The whole summary goes to the field: the report prints one summary, the field, so a
                # second paragraph parked in the narrative would be left out of the next report.
                data["summary"] = re.sub(r"\*\*\[(DATA GAP|ASSUMPTION)\]\*\*", r"[\1]", "\n\n".join(paragraphs))
            _, impact_lines = _split_at(rest, "**Impact**")
            labels = {v: k for k, v in FIGURE_LABELS.items()}
            for line in impact_lines:
                m = re.match(r"^  - ([^:]+): (.*)$", line)
                if not m:
                    continue
                label, value = m.group(1), m.group(2)
                if label in labels:
                    fig = _figure(value)
                    if fig:
                        impact[labels[label]] = fig
                elif label in ("Safety exposure", "Trust exposure") and value != DATA_GAP:
                    src = re.match(r"^(.*) \(source: (.*)\)$", value)
                    exp = {"text": _unmark(src.group(1) if src else value)}
                    if src:
                        exp["source"] = src.group(2)
                    impact["safety_exposure" if label.startswith("Safety") else "trust_exposure"] = exp
                elif label == "Framework reference":
                    framework, _, ref = value.partition(": ")
                    ref, _, note = ref.partition(" — ")
                    impact.setdefault("regulatory", []).append(
                        {"framework": framework, "reference": ref, **({"note": note} if note else {})}
                    )
        if heading == "Timeline":
            for cells in _table(_split_at(body, "### Key times (UTC)")[0]):
                when = _time(cells[0])
                if when is None:
                    continue
                event, flags = cells[1], {}
                for marker, key in ((" **[ASSUMPTION]**", "assumption"), (" **[DATA GAP]**", "data_gap")):
                    if event.endswith(marker):
                        event, flags[key] = event[: -len(marker)], True
                for marker, key in ((" **[DATA GAP]**", "data_gap"), (" **[ASSUMPTION]**", "assumption")):
                    if event.endswith(marker):
                        event, flags[key] = event[: -len(marker)], True
                if cells[0].strip().endswith("(time unknown)"):
                    flags["data_gap"] = True  # a day with no time of day (its marker may be the author's own)
                source = "" if cells[2] == f"{DATA_GAP} no source recorded" else cells[2]
                source, _, note = source.partition(" — note: ")
                if source == f"{DATA_GAP} no source recorded":
                    source = ""
                entry = {
                    "id": new("timeline"),
                    "time": when,
                    "event": event,
                    "source": source,
                    **flags,
                    **({"note": note} if note else {}),
                }
                if len(cells) > 3 and cells[3]:
                    entry["kind"] = cells[3]
                timeline.append(entry)
        if heading in ("Detection & Initial Response", "Timeline"):
            prose, rest = _split_at(body, "### Key times (UTC)")
            if heading != "Timeline" and _text(prose) and not _text(prose).startswith(NO_DETECTION):
                narrative["Detection & Initial Response"] = _text(prose)
            for name, label in KEY_TIMES:
                for line in rest:
                    if line.startswith(f"- {label}: "):
                        when = _time(line.split(": ", 1)[1])
                        if when:
                            times[name] = when
        elif heading in ("Technical Analysis", "What Happened and Why"):
            prose, rest = _split_at(body, "### AI-native factors")
            if _text(prose) and not _text(prose).startswith((NO_ANALYSIS, NO_LIGHT_ANALYSIS)):
                narrative["Technical Analysis"] = _text(prose)
            parts = _h3_parts(rest)
            by_label = {v: k for k, v in FACTOR_LABELS.items()}
            for item in _items(parts[0][1]):
                m = re.match(r"^\*\*([^*]+)\*\*: (.*)$", item, re.S)
                if not m or m.group(1) not in by_label:
                    continue
                value = m.group(2)
                if value.startswith(DATA_GAP):
                    continue
                if value.startswith("not applicable — "):
                    reason = value[len("not applicable — ") :]
                    factors[by_label[m.group(1)]] = {
                        "not_applicable": True,
                        **({"reason": reason} if not reason.startswith(DATA_GAP) else {}),
                    }
                else:
                    factors[by_label[m.group(1)]] = {"analysis": value}
            for sub, sub_lines in parts[1:]:
                if sub == "Model observations":
                    observations += _observations(sub_lines)
                elif sub in ("Proximate causes", "Contributing factors", "Systemic factors", "Barriers"):
                    c, b = _causes_and_barriers([(sub, sub_lines)], new)
                    causes += c
                    barriers += b
        elif heading == "Root Causes & Contributing Factors":
            c, b = _causes_and_barriers(_h3_parts(body)[1:], new)
            causes += c
            barriers += b
        elif heading == "Lessons Learned":
            good, bad = _split_at(body, "**What could be improved**")
            _, good = _split_at(good, "**What went well**")
            for key, part in (("went_well", good), ("to_improve", bad)):
                values = [i for i in _items(part) if not i.startswith(DATA_GAP)]
                if values:
                    lessons[key] = values
        elif heading == "Action Items":
            for cells in _table(body):
                if len(cells) < 8 or not re.match(r"^[A-Za-z]", cells[0]):
                    continue
                verification, _, success = cells[4].partition("\nSuccess criteria: ")
                status, _, tracker = cells[6].partition(" (")
                action: dict[str, Any] = {"id": cells[0], "action": cells[1], "priority": cells[5], "status": status}
                if cells[2] != DATA_GAP:
                    action["owner"] = cells[2]
                if cells[3] != DATA_GAP:
                    action["due"] = date.fromisoformat(cells[3])
                if not verification.startswith(DATA_GAP):
                    action["verification"] = verification
                if success:
                    action["success_criteria"] = success
                if tracker:
                    action["tracker"] = tracker[:-1] if tracker.endswith(")") else tracker
                if cells[7]:
                    action["addresses"] = [a.strip() for a in cells[7].split(",")]
                actions.append(action)
        elif heading == "Data Gaps & Assumptions":
            for item in _items(body):
                m = re.match(
                    r"^\*\*\[(DATA GAP|ASSUMPTION)\]\*\* \*\*([^*]+)\*\* \((open|closed)\) (.*?)"
                    r"(?: — closes by: (.*))?$",
                    item,
                    re.S,
                )
                if m:
                    gap: dict[str, Any] = {
                        "id": m.group(2),
                        "kind": "data-gap" if m.group(1) == "DATA GAP" else "assumption",
                        "status": m.group(3),
                        "text": m.group(4),
                    }
                    if m.group(5):
                        gap["closes_by"] = m.group(5)
                    gaps.append(gap)
                    continue
                m = re.match(
                    r"^Open question \*\*([^*]+)\*\* \((open|answered)\) (.*?)(?: — specialist: (.*))?$", item, re.S
                )
                if m:
                    q: dict[str, Any] = {"id": m.group(1), "text": m.group(3), "answered": m.group(2) == "answered"}
                    if m.group(4):
                        q["specialist"] = m.group(4)
                    questions.append(q)
        elif heading == ADDITIONAL:
            for sub, sub_lines in _h3_parts(body)[1:]:
                other.append((sub, shift_headings(_text(sub_lines), minimum=3, by=-1)))
        elif heading and heading not in ("Executive Summary", "Summary") and not heading.startswith("Failure modes"):
            other.append((heading, _text(body)))

    # Evidence is printed as entry ids with their times. The timeline table prints no ids, so an entry a
    # cause cites takes back the id printed for its time (the others keep their new ids), and each
    # citation finds its entry by time.
    printed: dict[datetime, set[str]] = {}
    for cause in causes:
        for entry_id, at in cause.get("_evidence", []):
            if entry_id and at is not None and EVIDENCE_ID_RE.match(entry_id):
                printed.setdefault(at, set()).add(entry_id)
    # Entries at the same instant take the printed ids in id order (ids are made in timeline order).
    waiting = {at: sorted(ids) for at, ids in printed.items()}
    renewed: set[str] = set()
    for e in timeline:
        queue = waiting.get(e["time"])
        while queue:
            wanted = queue.pop(0)
            if wanted not in taken:
                taken.discard(e["id"])
                e["id"] = wanted
                taken.add(wanted)
                renewed.add(wanted)
                break
    by_time: dict[datetime, str] = {}
    for e in timeline:
        by_time.setdefault(e["time"], e["id"])
    for cause in causes:
        cause["evidence"] = [
            entry_id if entry_id in renewed else by_time[t]
            for entry_id, t in cause.get("_evidence", [])
            if entry_id in renewed or t in by_time
        ]
        cause.pop("_evidence", None)
    if timeline or times:
        data["times"] = times
    data.update(
        impact={**impact},
        ai_factors=factors,
        lessons=lessons,
        timeline=timeline,
        causes=causes,
        actions=actions,
        barriers=barriers,
        observations=observations,
        gaps=gaps,
        questions=questions,
    )
    incident = Incident.model_validate(data)
    md: list[str] = []
    preamble = next((section for heading, section in other if heading == "Preamble"), None)
    if preamble:
        md += [preamble, ""]
    for name in ("Executive Summary", "Detection & Initial Response", "Technical Analysis"):
        if name in narrative:
            md += [f"## {name}", "", narrative[name], ""]
    for heading, section in other:
        if heading != "Preamble":
            md += [f"## {heading}", "", section, ""]
    notes += [
        f"title: {incident.title}",
        f"timeline entries: {len(timeline)}",
        f"action items: {len(actions)}",
        f"causes: {len(causes)}",
        f"gaps and assumptions: {len(gaps)}",
        f"narrative sections: {len(narrative) + len(other)}",
    ]
    return incident, "\n".join(md).strip("\n") + "\n" if md else "", notes


_OBS_RE = re.compile(
    r"^\*\*(?P<id>[^*]+)\*\* (?:`(?P<model>[^`]+)`: )?(?P<behaviour>.*?)(?: — under: (?P<cond>.*?))?; "
    r"(?:runs \*\*\[DATA GAP\]\*\*|reproduced in \*\*(?P<k>\?|\d+)/(?P<n>\d+)\*\* runs"
    r"(?: \(a single run\))?)(?: \(source: (?P<source>.*)\))?$",
    re.S,
)


def _observations(lines: list[str]) -> list[dict[str, Any]]:
    out = []
    for item in _items(lines):
        m = _OBS_RE.match(item)
        if not m:
            continue
        o = {"id": m.group("id"), "behaviour": m.group("behaviour")}
        for key, group in (("model", "model"), ("conditions", "cond"), ("source", "source")):
            if m.group(group):
                o[key] = m.group(group)
        if m.group("n"):
            o["runs"] = int(m.group("n"))
            if m.group("k") and m.group("k") != "?":
                o["reproduced"] = int(m.group("k"))
        out.append(o)
    return out


_CAUSE_RE = re.compile(
    r"^\*\*(?P<id>[^*]+)\*\* (?P<statement>.*) \((?P<status>confirmed|hypothesis)(?P<meta>(?:; [^;]*)*)\)$", re.S
)
KIND_OF = {"Proximate causes": "proximate", "Contributing factors": "contributing", "Systemic factors": "systemic"}


def _causes_and_barriers(
    parts: list[tuple[str, list[str]]], new: Callable[[str], str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    causes: list[dict[str, Any]] = []
    barriers: list[dict[str, Any]] = []
    lens_of = {v: k for k, v in LENS_LABELS.items()}
    for heading, lines in parts:
        if heading in KIND_OF:
            for item in _items(lines):
                m = _CAUSE_RE.match(item)
                if not m:
                    continue
                statement = m.group("statement")
                if (
                    m.group("status") == "hypothesis"
                    and len(statement) > 1
                    and statement[0] in "*_"
                    and statement[-1] == statement[0]
                ):
                    statement = statement[1:-1]
                else:
                    statement = statement.replace("\n  ", "\n")
                c: dict[str, Any] = {
                    "id": m.group("id"),
                    "statement": statement,
                    "kind": KIND_OF[heading],
                    "status": m.group("status"),
                }
                for part in [p.strip() for p in m.group("meta").split(";") if p.strip()]:
                    key, _, value = part.partition(": ")
                    if key == "lens":
                        c["lens"] = lens_of.get(value)
                    elif key == "category":
                        c["category"] = value
                    elif key == "leads to":
                        c["parent"] = value
                    elif key == "evidence":
                        c["_evidence"] = [_evidence_item(v) for v in value.split(", ")]
                    elif key == "modes":
                        c["taxonomy"] = _codes(value)
                causes.append(c)
        elif heading == "Barriers":
            for cells in _table(lines):
                if len(cells) >= 4:
                    b = {"id": new("barriers"), "control": cells[0], "kind": cells[1], "outcome": cells[2]}
                    if cells[3]:
                        b["note"] = cells[3]
                    barriers.append(b)
    return causes, barriers
