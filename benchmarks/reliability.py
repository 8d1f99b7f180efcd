#!/usr/bin/env python3
"""Reliability figures: the crash harness, hostile-input timings, and the entry-by-entry merge.

    .venv/bin/python benchmarks/reliability.py [--cycles 1000] [--merges 300] [--seed N]

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
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

os.environ.setdefault("GIT_AUTHOR_NAME", "Benchmark")
os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.test")
os.environ.setdefault("GIT_COMMITTER_NAME", "Benchmark")
os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@example.test")

import crash_harness  # noqa: E402

from workbench.domain.model import Incident  # noqa: E402
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
    """Random concurrent edits to the bundled incidents, merged by the driver's function."""
    rng = random.Random(seed)
    paths = sorted((bundled_root() / "incidents").glob("*/*/*/incident.toml"))
    clean = conflicted = invalid = 0
    for _ in range(count):
        base_text = read_text(rng.choice(paths)).text
        base = decode_incident(base_text, Path("x"))
        ours, theirs = _edit(base, rng, "ours"), _edit(base, rng, "theirs")
        merged, conflicts = merge_texts(base_text, encode_incident(ours, base_text), encode_incident(theirs, base_text))
        try:
            Incident.model_validate(tomllib.loads(merged))
        except Exception:
            invalid += 1
        if conflicts:
            conflicted += 1
        else:
            clean += 1
    return {"concurrent edit pairs": count, "merged cleanly": clean, "same-field conflicts": conflicted,
            "merged file invalid": invalid}


def _edit(incident: Incident, rng: random.Random, side: str) -> Incident:
    timeline = list(incident.timeline)
    kind = rng.choice(["add", "field", "summary"])
    if kind == "add" or not timeline:
        entry = timeline[0].model_copy(update={"id": f"t-{rng.randrange(16**4):04x}", "event": f"{side} adds"}) \
            if timeline else None
        if entry:
            timeline.insert(rng.randrange(len(timeline) + 1), entry)
        return incident.model_copy(update={"timeline": timeline})
    if kind == "field":
        i = rng.randrange(len(timeline))
        field = rng.choice(["event", "source"])
        timeline[i] = timeline[i].model_copy(update={field: f"{field} edited by {side}"})
        return incident.model_copy(update={"timeline": timeline})
    return incident.model_copy(update={"summary": f"summary by {side}"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--merges", type=int, default=300)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    report = {"merge driver": merges(args.merges, args.seed), "hostile input": hostile(),
              "crash harness": crash(args.cycles, args.seed)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
