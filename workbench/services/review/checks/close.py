"""Close & track (step 7): every action tracked or owned, and a follow-up review 30–90 days out."""

from __future__ import annotations

from .config import CheckConfig
from .findings import Finding, stage_at_least
from .registry import Rule, register_check
from .text import Context


@register_check(
    "close",
    order=120,
    title="Close & track",
    why="Step 7: actions in the tracker with owners, and a 30–90 day follow-up review.",
    rules=(
        Rule(
            "close.tracked",
            "error",
            "Actions pane (4): press e and enter the Tracker reference or an Owner.",
        ),
        Rule(
            "close.follow-up",
            "error",
            "Overview pane (1): press e and set the Follow-up review date 30–90 days after the postmortem.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    config: CheckConfig = ctx.config  # type: ignore[assignment]  # Context.config is typed object on purpose
    out: list[Finding] = []
    if not stage_at_least(i, "tracking"):
        return out
    for index, a in enumerate(i.actions):
        if a.status == "wont-do":
            continue
        if not a.tracker.strip() and not a.owner.strip():
            out.append(
                Finding(
                    "close.tracked",
                    "error",
                    f"{a.id} has neither a tracker reference nor an owner",
                    "Actions pane (4): press e and enter the Tracker link or ticket (JIRA-123 or a URL), or an Owner.",
                    entry=a.id,
                    field=f"actions[{a.id}].tracker",
                    line=ctx.toml_line(("actions", index)),
                )
            )
        elif not a.tracker.strip():
            out.append(
                Finding(
                    "close.tracked",
                    "info",
                    f"{a.id} is owned by {a.owner} but not in a tracker",
                    "Actions pane (4): press e and fill in Tracker; a reference keeps it visible after the review ends.",
                    entry=a.id,
                    field=f"actions[{a.id}].tracker",
                    line=ctx.toml_line(("actions", index)),
                )
            )
    base = i.postmortem_date or (i.times.resolved.date() if i.times.resolved else None)
    lo, hi = config.follow_up_min_days, config.follow_up_max_days
    if i.follow_up is None:
        out.append(
            Finding(
                "close.follow-up",
                "error",
                "no follow-up review is scheduled",
                f"Overview pane (1): press e and set the Follow-up review date {lo}–{hi} days after the "
                "postmortem, to check that the actions worked.",
                field="follow_up",
                line=ctx.toml_line(("stage",)),
            )
        )
    elif base is None:
        out.append(
            Finding(
                "close.follow-up",
                "warning",
                "follow-up date cannot be checked: no postmortem_date or resolved time",
                "Overview pane (1): press e and set the Postmortem date.",
                field="postmortem_date",
                line=ctx.toml_line(("follow_up",)),
            )
        )
    else:
        days = (i.follow_up - base).days
        if not lo <= days <= hi:
            basis = "postmortem date" if i.postmortem_date else "resolution"
            out.append(
                Finding(
                    "close.follow-up",
                    "error",
                    f"follow-up on {i.follow_up} is {days} days after the "
                    f"{basis} ({base}); the method asks for {lo}–{hi}",
                    f"Overview pane (1): press e and move the Follow-up review date to between {base.fromordinal(base.toordinal() + lo)} and "
                    f"{base.fromordinal(base.toordinal() + hi)}.",
                    field="follow_up",
                    line=ctx.toml_line(("follow_up",)),
                )
            )
    return out
