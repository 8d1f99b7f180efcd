"""Evidence fixtures: the format samples in tests/data/evidence and a small git repository whose
commits and tags have fixed dates (a deploy, a config change, a merge, a release tag, a rollback)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "evidence"
CLAUDE = "2025-08-05-claude-quality-degradation"


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


@pytest.fixture
def service_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "summarizer-service"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    steps = [
        ("2025-08-04T10:00:00+00:00", "README.md", "service\n", "Initial service"),
        (
            "2025-08-05T15:58:00+00:00",
            "config.yaml",
            "temperature: 0.9\n",
            "Raise summarizer temperature to 0.9 (config v42)",
        ),
    ]
    for when, name, text, message in steps:
        (repo / name).write_text(text)
        _git(repo, "add", name)
        _git(repo, "commit", "-q", "-m", message, when=when)
    _git(repo, "checkout", "-q", "-b", "fix")
    (repo / "config.yaml").write_text("temperature: 0.2\n")
    _git(
        repo,
        "commit",
        "-q",
        "-am",
        "Revert summarizer temperature to 0.2 (config v41)",
        when="2025-08-05T16:35:00+00:00",
    )
    _git(repo, "checkout", "-q", "main")
    _git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "fix",
        "-m",
        "Merge branch 'fix': roll back config v42",
        when="2025-08-05T16:40:00-07:00",
    )  # an offset: stored and shown in UTC
    _git(repo, "tag", "-a", "v42.1", "-m", "Release v42.1 with the rollback", when="2025-08-05T23:45:00+00:00")
    (repo / "later.txt").write_text("later\n")
    _git(repo, "add", "later.txt")
    _git(repo, "commit", "-q", "-m", "Unrelated change a week later", when="2025-08-12T09:00:00+00:00")
    return repo
