"""What search reads from an incident: its fields as (kind, path, entry, text), and a fast tokenizer.

Extraction works on the parsed TOML as plain data (no pydantic): indexing thousands of incidents
cannot afford full validation, and a file that fails validation should still be findable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


# Field kinds, in the order of their weight: a title or cause match outranks a passing mention.
KINDS: tuple[str, ...] = (
    "title",
    "cause",
    "summary",
    "tag",
    "action",
    "lesson",
    "event",
    "gap",
    "meta",
    "source",
    "narrative",
)
WEIGHTS: dict[str, float] = {
    "title": 10.0,
    "cause": 7.0,
    "summary": 6.0,
    "tag": 5.0,
    "action": 4.5,
    "lesson": 4.0,
    "event": 3.5,
    "gap": 3.0,
    "meta": 2.5,
    "source": 2.0,
    "narrative": 1.5,
}
KIND_ID = {k: i for i, k in enumerate(KINDS)}

# A small stop list: words that would put every incident in every result.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the this to was were which with".split()
)

# Tokens are runs of letters and digits. str.translate + split is ~3x faster than a regex here,
# which matters when a first index build tokenizes ~100 MB.
_SEPARATORS = "".join(chr(c) for c in range(128) if not chr(c).isalnum()) + (
    "\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2022\u2026\u00ab\u00bb\u00b7\u2192"
)
TOKEN_TABLE = str.maketrans({c: " " for c in _SEPARATORS})
# The same for ASCII text, lowercasing as well: one pass over the text instead of two (str.lower, then
# translate) for the common case; ASCII is what str.lower would change only A-Z of.
_ASCII_TABLE = str.maketrans({**{c: " " for c in _SEPARATORS}, **{chr(c): chr(c + 32) for c in range(65, 91)}})
_WORD_RE = re.compile(r"[^\W_]+")
_PARAGRAPH_RE = re.compile(r"\n\s*\n")

Field = tuple[str, str, str, str]  # (kind, path, entry id, text)


# The ASCII table as bytes: `bytes.translate` is a plain 256-entry lookup, where `str.translate` looks each
# character up in a dict; encoding and decoding ASCII are copies. Together ~1.5x faster on a build's texts.
_ASCII_BYTES = bytes(ord(_ASCII_TABLE.get(c, chr(c))) for c in range(128)) + bytes(range(128, 256))


def _split(text: str) -> list[str]:
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_BYTES).decode("ascii").split()
    return text.lower().translate(TOKEN_TABLE).split()


def tokens(text: str) -> list[str]:
    return _split(text)


def token_set(text: str) -> set[str]:
    found = set(_split(text))
    found.difference_update(STOPWORDS)  # in place: a set difference would copy the whole set
    return found


def bigrams(token: str) -> list[str]:
    """A token's distinct bigrams in order (not a set: the bigram index's ids then follow the vocabulary, not the
    process's string hashing, so the same files make the same cache byte for byte)."""
    padded = f"^{token}$"
    return list(dict.fromkeys([padded[i : i + 2] for i in range(len(padded) - 1)]))


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, lowered word) for each word of `text`, in the text's own character positions."""
    for match in _WORD_RE.finditer(text):
        yield match.start(), match.end(), match.group().lower()


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def incident_fields(data: dict[str, Any], narrative: str, mode_names: dict[str, str]) -> list[Field]:
    """Every searchable text of an incident, with the path a person would use to find it."""
    out: list[Field] = []

    def add(kind: str, path: str, entry: str, text: Any) -> None:
        if isinstance(text, str) and text and not text.isspace():  # as `text.strip()`, without copying the text
            out.append((kind, path, entry, text))

    add("title", "title", "", data.get("title"))
    add("summary", "summary", "", data.get("summary"))
    tags = [t for t in _list(data.get("tags")) if isinstance(t, str)]
    add("tag", "tags", "", " ".join(tags))
    modes = [m for m in _list(data.get("taxonomy")) if isinstance(m, str)]
    add("tag", "taxonomy", "", "; ".join(f"{m} {mode_names.get(m, '')}".strip() for m in modes))
    add("tag", "systems", "", ", ".join(s for s in _list(data.get("systems")) if isinstance(s, str)))
    add("tag", "models", "", ", ".join(s for s in _list(data.get("models")) if isinstance(s, str)))
    add("meta", "id", "", data.get("id"))
    add("meta", "commander", "", data.get("commander"))
    add("meta", "lead", "", data.get("lead"))
    for key, value in _dict(data.get("scope")).items():
        add("meta", f"scope.{key}", "", value)
    for name, figure in _dict(data.get("impact")).items():
        if isinstance(figure, dict):
            add("meta", f"impact.{name}", "", " ".join(_s(figure.get(k)) for k in ("text", "note", "source")))
    for name, factor in _dict(data.get("ai_factors")).items():
        if isinstance(factor, dict):
            add("meta", f"ai_factors.{name}", "", " ".join(_s(factor.get(k)) for k in ("analysis", "reason")))
    lessons = _dict(data.get("lessons"))
    for key in ("went_well", "to_improve"):
        for index, text in enumerate(_list(lessons.get(key))):
            add("lesson", f"lessons.{key}[{index}]", "", text)
    for e in _list(data.get("timeline")):  # the most fields of an incident: `add` written out
        if isinstance(e, dict):
            eid = _s(e.get("id"))
            text = e.get("event")
            if isinstance(text, str) and text and not text.isspace():
                out.append(("event", f"timeline[{eid}].event", eid, text))
            text = e.get("source")
            if isinstance(text, str) and text and not text.isspace():
                out.append(("source", f"timeline[{eid}].source", eid, text))
    for c in _list(data.get("causes")):
        if isinstance(c, dict):
            cid = _s(c.get("id"))
            names = [f"{m} {mode_names.get(m, '')}".strip() for m in _list(c.get("taxonomy")) if isinstance(m, str)]
            add("cause", f"causes[{cid}].statement", cid, c.get("statement"))
            add("tag", f"causes[{cid}].taxonomy", cid, "; ".join(names))
    for a in _list(data.get("actions")):
        if isinstance(a, dict):
            aid = _s(a.get("id"))
            add("action", f"actions[{aid}].action", aid, a.get("action"))
            for key in ("verification", "success_criteria"):
                add("action", f"actions[{aid}].{key}", aid, a.get(key))
            add("meta", f"actions[{aid}].owner", aid, a.get("owner"))
    for collection, keys, kind in (
        ("gaps", ("text", "closes_by"), "gap"),
        ("questions", ("text",), "gap"),
        ("observations", ("behaviour", "conditions", "source"), "gap"),
        ("barriers", ("control", "note"), "gap"),
    ):
        for entry in _list(data.get(collection)):
            if isinstance(entry, dict):
                eid = _s(entry.get("id"))
                for key in keys:
                    add(kind, f"{collection}[{eid}].{key}", eid, entry.get(key))
    from ...domain.narrative import sections  # only a build needs it: not every one-shot search

    for section in sections(narrative):
        heading = section.heading or "preamble"
        if section.heading:
            add("narrative", f"narrative#{heading}", heading, section.heading)
        path = f"narrative#{heading}"
        for paragraph in _PARAGRAPH_RE.split(section.body):
            text = paragraph.strip()
            if text and not text.startswith("<!--"):
                out.append(("narrative", path, heading, text))
    return out


def mode_fields(mode: dict[str, Any], family_names: dict[str, str]) -> list[Field]:
    """A taxonomy mode as a searchable document."""
    out: list[Field] = []
    mid = _s(mode.get("id"))

    def add(kind: str, path: str, text: Any) -> None:
        if isinstance(text, str) and text.strip():
            out.append((kind, path, mid, text))

    add("title", "name", mode.get("name"))
    add("meta", "id", mid)
    add("summary", "description", mode.get("description"))
    add("tag", "keywords", ", ".join(k for k in _list(mode.get("keywords")) if isinstance(k, str)))
    add("tag", "aliases", ", ".join(k for k in _list(mode.get("aliases")) if isinstance(k, str)))
    add("tag", "family", family_names.get(_s(mode.get("family")), _s(mode.get("family"))))
    for index, text in enumerate(_list(mode.get("detection"))):
        add("event", f"detection[{index}]", text)
    return out
