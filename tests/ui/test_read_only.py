"""Read-only viewing (`workbench open --read-only`, what `workbench serve --read-only` runs): every edit is
refused where it starts, with a notice, and nothing reaches the files or git."""

from __future__ import annotations

import pytest

from workbench.store import ReadOnlyStore
from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.modals.pick import PickOneModal
from workbench.ui.readonly import NOTICE

from .conftest import CLAUDE, open_incident, settle
from .pane_helpers import head


async def test_read_only_app_refuses_every_edit(make_app, ui_store):
    toml = (ui_store.folder_of(CLAUDE) / "incident.toml").read_bytes()
    before = head(ui_store)
    app = make_app(read_only=True)
    async with app.run_test(size=(140, 40)) as pilot:
        assert app.sub_title == "read-only"
        screen = await open_incident(pilot, CLAUDE, "actions")
        pane = screen.pane("actions")
        pane.focus_entry("AI-004")
        for key in ("a", "e", "s", "d", "l"):  # add, edit, status picker, delete, link causes
            app.notices.clear()
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, (FormModal, ConfirmModal, PickOneModal)), key
            assert NOTICE in app.notices, key
        app.notices.clear()
        await pilot.press("space")  # the quick status change, which opens no modal
        await settle(pilot)
        assert NOTICE in app.notices
        assert screen.session.incident == screen.session.saved.incident  # nothing changed in memory either
    assert head(ui_store) == before
    assert (ui_store.folder_of(CLAUDE) / "incident.toml").read_bytes() == toml


async def test_the_same_keys_edit_when_not_read_only(make_app, ui_store):
    before = head(ui_store)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "actions")
        screen.pane("actions").focus_entry("AI-004")
        await pilot.press("space")
        await settle(pilot)
        assert NOTICE not in app.notices
    assert head(ui_store) != before


def test_a_read_only_store_refuses_writes_before_touching_files(ui_store):
    record = ui_store.load(CLAUDE)
    ui_store.read_only = True
    with pytest.raises(ReadOnlyStore, match="read-only"):
        ui_store.save(record, record.incident.model_copy(update={"title": "x"}), where="t", what="t")
    with pytest.raises(ReadOnlyStore):
        ui_store.save_taxonomy_text(ui_store.taxonomy_file().text, "t")
    with pytest.raises(ReadOnlyStore):
        ui_store.save_many([(record, record.incident.model_copy(update={"title": "x"}))], "t")
    assert ui_store.load(CLAUDE).incident.title == record.incident.title
