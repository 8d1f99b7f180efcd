"""report, actions export and import: the documents people read, action items for trackers, and
existing postmortems brought in."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any
from pathlib import Path

from ..services.followup.actions_export import export_csv, export_json, open_actions
from ..services.report import ReportOptions, report_from_store
from ..store.textio import atomic_write
from .common import CliError, edits, open_store, Subcommands


def register(sub: Subcommands) -> None:
    p = sub.add_parser("report", help="the canonical postmortem report (markdown or HTML)")
    p.add_argument("id")
    p.add_argument("--format", choices=["md", "html"], default="md")
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--exec", action="store_true", help="the executive one-pager (fits one 80x24 screen)")
    p.add_argument(
        "--redact",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="replace names, handles, emails, IP addresses and secrets by roles and placeholders "
        "(default: on for --audience external)",
    )
    p.add_argument("--audience", choices=["internal", "external"], default="internal")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("actions", help="action items across incidents")
    actions = p.add_subparsers(dest="actions_command", metavar="SUBCOMMAND", required=True)
    e = actions.add_parser("export", help="open action items as CSV or JSON for a tracker's importer")
    e.add_argument("--format", choices=["csv", "json"], required=True)
    e.add_argument(
        "--tracker",
        choices=["jira", "linear", "github"],
        help="the tracker's import format (jira/linear: csv; github: json)",
    )
    e.add_argument("--id", help="only this incident's actions")
    e.add_argument("--out", type=Path, metavar="FILE")
    e.set_defaults(func=cmd_actions_export)

    b = actions.add_parser(
        "sync-back",
        help="bring status, assignee and due date back from a Jira CSV, Linear CSV "
        "or GitHub issues JSON export (one commit)",
    )
    b.add_argument("file", type=Path, metavar="FILE")
    b.add_argument("--tracker", choices=["jira", "linear", "github"], help="the file's format (default: detected)")
    b.add_argument("--dry-run", action="store_true", help="show what would change; commit nothing")
    b.set_defaults(func=cmd_actions_sync_back)

    register_import(sub)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    if out.is_dir():
        raise CliError(f"{out} is a folder; give a file name")
    atomic_write(out, text.encode("utf-8"))
    print(f"Wrote {out}", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    store = open_store(args)
    options = ReportOptions(format=args.format, exec=args.exec, redact=args.redact, audience=args.audience)
    rendered = report_from_store(store, args.id, options)
    _write(rendered.text, args.out)
    if rendered.redaction is not None:
        print(rendered.redaction.line(), file=sys.stderr)
    return 0


def cmd_actions_export(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.tracker in ("jira", "linear") and args.format != "csv":
        raise CliError(f"{args.tracker} imports CSV: use --format csv --tracker {args.tracker}")
    if args.tracker == "github" and args.format != "json":
        raise CliError("GitHub issues are exported as JSON: use --format json --tracker github")
    if args.id:
        incidents = [store.load(args.id).incident]
    else:
        result = store.load_all()
        for problem in result.problems:
            print(f"skipped (could not load): {problem}", file=sys.stderr)
        incidents = [r.incident for r in result.records]
    items = open_actions(incidents)
    text = export_csv(items, args.tracker) if args.format == "csv" else export_json(items, args.tracker)
    _write(text, args.out)
    print(f"{len(items)} open action(s) from {len(incidents)} incident(s)", file=sys.stderr)
    return 0


def register_import(sub: Subcommands) -> None:
    p = sub.add_parser(
        "import",
        help="turn an existing markdown postmortem (or a workbench report), or ATLAS "
        "case studies (.yaml) / AI Incident Database records (.json), into incidents",
    )
    p.add_argument("file", type=Path)
    p.add_argument(
        "--record",
        metavar="ID",
        help="for a file of records: import only this one (an ATLAS id "
        "such as AML.CS0003, or an AIID incident number); default: all, "
        "one commit each",
    )
    p.add_argument("--id", help="the new incident's id (default: start date + title)")
    p.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the incident's date, for a source that states none (never guessed)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be created (counts, each item with its file:line) without writing",
    )
    p.set_defaults(func=cmd_import)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-01") from None


@edits
def cmd_import(args: argparse.Namespace) -> int:
    from ..services.importing.postmortem import commit, prepare_all

    store = open_store(args)
    results = prepare_all(store, args.file, args.id, args.date, args.record)
    for result in results:
        print_import(result, args.file.name, dry_run=args.dry_run)
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    for result in results:
        record = commit(store, result, args.file.name)
        print(f"Imported {args.file} as {record.id} in {store.display(record.folder)} (one commit).")
    return 0


def print_import(result: Any, name: str, dry_run: bool) -> None:
    i = result.incident
    print(f"{'Would create' if dry_run else 'Creating'} {i.id}: {i.title}")
    for note in result.notes:
        print(f"  {note}")
    if result.sections:
        print("  source sections:")
        for heading, where in result.sections:
            print(f"    {heading!r} -> {where}")
    if result.undated:
        print("  [DATA GAP] the source states no date: pass --date YYYY-MM-DD, or set it in the app")
    if dry_run:
        labels = {
            "timeline": "Timeline entries",
            "impact": "Impact figures",
            "action": "Action items",
            "cause": "Causes (hypotheses)",
            "lesson": "Lessons",
        }
        for kind, label in labels.items():
            items = [x for x in result.items if x.kind == kind]
            if items:
                print(f"{label} ({len(items)}):")
                for x in items:
                    print(f"  {x.cite}  {x.label}")
        gaps = i.gaps
        if gaps:
            print(f"Gaps ({len(gaps)}):")
            for g in gaps:
                print(f"  [{'DATA GAP' if g.kind == 'data-gap' else 'ASSUMPTION'}] {g.text}")


@edits
def cmd_actions_sync_back(args: argparse.Namespace) -> int:
    from ..services.followup import tracker_sync

    store = open_store(args)
    if not args.file.is_file():
        raise CliError(f"{args.file}: no such file")
    try:
        tracker, rows = tracker_sync.read_export(args.file, args.tracker)
    except tracker_sync.SyncBackError as exc:
        raise CliError(str(exc)) from None
    loaded = store.load_all()
    for problem in loaded.problems:
        print(f"skipped (could not load): {problem}", file=sys.stderr)
    plan = tracker_sync.plan(loaded.records, tracker, rows)
    print(f"Read {len(rows)} row(s) from {args.file} ({tracker}).")
    for change in plan.changes:
        print(f"  {change.incident_id} {change.action_id} {change.field}: {change.old} -> {change.new}")
    for note in plan.notes:
        print(f"  kept: {note}")
    if plan.unknown:
        print(f"Unknown rows ({len(plan.unknown)}), left alone:")
        for line in plan.unknown:
            print(f"  {line}")
    if not plan.changes:
        print("Nothing to bring back: the store already agrees with the tracker.")
        return 0
    if args.dry_run:
        print(f"Dry run: {len(plan.changes)} change(s) not committed.")
        return 0
    commit = tracker_sync.apply(store, plan, loaded.records, args.file.name)
    where = f" as commit {commit.short}" if commit is not None else ""
    print(f"Committed {len(plan.changes)} change(s){where}.")
    return 0
