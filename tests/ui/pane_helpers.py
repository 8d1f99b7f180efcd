"""Helpers shared by the pane tests: read the incident file, wait for a modal pushed from a worker."""

from __future__ import annotations

import tomllib


def read_incident(store, incident_id: str) -> dict:
    """incident.toml as the store holds it now (the file on disk, or the in-memory store's bytes)."""
    return tomllib.loads(store.load(incident_id).toml.text)


def cause_of(data: dict, cause_id: str) -> dict:
    return next(c for c in data["causes"] if c["id"] == cause_id)


def action_of(data: dict, action_id: str) -> dict:
    return next(a for a in data["actions"] if a["id"] == action_id)


def head(store) -> str:
    return store.git.repo.head.commit.hexsha


def latest(store, incident_id: str) -> str:
    """The id of the incident's newest version, on either store (the git store's head may be another's)."""
    return store.history(incident_id, 1)[0].sha


def shown_text(static) -> str:
    """The plain text a Static shows, whether it holds a string, a Text or a rich Group."""
    import io

    from rich.console import Console

    if isinstance(static.content, str):
        return static.content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


NEW_ACTION = {
    "action": "Validate per-pool routing config in CI",
    "owner": "@inference-platform",
    "due": "2025-11-15",
    "priority": "P1",
    "verification": "A misrouting config fails the CI check",
}


def fill_action_form(form, values: dict[str, str] = NEW_ACTION) -> None:
    """Type `values` into the Actions pane's add/edit form (text areas for the prose, a select for priority)."""
    from textual.widgets import Input, Select, TextArea

    for name, value in values.items():
        field = form.query_one(f"#field-{name}")
        if isinstance(field, TextArea):
            field.text = value
        elif isinstance(field, Select):
            field.value = value
        else:
            assert isinstance(field, Input)
            field.value = value
