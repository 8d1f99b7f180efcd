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
