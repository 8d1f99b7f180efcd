"""The evaluation harnesses keep the held-back sets unseen and check fetched texts against their manifests.

benchmarks/ is not a package, so the two scripts are loaded by path. Nothing here reads ../shared: every folder
and manifest is written under tmp_path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load(name: str) -> ModuleType:
    key = f"wb_eval_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module


def test_blame_eval_refuses_errors_on_the_held_back_part_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blame_eval = load("blame_eval")
    assert blame_eval.HELD_BACK == "heldout15"
    (tmp_path / "blame_eval").mkdir()
    for part in ("heldout15", "heldout14"):
        (tmp_path / "blame_eval" / f"{part}.toml").write_text(
            '[[sentence]]\nplace = "timeline"\nblame = false\ntext = "10:02 canary rolled back by the pipeline"\n',
            encoding="utf-8",
        )
    monkeypatch.setattr(blame_eval, "HERE", tmp_path)

    assert blame_eval.main(["--errors"]) == 2  # the default part is the held-back one
    assert "refused on heldout15" in capsys.readouterr().out

    assert blame_eval.main(["--part", "heldout14", "--errors"]) == 0  # development material now
    out = capsys.readouterr().out
    assert "1 sentences (0 blame)" in out
    assert "refused" not in out


def test_blame_train_learns_writers_14_to_19_but_never_the_held_back_part(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blame_train = load("blame_train")
    blame_eval = load("blame_eval")
    assert blame_train.NEVER_LEARNT == blame_eval.HELD_BACK
    assert blame_eval.HELD_BACK not in blame_train.WRITERS
    assert blame_train.WRITERS["heldout9"] == "writer 14 (heldout9)"
    assert blame_train.WRITERS["heldout10"] == "writer 15 (heldout10)"
    assert blame_train.WRITERS["heldout11"] == "writer 16 (heldout11)"
    assert blame_train.WRITERS["heldout12"] == "writer 17 (heldout12)"
    assert blame_train.WRITERS["heldout13"] == "writer 18 (heldout13)"
    assert blame_train.WRITERS["heldout14"] == "writer 19 (heldout14)"
    for part in ("heldout14", "heldout15"):
        (tmp_path / f"{part}.toml").write_text(
            f'[[sentence]]\nplace = "action"\nblame = true\ntext = "a line of {part}"\n', encoding="utf-8"
        )
    monkeypatch.setattr(blame_train, "CORPUS", tmp_path)

    rows = blame_train.labelled(["heldout14", "heldout15"])

    assert [(r.part, r.text) for r in rows] == [("heldout14", "a line of heldout14")]  # read, and learnt
    assert "heldout15 is the held-back part: never learnt" in capsys.readouterr().out


def test_import_eval_refuses_show_on_the_held_back_set_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_eval = load("import_eval")
    assert import_eval.HELD_BACK == "heldout15"
    assert import_eval.main(["--set", "heldout15", "--show"]) == 2
    assert "refused on heldout15" in capsys.readouterr().out

    # heldout14 is development material: --show is accepted and an absent folder ends cleanly.
    monkeypatch.setitem(import_eval.PROSE_FRESH, "heldout14", tmp_path / "absent14")
    assert import_eval.main(["--set", "heldout14", "--show"]) == 0
    assert "nothing to measure" in capsys.readouterr().out


def test_import_eval_exits_cleanly_without_the_heldout15_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_eval = load("import_eval")
    monkeypatch.setitem(import_eval.PROSE_FRESH, "heldout15", tmp_path / "postmortems-heldout15")
    assert import_eval.main(["--set", "heldout15"]) == 0
    out = capsys.readouterr().out
    assert "nothing to measure" in out
    assert "postmortems-heldout15" in out


def test_import_eval_ends_cleanly_while_split_lists_no_held_back_set(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between a fresh set's texts being fetched and its expected facts being merged, the folder exists but
    # split.toml does not name the set yet.
    import_eval = load("import_eval")
    (tmp_path / "postmortems-heldout15").mkdir()
    monkeypatch.setitem(import_eval.PROSE_FRESH, "heldout15", tmp_path / "postmortems-heldout15")
    (tmp_path / "import_eval").mkdir()
    (tmp_path / "import_eval" / "split.toml").write_text("dev = []\n", encoding="utf-8")
    monkeypatch.setattr(import_eval, "EVAL", tmp_path / "import_eval")
    assert import_eval.main(["--set", "heldout15"]) == 0
    assert "lists no heldout15 set yet" in capsys.readouterr().out


def test_unverified_names_texts_that_differ_from_the_manifest(tmp_path: Path) -> None:
    import_eval = load("import_eval")
    good, bad = "# A\n\nAll times in CET\n", "# B\n\n### 10:00\n"
    (tmp_path / "good.md").write_text(good, encoding="utf-8")
    (tmp_path / "bad.md").write_text(bad + "edited\n", encoding="utf-8")
    manifest = tmp_path / "sources.tsv"
    rows = [
        "# saved_file\trepo\tpath_in_repo\tcommit\tsha256\tchars\tlicense\tnote",
        "\t".join(
            ["good.md", "o/r", "a.md", "c" * 40, hashlib.sha256(good.encode()).hexdigest(), str(len(good)), "MIT"]
        ),
        "\t".join(["bad.md", "o/r", "b.md", "c" * 40, hashlib.sha256(bad.encode()).hexdigest(), str(len(bad)), "MIT"]),
        "\t".join(["missing.md", "o/r", "m.md", "c" * 40, "0" * 64, "1", "MIT"]),
    ]
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert import_eval.unverified(tmp_path, manifest) == {"bad.md"}
    assert import_eval.unverified(tmp_path, tmp_path / "no-manifest.tsv") == set()
    assert set(import_eval.MANIFESTS) == {f"heldout{n}" for n in range(3, 16)}
    assert import_eval.FRESH_SETS[-1] == import_eval.HELD_BACK  # the newest writer's set is the held-back one
