"""Point 6: two processes saving to one store never corrupt files or commits; a busy store says so."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workbench.store import RepoBusy, Store
from workbench.store.lock import StoreLock

SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from workbench.store import Store
    root, incident_id, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store(root)
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    record = store.load(incident_id)
    for n in range(count):
        record = store.save(record, record.incident.model_copy(update={"summary": f"{sys.argv[4]} {n}"}),
                            record.narrative, where="summary", what=f"{sys.argv[4]} save {n}")
    print("done", flush=True)
""")


def test_two_processes_saving_at_once_make_one_commit_per_save(example_store: Store) -> None:
    ids = example_store.ids()[:2]
    before = int(example_store.git.repo.git.rev_list("--count", "HEAD"))
    count = 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, str(example_store.root), incident_id, str(count), f"writer{i}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, incident_id in enumerate(ids)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "done"
    after = int(example_store.git.repo.git.rev_list("--count", "HEAD"))
    assert after - before == 2 * count
    # Each commit holds exactly one incident's save, named in its subject.
    for commit in example_store.git.log(["incidents"], limit=2 * count):
        folders = {"/".join(p.split("/")[:4]) for p in commit.paths}
        assert len(folders) == 1 and commit.subject.split(":")[0] in next(iter(folders))
    fresh = Store(example_store.root)
    for i, incident_id in enumerate(ids):
        assert fresh.load(incident_id).incident.summary == f"writer{i} {count - 1}"
    assert example_store.git.repo.git.status("--porcelain", "--", "incidents") == ""
    subprocess.run(["git", "fsck", "--full"], cwd=example_store.root, check=True, capture_output=True)


def test_a_store_held_too_long_is_reported_busy(example_store: Store) -> None:
    lock = StoreLock(example_store.private_dir)
    lock.path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from workbench.store.lock import StoreLock;"
            "lock = StoreLock(Path(sys.argv[1])); lock.acquire(); print('held', flush=True); sys.stdin.read()",
            str(example_store.private_dir),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        example_store.lock.timeout = 0.3
        record = example_store.load(example_store.ids()[0])
        head = example_store.git.head_commit().sha
        with pytest.raises(RepoBusy) as caught:
            example_store.save(record, record.incident.model_copy(update={"summary": "waits"}), where="s", what="w")
        message = str(caught.value)
        assert "store is busy" in message and f"pid {holder.pid}" in message
        assert example_store.git.head_commit().sha == head
        assert (record.folder / "incident.toml").read_bytes() == record.toml.encode()
    finally:
        holder.communicate("")
    # The holder is gone: the same save goes through.
    example_store.save(record, record.incident.model_copy(update={"summary": "waits"}), where="s", what="w")


def test_a_second_writer_waits_for_the_first(example_store: Store, tmp_path: Path) -> None:
    marker = tmp_path / "holder-finished"
    # The holder keeps the lock for half a second: that hold is what the second writer must wait out (the test).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from workbench.store.lock import "
            "StoreLock; lock = StoreLock(Path(sys.argv[1])); lock.acquire(); print('held', flush=True); "
            "time.sleep(0.5); Path(sys.argv[2]).write_text('done'); lock.release()",
            str(example_store.private_dir),
            str(marker),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    record = example_store.load(example_store.ids()[0])
    example_store.save(
        record, record.incident.model_copy(update={"summary": "after the other"}), where="s", what="waited"
    )
    assert marker.exists()  # the save got the lock only after the other writer finished and let go
    holder.wait()
    assert example_store.git.head_commit().subject.endswith("waited")


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / ".workbench", timeout=0.2)
    with lock:
        with lock:
            assert lock.holder() == str(__import__("os").getpid())
    assert lock.acquire(wait=False)
    lock.release()


CREATOR = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from workbench.domain.model import Incident, KeyTimes
    from workbench.store import Store, StoreError
    store = Store(Path(sys.argv[1]))
    incident = Incident(id="2025-03-04-same-id", title=sys.argv[2],
                        times=KeyTimes(started=datetime(2025, 3, 4, 10, tzinfo=timezone.utc)))
    print("ready", flush=True)
    try:
        store.create(incident, "# " + sys.argv[2] + "\\n")
        print("created", flush=True)
    except StoreError as exc:
        print("refused:", exc, flush=True)
""")


def test_two_processes_creating_the_same_id_the_second_gets_the_friendly_message(empty_store: Store) -> None:
    """The "id exists" check runs under the store lock: a creator that started while another held the
    lock waits, then sees the first one's incident (before, it checked first and then wrote over it)."""
    from datetime import datetime, timezone

    from workbench.domain.model import Incident, KeyTimes

    head = empty_store.git.head_commit().sha
    empty_store.lock.acquire()
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", CREATOR, str(empty_store.root), "Second"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "ready"
        # A pause that sets the race up: the child is now inside create(), blocked on the lock this process holds
        # (a blocked lock call has no signal to wait on; under load the race is only less likely, never false).
        time.sleep(0.5)
        empty_store.create(
            Incident(
                id="2025-03-04-same-id",
                title="First",
                times=KeyTimes(started=datetime(2025, 3, 4, 10, tzinfo=timezone.utc)),
            ),
            "# First\n",
        )
    finally:
        empty_store.lock.release()
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.strip() == "refused: an incident with id '2025-03-04-same-id' already exists"
    record = Store(empty_store.root).load("2025-03-04-same-id")
    assert record.incident.title == "First" and record.narrative == "# First\n"
    subjects = [c.subject for c in empty_store.git.log(["incidents"], limit=5) if c.sha != head]
    assert subjects == ["2025-03-04-same-id: scoping: create 'First'"]


def test_two_processes_racing_to_create_one_id_make_exactly_one_incident(empty_store: Store) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CREATOR, str(empty_store.root), f"Racer {i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outs.append(out.splitlines()[-1])
    assert sorted(o.split(":")[0].split()[0] for o in outs) == ["created", "refused"]
    assert any("already exists" in o for o in outs)
    creates = [c for c in empty_store.git.log(["incidents"], limit=5) if "create" in c.subject]
    assert len(creates) == 1
    winner = creates[0].subject.split("'")[1]
    assert Store(empty_store.root).load("2025-03-04-same-id").incident.title == winner
    subprocess.run(["git", "fsck", "--full"], cwd=empty_store.root, check=True, capture_output=True)
