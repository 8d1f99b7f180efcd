"""The store contract: every test in this folder runs against the git store and the in-memory store.

A `Kit` is a store plus what a test needs that is not part of StoreProtocol: a way to edit an incident's
files behind the store's back (a person with an editor), different for each store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from store_templates import copy_of

from workbench.services.bundled import default_taxonomy_text
from workbench.store import MemoryStore, Store, StoreProtocol
from workbench.store.layout import INCIDENT_FILE, NARRATIVE_FILE


@dataclass
class Kit:
    store: StoreProtocol
    edit_outside: Callable[..., None]  # (incident_id, *, toml=None, narrative=None)


def _git_kit(store: Store) -> Kit:

    def edit_outside(incident_id: str, *, toml: str | None = None, narrative: str | None = None) -> None:
        folder = store.folder_of(incident_id)
        if toml is not None:
            (folder / INCIDENT_FILE).write_text(toml, encoding="utf-8")
        if narrative is not None:
            (folder / NARRATIVE_FILE).write_text(narrative, encoding="utf-8")

    return Kit(store, edit_outside)


def _memory_kit() -> Kit:
    store = MemoryStore(default_taxonomy_text())
    return Kit(store, store.edit_outside)


@pytest.fixture(params=["git", "memory"])
def kit(request: pytest.FixtureRequest, tmp_path: Path) -> Kit:
    if request.param == "memory":
        return _memory_kit()
    # A copy of the empty store made once per test process (tests/store_templates.py).
    return _git_kit(copy_of(request.getfixturevalue("empty_template"), tmp_path / "store"))


@pytest.fixture
def store(kit: Kit) -> StoreProtocol:
    return kit.store
