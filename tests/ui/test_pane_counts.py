"""The panes' summary lines count in English: an incident with one of each says "1 entry", "1 cause",
"1 action" and "1 item" (the panes once said "1 entries" and "1 items")."""

from __future__ import annotations

from datetime import date, datetime, timezone

from workbench.domain.model import ActionItem, Cause, Evidence, Incident, KeyTimes, TimelineEntry

from .conftest import open_incident
from .waiting import until

ONE = "2025-09-02-one-of-each"


def summary(screen, pane: str) -> str:
    hint = screen.pane(pane).query_one(".pane-summary, #evidence-summary")
    return str(hint.render())


async def test_one_of_each_is_counted_in_the_singular(make_app, ui_store):
    t = datetime(2025, 9, 2, 9, 0, tzinfo=timezone.utc)
    ui_store.create(
        Incident(
            id=ONE,
            title="One of each",
            severity="P2",
            times=KeyTimes(started=t),
            timeline=[TimelineEntry(id="t-0001", time=t, event="Reindex finishes", source="indexer log")],
            causes=[Cause(id="c-0001", statement="Reindex reported success early", kind="proximate")],
            actions=[
                ActionItem(
                    id="AI-001",
                    action="Fail the job on a partial reindex",
                    owner="@dana",
                    due=date(2025, 10, 1),
                    verification="A partial run pages the owner",
                )
            ],
            evidence=[Evidence(id="e-0001", name="Indexer log", reference="https://logs.example/reindex")],
        ),
        "# One of each\n",
        where="tests",
        what="add",
    )
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_incident(pilot, ONE, "timeline")
        for key, pane, expected, wrong in (
            ("2", "timeline", "1 entry", "1 entries"),
            ("3", "causes", "1 cause · 1 working hypothesis", "1 causes"),
            ("4", "actions", "1 action · 1 open", "1 actions"),
            ("0", "evidence", "1 item (0 kept", "1 items"),
        ):
            await pilot.press(key)
            await until(pilot, lambda p=pane: expected in summary(screen, p), f"{pane} summary says {expected!r}")
            assert wrong not in summary(screen, pane)
