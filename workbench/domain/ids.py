"""Identifiers: incident slugs and entry ids. They become folder names, so they can never be paths."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date

SLUG_MAX = 80
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
_ENTRY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$")
# Windows reserves these as device names, whatever the extension; a store must open on every OS.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

ENTRY_PREFIX = {
    "timeline": "t",
    "causes": "c",
    "barriers": "b",
    "observations": "o",
    "gaps": "g",
    "questions": "q",
    "evidence": "e",
    "diagnostics": "dx",
}


def slug_problem(value: str) -> str | None:
    """Why `value` is not a valid incident id, or None when it is."""
    if not isinstance(value, str) or not value:
        return "an id cannot be empty"
    if "\x00" in value:
        return "an id cannot contain a NUL byte"
    if "/" in value or "\\" in value or value.startswith(".") or ".." in value:
        return "an id cannot be a path (no '/', '\\' or '..')"
    if len(value) > SLUG_MAX:
        return f"an id is at most {SLUG_MAX} characters"
    if value.split(".")[0] in _RESERVED:
        return f"'{value}' is a reserved device name on Windows"
    if not _SLUG_RE.match(value):
        return "an id is lowercase letters, digits and single hyphens, starting and ending with a letter or digit"
    if "--" in value:
        return "an id cannot contain '--'"
    return None


def is_slug(value: str) -> bool:
    return slug_problem(value) is None


def entry_id_problem(value: str) -> str | None:
    if not isinstance(value, str) or not _ENTRY_RE.match(value) or len(value) > 40:
        return "an entry id looks like 't-3f9a' or 'AI-001'"
    return None


def slugify(title: str, limit: int = 50) -> str:
    """A readable slug from free text: 'KV-cache OOM on vLLM 0.6!' -> 'kv-cache-oom-on-vllm-0-6'."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:limit].rstrip("-")
    return text or "incident"


def new_incident_id(started: date, title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """`YYYY-MM-DD-<title slug>`, with -2, -3 ... when the store already has it."""
    base = f"{started:%Y-%m-%d}-{slugify(title)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def new_entry_id(collection: str, taken: set[str]) -> str:
    """A short random id ('t-3f9a'): random, not sequential, so two people adding entries on
    two clones never collide when git merges their work."""
    prefix = ENTRY_PREFIX[collection]
    while True:
        candidate = f"{prefix}-{secrets.token_hex(2)}"
        if candidate not in taken:
            return candidate


def next_action_id(taken: set[str]) -> str:
    """Action items keep the method's sequential `AI-001` form: they are quoted in trackers and meetings."""
    numbers = [int(t[3:]) for t in taken if t.startswith("AI-") and t[3:].isdigit()]
    return f"AI-{(max(numbers, default=0) + 1):03d}"
