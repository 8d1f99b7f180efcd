"""Opening an incident mounts only the pane shown first; the others are mounted when first shown or needed,
and nothing a user does notices: keys typed during the open reach the pane they switch to, an edit made
while a pane was not mounted is in it when it appears, the stage gate counts review.toml without the Review
pane, a review finding finds its entry in a pane never shown."""

from __future__ import annotations

from textual.widgets import DataTable, Input, TextArea

from workbench.domain import edit
from workbench.domain.model import TimelineEntry
from workbench.services.review.stages import advance
from workbench.services.review.steps import signoff
from workbench.ui import key_hold
from workbench.ui.forms import FormModal
from workbench.ui.modals.stage_gate import StageGateModal
from workbench.ui.panes import pane_classes

from .conftest import CLAUDE, git_subjects, open_incident, settle
from .test_keys_not_lost import chars, send_fast
from .waiting import until, until_screen


def mounted(screen) -> set[str]:
    return {p.pane_id for p in screen.panes if p.is_mounted}


def showing(screen, pane_id: str) -> bool:
    """The pane is mounted, its tab active, nothing is mounting, and the focus is inside it."""
    pane = screen.pane(pane_id)
    focused = screen.focused
    return (
        pane.is_mounted
        and screen.active_pane_id() == pane_id
        and not screen.building
        and focused is not None
        and pane in focused.ancestors
    )


async def test_only_the_first_pane_is_mounted_and_each_other_appears_on_its_first_visit(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: showing(screen, "overview"), "the overview pane")
        assert mounted(screen) == {"overview"}
        # Every pane keeps its tab and key while not mounted.
        assert [p.pane_id for p in screen.panes] == [c.pane_id for c in pane_classes()]
        timeline = ui_store.load(CLAUDE).incident.timeline
        for pane in screen.panes[1:]:
            await pilot.press(f"alt+{pane.key}" if pane.key.isdigit() else pane.key)
            await until(pilot, lambda p=pane: showing(screen, p.pane_id), f"the {pane.title} pane")
        assert mounted(screen) == {p.pane_id for p in screen.panes}
        table = screen.query_one("#timeline-table", DataTable)
        assert all(table.get_row_index(e.id) is not None for e in timeline)


async def test_a_search_result_opens_its_pane_alone_with_the_cursor_on_the_entry(make_app, ui_store):
    entries = ui_store.load(CLAUDE).incident.sorted_timeline()
    target = entries[len(entries) // 2].id
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.open_incident(CLAUDE, "timeline", target)
        screen = app.screen
        await until(pilot, lambda: showing(screen, "timeline"), "the timeline pane")
        table = screen.query_one("#timeline-table", DataTable)
        await until(pilot, lambda: table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == target)
        assert mounted(screen) == {"timeline"}


async def test_keys_typed_while_the_incident_and_a_pane_open_land_in_order(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        before = len(ui_store.load(CLAUDE).incident.timeline)
        # Enter on the incident, alt+2 for the Timeline pane (not mounted; a plain digit is text where the
        # focus is in a text field), "a" for its form, the time typed over the selected one, the event: one
        # burst, before anything has been drawn.
        app.open_incident(CLAUDE)
        send_fast(app, ["alt+2", "a", "ctrl+u", *chars("2025-08-30T09:15Z"), "tab", "tab", *chars("Burst event")])
        form = await until_screen(pilot, FormModal)
        await until(pilot, lambda: form.query_one("#field-event", TextArea).text == "Burst event", "the event")
        assert form.query_one("#field-time", Input).value == "2025-08-30T09:15Z"
        await pilot.press("ctrl+s")
        screen = app.screen
        await settle(pilot)
        assert len(screen.session.incident.timeline) == before + 1
    saved = ui_store.load(CLAUDE).incident.timeline
    assert len(saved) == before + 1
    assert any(e.event == "Burst event" for e in saved)
    assert git_subjects(ui_store, 1)[0].startswith(f"{CLAUDE}: timeline: add entry ")


async def test_pane_keys_typed_at_once_end_on_the_last_pane_asked_for(make_app):
    """Each pane mounts and focuses its first widget; a focus landing after the next pane key was handled must
    not bring its pane back."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        send_fast(app, ["alt+2", "alt+3", "alt+4", "alt+5"])
        await until(pilot, lambda: showing(screen, "taxonomy"), "the taxonomy pane")
        await pilot.pause()
        assert screen.active_pane_id() == "taxonomy"
        assert {"timeline", "causes", "actions", "taxonomy"} <= mounted(screen)


async def test_an_edit_made_before_a_pane_is_mounted_is_in_it_when_shown(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: showing(screen, "overview"), "the overview pane")
        incident = screen.session.incident
        added = TimelineEntry(id="t-lazy1", time="2025-08-30T09:15:00Z", event="Added while unmounted")
        screen.apply(edit.upsert(incident, "timeline", added), "timeline", "add entry t-lazy1")
        await settle(pilot)
        assert "timeline" not in mounted(screen)
        await pilot.press("2")
        await until(pilot, lambda: showing(screen, "timeline"), "the timeline pane")
        table = screen.query_one("#timeline-table", DataTable)
        assert table.get_row_index("t-lazy1") is not None
    assert any(e.id == "t-lazy1" for e in ui_store.load(CLAUDE).incident.timeline)


async def test_the_stage_gate_counts_review_toml_when_the_review_pane_was_never_shown(make_app, ui_store):
    record = ui_store.load(CLAUDE)
    record = ui_store.save(record, record.incident.model_copy(update={"stage": "review"}), where="stage", what="t")
    signoff(ui_store, CLAUDE, "review", override="signed off for the test")
    # Read without review.toml the sign-off is missing: what the gate showed when it took the Review pane's
    # empty review before that pane had loaded it.
    assert "review.signoff" in {c.id for c in advance(record.incident, "tracking", record.narrative)}
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: showing(screen, "overview"), "the overview pane")
        await pilot.press("]")
        await pilot.pause()
        assert "review" not in mounted(screen)
        if isinstance(app.screen, StageGateModal):
            assert "review.signoff" not in {c.id for c in app.screen.unmet}
        else:
            await settle(pilot)
            assert screen.session.incident.stage == "tracking"


async def test_a_review_finding_finds_its_entry_in_a_pane_never_shown(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "review")
        review = screen.pane("review")
        await until(pilot, lambda: review.loaded and review.findings, "the review's findings")
        finding = next(f for f in review.findings if f.entry and f.entry.startswith("t-"))
        assert "timeline" not in mounted(screen)
        review.post_message(review.EntryWanted(review, finding.entry, "missing"))
        await until(pilot, lambda: showing(screen, "timeline"), "the timeline pane")
        table = screen.query_one("#timeline-table", DataTable)
        await until(pilot, lambda: table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == finding.entry)


async def test_keys_wait_for_a_pane_that_mounts_slower_than_the_hold_limit(make_app, monkeypatch):
    """A long narrative's editor took 2-5 s to mount at load 15, longer than the 2 s keys are held for a screen
    that does not settle; the first characters typed went to the pane left behind. While a pane mounts, keys
    wait for it (up to BUILD_LIMIT): here the ordinary limit is nil, so only that wait can keep them."""
    monkeypatch.setattr(key_hold, "LIMIT", 0.0)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await until(pilot, lambda: showing(screen, "overview"), "the overview pane")
        send_fast(app, ["alt+6", *chars("Typed at once")])
        await until(pilot, lambda: showing(screen, "narrative"), "the narrative pane")
        editor = screen.query_one("#narrative-editor", TextArea)
        await until(pilot, lambda: "Typed at once" in editor.text, "the typing in the editor")
        assert editor.text.startswith("Typed at once")
