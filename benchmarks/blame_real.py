"""False alarms of the blame check on real postmortems: every `blame.*` finding on the 52 published
postmortems in ../shared/data/postmortems, each imported as `workbench import` reads it (timeline, causes,
lessons, actions and the narrative), with the sentence it flags.

    .venv/bin/python benchmarks/blame_real.py            # the count and each finding
    .venv/bin/python benchmarks/blame_real.py --count    # the count only

These teams wrote blamelessly, so nearly every finding here is a false alarm; read the list to judge the
few that do put a person at the centre. Exits with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.services.review.checks import bundled_config, run_checks  # noqa: E402
from workbench.services.importing.postmortem import clock  # noqa: E402
from workbench.services.importing.postmortem.reader import PostmortemReader  # noqa: E402

PROSE = (ROOT / ".." / "shared" / "data" / "postmortems").resolve()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", action="store_true", help="print the totals only")
    args = ap.parse_args(argv)
    if not PROSE.is_dir():
        print(f"{PROSE} is absent: the real postmortems are not here, nothing to measure")
        return 0
    names = sorted(p.name for p in PROSE.glob("*.md"))
    config = bundled_config()
    parse = clock.PARSERS["dateutil"]
    started = time.perf_counter()
    total = 0
    for name in names:
        reading = PostmortemReader((PROSE / name).read_text(encoding="utf-8"), name, parse=parse).run(None, set())
        found = run_checks(reading.incident, reading.narrative, config=config, families=("blame",))
        total += len(found)
        if found and not args.count:
            print(f"\n{name}: {len(found)}")
            for f in found:
                where = f"{f.file}:{f.line}" if f.line else f"{f.file} {f.entry or ''} {f.field}".strip()
                print(f"  {f.rule:22} {where:28} {f.message}")
    print(f"\n{total} blame finding(s) on {len(names)} real postmortems ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
