"""`workbench evidence add|remove|list` and `workbench collection` (the data-collection checklist)."""

from __future__ import annotations

import argparse
import sys

from ..domain.model import SOURCE_KINDS, SOURCE_LABELS
from ..services.evidence.collection import checklist, mark
from ..services.evidence.locker import add_evidence, human_size, remove_evidence
from .common import CliError, edits, open_store, Subcommands, table


def register(sub: Subcommands) -> None:
    p = sub.add_parser("evidence", help="the evidence locker: files kept (hashed) beside an incident, or references")
    ev = p.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    a = ev.add_parser(
        "add",
        help="copy files into the incident's evidence/ folder (one commit), or record "
        "references (git repositories, URLs, --reference)",
    )
    a.add_argument("id")
    a.add_argument("items", nargs="+", metavar="FILE", help="files, git repository folders or URLs")
    a.add_argument("--describe", default="", metavar="TEXT", help="what this evidence is")
    a.add_argument("--sensitive", action="store_true", help="mark as sensitive (PII, secrets, customer data)")
    a.add_argument("--reference", action="store_true", help="record path and SHA-256 only; do not copy")
    a.add_argument("--kind", choices=[*SOURCE_KINDS, "other"], help="the kind of source (guessed from the name)")
    a.add_argument(
        "--max-size",
        type=int,
        metavar="BYTES",
        help="largest file copied into the store (default 10 MiB, or $WORKBENCH_EVIDENCE_MAX_BYTES)",
    )
    a.set_defaults(func=cmd_add)
    rm = ev.add_parser(
        "remove", help="take an item off the manifest and delete its kept copy (one commit; git history keeps the file)"
    )
    rm.add_argument("id")
    rm.add_argument("evidence_id", metavar="EVIDENCE_ID")
    rm.add_argument("--reason", default="", help="why (goes into the commit message)")
    rm.set_defaults(func=cmd_remove)
    ls = ev.add_parser("list", help="the evidence manifest of an incident")
    ls.add_argument("id")
    ls.set_defaults(func=cmd_list)

    c = sub.add_parser("collection", help="the data-collection checklist: which sources were gathered")
    c.add_argument("id")
    c.add_argument("source", nargs="?", choices=SOURCE_KINDS, help="a source to mark")
    c.add_argument("status", nargs="?", choices=["gathered", "not-needed", "missing"])
    c.add_argument("--evidence", nargs="*", default=[], metavar="EVIDENCE_ID", help="for gathered: which evidence")
    c.add_argument("--reason", default="", help="why not needed, or what is missing and how to get it")
    c.set_defaults(func=cmd_collection)


@edits
def cmd_add(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.id)
    new, added = add_evidence(
        store,
        record,
        args.items,
        description=args.describe,
        sensitive=args.sensitive,
        reference=args.reference,
        kind=args.kind,
        max_bytes=args.max_size,
    )
    for entry in added:
        where = entry.path or entry.reference
        extra = f" @ {entry.revision[:10]}" if entry.revision else ""
        print(
            f"{entry.id}  {entry.kind:<14} {where}{extra}  {human_size(entry.size)}"
            + (f"  sha256 {entry.sha256[:12]}…" if entry.sha256 else "")
            + ("  SENSITIVE" if entry.sensitive else "")
        )
    print(f"Committed {store.git.head_commit().short}: {store.git.head_commit().subject}")
    return 0


@edits
def cmd_remove(args: argparse.Namespace) -> int:
    store = open_store(args)
    removed = remove_evidence(store, store.load(args.id), args.evidence_id, args.reason)
    print(f"Committed {store.git.head_commit().short}: {store.git.head_commit().subject}")
    if removed.sources:
        print(f"Timeline entries citing it keep their source text: {', '.join(removed.sources)}")
    if removed.left_behind:
        print(f"warning: {removed.left_behind}", file=sys.stderr)
        return 1
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    incident = store.load(args.id).incident
    if not incident.evidence:
        print("No evidence yet: `workbench evidence add ID FILE...`")
        return 0
    rows = [
        [
            e.id,
            e.kind,
            e.path or e.reference,
            human_size(e.size),
            e.sha256[:12],
            f"{e.added:%Y-%m-%d %H:%M}Z" if e.added else "",
            e.added_by,
            ("SENSITIVE " if e.sensitive else "") + e.description,
        ]
        for e in incident.evidence
    ]
    print(table(["ID", "KIND", "WHERE", "SIZE", "SHA-256", "ADDED (UTC)", "BY", "DESCRIPTION"], rows))
    return 0


@edits
def cmd_collection(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.id)
    if args.source:
        if not args.status:
            raise CliError("give a status: gathered, not-needed or missing")
        record = mark(store, record, args.source, args.status, evidence=args.evidence, reason=args.reason)
        print(f"Committed {store.git.head_commit().short}: {store.git.head_commit().subject}")
    rows = []
    for line in checklist(record.incident):
        rows.append([SOURCE_LABELS[line.source], line.status, ", ".join(line.evidence), line.note])
    print(table(["SOURCE", "STATUS", "EVIDENCE", "NOTE"], rows))
    return 0
