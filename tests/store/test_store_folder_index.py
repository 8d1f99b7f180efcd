"""Store keeps its folder index through saves: no rescan of every incident folder after each save
(at 10,000 incidents that rescan ran in a UI worker after every commit, holding the GIL)."""

from __future__ import annotations

from datetime import timedelta

from workbench.store import Store, layout


def test_saves_keep_the_folder_index_and_history_does_not_rescan(example_store: Store, monkeypatch) -> None:
    incident_id = example_store.ids()[0]
    record = example_store.load(incident_id)
    scans: list[int] = []
    real = layout.scan_incident_folders
    monkeypatch.setattr(layout, "scan_incident_folders", lambda root: scans.append(1) or real(root))
    for n in range(2):
        record = example_store.save(
            record, record.incident.model_copy(update={"summary": f"edit {n}"}), where="summary", what=f"edit {n}"
        )
    assert len(example_store.history(incident_id)) >= 2
    assert example_store.folder_of(incident_id) == record.folder
    assert scans == []


def test_a_save_that_moves_the_folder_updates_the_index(example_store: Store) -> None:
    incident_id = example_store.ids()[0]
    record = example_store.load(incident_id)
    started = record.incident.times.started
    moved = record.incident.model_copy(
        update={"times": record.incident.times.model_copy(update={"started": started + timedelta(days=62)})}
    )
    saved = example_store.save(record, moved, where="times", what="start two months later")
    assert saved.folder != record.folder and not record.folder.exists()
    assert example_store.folders()[incident_id] == [saved.folder]
    assert example_store.folder_of(incident_id) == saved.folder


def test_an_incident_found_before_the_map_is_made_is_the_one_the_map_names(example_store: Store, monkeypatch) -> None:
    """Without the map of every folder (none made yet), an incident's folder is looked up by itself: the same
    folder the whole map gives, an id used twice still refused, an unknown id still not found, and no walk."""
    import shutil

    import pytest

    from workbench.store import NotFound, StoreError

    every = layout.scan_incident_folders(example_store.root)
    first, second = sorted(every)[:2]
    duplicate = every[second][0].parent.parent / "13" / second  # a second folder with the same id, another month
    duplicate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(every[second][0], duplicate)
    scans: list[int] = []
    real = layout.scan_incident_folders
    monkeypatch.setattr(layout, "scan_incident_folders", lambda root: scans.append(1) or real(root))
    fresh = Store(example_store.root)
    assert fresh.folder_of(first) == every[first][0]
    with pytest.raises(StoreError, match="more than one folder"):
        fresh.folder_of(second)
    with pytest.raises(NotFound):
        fresh.folder_of("2020-01-01-never-written")
    assert scans == []
    assert layout.find_incident_folders(fresh.root, second) == real(fresh.root)[second]
