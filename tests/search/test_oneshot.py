"""The one-shot reader (services/search/oneshot.py): `workbench search` on a current index without numpy.

It must give the engine's answer exactly (hits, order, scores, snippets, totals), hand every index that is not
current to the engine (an edit made outside the app shows in the next search), and leave numpy unimported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services.search import SearchEngine
from workbench.services.search import engine as engine_module
from workbench.services.search.oneshot import search_once

TODAY = date(2026, 1, 15)

QUERIES = [
    "marigold",  # one word, typed: matched as a prefix too
    "marigold ",  # a whole word
    "speculative decodng marigold",  # a typo among three words
    "marigld",  # a typo alone
    "brackenridge shard",
    '"draft model"',  # a phrase
    'kv "cache" eviction',
    "s",  # a one-letter prefix: the 64 most used completions
    "st",
    "index staleness",  # taxonomy modes answer too
    "retrieval stale index",
    "rollback canary gate",
    "severity:P0,P1 model",  # filters
    "-severity:P0 rollback",
    "is:open alert",
    "after:2024-06 before:2025 cache",
    "stage:closed -tag:rag latency",
    "zzqqxxyy",  # nothing
    "the",  # a stop word alone, being typed
]


def _aged(root: Path, seconds: float = 60.0) -> None:
    """Every incident file and folder as if written a minute ago: nothing is then too recent to trust."""
    stamp = time.time() - seconds
    for folder, _dirs, files in os.walk(root / "incidents"):
        for name in files:
            os.utime(Path(folder) / name, (stamp, stamp))
        os.utime(folder, (stamp, stamp))


def _current(root: Path) -> SearchEngine:
    """An engine whose index on disk is current and trusted (no racy entries, folder mtimes recorded)."""
    engine = SearchEngine(root)
    engine.open()
    _aged(root)
    engine.refresh()  # records the aged stats and folder mtimes
    return engine


def _same(root: Path, engine: SearchEngine, query: str, limit: int) -> None:
    lite = search_once(root, query, limit, TODAY)
    full = engine.search(query, limit=limit, today=TODAY)
    assert lite is not None, query
    assert lite.error is None and full.error is None, query
    assert (lite.total, lite.words) == (full.total, full.words), query
    assert [h.id for h in lite.hits] == [h.id for h in full.hits], query
    assert lite.hits == full.hits, query  # scores to the bit, fields, snippets, spans, excerpts


@pytest.mark.parametrize("limit", [1, 3, 20])
def test_the_one_shot_answer_is_the_engines(gen_store: Path, limit: int) -> None:
    engine = _current(gen_store)
    for query in QUERIES:
        _same(gen_store, engine, query, limit)


def test_with_a_delta_segment_and_dead_documents_it_is_still_the_engines(gen_store: Path, needles) -> None:
    engine = _current(gen_store)
    edited = next(gen_store.glob(f"incidents/*/*/{needles['lesson']}/postmortem.md"))
    with open(edited, "a", encoding="utf-8") as handle:
        handle.write("\nThe marigold relay also dropped the rollback canary.\n")
    gone = next(gen_store.glob(f"incidents/*/*/{needles['timeline-only']}"))
    shutil.rmtree(gone)
    assert engine.refresh()
    _aged(gen_store)
    engine.refresh()
    assert engine.delta is not None and engine.manifest.dead
    for query in QUERIES:
        _same(gen_store, engine, query, 5)


def test_an_index_that_is_not_current_goes_to_the_engine(gen_store: Path, needles) -> None:
    engine = _current(gen_store)
    assert search_once(gen_store, "marigold", 5, TODAY) is not None
    toml = next(gen_store.glob(f"incidents/*/*/{needles['lesson']}/incident.toml"))
    toml.write_text(toml.read_text() + "\n")  # in place: same folder mtime, new size
    assert search_once(gen_store, "marigold", 5, TODAY) is None
    engine.refresh()  # caught up; the file was just read, so it is hashed again next time: still not trusted
    assert search_once(gen_store, "marigold", 5, TODAY) is None
    _aged(gen_store)
    engine.refresh()
    assert search_once(gen_store, "marigold", 5, TODAY) is not None
    (gen_store / "taxonomy.toml").write_text((gen_store / "taxonomy.toml").read_text() + "\n")
    assert search_once(gen_store, "marigold", 5, TODAY) is None
    assert search_once(gen_store, "mode:rag-retrieval.index-staleness", 5, TODAY) is None  # no words: the engine


def test_outside_edits_new_and_deleted_incidents_show_in_the_next_search(
    gen_store: Path, needles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _current(gen_store)
    opened: list[int] = []
    real_open = engine_module.SearchEngine.open
    monkeypatch.setattr(
        engine_module.SearchEngine, "open", lambda self, *a, **k: opened.append(1) or real_open(self, *a, **k)
    )

    def search(word: str) -> tuple[int, list[str]]:
        code = main(["--store", str(gen_store), "search", "--json", word])
        out = capsys.readouterr().out
        return code, [h["id"] for h in json.loads(out)["hits"]] if code == 0 else []

    assert search("marigold")[0] == 0
    assert opened == []  # a current index: answered without the engine
    # An edit in place (the folder's mtime does not move): the next search finds it.
    md = next(gen_store.glob(f"incidents/*/*/{needles['lesson']}/postmortem.md"))
    with open(md, "a", encoding="utf-8") as handle:
        handle.write("\nA quixotrelay fault was found later.\n")
    assert search("quixotrelay") == (0, [needles["lesson"]])
    # A new incident folder.
    source = md.parent
    new_id = "2099-01-01-brand-new-zorbulon"
    copy = gen_store / "incidents" / "2099" / "01" / new_id
    shutil.copytree(source, copy)
    toml = copy / "incident.toml"
    toml.write_text(toml.read_text().replace(f'id = "{needles["lesson"]}"', f'id = "{new_id}"'))
    (copy / "postmortem.md").write_text("The zorbulonflux queue filled up.\n")
    assert search("zorbulonflux") == (0, [new_id])
    # A deleted one: gone from the next search, once the rest is trusted again too.
    shutil.rmtree(copy)
    assert search("zorbulonflux") == (1, [])
    _aged(gen_store)
    assert search("quixotrelay") == (0, [needles["lesson"]])
    opened.clear()
    assert search("quixotrelay") == (0, [needles["lesson"]])
    assert opened == []


def test_a_one_shot_search_does_not_import_numpy(gen_store: Path, needles) -> None:
    _current(gen_store)
    probe = (
        "import sys\nfrom workbench.cli import main\n"
        f"code = main(['--store', {str(gen_store)!r}, 'search', '--color', 'never', 'speculative', 'decodng', "
        "'marigold'])\n"
        "print('numpy' in sys.modules, 'workbench.services.search.engine' in sys.modules, code)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    lines = run.stdout.splitlines()
    assert lines[-1] == "False False 0"
    assert lines[0].startswith(f" 1. {needles['title-typo']}  ")
    assert lines[1] == "    title: [Speculative] [decoding] acceptance collapse on the [Marigold] draft model"


def test_the_stats_split_with_a_child_process_still_catch_an_edit_in_either_part(gen_store: Path) -> None:
    """The child takes the first part of the file table and says by its exit status; the parent the rest."""
    _current(gen_store)
    table = sorted((gen_store / ".workbench" / "cache" / "search").glob("files-*.paths"))[0]
    paths = table.read_text().split("\n")
    first, last = paths[0], paths[-1]
    probe = f"""
import os, sys
from pathlib import Path
from workbench.services.search import oneshot
oneshot.FORK_FROM = 0  # 40 incidents: split anyway
forks = []
real_fork = os.fork
def counting_fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counting_fork
root = Path({str(gen_store)!r})
def answer():
    return "lite" if oneshot.search_once(root, "marigold", 5) is not None else "engine"
print(answer(), len(forks))
for rel in ({first!r}, {last!r}):
    md = root / rel / "postmortem.md"
    st = md.stat()
    original = md.read_bytes()
    md.write_bytes(original + b"x")
    print(answer(), len(forks))
    md.write_bytes(original)
    os.utime(md, ns=(st.st_atime_ns, st.st_mtime_ns))
    print(answer(), len(forks))
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.split("\n")[:5] == ["lite 1", "engine 2", "lite 3", "engine 4", "lite 5"]


@pytest.mark.parametrize("damage", ["arrays.npz", "docs.json", "vocab.txt", "manifest.json", "files.npy"])
def test_a_damaged_cache_is_left_to_the_engine_which_rebuilds_it(
    gen_store: Path, needles, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _current(gen_store)
    cache = gen_store / ".workbench" / "cache" / "search"
    segment = next(cache.glob("seg-*"))
    target = {
        "arrays.npz": segment / "arrays.npz",
        "docs.json": segment / "docs.json",
        "vocab.txt": segment / "vocab.txt",
        "manifest.json": cache / "manifest.json",
        "files.npy": next(cache.glob("files-*.npy")),
    }[damage]
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2] + b"\x00garbage" * 3)
    assert search_once(gen_store, "marigold", 5, TODAY) is None
    assert main(["--store", str(gen_store), "search", "--json", "speculative", "decodng", "marigold"]) == 0
    data_out = json.loads(capsys.readouterr().out)
    assert data_out["hits"][0]["id"] == needles["title-typo"]
