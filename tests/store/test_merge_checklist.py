"""The merge driver pairs data-collection checklist lines by their source (they have no id), so two people
marking different sources, or different fields of one source, merge without a conflict."""

from __future__ import annotations

from workbench.store.tomlmerge import merge3

BASE = {"id": "x", "collection": [{"source": "logs", "status": "missing", "reason": "not exported yet"}]}


def test_marks_on_different_sources_merge_in_both_orders() -> None:
    ours = {**BASE, "collection": [{"source": "logs", "status": "gathered", "evidence": ["e-1a2b"]}]}
    theirs = {
        **BASE,
        "collection": [*BASE["collection"], {"source": "paging", "status": "not-needed", "reason": "no page was sent"}],
    }
    for a, b in ((ours, theirs), (theirs, ours)):
        merged, conflicts = merge3(BASE, a, b)
        assert conflicts == []
        by_source = {c["source"]: c for c in merged["collection"]}
        assert by_source["logs"]["status"] == "gathered" and by_source["logs"]["evidence"] == ["e-1a2b"]
        assert by_source["paging"]["status"] == "not-needed"


def test_one_source_different_fields_merge_and_the_same_field_conflicts() -> None:
    ours = {**BASE, "collection": [{**BASE["collection"][0], "reason": "export requested from the log team"}]}
    theirs = {**BASE, "collection": [{**BASE["collection"][0], "gap": "g-9f3e"}]}
    merged, conflicts = merge3(BASE, ours, theirs)
    assert conflicts == []
    assert merged["collection"] == [
        {"source": "logs", "status": "missing", "reason": "export requested from the log team", "gap": "g-9f3e"}
    ]
    theirs_status = {**BASE, "collection": [{**BASE["collection"][0], "status": "not-needed"}]}
    ours_status = {**BASE, "collection": [{**BASE["collection"][0], "status": "gathered"}]}
    merged, conflicts = merge3(BASE, ours_status, theirs_status)
    assert [c.field for c in conflicts] == ["collection[logs].status"]


def test_lines_named_twice_are_not_paired_up_but_conflict() -> None:
    twice = {**BASE, "collection": [{"source": "logs", "status": "gathered"}, {"source": "logs", "status": "missing"}]}
    other = {**BASE, "collection": [{"source": "logs", "status": "not-needed"}]}
    merged, conflicts = merge3(BASE, twice, other)
    assert [c.field for c in conflicts] == ["collection"]
