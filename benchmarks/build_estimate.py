"""The idle-machine wall time of a first index build to searchable, estimated from CPU on a busy machine.

On a shared machine a build's wall time is mostly waiting for a core. This runs the first pass's own steps in one
process, timing each with `time.process_time()` (CPU, which waiting does not inflate): the folder list, each chunk a
worker would get (`extract_many` plus pickling its result), the parent's unpickling and the serial end
(`Segment.build`: merging, sorting postings, writing and fsyncing the segment; the larger of its main thread's CPU
and its other threads'). The chunks are then placed on the
workers as the process pool hands them out (each to the first free worker), the unpickling shared between the
cores, plus 0.1 s for starting the pool and writing the manifest.

    python benchmarks/build_estimate.py STORE [--workers 2]

Prints one JSON line. The same method on the single-pass build of stop 23 predicted 7.4-9.3 s at load 7-13 where
the idle machine measured 9.4 s: read it as a lower bound, up to a fifth low. Uses a fresh segment folder in the
store's cache and removes it; the cache itself is left as it was.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import pickle
import shutil
import sys
import time
from pathlib import Path

from workbench.services.search.cache import CacheDir
from workbench.services.search.engine import list_folders
from workbench.services.search.extract import extract_many
from workbench.services.search.segment import Segment


def estimate(root: Path, workers: int) -> dict[str, float | int]:
    start = time.process_time()
    folders = list_folders(root)
    pre = time.process_time() - start
    size = max(50, len(folders) // (workers * 8))  # as SearchEngine._in_chunks cuts them
    costs: list[float] = []
    unpickle = 0.0
    chunks = []
    for i in range(0, len(folders), size):
        start = time.process_time()
        blob = pickle.dumps(extract_many(str(root), folders[i : i + size], {}, False))
        costs.append(time.process_time() - start)
        start = time.process_time()
        chunks.append(pickle.loads(blob)[1])
        unpickle += time.process_time() - start
    path = CacheDir(root).new_segment_path()
    try:
        start, main_start = time.process_time(), time.thread_time()
        Segment.build(chunks, path)
        # Its texts and postings go to threads while the main thread makes the bigram index; the workers are done
        # by then, so the main thread has one core and the other threads the other.
        main_thread = time.thread_time() - main_start
        end = max(main_thread, time.process_time() - start - main_thread)
    finally:
        shutil.rmtree(path, ignore_errors=True)
    free = [0.0] * workers
    for cost in costs:
        heapq.heappush(free, heapq.heappop(free) + cost)
    span = max(free)
    return {
        "load": round(os.getloadavg()[0], 1),
        "incidents": len(folders),
        "chunks": len(costs),
        "serial_start_s": round(pre, 2),
        "worker_cpu_s": round(sum(costs), 2),
        "span_on_workers_s": round(span, 2),
        "parent_unpickle_s": round(unpickle, 2),
        "serial_end_s": round(end, 2),
        "estimated_idle_wall_s": round(pre + span + unpickle / workers + end + 0.1, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    root = args.store.resolve()
    if not (root / "incidents").is_dir():
        print(f"{root}: not a store (no incidents/ folder)", file=sys.stderr)
        return 2
    print(json.dumps(estimate(root, args.workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
