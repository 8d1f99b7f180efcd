"""Per-keystroke taxonomy search, suggestions, similar incidents and stats: prints timings (no asserts).

    python benchmarks/taxonomy_learning.py

Uses the bundled taxonomy and the 33-incident fixture store from tests/learning_store.py.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import learning_store  # noqa: E402

from workbench.services.similar import SimilarityIndex  # noqa: E402
from workbench.services.stats import compute_stats  # noqa: E402
from workbench.services.suggest import Suggester  # noqa: E402
from workbench.services.taxonomy_search import TaxonomyIndex  # noqa: E402


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


if __name__ == "__main__":
    main()
