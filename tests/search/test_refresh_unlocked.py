"""A refresh's walk of the files (a stat of each, 20,000 on a 10k store) does not hold searches back: the search
screen refreshes the index as it opens, and its first answers waited for the whole walk."""

from __future__ import annotations

import re
import threading

from workbench.services.search import Changes, SearchEngine, SearchResult
from workbench.services.search import engine as engine_module

WORD = "zanzibarquokka"


def _retitle(engine: SearchEngine) -> tuple[str, str]:
    """An edit made on disk, outside the engine: one incident's title gets WORD. Its (id, folder)."""
    excerpt = engine.excerpts()[0]
    toml = engine.root / excerpt.path / "incident.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r'(?m)^title = ".*"$', f'title = "{WORD} outage"', text, count=1), encoding="utf-8")
    return excerpt.id, excerpt.path


def test_a_search_answers_while_a_refresh_walks_the_files_and_the_refresh_still_finds_the_edit(gen_store, monkeypatch):
    engine = SearchEngine(gen_store)
    engine.open()
    incident_id, folder = _retitle(engine)
    walking, go_on = threading.Event(), threading.Event()
    real_dir_states = engine_module.dir_states

    def slow_dir_states(root):  # the end of the walk, held until the search below has answered
        walking.set()
        go_on.wait(30)
        return real_dir_states(root)

    monkeypatch.setattr(engine_module, "dir_states", slow_dir_states)
    refreshed: list[Changes] = []
    refresh = threading.Thread(target=lambda: refreshed.append(engine.refresh()), daemon=True)
    refresh.start()
    try:
        assert walking.wait(30), "the refresh never walked the files"
        answered: list[SearchResult] = []
        search = threading.Thread(target=lambda: answered.append(engine.search(f"{WORD} outage")), daemon=True)
        search.start()
        search.join(10)
        assert answered, "the search waited for the refresh's walk of the files"
        # Answered from the state before the refresh: the edit is not indexed yet.
        assert all(hit.id != incident_id or WORD not in hit.title for hit in answered[0].hits)
    finally:
        go_on.set()
    refresh.join(30)
    assert refreshed and refreshed[0].changed == [folder]
    hits = engine.search(WORD).hits
    assert hits and hits[0].id == incident_id and WORD in hits[0].title


def test_a_save_between_the_walk_and_its_update_is_indexed_once(gen_store, monkeypatch):
    """`refresh_folders` (a save) runs while a refresh walks: the refresh compares what it found with the table as
    the save left it, so the incident is neither lost nor listed twice."""
    engine = SearchEngine(gen_store)
    engine.open()
    incident_id, folder = _retitle(engine)
    real_dir_states = engine_module.dir_states

    def save_meanwhile(root):
        engine.refresh_folders([folder])  # the app's save thread, between the walk and the refresh's update
        return real_dir_states(root)

    monkeypatch.setattr(engine_module, "dir_states", save_meanwhile)
    engine.refresh()
    hits = engine.search(WORD, limit=50).hits
    assert [h.id for h in hits if h.type == "incident"] == [incident_id]
    assert len([e for e in engine.excerpts() if e.id == incident_id]) == 1


def test_a_query_without_words_makes_excerpts_only_for_the_hits_it_returns(gen_store, count_excerpts):
    """The search screen opens with an empty query: the newest incidents are listed. Their order is read from the
    rows; only the `limit` returned become excerpts (all 10,000 were made on a 10k store: ~0.1 s of the
    interpreter before the first answer to what was typed)."""
    SearchEngine(gen_store).open()  # the cache written
    engine = SearchEngine(gen_store)
    engine.open()  # loaded from it: excerpts are made from their rows when first used
    everything = sorted(engine.excerpts(), key=lambda e: (e.started, e.id), reverse=True)
    engine = SearchEngine(gen_store)
    engine.open()
    made = count_excerpts()  # from here on: the engine above is loaded
    result = engine.search("", limit=5)
    assert [h.id for h in result.hits] == [e.id for e in everything[:5]]  # the newest five, in order
    assert result.total == len(everything)
    assert sorted(made) == sorted(h.id for h in result.hits)
