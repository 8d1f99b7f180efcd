"""POST a JSON payload to a webhook, with bounded retries and exponential backoff (standard library only).

Retried: connection errors and timeouts, HTTP 429 (after Retry-After, capped) and 5xx. Not retried: other
4xx (a wrong URL or a revoked Slack webhook will not heal by asking again). The URL is a secret for Slack
(it carries the token), so messages name only its scheme and host.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_DELAY = 30.0


class WebhookError(Exception):
    pass


@dataclass
class Delivery:
    status: int
    attempts: int
    notes: list[str] = field(default_factory=list)


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"--webhook {where(url) if parts.scheme else url[:20]!r}: give an http(s) URL")


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST `payload`; up to `retries` more attempts after the first, waiting backoff, 2*backoff, ... seconds."""
    check_url(url)
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    notes: list[str] = []
    for attempt in range(1, retries + 2):
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "postmortem-workbench"},
        )
        delay = min(MAX_DELAY, backoff * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked
                return Delivery(response.status, attempt, notes)
        except urllib.error.HTTPError as exc:
            if exc.code != 429 and exc.code < 500:
                raise WebhookError(f"{where(url)} refused the message: HTTP {exc.code} {exc.reason}") from None
            notes.append(f"attempt {attempt}: HTTP {exc.code}")
            retry_after = exc.headers.get("Retry-After") if exc.headers else None
            if retry_after and retry_after.isdigit():
                delay = min(MAX_DELAY, float(retry_after))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            notes.append(f"attempt {attempt}: {reason}")
        if attempt <= retries:
            sleep(delay)
    raise WebhookError(f"could not deliver to {where(url)} after {retries + 1} attempts ({'; '.join(notes)})")
