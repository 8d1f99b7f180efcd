"""How long the method's checks take per incident, on the bundled examples and on generated stores.

    python benchmarks/bench_checks.py [REPEAT]

Prints milliseconds per incident for run_checks (all families) and for `workbench lint` over a fresh
copy of the example store. Figures depend on the machine and its load; tests never assert on them.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from workbench.services.bundled import make_example_store
from workbench.services.review.checks import default_config, run_checks
from workbench.services.review.lint import lint


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        store = make_example_store(Path(tmp) / "store")
        records = store.load_all().records
        default_config()  # compile the phrase list once, as a long-running app does
        start = time.perf_counter()
        for _ in range(repeat):
            for r in records:
                run_checks(r.incident, r.narrative, toml_text=r.toml.text)
        per = (time.perf_counter() - start) / (repeat * len(records)) * 1000
        start = time.perf_counter()
        result = lint(store)
        whole = (time.perf_counter() - start) * 1000
    print(f"run_checks: {per:.1f} ms per incident ({len(records)} incidents x {repeat})")
    print(f"lint (store, review.toml, rules, checks): {whole:.0f} ms for {len(result.reports)} incidents")


if __name__ == "__main__":
    main()
