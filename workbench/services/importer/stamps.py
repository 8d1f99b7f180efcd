"""Timestamps as people write them in postmortems, normalised to UTC.

Recognised at the start of a line (after list markers and **bold**): ISO dates and times
(`2022-10-31 07:30`, `2025-04-14T16:37:00Z`), month names (`Jan 14, 10:18 AM`, `September 29, 2025`),
times alone (`16:58 UTC`, `10:45`) on a date known from the context, 12-hour clocks, and zones:
`UTC`/`GMT`/`Z`, offsets (`+02:00`), US/European abbreviations and `Eastern`/`Pacific`/`Central`
(with daylight saving from the tz database). `13:14 EDT (17:14 UTC)` uses the UTC time given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
FIXED = {"utc": 0, "gmt": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7,
         "pdt": -7, "pst": -8, "cet": 1, "cest": 2, "bst": 1, "ist": 5.5, "jst": 9}
NAMED = {"eastern": "America/New_York", "pacific": "America/Los_Angeles", "central": "America/Chicago",
         "mountain": "America/Denver"}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?"
_TIME = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = r"(?P<zone>utc|gmt|z|[ecmp][sd]t|cet|cest|bst|ist|jst|eastern|pacific|central|mountain|[+-]\d{2}:?\d{2})"
STAMP_RE = re.compile(
    rf"^(?:(?:{_DATE})(?:T|,?\s*))?(?:{_TIME})?(?:\s*{_ZONE}\b)?(?:\s*\((?P<utc>\d{{1,2}}:\d{{2}})\s*utc\))?",
    re.I,
)
DATE_ONLY_RE = re.compile(rf"^(?:{_DATE})\b", re.I)
_LEAD_RE = re.compile(r"^(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s+)?")
_SEP_RE = re.compile(r"^\s*(?:[-–—:|]+\s*)?")


@dataclass(frozen=True)
class Stamp:
    when: datetime  # UTC
    text: str  # what follows the timestamp
    zone_assumed: bool  # no zone on the line nor in the context: read as UTC
    time_missing: bool  # a date alone: time of day unknown
    day_inferred: bool  # a time alone: the day came from the context


def _zone_offset(zone: str, on: date, at: time) -> timedelta:
    z = zone.lower()
    if z in FIXED:
        return timedelta(hours=FIXED[z])
    if z in NAMED:
        local = datetime.combine(on, at, tzinfo=ZoneInfo(NAMED[z]))
        return local.utcoffset() or timedelta(0)
    sign = 1 if z[0] == "+" else -1
    digits = z[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def parse_date(text: str, year_hint: int | None = None) -> date | None:
    match = DATE_ONLY_RE.match(text.strip())
    if not match:
        return None
    return _date_of(match, year_hint)


def _date_of(match: re.Match[str], year_hint: int | None) -> date | None:
    try:
        if match.group("iso"):
            return date.fromisoformat(match.group("iso"))
        if match.group("mon"):
            month = MONTHS[match.group("mon")[:3].lower()]
            year = int(match.group("year")) if match.group("year") else year_hint
            if year is None:
                return None
            return date(year, month, int(match.group("day")))
    except ValueError:
        return None
    return None


def strip_lead(line: str) -> str:
    """The text of a list item or table cell without its marker and without **bold** around a leading stamp."""
    text = _LEAD_RE.sub("", line.strip(), count=1)
    bold = re.match(r"^(\*\*|__)(.+?)\1\s*(.*)$", text)
    if bold and STAMP_RE.match(bold.group(2)) and STAMP_RE.match(bold.group(2)).group(0).strip():
        return f"{bold.group(2)} {bold.group(3)}".strip()
    return text


def parse_stamp(text: str, base: date | None, default_zone: str | None) -> Stamp | None:
    """The timestamp at the start of `text`, or None when there is none (or no date can be known)."""
    text = strip_lead(text)
    match = STAMP_RE.match(text)
    if not match or not match.group(0).strip():
        return None
    has_date = bool(match.group("iso") or match.group("mon"))
    has_time = match.group("h") is not None
    if not has_time and not has_date:
        return None
    if has_date and not match.group("iso") and not match.group("year") and not has_time:
        return None  # "May 3" alone is too easily prose
    rest = _SEP_RE.sub("", text[match.end():], count=1).strip()
    if not rest:
        rest = ""
    day = _date_of(match, base.year if base else None) if has_date else base
    if day is None:
        return None
    at = time(0, 0)
    if has_time:
        hour, minute = int(match.group("h")), int(match.group("m"))
        second = int(match.group("s") or 0)
        ampm = (match.group("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            return None
        at = time(hour, minute, second)
    zone = match.group("zone") or default_zone
    local = datetime.combine(day, at)
    when = (local - _zone_offset(zone, day, at)).replace(tzinfo=timezone.utc) if zone else \
        local.replace(tzinfo=timezone.utc)
    if match.group("utc"):  # "13:14 EDT (17:14 UTC)": trust the UTC the author wrote
        h, m = (int(x) for x in match.group("utc").split(":"))
        given = when.replace(hour=h, minute=m, second=0)
        if abs((given - when).total_seconds()) > 12 * 3600:
            given += timedelta(days=1) if given < when else timedelta(days=-1)
        when = given
    return Stamp(when, rest, zone_assumed=zone is None and has_time, time_missing=not has_time,
                 day_inferred=not has_date)


def zone_hint(text: str) -> str | None:
    """A zone stated for a whole table or section: 'All times in UTC', 'Time (UTC)', 'times are Eastern'."""
    match = re.search(r"\b(?:in|\()\s*(utc|gmt|eastern|pacific|central|[ecmp][sd]t)\b", text, re.I)
    if match:
        return match.group(1)
    if re.search(r"\butc\b", text, re.I) and re.search(r"\btimes?\b", text, re.I):
        return "utc"
    return None
