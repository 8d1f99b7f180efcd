"""The start screen's findings counts: cached by the bytes they depend on, recounted when any of them changes."""

from __future__ import annotations

import pytest

from workbench.services.review.checks import counts
from workbench.services.review.findings_cache import FindingsCache
from workbench.services.review.steps import findings_for
from workbench.store import Store


def _folders(store: Store) -> dict:
    return {i: store.folder_of(i) for i in store.ids()}


def _direct(store: Store) -> dict:
    return {i: counts(findings_for(store, store.load(i))) for i in store.ids()}


def _no_loading(monkeypatch, store: Store) -> None:
    def refuse(folder):
        raise AssertionError(f"{folder} was loaded although its files did not change")

    monkeypatch.setattr(store, "load_folder", refuse)


def test_counts_equal_the_checks_and_a_warm_start_loads_nothing(example_store: Store, monkeypatch) -> None:
    expected = _direct(example_store)
    assert any(c["error"] or c["warning"] for c in expected.values())  # the examples do have findings
    assert FindingsCache(example_store).count_all(_folders(example_store), lambda _: None) == expected
    _no_loading(monkeypatch, example_store)
    assert FindingsCache(example_store).count_all(_folders(example_store), lambda _: None) == expected


def test_an_edited_incident_is_counted_again(example_store: Store, monkeypatch) -> None:
    FindingsCache(example_store).count_all(_folders(example_store), lambda _: None)
    first = sorted(example_store.ids())[0]
    toml = example_store.folder_of(first) / "incident.toml"
    # Blame language in the summary: the blame check must now find one more warning or error.
    toml.write_text(toml.read_text().replace('summary = "', 'summary = "The on-call engineer failed to notice. ', 1))
    before = FindingsCache(example_store).entries[first][1]
    after = FindingsCache(example_store).count_all(_folders(example_store), lambda _: None)[first]
    assert after == counts(findings_for(example_store, example_store.load(first)))
    assert after != before


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"rules": "other", "entries": {}}'])
def test_a_damaged_or_foreign_cache_is_counted_afresh(example_store: Store, damage: bytes) -> None:
    cache = FindingsCache(example_store)
    cache.count_all(_folders(example_store), lambda _: None)
    cache.path.write_bytes(damage)
    fresh = FindingsCache(example_store)
    assert fresh.entries == {}
    assert fresh.count_all(_folders(example_store), lambda _: None) == _direct(example_store)


def test_a_new_store_rule_invalidates_every_count(example_store: Store) -> None:
    FindingsCache(example_store).count_all(_folders(example_store), lambda _: None)
    rules = example_store.root / ".workbench-rules"
    rules.mkdir(exist_ok=True)
    (rules / "checks.toml").write_text("# a team setting\n")
    assert FindingsCache(example_store).entries == {}
