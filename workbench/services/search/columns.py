"""A segment's filterable excerpt fields as columns: filters and the newest-first order without an excerpt object
per document.

A filter (`severity:P0`, `tag:rag`, `is:overdue` …) was answered by making every document's Excerpt once
(10,000 objects, ~40 MB, 0.1-0.3 s on a 10k store) and asking `query.accepts` of each. Here the same fields
are read once from the stored rows into arrays (one value per document) and value -> documents lists (tags,
modes, owners, action statuses), and each filter is a few array operations. The answers are the ones
`query.accepts` gives (tests/search/test_filter_columns.py compares them query by query).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np

from .query import Filter, Query

# Where Excerpt.to_row puts each field (docs.py reads rows in this layout too).
_ID, _SEVERITY, _STAGE, _KIND, _STARTED, _TAGS, _TAXONOMY, _OWNERS, _STATUSES, _OPEN_DUE = (
    0,
    2,
    3,
    4,
    5,
    7,
    8,
    9,
    10,
    11,
)


class Columns:
    """Per document: severity, stage, kind, start day, the earliest open action's due day (and whether it has
    one), and for tags (lower-cased), modes, owners and action statuses the documents that list each value."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        severity: list[str] = []
        stage: list[str] = []
        kind: list[str] = []
        started: list[str] = []
        ids: list[str] = []
        first_due: list[str] = []
        has_due: list[bool] = []
        tags: dict[str, list[int]] = {}
        modes: dict[str, list[int]] = {}
        owners: dict[str, list[int]] = {}
        statuses: dict[str, list[int]] = {}
        for n, row in enumerate(rows):
            ids.append(str(row[_ID]))
            severity.append(str(row[_SEVERITY]))
            stage.append(str(row[_STAGE]))
            kind.append(str(row[_KIND]))
            started.append(str(row[_STARTED]))
            due = [str(d) for d in row[_OPEN_DUE]]
            first_due.append(min(due) if due else "")
            has_due.append(bool(due))
            _index(tags, (str(t).lower() for t in row[_TAGS]), n)
            _index(modes, (str(m) for m in row[_TAXONOMY]), n)
            _index(owners, (str(o) for o in row[_OWNERS]), n)
            _index(statuses, (str(s) for s in row[_STATUSES]), n)
        self.size = len(ids)
        self.severity = _codes(severity)
        self.stage = _codes(stage)
        self.kind = _codes(kind)
        # numpy picks the width of the longest value: nothing is cut, and "" sorts before every day as a str does.
        self.started = np.array(started, dtype=str) if started else np.zeros(0, dtype="<U1")
        self.first_due = np.array(first_due, dtype=str) if first_due else np.zeros(0, dtype="<U1")
        self.has_due = np.asarray(has_due, dtype=bool)
        self.tags = {k: np.asarray(v, dtype=np.int64) for k, v in tags.items()}
        self.modes = {k: np.asarray(v, dtype=np.int64) for k, v in modes.items()}
        self.owners = {k: np.asarray(v, dtype=np.int64) for k, v in owners.items()}
        self.owners_lower = [(k.lower(), k) for k in owners]
        self.statuses = {k: np.asarray(v, dtype=np.int64) for k, v in statuses.items()}
        # Newest first as a list shows incidents: by (start day, id), ties by position, all descending.
        self.newest = np.asarray(
            sorted(range(self.size), key=lambda i: (started[i], ids[i], i), reverse=True), dtype=np.int64
        )

    def accepts(self, query: Query, today: date, modes: Callable[[str], Iterable[str]]) -> np.ndarray:
        """Which documents pass every filter of the query (as `query.accepts` decides it for one excerpt)."""
        mask = np.ones(self.size, dtype=bool)
        for f in query.filters:
            holds = self._holds(f, today, modes)
            mask &= ~holds if f.negated else holds
        return mask

    def _holds(self, f: Filter, today: date, modes: Callable[[str], Iterable[str]]) -> np.ndarray:
        key = f.key
        if key == "severity":
            return self.severity.isin(f.values)
        if key == "stage":
            return self.stage.isin(f.values)
        if key == "tag":
            return self._any_of(self.tags, f.values)
        if key == "mode":
            return self._any_of(self.modes, {m for v in f.values for m in modes(v)})
        if key == "owner":
            return self._any_of(self.owners, [k for low, k in self.owners_lower if any(v in low for v in f.values)])
        if key == "status":
            return self._any_of(self.statuses, f.values)
        if key in ("before", "after"):
            assert f.day is not None  # parse() sets it for before:/after:
            day = f.day.isoformat()
            in_range = self.started < day if key == "before" else self.started >= day
            dated: np.ndarray = np.logical_and(self.started != "", in_range)
            return dated
        if key == "is":
            out = np.zeros(self.size, dtype=bool)
            for value in f.values:
                out |= self._is(value, today)
            return out
        raise AssertionError(key)

    def _is(self, value: str, today: date) -> np.ndarray:
        if value == "overdue":
            return self.has_due & (self.first_due < today.isoformat())
        if value == "open":
            return ~self.stage.isin(("closed",))
        if value == "closed":
            return self.stage.isin(("closed",))
        return self.kind.isin((value,))  # incident, near-miss

    def _any_of(self, lists: dict[str, np.ndarray], values: Iterable[str]) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        for value in values:
            docs = lists.get(value)
            if docs is not None:
                out[docs] = True
        return out


class _Coded:
    """A column of a few distinct strings, held as a small code per document."""

    def __init__(self, codes: np.ndarray, names: dict[str, int]) -> None:
        self.codes, self.names = codes, names

    def isin(self, values: Iterable[str]) -> np.ndarray:
        wanted = [self.names[v] for v in values if v in self.names]
        return np.isin(self.codes, wanted) if wanted else np.zeros(len(self.codes), dtype=bool)


def _codes(values: list[str]) -> _Coded:
    names: dict[str, int] = {}
    codes = np.fromiter((names.setdefault(v, len(names)) for v in values), dtype=np.int32, count=len(values))
    return _Coded(codes, names)


def _index(lists: dict[str, list[int]], values: Iterable[str], doc: int) -> None:
    for value in values:
        docs = lists.setdefault(value, [])
        if not docs or docs[-1] != doc:  # a value listed twice in one document counts once
            docs.append(doc)
