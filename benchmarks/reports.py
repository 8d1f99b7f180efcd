#!/usr/bin/env python3
"""How long reports, exports and imports take: prints figures, asserts nothing.

    python3 benchmarks/reports.py [--repeat 20]

Renders every bundled example as markdown, HTML and the one-pager, exports all open actions as
Jira CSV, imports every real postmortem in ../shared/data/postmortems/ when it is there (parse only, no
commit; the first parse also loads the tagger) and
round-trips each example report (report -> import -> report), and prints the median of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.services.followup.actions_export import export_csv, open_actions  # noqa: E402
from workbench.services.bundled import make_example_store  # noqa: E402
from workbench.services.importing.postmortem import parse_markdown  # noqa: E402
from workbench.services.report import ReportOptions, render, render_markdown  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = make_example_store(Path(tmp) / "store")
        taxonomy = store.load_taxonomy()
        records = store.load_all().records
        print(f"{len(records)} example incidents, median of {args.repeat} runs")
        for r in records:
            lines = render_markdown(r.incident, r.narrative, taxonomy).count("\n")
            for label, options in (
                ("markdown", ReportOptions()),
                ("html", ReportOptions(format="html")),
                ("one-pager", ReportOptions(exec=True)),
                ("redacted", ReportOptions(audience="external")),
            ):
                ms = median_ms(
                    lambda r=r, options=options: render(r.incident, r.narrative, options, taxonomy), args.repeat
                )
                print(f"  {r.id[:48]:48} {label:10} {ms:7.2f} ms  ({lines} report lines)")
            md = render_markdown(r.incident, r.narrative, taxonomy)
            ms = median_ms(lambda md=md: parse_markdown(md, "report.md"), args.repeat)
            print(f"  {r.id[:48]:48} {'re-import':10} {ms:7.2f} ms")
        items = open_actions([r.incident for r in records])
        ms = median_ms(lambda: export_csv(items, "jira"), args.repeat)
        print(f"jira csv of {len(items)} open actions: {ms:.2f} ms")
        shared = (ROOT / ".." / "shared" / "data" / "postmortems").resolve()
        if not shared.is_dir():
            print(f"import (parse): skipped, the published postmortems are not at {shared}")
            return
        files = sorted(shared.glob("*.md"))
        parse_markdown(files[0].read_text(encoding="utf-8"), files[0].name)  # loads the tagger once
        total_lines = 0
        start = time.perf_counter()
        for f in files:
            text = f.read_text(encoding="utf-8")
            total_lines += text.count("\n")
            parse_markdown(text, f.name)
        ms = (time.perf_counter() - start) * 1000
        print(f"import (parse) of {len(files)} real postmortems, {total_lines} lines: {ms:.1f} ms in all")


if __name__ == "__main__":
    main()
