"""No half-done edits: an edit that cannot commit leaves nothing written, and a retry never duplicates.

Concurrent `workbench` edit commands on one store each land exactly once (they take turns under the
store lock, from loading to committing); an edit refused at commit time (another git holds the index)
puts every file back, so a later commit never sweeps it in under another message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import Incident, KeyTimes
from workbench.services.bundled import default_taxonomy_text
from workbench.store import RepoBusy, Store
from workbench.store.reviewfile import load_review

INCIDENT_ID = "2025-03-02-kv-cache-oom"
TIMEOUT = 120  # a hang fails the test instead of blocking CI
WORKERS = 6  # benchmarks/concurrent_edits.py runs 28


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.init(tmp_path / "store", default_taxonomy_text())
    store.create(
        Incident(
            id=INCIDENT_ID,
            title="KV-cache OOM",
            severity="P1",
            times=KeyTimes(started=datetime(2025, 3, 2, 14, 5, tzinfo=timezone.utc)),
        ),
        "## Executive Summary\n\nOOM.\n",
    )
    return store


def git(store: Store, *args: str) -> str:
    return subprocess.run(["git", "-C", str(store.root), *args], check=True, capture_output=True, text=True).stdout


def test_concurrent_cli_edits_each_land_once(store: Store, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    commands = []
    for i in range(WORKERS):
        if i % 2:
            (evidence / f"worker-{i}.log").write_text(f"line {i}\n")
            commands.append(["evidence", "add", INCIDENT_ID, str(evidence / f"worker-{i}.log")])
        else:
            commands.append(["review", "comment", INCIDENT_ID, "--on", "summary", f"note-{i}"])
    commits_before = int(git(store, "rev-list", "--count", "HEAD"))
    exe = [sys.executable, "-c", "import sys; from workbench.cli import main; sys.exit(main())"]
    procs = [
        subprocess.Popen(
            [*exe, "--store", str(store.root), *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for c in commands
    ]
    results = [(p.wait(timeout=TIMEOUT), p.communicate()[1]) for p in procs]
    assert [code for code, _ in results] == [0] * len(commands), results
    assert int(git(store, "rev-list", "--count", "HEAD")) == commits_before + len(commands)
    assert git(store, "status", "--porcelain") == ""
    review = load_review(store, INCIDENT_ID).review
    assert sorted(c.text for c in review.comments) == sorted(f"note-{i}" for i in range(0, WORKERS, 2))
    record = store.load(INCIDENT_ID)
    assert sorted(e.name for e in record.incident.evidence) == sorted(f"worker-{i}.log" for i in range(1, WORKERS, 2))


@pytest.fixture
def git_busy(store: Store):
    """A running git process in the store holding `.git/index.lock`, as another tool's commit would."""
    holder = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=store.root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    lock = store.git.git_dir / "index.lock"
    lock.write_bytes(b"")
    try:
        yield lock
    finally:
        holder.communicate(b"", timeout=TIMEOUT)
        lock.unlink(missing_ok=True)


def _state(store: Store) -> tuple[str, dict[str, bytes], str]:
    folder = store.folder_of(INCIDENT_ID)
    files = {p.relative_to(store.root).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return (
        store.git.head_commit().sha,
        files,
        git(store, "status", "--porcelain", "--untracked-files=all", "--", "incidents"),
    )


def test_a_refused_review_comment_leaves_nothing_and_a_retry_lands_once(
    store: Store, git_busy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(store)
    argv = ["--store", str(store.root), "review", "comment", INCIDENT_ID, "--on", "summary", "once only"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "another git process is using the store" in err and "Nothing was written" in err
    assert _state(store) == before
    git_busy.unlink()
    assert main(argv) == 0
    assert [c.text for c in load_review(store, INCIDENT_ID).review.comments] == ["once only"]
    assert git(store, "show", "--stat", "--format=%s", "HEAD").count("review.toml") == 1


def test_a_refused_save_puts_every_file_back(store: Store, git_busy: Path, tmp_path: Path) -> None:
    """incident.toml and postmortem.md rewritten, an evidence copy added: all undone when git refuses."""
    record = store.load(INCIDENT_ID)
    source = tmp_path / "app.log"
    source.write_text("boom\n")
    before = _state(store)
    from workbench.services.evidence.locker import add_evidence

    with pytest.raises(RepoBusy, match="Nothing was written"):
        add_evidence(store, record, [str(source)])
    with pytest.raises(RepoBusy, match="Nothing was written"):
        store.save(
            record,
            record.incident.model_copy(update={"title": "changed"}),
            "## New narrative\n",
            where="overview",
            what="edit",
        )
    assert _state(store) == before
    assert not any(name.endswith(".tmp") for name in os.listdir(record.folder))


def test_a_refused_new_incident_leaves_no_folder_and_a_retry_creates_it(
    store: Store, git_busy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--store", str(store.root), "new", "Reranker fallback loop", "--started", "2025-04-09T08:00Z"]
    head = store.git.head_commit().sha
    assert main(argv) == 2
    assert "Nothing was written" in capsys.readouterr().err
    assert not (store.root / "incidents" / "2025" / "04").exists() and store.git.head_commit().sha == head
    git_busy.unlink()
    assert main(argv) == 0
    assert "2025-04-09-reranker-fallback-loop" in Store(store.root).ids()
    assert store.git.head_commit().subject.startswith("2025-04-09-reranker-fallback-loop: scoping: create")
