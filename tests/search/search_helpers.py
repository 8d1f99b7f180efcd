"""Helpers for the search tests: the benchmark's store generator, loaded by path (benchmarks/ is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_generator():
    if "wb_bench_generate" in sys.modules:
        return sys.modules["wb_bench_generate"]
    spec = importlib.util.spec_from_file_location("wb_bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["wb_bench_generate"] = module
    spec.loader.exec_module(module)
    return module
