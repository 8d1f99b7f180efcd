"""Counts read as English: "1 entry", never "1 entries"."""

from __future__ import annotations

import pytest

from workbench.domain.wording import counted


@pytest.mark.parametrize(
    ("n", "one", "many", "expected"),
    [
        (0, "action", None, "0 actions"),
        (1, "action", None, "1 action"),
        (2, "action", None, "2 actions"),
        (1, "entry", "entries", "1 entry"),
        (11, "entry", "entries", "11 entries"),
        (1, "working hypothesis", "working hypotheses", "1 working hypothesis"),
        (3, "working hypothesis", "working hypotheses", "3 working hypotheses"),
    ],
)
def test_counted_agrees_with_its_number(n: int, one: str, many: str | None, expected: str) -> None:
    assert counted(n, one, many) == expected
