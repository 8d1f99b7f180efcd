"""Issue 20: the report agrees with itself. Every marker it prints is listed in Data Gaps & Assumptions with
where it is; one executive summary; one top-actions list; markers printed once; Mermaid labels from clean
times and whole words; cause evidence as entry ids with times."""

from __future__ import annotations

import re

from report_helpers import rich_incident

from workbench.domain.model import Incident
from workbench.services.review.checks import run_checks
from workbench.services.report import mermaid, render_markdown


def section(markdown: str, name: str) -> str:
    return markdown.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]


def markers_outside_gaps(md: str) -> int:
    body = md.split("\n## Data Gaps & Assumptions\n", 1)
    rest = body[1].split("\n## ", 1)[1] if "\n## " in body[1] else ""
    text = body[0] + rest
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # diagrams say (DATA GAP) in their own syntax
    return len(re.findall(r"\[(?:DATA GAP|ASSUMPTION)\]", text))


def listed_count(lines: list[str]) -> int:
    """Markers listed: '- **[DATA GAP]** in …' is one, '- 2 × **[DATA GAP]** in …' two."""
    return sum(int(m.group(1)) if (m := re.match(r"- (\d+) ×", line)) else 1 for line in lines)


def incident(**over) -> Incident:
    data = dict(
        id="2025-09-20-stale",
        title="Reranker fallback served stale answers for the whole afternoon shift",
        severity="P2",
        summary="The reranker fell back to BM25.\n\n**Top actions:**\n\n1. Add an alert\n2. Add a test",
        timeline=[
            {
                "id": "t-0001",
                "time": "2025-09-20T23:12:00Z",
                "event": "Fallback began at 15:13 PST [DATA GAP].",
                "data_gap": True,
                "source": "gateway log",
            },
            {"id": "t-0002", "time": "2025-09-20T23:40:00Z", "event": "Support ticket arrived.", "source": "ticket"},
        ],
        causes=[
            {
                "id": "c-0001",
                "statement": "No alert watched the reranker fallback rate across the index shards "
                "during the nightly rebuild window",
                "kind": "systemic",
                "status": "confirmed",
                "evidence": ["t-0001", "t-0002"],
            }
        ],
        actions=[{"id": "AI-001", "action": "Add a fallback-rate alert", "owner": "@search"}],
    )
    data.update(over)
    return Incident.model_validate(data)


def test_every_marker_in_the_report_is_listed_with_where_it_is():
    md = render_markdown(incident(), "## Technical Analysis\n\nThe shard count is unknown [ASSUMPTION] 12.\n")
    gaps = section(md, "Data Gaps & Assumptions")
    listed = [line for line in gaps.splitlines() if " in " in line and "[" in line.split(" in ")[0]]
    assert listed_count(listed) == markers_outside_gaps(md) > 0
    assert "No data gaps" not in gaps
    assert any("in Timeline at 2025-09-20 23:12 UTC: Fallback began" in line for line in listed)
    assert any("in Technical Analysis" in line and "shard count" in line and "[ASSUMPTION]" in line for line in listed)
    assert any("Action Items, AI-001" in line for line in listed)  # its due date is missing


def test_a_listed_excerpt_is_plain_text_without_its_id_twice():
    # A hypothesis prints in italics with its statement emphasised; cut at 120 characters, its closing marks go.
    statement = (
        "Removing the faulty service required the API that was overwhelmed, so remediation first had to shed "
        "load to regain access"
    )
    md = render_markdown(
        incident(
            causes=[
                {"id": "c-0001", "statement": f"*{statement}.* [ASSUMPTION] From secondary summaries of lazy_loading."}
            ]
        ),
        "",
    )
    line = next(x for x in section(md, "Data Gaps & Assumptions").splitlines() if ", c-0001" in x)
    excerpt = line.split(", c-0001: ", 1)[1]
    assert excerpt.startswith("Removing the faulty service"), line
    assert "*" not in excerpt and " _" not in excerpt
    short = render_markdown(
        incident(causes=[{"id": "c-0001", "statement": "*Drift hid in lazy_loading.* [ASSUMPTION] From logs."}]), ""
    )
    line = next(x for x in section(short, "Data Gaps & Assumptions").splitlines() if ", c-0001" in x)
    assert ", c-0001: Drift hid in lazy_loading. From logs" in line, line  # a name's underscore stays


def test_the_rich_example_lists_every_marker_too():
    md = render_markdown(rich_incident(), "")
    gaps = section(md, "Data Gaps & Assumptions")
    listed = [line for line in gaps.splitlines() if " in " in line and "[" in line.split(" in ")[0]]
    assert listed_count(listed) == markers_outside_gaps(md)


def test_a_report_with_no_marker_says_so():
    clean = incident(
        timeline=[{"id": "t-0001", "time": "2025-09-20T23:12:00Z", "event": "x", "source": "log"}],
        causes=[],
        actions=[],
    )
    md = render_markdown(clean, "")
    if markers_outside_gaps(md) == 0:
        assert "No data gaps or assumptions" in section(md, "Data Gaps & Assumptions")


def test_one_executive_summary_and_one_top_actions_list():
    narrative = "## Executive Summary\n\nA different summary written in the narrative.\n"
    md = render_markdown(incident(), narrative)
    summary = section(md, "Executive Summary")
    # Exactly one summary: the field. The section is left out of the report (summary.conflict flags it).
    assert "The reranker fell back to BM25." in summary and "A different summary" not in md
    assert md.count("## Executive Summary") == 1
    assert summary.count("Top actions") == 1 and "Add an alert" not in summary
    assert re.findall(r"^1\. \*\*AI-001\*\*", summary, re.M)
    [conflict] = [f for f in run_checks(incident(), narrative) if f.rule == "summary.conflict"]
    assert conflict.file == "postmortem.md" and "Overview pane (1)" in conflict.fix
    # With no field, the narrative's section is the one summary.
    md = render_markdown(incident(summary=""), narrative)
    assert section(md, "Executive Summary").count("A different summary") == 1
    assert "The reranker fell back" not in md
    # A section that repeats the field is printed once and is no conflict.
    same = "## Executive Summary\n\nThe reranker fell back to BM25.\n"
    assert render_markdown(incident(), same).count("The reranker fell back to BM25.") == 1
    assert not [f for f in run_checks(incident(), same) if f.rule == "summary.conflict"]
    # A section that holds the field and more is the fuller version of the one summary: printed once, whole.
    fuller = "## Executive Summary\n\nThe reranker fell back to BM25. Answers were stale for 4 hours.\n"
    short = incident(summary="The reranker fell back to BM25.")
    md = render_markdown(short, fuller)
    assert md.count("The reranker fell back to BM25.") == 1 and "stale for 4 hours" in section(md, "Executive Summary")
    assert not [f for f in run_checks(short, fuller) if f.rule == "summary.conflict"]
    # The light review prints the same one summary.
    light = render_markdown(incident(), narrative, light=True)
    assert "The reranker fell back to BM25." in light and "A different summary" not in light


def test_markers_are_printed_once():
    md = render_markdown(incident(), "")
    row = next(
        line
        for line in section(md, "Timeline").splitlines()
        if "t-0001" in line or "15h13" in line or "Fallback began" in line
    )
    assert row.count("[DATA GAP]") == 1 and "[DATA GAP]. **[DATA GAP]**" not in md


def test_mermaid_times_are_clean_and_words_are_whole():
    md = render_markdown(incident(), "")
    timeline = mermaid.timeline(incident())
    assert "23h12 :" in timeline and "23.12" not in timeline
    assert "15h13 PST" in timeline and "(15 -13" not in timeline
    assert timeline.count("DATA GAP") == 1
    chain = mermaid.causal_chain(incident())
    assert "…" not in chain and "<br>" in chain  # wrapped, not truncated
    assert "rebuild window" in chain.replace("<br>", " ")
    for diagram in mermaid.blocks(md):
        assert mermaid.validate(diagram) == []


def test_cause_evidence_is_entry_ids_with_times():
    causes = section(render_markdown(incident(), ""), "Root Causes & Contributing Factors")
    assert "evidence: t-0001 (2025-09-20 23:12 UTC), t-0002 (2025-09-20 23:40 UTC)" in causes
