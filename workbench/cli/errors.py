"""The command line's own error (exit 2, one line), apart from common.py so that parsing needs no store,
and how any error becomes that one line."""

from __future__ import annotations

import sys


class CliError(Exception):
    pass


def validation_line(exc: BaseException) -> str:
    """A pydantic ValidationError as one readable line: `field: message; field: message` (no URLs, no
    input dumps, no 'Value error,' prefixes). Other errors: their text on one line."""
    errors = getattr(exc, "errors", None)
    if callable(errors) and type(exc).__name__ == "ValidationError":
        parts = []
        for err in errors(include_url=False):
            loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
            msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
        return "; ".join(dict.fromkeys(parts))
    return one_line(str(exc))


def one_line(text: str) -> str:
    return " ".join(text.split())


def handled_line(exc: BaseException) -> str | None:
    """The one line to print for an error the command line reports itself (exit 2), or None for a bug."""
    if isinstance(exc, (CliError, FileNotFoundError, FileExistsError)):
        return one_line(str(exc))
    # StoreError and pydantic are checked only when imported: they cannot have raised otherwise, and
    # importing them here would cost every command git and the domain models.
    store_errors = sys.modules.get("workbench.store.errors")
    if store_errors is not None and isinstance(exc, store_errors.StoreError):
        return one_line(str(exc))
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and isinstance(exc, pydantic.ValidationError):
        return validation_line(exc)
    if isinstance(exc, OSError):  # permission denied, a full disk, a folder where a file was expected
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    return None
