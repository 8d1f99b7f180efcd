"""`workbench lint [PATH...] --format text|json|github [--strict]`: the method's checks for CI and pre-commit.

`workbench lint --rules [--format json]` lists the rules the checks register (id, family, severity, usual fix).

Exit status: 0 clean, 1 when any error is found (or any warning with --strict), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..services.review.checks import FAMILIES, RULES, SEVERITIES, Finding, counts
from ..services.review.lint import LintResult, find_store_root, lint
from ..store import Store
from .common import CliError, open_store, Subcommands


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "lint",
        help="check incidents against the method's hard rules (for CI and pre-commit)",
        description="Check incidents against the blameless method: blame language, unsourced claims, "
        "impact, actionability, premature fixes, AI factors, stochasticity, timeline, scope, close.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="the store, a folder under incidents/, or incident files (default: the whole store)",
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="github prints GitHub Actions annotations (::error file=...,line=...::message)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument(
        "--min-severity",
        choices=list(SEVERITIES),
        default=None,
        help="lowest severity to print (default: warning; info for json). Exit status ignores this.",
    )
    p.add_argument(
        "--rules",
        action="store_true",
        help="list every rule the checks know (id, severity, usual fix) instead of checking; no store needed",
    )
    p.set_defaults(func=cmd_lint)


def _store_for(args: argparse.Namespace) -> Store:
    if getattr(args, "store", None) or os.environ.get("WORKBENCH_STORE") or not args.paths:
        return open_store(args)
    first = args.paths[0]
    root = find_store_root(first if first.is_absolute() else Path.cwd() / first)
    if root is None:
        raise CliError(f"{first} is not inside a workbench store; pass --store PATH")
    return Store(root)


def _shown(findings: list[Finding], minimum: str) -> list[Finding]:
    keep = SEVERITIES[: SEVERITIES.index(minimum) + 1]
    return [f for f in findings if f.severity in keep]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    command = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
    props = [f"file={_escape_property(f.file)}"]
    if f.line:
        props.append(f"line={f.line}")
    props.append(f"title={_escape_property(f.rule)}")
    body = f.message + (f" — fix: {f.fix}" if f.fix else "")
    return f"::{command} {','.join(props)}::{_escape_data(body)}"


def text_line(f: Finding) -> str:
    where = f"{f.file}:{f.line}" if f.line else f.file
    entry = f" [{f.entry}]" if f.entry else ""
    out = f"{where}: {f.severity} {f.rule}{entry}: {f.message}"
    return out + (f"\n    fix: {f.fix}" if f.fix else "")


def render(result: LintResult, fmt: str, minimum: str) -> str:
    every = result.all()
    if fmt == "json":
        return json.dumps(
            {
                "counts": counts(every),
                "rules_from": list(result.config_sources),
                "incidents": [
                    {
                        "id": r.id,
                        "folder": r.folder,
                        "counts": counts(r.findings),
                        "findings": [f.to_dict() for f in _shown(r.findings, minimum)],
                    }
                    for r in result.reports
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
    lines = [(github_line if fmt == "github" else text_line)(f) for f in _shown(every, minimum)]
    total = counts(every)
    summary = (
        f"{len(result.reports)} incident(s): {total['error']} error(s), {total['warning']} warning(s), "
        f"{total['info']} info"
    )
    if minimum != "info" and total["info"]:
        summary += " (info hidden; --min-severity info lists them)"
    if fmt == "github":
        return "\n".join(lines + [summary])
    return "\n".join(lines + ([""] if lines else []) + [summary])


def render_rules(fmt: str) -> str:
    """The rule catalogue, in the Review pane's family order (RULES keeps it)."""
    if fmt == "json":
        rows = [{"id": r.id, "family": r.family, "severity": r.severity, "fix": r.fix} for r in RULES.values()]
        return json.dumps(rows, indent=2, ensure_ascii=False)
    blocks = []
    for family, (title, why) in FAMILIES.items():
        lines = [f"  {r.id:<34} {r.severity:<8} {r.fix}" for r in RULES.values() if r.family == family]
        blocks.append("\n".join([f"{title} ({family}.*): {why}", *lines]))
    return "\n\n".join(blocks)


def cmd_lint(args: argparse.Namespace) -> int:
    if args.rules:
        sys.stdout.write(render_rules(args.format) + "\n")
        return 0
    store = _store_for(args)
    result = lint(store, args.paths)
    minimum = args.min_severity or ("info" if args.format == "json" else "warning")
    sys.stdout.write(render(result, args.format, minimum) + "\n")
    total = counts(result.all())
    return 1 if total["error"] or (args.strict and total["warning"]) else 0
