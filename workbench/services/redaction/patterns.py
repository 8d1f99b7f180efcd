"""Emails, IP addresses and @handles: the kinds a secrets scanner does not look for.

Candidates are found with small patterns and then confirmed: IP candidates must parse with the standard
library's `ipaddress` (so version numbers like 1.2.3 or times like 14:05:00 never count), emails must have a
dotted domain with a letter top-level label. Every function returns (start, end) spans into the text.
"""

from __future__ import annotations

import ipaddress
import re

Span = tuple[int, int]

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)
# `git@github.com:org/repo` is an SSH remote, not a person's address.
_NOT_PERSONAL_LOCAL = frozenset({"git"})

_V4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
# A v6 candidate: hex groups and colons (at least two), optional zone and prefix. Confirmed by ipaddress.
_V6_RE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?:%[\w.]+)?(?:/\d{1,3})?(?![\w:])"
)
# A version number that happens to have four parts ("v1.2.3.4", "version 10.0.0.1") is not an address.
_VERSION_BEFORE_RE = re.compile(r"(?:\bv|\bversion\s*|==\s*|>=\s*|<=\s*|~=\s*)$", re.I)
# Addresses that identify no one and that a reader needs to follow the story.
_KEEP_IPS = frozenset({"0.0.0.0", "127.0.0.1", "::", "::1", "255.255.255.255"})

_HANDLE_RE = re.compile(r"(?<![\w@.+/:-])@([A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?)(?![\w@/-])")
# Chat mentions of everybody, not of a person.
_GROUP_HANDLES = frozenset({"here", "channel", "everyone", "all", "room"})
# A handle with one of these as a part (@ml-platform, @pypi-admins, @infrastructure-oncall) names a team.
TEAM_WORDS = frozenset(
    {
        "oncall",
        "on-call",
        "team",
        "teams",
        "platform",
        "engineering",
        "eng",
        "infra",
        "infrastructure",
        "sre",
        "ops",
        "devops",
        "mlops",
        "admins",
        "admin",
        "maintainers",
        "security",
        "support",
        "reliability",
        "release",
        "releases",
        "evals",
        "eval",
        "core",
        "frontend",
        "backend",
        "leads",
        "reviewers",
        "owners",
        "squad",
        "guild",
        "committee",
        "council",
        "incident",
        "incidents",
        "responders",
        "privacy",
        "legal",
        "comms",
        "research",
        "safety",
        "trust",
    }
)


def email_spans(text: str) -> list[Span]:
    out = []
    for m in _EMAIL_RE.finditer(text):
        local = m.group(0).split("@", 1)[0]
        if local.lower() in _NOT_PERSONAL_LOCAL:
            continue
        out.append(m.span())
    return out


def _valid_v4(candidate: str) -> bool:
    address = candidate.split("/", 1)[0]
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return address not in _KEEP_IPS


def _valid_v6(candidate: str) -> bool:
    address = candidate.split("/", 1)[0].split("%", 1)[0]
    # Digits-and-colons only ("14:05:00", "1:2:3") is a time or a ratio unless it has the "::" of an address.
    if "::" not in address and not re.search(r"[A-Fa-f]", address) and address.count(":") < 7:
        return False
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return address not in _KEEP_IPS


def ip_spans(text: str) -> list[Span]:
    out = []
    for m in _V4_RE.finditer(text):
        if _VERSION_BEFORE_RE.search(text, 0, m.start()) or not _valid_v4(m.group(0)):
            continue
        out.append(m.span())
    for m in _V6_RE.finditer(text):
        if _valid_v6(m.group(0)):
            out.append(m.span())
    return out


def handle_spans(text: str, keep: frozenset[str] = frozenset()) -> list[Span]:
    """@mentions of people. Group mentions (@here, @channel), bots, team handles (a part in TEAM_WORDS), anything
    in `keep` (lower-case, with or without the @), npm scopes (`@types/node`) and the @ of an email are left
    alone."""
    out = []
    for m in _HANDLE_RE.finditer(text):
        name = m.group(1).rstrip(".")
        low = name.lower()
        if (
            low in _GROUP_HANDLES
            or low in keep
            or "@" + low in keep
            or low.endswith("bot")
            or set(re.split(r"[-_.]", low)) & TEAM_WORDS
        ):
            continue  # a group mention, a listed or evident team, or a bot (@dependabot, @deploy-bot)
        out.append((m.start(), m.start() + 1 + len(name)))
    return out
