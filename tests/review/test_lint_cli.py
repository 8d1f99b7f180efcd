"""`workbench lint`: formats, exit status, path selection (pre-commit passes file names), bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.cli.lint_cmds import github_line
from workbench.domain.model import Incident
from workbench.services.review.checks import Finding


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def clean_store(empty_store):
    """One P2 light review at scoping, written to the method: lints clean."""
    incident = Incident(
        id="2025-03-04-clean",
        title="Clean",
        severity="P2",
        review="light",
        summary="The reranker fell back to BM25 for 14 minutes; 212 queries were affected.",
        # the figure in the summary is sourced where it is recorded (sources.figure-in-prose)
        impact={"requests_affected": {"value": 212, "unit": "queries", "source": "gateway log query"}},
    )
    empty_store.create(incident, "## Technical Analysis\n\nFallback.\n")  # the summary is the field
    return empty_store


def test_clean_store_exits_0(capsys, clean_store):
    code, out = run(capsys, "--store", str(clean_store.root), "lint")
    assert code == 0 and out.strip().startswith("1 incident(s): 0 error(s), 0 warning(s)")


def test_errors_exit_1_and_warnings_only_with_strict(capsys, clean_store):
    record = clean_store.load("2025-03-04-clean")
    warned = record.incident.model_copy(update={"timeline": []})
    warned = Incident.model_validate({**warned.model_dump(), "observations": [{"id": "o-0001", "behaviour": "x"}]})
    record = clean_store.save(record, warned, where="test", what="add an observation without a rate")
    assert run(capsys, "--store", str(clean_store.root), "lint")[0] == 0
    assert run(capsys, "--store", str(clean_store.root), "lint", "--strict")[0] == 1
    blamed = Incident.model_validate({**warned.model_dump(), "summary": "Human error by the on-call."})
    clean_store.save(record, blamed, where="test", what="blame")
    code, out = run(capsys, "--store", str(clean_store.root), "lint")
    assert code == 1 and "error blame.language" in out


def test_github_annotations_point_at_file_and_line(capsys, clean_store):
    record = clean_store.load("2025-03-04-clean")
    clean_store.save(
        record,
        record.incident,
        "## Executive Summary\n\nThe operator was careless.\n\n## Technical Analysis\n\nFallback.\n",
        where="test",
        what="narrative",
    )
    code, out = run(capsys, "--store", str(clean_store.root), "lint", "--format", "github")
    folder = clean_store.display(clean_store.folder_of("2025-03-04-clean")).as_posix()
    assert code == 1
    assert f'::error file={folder}/postmortem.md,line=3,title=blame.language::blame language "careless"' in out


def test_github_escaping():
    f = Finding("blame.language", "warning", "50% of it\nnext", "fix, please", "a,b:c.toml", None, "", 7)
    assert github_line(f) == (
        "::warning file=a%2Cb%3Ac.toml,line=7,title=blame.language::50%25 of it%0Anext — fix: fix, please"
    )


def test_json_lists_everything_by_incident(capsys, example_store):
    code, out = run(capsys, "--store", str(example_store.root), "lint", "--format", "json")
    data = json.loads(out)
    assert len(data["incidents"]) == 3 and data["counts"]["info"] > 0
    assert code == (1 if data["counts"]["error"] else 0)
    one = data["incidents"][0]
    assert {"rule", "severity", "message", "fix", "file", "line", "entry"} <= set(one["findings"][0])
    assert one["findings"][0]["file"].startswith(one["folder"] + "/")


def test_paths_select_incidents_like_pre_commit(capsys, example_store, monkeypatch):
    monkeypatch.chdir(example_store.root)
    folder = example_store.display(example_store.folder_of("2024-12-04-ultralytics-pypi-supply-chain-compromise"))
    _, out = run(capsys, "lint", str(folder / "postmortem.md"), "README.md")
    assert out.strip().splitlines()[-1].startswith("1 incident(s)")
    _, out = run(capsys, "lint", "incidents/2024")
    assert out.strip().splitlines()[-1].startswith("2 incident(s)")
    _, out = run(capsys, "lint", "README.md")  # not an incident file: nothing to check
    assert out.strip().startswith("0 incident(s)")


def test_unreadable_incident_is_a_finding_not_a_traceback(capsys, clean_store):
    path = clean_store.folder_of("2025-03-04-clean") / "incident.toml"
    text = path.read_text().replace('title = "Clean"\n', 'title = "Clean"\nseverity = "P9"\n')
    path.write_text(text)
    line = text.splitlines().index('severity = "P9"') + 1
    code, out = run(capsys, "--store", str(clean_store.root), "lint")
    assert code == 1
    assert f"incident.toml:{line}: error load.invalid: expected 'P0', 'P1' or 'P2'" in out


def test_bad_team_rules_exit_2_with_file_and_line(capsys, clean_store):
    rules = clean_store.root / ".workbench-rules"
    rules.mkdir()
    (rules / "blame.toml").write_text("[[phrases]]\nid = \"x\"\npattern = '('\n")
    code = main(["--store", str(clean_store.root), "lint"])
    err = capsys.readouterr().err
    assert code == 2 and ".workbench-rules/blame.toml:3" in err and "phrases[0].pattern" in err


def test_not_in_a_store(capsys, tmp_path: Path):
    (tmp_path / "x.md").write_text("hi")
    code = main(["lint", str(tmp_path / "x.md")])
    assert code == 2 and "not inside a workbench store" in capsys.readouterr().err


def test_path_outside_the_store(capsys, clean_store, tmp_path: Path):
    other = tmp_path / "elsewhere" / "incident.toml"
    other.parent.mkdir()
    other.write_text("id = 1\n")
    code = main(["--store", str(clean_store.root), "lint", str(other)])
    assert code == 2 and "is outside the store" in capsys.readouterr().err
