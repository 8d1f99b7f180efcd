"""requirements.lock keeps the extras that installed packages ask for ("cachecontrol[filecache]==0.14.4").

Without them the pip a fresh Python 3.11 venv bundles (23.2) looks up the newest release for the extra's
requirement and, under --require-hashes, refuses it as unpinned: CI's fresh install broke that way the day
cachecontrol 0.15.0 was published. The installed packages' own metadata says which extras are asked for.
"""

from __future__ import annotations

import importlib.util
import subprocess
from importlib.metadata import distributions
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _locked_extras() -> dict[str, set[str]]:
    """Each pinned name with the extras its pin carries (a name pinned twice, per Python, merges)."""
    pins: dict[str, set[str]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line[:1].isalnum() and "==" in line:
            req = Requirement(line.split("==", 1)[0])
            pins.setdefault(canonicalize_name(req.name), set()).update(req.extras)
    return pins


def _asked_extras(pins: dict[str, set[str]]) -> dict[str, set[str]]:
    """Extras that the locked packages (and the workbench with its dev extra) require unconditionally here."""
    asked: dict[str, set[str]] = {}
    for dist in distributions():
        name = canonicalize_name(dist.metadata["Name"])
        own_extras = {"dev"} if name == "postmortem-workbench" else pins.get(name)
        if own_extras is None:
            continue
        for text in dist.requires or []:
            req = Requirement(text)
            if not req.extras:
                continue
            wanted = req.marker is None or any(req.marker.evaluate({"extra": e}) for e in {"", *own_extras})
            if wanted:
                asked.setdefault(canonicalize_name(req.name), set()).update(req.extras)
    return asked


def test_every_extra_a_locked_package_asks_for_is_on_its_pin() -> None:
    pins = _locked_extras()
    asked = _asked_extras(pins)
    assert "cachecontrol" in asked, "pip-audit asks for cachecontrol[filecache]; the scan found no extras at all"
    missing = {
        name: sorted(extras - pins.get(name, set()))
        for name, extras in asked.items()
        if name in pins and extras - pins[name]
    }
    assert not missing, f"pins without the extras asked for (lock with --no-strip-extras): {missing}"


def test_the_lock_command_keeps_extras() -> None:
    assert '"--no-strip-extras"' in (ROOT / "dev.py").read_text()


def _dev_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_uv_installs_the_lock_and_pip_takes_over_when_uv_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    dev = _dev_module()
    pip_calls: list[tuple[str, ...]] = []
    run_calls: list[list[str]] = []
    monkeypatch.setattr(dev, "_pip", lambda env, *args, quiet=False: pip_calls.append(args))

    def uv_fails(cmd: list[str], check: bool) -> None:
        run_calls.append(cmd)
        raise subprocess.CalledProcessError(2, cmd)

    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, check: run_calls.append(cmd))
    dev.install_lock()
    assert pip_calls == [("--require-hashes", "-r", str(dev.UV_LOCK))]  # pip installs only the pinned uv
    assert run_calls[0][1:3] == ["pip", "install"] and run_calls[0][-3:] == ["--require-hashes", "-r", str(dev.LOCK)]

    pip_calls.clear()
    monkeypatch.setattr(dev.subprocess, "run", uv_fails)
    dev.install_lock()
    assert pip_calls[-1][0] == "--require-hashes" and pip_calls[-1][-2:] == ("-r", str(dev.LOCK))  # pip instead


def test_uv_itself_is_pinned_by_hash() -> None:
    pins = [line for line in (ROOT / "requirements-uv.lock").read_text().splitlines() if line[:1].isalnum()]
    assert len(pins) == 1 and pins[0].startswith("uv==")
    assert (ROOT / "requirements-uv.lock").read_text().count("--hash=sha256:") >= 10  # a wheel per platform
