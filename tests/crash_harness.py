"""Crash harness: a child process saves and commits an incident in a loop and is SIGKILLed (with its git
children: the whole process group) at a random moment, again and again. After every kill the next start
is simulated and the store is checked:

- every incident file decodes and parses, and equals either the last committed version or the version
  being written (the next one): no empty, partial or mixed file;
- no temporary file is left after the next start (`Store.cleanup_after_crash`);
- a stale `.git/index.lock` (or ref lock) left by a killed commit is removed, with a message;
- `git fsck --full` is clean.

Used by tests/store/test_crash_harness.py (in CI) and benchmarks/reliability.py (prints figures).

Each killed worker is forked from a zygote, an interpreter that imported the harness (and so the store) once:
a fresh interpreter per kill spent ~0.8 s of CPU importing, most of the harness's CPU. The forked child opens
the store, cleans up after the last kill and loads the incident itself, as a starting process does; in its own
session, so the kill takes its git children too. `python tests/crash_harness.py zygote` is that interpreter
(`worker STORE` still runs one worker by hand).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from workbench.domain.model import Incident, KeyTimes
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store
from workbench.store.gitlocks import git_processes_in
from workbench.store.textio import TMP_SUFFIX, TextFile
from workbench.store.tomlfile import decode_incident, encode_incident

INCIDENT_ID = "2025-01-02-crash-harness"
_CYCLE_RE = re.compile(r"cycle (\d+)")


def next_version(incident: Incident, narrative: str) -> tuple[Incident, str, int]:
    """The edit a cycle makes: a new cycle number in the summary and in the narrative."""
    n = cycle_of(incident.summary) + 1
    return (
        incident.model_copy(update={"summary": f"cycle {n}: saved by the crash harness"}),
        f"# Crash harness\n\nNarrative at cycle {n}.\n",
        n,
    )


def cycle_of(text: str) -> int:
    match = _CYCLE_RE.search(text)
    return int(match.group(1)) if match else 0


# ------------------------------------------------------------------------------------------- child
def worker(root: Path) -> None:
    out = sys.stdout
    store = Store(root)
    store.cleanup_after_crash()
    record = store.load(INCIDENT_ID)
    print("ready", flush=True)
    while True:
        incident, narrative, n = next_version(record.incident, record.narrative)
        out.write(f"begin {n}\n")
        out.flush()
        record = store.save(record, incident, narrative, where="harness", what=f"cycle {n}")
        out.write(f"done {n}\n")
        out.flush()


def zygote() -> None:
    """Fork a worker for each log path read from stdin and answer its pid; exit when stdin closes."""
    print("zygote ready", flush=True)
    for line in sys.stdin:
        _reap()
        pid = os.fork()
        if pid == 0:  # the worker: it saves until killed, and never returns into this loop
            try:
                os.setsid()
                _redirect(Path(line.rstrip("\n")))
                worker(Path(os.environ["CRASH_HARNESS_STORE"]))
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)
        print(pid, flush=True)
    _reap()


def _redirect(log: Path) -> None:
    """The worker's stdout and stderr go to its log; its stdin is not the zygote's."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.close(null)


def _reap() -> None:
    """Collect the exit of killed workers (dead already: a zombie counts as dead for the parent)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# ------------------------------------------------------------------------------------------ parent
@dataclass
class Figures:
    runs: int = 0
    kills: int = 0
    cycles_attempted: int = 0
    cycles_committed: int = 0
    files_checked: int = 0
    killed_between_write_and_commit: int = 0
    temp_files_removed: int = 0
    stale_locks_removed: int = 0
    fsck_runs: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def make_store(root: Path) -> Store:
    store = Store.init(root, default_taxonomy_text())
    started = datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc)
    incident = Incident(
        id=INCIDENT_ID,
        title="Crash harness",
        severity="P2",
        times=KeyTimes(started=started),
        summary="cycle 0: created",
    )
    store.create(incident, "# Crash harness\n\nNarrative at cycle 0.\n")
    return store


def run(
    root: Path, *, min_cycles: int = 1000, max_delay: float = 2.0, seed: int | None = None, max_runs: int = 10_000
) -> Figures:
    """Kill workers until `min_cycles` save-and-commit cycles were attempted; check after each kill."""
    rng = random.Random(seed)
    figures = Figures()
    make_store(root)
    started = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CRASH_HARNESS_STORE": str(root)}
    log = root.parent / f"{root.name}-worker.log"
    zygote = subprocess.Popen(
        [sys.executable, __file__, "zygote"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        if zygote.stdout.readline().strip() != "zygote ready":
            raise AssertionError("the crash harness's zygote did not start")
        while figures.cycles_attempted < min_cycles and figures.runs < max_runs:
            figures.runs += 1
            log.unlink(missing_ok=True)
            zygote.stdin.write(f"{log}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            _wait_ready(log, pid)
            time.sleep(rng.uniform(0.0, max_delay))
            os.killpg(pid, signal.SIGKILL)
            _wait_group_dead(pid)
            figures.kills += 1
            lines = log.read_text(errors="replace").splitlines()
            if any("Traceback" in line for line in lines):
                raise AssertionError("the worker failed before it was killed:\n" + "\n".join(lines[-30:]))
            figures.cycles_attempted += sum(1 for line in lines if line.startswith("begin "))
            check_after_kill(root, figures)
    finally:
        zygote.stdin.close()
        zygote.wait(60)
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def _wait_group_dead(pgid: int) -> None:
    """SIGKILL is delivered at once but a process takes a moment to die; a crash is over when it has."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        alive = False
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in {"Z", "X"}:
                alive = True
                break
        if not alive:
            return
        time.sleep(0.005)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}


def _wait_ready(log: Path, pid: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and b"ready" in log.read_bytes():
            return
        if not _alive(pid):
            raise AssertionError("the worker exited at start:\n" + log.read_text(errors="replace"))
        time.sleep(0.01)
    os.killpg(pid, signal.SIGKILL)
    raise AssertionError("the worker did not start within 60s")


def _wait_for_detached_git(root: Path, timeout: float = 60.0) -> None:
    """`git gc --auto` daemonizes (its own session), so it outlives the kill of the worker's process group.
    It is a live git and its locks are not stale; the check starts once it has finished, as git's own
    next command would wait for it."""
    deadline = time.monotonic() + timeout
    while (git_processes_in(root) or []) and time.monotonic() < deadline:
        time.sleep(0.05)


def check_after_kill(root: Path, figures: Figures) -> None:
    _wait_for_detached_git(root)
    git_dir = root / ".git"
    locks_before = {p for p in git_dir.glob("*.lock")} | set((git_dir / "refs").rglob("*.lock"))
    store = Store(root)  # the next start
    removed = store.cleanup_after_crash()
    figures.temp_files_removed += sum(1 for p in removed if p.name.endswith(TMP_SUFFIX))
    stale = [p for p in locks_before if not p.exists()]
    figures.stale_locks_removed += len(stale)
    if stale:
        assert any("stale" in note for note in store.crash_notes), store.crash_notes
        if len(figures.notes) < 3:
            figures.notes.extend(n for n in store.crash_notes if "stale" in n)
    leftovers = [p for p in root.rglob(f"*{TMP_SUFFIX}") if ".git" not in p.relative_to(root).parts]
    assert not leftovers, f"temporary files left after the next start: {leftovers}"
    remaining = {p for p in git_dir.glob("*.lock")} | set((git_dir / "refs").rglob("*.lock"))
    assert not remaining, f"git lock files left after the next start: {remaining} {store.crash_notes}"

    folder = store.folder_of(INCIDENT_ID)
    rel = folder.relative_to(root).as_posix()
    head_cycle = None
    pending = False
    for name in ("incident.toml", "postmortem.md"):
        disk = (folder / name).read_bytes()
        committed = store.git.show_bytes("HEAD", f"{rel}/{name}")
        assert committed is not None, f"{name} is not committed"
        assert disk, f"{name} is empty"
        text = disk.decode("utf-8")  # decodes
        if name == "incident.toml":
            decode_incident(text, Path(name))  # parses and validates
            head = decode_incident(committed.decode(), Path(name))
            head_cycle = cycle_of(head.summary)
            being_written = _expected_next_toml(committed.decode(), head)
        else:
            being_written = f"# Crash harness\n\nNarrative at cycle {head_cycle + 1}.\n".encode()
        assert disk in (committed, being_written), (
            f"{name} is neither the committed version (cycle {head_cycle}) nor the one being written:\n{disk[:400]!r}"
        )
        pending = pending or disk != committed
        figures.files_checked += 1
    figures.cycles_committed = head_cycle or 0
    fsck = subprocess.run(["git", "fsck", "--full", "--no-progress"], cwd=root, capture_output=True, text=True)
    figures.fsck_runs += 1
    bad = [
        line
        for line in (fsck.stdout + fsck.stderr).splitlines()
        if not line.startswith("dangling ") and not line.startswith("Checking") and line.strip()
    ]
    assert fsck.returncode == 0 and not bad, f"git fsck --full: {fsck.returncode}\n{fsck.stdout}{fsck.stderr}"
    if pending:
        # The kill fell between writing the files and the end of the commit: the edit is on disk, and
        # the next save commits it. Settle it now so the next run starts from a committed state.
        figures.killed_between_write_and_commit += 1
        store.git.commit([rel], f"{INCIDENT_ID}: harness: commit the save interrupted by a kill")


def _expected_next_toml(committed_text: str, head: Incident) -> bytes:
    incident, _, _ = next_version(head, "")
    return TextFile(committed_text).encode(encode_incident(incident, committed_text))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "worker":
        worker(Path(sys.argv[2]))
    elif sys.argv[1:] == ["zygote"]:
        zygote()
    else:
        sys.exit("usage: crash_harness.py worker STORE | zygote")
