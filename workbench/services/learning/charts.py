"""Small terminal charts as plain text: sparklines and horizontal bars (the CLI prints them; the UI may too)."""

from __future__ import annotations

from collections.abc import Sequence

SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉█"


def sparkline(values: Sequence[float]) -> str:
    """One character per value, scaled to the largest; zero is a blank-looking low bar '▁' only when all are zero."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(" " if v <= 0 else SPARKS[max(0, min(7, round(v / top * 7)))] for v in values)


def bar(value: float, top: float, width: int = 30) -> str:
    """A horizontal bar of `width` cells for `value` out of `top`, with eighth-cell precision."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")
