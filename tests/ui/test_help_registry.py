"""Registries instead of hand lists: every screen registers its keys for the help, every pane has the key
its place in tab order gives it, and the incident screen binds them all."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import Screen

from workbench.ui import help_registry
from workbench.ui.app import WorkbenchApp
from workbench.ui.help_registry import binding_rows, help_sections
from workbench.ui.panes import DIGIT_KEYS, FUNCTION_KEYS, pane_classes, pane_keys
from workbench.ui.screens.incident import IncidentScreen


def all_screen_classes() -> set[type]:
    import workbench.ui

    for info in pkgutil.walk_packages(workbench.ui.__path__, "workbench.ui."):
        importlib.import_module(info.name)
    found: set[type] = set()
    todo = [Screen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("workbench."):
                found.add(sub)
    return found


def test_every_screen_with_keys_of_its_own_is_in_the_help() -> None:
    registered = {cls for _, _, cls in help_registry.registered()}
    with_keys = {cls for cls in all_screen_classes() if "BINDINGS" in vars(cls) and vars(cls)["BINDINGS"]}
    assert with_keys, "found no screens"
    missing = sorted(cls.__qualname__ for cls in with_keys - registered)
    assert not missing, f"decorate with @help_section(title, order): {missing}"


def test_the_help_lists_each_section_once_in_order_with_the_panes_after_search() -> None:
    titles = [title for title, _ in help_sections(pane_classes())]
    assert len(titles) == len(set(titles))
    assert titles[:3] == ["Incident list", "Incident screen", "Search"]
    assert titles[3 : 3 + len(pane_classes())] == [f"{p.title} pane" for p in pane_classes()]
    assert titles.index("Changed on disk") < titles.index("Review meeting")
    changed = dict(help_sections([]))["Changed on disk"]  # two modals share one section
    assert {b.id for b in changed} >= {"outside.reload", "both.back"}


def test_a_new_screen_registers_its_section_in_one_place(monkeypatch) -> None:
    from textual.binding import Binding

    monkeypatch.setattr(help_registry, "_REGISTERED", list(help_registry.registered()))

    @help_registry.help_section("Runbooks", order=65)
    class RunbookScreen(Screen[None]):
        BINDINGS = [Binding("r", "run", "Run", id="runbook.run")]

    sections = help_sections([])
    titles = [t for t, _ in sections]
    assert titles.index("Taxonomy screen") < titles.index("Runbooks") < titles.index("Learning screen")
    assert [b.id for b in dict(sections)["Runbooks"] if b.id] == ["runbook.run"]


def test_pane_keys_follow_the_scheme_and_have_room_for_more_than_ten() -> None:
    keys = [p.key for p in pane_classes()]
    assert keys == pane_keys()
    assert keys[:10] == list(DIGIT_KEYS) and keys[10] == "f8"  # F8 stays the Diagnostics pane's
    assert len(DIGIT_KEYS) + len(FUNCTION_KEYS) >= 15
    app_keys = {k.strip() for b in binding_rows(WorkbenchApp) for k in b.key.split(",")}
    assert not set(FUNCTION_KEYS) & app_keys  # F5 (sync) is never a pane key


def test_the_incident_screen_binds_every_pane_key() -> None:
    bound = {}
    for b in binding_rows(IncidentScreen):
        for key in b.key.split(","):
            bound[key.strip()] = b.action
    for n, pane in enumerate(pane_classes()):
        if pane.key in DIGIT_KEYS:
            assert bound[pane.key] == f"show_index({pane.key})"
            assert bound[f"alt+{pane.key}"] == f"show_index({pane.key})"
        else:
            assert bound[pane.key] == f"show_pane('{pane.pane_id}')", (n, pane)
