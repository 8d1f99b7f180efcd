"""Filters answered from a segment's columns give what `query.accepts` gives document by document, without making
an excerpt per document (a 10k store made all 10,000 once, at its first filtered query)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest

from workbench.services.search import SearchEngine
from workbench.services.search.columns import Columns
from workbench.services.search.excerpt import Excerpt
from workbench.services.search.query import accepts, parse

TODAY = date(2025, 6, 15)


def _queries(excerpts: list[Excerpt]) -> list[str]:
    """Every filter over the values the store holds: each alone, negated, as alternatives, and combined."""
    tags = sorted({t for e in excerpts for t in e.tags})
    modes = sorted({m for e in excerpts for m in e.taxonomy})
    owners = sorted({o for e in excerpts for o in e.owners})
    statuses = sorted({s for e in excerpts for s in e.statuses})
    days = sorted({e.started for e in excerpts if e.started})
    out = ["severity:P0", "severity:P1,P2", "-severity:P2", "stage:analysis", "stage:closed,review", "-stage:closed"]
    out += [f"tag:{t}" for t in tags[:8]] + [f"-tag:{tags[0]}", f"tag:{tags[0].upper()},{tags[-1]}"]
    out += [f"mode:{m}" for m in modes[:8]] + [f"-mode:{modes[0]}"]
    out += [f"owner:{o.split()[0].lower()}" for o in owners[:6]] + ["owner:lead", "-owner:ops"]
    out += [f"status:{s}" for s in statuses] + ["-status:open"]
    middle = days[len(days) // 2]
    out += [f"before:{middle}", f"after:{middle}", f"after:{middle[:7]}", f"-before:{middle[:4]}", "before:1999"]
    out += ["is:overdue", "-is:overdue", "is:open", "is:closed", "is:incident", "is:near-miss", "is:near-miss,overdue"]
    out += [
        f"severity:P0,P1 tag:{tags[0]} -is:closed",
        f"stage:analysis,closed after:{days[0]} owner:{owners[0].split()[0].lower()}",
        f"mode:{modes[1]} -severity:P0 status:open,done",
    ]
    return out


def _reference(engine: SearchEngine, text: str) -> tuple[list[str], int]:
    """The newest 50 incidents that pass the query's filters, asked of each excerpt, and how many pass."""
    query = parse(text)
    passing = [e for e in engine.excerpts() if accepts(query, e, TODAY, engine.mode_expansion)]
    passing.sort(key=lambda e: (e.started, e.id), reverse=True)
    return [e.id for e in passing[:50]], len(passing)


def _retitle(engine: SearchEngine) -> None:
    """An edit on disk (a new severity and title for the newest incident): the index gets a delta and a dead row."""
    excerpt = engine.excerpts()[0]
    toml = engine.root / excerpt.path / "incident.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^severity = ".*"$', 'severity = "P0"', text, count=1)
    toml.write_text(re.sub(r'(?m)^title = ".*"$', 'title = "retitled outage"', text, count=1), encoding="utf-8")


def test_every_filter_answers_as_accepts_does_from_a_loaded_index_and_after_an_edit(gen_store):
    SearchEngine(gen_store).open()  # the cache written; the engine below loads it (rows decoded on demand)
    engine = SearchEngine(gen_store)
    engine.open()
    queries = _queries(engine.excerpts())
    for text in queries:
        result = engine.search(text, limit=50, today=TODAY)
        assert ([h.id for h in result.hits], result.total) == _reference(engine, text), text
    _retitle(engine)
    engine.refresh()
    assert engine.delta is not None and engine.manifest.dead  # the edit lives in a delta, its old row is dead
    for text in queries:
        result = engine.search(text, limit=50, today=TODAY)
        assert ([h.id for h in result.hits], result.total) == _reference(engine, text), text
    # With words too: the filter narrows the ranked hits to the same incidents.
    words = engine.search("retitled outage severity:P0", limit=50, today=TODAY)
    assert words.hits and words.hits[0].title == "retitled outage"
    assert all(h.excerpt.severity == "P0" for h in words.hits if h.type == "incident")


def test_a_filtered_query_makes_excerpts_only_for_the_hits_it_returns(gen_store, count_excerpts):
    SearchEngine(gen_store).open()
    engine = SearchEngine(gen_store)
    engine.open()
    made = count_excerpts()  # from here on: the engine above is loaded
    result = engine.search("-severity:P2 is:incident", limit=3, today=TODAY)
    assert result.total > 3
    assert sorted(made) == sorted(h.id for h in result.hits)  # 3 of 40 made, not every document


@pytest.mark.parametrize(
    "text",
    [
        "tag:rag",
        "tag:RAG",
        "-tag:rag",
        "owner:ali",
        "owner:BOB,zed",
        "is:overdue",
        "-is:overdue",
        "is:open,near-miss",
        "before:2025-01",
        "after:2025",
        "-after:2025-03-02",
        "status:open,wont-do",
        "mode:a.one",
        "severity:P1 -stage:closed",
    ],
)
def test_columns_agree_with_accepts_on_edge_cases(text):
    """Undated incidents, upper-case tags, a value listed twice, no open actions, an overdue action among others,
    a taxonomy mode among the documents."""
    docs = [
        Excerpt("a", "A", "P0", "analysis", started="2025-03-02", tags=("RAG", "rag", "Infra"), owners=("Alice",)),
        Excerpt("b", "B", "P1", "closed", started="", statuses=("open",), open_due=("2025-06-01", "2025-07-01")),
        Excerpt("c", "C", "P2", "review", "near-miss", "2024-12-31", owners=("Bob Smith", "alice")),
        Excerpt("d", "D", "P1", "scoping", started="2025-01-01", taxonomy=("a.one", "a.two"), open_due=("2025-08-01",)),
        Excerpt("a.one", "A mode", kind="mode", taxonomy=("a.one",)),
        Excerpt("e", "E", "P9", "odd-stage", started="2025-06-15T10:00", statuses=("wont-do", "wont-do")),
    ]
    query = parse(text)
    columns = Columns(d.to_row() for d in docs)
    expected = [accepts(query, d, TODAY) for d in docs]
    assert columns.accepts(query, TODAY, lambda v: (v,)).tolist() == expected


def test_the_newest_first_order_is_by_start_then_id():
    docs = [
        Excerpt("b", "B", started="2025-01-01"),
        Excerpt("a", "A", started="2025-01-01"),
        Excerpt("c", "C", started=""),
        Excerpt("d", "D", started="2025-02-01"),
    ]
    assert [docs[i].id for i in Columns(d.to_row() for d in docs).newest] == ["d", "b", "a", "c"]
    assert np.array_equal(Columns([]).newest, np.zeros(0, dtype=np.int64))
