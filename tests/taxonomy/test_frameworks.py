"""Framework mapping: what the team recorded and what the tagged modes map to, kept apart."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.model import Cause, FrameworkRef, Impact, Incident
from workbench.domain.taxonomy import Taxonomy
from workbench.services.taxonomy.frameworks import DISCLAIMER, framework_mapping, render_mapping_markdown
from workbench.services.taxonomy.edit import merge_modes
from workbench.store.tomlfile import parse_toml, validate

MINI_PATH = Path(__file__).parent.parent / "data" / "mini_taxonomy.toml"
MINI = validate(Taxonomy, parse_toml(MINI_PATH.read_text(), MINI_PATH), MINI_PATH.read_text(), MINI_PATH)


def incident(**kw) -> Incident:
    return Incident(id="2025-01-01-x", title="x", **kw)


def test_modes_map_with_the_modes_that_bring_them_in() -> None:
    inc = incident(
        taxonomy=["serving.kv-cache", "nope.unknown"],
        causes=[Cause(id="c-1", statement="s", taxonomy=["rag.stale-index", "serving.kv-cache"])],
    )
    m = framework_mapping(inc, MINI)
    assert m.modes == ("serving.kv-cache", "rag.stale-index")
    assert [(x.id, x.modes) for x in m.nist_ai_rmf] == [
        ("measure", ("serving.kv-cache", "rag.stale-index")),
        ("manage", ("serving.kv-cache",)),
    ]
    assert [(x.id, x.modes) for x in m.owasp_llm] == [("LLM08:2025", ("rag.stale-index",))]
    assert [x.id for x in m.atlas] == ["AML.T0070"]
    assert m.unresolved_tags == ("nope.unknown",)


def test_recorded_references_grouped_by_framework_and_rendered_with_disclaimer() -> None:
    inc = incident(
        impact=Impact(
            regulatory=[
                FrameworkRef(framework="EU AI Act", reference="Art. 73", note="serious incident reporting considered"),
                FrameworkRef(framework="ISO/IEC 42001", reference="10.2"),
                FrameworkRef(framework="EU AI Act", reference="Art. 15"),
            ]
        )
    )
    m = framework_mapping(inc, MINI)
    assert [r.reference for r in m.recorded["EU AI Act"]] == ["Art. 73", "Art. 15"]
    md = render_mapping_markdown(m)
    assert DISCLAIMER in md
    assert "- EU AI Act: Art. 73 — serious incident reporting considered" in md
    assert "- ISO/IEC 42001: 10.2" in md
    assert "From the taxonomy tags" not in md


def test_merged_mode_tags_map_through_the_survivor() -> None:
    merged = merge_modes(MINI, "serving.sticky-routing", "serving.misrouting").taxonomy
    m = framework_mapping(incident(taxonomy=["serving.sticky-routing"]), merged)
    assert m.modes == ("serving.misrouting",)
    assert [x.id for x in m.owasp_llm] == ["LLM10:2025"]


def test_nothing_to_map_says_so() -> None:
    assert "No framework references recorded" in render_mapping_markdown(framework_mapping(incident(), MINI))


def test_taxonomy_map_cli_prints_both_sources(example_store, capsys) -> None:
    from workbench.cli import main

    openai = "2024-12-11-openai-telemetry-control-plane-outage"
    assert main(["--store", str(example_store.root), "taxonomy", "map", openai]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Framework mapping for {openai} (information only)\n{DISCLAIMER}\n")
    recorded = out.split("Recorded by the team:\n", 1)[1].split("\n\n", 1)[0]
    assert recorded.startswith("  NIST AI RMF: MANAGE function — Information only")
    mapped = out.split("From the taxonomy tags:\n", 1)[1].splitlines()
    assert mapped[0] == "  NIST AI RMF  GOVERN       via infrastructure.unsafe-rollout"
    assert [line.split()[3] for line in mapped] == ["GOVERN", "MAP", "MEASURE", "MANAGE"]
    assert main(["--store", str(example_store.root), "taxonomy", "map", "no-such-incident"]) == 2
