"""Stats against figures computed by hand (see the comments), on five small incidents."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from learning_store import TODAY as TODAY_LEARNING, learning_root, learning_store, write_incidents  # noqa: F401

from workbench.cli import main
from workbench.domain.model import ActionItem, Cause, Incident, KeyTimes
from workbench.domain.taxonomy import Taxonomy
from workbench.services.bundled import default_taxonomy_text
from workbench.services.learning.charts import bar, sparkline
from workbench.services.learning.stats import Medians, compute_stats, quarter_range
from workbench.cli.stats_text import render_stats
from workbench.services.taxonomy.edit import rename_mode
from workbench.store import Store

TODAY = date(2025, 6, 15)


def times(start: str, detect: int | None, mitigate: int | None, resolve: int | None) -> KeyTimes:
    t0 = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
    at = lambda m: t0 + timedelta(minutes=m) if m is not None else None  # noqa: E731
    return KeyTimes(started=t0, detected=at(detect), mitigated=at(mitigate), resolved=at(resolve))


def act(n: int, status: str, due: str | None = None) -> ActionItem:
    return ActionItem(
        id=f"AI-{n:03d}", action=f"action {n}", status=status, due=date.fromisoformat(due) if due else None
    )


INCIDENTS = [
    # S1 2025Q1 P1: detect 10, mitigate 30, resolve 60
    Incident(
        id="s1",
        title="S1",
        severity="P1",
        times=times("2025-01-10T00:00", 10, 30, 60),
        taxonomy=["rag-retrieval.index-staleness"],
        causes=[Cause(id="c-1", statement="Freshness of the search collection was never checked")],
        actions=[act(1, "done"), act(2, "open", "2025-02-01")],
    ),
    # S2 2025Q1 P1: 20 / 50 / 200; index staleness on a cause, bad deploy on the incident
    Incident(
        id="s2",
        title="S2",
        severity="P1",
        times=times("2025-02-20T00:00", 20, 50, 200),
        taxonomy=["infrastructure.bad-deploy"],
        causes=[
            Cause(id="c-1", statement="A config push disabled the crawler", taxonomy=["rag-retrieval.index-staleness"])
        ],
        actions=[act(1, "verified"), act(2, "wont-do")],
    ),
    # S3 2025Q2 P2: 60 / 120 / 600
    Incident(
        id="s3",
        title="S3",
        severity="P2",
        times=times("2025-04-05T00:00", 60, 120, 600),
        taxonomy=["agentic.runaway-loop"],
        causes=[Cause(id="c-1", statement="The agent retried a failing tool in a loop with no step budget")],
        actions=[act(1, "in-progress", "2025-06-01"), act(2, "open")],
    ),
    # S4 2025Q2 P2: 30 / (no mitigation time) / 90
    Incident(
        id="s4",
        title="S4",
        severity="P2",
        times=times("2025-05-15T00:00", 30, None, 90),
        taxonomy=["agentic.runaway-loop", "rag-retrieval.partial-reindexing"],
        causes=[Cause(id="c-1", statement="The agent looped on a failing tool with no step budget")],
        actions=[act(1, "done")],
    ),
    # S5 2024Q4 P0: 5 / 15 / 45
    Incident(
        id="s5",
        title="S5",
        severity="P0",
        times=times("2024-12-31T00:00", 5, 15, 45),
        taxonomy=["infrastructure.certificate-expiry"],
        actions=[act(1, "open", "2025-07-01")],
    ),
]


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    from workbench.store.tomlfile import parse_toml, validate
    from pathlib import Path

    text = default_taxonomy_text()
    return validate(Taxonomy, parse_toml(text, Path("taxonomy.toml")), text, Path("taxonomy.toml"))


def test_counts_per_mode_and_family_by_quarter(taxonomy: Taxonomy) -> None:
    s = compute_stats(INCIDENTS, taxonomy, TODAY)
    assert s.incidents == 5
    assert s.quarters == ["2024Q4", "2025Q1", "2025Q2"]
    assert s.by_mode["rag-retrieval.index-staleness"] == {"2024Q4": 0, "2025Q1": 2, "2025Q2": 0}
    assert s.by_mode["agentic.runaway-loop"] == {"2024Q4": 0, "2025Q1": 0, "2025Q2": 2}
    assert s.by_mode["infrastructure.certificate-expiry"] == {"2024Q4": 1, "2025Q1": 0, "2025Q2": 0}
    assert len(s.by_mode) == 5
    # S4 brings one agentic and one RAG mode; S2 one RAG (on a cause) and one infrastructure mode.
    assert s.by_family["rag-retrieval"] == {"2024Q4": 0, "2025Q1": 2, "2025Q2": 1}
    assert s.by_family["agentic"] == {"2024Q4": 0, "2025Q1": 0, "2025Q2": 2}
    assert s.by_family["infrastructure"] == {"2024Q4": 1, "2025Q1": 1, "2025Q2": 0}


def test_recurring_modes_and_causes(taxonomy: Taxonomy) -> None:
    s = compute_stats(INCIDENTS, taxonomy, TODAY)
    assert [(r.id, r.incidents) for r in s.recurring_modes] == [
        ("agentic.runaway-loop", ["s3", "s4"]),
        ("rag-retrieval.index-staleness", ["s1", "s2"]),
    ]
    (cluster,) = s.recurring_causes
    assert cluster.incidents == ["s3", "s4"]
    # Six words are shared and weigh the same: the first three in the order the first statement says them.
    assert cluster.words == ["agent", "failing", "tool"]


def test_medians_by_severity_and_quarter(taxonomy: Taxonomy) -> None:
    s = compute_stats(INCIDENTS, taxonomy, TODAY)
    assert s.medians_by_severity == {
        "P0": Medians(5, 15, 45, 1),
        "P1": Medians(15, 40, 130, 2),  # median(10, 20), median(30, 50), median(60, 200)
        "P2": Medians(45, 120, 345, 2),  # median(60, 30), only S3 has a mitigation time, median(600, 90)
    }
    assert s.medians_by_quarter["2025Q1"] == Medians(15, 40, 130, 2)
    assert s.medians_by_quarter["2024Q4"] == Medians(5, 15, 45, 1)
    assert [(t.incident_id, t.to_mitigate) for t in s.times] == [
        ("s5", 15),
        ("s1", 30),
        ("s2", 50),
        ("s3", 120),
        ("s4", None),
    ]


def test_actions_closure_and_overdue(taxonomy: Taxonomy) -> None:
    s = compute_stats(INCIDENTS, taxonomy, TODAY)
    assert s.actions_by_status == {"open": 3, "in-progress": 1, "done": 2, "verified": 1, "wont-do": 1}
    assert s.closure_rate == pytest.approx(3 / 7, abs=1e-4)  # (2 done + 1 verified) / (8 - 1 won't do)
    # S1 AI-002 due 2025-02-01: 134 days before 2025-06-15; S3 AI-001 due 2025-06-01: 14 days.
    assert [(o.incident_id, o.action_id, o.days_overdue) for o in s.overdue] == [
        ("s1", "AI-002", 134),
        ("s3", "AI-001", 14),
    ]


def test_since_keeps_later_incidents_only(taxonomy: Taxonomy) -> None:
    s = compute_stats(INCIDENTS, taxonomy, TODAY, since=date(2025, 4, 1))
    assert s.incidents == 2 and s.quarters == ["2025Q2"]
    assert s.closure_rate == pytest.approx(1 / 3, abs=1e-4)  # S3: in-progress, open; S4: done
    assert s.recurring_modes[0].id == "agentic.runaway-loop"


def test_a_renamed_mode_is_counted_under_its_new_id(taxonomy: Taxonomy) -> None:
    renamed = rename_mode(taxonomy, "rag-retrieval.index-staleness", "rag-retrieval.stale-index").taxonomy
    s = compute_stats(INCIDENTS, renamed, TODAY)
    assert "rag-retrieval.index-staleness" not in s.by_mode
    assert sum(s.by_mode["rag-retrieval.stale-index"].values()) == 2


def test_charts() -> None:
    assert sparkline([0, 1, 2, 4]) == " ▃▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert bar(5, 10, 4) == "██"
    assert bar(1, 8, 1) == "▏"
    assert bar(0, 10) == ""
    assert quarter_range("2024Q3", "2025Q2") == ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]


def test_text_and_json_output(tmp_path, capsys: pytest.CaptureFixture[str], taxonomy: Taxonomy) -> None:
    store = Store.init(tmp_path / "s", default_taxonomy_text())
    write_incidents(store, INCIDENTS)
    root = str(store.root)
    assert main(["--store", root, "stats", "--json", "--today", "2025-06-15"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["incidents"] == 5 and data["closure_rate"] == pytest.approx(0.4286, abs=1e-4)
    assert data["medians_by_severity"]["P1"] == {"to_detect": 15, "to_mitigate": 40, "to_resolve": 130, "incidents": 2}
    assert data["overdue"][0]["due"] == "2025-02-01"
    assert main(["--store", root, "stats", "--since", "2025-04-01", "--today", "2025-06-15"]) == 0
    text = capsys.readouterr().out
    assert "Learning across 2 incident(s) since 2025-04-01 (2025Q2..2025Q2)" in text
    assert "agentic.runaway-loop" in text and "closure rate 33%" in text
    assert main(["--store", root, "stats", "--since", "last week"]) == 2
    assert "--since 'last week' is not a date" in capsys.readouterr().err
    full = render_stats(compute_stats(INCIDENTS, taxonomy, TODAY))
    assert "  severity P1       detect        15m  mitigate        40m  resolve     2h 10m  (2 incidents)" in full


def test_stats_prints_a_summary_and_all_of_it_on_request(capsys: pytest.CaptureFixture[str], learning_store) -> None:  # noqa: F811
    """The default text names the largest groups with their counts and a few statements each, and says how many
    more there are; --all lists every statement of every group; --json holds every one too."""
    root = str(learning_store.root)
    today = ["--today", TODAY_LEARNING.isoformat()]
    assert main(["--store", root, "stats", "--json", *today]) == 0
    data = json.loads(capsys.readouterr().out)
    groups = data["recurring_causes"]
    assert len(groups) > 2
    assert all(len(g["causes"]) == g["cause_count"] for g in groups)  # JSON: everything

    assert main(["--store", root, "stats", "--top", "2", *today]) == 0
    summary = capsys.readouterr().out
    for g in groups[:2]:
        assert f"[{', '.join(g['words'])}] in {g['incident_count']:,} incidents, {g['cause_count']:,} causes" in summary
        shown = [c for c in g["causes"] if f"{c['incident_id']} {c['cause_id']}: {c['statement']}" in summary]
        assert len(shown) == min(3, g["cause_count"])
        if g["cause_count"] > 3:
            assert f"… and {g['cause_count'] - 3:,} more" in summary
    assert f"[{', '.join(groups[2]['words'])}]" not in summary
    assert f"… and {len(groups) - 2:,} more groups (workbench stats --all lists every one)" in summary
    assert "Per incident" not in summary and "--all lists everything" in summary

    assert main(["--store", root, "stats", "--all", *today]) == 0
    everything = capsys.readouterr().out
    for g in groups:
        for c in g["causes"]:
            assert f"      {c['incident_id']} {c['cause_id']}: {c['statement']}" in everything
    assert "more groups" not in everything and "Per incident" in everything
    assert len(everything.splitlines()) > len(summary.splitlines())
    assert main(["--store", root, "stats", "--top", "0"]) == 2
    assert "--top is a number" in capsys.readouterr().err


def test_a_large_group_shows_three_statements_and_how_many_more(taxonomy: Taxonomy) -> None:
    from dataclasses import replace

    from workbench.services.learning.stats import CauseCluster, CauseRef

    refs = [CauseRef(f"i{n:03d}", "c-1", f"The rollout process allowed change {n} everywhere") for n in range(50)]
    big = CauseCluster(["rollout", "process"], [r.incident_id for r in refs], refs)
    stats = replace(compute_stats(INCIDENTS, taxonomy, TODAY), recurring_causes=[big])
    summary = render_stats(stats)
    assert "  [rollout, process] in 50 incidents, 50 causes" in summary
    assert summary.count("The rollout process allowed") == 3 and "      … and 47 more" in summary
    assert render_stats(stats, full=True).count("The rollout process allowed") == 50
