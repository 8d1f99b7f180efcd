"""The Causes pane driven by keys: a cause linked to evidence, a 5 Whys child, hypothesis toggling,
edits and deletes, each one commit; bad input is refused and loses nothing."""

from __future__ import annotations

import pytest

from textual.widgets import Select, SelectionList, Static, TextArea, Tree

from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.modals.pick import PickManyModal

from .conftest import CLAUDE, open_incident, settle, subjects
from .pane_helpers import cause_of, latest, read_incident, shown_text
from .waiting import until_screen


@pytest.fixture
def ui_store(memory_store):
    """These tests drive one pane and read the incident back: no git needed, so the in-memory store."""
    return memory_store


async def test_add_cause_then_link_timeline_evidence(make_app, ui_store):
    app = make_app()
    before = len(ui_store.history(CLAUDE))
    entry = ui_store.load(CLAUDE).incident.sorted_timeline()[2]
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-statement", TextArea).text = "Routing config had no per-pool validation"
        form.query_one("#field-kind", Select).value = "systemic"
        form.query_one("#field-lens", Select).value = "barrier-analysis"
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = next(c for c in screen.session.incident.causes if c.statement.startswith("Routing config"))
        assert screen.pane("causes").current_id() == new.id  # the cursor follows the new cause
        await pilot.press("l")
        picker = await until_screen(pilot, PickManyModal)
        listing = picker.query_one(SelectionList)
        listing.highlighted = 2  # entries are listed in time order
        await pilot.press("space", "enter")
        await settle(pilot)
    cause = cause_of(read_incident(ui_store, CLAUDE), new.id)
    assert cause["statement"] == "Routing config had no per-pool validation"
    assert cause["kind"] == "systemic" and cause["lens"] == "barrier-analysis"
    # A new cause is a working hypothesis until confirmed (the default, so the file leaves it out).
    assert next(c for c in ui_store.load(CLAUDE).incident.causes if c.id == new.id).status == "hypothesis"
    assert cause["evidence"] == [entry.id]
    assert len(ui_store.history(CLAUDE)) == before + 2
    made = subjects(ui_store, CLAUDE, 2)
    assert made[0] == f"{CLAUDE}: causes: link evidence {entry.id} to {new.id}"
    assert made[1] == f'{CLAUDE}: causes: add cause {new.id} "Routing config had no per-pool validation"'


async def test_unlinking_evidence_keeps_the_rest(make_app, ui_store):
    app = make_app()
    incident = ui_store.load(CLAUDE).incident
    ordered = [e.id for e in incident.sorted_timeline()]
    evidence = cause_of(read_incident(ui_store, CLAUDE), "c-a201")["evidence"]
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        assert screen.pane("causes").focus_entry("c-a201")
        await pilot.press("l")
        picker = await until_screen(pilot, PickManyModal)
        listing = picker.query_one(SelectionList)
        assert set(listing.selected) == set(evidence)  # pre-checked with the current evidence
        listing.highlighted = ordered.index(evidence[1])
        await pilot.press("space", "enter")
        await settle(pilot)
    assert cause_of(read_incident(ui_store, CLAUDE), "c-a201")["evidence"] == [evidence[0], *evidence[2:]]
    assert subjects(ui_store, CLAUDE, 1)[0] == f"{CLAUDE}: causes: unlink evidence {evidence[1]} from c-a201"


async def test_why_adds_a_child_of_the_selected_cause(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        pane = screen.pane("causes")
        pane.focus_entry("c-a202")
        await pilot.press("w")
        form = await until_screen(pilot, FormModal)
        assert form.query_one("#field-lens", Select).value == "change-analysis"  # the chain keeps its lens
        form.query_one("#field-statement", TextArea).text = "Load-balancing changes were not canaried per pool"
        await pilot.press("ctrl+s")
        await settle(pilot)
        child_id = pane.current_id()
        node = pane.cause_tree.cursor_node
        assert node is not None and node.parent is not None and node.parent.data == "c-a202"
    cause = cause_of(read_incident(ui_store, CLAUDE), child_id)
    assert cause["parent"] == "c-a202"
    assert cause["statement"] == "Load-balancing changes were not canaried per pool"
    assert subjects(ui_store, CLAUDE, 1)[0] == (
        f'{CLAUDE}: causes: add cause {child_id} "Load-balancing changes were not canaried per pool" under c-a202'
    )


async def test_toggle_hypothesis_and_italics(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        pane = screen.pane("causes")
        pane.focus_entry("c-a201")
        await pilot.press("h")
        await settle(pilot)
        # hypothesis is the model's default, so the file drops the key; read it back through the store.
        # The file said `status = "confirmed"`; the store keeps a key an author wrote, so it now reads hypothesis.
        assert cause_of(read_incident(ui_store, CLAUDE), "c-a201").get("status", "hypothesis") == "hypothesis"
        assert next(c for c in ui_store.load(CLAUDE).incident.causes if c.id == "c-a201").status == "hypothesis"
        label = pane.cause_tree.cursor_node.label
        assert "hypothesis" in label.plain
        assert any("italic" in str(span.style) for span in label.spans)
        await pilot.press("h")
        await settle(pilot)
        label = pane.cause_tree.cursor_node.label
        assert "confirmed" in label.plain and not any("italic" in str(s.style) for s in label.spans)
    assert cause_of(read_incident(ui_store, CLAUDE), "c-a201")["status"] == "confirmed"
    assert subjects(ui_store, CLAUDE, 2) == [
        f"{CLAUDE}: causes: mark c-a201 confirmed (was hypothesis)",
        f"{CLAUDE}: causes: mark c-a201 hypothesis (was confirmed)",
    ]


async def test_edit_by_enter_keeps_links(make_app, ui_store):
    app = make_app()
    before = cause_of(read_incident(ui_store, CLAUDE), "c-a204")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        screen.pane("causes").focus_entry("c-a204")
        await pilot.press("enter")
        form = await until_screen(pilot, FormModal)
        assert form.query_one("#field-statement", TextArea).text == before["statement"]
        form.query_one("#field-category", Select).value = "model"
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = cause_of(read_incident(ui_store, CLAUDE), "c-a204")
    assert after["category"] == "model"
    assert after["evidence"] == before["evidence"] and after["taxonomy"] == before["taxonomy"]
    assert subjects(ui_store, CLAUDE, 1)[0].startswith(f'{CLAUDE}: causes: edit cause c-a204 "A change to token')


async def test_delete_moves_children_up_and_drops_action_links(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        screen.pane("causes").focus_entry("c-a201")
        await pilot.press("d")
        confirm = await until_screen(pilot, ConfirmModal)
        assert "move up" in confirm.question and "AI-002" in confirm.question
        await pilot.press("y")
        await settle(pilot)
        tree = screen.pane("causes").query_one(Tree)
        assert [n.data for n in tree.root.children][0] == "c-a202"  # now a top-level cause
    data = read_incident(ui_store, CLAUDE)
    assert all(c["id"] != "c-a201" for c in data["causes"])
    assert "parent" not in cause_of(data, "c-a202")
    assert all("c-a201" not in a.get("addresses", []) for a in data["actions"])
    assert subjects(ui_store, CLAUDE, 1)[0].startswith(f'{CLAUDE}: causes: delete cause c-a201 "')


async def test_empty_statement_is_refused_and_nothing_typed_is_lost(make_app, ui_store):
    app = make_app()
    start = latest(ui_store, CLAUDE)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_incident(pilot, CLAUDE, "causes")
        await pilot.press("a")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-kind", Select).value = "proximate"
        form.query_one("#field-lens", Select).value = "eval-gap"
        form.query_one("#field-statement", TextArea).text = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "the form stays open on bad input"
        assert "empty" in str(form.query_one("#error-statement").render())
        assert form.query_one("#field-kind", Select).value == "proximate"
        assert form.query_one("#field-lens", Select).value == "eval-gap"
        await pilot.press("escape")
        await settle(pilot)
    assert latest(ui_store, CLAUDE) == start


async def test_markers_in_user_text_show_as_written(make_app, ui_store):
    """ "[DATA GAP]" in a statement is text, not markup: in the tree, the detail and the delete question."""
    app = make_app()
    statement = "Routing owner unknown [DATA GAP] [/x]"
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        pane = screen.pane("causes")
        pane.focus_entry("c-a203")
        await pilot.press("e")
        form = await until_screen(pilot, FormModal)
        form.query_one("#field-statement", TextArea).text = statement
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert statement in pane.cause_tree.cursor_node.label.plain
        assert statement in shown_text(pane.query_one("#causes-detail"))
        await pilot.press("d")
        confirm = await until_screen(pilot, ConfirmModal)
        assert statement in shown_text(confirm.query_one(Static))
        await pilot.press("n")
        await settle(pilot)
    assert cause_of(read_incident(ui_store, CLAUDE), "c-a203")["statement"] == statement
