#!/usr/bin/env python3
"""Concurrent CLI edits on one store: N `workbench` processes at once (review comments, evidence adds,
checklist marks), then what failed, whether a failed edit was left written, and duplicates.

    .venv/bin/python benchmarks/concurrent_edits.py [--workers 28]

Issue 14 measured 4 of 28 failing with "another git process is using the store" after writing their
edit (later committed under another command's message). Needs no data outside this repository.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GIT_AUTHOR_NAME", "Benchmark")
os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@example.test")
os.environ.setdefault("GIT_COMMITTER_NAME", "Benchmark")
os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@example.test")

from workbench.services.bundled import make_example_store  # noqa: E402
from workbench.store.reviewfile import load_review  # noqa: E402

SOURCES = ["logs", "traces", "prompts", "evals", "chat", "paging", "deployment", "model-versions", "git-history"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=28)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = make_example_store(Path(tmp) / "store")
        incident_id = store.ids()[0]
        sources = Path(tmp) / "sources"
        sources.mkdir()
        commands: list[list[str]] = []
        for i in range(args.workers):
            kind = i % 3
            if kind == 0:
                commands.append(["review", "comment", incident_id, "--on", "summary", f"note-{i}"])
            elif kind == 1:
                (sources / f"worker-{i}.log").write_text(f"line {i}\n")
                commands.append(["evidence", "add", incident_id, str(sources / f"worker-{i}.log")])
            else:
                commands.append(
                    [
                        "collection",
                        incident_id,
                        SOURCES[(i // 3) % len(SOURCES)],
                        "missing",
                        "--reason",
                        f"asked for it ({i})",
                    ]
                )
        before = int(
            subprocess.run(
                ["git", "-C", str(store.root), "rev-list", "--count", "HEAD"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        exe = [sys.executable, "-c", "import sys; from workbench.cli import main; sys.exit(main())"]
        start = time.perf_counter()
        procs = [
            subprocess.Popen(
                [*exe, "--store", str(store.root), *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for c in commands
        ]
        results = [(p.wait(timeout=600), p.communicate()[1].strip()) for p in procs]
        elapsed = time.perf_counter() - start
        failed = [(c, err) for c, (code, err) in zip(commands, results, strict=True) if code]
        after = int(
            subprocess.run(
                ["git", "-C", str(store.root), "rev-list", "--count", "HEAD"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        dirty = subprocess.run(
            ["git", "-C", str(store.root), "status", "--porcelain"], capture_output=True, text=True, check=True
        ).stdout
        comments = [c.text for c in load_review(store, incident_id).review.comments]
        evidence = [e.name for e in store.load(incident_id).incident.evidence]
        left_written = [
            c
            for c, _ in failed
            if c[0] == "review" and c[-1] in comments or c[0] == "evidence" and Path(c[-1]).name in evidence
        ]
        duplicated = [t for t in set(comments) if comments.count(t) > 1] + [
            n for n in set(evidence) if evidence.count(n) > 1
        ]
        print(
            f"{args.workers} concurrent edits in {elapsed:.1f}s: {len(failed)} failed, "
            f"{after - before} commits made, {len(left_written)} failed edits left written, "
            f"{len(duplicated)} duplicated, uncommitted files: {len(dirty.splitlines())}"
        )
        for command, err in failed:
            print(f"  failed: {' '.join(command[:2])}: {err.splitlines()[-1] if err else '?'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
