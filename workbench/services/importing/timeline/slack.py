"""Slack workspace export: users.json, channels.json, and one folder per channel holding one JSON
file per day (`2025-08-05.json`), each a list of messages with `ts`, `user`, `text`, and
`thread_ts`/`parent_user_id` on thread replies."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .base import Candidate, ImportOptions, ImportProblem, ImportResult, guess_kind, load_json, one_line

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_SKIP_SUBTYPES = {"channel_join", "channel_leave", "channel_purpose", "channel_topic", "bot_add", "bot_remove"}
_MENTION = re.compile(r"<@([A-Z0-9]+)>")


def _names(root: Path, label: str, result: ImportResult, file: str, key: str) -> dict[str, Any]:
    path = root / file
    if not path.is_file():
        return {}
    doc = load_json(path, f"{label}/{file}", result)
    if doc is None or not isinstance(doc.data, list):
        return {}
    return (
        {item["id"]: item for item in doc.data if isinstance(item, dict) and item.get("id")}
        if key == "id"
        else {item["name"]: item for item in doc.data if isinstance(item, dict) and item.get("name")}
    )


def read_slack(path: Path, opts: ImportOptions) -> ImportResult:
    result = ImportResult()
    label = opts.label or path.name
    if path.is_file():
        root, channel_dirs = path.parent.parent, [path.parent]
        files_of = {path.parent: [path]}
    elif any(_DAY.match(p.name) for p in path.glob("*.json")):
        root, channel_dirs = path.parent, [path]
        files_of = {}
    else:
        root = path
        channel_dirs = sorted(p for p in path.iterdir() if p.is_dir())
        files_of = {}
    if not path.exists():
        result.problems.append(ImportProblem(label, None, "", "no such file or folder"))
        return result
    users = _names(root, label, result, "users.json", "id")
    channels = _names(root, label, result, "channels.json", "name")
    for folder in channel_dirs:
        channel = folder.name
        if opts.channel and channel != opts.channel.lstrip("#"):
            continue
        channel_id = (channels.get(channel) or {}).get("id")
        for day in files_of.get(folder) or sorted(p for p in folder.glob("*.json") if _DAY.match(p.name)):
            file_label = f"{label}/{channel}/{day.name}" if path.is_dir() else label
            doc = load_json(day, file_label, result)
            if doc is None:
                continue
            if not isinstance(doc.data, list):
                result.problems.append(ImportProblem(file_label, 1, "", "expected a list of messages"))
                continue
            for message in doc.data:
                _message(message, doc.line_of(message), channel, channel_id, file_label, users, opts, result)
    return result


def _user_name(users: dict[str, Any], user_id: str | None) -> str:
    if not user_id:
        return "someone"
    user = users.get(user_id) or {}
    profile = user.get("profile") or {}
    return (
        profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name") or user_id
    )


def _message(
    message: Any,
    line: int | None,
    channel: str,
    channel_id: str | None,
    label: str,
    users: dict[str, Any],
    opts: ImportOptions,
    result: ImportResult,
) -> None:
    if not isinstance(message, dict):
        result.problems.append(ImportProblem(label, line, "", "expected a message object"))
        return
    if message.get("subtype") in _SKIP_SUBTYPES:
        result.skipped += 1
        return
    ts = message.get("ts")
    if not isinstance(ts, str) or not re.fullmatch(r"\d{9,10}(\.\d+)?", ts):
        result.problems.append(ImportProblem(label, line, "ts", f"missing or not a Slack timestamp: {ts!r}"))
        return
    when = datetime.fromtimestamp(float(ts), timezone.utc)
    if not opts.in_window(when):
        result.skipped += 1
        return
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        result.problems.append(ImportProblem(label, line, "text", "message has no text"))
        return
    text = _MENTION.sub(lambda m: "@" + _user_name(users, m.group(1)), text)
    user_id = message.get("user")
    who = _user_name(users, user_id) if user_id else (message.get("username") or message.get("bot_id") or "someone")
    thread = message.get("thread_ts")
    reply = isinstance(thread, str) and thread != ts
    where = f"#{channel}" + (" (thread reply)" if reply else "")
    event = f"{where} {who}: {one_line(text, 300)}"
    source = f"{label}:{line} ts={ts}" if line else f"{label} ts={ts}"
    if opts.link_base and channel_id:
        link = f"{opts.link_base.rstrip('/')}/archives/{channel_id}/p{ts.replace('.', '')}"
        if reply:
            link += f"?thread_ts={thread}&cid={channel_id}"
        source = f"{link} ({source})"
    result.candidates.append(
        Candidate(when, event, guess_kind(text, "communication"), source, one_line(message, 2000), label.split("/")[0])
    )
