"""Diagnostics: the statistics a postmortem needs (reproduction rates, sample ratio mismatch, eval deltas,
impact arithmetic, rate changes), saved in incident.toml with their inputs and re-run on demand.

    kinds.py    one pure function per kind (scipy / statsmodels, imported only when computing)
    inputs.py   evidence files (eval JSONL, exposure CSV, OTLP JSON), hash-checked before use
    runner.py   compute from saved inputs, save, re-run and compare, feed the impact figure
    text.py     numbers as they read in sentences
"""

from .kinds import Computed, InputError
from .runner import INPUT_KEYS, Rerun, add, commit_what, compute, feed_impact, new_diagnostic, rerun, status_of

__all__ = [
    "INPUT_KEYS",
    "Computed",
    "InputError",
    "Rerun",
    "add",
    "commit_what",
    "compute",
    "feed_impact",
    "new_diagnostic",
    "rerun",
    "status_of",
    "kinds",
    "runner",
    "text",
]
