"""Point 5: hostile and broken input gives a clear error (file, line), never a traceback, and loses nothing."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.domain.model import Incident, KeyTimes, TimelineEntry
from workbench.store import ConflictMarkers, LoadError, Store, StoreError
from workbench.store import layout
from workbench.store.textio import MAX_FILE_BYTES, decode
from workbench.store.tomlfile import decode_incident, encode_incident
from workbench.store.tomlmerge import merge3

T0 = datetime(2025, 2, 3, 4, 5, tzinfo=timezone.utc)
ID = "2025-02-03-hostile"

# Invalid TOML in the spirit of the toml-test "invalid" suite: one line each, every kind of mistake.
INVALID_TOML = [
    'id = "x"\nid = "y"\n',  # duplicate key
    'title = "unterminated\n',  # unterminated string
    'title = """never closed\n',  # unterminated multi-line string
    "a = 'lit\n",  # unterminated literal string
    "a = 1__0\n",  # bad underscore
    "a = 0x\n",  # empty hex
    "a = 1e\n",  # bad exponent
    "a = 01\n",  # leading zero
    "a = +inf0\n",  # junk after inf
    "a = 1979-05-27T25:00:00Z\n",  # hour out of range
    "a = 1979-02-30\n",  # no such day
    "a = [1, 2,,]\n",  # double comma
    "a = [1 2]\n",  # missing comma
    "a = {b = 1,}\n",  # trailing comma in inline table
    "a = {b = 1\n",  # unterminated inline table
    "[a]\nb = 1\n[a]\nc = 2\n",  # table defined twice
    "[[a]]\n[a]\n",  # array of tables then table
    "a = 1\n[a]\n",  # key then table of the same name
    "[a.b]\n[a]\nb = 1\n",  # key redefines a table
    "[a\n",  # unterminated header
    "[]\n",  # empty header
    "= 1\n",  # no key
    "a =\n",  # no value
    'a = "\\q"\n',  # invalid escape
    'a = "\\uD800"\n',  # surrogate code point
    'a = "tab\x01"\n',  # control character
    "a = 1 b = 2\n",  # two pairs on a line
    "a.b = 1\na = 2\n",  # dotted key then value
    "a = true false\n",  # junk after value
    "a = TRUE\n",  # wrong case
    "\x00 = 1\n",  # NUL
]


@pytest.mark.parametrize("text", INVALID_TOML, ids=range(len(INVALID_TOML)))
def test_invalid_toml_is_a_clear_problem(text: str) -> None:
    with pytest.raises(LoadError) as caught:
        decode_incident(text, Path("incidents/x/incident.toml"))
    message = str(caught.value)
    assert message.startswith("incidents/x/incident.toml")
    assert "not valid TOML" in message or "git conflict markers" in message


NESTED = {
    "arrays": "a = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "inline tables": "a = " + "{b = " * 10_000 + "1" + "}" * 10_000 + "\n",
    "dotted keys": "a" + ".a" * 10_000 + " = 1\n",
    "table header": "[" + ".".join(["a"] * 10_000) + "]\n",
    "arrays of inline tables": "a = " + "[{b = " * 5_000 + "1" + "}]" * 5_000 + "\n",
}


@pytest.mark.parametrize("kind", list(NESTED))
def test_ten_thousand_levels_of_nesting_are_refused_cleanly(example_store: Store, kind: str) -> None:
    folder = example_store.folder_of(example_store.ids()[0])
    (folder / "incident.toml").write_text(NESTED[kind])
    result = Store(example_store.root).load_all()
    assert len(result.records) == len(example_store.ids()) - 1
    assert result.problems and all(str(p.path).endswith("incident.toml") for p in result.problems)
    messages = " ".join(p.message for p in result.problems)
    assert "nested too deeply" in messages or "not valid" in messages or "unknown field" in messages


def test_cli_reports_broken_files_without_a_traceback(example_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    folder = example_store.folder_of(example_store.ids()[0])
    (folder / "incident.toml").write_text(NESTED["arrays"])
    assert main(["--store", str(example_store.root), "validate"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "incident.toml" in out.out and "nested too deeply" in out.out


def test_a_huge_file_is_refused_by_size(example_store: Store) -> None:
    folder = example_store.folder_of(example_store.ids()[0])
    with open(folder / "incident.toml", "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(StoreError, match=r"incident\.toml: .*the limit is 4,194,304"):
        Store(example_store.root).load(example_store.ids()[0])


def test_invalid_utf8_names_file_and_line_and_nothing_is_written(example_store: Store) -> None:
    incident_id = example_store.ids()[0]
    path = example_store.folder_of(incident_id) / "incident.toml"
    data = path.read_bytes().replace(b"\n", b"\n\xff\xfe", 1)
    path.write_bytes(data)
    with pytest.raises(StoreError) as caught:
        Store(example_store.root).load(incident_id)
    assert "incident.toml:2" in str(caught.value) and "not valid UTF-8" in str(caught.value)
    assert "read-only" in str(caught.value)
    assert path.read_bytes() == data


@pytest.fixture
def crlf_bom_store(empty_store: Store) -> tuple[Store, Path]:
    record = empty_store.create(
        Incident(
            id=ID,
            title="Hostile",
            times=KeyTimes(started=T0),
            summary="one",
            timeline=[TimelineEntry(id="t-0001", time=T0, event="x")],
        ),
        "# Hostile\n\nSome prose.\n",
    )
    for name in ("incident.toml", "postmortem.md"):
        path = record.folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    empty_store.git.commit([layout.relative(empty_store.root, record.folder)], "crlf and bom")
    return empty_store, record.folder


def test_crlf_and_bom_files_round_trip_byte_identical(crlf_bom_store: tuple[Store, Path]) -> None:
    store, folder = crlf_bom_store
    before = {name: (folder / name).read_bytes() for name in ("incident.toml", "postmortem.md")}
    record = store.load(ID)
    assert record.toml.bom and record.toml.crlf and record.md.bom and record.md.crlf
    store.save(record, record.incident, record.narrative, where="x", what="unchanged")
    assert {name: (folder / name).read_bytes() for name in before} == before
    record = store.load(ID)
    store.save(
        record,
        record.incident.model_copy(update={"summary": "two"}),
        record.narrative + "More.\n",
        where="x",
        what="changed",
    )
    for name in before:
        data = (folder / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize(
    "bad_id",
    ["../escape", "..\\escape", "/etc/passwd", "a\x00b", "CON", "con.txt", "nul", "a/b", ".hidden", "a..b", "C:\\x"],
)
def test_ids_that_escape_the_store_are_refused(empty_store: Store, bad_id: str) -> None:
    with pytest.raises((StoreError, ValueError)):
        layout.incident_folder(empty_store.root, bad_id, T0)
    with pytest.raises(ValueError):  # the model refuses it too (pydantic's ValidationError)
        Incident(id=bad_id, title="x")
    with pytest.raises(StoreError):
        empty_store.load(bad_id)
    assert not any(p.name for p in (empty_store.root.parent).glob("escape*"))


def test_symlinks_pointing_outside_the_store_are_refused(example_store: Store, tmp_path: Path) -> None:
    incident_id = example_store.ids()[0]
    path = example_store.folder_of(incident_id) / "incident.toml"
    outside = tmp_path / "outside.toml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    with pytest.raises(StoreError, match="outside the store"):
        Store(example_store.root).load(incident_id)
    problems = Store(example_store.root).load_all().problems
    assert any("outside the store" in p.message for p in problems)


def test_a_folder_symlinked_outside_the_store_is_refused(example_store: Store, tmp_path: Path) -> None:
    incident_id = example_store.ids()[0]
    folder = example_store.folder_of(incident_id)
    outside = tmp_path / incident_id
    os.rename(folder, outside)
    folder.symlink_to(outside, target_is_directory=True)
    with pytest.raises(StoreError, match="outside the store"):
        Store(example_store.root).load(incident_id)


CONFLICTED = '<<<<<<< HEAD\nsummary = "ours"\n=======\nsummary = "theirs"\n>>>>>>> branch\n'


def test_conflict_markers_are_reported_with_their_line(example_store: Store) -> None:
    incident_id = example_store.ids()[0]
    path = example_store.folder_of(incident_id) / "incident.toml"
    path.write_text(path.read_text() + CONFLICTED)
    problems = Store(example_store.root).load_all().problems
    assert len(problems) == 1 and "conflict markers" in problems[0].message and problems[0].line


def test_conflict_markers_are_never_committed(example_store: Store) -> None:
    incident_id = example_store.ids()[0]
    record = example_store.load(incident_id)
    head = example_store.git.head_commit().sha
    md = record.folder / "postmortem.md"
    before = md.read_bytes()
    with pytest.raises(ConflictMarkers):  # a narrative holding markers: nothing is written
        example_store.save(record, record.incident, record.narrative + "\n" + CONFLICTED, where="n", what="w")
    assert md.read_bytes() == before
    md.write_text(md.read_text() + CONFLICTED)  # markers left by a hand merge: the commit path refuses them
    with pytest.raises(ConflictMarkers, match=r"postmortem\.md:\d+"):
        example_store.git.commit([layout.relative(example_store.root, record.folder)], "would commit markers")
    assert example_store.git.head_commit().sha == head
    # A markdown heading underlined with ======= alone is prose, not a conflict.
    md.write_text(before.decode() + "\nTitle\n=======\n")
    assert example_store.git.commit([layout.relative(example_store.root, record.folder)], "setext heading")


# ----------------------------------------------------------------------------------- properties
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_store_error_or_an_incident(data: bytes) -> None:
    try:
        text = decode(data, Path("x.toml")).text
        decode_incident(text, Path("x.toml"))
    except StoreError as exc:
        assert str(exc)


TOML_ISH = st.text(alphabet=st.sampled_from(list("[]{}=\"'.,#\n abc123-_:TZ\\")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(TOML_ISH)
def test_random_toml_like_text_gives_a_store_error_or_an_incident(text: str) -> None:
    try:
        decode_incident(text, Path("x.toml"))
    except StoreError as exc:
        assert str(exc).startswith("x.toml")


SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=80)
ENTRY = st.builds(
    TimelineEntry,
    id=st.from_regex(r"^t-[0-9a-f]{4}$", fullmatch=True),
    time=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)
    ).map(lambda d: d.replace(microsecond=0)),
    event=SAFE_TEXT.filter(lambda s: s.strip() != "" and len(s) > 0),
    source=SAFE_TEXT,
)
INCIDENT = st.builds(
    Incident,
    id=st.just(ID),
    title=SAFE_TEXT.filter(lambda s: 0 < len(s) <= 200),
    summary=SAFE_TEXT,
    severity=st.sampled_from(["P0", "P1", "P2"]),
    tags=st.lists(st.from_regex(r"^[a-z0-9][a-z0-9-]{0,10}$", fullmatch=True), max_size=4, unique=True),
    timeline=st.lists(ENTRY, max_size=4, unique_by=lambda e: e.id),
)


@settings(max_examples=60, deadline=None)
@given(INCIDENT, INCIDENT)
def test_random_incidents_round_trip_and_edits_merge_into_the_old_text(first: Incident, second: Incident) -> None:
    text = encode_incident(first)
    assert decode_incident(text, Path("x.toml")) == first
    assert encode_incident(first, text) == text  # unchanged: byte-identical
    edited = encode_incident(second, text)
    assert decode_incident(edited, Path("x.toml")) == second


JSONISH = st.recursive(
    st.one_of(st.integers(), st.text(max_size=5), st.booleans()),
    lambda inner: st.dictionaries(st.text("abc", min_size=1, max_size=2), inner, max_size=3),
    max_leaves=10,
)
TABLES = st.dictionaries(st.text("abcd", min_size=1, max_size=2), JSONISH, max_size=4)


@settings(max_examples=120, deadline=None)
@given(TABLES, TABLES)
def test_three_way_merge_laws(base: dict, other: dict) -> None:
    assert merge3(base, base, other) == (other, [])  # only theirs changed: theirs
    assert merge3(base, other, base) == (other, [])  # only ours changed: ours
    assert merge3(base, other, other) == (other, [])  # both made the same change
    merged, conflicts = merge3(base, other, base | {"zz": 1})
    assert merged.get("zz") == 1 and not conflicts
