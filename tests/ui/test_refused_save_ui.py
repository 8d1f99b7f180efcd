"""A save git refuses (another git process holds the store's index) keeps the edit in the app: the user is
told, the files and history are as they were, and ctrl+s once git is free commits it exactly once."""

from __future__ import annotations

import subprocess

from textual.widgets import TextArea

from .conftest import CLAUDE, open_incident, settle


async def test_a_refused_narrative_save_keeps_the_text_and_a_retry_commits_once(make_app, ui_store):
    path = ui_store.folder_of(CLAUDE) / "postmortem.md"
    before, head = path.read_bytes(), ui_store.git.head_commit().sha
    holder = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=ui_store.root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    lock = ui_store.git.git_dir / "index.lock"
    lock.write_bytes(b"")
    try:
        app = make_app()
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await open_incident(pilot, CLAUDE, "narrative")
            editor = screen.query_one("#narrative-editor", TextArea)
            editor.insert("KEPT: typed while git was busy.\n", (0, 0))
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert any("another git process" in m for m in app.notices), list(app.notices)
            assert path.read_bytes() == before and ui_store.git.head_commit().sha == head
            assert editor.text.startswith("KEPT: typed while git was busy.")
            assert screen.session.dirty  # still unsaved, so leaving asks first
            status = str(screen.query_one("#narrative-status").render())
            assert "unsaved changes" in status, status

            lock.unlink()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not screen.session.dirty
            assert str(screen.query_one("#narrative-status").render()).startswith("saved")
    finally:
        holder.communicate(b"", timeout=30)
        lock.unlink(missing_ok=True)
    assert path.read_text().startswith("KEPT: typed while git was busy.")
    assert ui_store.git.repo.git.rev_list(f"{head}..HEAD").split().__len__() == 1
    assert ui_store.git.repo.git.status("--porcelain") == ""
