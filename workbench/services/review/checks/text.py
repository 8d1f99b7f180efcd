"""The text a check reads: every prose field of an incident with where it lives, and the narrative by line.

Quotation convention (documented in the readme): text the author did not write in their own voice is
never judged for blame or vagueness. It is marked as quoted by any of
  - a markdown blockquote line:          > "I should have known," said the on-call engineer.
  - a `quote:` marker before a quoted string:  quote: "human error" was the first reply in chat.
    (straight "..." or curly “...” quotes; the marker is what makes it a quotation, not the quotes alone)
  - code, which holds prompts, logs and config verbatim: `inline code` and ``` fenced blocks ```
  - HTML comments (template hints): <!-- ... -->
Masking replaces those characters with spaces, so offsets and line numbers stay true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ....domain.model import Incident
from ....domain.narrative import sections
from ....store.tomlfile import line_index, nearest_line
from ....store.layout import INCIDENT_FILE, NARRATIVE_FILE

_QUOTE_MARKER_RE = re.compile(r"\bquote:\s*(\"[^\"\n]*\"|“[^”\n]*”)", re.IGNORECASE)
_INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_BLOCKQUOTE_RE = re.compile(r"^\s{0,3}>")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_quoted(text: str) -> str:
    """`text` with quotations, code and comments blanked out (same length, same line breaks)."""
    lines = text.split("\n")
    in_fence = False
    for i, line in enumerate(lines):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            lines[i] = " " * len(line)
        elif in_fence or _BLOCKQUOTE_RE.match(line):
            lines[i] = " " * len(line)
    out = "\n".join(lines)
    out = _COMMENT_RE.sub(_blank, out)
    out = _QUOTE_MARKER_RE.sub(_blank, out)
    out = _INLINE_CODE_RE.sub(_blank, out)
    return out


@dataclass(frozen=True)
class Span:
    """A piece of prose and where it lives."""

    text: str  # masked text (quotations blanked)
    raw: str  # the text as written
    file: str
    entry: str | None
    field: str
    loc: tuple[object, ...] = ()
    line: int | None = None  # first line of `text`, where known

    def line_at(self, offset: int) -> int | None:
        if self.line is None:
            return None
        return self.line + self.raw.count("\n", 0, offset)


@dataclass
class Context:
    """Everything a check may read. Checks are pure functions of this."""

    incident: Incident
    narrative: str = ""
    toml_text: str | None = None
    config: object = None  # a CheckConfig; typed loosely to keep this module free of config loading
    people: list[str] = field(default_factory=list)
    _spans: list[Span] | None = None
    _index: dict[tuple[str, ...], int] | None = None
    _lines: list[str] | None = None

    def toml_line(self, loc: tuple[object, ...]) -> int | None:
        """The line of incident.toml holding `loc`, or of its nearest enclosing table."""
        if not self.toml_text:
            return None
        if self._index is None:
            self._index = line_index(self.toml_text)
        return nearest_line(self._index, loc)

    def entry_line(self, collection: str, entry_id: str, key: str | None = None) -> int | None:
        entries = getattr(self.incident, collection)
        index = next((i for i, e in enumerate(entries) if e.id == entry_id), None)
        if index is None:
            return None
        return self.toml_line((collection, index, key) if key else (collection, index))

    def _value_line(self, loc: tuple[object, ...]) -> int | None:
        """The line where a string value's text starts (a multi-line string starts on the next line)."""
        line = self.toml_line(loc)
        if line is None or self.toml_text is None:
            return line
        if self._lines is None:
            self._lines = self.toml_text.splitlines()
        raw = self._lines[line - 1] if line - 1 < len(self._lines) else ""
        if re.search(r"=\s*(\"\"\"|''')\s*$", raw):
            return line + 1
        return line

    def toml_spans(self) -> list[Span]:
        if self._spans is None:
            self._spans = [
                Span(mask_quoted(raw), raw, INCIDENT_FILE, entry, name, loc, self._value_line(loc))
                for raw, entry, name, loc in _prose_fields(self.incident)
            ]
        return self._spans

    def narrative_lines(self) -> Iterator[tuple[int, str, str, str]]:
        """(line number, masked line, raw line, section heading) for each narrative line."""
        masked = mask_quoted(self.narrative).split("\n")
        raw = self.narrative.split("\n")
        starts = [(s.line, s.heading) for s in sections(self.narrative)]
        heading = ""
        for number, (m, r) in enumerate(zip(masked, raw, strict=True), start=1):
            while starts and starts[0][0] <= number:
                heading = starts.pop(0)[1]
            yield number, m, r, heading

    def all_spans(self) -> list[Span]:
        """Every prose field, then each narrative line as its own span."""
        out = list(self.toml_spans())
        for number, masked, raw, heading in self.narrative_lines():
            if masked.strip():
                out.append(Span(masked, raw, NARRATIVE_FILE, heading or None, "", (), number))
        return out


def _label(loc: tuple[object, ...], entry: str | None) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{entry}]" if entry else f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _prose_fields(incident: Incident) -> Iterator[tuple[str, str | None, str, tuple[object, ...]]]:
    """(text, entry id, field label, loc) for every free-text field a person writes."""

    def item(
        value: str, loc: tuple[object, ...], entry: str | None = None
    ) -> tuple[str, str | None, str, tuple[object, ...]]:
        return value, entry, _label(loc, entry), loc

    i = incident
    if i.summary:
        yield item(i.summary, ("summary",))
    for key in ("covers", "excludes", "blameless_intent"):
        if getattr(i.scope, key):
            yield item(getattr(i.scope, key), ("scope", key))
    for name in i.impact.FIGURES:
        figure = getattr(i.impact, name)
        if figure.note:
            yield item(figure.note, ("impact", name, "note"))
    for name in ("safety_exposure", "trust_exposure"):
        if getattr(i.impact, name).text:
            yield item(getattr(i.impact, name).text, ("impact", name, "text"))
    for name in type(i.ai_factors).model_fields:
        factor = getattr(i.ai_factors, name)
        for key in ("analysis", "reason"):
            if getattr(factor, key):
                yield item(getattr(factor, key), ("ai_factors", name, key))
    for key in ("went_well", "to_improve"):
        for index, text in enumerate(getattr(i.lessons, key)):
            yield item(text, ("lessons", key, index))
    prose = {
        "timeline": ("event", "source"),
        "causes": ("statement",),
        "actions": ("action", "verification", "success_criteria"),
        "barriers": ("control", "note"),
        "observations": ("behaviour", "conditions"),
        "gaps": ("text", "closes_by"),
        "questions": ("text",),
    }
    for collection, keys in prose.items():
        for index, entry in enumerate(getattr(i, collection)):
            for key in keys:
                value = getattr(entry, key)
                if value:
                    yield item(value, (collection, index, key), entry.id)
