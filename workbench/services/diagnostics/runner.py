"""Compute a diagnostic from its saved inputs, save it, re-run it, and feed the impact figure it computes.

The same `compute` serves the CLI, the workbench's live forms and re-runs, so a saved result always means
"what these inputs give with this library version".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...domain import edit
from ...domain.model import DIAGNOSTIC_LABELS, Diagnostic, Figure, Incident
from . import inputs as files
from . import kinds
from .kinds import Computed, InputError

# The keys each kind's inputs may hold (typed in, or read from evidence).
INPUT_KEYS: dict[str, tuple[str, ...]] = {
    "reproduction": ("k", "n", "method", "confidence", "what", "evidence", "sha256", "span_name"),
    "srm": ("counts", "expected", "arms", "evidence", "sha256"),
    "eval-delta": (
        "k_a",
        "n_a",
        "k_b",
        "n_b",
        "alpha",
        "claimed",
        "label_a",
        "label_b",
        "evidence_a",
        "sha256_a",
        "evidence_b",
        "sha256_b",
    ),
    "impact": (
        "calc",
        "rate",
        "rate_low",
        "rate_high",
        "traffic_per_hour",
        "window_hours",
        "gpu_hours",
        "price_per_gpu_hour",
        "tokens",
        "price_per_million",
        "windows_minutes",
        "services",
    ),
    "rate-change": ("before", "exposure_before", "after", "exposure_after", "unit", "alpha", "event"),
}


def compute(
    kind: str, given: dict[str, Any], incident: Incident | None = None, folder: Path | None = None
) -> tuple[Computed, dict[str, Any]]:
    """The result for `given` inputs, and the inputs as saved (evidence hashes filled in)."""
    if kind not in INPUT_KEYS:
        raise InputError("kind", f"one of {', '.join(INPUT_KEYS)} (got {kind!r})")
    unknown = [k for k in given if k not in INPUT_KEYS[kind]]
    if unknown:
        raise InputError(unknown[0], f"not an input of {kind} (inputs: {', '.join(INPUT_KEYS[kind])})")
    values = {k: v for k, v in given.items() if v is not None and v != "" and v != []}
    saved = dict(values)

    def evidence(key: str, sha_key: str) -> files.EvidenceFile:
        if incident is None:
            raise InputError(key, "evidence needs an incident (--incident ID)")
        file = files.load(incident, folder, values.get(key), values.get(sha_key), key)
        saved[sha_key] = file.sha256
        return file

    if kind == "reproduction":
        k: Any  # counted from an evidence file, or as the user gave it (kinds.reproduction checks it)
        n: Any
        what = str(values.get("what") or "runs")
        if "evidence" in values:
            file = evidence("evidence", "sha256")
            if file.name.endswith(".jsonl") or file.name.endswith(".ndjson"):
                items = files.eval_jsonl(file)
                if not items.binary:
                    raise InputError("evidence", f"{file.name} holds scores, not pass/fail: use eval-delta")
                k, n = sum(1 for v in items.values if v == 0.0), len(items.values)
                what = str(values.get("what") or "eval items (failures)")
            else:
                k, n = files.otlp_errors(file, str(values.get("span_name") or ""))
                what = str(values.get("what") or "spans (ERROR status)")
            for key in ("k", "n"):
                saved.pop(key, None)
        else:
            k, n = values.get("k"), values.get("n")
            if k is None or n is None:
                raise InputError("k" if k is None else "n", "required (k of n), or name an evidence file")
        return kinds.reproduction(
            k, n, str(values.get("method") or "exact"), values.get("confidence", 0.95), what
        ), saved
    if kind == "srm":
        if "evidence" in values:
            arms, counts = files.exposure_csv(evidence("evidence", "sha256"))
            return kinds.srm(counts, values.get("expected"), arms), saved
        if "counts" not in values:
            raise InputError("counts", "required: the count of each arm, or name an exposure CSV")
        return kinds.srm(values["counts"], values.get("expected"), values.get("arms")), saved
    if kind == "eval-delta":
        labels: dict[str, Any] = {
            "label_a": str(values.get("label_a") or "A"),
            "label_b": str(values.get("label_b") or "B"),
        }
        alpha, claimed = values.get("alpha", 0.05), values.get("claimed")
        if "evidence_a" in values or "evidence_b" in values:
            a = files.eval_jsonl(evidence("evidence_a", "sha256_a"))
            b = files.eval_jsonl(evidence("evidence_b", "sha256_b"))
            paired = set(a.ids) == set(b.ids) and not any(i.startswith("#") for i in a.ids)
            if paired:
                order = {item: index for index, item in enumerate(b.ids)}
                b_values = [b.values[order[item]] for item in a.ids]
                if a.binary and b.binary:
                    return kinds.eval_delta_paired(
                        [v == 1.0 for v in a.values], [v == 1.0 for v in b_values], alpha, claimed, **labels
                    ), saved
                return kinds.eval_delta_scores(a.values, b_values, True, alpha, **labels), saved
            if a.binary and b.binary:
                return kinds.eval_delta_counts(
                    int(sum(a.values)), len(a.values), int(sum(b.values)), len(b.values), alpha, claimed, **labels
                ), saved
            return kinds.eval_delta_scores(a.values, b.values, False, alpha, **labels), saved
        missing = [k for k in ("k_a", "n_a", "k_b", "n_b") if k not in values]
        if missing:
            raise InputError(missing[0], "required (passes and items of each run), or name two eval JSONL files")
        return kinds.eval_delta_counts(
            values["k_a"], values["n_a"], values["k_b"], values["n_b"], alpha, claimed, **labels
        ), saved
    if kind == "impact":
        calc = str(values.get("calc") or "requests")
        saved["calc"] = calc
        return kinds.impact(calc, **{k: v for k, v in values.items() if k != "calc"}), saved
    missing = [k for k in ("before", "exposure_before", "after", "exposure_after") if k not in values]
    if missing:
        raise InputError(missing[0], "required: event counts and exposure (e.g. hours) before and after")
    return kinds.rate_change(
        values["before"],
        values["exposure_before"],
        values["after"],
        values["exposure_after"],
        str(values.get("unit") or "hour"),
        values.get("alpha", 0.05),
        str(values.get("event") or "the change"),
    ), saved


def new_diagnostic(
    incident: Incident,
    kind: str,
    given: dict[str, Any],
    claim: str = "",
    folder: Path | None = None,
    now: datetime | None = None,
    diagnostic_id: str | None = None,
) -> tuple[Diagnostic, Computed]:
    computed, saved = compute(kind, given, incident, folder)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    diagnostic = Diagnostic(
        id=diagnostic_id or edit.fresh_id(incident, "diagnostics"),
        kind=kind,
        claim=claim.strip(),
        sentence=computed.sentence,
        computed_with=computed.computed_with,
        computed_at=now,
        inputs=saved,
        result=computed.result,
    )
    return diagnostic, computed


def add(incident: Incident, diagnostic: Diagnostic) -> Incident:
    """The incident with `diagnostic` added (or replaced), and an impact calculation fed into its figure."""
    incident = edit.upsert(incident, "diagnostics", diagnostic)
    return feed_impact(incident, diagnostic)


def feed_impact(incident: Incident, diagnostic: Diagnostic) -> Incident:
    """An impact calculation writes its value into the figure it computes, with the calculation as the source,
    and the impact cites it."""
    if diagnostic.kind != "impact" or "value" not in diagnostic.result:
        return incident
    target = str(diagnostic.result.get("field", ""))
    old: Figure | None = getattr(incident.impact, target, None) if target else None
    if old is None:
        return incident
    value = diagnostic.result["value"]
    if isinstance(value, float) and (target == "requests_affected" or value.is_integer()):
        value = int(round(value))
    source = f"{diagnostic.id}: {diagnostic.result.get('calculation', '')}"[:300]
    figure = old.model_copy(
        update={"value": value, "unit": str(diagnostic.result.get("unit", old.unit)), "source": source}
    )
    cited = incident.impact.diagnostics + ([diagnostic.id] if diagnostic.id not in incident.impact.diagnostics else [])
    impact = incident.impact.model_copy(update={target: figure, "diagnostics": cited})
    return edit.replace(incident, impact=impact)


def label(diagnostic: Diagnostic) -> str:
    return DIAGNOSTIC_LABELS[diagnostic.kind]


def commit_what(diagnostic: Diagnostic, verb: str = "add") -> str:
    """`add dx-3f9a (reproduction rate)`: the commit subject after `<id>: diagnostics: `."""
    return f"{verb} {diagnostic.id} ({label(diagnostic)})"


@dataclass
class Rerun:
    diagnostic: Diagnostic
    computed: Computed | None = None
    error: str = ""
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key -> (saved, now)

    @property
    def status(self) -> str:
        if self.error:
            return "stale"
        return "changed" if self.changed else "same"

    def describe(self) -> str:
        if self.error:
            return f"{self.diagnostic.id}: cannot re-run: {self.error}"
        if not self.changed:
            return f"{self.diagnostic.id}: re-run gives the same result"
        diffs = ", ".join(f"{k} {_show(a)} → {_show(b)}" for k, (a, b) in self.changed.items())
        return f"{self.diagnostic.id}: re-run DIFFERS: {diffs}"

    def updated(self, now: datetime | None = None) -> Diagnostic:
        assert self.computed is not None
        now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
        return self.diagnostic.model_copy(
            update={
                "result": self.computed.result,
                "sentence": self.computed.sentence,
                "computed_with": self.computed.computed_with,
                "computed_at": now,
            }
        )


def _show(value: Any) -> str:
    return "—" if value is None else f"{value}"


def rerun(diagnostic: Diagnostic, incident: Incident, folder: Path | None) -> Rerun:
    """Compute again from the saved inputs and compare with the saved result, key by key."""
    try:
        computed, _ = compute(diagnostic.kind, dict(diagnostic.inputs), incident, folder)
    except InputError as exc:
        return Rerun(diagnostic, error=str(exc))
    old, new = diagnostic.result, computed.result
    changed = {k: (old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)}
    return Rerun(diagnostic, computed, changed=changed)


def status_of(diagnostic: Diagnostic) -> str:
    """Without re-running: 'stale' when computed with other library versions than these, else 'saved'."""
    from importlib.metadata import version

    for part in diagnostic.computed_with.split(","):
        name, _, saved_version = part.strip().partition(" ")
        if name and saved_version:
            try:
                if version(name) != saved_version:
                    return "stale"
            except Exception:
                return "stale"
    return "saved"
