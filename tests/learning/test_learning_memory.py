"""The compact forms learning keeps at 10,000 incidents give what the plain ones give (issue 15, memory):
profile lines parsed without their words, the similarity index's per-row titles/modes/systems, one tag lookup
per pass, a Stats cut down to what a screen shows, and the collector held off during a build."""

from __future__ import annotations

import gc
import threading

import orjson
from learning_store import TODAY, learning_root, learning_store  # noqa: F401

from workbench.services.learning import source as learning_source
from workbench.services.learning.profile import Profile
from workbench.services.learning.stats import compute_stats
from workbench.services.learning.memory import cyclic_gc_held_off
from workbench.services.search import SearchEngine
from workbench.services.taxonomy.edit import deprecate_mode, merge_modes, rename_mode
from workbench.services.taxonomy.usage import incident_modes, live_mode_ids, tag_uses
from workbench.store import Store


def _engine(store: Store) -> SearchEngine:
    engine = SearchEngine(store.root)
    engine.open()
    return engine


def test_a_profile_read_without_its_words_is_the_profile_less_its_words(learning_store: Store) -> None:  # noqa: F811
    lines = learning_source.profile_lines(_engine(learning_store))
    with_words = list(learning_source.iter_profiles(lines, keep_words=True))
    without = list(learning_source.iter_profiles(lines, keep_words=False))
    assert len(without) == len(with_words) == 33
    for full, light in zip(with_words, without, strict=True):
        assert full.words and not light.words
        assert light == full  # words are left out of equality: every other field is the same


def test_the_word_words_in_an_incident_does_not_cut_its_line_short() -> None:
    profile = Profile.from_json(
        {
            "id": "i-1",
            "title": 'The "words" field: {"words": 1}',
            "severity": "P1",
            "started_on": "2025-01-02",
            "taxonomy": ["words"],
            "causes": [["c-1", 'It said ,"words":{ in a cause', ["words"]]],
            "actions": [],
            "systems": [],
            "durations": [1.0, None, None],
            "words": {"field": 1, "words": 3, "said": 1},
        }
    )
    line = orjson.dumps(profile.to_json())
    head, words = learning_source.split_words(line)
    assert words is not None and orjson.loads(words) == {"field": 1, "words": 3, "said": 1}
    (light,) = learning_source.iter_profiles([line], keep_words=False)
    assert light == profile and light.causes[0].statement == 'It said ,"words":{ in a cause'
    assert orjson.loads(head)["title"] == 'The "words" field: {"words": 1}'


def test_similar_results_show_each_incidents_own_title_modes_families_and_systems(learning_store: Store) -> None:  # noqa: F811
    """The index keeps titles, systems and modes as per-row tuples: each result reads them as a plain
    per-incident reading of the models does."""
    taxonomy = learning_store.load_taxonomy()
    incidents = {r.incident.id: r.incident for r in learning_store.load_all().records}
    index = learning_source.similarity_index(_engine(learning_store), taxonomy)
    family_of = {m.id: m.family for m in taxonomy.modes}
    checked = 0
    for incident in incidents.values():
        mine = incident_modes(incident, taxonomy)
        assert set(index.modes_of(incident.id)) == mine and list(index.modes_of(incident.id)) == sorted(mine)
        for query in (incident.id, incident):
            for s in index.similar_to(query):
                other = incidents[s.incident_id]
                theirs = incident_modes(other, taxonomy)
                assert s.title == other.title == index.title_of(other.id)
                assert s.shared_modes == tuple(sorted(mine & theirs))
                assert s.shared_families == tuple(sorted({family_of[m] for m in mine} & {family_of[m] for m in theirs}))
                assert s.shared_systems == tuple(sorted(set(incident.systems) & set(other.systems)))
                checked += 1
    assert checked > 33


def test_one_lookup_resolves_tags_as_the_taxonomy_does(learning_store: Store) -> None:  # noqa: F811
    taxonomy = learning_store.load_taxonomy()
    first, second, third = (m.id for m in taxonomy.modes[:3])
    # An alias from a rename, a merge (the absorbed id follows to the survivor) and a deprecation.
    edited = rename_mode(taxonomy, first, first + "-renamed").taxonomy
    edited = merge_modes(edited, second, third).taxonomy
    edited = deprecate_mode(edited, edited.modes[5].id, replaced_by=third).taxonomy
    for tax in (taxonomy, edited):
        live = live_mode_ids(tax)
        for key in {k for m in tax.modes for k in (m.id, *m.aliases)} | {first, second, "no.such-mode"}:
            mode = tax.resolve(key)
            assert live.get(key) == (mode.id if mode else None), key
        for record in learning_store.load_all().records:
            expected = {u.mode_id for u in tag_uses(record.incident, tax) if u.mode_id is not None}
            assert incident_modes(record.incident, tax, live) == expected == incident_modes(record.incident, tax)


def test_what_a_screen_shows_keeps_the_counts_and_only_the_first_items(learning_store: Store) -> None:  # noqa: F811
    taxonomy = learning_store.load_taxonomy()
    full = compute_stats([r.incident for r in learning_store.load_all().records], taxonomy, TODAY)
    assert full.recurring_causes and full.overdue_count == len(full.overdue) > 2
    shown = full.shown(causes=1, incidents=2, overdue=2)
    assert shown.times == [] and shown.overdue == full.overdue[:2] and shown.overdue_count == len(full.overdue)
    for whole, cut in zip(full.recurring_causes, shown.recurring_causes, strict=True):
        assert cut.words == whole.words and cut.causes == whole.causes[:1] and cut.incidents == whole.incidents[:2]
        assert (cut.cause_count, cut.incident_count) == (len(whole.causes), len(whole.incidents))
    for whole_mode, cut_mode in zip(full.recurring_modes, shown.recurring_modes, strict=True):
        assert cut_mode.incidents == whole_mode.incidents[:2]
        assert cut_mode.incident_count == len(whole_mode.incidents)
    assert shown.medians_by_severity == full.medians_by_severity and shown.by_mode == full.by_mode
    assert full.to_json()["recurring_causes"][0]["cause_count"] == len(full.recurring_causes[0].causes)


def test_the_collector_is_held_off_while_any_build_runs_and_back_as_it_was_after() -> None:
    assert gc.isenabled()
    first_in, second_done, release = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with cyclic_gc_held_off():
            first_in.set()
            release.wait(10)
            seen.append(gc.isenabled())

    def second() -> None:
        first_in.wait(10)
        with cyclic_gc_held_off():
            seen.append(gc.isenabled())
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    assert second_done.wait(10)
    assert not gc.isenabled()  # the second build ended, the first still runs
    release.set()
    for t in threads:
        t.join(10)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:  # a collector the program turned off stays off
        with cyclic_gc_held_off():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_sparse_corpus_is_the_dict_corpus_as_a_matrix() -> None:
    """The matrix is built on the typed arrays' own buffers (no copies): the weights are still Corpus's."""
    from workbench.services.learning.textsim import Corpus, SparseCorpus, surface_counts

    texts = {
        "a": "Reindexing stalled; the reindex job retried the stale shard",
        "b": "A stale cache served old embeddings after reindexed shards",
        "c": "",
        "d": "Rollout of the tokenizer broke the tokenizer cache",
    }
    dense = Corpus(texts)
    sparse = SparseCorpus((k, surface_counts(t)) for k, t in texts.items())
    for key in texts:
        row = sparse.row(key)
        assert row.keys() == dense.vectors[key].keys()
        for stem, value in dense.vectors[key].items():
            assert abs(row[stem] - value) < 1e-12
