"""The pre-commit hook and the CI example call commands that exist, on the files that matter."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_pre_commit_hooks_match_incident_files_and_run_lint():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    entries = re.findall(r"^\s+entry: (.+)$", text, re.M)
    patterns = [re.compile(p) for p in re.findall(r"^\s+files: (.+)$", text, re.M)]
    assert entries == ["workbench lint", "workbench lint --strict"] and len(patterns) == 2
    for entry in entries:
        argv = entry.split()[1:] + ["incidents/2025/01/x/incident.toml"]
        args = build_parser(argv).parse_args(argv)
        assert args.command == "lint"
    for pattern in patterns:
        assert pattern.search("incidents/2025/08/2025-08-05-x/postmortem.md")
        assert pattern.search("incidents/2025/08/2025-08-05-x/review.toml")
        assert pattern.search(".workbench-rules/blame.toml")
        assert not pattern.search("README.md") and not pattern.search("taxonomy.toml")


def test_ci_example_uses_github_annotations():
    text = (ROOT / "docs" / "ci-example.yml").read_text()
    assert "workbench lint --format github" in text
    argv = ["lint", "--format", "github"]
    args = build_parser(argv).parse_args(argv)
    assert args.format == "github"
