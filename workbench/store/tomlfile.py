"""incident.toml and taxonomy.toml <-> models.

Reading uses `tomllib` (fast, exact line numbers in errors). Writing goes through `tomlkit` so that
a file a person edited keeps its comments, key order and formatting: the new data is merged into
the parsed document, and a value that did not change keeps its original text. An unchanged model
therefore saves byte-identically, and editing one entry changes only that entry's lines.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import tomlkit
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, InlineTable, Item, Table, Whitespace

from ..domain.model import Incident
from .errors import LoadError, Problem

M = TypeVar("M", bound=BaseModel)

_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)


# --------------------------------------------------------------------------------------------- read
def parse_toml(text: str, path: Path) -> dict[str, Any]:
    conflict = _CONFLICT_RE.search(text)
    if conflict:
        at = text.count("\n", 0, conflict.start()) + 1
        raise LoadError([Problem(path, "git conflict markers left in the file; resolve the conflict first", at)])
    deep = _too_deep_key_line(text)
    if deep is not None:
        raise LoadError([Problem(path, f"not valid here: a key is nested more than {MAX_KEY_DEPTH} levels deep", deep)])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _LINE_RE.search(message)
        line = int(match.group(1)) if match else None
        if line is None and "at end of document" in message:
            line = max(1, len(text.splitlines()))  # an unclosed string or table runs to the last line
            message = message.replace("(at end of document)", "(at the end of the file)")
        message = _LINE_RE.sub("", message).strip()
        raise LoadError([Problem(path, f"not valid TOML: {message}", line)]) from None
    except RecursionError:
        raise LoadError([Problem(path, "not valid here: arrays or tables are nested too deeply")]) from None


MAX_KEY_DEPTH = 64  # real files nest 3-4 levels; tomllib takes seconds (quadratic) on 10,000-level dotted keys


def _too_deep_key_line(text: str) -> int | None:
    """The line of a dotted key or table header nested absurdly deep, found before tomllib runs."""
    if text.count(".") <= MAX_KEY_DEPTH:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") <= MAX_KEY_DEPTH:
            continue
        stripped = line.lstrip()
        key = stripped.lstrip("[") if stripped.startswith("[") else stripped.split("=", 1)[0]
        if key.count(".") > MAX_KEY_DEPTH:
            return number
    return None


def validate(model: type[M], data: dict[str, Any], text: str, path: Path) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # One scan of the text for every problem, and a dict to drop repeats: per-problem scans and a
        # list lookup made 1,000 problems take 14 s (quadratic); 10,000 now take well under a second.
        index = line_index(text)
        problems: dict[Problem, None] = {}
        for err in exc.errors(include_url=False):
            loc = _data_loc(tuple(err["loc"]), data, err.get("type") == "missing")
            # each branch of `int | float` reports the same thing: kept once, in first-seen order
            problems.setdefault(Problem(path, _explain(err), nearest_line(index, loc), field_name(loc, data)))
        raise LoadError(list(problems)) from None


def _data_loc(loc: tuple[Any, ...], data: Any, missing: bool) -> tuple[Any, ...]:
    """The part of a pydantic error location that names data in the file.

    Past a value, pydantic adds the union branch it tried ('value', 'int'); a person knows the field
    as `impact.users_affected.value`. A missing key is kept: it is the field to add.
    """
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            if part not in node:
                if missing:
                    out.append(part)  # the key to add
                break
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break  # past a value: union branch tags
        out.append(part)
    return tuple(out)


def decode_incident(text: str, path: Path) -> Incident:
    return validate(Incident, parse_toml(text, path), text, path)


def _explain(err: ErrorDetails) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field (misspelt, or from a newer version?)"
    if kind == "missing":
        return "required field is missing"
    message = str(err.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if kind == "literal_error":
        message = message.replace("Input should be", "expected")
    return message


def field_name(loc: tuple[Any, ...], data: dict[str, Any] | None = None) -> str:
    """('timeline', 2, 'time') -> 'timeline[2].time' (or 'timeline[t-3f9a].time' when the entry has an id)."""
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            entry_id = None
            if isinstance(node, list) and part < len(node) and isinstance(node[part], dict):
                entry_id = node[part].get("id")
            out += f"[{entry_id}]" if isinstance(entry_id, str) and entry_id else f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
        try:
            node = node[part] if node is not None else None
        except (KeyError, IndexError, TypeError):
            node = None
    return out


_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def line_index(text: str) -> dict[tuple[str, ...], int]:
    """Every table header and key of a TOML text by its path (array-of-tables entries by their index),
    each at the first line that names it. A light scan of headers and keys, good enough for messages:
    tomllib keeps no positions."""
    index: dict[tuple[str, ...], int] = {}
    aot_counts: dict[tuple[str, ...], int] = {}
    path: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        header = _HEADER_RE.match(line)
        if header:
            names = tuple(_unquote(p) for p in header.group(2).split("."))
            if header.group(1) == "[[":
                count = aot_counts.get(names, 0)
                aot_counts[names] = count + 1
                path = (*names, str(count))
            else:
                path = names
            index.setdefault(path, number)
            continue
        key = _KEY_RE.match(line)
        if key:
            index.setdefault((*path, *(_unquote(p) for p in key.group(1).split("."))), number)
    return index


def nearest_line(index: dict[tuple[str, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line holding the value at `loc` in a `line_index`, or that of its nearest enclosing table or key."""
    target = tuple(str(p) for p in loc)
    for end in range(len(target), 0, -1):
        line = index.get(target[:end])
        if line is not None:
            return line
    return None


def locate_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of `text` that holds the value at `loc`, or the nearest enclosing table's header.
    (Many lookups in one text: build `line_index` once and ask `nearest_line`.)"""
    return nearest_line(line_index(text), loc)


def _unquote(part: str) -> str:
    return part.strip().strip("\"'")


# -------------------------------------------------------------------------------------------- write
def to_data(model: BaseModel) -> dict[str, Any]:
    """The model as plain data with no default or empty values: nothing a reviewer has to skip."""
    data = model.model_dump(mode="python", exclude_defaults=True)
    data = _prune(data)
    if "schema_version" in type(model).model_fields:
        data = {
            "schema_version": vars(model)["schema_version"],
            **{k: v for k, v in data.items() if k != "schema_version"},
        }
    return data


def _prune(value: Any) -> Any:
    # Defaults are already gone (exclude_defaults); what is left empty here is a table whose every
    # field was default, or None, which TOML cannot write. An empty string that survived is a
    # value the model requires (FrameworkRef.framework = ""), so it must be written, not dropped.
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and not (isinstance(v, (dict, list)) and not v)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def render(data: dict[str, Any]) -> str:
    """A fresh file in canonical order: scalars, then tables, then one [[table]] per entry."""
    doc = tomlkit.document()
    _fill(doc, data, top=True)
    return _tidy(tomlkit.dumps(doc))


def merge(existing_text: str, data: dict[str, Any]) -> str:
    """`data` written into the document a person may have edited, keeping what did not change."""
    doc = tomlkit.parse(existing_text)
    _sync(doc, data, top=True)
    out = tomlkit.dumps(doc)
    # No reflowing of a file a person wrote: only make sure it ends with exactly one newline.
    return out if out == existing_text else out.rstrip("\n") + "\n"


def _tidy(text: str) -> str:
    tidy = re.sub(r"\n{3,}", "\n\n", text)
    # The blank-line squeeze cannot tell a run of blank lines between tables from one inside a
    # multi-line string ("a\n\n\nb"); keep it only when it changed no value.
    if tidy != text and tomllib.loads(tidy) != tomllib.loads(text):
        tidy = text
    return tidy.lstrip("\n").rstrip("\n") + "\n"


def _is_aot(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _scalar(value: Any) -> Item:
    if isinstance(value, str):
        # A TOML reader turns a CRLF inside a multi-line string into LF, so text holding "\r" is
        # written on one line with escapes: otherwise the "\r" would be lost on the next load.
        return tomlkit.string(value, multiline="\n" in value and "\r" not in value)
    if isinstance(value, datetime):
        # isoformat, not strftime: strftime("%Y") does not zero-pad years before 1000 on glibc,
        # which is not a valid TOML datetime. Microseconds are written only when present.
        return tomlkit.datetime(value.astimezone(timezone.utc).replace(tzinfo=None).isoformat() + "Z")
    if isinstance(value, date):
        return tomlkit.date(value.isoformat())
    if isinstance(value, list):
        array = tomlkit.array()
        for v in value:
            array.append(_scalar(v))
        if len(value) > 3 or sum(len(str(v)) for v in value) > 60:
            array.multiline(True)
        return array
    scalar: Item = tomlkit.item(value)
    return scalar


def _table(value: dict[str, Any], super_table: bool = False) -> Table:
    table = tomlkit.table(is_super_table=super_table)
    _fill(table, value)
    return table


def _fill(container: Any, data: dict[str, Any], top: bool = False) -> None:
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict) and not _is_aot(v)}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    aots = {k: v for k, v in data.items() if _is_aot(v)}
    for key, value in scalars.items():
        container.add(key, _scalar(value))
    for key, value in tables.items():
        only_tables = all(isinstance(v, dict) for v in value.values())
        container.add(key, _table(value, super_table=only_tables))
    for key, entries in aots.items():
        aot = tomlkit.aot()
        for entry in entries:
            aot.append(_table(entry))
        container.add(key, aot)


def _body(container: Any) -> Container:
    return container if isinstance(container, Container) else container.value


def _sync(container: Any, data: dict[str, Any], top: bool = False) -> None:
    for key in list(container.keys()):
        if key not in data:
            del container[key]
    order = list(data.keys())
    for index, (key, value) in enumerate(data.items()):
        if key in container:
            existing = container[key]
            if isinstance(value, dict) and isinstance(existing, (Table, InlineTable)):
                _sync(existing, value)
                continue
            if _is_aot(value) and isinstance(existing, AoT):
                _sync_aot(existing, value)
                continue
            if not isinstance(value, dict) and not _is_aot(value) and _same(existing, value):
                continue
            container[key] = _new_item(value)
            continue
        _insert(container, key, _new_item(value), order[index + 1 :])


def _new_item(value: Any) -> Any:
    if isinstance(value, dict):
        return _table(value, super_table=all(isinstance(v, dict) for v in value.values()))
    if _is_aot(value):
        aot = tomlkit.aot()
        for entry in value:
            aot.append(_table(entry))
        aot.body[-1].add(tomlkit.nl())  # a blank line before whatever follows the new list
        return aot
    return _scalar(value)


def _same(existing: Any, value: Any) -> bool:
    old = existing.unwrap() if hasattr(existing, "unwrap") else existing
    if isinstance(old, bool) != isinstance(value, bool):
        return False
    if isinstance(old, datetime) and isinstance(value, datetime):
        return old.tzinfo is not None and old == value
    return (
        type(old) is type(value)
        and old == value
        or (isinstance(old, (int, float)) and isinstance(value, (int, float)) and old == value)
    )


def _insert(container: Any, key: str, item: Any, after: list[str]) -> None:
    """Put a new key where the canonical order wants it, next to its neighbours that exist.

    tomlkit has no public "insert at" (the private Container._insert_after went away in 0.14), but
    its public append already places a scalar after the last scalar and a table after the last
    table. So the keys of the same kind that must come after the new one are taken out, the new
    key is appended, and they are appended back in order, each with its own layout (trivia).
    """
    body = _body(container)
    is_table_like = isinstance(item, (Table, AoT))
    later = set(after)
    moved: list[tuple[str, Any]] = []
    for k, existing in list(body.body):
        if k is None or k.key not in later:
            continue
        if isinstance(existing, (Table, AoT)) != is_table_like:
            continue
        moved.append((k.key, existing))
    for name, _ in moved:
        body.remove(name)
    container[key] = item
    for name, existing in moved:
        container[name] = existing


def _sync_aot(aot: AoT, entries: list[dict[str, Any]]) -> None:
    tables = list(aot.body)
    by_id = {t.get("id"): t for t in tables if isinstance(t.get("id"), str)}
    wanted: list[Table] = []
    for index, entry in enumerate(entries):
        if "id" in entry:
            table = by_id.get(entry["id"])
        else:
            # Entries without ids (impact.regulatory) pair up by position, so an unchanged list
            # is synced in place rather than rebuilt (which would reflow its blank lines).
            table = tables[index] if index < len(tables) and "id" not in tables[index] else None
        if table is not None:
            _sync(table, entry)
            wanted.append(table)
        else:
            fresh = _table(entry)
            fresh.add(tomlkit.nl())  # a blank line after it, like its neighbours
            wanted.append(fresh)
    if [id(t) for t in wanted] == [id(t) for t in tables]:
        return
    kept = [t for t in tables if any(t is w for w in wanted)]
    kept_in_wanted_order = [t for t in wanted if any(t is k for k in tables)]
    if [id(t) for t in kept] == [id(t) for t in kept_in_wanted_order]:
        # Only additions and deletions: touch just those entries, so the diff shows just them.
        for index in reversed(range(len(tables))):
            if not any(tables[index] is w for w in wanted):
                # Comments after a deleted entry's last key introduce what follows it (a section
                # header, say): hand them to the entry before, so they survive the deletion.
                trivia = _take_trailing_trivia(tables[index])
                if trivia and index > 0:
                    _append_trivia(tables[index - 1], trivia)
                del aot[index]
        for index, table in enumerate(wanted):
            if not any(table is t for t in tables):
                if index > 0:
                    _end_with_blank_line(wanted[index - 1])
                aot.insert(index, table)
        return
    while len(aot):
        del aot[0]
    for table in wanted:
        aot.append(table)


def rename_aot_ids(existing_text: str, key: str, renamed: dict[str, str]) -> str:
    """Change the `id` of entries of the array of tables `key` in place, so a merge keeps their lines."""
    doc = tomlkit.parse(existing_text)
    entries = doc.get(key)
    if not isinstance(entries, AoT):
        return existing_text
    for table in entries.body:
        old = table.get("id")
        if isinstance(old, str) and str(old) in renamed:
            table["id"] = renamed[str(old)]
    return tomlkit.dumps(doc)


def _last_subtable(table: Table) -> Table:
    body = _body(table).body
    if body and isinstance(body[-1][1], Table):
        return _last_subtable(body[-1][1])
    return table


def _take_trailing_trivia(table: Table) -> list[Item]:
    """Pop the comments and blank lines at the very end of a table (or of its last sub-table)."""
    body = _body(_last_subtable(table)).body
    out: list[Item] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], (Comment, Whitespace)):
        out.insert(0, body.pop()[1])
    return out if any(isinstance(item, Comment) for item in out) else []


def _end_with_blank_line(table: Table) -> None:
    """An entry with sub-tables (`[diagnostics.result]`) ends on its last key; the next entry needs a blank line."""
    body = _body(_last_subtable(table))
    if body.body and not isinstance(body.body[-1][1], Whitespace):
        body.append(None, Whitespace("\n"))


def _append_trivia(table: Table, trivia: list[Item]) -> None:
    target = _body(_last_subtable(table))
    if target.body and isinstance(target.body[-1][1], Whitespace) and isinstance(trivia[0], Whitespace):
        trivia = trivia[1:]  # no double blank line where two entries' trailing space meet
    for item in trivia:
        target.append(None, item)


def encode_incident(incident: Incident, existing_text: str | None = None) -> str:
    data = to_data(incident)
    if existing_text is None or not existing_text.strip():
        return render(data)
    return merge_model(existing_text, incident)


def merge_model(existing_text: str, model: BaseModel) -> str:
    """`model` written into a file a person may have edited.

    A fresh file leaves out default values, but a default that the author wrote on purpose
    (`kind = "incident"`) stays: dropping it would be an edit the user never made.
    """
    try:
        existing = tomllib.loads(existing_text)
    except tomllib.TOMLDecodeError:
        existing = {}
    return merge(existing_text, keep_explicit(to_data(model), model.model_dump(mode="python"), existing))


def keep_explicit(data: dict[str, Any], full: dict[str, Any], existing: dict[str, Any]) -> dict[str, Any]:
    """`data` (defaults left out) plus every default-valued key the existing file already has, in model order.

    `full` is the complete dump of the model; `existing` the file as plain data.
    """
    out: dict[str, Any] = {}
    for key, value in full.items():
        old = existing.get(key) if isinstance(existing, dict) else None
        if key in data:
            new = data[key]
            if isinstance(new, dict) and isinstance(value, dict) and isinstance(old, dict):
                new = keep_explicit(new, value, old)
            elif _is_aot(new) and isinstance(value, list) and isinstance(old, list):
                new = [_keep_entry(entry, value[i], old, i) for i, entry in enumerate(new)]
            out[key] = new
        elif key in existing and value is not None:
            if isinstance(value, dict):
                if isinstance(old, dict):
                    kept = keep_explicit({}, value, old)
                    if kept or not old:
                        out[key] = kept
            elif not (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
                out[key] = value
    # Keys the model does not know (data from elsewhere) pass through as given.
    for key, value in data.items():
        out.setdefault(key, value)
    return out


def _keep_entry(entry: dict[str, Any], full: dict[str, Any], old_list: list[Any], index: int) -> dict[str, Any]:
    if "id" in entry:
        old = next((o for o in old_list if isinstance(o, dict) and o.get("id") == entry["id"]), None)
    else:
        old = old_list[index] if index < len(old_list) and isinstance(old_list[index], dict) else None
    return keep_explicit(entry, full, old) if isinstance(old, dict) else entry
