"""The Taxonomy pane's views under the tag table: suggestions accepted only by a key press (one commit each,
onto the incident or the highlighted cause), similar past incidents with why (enter opens one) and the
framework mapping. On the 33-incident fixture store, with the expected results stated."""

from __future__ import annotations

from datetime import datetime, timezone

from learning_store import learning_copy, learning_root  # noqa: F401
from textual.widgets import OptionList

from workbench.services.taxonomy.frameworks import NOTHING_MAPPED
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig
from workbench.ui.panes.taxonomy import TaxonomyPane
from workbench.ui.screens.incident import IncidentScreen

from .conftest import CLAUDE, OPENAI, git_subjects, open_incident, settle
from .pane_helpers import cause_of, head, read_incident, shown_text
from .waiting import until

HR_BOT = "2025-03-04-hr-bot-stale-leave-policy"
SUPPORT_BOT = "2024-02-06-support-bot-stale-refund-policy"
OOM_AGAIN = "2025-11-03-serving-upgrade-oom-again"
VLLM_OOM = "2024-03-19-vllm-upgrade-kv-cache-oom"
PARTIAL = "rag-retrieval.partial-reindexing"
STALENESS = "rag-retrieval.index-staleness"


def app_on(store) -> WorkbenchApp:
    return WorkbenchApp(
        store,
        UserConfig(),
        clock=lambda: datetime(2026, 1, 15, 12, tzinfo=timezone.utc),
        store_label="~/learning-store",
    )


async def open_pane(pilot, incident_id: str) -> TaxonomyPane:
    screen = await open_incident(pilot, incident_id, "taxonomy")
    pane = screen.pane("taxonomy")
    assert isinstance(pane, TaxonomyPane)
    await learned(pilot, pane)
    return pane


async def learned(pilot, pane: TaxonomyPane) -> None:
    """The store-wide index is built and the views show the current incident and highlighted cause."""
    await until(pilot, lambda: pane.suggester is not None and pane.learned_is_current(), "suggestions")


def option_ids(options: OptionList) -> list[str]:
    return [options.get_option_at_index(i).id or "" for i in range(options.option_count)]


def option_text(options: OptionList, option_id: str) -> str:
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(options.get_option(option_id).prompt)
    return " ".join(console.export_text().split())


async def test_accept_an_incident_suggestion_by_key_press(learning_copy):  # noqa: F811
    before_file = (learning_copy.folder_of(HR_BOT) / "incident.toml").read_bytes()
    start = head(learning_copy)
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, HR_BOT)
        # Shown with the words that matched and why, but nothing is written until a key says so.
        await pilot.press("s")
        assert pane.lower_view == "suggestions" and pane.screen.focused is pane.suggestions
        assert pane.suggestions.highlighted_option.id == f"incident|{PARTIAL}"
        text = option_text(pane.suggestions, f"incident|{PARTIAL}")
        assert "Partial reindexing" in text and "matched" in text and "why" in text
        assert "reindex" in text
        await pilot.press("down", "up", "p", "f", "m", "s")
        await settle(pilot)
        assert head(learning_copy) == start
        assert (learning_copy.folder_of(HR_BOT) / "incident.toml").read_bytes() == before_file
        # y accepts the highlighted one: one commit, and it leaves the list.
        await pilot.press("y")
        await settle(pilot)
        await learned(pilot, pane)
        assert f"incident|{PARTIAL}" not in option_ids(pane.suggestions)
        assert pane.table.get_row_index(f"incident|{PARTIAL}") is not None
    assert read_incident(learning_copy, HR_BOT)["taxonomy"] == [STALENESS, PARTIAL]
    assert git_subjects(learning_copy, 1) == [f"{HR_BOT}: taxonomy: tag incident with {PARTIAL} (accepted suggestion)"]
    assert learning_copy.git.repo.git.rev_list("--count", f"{start}..HEAD") == "1"


async def test_accept_a_suggestion_for_an_untagged_cause_with_enter(learning_copy):  # noqa: F811
    start = head(learning_copy)
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, SUPPORT_BOT)
        # The untagged causes have a row of their own, so they can be highlighted.
        assert pane.table.get_row_index("c-02|") is not None
        assert "2 causes untagged" in str(pane.query_one(".pane-summary").render())
        await pilot.press("s", "c")  # c walks the causes: c-01, then c-02
        await learned(pilot, pane)
        assert pane.selected_cause() == "c-01"
        await pilot.press("c")
        await learned(pilot, pane)
        assert pane.selected_cause() == "c-02"
        ids = option_ids(pane.suggestions)
        assert "header|cause" in ids
        cause_ids = [i for i in ids if i.startswith("c-02|")]
        assert cause_ids[0] == f"c-02|{STALENESS}"  # "No freshness check compared indexed document versions..."
        assert "no freshness check" in option_text(pane.suggestions, "header|cause").lower()
        for _ in range(len(ids)):
            if pane.suggestions.highlighted_option.id == f"c-02|{STALENESS}":
                break
            await pilot.press("down")
        assert head(learning_copy) == start
        await pilot.press("enter")
        await settle(pilot)
        await learned(pilot, pane)
        assert pane.selected_cause() == "c-02"  # the cursor follows the cause to its new tag row
        assert pane.current_row() == f"c-02|{STALENESS}"
    data = read_incident(learning_copy, SUPPORT_BOT)
    assert cause_of(data, "c-02")["taxonomy"] == [STALENESS]
    assert data["taxonomy"] == [STALENESS]  # the incident's own tags untouched
    assert git_subjects(learning_copy, 1) == [
        f"{SUPPORT_BOT}: taxonomy: tag c-02 with {STALENESS} (accepted suggestion)"
    ]
    assert learning_copy.git.repo.git.rev_list("--count", f"{start}..HEAD") == "1"


async def test_similar_incidents_say_why_and_enter_opens_one(learning_copy):  # noqa: F811
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, OOM_AGAIN)
        first_screen = pilot.app.screen
        await pilot.press("p")
        assert pane.screen.focused is pane.similar
        ids = option_ids(pane.similar)
        assert ids[:2] == ["header|similar", VLLM_OOM]  # the best match first, under what it was compared with
        assert option_text(pane.similar, "header|similar").startswith("Compared with 32 other incidents")
        assert pane.similar.highlighted_option.id == VLLM_OOM
        why = option_text(pane.similar, VLLM_OOM)
        assert "why same failure modes: KV cache pathology, Unstaged or unsafe rollout" in why
        assert "same systems: inference-gateway" in why
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, IncidentScreen) and pilot.app.screen.session.id == VLLM_OOM,
            "the similar incident to open",
        )
        opened = pilot.app.screen
        # From there, the first incident is similar too; opening it again would make two screens on one
        # incident, so the app says where it is instead.
        opened.action_show_pane("taxonomy")
        other = opened.pane("taxonomy")
        await learned(pilot, other)
        await pilot.press("p")
        assert OOM_AGAIN in option_ids(other.similar)
        while other.similar.highlighted_option.id != OOM_AGAIN:
            await pilot.press("down")
        await pilot.press("o")
        await pilot.pause()
        assert pilot.app.screen is opened
        assert any("already open" in m for m in pilot.app.notices)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is first_screen


async def test_framework_mapping_view(make_app, ui_store):
    async with make_app().run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, OPENAI)
        await pilot.press("f")
        text = " ".join(shown_text(pane.query_one("#taxonomy-frameworks")).split())
        assert "not a legal interpretation" in text
        assert "Recorded by the team" in text and "NIST AI RMF MANAGE function" in text
        assert "From the taxonomy tags" in text
        assert "NIST AI RMF GOVERN via Unstaged or unsafe rollout" in text
        assert NOTHING_MAPPED not in text
        # Untag everything: the view says there is nothing to map instead of an empty list.
        record = ui_store.load(CLAUDE)
        bare = record.incident.model_copy(
            update={
                "taxonomy": [],
                "causes": [c.model_copy(update={"taxonomy": []}) for c in record.incident.causes],
                "impact": record.incident.impact.model_copy(update={"regulatory": []}),
            }
        )
        ui_store.save(record, bare, where="test", what="no tags, no references")
        await pilot.press("escape")
        screen = await open_incident(pilot, CLAUDE, "taxonomy")
        await pilot.press("f")
        text = " ".join(shown_text(screen.pane("taxonomy").query_one("#taxonomy-frameworks")).split())
        assert NOTHING_MAPPED in text and "From the taxonomy tags" not in text


async def test_a_broken_taxonomy_is_reported_in_the_views(make_app, ui_store):
    (ui_store.root / "taxonomy.toml").write_text('schema_version = 1\n[[modes]]\nid = "x"\nname = \n')
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "taxonomy")
        pane = screen.pane("taxonomy")
        await until(pilot, lambda: (pane.learning_status or "").startswith("Cannot build"), "the failure")
        await pilot.press("s")
        assert "taxonomy.toml:4" in option_text(pane.suggestions, "note|status")
        await pilot.press("y", "enter")  # nothing to accept
        await settle(pilot)
        assert isinstance(pilot.app.screen, IncidentScreen)


async def test_a_taxonomy_edited_elsewhere_redraws_tags_and_rebuilds_suggestions(make_app, ui_store):
    from workbench.services.taxonomy.edit import commit_edit, load_for_edit, rename_mode
    from workbench.ui.taxonomy_cache import cached_index

    old, new = "inference-serving.request-misrouting", "inference-serving.misrouting"
    async with make_app().run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, CLAUDE)
        built_on = pane.suggester.taxonomy
        taxonomy, base = load_for_edit(ui_store)
        commit_edit(ui_store, rename_mode(taxonomy, old, new), base)  # as the Taxonomy screen (T) does
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("escape")  # back on the incident screen
        await until(
            pilot,
            lambda: (
                pane.suggester is not None and pane.suggester.taxonomy is not built_on and pane.learned_is_current()
            ),
            "suggestions rebuilt on the renamed taxonomy",
        )
        assert pane.suggester.taxonomy is cached_index(ui_store).taxonomy
        assert new in pane.suggester.modes and old not in pane.suggester.modes
        note = str(pane.table.get_row(f"incident|{old}")[3])
        assert note == f"→ {new}"  # the tag as written resolves through the alias the rename left


async def test_another_incident_changed_meanwhile_is_indexed_again(learning_copy):  # noqa: F811
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, OOM_AGAIN)
        built = pane.suggester
        assert "same failure modes: KV cache pathology" in option_text(pane.similar, VLLM_OOM)
        # Meanwhile the similar incident loses its tags (as if edited on another screen, or pulled by a sync).
        record = learning_copy.load(VLLM_OOM)
        untagged = record.incident.model_copy(
            update={"taxonomy": [], "causes": [c.model_copy(update={"taxonomy": []}) for c in record.incident.causes]}
        )
        learning_copy.save(record, untagged, where="test", what="untag")
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("escape")  # back: the pane sees the changed file and builds its index again
        await until(pilot, lambda: pane.suggester is not built and pane.learned_is_current(), "a new index")
        await pilot.press("p")
        assert VLLM_OOM in option_ids(pane.similar)
        assert "same failure modes" not in option_text(pane.similar, VLLM_OOM)
        # Nothing changed since: coming back again keeps the index.
        rebuilt, builds = pane.suggester, pane._generation  # noqa: SLF001
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # the check on resume ran
        await pilot.pause()
        assert pane._generation == builds and pane.suggester is rebuilt  # noqa: SLF001
