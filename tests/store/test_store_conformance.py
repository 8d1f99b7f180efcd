"""The TOML conformance suite (toml-test, MIT; see tests/data/toml-test/SOURCE.md).

- Every invalid case, put where an incident.toml belongs, yields a LoadError naming the file and
  (where the parser knows it) the line: never a traceback, never a half-loaded incident.
- Every valid case parses, at the parse layer (`parse_toml`), to exactly the value the suite expects.
- Valid cases are generic TOML with arbitrary keys, so no whole file is an incident. A value "fits the
  schema" when the incident model has a field of its type: a string (summary), a boolean (a timeline
  entry's data_gap), an integer or a finite float (an impact figure), an offset datetime (times.started),
  a local date (postmortem_date), an array of strings (systems). Each such top-level value is embedded,
  with its original source text (string escapes, literal and multi-line forms, 0x/0o/0b, underscores,
  exponents, datetime spellings), into an incident file, which must load with that value. Values the
  schema cannot hold by design (local datetimes and times: every time is UTC; NaN and infinity; tables)
  must be refused with a message naming the field.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from workbench.services.bundled import default_taxonomy_text
from workbench.store import LoadError, Store
from workbench.store.textio import decode
from workbench.store.tomlfile import decode_incident, parse_toml

DATA = Path(__file__).parent.parent / "data" / "toml-test"
INVALID = sorted(DATA.glob("invalid/**/*.toml"))
VALID = sorted(DATA.glob("valid/**/*.toml"))


def case_id(path: Path) -> str:
    return path.relative_to(DATA).with_suffix("").as_posix()


def test_the_suite_is_all_there() -> None:
    assert len(INVALID) == 499
    assert len(VALID) == 210
    assert all(p.with_suffix(".json").is_file() for p in VALID)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store.init(tmp_path_factory.mktemp("conformance") / "store", default_taxonomy_text())


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid_toml_is_a_clear_load_error(store: Store, case: Path) -> None:
    folder = store.root / "incidents" / "2025" / "01" / case_id(case).replace("/", "-").replace("_", "-").lower()
    folder.mkdir(parents=True)
    raw = case.read_bytes()
    (folder / "incident.toml").write_bytes(raw)
    with pytest.raises(LoadError) as info:
        store.load_folder(folder)
    problems = info.value.problems
    assert problems
    display = f"incidents/2025/01/{folder.name}/incident.toml"
    for problem in problems:
        assert str(problem.path) == display
        assert str(problem).startswith(display)
        if problem.line is not None:
            assert 1 <= problem.line <= raw.count(b"\n") + 1
    assert (folder / "incident.toml").read_bytes() == raw  # nothing rewritten


def test_every_invalid_case_reports_a_line(store: Store) -> None:
    """tomllib knows the position of every syntax error in the suite; each message carries it."""
    without_line = []
    for case in INVALID:
        raw = case.read_bytes()
        try:
            decode_incident(decode(raw, Path("x.toml")).text, Path("x.toml"))
        except LoadError as exc:
            if exc.problems[0].line is None:
                without_line.append(case_id(case))
    assert without_line == []


def test_a_store_full_of_invalid_files_still_loads_the_good_one(tmp_path: Path) -> None:
    store = Store.init(tmp_path / "s", default_taxonomy_text())
    for index, case in enumerate(INVALID[:60]):
        folder = store.root / "incidents" / "2025" / "02" / f"bad-{index}"
        folder.mkdir(parents=True)
        (folder / "incident.toml").write_bytes(case.read_bytes())
    good = store.root / "incidents" / "2025" / "02" / "good"
    good.mkdir()
    (good / "incident.toml").write_text('schema_version = 1\nid = "good"\ntitle = "fine"\n')
    result = store.load_all()
    assert [r.id for r in result.records] == ["good"]
    assert len({p.path for p in result.problems}) == 60


# ----------------------------------------------------------------------------------- valid cases
def expected(node: Any) -> Any:
    """toml-test's tagged JSON -> Python values, as tomllib gives them."""
    if isinstance(node, list):
        return [expected(v) for v in node]
    if isinstance(node, dict) and set(node) == {"type", "value"} and isinstance(node["value"], str):
        kind, value = node["type"], node["value"]
        if kind == "string":
            return value
        if kind == "integer":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            return value == "true"
        if kind == "datetime":
            return datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        if kind == "datetime-local":
            return datetime.fromisoformat(value)
        if kind == "date-local":
            return date.fromisoformat(value)
        if kind == "time-local":
            return time.fromisoformat(value)
        raise AssertionError(f"unknown tag {kind}")
    if isinstance(node, dict):
        return {k: expected(v) for k, v in node.items()}
    raise AssertionError(f"unexpected {node!r}")


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_valid_toml_parses_to_the_expected_value(case: Path) -> None:
    text = decode(case.read_bytes(), Path(case.name)).text  # as the store reads: one BOM allowed
    got = parse_toml(text, Path(case.name))
    assert same(got, expected(json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))))


def embedding(value: Any, source: str) -> tuple[str, str, Any] | None:
    """(incident text, field, the value the model should hold) for a value that fits, or None."""
    head = 'schema_version = 1\nid = "x"\ntitle = "t"\n'
    if isinstance(value, str):
        return head + f"summary = {source}\n", "summary", value
    if isinstance(value, bool):
        return (
            head + f'[[timeline]]\nid = "t-0001"\ntime = 2025-01-01T00:00:00Z\nevent = "e"\ndata_gap = {source}\n',
            "timeline[t-0001].data_gap",
            value,
        )
    if isinstance(value, (int, float)):
        return head + f"[impact.users_affected]\nvalue = {source}\n", "impact.users_affected.value", value
    if isinstance(value, datetime):
        return head + f"[times]\nstarted = {source}\n", "times.started", value
    if isinstance(value, date):
        return head + f"postmortem_date = {source}\n", "postmortem_date", value
    if isinstance(value, time):
        return head + f"[times]\nstarted = {source}\n", "times.started", value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return head + f"systems = {source}\n", "systems", value
    return None


def held(incident: Any, field: str) -> Any:
    node = incident
    for part in field.replace("[t-0001]", ".0").split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


def _embeddable(case: Path) -> list[tuple[str, Any, str]]:
    text = decode(case.read_bytes(), Path(case.name)).text
    try:
        doc = tomlkit.parse(text)
    except Exception:  # tomlkit's own gaps are not ours to test; the parse test above covers the case
        return []
    values = parse_toml(text, Path(case.name))
    out = []
    for key, item in doc.body:
        if key is None or key.key not in values or isinstance(values[key.key], dict):
            continue
        value = values[key.key]
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            continue  # an array of tables
        out.append((key.key, value, item.as_string().strip()))
    return out


# Only values with a field of their type; mixed arrays, arrays of numbers etc. have none.
EMBEDDED = [
    (case, key, value, source)
    for case in VALID
    for key, value, source in _embeddable(case)
    if embedding(value, source) is not None
]


def test_enough_values_are_embedded() -> None:
    # Counted so that a change that silently skips most of the suite fails here.
    # (353 values from 120+ of the 210 cases when this was written)
    assert len(EMBEDDED) >= 340
    assert len({case for case, *_ in EMBEDDED}) >= 100


@pytest.mark.parametrize(
    ("case", "key", "value", "source"), EMBEDDED, ids=[f"{case_id(c)}:{k}" for c, k, _, _ in EMBEDDED]
)
def test_valid_values_that_fit_the_schema_load_into_an_incident(case: Path, key: str, value: Any, source: str) -> None:
    text, field, want = embedding(value, source)
    refused = (
        (isinstance(value, datetime) and value.tzinfo is None)
        or isinstance(value, time)
        or (isinstance(value, float) and not math.isfinite(value))
    )
    if refused:
        with pytest.raises(LoadError) as info:
            decode_incident(text, Path("incident.toml"))
        problem = info.value.problems[0]
        assert problem.field == field
        assert problem.line is not None
        return
    incident = decode_incident(text, Path("incident.toml"))
    got = held(incident, field)
    if isinstance(want, datetime):
        want = want.astimezone(timezone.utc)
    assert same(got, want)
