"""A file that will not load opens read-only: bad bytes shown as \\xNN, the problem line marked, nothing written."""

from __future__ import annotations

import hashlib


from workbench.services.validation.rawview import raw_view
from workbench.ui.screens.raw_view import ReadOnlyViewScreen

from .conftest import CLAUDE, OPENAI, ULTRALYTICS, settle
from .waiting import until

SIZE = (130, 36)


def _break_utf8(store) -> tuple[bytes, int]:
    path = store.folder_of(OPENAI) / "incident.toml"
    lines = path.read_bytes().split(b"\n")
    n = next(i for i, line in enumerate(lines) if line.startswith(b"title = "))
    lines[n] = b'title = "API outage \xff\xfe caf\xe9"'
    data = b"\n".join(lines)
    path.write_bytes(data)
    return data, n + 1


def _fingerprint(store) -> dict[str, str]:
    """Every file of the store outside .git and the search index's cache, by content hash."""
    out = {}
    for p in sorted(store.root.rglob("*")):
        rel = p.relative_to(store.root)
        if p.is_file() and rel.parts[0] != ".git" and rel.parts[:2] != (".workbench", "cache"):
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


async def _wait_for_rows(pilot, n: int):
    """Until the list has n rows, one of them the broken file's problem row. The first rows come from the index's
    listing on disk, made before the file broke; the row turns into a problem row once the index thread has found
    the file changed: under load (`dev.py test --latest` at load 25) a test that waited for the row count alone
    saw the stale row."""
    table = pilot.app.screen.query_one("#incidents")
    await until(
        pilot,
        lambda: table.row_count == n and any(key.startswith("problem:") for key in table.keys),
        "the broken file's problem row (generous: CI machines are loaded)",
    )
    return table


def test_raw_view_escapes_bytes_that_are_not_utf8_and_control_characters() -> None:
    view = raw_view(b'a = "ok"\nb = "\xff\xfeX"\r\nc = "\x1b[31m"\n')
    assert view.total_lines == 3 and view.bad_bytes == 2
    assert [(p.text, p.escaped) for p in view.lines[1].pieces] == [
        ('b = "', False),
        ("\\xff", True),
        ("\\xfe", True),
        ('X"', False),
    ]
    assert "".join(p.text for p in view.lines[2].pieces) == 'c = "\\x1b[31m"'  # no escape reaches the terminal


def test_raw_view_of_a_long_file_keeps_a_window_around_the_problem() -> None:
    data = b"".join(b"line %d\n" % n for n in range(1, 20001))
    view = raw_view(data, focus_line=15000, max_lines=100)
    assert view.total_lines == 20000 and len(view.lines) == 100
    assert view.lines[0].number <= 15000 <= view.lines[-1].number


async def test_enter_on_a_broken_row_opens_it_read_only_and_writes_nothing(make_app, ui_store):
    data, line = _break_utf8(ui_store)
    path = ui_store.folder_of(OPENAI) / "incident.toml"
    mtime = path.stat().st_mtime_ns
    ui_store.git.repo.git.commit("-qam", "test: an incident.toml that is not UTF-8")
    head = ui_store.git.repo.head.commit.hexsha
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = await _wait_for_rows(pilot, 3)
        await app.workers.wait_for_complete()
        before = _fingerprint(ui_store)  # after the start (its crash cleanup takes the store lock file)
        keys = list(table.keys)
        assert keys[:2] == [CLAUDE, ULTRALYTICS] and keys[2].startswith("problem:")
        table.move_cursor(row=2)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, ReadOnlyViewScreen) and app.screen.view is not None,
            "isinstance(app.screen, ReadOnlyViewScreen) and app.screen.view is not None",
        )
        screen = app.screen
        assert isinstance(screen, ReadOnlyViewScreen)
        head_text = str(screen.query_one("#rawview-head").render())
        assert "opened read-only" in head_text
        assert f"incident.toml:{line}:" in head_text and "not valid UTF-8" in head_text
        assert "3 byte(s) are not UTF-8" in head_text
        body = str(screen.query_one("#rawview-body").render())
        assert 'title = "API outage \\xff\\xfe caf\\xe9"' in body
        assert f"▶{line:>5} " in body  # the problem line is marked
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReadOnlyViewScreen)
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
    assert _fingerprint(ui_store) == before
    assert ui_store.git.repo.head.commit.hexsha == head
    assert ui_store.git.repo.git.status("--porcelain") == ""


async def test_a_file_that_fails_validation_shows_its_error_line(make_app, ui_store):
    path = ui_store.folder_of(OPENAI) / "incident.toml"
    text = path.read_text().replace('severity = "P0"', 'severity = "P9"')
    path.write_text(text)
    line = text.splitlines().index('severity = "P9"') + 1
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_rows(pilot, 3)
        app.open_incident(OPENAI)  # the palette's way in: the same viewer
        await until(
            pilot,
            lambda: isinstance(app.screen, ReadOnlyViewScreen) and app.screen.view is not None,
            "isinstance(app.screen, ReadOnlyViewScreen) and app.screen.view is not None",
        )
        screen = app.screen
        assert isinstance(screen, ReadOnlyViewScreen)
        assert screen.problem_lines == [line]
        body = str(screen.query_one("#rawview-body").render())
        assert f'▶{line:>5} severity = "P9"' in body
        assert "severity" in str(screen.query_one("#rawview-head").render())
    assert path.read_text() == text


def test_read_only_viewer_snapshot(snap_compare, make_app, ui_store):
    _break_utf8(ui_store)

    async def run_before(pilot) -> None:
        table = await _wait_for_rows(pilot, 3)
        table.move_cursor(row=2)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ReadOnlyViewScreen) and pilot.app.screen.view is not None,
            "isinstance(pilot.app.screen, ReadOnlyViewScreen) and pilot.app.screen.view is not None",
        )
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_start_screen_with_a_broken_row_snapshot(snap_compare, make_app, ui_store):
    _break_utf8(ui_store)

    async def run_before(pilot) -> None:
        from .conftest import finding_counts_ready

        await _wait_for_rows(pilot, 3)
        await finding_counts_ready(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_read_raw_reads_only_inside_the_store(ui_store, tmp_path):
    import pytest

    from workbench.store import StoreError

    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not the store's")
    link = ui_store.folder_of(OPENAI) / "incident.toml.link"
    link.symlink_to(secret)
    for path in (link.relative_to(ui_store.root), secret, ui_store.root / ".." / "secret.txt"):
        with pytest.raises(StoreError, match="outside the store"):
            ui_store.read_raw(path)
    data, size = ui_store.read_raw(
        ui_store.folder_of(OPENAI).relative_to(ui_store.root) / "incident.toml", max_bytes=10
    )
    assert len(data) == 10 and size > 10
