"""The search query language, apart from any UI: filters plus free text.

    severity:P0 stage:analysis tag:rag mode:kv-cache-corruption owner:alice status:open
    before:2025-06-01 after:2024-12 is:overdue  "exact phrase"  kv cahce  -tag:demo  severity:P0,P1

Filters narrow the set of incidents; the free text ranks them. A filter may be negated with a
leading '-' and may list alternatives separated by commas. A quote left open while typing runs to
the end of the query. Dates compare with the incident's start: before:2025-06 is "started before
June 2025", after:2025-06 is "started in June 2025 or later". Errors name the token that caused them, so a person can fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ...domain.vocab import ACTION_STATUSES, STAGES
from .excerpt import Excerpt

SEVERITIES = ("P0", "P1", "P2")
IS_VALUES = ("overdue", "open", "closed", "incident", "near-miss")
FILTER_KEYS = ("severity", "stage", "tag", "mode", "owner", "status", "before", "after", "is")
_ALIASES = {"sev": "severity", "tags": "tag", "taxonomy": "mode"}

_FILTER_RE = re.compile(r"^(-?)([A-Za-z_]+):(.*)$", re.DOTALL)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class QueryError(ValueError):
    """A query that cannot be understood; `token` is the part at fault, `position` where it starts."""

    def __init__(self, message: str, token: str, position: int):
        self.token = token
        self.position = position
        super().__init__(message)


@dataclass(frozen=True)
class Filter:
    key: str
    values: tuple[str, ...]
    negated: bool = False
    # before:/after: hold the first day that is *not* included (before) or the first that is (after).
    day: date | None = None


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = field(default_factory=tuple)
    # True when the query ends inside a word: that word is matched as a prefix too (typing).
    last_partial: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not self.has_text and not self.filters


def _tokens(text: str) -> list[tuple[str, int, bool]]:
    """(token, start, quoted) triples; quotes group words, `key:"a b"` keeps its quotes inside one token."""
    out: list[tuple[str, int, bool]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            out.append((text[i + 1 : end], start, True))
            i = end + 1
            continue
        buf = []
        while i < n and not text[i].isspace():
            if text[i] == '"':  # key:"quoted value"
                end = text.find('"', i + 1)
                end = n if end < 0 else end
                buf.append(text[i + 1 : end])
                i = end + 1
                continue
            buf.append(text[i])
            i += 1
        out.append(("".join(buf), start, False))
    return out


def parse_day(value: str, token: str, position: int) -> date:
    """'2025', '2025-06' or '2025-06-01' -> the first day of that period."""
    match = _DATE_RE.match(value)
    if not match:
        raise QueryError(f"{token!r}: {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY", token, position)
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        return date(year, int(month or 1), int(day or 1))
    except ValueError as exc:
        raise QueryError(f"{token!r}: {value!r} is not a real date ({exc})", token, position) from None


def _one_of(value: str, allowed: tuple[str, ...], key: str, token: str, position: int, *, prefix: bool = False) -> str:
    lowered = value.lower()
    for option in allowed:
        if option.lower() == lowered:
            return option
    if prefix:
        matches = [o for o in allowed if o.lower().startswith(lowered)]
        if len(matches) == 1:
            return matches[0]
    raise QueryError(f"{token!r}: {key} is one of {', '.join(allowed)}", token, position)


def _filter(key: str, raw: str, negated: bool, token: str, position: int) -> Filter:
    if not raw:
        raise QueryError(f"{token!r}: {key}: needs a value, for example {_EXAMPLES[key]}", token, position)
    values = tuple(v for v in raw.split(",") if v) if key not in ("before", "after") else (raw,)
    if not values:
        raise QueryError(f"{token!r}: {key}: needs a value, for example {_EXAMPLES[key]}", token, position)
    if key == "severity":
        values = tuple(_one_of(v, SEVERITIES, key, token, position) for v in values)
    elif key == "stage":
        values = tuple(_one_of(v, STAGES, key, token, position, prefix=True) for v in values)
    elif key == "status":
        values = tuple(_one_of(v, ACTION_STATUSES, key, token, position, prefix=True) for v in values)
    elif key == "is":
        values = tuple(_one_of(v, IS_VALUES, key, token, position) for v in values)
    elif key in ("before", "after"):
        # before:2025-06 means "started before June 2025"; after:2025-06 means "in June 2025 or later".
        day = parse_day(raw, token, position)
        return Filter(key, (raw,), negated, day)
    else:
        values = tuple(v.lower() for v in values)
    return Filter(key, values, negated)


_EXAMPLES = {
    "severity": "severity:P0",
    "stage": "stage:analysis",
    "tag": "tag:rag",
    "mode": "mode:kv-cache-corruption",
    "owner": "owner:alice",
    "status": "status:open",
    "before": "before:2025-06-01",
    "after": "after:2024-12",
    "is": "is:overdue",
}


def parse(text: str) -> Query:
    """Parse a query string. Raises QueryError naming the offending token."""
    words: list[str] = []
    phrases: list[str] = []
    filters: list[Filter] = []
    last_partial = False
    tokens = _tokens(text)
    for index, (token, position, quoted) in enumerate(tokens):
        is_last = index == len(tokens) - 1
        if quoted:
            if token.strip():
                phrases.append(" ".join(token.split()))
            continue
        match = _FILTER_RE.match(token)
        if match and not match.group(3).startswith("//"):  # a URL is text, not a filter
            negated, key, raw = match.group(1) == "-", match.group(2).lower(), match.group(3)
            key = _ALIASES.get(key, key)
            if key not in FILTER_KEYS:
                raise QueryError(
                    f"{token!r}: unknown filter {match.group(2)!r}; known filters: "
                    f"{', '.join(k + ':' for k in FILTER_KEYS)}",
                    token,
                    position,
                )
            filters.append(_filter(key, raw, negated, token, position))
            continue
        words.append(token)
        if is_last:
            last_partial = not text[-1:].isspace()
    return Query(text, tuple(words), tuple(phrases), tuple(filters), last_partial and bool(words))


# ------------------------------------------------------------------------------------ applying filters
def _holds(f: Filter, e: Excerpt, today: date, modes: Callable[[str], Iterable[str]]) -> bool:
    key = f.key
    if key == "severity":
        return e.severity in f.values
    if key == "stage":
        return e.stage in f.values
    if key == "tag":
        return any(t.lower() in f.values for t in e.tags)
    if key == "mode":
        wanted = {m for v in f.values for m in modes(v)}
        return any(m in wanted for m in e.taxonomy)
    if key == "owner":
        return any(v in o.lower() for v in f.values for o in e.owners)
    if key == "status":
        return any(s in f.values for s in e.statuses)
    if key == "before":
        return bool(e.started) and e.started < f.day.isoformat()  # type: ignore[union-attr]  # parse() sets day for before:/after:
    if key == "after":
        return bool(e.started) and e.started >= f.day.isoformat()  # type: ignore[union-attr]  # parse() sets day for before:/after:
    if key == "is":
        return any(_is(v, e, today) for v in f.values)
    raise AssertionError(key)


def _is(value: str, e: Excerpt, today: date) -> bool:
    if value == "overdue":
        return e.overdue(today)
    if value == "open":
        return e.stage != "closed"
    if value == "closed":
        return e.stage == "closed"
    return e.kind == value  # incident, near-miss


def _same(value: str) -> Iterable[str]:
    return (value,)


def accepts(query: Query, excerpt: Excerpt, today: date, modes: Callable[[str], Iterable[str]] = _same) -> bool:
    """Whether an incident passes every filter of the query. `modes` expands a mode id to the ids
    (aliases, merged modes) that count as the same mode."""
    return all(_holds(f, excerpt, today, modes) != f.negated for f in query.filters)
