#!/usr/bin/env python3
"""One-step set-up for a fresh machine that has only Python 3.11+ and git.

    python3 dev.py run     open the workbench on a fresh copy of the bundled example store
    python3 dev.py test    run the whole test suite
    python3 dev.py bench   run the benchmarks and print their table

Each command creates `.venv/` (once, and again when pyproject.toml changes) and installs the
project into it, so nothing touches the system Python. Standard library only, on purpose.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-pyproject-sha256"


def _pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = _pyproject_hash()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    print("Installing the workbench and its test tools into .venv ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "run":
        cmd = [str(BIN / "workbench"), "demo", *rest]
    elif command == "test":
        cmd = [str(PY), "-m", "pytest", "-n", "2", "-q", *rest]
    else:
        cmd = [str(PY), str(ROOT / "benchmarks" / "run.py"), *rest]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
