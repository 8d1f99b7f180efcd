"""Each format's fixture -> the right UTC events with their sources; malformed records reported by
file, line and field, and skipped without stopping the rest."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from workbench.services.importing.timeline import ImportOptions, run_import
from workbench.services.importing.timeline.base import parse_time

from .conftest import DATA


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def run(fmt, name, **options):
    return run_import(fmt, DATA / name, ImportOptions(label=name, **options))


def rows(result):
    return [(c.time, c.kind, c.source) for c in result.candidates]


def problems(result):
    return [str(p) for p in result.problems]


def test_jsonl_log_offsets_become_utc_with_file_line_sources():
    result = run("jsonl", "app.jsonl")
    assert result.problems == []
    times = [c.time for c in result.candidates]
    assert times == sorted(times)
    alert = next(c for c in result.candidates if "Alert firing" in c.event)
    assert alert.time == utc("2025-08-05T16:15:02")  # 09:15:02-07:00
    assert alert.source == "app.jsonl:3" and alert.kind == "detection"
    assert next(c for c in result.candidates if "Rolled back" in c.event).kind == "mitigation"
    assert result.candidates[0].event.startswith("[INFO] Deployed summarizer config v42")
    assert all(c.time.tzinfo == timezone.utc for c in result.candidates)


def test_jsonl_malformed_lines_reported_and_skipped():
    result = run("jsonl", "app_bad.jsonl")
    assert [c.source for c in result.candidates] == ["app_bad.jsonl:1", "app_bad.jsonl:6", "app_bad.jsonl:8"]
    assert problems(result) == [
        "app_bad.jsonl:2: timestamp: 'yesterday at noon' is not an ISO 8601 time or a Unix epoch",
        "app_bad.jsonl:3: message: missing a message field; choose it with --message-field",
        "app_bad.jsonl:4: -: not valid JSON: Unterminated string starting at (column 50)",
        "app_bad.jsonl:5: timestamp: '2025-08-05 16:07:00' has no time zone offset; pass --tz "
        "(e.g. --tz UTC or --tz Europe/Berlin)",
        "app_bad.jsonl:7: -: not UTF-8 (byte 0xe9 at column 54); line skipped",
    ]


def test_jsonl_chosen_fields():
    result = run("jsonl", "app.jsonl", time_field="timestamp", message_field="service")
    assert result.candidates[0].event == "[INFO] summarizer"
    result = run("jsonl", "app.jsonl", min_level="warn")
    assert len(result.candidates) == 2 and result.skipped == 3


def test_csv_naive_times_need_a_zone():
    without = run("csv", "gateway.csv")
    assert without.candidates == [] and len(without.problems) == 3
    assert "pass --tz" in str(without.problems[0]) and without.problems[0].line == 2
    result = run("csv", "gateway.csv", tz=ZoneInfo("America/Los_Angeles"))
    assert rows(result) == [
        (utc("2025-08-05T16:03:00"), "context", "gateway.csv:2"),
        (utc("2025-08-05T16:12:30"), "context", "gateway.csv:3"),
        (utc("2025-08-05T16:20:00"), "escalation", "gateway.csv:4"),
    ]


def test_csv_malformed_rows():
    result = run("csv", "gateway_bad.csv", tz=timezone.utc)
    assert [c.source for c in result.candidates] == ["gateway_bad.csv:2", "gateway_bad.csv:6"]
    assert problems(result) == [
        "gateway_bad.csv:3: time: 'not-a-time' is not an ISO 8601 time or a Unix epoch",
        "gateway_bad.csv:4: -: 5 columns where the header (line 1) has 4",
        "gateway_bad.csv:5: message: missing a message field; choose it with --message-field",
    ]


def test_git_history_in_window(service_repo):
    result = run_import(
        "git",
        service_repo,
        ImportOptions(label="summarizer-service", since=utc("2025-08-05T00:00:00"), until=utc("2025-08-06T00:00:00")),
    )
    assert result.problems == []
    events = [(c.time, c.event.split(":")[0]) for c in result.candidates]
    assert events == [
        (utc("2025-08-05T15:58:00"), "Commit in summarizer-service by Test Author"),
        (utc("2025-08-05T16:35:00"), "Commit in summarizer-service by Test Author"),
        (utc("2025-08-05T23:40:00"), "Merge in summarizer-service by Test Author"),
        (utc("2025-08-05T23:45:00"), "Tag v42.1 in summarizer-service"),
    ]
    first = result.candidates[0]
    sha = service_repo.joinpath(".git").exists() and first.raw.split()[0]
    assert first.source == f"git summarizer-service {sha[:10]}" and "config.yaml" in first.raw
    assert result.candidates[3].source.startswith("git summarizer-service tag v42.1 (")
    assert all(c.kind == "context" for c in result.candidates)  # a change is never presumed the trigger


def test_git_not_a_repository(tmp_path):
    result = run_import("git", tmp_path, ImportOptions(label="plain"))
    assert problems(result) == [f"plain: -: {tmp_path} is not a git repository"]


def test_slack_export_messages_threads_and_links():
    result = run("slack", "slack", link_base="https://acme.slack.com", channel="incident-response")
    assert result.problems == [] and result.skipped == 1  # the channel_join
    first, reply, decision = result.candidates
    assert first.time == utc("2025-08-05T16:12:05.000100")
    assert first.event.startswith("#incident-response oncall-sre: Seeing truncated summaries")
    assert first.source.startswith("https://acme.slack.com/archives/C0INCIDENT/p1754410325000100 (")
    assert "slack/incident-response/2025-08-05.json:" in first.source
    assert reply.event.startswith("#incident-response (thread reply) ML Engineer:")
    assert "@oncall-sre" in reply.event  # mentions resolved to names
    assert "thread_ts=1754410325.000100" in reply.source
    assert decision.kind == "mitigation"
    everything = run("slack", "slack")
    assert any("#general" in c.event for c in everything.candidates)


def test_slack_malformed():
    result = run("slack", "slack_bad")
    assert len(result.candidates) == 2
    assert problems(result) == [
        "slack_bad/incident-response/2025-08-05.json:8: ts: missing or not a Slack timestamp: 'sometime'",
        "slack_bad/incident-response/2025-08-05.json:14: text: message has no text",
        "slack_bad/incident-response/2025-08-06.json:1: -: not valid JSON: expected ',' or '}' (column 38)",
    ]


def test_pagerduty_log_entries():
    result = run("pagerduty", "pagerduty.json")
    assert [(c.time, c.kind) for c in result.candidates] == [
        (utc("2025-08-05T16:10:02"), "detection"),
        (utc("2025-08-05T16:13:40"), "escalation"),
        (utc("2025-08-05T16:20:00"), "escalation"),
        (utc("2025-08-05T17:06:10"), "resolution"),
    ]
    assert result.candidates[0].source == "https://acme.pagerduty.com/incidents/Q1ABC/log_entries/R1 (pagerduty.json:3)"
    assert result.candidates[2].source == "pagerduty.json:34"  # no html_url: file and line
    assert result.candidates[1].event == "PagerDuty: Acknowledged by On-call SRE — Acknowledged by On-call SRE"


def test_pagerduty_malformed_and_wrong_encoding():
    result = run("pagerduty", "pagerduty_bad.json")
    assert len(result.candidates) == 2
    assert problems(result) == [
        "pagerduty_bad.json:9: created_at: no time",
        "pagerduty_bad.json:14: type: missing log entry type",
        "pagerduty_bad.json:19: created_at: '2025-13-45T99:00:00Z' is not an ISO 8601 time or a Unix epoch",
    ]
    utf16 = run("pagerduty", "pagerduty_utf16.json")
    assert problems(utf16) == ["pagerduty_utf16.json:1: -: not UTF-8 (byte 0xff); re-save the file as UTF-8"]


@pytest.mark.parametrize("name", ["opsgenie.json", "opsgenie.csv"])
def test_opsgenie_json_and_csv(name):
    result = run("opsgenie", name)
    assert result.problems == []
    kinds = {c.event.split(":")[1].strip().split(" via")[0].split(" to")[0]: c.kind for c in result.candidates}
    assert kinds["Alert created"] == "detection" and kinds["Alert acknowledged"] == "escalation"
    assert kinds["Alert closed"] == "resolution"
    assert result.candidates[0].time == utc(
        "2025-08-05T16:10:05.123000" if name.endswith("json") else "2025-08-05T16:10:05"
    )
    assert result.candidates[0].source.startswith(f"{name}:")


def test_opsgenie_malformed_csv():
    result = run("opsgenie", "opsgenie_bad.csv")
    assert problems(result) == ["opsgenie_bad.csv:3: createdAt: no time", "opsgenie_bad.csv:4: log: missing log text"]
    assert len(result.candidates) == 2


def test_otlp_spans_errors_latency_and_genai_attributes():
    errors_only = run("otlp", "otlp_traces.json")
    assert len(errors_only.candidates) == 1 and errors_only.skipped == 2
    result = run("otlp", "otlp_traces.json", latency_ms=5000)
    failed, slow = result.candidates
    assert failed.time == utc("2025-08-05T16:09:41") and failed.kind == "detection"
    assert "failed: finish_reason=length: output truncated" in failed.event
    assert "op=chat model=gpt-4o-mini-2024-07-18 requested=gpt-4o-mini tokens in/out=1200/4096" in failed.event
    assert (
        failed.source.startswith("otlp_traces.json:")
        and "trace 5b8efff798038103 span eee19b7ec3c1b174" in failed.source
    )
    assert "took 14.5 s (threshold 5.0 s)" in slow.event


def test_otlp_log_records_warn_and_above():
    result = run("otlp", "otlp_logs.json")
    assert [(c.time, c.event[:28]) for c in result.candidates] == [
        (utc("2025-08-05T16:09:45"), "[ERROR] [summarizer] Respons"),
        (utc("2025-08-05T16:10:30"), "[WARN] [summarizer] Retry bu"),  # observedTimeUnixNano when no timeUnixNano
    ]
    assert "model=gpt-4o-mini" in result.candidates[0].event and result.skipped == 1


def test_otlp_malformed():
    result = run("otlp", "otlp_bad.json")
    assert len(result.candidates) == 1
    assert problems(result) == [
        "otlp_bad.json:10: startTimeUnixNano: no time",
        "otlp_bad.json:18: startTimeUnixNano: 'yesterday' is not a Unix time in nanoseconds",
        "otlp_bad.json:47: severityNumber: not a number: 'high'",
        "otlp_bad.json:53: body: log record has no body",
    ]


def test_langfuse_traces_and_observations():
    result = run("langfuse", "langfuse.json", threshold=0.5)
    assert result.problems == []
    trace_ok, trace_low, generation, snake = result.candidates
    assert trace_low.time == utc("2025-08-05T16:09:50") and "faithfulness=0.41 (low)" in trace_low.event
    assert generation.kind == "detection" and "ERROR finish_reason=length" in generation.event
    assert "model=gpt-4o-mini" in generation.event and "prompt=summarize v7" in generation.event
    assert (
        "trace=lf-trace-002" in generation.event and generation.source == "langfuse.json:33 langfuse generation obs-2"
    )
    assert snake.time == utc("2025-08-05T16:20:00")  # blob export: no offset, documented as UTC
    notable = run("langfuse", "langfuse.json", threshold=0.5, notable_only=True)
    assert [c.source.split()[-1] for c in notable.candidates] == ["lf-trace-002", "obs-2"]


def test_langfuse_malformed():
    result = run("langfuse", "langfuse_bad.json")
    assert problems(result) == [
        "langfuse_bad.json:8: id: missing id",
        "langfuse_bad.json:12: timestamp: 'half past four' is not an ISO 8601 time or a Unix epoch",
    ]
    assert len(result.candidates) == 2


def test_langsmith_runs():
    result = run("langsmith", "langsmith.json", threshold=0.5)
    failed, ok = result.candidates
    assert failed.time == utc("2025-08-05T16:09:48") and failed.kind == "detection"
    for part in (
        "ERROR openai.BadRequestError",
        "model=gpt-4o-mini",
        "latency=10.50s",
        "correctness=0.33 (low)",
        "prompt=summarize:7",
        "tokens in/out=1200/4096",
        "trace=0b1c0e2a-1111-4c1e-9d5e-000000000000",
    ):
        assert part in failed.event
    assert failed.source == "langsmith.json:2 langsmith run 0b1c0e2a-1111-4c1e-9d5e-000000000001"
    assert ok.kind == "context" and "correctness=1" in ok.event


def test_langsmith_malformed():
    result = run("langsmith", "langsmith_bad.json")
    assert problems(result) == ["langsmith_bad.json:9: id: missing id", "langsmith_bad.json:14: start_time: no time"]
    assert len(result.candidates) == 2


def test_evals_threshold_crossings_per_series():
    result = run("evals", "evals.csv", metric="accuracy", threshold=0.8, group_field="eval")
    assert [(c.time, c.kind, c.source) for c in result.candidates] == [
        (utc("2025-08-05T16:30:00"), "detection", "evals.csv:4"),
        (utc("2025-08-05T18:00:00"), "context", "evals.csv:5"),
    ]
    assert result.candidates[0].event == (
        "Eval accuracy (summarize-golden) below 0.8: 0.72 (was 0.9 at 2025-08-05 12:00Z)"
    )
    nested = run("evals", "evals.json", metric="accuracy", threshold=0.8)
    assert [c.time for c in nested.candidates] == [utc("2025-08-05T16:30:00")]
    above = run("evals", "evals.csv", metric="accuracy", threshold=0.95, direction="above", group_field="eval")
    assert [c.source for c in above.candidates] == ["evals.csv:6"]  # toxicity 0.99 > 0.95


def test_evals_malformed_and_missing_options():
    result = run("evals", "evals_bad.csv", metric="accuracy", threshold=0.8)
    assert problems(result) == [
        "evals_bad.csv:3: accuracy: not a number: 'n/a'",
        "evals_bad.csv:4: timestamp: 'someday' is not an ISO 8601 time or a Unix epoch",
    ]
    assert len(result.candidates) == 1
    assert "needs --metric" in problems(run("evals", "evals.csv"))[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1754409600, "2025-08-05T16:00:00"),
        (1754409600123, "2025-08-05T16:00:00.123000"),
        ("1754409600000000000", "2025-08-05T16:00:00"),
        ("2025-08-05T18:00:00+02:00", "2025-08-05T16:00:00"),
        ("2025-08-05T16:00:00Z", "2025-08-05T16:00:00"),
    ],
)
def test_time_parsing(value, expected):
    assert parse_time(value, None) == utc(expected)


def test_missing_path():
    result = run_import("jsonl", DATA / "nope.jsonl", ImportOptions(label="nope.jsonl"))
    assert problems(result) == ["nope.jsonl: -: no such file or folder"]


def test_slack_channel_filter_and_langfuse_threshold_only_low_scores():
    general = run("slack", "slack", channel="#general")
    assert [c.event for c in general.candidates] == ["#general ML Engineer: Lunch at noon?"]
    none_low = run("langfuse", "langfuse.json", threshold=0.3, notable_only=True)
    assert [c.source.split()[-1] for c in none_low.candidates] == ["obs-2"]  # the error only: 0.41 is not < 0.3
