"""`workbench search`: human and JSON output, --limit, exit codes, and that it keeps the index fresh."""

from __future__ import annotations

import json

from workbench.cli import main


def test_human_output_marks_matched_characters(gen_store, needles, capsys):
    assert main(["--store", str(gen_store), "search", "speculative", "decodng", "marigold", "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f" 1. {needles['title-typo']}  ")
    assert out[1] == "    title: [Speculative] [decoding] acceptance collapse on the [Marigold] draft model"
    assert len([line for line in out if line[:3].strip().endswith(".")]) == 3


def test_color_marks_with_ansi_when_asked(gen_store, capsys):
    assert main(["--store", str(gen_store), "search", "marigold", "--limit", "1", "--color", "always"]) == 0
    assert "\x1b[1;4;33mMarigold\x1b[0m" in capsys.readouterr().out


def test_json_shape(gen_store, needles, capsys):
    assert main(["--store", str(gen_store), "search", "--json", "--limit", "2", "brackenridge shard"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "brackenridge shard"
    assert data["index"]["rebuilt"] == "there was no index yet"
    assert len(data["hits"]) == 2 and data["total"] >= 2
    first = data["hits"][0]
    assert first["id"] == needles["timeline-only"] and first["type"] == "incident"
    assert first["field"].startswith("timeline[t-") and first["entry"].startswith("t-") and first["kind"] == "event"
    assert [first["snippet"][a:b] for a, b in first["spans"]] == ["Brackenridge", "shard"]
    assert set(first) >= {"severity", "stage", "started", "path", "score", "matched_words"}
    # The second run reuses the index the first one wrote.
    assert main(["--store", str(gen_store), "search", "--json", "marigold"]) == 0
    assert json.loads(capsys.readouterr().out)["index"] == {"rebuilt": None, "updated": 0}


def test_limit_and_filters(gen_store, capsys):
    assert main(["--store", str(gen_store), "search", "--json", "--limit", "1000", "severity:P0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hits"] and all(h["severity"] == "P0" for h in data["hits"])
    assert len(data["hits"]) == data["total"]
    assert main(["--store", str(gen_store), "search", "--json", "--limit", "1", "severity:P0"]) == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 1


def test_exit_codes(gen_store, capsys):
    assert main(["--store", str(gen_store), "search", "zzqqxxyy"]) == 1
    assert "nothing found" in capsys.readouterr().err
    assert main(["--store", str(gen_store), "search", "kv", "colour:blue"]) == 2
    err = capsys.readouterr().err
    assert "colour:blue" in err and "unknown filter" in err and "Traceback" not in err
    assert main(["--store", str(gen_store), "search", "before:someday"]) == 2
    assert "before:someday" in capsys.readouterr().err
    assert main(["--store", str(gen_store), "search", "--limit", "0", "x"]) == 2


def test_finds_an_outside_edit_without_any_other_step(gen_store, needles, capsys):
    assert main(["--store", str(gen_store), "search", "marigold"]) == 0
    md = next(gen_store.glob(f"incidents/*/*/{needles['lesson']}/postmortem.md"))
    md.write_text(md.read_text() + "\nThe ravenscourt replica lagged.\n")
    capsys.readouterr()
    assert main(["--store", str(gen_store), "search", "--json", "ravenscourt"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in data["hits"]] == [needles["lesson"]] and data["index"]["updated"] == 1
