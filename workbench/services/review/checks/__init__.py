"""The method's hard rules as checks: pure functions over an incident and its narrative, returning Findings.

    findings = run_checks(incident, narrative, toml_text=text, config=load_config(store_root))

One module per rule family; each exposes `check(ctx) -> list[Finding]`. No I/O happens here except
`config.load_config`, which reads the bundled phrase list and a store's `.workbench-rules/`.
"""

from __future__ import annotations

from collections.abc import Callable

from ....domain.model import Incident
from . import (
    actions,
    ai_factors,
    blame,
    bounds,
    close,
    diagnostics,
    fabrication,
    impact,
    premature,
    scope,
    sources,
    stochastic,
    timeline,
    tldr,
)
from .ai_factors import FACTOR_LABELS
from .config import CheckConfig, bundled_config, load_config
from .findings import FAMILIES, RULE_IDS, SEVERITIES, Finding, Severity, counts, known_rule, sort_key
from .text import Context, mask_quoted

CHECKS: dict[str, Callable[[Context], list[Finding]]] = {
    "blame": blame.check,
    "sources": sources.check,
    "fabrication": fabrication.check,
    "impact": impact.check,
    "actions": actions.check,
    "premature": premature.check,
    "ai": ai_factors.check,
    "stochastic": stochastic.check,
    "timeline": timeline.check,
    "bounds": bounds.check,
    "summary": tldr.check,
    "scope": scope.check,
    "close": close.check,
    "diagnostics": diagnostics.check,
}

# Checks whose findings belong to another family (fabrication reports sources.* rules).
_FAMILY_OF = {"fabrication": "sources"}

_DEFAULT: CheckConfig | None = None


def default_config() -> CheckConfig:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = bundled_config()
    return _DEFAULT


def run_checks(
    incident: Incident,
    narrative: str = "",
    *,
    toml_text: str | None = None,
    config: CheckConfig | None = None,
    families: tuple[str, ...] | None = None,
) -> list[Finding]:
    """Every finding for one incident, ordered by family, file and line."""
    ctx = Context(incident, narrative, toml_text, config or default_config())
    out: list[Finding] = []
    for name, check in CHECKS.items():
        if families is None or name in families or _FAMILY_OF.get(name) in families:
            out.extend(check(ctx))
    return sorted(out, key=sort_key)


__all__ = [
    "CHECKS",
    "FACTOR_LABELS",
    "FAMILIES",
    "RULE_IDS",
    "SEVERITIES",
    "known_rule",
    "CheckConfig",
    "Context",
    "Finding",
    "Severity",
    "counts",
    "default_config",
    "load_config",
    "mask_quoted",
    "run_checks",
]
