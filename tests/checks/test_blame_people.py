"""People the blame grammar took for words (stop 30, round 2): a name after a title or rank ("Mr Quenby", "Capt.
Okonjo", "OOW Trethewey"), a party to a hearing or a paper ("the respondent", "the claimant"), and a chat line's
lower-case name ("thx zaliya"). Each is asserted with a look-alike that must stay quiet or stay no person. The
sentences and names are this module's own, written for it (none is in benchmarks/blame_eval)."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest

from workbench.services.review.checks.blame_people import MORE_ROLES, Words, chat_name, titled


@pytest.fixture(scope="module")
def nlp_words():
    from workbench.services.review.checks import blame_grammar

    nlp = blame_grammar.pipeline()
    return nlp, Words(nlp)


def _token(doc, text):
    return next(t for t in doc if t.text == text)


def test_a_name_after_an_honorific_or_a_rank_is_a_person(nlp_words):
    nlp, words = nlp_words
    for text, name in [
        ("The duty officer, Mr Quenby, left the console during the rollout.", "Quenby"),
        ("At 03:10 OOW Trethewey was asleep in the chart room.", "Trethewey"),
        ("Capt. Okonjo overrode the rate limit.", "Okonjo"),
        ("The migration was approved by Dr Green.", "Green"),  # an English word after an honorific is a name
    ]:
        assert titled(_token(nlp(text), name), words), text


def test_a_name_after_a_person_noun_and_named_is_a_person_and_after_a_thing_is_not(nlp_words):
    nlp, words = nlp_words
    from workbench.services.review.checks.blame_people import ROLE_CLASSES

    def role(token):
        return token.lower_ in ROLE_CLASSES["titles"] | {"contractor"}

    assert titled(_token(nlp("A contractor named Hazel unplugged the array."), "Hazel"), words, role)
    assert not titled(_token(nlp("A bucket named Hazel held the audit logs."), "Hazel"), words, role)


def test_a_word_after_a_rank_that_heads_other_phrases_is_no_person(nlp_words):
    nlp, words = nlp_words
    for text, word in [
        ("The Major Outage playbook was followed.", "Outage"),
        ("The Judge Model scored the answers.", "Model"),
        ("AWS Lambda throttled the workers.", "Lambda"),
        ("The Mr Clean wipes are on order.", "Mr"),  # the title itself is no name
    ]:
        assert not titled(_token(nlp(text), word), words), text


def test_a_chat_lines_lower_case_name_is_a_person(nlp_words):
    nlp, words = nlp_words
    doc = nlp("lol zaliya pushed to main on a friday again")
    assert chat_name(_token(doc, "zaliya"), words)
    doc = nlp("blast radius: all of staging, thx zaliya")
    assert chat_name(_token(doc, "zaliya"), words)


def test_a_chat_name_said_again_is_the_same_name_however_the_tagger_read_it(nlp_words):
    nlp, words = nlp_words
    doc = nlp("zaliya yeeted the prod creds into general, thx zaliya")
    assert all(chat_name(t, words) for t in doc if t.text == "zaliya")
    doc = nlp("blast radius: staging only, thx zaliya")  # said once: no other word becomes a name
    assert not any(chat_name(t, words) for t in doc if t.text != "zaliya")


def test_a_lower_case_tool_or_a_word_in_an_ordinary_line_is_no_chat_name(nlp_words):
    nlp, words = nlp_words
    doc = nlp("lol kubectl crashed on a friday again")  # a tool: no vowel between its consonants
    assert not chat_name(_token(doc, "kubectl"), words)
    doc = nlp("The deploy job read zaliya as its profile name.")  # a line in ordinary case: an identifier
    assert not chat_name(_token(doc, "zaliya"), words)
    doc = nlp("lmao the release bot pushed to main again")  # chat's own word
    assert not chat_name(_token(doc, "lmao"), words)


def test_parties_to_a_hearing_are_role_nouns_but_a_suspected_cause_is_not():
    assert {"respondent", "claimant", "defendant", "complainant", "co-author"} <= MORE_ROLES
    assert "suspect" not in MORE_ROLES and "driver" not in MORE_ROLES  # a verb and a device in incident prose


@pytest.mark.parametrize(
    "place, text, look_alike",
    [
        (
            "cause",
            "Root cause: Mr Quenby carelessly skipped the backup step before the migration.",
            "Root cause: the backup step was skipped before the migration because the runbook marked it optional.",
        ),
        (
            "timeline",
            "04:20 Sgt Okonjo ignored the rollback order and kept the canary at full traffic.",
            "04:20 Sgt Okonjo took over the bridge call; the canary was already at full traffic.",
        ),
        (
            "narrative",
            "Finding 2: the respondent carelessly disabled the content filter and concealed it from his manager.",
            "Finding 2: the content filter was disabled by a configuration sync that no change request covered.",
        ),
        (
            "timeline",
            "22:10 zaliya carelessly wiped the staging bucket again, classic zaliya",
            "22:10 the lifecycle rule wiped the staging bucket again, classic friday",
        ),
        (
            "scope",
            "blast radius: all of staging, wiped again 💀 thx zaliya",
            "blast radius: none, staging was restored in four minutes, thx zaliya",
        ),
    ],
)
def test_blame_on_a_titled_name_a_party_or_a_chat_name_is_found_and_its_look_alike_is_quiet(
    make, place, text, look_alike
):
    assert blame_at(make, place, text), text
    assert blame_at(make, place, look_alike) == [], look_alike


def test_a_function_word_inside_a_header_name_is_no_unknown_name_but_an_unknown_name_is(nlp_words):
    # stop 33: "For" is in no content-word lexicon, so a header name's last part read as a subject became a person
    from workbench.services.review.checks.blame_people import name_shaped

    nlp, words = nlp_words
    doc = nlp("Honouring X-Forwarded-For from our own proxy would have been harmless.")
    assert not any(name_shaped(t, words, relaxed=True) for t in doc if t.text == "For")
    doc = nlp("Honouring the header from our own proxy, Brannoc would have been harmless.")
    assert name_shaped(_token(doc, "Brannoc"), words, relaxed=True)
