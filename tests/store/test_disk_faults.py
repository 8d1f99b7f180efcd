"""Point 2: a disk that fails (ENOSPC, EIO) at any step of a save loses nothing.

The real `os` calls are wrapped so that exactly one chosen step of writing one chosen file fails; the
file is recognised by its path (through /proc/self/fd), so nothing else in the process is disturbed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from workbench.store import Store, StoreError
from workbench.store.errors import SaveFailed

STEPS = ["create-temp", "write", "fsync-file", "rename", "fsync-folder"]


class Fault:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, target: str, step: str, code: int):
        self.target, self.step, self.code = target, step, code
        self.fired = False
        self.renamed = False
        real_open, real_write, real_fsync, real_replace = os.open, os.write, os.fsync, os.replace

        def fd_name(fd: int) -> str:
            try:
                return os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                return ""

        def is_tmp(name: str) -> bool:
            base = os.path.basename(name)
            return base.startswith(f".{target}.") and base.endswith(".tmp") and ".before." not in base

        def fail(step_name: str, matches: bool) -> None:
            if matches and step_name == self.step and not self.fired:
                self.fired = True
                raise OSError(code, os.strerror(code))

        def fake_open(path, flags, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
            fail("create-temp", bool(flags & os.O_CREAT) and is_tmp(os.fspath(path)))
            return real_open(path, flags, mode, *args, **kwargs)

        def fake_write(fd, data):  # type: ignore[no-untyped-def]
            fail("write", is_tmp(fd_name(fd)))
            return real_write(fd, data)

        def fake_fsync(fd):  # type: ignore[no-untyped-def]
            name = fd_name(fd)
            fail("fsync-file", is_tmp(name))
            if self.renamed and os.path.isdir(name):
                self.renamed = False
                fail("fsync-folder", True)
            return real_fsync(fd)

        def fake_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
            matches = is_tmp(os.fspath(src)) and os.path.basename(os.fspath(dst)) == target
            fail("rename", matches)
            real_replace(src, dst, *args, **kwargs)
            self.renamed = matches

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "write", fake_write)
        monkeypatch.setattr(os, "fsync", fake_fsync)
        monkeypatch.setattr(os, "replace", fake_replace)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("target", ["incident.toml", "postmortem.md"])
@pytest.mark.parametrize("step", STEPS)
def test_a_failing_step_keeps_the_original_and_the_edit(
    example_store: Store, monkeypatch: pytest.MonkeyPatch, step: str, target: str, code: int
) -> None:
    record = example_store.load(example_store.ids()[0])
    before = _snapshot(record.folder)
    head = example_store.git.head_commit().sha
    edited = record.incident.model_copy(update={"summary": "an edit the disk refused"})
    narrative = record.narrative + "\nA paragraph typed before the disk filled up.\n"

    fault = Fault(monkeypatch, target, step, code)
    with pytest.raises(StoreError) as caught:
        example_store.save(record, edited, narrative, where="summary", what="edit")
    monkeypatch.undo()

    assert fault.fired
    error = caught.value
    assert isinstance(error, SaveFailed)
    assert errno.errorcode[code] in str(error) and "unchanged" in str(error)
    assert _snapshot(record.folder) == before  # byte-identical, and no temporary file left
    assert example_store.git.head_commit().sha == head
    kept = error.recovery
    assert kept is not None and kept.is_relative_to(example_store.root / ".workbench" / "recovery")
    assert "an edit the disk refused" in (kept / "incident.toml").read_text()
    assert (kept / "postmortem.md").read_text().endswith("A paragraph typed before the disk filled up.\n")
    assert str(example_store.display(kept)) in str(error)

    # Once the disk works again, the same save goes through.
    saved = example_store.save(record, edited, narrative, where="summary", what="edit")
    assert "an edit the disk refused" in (saved.folder / "incident.toml").read_text()


def test_the_edit_goes_to_a_temporary_folder_when_the_store_refuses_every_write(
    example_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    record = example_store.load(example_store.ids()[0])
    before = _snapshot(record.folder)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    real_write = os.write
    store_root = str(example_store.root)

    def full_disk(fd, data):  # type: ignore[no-untyped-def]
        if os.readlink(f"/proc/self/fd/{fd}").startswith(store_root):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(SaveFailed) as caught:
        example_store.save(record, record.incident.model_copy(update={"summary": "full"}), where="s", what="w")
    monkeypatch.undo()
    assert _snapshot(record.folder) == before
    assert caught.value.recovery is not None
    assert caught.value.recovery.is_relative_to(tmp_path / "tmp")
    assert 'summary = "full"' in (caught.value.recovery / "incident.toml").read_text()


def test_a_save_with_an_empty_narrative_and_no_markdown_file(empty_store: Store) -> None:
    from datetime import datetime, timezone

    from workbench.domain.model import Incident, KeyTimes

    record = empty_store.create(
        Incident(
            id="2025-01-01-no-narrative",
            title="No narrative",
            times=KeyTimes(started=datetime(2025, 1, 1, tzinfo=timezone.utc)),
        ),
        "",
    )
    assert record.md is None and not (record.folder / "postmortem.md").exists()
    saved = empty_store.save(record, record.incident.model_copy(update={"summary": "s"}), "", where="s", what="w")
    assert saved.md is None and not (saved.folder / "postmortem.md").exists()
