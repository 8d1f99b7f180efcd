"""`workbench timeline import|derive-times|gaps`: assemble a first timeline from evidence."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from ..services.evidence.locker import source_label
from ..services.importing.timeline import FORMATS, ImportOptions, run_import
from ..services.importing.timeline.base import parse_zone
from ..services.importing.timeline.review import (
    accept,
    apply_times,
    decide,
    deduplicate,
    default_window,
    propose_times,
    silent_gaps,
)
from .common import CliError, edits, open_store, Subcommands
from .errors import validation_line
from .store_cmds import parse_time


def register(sub: Subcommands) -> None:
    p = sub.add_parser("timeline", help="build the timeline from evidence: import, derive key times, gaps")
    tl = p.add_subparsers(dest="timeline_command", metavar="ACTION", required=True)
    i = tl.add_parser(
        "import",
        help="propose timeline events from a source; a dry-run listing unless "
        "--accept-all (review them one by one in the app: Timeline pane, key i)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="formats:\n" + "\n".join(f"  {k:<10} {v[1]}" for k, v in FORMATS.items()),
    )
    i.add_argument("id")
    i.add_argument(
        "--from",
        dest="fmt",
        required=True,
        choices=list(FORMATS),
        metavar="FORMAT",
        help="the source format (listed below)",
    )
    i.add_argument("path", type=Path, help="the file, export folder or git repository")
    i.add_argument("--tz", help="time zone for timestamps without an offset (e.g. UTC, America/New_York)")
    i.add_argument("--time-field", help="logs/evals: the timestamp field or column (default: detected)")
    i.add_argument("--message-field", help="logs: the message field or column (default: detected)")
    i.add_argument(
        "--since",
        help="only events at or after this time (ISO 8601 with offset; git default: a day before the incident started)",
    )
    i.add_argument("--until", help="only events at or before this time (git default: a day after it resolved)")
    i.add_argument("--min-level", help="logs: keep lines at this level or above (e.g. WARN)")
    i.add_argument("--latency-ms", type=float, help="traces/LLM runs: slower than this is an event")
    i.add_argument("--metric", help="evals: the metric field")
    i.add_argument("--threshold", type=float, help="evals: the threshold it crosses; LLM traces: low scores")
    i.add_argument("--above", action="store_true", help="evals: the bad side is above the threshold")
    i.add_argument("--group", help="evals: one series per value of this field")
    i.add_argument("--channel", help="slack: only this channel")
    i.add_argument("--slack-url", help="slack: https://WORKSPACE.slack.com, to write message links")
    i.add_argument("--notable-only", action="store_true", help="LLM traces: only errors, slow runs, low scores")
    i.add_argument("--accept-all", action="store_true", help="write every new candidate (one commit)")
    i.add_argument("--dry-run", action="store_true", help="list only (the default without --accept-all)")
    i.set_defaults(func=cmd_import)

    d = tl.add_parser(
        "derive-times",
        help="propose key times from the first trigger/detection/mitigation/"
        "resolution entries; --apply writes them (one commit)",
    )
    d.add_argument("id")
    d.add_argument("--apply", action="store_true")
    d.set_defaults(func=cmd_derive)

    g = tl.add_parser("gaps", help="long silences in the timeline: possible [DATA GAP]s")
    g.add_argument("id")
    g.add_argument("--minutes", type=float, help="report silences longer than this (default: adaptive, >= 60)")
    g.set_defaults(func=cmd_gaps)


def _zone(name: str | None):
    try:
        return parse_zone(name)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def options_from(args: argparse.Namespace, incident, label: str) -> ImportOptions:
    since = parse_time(args.since) if args.since else None
    until = parse_time(args.until) if args.until else None
    since, until = default_window(args.fmt, incident, since, until)
    return ImportOptions(
        label=label,
        tz=_zone(args.tz),
        time_field=args.time_field,
        message_field=args.message_field,
        since=since,
        until=until,
        min_level=args.min_level,
        latency_ms=args.latency_ms,
        metric=args.metric,
        threshold=args.threshold,
        direction="above" if args.above else "below",
        group_field=args.group,
        channel=args.channel,
        link_base=args.slack_url,
        notable_only=args.notable_only,
    )


@edits
def cmd_import(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.id)
    path = args.path.expanduser()
    opts = options_from(args, record.incident, source_label(record, path))
    result = run_import(args.fmt, path, opts)
    staged, duplicates = deduplicate(record.incident, result.candidates)
    for s in staged:
        print(f"{s.time:%Y-%m-%d %H:%M:%S}Z  {(s.kind or '-'):<13} {s.event}\n{'':>35}source: {s.source}")
    for problem in result.problems:
        print(f"problem: {problem}")
    print(
        f"{len(staged)} new candidate(s), {len(duplicates)} duplicate(s) of existing entries or each other, "
        f"{result.skipped} record(s) not notable or outside the window, {len(result.problems)} problem(s)."
    )
    if args.accept_all and not args.dry_run:
        for index in range(len(staged)):
            staged = decide(staged, index, "accepted")
        outcome = accept(record.incident, staged)
        if outcome is None:
            print("Nothing to write.")
            return 0
        incident, what, trailers = outcome
        store.save(record, incident, where="timeline", what=what, trailers=trailers)
        head = store.git.head_commit()
        print(f"Committed {head.short}: {head.subject}")
    else:
        print("Dry run: nothing written. Review in the app (Timeline pane, key i) or pass --accept-all.")
    return 0


@edits
def cmd_derive(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.id)
    proposals = propose_times(record.incident)
    if not proposals:
        print("No trigger, detection, mitigation or resolution entries: set entry kinds first.")
        return 0
    for p in proposals:
        current = f"{p.current:%Y-%m-%d %H:%M}Z" if p.current else "unset"
        mark = "  (change)" if p.changes else "  (same)"
        print(f'{p.name:<10} {p.proposed:%Y-%m-%d %H:%M}Z  from {p.entry_id} "{p.event[:60]}"  now {current}{mark}')
    changes = [p for p in proposals if p.changes]
    if args.apply and changes:
        try:
            incident = apply_times(record.incident, changes)
        except ValueError as exc:  # pydantic's ValidationError: said in one line, as `times.<key>: why`
            raise CliError(
                f"the derived times are out of order ({validation_line(exc)}); nothing was written: "
                "fix the kinds of the timeline entries first"
            ) from None
        store.save(
            record,
            incident,
            where="timeline",
            what="derive key times " + ", ".join(f"{p.name} from {p.entry_id}" for p in changes),
        )
        print(f"Committed {store.git.head_commit().short}")
    elif not args.apply:
        print("Not applied: pass --apply to write them.")
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    store = open_store(args)
    incident = store.load(args.id).incident
    gaps = silent_gaps(incident, timedelta(minutes=args.minutes) if args.minutes else None)
    if not gaps:
        print("No long silences in the timeline.")
    for gap in gaps:
        print(
            f"[DATA GAP]? {gap.minutes:.0f} min with no entry: {gap.after.time:%Y-%m-%d %H:%M}Z ({gap.after.id}) "
            f"-> {gap.before.time:%Y-%m-%d %H:%M}Z ({gap.before.id})"
        )
    return 0
