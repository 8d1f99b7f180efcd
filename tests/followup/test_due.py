"""`workbench due`: overdue actions, follow-ups coming due, resurfaced closed incidents, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from learning_store import TODAY, learning_copy, learning_root, learning_store  # noqa: F401

from workbench.cli import main
from workbench.services.followup.due import due_report
from workbench.store import Store


def test_due_report_on_the_fixture_store(learning_store: Store) -> None:  # noqa: F811
    report = due_report([r.incident for r in learning_store.load_all().records], TODAY, within=14)
    assert len(report.overdue_actions) == 12
    first = report.overdue_actions[0]
    assert (first.incident_id, first.action_id, first.days) == ("2025-05-06-checkpoint-mis-resume", "AI-001", -199)
    assert [(a.incident_id, a.days) for a in report.upcoming_actions] == [
        ("2025-12-02-browser-agent-tool-output-injection", 10)
    ]
    assert [(f.incident_id, f.days, f.resurfaced) for f in report.follow_ups] == [
        ("2025-07-01-internal-ca-cert-expiry", -106, False),
        ("2025-06-24-sycophancy-after-feedback-tune", -22, False),
        ("2025-03-04-hr-bot-stale-leave-policy", -5, False),
        ("2025-08-12-system-prompt-leak", -3, True),  # closed, date passed: resurfaced
        ("2025-06-10-eval-metric-misspecified", 0, True),  # closed, date is today: resurfaced, not overdue
        ("2025-05-20-rag-poisoned-wiki-page", 5, False),
    ]
    assert report.counts() == {
        "overdue_actions": 12,
        "upcoming_actions": 1,
        "follow_ups": 6,
        "overdue_follow_ups": 4,
        "resurfaced": 2,
    }
    assert report.anything_overdue


def test_window_widens_with_within(learning_store: Store) -> None:  # noqa: F811
    incidents = [r.incident for r in learning_store.load_all().records]
    assert len(due_report(incidents, TODAY, within=0).upcoming_actions) == 0
    # 2026-01-25 (10 days), 2026-01-31 (16 days)
    assert len(due_report(incidents, TODAY, within=16).upcoming_actions) == 2


def test_exit_status_one_when_overdue_and_zero_when_not(
    learning_copy: Store,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = str(learning_copy.root)
    assert main(["--store", root, "due", "--today", "2026-01-15"]) == 1
    out = capsys.readouterr().out
    assert "Overdue actions (12)" in out
    assert "2025-08-12-system-prompt-leak follow-up 2026-01-12 (3 days overdue, stage closed)  RESURFACED" in out
    # The environment variable works the same way as the hidden flag.
    monkeypatch.setenv("WORKBENCH_TODAY", "2023-06-01")
    assert main(["--store", root, "due"]) == 0
    assert "Overdue actions (0)" in capsys.readouterr().out
    monkeypatch.setenv("WORKBENCH_TODAY", "not-a-date")
    assert main(["--store", root, "due"]) == 2
    assert "WORKBENCH_TODAY='not-a-date' is not a date" in capsys.readouterr().err


def test_json_and_a_real_subprocess_exit_code(learning_copy: Store, tmp_path) -> None:  # noqa: F811
    code = "import sys; from workbench.cli import main; sys.exit(main())"
    proc = subprocess.run(
        [sys.executable, "-c", code, "--store", str(learning_copy.root), "due", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "WORKBENCH_TODAY": "2026-01-15"},
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["counts"]["overdue_actions"] == 12 and data["anything_overdue"] is True
    assert data["follow_ups"][3]["resurfaced"] is True


def test_recording_a_held_follow_up_stops_the_resurfacing(
    learning_copy: Store,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = str(learning_copy.root)
    assert main(["--store", root, "followup", "2025-08-12-system-prompt-leak", "--on", "2026-01-14"]) == 0
    subject = subprocess.run(["git", "-C", root, "log", "-1", "--format=%s"], capture_output=True, text=True).stdout
    assert subject.strip() == "2025-08-12-system-prompt-leak: tracking: follow-up review held on 2026-01-14"
    incident = learning_copy.load("2025-08-12-system-prompt-leak").incident
    assert incident.follow_up_held == date(2026, 1, 14)
    report = due_report([r.incident for r in learning_copy.load_all().records], TODAY)
    assert "2025-08-12-system-prompt-leak" not in [f.incident_id for f in report.follow_ups]
    assert main(["--store", root, "followup", "2025-11-18-label-leakage-churn"]) == 2
    assert "has no follow-up review date" in capsys.readouterr().err


@pytest.mark.parametrize("shift", [-400, -30, 0, 1, 45, 365])
@pytest.mark.parametrize("within", [0, 14, 90])
def test_due_counts_from_excerpts_equal_the_full_report(
    learning_store: Store,  # noqa: F811
    shift: int,
    within: int,
) -> None:
    """The start screen counts from the index's listing; excerpts and listing must agree with `workbench due`."""
    from datetime import timedelta

    from workbench.services.followup.due import due_counts, due_counts_of_columns
    from workbench.services.search import SearchEngine
    from workbench.services.search.listing import read_listing

    engine = SearchEngine(learning_store.root)
    engine.open()
    today = TODAY + timedelta(days=shift)
    full = due_report([r.incident for r in learning_store.load_all().records], today, within).counts()
    assert due_counts(engine.excerpts(), today, within) == full
    # And from the list's columns (the rows the start screen lists: those that load), as the list counts them.
    listing = read_listing(learning_store.root)
    assert listing is not None
    good = [r for r in range(len(listing.columns)) if r not in listing.columns.problems]
    assert due_counts_of_columns(listing.columns, good, today, within) == full
    assert sum(full.values()) > 0 or shift == -400  # the grid exercises real counts, not only zeros
