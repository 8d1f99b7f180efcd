"""Fixtures for search: a small generated store (the benchmark's generator, 40 incidents) with its needles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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
