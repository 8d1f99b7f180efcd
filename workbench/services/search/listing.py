"""The incident list's first rows, read straight from the index on disk before the index itself is opened.

Opening the index (`SearchEngine.open`) imports numpy, reads the file table and stats 20,000 files to catch up
with changes: about half a second of CPU at 10,000 incidents, all before the list could show a row. What a list
shows is on disk already: each segment writes `listing.jsonl` beside its `docs.json`, the list's fields only
(id, title, severity, stage, start, folder, tags, open actions, due dates, load problems), one JSON array per
line, in id order. Reading it is a dozen small parses and no object per incident beyond the values themselves;
parsing the whole `docs.json` and making 10,000 excerpts from it took ~0.3 s of CPU at 10,000 incidents, and
its one parse of 6 MB held the interpreter (the event loop's thread waiting) for ~0.1 s at a time.

A listing names the size and modification time of the `docs.json` it was made from: one that does not match
(a segment written by an older version without it, a file cut short, a copy that did not keep times) is not
used, and the rows are made from `docs.json` itself, as before: never rows the index would not list. What this
returns is the list as the index last saw it: the caller shows it at once and checks it against the opened
index (`key` says which state it came from, `SearchEngine.state_key` the state the index is in) before
trusting it further.

Nothing here writes but `write_listing` (the index calls it for a segment it writes, and for one it finds
without a usable listing), and anything unexpected (no index yet, another format version, a segment removed
meanwhile, a damaged row) gives None: the list then waits for the index, as it always did.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ...store.boundary import private_dir
from ...store.errors import StoreError
from .cache_format import CACHE_SUBDIR, FORMAT_VERSION, segment_name_ok
from .excerpt import Excerpt

# Base segment, delta segment, dead base documents, and the base segment while a first build's second pass
# (validation: the load problems the list reports) has not run on it; "" when there is none.
StateKey = tuple[str, str, frozenset[int], str]

LISTING_FILE = "listing.jsonl"
LISTING_VERSION = 1
# The lines after the header, in this order. "doc": each row's document in its segment (dead documents are
# dropped by it); "path": "" where the folder is the usual incidents/YYYY/MM/<id>; "open_due": an incident's
# open actions' due dates joined by spaces; "problems": {row: problems} for the rows that have any.
_LINES = (
    "doc",
    "id",
    "title",
    "severity",
    "stage",
    "started_at",
    "path",
    "tags",
    "open_actions",
    "open_due",
    "follow_up",
    "follow_up_held",
    "problems",
)
_STR_LINES = ("id", "title", "severity", "stage", "started_at", "path", "open_due", "follow_up", "follow_up_held")


@dataclass
class ListColumns:
    """Live incidents as columns, one list per field, in id order (rows of one id in the order indexed)."""

    ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    severities: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    started_at: list[str] = field(default_factory=list)  # "YYYY-MM-DD HH:MM" in UTC, "" when undated
    paths: list[str] = field(default_factory=list)  # the incident folder, relative to the store
    tags: list[list[str]] = field(default_factory=list)
    open_actions: list[int] = field(default_factory=list)
    open_due: list[str] = field(default_factory=list)  # ISO due dates of open actions, sorted, space-separated
    follow_up: list[str] = field(default_factory=list)
    follow_up_held: list[str] = field(default_factory=list)
    problems: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # row -> load problems

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of_excerpts(cls, excerpts: Iterable[Excerpt]) -> ListColumns:
        """The same columns from excerpts (the opened index's; taxonomy modes left out), in id order."""
        return _columns_of([(index, e) for index, e in enumerate(excerpts) if e.kind != "mode"])[1]


@dataclass(frozen=True)
class Listing:
    columns: ListColumns  # live incidents (no taxonomy modes), in id order
    key: StateKey


def read_listing(root: Path) -> Listing | None:
    """The live incidents of the index on disk, or None when they cannot be read as they are."""
    try:
        private_dir(root, create=False)  # a `.workbench` link is refused here as the index refuses it
        folder = Path(root) / CACHE_SUBDIR
        head = orjson.loads((folder / "manifest.json").read_bytes())
        if not isinstance(head, dict) or head.get("format") != FORMAT_VERSION:
            return None
        base, delta = str(head["base"]), str(head["delta"] or "")
        dead = frozenset(int(d) for d in head["dead"])
        if not segment_name_ok(base) or (delta and not segment_name_ok(delta)):
            return None
        docs, columns = segment_columns(folder / base)
        if dead or delta:
            keep = [row for row, doc in enumerate(docs) if doc not in dead]
            parts = [(columns, keep)]
            if delta:
                delta_columns = segment_columns(folder / delta)[1]
                parts.append((delta_columns, list(range(len(delta_columns)))))
            columns = _merged(parts)
    except (OSError, ValueError, KeyError, TypeError, StoreError):  # orjson's decode error is a ValueError
        return None
    return Listing(columns, (base, delta, dead, str(head.get("unchecked") or "")))


def segment_columns(segment: Path) -> tuple[list[int], ListColumns]:
    """A segment's incidents (each row's document, and the columns): from its listing when it is the one
    made from this `docs.json`, else from `docs.json`. Raises OSError or ValueError when neither reads."""
    docs_state = _docs_state(segment)
    made = _read_listing_file(segment / LISTING_FILE, docs_state)
    if made is not None:
        return made
    return _columns_of_rows(_rows(segment / "docs.json"))


def write_listing(segment: Path, docs: Iterable[Excerpt]) -> None:
    """The segment's listing, made from its documents (in their order), written beside its docs.json (which
    must be written already) and renamed into place: a reader finds the whole file or none."""
    rows, columns = _columns_of([(index, e) for index, e in enumerate(docs) if e.kind != "mode"])
    size, mtime = _docs_state(segment)
    header = {"listing": LISTING_VERSION, "docs_size": size, "docs_mtime_ns": mtime}
    lines = [orjson.dumps(header)]
    for name in _LINES:
        if name == "doc":
            value: Any = rows
        elif name == "problems":
            value = {str(k): v for k, v in columns.problems.items()}
        elif name == "path":
            value = ["" if p == _usual_path(i) else p for i, p in zip(columns.ids, columns.paths, strict=True)]
        else:
            value = getattr(columns, _ATTRS.get(name, name))
        lines.append(orjson.dumps(value))
    fd, tmp = tempfile.mkstemp(prefix=".listing.", suffix=".tmp", dir=segment)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"\n".join(lines) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, segment / LISTING_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def listing_current(segment: Path) -> bool:
    """Whether the segment has a listing made from its docs.json as it is now."""
    try:
        return _read_listing_file(segment / LISTING_FILE, _docs_state(segment)) is not None
    except OSError:
        return False


_ATTRS = {"id": "ids", "title": "titles", "severity": "severities", "stage": "stages", "path": "paths"}


def _usual_path(incident_id: str) -> str:
    return f"incidents/{incident_id[:4]}/{incident_id[5:7]}/{incident_id}"


def _docs_state(segment: Path) -> tuple[int, int]:
    st = (segment / "docs.json").stat()
    return st.st_size, st.st_mtime_ns


def _read_listing_file(path: Path, docs_state: tuple[int, int]) -> tuple[list[int], ListColumns] | None:
    """The listing at `path` when it was made from docs.json as it is (size and time), whole and well formed."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    lines = raw.split(b"\n")
    if len(lines) != len(_LINES) + 2 or lines[-1] != b"":
        return None
    try:
        # Each line parsed on its own: the interpreter is free between them for the event loop's thread.
        header = orjson.loads(lines[0])
        if (
            not isinstance(header, dict)
            or header.get("listing") != LISTING_VERSION
            or (header.get("docs_size"), header.get("docs_mtime_ns")) != docs_state
        ):
            return None
        values = {name: orjson.loads(line) for name, line in zip(_LINES, lines[1:], strict=False)}
    except ValueError:  # cut short or damaged: docs.json answers
        return None
    n = len(values["id"])
    docs, problems = values["doc"], values["problems"]
    lists = [values[name] for name in _LINES if name != "problems"]
    if any(not isinstance(v, list) or len(v) != n for v in lists) or not isinstance(problems, dict):
        return None
    # Types checked in C loops (a set of types per column), so a damaged value never reaches the screen.
    if (
        any(set(map(type, values[name])) - {str} for name in _STR_LINES)
        or set(map(type, docs)) - {int}
        or set(map(type, values["open_actions"])) - {int}
        or set(map(type, values["tags"])) - {list}
        or any(set(map(type, t)) - {str} for t in values["tags"] if t)
        or any(set(map(type, p)) - {dict} for p in problems.values() if isinstance(p, list))
        or set(map(type, problems.values())) - {list}
        or (n and min(docs) < 0)
    ):
        return None
    try:
        by_row = {int(k): v for k, v in problems.items()}
    except ValueError:
        return None
    if any(not 0 <= k < n for k in by_row):
        return None
    ids = values["id"]
    paths = [p or _usual_path(i) for i, p in zip(ids, values["path"], strict=True)]
    columns = ListColumns(
        ids,
        values["title"],
        values["severity"],
        values["stage"],
        values["started_at"],
        paths,
        values["tags"],
        values["open_actions"],
        values["open_due"],
        values["follow_up"],
        values["follow_up_held"],
        by_row,
    )
    return docs, columns


def _rows(docs_json: Path) -> list[Any]:
    rows = orjson.loads(docs_json.read_bytes())
    if not isinstance(rows, list):
        raise ValueError("docs.json is not a list")
    return rows


def _columns_of_rows(rows: Sequence[Any]) -> tuple[list[int], ListColumns]:
    """The incidents (not taxonomy modes) of a segment's rows, in id order: each row's document and the columns.
    Raises ValueError for a row that is not an excerpt."""
    made: list[tuple[int, Excerpt]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != _ROW_LEN:
            raise ValueError(f"docs.json row {index} is not an excerpt")
        if row[4] != "mode":
            made.append((index, Excerpt.from_row(row)))
    return _columns_of(made)


def _columns_of(made: list[tuple[int, Excerpt]]) -> tuple[list[int], ListColumns]:
    made.sort(key=lambda pair: pair[1].id)  # stable: rows of one id stay in the order indexed
    out = ListColumns()
    for row, (_, e) in enumerate(made):
        out.ids.append(e.id)
        out.titles.append(e.title)
        out.severities.append(e.severity)
        out.stages.append(e.stage)
        out.started_at.append(e.started_at)
        out.paths.append(e.path)
        out.tags.append(list(e.tags))
        out.open_actions.append(e.open_actions)
        out.open_due.append(" ".join(e.open_due))
        out.follow_up.append(e.follow_up)
        out.follow_up_held.append(e.follow_up_held)
        if e.problems:
            out.problems[row] = e.problems
    return [index for index, _ in made], out


def _merged(parts: list[tuple[ListColumns, list[int]]]) -> ListColumns:
    """The chosen rows of several segments' columns, in id order (a base's before a delta's for one id)."""
    picked = [(c, row) for c, rows in parts for row in rows]
    picked.sort(key=lambda pair: pair[0].ids[pair[1]])
    out = ListColumns()
    for position, (c, row) in enumerate(picked):
        out.ids.append(c.ids[row])
        out.titles.append(c.titles[row])
        out.severities.append(c.severities[row])
        out.stages.append(c.stages[row])
        out.started_at.append(c.started_at[row])
        out.paths.append(c.paths[row])
        out.tags.append(c.tags[row])
        out.open_actions.append(c.open_actions[row])
        out.open_due.append(c.open_due[row])
        out.follow_up.append(c.follow_up[row])
        out.follow_up_held.append(c.follow_up_held[row])
        if row in c.problems:
            out.problems[position] = c.problems[row]
    return out


_ROW_LEN = len(Excerpt("", "").to_row())
