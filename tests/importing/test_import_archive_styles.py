"""Rules found on stop 32's development writer (heldout11: an assistant's findings and root-cause write-ups whose
action lists are bold titles with bullets under them, an incident archive's records that list their fixes mid-prose
and link to other records under "Related", an action-item table preceded by the lists that define its types and priorities), written as general
mechanisms. The fixtures were written for these tests in those house styles; the incidents are invented. (A sixth
rule, a date field restating a day the timeline logs adds no entry, was withdrawn by the lead: the validation writer,
heldout9, lost a right date-only entry with it, 8/8 -> 7/8.)"""

from __future__ import annotations

from datetime import date

from workbench.services.importing.postmortem import parse_markdown

FINDINGS = """# Cache outage findings

**Date of Analysis:** 2024-03-02

## Prevention Recommendations

### Immediate Actions
1. **Add Cache Validation**
   - Check the hit count after each deploy
   - Throw an error when the cache is empty

2. **Fixed Key Encoding** (Mar 2 10:15am)
   - Keys are now hashed before storage

### Long-term Solutions
1. Move the warm-up into a queue
   - Create a dashboard for queue depth
"""

ARCHIVE = """# Chatbot leaks internal notes

## Summary

During a routine update the chatbot began quoting internal notes to customers. The vendor apologized the next
day. Fixes: splitting the note store from the answer index, adding review of retrieval sources and auditing old
answers

## Timeline

- 2024-05-02: Internal notes first quoted to customers
- 2024-05-03: Vendor apologized

## Related

- `2024-02-11` [Another assistant leaks a prompt](other.md)
- `2024-06-30` [A support bot invents a refund policy](another.md)
"""

TABLE = """# Store inconsistency postmortem

## Action items

Action items fall under three types. Types:
* Prevent - Prevent similar issues from occurring.
* Detect - Detect similar issues sooner.

Each item has a priority:
* P0 - Critical for this release.
* P1 - Important for the next release.

| Action Item                                  | Type    | Priority | Status |
|----------------------------------------------|---------|----------|--------|
| Tests can reproduce the inconsistency        | Prevent | P0       | DONE   |
| The store checks its hashes by default       | Detect  | P1       |        |
"""


def actions(text: str) -> list[tuple[str, str]]:
    return [(a.action, a.status) for a in parse_markdown(text, "pm.md").incident.actions]


def days(text: str) -> list[date]:
    return sorted(e.time.date() for e in parse_markdown(text, "pm.md").incident.timeline if e.data_gap)


# ------------------------------------------------------------------------------------------ actions
def test_bullets_under_a_bold_title_detail_that_action():
    got = actions(FINDINGS)
    firsts = [text.split("\n")[0] for text, _ in got]
    assert "Add Cache Validation" in firsts
    validation = next(text for text, _ in got if text.startswith("Add Cache Validation"))
    assert "Check the hit count after each deploy" in validation  # a detail of the titled item, not its own action
    assert not any(first.startswith(("Check the hit count", "Throw an error", "Keys are now")) for first in firsts)


def test_a_plain_sentence_item_keeps_its_nested_task_as_an_action_of_its_own():
    firsts = [text.split("\n")[0] for text, _ in actions(FINDINGS)]
    assert "Move the warm-up into a queue" in firsts
    assert "Create a dashboard for queue depth" in firsts


def test_remedies_listed_after_a_label_mid_paragraph_are_one_action_each_and_open():
    got = actions(ARCHIVE)
    assert ("splitting the note store from the answer index", "open") in got
    assert ("adding review of retrieval sources", "open") in got
    assert ("auditing old answers", "open") in got
    assert len(got) == 3


def test_lists_that_define_the_types_and_priorities_of_action_items_are_no_actions():
    got = actions(TABLE)
    assert [text for text, _ in got] == [
        "Tests can reproduce the inconsistency",
        "The store checks its hashes by default",
    ]
    assert [status for _, status in got] == ["done", "open"]


# ------------------------------------------------------------------------------------------ dates
def test_dates_of_related_records_are_not_events_of_this_incident():
    got = days(ARCHIVE)
    assert got == [date(2024, 5, 2), date(2024, 5, 3)]
