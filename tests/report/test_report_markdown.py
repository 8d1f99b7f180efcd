"""The canonical markdown report: sections in order, style rules, markers, escaping, diagrams."""

from __future__ import annotations

import re

import pytest
from report_helpers import CANONICAL, LIGHT, NARRATIVE, h2, rich_incident

from workbench.domain.model import Incident
from workbench.domain.taxonomy import Family, Mappings, Mode, Taxonomy
from workbench.services.report import blame_phrases, render_markdown
from workbench.services.report import mermaid
from workbench.services.report.canonical import Narrative
from workbench.services.report.markup import cell, uncell


def section(markdown: str, name: str) -> str:
    return markdown.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(block: str) -> list[list[str]]:
    rows = []
    for line in block.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            rows.append([uncell(c) for c in cells])
    return rows


TAXONOMY = Taxonomy(
    families=[Family(id="serving", name="Serving")],
    modes=[
        Mode(
            id="kv-cache-pathology",
            name="KV cache pathology",
            family="serving",
            description="d",
            aliases=["kv-cache"],
            mappings=Mappings(owasp_llm=["LLM10:2025"], nist_ai_rmf=["measure"], atlas=["AML.T0029"]),
        )
    ],
)


def test_every_canonical_section_in_order_with_title_block():
    md = render_markdown(rich_incident(), NARRATIVE, TAXONOMY)
    assert md.startswith("# Postmortem: KV-cache OOM after vLLM | upgrade\n")
    assert h2(md)[: len(CANONICAL)] == CANONICAL
    assert h2(md)[len(CANONICAL) :] == ["Additional Narrative"]
    for label, value in [
        ("Incident Date", "2025-08-05"),
        ("Postmortem Date", "2025-08-07"),
        ("Severity", "P1"),
        ("Incident Commander", "Dana Kim"),
        ("Postmortem Lead", "Lee Park"),
    ]:
        assert f"**{label}**: {value}  \n" in md
    assert "**What went well**" in section(md, "Lessons Learned")
    assert "**What could be improved**" in section(md, "Lessons Learned")


def test_summary_has_top_three_actions_by_priority_and_impact_figures_in_bold():
    md = render_markdown(rich_incident(), NARRATIVE)
    summary = section(md, "Executive Summary")
    assert "Inference pods ran out of memory" in summary
    # one executive summary: the field; the narrative's differing section is not printed (summary.conflict)
    assert "The upgrade changed the KV cache memory profile." not in md
    assert "hint:" not in md  # authoring comments never reach readers
    tops = re.findall(r"^\d\. \*\*(AI-\d+)\*\*", summary, re.M)
    assert tops == ["AI-002", "AI-001", "AI-004"]  # open first, P0 before P1 before P3; the done one is dropped
    assert "Users affected: **1200 users** (source: gateway dashboard)" in summary
    assert "p99 latency delta: **850.5 ms**" in summary
    assert "Cost: **[DATA GAP]** — finance has not priced the retries yet" in summary
    assert "Requests affected: **[DATA GAP]**" in summary
    assert "Framework reference: NIST AI RMF: MANAGE 4.1" in summary


def test_hypotheses_in_italics_confirmed_plain_grouped_by_kind():
    md = render_markdown(rich_incident(), "")
    causes = section(md, "Root Causes & Contributing Factors")
    assert "- **c-0001** KV cache block size doubled in 0.6.0 (confirmed;" in causes
    assert "- **c-0002** *Load eval lacked long-context traffic* (hypothesis;" in causes
    assert (
        causes.index("### Proximate causes")
        < causes.index("c-0001")
        < causes.index("### Contributing factors")
        < causes.index("c-0002")
        < causes.index("### Systemic factors")
        < causes.index("c-0003")
    )
    assert re.search(r"evidence: t-\w+ \(2025-08-05 16:00 UTC\)", causes)  # entry ids with their times (issue 20)
    assert "| Canary deploy | preventive | missing | skipped for<br>serving |" in causes


def test_markers_for_missing_evidence():
    md = render_markdown(rich_incident(), "")
    timeline = section(md, "Timeline")
    rows = table_rows(timeline)
    assert rows[0] == ["UTC Timestamp", "Event", "Source / Evidence", "Kind"]
    assert rows[2][2] == "**[DATA GAP]** no source recorded"  # the alert has no source
    assert rows[3][1].endswith("**[ASSUMPTION]**")
    assert "**[DATA GAP]** How the incident was detected" in section(md, "Detection & Initial Response")
    gaps = section(md, "Data Gaps & Assumptions")
    assert "- **[DATA GAP]** **g-0001** (open) Exact count of failed requests — closes by: gateway logs export" in gaps
    assert "- **[ASSUMPTION]** **g-0002**" in gaps
    empty = render_markdown(Incident(id="x-1", title="Empty"), "")
    assert "**Incident Commander**: **[DATA GAP]**" in empty
    assert "**[DATA GAP]** No summary has been written yet." in empty
    assert "**[DATA GAP]** No action items yet." in empty


def test_table_cells_escape_pipes_and_newlines():
    md = render_markdown(rich_incident(), "")
    rows = table_rows(section(md, "Timeline"))
    assert rows[1][1] == "Deploy of `vllm==0.6.0` | canary skipped"
    actions = table_rows(section(md, "Action Items"))
    assert actions[0] == ["ID", "Action", "Owner", "Due Date", "Verification Method", "Priority", "Status", "Addresses"]
    assert actions[1][4] == "Eval run shows 32k contexts | p99 within 10%"
    assert actions[2][4] == "Canary blocks a synthetic regression\nSuccess criteria: Next upgrade passes the gate"
    assert actions[3][2] == "**[DATA GAP]**" and actions[3][6] == "done"
    assert all(len(r) == 8 for r in actions)
    for text in ["a|b", "a\nb|c", "x\\|y", "trailing |", "\r\nwin"]:
        assert "\n" not in cell(text)
        assert not re.search(r"(?<!\\)\|", cell(text))


def test_inline_code_for_models_and_ids_and_ai_factors_and_observations():
    md = render_markdown(rich_incident(), NARRATIVE, TAXONOMY)
    assert "**Models**: `llama-3-70b-instruct`" in md
    assert "**Incident ID**: `2025-08-05-kv-cache-oom`" in md
    analysis = section(md, "Technical Analysis")
    assert "- **Data**: not applicable — no data change in the window" in analysis
    assert "- **Evals**: The load eval used 4k contexts only.\n  Long contexts were absent." in analysis
    assert "- **Prompts**: **[DATA GAP]** not yet analysed" in analysis
    assert "`llama-3-70b-instruct`: OOM at 32k context; reproduced in **3/5** runs (source: repro notebook)" in md
    assert "Garbled output once; reproduced in **1/1** runs (a single run)" in md
    assert (
        "- `kv-cache-pathology` KV cache pathology: MITRE ATLAS `AML.T0029`; OWASP LLM Top 10 `LLM10:2025`; "
        "NIST AI RMF MEASURE" in md
    )


def test_framework_mappings_follow_aliases_and_flag_unknown_modes():
    md = render_markdown(rich_incident(taxonomy=["kv-cache", "not-a-mode"]), "", TAXONOMY)
    assert "`kv-cache-pathology` KV cache pathology (tagged as `kv-cache`)" in md
    assert "- `not-a-mode`: **[DATA GAP]** not in this store's taxonomy" in md
    assert "framework mappings" not in render_markdown(rich_incident(), "", None).lower()


def test_narrative_goes_to_its_section_and_the_rest_is_kept_with_headings_demoted():
    md = render_markdown(rich_incident(), NARRATIVE)
    assert "The p99 alert fired at 16:42 UTC" in section(md, "Detection & Initial Response")
    assert "### Memory\n\nBlocks doubled in size." in section(md, "Technical Analysis")
    extra = md.split("\n## Additional Narrative\n", 1)[1]  # the last section
    assert "### Preamble\n\nPreamble text before any heading." in extra
    assert "### Customer Communication\n\nA status page note went out at 17:00." in extra
    assert "#### A stray top-level heading" in extra
    assert "```\n## not a heading inside a fence\n```" in extra
    assert h2(md).count("Additional Narrative") == 1


def test_generated_text_has_no_blame_language():
    for incident in (rich_incident(), Incident(id="x-1", title="Empty"), rich_incident(review="light")):
        md = render_markdown(incident, "")
        assert blame_phrases(md) == []
    assert blame_phrases("This was human error; she should have known.") == ["human error", "should have known"]


def test_light_review_is_the_shorter_format():
    light = render_markdown(rich_incident(review="light"), NARRATIVE)
    full = render_markdown(rich_incident(), NARRATIVE)
    assert light.startswith("# Light Review: ")
    assert h2(light) == [*LIGHT, "Additional Narrative"]
    assert len(light) < len(full)
    assert "*Load eval lacked long-context traffic*" in light
    assert "The p99 alert fired at 16:42 UTC" in section(light, "What Happened and Why")
    assert h2(render_markdown(rich_incident(), NARRATIVE, light=True)) == h2(light)
    assert h2(render_markdown(rich_incident(review="light"), NARRATIVE, light=False))[: len(CANONICAL)] == CANONICAL


def test_mermaid_blocks_are_valid_and_hypotheses_are_dashed():
    md = render_markdown(rich_incident(), NARRATIVE)
    blocks = mermaid.blocks(md)
    assert [b.split("\n", 1)[0] for b in blocks] == ["timeline", "flowchart BT", "flowchart LR"]
    for block in blocks:
        assert mermaid.validate(block) == [], block
    chain = blocks[1]
    assert "n_c_0002 -.-> n_c_0001" in chain and "n_c_0001 --> top" in chain
    assert "class n_c_0002,n_c_0003 hypothesis" in chain
    assert "#quot;policy#quot;" in chain  # quotes in labels are entity codes
    fish = blocks[2]
    assert 'cat_evaluation["Evaluation"] --> effect' in fish


@pytest.mark.parametrize(
    "nasty",
    [
        'a "quoted" ]label[ with | pipes; and # hash',
        "x: y :: z %% c",
        "<b>tag</b>",
        "end",
        "`code` *em* _u_ {brace}",
        "é ü 中文 emoji 🚀",
        "\n\nnew\nlines\n",
    ],
)
def test_mermaid_labels_stay_valid_with_hostile_text(nasty):
    incident = rich_incident(title=nasty.strip() or "t")
    incident.timeline[0].event = nasty.strip() or "e"
    incident.causes[0].statement = nasty.strip() or "s"
    for diagram in (mermaid.timeline(incident), mermaid.causal_chain(incident), mermaid.fishbone(incident)):
        assert mermaid.validate(diagram) == [], diagram


@pytest.mark.parametrize(
    "bad, message",
    [
        ('flowchart XY\n    a["x"]', "direction"),
        ('flowchart TD\n    a["x"] --> b', "never defined"),
        ('flowchart TD\n    a["x "y" z"]', "not a node"),
        ('flowchart TD\n    end["x"]', "reserved"),
        ('flowchart TD\n    a["x"]\n    class a missing', "before classDef"),
        ("timeline\n    section a\n        16:02 : event", "period : event"),
        ("timeline\n        a : b : c", "period : event"),
        ('pie\n    "a" : 1', "unknown diagram"),
    ],
)
def test_mermaid_validator_rejects_what_mermaid_would_reject(bad, message):
    problems = mermaid.validate(bad)
    assert problems and message in " ".join(problems)


def test_narrative_aliases_feed_canonical_sections():
    n = Narrative.parse("## Summary\n\nS.\n\n## Detection\n\nD.\n\n## Analysis\n\nA.\n\n## Other\n\nO.\n")
    assert n.by_section == {"Executive Summary": "S.", "Detection & Initial Response": "D.", "Technical Analysis": "A."}
    assert n.other == [("Other", "O.")]


def test_technical_analysis_maps_tags_and_recorded_references_by_framework():
    analysis = section(render_markdown(rich_incident(), NARRATIVE, TAXONOMY), "Technical Analysis")
    block = analysis.split("### Failure modes and framework mappings\n", 1)[1]
    assert "not a legal interpretation" in block
    recorded = block.split("**Recorded by the team**\n", 1)[1].split("**From the taxonomy tags**", 1)[0]
    assert recorded.strip() == "- NIST AI RMF: MANAGE 4.1"
    mapped = block.split("**From the taxonomy tags**\n", 1)[1].strip().splitlines()
    assert mapped == [
        "- NIST AI RMF `MEASURE`: via `kv-cache-pathology`",
        "- OWASP LLM `LLM10:2025`: via `kv-cache-pathology`",
        "- MITRE ATLAS `AML.T0029`: via `kv-cache-pathology`",
    ]


def test_an_incident_with_no_mapped_modes_says_so_under_the_heading():
    untagged = Incident(id="2025-01-01-quiet", title="Nothing tagged")
    block = section(render_markdown(untagged, "", TAXONOMY), "Technical Analysis").split(
        "### Failure modes and framework mappings\n", 1
    )[1]
    assert "No failure modes are tagged yet." in block
    assert "No framework references recorded and no tagged mode maps to one." in block
    # A tag the taxonomy does not know maps to nothing, and is flagged once (not again as "not mapped").
    unknown = section(
        render_markdown(untagged.model_copy(update={"taxonomy": ["not-a-mode"]}), "", TAXONOMY), "Technical Analysis"
    )
    assert "- `not-a-mode`: **[DATA GAP]** not in this store's taxonomy" in unknown
    assert "No framework references recorded and no tagged mode maps to one." in unknown
    assert "not mapped" not in unknown


def test_a_missing_section_points_to_the_sections_kept_under_other_headings():
    narrative = "## The First Fix\n\nTwo changes closed the leak.\n\n## What This Means\n\nSlots come back.\n"
    md = render_markdown(Incident(id="x-1", title="Slot leak"), narrative)
    analysis = section(md, "Technical Analysis")
    assert analysis.lstrip().startswith("**[DATA GAP]** The technical analysis has not been written up.")
    assert "kept in Additional Narrative below: 'The First Fix', 'What This Means'." in analysis
    assert "Additional Narrative below" in section(md, "Detection & Initial Response")
    empty = render_markdown(Incident(id="x-2", title="Empty"), "")
    assert "Additional Narrative" not in section(empty, "Technical Analysis")
