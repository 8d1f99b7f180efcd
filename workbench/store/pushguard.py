"""A private store is never pushed, not even by a plain `git push`: a pre-push hook that always refuses.

The workbench itself refuses `remote add` and `sync` on a private store; git alone would still push. So
every Store opened on a private store (store.toml, tracked, says private = true: a clone is private too)
makes sure `.git/hooks/pre-push` is this fixed script. It lives in `.git/`, which git never tracks or
clones, and it holds nothing read from the store: only git runs it, and it only prints and exits 1.
It is a guard against accidents, not a wall: `git push --no-verify` skips hooks.
"""

from __future__ import annotations

import os
from pathlib import Path

from .textio import fsync_dir

HOOK = "pre-push"
MARK = "# postmortem-workbench: private store push guard"
HOOK_TEXT = f"""#!/bin/sh
{MARK} (v1)
# Installed by Postmortem Workbench because this store's tracked store.toml says private = true.
# It reads nothing from the store and always refuses.
echo "push refused: this is a private Postmortem Workbench store (store.toml says private = true)." >&2
echo "Its incidents must not leave this machine. To share one, redact it and move it to a team store" >&2
echo "with: workbench move ID --to STORE" >&2
echo "(If store.toml no longer says private, delete this hook: .git/hooks/pre-push)" >&2
exit 1
"""


def hook_path(common_git_dir: Path) -> Path:
    return common_git_dir / "hooks" / HOOK


def installed(common_git_dir: Path) -> bool:
    path = hook_path(common_git_dir)
    try:
        return path.read_text(encoding="utf-8") == HOOK_TEXT and os.access(path, os.X_OK)
    except (OSError, UnicodeDecodeError):
        return False


def install(common_git_dir: Path, hooks_path_setting: str | None = None) -> list[str]:
    """Put the guard in place (idempotent); what was done or could not be done, in words."""
    notes: list[str] = []
    path = hook_path(common_git_dir)
    if not installed(common_git_dir):
        try:
            if path.exists() or path.is_symlink():
                # Someone's own pre-push hook: kept beside it, never run while the store is private.
                kept = path.with_name(f"{HOOK}.before-workbench")
                os.replace(path, kept)
                notes.append(f"your own .git/hooks/{HOOK} was moved to {kept.name}: a private store is never pushed")
            _write_executable(path, HOOK_TEXT.encode())
            notes.append(f"private store: installed .git/hooks/{HOOK}, so a plain `git push` is refused too")
        except OSError as exc:
            notes.append(
                f"private store: could not install the pre-push guard ({exc}); a plain `git push` would not be stopped"
            )
    if hooks_path_setting:
        notes.append(
            f"private store: git's core.hooksPath is set ({hooks_path_setting}), so git does not run "
            f".git/hooks/{HOOK}: a plain `git push` is not stopped. Unset core.hooksPath for this store"
        )
    return notes


def _write_executable(path: Path, data: bytes) -> None:
    """Executable from the first moment it has its name (git skips a hook that is not executable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755)
    try:
        try:
            os.write(fd, data)
            os.fchmod(fd, 0o755)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
