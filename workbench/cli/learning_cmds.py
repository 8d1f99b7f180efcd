"""`workbench similar`, `suggest`, `stats`, `due` and `followup`: the store as the team's memory."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path

from ..services.clock import today as clock_today
from ..services.followup.due import due_report, render_due
from ..services.learning import source as learning_source
from ..services.learning.stats import compute_stats
from .stats_text import render_stats
from ..store.textio import atomic_write
from .common import CliError, edits, open_store, Subcommands
from .index_source import learning_index


def register(sub: Subcommands) -> None:
    p = sub.add_parser("similar", help="the past incidents most like this one, and why")
    p.add_argument("id")
    p.add_argument("--limit", type=int, default=5)
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("suggest", help="taxonomy modes to consider for an incident or a cause (nothing is applied)")
    p.add_argument("id")
    p.add_argument("--cause", metavar="CAUSE_ID", help="suggest for this cause instead of the whole incident")
    p.add_argument("--limit", type=int, default=5)
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("stats", help="learning across incidents: modes over time, recurring causes, times, actions")
    p.add_argument("--since", metavar="DATE", help="only incidents that started on or after DATE (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true", help="machine-readable output (everything)")
    p.add_argument(
        "--all",
        action="store_true",
        help="list everything: every incident of each recurring mode, every statement of each cause group, "
        "each incident's times, every overdue action (the default is a summary)",
    )
    p.add_argument(
        "--top", type=int, default=10, metavar="N", help="recurring modes, cause groups and overdue actions shown"
    )
    _today_arg(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("due", help="overdue actions and follow-up reviews due soon; exit 1 when anything is overdue")
    p.add_argument("--within", type=int, default=14, metavar="N", help="look N days ahead (default 14)")
    p.add_argument("--json", action="store_true", help="machine-readable output (the same as --format json)")
    p.add_argument(
        "--format",
        choices=["text", "json", "ics"],
        default=None,
        help="ics: an iCalendar file of every action due date and follow-up review (stable UIDs: "
        "importing it again updates the events); exit status is then 0",
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    _today_arg(p)
    p.set_defaults(func=cmd_due)

    p = sub.add_parser("followup", help="record that an incident's follow-up review took place (one commit)")
    p.add_argument("id")
    p.add_argument("--on", metavar="DATE", help="the day it took place (default: today)")
    _today_arg(p)
    p.set_defaults(func=cmd_followup)


def _today_arg(p: argparse.ArgumentParser) -> None:
    # Hidden: for tests and for asking "what would be due on DATE?"; $WORKBENCH_TODAY does the same.
    p.add_argument("--today", help=argparse.SUPPRESS)


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{flag} {text!r} is not a date like 2025-01-31") from None


def _load(store):
    result = store.load_all()
    for problem in result.problems:
        print(f"skipped (could not load): {problem}", file=sys.stderr)
    return [r.incident for r in result.records]


def cmd_similar(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy = store.load_taxonomy()
    target = store.load(args.id).incident
    index = learning_source.similarity_index(learning_index(store), taxonomy)
    results = index.similar_to(target, limit=args.limit)
    if not results:
        print(f"No incident is similar to {target.id} yet.")
        return 0
    for n, s in enumerate(results, 1):
        print(f"{n}. {s.incident_id}  {s.score:.2f}  {s.title}")
        print(f"   why: {s.why(taxonomy)}")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy = store.load_taxonomy()
    incident = store.load(args.id).incident
    suggester = learning_source.suggester(learning_index(store), taxonomy)
    if args.cause:
        if args.cause not in {c.id for c in incident.causes}:
            raise CliError(f"{incident.id} has no cause {args.cause!r}")
        results = suggester.for_cause(incident, args.cause, args.limit)
    else:
        results = suggester.for_incident(incident, args.limit)
    if not results:
        print("No suggestions.")
        return 0
    for s in results:
        print(f"{s.mode_id}  ({s.name})  {s.score:.2f}")
        for reason in s.reasons:
            print(f"   {reason}")
    print("\nSuggestions only: nothing was tagged. Tag in the workbench, or edit incident.toml.", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.top < 1:
        raise CliError("--top is a number of groups, 1 or more")
    since = _date(args.since, "--since") if args.since else None
    stats = compute_stats(
        learning_source.stream_profiles(learning_index(store)), store.load_taxonomy(), clock_today(args.today), since
    )
    if args.json:
        json.dump(stats.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_stats(stats, full=args.all, top=args.top))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.within < 0:
        raise CliError("--within is a number of days, 0 or more")
    fmt = args.format or ("json" if args.json else "text")
    if args.json and fmt != "json":
        raise CliError("--json and --format ics ask for two formats: give one")
    incidents = _load(store)
    if fmt == "ics":
        from ..services.followup.reminders import calendar_ics

        today = clock_today(args.today)
        now = (
            datetime.now(timezone.utc)
            if args.today is None and not os.environ.get("WORKBENCH_TODAY")
            else datetime.combine(today, time(12), timezone.utc)
        )
        data = calendar_ics(incidents, store.store_id, store.root.name, now)
        if args.out is None:
            sys.stdout.buffer.write(data)
        else:
            if args.out.is_dir():
                raise CliError(f"{args.out} is a folder; give a file name")
            atomic_write(args.out, data)
            print(f"Wrote {args.out} ({data.count(b'BEGIN:VEVENT')} events)", file=sys.stderr)
        return 0
    report = due_report(incidents, clock_today(args.today), args.within)
    if fmt == "json":
        payload = {
            "today": report.today.isoformat(),
            "within": report.within,
            "counts": report.counts(),
            "anything_overdue": report.anything_overdue,
            "overdue_actions": [_row(a) for a in report.overdue_actions],
            "upcoming_actions": [_row(a) for a in report.upcoming_actions],
            "follow_ups": [_row(f) for f in report.follow_ups],
        }
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_due(report))
    return 1 if report.anything_overdue else 0


def _row(item) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(item).items()}


@edits
def cmd_followup(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.id)
    held = _date(args.on, "--on") if args.on else clock_today(args.today)
    if record.incident.follow_up is None:
        raise CliError(f"{record.id} has no follow-up review date")
    updated = record.incident.model_copy(update={"follow_up_held": held})
    store.save(record, updated, where="tracking", what=f"follow-up review held on {held}")
    print(f"Recorded: the follow-up review of {record.id} took place on {held}.")
    return 0
