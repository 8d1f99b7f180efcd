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
import tomllib
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


def read_folder(boundary: Boundary, path: Path) -> tuple[Read, Read]:
    """`_read` of an incident's two files, cheaply: the folder is resolved and checked once, and each file is
    opened relative to it without following links. Whatever is unusual (a link, not a regular file, over the
    cap, a folder outside the store or gone) takes `_read`, whose refusals and messages stay the only ones.
    Resolving every file through the boundary was a fifth of a first build's CPU at 10,000 incidents."""

    def slow() -> tuple[Read, Read]:
        return read_file(boundary, path / INCIDENT_FILE), read_file(boundary, path / NARRATIVE_FILE)

    if not hasattr(os, "O_NOFOLLOW") or os.open not in os.supports_dir_fd:  # pragma: no cover - not Linux/macOS
        return slow()
    real = os.path.realpath(path)
    if not boundary.is_inside(real):
        return slow()
    try:
        folder_fd = os.open(real, _DIR_FLAGS)
    except OSError:
        return slow()
    try:
        toml, md = _read_at(folder_fd, INCIDENT_FILE), _read_at(folder_fd, NARRATIVE_FILE)
    finally:
        os.close(folder_fd)
    if toml is None or md is None:
        return slow()
    return toml, md


def _read_at(folder_fd: int, name: str) -> Read | None:
    """The file `name` in an open folder, or None when it needs the boundary's careful path."""
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=folder_fd)
    except FileNotFoundError:
        return None, None, ""
    except OSError:  # ELOOP (a link), ENXIO (a socket) ...: the boundary says why
        return None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            return None
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        return None
    return data, (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()), ""


def _text(data: bytes | None) -> str:
    if data is None:
        return ""
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def extract_folder(root: Path, folder: str, mode_names: dict[str, str], boundary: Boundary | None = None) -> Extracted:
    path = root / folder
    boundary = boundary or Boundary(root)
    (toml_bytes, toml_state, refused), (md_bytes, md_state, md_refused) = read_folder(boundary, path)
    refused = refused or md_refused
    toml_text, md_text = _text(toml_bytes), _text(md_bytes)
    name = folder.rsplit("/", 1)[-1]
    try:
        data = parse_toml(toml_text) if not refused else {}
        problem = refused
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        data, problem = {}, f"{folder}/{INCIDENT_FILE}: not valid TOML: {exc}"
    as_written = data  # before the fill-ins below, which are for display only
    if not isinstance(data.get("id"), str) or not data.get("id"):
        data = {**data, "id": name}
    if not isinstance(data.get("title"), str):
        data = {**data, "title": name}
    excerpt = excerpt_from_data(data, folder)
    fields = incident_fields(data, md_text, mode_names)
    incident = None if problem else valid_incident(folder, toml_bytes, as_written)
    problems = [] if problem or incident is not None else load_problems(root, folder, toml_bytes, None)
    if problem or problems:
        problems = problems or load_problems(root, folder, toml_bytes, None)
        summary = problem or "; ".join(p["message"] for p in problems)
        excerpt = Excerpt(**{**excerpt.__dict__, "extra": {"problem": summary, "problems": problems}})
    if problem and not refused:
        fields.append(("meta", INCIDENT_FILE, "", toml_text))
    profile = b"null"
    if incident is not None and not problems:
        from ..learning.profile import Profile

        profile = orjson.dumps(Profile.of(incident).to_json())
    return Extracted(folder, toml_state, md_state, excerpt, fields, profile)


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


def extract_many(root: str, folders: list[str], mode_names: dict[str, str]) -> tuple[list[Extracted], Chunk]:
    """A chunk of folders read and tokenized, for a worker process. The fields travel back inside
    the chunk's text lines only, not twice."""
    gc.disable()  # thousands of small containers: the cyclic GC would rescan them over and over
    try:
        boundary = Boundary(Path(root))  # resolved once per chunk, not per folder
        extracted = [extract_folder(Path(root), f, mode_names, boundary) for f in folders]
        chunk = tokenize([(e.excerpt, e.fields) for e in extracted], [e.profile for e in extracted])
        for e in extracted:
            e.fields = []
        return extracted, chunk
    finally:
        gc.enable()
