"""The query language: table-driven parsing, errors that name the token, and filter semantics."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.services.search.excerpt import Excerpt, excerpt_from_data
from workbench.services.search.query import Filter, QueryError, accepts, parse


@pytest.mark.parametrize(
    "text, words, phrases, filters, partial",
    [
        ("", (), (), (), False),
        ("kv cache", ("kv", "cache"), (), (), True),
        ("kv cache ", ("kv", "cache"), (), (), False),
        ('"silent data corruption" gpu', ("gpu",), ("silent data corruption",), (), True),
        ('"unclosed phrase', (), ("unclosed phrase",), (), False),
        ("severity:P0", (), (), (Filter("severity", ("P0",)),), False),
        ("sev:p1,p2 loss", ("loss",), (), (Filter("severity", ("P1", "P2")),), True),
        ("stage:anal", (), (), (Filter("stage", ("analysis",)),), False),
        ("stage:data-collection", (), (), (Filter("stage", ("data-collection",)),), False),
        ("tag:RAG", (), (), (Filter("tag", ("rag",)),), False),
        ("-tag:demo", (), (), (Filter("tag", ("demo",), negated=True),), False),
        ("mode:kv-cache-corruption", (), (), (Filter("mode", ("kv-cache-corruption",)),), False),
        ('owner:"Inference Team"', (), (), (Filter("owner", ("inference team",)),), False),
        ("status:in", (), (), (Filter("status", ("in-progress",)),), False),
        ("is:overdue", (), (), (Filter("is", ("overdue",)),), False),
        ("before:2025-06-01", (), (), (Filter("before", ("2025-06-01",), day=date(2025, 6, 1)),), False),
        ("after:2024-12", (), (), (Filter("after", ("2024-12",), day=date(2024, 12, 1)),), False),
        ("after:2024", (), (), (Filter("after", ("2024",), day=date(2024, 1, 1)),), False),
        ("see https://status.example.com", ("see", "https://status.example.com"), (), (), True),
    ],
)
def test_parse_table(text, words, phrases, filters, partial):
    query = parse(text)
    assert query.words == words
    assert query.phrases == phrases
    assert query.filters == filters
    assert query.last_partial is partial


@pytest.mark.parametrize(
    "text, token, fragment",
    [
        ("kv colour:blue", "colour:blue", "unknown filter 'colour'"),
        ("severity:P7", "severity:P7", "severity is one of P0, P1, P2"),
        ("stage:nowhere", "stage:nowhere", "stage is one of"),
        ("stage:s", "stage:s", "stage is one of"),  # ambiguous prefix: scoping, synthesis
        ("status:maybe", "status:maybe", "status is one of"),
        ("is:late", "is:late", "is one of overdue"),
        ("before:yesterday", "before:yesterday", "is not a date"),
        ("after:2025-13-01", "after:2025-13-01", "is not a real date"),
        ("after:2025-02-30", "after:2025-02-30", "is not a real date"),
        ("tag:", "tag:", "needs a value"),
        ("owner:,", "owner:,", "needs a value"),
    ],
)
def test_errors_name_the_token(text, token, fragment):
    with pytest.raises(QueryError) as info:
        parse(text)
    assert info.value.token == token
    assert info.value.position == text.index(token)
    assert token in str(info.value)
    assert fragment in str(info.value)


def _excerpt(**overrides) -> Excerpt:
    data = {
        "id": "2025-03-02-rag-stale-index",
        "title": "Stale RAG index",
        "severity": "P1",
        "stage": "analysis",
        "kind": "incident",
        "commander": "Dana",
        "tags": ["rag", "retrieval"],
        "taxonomy": ["rag-stale-index"],
        "times": {"started": date(2025, 3, 2)},
        "causes": [{"id": "c-1", "statement": "x", "taxonomy": ["partial-reindex"]}],
        "actions": [
            {"id": "AI-001", "action": "a", "owner": "Search Platform", "status": "open", "due": date(2025, 4, 1)},
            {"id": "AI-002", "action": "b", "owner": "Evals", "status": "done", "due": date(2025, 3, 10)},
        ],
    }
    data.update(overrides)
    return excerpt_from_data(data, "incidents/2025/03/x")


TODAY = date(2025, 5, 1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", True),
        ("severity:P1", True),
        ("severity:P0", False),
        ("severity:P0,P1", True),
        ("-severity:P1", False),
        ("stage:analysis", True),
        ("stage:closed", False),
        ("tag:rag", True),
        ("tag:training", False),
        ("-tag:training", True),
        ("mode:rag-stale-index", True),
        ("mode:partial-reindex", True),  # a cause's mode counts
        ("mode:kv-cache-corruption", False),
        ("owner:search", True),
        ("owner:dana", True),  # the commander
        ("owner:nobody", False),
        ("status:done", True),
        ("status:verified", False),
        ("before:2025-03-03", True),
        ("before:2025-03-02", False),
        ("before:2025-03", False),
        ("after:2025-03", True),
        ("after:2025-03-03", False),
        ("is:overdue", True),  # AI-001 was due 2025-04-01 and is still open
        ("is:open", True),
        ("is:closed", False),
        ("is:near-miss", False),
        ("severity:P1 tag:rag is:overdue kv cache", True),  # free text never filters
    ],
)
def test_accepts_table(text, expected):
    assert accepts(parse(text), _excerpt(), TODAY) is expected


def test_overdue_ignores_closed_actions_and_future_dates():
    done_only = _excerpt(actions=[{"id": "AI-001", "action": "a", "status": "done", "due": date(2020, 1, 1)}])
    future = _excerpt(actions=[{"id": "AI-001", "action": "a", "status": "open", "due": date(2030, 1, 1)}])
    assert not accepts(parse("is:overdue"), done_only, TODAY)
    assert not accepts(parse("is:overdue"), future, TODAY)


def test_undated_incident_fails_date_filters():
    undated = _excerpt(times={})
    assert not accepts(parse("before:2030"), undated, TODAY)
    assert not accepts(parse("after:2000"), undated, TODAY)


def test_mode_filter_uses_the_expansion():
    # An old alias resolves to the live mode through the caller's expansion (the taxonomy).
    expand = {"old-name": ("rag-stale-index", "old-name")}.get
    assert accepts(parse("mode:old-name"), _excerpt(), TODAY, lambda v: expand(v, (v,)))
    assert not accepts(parse("mode:old-name"), _excerpt(), TODAY)


def test_excerpt_json_round_trip():
    e = _excerpt()
    assert Excerpt.from_json(e.to_json()) == e
    assert e.owners == ("Dana", "Search Platform", "Evals")
    assert e.open_due == ("2025-04-01",)
    assert e.open_actions == 1
