"""Suggestions, similar incidents and statistics read the search index's per-incident profiles, and give what
the full models give. The reference for similar incidents is the TF-IDF/Jaccard scoring written out plainly
over full models (the path the app used before profiles), so a drift in the sparse version shows here."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from learning_store import TODAY, learning_root, learning_store  # noqa: F401

from workbench.services.learning import source as learning_source
from workbench.services.learning.profile import Profile, incident_text
from workbench.services.search import SearchEngine
from workbench.services.learning.similar import WEIGHTS, SimilarityIndex
from workbench.services.learning.stats import compute_stats
from workbench.services.learning.suggest import Suggester
from workbench.services.taxonomy.usage import incident_modes
from workbench.services.learning.textsim import Corpus, cosine, top_shared
from workbench.store import Store


def reference_similar(incidents, taxonomy, target, limit=5, min_score=0.05):
    """The dict-per-incident scoring over full models, as the app computed it before the sparse index."""
    by_id = {i.id: i for i in incidents}
    modes = {k: incident_modes(i, taxonomy) for k, i in by_id.items()}
    family_of = {m.id: m.family for m in taxonomy.modes}
    families = {k: {family_of[m] for m in v if m in family_of} for k, v in modes.items()}
    df = Counter(m for v in modes.values() for m in v)
    n = max(len(by_id), 1)
    idf = {m: math.log((1 + n) / (1 + d)) + 1.0 for m, d in df.items()}
    top = max(idf.values(), default=1.0)
    corpus = Corpus({k: incident_text(i) for k, i in by_id.items()})
    incident = by_id[target]
    vector = corpus.vector_of(incident_text(incident))
    out = []
    for other in by_id:
        if other == target:
            continue
        union = modes[target] | modes[other]
        m_score = (
            sum(idf.get(m, top) for m in modes[target] & modes[other]) / sum(idf.get(m, top) for m in union)
            if union
            else 0.0
        )
        f_union = families[target] | families[other]
        f_score = len(families[target] & families[other]) / len(f_union) if f_union else 0.0
        t_score = cosine(vector, corpus.vectors[other])
        score = WEIGHTS["modes"] * m_score + WEIGHTS["families"] * f_score + WEIGHTS["text"] * t_score
        if score >= min_score:
            words = tuple(corpus.word(s) for s in top_shared(vector, corpus.vectors[other], 5))
            out.append((round(score, 4), other, words))
    out.sort(key=lambda r: (-r[0], r[1]))
    return out[:limit]


@pytest.fixture
def engine(learning_store: Store) -> SearchEngine:  # noqa: F811
    engine = SearchEngine(learning_store.root)
    engine.open()
    return engine


def test_profiles_in_the_index_equal_the_models(learning_store: Store, engine: SearchEngine) -> None:  # noqa: F811
    records = learning_store.load_all().records
    from_index = {p.id: p for p in learning_source.profiles(engine, keep_words=True)}
    assert len(from_index) == len(records) == 33
    for record in records:
        assert from_index[record.id] == Profile.of(record.incident)
        assert from_index[record.id].words == Profile.of(record.incident).words


def test_similar_incidents_from_the_index_match_the_full_model_scoring(
    learning_store: Store,  # noqa: F811
    engine: SearchEngine,
) -> None:
    taxonomy = learning_store.load_taxonomy()
    incidents = [r.incident for r in learning_store.load_all().records]
    index = learning_source.similarity_index(engine, taxonomy)
    for incident in incidents:
        expected = reference_similar(incidents, taxonomy, incident.id)
        for query in (incident.id, incident):  # by id (the stored row) and as the open, edited model
            got = [(s.score, s.incident_id, s.shared_words) for s in index.similar_to(query)]
            assert got == expected, incident.id


def test_suggestions_from_the_index_equal_those_from_full_models(
    learning_store: Store,  # noqa: F811
    engine: SearchEngine,
) -> None:
    taxonomy = learning_store.load_taxonomy()
    incidents = [r.incident for r in learning_store.load_all().records]
    from_models = Suggester(taxonomy, incidents)
    from_index = learning_source.suggester(engine, taxonomy)
    assert isinstance(from_index.similar, SimilarityIndex) and len(from_index.similar.incidents) == 33
    compared = 0
    for incident in incidents:
        assert from_index.for_incident(incident) == from_models.for_incident(incident)
        for cause in incident.causes:
            assert from_index.for_cause(incident, cause.id) == from_models.for_cause(incident, cause.id)
            compared += 1
    assert compared > 33


def test_statistics_from_the_index_equal_those_from_full_models(
    learning_store: Store,  # noqa: F811
    engine: SearchEngine,
) -> None:
    taxonomy = learning_store.load_taxonomy()
    incidents = [r.incident for r in learning_store.load_all().records]
    expected = compute_stats(incidents, taxonomy, TODAY).to_json()
    got = compute_stats(learning_source.profiles(engine), taxonomy, TODAY).to_json()
    assert got == expected
    assert got["recurring_causes"] and got["overdue"]  # the comparison covers clusters and overdue actions


def test_a_changed_incident_reaches_the_profiles_through_the_delta(learning_store: Store, tmp_path) -> None:  # noqa: F811
    from learning_store import copy_store

    store = copy_store(learning_store.root, tmp_path / "copy")
    engine = SearchEngine(store.root)
    engine.open()
    record = store.load_all().records[0]
    store.save(
        record, record.incident.model_copy(update={"systems": ["brand-new-system"]}), where="overview", what="systems"
    )
    engine.refresh()
    assert engine.delta is not None
    by_id = {p.id: p for p in learning_source.profiles(engine)}
    assert by_id[record.id].systems == ("brand-new-system",)
    assert len(by_id) == 33
