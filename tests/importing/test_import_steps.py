"""Rules found on stop 26's fresh set (heldout6: security disclosures with an "Our Response" list and advice to
users, LLM-gateway reports, a "how we fixed it" engineering post), written as general rules by kind: a step taken
to get through the incident is no action (LABELLING.md), advice to readers is none, a change told in a post's
story is one. The fixtures were written for these tests in those house styles; the incidents are invented:
- security_disclosure.md: a disclosure with summary bullets of remedies, "## Our Response" / "We took the following
  steps to respond", "## Immediate actions for affected users", work begun, a request for a CVE, "we will continue
  to do our best", one day told three times, "~40 mirrors had their keys exposed", "two (2) accounts";
- fix_story.md: a blog post whose fixes are a list after "Two changes to fix the leak:" and "**Fix:**" paragraphs,
  "We prevent regression with unit tests", "We're also adding ... to CI", "### Immediate actions (completed)" with
  bold-led items, plans under a bold "Incident response and monitoring:" label, an action item linking to a pull
  request the post elsewhere calls "[fixed][fix-pr]"."""

from __future__ import annotations

from workbench.services.importing.postmortem import parse_markdown

from import_fixtures import DATA, figures, line, read


def actions_by_line(name: str) -> dict[str, tuple[str, str]]:
    """Each imported action -> (status, its text), keyed by the fixture line it cites."""
    return {a.source.split(", ")[0].rsplit(":", 1)[1]: (a.status, a.action) for a in read(name).actions}


# ------------------------------------------------------------------------------------------ steps of the response
def test_steps_taken_to_respond_are_no_actions_and_a_lasting_change_among_them_is_done():
    name = "security_disclosure.md"
    got = actions_by_line(name)
    for step in (
        "We immediately turned off",
        "We immediately disclosed",
        "we rotated all mirror keys",
        "We examined every wheel",
        "We issued PRs to rebuild",
    ):
        assert line(name, step) not in got, step
    assert got[line(name, "We put in changes to the build templates")][0] == "done"


def test_work_begun_is_an_open_action_in_a_list_of_steps_and_in_prose():
    name = "security_disclosure.md"
    got = actions_by_line(name)
    assert got[line(name, "We have begun moving all signing")][0] == "open"
    retiring = [status for status, text in got.values() if "started the process of retiring" in text]
    assert retiring == ["open"]


def test_remedies_said_in_the_passive_are_steps_of_the_response():
    name = "security_disclosure.md"
    got = actions_by_line(name)
    for remedy in ("which have since been revoked", "which have since been removed", "Note: These wheels"):
        assert line(name, remedy) not in got, remedy


def test_a_heading_addressed_to_the_readers_holds_advice_not_actions():
    name = "security_disclosure.md"
    text = (DATA / name).read_text(encoding="utf-8").splitlines()
    start = int(line(name, "## Immediate actions for affected users"))
    end = int(line(name, "## What did we learn?"))
    assert not [n for n in actions_by_line(name) if start <= int(n) < end], text[start - 1]


def test_a_request_for_a_cve_a_note_about_the_announcement_and_doing_our_best_are_no_actions():
    got = actions_by_line("security_disclosure.md")
    texts = " ".join(t for _, t in got.values())
    assert "CVE" not in texts and "amend this announcement" not in texts and "do our best" not in texts
    assert len(got) == 3  # the change to the build templates, and the two pieces of work begun


def test_the_steps_left_out_are_named_in_the_import_notes():
    reading = parse_markdown((DATA / "security_disclosure.md").read_text(encoding="utf-8"), "security_disclosure.md")
    note = next(n for n in reading.notes if "steps taken to get through the incident" in n)
    turned_off = line("security_disclosure.md", "We immediately turned off")
    assert note.startswith("9 steps") and f" {turned_off}," in note.split("security_disclosure.md lines")[1]


def test_the_response_and_the_lasting_change_are_told_apart_by_kind():
    from workbench.services.importing.postmortem import steps

    assert steps.response_step("Removed compromised packages from the index")
    assert steps.response_step("Engaged an outside security firm to assist with forensic analysis")
    assert steps.response_step("Reverted the incompatible changes and released version 2.0.1")
    assert steps.response_step("We temporarily limited request depth to 64 blocks")
    assert steps.response_step("Advisory published for the affected versions")
    assert not steps.response_step("Rotated maintainer credentials and established new authorized maintainers")
    assert not steps.response_step("Remove _evict_key override that closes shared clients")  # code, by identifier
    assert steps.lasting("Timeout values increased to accommodate peak load")
    assert not steps.lasting("Issued credits to the affected customers")


# ------------------------------------------------------------------------------------------ a list of steps taken
def test_under_immediate_actions_only_lasting_changes_stay_and_details_go_with_their_step():
    name = "fix_story.md"
    got = actions_by_line(name)
    assert got[line(name, "Slot pool limit moved to runtime configuration")][0] == "done"
    for step in ("Root cause discovery and isolation", "Draining stuck sessions", "Open slots", "Queue depth"):
        assert line(name, step) not in got, step


def test_plans_under_a_topic_label_of_an_improvements_heading_stay_actions():
    name = "fix_story.md"
    got = actions_by_line(name)
    assert got[line(name, "Build a dashboard of slot pool usage")][0] == "open"
    assert got[line(name, "Update readiness checks")][0] == "open"


# ------------------------------------------------------------------------------------------ fixes told in a story
def test_a_list_of_changes_to_fix_the_problem_and_fix_paragraphs_are_done_actions():
    name = "fix_story.md"
    got = actions_by_line(name)
    assert got[line(name, "**Added `release()`")] == (
        "done",
        "Added release() to SessionHandle, giving the teardown path a way to hand the slot back.",
    )
    assert got[line(name, "**Added a `finally` block")][0] == "done"
    assert got[line(name, "**Fix:** Cancel the heartbeat")] == (
        "done",
        "Cancel the heartbeat task in SessionHandle.release() before the socket closes.",
    )


def test_a_safeguard_in_the_present_is_done_and_a_change_under_way_is_open():
    name = "fix_story.md"
    got = actions_by_line(name)
    assert got[line(name, "We prevent regression")][0] == "done"
    adding = got[line(name, "We're also adding")]
    assert adding[0] == "open" and adding[1].startswith("We're also adding the reproduction script to CI")


def test_an_item_is_done_where_the_post_calls_what_it_links_to_fixed():
    name = "fix_story.md"
    got = actions_by_line(name)
    assert got[line(name, "Fix the slot accounting bug")][0] == "done"
    assert got[line(name, "Add an alert on slot pool saturation")][0] == "open"  # its issue is called nothing


# ------------------------------------------------------------------------------------------ dates and impact
def test_a_day_told_again_outside_a_timeline_is_one_date_only_entry():
    days = sorted(e.time.date().isoformat() for e in read("security_disclosure.md").timeline if e.data_gap)
    assert days == ["2024-02-26", "2024-03-04"]


def test_counts_of_what_the_harm_is_said_of_and_a_chosen_delay_is_no_figure():
    got = figures(read("security_disclosure.md"))
    assert (40, "mirrors") in got and (2, "accounts") in got
    assert not [f for f in got if f[1] in ("days", "minutes", "hours")]  # "delay this announcement by one day"


def test_minutes_of_running_mark_a_process_not_how_long_harm_lasted():
    assert figures(read("fix_story.md")) == []


def test_the_span_from_detection_to_resolution_is_a_duration_of_harm():
    from workbench.services.importing.postmortem.figures import figures_in

    found = figures_in("The status page stayed green (detection to resolution in ~9 minutes).")
    assert [(f.value, f.unit) for f in found] == [(9, "minutes")]
