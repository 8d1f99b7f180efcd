"""A first build in two passes: searchable after the first, and, once the second has run, the same cache as one pass.

The first pass reads, parses and tokenizes; the second validates every incident (load problems for lists) and makes
its learning profile, without holding the index's lock, so searches go on meanwhile. These tests compare every file
of the cache with a one-pass build, check that search answers while the second pass runs, that a file changed
between the passes is left to the next refresh, and that a cache left half-built is finished by the next open.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from test_build_cost import QUERIES

from workbench.services.search import SearchEngine
from workbench.services.search import engine as engine_module
from workbench.services.search.cache import CACHE_SUBDIR
from workbench.store.layout import INCIDENT_FILE

SEGMENT_FILES = ("docs.json", "profiles.jsonl", "texts.jsonl", "vocab.txt", "bigrams.txt")


def _break(root: Path) -> tuple[str, str]:
    """Two incidents that do not load: one fails validation (found by the second pass), one is not TOML (the
    first). Returns their folders."""
    files = sorted((root / "incidents").glob(f"*/*/*/{INCIDENT_FILE}"))
    invalid, not_toml = files[1], files[2]
    invalid.write_text(invalid.read_text().replace('severity = "', 'severity = "X', 1))
    not_toml.write_text(not_toml.read_text() + "\n[[[ not toml\n")
    return (invalid.parent.relative_to(root).as_posix(), not_toml.parent.relative_to(root).as_posix())


def _build(root: Path, defer: bool, **kwargs) -> SearchEngine:
    shutil.rmtree(root / CACHE_SUBDIR, ignore_errors=True)
    engine = SearchEngine(root, defer_checks=defer, **kwargs)
    assert engine.open().rebuilt
    assert engine.checks_pending == defer
    if defer:
        assert engine.finish_checks()
        assert not engine.checks_pending and not engine.finish_checks()  # once only
    return engine


def _files(engine: SearchEngine) -> dict[str, object]:
    assert engine.base is not None and engine.base.path is not None
    out: dict[str, object] = {name: (engine.base.path / name).read_bytes() for name in SEGMENT_FILES}
    with np.load(engine.base.path / "arrays.npz", allow_pickle=False) as npz:
        out.update({f"arrays.npz:{name}": npz[name].tolist() for name in npz.files})
    return out


def _hits(engine: SearchEngine) -> list[list[dict]]:
    return [[h.to_json() for h in engine.search(q, limit=25).hits] for q in QUERIES]


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "forked workers"])
def test_the_second_pass_gives_the_cache_of_one_pass(gen_store, parallel):
    invalid, not_toml = _break(gen_store)
    how = {"workers": 2, "parallel_from": 1} if parallel else {"workers": 1}
    one = _build(gen_store, defer=False, **how)
    one_files, one_hits = _files(one), _hits(one)
    two = _build(gen_store, defer=True, **how)
    assert _files(two) == one_files  # every segment file, byte for byte, and every array
    assert _hits(two) == one_hits
    problems = {e.path: e.extra.get("problem", "") for e in two.excerpts() if e.path in (invalid, not_toml)}
    assert "P0" in problems[invalid] and "not valid TOML" in problems[not_toml]
    assert sum(line != b"null" for line in two.profile_lines()) == len(two.excerpts()) - 2


def test_search_answers_before_the_second_pass_and_while_it_runs(gen_store, monkeypatch, needles):
    invalid, _ = _break(gen_store)
    one_hits = _hits(_build(gen_store, defer=False, workers=1))
    shutil.rmtree(gen_store / CACHE_SUBDIR)
    engine = SearchEngine(gen_store, defer_checks=True, workers=1)
    engine.open()
    assert engine.checks_pending
    assert _hits(engine) == one_hits  # searchable now, with the same hits (load problems are not known yet)
    assert not next(e for e in engine.excerpts() if e.path == invalid).extra  # found by the second pass only

    entered, release = threading.Event(), threading.Event()
    real = engine_module.check_many

    def slow_check(*args):
        entered.set()
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(engine_module, "check_many", slow_check)
    second = threading.Thread(target=engine.finish_checks)
    second.start()
    try:
        assert entered.wait(30)
        searched: list[int] = []
        searcher = threading.Thread(target=lambda: searched.append(len(engine.search(needles["cause"]).hits)))
        searcher.start()
        searcher.join(30)
        assert searched and searched[0] > 0  # answered while the second pass was under way
        assert engine.checks_pending
    finally:
        release.set()
        second.join(60)
    assert not engine.checks_pending
    assert next(e for e in engine.excerpts() if e.path == invalid).extra.get("problem")
    assert _hits(engine) == one_hits


def test_profiles_wait_for_the_second_pass(gen_store):
    engine = SearchEngine(gen_store, defer_checks=True, workers=1)
    engine.open()
    assert engine.checks_pending
    lines = engine.profile_lines()
    assert not engine.checks_pending and len(lines) == len(engine.excerpts()) and b"null" not in lines


def test_a_file_changed_between_the_passes_is_left_to_the_refresh(gen_store):
    engine = SearchEngine(gen_store, defer_checks=True, workers=1)
    engine.open()
    target = sorted((gen_store / "incidents").glob(f"*/*/*/{INCIDENT_FILE}"))[3]
    folder = target.parent.relative_to(gen_store).as_posix()
    target.write_text(target.read_text().replace('severity = "', 'severity = "X', 1) + "\n")
    assert engine.finish_checks()
    before = next(e for e in engine.excerpts() if e.path == folder)
    assert not before.extra  # not validated: these bytes are not the ones indexed
    assert folder in engine.refresh().changed
    after = next(e for e in engine.excerpts() if e.path == folder)
    assert "P0" in after.extra.get("problem", "")
    fresh = _build(gen_store, defer=False, workers=1)
    assert sorted(map(repr, engine.excerpts())) == sorted(map(repr, fresh.excerpts()))


def test_a_cache_left_half_built_is_finished_by_the_next_open(gen_store):
    invalid, _ = _break(gen_store)
    SearchEngine(gen_store, defer_checks=True, workers=1).open()  # stops before its second pass
    assert SearchEngine(gen_store, defer_checks=True).open() == engine_module.Changes()  # loads, still pending
    engine = SearchEngine(gen_store, workers=1)
    assert not engine.open()
    assert not engine.checks_pending
    assert next(e for e in engine.excerpts() if e.path == invalid).extra.get("problem")
    again = SearchEngine(gen_store, defer_checks=True)
    again.open()
    assert not again.checks_pending  # the manifest says so: finished once for every process


def test_a_rebuild_during_the_second_pass_wins(gen_store, monkeypatch):
    engine = SearchEngine(gen_store, defer_checks=True, workers=1)
    engine.open()
    real = engine_module.check_many

    def rebuild_meanwhile(*args):
        taxonomy = gen_store / "taxonomy.toml"  # edited while the second pass reads files: the index is rebuilt
        taxonomy.write_text(taxonomy.read_text() + "\n# edited\n")
        assert engine.refresh().rebuilt
        return real(*args)

    monkeypatch.setattr(engine_module, "check_many", rebuild_meanwhile)
    assert not engine.finish_checks()  # its result is for a base that is gone: dropped
    segments = {p.name for p in (gen_store / CACHE_SUBDIR).iterdir() if p.name.startswith("seg-")}
    assert segments == {engine.manifest.base}  # and its folder removed
    monkeypatch.setattr(engine_module, "check_many", real)
    assert engine.checks_pending and engine.finish_checks()


def test_a_small_store_is_built_in_one_pass_even_when_deferring(gen_store):
    invalid, _ = _break(gen_store)
    engine = SearchEngine(gen_store, defer_checks=True, defer_from=41, workers=1)  # the store has 40 incidents
    assert engine.open().rebuilt and not engine.checks_pending
    assert next(e for e in engine.excerpts() if e.path == invalid).extra.get("problem")
    shutil.rmtree(gen_store / CACHE_SUBDIR)
    at_the_threshold = SearchEngine(gen_store, defer_checks=True, defer_from=40, workers=1)
    at_the_threshold.open()
    assert at_the_threshold.checks_pending
