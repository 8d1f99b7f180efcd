"""What Langfuse and LangSmith imports share: one event per trace/run saying model, latency, error,
scores and the ids that lead back to the prompt and output (for prompt archaeology)."""

from __future__ import annotations

from datetime import datetime

from .base import ImportOptions


def describe(
    tool: str,
    name: str,
    *,
    model: str | None,
    latency_s: float | None,
    error: str | None,
    scores: dict[str, float],
    ids: list[str],
    opts: ImportOptions,
) -> tuple[str, bool]:
    """(event text, notable): notable = failed, slower than the threshold, or a score under it."""
    slow = latency_s is not None and opts.latency_ms is not None and latency_s * 1000 >= opts.latency_ms
    low = {k: v for k, v in scores.items() if opts.threshold is not None and v < opts.threshold}
    parts = [f"{tool}: {name}"]
    if error:
        parts.append(f"ERROR {' '.join(str(error).split())[:200]}")
    details = []
    if model:
        details.append(f"model={model}")
    if latency_s is not None:
        details.append(f"latency={latency_s:.2f}s" + (" (slow)" if slow else ""))
    for key, value in scores.items():
        details.append(f"{key}={value:g}" + (" (low)" if key in low else ""))
    details.extend(ids)
    event = " — ".join([" ".join(parts), ", ".join(details)]) if details else " ".join(parts)
    return event, bool(error or slow or low)


def seconds_between(start: datetime, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if end else None
