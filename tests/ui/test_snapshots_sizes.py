"""Every screen, pane, modal and form at 80x24 (the smallest size the workbench promises to be whole at) and at
200x50, on the example store with a frozen clock (issue 15, point 6).

The Diagnostics pane and form, the gate forms and the postmortem-import staging list have their own modules at
both sizes already; the other modules keep their 140x40 pictures. Read the text of a changed picture
(`python3 notes/svgtext.py FILE.svg` or the snapshot report) before accepting it with `--snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from textual.widgets import Markdown, TextArea

from workbench.ui.modals.outside_edit import OutsideEditModal
from workbench.ui.modals.restore import RestoreModal
from workbench.ui.panes.narrative import NarrativePane
from workbench.ui.screens.raw_view import ReadOnlyViewScreen
from workbench.ui.screens.search import SearchScreen
from workbench.ui.search_index import SearchIndex

from learning_store import learning_copy, learning_root  # noqa: F401 - fixtures used by name

from .conftest import CLAUDE, OPENAI, ULTRALYTICS, finding_counts_ready, settle
from .test_form_journal_ui import write_form_offer
from .test_conflicts_ui import rows_ready, team  # noqa: F401 - `team` is a fixture used by name
from .test_report_pane import SMALL, small_store  # noqa: F401 - `small_store` is a fixture used by name
from .test_taxonomy_screen import open_taxonomy
from .scenes import Run, at_pane, still, taxonomy_picker
from .waiting import until

SIZES = [(80, 24), (200, 50)]
SIZE_IDS = ["80x24", "200x50"]


async def _list(pilot) -> None:
    await pilot.pause()
    await finding_counts_ready(pilot)


def _keys(*keys: str, hold: bool = True) -> Run:
    async def run(pilot) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        if hold:
            await still(pilot)

    return run


async def _narrative(pilot) -> None:
    await at_pane(OPENAI, "narrative")(pilot)
    screen = pilot.app.screen
    screen.set_focus(None)
    # The preview renders once the pane has been drawn: wait for it (and its worker) to finish.
    pane = screen.pane("narrative")
    await until(pilot, lambda: pane.preview_text == screen.session.narrative, "the preview")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _history(pilot) -> None:
    await at_pane(CLAUDE, "history")(pilot)
    pane = pilot.app.screen.pane("history")
    await until(pilot, lambda: pane.commits and pane.diff_text, "the log and the diff load in workers")
    await pilot.pause()


async def _review(pilot, incident_id: str = OPENAI, then: tuple[str, ...] = ()) -> None:
    await at_pane(incident_id, "review")(pilot)
    pane = pilot.app.screen.pane("review")
    table = pane.query_one("#review-findings")
    await until(pilot, lambda: bool(pane.findings) and table.row_count > 0, "the review's findings")
    await settle(pilot)
    if then:
        await pilot.press(*then)
        await pilot.pause()
        await settle(pilot)
    pilot.app.clear_notifications()
    await still(pilot)


def _review_then(*keys: str) -> Run:
    async def run(pilot) -> None:
        await _review(pilot, OPENAI, keys)
        if keys == ("m",):  # the meeting screen renders its section as markdown
            meeting = pilot.app.screen
            await meeting.query_one(Markdown).update(meeting.items[meeting.index].markdown)
            await pilot.pause()

    return run


async def _meeting_form(pilot) -> None:
    await _review_then("m")(pilot)
    await _keys("a")(pilot)


async def _search(pilot) -> None:
    await pilot.pause()
    await pilot.press("ctrl+k")
    await pilot.press(*"approximate", "space", *"top-k", "space", *"tpu")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await until(
        pilot,
        lambda: SearchIndex.of(pilot.app).ready and screen.shown_seq == screen.seq and screen.hits,
        "the search results",
    )
    await still(pilot)


async def _learning(pilot) -> None:
    await pilot.pause()
    await pilot.press("L")
    await until(pilot, lambda: getattr(pilot.app.screen, "stats", None) is not None, "the stats")
    await pilot.pause()
    await pilot.pause()


async def _learning_groups(pilot) -> None:
    """The recurring causes of a store whose causes recur: the groups' table and the first group whole."""
    await _learning(pilot)
    screen = pilot.app.screen
    await until(pilot, lambda: bool(screen.query("#learning-causes")), "the recurring causes")
    screen.query_one("#learning-causes").focus()  # scrolls the section into view
    await pilot.pause()
    await still(pilot)


def _taxonomy(query: str = "", then: tuple[str, ...] = ()) -> Run:
    async def run(pilot) -> None:
        await open_taxonomy(pilot, query)
        if then:
            await pilot.press(*then)
        await still(pilot)

    return run


async def _timeline_staging(pilot) -> None:
    from pathlib import Path

    from workbench.services.importing.timeline import ImportOptions, run_import
    from workbench.services.importing.timeline.review import decide, deduplicate

    await at_pane(CLAUDE, "timeline")(pilot)
    screen = pilot.app.screen
    data = Path(__file__).resolve().parent.parent / "data" / "evidence" / "pagerduty.json"
    result = run_import("pagerduty", data, ImportOptions(label="evidence/pagerduty.json"))
    staged, duplicates = deduplicate(screen.session.incident, result.candidates)
    staged = decide(decide(staged, 0, "accepted"), 1, "dropped")
    screen.pane("timeline").review(
        "Review events from evidence/pagerduty.json (pagerduty)", staged, duplicates, result.problems
    )
    await pilot.pause()
    await pilot.press("down", "down")
    await pilot.pause()


def _outside_edit(then: tuple[str, ...] = ()) -> Run:
    async def run(pilot) -> None:
        await at_pane(CLAUDE, "narrative")(pilot)
        editor = pilot.app.screen.query_one("#narrative-editor", TextArea)
        editor.insert("MINE: typed here, not saved yet.\n", (0, 0))
        pane = pilot.app.screen.query_one(NarrativePane)
        await until(pilot, lambda: pane.preview_text == editor.text, "the preview")
        await pilot.app.workers.wait_for_complete()
        path = pilot.app.store.folder_of(CLAUDE) / "postmortem.md"
        path.write_text(path.read_text().replace("\n", "\nTHEIRS: written by another program.\n", 1))
        await until(pilot, lambda: isinstance(pilot.app.screen, OutsideEditModal), "the outside-edit dialog")
        pilot.app.clear_notifications()
        await pilot.pause()
        if then:
            await pilot.press(*then)
            await pilot.pause()

    return run


async def _restore(pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, RestoreModal), "the restore offer")
    await finding_counts_ready(pilot)


def _broken_file(store) -> None:
    path = store.folder_of(OPENAI) / "incident.toml"
    lines = path.read_bytes().split(b"\n")
    n = next(i for i, line in enumerate(lines) if line.startswith(b"title = "))
    lines[n] = b'title = "API outage \xff\xfe caf\xe9"'
    path.write_bytes(b"\n".join(lines))


async def _read_only_view(pilot) -> None:
    await finding_counts_ready(pilot)
    list_screen = pilot.app.screen
    await until(pilot, lambda: list_screen.problems, "the broken row")
    list_screen.query_one("#incidents").focus()
    await pilot.press("end", "enter")
    await until(
        pilot, lambda: isinstance(pilot.app.screen, ReadOnlyViewScreen) and pilot.app.screen.view, "the read-only view"
    )
    await pilot.pause()


async def _escape_asks(pilot) -> None:
    await at_pane(OPENAI, "overview", then=("s",))(pilot)
    pilot.app.screen.query_one("#field-excludes", TextArea).text = "Billing systems."
    await pilot.press("escape")
    await still(pilot)


@dataclass(frozen=True)
class Scene:
    run: Run
    prepare: Callable[..., None] | None = None  # changes the example store before the app starts
    store: str = "ui_store"  # the fixture whose store the app opens


SCENES: dict[str, Scene] = {
    # the start screen and what opens from it
    "list": Scene(_list),
    "list-filtered": Scene(lambda p: _filtered_list(p)),
    "list-with-a-broken-file": Scene(_list, prepare=_broken_file),
    "read-only-viewer": Scene(_read_only_view, prepare=_broken_file),
    "restore-offer": Scene(_restore, prepare=write_form_offer),
    "new-incident-form": Scene(lambda p: _after_list(p, "n")),
    "import-form": Scene(lambda p: _after_list(p, "i")),
    "help": Scene(lambda p: _after_list(p, "question_mark")),
    "search": Scene(_search),
    "learning": Scene(_learning),
    "learning-recurring-causes": Scene(_learning_groups, store="learning_copy"),
    "taxonomy-screen": Scene(_taxonomy("misrouting")),
    "taxonomy-edit-form": Scene(_taxonomy("kv cache", ("e",))),
    "taxonomy-merge-form": Scene(_taxonomy("kv cache", ("m",))),
    # each pane of the incident screen (Diagnostics: test_snapshots_diagnostics)
    "overview": Scene(at_pane(OPENAI, "overview")),
    "scope-form": Scene(at_pane(OPENAI, "overview", then=("s",))),
    "discard-typing-confirm": Scene(_escape_asks),
    "timeline": Scene(at_pane(OPENAI, "timeline")),
    "timeline-form": Scene(at_pane(CLAUDE, "timeline", then=("e",))),
    "timeline-delete-confirm": Scene(at_pane(CLAUDE, "timeline", then=("d",))),
    "timeline-staging": Scene(_timeline_staging),
    "causes": Scene(at_pane(CLAUDE, "causes", "c-a206")),
    "cause-form": Scene(at_pane(CLAUDE, "causes", "c-a202", ("w",))),
    "cause-evidence-picker": Scene(at_pane(CLAUDE, "causes", "c-a201", ("l",))),
    "actions": Scene(at_pane(CLAUDE, "actions")),
    "action-form": Scene(at_pane(CLAUDE, "actions", "AI-002", ("e",))),
    "action-status-picker": Scene(at_pane(CLAUDE, "actions", "AI-004", ("s",))),
    "taxonomy-pane": Scene(at_pane(OPENAI, "taxonomy")),
    "taxonomy-picker": Scene(taxonomy_picker),
    "narrative": Scene(_narrative),
    "outside-edit": Scene(_outside_edit()),
    "outside-edit-both-versions": Scene(_outside_edit(("b",))),
    "history": Scene(_history),
    "review": Scene(_review),
    "review-analysis-guide": Scene(lambda p: _review(p, ULTRALYTICS)),
    "stage-gate": Scene(_review_then("right_square_bracket")),
    "signoff-override-form": Scene(_review_then("S")),
    "meeting": Scene(_review_then("m")),
    "meeting-capture-form": Scene(_meeting_form),
    "report": Scene(at_pane(SMALL, "report"), store="small_store"),
    "export-form": Scene(at_pane(SMALL, "report", then=("h",)), store="small_store"),
    "evidence": Scene(at_pane(OPENAI, "evidence")),
}


async def _after_list(pilot, key: str) -> None:
    await _list(pilot)
    await _keys(key)(pilot)


async def _filtered_list(pilot) -> None:
    await _list(pilot)
    await pilot.press("slash", *"openai", "enter")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("scene", list(SCENES))
def test_screen(snap_compare, make_app, request, scene, size):
    s = SCENES[scene]
    store = request.getfixturevalue(s.store)
    if s.prepare:
        s.prepare(store)
    assert snap_compare(make_app(store), terminal_size=size, run_before=s.run)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_conflicts_screen(snap_compare, make_app, team, size):  # noqa: F811 - the fixture imported above
    from workbench.cli import main

    bob = team["bob"]
    assert main(["--store", str(bob.root), "sync"]) == 1

    async def run_before(pilot) -> None:
        await until(pilot, lambda: any("press C" in m for m in pilot.app.notices), "the reminder")
        await pilot.pause()
        pilot.app.clear_notifications()
        pilot.app.action_conflicts()
        await until(pilot, lambda: rows_ready(pilot.app), "the Conflicts screen")
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(make_app(bob), terminal_size=size, run_before=run_before)
