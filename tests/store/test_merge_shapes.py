"""The merge driver over every shape of concurrent edit (tests/merge_pairs.py): no crash, a valid file,
exactly the expected conflicts, and every other edit of both sides in the result."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from merge_pairs import expected_conflicts, make_edit, missing_changes
from workbench.store.tomlfile import decode_incident, encode_incident
from workbench.store.tomlmerge import merge_texts

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "incidents").glob("*/*/*/incident.toml"))


def run_pair(base_text: str, rng: random.Random) -> tuple[set[str], set[str], list[str]]:
    base = decode_incident(base_text, Path("base.toml"))
    ours, theirs = make_edit(base, rng, "ours"), make_edit(base, rng, "theirs")
    merged_text, conflicts = merge_texts(
        base_text, encode_incident(ours.incident, base_text), encode_incident(theirs.incident, base_text)
    )
    merged = decode_incident(merged_text, Path("merged.toml"))  # raises if the result is not a valid incident
    got = {c.field for c in conflicts}
    want = expected_conflicts(ours, theirs)
    lost = missing_changes(merged, ours, got) + missing_changes(merged, theirs, got)
    return got, want, [f"{ours.shape} x {theirs.shape}: {x}" for x in lost]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name[:40])
def test_random_pairs_of_every_shape_merge_as_expected(path: Path) -> None:
    rng = random.Random(path.parent.name)
    base_text = path.read_text(encoding="utf-8")
    for _ in range(12):  # benchmarks/reliability.py runs 1,000+ of the same pairs
        got, want, lost = run_pair(base_text, rng)
        assert got == want
        assert lost == []


def test_both_sides_adding_keys_the_base_lacks_merge_without_conflict() -> None:
    """The shape that crashed with tomlkit >= 0.14: one side adds a key, the other another."""
    base_text = EXAMPLES[0].read_text(encoding="utf-8")
    base = decode_incident(base_text, Path("b"))
    entry = base.timeline[0]
    ours = base.model_copy(update={"timeline": [entry.model_copy(update={"assumption": True}), *base.timeline[1:]]})
    theirs = base.model_copy(update={"summary": base.summary + " (edited)"})
    merged_text, conflicts = merge_texts(
        base_text, encode_incident(ours, base_text), encode_incident(theirs, base_text)
    )
    merged = decode_incident(merged_text, Path("m"))
    assert conflicts == []
    assert merged.timeline[0].assumption and merged.summary.endswith("(edited)")


def test_a_diagnostic_deleted_on_one_side_and_cited_by_the_impact_on_the_other_is_a_conflict() -> None:
    from workbench.store.tomlmerge import OURS, THEIRS, merge3

    diagnostic = {"id": "dx-0001", "kind": "reproduction", "inputs": {"k": 3, "n": 20}}
    base = {"id": "x", "diagnostics": [diagnostic], "impact": {"cost_usd": {"value": 10}}}
    ours = {"id": "x", "diagnostics": [], "impact": {"cost_usd": {"value": 10}}}  # deleted here
    theirs = {
        "id": "x",
        "diagnostics": [diagnostic],
        "impact": {"cost_usd": {"value": 10}, "diagnostics": ["dx-0001"]},
    }  # cited there
    merged, conflicts = merge3(base, ours, theirs)
    assert [c.field for c in conflicts] == ["diagnostics[dx-0001]"]
    assert merged["diagnostics"] == [] and merged["impact"].get("diagnostics", []) == []  # ours, and still valid
    kept, _ = merge3(base, ours, theirs, {"diagnostics[dx-0001]": THEIRS})
    assert kept["diagnostics"] == [diagnostic] and kept["impact"]["diagnostics"] == ["dx-0001"]
    dropped, _ = merge3(base, ours, theirs, {"diagnostics[dx-0001]": OURS})
    assert dropped["diagnostics"] == [] and dropped["impact"].get("diagnostics", []) == []
