"""Points 8 and 9: private stores, moving an incident between stores, and security hygiene."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import Incident, KeyTimes
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store

PACKAGE = Path(__file__).resolve().parent.parent / "workbench"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_init_private_refuses_remotes_and_push_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "private"
    assert main(["init", "--private", str(root)]) == 0
    assert "private store" in capsys.readouterr().out
    assert git(root, "ls-files", "store.toml").strip() == "store.toml"  # tracked: every clone is private too
    assert main(["--store", str(root), "remote", "add", "origin", str(tmp_path / "team.git")]) == 2
    err = capsys.readouterr().err
    assert "cannot add a remote" in err and "private store" in err and "workbench move" in err
    assert git(root, "remote").strip() == ""
    # Even with a remote added behind its back (plain git), sync refuses to push.
    git(tmp_path, "init", "--bare", "-q", str(tmp_path / "team.git"))
    git(root, "remote", "add", "origin", str(tmp_path / "team.git"))
    assert main(["--store", str(root), "sync"]) == 2
    assert "cannot sync" in capsys.readouterr().err
    assert git(tmp_path / "team.git", "rev-list", "--all").strip() == ""  # nothing was pushed
    # A clone of a private store is private as well.
    git(tmp_path, "clone", "-q", str(root), "copy")
    assert Store(tmp_path / "copy").private


def test_a_team_store_is_not_private_and_takes_a_remote(empty_store: Store, tmp_path: Path) -> None:
    assert not empty_store.private
    assert main(["--store", str(empty_store.root), "remote", "add", "origin", str(tmp_path / "x.git")]) == 0
    assert git(empty_store.root, "remote").strip() == "origin"


def test_move_makes_one_commit_in_each_store(tmp_path: Path) -> None:
    private = Store.init(tmp_path / "private", default_taxonomy_text(), private=True)
    team = Store.init(tmp_path / "team", default_taxonomy_text())
    started = datetime(2025, 5, 6, 7, 8, tzinfo=timezone.utc)
    record = private.create(
        Incident(id="2025-05-06-redacted", title="Redacted", times=KeyTimes(started=started)),
        "# Redacted\n\nNothing secret left.\n",
    )
    files = {p.name: p.read_bytes() for p in record.folder.iterdir()}
    counts = {s: int(git(s.root, "rev-list", "--count", "HEAD")) for s in (private, team)}
    assert main(["--store", str(private.root), "move", record.id, "--to", str(team.root)]) == 0
    for store in (private, team):
        assert int(git(store.root, "rev-list", "--count", "HEAD")) == counts[store] + 1
        assert git(store.root, "status", "--porcelain").strip() == ""
    assert record.id not in Store(private.root).ids()
    moved = Store(team.root).load(record.id)
    assert {p.name: p.read_bytes() for p in moved.folder.iterdir()} == files
    assert git(team.root, "log", "-1", "--format=%s").startswith(f"{record.id}: move:")
    # Moving again (it is gone) is refused with a message, and nothing changes.
    assert main(["--store", str(private.root), "move", record.id, "--to", str(team.root)]) == 2


def test_move_refuses_an_id_the_target_already_has(tmp_path: Path) -> None:
    a = Store.init(tmp_path / "a", default_taxonomy_text())
    b = Store.init(tmp_path / "b", default_taxonomy_text())
    incident = Incident(
        id="2025-05-06-same", title="Same", times=KeyTimes(started=datetime(2025, 5, 6, tzinfo=timezone.utc))
    )
    a.create(incident)
    b.create(incident)
    with pytest.raises(Exception, match="already holds"):
        a.move_to(incident.id, b)
    assert incident.id in Store(a.root).ids()


# ------------------------------------------------------------------------------------- hygiene
SHELL_PATTERNS = [
    r"shell\s*=\s*True",
    r"\bos\.system\(",
    r"\bos\.popen\(",
    r"\bos\.exec\w*\(",
    r"\bos\.spawn\w*\(",
    r"subprocess\.\w+\(\s*[\"f]",
    r"commands\.getoutput",
]


def test_no_shell_strings_anywhere_in_the_code() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if any(re.search(p, line) for p in SHELL_PATTERNS):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not offenders, "shell strings:\n" + "\n".join(offenders)


def test_only_git_is_ever_executed_below_the_ui() -> None:
    """Every program the store, services and CLI start is git (GitPython's repo.git, or ['git', ...] lists), with
    one fixed exception: `workbench publish` runs Pagefind as this interpreter's `-m pagefind` (the package's
    own entry point, named in our code, never by a store's files).
    (The UI may open the user's $EDITOR, named by the environment, never by a store's files.)"""
    found = []
    for path in sorted(p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts):
        text = path.read_text()
        for match in re.finditer(r"subprocess\.(?:run|Popen|call|check_call|check_output)\(\s*\[([^\]]+)", text):
            args = [a.strip() for a in match.group(1).split(",")]
            found.append((path.relative_to(PACKAGE).as_posix(), args[0], args[1:3]))
    pagefind = ("services/publish/site.py", "sys.executable", ['"-m"', '"pagefind"'])
    assert found and all(
        program in ('"git"', "'git'") or (path, program, rest) == pagefind for path, program, rest in found
    ), found


def test_tracked_files_cannot_make_the_workbench_run_a_program(tmp_path: Path) -> None:
    """A hostile store: tracked files name filters, diff and merge programs, hooks and an editor."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(remote))
    store = Store.init(tmp_path / "hostile", default_taxonomy_text())
    pwned = tmp_path / "PWNED"
    command = f"touch {pwned}"
    (store.root / ".gitattributes").write_text(
        "* filter=evil diff=evil merge=evil\nincidents/**/incident.toml merge=workbench\n"
    )
    (store.root / ".gitconfig").write_text(
        f'[filter "evil"]\n\tclean = {command}\n\tsmudge = {command}\n'
        f'[merge "workbench"]\n\tdriver = {command}\n'
        f"[core]\n\thooksPath = hooks\n\teditor = {command}\n"
    )
    (store.root / ".gitmodules").write_text(f'[submodule "x"]\n\tpath = x\n\turl = ext::{command}\n')
    (store.root / "hooks").mkdir()
    for hook in ("pre-commit", "post-commit", "pre-push", "post-checkout", "post-rewrite"):
        (store.root / "hooks" / hook).write_text(f"#!/bin/sh\n{command}\n")
        (store.root / "hooks" / hook).chmod(0o755)
    (store.root / "store.toml").write_text(f'private = false\neditor = "{command}"\nmerge_driver = "{command}"\n')
    git(store.root, "add", "-A")
    git(store.root, "commit", "-q", "--no-verify", "-m", "hostile files")
    git(store.root, "remote", "add", "origin", str(remote))
    git(store.root, "push", "-q", "--no-verify", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", "--no-checkout", str(remote), "victim")
    victim = tmp_path / "victim"
    git(victim, "-c", "core.hooksPath=/dev/null", "checkout", "-q", "main")
    assert not pwned.exists()

    # Everything the workbench does with the clone: open, setup, create, save, validate, sync.
    assert main(["--store", str(victim), "setup-merge"]) == 0
    assert main(["--store", str(victim), "new", "Hostile store test", "--started", "2025-01-01T00:00:00Z"]) == 0
    opened = Store(victim)
    record = opened.load(opened.ids()[0])
    opened.save(record, record.incident.model_copy(update={"summary": "edited"}), where="s", what="edit")
    main(["--store", str(victim), "validate"])
    assert main(["--store", str(victim), "sync"]) == 0
    assert not pwned.exists()


def test_a_plain_git_push_of_a_private_store_is_refused_by_its_hook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "private"
    assert main(["init", "--private", str(root)]) == 0
    assert ".git/hooks/pre-push" in capsys.readouterr().out
    hook = root / ".git" / "hooks" / "pre-push"
    assert hook.stat().st_mode & 0o111
    assert git(root, "ls-files", "--", ".git").strip() == "" and git(root, "status", "--porcelain").strip() == ""
    bare = tmp_path / "team.git"
    git(tmp_path, "init", "--bare", "-q", str(bare))
    git(root, "remote", "add", "origin", str(bare))  # behind the workbench's back
    push = subprocess.run(["git", "push", "-q", "origin", "HEAD:main"], cwd=root, capture_output=True, text=True)
    assert push.returncode != 0
    assert "push refused" in push.stderr and "store.toml says private = true" in push.stderr
    assert git(bare, "rev-list", "--all").strip() == ""  # nothing reached the remote
    # The hook holds nothing from the store: the same fixed text for every store.
    other = Store.init(tmp_path / "other", default_taxonomy_text(), private=True)
    assert (other.root / ".git/hooks/pre-push").read_bytes() == hook.read_bytes()
    assert str(root) not in hook.read_text()


def test_the_first_workbench_command_on_a_clone_of_a_private_store_installs_the_hook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.init(tmp_path / "private", default_taxonomy_text(), private=True)
    git(tmp_path, "clone", "-q", str(tmp_path / "private"), "copy")
    copy = tmp_path / "copy"
    hook = copy / ".git" / "hooks" / "pre-push"
    assert not hook.exists()  # git never clones hooks
    # A clone's own earlier pre-push hook is kept aside, not run, not lost.
    hook.write_text("#!/bin/sh\nexit 0\n")
    hook.chmod(0o755)
    assert main(["--store", str(copy), "list"]) == 0
    err = capsys.readouterr().err
    assert "installed .git/hooks/pre-push" in err and "pre-push.before-workbench" in err
    assert (copy / ".git/hooks/pre-push.before-workbench").read_text() == "#!/bin/sh\nexit 0\n"
    bare = tmp_path / "team.git"
    git(tmp_path, "init", "--bare", "-q", str(bare))
    git(copy, "remote", "add", "team", str(bare))
    push = subprocess.run(["git", "push", "-q", "team", "HEAD:main"], cwd=copy, capture_output=True, text=True)
    assert push.returncode != 0 and "private Postmortem Workbench store" in push.stderr
    assert git(bare, "rev-list", "--all").strip() == ""
    # Once installed, later commands say nothing about it.
    assert main(["--store", str(copy), "list"]) == 0
    assert "pre-push" not in capsys.readouterr().err


def test_a_team_store_gets_no_push_guard_and_pushes(empty_store: Store, tmp_path: Path) -> None:
    assert empty_store.guard_notes == []
    assert not (empty_store.git.common_dir / "hooks" / "pre-push").exists()
    bare = tmp_path / "team.git"
    git(tmp_path, "init", "--bare", "-q", str(bare))
    git(empty_store.root, "remote", "add", "origin", str(bare))
    git(empty_store.root, "push", "-q", "origin", "HEAD:main")
    assert git(bare, "rev-list", "--all").strip() != ""


def test_a_hooks_path_setting_that_bypasses_the_guard_is_reported(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "private", default_taxonomy_text(), private=True)
    git(store.root, "config", "core.hooksPath", str(tmp_path / "elsewhere"))
    notes = Store(store.root).guard_notes
    assert any("core.hooksPath is set" in n and "not stopped" in n for n in notes)
