"""A file that will not load, as lines a person can read: bytes that are not UTF-8 shown as `\\xNN`.

For the read-only viewer (a broken incident file on the start screen). Nothing here writes; the store
reads the bytes (`Store.read_raw`), this only splits them into lines of plain and escaped pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_VIEW_LINES = 5000  # a window this long around the first problem line (a file may be up to 4 MiB)


@dataclass(frozen=True)
class Piece:
    text: str
    escaped: bool = False  # an undecodable byte, shown as \xNN


@dataclass(frozen=True)
class RawLine:
    number: int  # 1-based, as in the problem messages
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class RawView:
    lines: list[RawLine]
    total_lines: int
    bad_bytes: int  # undecodable bytes in the whole file


def raw_view(data: bytes, focus_line: int | None = None, max_lines: int = MAX_VIEW_LINES) -> RawView:
    """Split `data` into lines; undecodable bytes become escaped pieces. At most `max_lines` lines are
    kept, in a window around `focus_line` (the first problem) when the file is longer."""
    text = data.decode("utf-8", errors="surrogateescape")  # each bad byte -> one lone surrogate
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "" and text.endswith("\n"):
        raw_lines.pop()
    bad_total = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    total = len(raw_lines)
    start = 0
    if total > max_lines:
        centre = (focus_line or 1) - 1
        start = max(0, min(centre - max_lines // 2, total - max_lines))
    lines = [RawLine(start + n + 1, _pieces(line)) for n, line in enumerate(raw_lines[start : start + max_lines])]
    return RawView(lines, total, bad_total)


def _pieces(line: str) -> tuple[Piece, ...]:
    line = line.removesuffix("\r")
    out: list[Piece] = []
    plain: list[str] = []
    for ch in line:
        if "\udc80" <= ch <= "\udcff":
            if plain:
                out.append(Piece("".join(plain)))
                plain = []
            out.append(Piece(f"\\x{ord(ch) - 0xDC00:02x}", escaped=True))
        elif ch == "\t" or ch.isprintable():
            plain.append(ch)
        else:  # control characters would move the terminal's cursor: shown escaped as well
            if plain:
                out.append(Piece("".join(plain)))
                plain = []
            out.append(Piece(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}", escaped=True))
    if plain:
        out.append(Piece("".join(plain)))
    return tuple(out)
