"""The cheap first build gives the same index as the plain one it replaced.

The build reads an incident's two files through one resolved folder, numbers tokens with `dict.setdefault`
mapped in C, sorts postings as packed (token, group) pairs and counts learning words without stemming. Each
test keeps the plain version it replaced as an oracle and compares on a generated store: the same postings,
the same files read (and refused, with the same words), the same word counts, the same search hits.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest
from search_helpers import load_generator

from workbench.services.learning.textsim import surface_counts, words
from workbench.services.search import SearchEngine
from workbench.services.search import extract as extract_module
from workbench.services.search.cache import CACHE_SUBDIR
from workbench.services.search.engine import scan_folders
from workbench.services.search.extract import FolderFds, read_file, read_folder
from workbench.services.search.segment import Chunk, Segment, tokenize
from workbench.services.search.text import KIND_ID, STOPWORDS, TOKEN_TABLE, token_set, tokens
from workbench.store.boundary import Boundary
from workbench.store.layout import INCIDENT_FILE, NARRATIVE_FILE
from workbench.store.textio import MAX_FILE_BYTES

QUERIES = [query for query, _needle, _what in load_generator().QUERIES] + [
    "kv cahce",
    "severity:P0 latency",
    "stage:review drift",
    "reward hacking evaluation",
    "tokenizer",
    '"stale embeddings"',
    "qu",
]


def plain_tokenize(docs, profiles=None) -> Chunk:
    """The tokenizer as it was: a Python loop over every token of every group."""
    local: dict[str, int] = {}
    tok: list[int] = []
    grp: list[int] = []
    group_doc: list[int] = []
    group_kind: list[int] = []
    lines: list[bytes] = []
    for doc_index, (_, fields) in enumerate(docs):
        by_kind: dict[str, list[str]] = {}
        for kind, _path, _entry, text in fields:
            by_kind.setdefault(kind, []).append(text)
        for kind, texts in by_kind.items():
            group = len(group_doc)
            group_doc.append(doc_index)
            group_kind.append(KIND_ID[kind])
            ids = [local.setdefault(t, len(local)) for t in token_set("\n".join(texts))]
            tok.extend(ids)
            grp.extend([group] * len(ids))
        lines.append(orjson.dumps(fields) + b"\n")
    return Chunk(
        [e for e, _ in docs],
        lines,
        list(local),
        np.asarray(tok, dtype=np.int32),
        np.asarray(grp, dtype=np.int32),
        np.asarray(group_doc, dtype=np.int32),
        np.asarray(group_kind, dtype=np.uint8),
        [p + b"\n" for p in profiles] if profiles is not None else [b"null\n"] * len(docs),
    )


def plain_csr(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=size), out=offsets[1:])
    return offsets, values[order].astype(np.int32)


def _docs(root: Path) -> list:
    boundary = Boundary(root)
    return [
        (e.excerpt, e.fields)
        for e in (extract_module.extract_folder(root, f, {}, boundary) for f in sorted(scan_folders(root)))
    ]


def _pairs(chunk: Chunk) -> set[tuple[str, int]]:
    return {(chunk.vocab[t], int(g)) for t, g in zip(chunk.tok, chunk.grp, strict=True)}


def test_tokenize_numbers_the_same_tokens_in_the_same_groups(gen_store):
    docs = _docs(gen_store)
    fast, plain = tokenize(docs), plain_tokenize(docs)
    assert _pairs(fast) == _pairs(plain)
    assert len(fast.tok) == len(plain.tok)  # no token twice in a group
    assert sorted(fast.vocab) == sorted(plain.vocab) and len(set(fast.vocab)) == len(fast.vocab)
    assert np.array_equal(fast.group_doc, plain.group_doc) and np.array_equal(fast.group_kind, plain.group_kind)
    assert fast.lines == plain.lines


def test_segment_postings_equal_a_stable_argsort(gen_store, tmp_path):
    docs = _docs(gen_store)
    half = len(docs) // 2
    chunks = [tokenize(docs[:half]), tokenize(docs[half:])]  # two workers' chunks, merged
    seg = Segment.build(chunks, tmp_path / "seg")
    vocab_id = {t: i for i, t in enumerate(seg.vocab)}
    keys, groups, base = [], [], 0
    for c in chunks:
        keys += [vocab_id[c.vocab[t]] for t in c.tok]
        groups += [int(g) + base for g in c.grp]
        base += len(c.group_doc)
    offsets, postings = plain_csr(np.asarray(keys, dtype=np.int32), np.asarray(groups, dtype=np.int32), len(vocab_id))
    assert np.array_equal(seg.offsets, offsets) and np.array_equal(seg.postings, postings)
    for token_id in range(len(seg.vocab)):  # each token's groups ascend, as scoring expects
        assert np.all(np.diff(seg.postings[seg.offsets[token_id] : seg.offsets[token_id + 1]]) > 0)


@pytest.mark.parametrize(
    "text",
    [
        "The KV-cache was evicted; re-indexing (re-index) failed 3 times at 10.2.3.4 ... cache, Cache, CACHE.",
        "ab a_b _x_ 2024 v1.2 -- ... gpu_01 gpu-01 the and reindexed reindexing reindex",
        "",
        "Ünïcode wörds naïve café 東京 and ascii",
    ],
)
def test_surface_counts_equal_counting_the_surface_words(text):
    assert surface_counts(text) == dict(Counter(w for _, w in words(text)))
    assert list(surface_counts(text)) == list(dict(Counter(w for _, w in words(text))))  # same order


def _plain_read(boundary: Boundary, folder: Path, *, md: bool = True, **_how: object) -> tuple:
    """Each file through the boundary (`_how`: how the fast path would open the folder, which this one ignores)."""
    narrative = read_file(boundary, folder / NARRATIVE_FILE) if md else (None, None, "")
    return read_file(boundary, folder / INCIDENT_FILE), narrative


def test_reading_a_folder_equals_reading_each_file_through_the_boundary(gen_store, tmp_path):
    boundary = Boundary(gen_store)
    folders = [gen_store / f for f in sorted(scan_folders(gen_store))]
    outside = tmp_path / "outside.md"
    outside.write_text("# secret\n")
    for folder in folders[:8]:
        (folder / NARRATIVE_FILE).write_text("# Summary\n\nA narrative.\n")
    (folders[0] / NARRATIVE_FILE).unlink()  # no narrative
    (folders[1] / NARRATIVE_FILE).unlink()
    os.symlink(folders[2] / NARRATIVE_FILE, folders[1] / NARRATIVE_FILE)  # a link inside the store: followed
    (folders[3] / NARRATIVE_FILE).unlink()
    os.symlink(outside, folders[3] / NARRATIVE_FILE)  # a link out: refused
    (folders[4] / NARRATIVE_FILE).unlink()
    os.mkfifo(folders[4] / NARRATIVE_FILE)  # a FIFO: refused without blocking
    (folders[5] / NARRATIVE_FILE).write_bytes(b"x" * (MAX_FILE_BYTES + 1))  # over the cap: refused
    shutil.move(folders[6], tmp_path / "moved")
    os.symlink(tmp_path / "moved", folders[6])  # the incident folder links out: both refused
    shutil.rmtree(folders[7])  # gone since the scan
    month = folders[8].parent  # a month folder that is a link (inside the store): the walk falls back, same result
    shutil.move(month, tmp_path / "month")
    os.symlink(tmp_path / "month", month)  # ... and one that leads out of it: refused
    with FolderFds(gen_store) as fds:
        for folder in folders:
            plain = _plain_read(boundary, folder)
            assert read_folder(boundary, folder) == plain, folder.name
            rel = folder.relative_to(gen_store).as_posix()
            assert read_folder(boundary, folder, folders=fds, rel=rel) == plain, folder.name
            assert read_folder(boundary, folder, md=False, folders=fds, rel=rel) == (plain[0], (None, None, ""))
    refused = [read_folder(boundary, f)[1][2] for f in folders[3:7]]
    assert all("refused" in why or "limit" in why for why in refused), refused
    assert "refused" in read_folder(boundary, folders[8])[0][2]


def test_prefetch_names_only_regular_files_inside_the_store_and_never_blocks(gen_store, tmp_path, monkeypatch):
    """The cold-cache hint (`extract.prefetch`) names each incident's two files to the kernel in order, and only
    those it may read: a FIFO is not opened for reading (it would block), a link out of the store, an incident
    folder or a month folder that links out, and a folder gone meanwhile are passed over."""
    folders = [gen_store / f for f in sorted(scan_folders(gen_store))]
    outside = tmp_path / "outside.md"
    outside.write_text("# secret\n")
    (folders[0] / NARRATIVE_FILE).write_text("# Summary\n\nA narrative.\n")
    (folders[1] / NARRATIVE_FILE).unlink(missing_ok=True)
    os.symlink(outside, folders[1] / NARRATIVE_FILE)  # a link out
    (folders[2] / NARRATIVE_FILE).unlink(missing_ok=True)
    os.mkfifo(folders[2] / NARRATIVE_FILE)  # a FIFO
    shutil.move(folders[3], tmp_path / "moved")
    os.symlink(tmp_path / "moved", folders[3])  # the incident folder links out
    shutil.rmtree(folders[4])  # gone
    month = folders[-1].parent  # a month folder that links out of the store
    shutil.move(month, tmp_path / "month")
    os.symlink(tmp_path / "month", month)
    hinted: list[str] = []

    def spy(fd: int, offset: int, length: int, advice: int) -> None:
        assert advice == os.POSIX_FADV_WILLNEED
        hinted.append(os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(os, "posix_fadvise", spy)
    rels = [f.relative_to(gen_store).as_posix() for f in folders]
    worker = threading.Thread(target=extract_module.prefetch, args=(gen_store, rels, threading.Event()))
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "prefetch blocked"
    root = os.path.realpath(gen_store)
    expected = [
        os.path.realpath(f / name)
        for f in folders
        if f.parent != month and f not in (folders[3], folders[4])
        for name in (INCIDENT_FILE, NARRATIVE_FILE)
        if (f / name).is_file() and not (f / name).is_symlink()
    ]
    assert hinted == expected and len(expected) > 10
    assert all(path.startswith(root + os.sep) for path in hinted)
    stopped = threading.Event()
    stopped.set()
    hinted.clear()
    extract_module.prefetch(gen_store, rels, stopped)
    assert hinted == []


@pytest.mark.parametrize(
    "text",
    [
        "The KV-Cache WAS evicted; RE-indexing",
        "Ünïcode WÖRDS naïve İstanbul ǅ ß ΣΑΣ",
        "",
        "  \n ",
        "ABC_x9 the To",
        "x".join(chr(c) for c in range(128)),  # every ASCII character, each between letters (the bytes table)
    ],
)
def test_tokens_equal_lowering_then_translating(text):
    plain = text.lower().translate(TOKEN_TABLE).split()
    assert tokens(text) == plain
    assert token_set(text) == set(plain) - STOPWORDS


def _hits(root: Path, **kwargs) -> list[list[dict]]:
    shutil.rmtree(root / CACHE_SUBDIR, ignore_errors=True)
    engine = SearchEngine(root, **kwargs)
    assert engine.open().rebuilt
    return [[h.to_json() for h in engine.search(q, limit=25).hits] for q in QUERIES]


def test_search_hits_equal_those_of_the_plain_build(gen_store, monkeypatch, tmp_path):
    broken = next((gen_store / "incidents").glob(f"*/*/*/{INCIDENT_FILE}"))
    broken.write_text(broken.read_text().replace('severity = "', 'severity = "X', 1))  # loads with a problem
    cheap = _hits(gen_store, workers=1)
    assert _hits(gen_store, workers=2, parallel_from=1) == cheap  # forked workers (no other thread runs)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()  # with a thread running (as in the app) the workers are spawned, not forked
    try:
        assert _hits(gen_store, workers=2, parallel_from=1) == cheap
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(extract_module, "tokenize", plain_tokenize)
    monkeypatch.setattr(extract_module, "read_folder", _plain_read)
    assert _hits(gen_store, workers=1) == cheap
    assert any(h for hits in cheap for h in hits)  # the queries find things: an empty comparison proves nothing
    engine = SearchEngine(gen_store)
    engine.open()
    folder = broken.parent.relative_to(gen_store).as_posix()
    assert any(e.path.startswith(folder) and e.extra.get("problem") for e in engine.base.docs)
