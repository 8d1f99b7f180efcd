"""Merge conflicts the merge driver could not settle, kept for the person to resolve in the app or CLI.

    <store>/.workbench/conflicts/<incident-id>/{base,ours,theirs}.toml, conflict.json

The three versions are kept whole, so a resolution (a side chosen per field) is a fresh three-way merge
with those choices, and the file written is always complete and valid: no conflict markers, ever.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from .textio import atomic_write, decode
from .tomlmerge import OURS, THEIRS, Conflict, describe, merge_texts

CONFLICTS = "conflicts"


@dataclass(frozen=True)
class ConflictSet:
    incident_id: str
    path: str  # the file, relative to the store
    fields: list[dict[str, str]]  # {field, base, ours, theirs}: values described for a person
    ours_label: str
    theirs_label: str
    folder: Path

    def field_names(self) -> list[str]:
        return [f["field"] for f in self.fields]


def conflicts_dir(private_dir: Path) -> Path:
    return private_dir / CONFLICTS


def record(
    private_dir: Path, path: str, texts: tuple[bytes, bytes, bytes], conflicts: list[Conflict], labels: tuple[str, str]
) -> Path:
    incident_id = Path(path).parent.name
    folder = conflicts_dir(private_dir) / incident_id
    for name, data in zip(("base.toml", "ours.toml", "theirs.toml"), texts):
        atomic_write(folder / name, data)
    fields = [
        {"field": c.field, "base": describe(c.base), "ours": describe(c.ours), "theirs": describe(c.theirs)}
        for c in conflicts
    ]
    info = {"path": path, "incident": incident_id, "fields": fields, "ours_label": labels[0], "theirs_label": labels[1]}
    atomic_write(folder / "conflict.json", (json.dumps(info, indent=2, default=str) + "\n").encode())
    return folder


def forget(private_dir: Path, incident_id: str) -> None:
    shutil.rmtree(conflicts_dir(private_dir) / incident_id, ignore_errors=True)


def load_all(private_dir: Path) -> list[ConflictSet]:
    out: list[ConflictSet] = []
    root = conflicts_dir(private_dir)
    if not root.is_dir():
        return out
    for info_path in sorted(root.glob("*/conflict.json")):
        try:
            info = json.loads(info_path.read_text())
        except (OSError, ValueError):
            continue
        out.append(
            ConflictSet(
                info["incident"],
                info["path"],
                info["fields"],
                info.get("ours_label", OURS),
                info.get("theirs_label", THEIRS),
                info_path.parent,
            )
        )
    return out


def resolved_text(conflict: ConflictSet, choices: dict[str, str]) -> tuple[bytes, list[Conflict]]:
    """The file with `choices` applied ({field: 'ours'|'theirs'}), and what is still unresolved."""
    raw = [(conflict.folder / f"{name}.toml").read_bytes() for name in ("base", "ours", "theirs")]
    label = Path(conflict.path)
    base, ours, theirs = (decode(data, label) for data in raw)
    for field, side in choices.items():
        if side not in (OURS, THEIRS):
            raise ValueError(f"{field}: choose 'ours' or 'theirs', not {side!r}")
    merged, left = merge_texts(base.text, ours.text, theirs.text, choices)
    return ours.encode(merged), left
