"""Rules found on stop 25's fresh set (heldout5: PagerDuty-style reports whose day headings follow the timeline
heading at its own level, a Google-style template with bold stamps joined by <br> and "PST/PDT", LLM-gateway
incident reports with a bold Date/Duration/Severity header), written as general rules. The fixtures were written
for these tests in those house styles; the incidents are invented:
- day_sections.md: "## Timeline / _All times in EEST_ / ## March 3 / ### 21:10", a log passing midnight, bare-time
  lines with continuation lines, a pasted alert message with its own UTC time, "17:00 UTC yesterday";
- bold_stamps.md: "Timeline (all times in PST/PDT)" across the end of daylight saving, "**16:05** ...<br>" lines in
  one paragraph, an unheaded day line, a "None." group, a "Done" notes cell, a follow-up section of paragraphs;
- gateway_report.md: front matter with the publication date, a "**Date:** / **Duration:** / **Severity:**" header
  naming the incident's days, setting labels and a code assignment beside harm said as "unreachable"."""

from __future__ import annotations

from datetime import date

from workbench.services.importing.postmortem import clock, evidence, parse_markdown

from import_fixtures import figures, line, read, timed, utc


def entry_at(incident, when):
    return next(e for e in incident.timeline if not e.data_gap and e.time == when)


# ------------------------------------------------------------------------------------------ zones
def test_a_zone_stated_under_the_timeline_holds_for_the_day_headings_that_follow_it():
    name = "day_sections.md"
    got = timed(read(name))
    assert got[utc(2025, 3, 3, 18, 10)] == line(name, "### 21:10")  # 21:10 EEST (UTC+3)
    assert got[utc(2025, 3, 4, 6, 20)] == line(name, "9:20")  # under "## March 4", a sibling of "## Timeline"
    entry = entry_at(read(name), utc(2025, 3, 4, 6, 20))
    assert "EEST" in entry.note and not entry.assumption


def test_a_log_of_time_headings_passes_midnight_in_its_zone():
    name = "day_sections.md"
    assert timed(read(name))[utc(2025, 3, 3, 21, 35)] == line(name, "### 00:35")  # 00:35 EEST on March 4th


def test_a_range_heading_gives_its_start_and_its_end():
    name = "day_sections.md"
    incident = read(name)
    got = timed(incident)
    # "### 23:58-00:20" in EEST: the end passes midnight, onto March 4th local.
    assert got[utc(2025, 3, 3, 20, 58)] == got[utc(2025, 3, 3, 21, 20)] == line(name, "### 23:58-00:20")
    end = entry_at(incident, utc(2025, 3, 3, 21, 20))
    assert "end of the range '23:58-00:20'" in end.note and end.event.startswith("End of:")


def test_a_range_row_gives_its_start_and_its_end_and_an_open_end_gives_none():
    doc = (
        "# Nodes unhealthy\n\n## Timeline\n\nAll times in CET.\n\n| Time | Event |\n| --- | --- |\n"
        "| 2020-10-06 09:00 - 11:00 | Investigation and troubleshooting |\n| 2020-10-06 12:26-12:?? | Fix deployed |\n"
    )
    got = sorted(e.time for e in parse_markdown(doc, "x.md").incident.timeline)
    assert got == [utc(2020, 10, 6, 8, 0), utc(2020, 10, 6, 10, 0), utc(2020, 10, 6, 11, 26)]


def test_more_zone_abbreviations_are_read_as_named():
    assert clock.stated_zone("All times in EEST") == "EEST"
    (mention,) = clock.find_mentions("at 09:00 EET", 2025)
    assert clock.to_utc(date(2025, 1, 8), mention.at, mention.zone) == utc(2025, 1, 8, 7, 0)
    assert clock.find_mentions("10:00 NZDT", 2025)[0].zone == "NZDT"


def test_a_zone_pair_is_the_regions_clock_with_daylight_saving_by_date():
    assert clock.stated_zone("Timeline (all times in PST/PDT)") == "Pacific"
    assert clock.find_mentions("at 10:00 PT", 2025)[0].zone == "Pacific"
    name = "bold_stamps.md"
    got = timed(read(name))
    assert got[utc(2025, 10, 31, 22, 40)] == line(name, "**15:40**")  # October 31st: PDT, UTC-7
    assert got[utc(2025, 11, 4, 0, 5)] == line(name, "**16:05**")  # November 3rd: PST, UTC-8


# ------------------------------------------------------------------------------------------ stamped lines
def test_each_stamped_line_of_a_paragraph_is_its_own_entry():
    name = "bold_stamps.md"
    incident = read(name)
    got = timed(incident)
    assert got[utc(2025, 11, 4, 6, 50)] == line(name, "**22:50**")
    entry = entry_at(incident, utc(2025, 11, 4, 6, 50))
    assert entry.event == "A contributor reports that every release build fails"  # its own line's words only


def test_a_day_line_between_paragraphs_sets_the_day_of_the_stamps_below():
    name = "bold_stamps.md"
    got = timed(read(name))
    assert got[utc(2025, 11, 4, 9, 10)] == line(name, "**01:10**")  # "2025-11-04" on its own line, PST
    assert got[utc(2025, 11, 4, 9, 35)] == line(name, "**01:35**")


def test_bare_time_lines_keep_their_continuation_lines():
    name = "day_sections.md"
    entry = entry_at(read(name), utc(2025, 3, 4, 8, 2))  # 11:02 AM EEST
    assert entry.source.endswith(":" + line(name, "11:02 AM"))
    assert "then writes up the findings" in entry.event


def test_yesterday_is_the_day_before_the_entry_it_is_told_in():
    name = "day_sections.md"
    incident = read(name)
    got = timed(incident)
    assert got[utc(2025, 3, 5, 5, 40)] == line(name, "March 5 8:40 AM")  # EEST, not the UTC of the other time
    assert utc(2025, 3, 4, 17, 0) in got and utc(2025, 3, 5, 17, 0) not in got
    assert "yesterday" in entry_at(incident, utc(2025, 3, 4, 17, 0)).note


def test_a_pasted_alert_message_gives_no_entry():
    assert evidence.pasted_message(
        "Disk slow. | Violation started: March 3, 2025 at 6:04PM UTC | Policy: x | Condition: y"
    )
    assert not evidence.pasted_message("Status page | updated at 10:00 UTC")
    assert utc(2025, 3, 3, 18, 4) not in timed(read("day_sections.md"))


def test_a_day_heading_whose_time_headings_gave_entries_is_no_date_only_entry():
    assert [e for e in read("day_sections.md").timeline if e.data_gap] == []


# ------------------------------------------------------------------------------------------ dates
def test_a_slashed_iso_date_is_a_date_and_a_fully_dated_time_in_a_lesson_is_an_event():
    (mention,) = clock.find_mentions("as early as 2016/11/07 21:30, yet", 2016)
    assert (mention.day, mention.at.hour, mention.at.minute) == (date(2016, 11, 7), 21, 30)
    assert clock.find_mentions("see https://example.org/2016/11/07/notes", 2016) == []
    name = "bold_stamps.md"
    got = timed(read(name))
    assert got[utc(2025, 11, 4, 8, 40)] == line(name, "2025/11/04 00:40")  # PST, the document's one zone
    assert got[utc(2025, 11, 4, 6, 50)] == line(name, "**22:50**")  # the same moment as the timeline's: once
    assert not any(t.hour == 0 and t.minute == 0 for t in got)  # "after 4pm on a Monday" is a lesson, no entry


def test_a_date_field_among_the_incidents_fields_is_the_incidents_day():
    assert not evidence.byline("Date: Nov 6, 2025 Duration: ~4 days Severity: High")
    assert evidence.byline("Date: 2024-07-08")  # a date alone at the top is still the post's byline
    assert not evidence.in_log_field("Date: Nov 6, 2025", 6)
    assert evidence.in_log_field('"date": "2025-11-06"', 9) and evidence.in_log_field("time=12:00", 5)
    days = sorted(e.time.date() for e in read("gateway_report.md").timeline if e.data_gap)
    # The publication date (2025-11-12, front matter) is no entry; "Nov 6" told twice in one paragraph is one.
    assert days == [date(2025, 11, 3), date(2025, 11, 6)]


# ------------------------------------------------------------------------------------------ actions
def test_a_placeholder_paragraph_is_no_action():
    assert all(a.action.strip(". ") != "None" for a in read("bold_stamps.md").actions)


def test_a_status_word_in_any_cell_of_an_action_row_marks_it_done():
    actions = {a.action: a.status for a in read("bold_stamps.md").actions}
    assert actions["Revert to archive tool 2.8.0 in the release image"] == "done"  # "Done" in the Notes column
    assert actions["Pin the archive tool to an exact version"] == "open"


def test_an_action_section_of_paragraphs_gives_one_action_per_paragraph():
    name = "bold_stamps.md"
    cites = [f"{name}:{line(name, words)}" for words in ("The failure alert", "The nightly smoke", "We could freeze")]
    by_cite = {a.source: a for a in read(name).actions}
    follow = [by_cite[c] for c in cites]
    assert [a.status for a in follow] == ["open", "done", "open"]  # "(filed ...)", "(fixed by ...)", a proposal
    assert "Ideally it would page the on-call directly" in follow[0].action


# ------------------------------------------------------------------------------------------ impact
def test_settings_and_code_assignments_are_no_impact_and_unreachable_is_harm():
    # "Max size: 500 entries", "Default TTL: 15 minutes" and "spend=0" are settings; "unreachable for ~2hr" is harm.
    assert figures(read("gateway_report.md")) == [(2, "hours"), (4, "days")]
