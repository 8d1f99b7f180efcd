"""`workbench diagnose KIND ...`: compute a diagnostic (print it, or `--json`), `--incident ID --save` records it
(one commit), and `workbench diagnose rerun ID` re-runs an incident's diagnostics from their saved inputs.

Numbers are read here rather than by argparse, so a bad value is one line naming the option."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .common import CliError, open_store, Subcommands

KIND_HELP = {
    "reproduction": "k failures in n tries -> rate with an exact (Clopper-Pearson) or Wilson interval",
    "srm": "sample ratio mismatch: observed arm counts vs the intended split (chi-square, flag at p < 0.001)",
    "eval-delta": "two eval runs (pass counts, or per-item JSONL evidence) -> difference, interval, test, MDE",
    "impact": "affected requests = rate x traffic x window; GPU-hours x price; tokens x price; downtime",
    "rate-change": "event counts before/after a deploy -> rate ratio with interval (Poisson)",
}


def register(sub: Subcommands) -> None:
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

    for kind, options in KIND_OPTIONS.items():
        parser = kinds.add_parser(kind, help=KIND_HELP[kind])
        for option in dict.fromkeys(o.flag for o in options):  # --price serves two calculations
            parser.add_argument(option, **next(o for o in options if o.flag == option).argparse())
        common(parser)
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


def _whole(option: str, text: str | None) -> int | None:
    return _number(option, text, whole=True)  # type: ignore[return-value]  # whole=True gives an int


def _names(option: str, text: str | None) -> list[str] | None:
    return [name.strip() for name in text.split(",")] if text else None


def _as_given(option: str, text: str | None) -> str | None:
    return text


@dataclass(frozen=True)
class Option:
    """One option of `workbench diagnose KIND`: its flag and help, and the input it fills."""

    flag: str  # "--k", or a positional's name ("calc")
    help: str
    metavar: str | None = None
    read: Callable[[str, str | None], Any] = _number  # (flag, text) -> value; raises CliError naming the flag
    key: str | tuple[str, str] = ""  # the input's name (default: the flag's); two for a K/N pair
    calc: str = ""  # impact: the calculation it belongs to
    choices: tuple[str, ...] = ()

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")

    def argparse(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"choices": list(self.choices)} if self.choices else {}
        return {"help": self.help, **({"metavar": self.metavar} if self.metavar else {}), **extra}


# Each kind's options, in the order of its inputs (so a saved diagnostic's inputs read as before).
KIND_OPTIONS: dict[str, tuple[Option, ...]] = {
    "reproduction": (
        Option("--k", "failures (or reproductions) seen", "K", _whole),
        Option("--n", "tries", "N", _whole),
        Option("--method", "interval (default exact)", read=_as_given, choices=("exact", "wilson")),
        Option("--confidence", "confidence level (default 0.95)", "LEVEL"),
        Option("--what", "what was counted (default: runs)", "WORD", _as_given),
        Option(
            "--evidence",
            "an eval JSONL (failures of items) or an OTLP JSON export (spans with ERROR status) from the "
            "incident's evidence locker",
            "EVIDENCE_ID",
            _as_given,
        ),
        Option("--span-name", "with an OTLP export: only spans named so", "NAME", _as_given),
    ),
    "srm": (
        Option("--counts", "observed count of each arm", "A,B,...", _numbers),
        Option("--expected", "the intended split as weights (default: equal)", "A,B,...", _numbers),
        Option("--arms", "arm names", "NAME,NAME,...", _names),
        Option("--evidence", "an exposure CSV (arm column, optional count column)", "EVIDENCE_ID", _as_given),
    ),
    "eval-delta": (
        Option("--a", "run A: passes/items (e.g. 80/100)", "K/N", _k_of_n, ("k_a", "n_a")),
        Option("--b", "run B: passes/items", "K/N", _k_of_n, ("k_b", "n_b")),
        Option("--alpha", "significance level (default 0.05)", "ALPHA"),
        Option("--claimed", "the delta the postmortem claims (0.04 or 4 for 4 points)", "DELTA"),
        Option("--label-a", "name of run A (default A)", "NAME", _as_given),
        Option("--label-b", "name of run B (default B)", "NAME", _as_given),
        Option("--evidence-a", "run A's per-item eval JSONL", "EVIDENCE_ID", _as_given),
        Option("--evidence-b", "run B's per-item eval JSONL", "EVIDENCE_ID", _as_given),
    ),
    "impact": (
        Option("calc", "which calculation", read=_as_given, choices=("requests", "compute", "tokens", "downtime")),
        Option("--rate", "requests: share affected (0.16 for 16%%)", "FRACTION", calc="requests"),
        Option("--rate-low", "requests: the rate interval's low end", "FRACTION", calc="requests"),
        Option("--rate-high", "requests: the rate interval's high end", "FRACTION", calc="requests"),
        Option(
            "--traffic",
            "requests: requests per hour (left out when unknown: the count is then a [DATA GAP])",
            "PER_HOUR",
            key="traffic_per_hour",
            calc="requests",
        ),
        Option("--window", "requests: hours affected", "HOURS", key="window_hours", calc="requests"),
        Option("--gpu-hours", "compute: GPU-hours", "HOURS", calc="compute"),
        Option(
            "--price",
            "compute: price per GPU-hour; tokens: price per million tokens",
            "USD",
            key="price_per_gpu_hour",
            calc="compute",
        ),
        Option("--tokens", "tokens: tokens used", "COUNT", calc="tokens"),
        Option("--price", "", "USD", key="price_per_million", calc="tokens"),
        Option(
            "--windows",
            "downtime: minutes each service was degraded",
            "MIN,MIN,...",
            _numbers,
            "windows_minutes",
            calc="downtime",
        ),
        Option("--services", "downtime: the services' names", "NAME,NAME,...", _names, calc="downtime"),
    ),
    "rate-change": (
        Option("--before", "events before", "COUNT", _whole),
        Option("--before-exposure", "exposure before (hours, or requests…)", "AMOUNT", key="exposure_before"),
        Option("--after", "events after", "COUNT", _whole),
        Option("--after-exposure", "exposure after", "AMOUNT", key="exposure_after"),
        Option("--unit", "the exposure's unit (default hour)", "UNIT", _as_given),
        Option("--event", "what happened in between (default: the change)", "TEXT", _as_given),
        Option("--alpha", "significance level (default 0.05)", "ALPHA"),
    ),
}


def inputs_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The kind's inputs (named as services/diagnostics/runner.py INPUT_KEYS names them), in KIND_OPTIONS order."""
    out: dict[str, Any] = {}
    for option in KIND_OPTIONS[args.diagnose_kind]:
        if option.calc and option.calc != args.calc:
            continue
        value = option.read(option.flag, getattr(args, option.dest))
        if isinstance(option.key, tuple):
            out.update(zip(option.key, value, strict=True))
        else:
            out[option.key or option.dest] = value
    return out


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
