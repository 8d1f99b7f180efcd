#!/usr/bin/env python3
"""How long `workbench publish` takes on a synthetic store: prints figures, asserts nothing.

    python3 benchmarks/publish.py [--size 10000] [--stores DIR] [--no-search]

The store is generated once by benchmarks/generate.py (seed 4, as benchmarks/run.py does) into
benchmarks/out/store-SIZE (git-ignored), or taken from --stores DIR when it is already there. The site goes
to benchmarks/out/site-SIZE, made afresh. Three runs, each in this process:
- cold: an empty folder (every page rendered, every file written, the Pagefind index built);
- again: nothing changed (the manifest says so: nothing rendered, nothing written, no index build);
- after losing one page: only that page is written again;
- after losing the learning page: only it is made again (statistics and recurring causes over every published
  incident: the costliest part of a publish besides the pages).
Each phase of the cold run is timed from the progress callback; each run prints its CPU time, the resident
set after it and the process's peak so far (the memory target of issue 15 is 400 MB).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from workbench.services.publish import PublishOptions, publish  # noqa: E402
from workbench.store import Store  # noqa: E402


def store_at(stores: Path, size: int) -> Path:
    from generate import generated_store

    return generated_store(stores, size)


def memory() -> str:
    try:
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        rss = float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"RSS {rss:.0f} MB, peak {peak:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--stores", type=Path, default=HERE / "out", help="where generated stores are kept")
    parser.add_argument("--no-search", action="store_true", help="leave out the Pagefind index")
    args = parser.parse_args()
    store = Store(store_at(args.stores, args.size))
    site = HERE / "out" / f"site-{args.size}"
    if site.exists():
        shutil.rmtree(site)
    options = PublishOptions(search=not args.no_search)
    marks: dict[str, float] = {}

    def progress(what: str, done: int, total: int) -> None:
        now = time.perf_counter()
        marks.setdefault(f"{what} start", now)
        if done >= total:
            marks[f"{what} end"] = now

    start, cpu = time.perf_counter(), time.process_time()
    cold = publish(store, site, options, progress)
    cold_s, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    files = [p for p in site.rglob("*") if p.is_file()]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.size:,} incidents, cpu count {os.cpu_count()}, search {'off' if args.no_search else 'on'}, "
        f"load average {load}"
    )
    print(
        f"cold publish            {cold_s:7.1f} s   ({len(cold.published):,} incidents, {len(files):,} files, "
        f"{size_mb:.0f} MB, {cold.diagrams:,} diagrams; {cold_cpu:.1f} s CPU; {memory()})"
    )
    begin = start
    for phase in ("incident pages", "learning views", "search index (Pagefind)"):
        if f"{phase} end" in marks:
            print(f"  {phase:<22}{marks[f'{phase} end'] - begin:7.1f} s")
            begin = marks[f"{phase} end"]
    start, cpu = time.perf_counter(), time.process_time()
    again = publish(store, site, options)
    print(
        f"again, nothing changed  {time.perf_counter() - start:7.1f} s   ({len(again.written)} written, "
        f"{again.rendered} rendered, index rebuilt: {again.search_indexed}; "
        f"{time.process_time() - cpu:.1f} s CPU; {memory()})"
    )
    first = site / "incidents" / f"{cold.published[0]}.html"
    first.unlink()
    start, cpu = time.perf_counter(), time.process_time()
    one = publish(store, site, options)
    print(
        f"one page lost           {time.perf_counter() - start:7.1f} s   ({len(one.written)} written, "
        f"index rebuilt: {one.search_indexed}; {time.process_time() - cpu:.1f} s CPU; {memory()})"
    )
    (site / "learning.html").unlink()
    start, cpu = time.perf_counter(), time.process_time()
    marks.clear()
    learned = publish(store, site, options, progress)
    spent = marks.get("learning views end", 0.0) - marks.get("learning views start", 0.0)
    print(
        f"learning page lost      {time.perf_counter() - start:7.1f} s   ({len(learned.written)} written; learning "
        f"views {spent:.1f} s; {time.process_time() - cpu:.1f} s CPU; {memory()})"
    )


if __name__ == "__main__":
    main()
