"""The list's first rows read from the index on disk without opening it: the same excerpts as the opened
index, and None (the list then waits for the index) whenever the files are not what the index wrote."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from workbench.services.search import SearchEngine
from workbench.services.search.cache import CACHE_SUBDIR
from workbench.services.search.listing import read_listing


def _folder(root: Path, incident_id: str) -> Path:
    return next((root / "incidents").glob(f"*/*/{incident_id}"))


def test_the_listing_is_what_the_opened_index_lists(gen_store, needles):
    assert read_listing(gen_store) is None  # no index yet
    engine = SearchEngine(gen_store)
    engine.open()
    listing = read_listing(gen_store)
    assert listing is not None
    assert listing.excerpts == engine.excerpts()
    assert listing.key == engine.state_key()
    assert all(e.kind != "mode" for e in listing.excerpts)

    # An outside edit and a deletion: the index writes a delta segment and marks base documents dead.
    toml = _folder(gen_store, needles["cause"]) / "incident.toml"
    toml.write_text(toml.read_text().replace('title = "', 'title = "Retitled: ', 1))
    shutil.rmtree(_folder(gen_store, needles["narrative-only"]))
    engine.refresh()
    again = read_listing(gen_store)
    assert again is not None
    assert again.key == engine.state_key() != listing.key
    assert again.excerpts == engine.excerpts()
    titles = {e.id: e.title for e in again.excerpts}
    assert titles[needles["cause"]].startswith("Retitled: ")
    assert needles["narrative-only"] not in titles
    assert len(again.excerpts) == len(listing.excerpts) - 1


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
