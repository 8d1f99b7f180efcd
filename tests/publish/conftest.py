"""A store to publish: the bundled examples, plus a P2 incident with a rare word in its narrative only, a
private incident (tagged `private`) and a people map, so privacy, redaction and search can be checked."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from store_templates import copy_of

from workbench.domain.model import ActionItem, Cause, Incident, KeyTimes, TimelineEntry
from workbench.store import Store

RARE = "quokkalantern"  # only in the narrative of RAG_ID
RAG_ID = "2025-03-02-rag-index-drift"
PRIVATE_ID = "2025-04-10-secret-eval-leak"
SECRET_WORD = "heliotropesecret"  # only in the private incident


def _t(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=timezone.utc)


@pytest.fixture
def site_store(example_template: Path, tmp_path: Path) -> Store:
    store = copy_of(example_template, tmp_path / "store")
    rag = Incident(
        id=RAG_ID,
        title="RAG answers drifted after an index rebuild",
        severity="P2",
        stage="analysis",
        commander="Dana Kim",
        summary="Retrieval returned stale chunks for two days.",
        taxonomy=["rag-retrieval.index-staleness"],
        times=KeyTimes(started=_t(2, 9), detected=_t(3, 10)),
        timeline=[
            TimelineEntry(id="t-0001", time=_t(2, 9), event="Index rebuilt with the old embedder"),
            TimelineEntry(id="t-0002", time=_t(3, 10), event="Dana Kim notices stale answers"),
        ],
        causes=[
            Cause(
                id="c-0001",
                statement="Embedder version not pinned in the rebuild job",
                kind="proximate",
                status="confirmed",
                category="data",
            ),
            Cause(
                id="c-0002",
                statement="No freshness eval on retrieval",
                kind="contributing",
                category="evaluation",
                parent="c-0001",
            ),
        ],
        actions=[ActionItem(id="AI-001", action="Pin the embedder version", owner="Dana Kim", due=date(2025, 4, 1))],
    )
    # The report prints one executive summary, the Summary field: the rare word sits in a section it prints.
    narrative = (
        f"## Technical Analysis\n\nThe {RARE} rebuild used the wrong embedder; Dana Kim found it.\n\n"
        "![dashboard](https://grafana.example.com/render/d.png)\n\n"
        "See [the runbook](https://wiki.example.com/rag).\n"
    )
    store.create(rag, narrative)
    secret = Incident(
        id=PRIVATE_ID,
        title=f"Private: eval set leaked ({SECRET_WORD})",
        severity="P0",
        tags=["private"],
        times=KeyTimes(started=datetime(2025, 4, 10, 8, tzinfo=timezone.utc)),
    )
    store.create(secret, f"## Executive Summary\n\n{SECRET_WORD} details.\n")
    (store.root / "people.toml").write_text(
        '[[people]]\nname = "Dana Kim"\nhandles = ["@dana"]\nrole = "Retrieval on-call"\n', encoding="utf-8"
    )
    return store
