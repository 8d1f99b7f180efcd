"""Check settings: the bundled blame phrases and defaults, extended by a store's `.workbench-rules/`.

    <store>/.workbench-rules/blame.toml    more [[phrases]] / [[allow]]; `disable = [ids]`
    <store>/.workbench-rules/checks.toml   [checks] timeline_gap_minutes, follow_up_min_days,
                                           follow_up_max_days, vague_verbs (added to the bundled list)

The folder is committed with the store (unlike the private `.workbench/`), so a team's rules are
reviewed like everything else and apply the same on every laptop and in CI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ....store.boundary import Boundary
from ....store.errors import LoadError, Problem
from ....store.textio import read_text
from ....store.tomlfile import locate_line, parse_toml

BUNDLED_PHRASES = Path(__file__).with_name("blame_phrases.toml")
RULES_DIR = ".workbench-rules"

# Verbs that name an intention rather than a change someone can verify.
VAGUE_VERBS: tuple[str, ...] = (
    "improve",
    "look into",
    "be more careful",
    "investigate",
    "consider",
    "explore",
    "try to",
    "revisit",
    "think about",
    "raise awareness",
    "pay more attention",
    "be aware",
    "keep an eye on",
    "double-check",
    "double check",
    "make sure",
    "work on",
    "better",
)


@dataclass(frozen=True)
class Phrase:
    id: str
    pattern: re.Pattern[str]
    reframe: str


@dataclass(frozen=True)
class CheckConfig:
    phrases: tuple[Phrase, ...] = ()
    allow: tuple[re.Pattern[str], ...] = ()
    vague_verbs: tuple[str, ...] = VAGUE_VERBS
    timeline_gap_minutes: int = 60
    follow_up_min_days: int = 30
    follow_up_max_days: int = 90
    sources: tuple[str, ...] = field(default=())  # files the settings came from, for messages
    people: tuple[str, ...] = ()  # names, handles and aliases from the store's people.toml
    # Blame by sentence structure (spaCy): True parses; "cached" uses only verdicts already in the store's
    # cache and never loads spaCy (the incident list's counts at start-up); False skips it.
    grammar: bool | str = True
    disabled_rules: tuple[str, ...] = ()  # grammar rule ids a team turned off ("blame.judgment")
    grammar_cache: Any = field(default=None, compare=False)  # a blame_grammar.DiskCache in the store's cache


def _compile(pattern: Any, path: Path, text: str, loc: tuple[object, ...]) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise LoadError([Problem(path, "pattern must be a non-empty string", locate_line(text, loc), _dotted(loc))])
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise LoadError(
            [Problem(path, f"not a valid regular expression: {exc}", locate_line(text, loc), _dotted(loc))]
        ) from None


def _dotted(loc: tuple[object, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


def _read_phrase_file(
    path: Path, label: Path, text: str | None = None
) -> tuple[list[Phrase], list[re.Pattern[str]], list[str]]:
    text = read_text(path).text if text is None else text
    data = parse_toml(text, label)
    phrases, allow = [], []
    unknown = set(data) - {"phrases", "allow", "disable"}
    if unknown:
        key = sorted(unknown)[0]
        raise LoadError(
            [Problem(label, "unknown key (expected phrases, allow, disable)", locate_line(text, (key,)), key)]
        )
    for index, entry in enumerate(data.get("phrases", [])):
        loc = ("phrases", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry.get("id"):
            raise LoadError([Problem(label, "each [[phrases]] needs an id", locate_line(text, loc), _dotted(loc))])
        phrases.append(
            Phrase(
                entry["id"],
                _compile(entry.get("pattern"), label, text, (*loc, "pattern")),
                str(entry.get("reframe", "Reframe toward the system, process or missing control.")),
            )
        )
    for index, entry in enumerate(data.get("allow", [])):
        loc = ("allow", index)
        allow.append(
            _compile(entry.get("pattern") if isinstance(entry, dict) else None, label, text, (*loc, "pattern"))
        )
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise LoadError([Problem(label, "disable is a list of phrase ids", locate_line(text, ("disable",)), "disable")])
    from .blame import GRAMMAR_RULE_IDS

    unknown_rules = [d for d in disable if d.startswith("blame.") and d not in GRAMMAR_RULE_IDS]
    if unknown_rules:
        raise LoadError(
            [
                Problem(
                    label,
                    f"unknown rule {unknown_rules[0]!r} (grammar rules: {', '.join(GRAMMAR_RULE_IDS)})",
                    locate_line(text, ("disable",)),
                    "disable",
                )
            ]
        )
    return phrases, allow, disable


_INT_KEYS = ("timeline_gap_minutes", "follow_up_min_days", "follow_up_max_days")


def _read_settings(path: Path, label: Path, config: CheckConfig, text: str) -> CheckConfig:
    data = parse_toml(text, label)
    checks = data.get("checks", {})
    if not isinstance(checks, dict):
        raise LoadError([Problem(label, "expected a [checks] table", locate_line(text, ("checks",)), "checks")])
    changes: dict[str, Any] = {}
    for key, value in checks.items():
        line = locate_line(text, ("checks", key))
        if key in _INT_KEYS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise LoadError([Problem(label, "expected a whole number of at least 1", line, f"checks.{key}")])
            changes[key] = value
        elif key == "vague_verbs":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise LoadError([Problem(label, "expected a list of words", line, f"checks.{key}")])
            changes[key] = config.vague_verbs + tuple(v.strip().lower() for v in value)
        else:
            raise LoadError(
                [
                    Problem(
                        label,
                        f"unknown setting (expected one of {', '.join(_INT_KEYS)}, vague_verbs)",
                        line,
                        f"checks.{key}",
                    )
                ]
            )
    merged = replace(config, **changes)
    if merged.follow_up_min_days > merged.follow_up_max_days:
        raise LoadError(
            [
                Problem(
                    label,
                    "follow_up_min_days is more than follow_up_max_days",
                    locate_line(text, ("checks", "follow_up_min_days")),
                    "checks.follow_up_min_days",
                )
            ]
        )
    return merged


def bundled_config() -> CheckConfig:
    phrases, allow, _ = _read_phrase_file(BUNDLED_PHRASES, Path("workbench/services/review/checks/blame_phrases.toml"))
    return CheckConfig(phrases=tuple(phrases), allow=tuple(allow))


def _people_names(root: Path) -> tuple[str, ...]:
    """Names, handles and aliases from people.toml: people the blame check recognises by name."""
    from ...report.redact import PeopleFileError, load_people

    try:
        return tuple(token for person in load_people(root) for token in person.tokens())
    except PeopleFileError:
        return ()  # the export that reads it reports the broken file; checks still run


def load_config(store_root: Path | None = None) -> CheckConfig:
    """The bundled settings, extended by the store's rules. Raises LoadError naming file, line and field."""
    config = bundled_config()
    if store_root is None:
        return config
    rules = Path(store_root) / RULES_DIR
    boundary = Boundary(Path(store_root))  # a store's rules are store content: no links out, no FIFOs
    sources: list[str] = []
    blame_file = rules / "blame.toml"
    if boundary.exists(blame_file) and not blame_file.is_dir():
        label = Path(RULES_DIR) / "blame.toml"
        phrases, allow, disable = _read_phrase_file(blame_file, label, boundary.read_text(blame_file).text)
        by_id = {p.id: p for p in config.phrases if p.id not in disable}
        by_id.update({p.id: p for p in phrases})
        rules_off = tuple(d for d in disable if d.startswith("blame."))
        config = replace(
            config, phrases=tuple(by_id.values()), allow=config.allow + tuple(allow), disabled_rules=rules_off
        )
        sources.append(str(label))
    people = _people_names(Path(store_root))
    if people:
        config = replace(config, people=people)
    settings = rules / "checks.toml"
    if boundary.exists(settings) and not settings.is_dir():
        label = Path(RULES_DIR) / "checks.toml"
        config = _read_settings(settings, label, config, boundary.read_text(settings).text)
        sources.append(str(label))
    from .blame_grammar import DiskCache

    cache = DiskCache(Path(store_root) / ".workbench" / "cache" / "blame-grammar.json")
    return replace(config, sources=tuple(sources), grammar_cache=cache)
