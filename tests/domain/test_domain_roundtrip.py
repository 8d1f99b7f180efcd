"""Model -> files -> model: any valid incident comes back equal, and an unchanged one saves byte for byte.

Two layers: the TOML codec alone (fast, many examples) and the real store (files on disk, git commits).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from incident_strategies import TRICKY, incidents

from workbench.domain.model import Incident
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store
from workbench.store.tomlfile import decode_incident, encode_incident

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATH = Path("incident.toml")


@FAST
@given(incidents())
def test_fresh_file_round_trips(incident: Incident) -> None:
    text = encode_incident(incident)
    assert decode_incident(text, PATH) == incident
    # Saving what was just loaded writes the same text: an unchanged incident is byte-identical.
    assert encode_incident(decode_incident(text, PATH), text) == text


@FAST
@given(incidents(), incidents())
def test_merging_any_incident_into_any_file_gives_that_incident(old: Incident, new: Incident) -> None:
    """The save path writes into the existing document; whatever was there, the result loads as the new data."""
    new = new.model_copy(update={"id": old.id})
    text = encode_incident(new, encode_incident(old))
    assert decode_incident(text, PATH) == new
    assert encode_incident(new, text) == text


@pytest.mark.parametrize("value", TRICKY + ["a\n\n\nb", "\n\n", "x\r\ny", "\\\n\\", 'q"""q\n"""'])
def test_tricky_text_round_trips_in_every_kind_of_string(value: str) -> None:
    incident = Incident.model_validate(
        {
            "id": "tricky",
            "title": value or "t",
            "summary": value,
            "tags": [],
            "scope": {"covers": value},
            "lessons": {"went_well": [value, value]},
            "timeline": [{"id": "t-0001", "time": "2025-01-01T00:00:00Z", "event": value or "e", "source": value}],
        }
    )
    text = encode_incident(incident)
    assert decode_incident(text, PATH) == incident


_unique = itertools.count()


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    # Module scope: hypothesis runs many examples in one test, and a git store per example is slow.
    return Store.init(tmp_path_factory.mktemp("roundtrip") / "store", default_taxonomy_text())


narratives = st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=40).map(
    lambda s: s if not s or s.endswith("\n") else s + "\n"
)


@SLOW
@given(incidents(max_entries=2), incidents(max_entries=2), narratives)
def test_store_save_and_load_round_trip(shared_store: Store, first: Incident, second: Incident, narrative: str) -> None:
    store = shared_store
    incident_id = f"{first.id[:40]}-{next(_unique)}"
    first = first.model_copy(update={"id": incident_id})
    second = second.model_copy(update={"id": incident_id})

    created = store.create(first, narrative)
    loaded = store.load(incident_id)
    assert loaded.incident == first
    assert loaded.narrative == narrative

    saved = store.save(loaded, second, where="test", what="replace everything")
    again = store.load(incident_id)
    assert again.incident == second
    assert again.narrative == narrative
    assert again.toml.sha256 == saved.toml.sha256

    # Saving the unchanged incident rewrites nothing and makes no commit.
    toml_path = again.folder / "incident.toml"
    before = toml_path.read_bytes()
    head = store.git.head_commit().sha
    store.save(again, again.incident, where="test", what="no change")
    assert toml_path.read_bytes() == before
    assert store.git.head_commit().sha == head
    assert created.folder.parent.parent.parent.name == "incidents"


def _spelled_out(value):
    """The model's complete dump minus None (TOML has no null): a file that writes every default."""
    if isinstance(value, dict):
        return {k: _spelled_out(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_spelled_out(v) for v in value]
    return value


@FAST
@given(incidents(max_entries=2), incidents(max_entries=2))
def test_defaults_an_author_wrote_survive_a_merge(old: Incident, new: Incident) -> None:
    """A hand-written file may spell out defaults (`kind = "incident"`); a save keeps those lines
    (a diff that drops them would be an edit nobody made) and still loads as the new data."""
    from workbench.store.tomlfile import render

    text = render(_spelled_out(old.model_dump(mode="python")))
    assert decode_incident(text, PATH) == old
    assert encode_incident(old, text) == text
    new = new.model_copy(update={"id": old.id})
    merged = encode_incident(new, text)
    assert decode_incident(merged, PATH) == new
    assert encode_incident(new, merged) == merged
