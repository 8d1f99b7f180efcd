"""One redaction pass over everything an export shows, with stable placeholders and a count per kind.

Use one `Redactor` per export: `learn()` every text first (personal names are found over the whole incident, so
a name spaCy recognises once is replaced everywhere it appears), then `redact()` each text.

What is replaced, by priority when two finds overlap:
  secret  -> [secret 1]      (detect-secrets; everywhere, code included: code is where keys leak)
  email   -> [email 1]       (everywhere)
  ip      -> [IP 1]          (IPv4 and IPv6, validated by `ipaddress`; everywhere)
  known   -> their role      (people.toml and the incident's own commander/lead/owners; everywhere)
  handle  -> Person A        (@mentions; outside code)
  name    -> Person A        (spaCy PERSON; outside code; given name and surname alone too)
The same value always gets the same placeholder within one export. Inside `code` and fenced blocks only the
first four apply: model ids, config keys and commands are what the reader needs, and a decorator or class
name is not a person. Ids (incident, entry, taxonomy mode, evidence) are never passed in at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import patterns

if TYPE_CHECKING:
    from .secrets import SecretScanner  # imported on first use (detect-secrets is slow to load)

KINDS = ("name", "handle", "email", "ip", "secret")
KIND_LABELS = {
    "name": "names",
    "handle": "handles",
    "email": "email addresses",
    "ip": "IP addresses",
    "secret": "secrets and tokens",
}

_CODE_RE = re.compile(
    r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)|(`+)(?!`).+?(?<!`)\2(?!`)", re.M | re.S
)
_PRIORITY = {"secret": 0, "email": 1, "ip": 2, "known": 3, "handle": 4, "name": 5}


@dataclass
class RedactionSummary:
    """Distinct items and mentions redacted, per kind."""

    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    mentions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def total(self) -> int:
        return sum(self.items.values())

    def line(self) -> str:
        parts = []
        for kind in KINDS:
            n, m = self.items[kind], self.mentions[kind]
            parts.append(f"{KIND_LABELS[kind]} {n}" + (f" ({m} mentions)" if m > n else ""))
        return "Redacted for sharing: " + ", ".join(parts) + "."


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: placeholders for any number of people."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _word_rule(token: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@]){re.escape(token)}(?!\w)", flags)


class Redactor:
    def __init__(
        self, known: Iterable[tuple[str, str]] = (), keep: Iterable[str] = (), names: bool = True, secrets: bool = True
    ) -> None:
        """`known`: (token, replacement) pairs, e.g. a people map's names and handles -> roles, matched without
        regard to case. `keep`: words that are never a person (team, system, model names; @handles of teams)."""
        pairs = sorted(((t.strip(), r) for t, r in known if t.strip()), key=lambda p: -len(p[0]))
        self._known = [
            (_word_rule(tok, re.I), role, "handle" if tok.startswith("@") else "name") for tok, role in pairs
        ]
        self._known_tokens = {tok.casefold() for tok, _ in pairs}
        self._keep = frozenset(k.strip().lower() for k in keep if k.strip())
        self._use_names = names
        self._use_secrets = secrets
        self._scanner: SecretScanner | None = None  # made on first use: detect-secrets loads its plugins
        self._name_rules: list[tuple[re.Pattern[str], str]] = []
        self._people: dict[str, str] = {}  # canonical name or handle -> "Person A"
        self._numbered: dict[tuple[str, str], str] = {}
        self._seen: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}

    # ------------------------------------------------------------------------------ learning names
    def learn(self, texts: Iterable[str]) -> None:
        """Find personal names in all the texts (outside code) before any is redacted."""
        if not self._use_names:
            return
        from .names import find_names

        prose = [_CODE_RE.sub(" ", t) for t in texts if t]
        for name in find_names(prose, self._keep):
            self.add_name(name)

    def add_name(self, name: str) -> None:
        """Redact `name` (and its given name / surname alone) as one person from now on."""
        if name.casefold() in self._known_tokens or name.lower() in self._keep:
            return
        placeholder = self._people.get(name) or self._person(name)
        tokens = [name]
        parts = [p for p in name.split() if len(p) >= 3 and p[0].isupper()]
        if len(parts) > 1:
            tokens += [p for p in parts if p.casefold() not in self._known_tokens and p.lower() not in self._keep]
        for token in tokens:
            self._people.setdefault(token, placeholder)
        self._name_rules = sorted(
            ((_word_rule(tok), tok) for tok in self._people if not tok.startswith("@")), key=lambda rule: -len(rule[1])
        )

    def _person(self, key: str) -> str:
        placeholder = f"Person {_letters(len(set(self._people.values())))}"
        self._people[key] = placeholder
        return placeholder

    # ------------------------------------------------------------------------------ redacting
    def _scan_secrets(self, text: str) -> list[tuple[int, int]]:
        if not self._use_secrets:
            return []
        if self._scanner is None:
            from .secrets import SecretScanner

            self._scanner = SecretScanner()
        return self._scanner.spans(text)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """What `redact` would replace: (start, end, kind, key) in text order, overlaps resolved by priority.
        `kind` is one of KINDS, or `known:N` for the N-th people-map rule."""
        if not text:
            return []
        code = [m.span() for m in _CODE_RE.finditer(text)]

        def in_code(span: tuple[int, int]) -> bool:
            return any(s <= span[0] and span[1] <= e for s, e in code)

        found: list[tuple[int, int, int, str, str]] = []  # start, end, priority, kind, replacement-key
        for s, e in self._scan_secrets(text):
            found.append((s, e, _PRIORITY["secret"], "secret", text[s:e]))
        for s, e in patterns.email_spans(text):
            found.append((s, e, _PRIORITY["email"], "email", text[s:e].lower()))
        for s, e in patterns.ip_spans(text):
            found.append((s, e, _PRIORITY["ip"], "ip", text[s:e].lower()))
        for n, (rule, _role, _kind) in enumerate(self._known):
            found += [(m.start(), m.end(), _PRIORITY["known"], f"known:{n}", m.group(0)) for m in rule.finditer(text)]
        for s, e in patterns.handle_spans(text, self._keep):
            if not in_code((s, e)):
                found.append((s, e, _PRIORITY["handle"], "handle", text[s:e].lower()))
        for rule, token in self._name_rules:
            found += [
                (m.start(), m.end(), _PRIORITY["name"], "name", token)
                for m in rule.finditer(text)
                if not in_code(m.span())
            ]

        chosen: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []
        for s, e, _p, kind, key in sorted(found, key=lambda f: (f[2], f[0], -(f[1] - f[0]))):
            if s < e and not any(s < te and ts < e for ts, te in taken):
                taken.append((s, e))
                chosen.append((s, e, kind, key))
        return sorted(chosen)

    def kind_of(self, kind: str) -> str:
        """The reported kind of a `find` result (a people-map rule counts as a name or a handle)."""
        return self._known[int(kind.split(":", 1)[1])][2] if kind.startswith("known:") else kind

    def redact(self, text: str) -> str:
        out, last = [], 0
        for s, e, kind, key in self.find(text):
            out += [text[last:s], self._replacement(kind, key)]
            last = e
        out.append(text[last:])
        return "".join(out)

    def _replacement(self, kind: str, key: str) -> str:
        if kind.startswith("known:"):
            _rule, role, counted = self._known[int(kind.split(":", 1)[1])]
            self._seen[counted][role] += 1
            return role
        self._seen[kind][key] += 1
        if kind == "name":
            return self._people[key]
        if kind == "handle":
            return self._people.get(key) or self._person(key)
        label = {"email": "email", "ip": "IP", "secret": "secret"}[kind]
        number = self._numbered.get((kind, key))
        if number is None:
            number = f"[{label} {sum(1 for k, _ in self._numbered if k == kind) + 1}]"
            self._numbered[(kind, key)] = number
        return number

    def summary(self) -> RedactionSummary:
        result = RedactionSummary()
        for kind in KINDS:
            seen = self._seen[kind]
            if kind == "name":  # one person: full name and given name alone are one item
                result.items[kind] = len({self._people.get(k, k) for k in seen})
            else:
                result.items[kind] = len(seen)
            result.mentions[kind] = sum(seen.values())
        return result
