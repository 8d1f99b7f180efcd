"""One immutable piece of the search index: documents, their vocabulary, postings and texts.

Postings go from a token to *groups*: all the fields of one kind in one document (the causes of an
incident, its timeline events, its narrative ...). That is ~3x fewer postings than per field, and
the exact field is found again, for the few results shown, from the stored texts.

Arrays are numpy (vectorised scoring is what keeps a keystroke within a frame at 10,000
incidents); on disk they are `.npy` arrays in an `.npz` (loaded with `allow_pickle=False`), the
vocabulary and documents are text and JSON: nothing in the cache can run code when loaded.
"""

from __future__ import annotations

import bisect
import os
import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, count
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson

from .columns import Columns
from .docs import CorruptSegment, Docs, read_fields
from .excerpt import Excerpt
from .listing import write_listing
from .text import KIND_ID, Field, token_set
from .text import bigrams as _bigrams


PROFILES_FILE = "profiles.jsonl"
_SHARED = ("texts.jsonl", "vocab.txt", "bigrams.txt")  # what the second pass of a build leaves as it was
_COLUMNS_LOCK = threading.Lock()  # a segment's filter columns are read once, by whichever thread asks first


def _csr(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Values grouped by key. Callers give each key's values in ascending order (group and token ids are
    made in order), so a stable sort by key keeps them ascending. With at most 65,536 keys (a 10,000-incident
    store has ~30,000 tokens) the keys fit 16 bits, which numpy sorts stably by radix: ~4x faster on 5 million
    postings than sorting (key, value) pairs packed in one int64, which is what larger vocabularies get."""
    counts = np.bincount(keys, minlength=size)
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if size <= 1 << 16:
        order = np.argsort(keys.astype(np.uint16), kind="stable")
        return offsets, values[order].astype(np.int32, copy=False)
    pairs = (keys.astype(np.int64) << 32) | values.astype(np.int64)
    pairs.sort(kind="stable")
    return offsets, (pairs & 0xFFFFFFFF).astype(np.int32)


def _write_synced(path: Path, lines: list[bytes]) -> None:
    with open(path, "wb") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


@dataclass
class Chunk:
    """Some documents tokenized on their own (in a worker process): merged into a segment by `build`."""

    excerpts: list[Excerpt]
    lines: list[bytes]  # each document's fields as one JSON line (texts.jsonl)
    vocab: list[str]  # chunk-local token ids index this
    tok: np.ndarray  # int32 chunk-local token id, one per posting
    grp: np.ndarray  # int32 chunk-local group id, one per posting
    group_doc: np.ndarray  # int32 chunk-local document of each group
    group_kind: np.ndarray  # uint8 kind of each group
    profiles: list[bytes]  # each document's learning profile as one JSON line ("null" for modes, broken files)


def tokenize(docs: list[tuple[Excerpt, list[Field]]], profiles: Sequence[bytes] | None = None) -> Chunk:
    """Documents' fields grouped by kind, each group's distinct tokens numbered chunk-locally.

    Tokens are numbered by `dict.setdefault` mapped over all groups' token sets at once (in C, no Python
    frame per token), with the call's position as the default: a token keeps the position of its first
    use, and those sparse numbers are then made dense with one array lookup."""
    group_texts: list[str] = []
    group_doc: list[int] = []
    group_kind: list[int] = []
    lines: list[bytes] = []
    for doc_index, (_, fields) in enumerate(docs):
        by_kind: dict[str, list[str]] = {}
        for kind, _path, _entry, text in fields:
            by_kind.setdefault(kind, []).append(text)
        for kind, texts in by_kind.items():
            group_doc.append(doc_index)
            group_kind.append(KIND_ID[kind])
            group_texts.append("\n".join(texts))
        lines.append(orjson.dumps(fields) + b"\n")
    sets = list(map(token_set, group_texts))
    sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    total = int(sizes.sum())
    local: dict[str, int] = {}
    first_use = np.fromiter(map(local.setdefault, chain.from_iterable(sets), count()), dtype=np.int64, count=total)
    dense = np.zeros(total, dtype=np.int32)
    dense[np.fromiter(local.values(), dtype=np.int64, count=len(local))] = np.arange(len(local), dtype=np.int32)
    return Chunk(
        [e for e, _ in docs],
        lines,
        list(local),
        dense[first_use],
        np.repeat(np.arange(len(sets), dtype=np.int32), sizes),
        np.asarray(group_doc, dtype=np.int32),
        np.asarray(group_kind, dtype=np.uint8),
        [p + b"\n" for p in profiles] if profiles is not None else [b"null\n"] * len(docs),
    )


@dataclass
class Segment:
    docs: Sequence[Excerpt]  # a list when built, lazy Docs when loaded
    vocab: list[str]
    offsets: np.ndarray  # int64[len(vocab)+1]
    postings: np.ndarray  # int32 group ids
    group_doc: np.ndarray  # int32[n_groups]
    group_kind: np.ndarray  # uint8[n_groups]
    bigrams: dict[str, int]
    bg_offsets: np.ndarray
    bg_postings: np.ndarray  # token ids
    tok_len: np.ndarray  # uint8 token lengths (capped at 255)
    path: Path | None = None
    text_offsets: np.ndarray | None = None
    is_mode: np.ndarray | None = None  # bool per document: a taxonomy mode, not an incident

    # ------------------------------------------------------------------------------------ build
    @classmethod
    def build(cls, chunks: list[Chunk], folder: Path) -> Segment:
        """Merge tokenized chunks (made in worker processes) into one segment, written to `folder` (a fresh one:
        the caller makes it current with one atomic rename of the manifest).

        Three things at once, which is what the second core is free for at the end of a first build: writing
        the texts (I/O) and sorting the postings (numpy) release the GIL while the bigram index is made."""
        from concurrent.futures import ThreadPoolExecutor

        folder.mkdir(parents=True, exist_ok=False)
        vocab = sorted({t for c in chunks for t in c.vocab})
        global_id = {t: i for i, t in enumerate(vocab)}
        keys, groups, group_doc, group_kind = [], [], [], []
        n_groups = n_docs = 0
        for c in chunks:
            remap = np.fromiter((global_id[t] for t in c.vocab), dtype=np.int32, count=len(c.vocab))
            keys.append(remap[c.tok] if len(c.tok) else np.zeros(0, dtype=np.int32))
            groups.append(c.grp + n_groups)
            group_doc.append(c.group_doc + n_docs)
            group_kind.append(c.group_kind)
            n_groups += len(c.group_doc)
            n_docs += len(c.excerpts)
        lines = [line for c in chunks for line in c.lines]
        text_offsets = np.zeros(len(lines) + 1, dtype=np.int64)
        np.cumsum(np.fromiter((len(line) for line in lines), dtype=np.int64, count=len(lines)), out=text_offsets[1:])
        with ThreadPoolExecutor(2) as pool:
            texts = pool.submit(_write_synced, folder / "texts.jsonl", lines)  # ~100 MB at 10,000 incidents
            sorted_postings = pool.submit(_csr, _cat(keys, np.int32), _cat(groups, np.int32), len(vocab))
            bigrams, bg_offsets, bg_postings = _bigram_index(vocab)
            offsets, postings = sorted_postings.result()
            seg = cls(
                docs=[e for c in chunks for e in c.excerpts],
                vocab=vocab,
                offsets=offsets,
                postings=postings,
                group_doc=_cat(group_doc, np.int32),
                group_kind=_cat(group_kind, np.uint8),
                bigrams=bigrams,
                bg_offsets=bg_offsets,
                bg_postings=bg_postings,
                tok_len=np.minimum(np.fromiter((len(t) for t in vocab), dtype=np.int64, count=len(vocab)), 255).astype(
                    np.uint8
                ),
            )
            (folder / "vocab.txt").write_text("\n".join(seg.vocab), encoding="utf-8")
            (folder / "bigrams.txt").write_text("\n".join(seg.bigrams), encoding="utf-8")
            profiles = [line for c in chunks for line in c.profiles]
            seg._save_docs(folder, text_offsets, profiles, ("vocab.txt", "bigrams.txt"))
            texts.result()  # written and synced before the caller's manifest names the segment
        return seg

    # ------------------------------------------------------------------------------ persistence
    def _save_docs(
        self, folder: Path, text_offsets: np.ndarray, profiles: list[bytes], synced: tuple[str, ...]
    ) -> None:
        """The documents, profiles and arrays of a segment whose texts and vocabulary are in `folder` already."""
        with open(folder / PROFILES_FILE, "wb") as handle:
            handle.writelines(profiles)
        # A JSON array with one row per line, and where each row starts: a row is decoded when its document
        # is shown, not all 10,000 at every open.
        rows = [orjson.dumps(d.to_row()) for d in self.docs]
        doc_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.fromiter((len(r) + 2 for r in rows), dtype=np.int64, count=len(rows)), out=doc_offsets[1:])
        doc_offsets += 2  # after "[\n"; each row is followed by ",\n" (the last by "\n]")
        (folder / "docs.json").write_bytes(b"[\n" + b",\n".join(rows) + b"\n]")
        write_listing(folder, self.docs)  # the list's fields alone, read at start (listing.py); synced there
        is_mode = np.fromiter((d.kind == "mode" for d in self.docs), dtype=np.uint8, count=len(self.docs))
        np.savez(
            folder / "arrays.npz",
            offsets=self.offsets,
            postings=self.postings,
            group_doc=self.group_doc,
            group_kind=self.group_kind,
            bg_offsets=self.bg_offsets,
            bg_postings=self.bg_postings,
            tok_len=self.tok_len,
            text_offsets=text_offsets,
            doc_offsets=doc_offsets,
            is_mode=is_mode,
        )
        self.is_mode = is_mode.astype(bool)
        for name in (*synced, PROFILES_FILE, "docs.json", "arrays.npz"):
            with open(folder / name, "rb") as handle:
                os.fsync(handle.fileno())
        self.path, self.text_offsets = folder, text_offsets

    def with_docs(self, docs: list[Excerpt], profiles: list[bytes], folder: Path) -> Segment:
        """This segment with its documents and learning profiles replaced (what the second pass of a build found),
        written to a fresh folder. Texts and vocabulary do not change: they are linked, not written again."""
        assert self.path is not None and self.text_offsets is not None
        if len(docs) != len(self.docs) or len(profiles) != len(self.docs):
            raise ValueError("a segment's documents are replaced one for one")
        folder.mkdir(parents=True, exist_ok=False)
        for name in _SHARED:
            try:
                os.link(self.path / name, folder / name)
            except OSError:  # a file system without hard links: a copy is as good
                shutil.copyfile(self.path / name, folder / name)
        seg = Segment(
            docs=docs,
            vocab=self.vocab,
            offsets=self.offsets,
            postings=self.postings,
            group_doc=self.group_doc,
            group_kind=self.group_kind,
            bigrams=self.bigrams,
            bg_offsets=self.bg_offsets,
            bg_postings=self.bg_postings,
            tok_len=self.tok_len,
        )
        seg._save_docs(folder, self.text_offsets, [p + b"\n" for p in profiles], ())
        return seg

    @classmethod
    def load(cls, folder: Path) -> Segment:
        try:
            with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            vocab_text = (folder / "vocab.txt").read_text(encoding="utf-8")
            vocab = vocab_text.split("\n") if vocab_text else []
            bigram_text = (folder / "bigrams.txt").read_text(encoding="utf-8")
            bigram_list = bigram_text.split("\n") if bigram_text else []
            docs = Docs((folder / "docs.json").read_bytes(), arrays["doc_offsets"].tolist())
            seg = cls(
                docs=docs,
                vocab=vocab,
                offsets=arrays["offsets"],
                postings=arrays["postings"],
                group_doc=arrays["group_doc"],
                group_kind=arrays["group_kind"],
                bigrams={b: i for i, b in enumerate(bigram_list)},
                bg_offsets=arrays["bg_offsets"],
                bg_postings=arrays["bg_postings"],
                tok_len=arrays["tok_len"],
                path=folder,
                text_offsets=arrays["text_offsets"],
                is_mode=arrays["is_mode"].astype(bool),
            )
        except Exception as exc:  # noqa: BLE001 - zip, npy, JSON and shape errors alike: the cache is damaged
            raise CorruptSegment(f"{folder.name}: {exc}") from None
        seg._check()
        return seg

    def _check(self) -> None:
        """Cheap consistency checks that catch truncated or garbled files before they mislead a search."""
        n_groups = len(self.group_doc)
        problems = []
        if len(self.offsets) != len(self.vocab) + 1 or len(self.tok_len) != len(self.vocab):
            problems.append("vocabulary and offsets differ in length")
        elif len(self.offsets) and (
            self.offsets[0] != 0 or self.offsets[-1] != len(self.postings) or np.any(np.diff(self.offsets) < 0)
        ):
            problems.append("offsets do not cover the postings")
        if len(self.postings) and (self.postings.min() < 0 or self.postings.max() >= n_groups):
            problems.append("postings point past the groups")
        if n_groups and (self.group_doc.min() < 0 or self.group_doc.max() >= len(self.docs)):
            problems.append("groups point past the documents")
        if len(self.group_kind) != n_groups:
            problems.append("group kinds and documents differ in length")
        if len(self.bg_offsets) != len(self.bigrams) + 1 or (
            len(self.bg_postings) and self.bg_postings.max() >= len(self.vocab)
        ):
            problems.append("bigram index is inconsistent")
        if self.is_mode is not None and len(self.is_mode) != len(self.docs):
            problems.append("the mode column does not match the documents")
        if self.text_offsets is None or len(self.text_offsets) != len(self.docs) + 1:
            problems.append("text offsets do not match the documents")
        elif self.path is not None and (self.path / "texts.jsonl").stat().st_size != int(self.text_offsets[-1]):
            problems.append("texts.jsonl has the wrong size")
        if self.vocab != sorted(self.vocab):
            problems.append("vocabulary is not sorted")
        if problems:
            raise CorruptSegment(f"{self.path.name if self.path else 'segment'}: {'; '.join(problems)}")

    def profile_lines(self) -> list[bytes]:
        """Every document's learning profile line (JSON, b"null" for none), read only when learning needs them."""
        assert self.path is not None
        try:
            lines = (self.path / PROFILES_FILE).read_bytes().split(b"\n")
        except OSError as exc:
            raise CorruptSegment(f"{self.path.name}: {PROFILES_FILE}: {exc}") from None
        if lines and lines[-1] == b"":
            lines.pop()
        if len(lines) != len(self.docs):
            raise CorruptSegment(
                f"{self.path.name}: {PROFILES_FILE} has {len(lines)} lines for {len(self.docs)} documents"
            )
        return lines

    def open_profiles(self) -> BinaryIO:
        """profiles.jsonl opened to be read one line at a time, once its lines are counted as `profile_lines` counts
        them (one per document, else CorruptSegment): learning over 10,000 incidents then never holds every line
        (~30 MB) at once. The open file stays readable if the segment's folder is removed meanwhile."""
        assert self.path is not None
        lines, last = 0, b"\n"
        try:
            handle = open(self.path / PROFILES_FILE, "rb")  # noqa: SIM115 - the caller reads and closes it
            try:
                while block := handle.read(1 << 20):
                    lines, last = lines + block.count(b"\n"), block[-1:]
                handle.seek(0)
            except BaseException:
                handle.close()
                raise
        except OSError as exc:
            raise CorruptSegment(f"{self.path.name}: {PROFILES_FILE}: {exc}") from None
        lines += last != b"\n"  # a last line without its newline
        if lines != len(self.docs):
            handle.close()
            raise CorruptSegment(f"{self.path.name}: {PROFILES_FILE} has {lines} lines for {len(self.docs)} documents")
        return handle

    def fields(self, doc: int) -> list[Field]:
        assert self.path is not None and self.text_offsets is not None
        return read_fields(self.path, int(self.text_offsets[doc]), int(self.text_offsets[doc + 1]), doc)

    # --------------------------------------------------------------------------------- matching
    def token_id(self, token: str) -> int | None:
        i = bisect.bisect_left(self.vocab, token)
        return i if i < len(self.vocab) and self.vocab[i] == token else None

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self.vocab, prefix)
        hi = bisect.bisect_left(self.vocab, prefix + "\U0010ffff", lo)
        return lo, hi

    def fuzzy(self, term: str, max_edits: int, limit: int | None = 12) -> list[tuple[int, int]]:
        """(token id, edits) of vocabulary tokens within `max_edits` (OSA: a transposition is one edit).

        Candidates come from a bigram index first, so rapidfuzz scores a few dozen tokens, not the
        whole vocabulary (~30 ms a term at 60,000 tokens on the reference machine).
        """
        grams = [self.bigrams[g] for g in _bigrams(term) if g in self.bigrams]
        if not grams:
            return []
        parts = [self.bg_postings[self.bg_offsets[g] : self.bg_offsets[g + 1]] for g in grams]
        counts = np.bincount(np.concatenate(parts), minlength=len(self.vocab))
        need = max(1, len(term) + 1 - 3 * max_edits)
        candidates = np.flatnonzero(counts >= need)
        if len(candidates) == 0:
            return []
        lengths = self.tok_len[candidates].astype(np.int64)
        candidates = candidates[np.abs(lengths - len(term)) <= max_edits]
        if len(candidates) == 0:
            return []
        names = [self.vocab[i] for i in candidates.tolist()]
        from rapidfuzz import process  # only typo matching needs it: not imported by every `workbench search`
        from rapidfuzz.distance import OSA

        found = process.extract(term, names, scorer=OSA.distance, score_cutoff=max_edits, limit=limit)
        return [(int(candidates[index]), int(edits)) for _, edits, index in found]

    def doc_id(self, doc: int) -> str:
        """A document's id (the tie-break of equal scores), without making its excerpt."""
        return self.docs.id_of(doc) if isinstance(self.docs, Docs) else self.docs[doc].id

    def newest_key(self, doc: int) -> tuple[str, str]:
        """A document's (started, id), without making its excerpt (lists newest first sort by it)."""
        if isinstance(self.docs, Docs):
            return self.docs.newest_key(doc)
        made = self.docs[doc]
        return made.started, made.id

    def doc_path(self, doc: int) -> str:
        """A document's folder, without making its excerpt (the manifest check reads all of them)."""
        return self.docs.path(doc) if isinstance(self.docs, Docs) else self.docs[doc].path

    @property
    def columns_read(self) -> bool:
        """Whether `columns()` answers at once (read already), without the ~0.1 s read at 10,000 documents."""
        return getattr(self, "_columns", None) is not None

    def columns(self) -> Columns:
        """The documents' filterable fields as columns (read from the stored rows once, then kept)."""
        with _COLUMNS_LOCK:
            made: Columns | None = getattr(self, "_columns", None)
            if made is None:
                rows = self.docs.rows() if isinstance(self.docs, Docs) else (d.to_row() for d in self.docs)
                made = self._columns = Columns(rows)
            return made

    def doc_groups(self) -> np.ndarray:
        """Where each document's groups start (documents' groups are contiguous and in order)."""
        starts = getattr(self, "_doc_groups", None)
        if starts is None:
            starts = np.searchsorted(self.group_doc, np.arange(len(self.docs) + 1), side="left")
            self._doc_groups = starts
        return starts

    def groups_of(self, token_id: int) -> np.ndarray:
        return self.postings[self.offsets[token_id] : self.offsets[token_id + 1]]

    def df(self, token: str) -> int:
        tid = self.token_id(token)
        return 0 if tid is None else int(self.offsets[tid + 1] - self.offsets[tid])

    def stats(self) -> dict[str, Any]:
        return {
            "docs": len(self.docs),
            "vocab": len(self.vocab),
            "groups": len(self.group_doc),
            "postings": len(self.postings),
        }


def _bigram_index(vocab: list[str]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    ids: dict[str, int] = {}
    keys: list[int] = []
    values: list[int] = []
    for token_id, token in enumerate(vocab):
        if len(token) < 3 or token.isdigit():
            continue  # short tokens and numbers are matched exactly or by prefix, never fuzzily
        for gram in _bigrams(token):
            keys.append(ids.setdefault(gram, len(ids)))
            values.append(token_id)
    offsets, postings = _csr(np.asarray(keys, dtype=np.int32), np.asarray(values, dtype=np.int32), len(ids))
    return ids, offsets, postings
