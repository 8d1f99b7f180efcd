"""benchmarks/blame_features.py keeps the training script's parses on disk: rows parsed by the same code are read
back without spaCy, and a cache written by other code (any change to a source that makes features) is never read.

benchmarks/ is not a package, so the module is loaded by path; every cache and source tree is under tmp_path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load() -> ModuleType:
    key = "wb_eval_blame_features"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, ROOT / "benchmarks" / "blame_features.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module


def sources(root: Path, grammar: str) -> list[str]:
    (root / "checks").mkdir(parents=True, exist_ok=True)
    (root / "checks" / "grammar.py").write_text(grammar, encoding="utf-8")
    (root / "checks" / "blame_model.json").write_text('{"weights": {}}', encoding="utf-8")
    (root / "eval.py").write_text("PEOPLE = ()\n", encoding="utf-8")
    return ["checks", "eval.py"]


def test_version_follows_the_code_that_makes_features_but_not_the_weights(tmp_path: Path) -> None:
    features = load()
    names = sources(tmp_path, "RULES = 1\n")
    first = features.version(names, tmp_path, extra="spacy=3")

    (tmp_path / "checks" / "blame_model.json").write_text('{"weights": {"u:x": 1.0}}', encoding="utf-8")
    assert features.version(names, tmp_path, extra="spacy=3") == first  # a refit keeps the parses

    (tmp_path / "checks" / "grammar.py").write_text("RULES = 2\n", encoding="utf-8")
    assert features.version(names, tmp_path, extra="spacy=3") != first
    sources(tmp_path, "RULES = 1\n")
    assert features.version(names, tmp_path, extra="spacy=4") != first  # a new parser too


def test_a_stale_cache_is_not_read_and_is_removed_when_the_new_one_is_saved(tmp_path: Path) -> None:
    features = load()
    folder = tmp_path / "cache"
    old = features.Cache("features", "aaaa", folder)
    key = features.Cache.key("lesson", "Kim forgot the runbook.")
    old.put(key, (False, True, ((("u:forget",), True),)))
    old.save()

    again = features.Cache("features", "aaaa", folder)
    assert again.get(key) == (False, True, ((("u:forget",), True),))

    stale = features.Cache("features", "bbbb", folder)  # the code changed since
    assert stale.get(key) is None
    stale.put(features.Cache.key("lesson", "x"), (False, False, ()))
    stale.save()
    assert sorted(p.name for p in folder.iterdir()) == ["features-bbbb.pickle"]


def test_a_damaged_cache_file_starts_afresh(tmp_path: Path) -> None:
    features = load()
    (tmp_path / "features-cccc.pickle").write_bytes(b"not a pickle")
    assert features.Cache("features", "cccc", tmp_path).entries == {}


def test_featurise_parses_only_what_the_cache_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    features = load()
    from workbench.services.review.checks import blame_grammar

    parsed: list[str] = []

    def analyse(texts: list[str], places: list[str], people: Any = ()) -> list[list[Any]]:
        parsed.extend(texts)
        return [[] for _ in texts]

    monkeypatch.setattr(blame_grammar, "analyse", analyse)
    people = ("Kim",)
    cached = "Kim skipped the canary."
    fresh = "Kim forgot the canary."
    cache = features.Cache("features", "dddd", tmp_path)
    cache.put(features.Cache.key("cause", cached, "Kim", "True"), (True, True, ((("u:skip",), True),)))

    out = features.featurise([("cause", cached, True), ("cause", fresh, True)], people, cache)

    assert parsed == [fresh]  # the cached row is not parsed again
    assert out[0] == (True, True, ((("u:skip",), True),))
    assert out[1][1] is True  # the fresh one went through the pre-filter and the parse
    assert features.Cache("features", "dddd", tmp_path).get(features.Cache.key("cause", fresh, "Kim", "True"))

    parsed.clear()
    features.featurise([("cause", cached, True)], people, features.Cache("features", "eeee", tmp_path))
    assert parsed == [cached]  # under another version the same text is parsed again
