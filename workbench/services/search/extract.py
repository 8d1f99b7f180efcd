"""Reading incident folders for the index: bytes -> hashes, excerpt and fields. Runs in worker processes.

Parsing uses rtoml (a Rust TOML parser, ~10x faster than tomllib on these files: a first build of
10,000 incidents is dominated by parsing) and falls back to tomllib where rtoml is unavailable or
disagrees. A file that does not parse is still indexed, as raw text, with the problem noted, so a
broken incident can be found and fixed rather than silently vanishing from search.
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ...store.boundary import Boundary, Refused
from ...store.layout import INCIDENT_FILE, NARRATIVE_FILE
from ...store.textio import MAX_FILE_BYTES
from .excerpt import Excerpt, excerpt_from_data
from .segment import Chunk, tokenize
from .text import Field, incident_fields

try:  # pragma: no cover - exercised when installed, which is the normal case
    import rtoml as _rtoml
except ImportError:  # pragma: no cover
    _rtoml = None  # type: ignore[assignment]  # None marks rtoml absent; its one use checks


# (size, mtime_ns, sha256) of a file, or None when it does not exist.
FileState = tuple[int, int, str] | None


@dataclass
class Extracted:
    folder: str  # relative to the store, posix
    toml: FileState
    md: FileState
    excerpt: Excerpt
    fields: list[Field]
    profile: bytes = b"null"  # the learning Profile as JSON (profile.py), "null" when the file does not load


def parse_toml(text: str) -> dict[str, Any]:
    if _rtoml is not None:
        try:
            return _rtoml.loads(text)
        except Exception:  # noqa: BLE001 - rtoml's errors vary by version; tomllib gives the real message
            pass
    import tomllib  # only for what rtoml refuses (its message is the better one): not imported by every search

    return tomllib.loads(text)


def read_file(boundary: Boundary, path: Path) -> tuple[bytes | None, FileState, str]:
    """(bytes, state, "") of a store file, through the store boundary; a refused file (a link out of the
    store, a FIFO, over the size cap) gives (None, its lstat state, the refusal) and is never read."""
    try:
        st = os.stat(path)
        data = boundary.read_bytes(path)
    except FileNotFoundError:
        return None, None, ""
    except Refused as exc:
        st = os.lstat(path)
        return None, (st.st_size, st.st_mtime_ns, "refused"), str(exc)
    return data, (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()), ""


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
Read = tuple[bytes | None, FileState, str]


def read_folder(
    boundary: Boundary, path: Path, *, md: bool = True, folders: FolderFds | None = None, rel: str = ""
) -> tuple[Read, Read]:
    """`_read` of an incident's two files, cheaply: the folder is resolved and checked once, and each file is
    opened relative to it without following links. Whatever is unusual (a link, not a regular file, over the
    cap, a folder outside the store or gone) takes `_read`, whose refusals and messages stay the only ones.
    Resolving every file through the boundary was a fifth of a first build's CPU at 10,000 incidents.
    With `folders` (and the folder's store-relative `rel`), the folder is opened by walking down from the
    store's root without following any link, which needs no `realpath` at all. `md=False` reads only the
    incident file (the narrative's read is reported as absent)."""

    def slow() -> tuple[Read, Read]:
        toml = read_file(boundary, path / INCIDENT_FILE)
        return toml, (read_file(boundary, path / NARRATIVE_FILE) if md else (None, None, ""))

    if not hasattr(os, "O_NOFOLLOW") or os.open not in os.supports_dir_fd:  # pragma: no cover - not Linux/macOS
        return slow()
    if folders is not None and rel:
        folder_fd = folders.open(rel)
        if folder_fd is None:
            return slow()
    else:
        real = os.path.realpath(path)
        if not boundary.is_inside(real):
            return slow()
        try:
            folder_fd = os.open(real, _DIR_FLAGS)
        except OSError:
            return slow()
    try:
        toml = _read_at(folder_fd, INCIDENT_FILE)
        narrative = _read_at(folder_fd, NARRATIVE_FILE) if md else (None, None, "")
    finally:
        os.close(folder_fd)
    if toml is None or narrative is None:
        return slow()
    return toml, narrative


class FolderFds:
    """Incident folders opened below the store's root one name at a time, each with O_NOFOLLOW: a folder reached
    this way is inside the store by construction (a link anywhere on the way fails the open, and the caller
    then takes the boundary's path, which says why). Folders come sorted, so a month's folder stays open for
    the incidents in it. Close it when done (a context manager)."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)
        self._parent = ""
        self._parent_fd = -1

    def __enter__(self) -> FolderFds:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._parent_fd >= 0:
            os.close(self._parent_fd)
        self._parent, self._parent_fd = "", -1

    def open(self, rel: str) -> int | None:
        """An fd of the store folder `rel` (posix, relative), or None when it cannot be reached without a link."""
        parent, _, name = rel.rpartition("/")
        if parent != self._parent or self._parent_fd < 0:
            self._close()
            self._parent, self._parent_fd = parent, self._walk(parent)
        if self._parent_fd < 0 or name in ("", ".", ".."):
            return None
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=self._parent_fd)
        except OSError:
            return None

    def _walk(self, rel: str) -> int:
        parts = rel.split("/") if rel else []
        if any(p in ("", ".", "..") for p in parts):
            return -1
        try:
            fd = os.open(self.root, _DIR_FLAGS)
        except OSError:
            return -1
        for part in parts:
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError:
                os.close(fd)
                return -1
            os.close(fd)
            fd = child
        return fd


def prefetch(root: Path, folders: Iterable[str], stop: threading.Event) -> None:
    """Ask the kernel to start reading each incident's two files, in the order the workers read them, so that
    on a cold page cache (a store not read since the machine started) the disk works while the workers parse
    instead of each read waiting its turn. Nothing is read here; only files reached below the store's root
    without a link, and regular ones (a FIFO is never opened for reading: O_NONBLOCK), are named to the
    kernel. `stop` ends it early. Where the kernel has no such hint (not Linux), nothing is done."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None or os.open not in os.supports_dir_fd:  # pragma: no cover - not Linux
        return
    with FolderFds(root) as fds:
        for rel in folders:
            if stop.is_set():
                return
            folder_fd = fds.open(rel)
            if folder_fd is None:
                continue
            try:
                for name in (INCIDENT_FILE, NARRATIVE_FILE):
                    try:
                        fd = os.open(name, _FILE_FLAGS, dir_fd=folder_fd)
                    except OSError:
                        continue
                    try:
                        if stat.S_ISREG(os.fstat(fd).st_mode):
                            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
                    except OSError:
                        pass  # a hint only: the worker's own read says what is wrong
                    finally:
                        os.close(fd)
            finally:
                os.close(folder_fd)


def _read_at(folder_fd: int, name: str) -> Read | None:
    """The file `name` in an open folder, or None when it needs the boundary's careful path."""
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=folder_fd)
    except FileNotFoundError:
        return None, None, ""
    except OSError:  # ELOOP (a link), ENXIO (a socket) ...: the boundary says why
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            return None
        parts = [os.read(fd, st.st_size + 1)]  # one read for a file that does not change meanwhile
        read = len(parts[0])
        while parts[-1] and read <= MAX_FILE_BYTES:
            parts.append(os.read(fd, MAX_FILE_BYTES + 1 - read))
            read += len(parts[-1])
    finally:
        os.close(fd)
    if read > MAX_FILE_BYTES:  # it grew while being read
        return None
    data = parts[0] if len(parts) <= 2 and not parts[-1] else b"".join(parts)
    return data, (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()), ""


def _text(data: bytes | None) -> str:
    if data is None:
        return ""
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def extract_folder(
    root: Path,
    folder: str,
    mode_names: dict[str, str],
    boundary: Boundary | None = None,
    checks: bool = True,
    folders: FolderFds | None = None,
) -> Extracted:
    """An incident folder read for the index. `checks=False` leaves out what only the second pass needs (model
    validation and the learning profile: a third of a first build): the excerpt then has no load problems
    unless the file was refused or is not TOML, and the profile is "null", until `check_folder` fills them."""
    path = root / folder
    boundary = boundary or Boundary(root)
    (toml_bytes, toml_state, refused), (md_bytes, md_state, md_refused) = read_folder(
        boundary, path, folders=folders, rel=folder
    )
    refused = refused or md_refused
    if toml_state is None:  # no incident.toml (any more): not an incident, which the caller leaves out
        return Extracted(folder, None, md_state, Excerpt(folder.rsplit("/", 1)[-1], "", path=folder), [])
    toml_text, md_text = _text(toml_bytes), _text(md_bytes)
    name = folder.rsplit("/", 1)[-1]
    try:
        data = parse_toml(toml_text) if not refused else {}
        problem = refused
    except (ValueError, RecursionError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        data, problem = {}, f"{folder}/{INCIDENT_FILE}: not valid TOML: {exc}"
    as_written = data  # before the fill-ins below, which are for display only
    if not isinstance(data.get("id"), str) or not data.get("id"):
        data = {**data, "id": name}
    if not isinstance(data.get("title"), str):
        data = {**data, "title": name}
    excerpt = excerpt_from_data(data, folder)
    fields = incident_fields(data, md_text, mode_names)
    profile = b"null"
    if problem:  # refused or not TOML: known without validating, so never left to the second pass
        problems = load_problems(root, folder, toml_bytes, None)
        excerpt = _with_problems(excerpt, problem, problems)
        if not refused:
            fields.append(("meta", INCIDENT_FILE, "", toml_text))
    elif checks:
        extra, profile = checked(root, folder, toml_bytes, as_written)
        if extra:
            excerpt = _with_extra(excerpt, extra)
    return Extracted(folder, toml_state, md_state, excerpt, fields, profile)


def checked(
    root: Path, folder: str, toml_bytes: bytes | None, as_written: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    """The second pass over a file that parsed: ({} or its load problems as an excerpt's `extra`, its learning
    profile as JSON or b"null"). One function for both passes, so a two-pass build equals a one-pass one."""
    incident = valid_incident(folder, toml_bytes, as_written)
    if incident is not None:
        from ..learning.profile import Profile

        return {}, orjson.dumps(Profile.of(incident).to_json())
    problems = load_problems(root, folder, toml_bytes, None)
    if not problems:
        return {}, b"null"
    return {"problem": "; ".join(p["message"] for p in problems), "problems": problems}, b"null"


def _with_problems(excerpt: Excerpt, problem: str, problems: list[dict[str, Any]]) -> Excerpt:
    return _with_extra(excerpt, {"problem": problem, "problems": problems})


def _with_extra(excerpt: Excerpt, extra: dict[str, Any]) -> Excerpt:
    return Excerpt(**{**excerpt.__dict__, "extra": extra})


def check_folder(
    root: Path, folder: str, toml_sha: str, boundary: Boundary, folders: FolderFds | None = None
) -> tuple[dict[str, Any], bytes] | None:
    """`checked` for an incident indexed by a first pass, from its file read again; None when the file is no
    longer the one indexed (the next refresh sees its new stat and indexes it whole) or cannot be read now."""
    (toml_bytes, state, refused), _md = read_folder(boundary, root / folder, md=False, folders=folders, rel=folder)
    if toml_bytes is None or refused or state is None or state[2] != toml_sha:
        return None
    try:
        as_written = parse_toml(_text(toml_bytes))
    except (ValueError, RecursionError):  # it parsed in the first pass: the same bytes parse again
        return None
    return checked(root, folder, toml_bytes, as_written)


def valid_incident(folder: str, toml_bytes: bytes | None, data: dict[str, Any] | None) -> Any:
    """The validated model when the file is strict UTF-8, validates and its id is its folder's name, else None
    (load_problems then asks the store why)."""
    if data is None or toml_bytes is None:
        return None
    try:
        from ...domain.model import Incident

        toml_bytes.decode("utf-8")
        incident = Incident.model_validate(data)
    except Exception:  # noqa: BLE001 - any failure: the store gives the exact message
        return None
    return incident if incident.id == folder.rsplit("/", 1)[-1] else None


def load_problems(
    root: Path, folder: str, toml_bytes: bytes | None, data: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """What stops this incident from loading, in the store's own words (file:line: field), or [].

    The cheap check (strict UTF-8, model validation of the parsed data, id = folder name) runs for
    every file once per content, so lists can report broken incidents without loading them all; the
    store's loader runs only for a file that fails it (`data` None: it did not parse), so the
    message is exactly the one opening the incident would give."""
    if valid_incident(folder, toml_bytes, data) is not None:
        return []
    try:
        from ...store import LoadError, Store, StoreError

        store = Store(root)
        try:
            store.load_folder(root / folder)
        except LoadError as exc:
            return [_problem_dict(p) for p in exc.problems]
        except StoreError as exc:
            return [{"path": f"{folder}/{INCIDENT_FILE}", "message": str(exc), "line": None, "field": ""}]
    except Exception as exc:  # noqa: BLE001 - a store that cannot even open: say so rather than crash a build
        return [{"path": f"{folder}/{INCIDENT_FILE}", "message": str(exc), "line": None, "field": ""}]
    return []


def _problem_dict(p: Any) -> dict[str, Any]:
    return {"path": str(p.path).replace(os.sep, "/"), "message": p.message, "line": p.line, "field": p.field}


def extract_many(
    root: str, folders: list[str], mode_names: dict[str, str], checks: bool = True
) -> tuple[list[Extracted], Chunk]:
    """A chunk of folders read and tokenized, for a worker process. The fields travel back inside
    the chunk's text lines only, not twice. A folder without an incident.toml is not an incident: left out."""
    gc.disable()  # thousands of small containers: the cyclic GC would rescan them over and over
    try:
        boundary = Boundary(Path(root))  # resolved once per chunk, not per folder
        with FolderFds(Path(root)) as fds:
            extracted = [extract_folder(Path(root), f, mode_names, boundary, checks, fds) for f in folders]
        extracted = [e for e in extracted if e.toml is not None]
        chunk = tokenize([(e.excerpt, e.fields) for e in extracted], [e.profile for e in extracted])
        for e in extracted:
            e.fields = []
        return extracted, chunk
    finally:
        gc.enable()


def check_many(root: str, items: list[tuple[str, str]]) -> list[tuple[dict[str, Any], bytes] | None]:
    """`check_folder` for a chunk of (folder, sha256 of its incident.toml as indexed), for a worker process."""
    gc.disable()
    try:
        boundary = Boundary(Path(root))
        with FolderFds(Path(root)) as fds:
            return [check_folder(Path(root), folder, sha, boundary, fds) for folder, sha in items]
    finally:
        gc.enable()
