"""Redaction for sharing: names, @handles, emails, IP addresses and secrets replaced by stable placeholders.

The heavy libraries (spaCy, detect-secrets) are imported only when text is redacted; importing this package
costs nothing. See engine.py for what is replaced and where.
"""

from .engine import KIND_LABELS, KINDS, RedactionSummary, Redactor

__all__ = ["KINDS", "KIND_LABELS", "RedactionSummary", "Redactor"]
