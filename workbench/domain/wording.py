"""Wording shared by every surface that counts things for a reader."""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """The count with the noun that agrees with it: "1 entry", "3 entries", "0 actions".

    `many` is needed only where adding "s" is wrong ("entries", "hypotheses").
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"
