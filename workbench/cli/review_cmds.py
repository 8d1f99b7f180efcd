"""`workbench review comment|resolve|signoff|list` and `workbench stage`: the review flow from a terminal."""

from __future__ import annotations

import argparse

from ..domain.model import STAGE_LABELS, STAGES
from ..services.review.method_guide import evidence_coverage, guide
from ..services.review.steps import add_comment, move_stage, resolve_comment, signoff
from ..services.review.stages import GateBlocked, criteria, next_stage
from ..store.reviewfile import load_review
from .common import CliError, edits, open_store, Subcommands, table


def register(sub: Subcommands) -> None:
    review = sub.add_parser("review", help="review comments and stage sign-off (stored in review.toml)")
    rsub = review.add_subparsers(dest="review_command", metavar="STEP", required=True)

    p = rsub.add_parser("comment", help="comment on an entry (t-…, c-…, AI-001) or a section")
    p.add_argument("id")
    p.add_argument(
        "--on",
        required=True,
        metavar="ENTRY_OR_SECTION",
        help="an entry id, a postmortem.md section ('Technical Analysis'), or impact, summary, ...",
    )
    p.add_argument("text", nargs="+")
    p.set_defaults(func=cmd_comment)

    p = rsub.add_parser("resolve", help="resolve a review comment")
    p.add_argument("id")
    p.add_argument("comment_id")
    p.add_argument("--note", default="", help="how it was resolved")
    p.set_defaults(func=cmd_resolve)

    p = rsub.add_parser("signoff", help="sign off a stage: adds a Reviewed-by: trailer to the commit")
    p.add_argument("id")
    p.add_argument("--stage", choices=list(STAGES), help="default: the incident's current stage")
    p.add_argument("--override", metavar="REASON", help="sign off despite open comments or errors; recorded")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_signoff)

    p = rsub.add_parser("list", help="review comments, sign-offs and meeting notes")
    p.add_argument("id")
    p.add_argument("--all", action="store_true", help="include resolved comments")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "stage",
        help="show what the method asks now and the next stage's entry criteria; with TO, move there through the gate",
    )
    p.add_argument("id")
    p.add_argument("to", nargs="?", choices=list(STAGES))
    p.add_argument("--override", metavar="REASON", help="move despite unmet criteria; recorded in the commit")
    p.set_defaults(func=cmd_stage)


@edits
def cmd_comment(args: argparse.Namespace) -> int:
    store = open_store(args)
    _, comment = add_comment(store, args.id, args.on, " ".join(args.text))
    print(f"Added comment {comment.id} on {comment.on}.")
    return 0


@edits
def cmd_resolve(args: argparse.Namespace) -> int:
    store = open_store(args)
    resolve_comment(store, args.id, args.comment_id, args.note)
    print(f"Resolved {args.comment_id}.")
    return 0


@edits
def cmd_signoff(args: argparse.Namespace) -> int:
    store = open_store(args)
    _, trailers = signoff(store, args.id, args.stage, override=args.override, note=args.note)
    print("Signed off; the commit carries:\n  " + "\n  ".join(trailers))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    review = load_review(store, args.id).review
    comments = review.comments if args.all else review.open_comments()
    rows = [
        [c.id, "resolved" if c.resolved else "open", c.on, c.author, f"{c.at:%Y-%m-%d %H:%M}", c.text] for c in comments
    ]
    print(table(["COMMENT", "STATE", "ON", "BY", "AT (UTC)", "TEXT"], rows))
    if review.signoffs:
        print()
        print(
            table(
                ["STAGE", "SIGNED OFF BY", "AT (UTC)"],
                [[s.stage, f"{s.name} <{s.email}>", f"{s.at:%Y-%m-%d %H:%M}"] for s in review.signoffs],
            )
        )
    if review.meeting:
        print()
        print(
            table(
                ["NOTE", "KIND", "AT (UTC)", "SECTION", "TEXT"],
                [[m.id, m.kind, f"{m.at:%Y-%m-%d %H:%M}", m.section, m.text] for m in review.meeting],
            )
        )
    return 0


@edits
def cmd_stage(args: argparse.Namespace) -> int:
    store = open_store(args)
    record = store.load(args.id)
    if args.to:
        try:
            saved, trailers = move_stage(store, record, args.to, override=args.override)
        except GateBlocked as exc:
            raise CliError(str(exc)) from None
        print(
            f"{saved.id} is now at {STAGE_LABELS[saved.incident.stage]}."
            + ("\n  " + "\n  ".join(trailers) if trailers else "")
        )
        return 0
    stage = record.incident.stage
    g = guide()[stage]
    print(f"{record.id}: {STAGE_LABELS[stage]} — {g.goal}\n\nWhat the method asks now:")
    for ask in g.asks:
        print(f"  - {ask}")
    if g.sources:
        print("\nData-collection checklist (sources cited so far):")
        for kind, count in evidence_coverage(record.incident):
            print(f"  [{'x' if count else ' '}] {kind.label}" + (f" ({count})" if count else ""))
    for title, items in (("5 Whys", g.five_whys), ("Barrier analysis", g.barrier_questions), ("Lenses", g.lenses)):
        if items:
            print(f"\n{title}:")
            for n, item in enumerate(items, start=1):
                print(f"  {n}. {item}")
    following = next_stage(stage)
    if following:
        rr = load_review(store, record.id, record.folder)
        print(f"\nTo enter {STAGE_LABELS[following]}:")
        for c in criteria(record.incident, following, record.narrative, review=rr.review, toml_text=record.toml.text):
            print(f"  [{'x' if c.met else ' '}] {c.label}" + (f" — {c.detail}" if c.detail else ""))
    return 0
