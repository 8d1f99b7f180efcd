"""Helpers shared by the pane tests: read the incident file, wait for a modal pushed from a worker."""

from __future__ import annotations

import tomllib

from textual.pilot import Pilot


def read_incident(store, incident_id: str) -> dict:
    return tomllib.loads((store.folder_of(incident_id) / "incident.toml").read_text())


def cause_of(data: dict, cause_id: str) -> dict:
    return next(c for c in data["causes"] if c["id"] == cause_id)


def action_of(data: dict, action_id: str) -> dict:
    return next(a for a in data["actions"] if a["id"] == action_id)


async def wait_for_screen(pilot: Pilot, cls: type, tries: int = 200):
    """The taxonomy picker opens after a worker thread has read the taxonomy: wait for it."""
    for _ in range(tries):
        if isinstance(pilot.app.screen, cls):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{cls.__name__} did not open; the screen is {pilot.app.screen!r}")


def head(store) -> str:
    return store.git.repo.head.commit.hexsha


def shown_text(static) -> str:
    """The plain text a Static shows, whether it holds a string, a Text or a rich Group."""
    import io

    from rich.console import Console

    if isinstance(static.content, str):
        return static.content
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()
