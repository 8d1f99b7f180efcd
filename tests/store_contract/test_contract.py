"""The store contract (StoreProtocol), run against the git store and the in-memory store (see conftest)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.domain.model import Incident, KeyTimes, TimelineEntry
from workbench.domain.narrative import template
from workbench.store import (
    ConflictMarkers,
    IncidentRecord,
    LoadError,
    NotAStore,
    NotFound,
    OutsideEdit,
    ReadOnlyStore,
    StoreError,
    StoreProtocol,
)

from .conftest import Kit

AUG = datetime(2025, 8, 5, 16, tzinfo=timezone.utc)
SEP = datetime(2025, 9, 1, 9, tzinfo=timezone.utc)


def new(store: StoreProtocol, incident_id: str = "inc", narrative: str | None = "## Summary\n\nv1\n") -> IncidentRecord:
    return store.create(Incident(id=incident_id, title="First title", times=KeyTimes(started=AUG)), narrative)


def retitle(store: StoreProtocol, record: IncidentRecord, title: str) -> IncidentRecord:
    return store.save(
        record, record.incident.model_copy(update={"title": title}), where="overview", what=f"title {title}"
    )


def test_create_then_load_gives_back_the_incident_and_narrative(store: StoreProtocol) -> None:
    made = new(store)
    loaded = store.load("inc")
    assert loaded.incident == made.incident and loaded.incident.title == "First title"
    assert loaded.narrative == made.narrative == "## Summary\n\nv1\n"
    assert loaded.toml.sha256 == made.toml.sha256 and loaded.toml.text == made.toml.text
    assert loaded.folder == made.folder and loaded.folder.parts[-4:] == ("incidents", "2025", "08", "inc")
    assert store.ids() == ["inc"]
    [only] = store.history("inc")
    assert only.subject == "inc: scoping: create 'First title'"


def test_create_without_a_narrative_writes_the_canonical_template(store: StoreProtocol) -> None:
    store.create(Incident(id="bare", title="t"))
    assert store.load("bare").narrative == template()


def test_every_save_is_one_version_newest_first_with_a_structured_message(store: StoreProtocol) -> None:
    record = retitle(store, new(store), "Second")
    entry = TimelineEntry(id="t-0001", time=AUG, event="Alert fires", source="pager")
    record = store.save(
        record,
        record.incident.model_copy(update={"timeline": [entry]}),
        "## Summary\n\nv3\n",
        where="timeline",
        what="add t-0001",
        trailers=["Reviewed-by: Ana"],
    )
    subjects = [c.subject for c in store.history("inc")]
    assert subjects == [
        "inc: timeline: add t-0001",
        "inc: overview: title Second",
        "inc: scoping: create 'First title'",
    ]
    newest = store.history("inc")[0]
    assert "Reviewed-by: Ana" in newest.body
    assert all(len(c.sha) == 40 for c in store.history("inc"))
    assert len({c.sha for c in store.history("inc")}) == 3
    assert store.load("inc").narrative == "## Summary\n\nv3\n" and store.load("inc").incident.timeline == [entry]
    assert [c.subject for c in store.history("inc", limit=2)] == subjects[:2]


def test_a_save_that_changes_nothing_makes_no_version(store: StoreProtocol) -> None:
    record = new(store)
    again = store.save(record, record.incident, where="overview", what="nothing")
    assert len(store.history("inc")) == 1
    assert again.toml.sha256 == record.toml.sha256
    retitle(store, again, "Changed")  # the returned record is still the latest: saving from it works
    assert len(store.history("inc")) == 2


def test_history_lists_only_the_versions_of_that_incident(store: StoreProtocol) -> None:
    a, b = new(store, "aaa"), new(store, "bbb")
    retitle(store, a, "A2")
    retitle(store, b, "B2")
    assert [c.subject for c in store.history("aaa")] == [
        "aaa: overview: title A2",
        "aaa: scoping: create 'First title'",
    ]
    assert store.ids() == ["aaa", "bbb"]


def test_show_at_gives_the_old_version_and_changes_nothing(store: StoreProtocol) -> None:
    record = retitle(store, new(store), "Second")
    store.save(record, record.incident, "## Summary\n\nv3\n", where="narrative", what="v3")
    oldest = store.history("inc")[-1]
    for rev in (oldest.sha, oldest.short):
        old = store.show_at("inc", rev)
        assert old.incident.title == "First title" and old.narrative == "## Summary\n\nv1\n"
    latest = store.load("inc")
    assert latest.incident.title == "Second" and latest.narrative == "## Summary\n\nv3\n"
    assert len(store.history("inc")) == 3


def test_restore_is_a_new_version_and_history_is_never_rewritten(store: StoreProtocol) -> None:
    record = retitle(store, new(store), "Second")
    before = store.history("inc")
    oldest = before[-1]
    restored = store.restore(record, oldest.sha)
    assert restored.incident.title == "First title"
    after = store.history("inc")
    assert after[1:] == before
    assert after[0].subject == f"inc: history: restore version {oldest.sha[:8]}"
    assert store.load("inc").incident.title == "First title"


def test_diff_shows_what_a_version_changed_and_only_that(store: StoreProtocol) -> None:
    record = retitle(store, new(store), "Second")
    store.save(record, record.incident, "## Summary\n\nv2\n", where="narrative", what="v2")
    narrative_step, title_step, created = store.history("inc")
    folder = "incidents/2025/08/inc"
    title = store.diff("inc", title_step.sha)
    assert f"--- a/{folder}/incident.toml" in title and f"+++ b/{folder}/incident.toml" in title
    assert '-title = "First title"' in title and '+title = "Second"' in title and "postmortem.md" not in title
    prose = store.diff("inc", narrative_step.short)
    assert "-v1" in prose and "+v2" in prose and "incident.toml" not in prose
    made = store.diff("inc", created.sha)
    assert "--- /dev/null" in made and f"+++ b/{folder}/postmortem.md" in made and "+## Summary" in made
    with pytest.raises(NotAStore):
        store.diff("inc", "0000000")


def test_a_stale_record_is_refused_and_nothing_is_written(store: StoreProtocol) -> None:
    first = new(store)
    retitle(store, first, "Saved by someone else")
    with pytest.raises(OutsideEdit):
        retitle(store, first, "Mine")
    assert store.load("inc").incident.title == "Saved by someone else"
    assert len(store.history("inc")) == 2


@pytest.mark.parametrize("what", ["toml", "narrative"])
def test_an_edit_made_outside_the_store_is_never_clobbered(kit: Kit, what: str) -> None:
    store = kit.store
    record = new(store)
    if what == "toml":
        kit.edit_outside("inc", toml=record.toml.text.replace("First title", "Edited by hand"))
    else:
        kit.edit_outside("inc", narrative="## Summary\n\nby hand\n")
    with pytest.raises(OutsideEdit) as caught:
        retitle(store, record, "Mine")
    assert caught.value.path.name == ("incident.toml" if what == "toml" else "postmortem.md")
    reloaded = store.load("inc")
    assert reloaded.incident.title != "Mine"
    retitle(store, reloaded, "Mine")  # a fresh load sees the hand edit and may save over it
    assert store.load("inc").incident.title == "Mine"


def test_ids_never_change_and_are_never_reused(store: StoreProtocol) -> None:
    record = new(store)
    with pytest.raises(StoreError, match="id cannot change"):
        store.save(record, record.incident.model_copy(update={"id": "other"}), where="overview", what="x")
    with pytest.raises(StoreError, match="already exists"):
        new(store)
    assert store.ids() == ["inc"] and len(store.history("inc")) == 1


def test_unknown_ids_and_revisions_are_clear_errors(store: StoreProtocol) -> None:
    record = retitle(store, new(store), "Second")
    with pytest.raises(NotFound):
        store.load("nope")
    with pytest.raises(NotFound):
        store.history("nope")
    with pytest.raises(NotAStore, match="not a commit"):
        store.show_at("inc", "deadbeef" * 5)
    with pytest.raises(NotAStore):
        store.restore(record, "deadbeef")
    later = new(store, "later")
    with pytest.raises(NotFound, match="did not exist"):
        store.show_at("later", store.history("inc")[-1].sha)
    assert later.id == "later"


def test_a_narrative_with_conflict_markers_is_refused(store: StoreProtocol) -> None:
    record = new(store)
    marked = "## Summary\n\n<<<<<<< ours\nmine\n=======\ntheirs\n>>>>>>> theirs\n"
    with pytest.raises(ConflictMarkers, match="postmortem.md:3"):
        store.save(record, record.incident, marked, where="narrative", what="merge")
    assert store.load("inc").narrative == "## Summary\n\nv1\n" and len(store.history("inc")) == 1


def test_a_read_only_store_refuses_every_write_and_still_reads(store: StoreProtocol) -> None:
    record = retitle(store, new(store), "Second")
    store.read_only = True
    with pytest.raises(ReadOnlyStore):
        retitle(store, record, "Third")
    with pytest.raises(ReadOnlyStore):
        new(store, "other")
    with pytest.raises(ReadOnlyStore):
        store.restore(record, store.history("inc")[-1].sha)
    assert store.load("inc").incident.title == "Second" and store.ids() == ["inc"]
    assert store.show_at("inc", store.history("inc")[-1].sha).incident.title == "First title"


def test_the_folder_follows_the_start_month_and_history_follows_it(store: StoreProtocol) -> None:
    record = new(store)
    moved = store.save(
        record,
        record.incident.model_copy(update={"times": KeyTimes(started=SEP)}),
        where="overview",
        what="started in September",
    )
    assert moved.folder.parts[-3:] == ("2025", "09", "inc") and store.load("inc").folder == moved.folder
    assert len(store.history("inc")) == 2
    assert store.show_at("inc", store.history("inc")[-1].sha).folder.parts[-3:] == ("2025", "08", "inc")
    retitle(store, moved, "After the move")  # the moved record is the latest version


def test_an_incident_that_does_not_load_is_a_problem_naming_file_line_and_field(kit: Kit) -> None:
    store = kit.store
    good, bad = new(store, "good"), new(store, "bad")
    assert "severity" not in bad.toml.text  # the default is not written: a top-level line sets it
    kit.edit_outside("bad", toml='severity = "P9"\n' + bad.toml.text)
    result = store.load_all()
    assert [r.id for r in result.records] == [good.id]
    [problem] = result.problems
    assert problem.path == Path("incidents/2025/08/bad/incident.toml")
    assert problem.field == "severity" and problem.line is not None
    with pytest.raises(LoadError) as caught:
        store.load("bad")
    assert caught.value.problems == [problem]


def test_the_taxonomy_loads(store: StoreProtocol) -> None:
    taxonomy = store.load_taxonomy()
    assert taxonomy.modes and all(mode.id for mode in taxonomy.modes)
