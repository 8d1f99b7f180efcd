"""Fuzzy taxonomy search: typos, partial words, several words, and field ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.taxonomy import Taxonomy
from workbench.services.taxonomy.edit import deprecate_mode
from workbench.services.taxonomy.search import TaxonomyIndex
from workbench.store.tomlfile import parse_toml, validate

MINI_PATH = Path(__file__).parent.parent / "data" / "mini_taxonomy.toml"


@pytest.fixture(scope="module")
def mini() -> Taxonomy:
    text = MINI_PATH.read_text()
    return validate(Taxonomy, parse_toml(text, MINI_PATH), text, MINI_PATH)


def ids(hits) -> list[str]:
    return [h.mode.id for h in hits]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("kv cahce", "serving.kv-cache"),  # typo
        ("misrout", "serving.misrouting"),  # partial word
        ("affinity", "serving.sticky-routing"),  # keyword
        ("documents removed", "rag.stale-index"),  # words from the description, any order
        ("STALE", "rag.stale-index"),  # case
        ("eviction baseline", "serving.kv-cache"),  # detection hint
    ],
)
def test_first_hit(mini: Taxonomy, query: str, first: str) -> None:
    assert ids(TaxonomyIndex(mini).search(query))[0] == first


def test_every_word_must_match_somewhere(mini: Taxonomy) -> None:
    assert ids(TaxonomyIndex(mini).search("kv cache xylophone")) == []


def test_name_match_beats_description_mention(mini: Taxonomy) -> None:
    hits = TaxonomyIndex(mini).search("routing")
    assert ids(hits)[:2] == ["serving.misrouting", "serving.sticky-routing"]
    assert hits[0].field in {"name", "keyword"}


def test_empty_query_lists_all_in_file_order_and_deprecated_can_be_hidden(mini: Taxonomy) -> None:
    assert ids(TaxonomyIndex(mini).search("")) == [m.id for m in mini.modes]
    dep = deprecate_mode(mini, "rag.stale-index").taxonomy
    assert "rag.stale-index" not in ids(TaxonomyIndex(dep).search("", include_deprecated=False))
    assert "rag.stale-index" in ids(TaxonomyIndex(dep).search("stale"))


def test_spans_point_at_the_matched_text(mini: Taxonomy) -> None:
    hit = TaxonomyIndex(mini).search("sticky")[0]
    start, end = hit.spans[0]
    assert hit.text[start:end].lower() == "sticky"


def test_short_queries_do_not_match_everything(mini: Taxonomy) -> None:
    assert ids(TaxonomyIndex(mini).search("kv")) == ["serving.kv-cache"]
    assert ids(TaxonomyIndex(mini).search("zq")) == []
