"""GitRepo.commit in two git processes (add, commit): what it returns and when it commits nothing."""

from __future__ import annotations

import subprocess
from dataclasses import replace

from workbench.store import Store


def _git(store: Store, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=store.root, capture_output=True, text=True, check=True).stdout


def test_the_commit_read_from_git_dir_is_the_one_git_log_shows(example_store: Store) -> None:
    folder = example_store.load(example_store.ids()[0]).folder
    (folder / "postmortem.md").write_text("changed\n", encoding="utf-8")
    rel = folder.relative_to(example_store.root).as_posix()
    made = example_store.git.commit([rel], "x: notes: Ünïcode subject\n\nReviewed-by: Sam <s@example.com>")
    logged = example_store.git.head_commit()
    assert made is not None and made == replace(logged, paths=())
    assert made.subject == "x: notes: Ünïcode subject" and made.body == "Reviewed-by: Sam <s@example.com>"
    assert made.time == logged.time and made.time.utcoffset() == logged.time.utcoffset()


def test_packed_refs_fall_back_to_git_log(example_store: Store) -> None:
    folder = example_store.load(example_store.ids()[0]).folder
    _git(example_store, "pack-refs", "--all")
    _git(example_store, "gc", "-q")  # objects packed too: nothing loose to read
    (folder / "postmortem.md").write_text("changed again\n", encoding="utf-8")
    made = example_store.git.commit([folder.relative_to(example_store.root).as_posix()], "x: y: z")
    assert made is not None and made.sha == _git(example_store, "rev-parse", "HEAD").strip()
    assert made.subject == "x: y: z"


def test_nothing_to_commit_in_the_paths_leaves_other_staged_changes_alone(example_store: Store) -> None:
    first, second = [example_store.load(i).folder for i in example_store.ids()[:2]]
    (second / "postmortem.md").write_text("staged elsewhere\n", encoding="utf-8")
    _git(example_store, "add", "--", second.relative_to(example_store.root).as_posix())
    head = _git(example_store, "rev-parse", "HEAD")
    assert example_store.git.commit([first.relative_to(example_store.root).as_posix()], "x: y: nothing") is None
    assert _git(example_store, "rev-parse", "HEAD") == head
    assert _git(example_store, "diff", "--cached", "--name-only").strip().endswith("postmortem.md")


def test_a_save_is_committed_with_plumbing(example_store: Store, monkeypatch) -> None:
    incident_id = example_store.ids()[0]
    record = example_store.load(incident_id)
    # The identity and the hooks folder are read once per store, not per save: a first save reads them.
    example_store.save(record, record.incident.model_copy(update={"summary": "first"}), where="summary", what="edit")
    record = example_store.load(incident_id)
    calls: list[str] = []
    execute = type(example_store.git.repo.git).execute

    def counting(self, command, *args, **kwargs):
        calls.append(command[1])
        return execute(self, command, *args, **kwargs)

    monkeypatch.setattr(type(example_store.git.repo.git), "execute", counting)
    example_store.save(
        record, record.incident.model_copy(update={"summary": "two processes"}), where="summary", what="edit"
    )
    assert calls == ["add", "diff-index", "write-tree", "commit-tree", "update-ref"]
    assert example_store.git.head_commit().subject.endswith("summary: edit")


def test_plumbing_makes_the_commit_git_commit_would(example_store: Store) -> None:
    """Same tree, message bytes (whitespace cleaned), author, reflog line and a clean index afterwards."""
    folder = example_store.load(example_store.ids()[0]).folder
    rel = folder.relative_to(example_store.root).as_posix()
    message = "x: notes: edit  \n\n\n\nReviewed-by: Sam <s@example.com>   \n\n"
    (folder / "postmortem.md").write_text("by plumbing\n", encoding="utf-8")
    example_store.git.commit([rel], message)
    ours = _git(example_store, "cat-file", "commit", "HEAD")
    _git(example_store, "reset", "-q", "--soft", "HEAD~1")
    subprocess.run(
        ["git", "commit", "-q", "--no-verify", "-m", message, "--", rel],
        cwd=example_store.root,
        check=True,
        env=_same_identity(ours),
    )
    theirs = _git(example_store, "cat-file", "commit", "HEAD")
    assert ours.split("\n\n", 1)[1] == theirs.split("\n\n", 1)[1]  # message
    assert ours.split("\n")[0] == theirs.split("\n")[0]  # tree
    assert _git(example_store, "status", "--porcelain") == ""
    reflog = _git(example_store, "reflog", "-3", "--format=%gs").splitlines()
    assert reflog[0] == reflog[2] == "commit: x: notes: edit"


def _same_identity(commit_text: str) -> dict[str, str]:
    import os

    author = next(line for line in commit_text.split("\n") if line.startswith("author "))[7:]
    who, stamp, zone = author.rsplit(" ", 2)
    name, _, email = who.partition(" <")
    date = f"{stamp} {zone}"
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email.rstrip(">"),
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email.rstrip(">"),
        "GIT_COMMITTER_DATE": date,
    }


def test_a_post_commit_hook_still_runs(example_store: Store) -> None:
    hook = example_store.git.common_dir / "hooks" / "post-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text('#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/hook-ran"\n')
    hook.chmod(0o755)
    folder = example_store.load(example_store.ids()[0]).folder
    (folder / "postmortem.md").write_text("hooked\n", encoding="utf-8")
    assert example_store.git.commit([folder.relative_to(example_store.root).as_posix()], "x: y: hook") is not None
    assert (example_store.git.git_dir / "hook-ran").read_text() == "ran\n"
