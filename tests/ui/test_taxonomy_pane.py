"""Taxonomy tags by keys: the fuzzy picker (typos tolerated) tags a cause or the incident, tags
are resolved through aliases or shown as naming nothing, and d removes a tag; one commit each."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from workbench.ui.modals.taxonomy_picker import TaxonomyPicker
from workbench.ui.taxonomy_cache import cached_index

from .conftest import CLAUDE, git_subjects, open_incident, settle
from .pane_helpers import cause_of, head, read_incident, shown_text
from .waiting import until, until_screen

STALENESS = "rag-retrieval.index-staleness"


async def _type(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    await pilot.pause()


async def _wait_loaded(pilot, store) -> None:
    await until(pilot, lambda: cached_index(store) is not None, "cached_index(store) is not None")
    await pilot.pause()


async def test_tag_a_cause_from_the_picker_with_a_typo(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        screen.pane("causes").focus_entry("c-a201")
        await pilot.press("t")
        picker = await until_screen(pilot, TaxonomyPicker)
        await _type(pilot, "retreival stalenes")  # two typos
        assert picker.highlighted_mode().id == STALENESS
        detail = shown_text(picker.query_one("#picker-detail"))
        assert "retrieval index lags behind" in detail and "Detection hints" in detail
        await pilot.press("enter")
        await settle(pilot)
        # Shown at once: in the detail of the cause under the cursor (its tree line ends in "…" at 140 columns).
        assert screen.pane("causes").cause_tree.cursor_node.data == "c-a201"
        assert STALENESS in shown_text(screen.pane("causes").query_one("#causes-detail"))
    tags = cause_of(read_incident(ui_store, CLAUDE), "c-a201")["taxonomy"]
    assert tags == ["inference-serving.request-misrouting", STALENESS]
    assert git_subjects(ui_store, 1)[0] == f"{CLAUDE}: causes: tag c-a201 with {STALENESS}"


async def test_tag_and_untag_the_incident_in_the_taxonomy_pane(make_app, ui_store):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "taxonomy")
        await _wait_loaded(pilot, ui_store)
        pane = screen.pane("taxonomy")
        await pilot.press("t")
        picker = await until_screen(pilot, TaxonomyPicker)
        await _type(pilot, "telemtry side efects")
        assert picker.highlighted_mode().id == "infrastructure.telemetry-side-effects"
        await pilot.press("enter")
        await settle(pilot)
        assert pane.current_row() == "incident|infrastructure.telemetry-side-effects"
        row = pane.query_one(DataTable).get_row("incident|infrastructure.telemetry-side-effects")
        assert str(row[2]) == "Monitoring or telemetry side effects"
        assert read_incident(ui_store, CLAUDE)["taxonomy"][-1] == "infrastructure.telemetry-side-effects"
        # Escape leaves the picker without a commit.
        before = head(ui_store)
        await pilot.press("t")
        await until_screen(pilot, TaxonomyPicker)
        await pilot.press("escape")
        await settle(pilot)
        assert head(ui_store) == before
        # d removes the highlighted tag.
        await pilot.press("d")
        await settle(pilot)
        # And a cause's tag, listed here with its cause.
        assert pane.focus_entry("c-a204")
        await pilot.press("d")
        await settle(pilot)
    data = read_incident(ui_store, CLAUDE)
    assert "infrastructure.telemetry-side-effects" not in data["taxonomy"]
    assert cause_of(data, "c-a204")["taxonomy"] == ["inference-serving.compiler-miscompilation"]
    assert git_subjects(ui_store, 3) == [
        f"{CLAUDE}: taxonomy: remove tag inference-serving.sampling-numerics from c-a204",
        f"{CLAUDE}: taxonomy: remove tag infrastructure.telemetry-side-effects from incident",
        f"{CLAUDE}: taxonomy: tag incident with infrastructure.telemetry-side-effects",
    ]


async def test_aliases_resolve_unknown_tags_show_and_no_duplicate_tag(make_app, ui_store):
    # An alias for a mode in the store's taxonomy, and two tags on the incident: one alias, one unknown.
    path = ui_store.root / "taxonomy.toml"
    text = path.read_text().replace(f'id = "{STALENESS}"\n', f'id = "{STALENESS}"\naliases = ["rag.stale"]\n', 1)
    ui_store.save_taxonomy_text(text, "alias rag.stale")
    record = ui_store.load(CLAUDE)
    incident = record.incident.model_copy(update={"taxonomy": ["rag.stale", "no-such.mode"]})
    ui_store.save(record, incident, where="test", what="alias and unknown tags")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "taxonomy")
        await _wait_loaded(pilot, ui_store)
        pane = screen.pane("taxonomy")
        table = pane.query_one(DataTable)
        alias_row = [str(c) for c in table.get_row("incident|rag.stale")]
        assert alias_row[2] == "Index staleness" and STALENESS in alias_row[3]
        unknown_row = [str(c) for c in table.get_row("incident|no-such.mode")]
        assert unknown_row[2] == "not in the taxonomy"
        assert "1 resolve to nothing" in str(pane.query_one(".pane-summary").render())
        pane._focus_row("incident|no-such.mode")  # noqa: SLF001
        await pilot.pause()
        assert "names no mode" in shown_text(pane.query_one("#taxonomy-detail"))
        # Tagging the mode the alias already names: refused, nothing committed.
        before = head(ui_store)
        await pilot.press("t")
        picker = await until_screen(pilot, TaxonomyPicker)
        picker.query_one(Input).value = "index staleness"
        await pilot.pause()
        assert picker.highlighted_mode().id == STALENESS
        assert "already tagged" in shown_text(picker.query_one("#picker-detail"))
        await pilot.press("enter")
        await settle(pilot)
        assert head(ui_store) == before
    assert read_incident(ui_store, CLAUDE)["taxonomy"] == ["rag.stale", "no-such.mode"]


async def test_unreadable_taxonomy_is_reported_not_raised(make_app, ui_store):
    (ui_store.root / "taxonomy.toml").write_text('schema_version = 1\n[[modes]]\nid = "x"\nname = \n')
    app = make_app()
    start = head(ui_store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "causes")
        screen.pane("causes").focus_entry("c-a201")
        await pilot.press("t")
        await until(
            pilot, lambda: any("taxonomy" in m for m in app.notices), "any('taxonomy' in m for m in app.notices)"
        )
        messages = [m for m in app.notices]
        assert any("Cannot read the taxonomy" in m and "taxonomy.toml:4" in m for m in messages), messages
        assert not isinstance(app.screen, TaxonomyPicker)
    assert head(ui_store) == start
