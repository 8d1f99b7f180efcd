"""The command line's own error (exit 2, one line), apart from common.py so that parsing needs no store."""

from __future__ import annotations


class CliError(Exception):
    pass
