"""`workbench taxonomy list|show|add|edit|rename|merge|deprecate|map`: the living taxonomy from the shell."""

from __future__ import annotations

import argparse
import sys

from ..domain.taxonomy import Mappings, Mode
from ..services.taxonomy.frameworks import framework_mapping, render_mapping_text
from ..services.taxonomy.edit import (
    add_mode,
    commit_edit,
    deprecate_mode,
    edit_mode,
    load_for_edit,
    merge_modes,
    rename_mode,
    suggested_id,
)
from ..services.taxonomy.search import TaxonomyIndex
from ..services.taxonomy.usage import usage_by_mode
from .common import CliError, edits, open_store, Subcommands, table
from .index_source import incident_profiles


def register(sub: Subcommands) -> None:
    p = sub.add_parser("taxonomy", help="browse and edit the failure-mode taxonomy (each edit is one commit)")
    tsub = p.add_subparsers(dest="taxonomy_command", metavar="ACTION", required=True)

    q = tsub.add_parser("list", help="modes by family, with how many incidents use each")
    q.add_argument("query", nargs="?", default="", help="fuzzy filter by name, id, keywords, description, hints")
    q.add_argument("--family", help="only this family")
    q.add_argument("--live", action="store_true", help="leave out deprecated modes")
    q.set_defaults(func=cmd_list)

    q = tsub.add_parser("show", help="a mode: description, detection hints, mappings, incidents and causes")
    q.add_argument("id", help="a mode id or alias")
    q.set_defaults(func=cmd_show)

    q = tsub.add_parser("add", help="add a mode")
    q.add_argument("--family", required=True)
    q.add_argument("--name", required=True)
    q.add_argument("--description", required=True)
    q.add_argument("--id", help="default: FAMILY.slug-of-name")
    _content_args(q)
    q.set_defaults(func=cmd_add)

    q = tsub.add_parser("edit", help="change a mode's name, family, description, hints, keywords or mappings")
    q.add_argument("id")
    q.add_argument("--name")
    q.add_argument("--family")
    q.add_argument("--description")
    _content_args(q, replace=True)
    q.set_defaults(func=cmd_edit)

    q = tsub.add_parser("rename", help="give a mode a new id; the old id stays as an alias")
    q.add_argument("old")
    q.add_argument("new")
    q.add_argument("--name", help="a new display name as well")
    q.set_defaults(func=cmd_rename)

    q = tsub.add_parser("merge", help="fold mode ABSORBED into mode INTO; tags of ABSORBED then resolve to INTO")
    q.add_argument("absorbed")
    q.add_argument("into")
    q.add_argument(
        "--keep-as",
        choices=["alias", "replaced-by"],
        default="alias",
        help="alias: ABSORBED's id becomes an alias of INTO (default); replaced-by: ABSORBED stays, "
        "deprecated, with replaced_by = INTO",
    )
    q.set_defaults(func=cmd_merge)

    q = tsub.add_parser("deprecate", help="mark a mode deprecated (validate then warns about its tags)")
    q.add_argument("id")
    q.add_argument("--replaced-by", metavar="ID")
    q.add_argument("--reason", default="", help="why, for the commit message")
    q.set_defaults(func=cmd_deprecate)

    q = tsub.add_parser("map", help="an incident's framework references (information only, not legal advice)")
    q.add_argument("incident")
    q.set_defaults(func=cmd_map)


def _content_args(p: argparse.ArgumentParser, replace: bool = False) -> None:
    verb = "replaces the list" if replace else "repeatable"
    p.add_argument("--detection", action="append", metavar="HINT", help=f"a detection hint ({verb})")
    p.add_argument("--keyword", action="append", metavar="WORD", help=f"a keyword ({verb})")
    p.add_argument("--atlas", action="append", metavar="AML.T0000", help=f"a MITRE ATLAS id ({verb})")
    p.add_argument("--owasp", action="append", metavar="LLM01:2025", help=f"an OWASP LLM Top 10 id ({verb})")
    p.add_argument(
        "--nist",
        action="append",
        choices=["govern", "map", "measure", "manage"],
        help=f"a NIST AI RMF function ({verb})",
    )


def _report(commit, what: str) -> int:
    if commit is None:
        print(f"nothing changed: {what}")
    else:
        print(f"{commit.short} {commit.subject}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy = store.load_taxonomy()
    uses = usage_by_mode(incident_profiles(store), taxonomy)
    hits = TaxonomyIndex(taxonomy).search(args.query, limit=None, include_deprecated=not args.live)
    rows = []
    for hit in hits:
        mode = hit.mode
        if args.family and mode.family != args.family:
            continue
        incidents = len({u.incident_id for u in uses.get(mode.id, [])})
        state = ""
        if mode.deprecated:
            state = f"deprecated -> {mode.replaced_by}" if mode.replaced_by else "deprecated"
        row = [mode.id, mode.name, str(incidents), state]
        if args.query:
            row.append(f"{hit.score:.0f} {hit.field}")
        rows.append(row)
    headers = ["ID", "NAME", "INCIDENTS", "STATE"] + (["MATCH"] if args.query else [])
    print(table(headers, rows))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy = store.load_taxonomy()
    mode = taxonomy.resolve(args.id)
    if mode is None:
        raise CliError(f"no mode or alias {args.id!r} in taxonomy.toml")
    exact = next((m for m in taxonomy.modes if m.id == args.id), None)
    family = taxonomy.family(mode.family)
    lines = []
    if exact is not None and exact is not mode:
        lines.append(f"{args.id} is deprecated and replaced by {mode.id}; showing {mode.id}.\n")
    elif exact is None:
        lines.append(f"{args.id} is an old id (alias) of {mode.id}.\n")
    lines += [f"{mode.name}  ({mode.id})", f"family      {family.name if family else mode.family}"]
    if mode.deprecated:
        lines.append("state       deprecated" + (f", replaced by {mode.replaced_by}" if mode.replaced_by else ""))
    if mode.aliases:
        lines.append(f"aliases     {', '.join(mode.aliases)}")
    if mode.keywords:
        lines.append(f"keywords    {', '.join(mode.keywords)}")
    lines += ["", mode.description]
    if mode.detection:
        lines += ["", "Detection hints"] + [f"  - {d}" for d in mode.detection]
    m = mode.mappings
    if m.atlas or m.owasp_llm or m.nist_ai_rmf:
        lines += ["", "Mappings (references only)"]
        if m.atlas:
            lines.append(f"  MITRE ATLAS      {', '.join(m.atlas)}")
        if m.owasp_llm:
            lines.append(f"  OWASP LLM 2025   {', '.join(m.owasp_llm)}")
        if m.nist_ai_rmf:
            lines.append(f"  NIST AI RMF      {', '.join(m.nist_ai_rmf)}")
    uses = usage_by_mode(incident_profiles(store), taxonomy).get(mode.id, [])
    lines += ["", f"Tagged in {len({u.incident_id for u in uses})} incident(s)"]
    for use in uses:
        via = f" (as {use.tag})" if use.tag != mode.id else ""
        if use.cause_id:
            lines.append(f"  {use.incident_id}  cause {use.cause_id}{via}: {use.cause_statement}")
        else:
            lines.append(f"  {use.incident_id}  incident{via}")
    print("\n".join(lines))
    return 0


def _mappings(args: argparse.Namespace, current: Mappings | None = None) -> Mappings | None:
    if not (args.atlas or args.owasp or args.nist):
        return None
    base = current or Mappings()
    return Mappings(
        atlas=args.atlas if args.atlas is not None else base.atlas,
        owasp_llm=args.owasp if args.owasp is not None else base.owasp_llm,
        nist_ai_rmf=args.nist if args.nist is not None else base.nist_ai_rmf,
    )


@edits
def cmd_add(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy, base = load_for_edit(store)
    try:
        mode = Mode(
            id=args.id or suggested_id(args.family, args.name),
            name=args.name,
            family=args.family,
            description=args.description,
            detection=args.detection or [],
            keywords=args.keyword or [],
            mappings=_mappings(args) or Mappings(),
        )
    except ValueError as exc:
        raise CliError(_first_error(exc)) from None
    edit = add_mode(taxonomy, mode)
    return _report(commit_edit(store, edit, base), edit.what)


@edits
def cmd_edit(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy, base = load_for_edit(store)
    current = next((m for m in taxonomy.modes if m.id == args.id), None)
    changes = {k: getattr(args, k) for k in ("name", "family", "description") if getattr(args, k) is not None}
    if args.detection is not None:
        changes["detection"] = args.detection
    if args.keyword is not None:
        changes["keywords"] = args.keyword
    mappings = _mappings(args, current.mappings if current else None)
    if mappings is not None:
        changes["mappings"] = mappings
    if not changes:
        raise CliError(
            "say what to change: --name, --family, --description, --detection, --keyword, --atlas, --owasp or --nist"
        )
    edit = edit_mode(taxonomy, args.id, **changes)
    return _report(commit_edit(store, edit, base), edit.what)


@edits
def cmd_rename(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy, base = load_for_edit(store)
    edit = rename_mode(taxonomy, args.old, args.new, args.name)
    return _report(commit_edit(store, edit, base), edit.what)


@edits
def cmd_merge(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy, base = load_for_edit(store)
    edit = merge_modes(taxonomy, args.absorbed, args.into, "alias" if args.keep_as == "alias" else "replaced_by")
    return _report(commit_edit(store, edit, base), edit.what)


@edits
def cmd_deprecate(args: argparse.Namespace) -> int:
    store = open_store(args)
    taxonomy, base = load_for_edit(store)
    edit = deprecate_mode(taxonomy, args.id, args.replaced_by, args.reason)
    return _report(commit_edit(store, edit, base), edit.what)


@edits
def cmd_map(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.incident)
    sys.stdout.write(render_mapping_text(framework_mapping(record.incident, store.load_taxonomy())))
    return 0


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors(include_url=False)[0]
        return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
    return str(exc)
