"""General rules by kind of writing (stop 28), each on a fixture written for it (invented incidents; no outside
prose). The kinds were found on the seventh writer's set; each rule is written for the kind, not for a sentence:
- shift_log.md: "All times in EST (UTC-4)" (a zone's name with its offset spelled out: the offset wins), a dated
  heading with a mark of approximation ("### 2024-10-08 ca. 06:40"), bare time headings after it, a timeline
  heading that tells its time inside its words ("#### Bridge call (7:45 AM - bridge closed)"), bold dated bullets
  ("**Oct 9, 2024**: ...") and a bullet stamped with its day whose words give an hour-only range ("~2-3 PM");
- run_costs.md (impact) and agent_report.md (actions): see their sections below."""

from __future__ import annotations

from workbench.services.importing.postmortem import clock, parse_markdown

from import_fixtures import DATA, figures, line, read, timed, utc


# ------------------------------------------------------------------------------------------ times and zones
def test_a_zone_name_with_its_offset_spelled_out_is_read_by_the_offset():
    assert clock.stated_zone("All times in PST (UTC-7)") == "-07:00"
    assert clock.stated_zone("All times in PST") == "PST"
    (mention,) = clock.find_mentions("paged at 11:20 PST (UTC-7)", 2018)
    assert (mention.zone, mention.text) == ("-07:00", "11:20 PST (UTC-7)")


def test_a_mark_of_approximation_between_a_date_and_its_time_keeps_them_one_moment():
    for text in (
        "2018-07-30 ca. 11:20",
        "2018-07-30 ~11:20",
        "July 30, 2018, around 11:20",
        "2018-07-30 at about 11:20",
    ):
        (mention,) = clock.find_mentions(text, None)
        assert (str(mention.day), str(mention.at)) == ("2018-07-30", "11:20:00"), text


def test_an_hour_only_range_shares_the_am_pm_of_its_end():
    def clocks(text: str) -> list[str]:
        return [f"{m.at:%H:%M}" for m in clock.find_mentions(text, 2024) if m.at is not None]

    assert clocks("updated between ~8-9 PM") == ["20:00", "21:00"]
    assert clocks("between 8 and 9pm") == ["20:00", "21:00"]
    assert clocks("from 11 to 1pm") == ["11:00", "13:00"]  # the half of the day that puts the start first
    assert clocks("from 10:30-11:15am") == ["10:30", "11:15"]
    assert clocks("open 9:00 am - 5pm") == ["09:00", "17:00"]  # a first end that says its own half keeps it
    assert clocks("8 replicas and 9 pods") == []  # a bare number is a time only as a range's first end


def test_a_log_under_a_zone_with_a_spelled_offset_and_an_approximate_first_heading():
    name = "shift_log.md"
    got = timed(read(name))
    # EST would be UTC-5; the text spells UTC-4, so 06:40 there is 10:40 UTC.
    assert got[utc(2024, 10, 8, 10, 40)] == line(name, "### 2024-10-08 ca. 06:40")
    assert got[utc(2024, 10, 8, 10, 52)] == line(name, "### 06:52")
    assert got[utc(2024, 10, 8, 11, 30)] == line(name, "### 07:30")


def test_a_timeline_heading_that_tells_its_time_inside_its_words_is_an_entry():
    name = "shift_log.md"
    entries = [e for e in read(name).timeline if e.time == utc(2024, 10, 8, 11, 45)]
    assert [e.source for e in entries] == [f"{name}:{line(name, 'Bridge call (7:45 AM')}"]
    assert "Bridge call" in entries[0].event


def test_a_row_stamped_with_its_day_is_timed_by_the_hours_its_words_give():
    name = "shift_log.md"
    got = timed(read(name))
    row = line(name, "confirms recovery between ~2-3 PM")
    assert got[utc(2024, 10, 10, 18, 0)] == row and got[utc(2024, 10, 10, 19, 0)] == row
    dated = {e.time.date().isoformat() for e in read(name).timeline if e.data_gap}
    assert "2024-10-10" in dated  # "**Oct 10, 2024**: The fix is merged." has no time of its own


def test_a_bold_date_with_its_year_before_a_colon_keeps_the_year_out_of_the_event():
    name = "shift_log.md"
    merged = next(e for e in read(name).timeline if e.source.endswith(f":{line(name, 'The fix is merged')}"))
    assert merged.event == "The fix is merged."
    assert "Oct 10, 2024" in merged.note


def test_a_title_that_dates_the_incident_dates_a_text_that_gives_no_other_date():
    text = (
        "# 2024-02-19 Embedding cache served stale vectors\n\n## Summary\n\nThe cache kept vectors of a retired "
        "model; search quality dropped until it was flushed.\n"
    )
    r = parse_markdown(text, "cache.md")
    assert [(e.time.date().isoformat(), e.data_gap, e.source) for e in r.incident.timeline] == [
        ("2024-02-19", True, "cache.md:1")
    ]
    assert r.incident.id.startswith("2024-02-19-")
    # A text that dates its events itself is not given a second entry from its title.
    dated = text + "\nOn 2024-02-20 at 09:10 UTC the cache was flushed.\n"
    assert [e.time.date().isoformat() for e in parse_markdown(dated, "cache.md").incident.timeline] == ["2024-02-20"]
    # Front matter dates the write-up, not the incident: no entry from it.
    published = "---\ndate: 2024-03-01\n---\n\n# Embedding cache served stale vectors\n\nThe cache was flushed.\n"
    assert parse_markdown(published, "cache.md").incident.timeline == []


# ------------------------------------------------------------------------------------------ impact: said of harm
# run_costs.md: a lessons write-up with a field list of prices and plans, "**Problem:** / **Cost:** /
# **Solution:** / **Prevention:**" fields, labelled facts of the work, hypotheticals, advice and a baseline.
def test_only_figures_said_of_the_harm_are_impact():
    assert figures(read("run_costs.md")) == [(1, "days"), (52, "hours"), (109, "usd"), (130, "minutes")]


def test_each_line_of_a_paragraph_of_fields_is_read_under_its_own_label():
    name = "run_costs.md"
    impact = read(name).impact
    cited = {
        (f.value, f.unit): f.source for f in [getattr(impact, n) for n in impact.FIGURES] + impact.figures if f.value
    }
    # "$109 wasted" is one fact with the prose's "$109 in compute": counted once; the day of delay is its field's.
    assert cited[(1, "days")] == f"{name}:{line(name, '**Cost:** $109 wasted')}"
    # "**Prevention:** test shard writes in the first 3 hours" and "**Solution:** raise the quota ($40 a month)"
    # name no harm: no figure from them.
    assert (3, "hours") not in cited and (40, "usd") not in cited


def test_rates_discounts_expectations_and_baselines_are_no_impact():
    from workbench.services.importing.postmortem import figures as found

    def got(sentence: str) -> list[tuple[float, str]]:
        return [(f.value, f.unit) for f in found.figures_in(sentence, impact_context=True)]

    assert got("Hourly Cost: $2.10/hour (40% discount vs list price)") == []
    assert got("Expected 10-day Cost: $504 (if uninterrupted)") == []
    assert got("The evaluation job cost $6.20 (vs $1.90 baseline).") == [(6.2, "usd")]
    assert got("Token usage spiked to 4,500 tokens/request during the outage.") == []
    assert got("A second stop would have cost 6 days.") == []
    assert got("There was a 50% chance of losing the run.") == []
    assert got("The first 3 hours of a run tell you whether it will fail.") == []
    assert got("Our checks show no evidence of data loss in the last 14 checkpoints.") == []
    assert got("We lost 52 hours of training.") == [(52, "hours")]


def test_a_labelled_fact_of_the_work_is_no_impact_but_a_span_between_marks_is():
    got = figures(read("run_costs.md"))
    assert (18, "hours") not in got  # "Quota approval time: 18 hours"
    assert (130, "minutes") in got  # "Detection to restart: 2h 10m"


# ------------------------------------------------------------------------------------------ actions
# agent_report.md: an agent's incident report with a paragraph of fields under a subtitle that names remediation,
# "**Action**: Reverted ..." with a list under "**Verification**:", "## What we've already done" with a "Done:"
# prefix and a status sub-bullet, "## Roadmap", a list of conditions, a checklist, and a list of causes.
def agent_actions() -> list[tuple[str, str]]:
    return [(a.status, a.action) for a in read("agent_report.md").actions]


def test_only_lasting_changes_become_actions_in_an_agents_report():
    assert agent_actions() == [
        ("done", "alert on reranker weight checksum changes"),
        ("done", "Require a review for changes under models/\n- This has been done: two reviewers are now required"),
        ("open", "Add a dry-run mode to the agent's cleanup task"),
    ]


def test_a_paragraph_of_fields_is_no_action_and_a_revert_in_an_action_field_is_a_step():
    name = "agent_report.md"
    r = parse_markdown((DATA / name).read_text(encoding="utf-8"), name)
    cited = {a.source.split(", ")[0] for a in r.incident.actions}
    for words in ("**Date:** March 3, 2025", "**Action**: Reverted", "Redeployed the ranking service"):
        assert f"{name}:{line(name, words)}" not in cited, words
    assert any(f"lines {line(name, '**Action**: Reverted')}" in n for n in r.notes)  # said, not silently dropped


def test_headings_naming_the_authors_work_hold_actions_with_their_status():
    statuses = dict((text.split("\n")[0], status) for status, text in agent_actions())
    assert statuses["Add a dry-run mode to the agent's cleanup task"] == "open"  # "## Roadmap"
    assert statuses["alert on reranker weight checksum changes"] == "done"  # "## What we've already done"


def test_a_status_prefix_is_the_status_not_the_text_and_a_status_sub_bullet_is_no_action_of_its_own():
    texts = [text for _, text in agent_actions()]
    assert not any(t.lower().startswith("done") for t in texts)
    assert not any(t.startswith("This has been done") for t in texts)
    doc = (
        "# Queue stall\n\n## Action items\n\n- Done: lower the stall alert threshold\n- Open: page the owning team\n"
        "- Use a shared on-call address\n  * This has been done: oncall@example.invalid\n- Document the drain procedure\n"
    )
    got = [(a.status, a.action.split("\n")[0]) for a in parse_markdown(doc, "q.md").incident.actions]
    assert got == [
        ("done", "lower the stall alert threshold"),
        ("open", "page the owning team"),
        ("done", "Use a shared on-call address"),
        ("open", "Document the drain procedure"),
    ]


def test_lists_of_conditions_causes_and_checklists_are_no_actions():
    texts = " ".join(text for _, text in agent_actions())
    for words in ("A checkpoint is renamed", "Back up the weights", "Read the folder's README"):
        assert words not in texts, words
