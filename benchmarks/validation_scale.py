#!/usr/bin/env python3
"""Validation at scale: one incident.toml with N problems (every timeline entry has an unknown key).

    .venv/bin/python benchmarks/validation_scale.py [--sizes 1000 4000 10000] [--before 1000]

For each size it prints the file size and the time to report every problem with its line:
- `decode`: the loader alone (store.tomlfile.decode_incident -> LoadError with N problems);
- `validate`: `workbench validate` on a store holding that incident (in-process, through the CLI);
- `list`: `workbench list` on the same store (it reports the incident as not loading).

`--before N` also times, at size N only, the pre-fix mapping (one line scan per problem and a
list lookup per problem), kept here as a copy so the two can be compared on the same machine.
Needs no data outside this repository.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GIT_AUTHOR_NAME", "Benchmark")
os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.test")
os.environ.setdefault("GIT_COMMITTER_NAME", "Benchmark")
os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@example.test")

from pydantic import ValidationError  # noqa: E402

from workbench.cli import main  # noqa: E402
from workbench.domain.model import Incident  # noqa: E402
from workbench.services.bundled import default_taxonomy_text  # noqa: E402
from workbench.store import Store  # noqa: E402
from workbench.store.errors import LoadError, Problem  # noqa: E402
from workbench.store.tomlfile import (
    _data_loc,
    _explain,
    decode_incident,
    field_name,
    locate_line,  # noqa: E402
    parse_toml,
)

INCIDENT_ID = "2025-01-02-many-problems"


def incident_text(problems: int) -> str:
    lines = [
        "schema_version = 1",
        f'id = "{INCIDENT_ID}"',
        'title = "Many problems"',
        'severity = "P2"',
        "",
        "[times]",
        "started = 2025-01-02T03:04:00Z",
        "",
    ]
    for i in range(problems):
        lines += ["[[timeline]]", f'id = "t-{i:05x}"', "time = 2025-01-02T03:04:00Z", 'event = "e"', "colour = 1", ""]
    return "\n".join(lines)


def old_mapping(text: str) -> int:
    """The mapping before the fix, copied: a line scan per problem and a list lookup per problem."""
    path = Path("incident.toml")
    data = parse_toml(text, path)
    try:
        Incident.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        for err in exc.errors(include_url=False):
            loc = _data_loc(tuple(err["loc"]), data, err.get("type") == "missing")
            problem = Problem(path, _explain(err), locate_line(text, loc), field_name(loc, data))
            if problem not in problems:
                problems.append(problem)
        return len(problems)
    return 0


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def quiet_cli(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument(
        "--before",
        type=int,
        default=0,
        metavar="N",
        help="also time the pre-fix mapping at N problems (1000 takes ~15 s)",
    )
    args = parser.parse_args(argv)
    print(f"{'problems':>9} {'file':>9} {'decode':>8} {'validate':>9} {'list':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            text = incident_text(size)

            def decode(text: str = text) -> int:
                try:
                    decode_incident(text, Path("incident.toml"))
                except LoadError as exc:
                    return len(exc.problems)
                return 0

            decode_s, found = timed(decode)
            assert found == size, (found, size)
            root = Path(tmp) / f"store-{size}"
            Store.init(root, default_taxonomy_text())
            folder = root / "incidents" / "2025" / "01" / INCIDENT_ID
            folder.mkdir(parents=True)
            (folder / "incident.toml").write_text(text)
            validate_s, code = timed(lambda root=root: quiet_cli(["--store", str(root), "validate"]))
            assert code == 1
            list_s, code = timed(lambda root=root: quiet_cli(["--store", str(root), "list"]))
            assert code == 1
            print(f"{size:>9,} {len(text) / 1024:>7.0f}KB {decode_s:>7.2f}s {validate_s:>8.2f}s {list_s:>7.2f}s")
    if args.before:
        before_s, found = timed(lambda: old_mapping(incident_text(args.before)))
        print(f"before the fix, {args.before:,} problems: {before_s:.2f}s ({found:,} reported)")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
