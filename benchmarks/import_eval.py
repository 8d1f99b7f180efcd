"""How well `workbench import` reads real postmortems: precision and recall per kind of fact.

The prose stays in ../shared/data/postmortems (52 published postmortems, MIT; see SOURCES.tsv there);
the expected facts were written by hand, before the importer was changed, in
benchmarks/import_eval/expected/<name>.toml, and the split into a development two-thirds and a
held-back third is benchmarks/import_eval/split.toml. Fresh sets were added later, each in its own folder:
heldout2 (../shared/data/postmortems-heldout2) and heldout3 (../shared/data/postmortems-heldout3), both run while the
importer was tuned and so development material now, heldout4 (../shared/data/postmortems-heldout4; a fourth writer's,
scored blind once at stop 24, development material since), heldout5 (../shared/data/postmortems-heldout5; a fifth
writer's, scored blind once at stop 25, development material since), heldout6 (../shared/data/postmortems-heldout6; a
sixth writer's, scored blind once at stop 26, development material since), heldout7 (../shared/data/postmortems-heldout7;
a seventh writer's, scored blind once at stop 27, development material since), heldout8
(../shared/data/postmortems-heldout8; an eighth writer's, scored blind once at stop 28, development material since) and
heldout9 (../shared/data/postmortems-heldout9; a ninth writer's, scored blind once at stop 29, development material
since), heldout10 (../shared/data/postmortems-heldout10; a tenth writer's, scored blind once at stop 30, development
material since), heldout11 (../shared/data/postmortems-heldout11; an eleventh writer's, scored blind once at stop 31,
development material since), heldout12 (../shared/data/postmortems-heldout12; a twelfth writer's, scored blind once at stop 32,
development material since), heldout13 (../shared/data/postmortems-heldout13; a thirteenth writer's, scored blind once at stop 33,
development material since), heldout14 (../shared/data/postmortems-heldout14; a fourteenth writer's, scored blind once at stop 34,
development material since) and heldout15 (../shared/data/postmortems-heldout15; written by a fifteenth writer, never
read by whoever tunes the importer, its only use one figure). The manifests benchmarks/import_eval/sources-heldout{3,...,15}.tsv say where
to fetch each text again
and how to verify it.

Matching rules (stated in the output too):
  times    an extracted timed entry matches an expected one when both are within 1 minute (UTC);
  dates    a date-only entry matches an expected date-only entry on the same day;
  impact   a figure matches on value and unit (durations compared in minutes; units singular/plural alike;
           money one unit however named: "$", "dollar", "USD");
  actions  an extracted action matches an expected one when at least half of the expected action's words
           (lower-cased, stop words dropped) occur in it; status (done/open) is reported for matched pairs;
each expected fact is matched at most once (greedy, best first). Precision = matched / extracted,
recall = matched / expected, summed over the documents of a set.

    .venv/bin/python benchmarks/import_eval.py               # development set
    .venv/bin/python benchmarks/import_eval.py --set held    # the held-back third (run once, at the end)
    .venv/bin/python benchmarks/import_eval.py --set heldout2   # stop 22's fresh set, development material since stop 23
    .venv/bin/python benchmarks/import_eval.py --set heldout2 --show   # per-document misses and extras
    .venv/bin/python benchmarks/import_eval.py --set heldout3 --show   # the third fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout4 --show   # the fourth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout5 --show   # the fifth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout6 --show   # the sixth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout7 --show   # the seventh fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout8 --show   # the eighth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout9 --show   # the ninth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout10 --show   # the tenth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout11 --show   # the eleventh fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout12 --show   # the twelfth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout13 --show   # the thirteenth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout14 --show   # the fourteenth fresh set, development material now
    .venv/bin/python benchmarks/import_eval.py --set heldout15   # the fresh held-back set (never tuned on)
    .venv/bin/python benchmarks/import_eval.py --set ai-records   # 6 ATLAS case studies, each by its record id
    .venv/bin/python benchmarks/import_eval.py --set dev --show   # per-document misses (refused on heldout15)
    .venv/bin/python benchmarks/import_eval.py --parser dateparser  # the comparison in the README
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
import tomllib
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.services.importing.postmortem import clock, parse_records  # noqa: E402
from workbench.services.importing.postmortem.reader import PostmortemReader  # noqa: E402

EVAL = ROOT / "benchmarks" / "import_eval"
SHARED = (ROOT / ".." / "shared" / "data").resolve()
PROSE = SHARED / "postmortems"
# Each fresh set lives in its own folder (postmortems-<set>) so nobody tuning on one reads another by accident.
# Sets nobody tuning the importer may look into: `--show` is refused on them. heldout3 left this list at stop 24
# (scored blind once, then studied), heldout4 at stop 25, heldout5 at stop 26, heldout6 at stop 27, heldout7 at stop 28;
# heldout8 at stop 29, heldout9 at stop 30, heldout10 at stop 31, heldout11 at stop 32,
# heldout12 at stop 33, heldout13 at stop 34, heldout14 at stop 35; heldout15 is the fresh one now.
HELD_BACK = "heldout15"
UNSEEN: frozenset[str] = frozenset({HELD_BACK})
# Sets whose texts are checked against a fetch manifest (sha256 and length) before they are scored.
# The fresh sets, one per outside writer, in the order they were written; the last is HELD_BACK.
FRESH_SETS = tuple(f"heldout{n}" for n in range(2, 16))
PROSE_FRESH = {name: SHARED / f"postmortems-{name}" for name in FRESH_SETS}
# (heldout2's manifest predates the common format: `manifest_mismatches` reads it.)
MANIFESTS = {name: EVAL / f"sources-{name}.tsv" for name in FRESH_SETS if name != "heldout2"}
STOP = set(
    "a an the to of and or for in on with by is are was were be been our we it its this that as at from "
    "all any into not no more".split()
)
MINUTES = {"minutes": 1, "minute": 1, "hours": 60, "hour": 60, "days": 1440, "day": 1440, "weeks": 10080}


# Money is one unit however it is named: expected files say "USD" or "dollar", the importer says "usd".
CURRENCY = {"$": "usd", "dollar": "usd", "dollars": "usd", "usd": "usd", "€": "eur", "euro": "eur", "euros": "eur"}


def unit_key(value: float, unit: str) -> tuple[float, str]:
    u = unit.lower().strip()
    if u in CURRENCY:
        return round(float(value), 2), CURRENCY[u]
    if u in MINUTES:
        return round(value * MINUTES[u], 1), "minutes"
    if u.endswith("ies"):
        u = u[:-3] + "y"
    elif u.endswith("s") and len(u) > 3:
        u = u[:-1]
    return round(float(value), 2), u


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}  # kind -> [matched, extracted, expected]
        self.status = [0, 0]  # right, matched

    def add(self, kind: str, matched: int, extracted: int, expected: int) -> None:
        row = self.counts.setdefault(kind, [0, 0, 0])
        row[0] += matched
        row[1] += extracted
        row[2] += expected

    def line(self, kind: str) -> str:
        m, x, e = self.counts.get(kind, [0, 0, 0])
        p = m / x if x else float("nan")
        r = m / e if e else float("nan")
        return f"{kind:8} precision {p:5.2f} ({m}/{x})   recall {r:5.2f} ({m}/{e})"


def greedy(expected: list, extracted: list, score) -> list[tuple[int, int]]:
    pairs = sorted(((score(e, x), i, j) for i, e in enumerate(expected) for j, x in enumerate(extracted)), reverse=True)
    used_e, used_x, out = set(), set(), []
    for s, i, j in pairs:
        if s <= 0 or i in used_e or j in used_x:
            continue
        used_e.add(i)
        used_x.add(j)
        out.append((i, j))
    return out


def evaluate(name: str, parse, tally: Tally, show: bool, prose: Path = PROSE) -> None:
    expected = tomllib.loads((EVAL / "expected" / f"{name.removesuffix('.md')}.toml").read_text())
    reading = PostmortemReader((prose / name).read_text(encoding="utf-8"), name, parse=parse).run(None, set())
    score(name, expected, reading.incident, reading.stated_severity, tally, show)


def record_file(entry: str) -> tuple[Path, str, str]:
    """An ai-records entry "atlas/ATLAS.yaml#AML.CS0045": the record file, the record id, its expected file's name."""
    where, record = entry.split("#", 1)
    return SHARED / where, record, f"{where.split('/')[0]}__{record}"


def evaluate_record(entry: str, tally: Tally, show: bool) -> None:
    """One ATLAS case study or AIID record, imported exactly as `workbench import FILE --record ID` does."""
    path, record, expected_name = record_file(entry)
    expected = tomllib.loads((EVAL / "expected" / f"{expected_name}.toml").read_text())
    (result,) = parse_records(path.read_text(encoding="utf-8"), path.name, set(), record)
    score(entry, expected, result.incident, result.stated_severity, tally, show)


def score(name: str, expected: dict, inc, stated_severity: str, tally: Tally, show: bool) -> None:
    misses: list[str] = []

    # times
    exp_t = [datetime.fromisoformat(t.replace("Z", "+00:00")) for t, _ in expected["times"]]
    got_t = [e for e in inc.timeline if not e.data_gap]
    pairs = greedy(
        exp_t,
        got_t,
        lambda a, b: 1 - abs((a - b.time).total_seconds()) / 61 if abs((a - b.time).total_seconds()) <= 60 else 0,
    )
    tally.add("times", len(pairs), len(got_t), len(exp_t))
    hit_e, hit_x = {i for i, _ in pairs}, {j for _, j in pairs}
    misses += [
        f"  time missed  {expected['times'][i][0]} {expected['times'][i][1]}"
        for i in range(len(exp_t))
        if i not in hit_e
    ]
    misses += [
        f"  time extra   {got_t[j].time:%Y-%m-%dT%H:%MZ} {got_t[j].event[:70]} ({got_t[j].source})"
        for j in range(len(got_t))
        if j not in hit_x
    ]
    # dates
    exp_d = [d for d, _ in expected["dates"]]
    got_d = [e for e in inc.timeline if e.data_gap]
    pairs = greedy(exp_d, got_d, lambda a, b: 1.0 if b.time.date().isoformat() == a else 0)
    tally.add("dates", len(pairs), len(got_d), len(exp_d))
    hit_e, hit_x = {i for i, _ in pairs}, {j for _, j in pairs}
    misses += [f"  date missed  {expected['dates'][i]}" for i in range(len(exp_d)) if i not in hit_e]
    misses += [
        f"  date extra   {got_d[j].time:%Y-%m-%d} {got_d[j].event[:70]} ({got_d[j].source})"
        for j in range(len(got_d))
        if j not in hit_x
    ]
    # impact
    exp_i = [unit_key(v, u) for v, u, _ in expected["impact"]]
    figs = [getattr(inc.impact, f) for f in inc.impact.FIGURES] + list(inc.impact.figures)
    got_i = [f for f in figs if f.value is not None]
    pairs = greedy(exp_i, got_i, lambda a, b: 1.0 if unit_key(b.value, b.unit) == a else 0)
    tally.add("impact", len(pairs), len(got_i), len(exp_i))
    hit_e, hit_x = {i for i, _ in pairs}, {j for _, j in pairs}
    misses += [
        f"  impact missed {expected['impact'][i][0]} {expected['impact'][i][1]}: {expected['impact'][i][2][:60]}"
        for i in range(len(exp_i))
        if i not in hit_e
    ]
    misses += [
        f"  impact extra  {got_i[j].value} {got_i[j].unit}: {got_i[j].note[:70]}"
        for j in range(len(got_i))
        if j not in hit_x
    ]
    # actions
    exp_a = expected["actions"]
    got_a = inc.actions

    def overlap(e, a) -> float:
        want = words(e[0])
        return len(want & words(a.action)) / len(want) if want and len(want & words(a.action)) / len(want) >= 0.5 else 0

    pairs = greedy(exp_a, got_a, overlap)
    tally.add("actions", len(pairs), len(got_a), len(exp_a))
    for i, j in pairs:
        tally.status[1] += 1
        got_status = "done" if got_a[j].status == "done" else "open"
        tally.status[0] += got_status == exp_a[i][1]
        if got_status != exp_a[i][1]:
            misses.append(f"  status wrong {exp_a[i][0][:60]} (expected {exp_a[i][1]}, got {got_a[j].status})")
    hit_e, hit_x = {i for i, _ in pairs}, {j for _, j in pairs}
    misses += [f"  action missed {exp_a[i][0][:80]}" for i in range(len(exp_a)) if i not in hit_e]
    misses += [f"  action extra  {got_a[j].action[:80]!r}" for j in range(len(got_a)) if j not in hit_x]
    # severity, start date
    want_sev = re.sub(r"[\s-]", "", expected["severity"].lower())
    got_sev = re.sub(r"[\s-]", "", stated_severity.lower())
    got_sev = re.sub(r"^severity\W*", "", got_sev)
    got_sev = re.sub(r"(incident|ticket|outage|event)$", "", got_sev)
    tally.add("severity", int(want_sev == got_sev), 1, 1)
    if want_sev != got_sev:
        misses.append(f"  severity     expected {expected['severity']!r}, got {stated_severity!r}")
    # The start: the UTC day of the earliest expected time or date (none when the source gives neither).
    firsts = [t.date().isoformat() for t in exp_t] + exp_d
    want_start = min(firsts) if firsts else ""
    got_start = (
        inc.started_on.isoformat()
        if inc.started_on
        else (min(e.time for e in inc.timeline).date().isoformat() if inc.timeline else "")
    )
    tally.add("start", int(got_start == want_start), 1, 1)
    if got_start != want_start:
        misses.append(f"  start date   expected {want_start!r}, got {got_start!r}")
    if show and misses:
        print(f"{name}:")
        print("\n".join(misses))


def count_as_missed(name: str, tally: Tally) -> None:
    """A document the importer could not read: nothing extracted, every expected fact missed."""
    stem = record_file(name)[2] if "#" in name else name.removesuffix(".md")
    expected = tomllib.loads((EVAL / "expected" / f"{stem}.toml").read_text())
    for kind in ("times", "dates", "impact", "actions"):
        tally.add(kind, 0, 0, len(expected[kind]))
    tally.add("severity", 0, 1, 1)
    tally.add("start", 0, 1, 1)


def manifest_mismatches(prose: Path) -> list[str]:
    """Files of heldout2 that differ from what sources-heldout2.tsv recorded (fetched again each session)."""
    out = []
    for line in (EVAL / "sources-heldout2.tsv").read_text().splitlines():
        if line.startswith("#") or line.startswith("name\t"):
            continue
        name, *_, chars, digest = line.split("\t")
        path = prose / name
        if not path.exists():
            continue  # reported as missing below
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != digest:
            got = len(raw.decode("utf-8", errors="replace"))
            out.append(f"  (warning: {name} is not the copy the manifest records: {got} characters, expected {chars})")
    return out


def unverified(prose: Path, manifest: Path) -> set[str]:
    """Files whose text is not the one the expected facts were written for (sha256 and length from the manifest)."""
    if not manifest.is_file():
        return set()
    bad = set()
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _repo, _path, _commit, sha, chars = line.split("\t")[:6]
        path = prose / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha or len(text) != int(chars):
                bad.add(name)
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--set",
        choices=[
            "dev",
            "held",
            "both",
            *FRESH_SETS,
            "ai-records",
        ],
        default="dev",
    )
    ap.add_argument("--parser", choices=sorted(clock.PARSERS), default="dateutil")
    ap.add_argument("--show", action="store_true", help="per-document misses and extras")
    args = ap.parse_args(argv)
    if args.set in UNSEEN and args.show:
        print(
            f"import_eval: --show lists what the importer missed; it is refused on {args.set} so that set stays unseen"
        )
        return 2
    prose = {**PROSE_FRESH, "ai-records": SHARED / "atlas"}.get(args.set, PROSE)
    if not prose.is_dir():
        print(
            f"import_eval: the source texts are not here ({prose}); nothing to measure. They live in the "
            f"shared data folder next to the repository (../shared/data/{prose.name})."
        )
        return 0
    if args.set == "heldout2":
        for line in manifest_mismatches(prose):
            print(line)
    split = tomllib.loads((EVAL / "split.toml").read_text())
    sets = {
        "dev": ["dev"],
        "held": ["held_back"],
        "both": ["dev", "held_back"],
        **{name: [name] for name in FRESH_SETS},
        "ai-records": ["ai_records"],
    }[args.set]
    parse = clock.PARSERS[args.parser]
    # A re-fetched text that differs from the one the facts were written for would give a wrong figure.
    differs = unverified(prose, MANIFESTS[args.set]) if args.set in MANIFESTS else set()
    print(
        __doc__.split("Matching rules")[1]
        .split("    .venv")[0]
        .rstrip()
        .replace("(stated in the output too):", "Matching rules:")
    )
    for name in sets:
        tally = Tally()
        started = time.perf_counter()
        if name not in split:
            print(f"import_eval: split.toml lists no {name} set yet; nothing to measure.")
            return 0
        files = split[name]
        for f in files:
            if "#" in f:
                if not record_file(f)[0].is_file():
                    print(f"  (missing {record_file(f)[0]})")
                    continue
                try:
                    evaluate_record(f, tally, args.show)
                except Exception as exc:  # noqa: BLE001 -- a crash is a result to record, not a reason to stop
                    print(f"  (the importer failed on {f}: {type(exc).__name__}; its expected facts count as missed)")
                    count_as_missed(f, tally)
                continue
            if not (prose / f).exists():
                print(f"  (missing {f})")
                continue
            if f in differs:
                print(f"  (skipped {f}: its text differs from the sha256 in sources-{args.set}.tsv; fetch it again)")
                continue
            try:
                evaluate(f, parse, tally, args.show, prose)
            except Exception as exc:  # noqa: BLE001 -- a crash is a result to record, not a reason to stop
                print(f"  (the importer failed on {f}: {type(exc).__name__}; its expected facts count as missed)")
                count_as_missed(f, tally)
        took = time.perf_counter() - started
        print(f"\n{name} ({len(files)} documents, parser {args.parser}, {took:.1f} s):")
        for kind in ("times", "dates", "impact", "actions"):
            print("  " + tally.line(kind))
        right, matched = tally.status
        print(f"  action status right on {right}/{matched} matched actions")
        for kind in ("severity", "start"):
            m, x, _ = tally.counts[kind]
            print(f"  {kind:8} right on {m}/{x} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
