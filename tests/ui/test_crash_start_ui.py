"""Crash cleanup at app start: the app runs it itself (not only the CLI) and shows what it did."""

from __future__ import annotations

from workbench.store import Store

from .conftest import CLAUDE

SIZE = (120, 36)


def _leave_crash_debris(store: Store):
    folder = store.folder_of(CLAUDE)
    tmp = folder / ".incident.toml.k3j9x2ab.tmp"
    tmp.write_bytes(b'title = "half-writ')
    lock = store.git.git_dir / "index.lock"
    lock.write_bytes(b"")
    # The save was killed while it held the store lock: the lock file still names it (the marker that makes
    # the start walk every incident folder).
    store.lock.path.write_text("999999\n")
    return tmp, lock


async def _run_and_collect(app) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    real = app.notify

    def notify(message, **kw):  # type: ignore[no-untyped-def]
        seen.append((str(message), kw.get("title", "")))
        return real(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    return seen


async def test_an_app_made_directly_cleans_up_a_crash_and_says_so(make_app, ui_store):
    tmp, lock = _leave_crash_debris(ui_store)
    store = Store(ui_store.root)  # a fresh store object, as `WorkbenchApp(Store(path))` would get
    seen = await _run_and_collect(make_app(store))
    assert not tmp.exists() and not lock.exists()
    assert store.cleaned_up
    shown = "\n".join(m for m, title in seen if title == "At start")
    assert "removed 1 temporary file(s) left by an interrupted save" in shown and tmp.name in shown
    assert "removed a stale .git/index.lock" in shown
    # The incident itself was not touched, and git works again.
    assert Store(ui_store.root).load(CLAUDE).incident.id == CLAUDE
    assert ui_store.git.repo.git.status("--porcelain") == ""


async def test_after_the_cli_cleaned_up_the_app_shows_its_notes_and_does_not_run_it_again(
    make_app, ui_store, monkeypatch
):
    tmp, lock = _leave_crash_debris(ui_store)
    store = Store(ui_store.root)
    store.cleanup_after_crash()  # what `workbench open` does before the app starts
    assert not tmp.exists()
    runs = []
    monkeypatch.setattr(Store, "cleanup_after_crash", lambda self: runs.append(1))
    seen = await _run_and_collect(make_app(store))
    assert runs == []
    shown = "\n".join(m for m, title in seen if title == "At start")
    assert "temporary file" in shown and "index.lock" in shown


async def test_a_clean_start_shows_nothing(make_app, ui_store):
    seen = await _run_and_collect(make_app(Store(ui_store.root)))
    assert [m for m, title in seen if title == "At start"] == []
