"""How fast a first timeline is assembled: import a large JSON Lines log and an OTLP trace file,
de-duplicate against an incident, and hash a large evidence file. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/evidence_import.py [--lines 200000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from workbench.domain.model import Incident
from workbench.services.importing.timeline import ImportOptions, run_import
from workbench.services.importing.timeline.review import deduplicate
from workbench.store.files import digest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    start = datetime(2025, 8, 5, 16, 0, tzinfo=timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "app.jsonl"
        with log.open("w") as out:
            for i in range(args.lines):
                when = start + timedelta(milliseconds=250 * i)
                level = "error" if i % 997 == 0 else "info"
                out.write(
                    json.dumps(
                        {
                            "timestamp": when.isoformat().replace("+00:00", "Z"),
                            "level": level,
                            "message": f"request {i} served by replica {i % 17}",
                        }
                    )
                    + "\n"
                )
        size_mb = log.stat().st_size / 1e6
        t0 = time.perf_counter()
        result = run_import("jsonl", log, ImportOptions(label="app.jsonl"))
        t1 = time.perf_counter()
        warn = run_import("jsonl", log, ImportOptions(label="app.jsonl", min_level="warn"))
        t2 = time.perf_counter()
        incident = Incident(id="2025-08-05-bench", title="bench")
        staged, dups = deduplicate(incident, warn.candidates)
        t3 = time.perf_counter()
        staged_all, _ = deduplicate(incident, result.candidates[:20_000])
        t4 = time.perf_counter()
        sha, _ = digest(log)
        t5 = time.perf_counter()
        print(
            f"jsonl import: {args.lines} lines ({size_mb:.1f} MB) -> {len(result.candidates)} candidates "
            f"in {t1 - t0:.2f} s ({args.lines / (t1 - t0):,.0f} lines/s)"
        )
        print(f"jsonl import --min-level warn: {len(warn.candidates)} candidates in {t2 - t1:.2f} s")
        print(f"dedupe {len(warn.candidates)} candidates: {t3 - t2:.3f} s; dedupe 20,000 candidates: {t4 - t3:.2f} s")
        print(f"sha256 of {size_mb:.1f} MB: {t5 - t4:.3f} s ({size_mb / (t5 - t4):.0f} MB/s)")
        spans = []
        for i in range(20_000):
            begin = int((start + timedelta(seconds=i)).timestamp() * 1e9)
            spans.append(
                {
                    "traceId": f"{i:032x}",
                    "spanId": f"{i:016x}",
                    "name": "chat",
                    "startTimeUnixNano": str(begin),
                    "endTimeUnixNano": str(begin + (9_000_000_000 if i % 50 == 0 else 400_000_000)),
                    "status": {"code": 2 if i % 100 == 0 else 1},
                    "attributes": [{"key": "gen_ai.request.model", "value": {"stringValue": "m"}}],
                }
            )
        otlp = Path(tmp) / "traces.json"
        otlp.write_text(json.dumps({"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": spans}]}]}, indent=1))
        t6 = time.perf_counter()
        traces = run_import("otlp", otlp, ImportOptions(label="traces.json", latency_ms=5000))
        t7 = time.perf_counter()
        print(
            f"otlp import: 20,000 spans ({otlp.stat().st_size / 1e6:.1f} MB) -> {len(traces.candidates)} candidates "
            f"in {t7 - t6:.2f} s"
        )


if __name__ == "__main__":
    main()
