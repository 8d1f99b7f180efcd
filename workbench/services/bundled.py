"""The bundled example store and default taxonomy, found whether installed as a wheel or from a checkout."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from ..store import Store
from ..store.store import copy_tree

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_root() -> Path:
    """The folder holding the example `incidents/` and `taxonomy.toml`."""
    installed = _PACKAGE / "_example"
    if (installed / "taxonomy.toml").is_file():
        return installed
    checkout = _PACKAGE.parent
    if (checkout / "taxonomy.toml").is_file() and (checkout / "incidents").is_dir():
        return checkout
    raise FileNotFoundError("the bundled example store is missing from this installation")


def default_taxonomy_text() -> str:
    return (bundled_root() / "taxonomy.toml").read_text(encoding="utf-8")


def themes_dir() -> Path:
    return bundled_root() / "themes"


def user_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "postmortem-workbench"


def make_example_store(target: Path) -> Store:
    """A fresh git store holding a copy of the bundled examples, committed as its first history.

    Trying the workbench commits here, never into the project's own repository.
    """
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty")
    store = Store.init(target, default_taxonomy_text())
    copy_tree(bundled_root() / "incidents", target / "incidents_tmp")
    for item in (target / "incidents_tmp").iterdir():
        dest = target / "incidents" / item.name
        if item.is_dir():
            shutil.copytree(item, dest, dirs_exist_ok=True)
    shutil.rmtree(target / "incidents_tmp")
    store.git.commit(["incidents"], "store: examples: add the bundled example incidents")
    store.folders(refresh=True)
    return store


def example_store(fresh: bool = False) -> Store:
    """The user's copy of the example store, created on first use (or anew with `fresh`)."""
    target = user_data_dir() / "example-store"
    if fresh and target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target.rename(target.with_name(f"example-store.{stamp}.bak"))
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        return make_example_store(target)
    return Store(target)
