"""Where things live in a store.

    <store>/taxonomy.toml
    <store>/incidents/<YYYY>/<MM>/<id>/incident.toml   structured facts
    <store>/incidents/<YYYY>/<MM>/<id>/postmortem.md   narrative
    <store>/.workbench/                                caches and journals (git-ignored)

Folders by month keep git trees small: ~100 incidents a folder keeps commits and one incident's
`git log` fast at 10,000 incidents, where one flat folder makes every commit rewrite a huge tree.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..domain.ids import slug_problem
from .errors import StoreError

INCIDENTS = "incidents"
TAXONOMY = "taxonomy.toml"
INCIDENT_FILE = "incident.toml"
NARRATIVE_FILE = "postmortem.md"
PRIVATE_DIR = ".workbench"
UNDATED = ("undated", "00")

GITIGNORE = f"""# Postmortem Workbench: caches, journals and recovery files stay local.
/{PRIVATE_DIR}/
"""


def incident_folder(root: Path, incident_id: str, started: datetime | None) -> Path:
    problem = slug_problem(incident_id)
    if problem:
        raise StoreError(f"invalid incident id {incident_id!r}: {problem}")
    year, month = (f"{started:%Y}", f"{started:%m}") if started else UNDATED
    folder = root / INCIDENTS / year / month / incident_id
    # Defence in depth: the id is validated, and the folder must still sit inside the store.
    if root.resolve() not in folder.resolve().parents:
        raise StoreError(f"incident id {incident_id!r} points outside the store")
    return folder


def scan_incident_folders(root: Path) -> dict[str, list[Path]]:
    """Every incident folder under incidents/<YYYY>/<MM>/, by id (a list, to notice duplicates)."""
    found: dict[str, list[Path]] = {}
    base = root / INCIDENTS
    if not base.is_dir():
        return found
    for folder in sorted(base.glob(f"*/*/*/{INCIDENT_FILE}")):
        found.setdefault(folder.parent.name, []).append(folder.parent)
    return found


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
