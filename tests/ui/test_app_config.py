"""Themes, keymaps and the command palette: what a user configures survives a restart."""

from __future__ import annotations

import tomllib

from textual.command import CommandPalette

from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig, config_dir
from workbench.ui.screens.incident import IncidentScreen

from .conftest import CLAUDE, open_incident, settle
from .waiting import palette_offers, until, until_screen


def test_bundled_themes_load_dark_light_high_contrast():
    from workbench.services.bundled import themes_dir
    from workbench.ui.themes import load_themes

    themes, problems = load_themes(themes_dir())
    assert problems == []
    names = {t.name for t in themes}
    assert {"workbench-dark", "workbench-light", "workbench-high-contrast"} <= names
    assert {t.name: t.dark for t in themes}["workbench-light"] is False


def test_broken_theme_file_is_reported_not_fatal(tmp_path):
    from workbench.ui.themes import load_themes

    (tmp_path / "bad.toml").write_text("name = 'x'\nprimary = \n")
    (tmp_path / "odd.toml").write_text("name = 'y'\nprimary = '#fff'\nsparkle = true\n")
    themes, problems = load_themes(tmp_path)
    assert themes == []
    assert any("bad.toml" in p for p in problems) and any("sparkle" in p for p in problems)


async def test_theme_choice_persists_in_user_config(ui_store):
    app = WorkbenchApp(ui_store, UserConfig.load())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.theme = "workbench-light"
        await pilot.pause()
    saved = tomllib.loads((config_dir() / "config.toml").read_text())
    assert saved["theme"] == "workbench-light"
    again = WorkbenchApp(ui_store, UserConfig.load())
    async with again.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "workbench-light"


async def test_keymap_file_rebinds_by_binding_id(ui_store):
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "keymap.toml").write_text('[keys]\n"incident.stage_next" = "ctrl+n"\n')
    app = WorkbenchApp(ui_store, UserConfig.load())
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "overview")
        # Move back one stage with the default key, then forward with the rebound one.
        await pilot.press("[")
        await settle(pilot)
        assert screen.session.incident.stage == "tracking"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.session.incident.stage == "closed"
    subjects = ui_store.git.repo.git.log("-2", "--format=%s").splitlines()
    assert subjects == [
        f"{CLAUDE}: stage: advance tracking -> closed",
        f"{CLAUDE}: stage: move back closed -> tracking",
    ]


async def test_broken_keymap_is_reported_and_ignored(ui_store):
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "keymap.toml").write_text("[keys\n")
    config = UserConfig.load()
    assert config.keymap == {} and "keymap.toml" in config.problems[0]
    app = WorkbenchApp(ui_store, config)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert any("keymap.toml" in m for m in app.notices)


async def test_palette_jumps_to_an_incident(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#incidents") and app.screen.query_one("#incidents").row_count)
        await pilot.press("ctrl+p")
        await until_screen(pilot, CommandPalette)
        await pilot.press(*"ultralytics")
        palette = app.screen
        await until(  # the palette searches its providers in the background
            pilot,
            lambda: palette_offers(palette, "ultralytics"),
            "the palette's hit",
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident to open")
        assert app.screen.session.id == "2024-12-04-ultralytics-pypi-supply-chain-compromise"


async def test_a_form_shows_its_save_and_cancel_keys_in_view_at_80x24_as_the_keymap_binds_them(ui_store):
    from textual.widgets import Static

    from workbench.ui.forms import FormModal

    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "keymap.toml").write_text('[keys]\n"form.save" = "ctrl+w"\n')
    app = WorkbenchApp(ui_store, UserConfig.load())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_incident(pilot, CLAUDE, "causes")
        await settle(pilot)
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        await settle(pilot)
        # The buttons are below the fields, out of view at 80x24; the docked title line says the keys.
        save = form.query_one("#save")
        assert save.region.y >= form.size.height  # below the screen's last row
        title = form.query_one(".form-title", Static)
        assert title.region.height and title.region.y < form.size.height
        shown = " ".join(app.export_screenshot().replace("&#160;", " ").split())
        assert "^w save · esc cancel" in shown
        assert "Save (^w)" in str(save.label)
        await pilot.press(*"Retry storm from clients")
        await pilot.press("ctrl+w")
        await until(pilot, lambda: not isinstance(app.screen, FormModal), "the form saved and closed")
    assert "Retry storm from clients" in (ui_store.folder_of(CLAUDE) / "incident.toml").read_text()
