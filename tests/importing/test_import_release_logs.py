"""Rules found on stop 31's development writer (heldout10: a design-system's release postmortems, whose timelines
are a date line with its zone rule followed by bullets of clock times; training-run and repository-deletion reports
that count the work lost in steps and files; a task list under a heading that does not say "actions"), written as
general mechanisms. The fixtures were written for these tests in those house styles; the incidents are invented."""

from __future__ import annotations

from datetime import date, datetime, timezone

from workbench.services.importing.postmortem import clock, parse_markdown
from workbench.services.importing.postmortem.figures import figures_in

RELEASE = """---
date: 2021-06-15
authors: someone
---

# `v3.2.1` broken release

**Summary**

When we promoted `v3.2.1` to `latest`, builds broke. At about 9:40am CT the first report came in.

## Timeline

2021-06-14 **(all times in UTC-5)**

- Cut the release branch
- Ran the release checks

2021-06-15

- 08:10 Promoted `v3.2.1` to `latest`
- 09:40 First report of broken builds
- 13:30 Decided to roll back
- 05:15 Opened the rollback PR

2021-06-16 **(all times in UTC)**

- 11:00 Published `v3.2.2`
"""


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def timed(text: str) -> list[datetime]:
    return sorted(e.time for e in parse_markdown(text, "release.md").incident.timeline if not e.data_gap)


def undated(text: str) -> list[date]:
    return sorted(e.time.date() for e in parse_markdown(text, "release.md").incident.timeline if e.data_gap)


# ------------------------------------------------------------------------------------------ times
def test_a_date_line_with_its_zone_rule_dates_and_zones_the_bullets_below_it():
    got = timed(RELEASE)
    assert utc(2021, 6, 15, 13, 10) in got  # 08:10 at UTC-5, the zone the first day line stated
    assert utc(2021, 6, 15, 14, 40) in got  # "9:40am CT" in the summary is the same moment, said once
    assert utc(2021, 6, 16, 11, 0) in got  # a later day line states its own zone, UTC
    notes = [e.note for e in parse_markdown(RELEASE, "release.md").incident.timeline if e.time == utc(2021, 6, 16, 11)]
    assert notes and "stated with the day line" in notes[0]


def test_a_time_earlier_than_the_one_before_it_stays_on_its_day_unless_midnight_is_nearer():
    got = timed(RELEASE)
    assert utc(2021, 6, 15, 10, 15) in got  # 05:15 after 13:30: as written (8 hours back), not the next morning
    assert utc(2021, 6, 16, 10, 15) not in got
    log = "# Outage\n\n## Timeline\n\n2021-03-02 (all times in UTC)\n\n- 23:40 Alert fired\n- 00:15 Rolled back\n"
    assert timed(log) == [utc(2021, 3, 2, 23, 40), utc(2021, 3, 3, 0, 15)]  # 35 minutes on: midnight passed


def test_bullets_without_a_time_under_a_date_line_are_events_of_that_day():
    assert undated(RELEASE) == [date(2021, 6, 14), date(2021, 6, 14)]  # two events, not one day


def test_a_year_that_contradicts_the_documents_date_is_read_as_the_documents_year():
    doc = RELEASE.replace("2021-06-15\n\n- 08:10", "2012-06-15\n\n- 08:10")
    result = parse_markdown(doc, "release.md")
    assert utc(2021, 6, 15, 13, 10) in timed(doc)
    assert not any(e.time.year == 2012 for e in result.incident.timeline)
    assert any("2012-06-15 is read as 2021-06-15" in n for n in result.notes)


def test_a_year_far_from_a_document_without_any_date_of_its_own_is_kept():
    doc = "# Notes\n\n## Timeline\n\n2012-06-15 (all times in UTC)\n\n- 08:10 Promoted the release\n"
    assert timed(doc) == [utc(2012, 6, 15, 8, 10)]


def test_an_earlier_event_a_year_before_the_documents_date_is_kept_as_written():
    doc = RELEASE.replace("- Cut the release branch", "- Cut the release branch (the bug shipped on 2020-06-01)")
    result = parse_markdown(doc, "release.md")
    assert not any("is read as" in n for n in result.notes)  # only the document's own month and day is a slip


def test_a_timeline_table_of_bare_times_in_a_text_without_a_day_takes_the_file_names_day():
    doc = (
        "# Run crash\n\n## Timeline (Local Time)\n\n| Time | Event |\n|---|---|\n| 04:41 | Training started |\n\n"
        "## Notes\n\nI woke up around 05:30 and saw it.\n"
    )
    result = parse_markdown(doc, "2026-01-27_run_crash.md")
    entries = [e for e in result.incident.timeline if not e.data_gap]
    assert [e.time for e in entries] == [utc(2026, 1, 27, 4, 41)]  # the prose time stays undated
    assert entries[0].assumption and "the file name's date" in entries[0].note
    assert parse_markdown(doc, "run_crash.md").incident.timeline == []  # no day anywhere: nothing invented


def test_central_and_mountain_time_letters_are_the_regions_clocks():
    assert clock.normal_zone("CT") == "Central" and clock.normal_zone("MT") == "Mountain"
    (mention,) = clock.find_mentions("at about 12:30pm CT", 2020)
    assert mention.zone == "Central"
    assert clock.to_utc(date(2020, 4, 9), mention.at, "Central") == utc(2020, 4, 9, 17, 30)  # CDT in April


# ------------------------------------------------------------------------------------------ impact
def test_work_lost_is_counted_in_its_own_units_only_with_a_word_of_loss():
    assert [(f.value, f.unit) for f in figures_in("Lost only ~1,652 steps (18k to 19.6k)")] == [(1652, "steps")]
    assert [(f.value, f.unit) for f in figures_in("Mass deletion of the docs folder (1,044 files)")] == [
        (1044, "files")
    ]
    assert [(f.value, f.unit) for f in figures_in("It took ~2k iterations to recover")] == [(2000, "iterations")]
    assert figures_in("We trained for 5000 steps and the loss went down") == []  # a training loss is a metric
    assert figures_in("Data lost | 0 checkpoints") == []
    # A place in the run is no amount lost, and a word of loss lets in nothing but the work it counts.
    got = [(f.value, f.unit) for f in figures_in("we lost 7.3h of work, it failed 2 iterations before the checkpoint")]
    assert got == [(7.3, "hours")]
    assert figures_in("a second pod was in ContainerCreating since 5h -> deleted both to see if they reschedule") == []


def test_a_range_of_a_count_gives_both_bounds():
    got = [(f.value, f.unit) for f in figures_in("The impact of this was between 5 to 10 teams who hit the bug")]
    assert got == [(5, "teams"), (10, "teams")]


# ------------------------------------------------------------------------------------------ actions
TASKS = """# Accidental deletion

## Recommendations

### Immediate (Done)

- [x] Add a confirmation prompt to `init`
- [x] Fix the install guide

### Long-term

- [ ] Deprecate the `--force` flag

## Prevention Measures Implemented

**BEFORE** (Dangerous):

```bash
tool init --force
```

## Checklist for users

- [ ] Check your backups
"""


def test_a_task_list_holds_actions_whatever_its_heading_and_a_caption_is_none():
    actions = {a.action: a.status for a in parse_markdown(TASKS, "tasks.md").incident.actions}
    assert actions == {
        "Add a confirmation prompt to init": "done",
        "Fix the install guide": "done",
        "Deprecate the --force flag": "open",
    }  # "(Dangerous):" captions a code sample; a checklist for users is guidance, not the authors' work
