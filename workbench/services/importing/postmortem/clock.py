"""Dates, clock times and zones as postmortems write them, normalised to UTC.

Finding *where* a date or time is written is a small pattern (a month name, an ISO date, a clock
time with a colon or am/pm); reading *what* it says is left to python-dateutil (`parser.parse` with a
`default` that supplies the year the context gives), and zones to the tz database (`zoneinfo`).
dateparser was compared on the development set (see README: it fills a missing year from today, not
from the document, and is ~10x slower), so it is kept only as an alternative backend for that
comparison (`benchmarks/import_eval.py --parser dateparser`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as du_parser

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
# Month names of the languages that write "10 de Abril de 2026" (Portuguese, Spanish), by number.
_DE_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            "janeiro enero",
            "fevereiro febrero",
            "março marco marzo",
            "abril",
            "maio mayo",
            "junho junio",
            "julho julio",
            "agosto",
            "setembro septiembre setiembre",
            "outubro octubre",
            "novembro noviembre",
            "dezembro diciembre",
        ),
        1,
    )
    for name in names.split()
}
_DE_MONTH = "|".join(sorted(_DE_MONTHS, key=len, reverse=True))
_DAY_RANGE_END_RE = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\s*[-–]\s*(?P<end>\d{1,2})(?:st|nd|rd|th)?")
DATE_RE = re.compile(
    rf"(?<![\w-])(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})(?![\d-])"
    # "2022.06.26 16:00": a dotted ISO date (not inside a run name such as "glm-130B-2022.05.05-19:34:16").
    rf"|(?<![\w.-])(?P<dotted>\d{{4}}\.\d{{2}}\.\d{{2}})(?![\d.-])"
    # "2016/11/07 21:30": a slashed ISO date (year first, so never the US/European day-month question).
    rf"|(?<![\w./-])(?P<slashed>\d{{4}}/\d{{2}}/\d{{2}})(?![\d/-])"
    rf"|(?<![\w])(?P<mdy>{_MONTH}\s+\d{{1,2}}{_ORD}(?:\s*[-–]\s*\d{{1,2}}{_ORD})?(?:,?\s+\d{{4}})?)(?!\d|:\d)"
    rf"|(?<![\w.])(?P<dmy>\d{{1,2}}(?:{_ORD}|\.)\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?)(?!\w|:\d)"
    # "[03-26 23:04]": a numeric month-day, read as one only when a clock time follows it.
    r"|(?<![\w./-])(?P<md>(?:0?[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?=\s+\d{1,2}:\d{2}(?!\d))"
    # "| 10/04 22:38 UTC |": a numeric day and month, likewise only before a clock time. Which comes first is
    # the document's convention, settled by the reader against the day the document states (Mention.alt_day).
    r"|(?<![\w./-])(?P<dm>(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01]))(?=\s+\d{1,2}:\d{2}(?!\d))"
    # "10 de Abril de 2026", "10-11 de abril": a date as Portuguese and Spanish write it.
    rf"|(?<![\w-])(?P<de>\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+de\s+(?P<de_month>{_DE_MONTH})(?:\s+de\s+\d{{4}})?)(?!\w)",
    re.I,
)
ZONE_WORD = (
    # Long names first: "Central European Time" is not US "Central".
    # "PST/PDT" (the region's clock, whichever half of the year) before "PST" alone.
    r"(?:Central European (?:Summer )?Time|(?:[ECMP][SD]T\s?/\s?[ECMP][SD]T)|UTC|GMT|Z(?=\W|$)|[ECMP][SD]T|[ECMP]T(?=\W|$)|"
    r"CES?T|EES?T|MSK|BST|IST|JST|KST|SGT|HKT|HST|AK[SD]T|NZ[SD]T|AES?[DT]T?|Eastern|Pacific|Central|Mountain|"
    r"Europe/\w+|America/\w+)"
)
_OFFSET = r"(?:(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}(?![\d:]))"
# After a clock time a bare signed offset is one only where a range end cannot be meant: after seconds
# ("12:35:00-07:00", ISO), after a space ("10:00 -0700") or without a colon ("10:00+0200"). "13:30-13:45" and
# "9:00-10:00" are ranges, not a time at UTC-13:45.
# "05:19 UTC - 14:53 UTC" is a range, not UTC-14:53: spaced on both sides of its sign, an offset is a bare hour.
_CLOCK_OFFSET = (
    r"(?:(?:UTC|GMT)(?:\s?[+-]\d{1,2}(?::?\d{2})?|\s?[+-]\s\d{1,2}(?![\d:])|\s[+-]\s?\d{1,2}(?![\d:]))|(?:(?<=:\d\d:\d\d)|(?<=\.\d{3})|(?<=\.\d{6})|(?<=\s))[+-]\d{2}:?\d{2}(?![\d:])"
    r"|[+-]\d{4}(?![\d:]))"
)
TIME_RE = re.compile(
    r"(?<![\d.:/])(?P<clock>(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?(?![\d]|:\d)\s*(?P<ampm>[ap]\.?m\.?(?![a-z]))?"
    r"|(?P<h2>\d{1,2})\s*(?P<ampm2>[ap]\.?m\.?)(?![a-z]))"
    rf"(?:\s*\(?(?P<zone>{_CLOCK_OFFSET}|{ZONE_WORD})(?![\w/]))?"
    r"(?:\s*\((?P<given>\d{1,2}:\d{2})\s*(?:UTC|GMT|Z)\))?",
    re.I,
)
# A 24 h time written without a colon ("1625", "1900 UTC"). Four digits are as often a year, a count or
# an id, so it is a time only where nothing else fits: right after an ISO date ("2022-02-02 1625:"), or
# with a zone written after it, or as the first end of a range whose other end has one ("between 1900 and
# 2100 UTC").
MILITARY_RE = re.compile(r"(?<![\w.:/,#$-])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)(?![\w/%-]|[.:,]\d)")
_AFTER_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]$")
_MIL_ZONE_RE = re.compile(rf"\s*\(?(?P<zone>{ZONE_WORD}|{_OFFSET})(?![\w/])", re.I)
_MIL_RANGE_RE = re.compile(
    rf"\s*(?:and|to|until|through|[-–])\s*(?:[01]\d|2[0-3])[0-5]\d\s*\(?(?P<zone>{ZONE_WORD}|{_OFFSET})(?![\w/])",
    re.I,
)
STATED_ZONE_RE = re.compile(
    rf"(?<![\w])(?P<zone>{_OFFSET}|Eastern Daylight Time|Pacific Daylight Time|{ZONE_WORD})(?![\w/])",
    re.I,
)

# Abbreviations with a fixed offset as written ("CET" is read literally as UTC+01:00, even in summer:
# the source said CET); names of regions follow daylight saving from the tz database.
FIXED = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "edt": -4,
    "est": -5,
    "cdt": -5,
    "cst": -6,
    "mdt": -6,
    "mst": -7,
    "pdt": -7,
    "pst": -8,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "kst": 9,
    "sgt": 8,
    "hkt": 8,
    "hst": -10,
    "akst": -9,
    "akdt": -8,
    "nzst": 12,
    "nzdt": 13,
    "bst": 1,
    "ist": 5.5,
    "jst": 9,
    "aest": 10,
    "aedt": 11,
}
NAMED = {
    "eastern": "America/New_York",
    "pacific": "America/Los_Angeles",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "eastern daylight time": "America/New_York",
    "pacific daylight time": "America/Los_Angeles",
    "central european time": "Europe/Paris",
    "central european summer time": "Europe/Paris",
}
# "ET", "CT", "MT", "PT" and "PST/PDT" name a region's clock rather than one half of its year: daylight saving by date.
_REGION_OF_LETTER = {"e": "Eastern", "c": "Central", "m": "Mountain", "p": "Pacific"}


def normal_zone(token: str) -> str:
    """'Pacific' -> 'Pacific', ' utc' -> 'UTC', 'UTC+2' -> '+02:00': the zone as a stable label."""
    z = " ".join(token.split()).strip("()")
    low = z.lower()
    pair = re.fullmatch(r"([ecmp])[sd]t\s?/\s?([ecmp])[sd]t", low)
    if pair and pair.group(1) == pair.group(2):
        return _REGION_OF_LETTER[pair.group(1)]  # "PST/PDT": Pacific, standard or daylight as the date has it
    if low in ("et", "ct", "mt", "pt"):
        return _REGION_OF_LETTER[low[0]]
    if low in NAMED or "/" in z:
        return z.title() if low in NAMED else z
    match = re.fullmatch(r"(?:utc|gmt)?\s?([+-])\s?(\d{1,2})(?::?(\d{2}))?", low)
    if match:
        return f"{match.group(1)}{int(match.group(2)):02d}:{match.group(3) or '00'}"
    return z.upper()


def zone_info(label: str) -> tzinfo:
    low = label.lower()
    if low in FIXED:
        return timezone(timedelta(hours=FIXED[low]))
    if low in NAMED:
        return ZoneInfo(NAMED[low])
    if "/" in label:
        return ZoneInfo(label)
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", label)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    raise ValueError(f"unknown zone {label!r}")


def to_utc(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=zone_info(zone)).astimezone(timezone.utc)


# ----------------------------------------------------------------------------------------------- parsing
Parse = Callable[[str, datetime], datetime | None]


def parse_dateutil(text: str, default: datetime) -> datetime | None:
    try:
        parsed: datetime = du_parser.parse(text, default=default, fuzzy=True)
        return parsed
    except (ValueError, OverflowError):
        return None


def parse_dateparser(text: str, default: datetime) -> datetime | None:
    import dateparser  # only for the comparison in benchmarks/import_eval.py

    found = dateparser.parse(
        text, languages=["en"], settings={"RELATIVE_BASE": default, "PREFER_DAY_OF_MONTH": "first"}
    )
    return found.replace(tzinfo=None) if found else None


PARSERS: dict[str, Parse] = {"dateutil": parse_dateutil, "dateparser": parse_dateparser}


@dataclass(frozen=True)
class Mention:
    """One date and/or time as written in a piece of text."""

    start: int
    end: int
    text: str  # as written
    day: date | None = None
    year_stated: bool = False
    at: time | None = None
    zone: str | None = None  # written right after the time
    given_utc: time | None = None  # "13:14 EDT (17:14 UTC)": the UTC the author wrote
    alt_day: date | None = None  # "10/04": the month-first reading beside `day`, the day-first one


def _de_date(span: str, year: int | None) -> tuple[date | None, bool]:
    found = re.match(rf"(\d{{1,2}}).*?\bde\s+({_DE_MONTH})(?:\s+de\s+(\d{{4}}))?", span, re.I)
    if not found:
        return None, False
    stated = found.group(3) is not None
    in_year = int(found.group(3)) if stated else year
    if in_year is None:
        return None, False
    try:
        return date(in_year, _DE_MONTHS[found.group(2).lower()], int(found.group(1))), stated
    except ValueError:
        return None, stated


def _numeric_day_month(span: str, year: int | None) -> tuple[date | None, date | None]:
    """'10/04' -> (April 10th, October 4th): the day-first reading and the month-first one (None if impossible)."""
    first, second = (int(x) for x in span.split("/"))
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(date(year, month, day) if year is not None else None)
        except ValueError:
            readings.append(None)
    return readings[0], readings[1]


def _date_value(span: str, year: int | None, parse: Parse) -> tuple[date | None, bool]:
    if re.search(r"\sde\s", span, re.I):
        return _de_date(span, year)
    if re.fullmatch(r"\d{1,2}/\d{1,2}", span):
        day_first, month_first = _numeric_day_month(span, year)
        return day_first or month_first, False
    if re.fullmatch(r"\d{4}[./]\d{2}[./]\d{2}", span):
        span = span.replace(".", "-").replace("/", "-")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", span):
        try:
            return date.fromisoformat(span), True
        except ValueError:
            return None, True
    month_day = re.fullmatch(r"(\d{1,2})-(\d{2})", span)
    if month_day:
        if year is None:
            return None, False
        try:
            return date(year, int(month_day.group(1)), int(month_day.group(2))), False
        except ValueError:
            return None, False
    cleaned = re.sub(r"(\d{1,2})(?:st|nd|rd|th)?\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?", r"\1", span)  # a day range
    cleaned = re.sub(r"(\d{1,2})\.\s", r"\1 ", cleaned).replace(" of ", " ")
    stated = bool(re.search(r"\d{4}", cleaned))
    if not stated and year is None:
        return None, False
    default = datetime(year or 2000, 1, 1)
    found = parse(cleaned, default)
    if found is None:
        return None, stated
    return found.date(), stated


def _time_value(match: re.Match[str]) -> time | None:
    if match.group("h") is not None:  # "9:15" (the "clock" group spans both forms, "9am" too)
        hour, minute = int(match.group("h")), int(match.group("m"))
        ampm = (match.group("ampm") or "").lower().replace(".", "")
    else:
        hour, minute = int(match.group("h2")), 0
        ampm = (match.group("ampm2") or "").lower().replace(".", "")
    if ampm and 13 <= hour <= 23 and ampm == "pm" and match.group("h") is not None:
        ampm = ""  # "17:14pm": a 24 h time with a stray "pm" that agrees with it
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


# What may stand between a date and its time: "on", "at", a comma, and a mark of approximation ("2018-07-30 ca. 11:20",
# "March 3, around 9:15pm", "2023-02-01 ~14:00"): the time is still that day's.
_JOIN_RE = re.compile(
    r"^[\s,]*(?:at|on|@|the|by|from|T)?[\s,]*(?:(?:ca\.?|circa|approx\.?|approximately|about|around|roughly|~)\s*)?\(?$"
    r"|^\s*\(\s*$|^[\s,]*$",
    re.I,
)


def find_mentions(text: str, year: int | None, parse: Parse = parse_dateutil) -> list[Mention]:
    """Every date and clock time in `text`, a date and a time written together read as one mention."""
    dates = []
    alt: dict[int, date] = {}  # start -> the other reading of a numeric day and month
    for m in DATE_RE.finditer(text):
        day, stated = _date_value(m.group(0), year, parse)
        if m.group("dm"):
            day_first, month_first = _numeric_day_month(m.group("dm"), year)
            if day_first and month_first and day_first != month_first:
                alt[m.start()] = month_first
        if day is not None:
            dates.append((m.start(), m.end(), day, stated))
            if stated:
                year = day.year  # a later "March 9" in the same text is in the same year
            span = _DAY_RANGE_END_RE.search(m.group("mdy") or m.group("de") or "")
            if span:
                # "Jan 22–26": a range of days in one month gives its last day too, as "between March 3 and
                # March 9" does (LABELLING.md: a range of days gives its two days).
                try:
                    last = day.replace(day=int(span.group("end")))
                except ValueError:
                    last = None
                if last is not None and last > day:
                    end_at = m.start("mdy" if m.group("mdy") else "de") + span.start("end")
                    dates.append((end_at, m.end(), last, stated))
    times = []
    for m in TIME_RE.finditer(text):
        if any(s <= m.start() < e for s, e, _, _ in dates):
            continue  # "2024-06-28" has no clock in it, but guard overlapping spans anyway
        if in_identifier(text, m.start()):
            continue
        at = _time_value(m)
        if at is None:
            continue
        given = m.group("given")
        given_t = time(int(given.split(":")[0]) % 24, int(given.split(":")[1])) if given else None
        zone = normal_zone(m.group("zone")) if m.group("zone") else None
        end = m.end()
        if zone is not None and not zone.startswith(("+", "-")):
            spelled = _SPELLED_OFFSET_RE.match(text, end)
            if spelled:
                zone, end = normal_zone(spelled.group("offset")), spelled.end()
        times.append((m.start(), end, at, zone, given_t))
    times += _range_heads(text, times, dates)
    for m in MILITARY_RE.finditer(text):
        if any(s <= m.start() < e for s, e, *_ in times) or any(s <= m.start() < e for s, e, _, _ in dates):
            continue
        own = _MIL_ZONE_RE.match(text, m.end())
        ranged = _MIL_RANGE_RE.match(text, m.end())
        if not (own or ranged or _AFTER_ISO_RE.search(text[: m.start()])):
            continue
        end = own.end() if own else m.end()
        zone = normal_zone(own.group("zone")) if own else None
        times.append((m.start(), end, time(int(m.group("h")), int(m.group("m"))), zone, None))
    times.sort(key=lambda t: t[0])
    out: list[Mention] = []
    used: set[int] = set()
    for ts, te, at, zone, given in times:
        partner = None
        for k, (ds, de, _day, _stated) in enumerate(dates):
            if k in used:
                continue
            gap = text[de:ts] if de <= ts else text[te:ds] if te <= ds else None
            if gap is not None and len(gap) <= 12 and _JOIN_RE.match(gap):
                partner = k
                break
        if partner is not None:
            used.add(partner)
            ds, de, day, stated = dates[partner]
            start, end = min(ds, ts), max(de, te)
            out.append(Mention(start, end, text[start:end].strip(), day, stated, at, zone, given, alt.get(ds)))
        else:
            out.append(Mention(ts, te, text[ts:te].strip(), None, False, at, zone, given))
    for k, (ds, de, day, stated) in enumerate(dates):
        if k not in used:
            out.append(Mention(ds, de, text[ds:de].strip(), day, stated, alt_day=alt.get(ds)))
    return sorted(out, key=lambda m: m.start)


_AMPM_RE = re.compile(r"[ap]\.?m\.?", re.I)
# The first end of a clock range written with one am/pm for both ends: "~8-9 PM", "between 8 and 9pm",
# "10:30-11:15am", "from 11 to 1pm". A bare number ("8") is a time only here.
_RANGE_HEAD_RE = re.compile(
    r"(?<![\w.:/$#-])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?:-|–|—|to|until|till|and)\s*~?\s*$", re.I
)


def _range_heads(
    text: str, times: list[tuple[int, int, time, str | None, time | None]], dates: list[tuple[int, int, date, bool]]
) -> list[tuple[int, int, time, str | None, time | None]]:
    """The first ends of ranges that borrow the am/pm (and zone) of their second end, as times of their own; a
    first end already read as a 24 h time ("10:30" in "10:30-11:15am") is corrected in place."""
    out: list[tuple[int, int, time, str | None, time | None]] = []
    for ts, te, at, zone, _given in list(times):
        if not _AMPM_RE.search(text[ts:te]):
            continue
        head = _RANGE_HEAD_RE.search(text[max(0, ts - 16) : ts])
        if head is None:
            continue
        hs = max(0, ts - 16) + head.start()
        if any(s <= hs < e for s, e, _, _ in dates):
            continue
        hour, minute = int(head.group("h")), int(head.group("m") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            continue
        # The am/pm that puts the start before the end, within twelve hours ("11 to 1pm" starts at 11am).
        pm = time(hour % 12 + 12, minute)
        am = time(hour % 12, minute)
        start = pm if pm <= at else am
        earlier = next((j for j, t in enumerate(times) if t[0] == hs), None)
        if earlier is not None:
            if _AMPM_RE.search(text[times[earlier][0] : times[earlier][1]]) or times[earlier][3]:
                continue  # "9:00 am - 5pm": the first end says its own half of the day
            times[earlier] = (hs, times[earlier][1], start, zone, None)
        else:
            head_end = head.end("m") if head.group("m") else head.end("h")
            out.append((hs, max(0, ts - 16) + head_end, start, zone, None))
    return out


# The part of a whitespace-delimited token before a time: "glm-130B-2022.05.07-" in a run name.
_TOKEN_HEAD_RE = re.compile(r"\S*$")
_CLOCK_HEAD_RE = re.compile(r"^\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?[-–]$", re.I)


def in_identifier(text: str, start: int) -> bool:
    """True when the time at `start` is glued into a longer name ("glm-130B-2022.05.07-13:44:59", a run or
    file name): an identifier the source quotes, not a time it states. "8:20-8:24" (a range) is not one."""
    head = _TOKEN_HEAD_RE.search(text[:start])
    token = head.group(0) if head else ""
    if not token or token[-1] not in "-_" or _CLOCK_HEAD_RE.match(token):
        return False
    return bool(re.search(r"[A-Za-z.]|\d{3}", token))


def stated_zone(text: str) -> str | None:
    """A zone stated for a table, a section or a document: 'All times in CET', 'Time (UTC)',
    'Timeline (all times PDT)', 'Date and Time in CET'. None when the text states no such rule."""
    if not re.search(r"\btimes?\b|\bzone\b", text, re.I):
        return None
    found = STATED_ZONE_RE.search(text)
    if not found:
        return None
    return _spelled_offset(text, found.end()) or normal_zone(found.group("zone"))


# "PST (UTC-7)", "CET (+01:00)": a zone's name followed by the offset spelled out. The digits are what the writer
# checked (a name is often the wrong half of the year: "PST" in July), so the offset wins (LABELLING.md: follow
# the zone the text states, and say so).
_SPELLED_OFFSET_RE = re.compile(rf"\s*[(\[]\s*(?P<offset>{_OFFSET})\s*[)\]]", re.I)


def _spelled_offset(text: str, end: int) -> str | None:
    found = _SPELLED_OFFSET_RE.match(text, end)
    return normal_zone(found.group("offset")) if found else None


def year_in(text: str) -> int | None:
    found = re.search(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)", text)
    return int(found.group(1)) if found else None
