"""How the diagnostics write numbers in sentences: never a NaN, never more digits than mean something."""

from __future__ import annotations


def count(value: int | float) -> str:
    return f"{int(value):,}"


def pct(value: float | None) -> str:
    """0.15 -> '15%', 0.0321 -> '3.2%', 0.0004 -> '0.04%'."""
    if value is None:
        return "?"
    percent = value * 100
    if percent == 0 or percent == 100 or abs(percent) >= 10:
        return f"{percent:.0f}%"
    if abs(percent) >= 1:
        return f"{percent:.1f}%".replace(".0%", "%")
    return f"{percent:.2g}%"


def pct_range(low: float | None, high: float | None) -> str:
    """'3–38%': the interval in percent, each end as precise as `pct` writes it."""
    return f"{pct(low).rstrip('%')}–{pct(high)}"


def pval(p: float | None) -> str:
    """'= 0.031', '< 0.0001'."""
    if p is None:
        return "= ?"
    if p < 0.0001:
        return "< 0.0001"
    return f"= {p:.2g}" if p < 0.01 else f"= {p:.3f}".rstrip("0").rstrip(".") if p < 1 else "= 1"


def signif(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "?"
    return f"{value:.{digits}g}"
