"""Recurring causes on a large store: the grouping alone, timed (no asserts).

    python benchmarks/cause_groups.py [STORE] [--incidents N ...]

STORE defaults to benchmarks/out/store-10000 (`python benchmarks/generate.py` makes it). The profiles are read
from the store's search index first (building it if needed: not timed); then `recurring_causes` runs on the
first N incidents for each N, and the process CPU time, wall time, peak RSS, load average, the number of groups
and the largest groups with their distinguishing words are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from workbench.services.learning import source
from workbench.services.learning.stats import recurring_causes
from workbench.services.search import SearchEngine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", default=str(Path(__file__).parent / "out" / "store-10000"))
    parser.add_argument("--incidents", type=int, nargs="*", default=[])
    args = parser.parse_args()
    root = Path(args.store)
    if not (root / "incidents").is_dir():
        print(f"{root}: no store here (make one with: python benchmarks/generate.py)", file=sys.stderr)
        return 2
    profiles = source.profiles(SearchEngine(root))
    for n in args.incidents or [len(profiles)]:
        part = profiles[:n]
        load = os.getloadavg()
        cpu, wall = time.process_time(), time.perf_counter()
        groups = recurring_causes(part)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        causes = sum(len(p.causes) for p in part)
        print(
            f"{len(part):,} incidents, {causes:,} causes: {len(groups)} groups in {cpu:.2f} s CPU, {wall:.2f} s wall; "
            f"peak RSS {rss} MB; load average {load[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
    for g in groups[:8]:
        print(
            f"  {len(g.incidents):>6,} incidents {len(g.causes):>6,} causes  {', '.join(g.words):<34} {g.causes[0].statement[:70]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
