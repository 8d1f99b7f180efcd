"""Timeline import: each format in its own module turns a source into candidate events, each with
its source (file:line, commit id, message link), and reports bad records line by line without
stopping. Nothing is written here: candidates go to review (`services.timeline_review`)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .base import Candidate, ImportOptions, ImportProblem, ImportResult
from .evals import read_evals
from .git_history import read_git
from .langfuse import read_langfuse
from .langsmith import read_langsmith
from .logs import read_csv, read_jsonl
from .otel import read_otlp
from .paging import read_opsgenie, read_pagerduty
from .slack import read_slack

Reader = Callable[[Path, ImportOptions], ImportResult]

FORMATS: dict[str, tuple[Reader, str]] = {
    "git": (read_git, "git history of a repository (commits, merges, tags) in a time window"),
    "jsonl": (read_jsonl, "JSON Lines log: one object a line with a timestamp and a message field"),
    "csv": (read_csv, "CSV log with a header row, a timestamp and a message column"),
    "slack": (read_slack, "Slack workspace export folder (channel folders of daily JSON files)"),
    "pagerduty": (read_pagerduty, "PagerDuty incident log entries (JSON: log_entries)"),
    "opsgenie": (read_opsgenie, "Opsgenie alert logs (JSON or CSV: log, type, owner, createdAt)"),
    "otlp": (read_otlp, "OpenTelemetry OTLP JSON: error/slow spans and WARN+ log records, gen_ai.* attributes"),
    "langfuse": (read_langfuse, "Langfuse traces/observations export (JSON)"),
    "langsmith": (read_langsmith, "LangSmith runs export (JSON)"),
    "evals": (read_evals, "eval/experiment results (JSON or CSV): events where a metric crosses a threshold"),
}


def run_import(fmt: str, path: Path, opts: ImportOptions) -> ImportResult:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    if not path.exists():
        return ImportResult(problems=[ImportProblem(opts.label or str(path), None, "", "no such file or folder")])
    result = FORMATS[fmt][0](path, opts)
    result.candidates.sort(key=lambda c: c.time)
    return result


__all__ = ["Candidate", "FORMATS", "ImportOptions", "ImportProblem", "ImportResult", "run_import"]
