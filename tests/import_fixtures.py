"""The postmortem import tests' fixtures (tests/data/import): read one as an incident, find a line of it, and
the imported facts in the shapes the tests compare (timed entries by line, impact figures)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from workbench.services.importing.postmortem import parse_markdown

DATA = Path(__file__).parent / "data" / "import"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def read(name: str):
    """The incident a fixture imports as (no date given on the command line)."""
    return parse_markdown((DATA / name).read_text(encoding="utf-8"), name, given_date=None).incident


def line(name: str, words: str) -> str:
    """The 1-based line number (as text) of the fixture line holding `words`."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return str(next(n for n, text in enumerate(lines, 1) if words in text))


def timed(incident) -> dict[datetime, str]:
    """Each timed entry (not a [DATA GAP]) -> the fixture line it cites."""
    return {e.time: e.source.rsplit(":", 1)[1] for e in incident.timeline if not e.data_gap}


def figures(incident) -> list[tuple[float, str]]:
    """Every impact figure with a value, named or listed, as sorted (value, unit) pairs."""
    impact = incident.impact
    found = [getattr(impact, n) for n in impact.FIGURES] + impact.figures
    return sorted((f.value, f.unit) for f in found if f.value is not None)
