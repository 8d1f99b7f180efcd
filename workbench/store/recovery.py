"""Recovery copies: an edit that could not be saved, or a version about to be replaced, kept as files.

    <store>/.workbench/recovery/<incident-id>/<UTC time>-<why>/<file name>

The folder is git-ignored and never deleted by the workbench. When the store's disk refuses even
this, the copy goes to the user's temporary folder instead, and the message says where.
"""

from __future__ import annotations

import secrets
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from .textio import atomic_write

RECOVERY = "recovery"


def recovery_root(private_dir: Path) -> Path:
    return private_dir / RECOVERY


def keep(private_dir: Path, incident_id: str, files: dict[str, bytes], why: str) -> Path | None:
    """Write `files` to a new recovery folder; its path, or None when no copy could be written anywhere."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    name = f"{stamp}-{why}-{secrets.token_hex(2)}"
    bases = [
        recovery_root(private_dir) / incident_id,
        Path(tempfile.gettempdir()) / "postmortem-workbench-recovery" / incident_id,
    ]
    for base in bases:
        folder = base / name
        try:
            for file_name, data in files.items():
                atomic_write(folder / file_name, data)
            return folder
        except OSError:
            continue
    return None


def list_kept(private_dir: Path, incident_id: str | None = None) -> list[Path]:
    """Recovery folders, newest last."""
    root = recovery_root(private_dir)
    if incident_id:
        root = root / incident_id
    if not root.is_dir():
        return []
    pattern = "*" if incident_id else "*/*"
    return sorted((p for p in root.glob(pattern) if p.is_dir()), key=lambda p: p.name)
