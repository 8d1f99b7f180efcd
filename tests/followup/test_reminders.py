"""Reminders that reach people: `workbench due --format ics` (round trip through icalendar's parser, stable
UIDs) and `workbench notify` against a webhook on 127.0.0.1 (payloads, retries, dry run)."""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from icalendar import Calendar
from report_helpers import NARRATIVE, rich_incident

from workbench.cli import main
from workbench.domain.model import ActionItem, Incident
from workbench.store import Store

KV = "2025-08-05-kv-cache-oom"
RAG = "2025-09-01-rag-stale"
TODAY = "2025-08-25"  # AI-002 (due 08-20) is overdue; AI-001 (09-01) is coming


@pytest.fixture
def store(empty_store):
    empty_store.create(rich_incident(follow_up=date(2025, 8, 28)), NARRATIVE)
    empty_store.create(
        Incident(
            id=RAG,
            title="Stale RAG index",
            severity="P2",
            stage="tracking",
            postmortem_date=date(2025, 9, 3),
            actions=[
                ActionItem(id="AI-001", action="Reindex nightly", owner="Sam", due=date(2025, 10, 1)),
                ActionItem(id="AI-002", action="Closed one", status="done", due=date(2025, 9, 9)),
            ],
        )
    )
    return empty_store


def run(store, *argv, capsys):
    code = main(["--store", str(store.root), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def events(path) -> dict[str, dict]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_ics_round_trips_with_stable_uids(store, capsys, tmp_path):
    out = tmp_path / "due.ics"
    code, _, err = run(store, "due", "--format", "ics", "--out", str(out), "--today", TODAY, capsys=capsys)
    assert code == 0 and "Wrote" in err
    cal = Calendar.from_ical(out.read_bytes())
    assert str(cal["PRODID"]).startswith("-//Postmortem Workbench") and str(cal["VERSION"]) == "2.0"
    got = events(out)
    sid = store.store_id
    assert len(sid) == 12
    gate = got[f"pmwb-{sid}-{KV}-AI-002@postmortem-workbench"]
    assert gate["DTSTART"].dt == date(2025, 8, 20) and gate["DTEND"].dt == date(2025, 8, 21)  # all day
    assert str(gate["SUMMARY"]).startswith("AI-002 due: Gate serving upgrades")
    assert "Owner: Dana Kim; priority P0; status open" in str(gate["DESCRIPTION"])
    assert str(gate["STATUS"]) == "CONFIRMED" and gate.walk("VALARM")  # a reminder the day before
    done = got[f"pmwb-{sid}-{RAG}-AI-002@postmortem-workbench"]
    assert str(done["STATUS"]) == "CANCELLED"  # a re-import takes a finished action off the calendar
    follow = got[f"pmwb-{sid}-{KV}-follow-up@postmortem-workbench"]
    assert follow["DTSTART"].dt == date(2025, 8, 28) and str(follow["STATUS"]) == "CONFIRMED"
    # No follow-up date set, in Close & track: a suggested review 30 days after the postmortem.
    suggested = got[f"pmwb-{sid}-{RAG}-follow-up@postmortem-workbench"]
    assert suggested["DTSTART"].dt == date(2025, 10, 3) and str(suggested["STATUS"]) == "TENTATIVE"
    assert "Suggested: no follow-up date is set" in str(suggested["DESCRIPTION"])
    assert f"pmwb-{sid}-{KV}-AI-003@postmortem-workbench" not in got  # no due date, no event

    # A clone (another person's machine) gives the same UIDs, so importing its file updates the same events.
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(store.root), str(clone)], check=True)
    again = tmp_path / "again.ics"
    code, _, _ = run(
        Store(clone), "due", "--format", "ics", "--out", str(again), "--today", "2025-08-26", capsys=capsys
    )
    second = events(again)
    assert set(second) == set(got)
    assert int(second[f"pmwb-{sid}-{KV}-AI-002@postmortem-workbench"]["SEQUENCE"]) > int(gate["SEQUENCE"])


def test_ics_to_stdout_is_bytes_of_a_calendar(store, capsysbinary):
    code = main(["--store", str(store.root), "due", "--format", "ics", "--today", TODAY])
    out = capsysbinary.readouterr().out
    assert (
        code == 0 and out.startswith(b"BEGIN:VCALENDAR\r\n") and out.count(b"BEGIN:VEVENT") == 6
    )  # 4 dated actions, 2 follow-ups


class Hook:
    """A webhook receiver on 127.0.0.1 that answers with the given statuses in turn (then 200)."""

    def __init__(self, statuses: list[int] | None = None):
        self.bodies: list[dict] = []
        self.statuses = list(statuses or [])
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers["Content-Length"])
                hook.bodies.append({"type": self.headers["Content-Type"], "json": json.loads(self.rfile.read(length))})
                status = hook.statuses.pop(0) if hook.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/T000/B000/secret"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def test_notify_posts_slack_blocks(store, capsys):
    with Hook() as hook:
        code, out, _ = run(store, "notify", "--webhook", hook.url, "--today", TODAY, capsys=capsys)
    assert code == 0 and "Posted to http://127.0.0.1" in out and "secret" not in out  # the URL is a secret
    assert len(hook.bodies) == 1 and hook.bodies[0]["type"].startswith("application/json")
    payload = hook.bodies[0]["json"]
    assert payload["text"] == ("Postmortems (empty): 1 overdue action, 1 follow-up review due within 7 days")
    assert payload["blocks"][0]["type"] == "header"
    lines = [b["text"]["text"] for b in payload["blocks"][1:]]
    assert lines == [
        f"• *AI-002* ({KV}) due 2025-08-20 — 5 days over, Dana Kim: Gate serving upgrades on a memory canary",
        f"• Follow-up review of *{KV}* on 2025-08-28 (in 3 days): KV-cache OOM after vLLM | upgrade",
    ]


def test_notify_plain_json_after_retries(store, capsys):
    with Hook([503, 500]) as hook:
        code, out, _ = run(
            store,
            "notify",
            "--webhook",
            hook.url,
            "--format",
            "json",
            "--backoff",
            "0",
            "--today",
            TODAY,
            capsys=capsys,
        )
    assert code == 0 and "after 3 attempts (attempt 1: HTTP 503; attempt 2: HTTP 500)" in out
    assert len(hook.bodies) == 3 and hook.bodies[0] == hook.bodies[2]  # the same message each time
    payload = hook.bodies[-1]["json"]
    assert payload["source"] == "postmortem-workbench" and payload["today"] == TODAY
    assert payload["overdue_actions"] == [
        {
            "incident": KV,
            "action_id": "AI-002",
            "action": "Gate serving upgrades on a memory canary",
            "owner": "Dana Kim",
            "status": "open",
            "due": "2025-08-20",
            "days_overdue": 5,
        }
    ]
    assert [f["incident"] for f in payload["follow_ups"]] == [KV]


def test_notify_gives_up_and_does_not_retry_a_4xx(store, capsys):
    with Hook([500, 500, 500]) as hook:
        code, _, err = run(
            store, "notify", "--webhook", hook.url, "--retries", "2", "--backoff", "0", "--today", TODAY, capsys=capsys
        )
    assert code == 2 and "after 3 attempts" in err and len(hook.bodies) == 3
    with Hook([404]) as hook:
        code, _, err = run(store, "notify", "--webhook", hook.url, "--backoff", "0", "--today", TODAY, capsys=capsys)
    assert code == 2 and "HTTP 404" in err and len(hook.bodies) == 1 and "secret" not in err


def test_notify_dry_run_and_nothing_due(store, capsys):
    with Hook() as hook:
        code, out, err = run(store, "notify", "--webhook", hook.url, "--dry-run", "--today", TODAY, capsys=capsys)
        assert code == 0 and json.loads(out)["blocks"] and "dry run" in err and hook.bodies == []
        # Long before anything is due: nothing to say, nothing posted (unless --always).
        code, out, _ = run(store, "notify", "--webhook", hook.url, "--today", "2025-01-01", capsys=capsys)
        assert code == 0 and "nothing posted" in out and hook.bodies == []
        code, out, _ = run(store, "notify", "--webhook", hook.url, "--always", "--today", "2025-01-01", capsys=capsys)
        assert code == 0 and len(hook.bodies) == 1
    code, _, err = run(store, "notify", capsys=capsys)
    assert code == 2 and "give --webhook URL" in err
