"""`workbench diagnose KIND ...`: compute a diagnostic (print it, or `--json`), `--incident ID --save` records it
(one commit), and `workbench diagnose rerun ID` re-runs an incident's diagnostics from their saved inputs.

Numbers are read here rather than by argparse, so a bad value is one line naming the option."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from .common import CliError, open_store

KIND_HELP = {
    "reproduction": "k failures in n tries -> rate with an exact (Clopper-Pearson) or Wilson interval",
    "srm": "sample ratio mismatch: observed arm counts vs the intended split (chi-square, flag at p < 0.001)",
    "eval-delta": "two eval runs (pass counts, or per-item JSONL evidence) -> difference, interval, test, MDE",
    "impact": "affected requests = rate x traffic x window; GPU-hours x price; tokens x price; downtime",
    "rate-change": "event counts before/after a deploy -> rate ratio with interval (Poisson)",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diagnose",
        help="statistics for a postmortem (reproduction rate, SRM, eval delta, impact, "
        "rate change); --save records them in an incident",
    )
    kinds = p.add_subparsers(dest="diagnose_kind", metavar="KIND", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--incident", metavar="ID", help="the incident (for evidence inputs and --save)")
        parser.add_argument("--save", action="store_true", help="record it in the incident (one commit)")
        parser.add_argument("--claim", default="", metavar="TEXT", help="the claim it tests, in your words")
        parser.add_argument(
            "--cite",
            action="append",
            default=[],
            metavar="CAUSE_ID|impact",
            help="with --save: cite it from this cause (or the impact); repeatable",
        )
        parser.set_defaults(func=cmd_diagnose)

    r = kinds.add_parser("reproduction", help=KIND_HELP["reproduction"])
    r.add_argument("--k", metavar="K", help="failures (or reproductions) seen")
    r.add_argument("--n", metavar="N", help="tries")
    r.add_argument("--method", choices=["exact", "wilson"], default=None, help="interval (default exact)")
    r.add_argument("--confidence", metavar="LEVEL", help="confidence level (default 0.95)")
    r.add_argument("--what", default=None, metavar="WORD", help="what was counted (default: runs)")
    r.add_argument(
        "--evidence",
        metavar="EVIDENCE_ID",
        help="an eval JSONL (failures of items) or an OTLP JSON "
        "export (spans with ERROR status) from the incident's evidence locker",
    )
    r.add_argument("--span-name", default=None, metavar="NAME", help="with an OTLP export: only spans named so")
    common(r)
    s = kinds.add_parser("srm", help=KIND_HELP["srm"])
    s.add_argument("--counts", metavar="A,B,...", help="observed count of each arm")
    s.add_argument("--expected", metavar="A,B,...", help="the intended split as weights (default: equal)")
    s.add_argument("--arms", metavar="NAME,NAME,...", help="arm names")
    s.add_argument("--evidence", metavar="EVIDENCE_ID", help="an exposure CSV (arm column, optional count column)")
    common(s)
    e = kinds.add_parser("eval-delta", help=KIND_HELP["eval-delta"])
    e.add_argument("--a", metavar="K/N", help="run A: passes/items (e.g. 80/100)")
    e.add_argument("--b", metavar="K/N", help="run B: passes/items")
    e.add_argument("--evidence-a", metavar="EVIDENCE_ID", help="run A's per-item eval JSONL")
    e.add_argument("--evidence-b", metavar="EVIDENCE_ID", help="run B's per-item eval JSONL")
    e.add_argument("--label-a", default=None, metavar="NAME", help="name of run A (default A)")
    e.add_argument("--label-b", default=None, metavar="NAME", help="name of run B (default B)")
    e.add_argument("--alpha", metavar="ALPHA", help="significance level (default 0.05)")
    e.add_argument("--claimed", metavar="DELTA", help="the delta the postmortem claims (0.04 or 4 for 4 points)")
    common(e)
    i = kinds.add_parser("impact", help=KIND_HELP["impact"])
    i.add_argument("calc", choices=["requests", "compute", "tokens", "downtime"], help="which calculation")
    i.add_argument("--rate", metavar="FRACTION", help="requests: share affected (0.16 for 16%%)")
    i.add_argument("--rate-low", metavar="FRACTION", help="requests: the rate interval's low end")
    i.add_argument("--rate-high", metavar="FRACTION", help="requests: the rate interval's high end")
    i.add_argument(
        "--traffic",
        metavar="PER_HOUR",
        help="requests: requests per hour (left out when unknown: the count is then a [DATA GAP])",
    )
    i.add_argument("--window", metavar="HOURS", help="requests: hours affected")
    i.add_argument("--gpu-hours", metavar="HOURS", help="compute: GPU-hours")
    i.add_argument("--price", metavar="USD", help="compute: price per GPU-hour; tokens: price per million tokens")
    i.add_argument("--tokens", metavar="COUNT", help="tokens: tokens used")
    i.add_argument("--windows", metavar="MIN,MIN,...", help="downtime: minutes each service was degraded")
    i.add_argument("--services", metavar="NAME,NAME,...", help="downtime: the services' names")
    common(i)
    c = kinds.add_parser("rate-change", help=KIND_HELP["rate-change"])
    c.add_argument("--before", metavar="COUNT", help="events before")
    c.add_argument("--before-exposure", metavar="AMOUNT", help="exposure before (hours, or requests…)")
    c.add_argument("--after", metavar="COUNT", help="events after")
    c.add_argument("--after-exposure", metavar="AMOUNT", help="exposure after")
    c.add_argument("--unit", default=None, metavar="UNIT", help="the exposure's unit (default hour)")
    c.add_argument("--event", default=None, metavar="TEXT", help="what happened in between (default: the change)")
    c.add_argument("--alpha", metavar="ALPHA", help="significance level (default 0.05)")
    common(c)
    rr = kinds.add_parser(
        "rerun",
        help="re-run an incident's diagnostics from their saved inputs; exit 1 when a "
        "result differs or cannot be re-run",
    )
    rr.add_argument("id", metavar="ID", help="the incident")
    rr.add_argument("only", nargs="*", metavar="DX_ID", help="only these diagnostics")
    rr.add_argument("--save", action="store_true", help="record the new results of those that differ (one commit)")
    rr.add_argument("--json", action="store_true", help="print the comparison as JSON")
    rr.set_defaults(func=cmd_rerun)


# ------------------------------------------------------------------------------------- parsing
def _number(option: str, text: str | None, whole: bool = False) -> int | float | None:
    if text is None:
        return None
    try:
        value = float(text.replace(",", "").replace("_", "").removesuffix("%"))
    except ValueError:
        raise CliError(f"{option}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise CliError(f"{option}: not a number: {text!r}")
    if text.strip().endswith("%"):
        value /= 100
    if whole:
        if value != int(value):
            raise CliError(f"{option}: a whole number is needed (got {text!r})")
        return int(value)
    return int(value) if value.is_integer() and "." not in text else value


def _numbers(option: str, text: str | None) -> list[int | float] | None:
    if text is None:
        return None
    parts = [p for p in text.replace(";", ",").replace("/", ",").split(",") if p.strip()]
    if not parts:
        raise CliError(f"{option}: give comma-separated numbers (e.g. 5012,4988)")
    return [_number(option, p.strip()) for p in parts]  # type: ignore[misc]  # never None: text is given


def _k_of_n(option: str, text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    k, sep, n = text.partition("/")
    if not sep:
        raise CliError(f"{option}: passes/items, e.g. 80/100 (got {text!r})")
    return _number(option, k.strip(), whole=True), _number(option, n.strip(), whole=True)  # type: ignore[return-value]  # whole=True gives ints


def inputs_from_args(args: argparse.Namespace) -> dict[str, Any]:
    kind = args.diagnose_kind
    if kind == "reproduction":
        return {
            "k": _number("--k", args.k, True),
            "n": _number("--n", args.n, True),
            "method": args.method,
            "confidence": _number("--confidence", args.confidence),
            "what": args.what,
            "evidence": args.evidence,
            "span_name": args.span_name,
        }
    if kind == "srm":
        arms = [a.strip() for a in args.arms.split(",")] if args.arms else None
        return {
            "counts": _numbers("--counts", args.counts),
            "expected": _numbers("--expected", args.expected),
            "arms": arms,
            "evidence": args.evidence,
        }
    if kind == "eval-delta":
        k_a, n_a = _k_of_n("--a", args.a)
        k_b, n_b = _k_of_n("--b", args.b)
        return {
            "k_a": k_a,
            "n_a": n_a,
            "k_b": k_b,
            "n_b": n_b,
            "alpha": _number("--alpha", args.alpha),
            "claimed": _number("--claimed", args.claimed),
            "label_a": args.label_a,
            "label_b": args.label_b,
            "evidence_a": args.evidence_a,
            "evidence_b": args.evidence_b,
        }
    if kind == "impact":
        out: dict[str, Any] = {"calc": args.calc}
        if args.calc == "requests":
            out.update(
                rate=_number("--rate", args.rate),
                rate_low=_number("--rate-low", args.rate_low),
                rate_high=_number("--rate-high", args.rate_high),
                traffic_per_hour=_number("--traffic", args.traffic),
                window_hours=_number("--window", args.window),
            )
        elif args.calc == "downtime":
            out.update(
                windows_minutes=_numbers("--windows", args.windows),
                services=[n.strip() for n in args.services.split(",")] if args.services else None,
            )
        elif args.calc == "compute":
            out.update(
                gpu_hours=_number("--gpu-hours", args.gpu_hours), price_per_gpu_hour=_number("--price", args.price)
            )
        else:
            out.update(tokens=_number("--tokens", args.tokens), price_per_million=_number("--price", args.price))
        return out
    return {
        "before": _number("--before", args.before, True),
        "exposure_before": _number("--before-exposure", args.before_exposure),
        "after": _number("--after", args.after, True),
        "exposure_after": _number("--after-exposure", args.after_exposure),
        "unit": args.unit,
        "event": args.event,
        "alpha": _number("--alpha", args.alpha),
    }


# ------------------------------------------------------------------------------------ commands
def cmd_diagnose(args: argparse.Namespace) -> int:
    from ..services.diagnostics import InputError, compute, new_diagnostic
    from ..services.diagnostics import runner

    kind = args.diagnose_kind
    given = {k: v for k, v in inputs_from_args(args).items() if v is not None}
    if args.save and not args.incident:
        raise CliError("--save needs --incident ID")
    if args.cite and not args.save:
        raise CliError("--cite needs --save")
    try:
        if not args.incident:
            computed, saved = compute(kind, given)
            payload = {
                "kind": kind,
                "inputs": saved,
                "result": computed.result,
                "sentence": computed.sentence,
                "warnings": computed.warnings,
                "computed_with": computed.computed_with,
            }
            _print(payload, args.json)
            return 0
        store = open_store(args)
        record = store.load(args.incident)
        diagnostic, computed = new_diagnostic(record.incident, kind, given, args.claim, folder=record.folder)
    except InputError as exc:
        raise CliError(f"diagnose {kind}: {exc}") from None
    payload = {
        "id": diagnostic.id,
        "kind": kind,
        "inputs": diagnostic.inputs,
        "result": diagnostic.result,
        "sentence": diagnostic.sentence,
        "warnings": computed.warnings,
        "computed_with": diagnostic.computed_with,
    }
    if args.save:
        incident = runner.add(record.incident, diagnostic)
        incident = cite(incident, diagnostic.id, args.cite)
        store.save(record, incident, where="diagnostics", what=runner.commit_what(diagnostic))
        head = store.git.head_commit()
        payload["committed"] = head.short
        _print(payload, args.json)
        if not args.json:
            print(f"Committed {head.short}: {head.subject}")
        return 0
    _print(payload, args.json)
    return 0


def cite(incident: Any, diagnostic_id: str, targets: list[str]) -> Any:
    """The incident with `diagnostic_id` cited from each target: a cause id, or 'impact'."""
    from ..domain import edit

    for target in targets:
        if target == "impact":
            cited = incident.impact.diagnostics
            if diagnostic_id not in cited:
                incident = edit.replace(
                    incident, impact=incident.impact.model_copy(update={"diagnostics": [*cited, diagnostic_id]})
                )
            continue
        cause = next((c for c in incident.causes if c.id == target), None)
        if cause is None:
            known = ", ".join(c.id for c in incident.causes) or "none"
            raise CliError(f"--cite {target}: not a cause of {incident.id} (causes: {known}; or 'impact')")
        if diagnostic_id not in cause.diagnostics:
            incident = edit.upsert(
                incident, "causes", cause.model_copy(update={"diagnostics": [*cause.diagnostics, diagnostic_id]})
            )
    return incident


def _print(payload: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    head = f"{payload['id']}  " if "id" in payload else ""
    print(f"{head}{payload['sentence']}")
    if payload.get("computed_with"):
        print(f"  computed with {payload['computed_with']}")


def cmd_rerun(args: argparse.Namespace) -> int:
    from ..services.diagnostics import rerun

    store = open_store(args)
    record = store.load(args.id)
    incident = record.incident
    chosen = [d for d in incident.diagnostics if not args.only or d.id in args.only]
    unknown = [d for d in args.only if d not in {x.id for x in incident.diagnostics}]
    if unknown:
        known = ", ".join(d.id for d in incident.diagnostics) or "none"
        raise CliError(f"{incident.id} has no diagnostic {unknown[0]} (it has: {known})")
    if not chosen:
        print(f"{incident.id} has no diagnostics.")
        return 0
    runs = [rerun(d, incident, record.folder) for d in chosen]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.diagnostic.id,
                        "status": r.status,
                        "error": r.error,
                        "changed": {k: {"saved": a, "now": b} for k, (a, b) in r.changed.items()},
                        "sentence": r.computed.sentence if r.computed else r.diagnostic.sentence,
                    }
                    for r in runs
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for r in runs:
            print(r.describe())
    differing = [r for r in runs if r.status == "changed"]
    if args.save and differing:
        from ..services.diagnostics import runner

        for r in differing:
            incident = runner.add(incident, r.updated())
        ids = ", ".join(r.diagnostic.id for r in differing)
        store.save(record, incident, where="diagnostics", what=f"re-run {ids} (result changed)")
        head = store.git.head_commit()
        if not args.json:
            print(f"Committed {head.short}: {head.subject}")
    return 1 if any(r.status != "same" for r in runs) else 0
