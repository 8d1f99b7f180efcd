"""Token helpers every blame grammar module uses (directive, shapes, tone, framing, grammar): one definition, so
the modules agree on how a word is compared and where a pattern's match lands in a parsed sentence."""

from __future__ import annotations

from typing import Any


def low(token: Any) -> str:
    """A token as compared with the word lists: lower case, no surrounding space."""
    return str(token.lower_).strip()


def token_at(sent: Any, offset: int) -> Any:
    """The first token of `sent` at or after character `offset` of its doc (a regex match's start), else its first
    token."""
    return next((t for t in sent if t.idx >= offset), sent[0])
