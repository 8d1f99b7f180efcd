#!/usr/bin/env python3
"""Reliability figures: the crash harness, hostile-input timings, and the entry-by-entry merge.

    .venv/bin/python benchmarks/reliability.py [--cycles 1000] [--merges 1000] [--seed N] [--only merges|hostile|crash]

Prints JSON. The crash harness is the one the tests run (tests/crash_harness.py); the store lives on
/dev/shm when there is one (a SIGKILL does not lose the page cache, so fsync speed is irrelevant to it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

os.environ.setdefault("GIT_AUTHOR_NAME", "Benchmark")
os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.test")
os.environ.setdefault("GIT_COMMITTER_NAME", "Benchmark")
os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@example.test")

import crash_harness  # noqa: E402
import merge_pairs  # noqa: E402

from workbench.services.bundled import bundled_root  # noqa: E402
from workbench.store.errors import StoreError  # noqa: E402
from workbench.store.textio import MAX_FILE_BYTES, read_text  # noqa: E402
from workbench.store.tomlfile import decode_incident, encode_incident  # noqa: E402
from workbench.store.tomlmerge import merge_texts  # noqa: E402


def crash(cycles: int, seed: int) -> dict:
    base = Path(tempfile.mkdtemp(dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None, prefix="wb-bench-"))
    try:
        figures = crash_harness.run(base / "store", min_cycles=cycles, max_delay=2.0, seed=seed)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return json.loads(figures.as_json())


def hostile() -> dict:
    cases = {
        "nested arrays x10000": "a = " + "[" * 10_000 + "]" * 10_000 + "\n",
        "nested inline tables x10000": "a = " + "{b = " * 10_000 + "1" + "}" * 10_000 + "\n",
        "dotted key x10000": "a" + ".a" * 10_000 + " = 1\n",
        "table header x10000": "[" + ".".join(["a"] * 10_000) + "]\n",
        "conflict markers": "<<<<<<< a\nx = 1\n=======\nx = 2\n>>>>>>> b\n",
    }
    out = {}
    for name, text in cases.items():
        start = time.perf_counter()
        try:
            decode_incident(text, Path("incident.toml"))
        except StoreError:
            pass
        out[name] = round(time.perf_counter() - start, 4)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "incident.toml"
        with open(big, "wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
        start = time.perf_counter()
        try:
            read_text(big)
        except StoreError:
            pass
        out["4 MiB + 1 file"] = round(time.perf_counter() - start, 4)
    out["slowest (s)"] = max(out.values())
    return out


def merges(count: int, seed: int) -> dict:
    """Random concurrent edit pairs of every shape (tests/merge_pairs.py) on the bundled incidents, merged
    by the driver's function: crashes, invalid results, conflicts other than the expected ones, lost edits."""
    rng = random.Random(seed)
    paths = sorted((bundled_root() / "incidents").glob("*/*/*/incident.toml"))
    texts = [read_text(p).text for p in paths]
    clean = conflicted = crashed = invalid = wrong_conflicts = lost = 0
    shapes: set[str] = set()
    conflict_kinds: dict[str, int] = {}
    for _ in range(count):
        base_text = rng.choice(texts)
        base = decode_incident(base_text, Path("base.toml"))
        ours, theirs = merge_pairs.make_edit(base, rng, "ours"), merge_pairs.make_edit(base, rng, "theirs")
        shapes.add(" x ".join(sorted((ours.shape, theirs.shape))))
        try:
            text, conflicts = merge_texts(
                base_text, encode_incident(ours.incident, base_text), encode_incident(theirs.incident, base_text)
            )
        except Exception:
            crashed += 1
            continue
        try:
            merged = decode_incident(text, Path("merged.toml"))
        except StoreError:
            invalid += 1
            continue
        got = {c.field for c in conflicts}
        if got != merge_pairs.expected_conflicts(ours, theirs):
            wrong_conflicts += 1
        if merge_pairs.missing_changes(merged, ours, got) or merge_pairs.missing_changes(merged, theirs, got):
            lost += 1
        if conflicts:
            conflicted += 1
            for c in conflicts:
                kind = "entry edited or cited x deleted" if c.field.endswith("]") else "same field, two values"
                conflict_kinds[kind] = conflict_kinds.get(kind, 0) + 1
        else:
            clean += 1
    return {
        "concurrent edit pairs": count,
        "shape pairs seen": len(shapes),
        "merged cleanly": clean,
        "pairs with the expected conflicts": conflicted,
        "conflicts by kind": conflict_kinds,
        "crashed": crashed,
        "merged file invalid": invalid,
        "conflicts other than expected": wrong_conflicts,
        "pairs with an edit lost": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--merges", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--only", choices=["merges", "hostile", "crash"], help="run one part")
    args = parser.parse_args()
    parts = {
        "merge driver": lambda: merges(args.merges, args.seed),
        "hostile input": hostile,
        "crash harness": lambda: crash(args.cycles, args.seed),
    }
    names = {"merges": "merge driver", "hostile": "hostile input", "crash": "crash harness"}
    report = {name: run() for name, run in parts.items() if args.only is None or names[args.only] == name}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
