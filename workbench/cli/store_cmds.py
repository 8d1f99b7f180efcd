"""init, new, list, show, validate, history, restore, demo, and opening the TUI."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from ..domain.ids import new_incident_id
from ..domain.model import Incident, KeyTimes, severity_label
from ..services.bundled import default_taxonomy_text, example_store
from .textview import render_incident
from ..services.validation.files import validate_store, validate_warnings
from ..store import Store
from .common import CliError, edits, open_store, Subcommands, table


def register(sub: Subcommands) -> None:
    p = sub.add_parser("init", help="create a new store: a git repository with taxonomy.toml and incidents/")
    p.add_argument("dir", type=Path)
    p.add_argument(
        "--private",
        action="store_true",
        help="a private store: never gets a remote, never pushed (marked in its tracked store.toml)",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("new", help="create an incident (id from start date + title)")
    p.add_argument("title")
    p.add_argument("--severity", choices=["P0", "P1", "P2"], default="P2")
    p.add_argument("--started", help="start time, ISO 8601 with offset or Z (default: now)")
    p.add_argument("--kind", choices=["incident", "near-miss"], default="incident")
    p.add_argument("--light", action="store_true", help="a light review instead of a full postmortem")
    p.add_argument("--id", help="use this id instead of one made from date and title")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("list", help="table of incidents")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="an incident as readable text")
    p.add_argument("id")
    p.add_argument("--at", metavar="REV", help="as it was at this commit")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("validate", help="check every file; exit 1 when anything is wrong")
    p.add_argument("path", nargs="?", type=Path, help="an incident folder or the store (default: the store)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("history", help="an incident's commits")
    p.add_argument("id")
    p.add_argument("--diff", metavar="REV", help="show the diff of this commit for the incident")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("restore", help="restore an incident as it was at REV, as a new commit")
    p.add_argument("id")
    p.add_argument("rev")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("demo", help="open the workbench on your copy of the bundled example store")
    p.add_argument("--fresh", action="store_true", help="start again from a fresh copy (the old one is kept)")
    p.add_argument("--print", action="store_true", help="print where the store is and its incidents; no TUI")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("open", help="open the workbench (the default when no command is given)")
    p.add_argument("--read-only", action="store_true", help="view only: every edit is refused")
    p.set_defaults(func=cmd_open)


def parse_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise CliError(f"{text!r} is not an ISO 8601 time (e.g. 2025-08-05T16:00:00Z)") from None
    if value.tzinfo is None:
        raise CliError(f"{text!r} has no offset; add 'Z' for UTC or an offset like +02:00")
    return value.astimezone(timezone.utc)


def cmd_init(args: argparse.Namespace) -> int:
    store = Store.init(args.dir, default_taxonomy_text(), private=getattr(args, "private", False))
    kind = "a private store" if store.private else "a store"
    print(f"Created {kind} at {store.root} (branch {store.git.branch()}).")
    for note in store.guard_notes:
        print(note)
    return 0


@edits
def cmd_new(args: argparse.Namespace) -> int:
    store = open_store(args)
    started = parse_time(args.started) if args.started else datetime.now(timezone.utc).replace(microsecond=0)
    incident_id = args.id or new_incident_id(started.date(), args.title, set(store.ids()))
    try:
        incident = Incident(
            id=incident_id,
            title=args.title,
            severity=args.severity,
            kind=args.kind,
            review="light" if args.light else "full",
            times=KeyTimes(started=started),
        )
    except ValidationError as exc:  # a bad --id or title: say which and why, not a traceback
        raise CliError(
            "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
                for e in exc.errors(include_url=False)
            )
        ) from None
    record = store.create(incident)
    print(f"Created {record.id} in {store.display(record.folder)}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    result = store.load_all()
    rows = []
    for r in sorted(
        result.records,
        key=lambda r: r.incident.times.started or datetime.min.replace(tzinfo=timezone.utc),
        reverse=True,
    ):
        i = r.incident
        started = f"{i.times.started:%Y-%m-%d %H:%M}" if i.times.started else "—"
        rows.append([i.id, severity_label(i.severity), i.stage, started, str(len(i.open_actions())), i.title])
    print(table(["ID", "SEV", "STAGE", "STARTED (UTC)", "OPEN", "TITLE"], rows))
    for problem in result.problems:
        print(f"could not load: {problem}", file=sys.stderr)
    return 1 if result.problems else 0


def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.show_at(args.id, args.at) if args.at else store.load(args.id)
    sys.stdout.write(render_incident(record.incident, record.narrative))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    store = open_store(args)
    loaded = store.load_all()  # once, for the problems and the warnings
    problems = validate_store(store, args.path, loaded)
    for problem in problems:
        print(problem)
    for warning in validate_warnings(store, args.path, loaded):  # on stderr: they never fail validation
        print(warning, file=sys.stderr)
    if not problems:
        print(f"ok: {len(store.ids())} incidents and taxonomy.toml are valid", file=sys.stderr)
    return 1 if problems else 0


def cmd_history(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.diff:
        sys.stdout.write(store.diff(args.id, args.diff))
        return 0
    rows = [
        [c.short, c.time.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M"), c.author, c.subject]
        for c in store.history(args.id)
    ]
    print(table(["COMMIT", "WHEN (UTC)", "AUTHOR", "MESSAGE"], rows))
    return 0


@edits
def cmd_restore(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.restore(store.load(args.id), args.rev)
    print(f"Restored {record.id} to its version at {args.rev} as a new commit.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    store = example_store(fresh=args.fresh)
    if args.print:
        print(f"Example store: {store.root}")
        return cmd_list(argparse.Namespace(store=str(store.root)))
    return _run_tui(store)


def cmd_open(args: argparse.Namespace) -> int:
    return _run_tui(open_store(args), read_only=getattr(args, "read_only", False))


def _run_tui(store: Store, *, read_only: bool = False) -> int:
    from ..ui.app import run  # Textual is imported only here

    return run(store, read_only=read_only)
