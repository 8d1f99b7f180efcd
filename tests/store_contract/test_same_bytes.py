"""The in-memory store keeps what the git store writes, byte for byte: a test passing on it says something
about the files a user would get."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from workbench.domain.model import ActionItem, Incident, KeyTimes
from workbench.services.bundled import default_taxonomy_text
from workbench.store import IncidentRecord, MemoryStore, Store, StoreProtocol

AUG = datetime(2025, 8, 5, 16, tzinfo=timezone.utc)


def story(store: StoreProtocol) -> list[IncidentRecord]:
    records = [store.create(Incident(id="inc", title="Degraded answers", times=KeyTimes(started=AUG)))]
    incident = records[-1].incident.model_copy(update={"actions": [ActionItem(id="AI-001", action="Add an eval gate")]})
    records.append(store.save(records[-1], incident, "## Summary\n\nshort\n", where="actions", what="add AI-001"))
    records.append(store.restore(records[-1], store.history("inc")[-1].sha))
    return records


def test_both_stores_give_the_same_records_for_the_same_edits(tmp_path: Path) -> None:
    on_git = story(Store.init(tmp_path / "store", default_taxonomy_text()))
    in_memory = story(MemoryStore(default_taxonomy_text()))
    for git_record, memory_record in zip(on_git, in_memory, strict=True):
        assert memory_record.incident == git_record.incident
        assert memory_record.toml == git_record.toml  # text, BOM, line endings and hash
        assert memory_record.md == git_record.md
        assert memory_record.folder.relative_to(
            MemoryStore(default_taxonomy_text()).root
        ) == git_record.folder.relative_to(tmp_path / "store")
