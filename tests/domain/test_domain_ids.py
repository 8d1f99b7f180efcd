"""Incident ids become folder names: every way an id could be a path, a device or junk is refused,
by the model (so no such incident exists) and by the store layout (defence in depth)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from workbench.domain.ids import entry_id_problem, new_incident_id, next_action_id, slug_problem, slugify
from workbench.domain.model import Incident
from workbench.store import StoreError
from workbench.store.layout import incident_folder

BAD_IDS = [
    ("../x", "path"),
    ("..\\x", "path"),
    ("a/b", "path"),
    ("a\\b", "path"),
    ("/etc/passwd", "path"),
    ("C:\\x", "path"),
    ("..", "path"),
    (".hidden", "path"),
    ("a..b", "path"),
    ("x\x00y", "NUL"),
    ("con", "reserved"),
    ("CON", "lowercase"),
    ("aux.txt", "reserved"),
    ("nul", "reserved"),
    ("com1", "reserved"),
    ("lpt9", "reserved"),
    ("Upper", "lowercase"),
    ("", "empty"),
    ("x" * 81, "at most 80"),
    ("-lead", "lowercase"),
    ("trail-", "lowercase"),
    ("a--b", "'--'"),
    ("a b", "lowercase"),
    ("é", "lowercase"),
    ("a_b", "lowercase"),
]


@pytest.mark.parametrize(("value", "reason"), BAD_IDS)
def test_bad_ids_are_refused_with_a_reason(value: str, reason: str) -> None:
    problem = slug_problem(value)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(("value", "reason"), BAD_IDS)
def test_the_model_refuses_bad_ids(value: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        Incident(id=value, title="t")
    assert info.value.errors()[0]["loc"] == ("id",)


@pytest.mark.parametrize(("value", "reason"), BAD_IDS)
def test_the_layout_refuses_bad_ids(tmp_path: Path, value: str, reason: str) -> None:
    with pytest.raises(StoreError, match="invalid incident id"):
        incident_folder(tmp_path, value, datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["a", "0", "2025-08-05-claude-quality", "x" * 80, "console", "auxiliary", "com10"])
def test_good_ids_are_accepted(tmp_path: Path, value: str) -> None:
    assert slug_problem(value) is None
    Incident(id=value, title="t")
    folder = incident_folder(tmp_path, value, datetime(2025, 8, 5, tzinfo=timezone.utc))
    assert folder == tmp_path / "incidents" / "2025" / "08" / value


def test_an_undated_incident_has_its_own_folder(tmp_path: Path) -> None:
    assert incident_folder(tmp_path, "x", None) == tmp_path / "incidents" / "undated" / "00" / "x"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("t-3f9a", True),
        ("AI-001", True),
        ("c-1", True),
        ("t", False),
        ("-x", False),
        ("t-", False),
        ("t/3", False),
        ("t-../x", False),
        ("t-" + "a" * 40, False),
        ("", False),
        ("1-a", False),
    ],
)
def test_entry_ids(value: str, ok: bool) -> None:
    assert (entry_id_problem(value) is None) is ok


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("KV-cache OOM on vLLM 0.6!", "kv-cache-oom-on-vllm-0-6"),
        ("Ünïcödé títle", "unicode-title"),
        ("日本語", "incident"),
        ("../../etc/passwd", "etc-passwd"),
        ("  --  ", "incident"),
    ],
)
def test_slugify_always_gives_a_valid_id(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert slug_problem(new_incident_id(date(2025, 1, 2), title)) is None


def test_new_ids_never_collide() -> None:
    taken = {"2025-01-02-x", "2025-01-02-x-2"}
    assert new_incident_id(date(2025, 1, 2), "x", taken) == "2025-01-02-x-3"
    assert next_action_id({"AI-001", "AI-007", "t-1234"}) == "AI-008"
    assert next_action_id(set()) == "AI-001"
