"""Stores built once per test process and copied per test: a git store costs ~20 git processes and a dozen
fsyncs to make (2-3 s on the shared CI machine), a copy of its folder a fraction of that.

A copy is the same store: the same files, the same commits (ids included) and the same .git/config; git notices
that the copied files' inodes changed and re-reads them, as it would after any copy of a clone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from workbench.store import Store


def per_test_env(home: Path) -> dict[str, str]:
    """The environment every test runs in (tests/conftest.py's isolated_home): its own HOME and git identity."""
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.test",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.test",
    }


@contextmanager
def built_as_a_test(home: Path, extra: Mapping[str, str] | None = None) -> Iterator[None]:
    """Make a template in the environment a test would have made it in (a session fixture runs before the
    per-test environment is set up), so its commits are the ones the test would have made."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {**per_test_env(home), **(extra or {})}.items():
            mp.setenv(name, value)
        for name in ("WORKBENCH_STORE", "EDITOR", "VISUAL"):
            mp.delenv(name, raising=False)
        yield


def build_template(
    factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Store], extra: Mapping[str, str] | None = None
) -> Path:
    """`make(folder)` run once in a test's environment; the folder it filled, to copy with `copy_of`."""
    base = factory.mktemp(f"template-{name}")
    (base / "home").mkdir()
    with built_as_a_test(base / "home", extra):
        return make(base / "store").root


def copy_of(template: Path, target: Path) -> Store:
    """A private copy of a template store at `target` (files and git), safe to write to."""
    shutil.copytree(template, target, symlinks=True)
    return Store(target)
