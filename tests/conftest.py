"""Shared fixtures: every test gets its own HOME, git identity and stores in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import Phase, settings

from workbench.services.bundled import default_taxonomy_text, make_example_store
from workbench.store import Store

from store_templates import build_template, copy_of, per_test_env

# `pytest --hypothesis-profile=noshrink` reports the first failing example at once: shrinking the
# large incident examples can take minutes. The default profile (full shrinking) is what CI runs.
settings.register_profile("noshrink", phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the developer's real config, data or git identity."""
    home = tmp_path_factory.mktemp("home")
    for name, value in per_test_env(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WORKBENCH_STORE", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return home


@pytest.fixture(scope="session")
def example_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory, "example", make_example_store)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory, "empty", lambda root: Store.init(root, default_taxonomy_text()))


@pytest.fixture
def example_store(example_template: Path, tmp_path: Path) -> Store:
    """A fresh git store holding the bundled example incidents (a copy of one made per test process)."""
    return copy_of(example_template, tmp_path / "store")


@pytest.fixture
def empty_store(empty_template: Path, tmp_path: Path) -> Store:
    return copy_of(empty_template, tmp_path / "empty")


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors never blink in tests: a snapshot taken mid-blink would differ from run to run."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
