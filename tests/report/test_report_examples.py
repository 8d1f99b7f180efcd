"""The done-when checks of the report, on every bundled example incident."""

from __future__ import annotations

import re

import pytest

from report_helpers import CANONICAL, LIGHT, h2

from workbench.services.bundled import bundled_root
from workbench.services.report import ReportOptions, blame_phrases, render_from_store
from workbench.services.report import mermaid
from workbench.services.report.onepager import display_width

EXAMPLES = sorted(p.parent.name for p in (bundled_root() / "incidents").glob("*/*/*/incident.toml"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("incident_id", EXAMPLES)
def test_example_report_meets_the_method(example_store, incident_id):
    record = example_store.load(incident_id)
    incident = record.incident
    md = render_from_store(example_store, incident_id)
    headings = h2(md)
    expected = LIGHT if incident.review == "light" else CANONICAL
    assert headings[: len(expected)] == expected  # every section, in order
    assert md.startswith("# Light Review: " if incident.review == "light" else "# Postmortem: ")
    full = render_from_store(example_store, incident_id) if incident.review == "full" else None
    if incident.review == "light":
        from workbench.services.report import render_markdown

        full = render_markdown(incident, record.narrative, light=False)
    assert h2(full)[: len(CANONICAL)] == CANONICAL  # the full format is always available too
    for name in ("users_affected", "requests_affected", "cost_usd"):
        fig = getattr(incident.impact, name)
        if fig.value is not None:
            assert re.search(rf"\*\*{re.escape(str(fig.value).removesuffix('.0'))}[^*]*\*\*", md), name
    for cause in incident.causes:
        first = cause.statement.split()[0]
        if cause.status == "hypothesis":
            assert re.search(rf"\*\*{re.escape(cause.id)}\*\* [*_]{re.escape(first)}", md), cause.id
        else:
            assert re.search(rf"\*\*{re.escape(cause.id)}\*\* {re.escape(first)}", md), cause.id
    assert "**[DATA GAP]**" in md  # the public record always leaves gaps, and they are shown
    assert blame_phrases(md) == []
    blocks = mermaid.blocks(md)
    assert blocks, "timeline and cause diagrams"
    for block in blocks:
        assert mermaid.validate(block) == [], block
    page = render_from_store(example_store, incident_id, ReportOptions(exec=True))
    lines = page.rstrip("\n").split("\n")
    assert len(lines) <= 24 and all(display_width(line) <= 80 for line in lines)
