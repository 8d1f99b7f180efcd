"""Point 9: the dependency floors in pyproject.toml clear every known advisory (offline, see .ci/advisories.toml),
and the installed versions do too."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def _floors() -> dict[str, Version]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    out = {}
    for dep in deps:
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)", dep)
        if match:
            out[match.group(1).lower()] = Version(match.group(2))
    return out


def test_floors_clear_known_advisories() -> None:
    advisories = tomllib.loads((ROOT / ".ci" / "advisories.toml").read_text())["advisory"]
    floors = _floors()
    assert {"gitpython", "mistune"} <= {a["package"].lower() for a in advisories}
    for advisory in advisories:
        name = advisory["package"].lower()
        assert name in floors, f"{advisory['package']} has no floor (>=) in pyproject.toml"
        assert floors[name] >= Version(advisory["fixed"]), (
            f"{advisory['package']}>={floors[name]} admits {advisory['id']}, fixed in {advisory['fixed']}"
        )
        assert Version(version(advisory["package"])) >= Version(advisory["fixed"])


def test_ci_runs_the_audit() -> None:
    run = (ROOT / ".ci" / "run").read_text()
    assert "python3 .ci/audit.py" in run
