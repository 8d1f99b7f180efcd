"""A document's fields as stored in texts.jsonl: read back as written, and any row that is not a list of
four strings per field refused as a damaged segment (the index is then rebuilt from the files)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workbench.services.search.docs import CorruptSegment, read_fields

GOOD = [["title", "title", "", "Cache evictions"], ["event", "timeline.3", "ev-3", "Paged the on-call"]]


def _segment(tmp_path: Path, rows: list[object]) -> tuple[Path, list[int]]:
    blobs = [orjson.dumps(row) + b"\n" for row in rows]
    (tmp_path / "texts.jsonl").write_bytes(b"".join(blobs))
    offsets = [0]
    for blob in blobs:
        offsets.append(offsets[-1] + len(blob))
    return tmp_path, offsets


def test_a_document_s_fields_read_back_as_tuples(tmp_path):
    folder, offsets = _segment(tmp_path, [GOOD, [GOOD[1]]])
    assert read_fields(folder, offsets[0], offsets[1], 0) == [tuple(f) for f in GOOD]
    assert read_fields(folder, offsets[1], offsets[2], 1) == [tuple(GOOD[1])]


@pytest.mark.parametrize(
    "row",
    [
        [["title", "title", "", 7]],  # a value that is not text
        [["title", "title", "Cache"]],  # three values
        [GOOD[0], ["event", "timeline.3", "ev-3", "x", "extra"]],  # five values in the second field
        [["title", "title", "", ["nested"]]],
        [["title", "title", "", None]],
        {"title": "Cache"},  # not a list of fields
        42,
    ],
)
def test_a_row_that_is_not_a_list_of_four_strings_per_field_is_a_damaged_segment(tmp_path, row):
    folder, offsets = _segment(tmp_path, [row])
    with pytest.raises(CorruptSegment, match="texts of document 0"):
        read_fields(folder, offsets[0], offsets[1], 0)
