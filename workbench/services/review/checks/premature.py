"""No premature fixes (hard rule 3): actions may be drafted any time, but the report cannot move past
multi-lens analysis until a root cause is recorded, and every action must address a cause."""

from __future__ import annotations

from ....domain.model import Incident
from .findings import Finding, by_stage, stage_at_least
from .registry import Rule, register_check
from .text import Context

ROOT_KINDS = ("proximate", "systemic")


def has_root_cause(incident: Incident) -> bool:
    """A confirmed proximate or systemic cause: the "why" is explored and written down."""
    return any(c.status == "confirmed" and c.kind in ROOT_KINDS for c in incident.causes)


@register_check(
    "premature",
    order=50,
    title="No premature fixes",
    why="Hard rule 3: no solutions until the why is explored and documented.",
    rules=(
        Rule(
            "premature.no-root-cause",
            "error",
            "Causes pane (3): press l to link evidence to a proximate or systemic cause and h to confirm it, or move the stage back with [.",
        ),
        Rule(
            "premature.action-without-cause",
            "error",
            "Actions pane (4): press l and link the cause(s) the action removes.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    if stage_at_least(i, "synthesis") and not has_root_cause(i):
        hypotheses = [c.id for c in i.causes if c.kind in ROOT_KINDS]
        hint = f" ({', '.join(hypotheses)} are still hypotheses)" if hypotheses else ""
        out.append(
            Finding(
                "premature.no-root-cause",
                "error",
                f"stage is {i.stage} but no confirmed proximate or systemic cause is recorded{hint}",
                "Causes pane (3): link evidence to a proximate or systemic cause with l and confirm it with "
                "h; or move the stage back to analysis with [.",
                field="stage",
                line=ctx.toml_line(("stage",)),
            )
        )
    for index, a in enumerate(i.actions):
        if a.status == "wont-do" or a.addresses:
            continue
        out.append(
            Finding(
                "premature.action-without-cause",
                by_stage(i, "review"),
                f"{a.id} addresses no cause: a fix before its why",
                "Actions pane (4): press l and link the cause(s) it removes, or park it until the "
                "analysis finds a cause it answers.",
                entry=a.id,
                field=f"actions[{a.id}].addresses",
                line=ctx.toml_line(("actions", index)),
            )
        )
    return out
