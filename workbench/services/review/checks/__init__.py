"""The method's hard rules as checks: pure functions over an incident and its narrative, returning Findings.

    findings = run_checks(incident, narrative, toml_text=text, config=load_config(store_root))

One module per rule family; each registers `check(ctx) -> list[Finding]` with `@register_check` and the rule
ids it reports (registry.py), so CHECKS, FAMILIES and RULE_IDS are derived from the modules themselves. No I/O happens here except
`config.load_config`, which reads the bundled phrase list and a store's `.workbench-rules/`.
"""

from __future__ import annotations

import importlib
import pkgutil

from ....domain.model import Incident
from .ai_factors import FACTOR_LABELS
from .config import CheckConfig, bundled_config, load_config
from .findings import SEVERITIES, Finding, Severity, counts
from .registry import CHECK_FAMILY, CHECKS, FAMILIES, RULE_IDS, RULES, Rule, known_rule, register_check, sort_key
from .registry import validate as _validate_registry
from .text import Context, mask_quoted

# Every module of the package is imported, so a check registers itself by existing (registry.py).
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
_validate_registry()

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
        if families is None or name in families or CHECK_FAMILY[name] in families:
            out.extend(check(ctx))
    return sorted(out, key=sort_key)


def parser_loaded() -> bool:
    """Whether blame by grammar has its spaCy pipeline loaded in this process."""
    from . import blame_grammar

    return blame_grammar.is_loaded()


def release_parser(wait: bool = True) -> bool:
    """Let blame by grammar's spaCy pipeline go until it parses again (blame_grammar.release_pipeline); True
    when one was let go. `wait=False` gives up, returning False, while a load is under way."""
    from . import blame_grammar

    return blame_grammar.release_pipeline(wait)


__all__ = [
    "CHECKS",
    "FACTOR_LABELS",
    "FAMILIES",
    "RULE_IDS",
    "RULES",
    "Rule",
    "register_check",
    "sort_key",
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
    "parser_loaded",
    "release_parser",
    "run_checks",
]
