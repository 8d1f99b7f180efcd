#!/usr/bin/env python3
"""Figures for the second reliability round: form journaling, the read-only viewer, the push guard.

    .venv/bin/python benchmarks/reliability_s2.py [--writes 200] [--dir FOLDER]

Prints JSON: the time one form journal write takes (it runs in a worker thread, so typing never waits for
it; this is how far behind the disk the journal can be), the time to turn a 4 MiB file with bad bytes into
viewer lines, and what opening a private store costs once its hook is in place.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for key, value in {
    "GIT_AUTHOR_NAME": "Benchmark",
    "GIT_AUTHOR_EMAIL": "bench@example.test",
    "GIT_COMMITTER_NAME": "Benchmark",
    "GIT_COMMITTER_EMAIL": "bench@example.test",
}.items():
    os.environ.setdefault(key, value)

from workbench.services.bundled import default_taxonomy_text, make_example_store  # noqa: E402
from workbench.services.validation.rawview import raw_view  # noqa: E402
from workbench.store import Store  # noqa: E402
from workbench.ui.form_journal import FormJournal  # noqa: E402


def ms(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(values[int(len(values) * 0.95) - 1] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--dir", help="where the stores go (default /dev/shm; a disk folder shows fsync's cost)")
    args = parser.parse_args()
    out: dict[str, object] = {}
    where = args.dir or ("/dev/shm" if Path("/dev/shm").is_dir() else None)
    with tempfile.TemporaryDirectory(dir=where) as tmp:
        store = make_example_store(Path(tmp) / "store")
        incident_id = store.ids()[0]
        journal = FormJournal(store, incident_id, "overview", "edit_impact", None, "Edit impact")
        values = {f"field_{n}": "A sentence typed into a form field, as a user would. " * 3 for n in range(30)}
        times = []
        for n in range(args.writes):
            start = time.perf_counter()
            journal.write(n, {**values, "field_0": f"{n}"})
            times.append(time.perf_counter() - start)
        out["form_journal_write_30_fields"] = {"writes": args.writes, **ms(times)}

        data = (b'title = "caf\xe9 \xff"\n' + b"x = 1\n" * 200_000)[: 4 * 1024 * 1024]
        start = time.perf_counter()
        view = raw_view(data, focus_line=150_000)
        out["raw_view_4MiB"] = {
            "lines_total": view.total_lines,
            "lines_shown": len(view.lines),
            "bad_bytes": view.bad_bytes,
            "ms": round((time.perf_counter() - start) * 1000, 1),
        }

        private = Store.init(Path(tmp) / "private", default_taxonomy_text(), private=True)
        opens = []
        for _ in range(20):
            start = time.perf_counter()
            Store(private.root)
            opens.append(time.perf_counter() - start)
        team = []
        for _ in range(20):
            start = time.perf_counter()
            Store(store.root)
            team.append(time.perf_counter() - start)
        out["store_open_private_with_hook"] = ms(opens)
        out["store_open_team"] = ms(team)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
