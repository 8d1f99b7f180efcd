"""The list's first rows read from the index on disk without opening it: the same incidents as the opened
index lists, from each segment's listing file when it is the one made from its docs.json, else from docs.json
itself; and None (the list then waits for the index) whenever the files are not what the index wrote."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from workbench.services.search import SearchEngine
from workbench.services.search.cache import CACHE_SUBDIR
from workbench.services.search.listing import LISTING_FILE, ListColumns, listing_current, read_listing


def _folder(root: Path, incident_id: str) -> Path:
    return next((root / "incidents").glob(f"*/*/{incident_id}"))


def test_the_listing_is_what_the_opened_index_lists(gen_store, needles):
    assert read_listing(gen_store) is None  # no index yet
    engine = SearchEngine(gen_store)
    engine.open()
    listing = read_listing(gen_store)
    assert listing is not None
    assert listing.columns == ListColumns.of_excerpts(engine.excerpts())
    assert listing.key == engine.state_key()
    assert len(listing.columns) == len(list(engine.excerpts())) > 0  # no taxonomy mode among them

    # An outside edit and a deletion: the index writes a delta segment and marks base documents dead.
    toml = _folder(gen_store, needles["cause"]) / "incident.toml"
    toml.write_text(toml.read_text().replace('title = "', 'title = "Retitled: ', 1))
    shutil.rmtree(_folder(gen_store, needles["narrative-only"]))
    engine.refresh()
    again = read_listing(gen_store)
    assert again is not None
    assert again.key == engine.state_key() != listing.key
    assert again.columns == ListColumns.of_excerpts(engine.excerpts())
    titles = dict(zip(again.columns.ids, again.columns.titles, strict=True))
    assert titles[needles["cause"]].startswith("Retitled: ")
    assert needles["narrative-only"] not in titles
    assert len(again.columns) == len(listing.columns) - 1
    assert again.columns.ids == sorted(again.columns.ids)  # id order, whatever the segments


def _segment(root: Path) -> Path:
    cache = root / CACHE_SUBDIR
    return cache / json.loads((cache / "manifest.json").read_text())["base"]


def test_a_missing_listing_falls_back_to_docs_json_and_is_written_again(gen_store):
    """An index written before listings: the same rows from docs.json; the app's index thread then writes it."""
    engine = SearchEngine(gen_store)
    engine.open()
    segment = _segment(gen_store)
    assert listing_current(segment)  # written with the segment
    expected = ListColumns.of_excerpts(engine.excerpts())
    (segment / LISTING_FILE).unlink()
    missing = read_listing(gen_store)
    assert missing is not None and missing.columns == expected
    engine.write_listings()
    assert listing_current(segment)
    assert read_listing(gen_store).columns == expected


def test_a_stale_listing_is_not_used(gen_store):
    """A listing whose docs.json is not the one it was made from (another size or time) is passed over: the rows
    come from docs.json, never from the listing."""
    engine = SearchEngine(gen_store)
    engine.open()
    segment = _segment(gen_store)
    expected = ListColumns.of_excerpts(engine.excerpts())
    listing = segment / LISTING_FILE
    # A listing with every title changed but otherwise well formed: were it read, the titles would show.
    lines = listing.read_bytes().split(b"\n")
    lines[3] = json.dumps(["WRONG"] * len(expected)).encode()
    listing.write_bytes(b"\n".join(lines))
    wrong = read_listing(gen_store)
    assert wrong is not None and set(wrong.columns.titles) == {"WRONG"}  # proof that this listing is read
    docs = segment / "docs.json"
    st = docs.stat()
    os.utime(docs, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # docs.json written after the listing
    assert not listing_current(segment)
    fallen_back = read_listing(gen_store)
    assert fallen_back is not None and fallen_back.columns == expected
    engine.write_listings()  # made again from the documents
    assert listing_current(segment) and read_listing(gen_store).columns == expected


def test_a_damaged_listing_is_not_used(gen_store):
    engine = SearchEngine(gen_store)
    engine.open()
    segment = _segment(gen_store)
    expected = ListColumns.of_excerpts(engine.excerpts())
    listing = segment / LISTING_FILE
    good = listing.read_bytes()
    lines = good.split(b"\n")
    for damaged in (
        good[: len(good) // 2],  # cut short
        b"\n".join([*lines[:4], b'["one"]', *lines[5:]]),  # a column of another length
        b"\n".join([*lines[:5], json.dumps([1] * len(expected)).encode(), *lines[6:]]),  # numbers for stages
        b"\n".join([*lines[:13], b'{"0": "not a list"}', *lines[14:]]),  # problems that are not problems
    ):
        listing.write_bytes(damaged)
        assert not listing_current(segment)
        found = read_listing(gen_store)
        assert found is not None and found.columns == expected


def test_anything_unexpected_gives_none(gen_store):
    SearchEngine(gen_store).open()
    cache = gen_store / CACHE_SUBDIR
    manifest = cache / "manifest.json"
    head = json.loads(manifest.read_text())
    docs = cache / head["base"] / "docs.json"
    good_docs, good_head = docs.read_bytes(), manifest.read_text()

    manifest.write_text(json.dumps({**head, "format": head["format"] + 1}))  # another version's index
    assert read_listing(gen_store) is None
    manifest.write_text(json.dumps({**head, "base": "../../elsewhere"}))  # a name the cache never writes
    assert read_listing(gen_store) is None
    manifest.write_text(good_head)

    docs.write_bytes(good_docs[: len(good_docs) // 2])  # cut short
    assert read_listing(gen_store) is None
    docs.write_bytes(b'[\n["only", "a", "few"]\n]')  # a row that is not an excerpt
    assert read_listing(gen_store) is None
    docs.unlink()  # the segment was replaced and removed meanwhile
    assert read_listing(gen_store) is None
    docs.write_bytes(good_docs)
    assert read_listing(gen_store) is not None

    # A `.workbench` link is refused, as the index refuses it.
    private = gen_store / ".workbench"
    moved = gen_store.parent / "elsewhere"
    private.rename(moved)
    os.symlink(moved, private)
    assert read_listing(gen_store) is None
