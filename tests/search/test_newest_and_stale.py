"""The empty query answered from the columns at once (the search screen's first frame), and a search that a
newer keystroke made stale stops early."""

from __future__ import annotations

from pathlib import Path

from workbench.services.search import SearchEngine


def _ids(result) -> list[str]:
    return [h.id for h in result.hits]


def test_the_newest_incidents_at_once_only_once_the_columns_are_read(gen_store: Path) -> None:
    engine = SearchEngine(gen_store)
    engine.open()
    assert engine.newest_now(20) is None  # the columns unread: a caller on the event loop must not read them
    engine.warm_columns()
    now = engine.newest_now(20)
    assert now is not None
    searched = engine.search("", limit=20)
    assert _ids(now) == _ids(searched) and now.total == searched.total and len(now.hits) == 20


def test_a_stale_search_returns_nothing_and_a_current_one_answers_in_full(gen_store: Path) -> None:
    engine = SearchEngine(gen_store)
    engine.open()
    plain = engine.search("model drift", limit=10)
    assert plain.hits
    asked: list[int] = []

    def never() -> bool:
        asked.append(1)
        return False

    current = engine.search("model drift", limit=10, stale=never)
    assert _ids(current) == _ids(plain) and current.total == plain.total and asked
    stale = engine.search("model drift", limit=10, stale=lambda: True)
    assert stale.hits == [] and stale.total == 0
