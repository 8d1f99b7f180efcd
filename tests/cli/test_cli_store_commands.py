"""The store commands end to end: `workbench.cli.main([...])` against real git stores, and the
installed console script in a subprocess for one whole flow."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.store import Store

FINDING = re.compile(r"^(?P<file>[^:]+\.(toml|md)):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
PROJECT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def store_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "store"
    code, out, _ = run(capsys, "init", str(root))
    assert code == 0 and "Created" in out
    return root


def test_init_new_list_show_history(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = str(store_dir)
    code, out, _ = run(
        capsys,
        "--store",
        s,
        "new",
        "KV-cache OOM on vLLM",
        "--started",
        "2025-08-05T18:00:00+02:00",
        "--severity",
        "P1",
    )
    assert code == 0
    assert "2025-08-05-kv-cache-oom-on-vllm" in out
    assert (store_dir / "incidents/2025/08/2025-08-05-kv-cache-oom-on-vllm/incident.toml").is_file()
    assert (store_dir / "incidents/2025/08/2025-08-05-kv-cache-oom-on-vllm/postmortem.md").is_file()

    # The same title on the same day gets a fresh id, never a clash.
    code, out, _ = run(capsys, "--store", s, "new", "KV-cache OOM on vLLM", "--started", "2025-08-05T20:00:00Z")
    assert code == 0 and "2025-08-05-kv-cache-oom-on-vllm-2" in out

    code, out, _ = run(capsys, "--store", s, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "SEV", "STAGE", "STARTED", "(UTC)", "OPEN", "TITLE"]
    assert lines[2].split()[:5] == ["2025-08-05-kv-cache-oom-on-vllm-2", "P2", "scoping", "2025-08-05", "20:00"]
    assert lines[3].split()[:5] == ["2025-08-05-kv-cache-oom-on-vllm", "P1", "scoping", "2025-08-05", "16:00"]

    code, out, _ = run(capsys, "--store", s, "show", "2025-08-05-kv-cache-oom-on-vllm")
    assert code == 0
    assert out.startswith("KV-cache OOM on vLLM\n")
    assert "started     2025-08-05 16:00 UTC" in out

    code, out, _ = run(capsys, "--store", s, "history", "2025-08-05-kv-cache-oom-on-vllm")
    assert code == 0
    assert "2025-08-05-kv-cache-oom-on-vllm: scoping: create 'KV-cache OOM on vLLM'" in out
    assert "Test Author" in out


def test_validate_exit_codes_and_finding_lines(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = str(store_dir)
    run(capsys, "--store", s, "new", "Good one", "--started", "2025-08-05T16:00:00Z")
    run(capsys, "--store", s, "new", "Bad one", "--started", "2025-08-06T16:00:00Z")
    code, out, err = run(capsys, "--store", s, "validate")
    assert (code, out) == (0, "")
    assert "ok: 2 incidents" in err

    bad = store_dir / "incidents/2025/08/2025-08-06-bad-one/incident.toml"
    text = bad.read_text()
    bad.write_text(
        text.replace('severity = "P2"\n', "") + '\n[[timeline]]\nid = "t-0001"\ntime = "soon"\nevent = "e"\n'
        '\n[[timeline]]\nid = "t-0002"\ntime = 2025-08-06T16:00:00Z\nevent = "e"\nsevrity = 1\n'
    )
    before = bad.read_bytes()
    code, out, _ = run(capsys, "--store", s, "validate")
    assert code == 1
    findings = [FINDING.match(line) for line in out.splitlines()]
    assert all(findings), out
    got = {(m["file"], m["field"]) for m in findings}
    assert got == {
        ("incidents/2025/08/2025-08-06-bad-one/incident.toml", "timeline[t-0001].time"),
        ("incidents/2025/08/2025-08-06-bad-one/incident.toml", "timeline[t-0002].sevrity"),
    }
    lines = bad.read_text().splitlines()
    for m in findings:
        assert m["field"].split(".")[-1] in lines[int(m["line"]) - 1]  # the line holds the field
    assert bad.read_bytes() == before  # validate never rewrites

    # Validating only the good incident's folder finds nothing.
    code, out, _ = run(capsys, "--store", s, "validate", str(store_dir / "incidents/2025/08/2025-08-05-good-one"))
    assert (code, out) == (0, "")


def test_store_from_env_and_from_the_current_directory(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "list")
    assert code == 2 and "no store here" in err and "Traceback" not in err

    monkeypatch.setenv("WORKBENCH_STORE", str(store_dir))
    code, out, _ = run(capsys, "new", "From env", "--started", "2025-01-01T00:00:00Z")
    assert code == 0 and "2025-01-01-from-env" in out
    monkeypatch.delenv("WORKBENCH_STORE")

    monkeypatch.chdir(store_dir)
    code, out, _ = run(capsys, "list")
    assert code == 0 and "2025-01-01-from-env" in out

    # --store wins over the environment.
    other = tmp_path / "other"
    run(capsys, "init", str(other))
    monkeypatch.setenv("WORKBENCH_STORE", str(store_dir))
    code, out, _ = run(capsys, "--store", str(other), "list")
    assert code == 0 and "from-env" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "no-such-id"], "no incident 'no-such-id'"),
        (["history", "no-such-id"], "no incident 'no-such-id'"),
        (["new", "x", "--started", "yesterday"], "not an ISO 8601 time"),
        (["new", "x", "--started", "2025-01-01T00:00:00"], "no offset"),
        (["new", "x", "--id", "../escape"], "path"),
        (["restore", "no-such-id", "HEAD"], "no incident"),
    ],
)
def test_errors_are_one_clear_line_and_exit_2(
    store_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    before = git(store_dir, "rev-parse", "HEAD")
    code, out, err = run(capsys, "--store", str(store_dir), *argv)
    assert code == 2
    assert err.startswith("workbench: ") and message in err and "Traceback" not in err
    assert git(store_dir, "rev-parse", "HEAD") == before
    assert git(store_dir, "status", "--porcelain") == ""


def test_not_a_store_and_not_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--store", str(tmp_path), "list")
    assert code == 2 and "not a workbench store" in err
    (tmp_path / "taxonomy.toml").write_text("schema_version = 1\n")
    code, _, err = run(capsys, "--store", str(tmp_path), "list")
    assert code == 2 and "not a git repository" in err
    code, _, err = run(capsys, "init", str(tmp_path))
    assert code == 2 and "already holds a store" in err


def test_restore_from_the_command_line(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = str(store_dir)
    run(capsys, "--store", s, "new", "Restore me", "--started", "2025-03-01T00:00:00Z", "--id", "restore-me")
    store = Store(store_dir)
    record = store.load("restore-me")
    store.save(record, record.incident.model_copy(update={"title": "Changed"}), where="overview", what="retitle")
    first = store.history("restore-me")[-1].sha
    code, out, _ = run(capsys, "--store", s, "restore", "restore-me", first[:10])
    assert code == 0 and "as a new commit" in out
    assert Store(store_dir).load("restore-me").incident.title == "Restore me"
    assert len(Store(store_dir).history("restore-me")) == 3
    code, out, _ = run(capsys, "--store", s, "show", "restore-me", "--at", "HEAD~1")
    assert code == 0 and out.startswith("Changed\n")


def test_demo_print_makes_a_private_copy_and_never_commits_into_the_project(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project_head = git(PROJECT, "rev-parse", "HEAD") if (PROJECT / ".git").exists() else None
    project_status = git(PROJECT, "status", "--porcelain") if project_head else None
    code, out, _ = run(capsys, "demo", "--print")
    assert code == 0
    target = Path(os.environ["XDG_DATA_HOME"]) / "postmortem-workbench" / "example-store"
    assert str(isolated_home) in str(target)
    assert f"Example store: {target}" in out
    assert "2025-08-05-claude-quality-degradation" in out
    assert (target / ".git").is_dir()
    assert git(target, "status", "--porcelain") == ""
    commits = git(target, "log", "--format=%s").splitlines()
    assert len(commits) == 2  # the store's own first commit, and the examples
    # A second run reuses the copy (and its history) instead of starting again.
    code, out, _ = run(capsys, "demo", "--print")
    assert code == 0 and git(target, "log", "--format=%s").splitlines() == commits
    code, out, err = run(capsys, "--store", str(target), "validate")
    assert (code, out) == (0, "")
    if project_head:
        assert git(PROJECT, "rev-parse", "HEAD") == project_head
        assert git(PROJECT, "status", "--porcelain") == project_status


def test_the_installed_console_script_runs_a_whole_flow(tmp_path: Path) -> None:
    exe = shutil.which("workbench", path=str(Path(sys.executable).parent))
    assert exe, "the console script `workbench` is installed with the package"
    root = tmp_path / "cli-store"
    env = {**os.environ}

    def wb(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)

    assert wb("init", str(root)).returncode == 0
    result = wb("new", "Console flow", "--started", "2025-02-03T04:05:06Z", cwd=root)
    assert result.returncode == 0, result.stderr
    listing = wb("list", cwd=root)
    assert listing.returncode == 0 and "2025-02-03-console-flow" in listing.stdout
    assert wb("validate", cwd=root).returncode == 0
    shown = wb("show", "2025-02-03-console-flow", cwd=root)
    assert shown.returncode == 0 and "Console flow" in shown.stdout
    history = wb("history", "2025-02-03-console-flow", cwd=root)
    assert "2025-02-03-console-flow: scoping: create 'Console flow'" in history.stdout
    toml = root / "incidents/2025/02/2025-02-03-console-flow/incident.toml"
    toml.write_text(toml.read_text().replace('title = "Console flow"', 'title = ""'))
    bad = wb("validate", cwd=root)
    assert bad.returncode == 1
    assert bad.stdout.strip().startswith("incidents/2025/02/2025-02-03-console-flow/incident.toml:3: title: ")
    assert "Traceback" not in bad.stderr
    fsck = subprocess.run(["git", "fsck", "--full"], cwd=root, capture_output=True, text=True)
    assert fsck.returncode == 0
