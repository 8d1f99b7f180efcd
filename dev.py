#!/usr/bin/env python3
"""One-step set-up for a fresh machine that has only Python 3.11+ and git.

    python3 dev.py run             open the workbench on a fresh copy of the bundled example store
    python3 dev.py test            run the whole test suite
    python3 dev.py test --latest   the suite in a throw-away venv with the newest releases pyproject allows
    python3 dev.py lint            ruff check and ruff format --check over the tree, then mypy; CI runs it after the tests
    python3 dev.py bench           run the benchmarks and print their table
    python3 dev.py lock            re-resolve requirements.lock from pyproject.toml (needs the network)

Each command creates `.venv/` (once, and again when requirements.lock or pyproject.toml changes) and installs
exactly the versions and hashes of requirements.lock into it, so every machine and CI run the same code and
nothing touches the system Python. Standard library only, on purpose.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
# uv itself, pinned by hash: pip installs it, then it installs LOCK (see install_lock).
UV_LOCK = ROOT / "requirements-uv.lock"


def _bin(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def _python(env: Path) -> Path:
    return _bin(env) / ("python.exe" if os.name == "nt" else "python")


PY = _python(VENV)
WORKERS = (os.cpu_count() or 2) + 1  # pytest-xdist workers for `test` (see main)
STAMP = VENV / ".installed-lock-sha256"


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, UV_LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _step(number: int, total: int, text: str) -> None:
    print(f"[{number}/{total}] {text}", flush=True)


def _pip(env: Path, *args: str, quiet: bool = False) -> None:
    cmd = [str(_python(env)), "-m", "pip", "install", "--disable-pip-version-check", *args]
    if quiet:
        cmd.append("-q")
    subprocess.run(cmd, check=True)


def _install_uv() -> Path:
    """The pinned uv in .venv (pip installs it from UV_LOCK, hashes checked); its path."""
    _pip(VENV, "--require-hashes", "-r", str(UV_LOCK), quiet=True)
    return _bin(VENV) / "uv"


def install_lock() -> None:
    """Every locked package, hashes checked. uv does it in parallel (seconds where pip took ~2 minutes of CI's
    fifteen); pip does it when uv cannot be installed or cannot reach an index (uv does not read pip's config)."""
    try:
        uv_path = _install_uv()
        # --compile-bytecode as pip does: where PYTHONDONTWRITEBYTECODE is set (CI machines often do), a package
        # installed without .pyc files is compiled from source again by every process that imports it.
        uv = [
            str(uv_path),
            "pip",
            "install",
            "--python",
            str(PY),
            "--link-mode",
            "copy",
            "--compile-bytecode",
        ]
        subprocess.run([*uv, "--require-hashes", "-r", str(LOCK)], check=True)
    except subprocess.CalledProcessError:
        print("uv could not install the lock; pip installs it instead (1-3 minutes) ...", flush=True)
        _pip(VENV, "--require-hashes", "--progress-bar", "on", "-r", str(LOCK))


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    wanted = _inputs_hash()
    if PY.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    started = time.monotonic()
    print(
        "First run (or requirements.lock changed): setting up .venv. This usually takes under a minute on a fresh "
        "machine (about 150 MB of wheels; 1-3 minutes if pip has to do it), seconds when the cache is warm.",
        flush=True,
    )
    if not PY.exists():
        _step(1, 3, "creating the virtual environment .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    else:
        _step(1, 3, "reusing .venv")
    packages = sum(1 for line in LOCK.read_text().splitlines() if line[:1].isalnum())
    _step(2, 3, f"installing the {packages} locked packages from requirements.lock (hashes checked)")
    install_lock()
    _step(3, 3, "installing the workbench itself (editable, no dependencies beyond the lock)")
    _pip(VENV, "--no-deps", "--no-build-isolation", "-e", str(ROOT), quiet=True)
    STAMP.write_text(wanted)
    print(f"Ready in {time.monotonic() - started:.0f} s.", flush=True)


def compile_workbench() -> None:
    """Bytecode for the workbench's own modules, as an installed wheel has: with PYTHONDONTWRITEBYTECODE set, every
    start (and every CLI a test runs) compiled them from source again (~120 ms of CPU a start). Only changed files
    are compiled, so it costs ~0.1 s when nothing changed."""
    subprocess.run([str(PY), "-m", "compileall", "-q", "-j", "0", str(ROOT / "workbench")], check=True)


def test_latest(rest: list[str]) -> int:
    """The suite against the newest releases pyproject allows, in a venv thrown away afterwards.

    CI keeps using the lock; this is how an upstream release that breaks us is found before users find it.
    """
    with tempfile.TemporaryDirectory(prefix="workbench-latest-") as tmp:
        env = Path(tmp) / "venv"
        print(f"Creating a throw-away venv in {env} with the newest allowed releases ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(env)
        _pip(env, "--upgrade", "pip", quiet=True)
        _pip(env, "--upgrade", "--upgrade-strategy", "eager", "-e", f"{ROOT}[dev]", quiet=True)
        frozen = subprocess.run(
            [str(_python(env)), "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
        ).stdout
        locked: dict[str, set[str]] = {}  # a name may be pinned twice, for different Pythons (markers)
        for line in LOCK.read_text().splitlines():
            if "==" in line and line[:1].isalnum():
                name, version = line.split("==", 1)
                name = name.split("[", 1)[0]  # "cachecontrol[filecache]" is pinned as cachecontrol
                locked.setdefault(name.lower(), set()).add(version.split()[0].rstrip(";"))
        newer = []
        for line in frozen.splitlines():
            if "==" in line:
                name, version = line.split("==", 1)
                pinned = locked.get(name.lower().replace("_", "-"))
                if pinned and version not in pinned:
                    newer.append(f"{name} {' / '.join(sorted(pinned))} -> {version}")
        print("Newer than the lock: " + (", ".join(newer) if newer else "nothing"), flush=True)
        return subprocess.call(
            [str(_python(env)), "-m", "pytest", "-n", str(WORKERS), "-q", "-p", "no:cacheprovider", *rest], cwd=ROOT
        )


def lock() -> int:
    uv = _bin(VENV) / "uv"
    if not uv.exists():
        uv = _install_uv()
    return subprocess.call(
        [
            str(uv),
            "pip",
            "compile",
            "pyproject.toml",
            "--extra",
            "dev",
            "--generate-hashes",
            "--universal",
            "--python-version",
            "3.11",
            "--upgrade",
            # Extras stay on the pins ("cachecontrol[filecache]==..."): without them the pip that Python 3.11's venv
            # bundles (23.2) fetches the newest release for a dependency's extra and refuses it as unpinned under
            # --require-hashes, so a fresh install broke the day cachecontrol 0.15.0 came out.
            "--no-strip-extras",
            "-o",
            "requirements.lock",
        ],
        cwd=ROOT,
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "lint", "bench", "lock"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "test" and "--latest" in rest:
        return test_latest([a for a in rest if a != "--latest"])
    ensure_env()
    if command == "lock":
        return lock()
    compile_workbench()
    if command == "run":
        cmd = [str(_bin(VENV) / "workbench"), "demo", *rest]
    elif command == "test":
        # One worker more than the cores: a UI test waits on timers, git and threads about a quarter of its time
        # (CI's run: 23:07 of CPU over 15:38 on 2 cores), and a third worker fills those waits. The 25 slowest tests
        # are listed at the end, so every CI log says where the suite's time goes.
        cmd = [str(PY), "-m", "pytest", "-n", str(WORKERS), "-q", "--durations=25", *rest]
    elif command == "lint":
        # Both run even when ruff finds something, so one CI run reports every problem.
        ruff = subprocess.call([str(_bin(VENV) / "ruff"), "check", ".", *rest], cwd=ROOT)
        print("ruff format --check (the tree is kept as `ruff format .` writes it) ...", flush=True)
        ruff = subprocess.call([str(_bin(VENV) / "ruff"), "format", "--check", "."], cwd=ROOT) or ruff
        print("mypy (strict on domain/, store/, services/; default checks on ui/, cli/) ...", flush=True)
        types = subprocess.call([str(_bin(VENV) / "mypy")], cwd=ROOT)
        return ruff or types
    else:
        cmd = [str(PY), str(ROOT / "benchmarks" / "run.py"), *rest]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
