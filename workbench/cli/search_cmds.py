"""`workbench search QUERY`: the same engine and index as the app, from the command line."""

from __future__ import annotations

import argparse
import os
import sys

from ..services.search import Hit
from ..services.search.oneshot import search_once
from .common import CliError, Subcommands, index_progress, open_store_root

_MARK_ON, _MARK_OFF = "\x1b[1;4;33m", "\x1b[0m"


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "search",
        help="search every incident and the taxonomy (fuzzy; filters like severity:P0 tag:rag)",
        description="Search every incident and the taxonomy. Words match with typos, in any order and as "
        'prefixes; "quoted phrases" match as written. Filters: severity:P0 stage:analysis tag:rag '
        "mode:<taxonomy id> owner:NAME status:open before:2025-06 after:2024-12-01 is:overdue (negate with "
        "a leading '-', alternatives with commas). Exit status: 0 found, 1 nothing found, 2 error.",
    )
    p.add_argument("query", nargs="+", help="words, phrases and filters (quote the whole query or not)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    p.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="mark matched characters with colour (default: when printing to a terminal)",
    )
    p.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    root = open_store_root(args)
    text = " ".join(args.query)
    # An index that is current answers from its files without numpy (services/search/oneshot.py); anything
    # to catch up with, build or score in bulk goes through the engine, which gives the same hits.
    result = search_once(root, text, args.limit)
    rebuilt, updated = "", 0
    if result is None:
        from ..services.search import SearchEngine

        engine = SearchEngine(root)
        changes = engine.open(progress=None if args.json else index_progress())
        rebuilt, updated = changes.rebuilt, len(changes.added) + len(changes.changed) + len(changes.removed)
        result = engine.search(text, limit=args.limit)
    if result.error is not None:
        raise CliError(f"bad query: {result.error}")
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "query": " ".join(args.query),
                    "total": result.total,
                    "hits": [h.to_json() for h in result.hits],
                    "index": {"rebuilt": rebuilt or None, "updated": updated},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0 if result.hits else 1
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    if not result.hits:
        print(f"nothing found for {' '.join(args.query)!r}", file=sys.stderr)
        return 1
    for number, hit in enumerate(result.hits, start=1):
        print(_headline(number, hit))
        print(f"    {hit.field}: {mark(hit, color)}")
    more = result.total - len(result.hits)
    if more > 0:
        print(f"… and {more} more (use --limit)", file=sys.stderr)
    return 0


def _headline(number: int, hit: Hit) -> str:
    if hit.type == "mode":
        return f"{number:>2}. {hit.id}  [taxonomy mode]  {hit.title}"
    e = hit.excerpt
    problem = f"  ({e.extra['problem']})" if e.extra.get("problem") else ""
    return f"{number:>2}. {hit.id}  {e.severity or 'not set'}  {e.stage}  {e.started or 'undated'}{problem}"


def mark(hit: Hit, color: bool) -> str:
    """The snippet with its matched characters marked: colour on a terminal, [brackets] elsewhere."""
    on, off = (_MARK_ON, _MARK_OFF) if color else ("[", "]")
    out, at = [], 0
    for span in hit.spans:
        out += [hit.snippet[at : span.start], on, hit.snippet[span.start : span.end], off]
        at = span.end
    out.append(hit.snippet[at:])
    return "".join(out)
