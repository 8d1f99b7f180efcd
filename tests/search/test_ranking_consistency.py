"""Issue 15 point 7: one query, one order. An index made of a base and a delta (after edits) ranks exactly as a
fresh build of the same files: which words a typo or a prefix stands for, and how rare a word is, are decided over
the whole index, not per segment, so the answer before the catch-up and the one after order incidents and modes
the same (they differed: a word found by prefix in the base could be read as a typo in the delta, and replaced
documents still counted in every word's rarity). And an incident with every word of a query ranks above a
taxonomy mode with only some of them."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.services.search import SearchEngine

QUERIES = [
    "speculative decodng marigold",
    "marigld",
    "pember",  # a word being typed: begins a word in the base only
    "s",
    "retrieval stale index",
    "index staleness",
    "rollback canary gate",
    "kv cache evictoin",
    '"draft model" acceptance',
    "severity:P0,P1 model",
]


def _edit_and_restore(root: Path, incident_id: str, engine: SearchEngine) -> None:
    """The incident goes to the delta segment with its content as it was: the files equal the first build's."""
    md = next(root.glob(f"incidents/*/*/{incident_id}/postmortem.md"))
    original = md.read_bytes()
    md.write_bytes(original + b"\nPembertonian quokkas edited this.\n")
    assert engine.refresh().changed
    md.write_bytes(original)
    assert engine.refresh().changed


def test_an_index_with_a_delta_ranks_as_a_fresh_build_of_the_same_files(gen_store: Path, needles) -> None:
    engine = SearchEngine(gen_store)
    engine.open()
    for key in ("title-typo", "lesson", "timeline-only"):
        _edit_and_restore(gen_store, needles[key], engine)
    assert engine.delta is not None and len(engine.manifest.dead) == 3
    fresh_root = gen_store.parent / "fresh"
    shutil.copytree(gen_store, fresh_root, symlinks=True, ignore=shutil.ignore_patterns(".workbench"))
    fresh = SearchEngine(fresh_root)
    fresh.open()
    assert fresh.delta is None
    for query in QUERIES:
        for limit in (1, 5, 40):
            now = engine.search(query, limit=limit)
            again = fresh.search(query, limit=limit)
            assert [(h.type, h.id, h.matched) for h in now.hits] == [(h.type, h.id, h.matched) for h in again.hits], (
                query
            )
            assert [h.score for h in now.hits] == [h.score for h in again.hits], query
            assert now.total == again.total, query


def test_an_incident_with_every_word_ranks_above_a_mode_with_some(gen_store: Path, needles) -> None:
    engine = SearchEngine(gen_store)
    engine.open()
    result = engine.search("speculative decodng marigold", limit=10)
    first = result.hits[0]
    assert (first.type, first.id, first.matched) == ("incident", needles["title-typo"], 3)
    modes = [h for h in result.hits if h.type == "mode"]
    assert all(m.matched < 3 for m in modes)
