"""The catalogue of checks and their rules: each check module registers itself once, here.

    @register_check(
        "close",
        order=130,
        title="Close & track",
        why="Step 7: actions in the tracker with owners, and a 30–90 day follow-up review.",
        rules=(
            Rule("close.tracked", "error", "Actions pane (4): press e and enter the Tracker reference or an Owner."),
            Rule("close.follow-up", "error", "Overview pane (1): press e and set the Follow-up review date."),
        ),
    )
    def check(ctx: Context) -> list[Finding]: ...

`CHECKS` (run order), `FAMILIES` (the Review pane's and the reports' order), `RULES` and `RULE_IDS` are read
from these registrations; nothing else lists a check. `checks/__init__` imports every module of the package, so a
new module registers by being there. A stage gate naming a rule id that is not registered fails to load
(stages.py), and `validate()` refuses a catalogue where a check reports into a family nobody declared.
"""

from __future__ import annotations

from collections.abc import Callable, KeysView
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .findings import Finding, Severity

if TYPE_CHECKING:
    from .text import Context

CheckFn = Callable[["Context"], list[Finding]]


class RegistryError(RuntimeError):
    """A check or rule registered twice, or a rule outside its check's family: a programming error."""


@dataclass(frozen=True)
class Rule:
    """One rule id a check reports.

    `severity` is what a finding of it weighs once the report should be complete (some rules report less while
    the work is in progress: see findings.by_stage). `fix` is the usual way out, starting with the pane or
    screen and its key ("Actions pane (4): press e ..."); a finding's own fix says it for its case.
    """

    id: str
    severity: Severity
    fix: str

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Family:
    name: str
    title: str
    why: str  # the method's reason, shown in the Review pane
    order: int


@dataclass(frozen=True)
class CheckSpec:
    name: str
    family: str  # the family its findings belong to (fabrication reports sources.* rules)
    order: int
    run: CheckFn
    rules: tuple[Rule, ...]


_FAMILIES: list[Family] = []
_CHECKS: list[CheckSpec] = []
_RULE_ORDER: dict[str, tuple[int, int]] = {}  # rule id -> (its registrant's order, its place there)

# Derived views, kept in order as registrations arrive (read them, never write them).
CHECKS: dict[str, CheckFn] = {}
FAMILIES: dict[str, tuple[str, str]] = {}  # family -> (title, the method's reason)
RULES: dict[str, Rule] = {}
RULE_IDS: KeysView[str] = RULES.keys()
CHECK_FAMILY: dict[str, str] = {}  # check name -> the family it reports


def _rebuild() -> None:
    FAMILIES.clear()
    FAMILIES.update({f.name: (f.title, f.why) for f in sorted(_FAMILIES, key=lambda f: f.order)})
    ordered = sorted(_CHECKS, key=lambda c: c.order)
    CHECKS.clear()
    CHECKS.update({c.name: c.run for c in ordered})
    CHECK_FAMILY.clear()
    CHECK_FAMILY.update({c.name: c.family for c in ordered})
    families = list(FAMILIES)

    def place(rule: Rule) -> tuple[int, int, int]:
        family = families.index(rule.family) if rule.family in families else len(families)
        return (family, *_RULE_ORDER[rule.id])

    rules = sorted(RULES.values(), key=place)
    RULES.clear()
    RULES.update({r.id: r for r in rules})


def _add_rules(family: str, order: int, rules: tuple[Rule, ...]) -> None:
    for index, rule in enumerate(rules):
        if rule.family != family:
            raise RegistryError(f"rule {rule.id!r} is registered under family {family!r}: its id must start {family}.")
        if rule.id in RULES:
            raise RegistryError(f"rule {rule.id!r} is registered twice")
        _RULE_ORDER[rule.id] = (order, index)
    RULES.update({rule.id: rule for rule in rules})


def register_family(name: str, *, order: int, title: str, why: str, rules: tuple[Rule, ...] = ()) -> None:
    """A family of rules; on its own only for findings made outside the checks (review comments, load errors)."""
    if any(f.name == name for f in _FAMILIES):
        raise RegistryError(f"family {name!r} is registered twice")
    _add_rules(name, order, rules)
    _FAMILIES.append(Family(name, title, why, order))
    _rebuild()


def register_check(
    name: str,
    *,
    order: int,
    rules: tuple[Rule, ...],
    title: str = "",
    why: str = "",
    family: str | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register `check(ctx) -> list[Finding]` with the rule ids it reports.

    With `title`/`why` the check declares its family (`family`, default its own name); without, it reports into
    a family another check declares (`family=` then names it).
    """

    def decorate(fn: CheckFn) -> CheckFn:
        if any(c.name == name for c in _CHECKS):
            raise RegistryError(f"check {name!r} is registered twice")
        reports = family or name
        if title:
            register_family(reports, order=order, title=title, why=why, rules=rules)
        else:
            _add_rules(reports, order, rules)
        _CHECKS.append(CheckSpec(name, reports, order, fn, rules))
        _rebuild()
        return fn

    return decorate


def validate() -> None:
    """Every check reports into a declared family (run once every check module is imported)."""
    for c in _CHECKS:
        if c.family not in FAMILIES:
            raise RegistryError(f"check {c.name!r} reports into family {c.family!r}, which no check declares")


def known_rule(name: str) -> bool:
    """An exact rule id, or a family prefix ending in '.' that holds at least one rule."""
    if name.endswith("."):
        return any(r.startswith(name) for r in RULES)
    return name in RULES


def sort_key(finding: Finding) -> tuple[int, str, int, str]:
    families = list(FAMILIES)
    family = families.index(finding.family) if finding.family in families else len(families)
    return (family, finding.file, finding.line or 0, finding.rule)


# Findings made outside the checks: open review comments (review/steps.py) and files that do not load
# (review/lint.py). Registered here so gates and the catalogue know their ids like any check's.
register_family(
    "review",
    order=900,
    title="Review comments",
    why="Step 6: review and refine; open comments are answered before sign-off.",
    rules=(
        Rule(
            "review.orphan",
            "warning",
            "Review pane (8): press x on the comment to resolve it, or c to anchor the point again where it now is.",
        ),
        Rule("review.open-comment", "info", "Review pane (8): answer the comment, then press x to resolve it."),
    ),
)
register_family(
    "load",
    order=910,
    title="Readable files",
    why="A file that does not load cannot be checked.",
    rules=(
        Rule(
            "load.invalid",
            "error",
            "Incident list: press enter on the problem row to see the file at the line at fault (n goes to the "
            "next problem), then fix it in your editor; `workbench validate` lists every problem.",
        ),
    ),
)
