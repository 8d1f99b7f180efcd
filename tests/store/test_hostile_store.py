"""A hostile store: FIFOs, links out of the store, huge files, a committed `.workbench` link, closed pipes.

One test per case of issue 14. Each asserts the one-line message (naming the path) and that nothing
outside the store was read into the output or written: a folder beside the store holds a sentinel
file, and it stays byte-identical while its text never appears in what the command printed or wrote.
A hang fails the test (an alarm), instead of blocking CI; no test asserts wall time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import Incident, KeyTimes
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store

SECRET = "OUTSIDE-SENTINEL-7f3a9c do not print me"
INCIDENT_ID = "2025-03-02-kv-cache-oom"
FOLDER = Path("incidents/2025/03") / INCIDENT_ID
HANG_LIMIT = 30  # seconds before a command counts as hung: generous for a loaded CI machine (a hang is forever)


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A command that blocks (a FIFO opened for reading, /dev/zero hashed) fails here instead of hanging."""

    def hung(signum, frame):  # noqa: ARG001 - signal handler signature
        raise TimeoutError(f"the command hung for {HANG_LIMIT}s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_LIMIT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Hostile:
    store: Store
    outside: Path  # a folder beside the store, with the sentinel in it

    @property
    def root(self) -> Path:
        return self.store.root

    @property
    def folder(self) -> Path:
        return self.root / FOLDER

    def snapshot(self) -> dict[str, bytes | str]:
        """Everything under `outside`: names, bytes, links (byte-identical or not)."""
        found: dict[str, bytes | str] = {}
        for path in sorted(self.outside.rglob("*")):
            rel = path.relative_to(self.outside).as_posix()
            if path.is_symlink():
                found[rel] = "link -> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "folder"
        return found


@pytest.fixture
def hostile(tmp_path: Path) -> Hostile:
    store = Store.init(tmp_path / "store", default_taxonomy_text())
    started = datetime(2025, 3, 2, 14, 5, tzinfo=timezone.utc)
    store.create(
        Incident(
            id=INCIDENT_ID, title="KV-cache OOM after vLLM upgrade", severity="P1", times=KeyTimes(started=started)
        ),
        "## Executive Summary\n\nThe KV cache ran out of memory.\n",
    )
    outside = tmp_path / "outside"
    (outside / INCIDENT_ID).mkdir(parents=True)
    (outside / "secret.md").write_text(SECRET + "\n")
    (outside / INCIDENT_ID / "incident.toml").write_text(
        f'schema_version = 1\nid = "{INCIDENT_ID}"\ntitle = "{SECRET}"\nseverity = "P1"\n'
        "[times]\nstarted = 2025-03-02T14:05:00Z\n"
    )
    (outside / INCIDENT_ID / "postmortem.md").write_text(f"## Executive Summary\n\n{SECRET}\n")
    return Hostile(store, outside)


def run(hostile: Hostile, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    before = hostile.snapshot()
    code = main(["--store", str(hostile.root), *argv])
    out, err = capsys.readouterr()
    assert SECRET not in out and SECRET not in err, "content from outside the store was printed"
    assert hostile.snapshot() == before, "something outside the store was written"
    assert "Traceback" not in err
    return code, out, err


def one_line_naming(err: str, path: str, *words: str) -> str:
    """The error line that names `path` (and each of `words`)."""
    lines = [line for line in err.splitlines() if path in line]
    assert lines, f"no message names {path}: {err!r}"
    assert all(w in lines[0] for w in words), (lines[0], words)
    return lines[0]


def make_fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def link(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


def fake_month_outside(hostile: Hostile) -> None:
    """incidents/2025 becomes a link to a folder outside holding a month with an incident in it."""
    target = hostile.outside / "year"
    (target / "03").mkdir(parents=True)
    os.rename(hostile.outside / INCIDENT_ID, target / "03" / INCIDENT_ID)
    link(hostile.root / "incidents" / "2025", target)


# ------------------------------------------------------------------------------------------- FIFOs
FIFO_FILES = {
    "incident.toml": FOLDER / "incident.toml",
    "postmortem.md": FOLDER / "postmortem.md",
    "taxonomy.toml": Path("taxonomy.toml"),
}


@pytest.mark.parametrize("name", FIFO_FILES)
def test_fifo_validate(hostile: Hostile, capsys: pytest.CaptureFixture[str], name: str) -> None:
    make_fifo(hostile.root / FIFO_FILES[name])
    code, out, err = run(hostile, capsys, "validate")
    assert code == 1
    one_line_naming(out + err, FIFO_FILES[name].as_posix(), "FIFO", "not a regular file")


@pytest.mark.parametrize("name", FIFO_FILES)
def test_fifo_list(hostile: Hostile, capsys: pytest.CaptureFixture[str], name: str) -> None:
    make_fifo(hostile.root / FIFO_FILES[name])
    code, out, err = run(hostile, capsys, "list")
    if name == "taxonomy.toml":  # the list does not need the taxonomy: it still lists the incident
        assert code == 0 and INCIDENT_ID in out
    else:
        assert code == 1 and INCIDENT_ID not in out
        one_line_naming(err, FIFO_FILES[name].as_posix(), "FIFO")


@pytest.mark.parametrize("name", FIFO_FILES)
def test_fifo_search(hostile: Hostile, capsys: pytest.CaptureFixture[str], name: str) -> None:
    make_fifo(hostile.root / FIFO_FILES[name])
    code, out, err = run(hostile, capsys, "search", "--json", "kv cache")
    assert code in (0, 1)  # found or not: the FIFO is never opened for a blocking read
    if name != "taxonomy.toml":
        assert "ran out of memory" not in out


@pytest.mark.parametrize("name", FIFO_FILES)
def test_fifo_report(hostile: Hostile, capsys: pytest.CaptureFixture[str], name: str) -> None:
    make_fifo(hostile.root / FIFO_FILES[name])
    code, out, err = run(hostile, capsys, "report", INCIDENT_ID)
    if name == "taxonomy.toml":  # a broken taxonomy never blocks a report: its mappings are left out
        assert code == 0 and "KV-cache OOM after vLLM upgrade" in out
        return
    assert code == 2 and out == ""
    line = one_line_naming(err, FIFO_FILES[name].as_posix(), "FIFO")
    assert line.startswith("workbench: ") and len(err.strip().splitlines()) == 1


def test_evidence_add_of_a_fifo(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = hostile.outside / "pipe.log"
    os.mkfifo(fifo)
    head = hostile.store.git.head_commit().sha
    code, _, err = run(hostile, capsys, "evidence", "add", INCIDENT_ID, str(fifo))
    assert code == 2
    one_line_naming(err, str(fifo), "FIFO", "not a regular file")
    assert hostile.store.git.head_commit().sha == head and not (hostile.folder / "evidence").exists()


def test_evidence_add_of_dev_zero(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    head = hostile.store.git.head_commit().sha
    code, _, err = run(hostile, capsys, "evidence", "add", INCIDENT_ID, "/dev/zero")
    assert code == 2
    one_line_naming(err, "/dev/zero", "character device", "not a regular file")
    assert hostile.store.git.head_commit().sha == head and not (hostile.folder / "evidence").exists()


def test_evidence_add_over_the_cap_is_refused_before_hashing(
    hostile: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    big = hostile.outside / "huge.log"
    with open(big, "wb") as handle:  # sparse: 50 MB that reads as zeros, made in no time
        handle.truncate(50 * 1024 * 1024)
    code, _, err = run(hostile, capsys, "evidence", "add", INCIDENT_ID, str(big))
    assert code == 2
    one_line_naming(err, str(big), "over the", "limit", "--reference")


def test_import_of_a_fifo(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = hostile.outside / "postmortem-in.md"
    os.mkfifo(fifo)
    ids = hostile.store.ids()
    code, _, err = run(hostile, capsys, "import", str(fifo))
    assert code == 2
    one_line_naming(err, str(fifo), "FIFO", "not a regular file")
    assert hostile.store.ids() == ids


def test_import_of_a_50_mb_narrative_is_refused(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    big = hostile.outside / "long-postmortem.md"
    with open(big, "wb") as handle:
        handle.write(b"# A very long postmortem\n\n")
        handle.truncate(50 * 1024 * 1024)
    head = hostile.store.git.head_commit().sha
    code, _, err = run(hostile, capsys, "import", str(big))
    assert code == 2
    one_line_naming(err, str(big), "52,428,800 bytes", "the store could not load")
    assert hostile.store.git.head_commit().sha == head


def test_a_huge_incident_toml(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    with open(hostile.folder / "incident.toml", "r+b") as handle:
        handle.truncate(64 * 1024 * 1024)
    code, out, err = run(hostile, capsys, "validate")
    assert code == 1
    one_line_naming(out + err, (FOLDER / "incident.toml").as_posix(), "67,108,864 bytes", "limit")
    code, out, err = run(hostile, capsys, "show", INCIDENT_ID)
    assert code == 2 and out == ""
    one_line_naming(err, (FOLDER / "incident.toml").as_posix(), "limit")


# ------------------------------------------------------------------------------ links out of the store
def test_linked_postmortem_validate(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    link(hostile.folder / "postmortem.md", hostile.outside / "secret.md")
    code, out, err = run(hostile, capsys, "validate")
    assert code == 1 and " ok" not in out.lower()
    one_line_naming(out + err, (FOLDER / "postmortem.md").as_posix(), "link to", "outside the store")


@pytest.mark.parametrize(
    "command",
    [
        ["show", INCIDENT_ID],
        ["report", INCIDENT_ID],
        ["report", INCIDENT_ID, "--audience", "external", "--format", "html"],
    ],
    ids=["show", "report", "external-html"],
)
def test_linked_postmortem_is_never_printed(
    hostile: Hostile, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    link(hostile.folder / "postmortem.md", hostile.outside / "secret.md")
    code, out, err = run(hostile, capsys, *command)
    assert code == 2 and out == ""
    one_line_naming(err, (FOLDER / "postmortem.md").as_posix(), "link to", "outside the store")


def test_linked_postmortem_list(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    link(hostile.folder / "postmortem.md", hostile.outside / "secret.md")
    code, out, err = run(hostile, capsys, "list")
    assert code == 1 and INCIDENT_ID not in out
    one_line_naming(err, (FOLDER / "postmortem.md").as_posix(), "outside the store")


def test_linked_postmortem_search(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    link(hostile.folder / "postmortem.md", hostile.outside / "secret.md")
    run(hostile, capsys, "search", "--json", "sentinel")  # `run` asserts the secret is not printed


def test_linked_postmortem_external_html_to_a_file(
    hostile: Hostile, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    link(hostile.folder / "postmortem.md", hostile.outside / "secret.md")
    out_file = tmp_path / "report.html"
    code, _, err = run(
        hostile, capsys, "report", INCIDENT_ID, "--audience", "external", "--format", "html", "--out", str(out_file)
    )
    assert code == 2 and not out_file.exists()
    one_line_naming(err, (FOLDER / "postmortem.md").as_posix(), "outside the store")


def test_linked_year_folder_validate(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    fake_month_outside(hostile)
    code, out, err = run(hostile, capsys, "validate")
    assert code == 1
    one_line_naming(out + err, "incidents/2025", "is a link to", "outside the store")


@pytest.mark.parametrize(
    "command",
    [
        ["show", INCIDENT_ID],
        ["report", INCIDENT_ID],
        ["report", INCIDENT_ID, "--audience", "external", "--format", "html"],
    ],
    ids=["show", "report", "external-html"],
)
def test_linked_year_folder_is_never_printed(
    hostile: Hostile, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    fake_month_outside(hostile)
    code, out, err = run(hostile, capsys, *command)
    assert code == 2 and out == ""
    one_line_naming(err, "incidents/2025", "is a link to", "outside the store")


def test_linked_year_folder_list(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    fake_month_outside(hostile)
    code, out, err = run(hostile, capsys, "list")
    assert code == 1 and INCIDENT_ID not in out
    one_line_naming(err, "incidents/2025", "outside the store")


def test_linked_year_folder_review_comment_writes_nothing_outside(
    hostile: Hostile, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_month_outside(hostile)
    code, _, err = run(hostile, capsys, "review", "comment", INCIDENT_ID, "--on", "summary", "looks", "odd")
    assert code == 2
    one_line_naming(err, "incidents/2025", "outside the store")
    assert not (hostile.outside / "year" / "03" / INCIDENT_ID / "review.toml").exists()


def test_committed_workbench_link(hostile: Hostile, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A `.workbench` link committed upstream arrives in a clone: no cache, lock or journal goes there."""
    target = hostile.outside / "cache-target"
    target.mkdir()
    link(hostile.root / ".workbench", target)
    git = ["git", "-C", str(hostile.root)]
    subprocess.run([*git, "add", "-f", ".workbench"], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-q", "-m", "a link"], check=True, capture_output=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(hostile.root), str(clone)], check=True, capture_output=True)
    assert (clone / ".workbench").is_symlink()
    before = hostile.snapshot()
    for command in (
        ["list"],
        ["validate"],
        ["search", "kv"],
        ["review", "comment", INCIDENT_ID, "--on", "summary", "hi"],
    ):
        code = main(["--store", str(clone), *command])
        _, err = capsys.readouterr()
        assert code == 2, command
        assert err.strip() == err.strip().splitlines()[-1] and ".workbench: is a link to" in err, err
    assert hostile.snapshot() == before and list(target.iterdir()) == []


def test_workbench_folder_is_ignored_in_a_store_not_made_by_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "hand-made"
    (root / "incidents").mkdir(parents=True)
    (root / "taxonomy.toml").write_text(default_taxonomy_text())
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert main(["--store", str(root), "new", "First incident", "--started", "2025-01-02T03:04Z"]) == 0
    capsys.readouterr()
    assert (root / ".workbench" / "lock").exists()
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    staged = subprocess.run(
        ["git", "-C", str(root), "diff", "--cached", "--name-only"], check=True, capture_output=True, text=True
    ).stdout
    assert ".workbench" not in staged and "taxonomy.toml" in staged
    assert "/.workbench/" in (root / ".git" / "info" / "exclude").read_text().splitlines()


# -------------------------------------------------------------------------------------- CLI manners
@pytest.mark.parametrize("command", [["list"], ["history", INCIDENT_ID]], ids=["list", "history"])
def test_broken_pipe_ends_quietly(
    hostile: Hostile, command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`workbench list | head -0`: stdout is a pipe whose reader is already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w") as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        code = main(["--store", str(hostile.root), *command])
        assert os.path.samestat(os.fstat(closed_pipe.fileno()), os.stat(os.devnull))  # the docs' recipe
    monkeypatch.undo()
    assert code == 141
    assert capsys.readouterr().err == ""


def test_broken_pipe_in_a_real_process(hostile: Hostile) -> None:
    """The same through a real process, including the interpreter's last flush at exit."""
    exe = [sys.executable, "-c", "import sys; from workbench.cli import main; sys.exit(main())"]
    proc = subprocess.Popen(
        [*exe, "--store", str(hostile.root), "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()  # the reader goes away at once, as `head` does after its lines
    _, err = proc.communicate(timeout=HANG_LIMIT)
    assert proc.returncode == 141, err
    assert err == b""


def test_derive_times_error_is_one_readable_line(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    # A detection entry an hour before the trigger: the derived times would be out of order.
    path = hostile.folder / "incident.toml"
    path.write_text(
        path.read_text() + '\n[[timeline]]\nid = "t-0001"\ntime = 2025-03-02T15:00:00Z\n'
        'event = "Pods OOM-killed"\nkind = "trigger"\n\n[[timeline]]\nid = "t-0002"\n'
        'time = 2025-03-02T13:00:00Z\nevent = "Alert fired"\nkind = "detection"\n'
    )
    subprocess.run(["git", "-C", str(hostile.root), "commit", "-qam", "timeline"], check=True)
    head, before = hostile.store.git.head_commit().sha, path.read_bytes()
    code, _, err = run(hostile, capsys, "timeline", "derive-times", INCIDENT_ID, "--apply")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: the derived times are out of order"), err
    assert "detected" in lines[0] and "nothing was written" in lines[0]
    for raw in ("Value error", "validation error", "pydantic", "For further information", "input_value"):
        assert raw not in err
    assert hostile.store.git.head_commit().sha == head and path.read_bytes() == before


def test_a_link_inside_workbench_is_refused(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    """`.workbench/cache` committed as a link (git add -f): the search index never goes where it points."""
    target = hostile.outside / "index-target"
    target.mkdir()
    (hostile.root / ".workbench" / "cache").mkdir(parents=True, exist_ok=True)
    link(hostile.root / ".workbench" / "cache" / "search", target)
    code, _, err = run(hostile, capsys, "search", "kv")
    assert code == 2
    one_line_naming(err, ".workbench/cache/search", "is a link to", "remove the link")
    assert list(target.iterdir()) == []


def test_new_incident_in_a_linked_year_folder(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    fake_month_outside(hostile)
    code, _, err = run(hostile, capsys, "new", "Second outage", "--started", "2025-03-09T10:00Z")
    assert code == 2
    one_line_naming(err, "incidents/2025", "is a link to", "outside the store")


def test_evidence_add_follows_a_link_a_person_names(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    """Files handed to a command may be links (a `current.log`): followed, and still checked as regular files."""
    (hostile.outside / "app-2025-03-02.log").write_text("14:05 OOM\n")
    current = hostile.outside / "current.log"
    current.symlink_to(hostile.outside / "app-2025-03-02.log")
    code = main(["--store", str(hostile.root), "evidence", "add", INCIDENT_ID, str(current)])
    capsys.readouterr()
    assert code == 0
    assert (hostile.folder / "evidence" / "current.log").read_text() == "14:05 OOM\n"
