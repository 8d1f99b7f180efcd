"""Git history of any repository in a time window: commits, merges and tags (deploys, config
changes, releases). The reading itself is in `store.git_evidence`: only the store imports git."""

from __future__ import annotations

from pathlib import Path

from ....store import StoreError
from ....store.git_evidence import read_history
from .base import Candidate, ImportOptions, ImportProblem, ImportResult, one_line


def read_git(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    repo = opts.label or path.name
    try:
        events = read_history(path, opts.since, opts.until)
    except StoreError as exc:
        result.problems.append(ImportProblem(repo, None, "", str(exc)))
        return result
    for e in events:
        if e.kind == "tag":
            event = f"Tag {e.ref} in {path.name}: {one_line(e.subject, 200)}"
            source = f"git {repo} tag {e.ref} ({e.sha[:10]})"
        else:
            verb = "Merge" if e.kind == "merge" else "Commit"
            event = f"{verb} in {path.name} by {e.author}: {one_line(e.subject, 200)}"
            source = f"git {repo} {e.sha[:10]}"
        raw = f"{e.sha} {e.time.isoformat()} {e.author}: {e.subject}" + (
            "\nfiles: " + ", ".join(e.files) if e.files else ""
        )
        # A change is context until a reviewer says it was the trigger: never presume a cause.
        result.candidates.append(Candidate(e.time, event, "context", source, raw, repo))
    return result
