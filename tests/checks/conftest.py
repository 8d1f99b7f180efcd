"""A small incident factory for the check tests: only what each test row sets differs from a clean P2."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from workbench.domain.model import Incident


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def build(**fields: Any) -> Incident:
    data: dict[str, Any] = {"id": "2025-03-04-example", "title": "Example", "severity": "P2", "review": "light"}
    data.update(fields)
    return Incident.model_validate(data)


@pytest.fixture
def make():
    return build
