"""The persistent index: incremental updates from outside edits, and recovery from a damaged cache."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.domain.model import Incident, KeyTimes
from workbench.services.search import SearchEngine
from workbench.services.search.cache import CACHE_SUBDIR
from workbench.store import Store


def _ids(engine: SearchEngine, query: str) -> list[str]:
    return [h.id for h in engine.search(query, limit=50).hits]


def _folder(root: Path, incident_id: str) -> Path:
    return next((root / "incidents").glob(f"*/*/{incident_id}"))


def _segments(root: Path) -> list[Path]:
    return sorted((root / CACHE_SUBDIR).glob("seg-*"))


def test_cache_is_written_and_reused(gen_store):
    first = SearchEngine(gen_store)
    assert first.open().rebuilt == "there was no index yet"
    assert (gen_store / CACHE_SUBDIR / "manifest.json").is_file()
    second = SearchEngine(gen_store)
    changes = second.open()
    assert not changes and second.last_open == "loaded"
    assert _ids(second, "marigold") == _ids(first, "marigold")
    # The cache lives in the git-ignored folder: git sees nothing new.
    assert Store(gen_store).git.repo.git.status("--porcelain", "--untracked-files=all") == ""


def test_outside_edit_is_found_by_its_new_text(gen_store, needles):
    engine = SearchEngine(gen_store)
    engine.open()
    md = _folder(gen_store, needles["cause"]) / "postmortem.md"
    md.write_text(md.read_text() + "\nA zanzibarite cluster was involved.\n")
    assert _ids(engine, "zanzibarite") == []
    changes = engine.refresh()
    assert changes.changed == [md.parent.relative_to(gen_store).as_posix()]
    assert _ids(engine, "zanzibarite") == [needles["cause"]]
    # Old text that the edit kept is still found once, from the delta, not twice.
    assert _ids(engine, "quillfeather").count(needles["cause"]) == 1
    # And a fresh process sees it from the cache, without re-reading anything.
    again = SearchEngine(gen_store)
    assert not again.open()
    assert _ids(again, "zanzibarite") == [needles["cause"]]


def test_deleted_incident_disappears_and_added_one_appears(gen_store, needles):
    engine = SearchEngine(gen_store)
    engine.open()
    shutil.rmtree(_folder(gen_store, needles["partial"]))
    store = Store(gen_store)
    record = store.create(
        Incident(
            id="2025-01-02-yarrowgate-embedding-drift",
            title="Yarrowgate embedding drift",
            times=KeyTimes(started=datetime(2025, 1, 2, tzinfo=timezone.utc)),
        )
    )
    changes = engine.refresh()
    assert changes.removed == [f"incidents/{needles['partial'][:4]}/{needles['partial'][5:7]}/{needles['partial']}"]
    assert changes.added == [store.display(record.folder).as_posix()]
    assert needles["partial"] not in _ids(engine, "thistlewood compaction")
    assert _ids(engine, "yarrowgate")[:1] == ["2025-01-02-yarrowgate-embedding-drift"]
    assert needles["partial"] not in {e.id for e in engine.excerpts()}
    again = SearchEngine(gen_store)
    again.open()
    assert needles["partial"] not in _ids(again, "thistlewood compaction")
    assert _ids(again, "yarrowgate")[:1] == ["2025-01-02-yarrowgate-embedding-drift"]


def test_refresh_folders_after_a_save(gen_store, needles):
    engine = SearchEngine(gen_store)
    engine.open()
    store = Store(gen_store)
    record = store.load(needles["title-typo"])
    new = record.incident.model_copy(update={"summary": "The quokkaform sampler was involved."})
    saved = store.save(record, new, where="overview", what="summary")
    changes = engine.refresh_folders([saved.folder])
    assert changes.changed and _ids(engine, "quokkaform") == [needles["title-typo"]]


def test_same_size_same_mtime_edit_is_caught_by_the_hash(gen_store, needles):
    # A file indexed within the clock's granularity of its last write, then edited again keeping its
    # size and mtime: stat alone would miss the edit, so such "racy" entries are hashed next time.
    toml = _folder(gen_store, needles["title-typo"]) / "incident.toml"
    text = toml.read_text()
    toml.write_text(text)  # written just now
    engine = SearchEngine(gen_store)
    engine.open()
    before = toml.stat()
    toml.write_text(text.replace("Marigold", "Pinewold"))
    os.utime(toml, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert toml.stat().st_size == before.st_size
    engine.refresh()
    assert _ids(engine, "pinewold")[:1] == [needles["title-typo"]]
    assert needles["title-typo"] not in _ids(engine, "marigold")


def test_a_build_slower_than_the_clock_granularity_still_hashes_a_file_written_just_before(
    gen_store, needles, monkeypatch
):
    # Whether an entry is racy depends on when its file was read, not on when the build ended: a build that takes
    # longer than the granularity (a large store, a loaded machine) must not make a just-written file trusted by stat.
    from workbench.services.search import engine as engine_module
    from workbench.services.search.segment import Segment

    real_now, real_build, late = engine_module.now_ns, Segment.build, [0]
    monkeypatch.setattr(engine_module, "now_ns", lambda: real_now() + late[0])

    def slow_build(*args, **kwargs):
        late[0] = 10 * engine_module.RACY_NS  # the files were read; the build "ends" long after
        return real_build(*args, **kwargs)

    monkeypatch.setattr(Segment, "build", slow_build)
    toml = _folder(gen_store, needles["title-typo"]) / "incident.toml"
    text = toml.read_text()
    toml.write_text(text)  # written just now
    engine = SearchEngine(gen_store)
    engine.open()
    before = toml.stat()
    toml.write_text(text.replace("Marigold", "Pinewold"))
    os.utime(toml, ns=(before.st_atime_ns, before.st_mtime_ns))
    engine.refresh()
    assert _ids(engine, "pinewold")[:1] == [needles["title-typo"]]


def test_touched_but_unchanged_files_are_not_reindexed(gen_store, needles):
    engine = SearchEngine(gen_store)
    engine.open()
    toml = _folder(gen_store, needles["cause"]) / "incident.toml"
    os.utime(toml, ns=(toml.stat().st_atime_ns, toml.stat().st_mtime_ns + 10_000_000_000))
    assert not engine.refresh()
    assert engine.delta is None


def test_many_changes_compact_into_a_new_base(gen_store):
    engine = SearchEngine(gen_store, delta_limit=2)
    engine.open()
    first_base = engine.manifest.base
    for md in sorted(gen_store.glob("incidents/*/*/*/postmortem.md"))[:15]:
        md.write_text(md.read_text() + "\nNoted by the quasarwick review.\n")
    changes = engine.refresh()
    assert changes.rebuilt and len(changes.changed) == 15
    assert engine.manifest.base != first_base and engine.delta is None and not engine.manifest.dead
    assert len(_ids(engine, "quasarwick")) == 15
    assert [p.name for p in _segments(gen_store)] == [engine.manifest.base]


def test_taxonomy_change_rebuilds(gen_store):
    engine = SearchEngine(gen_store)
    engine.open()
    path = gen_store / "taxonomy.toml"
    path.write_text(path.read_text().replace('name = "KV cache pathology"', 'name = "KV cache mischief"'))
    assert engine.refresh().rebuilt == "taxonomy.toml changed"
    assert engine.search("kv cache mischief").hits[0].id == "inference-serving.kv-cache-pathology"


def test_unparsable_incident_is_still_found_and_says_why(gen_store, needles):
    engine = SearchEngine(gen_store)
    engine.open()
    toml = _folder(gen_store, needles["lesson"]) / "incident.toml"
    toml.write_text("title = 'unterminated\nnote = 'the glimmerfen rollout'\n")
    engine.refresh()
    hit = engine.search("glimmerfen").hits[0]
    assert hit.id == needles["lesson"]
    assert "not valid TOML" in hit.excerpt.extra["problem"]


@pytest.mark.parametrize(
    "damage",
    [
        "garbage-manifest",
        "truncated-manifest",
        "old-version",
        "missing-segment",
        "truncated-arrays",
        "garbage-vocab",
        "garbage-docs",
        "empty-texts",
    ],
)
def test_damaged_cache_is_rebuilt_with_correct_results(gen_store, needles, damage):
    SearchEngine(gen_store).open()
    cache = gen_store / CACHE_SUBDIR
    seg = _segments(gen_store)[0]
    manifest = cache / "manifest.json"
    if damage == "garbage-manifest":
        manifest.write_bytes(os.urandom(300))
    elif damage == "truncated-manifest":
        manifest.write_bytes(manifest.read_bytes()[:200])
    elif damage == "old-version":
        data = json.loads(manifest.read_text())
        data["format"] = 1
        manifest.write_text(json.dumps(data))
    elif damage == "missing-segment":
        shutil.rmtree(seg)
    elif damage == "truncated-arrays":
        arrays = seg / "arrays.npz"
        arrays.write_bytes(arrays.read_bytes()[: arrays.stat().st_size // 2])
    elif damage == "garbage-vocab":
        (seg / "vocab.txt").write_bytes(b"\xff\xfe" + os.urandom(100))
    elif damage == "garbage-docs":
        (seg / "docs.json").write_bytes(b"[[1,2,3]]")
    elif damage == "empty-texts":
        (seg / "texts.jsonl").write_bytes(b"")
    engine = SearchEngine(gen_store)
    changes = engine.open()
    assert changes.rebuilt.startswith("the index cache")
    assert engine.search("speculative decodng marigold").hits[0].id == needles["title-typo"]
    assert [p.name for p in _segments(gen_store)] == [engine.manifest.base]


def test_texts_damaged_after_loading_are_rebuilt_on_next_refresh(gen_store, needles):
    engine = SearchEngine(gen_store)
    engine.open()
    texts = _segments(gen_store)[0] / "texts.jsonl"
    texts.write_bytes(b"x" * texts.stat().st_size)  # same size: only reading it finds the damage
    engine.search("marigold")  # finds the damage, does not crash
    assert engine.refresh().rebuilt.startswith("the index cache was damaged")
    assert engine.search("marigold").hits[0].id == needles["title-typo"]


def test_parallel_build_matches_sequential_and_reports_progress(gen_store):
    seen: list[tuple[int, int]] = []
    parallel = SearchEngine(gen_store, workers=2, parallel_from=1)
    parallel.open(progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 40) and seen[-1] == (40, 40)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    queries = ("marigold", "kv cache", "rollback canary", "brackenridge")
    found = [_ids(parallel, q) for q in queries]
    shutil.rmtree(gen_store / CACHE_SUBDIR)
    sequential = SearchEngine(gen_store, workers=1)
    sequential.open()
    assert [_ids(sequential, q) for q in queries] == found
    assert all(found)
