"""One search on an index that is already current, without numpy: what `workbench search` runs first.

A one-shot `workbench search WORD` paid ~0.1 s (idle) to import numpy before reading the few postings a word
has. When the index on disk is current (the same checks `SearchEngine.refresh` makes: taxonomy.toml's size and
hash, every known file's size and mtime, no file too recent to trust, the incident folders' mtimes) and the
query touches few postings, this module answers from the cache's files directly: the arrays are read from
`arrays.npz` by offset (`os.pread`), only the slices the query needs. It scores as the engine does, float32
arithmetic included (each step rounded to float32 as numpy's float32 arrays round it), so the hits, their order
and their scores are the engine's: tests/search/test_oneshot.py compares the two on every kind of query.

Anything else returns None and the caller opens the engine, which catches the index up (or builds it) and
answers: a file changed on disk, a new or removed incident, a cache of another format or damaged, a first build's
second pass pending, a `mode:` filter (its aliases come from parsing taxonomy.toml), a query without words, or a
query whose words have more postings than `POSTINGS_LIMIT` (numpy's vectorised scoring is then the faster).
"""

from __future__ import annotations

import bisect
import math
import os
import re
import struct
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from ...store.boundary import Boundary, private_dir
from ...store.errors import StoreError
from ...store.layout import INCIDENT_FILE, NARRATIVE_FILE
from .cache_format import CACHE_SUBDIR, FORMAT_VERSION, segment_name_ok
from .disk import dir_states
from .docs import CorruptSegment, Docs, read_fields
from .hits import ALL_WORDS_BONUS, FUZZY_READINGS, PREFIX_COMPLETIONS, Hit, SearchResult, Term, make_hit, terms
from .query import Query, QueryError, accepts, parse
from .text import KIND_ID, KINDS, WEIGHTS, bigrams

POSTINGS_LIMIT = 20_000  # more than this and the engine's numpy scoring is quicker than a loop here
FORK_FROM = 2_000  # rows in the file table from which a child process takes most of the stats

_F32 = struct.Struct("<f")


def _f32(value: float) -> float:
    """`value` rounded to float32, as storing it in a float32 array does (and back, exactly, as a float)."""
    result: float = _F32.unpack(_F32.pack(value))[0]
    return result


_W = [_f32(WEIGHTS[k]) for k in KINDS]  # the engine's float32 weights
_F005 = _f32(0.05)  # numpy rounds the Python float 0.05 to float32 beside a float32 array
_TITLE = KIND_ID["title"]
_NPY_TYPES = {"<i8": "q", "<i4": "i", "|u1": "B"}  # array typecodes of the arrays a segment stores
_NPY_HEADER = re.compile(r"^\{'descr': '([<|][a-z]\d)', 'fortran_order': False, 'shape': \((\d+),\), \}\s*$")
# The file table's row (cache.FILE_ROW) as numpy writes its header, and as struct reads it: the fields a freshness
# check needs (sizes, mtimes, racy) and where the document lives (delta, doc); the hashes are skipped.
_FILE_ROW_DESCR = (
    "[('toml_size', '<i8'), ('toml_mtime', '<i8'), ('toml_sha', '|S64'), ('md_size', '<i8'), ('md_mtime', '<i8'), "
    "('md_sha', '|S64'), ('delta', '|u1'), ('racy', '|u1'), ('doc', '<i4')]"
)
_FILE_ROW = struct.Struct("<qq64xqq64xBBi")


class _Stale(Exception):
    """The cache cannot answer as it is: the engine must open (and catch up, or rebuild)."""


def search_once(root: Path, text: str, limit: int = 20, today: date | None = None) -> SearchResult | None:
    """The engine's answer to `text` from the index on disk, or None when the engine must open to give it."""
    try:
        query = parse(text)
    except QueryError as exc:
        return SearchResult(None, [], 0, exc)
    words = terms(query)
    if not words or any(f.key == "mode" for f in query.filters) or sys.byteorder != "little":
        return None
    if os.stat not in os.supports_dir_fd:  # stats relative to a folder (POSIX): elsewhere the engine answers
        return None
    try:
        return _Reader(Path(root), query, words, limit, today or date.today()).answer()
    except (_Stale, CorruptSegment, OSError, ValueError, KeyError, TypeError, IndexError, StoreError):
        return None


class _Segment:
    """What a search reads of one segment: the vocabulary and docs whole, the arrays by the slice."""

    def __init__(self, folder: Path, dead: frozenset[int] = frozenset()):
        self.folder = folder
        self.dead = dead  # documents an edit replaced (base only): in the files, not in any answer
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8")
        self.vocab = vocab.split("\n") if vocab else []
        self._fd = os.open(folder / "arrays.npz", os.O_RDONLY | os.O_CLOEXEC)
        try:
            self._load(folder)
        except BaseException:
            os.close(self._fd)
            raise

    def _load(self, folder: Path) -> None:
        self.members = self._members()  # name -> (data offset, typecode, length)
        self.text_offsets = self.read("text_offsets").tolist()
        doc_offsets = self.read("doc_offsets").tolist()
        self.docs = Docs((folder / "docs.json").read_bytes(), doc_offsets)
        self.is_mode = self.read("is_mode")
        self.group_doc = self.read("group_doc")
        self.group_kind = self.read("group_kind")
        n_docs, n_groups = len(self.docs), len(self.group_doc)
        if (
            len(self.text_offsets) != n_docs + 1
            or len(self.is_mode) != n_docs
            or len(self.group_kind) != n_groups
            or self.members["offsets"][2] != len(self.vocab) + 1
            or os.stat(folder / "texts.jsonl").st_size != self.text_offsets[-1]
            or (n_groups and (min(self.group_doc) < 0 or max(self.group_doc) >= n_docs))
        ):
            raise _Stale(f"{folder.name}: arrays do not match the documents")
        self._bigram_ids: dict[str, int] | None = None
        self._tok_len: array[int] | None = None

    def close(self) -> None:
        os.close(self._fd)

    def _members(self) -> dict[str, tuple[int, str, int]]:
        """Where each array's data starts in arrays.npz, its type and length. `np.savez` writes an uncompressed
        zip of .npy files: the central directory at the end names each member and its local header's offset
        (read here directly: zipfile and the codec for its names cost more than the whole search)."""
        size = os.fstat(self._fd).st_size
        end = os.pread(self._fd, 22, size - 22)  # the end record, with no archive comment (numpy writes none)
        if len(end) != 22 or end[:4] != b"PK\x05\x06":
            raise _Stale("arrays.npz: no end of central directory")
        count, dir_size, dir_at = struct.unpack("<HII", end[10:20])
        directory = os.pread(self._fd, dir_size, dir_at)
        out: dict[str, tuple[int, str, int]] = {}
        at = 0
        for _ in range(count):
            head = directory[at : at + 46]
            if len(head) != 46 or head[:4] != b"PK\x01\x02":
                raise _Stale("arrays.npz: a damaged central directory")
            method = struct.unpack("<H", head[10:12])[0]
            name_len, extra_len, comment_len = struct.unpack("<HHH", head[28:34])
            offset = struct.unpack("<I", head[42:46])[0]
            name = directory[at + 46 : at + 46 + name_len].decode("ascii")
            if method != 0 or offset == 0xFFFFFFFF or not name.endswith(".npy"):
                raise _Stale(f"arrays.npz: {name} is not a stored .npy")
            out[name[:-4]] = self._npy_at(offset)
            at += 46 + name_len + extra_len + comment_len
        return out

    def _npy_at(self, header_offset: int) -> tuple[int, str, int]:
        local = os.pread(self._fd, 30, header_offset)
        if local[:4] != b"PK\x03\x04":
            raise _Stale("arrays.npz: not a zip member")
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        start = header_offset + 30 + name_len + extra_len
        head = os.pread(self._fd, 12, start)
        if head[:6] != b"\x93NUMPY":
            raise _Stale("arrays.npz: not a .npy member")
        size, at = (
            (struct.unpack("<H", head[8:10])[0], 10) if head[6] == 1 else (struct.unpack("<I", head[8:12])[0], 12)
        )
        found = _NPY_HEADER.match(os.pread(self._fd, size, start + at).decode("latin-1"))
        if found is None or found.group(1) not in _NPY_TYPES:
            raise _Stale("arrays.npz: an array of another shape or type")
        data = start + at + size
        length = int(found.group(2))
        if data + length * array(_NPY_TYPES[found.group(1)]).itemsize > os.fstat(self._fd).st_size:
            raise _Stale("arrays.npz: cut short")
        return data, _NPY_TYPES[found.group(1)], length

    def read(self, name: str, start: int = 0, stop: int | None = None) -> array[int]:
        offset, code, length = self.members[name]
        stop = length if stop is None else stop
        out = array(code)
        if not 0 <= start <= stop <= length:
            raise _Stale(f"{name}[{start}:{stop}] is outside its {length} values")
        data = os.pread(self._fd, (stop - start) * out.itemsize, offset + start * out.itemsize)
        out.frombytes(data)  # raises ValueError when cut short
        if len(out) != stop - start:
            raise _Stale(f"{name}: cut short")
        return out

    # ------------------------------------------------------------------------- as Segment does
    def token_id(self, token: str) -> int | None:
        i = bisect.bisect_left(self.vocab, token)
        return i if i < len(self.vocab) and self.vocab[i] == token else None

    def postings(self, tid: int) -> array[int]:
        lo, hi = self.read("offsets", tid, tid + 2)
        groups = self.read("postings", lo, hi)
        if groups and (min(groups) < 0 or max(groups) >= len(self.group_doc)):
            raise _Stale("postings point past the groups")
        return groups

    def live_counts(self, lo: int, hi: int) -> list[int]:
        """engine._live_range_df: for tokens lo..hi-1, how many of their groups belong to live documents."""
        offsets = self.read("offsets", lo, hi + 1)
        if not self.dead:
            return [offsets[i + 1] - offsets[i] for i in range(hi - lo)]
        if offsets[-1] - offsets[0] > POSTINGS_LIMIT:
            raise _Stale("too many postings to count past the replaced documents")
        groups = self.read("postings", offsets[0], offsets[-1])
        group_doc, dead = self.group_doc, self.dead
        live = [group_doc[g] not in dead for g in groups]
        start = offsets[0]
        return [sum(live[offsets[i] - start : offsets[i + 1] - start]) for i in range(hi - lo)]

    def prefix_range(self, word: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self.vocab, word)
        return lo, bisect.bisect_left(self.vocab, word + "\U0010ffff", lo)

    def fuzzy(self, term: str, max_edits: int, limit: int | None = None) -> list[tuple[int, int]]:
        """Segment.fuzzy, read from the files."""
        if self._bigram_ids is None:
            text = (self.folder / "bigrams.txt").read_text(encoding="utf-8")
            self._bigram_ids = {b: i for i, b in enumerate(text.split("\n") if text else [])}
            self._tok_len = self.read("tok_len")
            if self.members["bg_offsets"][2] != len(self._bigram_ids) + 1 or len(self._tok_len) != len(self.vocab):
                raise _Stale("bigram index is inconsistent")
        assert self._tok_len is not None
        grams = [self._bigram_ids[g] for g in bigrams(term) if g in self._bigram_ids]
        if not grams:
            return []
        counts: Counter[int] = Counter()
        for g in grams:
            lo, hi = self.read("bg_offsets", g, g + 2)
            counts.update(self.read("bg_postings", lo, hi))
        need = max(1, len(term) + 1 - 3 * max_edits)
        candidates = [t for t in sorted(counts) if counts[t] >= need and abs(self._tok_len[t] - len(term)) <= max_edits]
        if not candidates:
            return []
        if candidates[-1] >= len(self.vocab):
            raise _Stale("bigram index is inconsistent")
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        names = [self.vocab[i] for i in candidates]
        found = process.extract(term, names, scorer=OSA.distance, score_cutoff=max_edits, limit=limit)
        return [(candidates[index], int(edits)) for _, edits, index in found]


class _Reader:
    def __init__(self, root: Path, query: Query, words: list[Term], limit: int, today: date):
        self.root, self.query, self.words, self.limit, self.today = root, query, words, limit, today

    def answer(self) -> SearchResult:
        private_dir(self.root, create=False)  # a `.workbench` link is refused, as the engine refuses it
        folder = self.root / CACHE_SUBDIR
        head = orjson.loads((folder / "manifest.json").read_bytes())
        if not isinstance(head, dict) or head.get("format") != FORMAT_VERSION or head.get("unchecked"):
            raise _Stale("another format, or a first build's second pass pending")
        base, delta, files = str(head["base"]), str(head["delta"] or ""), str(head["files"])
        if not segment_name_ok(base) or (delta and not segment_name_ok(delta)):
            raise _Stale("segment names")
        if not files.startswith("files-") or "/" in files or "\\" in files or ".." in files:
            raise _Stale("file table name")
        dead = frozenset(int(d) for d in head["dead"])
        if any(d < 0 for d in dead):
            raise _Stale("a dead document below 0")
        # What `SearchEngine.refresh` checks, nothing may have changed: every known file's size and mtime (none
        # too recent to trust), taxonomy.toml, the incident folders' mtimes. The 20,000 stats are most of a
        # one-shot search's time: a child forked now takes most of them while this process reads the index,
        # checks the rest and ranks (the answer is thrown away if anything turns out changed).
        paths, rows = self._file_table(folder / f"{files}.npy")
        root = str(self.root)
        split, child = _fork_check(root, paths, rows)
        segments: list[_Segment] = []
        try:
            segments.append(_Segment(folder / base, dead))
            if delta:
                segments.append(_Segment(folder / delta))
            # Which tokens each word stands for, and how many postings that is: a query the engine scores faster
            # is handed to it.
            words = [_expand(segments, t) for t in self.words]
            expansions = [
                [[(tid, sim) for tok, sim in exp if (tid := seg.token_id(tok)) is not None] for exp in words]
                for seg in segments
            ]
            touched = 0
            for seg, per_word in zip(segments, expansions, strict=True):
                for exp in per_word:
                    for tid, _ in exp:
                        lo, hi = seg.read("offsets", tid, tid + 2)
                        touched += hi - lo
            if touched > POSTINGS_LIMIT:
                raise _Stale(f"{touched} postings")
            sizes = (len(segments[0].docs), len(segments[1].docs) if delta else 0)
            if not all(in_delta < 2 and 0 <= doc < sizes[in_delta] for *_, in_delta, _racy, doc in rows):
                raise _Stale("the file table points past the documents")
            if not _unchanged(root, paths[split:], rows[split:]):
                raise _Stale("a file changed")
            self._check_taxonomy(head["taxonomy"])
            dirs = dir_states(self.root)
            if any(m == -1 for m in dirs.values()) or dirs != {str(k): int(v) for k, v in head["dirs"].items()}:
                raise _Stale("an incident folder was added, removed or renamed")
            result = self._rank(segments, expansions)
        except BaseException:
            _join(child, kill=True)
            raise
        finally:
            for seg in segments:
                seg.close()
        if not _join(child):
            raise _Stale("a file changed")
        return result

    # ---------------------------------------------------------------------------- freshness
    def _check_taxonomy(self, state: Any) -> None:
        """taxonomy.toml's size and hash as indexed (mode names are part of incident fields)."""
        try:
            data = Boundary(self.root).read_bytes(self.root / "taxonomy.toml")
        except FileNotFoundError:
            data = None
        if (data is None) != (state is None):
            raise _Stale("taxonomy.toml appeared or went")
        if data is not None:
            import hashlib

            if len(data) != int(state[0]) or hashlib.sha256(data).hexdigest() != str(state[2]):
                raise _Stale("taxonomy.toml changed")

    @staticmethod
    def _file_table(table: Path) -> tuple[list[str], list[tuple[int, ...]]]:
        """The file table's paths and rows (sizes, mtimes, racy, where the document lives), read without numpy."""
        raw = table.read_bytes()
        paths_text = table.with_suffix(".paths").read_text(encoding="utf-8")
        paths = paths_text.split("\n") if paths_text else []
        if raw[:6] != b"\x93NUMPY" or raw[6] != 1:
            raise _Stale("file table header")
        size = struct.unpack("<H", raw[8:10])[0]
        header = raw[10 : 10 + size].decode("latin-1").strip()
        expected = "{'descr': " + _FILE_ROW_DESCR + f", 'fortran_order': False, 'shape': ({len(paths)},), }}"
        body = memoryview(raw)[10 + size :]
        if header != expected or len(body) != len(paths) * _FILE_ROW.size:
            raise _Stale("the file table does not match its paths")
        return paths, list(_FILE_ROW.iter_unpack(body))

    # -------------------------------------------------------------------------------- ranking
    def _rank(self, segments: list[_Segment], expansions: list[list[list[tuple[int, float]]]]) -> SearchResult:
        n = sum(len(s.docs) - sum(1 for d in s.dead if d < len(s.docs)) for s in segments) or 1
        idf_cache: dict[str, float] = {}

        def idf(token: str) -> float:
            value = idf_cache.get(token)
            if value is None:
                value = idf_cache[token] = math.log(1 + n / (_live_df(segments, token) + 0.5))
            return value

        n_terms = len(self.words)
        query = self.query
        ranked: list[tuple[float, float, int, _Segment, int, dict[str, list[tuple[int, float]]], list[str]]] = []
        total = 0
        for seg, per_word in zip(segments, expansions, strict=True):
            keys, scores, matched, gsum = _score(seg, per_word, idf, n_terms)
            candidates = []
            for doc in keys:
                if doc in seg.dead:
                    continue
                if query.filters:
                    excerpt = seg.docs[doc]
                    if excerpt.kind == "mode" or not accepts(query, excerpt, self.today):
                        continue
                candidates.append(doc)
            total += len(candidates)
            want = self.limit if not query.phrases else max(self.limit * 20, 200)
            if len(candidates) > want:
                cut = sorted((keys[d] for d in candidates), reverse=True)[want - 1]
                candidates = [d for d in candidates if keys[d] >= cut]
            wanted: dict[str, list[tuple[int, float]]] = {}
            for t_index, exp in enumerate(per_word):
                for tid, sim in exp:
                    wanted.setdefault(seg.vocab[tid], []).append((t_index, sim))
            by_doc: dict[int, list[int]] = {}
            for g in gsum:
                by_doc.setdefault(seg.group_doc[g], []).append(g)
            for doc in candidates:
                ranked.append(
                    (keys[doc], scores[doc], matched[doc], seg, doc, wanted, _kinds_by_score(seg, by_doc[doc], gsum))
                )
        ranked.sort(key=lambda r: (-r[0], r[3].docs.id_of(r[4])))
        hits: list[Hit] = []
        for _key, score, n_matched, seg, doc, wanted, kinds in ranked:
            fields = read_fields(seg.folder, seg.text_offsets[doc], seg.text_offsets[doc + 1], doc)
            hit = make_hit(seg.docs[doc], fields, n_terms, wanted, query, score, n_matched, kinds)
            if hit is None:
                total -= 1  # a phrase that did not hold
                continue
            hits.append(hit)
            if len(hits) >= self.limit:
                break
        return SearchResult(query, hits, max(total, len(hits)), None, n_terms)


def _live_df(segments: list[_Segment], token: str) -> int:
    total = 0
    for seg in segments:
        tid = seg.token_id(token)
        if tid is not None:
            total += seg.live_counts(tid, tid + 1)[0]
    return total


def _expand(segments: list[_Segment], term: Term) -> list[tuple[str, float]]:
    """SearchEngine._expand, read from the files: the tokens a word stands for over the whole index."""
    word = term.word
    out: dict[str, float] = {}
    if _live_df(segments, word):
        out[word] = 1.0
    if term.exact_only:
        return list(out.items())
    if term.partial or len(word) >= 3:
        used: dict[str, int] = {}
        for seg in segments:
            lo, hi = seg.prefix_range(word)
            if hi > lo:
                for token, df in zip(seg.vocab[lo:hi], seg.live_counts(lo, hi), strict=True):
                    used[token] = used.get(token, 0) + df
        completions = sorted((t for t, df in used.items() if df), key=lambda t: (-used[t], t))
        for token in completions[:PREFIX_COMPLETIONS]:
            out.setdefault(token, 0.9 if term.partial else 0.8)
    edits = 0 if len(word) < 4 or word.isdigit() else 1 if len(word) < 7 else 2
    if edits and not out:
        found: dict[str, int] = {}
        for seg in segments:
            for tid, d in seg.fuzzy(word, edits):
                token = seg.vocab[tid]
                found[token] = min(d, found.get(token, d))
        readings = sorted((t for t, d in found.items() if d and _live_df(segments, t)), key=lambda t: (found[t], t))
        for token in readings[:FUZZY_READINGS]:
            out.setdefault(token, 1.0 - 0.15 * found[token])
    return list(out.items())


def _unchanged(root: str, paths: Sequence[str], rows: Sequence[tuple[int, ...]]) -> bool:
    """Every file as the table recorded it (size, mtime; not written too close to being read). Stats are made
    relative to each month folder (two path components to walk, not the store's whole path)."""
    toml_tail, md_tail = f"/{INCIDENT_FILE}", f"/{NARRATIVE_FILE}"
    stat = os.stat
    month, fd = "", -1
    try:
        for rel, (toml_size, toml_mtime, md_size, md_mtime, _delta, racy, _doc) in zip(paths, rows, strict=True):
            if racy:
                return False  # to hash again, as the engine does
            parent, _, name = rel.rpartition("/")
            if parent != month:
                if fd >= 0:
                    os.close(fd)
                    fd = -1
                fd = os.open(f"{root}/{parent}", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
                month = parent
            toml = stat(name + toml_tail, dir_fd=fd)
            if toml.st_size != toml_size or toml.st_mtime_ns != toml_mtime:
                return False
            try:
                md = stat(name + md_tail, dir_fd=fd)
            except FileNotFoundError:
                if md_size >= 0:
                    return False
                continue
            if md.st_size != md_size or md.st_mtime_ns != md_mtime:
                return False
    except (FileNotFoundError, NotADirectoryError):
        return False  # a folder or incident.toml gone
    finally:
        if fd >= 0:
            os.close(fd)
    return True


def _fork_check(root: str, paths: Sequence[str], rows: Sequence[tuple[int, ...]]) -> tuple[int, int | None]:
    """(where this process's share of the rows starts, the child's pid). A child checks the first 70% (this
    process reads the index and ranks meanwhile) and says by its exit status; only a process with one thread
    forks (a fork copies no other thread), only where fork exists, and only for enough rows to be worth it."""
    import threading

    if len(paths) < FORK_FROM or not hasattr(os, "fork") or threading.active_count() != 1:
        return 0, None
    split = len(paths) * 7 // 10
    try:
        pid = os.fork()
    except OSError:
        return 0, None
    if pid == 0:  # the child: stats only, then out without running any exit handler or flushing any buffer
        try:
            same = _unchanged(root, paths[:split], rows[:split])
        except BaseException:  # noqa: BLE001 - anything at all: the parent asks the engine
            same = False
        os._exit(0 if same else 1)
    return split, pid


def _join(pid: int | None, kill: bool = False) -> bool:
    """Whether the child found its share unchanged (True when there was none); always reaped."""
    if pid is None:
        return True
    if kill:
        import signal

        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _kinds_by_score(seg: _Segment, groups: list[int], gsum: dict[int, float]) -> list[str]:
    """engine._kinds_by_score: the kinds of a document's groups that matched, best first (ties: group order)."""
    ordered = sorted(groups, key=lambda g: (-gsum[g], g))
    return [KINDS[seg.group_kind[g]] for g in ordered if gsum[g] > 0]


def _score(
    seg: _Segment, expansions: list[list[tuple[int, float]]], idf: Any, n_terms: int
) -> tuple[dict[int, float], dict[int, float], dict[int, int], dict[int, float]]:
    """engine._score over the documents a word reaches (every other one scores 0), in numpy's float32 steps:
    (rank key, score, matched word count) per document, and the weighted match per group."""
    group_doc, group_kind = seg.group_doc, seg.group_kind
    gsum: dict[int, float] = {}
    total: dict[int, float] = {}
    matched: dict[int, int] = {}
    together: dict[int, int] | None = {} if n_terms > 1 else None
    for exp in expansions:
        if not exp:
            continue
        if len(exp) == 1:
            tid, sim = exp[0]
            groups = seg.postings(tid)
            if not groups:
                continue
            value = _f32(sim * idf(seg.vocab[tid]))
            by_kind = [_f32(value * w) for w in _W]
            pairs = [(g, by_kind[group_kind[g]]) for g in groups]
        else:
            dense: dict[int, float] = {}
            for tid, sim in exp:
                found = seg.postings(tid)
                if not found:
                    continue
                value = _f32(sim * idf(seg.vocab[tid]))
                for g in found:
                    if value > dense.get(g, 0.0):
                        dense[g] = value
            if not dense:
                continue
            pairs = [(g, _f32(dense[g] * _W[group_kind[g]])) for g in sorted(dense)]
        best: dict[int, float] = {}
        breadth: dict[int, float] = {}  # numpy's bincount sums its weights in float64, in this order
        for g, weighted in pairs:
            gsum[g] = _f32(gsum.get(g, 0.0) + weighted)
            doc = group_doc[g]
            if weighted > best.get(doc, 0.0):
                best[doc] = weighted
            breadth[doc] = breadth.get(doc, 0.0) + weighted
            if together is not None:
                together[g] = together.get(g, 0) + 1
        for doc, b in best.items():
            spread = _f32(_F005 * _f32(_f32(breadth[doc]) - b))
            total[doc] = _f32(total.get(doc, 0.0) + _f32(b + spread))
            matched[doc] = matched.get(doc, 0) + 1
    named: set[int] = set()
    if together is not None:
        bonus: dict[int, float] = {}
        for g, count in together.items():
            if count >= n_terms:
                doc = group_doc[g]
                bonus[doc] = max(bonus.get(doc, 0.0), _W[group_kind[g]])
                if group_kind[g] == _TITLE:
                    named.add(doc)
        for doc, b in bonus.items():
            total[doc] = _f32(total.get(doc, 0.0) + b)
    keys: dict[int, float] = {}
    for doc, count in matched.items():
        key = count * 10_000.0 + total[doc]
        if n_terms > 1 and count == n_terms and (not seg.is_mode[doc] or doc in named):
            key += ALL_WORDS_BONUS
        keys[doc] = key
    return keys, total, matched, gsum
