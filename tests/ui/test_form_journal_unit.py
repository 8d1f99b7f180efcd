"""FormJournal's ordering rules: writes in threads may land in any order, clears must stay cleared."""

from __future__ import annotations

from workbench.store import Store
from workbench.ui.form_journal import FormJournal, form_preview, journal_key

ID = "2025-01-01-form-journal"


def _journal(store: Store, title: str = "Edit timeline entry T-001") -> FormJournal:
    return FormJournal(store, ID, "timeline", "edit", "T-001", title)


def test_keys_are_file_safe_and_name_pane_action_and_entry() -> None:
    assert journal_key("timeline", "edit", "T-001") == "form.timeline.edit.t-001"
    assert journal_key("evidence", "mark('not-needed')", None) == "form.evidence.mark-not-needed"
    assert journal_key("overview", "edit_scope", None) == "form.overview.edit_scope"


def test_an_older_write_landing_late_never_replaces_a_newer_one(empty_store: Store) -> None:
    j = _journal(empty_store)
    j.write(2, {"event": "newer"})
    j.write(1, {"event": "older"})
    assert empty_store.journal.get(ID, j.key).content["values"] == {"event": "newer"}


def test_after_the_final_write_and_after_a_discard_nothing_more_is_written(empty_store: Store) -> None:
    j = _journal(empty_store)
    j.write(1, {"event": "submitted"}, final=True, changed=["event"])
    j.write(2, {"event": "late debounced write"})
    entry = empty_store.journal.get(ID, j.key)
    assert entry.content["values"] == {"event": "submitted"} and entry.content["changed"] == ["event"]
    j.discard()  # the commit landed
    assert empty_store.journal.get(ID, j.key) is None
    j.write(3, {"event": "even later"})
    assert empty_store.journal.get(ID, j.key) is None


def test_a_late_discard_never_removes_a_newer_forms_typing_under_the_same_key(empty_store: Store) -> None:
    first, second = _journal(empty_store), _journal(empty_store)
    first.write(1, {"event": "first"}, final=True)
    second.write(1, {"event": "second, still being typed"})
    first.discard()  # the first form's commit lands after the second form wrote
    assert empty_store.journal.get(ID, second.key).content["values"] == {"event": "second, still being typed"}


def test_a_form_prefilled_from_an_entry_owns_it(empty_store: Store) -> None:
    crashed = _journal(empty_store)
    crashed.write(1, {"event": "typed before the crash"})
    reopened = _journal(empty_store)
    assert reopened.pending_values() == {"event": "typed before the crash"}
    reopened.discard()  # esc twice on the restored form: the user threw it away
    assert empty_store.journal.get(ID, reopened.key) is None


def test_back_to_the_opened_values_forgets_the_entry(empty_store: Store) -> None:
    j = _journal(empty_store)
    j.write(1, {"event": "x"})
    j.write(2, None)
    assert empty_store.journal.pending() == []


def test_preview_shows_what_was_typed_first(empty_store: Store) -> None:
    content = {
        "title": "Edit action AI-002",
        "values": {"owner": "@sre", "action": "Add a canary"},
        "changed": ["action"],
    }
    assert form_preview(content) == "Edit action AI-002 · Add a canary"


def test_workbench_recover_lists_a_form_by_its_title_and_what_was_typed(example_store: Store, capsys) -> None:
    from workbench.cli import main

    incident_id = example_store.ids()[0]
    j = FormJournal(example_store, incident_id, "actions", "edit", "AI-002", "Edit action AI-002")
    j.write(1, {"owner": "@sre", "action": "Add a canary stage"}, changed=["action"])
    assert main(["--store", str(example_store.root), "recover"]) == 0
    out = capsys.readouterr().out
    assert f"unsaved  {incident_id}  form.actions.edit.ai-002" in out
    assert "Edit action AI-002 · Add a canary stage" in out and "token" not in out
