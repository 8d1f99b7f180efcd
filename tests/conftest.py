"""Shared fixtures: every test gets its own HOME, git identity and stores in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import Phase, settings

from workbench.services.bundled import default_taxonomy_text, make_example_store
from workbench.store import Store

# `pytest --hypothesis-profile=noshrink` reports the first failing example at once: shrinking the
# large incident examples can take minutes. The default profile (full shrinking) is what CI runs.
settings.register_profile("noshrink", phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the developer's real config, data or git identity."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.test")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Author")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "author@example.test")
    monkeypatch.delenv("WORKBENCH_STORE", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return home


@pytest.fixture
def example_store(tmp_path: Path) -> Store:
    """A fresh git store holding the bundled example incidents."""
    return make_example_store(tmp_path / "store")


@pytest.fixture
def empty_store(tmp_path: Path) -> Store:
    return Store.init(tmp_path / "empty", default_taxonomy_text())


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors never blink in tests: a snapshot taken mid-blink would differ from run to run."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
