"""Rules found on stop 34's development writer (heldout13: an assistant-written CI report whose prevention plan groups
tasks under topic titles, a security report whose timeline sits under a "Detection to Remediation" heading, design
records with a "Guardrails" section, a build log of bugs each told with the fix that closed it, a research essay
that says its changes as "now" and present tense, plans labelled by their horizon), written as general mechanisms:
the grammar of the item (a verb of its own, "now" with a present verb, a fix said) and the meaning of a heading or
label. The fixtures were written for these tests in those house styles; the incidents are invented."""

from __future__ import annotations

from workbench.services.importing.postmortem import headings, parse_markdown, wording

TOPIC_TITLES = """# CI failure: lockfile drift

## Prevention for Future

### Long-term Improvements

1. **Release Checks in CI**:
   - Add a check that the lockfile matches the manifest
   - Validate that the release job has a trigger

2. **Pin the build image**:
   - Use the digest, not the tag
   - Keep the digest in one file

3. Cache hygiene:
   - The cache key is the lockfile's hash
"""

STAMPED_UNDER_REMEDIATION = """# Incident report: support bot prompt leak

**Date:** May 2, 2026

## Incident Timeline

### Detection to Remediation
- 09:00 — Anomaly alert fired
- 09:40 — Patched bot deployed

## Remediation Deployed

1. **Input filtering** — prompts screened for injection patterns
"""

GUARDRAILS = """# Provider 500 hidden by retries

## Summary

Retries hid a provider error for a day.

## Guardrails

- [Retry telemetry tests](tests/retry.rs) assert that each retry is logged with its cause.
- [Provider error specification](specs/0003.md) owns the error classes.
"""

FIXES_TOLD = """# Build log

## Bugs that only a real deploy caught

- **The worker read `config.yaml` relative to the working directory.** Nothing noticed until the
  first deploy. Fixed with a path resolved from the package root.
- **Login loops after a session expired.** The cookie kept its old expiry — the fix was a shorter
  refresh window in the auth settings.
- **Nightly job died on the first run.** Fixed by restarting the scheduler.
"""

NOW_PRESENT = """# Post-mortem: research agent rebuild

## The spend story

Nobody recorded the calls made outside the wrapper. Both API keys now sit in projects with billing
switched off. The usage table could not be regenerated; it now reads a fixed window. We were surprised.
"""

HORIZONS = """# Incident report: cache poisoning

## Conclusion

The cache accepted unsigned entries.

**Immediate Action:** Continue serving from the origin only

**Short-term Fix:** Sign cache entries at write time

**Long-term:** Move the cache behind the gateway
"""


def actions(text: str) -> list[tuple[str, str]]:
    return [(a.action, a.status) for a in parse_markdown(text, "pm.md").incident.actions]


def test_items_with_their_own_verb_under_a_topic_title_are_each_an_action_and_the_title_none():
    got = actions(TOPIC_TITLES)
    texts = [a for a, _ in got]
    assert "Add a check that the lockfile matches the manifest" in texts
    assert "Validate that the release job has a trigger" in texts
    assert not any(a.startswith("Release Checks in CI") for a in texts)  # a topic, not a task
    # A title that is a task of its own keeps its bullets as the how; a topic whose item is no task keeps it too.
    assert any(a.startswith("Pin the build image") and "Use the digest" in a for a in texts)
    assert not any(a == "Use the digest, not the tag" for a in texts)
    assert any(a.startswith("Cache hygiene") and "lockfile's hash" in a for a in texts)
    assert all(status == "open" for _, status in got)  # under "Long-term Improvements"


def test_an_imperative_is_read_from_a_word_list_not_the_taggers_guess():
    assert wording.names_own_task("Document which file is authoritative")
    assert wording.names_own_task("Test package installation regularly")
    assert not wording.names_own_task("Workflow Validation in CI:")
    assert not wording.names_own_task("Enhanced Monitoring:")


def test_an_item_that_opens_with_a_clock_time_is_an_event_not_an_action_whatever_its_heading():
    got = actions(STAMPED_UNDER_REMEDIATION)
    assert not any("Anomaly alert" in a or "Patched bot" in a for a, _ in got)
    assert ("Input filtering — prompts screened for injection patterns", "done") in got  # "Remediation Deployed"


def test_a_guardrails_section_lists_the_safeguards_now_in_place():
    got = actions(GUARDRAILS)
    assert len(got) == 2
    assert all(status == "done" for _, status in got)
    assert any("each retry is logged" in a for a, _ in got)


def test_a_fix_told_with_its_bug_is_a_done_action_and_a_restart_is_not():
    got = actions(FIXES_TOLD)
    texts = [a for a, _ in got]
    assert len(got) == 2
    assert all(status == "done" for _, status in got)
    assert any(
        a.startswith("The worker read config.yaml") and "path resolved from the package root" in a for a in texts
    )
    assert any("shorter refresh window" in a for a in texts)
    assert not any("restarting" in a for a in texts)  # a step of the response, no lasting change


def test_now_with_a_present_verb_says_a_change_made():
    got = actions(NOW_PRESENT)
    assert ("Both API keys now sit in projects with billing switched off.", "done") in got
    assert any("it now reads a fixed window" in a and s == "done" for a, s in got)
    assert not any("surprised" in a for a, _ in got)


def test_a_label_naming_a_horizon_ahead_holds_a_planned_action():
    got = actions(HORIZONS)
    assert ("Sign cache entries at write time", "open") in got
    assert ("Move the cache behind the gateway", "open") in got


ADDENDUM = """# Post-mortem: eval service

The outage ran on 2026-03-02 from 10:00 to 11:00 UTC.

## Notes

*Addendum, 2026-03-09:* the replay tool crashed for every tag, because its loader lagged the schema.
"""


def test_an_addendum_is_dated_as_the_write_up_not_as_an_event():
    timeline = parse_markdown(ADDENDUM, "pm.md").incident.timeline
    assert not any(e.time.date().isoformat() == "2026-03-09" for e in timeline)
    assert any(e.time.date().isoformat() == "2026-03-02" for e in timeline)


def test_a_file_named_in_a_heading_is_not_its_meaning():
    assert headings.kind_of("Against Roadmap.md's original target") is None
    assert headings.kind_of("Roadmap") == "actions"


SUMMARY_PLAN = """# Post-mortem: demo blocked by SDK

## TL;DR

**Short-term:** Switch the demo to a stub provider
**Long-term:** Open an upstream issue

## Next Steps

- Open an upstream issue about the swallowed error
"""


def test_a_plan_by_horizon_in_a_summary_is_told_again_below_and_read_there():
    assert actions(SUMMARY_PLAN) == [("Open an upstream issue about the swallowed error", "open")]


def test_a_fix_judged_is_no_fix_said():
    text = "# Log\n\n## Notes\n\nThe fix was straightforward once identified. The fix was to pin the base image.\n"
    assert [a for a, _ in actions(text)] == ["The fix was to pin the base image."]
