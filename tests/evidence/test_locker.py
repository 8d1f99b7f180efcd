"""The evidence locker: copies kept and hashed beside incident.toml, references for what stays
outside, one commit per add, and `workbench validate` noticing altered or missing evidence."""

from __future__ import annotations

import hashlib
import tomllib

import pytest

from workbench.cli import main
from workbench.services.evidence.locker import add_evidence, verify
from workbench.services.validation.files import validate_store
from workbench.store import StoreError

from .conftest import CLAUDE, DATA


def _subjects(store, n=3):
    return store.git.repo.git.log(f"-{n}", "--format=%s").splitlines()


def test_add_copies_file_with_manifest_in_one_commit(example_store):
    record = example_store.load(CLAUDE)
    before = len(example_store.history(CLAUDE))
    new, added = add_evidence(
        example_store, record, [str(DATA / "app.jsonl")], description="summarizer app log", sensitive=True
    )
    entry = added[0]
    kept = new.folder / "evidence" / "app.jsonl"
    assert kept.read_bytes() == (DATA / "app.jsonl").read_bytes()
    data = tomllib.loads((new.folder / "incident.toml").read_text())
    listed = data["evidence"][0]
    assert listed["path"] == "evidence/app.jsonl"
    assert listed["sha256"] == hashlib.sha256(kept.read_bytes()).hexdigest()
    assert listed["size"] == kept.stat().st_size
    assert listed["kind"] == "logs" and listed["sensitive"] is True
    assert listed["added_by"] == "Test Author <author@example.test>"
    assert listed["added"].tzinfo is not None and listed["added"].utcoffset().total_seconds() == 0
    assert listed["description"] == "summarizer app log"
    assert len(example_store.history(CLAUDE)) == before + 1
    head = example_store.git.head_commit()
    assert head.subject == f"{CLAUDE}: evidence: add evidence {entry.id} app.jsonl"
    assert set(head.paths) == {
        f"{new.folder.relative_to(example_store.root).as_posix()}/{p}" for p in ("incident.toml", "evidence/app.jsonl")
    }
    assert verify(example_store, new) == []


def test_same_name_twice_is_kept_apart(example_store, tmp_path):
    other = tmp_path / "app.jsonl"
    other.write_text('{"timestamp": "2025-08-05T16:00:00Z", "message": "other"}\n')
    record, _ = add_evidence(example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl")])
    record, added = add_evidence(example_store, record, [str(other)])
    assert added[0].path == "evidence/app-2.jsonl"
    assert (record.folder / "evidence" / "app-2.jsonl").read_text() == other.read_text()


def test_git_repository_and_url_are_references(example_store, service_repo):
    record = example_store.load(CLAUDE)
    new, added = add_evidence(example_store, record, [str(service_repo), "https://status.example.com/incidents/42"])
    repo_entry, url_entry = added
    head = service_repo.joinpath(".git", "HEAD")
    assert head.exists()
    assert repo_entry.kind == "git-history" and repo_entry.reference == str(service_repo.resolve())
    assert len(repo_entry.revision) == 40 and not repo_entry.path
    assert url_entry.reference == "https://status.example.com/incidents/42" and not url_entry.sha256
    assert not (new.folder / "evidence").exists()  # nothing copied


def test_too_large_is_refused_with_reference_hint_and_nothing_written(example_store, tmp_path):
    big = tmp_path / "huge.log"
    big.write_bytes(b"x" * 2048)
    record = example_store.load(CLAUDE)
    before = len(example_store.history(CLAUDE))
    with pytest.raises(StoreError, match="--reference"):
        add_evidence(example_store, record, [str(DATA / "app.jsonl"), str(big)], max_bytes=1024)
    assert not (record.folder / "evidence").exists()
    assert len(example_store.history(CLAUDE)) == before
    new, added = add_evidence(example_store, record, [str(big)], max_bytes=1024, reference=True)
    assert added[0].reference == str(big.resolve()) and added[0].size == 2048
    assert added[0].sha256 == hashlib.sha256(big.read_bytes()).hexdigest()


def test_size_limit_from_environment(example_store, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_EVIDENCE_MAX_BYTES", "10")
    with pytest.raises(StoreError, match="over the 10 B limit"):
        add_evidence(example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl")])


def test_missing_file_is_refused(example_store, tmp_path):
    with pytest.raises(StoreError, match="no such file"):
        add_evidence(example_store, example_store.load(CLAUDE), [str(tmp_path / "nope.log")])


def test_validate_reports_altered_missing_and_unlisted_evidence(example_store, capsys):
    record, _ = add_evidence(
        example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl"), str(DATA / "pagerduty.json")]
    )
    assert validate_store(example_store) == []
    toml_rel = (record.folder / "incident.toml").relative_to(example_store.root)
    text = (record.folder / "incident.toml").read_text().splitlines()
    (record.folder / "evidence" / "app.jsonl").write_text("tampered\n")
    (record.folder / "evidence" / "pagerduty.json").unlink()
    (record.folder / "evidence" / "stray.txt").write_text("not listed\n")
    problems = [str(p) for p in validate_store(example_store)]
    ids = [e.id for e in record.incident.evidence]
    altered = next(p for p in problems if "was altered" in p)
    line = int(altered.split(":")[1])
    assert altered.startswith(f"{toml_rel}:{line}: evidence[{ids[0]}].sha256: evidence/app.jsonl was altered")
    assert text[line - 1].startswith("sha256 = ")
    assert any(
        p.startswith(f"{toml_rel}:") and f"evidence[{ids[1]}].path: evidence/pagerduty.json is missing" in p
        for p in problems
    )
    assert any("stray.txt" in p and "not listed" in p for p in problems)
    assert main(["--store", str(example_store.root), "validate"]) == 1
    out = capsys.readouterr()
    assert "was altered" in out.out + out.err


def test_cli_add_and_list(example_store, capsys):
    root = str(example_store.root)
    assert (
        main(
            [
                "--store",
                root,
                "evidence",
                "add",
                CLAUDE,
                str(DATA / "gateway.csv"),
                "--describe",
                "gateway log",
                "--sensitive",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "evidence/gateway.csv" in out and "SENSITIVE" in out and "Committed" in out
    assert main(["--store", root, "evidence", "list", CLAUDE]) == 0
    listing = capsys.readouterr().out
    assert "gateway.csv" in listing and "Test Author" in listing and "SENSITIVE gateway log" in listing
    assert main(["--store", root, "evidence", "add", CLAUDE, str(DATA / "gateway.csv"), "--max-size", "5"]) == 2
    assert "--reference" in capsys.readouterr().err


def test_manifest_entry_rules():
    from pydantic import ValidationError

    from workbench.domain.model import Evidence

    with pytest.raises(ValidationError, match="either path"):
        Evidence(id="e-0001", name="x", path="evidence/x", reference="/tmp/x", sha256="a" * 64)
    with pytest.raises(ValidationError, match="inside evidence/"):
        Evidence(id="e-0001", name="x", path="evidence/../incident.toml", sha256="a" * 64)
    with pytest.raises(ValidationError, match="needs its sha256"):
        Evidence(id="e-0001", name="x", path="evidence/x")


def test_remove_takes_the_entry_and_its_copy_off_in_one_commit_and_history_keeps_it(example_store):
    from workbench.services.evidence.locker import remove_evidence

    record, added = add_evidence(
        example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl"), "https://status.example.com/incidents/42"]
    )
    kept, url = added
    folder = record.folder.relative_to(example_store.root).as_posix()
    removed = remove_evidence(example_store, record, kept.id, reason="wrong service's log")
    assert not (record.folder / "evidence" / "app.jsonl").exists()
    data = tomllib.loads((record.folder / "incident.toml").read_text())
    assert [e["id"] for e in data["evidence"]] == [url.id]
    head = example_store.git.head_commit()
    assert head.subject == f"{CLAUDE}: evidence: remove evidence {kept.id} app.jsonl (wrong service's log)"
    assert set(head.paths) == {f"{folder}/incident.toml", f"{folder}/evidence/app.jsonl"}
    import subprocess

    old = subprocess.run(
        ["git", "-C", str(example_store.root), "show", f"HEAD~1:{folder}/evidence/app.jsonl"],
        capture_output=True,
        check=True,
    ).stdout
    assert old == (DATA / "app.jsonl").read_bytes()  # git history keeps the removed file, byte for byte
    assert verify(example_store, removed.record) == []  # nothing unlisted left behind
    # A reference has no copy: only its entry goes.
    removed = remove_evidence(example_store, removed.record, url.id)
    assert tomllib.loads((record.folder / "incident.toml").read_text()).get("evidence", []) == []


def test_remove_is_refused_while_a_checklist_line_is_backed_by_it(example_store):
    from workbench.services.evidence.collection import mark
    from workbench.services.evidence.locker import remove_evidence

    record, (kept,) = add_evidence(example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl")])
    record = mark(example_store, record, "logs", "gathered", evidence=[kept.id])
    head = example_store.git.head_commit().sha
    with pytest.raises(StoreError, match=f"evidence {kept.id} backs the data-collection line"):
        remove_evidence(example_store, record, kept.id)
    assert (record.folder / "evidence" / "app.jsonl").exists()
    assert example_store.git.head_commit().sha == head
    with pytest.raises(StoreError, match="has no evidence 'e-0000'"):
        remove_evidence(example_store, record, "e-0000")


def test_cli_evidence_remove(example_store, capsys):
    record, (kept,) = add_evidence(example_store, example_store.load(CLAUDE), [str(DATA / "app.jsonl")])
    assert main(["--store", str(example_store.root), "evidence", "remove", CLAUDE, kept.id]) == 0
    out = capsys.readouterr().out
    assert f"remove evidence {kept.id} app.jsonl" in out
    assert not (record.folder / "evidence" / "app.jsonl").exists()
    assert main(["--store", str(example_store.root), "evidence", "remove", CLAUDE, kept.id]) == 2
    assert f"has no evidence {kept.id!r}" in capsys.readouterr().err
