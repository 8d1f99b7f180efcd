"""The journal: in-progress edits, written as they are typed, so a crash loses (almost) nothing.

    <store>/.workbench/journal/<incident-id>/<pane>.json   {incident, pane, saved_at, base_sha256, content}

One small file per incident and pane (a form, the narrative), replaced atomically on each write; the
folder is git-ignored. An entry is cleared when its edit is saved; entries still there at the next start
are edits that were never saved, offered for restore.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..domain.ids import slug_problem
from .errors import StoreError
from .textio import atomic_write

JOURNAL = "journal"
_PANE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,60}$")
MAX_ENTRY_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class JournalEntry:
    incident_id: str
    pane: str
    saved_at: datetime
    base_sha256: str  # the incident.toml the edit started from ("" when unknown)
    content: Any  # the narrative text, or a form's fields
    path: Path

    def preview(self, width: int = 60) -> str:
        content = self.content
        if isinstance(content, dict) and isinstance(content.get("values"), dict):
            # A form: its title, then what was typed (the fields that changed first).
            values = content["values"]
            names = [n for n in content.get("changed") or [] if n in values] or list(values)
            parts = [
                str(content.get("title", "form")),
                *(str(values[n]) for n in names if values[n] not in (None, "", False)),
            ]
            text = " · ".join(parts)
        else:
            text = content if isinstance(content, str) else json.dumps(content, default=str)
        line = " ".join(text.split())
        return line if len(line) <= width else line[: width - 1] + "…"


class Journal:
    def __init__(self, private_dir: Path):
        self.root = private_dir / JOURNAL

    def _path(self, incident_id: str, pane: str) -> Path:
        problem = slug_problem(incident_id)
        if problem:
            raise StoreError(f"journal: invalid incident id {incident_id!r}: {problem}")
        if not _PANE_RE.match(pane):
            raise StoreError(f"journal: invalid pane name {pane!r}")
        return self.root / incident_id / f"{pane}.json"

    def record(self, incident_id: str, pane: str, content: Any, base_sha256: str = "") -> Path:
        """Keep the edit in progress (atomically: a crash leaves the previous entry or this one)."""
        path = self._path(incident_id, pane)
        data = json.dumps(
            {
                "incident": incident_id,
                "pane": pane,
                "saved_at": datetime.now(timezone.utc).isoformat(),
                "base_sha256": base_sha256,
                "content": content,
            },
            ensure_ascii=False,
            default=str,
        ).encode()
        if len(data) > MAX_ENTRY_BYTES:
            raise StoreError(f"journal: the {pane} edit of {incident_id} is over {MAX_ENTRY_BYTES:,} bytes")
        atomic_write(path, data)
        return path

    def clear(self, incident_id: str, pane: str | None = None) -> None:
        """Forget an incident's entries (one pane, or all) once their edits are saved or discarded."""
        if pane is None:
            self._path(incident_id, "x")  # validates the id
            shutil.rmtree(self.root / incident_id, ignore_errors=True)
            return
        self._path(incident_id, pane).unlink(missing_ok=True)

    def get(self, incident_id: str, pane: str) -> JournalEntry | None:
        return _read(self._path(incident_id, pane))

    def pending(self, incident_id: str | None = None) -> list[JournalEntry]:
        """Edits that were never saved, oldest first (a damaged entry is skipped, never fatal)."""
        if not self.root.is_dir():
            return []
        pattern = f"{incident_id}/*.json" if incident_id else "*/*.json"
        entries = [e for e in (_read(p) for p in self.root.glob(pattern)) if e is not None]
        return sorted(entries, key=lambda e: e.saved_at)


def _read(path: Path) -> JournalEntry | None:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return JournalEntry(
            info["incident"],
            info["pane"],
            datetime.fromisoformat(info["saved_at"]),
            info.get("base_sha256", ""),
            info["content"],
            path,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
