"""The actionability test (hard rule 8): owner, due date, verification, success criteria, no vague verbs.

The fifth part of the test, "addresses at least one cause", is reported by the premature-fix check
(`premature.action-without-cause`), because an action with no cause is a fix before its why.
"""

from __future__ import annotations

import re

from ....domain.model import ActionItem
from .config import CheckConfig
from .findings import Finding, by_stage
from .registry import Rule, register_check
from .text import Context

# What a verification must point at so that a future incident can show the action worked.
_OBSERVABLE_RE = re.compile(
    r"\b(alert|alarm|pag(e|ed|es|ing)|dashboard|metric|monitor|slo|sli|test|eval|benchmark|drill|game ?day|"
    r"canary|replay|chaos|audit|query|detect|fires?|fired|catch(es)?|caught|block(s|ed)?|reject(s|ed)?|"
    r"threshold|regression|gate|report|log|trace|within|p99|latency|rate|ci|pipeline|check(s|ed)?|"
    r"review(ed)?|runbook|exercise|simulat\w*|inject\w*|count|future|next (time|incident)|shows?|flag(s|ged)?|"
    r"measured|recorded|compared|appears?|warning|attestation|%|\d)",
    re.IGNORECASE,
)
# Stricter: a verification must name something a future incident can observe: a metric, query, test, eval,
# alert, drill or dashboard, a number or a date. "We will monitor it." names none.
_CONCRETE_RE = re.compile(
    r"\b(alert|alarm|pages?|paged|dashboard|metric|slo|sli|test|tests|eval|evals|benchmark|drill|game ?day|canary|"
    r"replay\w*|chaos|audit|query|queries|threshold|p\d\d|latency|error rate|rate|ci|pipeline|gate|runbook|exercise|"
    r"simulat\w*|inject\w*|attestation|scanner|scan|assert\w*|fails? the (build|deploy|release)|blocks?|"
    r"rejects?|trace|log line|report)\b|\d|%|`[^`]+`",
    re.IGNORECASE,
)
# "We will monitor it.": a generic promise to watch, with nothing named to watch.
_GENERIC_RE = re.compile(
    r"^\W*((we|the team|team|owners?|they|i|sre|ops)\s+)?((will|shall|should|must|can|to|plan to|are going to)\s+)?"
    r"(continue to\s+)?(monitor|watch|track|observe|keep an eye on|check( on)?|review|look at|follow up( on)?|see|"
    r"verify|make sure|ensure)\b(\s+(it|this|that|things|the situation|the issue|the fix|the change|closely|carefully|"
    r"regularly|going forward|over time|for a while|and see|if it works|on it|again|it works|everything is fine|"
    r"for recurrence|for regressions))*\s*[.!]?\s*$",
    re.IGNORECASE,
)
_LEAD_IN_RE = re.compile(
    r"^\s*((we|the team|team|owners?|they)\s+(will|should|must|need to|to)\s+|to\s+|should\s+)", re.IGNORECASE
)


def vague_verb(text: str, verbs: tuple[str, ...]) -> str | None:
    """The vague verb an action leans on, if any: single words at the start, phrases anywhere."""
    body = _LEAD_IN_RE.sub("", text.strip())
    first = " ".join(body.split()[:2]).lower()
    for verb in verbs:
        if " " in verb or "-" in verb:
            if re.search(rf"\b{re.escape(verb)}\b", text, re.IGNORECASE):
                return verb
        elif re.match(rf"{re.escape(verb)}\w*\b", first):
            return verb
    return None


@register_check(
    "actions",
    order=40,
    title="Actionability test",
    why="Hard rule 8: if implemented, how will we know in a future incident that it worked?",
    rules=(
        Rule(
            "actions.owner",
            "error",
            "Actions pane (4): press e and name one Owner who will drive it.",
        ),
        Rule(
            "actions.due",
            "error",
            "Actions pane (4): press e and set the Due date.",
        ),
        Rule(
            "actions.verification",
            "error",
            "Actions pane (4): press e and fill in Verification: the alert, eval or test that would show it worked.",
        ),
        Rule(
            "actions.unobservable",
            "error",
            "Actions pane (4): press e and name in Verification something a future incident could observe.",
        ),
        Rule(
            "actions.success-criteria",
            "error",
            "Actions pane (4): press e and state the measurable end state in Success criteria.",
        ),
        Rule(
            "actions.vague",
            "warning",
            "Actions pane (4): press e and name the concrete change: what is added, removed or enforced, where.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    config: CheckConfig = ctx.config  # type: ignore[assignment]  # Context.config is typed object on purpose
    sev = by_stage(i, "review")
    out: list[Finding] = []
    for index, a in enumerate(i.actions):
        if a.status == "wont-do":
            continue

        def add(
            rule: str,
            severity: str,
            message: str,
            fix: str,
            key: str | None = None,
            index: int = index,
            a: ActionItem = a,
        ) -> None:
            loc = ("actions", index, key) if key and getattr(a, key, None) else ("actions", index)
            out.append(
                Finding(
                    rule,
                    severity,  # type: ignore[arg-type]  # severity: a config value, checked when loaded
                    f"{a.id}: {message}",
                    fix,
                    entry=a.id,
                    field=f"actions[{a.id}]" + (f".{key}" if key else ""),
                    line=ctx.toml_line(loc),
                )
            )

        if not a.owner.strip():
            add(
                "actions.owner",
                sev,
                "no owner",
                "Actions pane (4): press e and name one Owner (a person or a team handle) who will drive it.",
                "owner",
            )
        if a.due is None and a.status not in ("done", "verified"):  # a finished action needs no deadline
            add(
                "actions.due",
                sev,
                "no due date",
                "Actions pane (4): press e and set the Due date; a date makes the follow-up review possible.",
                "due",
            )
        if not a.verification.strip():
            add(
                "actions.verification",
                sev,
                "no verification method",
                "Actions pane (4): press e and fill in Verification: which alert fires, which eval or test catches "
                "it, within what time.",
                "verification",
            )
        elif _GENERIC_RE.match(a.verification) or not (
            _CONCRETE_RE.search(a.verification) or _OBSERVABLE_RE.search(a.verification)
        ):
            add(
                "actions.unobservable",
                sev,
                f'verification names nothing a future incident could observe: "{a.verification[:60]}"',
                "Actions pane (4): press e and name the observable in Verification: the alert that fires, the "
                "query or dashboard, the test or eval that fails the build, or the drill and its date.",
                "verification",
            )
        elif len(a.verification.split()) < 4 or not _OBSERVABLE_RE.search(a.verification):
            add(
                "actions.verification",
                "warning",
                f'verification does not say how a future incident would show it worked: "{a.verification[:60]}"',
                "Actions pane (4): press e and point Verification at an observable: an alert that fires, an eval "
                "that fails the build, a drill result, a metric threshold.",
                "verification",
            )
        if not a.success_criteria.strip():
            add(
                "actions.success-criteria",
                sev,
                "no success criteria",
                "Actions pane (4): press e and state the measurable end state in Success criteria, e.g. 'canary "
                "blocks 100% of replayed bad configs in the drill'.",
                "success_criteria",
            )
        verb = vague_verb(a.action, config.vague_verbs)
        if verb:
            add(
                "actions.vague",
                "warning",
                f'vague verb "{verb}": {a.action[:80]}',
                "Actions pane (4): press e and name the concrete change: what is added, removed or enforced, where, "
                "e.g. 'add a pre-deploy eval gate on refusal rate' instead of 'improve evals'.",
                "action",
            )
    return out
