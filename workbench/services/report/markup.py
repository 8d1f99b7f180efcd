"""Small markdown helpers shared by the report writers: escaping, formatting values, markers."""

from __future__ import annotations

import re
from datetime import date, datetime

DATA_GAP = "**[DATA GAP]**"
ASSUMPTION = "**[ASSUMPTION]**"

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_HEADING_RE = re.compile(r"^(\s{0,3})(#{1,6})(\s+.*|)$")
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")


def cell(text: str) -> str:
    """A markdown table cell: pipes escaped and line breaks kept as `<br>` so the row stays one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = text.replace("\\|", "|").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.split("\n")) if text else ""


def uncell(text: str) -> str:
    """The inverse of `cell` (for importing tables)."""
    return text.strip().replace("<br>", "\n").replace("\\|", "|")


_MARKER_RE = re.compile(r"(?<!\*\*)\[(DATA GAP|ASSUMPTION)\](?!\*\*)")


def markers(text: str) -> str:
    """Author text that says [DATA GAP] or [ASSUMPTION] gets the method's bold marker."""
    return _MARKER_RE.sub(r"**[\1]**", text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def item(text: str, indent: str = "  ") -> str:
    """List-item body: continuation lines indented so they stay inside the item."""
    lines = text.replace("\r\n", "\n").strip().split("\n")
    return ("\n" + indent).join(line.rstrip() for line in lines)


def italic(text: str) -> str:
    """*text*, or _text_ when the text has its own asterisks (so inner emphasis nests instead of breaking)."""
    text = one_line(text)
    mark = "_" if "*" in text else "*"
    return f"{mark}{text}{mark}" if text else ""


def bold(text: str) -> str:
    text = one_line(text)
    return f"**{text}**" if text else ""


def code(text: str) -> str:
    """`inline code`, with a longer fence when the text itself holds backticks."""
    text = one_line(text)
    if not text:
        return ""
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def utc(value: datetime | None) -> str:
    if value is None:
        return ""
    fmt = "%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M"
    return value.strftime(fmt)


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) else f"{value:g}"


def strip_comments(markdown: str) -> str:
    """Authoring hints (`<!-- ... -->`) are for the editor, never for readers."""
    stripped = _COMMENT_RE.sub("", markdown)
    lines = [line.rstrip() for line in stripped.split("\n")]
    out: list[str] = []
    for line in lines:  # collapse the blank runs a removed comment leaves behind
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


def shift_headings(markdown: str, minimum: int, by: int = 0) -> str:
    """Headings in a narrative body shifted by `by` levels and kept at `minimum` or deeper,
    so an author's `#`/`##` can never break the report's own outline. Code fences are left alone."""
    out, in_fence = [], False
    for line in markdown.split("\n"):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING_RE.match(line)
        if match and match.group(3).strip():
            level = min(6, max(minimum, len(match.group(2)) + by))
            line = f"{match.group(1)}{'#' * level}{match.group(3)}"
        out.append(line)
    return "\n".join(out)


# Phrases the method forbids (hard rule 2). Used to check everything the tool generates.
BLAME_PATTERNS = (
    r"human error",
    r"dropped the ball",
    r"should have known",
    r"\bcareless",
    r"\bnegligen",
    r"\bforgot\b",
    r"\bfault of\b",
    r"\bto blame\b",
    r"\bincompeten",
    r"\blazy\b",
)
_BLAME_RE = re.compile("|".join(BLAME_PATTERNS), re.I)


def blame_phrases(text: str) -> list[str]:
    return [m.group(0) for m in _BLAME_RE.finditer(text)]
