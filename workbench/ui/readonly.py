"""Read-only viewing (`workbench open --read-only`, `workbench serve --read-only`).

Two fences: the store refuses every write (`Store.read_only`, the authority), and the app refuses an
edit where it starts, so a viewer never types into a form that cannot be saved: every editing modal
(form, confirmation, pickers) closes itself at once, as if cancelled, with this notice."""

from __future__ import annotations

from textual.screen import Screen

NOTICE = "Read-only: this workbench is open for viewing; edits are refused."


def refuse_edit(screen: Screen) -> bool:
    """True (and a notice) when the app is read-only: the caller must not go on with the edit."""
    if getattr(screen.app, "read_only", False):
        screen.app.notify(NOTICE, severity="warning", timeout=6)
        return True
    return False
