"""Rules found on stop 35's development writer (heldout14: a Chinese-language gateway postmortem whose timeline is a
preformatted block of "MM-DD HH:MM" rows, after-action reports whose action items carry owners and due dates, a
maintainer's incident essays titled by their day with a "## Fix" section told in paragraphs, a subnet postmortem
with a "Future Development" list), written as general mechanisms: a timeline kept as preformatted rows, a due date
is a deadline and no event, a title that opens with a day dates the record, a heading that is only the record's
fix holds its changes. The fixtures were written for these tests in those house styles; the incidents are
invented."""

from __future__ import annotations

from datetime import date, datetime, timezone

from workbench.services.importing.postmortem import headings, parse_markdown

FENCED_TIMELINE = """# 2026-03-14 · 缓存网关 502（配置回滚）

## 1. 现场

```
09:58:11.204  cache-a   502  /v1/chat
```

## 5. 时间线

```
03-13          上一次同类故障（已修）
03-14 10:02    网关开始返回 502
03-14 10:05:30 回滚配置
03-14 10:20    恢复正常
```
"""

FENCED_LOG_UNDER_TIMELINE = """# Cache outage

**Date:** 2026-03-14

## Timeline

```
2026-03-14 10:02:11,810 WARNING Retrying (total=2) after connection broken
2026-03-14 10:02:12,004 ERROR giving up
```
"""

DUE_DATES = """# After-Action Report — EX-7 (Queue backlog)

**Date:** 2026-02-03

## Timeline

- **09:10** Backlog alert fires.
- **09:25** Consumers scaled out.

## Action Items

1. **Alert on consumer lag** before the backlog builds. **Owner:** SRE Lead. **Due:** 2026-02-20.
2. **Add a backlog drill** to the quarterly exercise. **Owner:** QA Lead. **Due:** 2026-03-01.
"""

TITLED_DAY = """# 2026-05-10 — a stale lockfile shipped an old parser

**Status:** fixed

## Root cause

`requirements.txt` has pinned `parser>=1.0` since the initial commit (2026-01-02). Nobody narrowed it.

## Fix

**The pin**, in `requirements.txt`:

```
parser>=1.0,<2.0
```

with a comment naming the two modules that import it.

`loader.read_config` now returns an empty mapping for a missing file, and logs it once at WARNING.

`cli._report` was NOT given the same change: it prints what the handler did.

Restarting the worker cleared the stuck queue.
"""

FUTURE_DEVELOPMENT = """# Scoring outage

## Future Development

We are actively working on several long-term improvements:

1. A public mirror of the dataset API
2. Automated traffic shaping

The outage lasted under a day, and we have already begun implementing measures to prevent similar incidents in
the future.
"""

BOXED_REMEDIATION = """# Incident 2026-04-02 — API key in a shared notebook

**Severity**: P3

## Remediation (in progress)

- [x] Move the key to the secrets store, referenced as `${SEARCH_API_KEY}`
- [x] **USER**: revoked the exposed search key
- [ ] **USER**: audit the provider's access log for the last 30 days
- [x] Add a pre-commit hook that scans notebooks for key patterns
- [N/A] **Rotate the database password** — not needed; the notebook never held it.
- **Staging:** exposed by the same notebook and fixed by the same change.
"""

PREVENTION_MEASURES = """# Incident: token misuse broke the preview build (2026-01-09)

## Prevention Measures

### 1. Stricter lint rule

A rule now rejects template literals built from spacing tokens.

**File:** `eslint.config.mjs`

### 2. Documentation

Added token usage rules to:
- `src/lib/design-tokens.ts` - inline notes with examples
- `docs/guides/TOKEN_RULES.md` - a section on common mistakes
"""

FIX_RETOLD = """# Embedding requests failed on empty input

## The Fix

Fix deployed. The handler now drops empty strings before the request is sent.

CORRECTED CONFIGURATION:

```
drop_empty: true
```

## Remediation

- Drop empty strings in the embedding handler (done)
"""


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_a_timeline_kept_as_preformatted_rows_gives_an_entry_per_timed_row():
    assert headings.kind_of("9. 时间线") == "timeline"
    timeline = parse_markdown(FENCED_TIMELINE, "x.md").incident.timeline
    timed = sorted(e.time for e in timeline if not e.data_gap)
    assert timed == [utc(2026, 3, 14, 10, 2), utc(2026, 3, 14, 10, 5), utc(2026, 3, 14, 10, 20)]
    # The quoted log under "现场" (the scene) is evidence, and the day-only row is an earlier incident.
    assert not any(e.time.date() == date(2026, 3, 13) for e in timeline)


def test_a_log_quoted_under_a_timeline_heading_gives_no_entries():
    timeline = parse_markdown(FENCED_LOG_UNDER_TIMELINE, "x.md").incident.timeline
    assert [e for e in timeline if not e.data_gap] == []


def test_an_action_items_due_date_is_no_event():
    timeline = parse_markdown(DUE_DATES, "x.md").incident.timeline
    days = {e.time.date() for e in timeline}
    assert days == {date(2026, 2, 3)}
    assert len([e for e in timeline if not e.data_gap]) == 2


def test_a_title_that_opens_with_a_day_dates_the_record_beside_the_background_it_tells():
    timeline = parse_markdown(TITLED_DAY, "x.md").incident.timeline
    assert date(2026, 5, 10) in {e.time.date() for e in timeline if e.data_gap}


def test_a_title_day_earlier_than_the_events_is_a_leftover_not_the_records_day():
    doc = "# 2026-01-27, quota reached\n\n## Timeline\n\n- 2026-06-02 09:00 UTC: pods stop launching\n"
    timeline = parse_markdown(doc, "x.md").incident.timeline
    assert {e.time.date() for e in timeline} == {date(2026, 6, 2)}


def test_each_paragraph_under_a_fix_heading_is_a_change_made():
    got = [(a.action, a.status) for a in parse_markdown(TITLED_DAY, "x.md").incident.actions]
    texts = [a for a, _ in got]
    assert len(got) == 2
    assert all(status == "done" for _, status in got)
    # The lead-in to the changed code and the words after that code are one change.
    assert any(a.startswith("The pin, in requirements.txt:") and "comment naming the two modules" in a for a in texts)
    assert any(a.startswith("loader.read_config now returns") for a in texts)
    assert not any("cli._report" in a for a in texts)  # a change not made
    assert not any("Restarting" in a for a in texts)  # a step of the response


def test_a_future_development_list_holds_open_actions_and_a_vague_promise_none():
    got = [(a.action, a.status) for a in parse_markdown(FUTURE_DEVELOPMENT, "x.md").incident.actions]
    assert got == [("A public mirror of the dataset API", "open"), ("Automated traffic shaping", "open")]


def test_a_list_of_tick_boxes_holds_its_tasks_in_the_boxes_and_a_ticked_step_of_the_response_is_none():
    got = [(a.action, a.status) for a in parse_markdown(BOXED_REMEDIATION, "x.md").incident.actions]
    assert got == [
        ("Move the key to the secrets store, referenced as ${SEARCH_API_KEY}", "done"),
        # an open box is work the authors commit to, whatever its verb
        ("USER: audit the provider's access log for the last 30 days", "open"),
        ("Add a pre-commit hook that scans notebooks for key patterns", "done"),
    ]


def test_a_change_led_into_its_places_is_one_action_and_a_file_label_none():
    got = [(a.action, a.status) for a in parse_markdown(PREVENTION_MEASURES, "x.md").incident.actions]
    texts = [a for a, _ in got]
    assert "eslint.config.mjs" not in texts  # the file the change went into, no task
    assert not any(
        a.startswith("src/lib/design-tokens.ts") or a.startswith("docs/guides/TOKEN_RULES.md") for a in texts
    )
    made = [(a, s) for a, s in got if a.startswith("Added token usage rules to:")]
    assert len(made) == 1 and made[0][1] == "done"
    assert "design-tokens.ts" in made[0][0] and "TOKEN_RULES.md" in made[0][0]


def test_a_fix_section_retelling_what_an_action_section_lists_adds_nothing():
    got = [a.action for a in parse_markdown(FIX_RETOLD, "x.md").incident.actions]
    assert got == ["Drop empty strings in the embedding handler"]
