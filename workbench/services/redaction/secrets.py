"""Secrets and tokens, found by Yelp's detect-secrets (imported only when something is redacted).

Two public entry points of detect-secrets do the work:
- `detect_secrets.core.scan.scan_line` with the settings below: every regex detector the library ships (AWS,
  GitHub, GitLab, OpenAI, Slack, Stripe, JWT, private keys, npm, PyPI, basic-auth URLs, ...), its quoted
  `password = "..."` keyword rule and its Base64 high-entropy scan. `scan_line` is the library's ad-hoc mode,
  which also offers every unquoted word to the entropy plugin, so those hits are kept only above the plugin's
  own entropy limit, when at least 20 characters long, holding letters and either digits or both cases, and
  not a path (a `/`-separated value with a plain lower-case word as one segment).
- `KeywordDetector.analyze_line` read as a config file, for `password: hunter2x` / `DB_PASSWORD=...` lines
  without quotes. Values that are one plain word ("password: rotated") or several words are not secrets.

Left out on purpose: the hex high-entropy plugin (commit hashes, sha256 digests and trace ids are what a
reader needs, and pure hex is never an API key format the regex detectors know) and the public-IP plugin
(addresses are their own kind, see patterns.py). Verification (which would call the providers' APIs) stays
off: the default settings hold no verification filter, and nothing here leaves the machine.
A private-key block is removed whole, from its BEGIN line to its END line.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Span = tuple[int, int]

_EXCLUDED_PLUGINS = frozenset({"HexHighEntropyString", "IPPublicDetector"})
_ENTROPY_TYPE = "Base64 High Entropy String"
_MIN_ENTROPY_LENGTH = 20
_ASSIGNED_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*[=:]")
_PLAIN_WORD_RE = re.compile(r"^[A-Za-z][a-z]*[.,;]?$")
# The header, then either everything up to its END line, or (a block cut short) the key lines that follow.
_KEY_BLOCK_RE = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:(?:(?!-----)[\s\S])*?-----END[A-Z0-9 ]*PRIVATE KEY"
    r"(?: BLOCK)?-----|(?:[ \t]*\n[ \t]*[A-Za-z0-9+/=]{16,}[ \t]*)*)"
)
# detect-secrets keeps its settings in a process-wide singleton: one scan at a time.
_LOCK = threading.Lock()


class SecretScanner:
    """Finds secret spans in text. Build one per export: the plugin set is fixed at construction."""

    def __init__(self) -> None:
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString
        from detect_secrets.plugins.keyword import KeywordDetector

        classes: Iterable[type] = get_mapping_from_secret_type_to_class().values()
        self._config = {"plugins_used": [{"name": c.__name__} for c in classes if c.__name__ not in _EXCLUDED_PLUGINS]}
        self._entropy = Base64HighEntropyString()
        self._keyword = KeywordDetector()

    def spans(self, text: str) -> list[Span]:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import transient_settings

        out = [m.span() for m in _KEY_BLOCK_RE.finditer(text)]
        with _LOCK, transient_settings(self._config):
            offset = 0
            for line in text.split("\n"):
                if line.strip():
                    for value in self._values(line, scan_line):
                        out.extend((offset + s, offset + e) for s, e in _occurrences(line, value))
                offset += len(line) + 1
        return _merged(out)

    def _values(self, line: str, scan_line: Callable[..., Iterable[Any]]) -> Iterator[str]:
        from detect_secrets.filters.heuristic import is_prefixed_with_dollar_sign, is_templated_secret

        for secret in scan_line(line):
            value = secret.secret_value or ""
            if secret.type == _ENTROPY_TYPE:
                value = self._entropy_value(value)
            if value:
                yield value
        for secret in self._keyword.analyze_line(filename="redaction.ini", line=line):
            # In prose the rule takes the rest of the sentence ("password: Zq9x... in clear text"): the first
            # token is the value; a plain word ("password: rotated at 14:05") is not a secret.
            words = (secret.secret_value or "").split()
            value = words[0].strip("'\"`,;.") if words else ""
            if (
                len(value) >= 6
                and not _PLAIN_WORD_RE.match(value)
                and not is_templated_secret(value)
                and not is_prefixed_with_dollar_sign(value)
            ):
                yield value

    def _entropy_value(self, value: str) -> str:
        value = _ASSIGNED_RE.sub("", value)  # OPENAI_API_KEY=sk-... : the name stays, the value goes
        if len(value) < _MIN_ENTROPY_LENGTH or not re.search(r"[A-Za-z]", value):
            return ""
        if not re.search(r"\d", value) and not (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value)):
            return ""  # one-case words glued together ("kubernetes-control-plane") are not keys
        if re.fullmatch(r"[0-9a-fA-F-]+", value):  # hashes, trace ids, uuids: see the module note
            return ""
        if "/" in value and any(re.fullmatch(r"[a-z]{3,}(?:-[a-z]+)*", part) for part in value.split("/")):
            return ""  # a path or URL path ("com/org/Repo-2/issues/19"): a key has no plain-word segment
        if self._entropy.calculate_shannon_entropy(value) <= self._entropy.entropy_limit:
            return ""
        return value


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping finds of one secret (a Discord token and its high-entropy tail) become one span."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _occurrences(line: str, value: str) -> Iterator[Span]:
    start = line.find(value)
    while start >= 0:
        yield start, start + len(value)
        start = line.find(value, start + len(value))
