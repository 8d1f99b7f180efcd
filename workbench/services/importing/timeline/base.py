"""What every importer shares: the candidate event, the per-line problem, options, and the readers
that turn bytes into text, JSON and times while reporting each bad line instead of stopping."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Iterator

from ....store.boundary import Refused, read_source

KINDS = ("trigger", "detection", "escalation", "mitigation", "resolution", "decision", "communication", "context")


@dataclass(frozen=True)
class Candidate:
    """A proposed timeline event: nothing is written until a person accepts it."""

    time: datetime  # UTC
    event: str
    kind: str | None  # a guess from the record's words or type; the reviewer decides
    source: str  # where it came from: file:line, commit id, message link
    raw: str = ""  # the record as found, for the reviewer to check the event against
    origin: str = ""  # the file or repository it was read from (for filtering and the commit message)


@dataclass(frozen=True)
class ImportProblem:
    """A record that could not be used; the import goes on with the next one."""

    source: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.field or '-'}: {self.message}"


@dataclass
class ImportResult:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    skipped: int = 0  # records read fine but not notable (below a threshold, outside the window)


@dataclass(frozen=True)
class ImportOptions:
    label: str = ""  # how the source is named in events (an evidence path when the file is kept)
    tz: tzinfo | None = None  # for timestamps without an offset; without it they are reported
    time_field: str | None = None
    message_field: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_level: str | None = None  # logs: keep lines at or above this level (when a level field exists)
    latency_ms: float | None = None  # traces: spans/runs slower than this become events
    metric: str | None = None  # evals: the metric column
    threshold: float | None = None  # evals: the line it crosses; LLM traces: low scores
    direction: str = "below"  # evals: "below" (a regression is a drop) or "above"
    group_field: str | None = None  # evals: separate series per value of this field
    channel: str | None = None  # slack: only this channel
    link_base: str | None = None  # slack: https://<workspace>.slack.com for message links
    notable_only: bool = False  # LLM traces: only errors, slow runs and low scores
    extra: dict[str, Any] = field(default_factory=dict)

    def in_window(self, when: datetime) -> bool:
        return (self.since is None or when >= self.since) and (self.until is None or when <= self.until)


# ------------------------------------------------------------------------------------------ times
_EPOCH_RE = re.compile(r"^-?\d+(\.\d+)?$")


def parse_time(value: Any, tz: tzinfo | None, *, naive_is_utc: bool = False) -> datetime:
    """ISO 8601 text, 'YYYY-MM-DD HH:MM:SS', or a Unix epoch (s, ms, µs or ns by magnitude) -> UTC.

    A time with no offset is ambiguous: it takes `tz` when given (or UTC where the format's own
    documentation says so: `naive_is_utc`), and is otherwise refused with a message saying how.
    """
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError("no time")
    if isinstance(value, (int, float)) or (isinstance(value, str) and _EPOCH_RE.match(value.strip())):
        number = float(value)
        magnitude = abs(number)
        if magnitude >= 1e17:
            number /= 1e9
        elif magnitude >= 1e14:
            number /= 1e6
        elif magnitude >= 1e11:
            number /= 1e3
        try:
            return datetime.fromtimestamp(number, timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{value!r} is not a usable Unix time") from None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a time")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time or a Unix epoch") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        if tz is not None:
            parsed = parsed.replace(tzinfo=tz)
        elif naive_is_utc:
            parsed = parsed.replace(tzinfo=timezone.utc)
        else:
            raise ValueError(f"{text!r} has no time zone offset; pass --tz (e.g. --tz UTC or --tz Europe/Berlin)")
    return parsed.astimezone(timezone.utc)


def unix_nano(value: Any) -> datetime:
    """OTLP times: nanoseconds since the epoch, as a JSON string (int64) or a number."""
    if value in (None, "", "0", 0):
        raise ValueError("no time")
    try:
        nanos = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a Unix time in nanoseconds") from None
    return datetime.fromtimestamp(nanos / 1e9, timezone.utc)


def parse_zone(name: str | None) -> tzinfo | None:
    """'UTC', 'Z' or an IANA name -> tzinfo; blank -> None. Raises ValueError naming the zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or not name.strip():
        return None
    if name.strip().upper() in ("UTC", "Z"):
        return timezone.utc
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin, or UTC)") from None


# ----------------------------------------------------------------------------------------- kinds
_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("resolution", re.compile(r"\b(resolved|resolve_log_entry|recovered|fully restored|all clear|closed)\b", re.I)),
    (
        "mitigation",
        re.compile(
            r"\b(roll(ed)?[- ]?back|revert(ed)?|mitigat\w*|disabled?|failover|hotfix|"
            r"feature flag off|kill switch|shed(ding)? load|scaled? (up|out))\b",
            re.I,
        ),
    ),
    (
        "escalation",
        re.compile(r"\b(escalat\w*|acknowledged?|paged|on-?call|sev(erity)? ?[0-2]\b|incident declared)", re.I),
    ),
    ("detection", re.compile(r"\b(alert\w*|triggered|firing|detected|noticed|spike|regression|anomal\w*)\b", re.I)),
    ("decision", re.compile(r"\b(decided|decision|agreed to)\b", re.I)),
    ("communication", re.compile(r"\b(status ?page|customers? (were )?notified|announce\w*|posted an update)\b", re.I)),
]


def guess_kind(text: str, default: str | None = "context") -> str | None:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return default


def one_line(text: Any, limit: int = 400) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ----------------------------------------------------------------------------------------- bytes
def _read(path: Path, label: str, result: ImportResult) -> bytes | None:
    """A source file's bytes: a regular file only (a FIFO or a device never ends), or None with the problem."""
    try:
        return read_source(path, None, label=label)
    except Refused as exc:
        result.problems.append(ImportProblem(label, None, "", exc.reason))
    except OSError as exc:
        result.problems.append(ImportProblem(label, None, "", f"cannot read: {exc.strerror or exc}"))
    return None


def read_text(path: Path, label: str, result: ImportResult) -> str | None:
    """The whole file as text (UTF-8, BOM allowed), or None with the line of the first bad byte."""
    data = _read(path, label, result)
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        result.problems.append(
            ImportProblem(label, line, "", f"not UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8")
        )
        return None


def read_lines(path: Path, label: str, result: ImportResult) -> Iterator[tuple[int, str]]:
    """(line number, text) for each non-blank line; a line that is not UTF-8 is reported and skipped."""
    data = _read(path, label, result)
    if data is None:
        return
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            result.problems.append(
                ImportProblem(
                    label,
                    number,
                    "",
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); line skipped",
                )
            )


# ------------------------------------------------------------------------------------------ JSON
class LocatedJSON:
    """JSON parsed with the line on which each object starts, so a bad record is reported by line."""

    _WS = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str):
        self.text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._lines: dict[int, int] = {}
        self._decoder = json.JSONDecoder()
        end = self._skip(0)
        self.data, end = self._value(end)
        end = self._skip(end)
        if end != len(text):
            raise json.JSONDecodeError("extra data after the JSON value", text, end)

    def line_of(self, obj: Any) -> int | None:
        return self._lines.get(id(obj))

    def _line(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def _skip(self, i: int) -> int:
        match = self._WS.match(self.text, i)
        return match.end() if match else i

    def _value(self, i: int) -> tuple[Any, int]:
        text = self.text
        char = text[i : i + 1]
        if char == "{":
            obj: dict[str, Any] = {}
            self._lines[id(obj)] = self._line(i)
            i = self._skip(i + 1)
            if text[i : i + 1] == "}":
                return obj, i + 1
            while True:
                if text[i : i + 1] != '"':
                    raise json.JSONDecodeError("expected a quoted key", text, i)
                # json.decoder.scanstring is public (json's own decoder uses it) but missing from typeshed
                key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
                i = self._skip(i)
                if text[i : i + 1] != ":":
                    raise json.JSONDecodeError("expected ':'", text, i)
                obj[key], i = self._value(self._skip(i + 1))
                i = self._skip(i)
                if text[i : i + 1] == ",":
                    i = self._skip(i + 1)
                    continue
                if text[i : i + 1] == "}":
                    return obj, i + 1
                raise json.JSONDecodeError("expected ',' or '}'", text, i)
        if char == "[":
            items: list[Any] = []
            i = self._skip(i + 1)
            if text[i : i + 1] == "]":
                return items, i + 1
            while True:
                value, i = self._value(i)
                items.append(value)
                i = self._skip(i)
                if text[i : i + 1] == ",":
                    i = self._skip(i + 1)
                    continue
                if text[i : i + 1] == "]":
                    return items, i + 1
                raise json.JSONDecodeError("expected ',' or ']'", text, i)
        return self._decoder.raw_decode(text, i)


def load_json(path: Path, label: str, result: ImportResult) -> LocatedJSON | None:
    text = read_text(path, label, result)
    if text is None:
        return None
    try:
        return LocatedJSON(text)
    except json.JSONDecodeError as exc:
        result.problems.append(ImportProblem(label, exc.lineno, "", f"not valid JSON: {exc.msg} (column {exc.colno})"))
    except RecursionError:
        result.problems.append(ImportProblem(label, None, "", "JSON nested too deeply"))
    return None


def records(doc: LocatedJSON, *keys: str) -> list[Any]:
    """The list of records: the document itself when it is a list, else the first of `keys` it has."""
    data = doc.data
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in keys:
            found = data.get(key)
            if isinstance(found, list):
                return found
    return []


def pick(record: dict[str, Any], *names: str) -> Any:
    """The first present, non-empty value among `names`; dotted names reach into nested objects."""
    for name in names:
        node: Any = record
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node not in (None, ""):
            return node
    return None
