"""Diagnostic inputs read from the evidence locker: an eval JSONL, an exposure CSV, an OTLP JSON export.

A file is named by its evidence id; its SHA-256 is checked against the manifest (and against the hash
the diagnostic recorded when it was first computed) before a byte of it is used, so a re-run can never
quietly compute from a different file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...domain.model import Incident
from ...store.boundary import digest_source
from .kinds import InputError

PASS_KEYS = ("pass", "passed", "correct", "success", "ok")
SCORE_KEYS = ("score", "value", "accuracy")
ID_KEYS = ("id", "item_id", "item", "example_id", "task_id", "question_id")
ARM_KEYS = ("arm", "variant", "group", "bucket", "treatment", "cohort")
COUNT_KEYS = ("count", "n", "exposures", "users", "units")
STATUS_ERROR = 2  # OTLP status.code for ERROR


@dataclass(frozen=True)
class EvidenceFile:
    id: str
    name: str
    sha256: str
    text: str


def load(incident: Incident, folder: Path | None, evidence_id: Any, recorded_sha: Any, field: str) -> EvidenceFile:
    """The kept file of evidence `evidence_id`, after its hash is checked."""
    if not isinstance(evidence_id, str) or not evidence_id:
        raise InputError(field, "name an evidence id (e.g. e-3f9a) from the Evidence pane")
    entry = next((e for e in incident.evidence if e.id == evidence_id), None)
    if entry is None:
        known = ", ".join(e.id for e in incident.evidence) or "none"
        raise InputError(field, f"{incident.id} has no evidence {evidence_id} (it has: {known})")
    if not entry.path or folder is None:
        raise InputError(
            field,
            f"evidence {evidence_id} is a reference, not a kept copy: add the file itself "
            "(workbench evidence add) so its hash can be checked",
        )
    path = folder / entry.path
    if not path.is_file():
        raise InputError(field, f"{entry.path} is missing from the evidence folder")
    sha, _ = digest_source(path)
    if sha != entry.sha256:
        raise InputError(
            field, f"{entry.path} was altered: SHA-256 {sha[:12]}… is not the manifest's {entry.sha256[:12]}…; not used"
        )
    if isinstance(recorded_sha, str) and recorded_sha and recorded_sha != sha:
        raise InputError(
            field,
            f"{entry.path} is not the file this diagnostic was computed from (SHA-256 "
            f"{sha[:12]}…, recorded {recorded_sha[:12]}…)",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        raise InputError(field, f"{entry.path} cannot be read as UTF-8 text ({exc})") from None
    return EvidenceFile(entry.id, entry.path, sha, text)


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    lowered = {str(k).lower(): k for k in record}
    for key in keys:
        if key in lowered:
            return key, record[lowered[key]]
    return None


@dataclass(frozen=True)
class EvalItems:
    ids: list[str]
    values: list[float]  # 1.0/0.0 for pass/fail, else the score
    binary: bool


def eval_jsonl(file: EvidenceFile) -> EvalItems:
    """One JSON object a line with a pass/fail (`pass`, `passed`, `correct`…) or a `score`, and an item id."""
    ids: list[str] = []
    values: list[float] = []
    binary = True
    for number, line in enumerate(file.text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{file.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError("evidence", f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise InputError("evidence", f"{where}: expected an object per line")
        found = _first(record, PASS_KEYS)
        if found is not None and isinstance(found[1], bool):
            value = 1.0 if found[1] else 0.0
        else:
            found = _first(record, SCORE_KEYS)
            if found is None or isinstance(found[1], bool) or not isinstance(found[1], (int, float)):
                raise InputError(
                    "evidence",
                    f"{where}: no pass/fail ({', '.join(PASS_KEYS)}) or numeric score ({', '.join(SCORE_KEYS)})",
                )
            value = float(found[1])
            binary = False
        item = _first(record, ID_KEYS)
        ids.append(str(item[1]) if item is not None else f"#{len(ids) + 1}")
        values.append(value)
    if len(set(ids)) != len(ids):
        raise InputError("evidence", f"{file.name}: an item id appears twice")
    return EvalItems(ids, values, binary and all(v in (0.0, 1.0) for v in values))


def exposure_csv(file: EvidenceFile) -> tuple[list[str], list[int]]:
    """Arm counts from a CSV with an arm column (`arm`, `variant`, `group`…): summed from a count column when
    there is one, else one row per exposure. Arms keep the order they first appear in."""
    reader = csv.DictReader(io.StringIO(file.text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    arm_col = next((h for h in ARM_KEYS if h in header), None)
    if arm_col is None:
        raise InputError("evidence", f"{file.name} line 1: no arm column (one of {', '.join(ARM_KEYS)})")
    count_col = next((h for h in COUNT_KEYS if h in header), None)
    counts: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        arm = row.get(arm_col, "")
        if not arm:
            raise InputError("evidence", f"{file.name} line {number}: empty {arm_col}")
        if count_col is None:
            counts[arm] = counts.get(arm, 0) + 1
            continue
        try:
            value = int(row.get(count_col, ""))
        except ValueError:
            raise InputError(
                "evidence", f"{file.name} line {number}: {count_col} is not a whole number ({row.get(count_col)!r})"
            ) from None
        counts[arm] = counts.get(arm, 0) + value
    return list(counts), list(counts.values())


def otlp_errors(file: EvidenceFile, span_name: str = "") -> tuple[int, int]:
    """(spans with ERROR status, spans) in an OTLP JSON export (one document, or one per line)."""
    text = file.text.strip()
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        documents = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    documents.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError("evidence", f"{file.name} line {number}: not JSON ({exc.msg})") from None
    errors = total = 0
    for doc in documents:
        if not isinstance(doc, dict) or "resourceSpans" not in doc:
            raise InputError("evidence", f"{file.name}: not an OTLP trace export (no resourceSpans)")
        for resource in doc.get("resourceSpans") or []:
            for scope in (resource or {}).get("scopeSpans") or []:
                for span in (scope or {}).get("spans") or []:
                    if span_name and span.get("name") != span_name:
                        continue
                    total += 1
                    code = (span.get("status") or {}).get("code")
                    if code in (STATUS_ERROR, "STATUS_CODE_ERROR"):
                        errors += 1
    return errors, total
