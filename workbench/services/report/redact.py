"""Redaction for sharing: people's names and handles become their roles, everywhere.

Names come from the incident (commander, lead, action owners) and from the store's people map,
`<store>/people.toml`:

    [[people]]
    name = "Dana Kim"
    handles = ["@dana", "dkim"]
    aliases = ["DK"]
    role = "Inference on-call engineer"
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ...domain.model import Incident
from ...store import StoreError
from ...store.boundary import Boundary

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


def load_people(store_root: Path) -> list[Person]:
    """The people map of a store, or [] when it has none. Bad entries name the file and entry."""
    path = Path(store_root) / PEOPLE_FILE
    if not os.path.lexists(path):
        return []
    try:  # through the store boundary: a people.toml linked out of the store or a FIFO is refused
        data = tomllib.loads(Boundary(Path(store_root)).read_text(path).text)
    except tomllib.TOMLDecodeError as exc:
        raise PeopleFileError(f"{PEOPLE_FILE}: {exc}") from None
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
                raise PeopleFileError(f"{PEOPLE_FILE}: [[people]] entry {n} ({entry['name']}): field '{key}' "
                                      f"must be a list of strings")
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
        out.append(Person(value, role, handles=[value] if value.startswith("@") else []))
    return out


def replacements(people: list[Person]) -> list[tuple[re.Pattern[str], str]]:
    pairs = [(tok, p.role) for p in people for tok in p.tokens()]
    pairs.sort(key=lambda pair: -len(pair[0]))  # longest first: "Dana Kim" before "Dana"
    return [(re.compile(rf"(?<![\w@]){re.escape(tok)}(?!\w)", re.I), role) for tok, role in pairs]


def redact_text(text: str, rules: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, role in rules:
        text = pattern.sub(role, text)
    return text


def _walk(value, rules):
    if isinstance(value, str):
        return redact_text(value, rules)
    if isinstance(value, list):
        return [_walk(v, rules) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in ("id", "parent", "evidence", "addresses") else _walk(v, rules)) for k, v in value.items()}
    return value


def redact(incident: Incident, narrative: str, people: list[Person]) -> tuple[Incident, str, list[Person]]:
    """A copy of the incident and narrative with every listed name and handle replaced by a role."""
    everyone = people_for(incident, people)
    rules = replacements(everyone)
    data = _walk(incident.model_dump(), rules)
    data["id"] = incident.id
    return Incident.model_validate(data), redact_text(narrative, rules), everyone


def names_of(people: list[Person]) -> list[str]:
    return [t for p in people for t in p.tokens()]
