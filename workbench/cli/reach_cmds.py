"""`workbench notify`: overdue actions and due follow-up reviews posted to a chat webhook."""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..services.clock import today as clock_today
from ..services.followup.due import due_report
from ..services.followup.reminders import Notice, plain_payload, slack_payload
from ..services.followup.webhook import WebhookError, post_json, where
from .common import CliError, open_store, Subcommands

WEBHOOK_ENV = "WORKBENCH_WEBHOOK"


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "notify", help="post overdue actions and due follow-ups to a webhook (Slack-compatible or plain JSON)"
    )
    p.add_argument(
        "--webhook",
        metavar="URL",
        help=f"where to POST (default ${WEBHOOK_ENV}, which keeps a Slack webhook's secret out of crontab and ps)",
    )
    p.add_argument(
        "--format",
        choices=["slack", "json"],
        default="slack",
        help="slack: incoming-webhook text + blocks (default); json: a plain document for other receivers",
    )
    p.add_argument("--within", type=int, default=7, metavar="N", help="follow-up reviews due within N days (default 7)")
    p.add_argument("--retries", type=int, default=3, metavar="N", help="attempts after the first (default 3)")
    p.add_argument(
        "--backoff",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="first wait between attempts, doubled each time, at most 30 s (default 2)",
    )
    p.add_argument("--always", action="store_true", help="post even when nothing is due (a daily all-clear)")
    p.add_argument("--dry-run", action="store_true", help="print the payload; post nothing")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_notify)


def cmd_notify(args: argparse.Namespace) -> int:
    url = args.webhook or os.environ.get(WEBHOOK_ENV, "").strip() or None
    if url is None and not args.dry_run:
        raise CliError(f"give --webhook URL (or set ${WEBHOOK_ENV}), or --dry-run to see the message")
    if args.within < 0 or args.retries < 0 or args.retries > 10 or args.backoff < 0:
        raise CliError("--within is 0 or more days; --retries from 0 to 10; --backoff 0 or more seconds")
    store = open_store(args)
    result = store.load_all()
    for problem in result.problems:
        print(f"skipped (could not load): {problem}", file=sys.stderr)
    report = due_report([r.incident for r in result.records], clock_today(args.today), args.within)
    notice = Notice(store.root.name, report)
    payload = slack_payload(notice) if args.format == "slack" else plain_payload(notice)
    summary = (
        f"{len(report.overdue_actions)} overdue action(s), {len(report.follow_ups)} follow-up review(s) "
        f"due within {args.within} days"
    )
    if args.dry_run:
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        target = where(url) if url else "no webhook given"
        print(
            f"dry run: {summary}; would post to {target}"
            + ("" if not notice.empty or args.always else " (nothing due: would not post)"),
            file=sys.stderr,
        )
        return 0
    assert url is not None
    if notice.empty and not args.always:
        print(f"Nothing overdue or due: nothing posted ({summary}).")
        return 0
    try:
        delivery = post_json(url, payload, retries=args.retries, backoff=args.backoff)
    except WebhookError as exc:
        raise CliError(str(exc)) from None
    retried = f" after {delivery.attempts} attempts ({'; '.join(delivery.notes)})" if delivery.attempts > 1 else ""
    print(f"Posted to {where(url)}: {summary}{retried}.")
    return 0
