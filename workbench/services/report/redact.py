"""Redaction of an incident for sharing: the people map, and the whole incident through one Redactor.

Known people come from the incident (commander, lead, action owners) and from the store's people map,
`<store>/people.toml`; they become their roles. Everything else (other names, @handles, emails, IP addresses,
secrets) is found by services.redaction. Words that are never a person go in the map's keep list:

    [[people]]
    name = "Dana Kim"
    handles = ["@dana", "dkim"]
    aliases = ["DK"]
    role = "Inference on-call engineer"

    [redaction]
    keep = ["Hermes", "@ml-oncall"]   # a system named like a person, a team's handle
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...domain.model import Incident
from ...store import StoreError
from ...store.boundary import Boundary
from ..redaction import RedactionSummary, Redactor

PEOPLE_FILE = "people.toml"


class PeopleFileError(StoreError):
    pass


@dataclass
class Person:
    name: str
    role: str
    handles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def tokens(self) -> list[str]:
        out = [self.name, *self.aliases]
        for h in self.handles:
            out += [h, h.lstrip("@")] if h.startswith("@") else [h, "@" + h]
        # Given name and surname alone too ("Dana said..."), when long enough to be unambiguous.
        parts = [p for p in re.split(r"[\s.]+", self.name) if len(p) >= 3 and p[0].isupper()]
        if len(parts) > 1:
            out += parts
        return [t for t in dict.fromkeys(t.strip() for t in out) if t]


def _read_map(store_root: Path) -> dict[str, Any]:
    path = Path(store_root) / PEOPLE_FILE
    if not os.path.lexists(path):
        return {}
    try:  # through the store boundary: a people.toml linked out of the store or a FIFO is refused
        return tomllib.loads(Boundary(Path(store_root)).read_text(path).text)
    except tomllib.TOMLDecodeError as exc:
        raise PeopleFileError(f"{PEOPLE_FILE}: {exc}") from None


def load_keep(store_root: Path) -> list[str]:
    """The map's `[redaction] keep` list: names of systems, models and teams that are never a person."""
    section = _read_map(store_root).get("redaction", {})
    keep = section.get("keep", []) if isinstance(section, dict) else None
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise PeopleFileError(f"{PEOPLE_FILE}: [redaction]: field 'keep' must be a list of strings")
    return keep


def load_people(store_root: Path) -> list[Person]:
    """The people map of a store, or [] when it has none. Bad entries name the file and entry."""
    data = _read_map(store_root)
    people = []
    for n, entry in enumerate(data.get("people", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise PeopleFileError(f"{PEOPLE_FILE}: [[people]] entry {n}: field 'name' is required (a string)")
        role = entry.get("role", "")
        if not isinstance(role, str) or not role.strip():
            raise PeopleFileError(f"{PEOPLE_FILE}: [[people]] entry {n} ({entry['name']}): field 'role' is required")
        lists = {}
        for key in ("handles", "aliases"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise PeopleFileError(
                    f"{PEOPLE_FILE}: [[people]] entry {n} ({entry['name']}): field '{key}' must be a list of strings"
                )
            lists[key] = value
        people.append(Person(entry["name"].strip(), role.strip(), lists["handles"], lists["aliases"]))
    return people


def _matches(person: Person, text: str) -> bool:
    t = text.strip().casefold()
    return any(t == tok.casefold() for tok in person.tokens())


def people_for(incident: Incident, people: list[Person]) -> list[Person]:
    """Everyone to redact: the map, plus names in the incident that the map does not know (by their role)."""
    out = list(people)
    listed = [(incident.commander, "Incident Commander"), (incident.lead, "Postmortem Lead")]
    listed += [(a.owner, f"Owner of {a.id}") for a in incident.actions]
    for value, role in listed:
        value = value.strip()
        if not value or any(_matches(p, value) for p in out):
            continue
        # An owner given as "@evals" is that handle only: the bare word "evals" stays a word.
        out.append(Person(value, role))
    return out


# Values that are ids or references to other entries: never rewritten (a name-like id stays an id).
_ID_KEYS = frozenset({"id", "parent", "addresses", "taxonomy", "tags", "sha256", "path", "schema_version"})


def _strings(value: Any, key: str = "") -> list[str]:
    if key in _ID_KEYS or (key == "evidence" and isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    return []


def _walk(value: Any, redactor: Redactor, key: str = "") -> Any:
    if key in _ID_KEYS or (key == "evidence" and isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return value
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, list):
        return [_walk(v, redactor) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, redactor, k) for k, v in value.items()}
    return value


def redactor_for(incident: Incident, people: list[Person], keep: Sequence[str] = (), names: bool = True) -> Redactor:
    everyone = people_for(incident, people)
    known = [(tok, p.role) for p in everyone for tok in p.tokens()]
    # The incident's own systems and models are never people ("Hermes", "Claude").
    own = [w for value in [*incident.systems, *incident.models] for w in [value, *re.split(r"[\s/_.-]+", value)]]
    return Redactor(known, keep=[*keep, *own], names=names)


def redact(
    incident: Incident, narrative: str, people: list[Person], keep: Sequence[str] = (), names: bool = True
) -> tuple[Incident, str, RedactionSummary]:
    """A copy of the incident and narrative with people, handles, emails, IP addresses and secrets replaced,
    and what was replaced, counted by kind."""
    redactor = redactor_for(incident, people, keep, names)
    data = incident.model_dump()
    redactor.learn([*_strings(data), narrative])
    data = _walk(data, redactor)
    data["id"] = incident.id
    return Incident.model_validate(data), redactor.redact(narrative), redactor.summary()


def names_of(people: list[Person]) -> list[str]:
    return [t for p in people for t in p.tokens()]
