"""The reframe a blame finding offers reads as advice a person would take: it names the person as the sentence
does (no word of the failure glued to the name, a name's case kept), quotes a judgment only when the quoted word is
the judgment, and never asks the tooling to carry out a sanction. The sentences are this module's own."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest


def fix_for(make, place: str, text: str) -> str:
    found = blame_at(make, place, text)
    assert found, text
    return found[0].fix


@pytest.mark.parametrize(
    "text",
    [
        "Have the night crew re-sit the incident-command course before the holidays.",
        "The release captain is to be relieved of deploy rights for skipping the freeze.",
        "Find whoever turned off the rate limiter and make an example of them at standup.",
    ],
)
def test_a_sanction_is_never_handed_to_the_tooling(make, text):
    fix = fix_for(make, "action", text)
    assert "not the system" in fix and "sanction" in fix
    assert "Make the tooling" not in fix


def test_an_imperative_verb_is_not_read_as_part_of_the_name(make):
    fix = fix_for(make, "action", "Retrain Kim on the rollback runbook.")
    assert "corrects Kim," in fix and "Retrain Kim" not in fix


def test_a_quantifier_is_not_part_of_the_name(make):
    fix = fix_for(make, "scope", "Everything Ottokar deployed on the fourteenth.")
    assert "from Ottokar to the system" in fix and "Everything Ottokar" not in fix


def test_a_name_opening_the_sentence_keeps_its_case(make):
    fix = fix_for(
        make, "timeline", "Odalys files the access review with no notes at all, for the third quarter running."
    )
    assert "Odalys" in fix and "odalys" not in fix


def test_a_judgment_quotes_the_judging_word_and_not_a_plain_verb(make):
    habit = fix_for(
        make, "timeline", "09:40 Platform crew merges the schema change without a migration plan, yet again."
    )
    assert '"merges"' not in habit and habit.startswith("Drop the judgment of")
    judged = fix_for(make, "narrative", "In scope: the hour lost to Ignatz's dithering over the failover.")
    assert 'the judgment "dithering" of Ignatz' in judged
