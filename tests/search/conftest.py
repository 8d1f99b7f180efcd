"""Fixtures for search: a small generated store (the benchmark's generator, 40 incidents) with its needles."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from search_helpers import load_generator


@pytest.fixture(scope="session")
def generated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gen") / "store"
    load_generator().generate(root, 40, seed=7)
    return root


@pytest.fixture
def gen_store(generated_template: Path, tmp_path: Path) -> Path:
    """A private copy (files and git) of the generated store, safe to edit."""
    target = tmp_path / "gen-store"
    shutil.copytree(generated_template, target, symlinks=True)
    return target


@pytest.fixture
def needles(generated_template: Path) -> dict[str, str]:
    return json.loads((generated_template / "needles.json").read_text())


@pytest.fixture
def count_excerpts(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Call it to start counting: the list it returns fills with the ids of the excerpts the search engine makes
    from their rows from then on (they are made lazily, when first used)."""
    from workbench.services.search import engine as engine_module

    def start() -> list[str]:
        made: list[str] = []
        real_from_row = engine_module.Excerpt.from_row

        def counting(row: Any) -> Any:
            made.append(row[0])
            return real_from_row(row)

        monkeypatch.setattr(engine_module.Excerpt, "from_row", counting)
        return made

    return start
