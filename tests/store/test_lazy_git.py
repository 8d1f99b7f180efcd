"""A store opens without GitPython: its git folder and branch come from the files git keeps, and GitPython is
asked only when something is unusual (a linked worktree, a detached HEAD) or when history is needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.store import NotAStore, Store
from workbench.store import gitdirs
from workbench.store.gitrepo import GitRepo


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def test_the_folders_found_without_gitpython_are_gitpythons(example_store) -> None:
    found = gitdirs.locate(example_store.root)
    repo = GitRepo(example_store.root)
    assert found == gitdirs.GitDirs(repo.git_dir, repo.common_dir)
    assert example_store.git_dirs == found
    assert gitdirs.branch(found.git_dir) == repo.branch() == example_store.branch()


def test_a_linked_worktree_or_a_detached_head_is_left_to_gitpython(example_store, tmp_path) -> None:
    linked = tmp_path / "linked"
    _git(example_store.root, "worktree", "add", "-q", str(linked), "-b", "other")
    assert gitdirs.locate(linked) is None  # `.git` is a file there
    store = Store(linked)
    assert (store.git_dirs.git_dir, store.git_dirs.common_dir) == (store.git.git_dir, store.git.common_dir)
    assert store.branch() == "other"
    _git(linked, "checkout", "-q", "--detach")
    assert gitdirs.branch(store.git_dirs.git_dir) is None
    assert store.branch() == GitRepo(linked).branch() and store.branch().startswith("detached at ")


def test_a_folder_that_is_no_repository_is_still_refused_in_gitpythons_words(tmp_path) -> None:
    plain = tmp_path / "plain"
    (plain / "incidents").mkdir(parents=True)
    (plain / ".git").mkdir()  # a `.git` folder with nothing in it
    assert gitdirs.locate(plain) is None
    with pytest.raises(NotAStore, match="is not a git repository"):
        Store(plain)


def test_a_sync_stopped_on_conflicts_is_seen_from_the_files(example_store) -> None:
    git_dir = example_store.git_dirs.git_dir
    assert gitdirs.stopped(git_dir) is None
    (git_dir / "MERGE_HEAD").write_text("0" * 40 + "\n")
    assert gitdirs.stopped(git_dir) == "merge"
    (git_dir / "rebase-merge").mkdir()
    assert gitdirs.stopped(git_dir) == "rebase"


def test_opening_a_store_and_cleaning_up_after_a_crash_import_no_gitpython(example_store) -> None:
    code = (
        "import sys, json\nfrom workbench.store import Store\n"
        f"s = Store({str(example_store.root)!r})\ns.cleanup_after_crash()\nb = s.branch()\n"
        "print(json.dumps(['git' in sys.modules, 'pydantic' in sys.modules, b]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, False, example_store.git.branch()]
