"""Every `type: ignore` in workbench/ names its error code (mypy enforces that: ignore-without-code) and says
why, in a comment after it or on the line above: an unexplained ignore hides whatever else goes wrong there."""

from __future__ import annotations

import re
from pathlib import Path

WORKBENCH = Path(__file__).resolve().parent.parent / "workbench"
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[a-z0-9, -]+\])?(?P<rest>.*)$")


def unexplained(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            match = IGNORE.search(line)
            if match is None:
                continue
            reason_after = match.group("rest").strip().startswith("#") and len(match.group("rest").strip()) > 3
            above = lines[number - 2].strip() if number > 1 else ""
            if not match.group("codes") or not (reason_after or above.startswith("#")):
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    return found


def test_every_type_ignore_names_its_code_and_a_reason() -> None:
    assert unexplained(WORKBENCH) == []


def test_the_check_reports_an_ignore_without_code_or_reason(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(
        "a = f()  # type: ignore[arg-type]  # f takes Any here\n"  # code and reason: fine
        "# the stub lacks it\n"
        "b = g()  # type: ignore[attr-defined]\n"  # reason on the line above: fine
        "c = h()  # type: ignore[arg-type]\n"  # no reason
        "d = k()  # type: ignore\n",
        encoding="utf-8",
    )  # no code
    assert unexplained(package) == [
        "pkg/m.py:4: c = h()  # type: ignore[arg-type]",
        "pkg/m.py:5: d = k()  # type: ignore",
    ]
