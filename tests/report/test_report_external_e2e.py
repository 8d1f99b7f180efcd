"""`workbench report ID --audience external --format html`, run as a user runs it, on a store built here:
the file loads nothing from outside, no secret, email, IP address, handle or name survives, the command says
what it redacted, and the store is left exactly as it was."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from datetime import datetime, timezone

from .test_report_offline import loads_of

from workbench.domain.model import ActionItem, Cause, Incident, TimelineEntry
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store

SECRETS = [
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_Z8x1Qw2Er3Ty4Ui5Op6As7Df8Gh9Jk0LmNbVc",
    "sk-proj-Xq7mN2pL9vR4tY8wZ1aB3cD5eF6gH0jKT3BlbkFJuI9oP2aS4dF6gH8jK1lZ3xC5",
    "xoxb-918273645501-4455667788990-QwErTyUiOpAsDfGhJkLzXcVb",
    "Zq9xW2mK7vLp",
]
EMAILS = ["priya.raman@example.com", "support@acme-example.com"]
IPS = ["203.0.113.47", "10.42.17.203", "2001:db8:85a3::8a2e:370:7334"]
NAMES = [
    "Priya Raman",
    "Priya",
    "Raman",
    "Marcus Feld",
    "Marcus",
    "Feld",
    "Yuki Tanaka",
    "Yuki",
    "Tanaka",
    "Dana Kim",
    "Kevin",
]
HANDLES = ["@jlindqvist", "@mchen"]
IMAGES = ["https://images.example.net/spike.png", "//tracker.example.net/pixel.gif", "https://cdn.example.net/b.png"]

NARRATIVE = f"""## Detection & Initial Response

Priya Raman paged Marcus Feld at 14:05 UTC after p99_latency_ms on inference-gateway crossed 2 s.
It was Kevin's change to the retry budget, said the first draft; the review rewrote it as a missing check.

## Technical Analysis

The notebook held `OPENAI_API_KEY={SECRETS[2]}` and the CI log printed AWS_ACCESS_KEY_ID={SECRETS[0]}.
Yuki Tanaka found {SECRETS[1]} in the ml-eval repository; @jlindqvist revoked it and @mchen rotated
{SECRETS[3]}. The redis config had password: {SECRETS[4]} in clear text.

Scraping came from {IPS[0]} and {IPS[2]}; pod {IPS[1]} never got scheduled. Customers wrote to {EMAILS[1]}.
Claude 3.5 Sonnet kept answering; commit 4e1f9a2c7b3d5e8f0a6c1b9d2e7f4a3c8b5d0e6f fixed the retry budget.

![load spike]({IMAGES[0]})

<IMG SRC="{IMAGES[1]}" ALT="pixel"> <img alt="dashboard" srcset="{IMAGES[2]} 2x">
"""


def make_store(root) -> Store:
    store = Store.init(root, default_taxonomy_text())
    t = datetime(2025, 8, 5, 14, 5, tzinfo=timezone.utc)
    incident = Incident(
        id="2025-08-05-retry-storm",
        title="Retry storm after a retry-budget change",
        severity="P1",
        commander="Dana Kim",
        lead="@mchen",
        summary=f"Reported by {EMAILS[0]} from {IPS[0]}.",
        systems=["inference-gateway"],
        models=["claude-3-5-sonnet"],
        timeline=[
            TimelineEntry(
                id="t-0001", time=t, event="Priya Raman paged Marcus Feld", source="@jlindqvist", kind="detection"
            )
        ],
        causes=[
            Cause(
                id="c-0001",
                statement="Retry budget doubled without a load test",
                kind="proximate",
                status="confirmed",
                category="process",
                evidence=["t-0001"],
            )
        ],
        actions=[
            ActionItem(
                id="AI-001",
                action="Gate retry-budget changes on a load test",
                owner="Yuki Tanaka",
                priority="P1",
                addresses=["c-0001"],
            )
        ],
    )
    store.create(incident, NARRATIVE)
    return store


def content(store: Store) -> dict:
    """Every file of the store's content (git's own folder and the per-machine .workbench cache aside)."""
    return {
        p: p.read_bytes()
        for p in store.root.rglob("*")
        if p.is_file() and not {".git", ".workbench"} & set(p.relative_to(store.root).parts)
    }


def git(store: Store, *args: str) -> str:
    return subprocess.run(["git", "-C", str(store.root), *args], capture_output=True, text=True, check=True).stdout


def test_external_html_report_is_inert_and_redacted_and_leaves_the_store_alone(tmp_path):
    store = make_store(tmp_path / "store")
    head, status = git(store, "rev-parse", "HEAD"), git(store, "status", "--porcelain", "--ignored")
    files = content(store)
    out = tmp_path / "shared" / "report.html"
    out.parent.mkdir()
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "--store",
            str(store.root),
            "report",
            "2025-08-05-retry-storm",
            "--audience",
            "external",
            "--format",
            "html",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = [line for line in result.stderr.splitlines() if line.startswith("Redacted for sharing:")]
    assert len(summary) == 1
    assert "email addresses 2" in summary[0] and "IP addresses 3" in summary[0]
    assert "secrets and tokens 5" in summary[0] and "handles 2" in summary[0]

    doc = out.read_text(encoding="utf-8")
    finder = loads_of(doc)
    assert finder.loads == [] and len(finder.csp) == 1
    assert not re.search(r"""\b(?:src|srcset|poster|background)\s*=""", doc, re.I)
    for url in IMAGES:  # each image is a link the reader may follow, never a load
        assert f'href="{"https:" + url if url.startswith("//") else url}" class="image-link"' in doc
    text = html.unescape(doc)
    for value in [*SECRETS, *EMAILS, *IPS, *HANDLES]:
        assert value not in text, value
    for name in NAMES:
        assert not re.search(rf"(?<![\w@]){re.escape(name)}(?!\w)", text), name
    assert "Redacted for sharing:" in text  # the reader is told too
    # What the reader needs stays: ids, model and system names, metrics, commit hashes, the story.
    for needed in [
        "2025-08-05-retry-storm",
        "AI-001",
        "c-0001",
        "Claude 3.5 Sonnet",
        "inference-gateway",
        "p99_latency_ms",
        "4e1f9a2c7b3d5e8f0a6c1b9d2e7f4a3c8b5d0e6f",
        "OPENAI_API_KEY=",
        "AWS_ACCESS_KEY_ID=",
        "Person A",
        "[secret 1]",
        "[email 1]",
        "[IP 1]",
        "Incident Commander",
    ]:
        assert needed in text, needed

    # Redaction reads the store and writes only the file asked for.
    assert git(store, "rev-parse", "HEAD") == head
    assert git(store, "status", "--porcelain", "--ignored") == status
    assert content(store) == files
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]
