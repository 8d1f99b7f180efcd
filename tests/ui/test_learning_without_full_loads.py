"""The Taxonomy pane's suggestions and similar incidents and the Learning screen come from the search index's
profiles: opening them never loads every incident (at 10,000 incidents that was +734 MB and a 550 ms stall),
and no incident but the open one is loaded in full."""

from __future__ import annotations

from learning_store import learning_copy, learning_root  # noqa: F401

from workbench.store import Store

from .test_taxonomy_learning_pane import HR_BOT, app_on, open_pane, option_ids
from .waiting import until


async def test_taxonomy_pane_and_learning_screen_load_no_other_incident(learning_copy, monkeypatch):  # noqa: F811
    loaded: list[str] = []
    real_load = Store.load

    def no_load_all(self, *args, **kwargs):
        raise AssertionError("Store.load_all was called")

    def spy_load(self, incident_id, *args, **kwargs):
        loaded.append(incident_id)
        return real_load(self, incident_id, *args, **kwargs)

    monkeypatch.setattr(Store, "load_all", no_load_all)
    monkeypatch.setattr(Store, "load", spy_load)
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, HR_BOT)
        assert len(pane.suggester.similar.incidents) == 33  # compared with every incident of the store
        await pilot.press("p")
        await until(pilot, lambda: len(option_ids(pane.similar)) > 1, "similar incidents")
        assert option_ids(pane.similar)[1] == "2024-02-06-support-bot-stale-refund-policy"
        assert set(loaded) == {HR_BOT}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("L")
        await until(pilot, lambda: getattr(pilot.app.screen, "stats", None) is not None, "the stats")
        assert pilot.app.screen.stats.incidents == 33
    assert set(loaded) == {HR_BOT}


async def test_learning_screen_paints_at_once_and_fills_in_from_its_worker(learning_copy, monkeypatch):  # noqa: F811
    """The screen is up, says it is computing and takes keys while its worker reads the profiles; the figures
    arrive when the worker is done. What it keeps is what it shows (counts whole, statements cut)."""
    import threading

    from textual.widgets import Input, Static

    from workbench.services.learning import source
    from workbench.ui.screens.learning import SHOWN_CAUSES, SHOWN_OVERDUE, LearningScreen

    gate = threading.Event()
    real_profiles = source.stream_profiles

    def held(engine):
        assert gate.wait(30), "the test never let the worker go on"
        return real_profiles(engine)

    monkeypatch.setattr(source, "stream_profiles", held)

    def every_profile_at_once(*args, **kwargs):
        raise AssertionError("the Learning screen read every profile into one list")

    monkeypatch.setattr(source, "profiles", every_profile_at_once)
    monkeypatch.setattr(source, "profile_lines", every_profile_at_once)
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        await pilot.press("L")
        await until(pilot, lambda: isinstance(pilot.app.screen, LearningScreen), "the Learning screen")
        screen = pilot.app.screen
        assert str(screen.query_one("#learning-summary", Static).render()) == "Computing…"
        await pilot.press("slash", "2", "0", "2", "5")  # typed while the worker waits: every key lands
        assert screen.query_one("#since", Input).value == "2025" and screen.stats is None
        gate.set()
        await until(pilot, lambda: screen.stats is not None and screen.query("#learning-causes"), "the stats")
        assert "33 incidents" in str(screen.query_one("#learning-summary", Static).render())
        groups = screen.stats.recurring_causes
        assert groups and all(
            len(g.causes) <= SHOWN_CAUSES <= g.cause_count or len(g.causes) == g.cause_count for g in groups
        )
        assert screen.stats.times == []  # per-incident times are not shown, so not kept
        assert len(screen.stats.overdue) <= SHOWN_OVERDUE <= screen.stats.overdue_count or (
            len(screen.stats.overdue) == screen.stats.overdue_count
        )


async def test_taxonomy_screen_counts_uses_from_the_index_not_every_incident(learning_copy, monkeypatch):  # noqa: F811
    """The Taxonomy screen (T) lists which incidents use each mode: from the index's profiles, the same uses and
    titles as the full models give (it loaded all 10,000 in full: ~60 s and 600 MB)."""
    from workbench.services.taxonomy.usage import usage_by_mode
    from workbench.ui.screens.taxonomy import TaxonomyScreen

    records = learning_copy.load_all().records
    taxonomy = learning_copy.load_taxonomy()
    expected = usage_by_mode((r.incident for r in records), taxonomy)

    def no_load_all(self, *args, **kwargs):
        raise AssertionError("Store.load_all was called")

    monkeypatch.setattr(Store, "load_all", no_load_all)
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        await until(pilot, lambda: isinstance(pilot.app.screen, TaxonomyScreen), "the Taxonomy screen")
        screen = pilot.app.screen
        await until(pilot, lambda: screen.data is not None, "the uses of each mode")
        assert screen.data.usage == expected and len(expected) > 5
        assert screen.data.titles == {r.id: r.incident.title for r in records}


async def test_learning_screen_says_how_far_its_figures_have_got(learning_copy, monkeypatch):  # noqa: F811
    """While the worker computes, the summary line says how many incidents it has read, of how many, then that it
    groups the causes; the figures replace it when they are done (issue 15: a 10,000-incident store takes
    seconds, and "Computing…" said nothing of how long)."""
    import threading

    from textual.widgets import Static

    from workbench.services.learning import cause_groups, stats
    from workbench.ui.screens.learning import LearningScreen

    gate = threading.Event()
    real_group = cause_groups.group_statements

    def held(statements, threshold):
        assert gate.wait(30), "the test never let the grouping go on"
        return real_group(statements, threshold)

    monkeypatch.setattr(cause_groups, "group_statements", held)
    monkeypatch.setattr(stats, "PROGRESS_EVERY", 10)  # 33 incidents: told at 10, 20 and 30
    told: list[str] = []
    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        await pilot.press("L")
        await until(pilot, lambda: isinstance(pilot.app.screen, LearningScreen), "the Learning screen")
        screen = pilot.app.screen
        summary = screen.query_one("#learning-summary", Static)

        def grouping() -> bool:
            text = str(summary.render())
            if not told or told[-1] != text:
                told.append(text)
            return text.startswith("Grouping")

        await until(pilot, grouping, "the grouping said")
        causes = sum(len(r.incident.causes) for r in learning_copy.load_all().records)
        assert told[-1] == f"Grouping {causes:,} cause statements into recurring causes…"
        assert screen.stats is None
        gate.set()
        await until(pilot, lambda: screen.stats is not None, "the figures")
        await pilot.pause()
        assert str(summary.render()).startswith("33 incidents")
        # What was said before the grouping, if the test saw it: reading, counted against the store's 33.
        assert all(t == "Computing…" or t.startswith("Reading incidents… ") and t.endswith(" of 33") for t in told[:-1])


async def test_learning_figures_are_drawn_a_section_a_frame_and_a_reload_replaces_them(learning_copy):  # noqa: F811
    """The figures are mounted a section at a time (one frame each: all at once they held the event loop ~90 ms
    on the 10k store); when done, every section is there once, in order, and a reload (r) replaces them whole,
    never adding a second copy of a section."""
    from textual.widgets import Static

    from workbench.ui.screens.learning import LearningScreen

    async with app_on(learning_copy).run_test(size=(120, 40)) as pilot:
        await pilot.press("L")
        await until(pilot, lambda: isinstance(pilot.app.screen, LearningScreen), "the Learning screen")
        screen = pilot.app.screen
        await until(pilot, lambda: screen.figures_drawn, "the figures drawn")

        def headings() -> list[str]:
            return [str(w.render()) for w in screen.query_one("#learning-body").query(Static).filter(".section")]

        first = headings()
        assert len(first) == 7 and first[0].startswith("Incidents per family")
        assert first[-1].startswith("Overdue") and screen.query("#learning-causes")
        shown = screen.stats
        await pilot.press("r")
        await until(pilot, lambda: screen.stats is not shown and screen.figures_drawn, "the reloaded figures drawn")
        assert headings() == first
