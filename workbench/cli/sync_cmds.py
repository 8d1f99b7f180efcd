"""Team sync and store safety: sync, merge-driver, setup-merge, conflicts, resolve, remote, move."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..services.sync import conflicts as conflict_service
from ..store import Store, StoreError
from ..store import conflicts as conflict_records
from ..store import sync
from ..store.textio import atomic_write, decode
from ..store.tomlmerge import OURS, THEIRS, MergeError, merge_texts
from .common import CliError, edits, open_store, Subcommands


def register(sub: Subcommands) -> None:
    p = sub.add_parser("sync", help="fetch, rebase your commits onto the store's upstream, push")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--continue", dest="resume", action="store_true", help="go on after resolving conflicts")
    group.add_argument("--abort", action="store_true", help="give up a sync stopped on conflicts")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("merge-driver", help="(run by git) merge incident.toml entry by entry: %%O %%A %%B %%P")
    for name in ("base", "ours", "theirs", "path"):
        p.add_argument(name)
    p.set_defaults(func=cmd_merge_driver)

    p = sub.add_parser("setup-merge", help="register the incident.toml merge driver in this clone")
    p.set_defaults(func=cmd_setup_merge)

    p = sub.add_parser("conflicts", help="fields changed on both sides in a sync, with both values")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("resolve", help="resolve an incident's conflicting fields by choosing a side")
    p.add_argument("id")
    p.add_argument("--take", choices=[OURS, THEIRS], help="this side for every conflicting field")
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="FIELD=SIDE",
        help="this side for one field, e.g. 'timeline[t-3f9a].event=theirs' (repeatable)",
    )
    p.set_defaults(func=cmd_resolve)

    p = sub.add_parser("remote", help="add a git remote (refused for a private store)")
    p.add_argument("action", choices=["add"])
    p.add_argument("name")
    p.add_argument("url")
    p.set_defaults(func=cmd_remote)

    p = sub.add_parser("recover", help="unsaved edits left by a crash (journal) and recovery copies")
    p.add_argument("--discard", metavar="ID", help="forget the journal entries of this incident")
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("move", help="move an incident to another store (one commit in each)")
    p.add_argument("id")
    p.add_argument("--to", required=True, type=Path, metavar="STORE")
    p.set_defaults(func=cmd_move)


def cmd_sync(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        result = sync.sync(store, resume=args.resume, abort=args.abort)
    except sync.SyncConflict as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return 1
    for message in result.messages:
        print(message)
    return 0


def cmd_merge_driver(args: argparse.Namespace) -> int:
    """git's custom merge driver: write the merge into %A; exit 1 when fields conflict (recorded)."""
    root = Path.cwd()  # git runs merge drivers at the top of the work tree
    base_b, ours_b, theirs_b = (Path(p).read_bytes() for p in (args.base, args.ours, args.theirs))
    label = Path(args.path)
    try:
        base, ours, theirs = (decode(b, label) for b in (base_b, ours_b, theirs_b))
        merged, conflicts = merge_texts(base.text, ours.text, theirs.text)
    except (MergeError, StoreError) as exc:
        print(f"workbench merge-driver: {args.path}: {exc}; leaving it to git's line merge", file=sys.stderr)
        return _line_merge(args)
    atomic_write(Path(args.ours), ours.encode(merged))
    private_dir = root / ".workbench"
    incident_id = label.parent.name
    if not conflicts:
        conflict_records.forget(private_dir, incident_id)
        return 0
    rebasing = any((root / ".git" / d).exists() for d in ("rebase-merge", "rebase-apply"))
    labels = (
        ("upstream (already shared)", "yours (being rebased)") if rebasing else ("this branch", "the merged branch")
    )
    conflict_records.record(private_dir, args.path, (base_b, ours_b, theirs_b), conflicts, labels)
    fields = ", ".join(c.field for c in conflicts)
    print(
        f"workbench merge-driver: {args.path}: changed on both sides: {fields}. The file keeps "
        f"{labels[0]}'s values for now; choose with `workbench conflicts` / `workbench resolve`.",
        file=sys.stderr,
    )
    return 1


def _line_merge(args: argparse.Namespace) -> int:
    import subprocess

    done = subprocess.run(
        ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", "--", args.ours, args.base, args.theirs],
        check=False,
    )
    return 0 if done.returncode == 0 else 1


@edits
def cmd_setup_merge(args: argparse.Namespace) -> int:
    store = open_store(args)
    for note in sync.setup_merge(store):
        print(note)
    store.git.configure_durability()
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    store = open_store(args)
    found = conflict_service.open_conflicts(store)
    if not found.incidents:
        left = found.other_files
        print("no field conflicts" + (f"; other unmerged files: {', '.join(left)}" if left else ""))
        return 0
    for conflict in found.incidents:
        print(f"{conflict.incident_id} ({conflict.path}):")
        for f in conflict.fields:
            print(
                f"  {f['field']}\n    base:   {f['base']}\n    {OURS}:   {f['ours']}   [{conflict.ours_label}]"
                f"\n    {THEIRS}: {f['theirs']}   [{conflict.theirs_label}]"
            )
    print(
        "choose with `workbench resolve ID --take ours|theirs` or `--field FIELD=ours|theirs` "
        "(or in the app: Conflicts)"
    )
    return 1


@edits
def cmd_resolve(args: argparse.Namespace) -> int:
    store = open_store(args)
    fields: dict[str, str] = {}
    for item in args.field:
        name, sep, side = item.rpartition("=")
        if not sep or side not in (OURS, THEIRS):
            raise CliError(f"--field {item!r}: write FIELD=ours or FIELD=theirs")
        fields[name] = side
    left = conflict_service.resolve(store, args.id, take=args.take, fields=fields)
    if left:
        print(f"still to choose for {args.id}: {', '.join(left)}")
        return 1
    print(f"resolved {args.id}; run `workbench sync --continue` to finish the sync")
    return 0


def cmd_remote(args: argparse.Namespace) -> int:
    store = open_store(args)
    sync.add_remote(store, args.name, args.url)
    print(f"added remote {args.name}: {args.url}")
    return 0


@edits
def cmd_move(args: argparse.Namespace) -> int:
    store = open_store(args)
    target = Store(args.to.expanduser())
    dest = store.move_to(args.id, target)
    print(f"moved {args.id} to {target.display(dest)} in {target.root} (one commit in each store)")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from ..store import recovery

    store = open_store(args)
    if args.discard:
        store.journal.clear(args.discard)
        print(f"discarded the unsaved edits of {args.discard}")
        return 0
    pending = store.journal.pending()
    for entry in pending:
        print(f"unsaved  {entry.incident_id}  {entry.pane:<14} {entry.saved_at:%Y-%m-%d %H:%M} UTC  {entry.preview()}")
    kept = recovery.list_kept(store.private_dir)
    for folder in kept:
        print(f"kept     {folder.parent.name}  {store.display(folder)}")
    if not pending and not kept:
        print("nothing to recover")
    elif pending:
        print("open the incident in the workbench to restore an unsaved edit, or `workbench recover --discard ID`")
    return 0
