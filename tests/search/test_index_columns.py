"""The persistent index opens from columns: no object per incident until one is shown, and freshness comes from
a stat of the known files plus the mtimes of the year and month folders (no walk of an unchanged store)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from workbench.services.search.excerpt import Excerpt
from workbench.services.search import SearchEngine
from workbench.services.search import engine as engine_module


def _folder(root: Path, incident_id: str) -> Path:
    return next((root / "incidents").glob(f"*/*/{incident_id}"))


def _settled(root: Path) -> None:
    """Age every file and folder past the mtime granularity window, as a store left alone for a while is."""
    old = time.time() - 60
    for dirpath, dirnames, filenames in os.walk(root / "incidents"):
        for name in filenames + dirnames:
            os.utime(os.path.join(dirpath, name), (old, old))
        os.utime(dirpath, (old, old))


def _opened(root: Path) -> SearchEngine:
    _settled(root)
    SearchEngine(root).open()  # build, then write a table with nothing racy
    engine = SearchEngine(root)
    engine.open()
    return engine


def test_opening_and_searching_makes_excerpts_only_for_the_hits(gen_store, needles, monkeypatch):
    _opened(gen_store)
    made: list[str] = []
    real = Excerpt.from_row

    def counting(row):
        made.append(row[0])
        return real(row)

    monkeypatch.setattr(Excerpt, "from_row", staticmethod(counting))
    engine = SearchEngine(gen_store)
    assert engine.open().rebuilt == ""
    result = engine.search("speculative decodng marigold", limit=3)
    assert result.hits[0].id == needles["title-typo"]
    assert len(made) <= 3 + 1  # the hits shown (and at most one more compared for ties), not all 40
    assert engine.manifest.columns_current  # nothing changed: the file table stayed columns


def test_an_unchanged_store_is_not_walked(gen_store, monkeypatch):
    engine = _opened(gen_store)
    listed: list[str] = []
    real = engine_module.subfolders
    monkeypatch.setattr(engine_module, "subfolders", lambda path: listed.append(path) or real(path))
    assert not engine.refresh()
    months = [p for p in listed if Path(p).parent.parent.name == "incidents"]
    assert months == []  # years are listed for their month folders' mtimes; no month folder is listed


def test_new_moved_edited_and_deleted_incidents_are_found(gen_store, needles):
    engine = _opened(gen_store)
    source = _folder(gen_store, needles["lesson"])
    # A new incident in a month folder that exists, one in a new year, an in-place edit, a deletion.
    copy = source.parent / "2099-01-01-brand-new-quokka"
    shutil.copytree(source, copy)
    toml = copy / "incident.toml"
    text = toml.read_text().replace(f'id = "{needles["lesson"]}"', 'id = "2099-01-01-brand-new-quokka"')
    toml.write_text(text)
    (copy / "postmortem.md").write_text("The quokkaflux relay dropped every packet.\n")
    new_year = gen_store / "incidents" / "2099" / "01" / "2099-01-02-far-future-wombat"
    shutil.copytree(source, new_year)
    (new_year / "postmortem.md").write_text("The wombatron queue filled up.\n")
    victim = _folder(gen_store, needles["title-typo"])
    shutil.rmtree(victim)
    edited = _folder(gen_store, needles["lesson"]) / "postmortem.md"
    folder_mtime = edited.parent.stat().st_mtime_ns
    with open(edited, "a", encoding="utf-8") as handle:  # in place: the folder's mtime does not move
        handle.write("\nA zebrafinch note added in place.\n")
    assert edited.parent.stat().st_mtime_ns == folder_mtime
    changes = engine.refresh()
    assert {Path(p).name for p in changes.added} == {copy.name, new_year.name}
    assert [Path(p).name for p in changes.removed] == [victim.name]
    assert [Path(p).name for p in changes.changed] == [source.name]
    assert engine.search("quokkaflux").hits[0].excerpt.path.endswith(copy.name)
    assert engine.search("wombatron").hits[0].excerpt.path.endswith(new_year.name)
    assert engine.search("zebrafinch").hits[0].id == needles["lesson"]
    assert all(h.id != needles["title-typo"] for h in engine.search("speculative decoding marigold").hits)
    # A fresh process sees the same, from the table written after the refresh.
    again = SearchEngine(gen_store)
    assert not again.open()
    assert again.search("wombatron").hits[0].excerpt.path.endswith(new_year.name)
