"""What a cold page cache costs a first index build, and what the build's read-ahead hint gives back.

A store not read since the machine started (or pushed out of memory) is read from disk by the build's workers,
one small file after another: each read waits for the disk, and filling the page cache costs CPU in the reading
process. This runs the first pass's per-chunk work (`extract_many`) in one thread over the first N incidents,
three ways: warm (files cached), cold (the store's incident files dropped from the page cache first with
`posix_fadvise(DONTNEED)`: only this store's files, nothing is written), and cold with the build's prefetch thread
(`extract.prefetch`, as `SearchEngine` runs it beside its workers). On a shared machine wall time is mostly
waiting for a core, so the thread's time is split with /proc/thread-self/schedstat into on-CPU, waiting to run
(the other processes' doing) and blocked (waiting for the disk): on an idle machine the wall would be on-CPU +
blocked. Linux only.

    python benchmarks/cold_cache.py STORE [--incidents 2500] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workbench.services.search.engine import list_folders  # noqa: E402
from workbench.services.search.extract import extract_many, prefetch  # noqa: E402
from workbench.store.layout import INCIDENT_FILE, NARRATIVE_FILE  # noqa: E402

CHUNK = 625  # what each worker gets at 10,000 incidents on 2 cores (SearchEngine._in_chunks)


def evict(root: Path, folders: list[str]) -> None:
    """Drop these incidents' files from the page cache (clean pages only; nothing is written)."""
    for folder in folders:
        for name in (INCIDENT_FILE, NARRATIVE_FILE):
            try:
                fd = os.open(root / folder / name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def sched() -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting to run) of this thread so far."""
    on_cpu, waiting, _ = Path("/proc/thread-self/schedstat").read_text().split()
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def run(root: Path, folders: list[str], mode: str) -> dict[str, float]:
    if mode != "warm":
        evict(root, folders)
    stop = threading.Event()
    hint_cpu = [0.0]

    def hint() -> None:
        start = time.thread_time()
        prefetch(root, folders, stop)
        hint_cpu[0] = time.thread_time() - start

    hinting = threading.Thread(target=hint)
    wall, (cpu, waiting) = time.perf_counter(), sched()
    if mode == "cold+prefetch":
        hinting.start()
    for i in range(0, len(folders), CHUNK):
        extract_many(str(root), folders[i : i + CHUNK], {}, False)
    wall = time.perf_counter() - wall
    cpu2, waiting2 = sched()
    stop.set()
    if hinting.is_alive():
        hinting.join()
    on_cpu, queued = cpu2 - cpu, waiting2 - waiting
    return {
        "wall": wall,
        "on_cpu": on_cpu,
        "run_queue": queued,
        "blocked": max(0.0, wall - on_cpu - queued),
        "prefetch_cpu": hint_cpu[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--incidents", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    root = args.store.resolve()
    if not (root / "incidents").is_dir() or not Path("/proc/thread-self/schedstat").exists():
        print(f"{root}: needs a store (an incidents/ folder) and Linux's schedstat", file=sys.stderr)
        return 2
    folders = list_folders(root)[: args.incidents]
    print(f"{len(folders)} incidents in chunks of {CHUNK}, one thread; seconds")
    print(f"{'mode':<14} {'wall':>6} {'on-CPU':>7} {'queued':>7} {'blocked':>8} {'hint CPU':>9} {'idle':>6} load")
    for _ in range(args.runs):
        for mode in ("warm", "cold", "cold+prefetch"):
            r = run(root, folders, mode)
            idle = r["on_cpu"] + r["blocked"] + r["prefetch_cpu"]
            print(
                f"{mode:<14} {r['wall']:>6.2f} {r['on_cpu']:>7.2f} {r['run_queue']:>7.2f} {r['blocked']:>8.2f} "
                f"{r['prefetch_cpu']:>9.2f} {idle:>6.2f} {os.getloadavg()[0]:.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
