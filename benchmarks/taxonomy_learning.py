"""Per-keystroke taxonomy search, suggestions, similar incidents and stats: prints timings (no asserts).

    python benchmarks/taxonomy_learning.py                                   # the 33-incident fixture store
    python benchmarks/taxonomy_learning.py --store benchmarks/out/store-10000 [--no-app]

Without `--store` it builds the 33-incident fixture store of tests/learning_store.py in a temporary folder.
Learning reads the search index's per-incident profiles, as the app and the CLI do (never every full model):
the index is opened (or built) first, then each build and query is timed with the process's CPU and RSS. The
CLI commands that read the same profiles run as child processes (wall, CPU, peak RSS of each). The last part
drives the app headless (Pilot) to time the Taxonomy pane's views: the store-wide index built in a worker,
the event loop's longest stall meanwhile (a 5 ms timer's worst gap), and accepting a suggestion (a commit: only in
the fixture store, never in a store given with --store).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from workbench.services.learning import source as learning_source  # noqa: E402
from workbench.services.learning.stats import compute_stats  # noqa: E402
from workbench.services.search import SearchEngine  # noqa: E402
from workbench.services.taxonomy.search import TaxonomyIndex  # noqa: E402
from workbench.services.taxonomy.usage import usage_by_mode  # noqa: E402
from workbench.store import Store  # noqa: E402
from workbench.ui.panes.taxonomy_views import build_suggester, learn, others_stamp  # noqa: E402

TODAY = date(2026, 1, 15)


def timed(fn, repeat: int = 50) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), max(runs)


def rss_mb() -> float:
    """Resident now (Linux /proc), else the peak so far."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(label: str, fn):
    """Run `fn` once; print its wall and CPU time and the RSS after it."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<34} {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU   RSS {rss_mb():6.0f} MB")
    return value


def cli(root: Path, argv: list[str]) -> None:
    """One `workbench` command in a child process: wall, CPU (user+sys) and its own peak RSS. The peak comes from
    GNU time when installed: Linux counts a forked child's memory before exec in its ru_maxrss, so wait4 would
    report this (large) process's peak for every child."""
    command = [sys.executable, "-m", "workbench", "--store", str(root), *argv]
    gnu_time = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        wrapped = [gnu_time, "-f", "%M", "-o", report.name, *command] if gnu_time else command
        t0 = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        found = report.read().split()
        peak = f"{int(found[-1]) / 1024:5.0f} MB" if gnu_time and found and found[-1].isdigit() else "  n/a"
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    print(
        f"workbench {' '.join(argv):<44} {wall * 1000:8.0f} ms wall {cpu:7.0f} ms CPU   peak RSS {peak}"
        f"   exit {done.returncode}"
    )
    if done.returncode not in (0, 1):
        print("   " + (done.stderr.decode(errors="replace").strip().splitlines() or [""])[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build the 33-incident fixture)")
    parser.add_argument("--no-app", action="store_true", help="skip the Pilot part (the Taxonomy pane in the app)")
    parser.add_argument("--sample", type=int, default=50, help="incidents scored one by one (default 50)")
    args = parser.parse_args(argv)
    if args.store is None:
        import learning_store

        store = learning_store.build_learning_store(Path(tempfile.mkdtemp()) / "store")
    else:
        store = Store(args.store)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · load average {os.getloadavg()[0]:.1f}")
    taxonomy = store.load_taxonomy()
    engine = SearchEngine(store.root)
    step("search index open (or build)", engine.open)
    profiles = step("profiles from the index", lambda: learning_source.profiles(engine))
    print(f"taxonomy: {len(taxonomy.modes)} modes; store: {len(profiles)} incidents that load")
    index = TaxonomyIndex(taxonomy)
    for query in ("k", "kv", "kv c", "kv cahce", "prompt injection", "stale index"):
        med, worst = timed(lambda q=query: index.search(q))
        print(f"taxonomy search {query!r:<18} median {med:6.2f} ms  max {worst:6.2f} ms")
    step("uses per mode (Taxonomy screen)", lambda: usage_by_mode(profiles, taxonomy))
    suggester = step("suggester + similarity build", lambda: learning_source.suggester(engine, taxonomy))
    med, worst = timed(lambda: suggester.for_text("The nightly reindex job failed so the vector index was stale"))
    print(f"suggest for a sentence             median {med:6.2f} ms  max {worst:6.2f} ms")
    first = profiles[0].id
    med, worst = timed(lambda: suggester.similar.similar_to(first), repeat=20)
    print(f"similar to one incident            median {med:6.2f} ms  max {worst:6.2f} ms")
    step("stats over the store", lambda: compute_stats(profiles, taxonomy, TODAY))
    med, worst = timed(lambda: build_suggester(engine, taxonomy), repeat=3)
    print(f"pane index (profiles + build)      median {med:6.1f} ms  max {worst:6.1f} ms   (worker thread)")
    med, worst = timed(lambda: others_stamp(store, first), repeat=5)
    print(f"pane staleness check               median {med:6.2f} ms  max {worst:6.2f} ms   (worker, on return)")
    runs = []
    for profile in profiles[: args.sample]:
        incident = store.load(profile.id).incident
        cause = incident.causes[0].id if incident.causes else None
        t0 = time.perf_counter()
        learn(suggester, incident, cause)
        runs.append((time.perf_counter() - t0) * 1000)
    print(
        f"pane views per incident ({len(runs)})       median {statistics.median(runs):6.2f} ms  max {max(runs):6.2f} ms"
        "   (incident + one cause + similar; worker thread)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this process: peak RSS {peak:.0f} MB, CPU {time.process_time():.1f} s")
    mode = next((m.id for m in taxonomy.modes if not m.deprecated), "")
    with_cause = store.load(first).incident
    for command in (
        ["taxonomy", "list"],
        ["taxonomy", "list", "kv cahce"],
        ["taxonomy", "show", mode],
        ["similar", first],
        ["suggest", first],
        *([["suggest", first, "--cause", with_cause.causes[0].id]] if with_cause.causes else []),
        ["stats", "--today", TODAY.isoformat()],
    ):
        cli(store.root, command)
    if not args.no_app:
        asyncio.run(pane_in_app(store, first, accept=args.store is None))


async def pane_in_app(store: Store, incident_id: str, accept: bool) -> None:
    """`accept`: also accept a suggestion (a commit): only in the fixture store this script made."""
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.config import UserConfig

    app = WorkbenchApp(store, UserConfig(), store_label="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        ticks: list[float] = []
        app.set_interval(0.005, lambda: ticks.append(time.perf_counter()))
        await pilot.pause(0.3)
        idle = _worst_gap(ticks)
        ticks.clear()
        t0 = time.perf_counter()
        app.open_incident(incident_id, "taxonomy")
        while app.opening is not None:  # an open this early imports the incident screen in a thread first
            await asyncio.sleep(0.001)
        pane = app.screen.pane("taxonomy")
        while not pane.learning_started:  # shown: the worker starts building
            await asyncio.sleep(0.001)
        mounted = (time.perf_counter() - t0) * 1000
        opening = _worst_gap(ticks)
        ticks.clear()
        while pane.suggester is None or not pane.learned_is_current():
            await asyncio.sleep(0.005)
        ready = (time.perf_counter() - t0) * 1000
        print(
            f"app: open incident on the Taxonomy pane: screen up {mounted:6.1f} ms (longest gap {opening:5.1f} ms, "
            f"all ten panes), suggestions shown {ready:6.1f} ms; longest event-loop gap while the index builds "
            f"{_worst_gap(ticks):5.1f} ms (idle: {idle:4.1f} ms)"
        )
        if not accept:
            print("app: accepting a suggestion skipped (it commits; a store given with --store is not written to)")
            return
        await pilot.press("s")
        ticks.clear()
        t0 = time.perf_counter()
        await pilot.press("y")
        while not pane.learned_is_current():
            await asyncio.sleep(0.005)
        print(
            f"app: y accepts a suggestion, list re-scored {(time.perf_counter() - t0) * 1000:6.1f} ms; "
            f"longest event-loop gap {_worst_gap(ticks):5.1f} ms (the commit runs in the save thread)"
        )
        app.screen.session.wait_idle(20)


def _worst_gap(ticks: list[float]) -> float:
    return max((b - a for a, b in zip(ticks, ticks[1:])), default=0.0) * 1000


if __name__ == "__main__":
    main()
