"""The search engine: keeps the index in step with the files and answers queries as you type.

    engine = SearchEngine(store_root)
    engine.open(progress)              # load the cache (or build it), then catch up with the files
    result = engine.search("severity:P0 kv cahce")
    engine.refresh()                   # after anything may have changed on disk (cheap: stat only)
    engine.refresh_folders([...])      # after the app saved these incident folders

    engine = SearchEngine(store_root, defer_checks=True)   # the app: a first build in two passes
    engine.open(progress)              # searchable once the files are read, parsed and tokenized
    engine.finish_checks()             # then validation (load problems) and learning profiles, searches going on

Ranking: every query word is matched exactly, by prefix and with typos (OSA distance on the
vocabulary through a bigram index). An incident scores, for each word, its best field weighted
by the field's kind (title 10 ... narrative 1.5) times the word's rarity (idf); incidents that
match more of the words come first, then by score, with a bonus when all words meet in one kind
of field; among incidents and modes with as many words, an incident with every word comes first
(unless the words are a mode's name).
Filters are applied as a mask cached per filter set, since they rarely change while typing.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ...store.boundary import Boundary
from ...store.errors import StoreError
from .excerpt import Excerpt
from .listing import StateKey, listing_current, write_listing
from .query import Query, QueryError, parse
from .cache import CacheDir, CorruptManifest, Entry, Manifest
from ...store.layout import INCIDENT_FILE, NARRATIVE_FILE
from .hits import ALL_WORDS_BONUS, FUZZY_READINGS, PREFIX_COMPLETIONS, Changes, Hit, SearchResult, make_hit
from .hits import Term as _Term
from .hits import terms as _terms
from .extract import Extracted, FileState, check_many, extract_folder, extract_many, parse_toml
from .extract import prefetch as _prefetch
from .disk import RACY_NS, dir_states, now_ns, subfolders
from .docs import CorruptSegment
from .segment import Chunk, Segment, tokenize
from .text import KIND_ID, KINDS, WEIGHTS, Field, mode_fields

Progress = Callable[[int, int], None]

TAXONOMY_FILE = "taxonomy.toml"
_W = np.array([WEIGHTS[k] for k in KINDS], dtype=np.float32)
_RACY_NS = RACY_NS


def scan_folders(root: Path) -> dict[str, tuple[os.stat_result, os.stat_result | None]]:
    """Every incident folder (incidents/YYYY/MM/<id>) with the stat of its two files, in one walk."""
    out: dict[str, tuple[os.stat_result, os.stat_result | None]] = {}
    base = os.path.join(root, "incidents")
    for year in subfolders(base):
        for month in subfolders(os.path.join(base, year)):
            month_path = os.path.join(base, year, month)
            for name in subfolders(month_path):
                folder = os.path.join(month_path, name)
                try:
                    toml = os.stat(os.path.join(folder, INCIDENT_FILE))
                except (FileNotFoundError, NotADirectoryError):
                    continue
                try:
                    md: os.stat_result | None = os.stat(os.path.join(folder, NARRATIVE_FILE))
                except (FileNotFoundError, NotADirectoryError):
                    md = None
                out[f"incidents/{year}/{month}/{name}"] = (toml, md)
    return out


def list_folders(root: Path) -> list[str]:
    """Every incident folder candidate (incidents/YYYY/MM/<name>), sorted, without a stat per incident: a first
    build opens each folder's files anyway, and leaves out those with no incident.toml (see `scan_folders`)."""
    base = os.path.join(root, "incidents")
    return [
        f"incidents/{year}/{month}/{name}"
        for year in subfolders(base)
        for month in subfolders(os.path.join(base, year))
        for name in subfolders(os.path.join(base, year, month))
    ]


def _same_stat(state: FileState, st: os.stat_result | None) -> bool:
    if state is None or st is None:
        return state is None and st is None
    return state[0] == st.st_size and state[1] == st.st_mtime_ns


class SearchEngine:
    def __init__(
        self,
        root: Path,
        *,
        workers: int | None = None,
        parallel_from: int = 400,
        delta_limit: int = 200,
        defer_checks: bool = False,
        defer_from: int = 0,
    ):
        self.root = Path(root).resolve()
        # A first build in two passes: `open` returns once the index is searchable, and `finish_checks` then
        # validates every incident (load problems) and makes its learning profile. Without it, `open` and
        # `refresh` return only once both are done, as one pass; the cache is the same either way.
        self.defer_checks = defer_checks
        self.defer_from = defer_from  # fewer incidents than this: one pass even so (it takes well under a second)
        self._checks_lock = threading.Lock()  # one second pass at a time
        self.delta_limit = delta_limit  # more changed incidents than this (or a tenth of all): rebuild
        self._damaged = ""  # set when a search finds damaged cache texts: the next refresh rebuilds
        self.parallel_from = parallel_from  # below this many incidents, a process pool costs more than it saves
        self.cache = CacheDir(self.root)
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.base: Segment | None = None
        self.delta: Segment | None = None
        self.manifest = Manifest()
        self._lock = threading.RLock()  # one writer (refresh) at a time; searches see whole states
        self._refresh_lock = threading.Lock()  # one `refresh` at a time (its walk of the files runs unlocked)
        self._mask_cache: dict[tuple[Any, ...], np.ndarray] = {}
        self._mode_names: dict[str, str] = {}
        self._mode_keys: dict[str, set[str]] = {}
        self.last_open: str = ""  # "loaded", "built", or why it was rebuilt

    # ============================================================================ keeping in step
    def open(self, progress: Progress | None = None) -> Changes:
        """Load the index from the cache (rebuilding it if missing or damaged), then catch up with the files."""
        with self._lock:
            reason = self._load()
            if reason:
                self.last_open = reason
                self._build(progress)
                return Changes(rebuilt=reason)
            self.last_open = "loaded"
            changes = self.refresh(progress)
        if not self.defer_checks:
            self.finish_checks()  # a cache left half-built (a process stopped during its second pass)
        return changes

    def _load(self) -> str:
        """ "" when the cache loaded, else why it must be rebuilt."""
        try:
            manifest = self.cache.read_manifest()
        except CorruptManifest as exc:
            return f"the index cache was damaged or of another version ({exc})"
        if manifest is None or not manifest.base:
            return "there was no index yet"
        try:
            base = Segment.load(self.cache.segment_path(manifest.base))
            delta = Segment.load(self.cache.segment_path(manifest.delta)) if manifest.delta else None
        except (CorruptSegment, CorruptManifest) as exc:
            return f"the index cache was damaged ({exc})"
        # Columns only: no object per incident. Paths are compared for the documents a search shows.
        rows = manifest.rows
        sizes = np.where(rows["delta"] == 1, len(delta.docs) if delta is not None else 0, len(base.docs))
        if len(rows) and (np.any(rows["doc"] < 0) or np.any(rows["doc"] >= sizes)):
            return "the index cache does not match its manifest"
        self.base, self.delta, self.manifest = base, delta, manifest
        self._load_taxonomy()
        self._mask_cache.clear()
        return ""

    def _load_taxonomy(self) -> list[tuple[Excerpt, list[Field]]]:
        """Mode names for incident fields, alias expansion for `mode:`, and the modes as documents."""
        try:
            data = parse_toml(Boundary(self.root).read_text(TAXONOMY_FILE).text)
        except (OSError, ValueError, RecursionError, StoreError):  # a refused or broken file: validate says why
            data = {}
        families = {
            f["id"]: f.get("name", "")
            for f in data.get("families", [])
            if isinstance(f, dict) and isinstance(f.get("id"), str)
        }
        modes = [m for m in data.get("modes", []) if isinstance(m, dict) and isinstance(m.get("id"), str)]
        self._mode_names = {m["id"]: str(m.get("name", "")) for m in modes}
        keys: dict[str, set[str]] = {}
        for m in modes:
            group = {m["id"], *(a for a in m.get("aliases", []) if isinstance(a, str))}
            if isinstance(m.get("replaced_by"), str):
                group.add(m["replaced_by"])
            for k in group:
                keys.setdefault(k, set()).update(group)
        # A merged mode and the mode it was merged into are the same for filtering.
        for k in list(keys):
            for other in list(keys[k]):
                keys[k] |= keys.get(other, set())
        self._mode_keys = keys
        docs = []
        for m in modes:
            excerpt = Excerpt(
                id=m["id"],
                title=str(m.get("name", m["id"])),
                kind="mode",
                path=TAXONOMY_FILE,
                tags=(str(m.get("family", "")),),
                stage="",
                severity="",
            )
            docs.append((excerpt, mode_fields(m, families)))
        return docs

    def _taxonomy_state(self) -> FileState:
        path = self.root / TAXONOMY_FILE
        try:
            st = path.stat()
            data = Boundary(self.root).read_bytes(path)
        except FileNotFoundError:
            return None
        except StoreError:  # refused (a FIFO, a link out, too big): never read, never hashed
            st = os.lstat(path)
            return (st.st_size, st.st_mtime_ns, "refused")
        return (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def _build(self, progress: Progress | None = None) -> None:
        """The whole index from the files, in worker processes when the store is large. With `defer_checks`,
        only its first pass: searchable, with validation and learning profiles left to `finish_checks`."""
        mode_docs = self._load_taxonomy()
        dirs = self._dir_states()  # before the walk: a folder made during it is listed again next time
        folders = list_folders(self.root)
        checks = not self.defer_checks or len(folders) < self.defer_from
        # Racy is judged against when the files were read, not when the build ends: a build that took longer than
        # the clock's granularity would otherwise trust the stat of a file written just before it was read.
        now = now_ns()
        extracted, chunks = self._extract(folders, progress, checks)
        path = self.cache.new_segment_path()
        base = Segment.build([*chunks, tokenize(mode_docs)], path)
        manifest = Manifest(base=path.name, taxonomy=self._taxonomy_state())
        manifest.unchecked = "" if checks else path.name
        for index, e in enumerate(extracted):
            manifest.files[e.folder] = Entry(e.toml, e.md, "base", index, _racy(e, now))
        manifest.dirs = dirs
        self.cache.write_manifest(manifest)
        self.cache.remove_unused({path.name, manifest.files_name})
        self.base, self.delta, self.manifest = base, None, manifest
        self._mask_cache.clear()
        if progress:
            progress(len(folders), len(folders))

    def _extract(
        self, folders: list[str], progress: Progress | None, checks: bool = True
    ) -> tuple[list[Extracted], list[Chunk]]:
        """Read, parse and tokenize folders in chunks; in worker processes when there are many."""
        results = self._in_chunks(
            extract_many, folders, (self._mode_names, checks), progress, models=checks, prefetch=folders
        )
        extracted = [e for r in results for e in r[0]]
        return extracted, [r[1] for r in results]

    def _in_chunks(
        self,
        work: Callable[..., Any],
        items: list[Any],
        extra: tuple[Any, ...],
        progress: Progress | None,
        models: bool,
        prefetch: list[str] | None = None,
    ) -> list[Any]:
        """`work(root, chunk, *extra)` for chunks of `items`, in order; in worker processes when there are many.
        `models`: the work validates incidents (forked workers then share the models imported once here).
        `prefetch`: incident folders whose files the workers read, in order: a thread here asks the kernel to
        start reading them (`extract.prefetch`; the workers' reads on a cold page cache were a third of the wall)."""
        total = len(items)
        if progress:
            progress(0, total)
        serial = total < self.parallel_from or self.workers < 2
        size = 200 if serial else max(50, total // (self.workers * 8))
        parts = [items[i : i + size] for i in range(0, total, size)]
        results: list[Any] = [None] * len(parts)
        done = 0
        if serial:
            for index, part in enumerate(parts):
                results[index] = work(str(self.root), part, *extra)
                done += len(part)
                if progress:
                    progress(done, total)
            return results
        # Forking a threaded process can deadlock (the TUI has threads): spawn there. A one-shot command has
        # only its main thread, and a forked worker starts at once without importing everything again.
        from concurrent.futures import ProcessPoolExecutor, as_completed  # a first build only
        from multiprocessing import get_all_start_methods, get_context

        alone = threading.active_count() == 1 and "fork" in get_all_start_methods()
        if alone and models:  # imported once here, shared by the forked workers, rather than once in each
            from ...domain import model  # noqa: F401
            from ..learning import profile  # noqa: F401
        with ProcessPoolExecutor(self.workers, mp_context=get_context("fork" if alone else "spawn")) as pool:
            futures = {pool.submit(work, str(self.root), part, *extra): index for index, part in enumerate(parts)}
            # Started once the workers are: a second thread at that point would have made them spawned, not forked.
            stop = threading.Event()
            hinting = threading.Thread(target=_prefetch, args=(self.root, prefetch or [], stop), daemon=True)
            if prefetch:
                hinting.start()
            try:
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    done += len(parts[futures[future]])
                    if progress:
                        progress(done, total)
            finally:
                stop.set()
                if hinting.is_alive():
                    hinting.join()
        return results

    @property
    def checks_pending(self) -> bool:
        """The index is searchable but its second pass (load problems, learning profiles) has not run."""
        return bool(self.base is not None and self.manifest.unchecked and self.manifest.unchecked == self.manifest.base)

    def finish_checks(self, progress: Progress | None = None) -> bool:
        """The second pass of a two-pass build: validate every incident of the base segment (an excerpt gets the
        store's load problems) and make its learning profile, then swap in the base with them. Searches go on
        meanwhile (the files are read again in worker processes, without the index's lock). True when it ran.

        The result equals a one-pass build's: both passes call `extract.checked` on the same bytes (a file
        changed since the first pass is left as it was: the next refresh sees its new stat and indexes it)."""
        with self._checks_lock:
            with self._lock:
                if not self.checks_pending:
                    return False
                base, manifest = self.base, self.manifest
                assert base is not None
                paths, rows = manifest.table()
                in_base = [
                    (int(r["doc"]), p, r["toml_sha"].decode("ascii")) for p, r in zip(paths, rows) if not r["delta"]
                ]
            items: list[tuple[int, str, str]] = []
            docs = list(base.docs)
            for doc, rel, sha in sorted(in_base):
                e = docs[doc] if 0 <= doc < len(docs) else None
                if e is not None and e.kind != "mode" and e.path == rel and not e.extra:
                    items.append((doc, rel, sha))
            results = self._in_chunks(check_many, [(p, sha) for _, p, sha in items], (), progress, models=True)
            path = self.cache.new_segment_path()
            try:
                profiles = base.profile_lines()  # "null" lines, one per document, from the first pass
                for (doc, _path, _sha), found in zip(items, (r for part in results for r in part), strict=True):
                    if found is not None:
                        extra, profiles[doc] = found
                        if extra:
                            docs[doc] = replace(docs[doc], extra=extra)
                checked = base.with_docs(docs, profiles, path)
            except (CorruptSegment, OSError) as exc:  # its folder removed by a rebuild meanwhile, or damaged
                shutil.rmtree(path, ignore_errors=True)
                with self._lock:
                    if self.base is base:
                        self._damaged = f"the index cache was damaged ({exc})"  # the next refresh rebuilds
                return False
            with self._lock:
                if self.base is not base or self.manifest.base != manifest.base:  # rebuilt meanwhile
                    self.cache.remove_unused({self.manifest.base, self.manifest.files_name, self.manifest.delta})
                    return False
                # A search that took the old base before the swap may still read its texts: they are the same
                # file (linked) in the new folder, so the old segment reads them there once its folder is gone.
                base.path = path
                self.base = checked
                self.manifest.base, self.manifest.unchecked = path.name, ""
                self._mask_cache.clear()
                self._write_manifest()
            return True

    def refresh(self, progress: Progress | None = None) -> Changes:
        """Catch up with every change on disk since the index was written (stat first, hash when unsure).

        The stat of every file (20,000 on a 10k store: 0.1 s idle, up to a second under load) runs without the
        lock searches take: a search screen opened on a large store (which refreshes as it opens) answered the
        first keys only once the walk had ended. What the walk finds is then applied under the lock, compared
        with the file table as it is by then (a save's `refresh_folders` may have run meanwhile)."""
        with self._refresh_lock:  # one refresh at a time: the walk below reads the table without the lock
            with self._lock:
                if self.base is None:
                    return self.open(progress)
                if self._damaged:
                    reason, self._damaged = self._damaged, ""
                    self._build(progress)
                    return Changes(rebuilt=reason)
                taxonomy = self._taxonomy_state()
                if not _same_content(taxonomy, self.manifest.taxonomy):
                    # Mode names are part of incident fields: a taxonomy edit (rare) rebuilds everything.
                    self._build(progress)
                    return Changes(rebuilt="taxonomy.toml changed")
                manifest = self.manifest
            on_disk, dirs = self._changed_on_disk(manifest)
            with self._lock:
                if self.manifest is not manifest:
                    # Rebuilt or reloaded meanwhile (another engine call in another thread): the walk again,
                    # under the lock, on the table as it is now.
                    on_disk, dirs = self._changed_on_disk(self.manifest)
                for rel, (toml, _md) in list(on_disk.items()):
                    if toml is None:  # gone during the walk: made again since? (never drop an incident on disk)
                        on_disk[rel] = self._stat_folder(rel)
                dirs_changed = dirs != self.manifest.dirs
                self.manifest.dirs = dirs
                changes = self._update(on_disk, set(on_disk), progress)
                if dirs_changed and not changes:  # nothing to index, but the folders need not be listed again
                    self._write_manifest()
                return changes

    def _stat_folder(self, rel: str) -> tuple[os.stat_result | None, os.stat_result | None]:
        """The stats of an incident folder's two files; (None, None) when it has no incident file."""
        try:
            toml = os.stat(self.root / rel / INCIDENT_FILE)
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        try:
            md: os.stat_result | None = os.stat(self.root / rel / NARRATIVE_FILE)
        except (FileNotFoundError, NotADirectoryError):
            md = None
        return toml, md

    def _dir_states(self) -> dict[str, int]:
        return dir_states(self.root)

    def _changed_on_disk(
        self, m: Manifest
    ) -> tuple[dict[str, tuple[os.stat_result | None, os.stat_result | None]], dict[str, int]]:
        """The incident folders that may have changed since the file table `m` was written, with their files'
        stats (None for a folder that is gone), and the folders' mtimes now.

        Known folders: a stat of their two files, compared with the file table's columns. New folders: only
        incidents/, year and month folders whose mtime moved are listed (adding or removing an incident
        folder changes its month folder's mtime), so a store that did not change is never walked."""
        if m.columns_current:
            paths = m.paths
            cols = m.rows
            toml_size, toml_mtime = cols["toml_size"].tolist(), cols["toml_mtime"].tolist()
            md_size, md_mtime, racy = cols["md_size"].tolist(), cols["md_mtime"].tolist(), cols["racy"].tolist()
        else:  # the table was changed in memory since it was read (a save in this process)
            paths = list(m.files)
            entries = list(m.files.values())
            toml_size = [e.toml[0] if e.toml else -1 for e in entries]
            toml_mtime = [e.toml[1] if e.toml else 0 for e in entries]
            md_size = [e.md[0] if e.md else -1 for e in entries]
            md_mtime = [e.md[1] if e.md else 0 for e in entries]
            racy = [e.racy for e in entries]
        root = str(self.root)
        out: dict[str, tuple[os.stat_result | None, os.stat_result | None]] = {}
        toml_tail, md_tail = f"{os.sep}{INCIDENT_FILE}", f"{os.sep}{NARRATIVE_FILE}"
        for index, rel in enumerate(paths):
            folder = os.path.join(root, rel) if os.sep != "/" else f"{root}/{rel}"  # 20,000 joins: kept cheap
            try:
                toml = os.stat(folder + toml_tail)
            except (FileNotFoundError, NotADirectoryError):
                out[rel] = (None, None)
                continue
            try:
                md: os.stat_result | None = os.stat(folder + md_tail)
            except (FileNotFoundError, NotADirectoryError):
                md = None
            if (
                racy[index]
                or toml.st_size != toml_size[index]
                or toml.st_mtime_ns != toml_mtime[index]
                or ((md is None) != (md_size[index] < 0))
                or (md is not None and (md.st_size != md_size[index] or md.st_mtime_ns != md_mtime[index]))
            ):
                out[rel] = (toml, md)
        dirs = self._dir_states()
        known = m.dirs
        moved = [rel for rel, mtime in dirs.items() if mtime == -1 or known.get(rel) != mtime]
        if moved:
            indexed = set(paths)
            for rel in moved:
                if rel.count("/") != 2:  # incidents/ or a year: a new year or month shows in `dirs` itself
                    continue
                month = os.path.join(root, rel)
                for name in subfolders(month):
                    folder_rel = f"{rel}/{name}"
                    if folder_rel in indexed:
                        continue
                    try:
                        toml = os.stat(os.path.join(month, name, INCIDENT_FILE))
                    except (FileNotFoundError, NotADirectoryError):
                        continue
                    try:
                        md = os.stat(os.path.join(month, name, NARRATIVE_FILE))
                    except (FileNotFoundError, NotADirectoryError):
                        md = None
                    out[folder_rel] = (toml, md)
        return out, dirs

    def _write_manifest(self) -> None:
        self.cache.write_manifest(self.manifest)
        self.cache.remove_unused(
            {self.manifest.base, self.manifest.files_name, *([self.manifest.delta] if self.manifest.delta else [])}
        )

    def refresh_folders(self, folders: Iterable[str | Path]) -> Changes:
        """Catch up with just these incident folders (absolute or store-relative), e.g. after a save."""
        with self._lock:
            if self.base is None:
                return self.open()
            wanted: set[str] = set()
            for f in folders:
                p = Path(f)
                wanted.add((p.resolve().relative_to(self.root) if p.is_absolute() else p).as_posix())
            on_disk: dict[str, tuple[os.stat_result | None, os.stat_result | None]] = {}
            for rel in wanted:
                try:
                    toml = os.stat(self.root / rel / INCIDENT_FILE)
                except FileNotFoundError:
                    continue
                try:
                    md: os.stat_result | None = os.stat(self.root / rel / NARRATIVE_FILE)
                except FileNotFoundError:
                    md = None
                on_disk[rel] = (toml, md)
            return self._update(on_disk, wanted, None)

    def _update(
        self,
        on_disk: Mapping[str, tuple[os.stat_result | None, os.stat_result | None]],
        candidates: set[str],
        progress: Progress | None,
    ) -> Changes:
        changes = Changes()
        touched: dict[str, Extracted | None] = {}
        restat: dict[str, Entry] = {}
        now = now_ns()
        for rel in sorted(candidates):
            entry = self.manifest.files.get(rel)
            stats = on_disk.get(rel)
            if stats is None or stats[0] is None:
                if entry is not None:
                    touched[rel] = None
                    changes.removed.append(rel)
                continue
            if (
                entry is not None
                and not entry.racy
                and _same_stat(entry.toml, stats[0])
                and _same_stat(entry.md, stats[1])
            ):
                continue
            extracted = extract_folder(self.root, rel, self._mode_names)
            if (
                entry is not None
                and _same_content(entry.toml, extracted.toml)
                and _same_content(entry.md, extracted.md)
            ):
                # Touched but not changed (a checkout, a save of identical bytes): remember the new stat.
                restat[rel] = Entry(extracted.toml, extracted.md, entry.segment, entry.doc, _racy(extracted, now))
                continue
            touched[rel] = extracted
            (changes.changed if entry is not None else changes.added).append(rel)
        if not touched and not restat:
            return changes
        self.manifest.files.update(restat)
        if touched:
            if self._delta_size_after(touched) > max(self.delta_limit, len(self.base.docs) // 10 if self.base else 0):
                self._build(progress)
                changes.rebuilt = "the changes outgrew the delta index: compacted"
                return changes
            self._rebuild_delta(touched, now)
        self._write_manifest()
        return changes

    def _delta_size_after(self, touched: dict[str, Extracted | None]) -> int:
        current = {d.path for d in self.delta.docs} if self.delta else set()
        return len((current - set(touched)) | {k for k, v in touched.items() if v is not None})

    def _rebuild_delta(self, touched: dict[str, Extracted | None], now: int) -> None:
        assert self.base is not None
        keep: list[tuple[Excerpt, list[Field]]] = []
        keep_profiles: list[bytes] = []
        if self.delta is not None:
            old_profiles = self.delta.profile_lines()
            for index, doc in enumerate(self.delta.docs):
                if doc.path not in touched:
                    keep.append((doc, self.delta.fields(index)))
                    keep_profiles.append(old_profiles[index])
        for rel, extracted in touched.items():
            entry = self.manifest.files.get(rel)
            if entry is not None and entry.segment == "base":
                self.manifest.dead.add(entry.doc)
            if extracted is None:
                self.manifest.files.pop(rel, None)
        fresh = [(e.excerpt, e.fields) for e in touched.values() if e is not None]
        docs = keep + fresh
        if docs:
            path = self.cache.new_segment_path()
            profiles = keep_profiles + [e.profile for e in touched.values() if e is not None]
            delta = Segment.build([tokenize(docs, profiles)], path)
            self.manifest.delta = path.name
        else:
            delta, self.manifest.delta = None, ""
        for index, (excerpt, _) in enumerate(docs):
            old = self.manifest.files.get(excerpt.path)
            extracted = touched.get(excerpt.path)
            if extracted is not None:
                self.manifest.files[excerpt.path] = Entry(
                    extracted.toml, extracted.md, "delta", index, _racy(extracted, now)
                )
            elif old is not None:
                self.manifest.files[excerpt.path] = Entry(old.toml, old.md, "delta", index, old.racy)
        self.delta = delta
        self._mask_cache.clear()

    def warm(self) -> None:
        """Compute now what the first search after an open or a change would: per segment, how many of each
        token's groups belong to replaced documents (one pass over the postings, 30 ms idle on a 10k store and
        ten times that under load, once per state). The app calls it in its index thread after each catch-up,
        so the first key typed into the search screen does not wait for it."""
        with self._lock:
            segments = self._segments()
        for seg, alive in segments:
            if alive is not None:
                _dead_df(seg, alive)

    def write_listings(self) -> None:
        """A listing (listing.py) for each segment in use that has none made from its docs.json: one written by a
        version before listings, or copied without its files' times. The next start then reads the list's rows
        from it instead of decoding every document. Best effort: a read-only store or a segment removed
        meanwhile keeps the slower path."""
        with self._lock:
            segments = [seg for seg, _alive in self._segments()]
        for seg in segments:
            if seg.path is None or listing_current(seg.path):
                continue
            try:
                write_listing(seg.path, seg.docs)
            except (OSError, ValueError, CorruptSegment):
                continue

    def warm_columns(self) -> None:
        """Read each segment's filter columns now (~0.1 s at 10,000 incidents, once per segment; a catch-up
        makes only a small delta segment): the app's index thread calls it once the index is ready, so neither
        the search screen's first answer nor a first filter pays for it."""
        with self._lock:
            segments = self._segments()
        for seg, _alive in segments:
            seg.columns()

    # ================================================================================== reading
    def excerpts(self) -> list[Excerpt]:
        """Every live incident excerpt (for lists), newest first."""
        out = []
        with self._lock:  # a refresh in another thread swaps segments: read one whole state
            for seg, alive in self._segments():
                for index, doc in enumerate(seg.docs):
                    if doc.kind != "mode" and (alive is None or alive[index]):
                        out.append(doc)
        out.sort(key=lambda e: (e.started, e.id), reverse=True)
        return out

    def state_key(self) -> StateKey:
        """Which documents `excerpts()` lists now: the segments in use and the dead base documents. Any change
        of an excerpt writes a new delta or base segment, so an equal key means the same excerpts (the list
        compares it with what it read before opening the index, see listing.py). A manifest that marks its base
        "unchecked" (a two-pass first build whose validation pass is pending) says so in the key too, so the
        excerpts that pass completes in place are read again."""
        with self._lock:
            m = self.manifest
            return (m.base, m.delta, frozenset(m.dead), str(getattr(m, "unchecked", "") or ""))

    def profile_lines(self) -> list[bytes]:
        """The learning profile (JSON, see services/learning/profile.py) of every live incident that loads, in no
        particular order. Raises CorruptSegment when the cache is damaged (the next refresh rebuilds it).
        Waits for the second pass of a build when it is still to run: profiles are made there."""
        self.finish_checks()
        out: list[bytes] = []
        with self._lock:
            for seg, alive in self._segments():
                try:
                    lines = seg.profile_lines()
                except CorruptSegment as exc:
                    self._damaged = f"the index cache was damaged ({exc})"
                    raise
                for index, line in enumerate(lines):
                    if line != b"null" and (alive is None or alive[index]):
                        out.append(line)
        return out

    def iter_profile_lines(self) -> Iterator[bytes]:
        """`profile_lines` one line at a time, in the same order, without holding them all: the files are opened
        and their lines counted now, under the lock (CorruptSegment is raised here, before any line is read),
        and read as the caller iterates, without the lock."""
        self.finish_checks()
        opened: list[tuple[BinaryIO, np.ndarray | None]] = []
        try:
            with self._lock:
                for seg, alive in self._segments():
                    opened.append((seg.open_profiles(), alive))
        except CorruptSegment as exc:
            self._damaged = f"the index cache was damaged ({exc})"
            for handle, _ in opened:
                handle.close()
            raise
        return _profile_lines_of(opened)

    def _segments(self) -> list[tuple[Segment, np.ndarray | None]]:
        out: list[tuple[Segment, np.ndarray | None]] = []
        if self.base is not None:
            alive = None
            if self.manifest.dead:
                alive = np.ones(len(self.base.docs), dtype=bool)
                dead = np.fromiter(self.manifest.dead, dtype=np.int64)
                alive[dead[dead < len(alive)]] = False
            out.append((self.base, alive))
        if self.delta is not None:
            out.append((self.delta, None))
        return out

    def mode_expansion(self, value: str) -> set[str]:
        return self._mode_keys.get(value, {value})

    def _mask(self, seg: Segment, alive: np.ndarray | None, query: Query, today: date) -> np.ndarray | None:
        """Which documents pass the filters (None: all of them). Cached: filters rarely change while typing."""
        if not query.filters and alive is None:
            return None
        key = (id(seg), query.filters, today, len(self.manifest.dead))
        cached = self._mask_cache.get(key)
        if cached is not None:
            return cached
        if query.filters:
            # From the segment's columns: asking `accepts` of each document made all 10,000 excerpts once.
            mask: np.ndarray = seg.columns().accepts(query, today, self.mode_expansion) & ~_mode_mask(seg)
        else:
            mask = np.ones(len(seg.docs), dtype=bool)
        if alive is not None:
            mask &= alive
        if len(self._mask_cache) > 32:
            self._mask_cache.clear()
        self._mask_cache[key] = mask
        return mask

    def search(
        self,
        text: str | Query,
        limit: int = 30,
        today: date | None = None,
        include_modes: bool = True,
        stale: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """Rank incidents (and taxonomy modes) for a query string. Never raises for a bad query:
        the result carries the QueryError, so a UI can show it while the person types.

        `stale`: asked between the search's steps; once it says True the search stops and returns no hits (a
        screen whose newer keystroke made this answer useless: "c", typed first, took ~100 ms of the interpreter
        at load 10 while "cache" waited behind it)."""
        try:
            query = parse(text) if isinstance(text, str) else text
        except QueryError as exc:
            return SearchResult(None, [], 0, exc)
        today = today or date.today()
        with self._lock:
            segments = self._segments()
        terms = _terms(query)
        if not terms:
            return self._filtered_only(query, segments, limit, today)
        idf = self._idf_fn(segments)
        words = [self._expand(segments, t) for t in terms]
        if stale is not None and stale():
            return SearchResult(query, [], 0)
        ranked: list[tuple[float, float, int, Segment, int, dict[str, list[tuple[int, float]]], np.ndarray]] = []
        total = 0
        for seg, alive in segments:
            mask = self._mask(seg, alive, query, today)
            expansions = [[(tid, sim) for tok, sim in exp if (tid := seg.token_id(tok)) is not None] for exp in words]
            keys, scores, matched, gsum = _score(seg, expansions, idf, mask, len(terms))
            if not include_modes:
                keys[_mode_mask(seg)] = 0
            candidates = np.flatnonzero(keys > 0)
            total += len(candidates)
            top = candidates
            want = limit if not query.phrases else max(limit * 20, 200)
            if len(candidates) > want:
                # The `want` best, and every document tied with the last of them: which of equal keys make the
                # cut is then decided by id below, the same in every process (argpartition picks among ties as
                # its selection happens to run; the one-shot reader must give the same answer).
                cut = np.partition(keys[candidates], len(candidates) - want)[len(candidates) - want]
                top = candidates[keys[candidates] >= cut]
            wanted: dict[str, list[tuple[int, float]]] = {}
            for t_index, exp in enumerate(expansions):
                for tid, sim in exp:
                    wanted.setdefault(seg.vocab[tid], []).append((t_index, sim))
            for doc in top.tolist():
                ranked.append((float(keys[doc]), float(scores[doc]), int(matched[doc]), seg, doc, wanted, gsum))
            if stale is not None and stale():
                return SearchResult(query, [], 0)
        ranked.sort(key=lambda r: (-r[0], r[3].doc_id(r[4])))
        hits: list[Hit] = []
        for _key, score, n_matched, seg, doc, wanted, gsum in ranked:
            try:
                hit = _hit(seg, doc, len(terms), wanted, query, score, n_matched, _kinds_by_score(seg, doc, gsum))
            except CorruptSegment as exc:
                self._damaged = f"the index cache was damaged ({exc})"
                continue  # the next refresh rebuilds from the files
            if hit is None:
                total -= 1  # a phrase that did not hold
                continue
            hits.append(hit)
            if len(hits) >= limit:
                break
            if stale is not None and len(hits) % 10 == 0 and stale():  # each hit reads its fields from disk
                return SearchResult(query, [], 0)
        return SearchResult(query, hits, max(total, len(hits)), None, len(terms))

    def newest_now(self, limit: int = 30, today: date | None = None) -> SearchResult | None:
        """The empty query's answer (the newest incidents) when it costs about a millisecond: every segment's
        columns read already (the app's index thread reads them once the index is ready). None otherwise, so a
        caller on the event loop (the search screen, before its first frame) never pays the columns' read."""
        with self._lock:
            segments = self._segments()
        if not all(seg.columns_read for seg, _alive in segments):
            return None
        return self._filtered_only(parse(""), segments, limit, today or date.today())

    def _filtered_only(
        self, query: Query, segments: list[tuple[Segment, np.ndarray | None]], limit: int, today: date
    ) -> SearchResult:
        """No words: the incidents that pass the filters, newest first (the list screen's view). Only the `limit`
        shown are made into excerpts: each segment's newest-first order is one of its columns (the search screen,
        which opens with an empty query, made all 10,000 of a 10k store first, then read every row's start and id:
        0.03-0.1 s holding the interpreter before the first answer to what was typed)."""
        keyed: list[tuple[str, str, int, int]] = []  # (started, id, segment, document): the `limit` newest of each
        total = 0
        for number, (seg, alive) in enumerate(segments):
            mask = self._mask(seg, alive, query, today)
            wanted = ~_mode_mask(seg) if mask is None else mask & ~_mode_mask(seg)
            total += int(np.count_nonzero(wanted))
            order = seg.columns().newest
            for index in order[wanted[order]][:limit].tolist():
                keyed.append((*seg.newest_key(index), number, index))
        keyed.sort(reverse=True)
        chosen = [segments[number][0].docs[index] for _, _, number, index in keyed[:limit]]
        hits = [Hit("incident", e.id, e.title, 0.0, 0, "title", "", "title", e.title, (), e) for e in chosen]
        return SearchResult(query, hits, total)

    def _idf_fn(self, segments: list[tuple[Segment, np.ndarray | None]]) -> Callable[[str], float]:
        """A word's rarity over the live documents: a document an edit replaced (dead, still in the base) counts
        neither in the total nor in the word's, so an index with a delta weighs words as a fresh build does."""
        n = sum(len(s.docs) if alive is None else int(alive.sum()) for s, alive in segments) or 1
        cache: dict[str, float] = {}

        def idf(token: str) -> float:
            value = cache.get(token)
            if value is None:
                value = cache[token] = math.log(1 + n / (_live_df(segments, token) + 0.5))
            return value

        return idf

    def _expand(self, segments: list[tuple[Segment, np.ndarray | None]], term: _Term) -> list[tuple[str, float]]:
        """Tokens a word stands for, with a similarity: exact 1.0, prefix 0.9/0.8, typo 0.85/0.7. Decided over
        the whole index (every segment's live tokens), so a word reads the same whichever segment a document is
        in: the answer before a catch-up and after it differ only by what changed."""
        word = term.word
        out: dict[str, float] = {}
        if _live_df(segments, word):
            out[word] = 1.0
        if term.exact_only:
            return list(out.items())
        if term.partial or len(word) >= 3:
            used: dict[str, int] = {}
            for seg, alive in segments:
                lo, hi = seg.prefix_range(word)
                if hi > lo:
                    for token, df in zip(seg.vocab[lo:hi], _live_range_df(seg, alive, lo, hi), strict=True):
                        used[token] = used.get(token, 0) + df
            completions = sorted((t for t, df in used.items() if df), key=lambda t: (-used[t], t))
            for token in completions[:PREFIX_COMPLETIONS]:  # a short prefix: the most used, equal use by spelling
                out.setdefault(token, 0.9 if term.partial else 0.8)
        edits = 0 if len(word) < 4 or word.isdigit() else 1 if len(word) < 7 else 2
        # A word that exists, or begins one, is taken as meant: "stale" never finds "scale", and "pember"
        # (being typed) finds "pemberton" rather than the typo reading "ember".
        if edits and not out:
            found: dict[str, int] = {}
            for seg, _alive in segments:
                for tid, d in seg.fuzzy(word, edits, limit=None):
                    token = seg.vocab[tid]
                    found[token] = min(d, found.get(token, d))
            readings = sorted((t for t, d in found.items() if d and _live_df(segments, t)), key=lambda t: (found[t], t))
            for token in readings[:FUZZY_READINGS]:
                out.setdefault(token, 1.0 - 0.15 * found[token])
        return list(out.items())

    # ---------------------------------------------------------------------------------- status
    def stats(self) -> dict[str, Any]:
        return {
            "incidents": len(self.manifest),
            "base": self.base.stats() if self.base else None,
            "delta": self.delta.stats() if self.delta else None,
            "dead": len(self.manifest.dead),
            "cache": str(self.cache.path),
        }


def _profile_lines_of(opened: list[tuple[BinaryIO, np.ndarray | None]]) -> Iterator[bytes]:
    try:
        for handle, alive in opened:
            for index, line in enumerate(handle):
                line = line.rstrip(b"\n")
                if line != b"null" and (alive is None or alive[index]):
                    yield line
    finally:
        for handle, _ in opened:
            handle.close()


def _live_df(segments: list[tuple[Segment, np.ndarray | None]], token: str) -> int:
    """How many live groups (a field kind of a document) hold `token`, over every segment."""
    total = 0
    for seg, alive in segments:
        tid = seg.token_id(token)
        if tid is not None:
            total += int(_live_range_df(seg, alive, tid, tid + 1)[0])
    return total


def _live_range_df(seg: Segment, alive: np.ndarray | None, lo: int, hi: int) -> list[int]:
    """For tokens lo..hi-1 of a segment, how many of their groups belong to live documents."""
    plain = seg.offsets[lo + 1 : hi + 1] - seg.offsets[lo:hi]
    if alive is None:
        out: list[int] = plain.tolist()
        return out
    live: list[int] = (plain - _dead_df(seg, alive)[lo:hi]).tolist()
    return live


_DEAD_DF: dict[int, tuple[Segment, int, np.ndarray]] = {}


def _dead_df(seg: Segment, alive: np.ndarray) -> np.ndarray:
    """Per token of a segment, how many of its groups belong to documents an edit replaced: one pass over the
    postings (~10 ms at 10,000 incidents) when the replaced documents change, then a lookup per token (counting
    them per prefix range cost a keystroke 5-10 ms)."""
    dead = len(alive) - int(np.count_nonzero(alive))
    cached = _DEAD_DF.get(id(seg))
    if cached is not None and cached[0] is seg and cached[1] == dead:
        return cached[2]
    if len(seg.vocab) == 0:
        counts = np.zeros(0, dtype=np.int64)
    else:
        # The postings that list a replaced document's group, then the token each belongs to (the range of
        # postings it falls in), counted. Summing a flag per posting as int64 (np.add.reduceat) made a 40 MB
        # temporary at 10,000 incidents: the app's peak memory, at the first search after an edit.
        dead_postings = np.flatnonzero((~alive)[seg.group_doc][seg.postings])
        tokens = np.searchsorted(seg.offsets, dead_postings, side="right") - 1
        counts = np.bincount(tokens, minlength=len(seg.vocab)).astype(np.int64, copy=False)
    if len(_DEAD_DF) > 8:
        _DEAD_DF.clear()
    _DEAD_DF[id(seg)] = (seg, dead, counts)
    return counts


def _racy(e: Extracted, now: int) -> bool:
    return any(s is not None and now - s[1] < _RACY_NS for s in (e.toml, e.md))


def _same_content(a: FileState, b: FileState) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] == b[0] and a[2] == b[2]


_MODE_MASKS: dict[int, tuple[Segment, np.ndarray]] = {}


def _mode_mask(seg: Segment) -> np.ndarray:
    if seg.is_mode is not None:
        return seg.is_mode
    cached = _MODE_MASKS.get(id(seg))
    if cached is None or cached[0] is not seg:
        if len(_MODE_MASKS) > 8:
            _MODE_MASKS.clear()
        cached = _MODE_MASKS[id(seg)] = (
            seg,
            np.fromiter((d.kind == "mode" for d in seg.docs), dtype=bool, count=len(seg.docs)),
        )
    return cached[1]


def _kinds_by_score(seg: Segment, doc: int, gsum: np.ndarray) -> list[str]:
    """The field kinds of a document that matched, best first (groups of a document are contiguous)."""
    starts = seg.doc_groups()
    lo, hi = int(starts[doc]), int(starts[doc + 1])
    values = gsum[lo:hi]
    order = np.argsort(-values, kind="stable")
    return [KINDS[int(seg.group_kind[lo + i])] for i in order.tolist() if values[i] > 0]


def _score(
    seg: Segment,
    expansions: Sequence[list[tuple[int, float]]],
    idf: Callable[[str], float],
    mask: np.ndarray | None,
    n_terms: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rank key, score, matched word count) per document and the weighted match per group; key 0: no match."""
    n_docs, n_groups = len(seg.docs), len(seg.group_doc)
    gsum = np.zeros(n_groups, dtype=np.float32)
    total = np.zeros(n_docs, dtype=np.float32)
    matched = np.zeros(n_docs, dtype=np.int16)
    together = np.zeros(n_groups, dtype=np.int16) if n_terms > 1 else None
    for exp in expansions:
        if not exp:
            continue
        if len(exp) == 1:
            tid, sim = exp[0]
            groups = seg.groups_of(tid)
            if not len(groups):
                continue
            vals = np.full(len(groups), sim * idf(seg.vocab[tid]), dtype=np.float32)
        else:
            # A group (a field kind of a document) matched through several tokens keeps its best value. A
            # token's postings hold each group once, so a dense maximum needs no sort (a lexsort of the
            # concatenated postings took 100-400 ms for a one-letter prefix at 100,000 incidents).
            dense = np.zeros(n_groups, dtype=np.float32)
            for tid, sim in exp:
                g = seg.groups_of(tid)
                if len(g):
                    dense[g] = np.maximum(dense[g], np.float32(sim * idf(seg.vocab[tid])))
            groups = np.flatnonzero(dense)
            if not len(groups):
                continue
            vals = dense[groups]
        docs = seg.group_doc[groups]
        weighted = vals * _W[seg.group_kind[groups]]
        gsum[groups] += weighted
        best = np.zeros(n_docs, dtype=np.float32)
        np.maximum.at(best, docs, weighted)
        breadth = np.bincount(docs, weights=weighted, minlength=n_docs).astype(np.float32)
        total += best + 0.05 * (breadth - best)
        matched += best > 0
        if together is not None:
            together[groups] += 1
    named = np.zeros(n_docs, dtype=bool)  # every word in the document's title (a mode's name)
    if together is not None:
        full = np.flatnonzero(together >= n_terms)
        if len(full):
            bonus = np.zeros(n_docs, dtype=np.float32)
            np.maximum.at(bonus, seg.group_doc[full], _W[seg.group_kind[full]])
            total += bonus
            named[seg.group_doc[full[seg.group_kind[full] == KIND_ID["title"]]]] = True
    keys = matched.astype(np.float64) * 10_000 + total
    if n_terms > 1:
        # An incident with every word of the query is what was asked for: it ranks above a mode with as many
        # words (a mode's short, keyword-dense text would otherwise win on score), unless the words are that
        # mode's name.
        modes = _mode_mask(seg)
        keys[(matched == n_terms) & (~modes | named)] += ALL_WORDS_BONUS
    keys[matched == 0] = 0
    if mask is not None:
        keys[~mask] = 0
    return keys, total, matched, gsum


def _hit(
    seg: Segment,
    doc: int,
    n_terms: int,
    wanted: dict[str, list[tuple[int, float]]],
    query: Query,
    score: float,
    matched: int,
    kinds: list[str],
) -> Hit | None:
    return make_hit(seg.docs[doc], seg.fields(doc), n_terms, wanted, query, score, matched, kinds)
