"""Snapshots of the Taxonomy pane's views at 120x40 (frozen clock): mode detail, suggestions for the incident
and a highlighted untagged cause, similar past incidents, framework mapping.

Look at the report (`pytest --snapshot-report`) before accepting changes with `--snapshot-update`.
"""

from __future__ import annotations

from learning_store import learning_copy, learning_root  # noqa: F401

from .conftest import OPENAI, open_incident
from .test_taxonomy_learning_pane import OOM_AGAIN, SUPPORT_BOT, app_on, learned

SIZE = (120, 40)


def _at(incident_id: str, keys: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        screen = await open_incident(pilot, incident_id, "taxonomy")
        pane = screen.pane("taxonomy")
        await learned(pilot, pane)
        for key in keys:
            await pilot.press(key)
            await learned(pilot, pane)
        await pilot.wait_for_scheduled_animations()  # the footer recomposes after the bindings change
        await pilot.pause()

    return run_before


def test_taxonomy_pane_mode_view_120(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(OPENAI))


def test_taxonomy_pane_suggestions_for_a_cause(snap_compare, learning_copy):  # noqa: F811
    # The incident's suggestions, then those for c-02 (untagged), the cursor on the first suggestion.
    assert snap_compare(app_on(learning_copy), terminal_size=SIZE, run_before=_at(SUPPORT_BOT, ("s", "c", "c")))


def test_taxonomy_pane_similar_incidents(snap_compare, learning_copy):  # noqa: F811
    assert snap_compare(app_on(learning_copy), terminal_size=SIZE, run_before=_at(OOM_AGAIN, ("p",)))


def test_taxonomy_pane_framework_mapping(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at(OPENAI, ("f",)))
