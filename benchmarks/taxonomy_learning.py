"""Per-keystroke taxonomy search, suggestions, similar incidents and stats: prints timings (no asserts).

    python benchmarks/taxonomy_learning.py

Uses the bundled taxonomy and the 33-incident fixture store from tests/learning_store.py. The last part
drives the app headless (Pilot) to time the Taxonomy pane's views: the store-wide index built in a worker,
the event loop's longest stall meanwhile (a 5 ms timer's worst gap), and accepting a suggestion.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import learning_store  # noqa: E402

from workbench.services.learning.similar import SimilarityIndex  # noqa: E402
from workbench.services.learning.stats import compute_stats  # noqa: E402
from workbench.services.learning.suggest import Suggester  # noqa: E402
from workbench.services.taxonomy.search import TaxonomyIndex  # noqa: E402
from workbench.ui.panes.taxonomy_views import build_suggester, learn, others_stamp  # noqa: E402


def timed(fn, repeat: int = 50) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    store = learning_store.build_learning_store(Path(tempfile.mkdtemp()) / "store")
    taxonomy = store.load_taxonomy()
    incidents = [r.incident for r in store.load_all().records]
    index = TaxonomyIndex(taxonomy)
    print(f"taxonomy: {len(taxonomy.modes)} modes; store: {len(incidents)} incidents")
    for query in ("k", "kv", "kv c", "kv cahce", "prompt injection", "stale index"):
        med, worst = timed(lambda q=query: index.search(q))
        print(f"search {query!r:<20} median {med:6.2f} ms  max {worst:6.2f} ms")
    t0 = time.perf_counter()
    suggester = Suggester(taxonomy, incidents)
    print(f"suggester build            {(time.perf_counter() - t0) * 1000:6.1f} ms")
    med, worst = timed(lambda: suggester.for_text("The nightly reindex job failed so the vector index was stale"))
    print(f"suggest for a sentence     median {med:6.2f} ms  max {worst:6.2f} ms")
    similar = SimilarityIndex(incidents, taxonomy)
    med, worst = timed(lambda: similar.similar_to(incidents[0].id))
    print(f"similar to one incident    median {med:6.2f} ms  max {worst:6.2f} ms")
    med, worst = timed(lambda: compute_stats(incidents, taxonomy, date(2026, 1, 15)), repeat=10)
    print(f"stats over the store       median {med:6.2f} ms  max {worst:6.2f} ms")
    med, worst = timed(lambda: build_suggester(store, taxonomy), repeat=5)
    print(f"pane index (load + build)  median {med:6.1f} ms  max {worst:6.1f} ms   (worker thread)")
    med, worst = timed(lambda: others_stamp(store, incidents[0].id), repeat=20)
    print(f"pane staleness check       median {med:6.2f} ms  max {worst:6.2f} ms   (on return to the screen; worker)")
    runs = []
    for incident in incidents:
        cause = incident.causes[0].id if incident.causes else None
        t0 = time.perf_counter()
        learn(suggester, incident, cause)
        runs.append((time.perf_counter() - t0) * 1000)
    print(
        f"pane views per incident    median {statistics.median(runs):6.2f} ms  max {max(runs):6.2f} ms"
        "   (incident + one cause + similar; worker thread)"
    )
    asyncio.run(pane_in_app(store))


async def pane_in_app(store) -> None:
    from workbench.ui.app import WorkbenchApp
    from workbench.ui.config import UserConfig

    app = WorkbenchApp(store, UserConfig(), store_label="bench")
    incident_id = "2025-03-04-hr-bot-stale-leave-policy"
    async with app.run_test(size=(120, 40)) as pilot:
        ticks: list[float] = []
        app.set_interval(0.005, lambda: ticks.append(time.perf_counter()))
        await pilot.pause(0.3)
        idle = _worst_gap(ticks)
        ticks.clear()
        t0 = time.perf_counter()
        app.open_incident(incident_id, "taxonomy")
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
