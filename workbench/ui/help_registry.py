"""Every screen says what its keys are: a class decorator puts its bindings in the help (`?`).

    @help_section("Taxonomy screen", order=60)
    class TaxonomyScreen(Screen[None]): ...

Sections are shown by `order`; classes that share a title share a section (in the order they were defined).
The panes need no decorator: each pane in `pane_classes()` (the panes' own registry) is a section of its
own, in tab order.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TypeVar

from textual.binding import Binding

T = TypeVar("T", bound=type)

PANES_ORDER = 40  # where the panes' sections go among the screens'
_REGISTERED: list[tuple[int, str, type]] = []
# Screens and modals load lazily (the app starts sooner); the help loads them to list their keys.
_LAZY_PACKAGES = ("workbench.ui.screens", "workbench.ui.modals")


def help_section(title: str, order: int, also: tuple[type, ...] = ()) -> Callable[[T], T]:
    """Register a screen's keys under `title`; `also` adds the keys of widgets it holds (the list's table),
    those the workbench declares, not Textual's own scrolling keys of every widget."""

    def register(cls: T) -> T:
        _REGISTERED.append((order, title, cls))
        _ALSO[cls] = also
        return cls

    return register


_ALSO: dict[type, tuple[type, ...]] = {}


def _rows(screen: type) -> list[Binding]:
    """A screen's keys, then those of the widgets it named in `also` that the screen does not bind itself."""
    rows = binding_rows(screen)
    keys = {b.key for b in rows}
    return rows + [b for widget in _ALSO.get(screen, ()) for b in _own_rows(widget) if b.key not in keys]


def _own_rows(widget: type) -> list[Binding]:
    rows: dict[str, Binding] = {}
    for cls in reversed(widget.__mro__):
        if cls.__module__.startswith("workbench.") and "BINDINGS" in vars(cls):
            for b in vars(cls)["BINDINGS"]:
                if isinstance(b, Binding):
                    rows[b.key] = b
    return list(rows.values())


def binding_rows(owner: type) -> list[Binding]:
    """The bindings a class declares itself and inherits, base classes first; a key a subclass binds again
    is listed once, with the subclass's meaning (as Textual runs it)."""
    rows: dict[str, Binding] = {}
    for cls in reversed(owner.__mro__):
        for b in getattr(cls, "BINDINGS", []) if "BINDINGS" in vars(cls) else []:
            if isinstance(b, Binding):
                rows[b.key] = b
    return list(rows.values())


def registered() -> list[tuple[int, str, type]]:
    for package in _LAZY_PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            importlib.import_module(f"{package}.{info.name}")
    return sorted(_REGISTERED, key=lambda entry: entry[0])  # stable: same order keeps definition order


def help_sections(panes: list[type]) -> list[tuple[str, list[Binding]]]:
    """(title, bindings) for every registered screen and each of `panes` (the incident screen's, in tab order)."""
    entries: list[tuple[int, str, list[Binding]]] = [(order, title, _rows(cls)) for order, title, cls in registered()]
    entries += [(PANES_ORDER, f"{getattr(pane, 'title', pane.__name__)} pane", binding_rows(pane)) for pane in panes]
    sections: dict[str, list[Binding]] = {}
    for _, title, rows in sorted(entries, key=lambda entry: entry[0]):
        sections.setdefault(title, []).extend(rows)
    return list(sections.items())
