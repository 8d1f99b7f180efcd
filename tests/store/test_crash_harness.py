"""Point 1: saves survive SIGKILL at any moment (see tests/crash_harness.py for what is checked)."""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

import crash_harness

from workbench.store import Store, gitlocks


def _fast_dir(tmp_path: Path) -> Path:
    # A SIGKILL does not lose the page cache, so what it tests does not depend on fsync: tmpfs runs the
    # same code ~4x faster. Power loss (fsync order) is covered by the disk-fault tests and the code path.
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(dir=shm, prefix="wb-crash-"))
    return tmp_path


def test_a_thousand_killed_save_and_commit_cycles_leave_every_file_whole(tmp_path: Path) -> None:
    base = _fast_dir(tmp_path)
    seed = random.randrange(1 << 30)
    try:
        figures = crash_harness.run(base / "store", min_cycles=1000, max_delay=2.0, seed=seed)
    finally:
        if base != tmp_path:
            subprocess.run(["rm", "-rf", "--", str(base)], check=False)
    print(f"crash harness (seed {seed}):\n{figures.as_json()}")
    assert figures.cycles_attempted >= 1000
    assert figures.kills == figures.runs >= 5
    assert figures.files_checked == 2 * figures.kills
    assert figures.fsck_runs == figures.kills


def test_a_stale_index_lock_is_removed_with_a_message(empty_store: Store) -> None:
    lock = empty_store.git.git_dir / "index.lock"
    lock.write_text("")
    removed = empty_store.cleanup_after_crash()
    assert lock in removed and not lock.exists()
    assert any("stale .git/index.lock" in note for note in empty_store.crash_notes)


def test_a_lock_held_by_a_running_git_process_is_kept(empty_store: Store) -> None:
    lock = empty_store.git.git_dir / "index.lock"
    lock.write_text("")
    # A git process working in the store (it waits on its stdin until we close it).
    git = subprocess.Popen(
        ["git", "hash-object", "--stdin"], cwd=empty_store.root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    try:
        # The precondition: the git process is visible in /proc as git, working in the store (on a loaded
        # machine the check could run before /proc showed it).
        deadline = time.monotonic() + 10
        while not gitlocks.git_processes_in(empty_store.root) and time.monotonic() < deadline:
            time.sleep(0.01)
        empty_store.cleanup_after_crash()
        assert lock.exists()
        assert any(note.startswith("kept .git/index.lock: git is running") for note in empty_store.crash_notes)
    finally:
        git.communicate(b"")
    empty_store.cleanup_after_crash()
    assert not lock.exists()


def test_a_commit_after_a_killed_commit_goes_through(example_store: Store) -> None:
    record = example_store.load(example_store.ids()[0])
    (example_store.git.git_dir / "index.lock").write_text("")
    saved = example_store.save(
        record,
        record.incident.model_copy(update={"summary": "after a crash"}),
        where="summary",
        what="edit after a crash",
    )
    assert example_store.git.head_commit().subject.endswith("edit after a crash")
    assert "after a crash" in (saved.folder / "incident.toml").read_text()
    assert any("stale" in note for note in example_store.git.lock_notes)


def _killed_mid_save(store: Store) -> None:
    """What a save killed while it held the store lock leaves: the lock file still naming its holder."""
    store.lock.path.parent.mkdir(parents=True, exist_ok=True)
    store.lock.path.write_text("999999\n")


def test_cleanup_removes_only_temporary_names(example_store: Store) -> None:
    folder = example_store.load(example_store.ids()[0]).folder
    stray = folder / ".incident.toml.abc123.tmp"
    stray.write_text("half a file")
    _killed_mid_save(example_store)
    keep = [folder / "notes.tmp", folder / ".hidden", folder / ".x.tmp"]
    for path in keep:
        path.write_text("a person's file")
    removed = example_store.cleanup_after_crash()
    assert removed == [stray] and not stray.exists()
    assert all(p.exists() for p in keep)
    assert any("temporary file" in note for note in example_store.crash_notes)


def test_cleanup_skips_while_another_process_saves(example_store: Store) -> None:
    folder = example_store.load(example_store.ids()[0]).folder
    stray = folder / ".incident.toml.abc123.tmp"
    stray.write_text("another process is writing this")
    example_store.lock.path.parent.mkdir(parents=True, exist_ok=True)
    # A save in another process: it holds the lock with its pid in the file, and dies without releasing it.
    holder = subprocess.Popen(
        [
            "python3",
            "-c",
            "import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDWR|os.O_CREAT);"
            "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b'%d\\n' % os.getpid()); print('locked', flush=True);"
            " sys.stdin.read()",
            str(example_store.lock.path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert example_store.cleanup_after_crash() == []
        assert stray.exists()
    finally:
        holder.communicate("")
    assert example_store.cleanup_after_crash() == [stray]


def test_saves_leave_no_temporary_files(example_store: Store) -> None:
    record = example_store.load(example_store.ids()[0])
    example_store.save(
        record, record.incident.model_copy(update={"summary": "x"}), record.narrative + "\nmore\n", where="t", what="w"
    )
    assert not [p for p in record.folder.iterdir() if p.name.startswith(".")]


def test_a_clean_start_does_not_walk_every_incident_folder(example_store: Store, monkeypatch) -> None:
    from workbench.store import startup

    record = example_store.load(example_store.ids()[0])
    example_store.save(
        record,
        record.incident.model_copy(update={"summary": "saved and released"}),
        where="summary",
        what="a finished save",
    )
    walked: list[str] = []
    real = startup.incident_dirs
    monkeypatch.setattr(startup, "incident_dirs", lambda root: walked.append(str(root)) or real(root))
    stray = record.folder / ".incident.toml.abc123.tmp"
    stray.write_text("a person's editor, not a killed save of ours")
    assert example_store.cleanup_after_crash() == []
    assert walked == [] and stray.exists()
    assert example_store.lock.path.read_text() == ""  # released: no save in progress

    _killed_mid_save(example_store)
    assert example_store.cleanup_after_crash() == [stray]
    assert walked == [str(example_store.root)]
    assert example_store.cleanup_after_crash() == [] and len(walked) == 1  # the marker is gone with the cleanup


def test_a_save_in_progress_is_marked_in_the_lock_file(example_store: Store) -> None:
    with example_store.lock:
        assert example_store.lock.path.read_text().strip() == str(os.getpid())
    assert example_store.lock.path.read_text() == ""
