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
