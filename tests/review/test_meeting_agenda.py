"""The review meeting's agenda shows one executive summary, by the same rule as the report."""

from __future__ import annotations

from workbench.domain.model import Incident
from workbench.services.review.meeting import agenda


def _incident(summary: str) -> Incident:
    return Incident.model_validate(
        {"id": "2025-03-04-example", "title": "Example", "severity": "P2", "review": "light", "summary": summary}
    )


def _summary_item(summary: str, narrative: str) -> str:
    items = agenda(_incident(summary), narrative)
    assert [item.title for item in items].count("Executive Summary & Impact") == 1
    assert all(item.title.casefold() not in ("executive summary", "summary", "tl;dr") for item in items)
    return items[0].markdown


FIELD = "Retrieval returned stale documents for 40 minutes; 1,200 answers cited withdrawn policy."
SECTION = "A cache key change made the retriever serve last week's index to every tenant."


def test_the_field_alone_is_the_summary():
    text = _summary_item(FIELD, "## Technical Analysis\n\nThe cache key changed.\n")
    assert FIELD in text


def test_the_section_alone_is_the_summary():
    text = _summary_item("", f"## Executive Summary\n\n{SECTION}\n\n## Technical Analysis\n\nMore.\n")
    assert SECTION in text


def test_the_same_summary_written_twice_is_shown_once():
    text = _summary_item(FIELD, f"## Executive Summary\n\n{FIELD}\n")
    assert text.count(FIELD) == 1 and "says something else" not in text


def test_a_fuller_section_is_shown_instead_of_the_field():
    fuller = f"{FIELD} {SECTION}"
    text = _summary_item(FIELD, f"## Summary\n\n{fuller}\n")
    assert fuller in text and text.count(FIELD) == 1


def test_two_different_summaries_show_the_field_and_say_what_to_do():
    text = _summary_item(FIELD, f"## Executive Summary\n\n{SECTION}\n")
    assert FIELD in text and SECTION not in text
    assert "summary.conflict" in text and "Overview `1`, `e`" in text
