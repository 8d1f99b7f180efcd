"""The Diagnostics pane driven by keys: each kind added through its form (result shown live, then one
commit with the TOML it wrote), re-run, edit, delete, and citing a diagnostic from a cause."""

from __future__ import annotations

from textual.widgets import Static

from workbench.ui.diagnostic_form import DiagnosticForm
from workbench.ui.forms import FormModal
from workbench.ui.modals.confirm import ConfirmModal
from workbench.ui.modals.pick import PickOneModal
from workbench.ui.modals.restore import RestoreModal

from .conftest import CLAUDE, open_incident, settle, subjects
from .pane_helpers import read_incident, shown_text
from .waiting import until, until_screen

KIND_ORDER = ["reproduction", "srm", "eval-delta", "impact", "rate-change"]


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space", ".": "full_stop", ",": "comma", "/": "slash"}.get(char, char))


async def _fields(pilot, *values: str) -> None:
    """Type each value into the next field (tab moves on; an empty value leaves a field as it is)."""
    for index, value in enumerate(values):
        if index:
            await pilot.press("tab")
        await _type(pilot, value)


async def _live(pilot, form: DiagnosticForm, expect: str) -> str:
    live = form.query_one("#live-result", Static)
    await until(pilot, lambda: expect in shown_text(live), f"the live result to show {expect!r}")
    return shown_text(live)


async def _add(pilot, kind: str) -> DiagnosticForm:
    await pilot.press("a")
    await until_screen(pilot, PickOneModal)
    for _ in range(KIND_ORDER.index(kind)):
        await pilot.press("down")
    await pilot.press("enter")
    form = await until_screen(pilot, DiagnosticForm)
    assert form.kind == kind
    return form


def _diagnostic(store, diagnostic_id: str) -> dict:
    return next(d for d in read_incident(store, CLAUDE)["diagnostics"] if d["id"] == diagnostic_id)


async def test_each_kind_is_added_by_keys_and_committed(make_memory_app, memory_store):
    app = make_memory_app()
    before = len(memory_store.history(CLAUDE))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        await pilot.press("f8")
        assert screen.active_pane_id() == "diagnostics"
        added: list[str] = []
        existing = {d.id for d in screen.session.incident.diagnostics}  # the example's own diagnostics

        async def save(form: DiagnosticForm, expect: str) -> str:
            await _live(pilot, form, expect)
            await pilot.press("ctrl+s")
            await settle(pilot)
            new = [d.id for d in screen.session.incident.diagnostics if d.id not in added and d.id not in existing]
            assert len(new) == 1
            added.append(new[0])
            return new[0]

        form = await _add(pilot, "reproduction")
        await _fields(pilot, "misroute reproduces", "3", "20")
        dx = await save(form, "3 of 20 runs (15%, 95% CI 3.2–38%")
        saved = _diagnostic(memory_store, dx)
        assert saved["kind"] == "reproduction" and saved["claim"] == "misroute reproduces"
        assert saved["inputs"] == {"k": 3, "n": 20, "method": "exact"}
        assert saved["result"]["low"] == 0.0320709 and saved["result"]["high"] == 0.378927
        assert saved["computed_with"].startswith("scipy ") and "computed_at" in saved
        assert subjects(memory_store, CLAUDE, 1)[0] == f"{CLAUDE}: diagnostics: add {dx} (reproduction rate)"

        form = await _add(pilot, "srm")
        await _fields(pilot, "the A/B split held", "5500, 4500")
        dx = await save(form, "Sample ratio mismatch")
        saved = _diagnostic(memory_store, dx)
        assert saved["inputs"] == {"counts": [5500, 4500]} and saved["result"]["flagged"] is True
        assert subjects(memory_store, CLAUDE, 1)[0] == f"{CLAUDE}: diagnostics: add {dx} (sample ratio mismatch)"

        form = await _add(pilot, "eval-delta")
        await _fields(pilot, "quality dropped", "800", "1000", "760", "1000")
        dx = await save(form, "two-proportion z-test p = 0.031, significant")
        saved = _diagnostic(memory_store, dx)
        assert saved["inputs"] == {"k_a": 800, "n_a": 1000, "k_b": 760, "n_b": 1000}
        assert saved["result"]["significant"] is True and saved["result"]["delta"] == -0.04

        form = await _add(pilot, "impact")
        # claim, calc (a select: tab passes it), rate, rate_low, rate_high, traffic, window
        await _fields(pilot, "requests misrouted", "", "0.16", "", "", "1000", "2")
        dx = await save(form, "= 320 requests")
        saved = _diagnostic(memory_store, dx)
        assert saved["inputs"] == {"calc": "requests", "rate": 0.16, "traffic_per_hour": 1000.0, "window_hours": 2.0}
        data = read_incident(memory_store, CLAUDE)
        # The calculation feeds the impact figure it computes, with itself as the source, and the impact cites it.
        assert data["impact"]["requests_affected"]["value"] == 320
        assert data["impact"]["requests_affected"]["source"].startswith(f"{dx}: 0.16 × 1,000 requests/h × 2 h")
        assert dx in data["impact"]["diagnostics"]

        form = await _add(pilot, "rate-change")
        await _fields(pilot, "errors rose after the deploy", "10", "2", "30", "2")
        dx = await save(form, "rate ratio 3×")
        saved = _diagnostic(memory_store, dx)
        assert saved["result"]["ratio"] == 3.0 and saved["result"]["significant"] is True
        assert subjects(memory_store, CLAUDE, 1)[0] == f"{CLAUDE}: diagnostics: add {dx} (rate change)"
    assert len(memory_store.history(CLAUDE)) == before + 5  # one commit per diagnostic


async def test_bad_input_is_refused_in_the_form_and_loses_nothing(make_memory_app, memory_store):
    app = make_memory_app()
    before = len(memory_store.history(CLAUDE))
    async with app.run_test(size=(140, 45)) as pilot:
        await open_incident(pilot, CLAUDE, "diagnostics")
        form = await _add(pilot, "reproduction")
        await _fields(pilot, "", "25", "20")
        await _live(pilot, form, "k: cannot exceed n (25 of 20)")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosticForm)  # still open, with what was typed
        assert "cannot exceed n" in shown_text(form.query_one("#error-k", Static))
        assert form.raw_values()["k"] == "25"
    assert len(memory_store.history(CLAUDE)) == before


async def test_rerun_edit_cite_and_delete(make_memory_app, memory_store):
    app = make_memory_app()
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_incident(pilot, CLAUDE, "diagnostics")
        pane = screen.pane("diagnostics")
        form = await _add(pilot, "reproduction")
        await _fields(pilot, "", "1", "1")
        await _live(pilot, form, "a single run proves nothing about rates")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dx = screen.session.incident.diagnostics[-1].id
        await pilot.press("r")
        await until(pilot, lambda: dx in pane.reruns, "dx in pane.reruns")
        assert pane.reruns[dx].status == "same"
        assert "same" in str(pane.table.get_row(dx)[3])

        # Edit: the same id, new inputs, one commit.
        pane.focus_entry(dx)
        await pilot.press("e")
        form = await until_screen(pilot, DiagnosticForm)
        form.query_one("#field-k").value = "4"
        form.query_one("#field-n").value = "10"
        await _live(pilot, form, "4 of 10 runs")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _diagnostic(memory_store, dx)["inputs"]["n"] == 10
        assert subjects(memory_store, CLAUDE, 1)[0] == f"{CLAUDE}: diagnostics: edit {dx} (reproduction rate)"

        # Cite it from a cause through the Causes form.
        await pilot.press("3")
        screen.pane("causes").focus_entry("c-a201")
        await pilot.press("e")
        cause_form = await until_screen(pilot, FormModal)
        cause_form.query_one("#field-diagnostics").value = "dx-ffff"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a diagnostic of this incident: dx-ffff" in shown_text(cause_form.query_one("#error-diagnostics"))
        cause_form.query_one("#field-diagnostics").value = dx
        await pilot.press("ctrl+s")
        await settle(pilot)
        cause = next(c for c in read_incident(memory_store, CLAUDE)["causes"] if c["id"] == "c-a201")
        assert cause["diagnostics"] == [dx]

        # Delete: the citation goes with it, in the same commit.
        await pilot.press("f8")
        pane.focus_entry(dx)
        await pilot.press("d")
        await until_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
    data = read_incident(memory_store, CLAUDE)
    assert dx not in [d["id"] for d in data.get("diagnostics", [])]
    assert not next(c for c in data["causes"] if c["id"] == "c-a201").get("diagnostics")
    assert subjects(memory_store, CLAUDE, 1)[0] == f"{CLAUDE}: diagnostics: delete {dx} (reproduction rate)"


async def test_the_key_is_in_the_help_and_the_palette(make_app):
    from workbench.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_incident(pilot, CLAUDE)
        commands = [c.title for c in app.get_system_commands(screen)]
        assert "Go to Diagnostics" in commands
        await pilot.press("question_mark")
        help_screen = await until_screen(pilot, HelpScreen)
        text = "\n".join(shown_text(s) for s in help_screen.query(Static))
        assert "incident.diagnostics" in text and "diagnostics.rerun" in text and "f8" in text.lower()


async def test_an_uncited_claim_finding_opens_the_form_of_its_kind(make_app, ui_store):
    from .test_review_ui import review_ready, select_row

    record = ui_store.load(CLAUDE)
    ui_store.save(
        record,
        record.incident,
        record.narrative + "\n\nThe A/B test showed the fix worked.\n",
        where="narrative",
        what="add an experiment claim",
    )
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        screen, pane = await review_ready(pilot, CLAUDE)
        key = next(k for k, f in pane.rows.items() if f.rule == "diagnostics.uncited-srm")
        assert "f8 (Diagnostics pane)" in pane.rows[key].fix
        select_row(pane, key)
        await pilot.press("enter")
        form = await until_screen(pilot, DiagnosticForm)
        assert form.kind == "srm"
        assert [type(s) for s in app.screen_stack].count(DiagnosticForm) == 1
        await pilot.press("escape")
        await until(
            pilot,
            lambda: app.screen is screen and screen.active_pane_id() == "diagnostics",
            "the form closed over the Diagnostics pane",
        )


async def test_a_diagnostic_form_typed_into_survives_a_crash(make_app, ui_store):
    """The form goes through the same journal as every other form: after a crash the next start offers it
    back, reopens the same kind's form with what was typed, and ctrl+s commits it."""
    before = len(ui_store.history(CLAUDE))
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await open_incident(pilot, CLAUDE, "diagnostics")
        form = await _add(pilot, "srm")
        await _fields(pilot, "the A/B split held", "5500, 4500")
        await _live(pilot, form, "Sample ratio mismatch")
        await until(
            pilot,
            lambda: [e for e in ui_store.journal.pending(CLAUDE) if e.pane.startswith("form.diagnostics")],
            "the journal is written half a second after the last key, in a thread",
        )
        # The crash: the app goes away with the form open.
    assert len(ui_store.history(CLAUDE)) == before
    [entry] = [e for e in ui_store.journal.pending(CLAUDE) if e.pane.startswith("form.diagnostics")]
    assert entry.content["values"]["counts"] == "5500, 4500"

    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        modal = await until_screen(pilot, RestoreModal)
        assert "the A/B split held" in str(modal.query_one("#restore-list").get_option_at_index(0).prompt)
        await pilot.press("r")
        form = await until_screen(pilot, DiagnosticForm)
        assert form.kind == "srm" and form.raw_values()["counts"] == "5500, 4500"
        await _live(pilot, form, "Sample ratio mismatch")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(
            pilot,
            lambda: not [e for e in ui_store.journal.pending(CLAUDE) if e.pane.startswith("form.diagnostics")],
            "cleared once the save that holds it is committed",
        )
    saved = [d for d in read_incident(ui_store, CLAUDE)["diagnostics"] if d["claim"] == "the A/B split held"]
    assert len(saved) == 1 and saved[0]["inputs"] == {"counts": [5500, 4500]}
    assert len(ui_store.history(CLAUDE)) == before + 1
    assert not [e for e in ui_store.journal.pending(CLAUDE) if e.pane.startswith("form.diagnostics")]
