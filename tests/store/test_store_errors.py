"""Bad input gets a clear message naming file, line and field; the other incidents still load;
nothing is written. Stores that are not stores, not repositories, or mid-merge are refused clearly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from workbench.domain.model import Incident
from workbench.services.bundled import default_taxonomy_text
from workbench.store import LoadError, NotAStore, RepoBusy, Store, StoreError
from workbench.store.tomlfile import decode_incident

GOOD = """\
schema_version = 1
id = "x"
title = "A title"

[times]
started = 2025-08-05T16:00:00Z

[[timeline]]
id = "t-0001"
time = 2025-08-05T16:00:00Z
event = "first"

[[timeline]]
id = "t-0002"
time = 2025-08-05T16:10:00Z
event = "second"

[[timeline]]
id = "t-0003"
time = 2025-08-05T16:20:00Z
event = "third"

[[causes]]
id = "c-0001"
statement = "a cause"
evidence = ["t-0001"]
"""


def problems_of(text: str) -> list:
    with pytest.raises(LoadError) as info:
        decode_incident(text, Path("incidents/2025/08/x/incident.toml"))
    return info.value.problems


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth - 1]


def test_the_good_file_loads() -> None:
    assert decode_incident(GOOD, Path("f")).timeline[2].event == "third"


# (what is wrong, the edit, the field reported, the line it is on (needle, nth occurrence), words in the message)
SCHEMA_CASES = [
    (
        "bad time in the 3rd entry",
        ("time = 2025-08-05T16:20:00Z", 'time = "yesterday"'),
        "timeline[t-0003].time",
        ('time = "yesterday"', 1),
        "datetime",
    ),
    (
        "naive time in the 2nd entry",
        ("time = 2025-08-05T16:10:00Z", "time = 2025-08-05T16:10:00"),
        "timeline[t-0002].time",
        ("time = 2025-08-05T16:10:00", 1),
        "offset",
    ),
    (
        "unknown field in an entry",
        ('event = "second"', 'event = "second"\nevnt = "typo"'),
        "timeline[t-0002].evnt",
        ("evnt", 1),
        "unknown field",
    ),
    (
        "unknown top-level field",
        ('title = "A title"', 'title = "A title"\nseverty = "P1"'),
        "severty",
        ("severty", 1),
        "unknown field",
    ),
    (
        "severity out of range",
        ('title = "A title"', 'title = "A title"\nseverity = "P9"'),
        "severity",
        ("severity", 1),
        "expected 'P0', 'P1' or 'P2'",
    ),
    ("missing event", ('event = "third"\n', ""), "timeline[t-0003].event", ("[[timeline]]", 3), "missing"),
    ("bad id", ('id = "x"', 'id = "../x"'), "id", ('id = "../x"', 1), "path"),
    (
        "bad nested table",
        ("[times]", "[times]\nbegan = 2025-08-05T16:00:00Z"),
        "times.began",
        ("began", 1),
        "unknown field",
    ),
    (
        "NaN figure (a union of int and float)",
        ("[times]", "[impact.users_affected]\nvalue = nan\n\n[times]"),
        "impact.users_affected.value",
        ("value = nan", 1),
        "finite number",
    ),
    (
        "string figure",
        ("[times]", '[impact.users_affected]\nvalue = "many"\n\n[times]'),
        "impact.users_affected.value",
        ('value = "many"', 1),
        "valid",
    ),
    ("cause evidence missing", ('evidence = ["t-0001"]', 'evidence = ["t-9999"]'), "", None, "t-9999"),
]


@pytest.mark.parametrize(("case", "edit", "field", "where", "words"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_errors_name_file_line_and_field(case, edit, field, where, words) -> None:
    old, new = edit
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    problems = problems_of(text)
    problem = problems[0]
    assert len({(p.line, p.field, p.message) for p in problems}) == len(problems)  # no repeats
    assert str(problem.path) == "incidents/2025/08/x/incident.toml"
    assert problem.field == field
    assert words in problem.message
    if where is not None:
        assert problem.line == line_of(text, *where)
        assert str(problem).startswith(f"incidents/2025/08/x/incident.toml:{problem.line}: {field}: ")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('title = "x"\ntitle = "y"\n', 2),
        ('id = "x"\n[times\n', 2),
        ('a = """\n', 1),
        ("x = 1\n\n\ny = \n", 4),
        ('id = "x"\n<<<<<<< HEAD\ntitle = "a"\n=======\ntitle = "b"\n>>>>>>> other\n', 2),
    ],
)
def test_syntax_errors_name_the_line(text: str, line: int) -> None:
    problem = problems_of(text)[0]
    assert problem.line == line
    assert "TOML" in problem.message or "conflict" in problem.message


def write_incident(store: Store, incident_id: str, text: str, month: str = "2025/08") -> Path:
    folder = store.root / "incidents" / month / incident_id
    folder.mkdir(parents=True)
    (folder / "incident.toml").write_text(text, encoding="utf-8")
    return folder


def test_one_broken_incident_does_not_stop_the_others_and_is_not_rewritten(empty_store: Store) -> None:
    store = empty_store
    write_incident(store, "x", GOOD)
    broken = GOOD.replace('id = "x"', 'id = "y"').replace("time = 2025-08-05T16:20:00Z", 'time = "nope"')
    folder = write_incident(store, "y", broken)
    before = (folder / "incident.toml").read_bytes()
    result = store.load_all()
    assert [r.id for r in result.records] == ["x"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (str(problem.path), problem.field) == ("incidents/2025/08/y/incident.toml", "timeline[t-0003].time")
    assert problem.line == line_of(broken, 'time = "nope"')
    assert (folder / "incident.toml").read_bytes() == before


def test_an_id_that_differs_from_its_folder_is_reported(empty_store: Store) -> None:
    write_incident(empty_store, "z", GOOD)
    problem = empty_store.load_all().problems[0]
    assert problem.field == "id" and "folder" in problem.message and problem.line == 2


def test_bad_utf8_is_a_load_error_with_a_line(empty_store: Store) -> None:
    folder = write_incident(empty_store, "x", GOOD)
    (folder / "incident.toml").write_bytes(GOOD.encode().replace(b"first", b"fi\xffrst"))
    with pytest.raises(LoadError) as info:
        empty_store.load("x")
    assert info.value.problems[0].line == line_of(GOOD, "first")
    assert "UTF-8" in info.value.problems[0].message


def test_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotAStore, match="not a workbench store.*workbench init"):
        Store(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_store_that_is_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "taxonomy.toml").write_text(default_taxonomy_text(), encoding="utf-8")
    (tmp_path / "incidents").mkdir()
    with pytest.raises(NotAStore, match="not a git repository"):
        Store(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents", "taxonomy.toml"]


def test_a_store_folder_inside_another_repository_is_not_taken_for_that_repository(tmp_path: Path) -> None:
    outer = tmp_path / "project"
    subprocess.run(["git", "init", "-q", str(outer)], check=True)
    inner = outer / "store"
    inner.mkdir()
    (inner / "taxonomy.toml").write_text(default_taxonomy_text(), encoding="utf-8")
    (inner / "incidents").mkdir()
    with pytest.raises(NotAStore, match="not a git repository"):
        Store(inner)


def test_init_refuses_an_existing_store(empty_store: Store) -> None:
    with pytest.raises(StoreError, match="already holds a store"):
        Store.init(empty_store.root, default_taxonomy_text())


def test_a_store_mid_merge_refuses_to_save_and_writes_nothing(empty_store: Store) -> None:
    store = empty_store
    record = store.create(Incident(id="x", title="t"))
    head = store.git.head_commit().sha
    (store.git.git_dir / "MERGE_HEAD").write_text(head + "\n")
    toml_path = record.folder / "incident.toml"
    before = toml_path.read_bytes()
    with pytest.raises(RepoBusy, match="middle of a merge"):
        store.save(record, record.incident.model_copy(update={"title": "changed"}), where="test", what="t")
    assert toml_path.read_bytes() == before
    with pytest.raises(RepoBusy):
        store.create(Incident(id="y", title="t"))
    assert "y" not in store.ids()
    assert store.git.head_commit().sha == head
    assert subprocess.run(["git", "status", "--porcelain"], cwd=store.root, capture_output=True, text=True).stdout == ""
