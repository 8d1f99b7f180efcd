"""Diagnostics from evidence files (hash-checked), saved and re-run; the `workbench diagnose` command line."""

from __future__ import annotations

import json
import tomllib

import pytest

from workbench.cli import main
from workbench.services.diagnostics import InputError, add, compute, new_diagnostic, rerun
from workbench.services.evidence.locker import add_evidence

OPENAI = "2024-12-11-openai-telemetry-control-plane-outage"


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def with_files(example_store, tmp_path):
    """OPENAI with an eval run before and after (same items), an exposure CSV and an OTLP export kept."""
    before = [{"id": f"q{i}", "pass": i % 10 != 0} for i in range(60)]  # 54 of 60 pass
    after = [{"id": f"q{i}", "pass": i % 4 != 0} for i in range(60)]  # 45 of 60 pass
    spans = [{"name": "chat", "status": {"code": 2 if i < 3 else 1}} for i in range(20)]
    files = [
        _write(tmp_path / "eval-before.jsonl", "\n".join(json.dumps(r) for r in before) + "\n"),
        _write(tmp_path / "eval-after.jsonl", "\n".join(json.dumps(r) for r in after) + "\n"),
        _write(tmp_path / "exposures.csv", "arm,count\ncontrol,5500\ntreatment,4000\ntreatment,500\n"),
        _write(tmp_path / "traces-otlp.json", json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]})),
    ]
    record, added = add_evidence(example_store, example_store.load(OPENAI), files)
    return example_store, record, {e.name: e.id for e in added}


def test_evidence_inputs_are_read_and_their_hashes_recorded(with_files):
    store, record, ids = with_files
    incident, folder = record.incident, record.folder
    computed, saved = compute(
        "eval-delta", {"evidence_a": ids["eval-before.jsonl"], "evidence_b": ids["eval-after.jsonl"]}, incident, folder
    )
    assert computed.result["paired"] is True and computed.result["p_a"] == 0.9 and computed.result["p_b"] == 0.75
    assert "McNemar" in computed.result["method"] and len(saved["sha256_a"]) == 64
    computed, saved = compute("srm", {"evidence": ids["exposures.csv"]}, incident, folder)
    assert computed.result["total"] == 10000 and computed.result["flagged"] is True
    assert "control 5,500 / treatment 4,500" in computed.sentence
    computed, _ = compute("reproduction", {"evidence": ids["traces-otlp.json"]}, incident, folder)
    assert (computed.result["k"], computed.result["n"]) == (3, 20) and "spans (ERROR status)" in computed.sentence
    computed, _ = compute("reproduction", {"evidence": ids["eval-after.jsonl"]}, incident, folder)
    assert (computed.result["k"], computed.result["n"]) == (15, 60)


def test_an_altered_file_is_refused_and_a_rerun_says_stale(with_files):
    store, record, ids = with_files
    diagnostic, _ = new_diagnostic(record.incident, "srm", {"evidence": ids["exposures.csv"]}, folder=record.folder)
    incident = add(record.incident, diagnostic)
    assert rerun(diagnostic, incident, record.folder).status == "same"
    path = record.folder / next(e.path for e in incident.evidence if e.id == ids["exposures.csv"])
    path.write_text("arm\ncontrol\ntreatment\n")
    again = rerun(diagnostic, incident, record.folder)
    assert again.status == "stale" and "was altered" in again.error and "not used" in again.error
    with pytest.raises(InputError, match="evidence: .* no evidence e-0000"):
        compute("srm", {"evidence": "e-0000"}, incident, record.folder)


def test_a_rerun_that_differs_says_so(with_files):
    store, record, _ = with_files
    diagnostic, _ = new_diagnostic(record.incident, "reproduction", {"k": 3, "n": 20})
    tampered = diagnostic.model_copy(update={"result": {**diagnostic.result, "high": 0.5}})
    result = rerun(tampered, add(record.incident, tampered), record.folder)
    assert result.status == "changed" and result.changed == {"high": (0.5, 0.378927)}
    assert "re-run DIFFERS: high 0.5 → 0.378927" in result.describe()


def test_cli_prints_json_and_one_line_errors(capsys):
    assert main(["diagnose", "reproduction", "--k", "3", "--n", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["result"]["low"] == 0.0320709 and out["computed_with"].startswith("scipy ")
    assert main(["diagnose", "eval-delta", "--a", "80/100", "--b", "seventy/100"]) == 2
    err = capsys.readouterr().err
    assert err == "workbench: --b: not a number: 'seventy'\n"
    assert main(["diagnose", "srm", "--counts", "5,5", "--expected", "1,1,1"]) == 2
    assert capsys.readouterr().err == "workbench: diagnose srm: expected: 3 weights for 2 arms\n"
    assert main(["diagnose", "impact", "requests", "--rate", "16%", "--traffic", "1000", "--window", "2"]) == 0
    assert "= 320 requests" in capsys.readouterr().out


def test_every_cli_option_fills_an_input_of_its_kind_and_every_input_has_one(capsys):
    """The options table (cli/diagnose_cmds.py) against the runner's inputs: no option reads into a name the
    runner refuses, and every input a person gives (all but the evidence hashes) has its option."""
    from workbench.cli.diagnose_cmds import KIND_OPTIONS
    from workbench.services.diagnostics.runner import INPUT_KEYS

    assert set(KIND_OPTIONS) == set(INPUT_KEYS)
    for kind, options in KIND_OPTIONS.items():
        filled = [k for o in options for k in (o.key if isinstance(o.key, tuple) else (o.key or o.dest,))]
        assert set(filled) == {k for k in INPUT_KEYS[kind] if not k.startswith("sha256")}, kind
    # --price serves two calculations under one flag, each into its own input.
    for calc, key in (("compute", "price_per_gpu_hour"), ("tokens", "price_per_million")):
        extra = ["--gpu-hours", "10"] if calc == "compute" else ["--tokens", "1000000"]
        assert main(["diagnose", "impact", calc, *extra, "--price", "3", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["inputs"][key] == 3


def test_cli_save_cite_and_rerun(with_files, capsys):
    store, record, ids = with_files
    root = str(store.root)
    cause = record.incident.causes[0].id
    assert (
        main(
            [
                "--store",
                root,
                "diagnose",
                "srm",
                "--incident",
                OPENAI,
                "--evidence",
                ids["exposures.csv"],
                "--claim",
                "the canary split held",
                "--save",
                "--cite",
                cause,
                "--json",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    dx = payload["id"]
    data = tomllib.loads((store.folder_of(OPENAI) / "incident.toml").read_text())
    saved = next(d for d in data["diagnostics"] if d["id"] == dx)
    assert saved["inputs"]["evidence"] == ids["exposures.csv"] and len(saved["inputs"]["sha256"]) == 64
    assert saved["claim"] == "the canary split held" and saved["result"]["flagged"] is True
    assert dx in next(c for c in data["causes"] if c["id"] == cause)["diagnostics"]
    assert store.git.head_commit().subject == f"{OPENAI}: diagnostics: add {dx} (sample ratio mismatch)"
    assert main(["--store", root, "diagnose", "rerun", OPENAI]) == 0
    assert f"{dx}: re-run gives the same result" in capsys.readouterr().out.splitlines()
    assert main(["--store", root, "diagnose", "rerun", OPENAI, "dx-0000"]) == 2
    assert "has no diagnostic dx-0000" in capsys.readouterr().err
    assert (
        main(
            [
                "--store",
                root,
                "diagnose",
                "impact",
                "compute",
                "--gpu-hours",
                "10",
                "--price",
                "2",
                "--incident",
                OPENAI,
                "--save",
            ]
        )
        == 0
    )
    data = tomllib.loads((store.folder_of(OPENAI) / "incident.toml").read_text())
    assert data["impact"]["cost_usd"]["value"] == 20 and data["impact"]["cost_usd"]["source"].endswith(
        "10 GPU-hours × $2/GPU-hour"
    )
    assert main(["--store", root, "diagnose", "srm", "--counts", "1,1", "--save"]) == 2
    assert capsys.readouterr().err.strip().endswith("--save needs --incident ID")


def test_every_input_a_person_gives_has_a_field_in_the_diagnostics_form():
    """The Diagnostics form (ui/diagnostic_form.py) against the runner's inputs, as the CLI's options are above:
    an input only the command line could give (the OTLP span filter was one) is a gap in the app."""
    from workbench.domain.model import Incident
    from workbench.services.diagnostics.runner import INPUT_KEYS
    from workbench.ui.diagnostic_form import inputs_of, kind_fields

    incident = Incident.model_validate({"id": "2025-01-01-form", "title": "Form", "severity": "P2"})
    for kind, keys in INPUT_KEYS.items():
        fields = {f.name for f in kind_fields(kind, incident)} - {"claim"}
        assert fields == {k for k in keys if not k.startswith("sha256")}, kind
    assert inputs_of("reproduction", {"evidence": "ev-1", "span_name": "llm.generate"})["span_name"] == "llm.generate"
