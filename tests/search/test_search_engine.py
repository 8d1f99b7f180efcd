"""The search engine on a generated store and the bundled examples: matching, ranking, hits, filters."""

from __future__ import annotations

from datetime import date

import pytest
from search_helpers import load_generator

from workbench.services.search import SearchEngine

QUERIES = load_generator().QUERIES


@pytest.fixture
def engine(gen_store):
    e = SearchEngine(gen_store)
    e.open()
    return e


@pytest.mark.parametrize("query, needle, what", QUERIES, ids=[q for q, _, _ in QUERIES])
def test_expected_incident_ranks_first(engine, needles, query, needle, what):
    # Typos, reordered words, partial words, and words found only in the timeline or the narrative.
    hits = engine.search(query, limit=5).hits
    assert hits, f"nothing found for {query!r} ({what})"
    assert hits[0].id == needles[needle], [(h.id, h.field) for h in hits]


def test_title_and_cause_outrank_a_passing_mention(engine, needles):
    hits = engine.search("halloran").hits
    assert [h.id for h in hits[:2]] == [needles["title-beats-narrative"], needles["passing-mention"]]
    assert hits[0].field == "title" and hits[1].field.startswith("narrative#")
    hits = engine.search("corvina").hits
    assert [h.id for h in hits[:2]] == [needles["cause-beats-narrative"], needles["passing-mention-2"]]
    assert hits[0].kind == "cause" and hits[0].field.startswith("causes[c-")


def test_hit_names_the_entry_and_marks_the_matched_characters(engine, needles):
    hit = engine.search("brackenridge shard").hits[0]
    assert hit.id == needles["timeline-only"]
    assert hit.kind == "event" and hit.field == f"timeline[{hit.entry}].event" and hit.entry.startswith("t-")
    marked = [hit.snippet[s.start : s.end] for s in hit.spans]
    assert marked == ["Brackenridge", "shard"]


def test_typo_spans_mark_the_real_word(engine):
    hit = engine.search("kestrelmor").hits[0]
    assert [hit.snippet[s.start : s.end] for s in hit.spans] == ["Kestrelmoor"]


def test_partial_last_word_matches_as_prefix(engine, needles):
    assert engine.search("thistlewo").hits[0].id == needles["partial"]
    assert engine.search("pember").hits[0].id == needles["action-only"]


def test_quoted_phrase_must_appear_as_written(engine, needles):
    hits = engine.search('"Marigold draft model"').hits
    assert [h.id for h in hits] == [needles["title-typo"]]
    assert engine.search('"draft Marigold model"').hits == []


def test_long_fields_give_a_window_around_the_match(engine, needles):
    hit = engine.search("ostrava").hits[0]
    assert hit.id == needles["narrative-only"]
    assert len(hit.snippet) <= 170
    assert hit.snippet[hit.spans[0].start : hit.spans[0].end] == "Ostrava"


def test_filters_narrow_and_rank(engine):
    everything = engine.search("rollback", limit=1000)
    p0 = engine.search("severity:P0 rollback", limit=1000)
    assert 0 < p0.total < everything.total
    assert all(h.excerpt.severity == "P0" for h in p0.hits)
    assert {h.id for h in p0.hits} <= {h.id for h in everything.hits}


def test_filter_only_query_lists_incidents_newest_first(engine):
    result = engine.search("stage:closed", limit=1000)
    assert result.hits and all(h.excerpt.stage == "closed" for h in result.hits)
    starts = [h.excerpt.started for h in result.hits]
    assert starts == sorted(starts, reverse=True)
    assert result.total == len([e for e in engine.excerpts() if e.stage == "closed"])


def test_overdue_filter_uses_today(engine):
    early = engine.search("is:overdue", limit=1000, today=date(2000, 1, 1))
    late = engine.search("is:overdue", limit=1000, today=date(2100, 1, 1))
    assert early.total == 0
    assert late.total == len([e for e in engine.excerpts() if e.open_due])


def test_bad_query_returns_the_error_not_an_exception(engine):
    result = engine.search("kv colour:blue")
    assert result.hits == [] and result.error is not None and result.error.token == "colour:blue"


def test_taxonomy_modes_are_searchable(engine):
    hit = engine.search("kv cache pathology").hits[0]
    assert hit.type == "mode" and hit.id == "inference-serving.kv-cache-pathology" and hit.field == "name"
    assert engine.search("kv cache pathology", include_modes=False).hits[0].type == "incident"
    # Filters are about incidents: modes never pass them.
    assert all(h.type == "incident" for h in engine.search("severity:P1 cache").hits)


def test_mode_filter_follows_cause_taxonomy(engine):
    some = next(e for e in engine.excerpts() if len(e.taxonomy) > 1)
    mode = some.taxonomy[-1]
    ids = {h.id for h in engine.search(f"mode:{mode}", limit=1000).hits}
    assert some.id in ids
    assert all(mode in h.excerpt.taxonomy for h in engine.search(f"mode:{mode}", limit=1000).hits)


def test_bundled_examples(example_store):
    engine = SearchEngine(example_store.root)
    engine.open()
    hit = engine.search("ultralytics pypi").hits[0]
    assert hit.id == "2024-12-04-ultralytics-pypi-supply-chain-compromise"
    hit = engine.search("telemetry kubernetes control plane").hits[0]
    assert hit.id == "2024-12-11-openai-telemetry-control-plane-outage"
    # A typo and a word order no title has.
    hit = engine.search("degradaton quality claude").hits[0]
    assert hit.id == "2025-08-05-claude-quality-degradation"
    assert len(engine.excerpts()) == 3


def test_an_incident_with_every_word_ranks_above_a_mode(example_store):
    engine = SearchEngine(example_store.root)
    engine.open()
    # Three words, one misspelt: the incident and a mode both have all three; the mode's short keyword list
    # scores higher, but the incident is what was asked for.
    hits = engine.search("pypi supply chian").hits
    assert [(h.type, h.matched) for h in hits[:2]] == [("incident", 3), ("mode", 3)]
    assert hits[0].id == "2024-12-04-ultralytics-pypi-supply-chain-compromise"
    assert hits[0].score < hits[1].score  # ranked first by having every word, not by score
    # No incident has every word: the mode that has them still comes first, before partial incidents.
    hits = engine.search("kv cahce eviction").hits
    assert (hits[0].type, hits[0].id, hits[0].matched) == ("mode", "inference-serving.kv-cache-pathology", 3)
    assert all(h.matched < 3 for h in hits[1:])
    # Modes left out: incidents only, same order rule.
    assert all(h.type == "incident" for h in engine.search("pypi supply chian", include_modes=False).hits)
