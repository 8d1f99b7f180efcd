"""The check registry (checks/registry.py): every check registers itself once with the rules it reports; the
catalogue, the stage gates and `workbench lint --rules` are derived from it and cannot drift from the checks."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import sys

import pytest

from workbench.cli import main
from workbench.domain.model import STAGES, Incident
from workbench.services.review import checks, stages
from workbench.services.review.checks import CHECKS, FAMILIES, RULE_IDS, RULES, SEVERITIES, Rule, run_checks
from workbench.services.review.checks import known_rule, register_check
from workbench.services.review.checks.registry import CHECK_FAMILY, RegistryError, register_family

RULE_LITERAL = re.compile(r'"((?:' + "|".join(re.escape(f) for f in FAMILIES) + r')\.[a-z-]+)"')


def registered_rules_of(module_name: str) -> set[str]:
    module = sys.modules[module_name]
    check = module.check
    name = next(n for n, fn in CHECKS.items() if fn is check)
    return {r for r in RULE_IDS if RULES[r].family == CHECK_FAMILY[name]}


# ------------------------------------------------------------------ the catalogue is the checks'
def test_every_check_module_registers_itself():
    """A module of checks/ with a `check` function is in CHECKS: it cannot be written and forgotten."""
    modules = [m.name for m in pkgutil.iter_modules(checks.__path__)]
    with_check = [
        name
        for name in modules
        if inspect.isfunction(getattr(importlib.import_module(f"{checks.__name__}.{name}"), "check", None))
    ]
    assert len(with_check) == len(CHECKS) == 14
    assert {importlib.import_module(f"{checks.__name__}.{n}").check for n in with_check} == set(CHECKS.values())


def test_each_check_reports_only_rules_of_its_family_that_are_registered():
    for name, check in CHECKS.items():
        source = inspect.getsource(inspect.getmodule(check))
        literal = set(RULE_LITERAL.findall(source))
        family = CHECK_FAMILY[name]
        assert literal <= RULE_IDS, (name, literal - RULE_IDS)
        assert all(r.startswith(f"{family}.") for r in literal), (name, literal)
    # Rule ids built from a table: the diagnostics check names one per kind of claim.
    from workbench.services.review.checks.diagnostics import CLAIMS

    assert {f"diagnostics.uncited-{kind}" for kind, _ in CLAIMS} <= RULE_IDS


def test_the_derived_lists_keep_the_review_panes_order():
    assert list(FAMILIES) == [
        "blame",
        "sources",
        "impact",
        "actions",
        "premature",
        "ai",
        "stochastic",
        "timeline",
        "bounds",
        "summary",
        "scope",
        "close",
        "diagnostics",
        "review",
        "load",
    ]
    assert list(CHECKS)[:3] == ["blame", "sources", "fabrication"] and CHECK_FAMILY["fabrication"] == "sources"
    assert [RULES[r].family for r in RULES] == sorted((RULES[r].family for r in RULES), key=list(FAMILIES).index)
    assert {"review.open-comment", "load.invalid", "blame.corrective"} <= RULE_IDS


def test_registering_a_rule_twice_or_outside_its_family_is_refused():
    count = len(RULES)
    with pytest.raises(RegistryError, match="registered twice"):
        register_check("close", order=999, rules=())(lambda ctx: [])
    with pytest.raises(RegistryError, match="registered twice"):
        register_family("review", order=999, title="x", why="y")
    with pytest.raises(RegistryError, match="must start"):
        register_family("nosuch", order=999, title="x", why="y", rules=(Rule("close.other", "error", "x"),))
    assert len(RULES) == count and "nosuch" not in FAMILIES


# ------------------------------------------------------------------ stage gates
def test_every_rule_a_gate_names_exists():
    named = [
        rid for criteria in stages.ENTRY.values() for _, _, rule in criteria for rid in getattr(rule, "rule_ids", ())
    ]
    assert named and all(known_rule(r) for r in named), [r for r in named if not known_rule(r)]
    assert "summary." in named and "bounds." in named and "sources.unevidenced-cause" in named


def test_a_gate_naming_an_unknown_rule_fails_to_load(tmp_path, monkeypatch):
    with pytest.raises(stages.UnknownRule, match="blame.nonsense"):
        stages.no_findings("blame.nonsense")
    with pytest.raises(stages.UnknownRule):
        stages.no_findings("nosuchfamily.")
    # A module defining a gate table with a bogus id does not import at all.
    (tmp_path / "bogus_gates.py").write_text(
        "from workbench.services.review.stages import no_findings\n"
        'GATES = {"review": [("x", "no bogus findings", no_findings("summary.bogus-rule"))]}\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(stages.UnknownRule, match="summary.bogus-rule"):
        importlib.import_module("bogus_gates")
    assert "bogus_gates" not in sys.modules


# ------------------------------------------------------------------ fix texts name a screen and a key
FIX_WHERE = re.compile(r"^(?P<title>[A-Z][A-Za-z ]+?)(?: pane \((?P<goto>[^)]+)\))?: .*?\bpress (?P<key>[^ ,.;]+)")


def test_every_registered_rule_has_a_fix_naming_a_screen_and_a_key_it_has():
    """'Actions pane (4): press e ...': the pane exists, 4 goes there, and e is one of its keys (as `?` lists
    them); 'Incident list: press enter ...': a screen of the help that has that key."""
    from workbench.ui.help_registry import help_sections
    from workbench.ui.panes import pane_classes

    panes = {p.title: p for p in pane_classes()}
    sections = {
        title: {k.strip() for b in rows for k in b.key.split(",")}
        for title, rows in help_sections(list(panes.values()))
    }
    for rule in RULES.values():
        m = FIX_WHERE.match(rule.fix)
        assert m, f"{rule.id}: the fix does not start with a pane or screen and say which key: {rule.fix!r}"
        title, goto, key = m["title"], m["goto"], m["key"]
        if goto:
            assert title in panes, f"{rule.id}: no pane called {title!r}"
            assert panes[title].key.lower() == goto.lower(), f"{rule.id}: {title}'s key is {panes[title].key}"
            keys = sections[f"{title} pane"] | sections["Incident screen"]
        else:
            assert title in sections, f"{rule.id}: no screen called {title!r} in the help"
            keys = sections[title]
        assert key in keys, f"{rule.id}: {title} has no key {key!r} ({sorted(keys)})"


# ------------------------------------------------------------------ severities
def test_no_finding_weighs_more_than_its_rules_registered_severity(example_store):
    """The registered severity is the most a rule reports (once the report should be complete)."""
    seen: set[str] = set()
    records = example_store.load_all().records
    rough = Incident.model_validate(
        {
            "id": "2025-01-02-rough",
            "title": "Rough",
            "severity": "P0",
            "commander": "Bob Li",
            "timeline": [
                {"id": "t-0001", "time": "2025-01-02T10:00:00Z", "event": "deploy"},
                {"id": "t-0002", "time": "2025-01-02T07:00:00Z", "event": "alert fired", "kind": "detection"},
            ],
            "actions": [
                {"id": "AI-001", "action": "Improve monitoring", "verification": "check it", "owner": "Bob Li"}
            ],
            "causes": [{"id": "c-0001", "statement": "The config", "kind": "proximate", "status": "confirmed"}],
        }
    )
    rough_text = (
        "## Executive Summary\n\nBob Li was careless. The model will reliably refuse such prompts. The failure "
        "rate rose after the deploy. About 4,000 users were hit. [DATA GAP] At 14:00 PST it failed. This violates "
        "GDPR.\n\n```python\nimport os\nprint(1)\nprint(2)\nprint(3)\n```\n"
    )
    cases = [(r.incident, r.narrative, r.toml.text) for r in records] + [(rough, rough_text, None)]
    for stage in STAGES:
        for incident, narrative, toml_text in cases:
            moved = incident.model_copy(update={"stage": stage})
            for f in run_checks(moved, narrative, toml_text=toml_text if moved == incident else None):
                seen.add(f.rule)
                assert SEVERITIES.index(f.severity) >= SEVERITIES.index(RULES[f.rule].severity), f
    assert len(seen) >= 25, seen  # the property was tried on a good part of the catalogue


# ------------------------------------------------------------------ the CLI lists the catalogue
def test_lint_rules_lists_the_catalogue_without_a_store(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--rules"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Zero blame (blame.*): Hard rule 2")
    for rule in RULES.values():
        assert f"  {rule.id} " in text and rule.fix in text
    assert main(["lint", "--rules", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == list(RULES)
    assert rows[0] == {
        "id": "blame.language",
        "family": "blame",
        "severity": "error",
        "fix": RULES["blame.language"].fix,
    }
