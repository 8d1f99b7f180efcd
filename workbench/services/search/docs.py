"""A segment's documents and texts as stored, read without numpy (the one-shot search reads them too).

`docs.json` holds one excerpt row per line, decoded when a document is shown; `texts.jsonl` one document's fields
per line, read by offset. A row or a text that does not read as written raises CorruptSegment: the index is
then rebuilt from the files.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any, overload

import orjson

from .excerpt import Excerpt
from .text import Field


class CorruptSegment(Exception):
    """The files of a segment are missing, truncated or inconsistent: rebuild."""


def read_fields(folder: Path, start: int, end: int, doc: int) -> list[Field]:
    """Document `doc`'s fields: bytes `start:end` of the segment's texts.jsonl."""
    try:
        with open(folder / "texts.jsonl", "rb") as handle:
            handle.seek(start)
            data = orjson.loads(handle.read(end - start))
        fields = [tuple(f) for f in data]
        # Checked by the set of lengths and of value types (C loops): a search reads ~50 documents of ~90 fields,
        # and a generator asking isinstance of each value cost ~1-2 ms of a 10k store's search (~10%).
        if set(map(len, fields)) - {4} or set(map(type, chain.from_iterable(fields))) - {str}:
            raise ValueError("not a list of fields")
        return fields
    except (OSError, ValueError, TypeError) as exc:
        raise CorruptSegment(f"{folder.name}: texts of document {doc}: {exc}") from None


class Docs(Sequence[Excerpt]):
    """A loaded segment's excerpts, each decoded from its row of docs.json when first used: a search shows ~20
    of 10,000, and parsing them all took ~0.1 s of every `workbench search`."""

    __slots__ = ("_blob", "_offsets", "_made")

    def __init__(self, blob: bytes, offsets: Sequence[int]):
        n = len(offsets) - 1
        if (
            n < 0
            or not blob.startswith(b"[")
            or not blob.endswith(b"]")
            or (
                n
                and (
                    offsets[0] != 2 or offsets[-1] != len(blob) or any(b - a < 3 for a, b in zip(offsets, offsets[1:]))
                )
            )
            or (not n and blob != b"[\n\n]")
        ):
            raise ValueError("docs.json does not match its row offsets")
        self._blob = blob
        self._offsets: list[int] = [int(o) for o in offsets]
        self._made: list[Excerpt | None] = [None] * n

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> Excerpt: ...

    @overload
    def __getitem__(self, index: slice) -> list[Excerpt]: ...

    def __getitem__(self, index: int | slice) -> Excerpt | list[Excerpt]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._made)))]
        made = self._made[index]
        if made is None:
            try:
                made = self._made[index] = Excerpt.from_row(self._row(index))
            except (TypeError, ValueError) as exc:
                raise CorruptSegment(f"docs.json row {index}: {exc}") from None
        return made

    def rows(self) -> Iterator[list[Any]]:
        """Every row as stored (a plain list in `Excerpt.to_row` order), one at a time, without making excerpts:
        what filter columns are read from (services/search/columns.py)."""
        for index, made in enumerate(self._made):
            if made is not None:
                yield made.to_row()
                continue
            try:
                yield self._row(index)
            except ValueError as exc:
                raise CorruptSegment(f"docs.json row {index}: {exc}") from None

    def _row(self, index: int) -> list[Any]:
        if index < 0:
            index += len(self._made)
        row = orjson.loads(self._blob[self._offsets[index] : self._offsets[index + 1] - 2])
        if not isinstance(row, list) or len(row) != _ROW_LEN or not isinstance(row[6], str):
            raise ValueError("not an excerpt row")
        return row

    def id_of(self, index: int) -> str:
        """Row `index`'s id (its first value) without decoding the row: ranking breaks ties of equal scores by id,
        over every tied document. A row whose id is not a plain string is decoded."""
        start = self._offsets[index] + 2  # past '["'
        end = self._blob.find(b'"', start, self._offsets[index + 1])
        if self._blob[start - 2 : start] == b'["' and end > start and b"\\" not in self._blob[start:end]:
            return self._blob[start:end].decode("utf-8")
        try:
            value = self._row(index)[0]
        except ValueError as exc:
            raise CorruptSegment(f"docs.json row {index}: {exc}") from None
        return str(value)

    def newest_key(self, index: int) -> tuple[str, str]:
        """Row `index`'s (started, id), the order of a list newest first, without making its excerpt: a query
        without words lists 50 of 10,000, and making all 10,000 to sort them held the interpreter ~0.1 s."""
        try:
            row = self._row(index)
        except ValueError as exc:
            raise CorruptSegment(f"docs.json row {index}: {exc}") from None
        return str(row[_STARTED]), str(row[0])

    def path(self, index: int) -> str:
        try:
            path: str = self._row(index)[6]  # a str: _row checks it
        except ValueError as exc:
            raise CorruptSegment(f"docs.json row {index}: {exc}") from None
        return path


_ROW_LEN = len(Excerpt("", "").to_row())
_STARTED = 5  # where Excerpt.to_row puts `started`
