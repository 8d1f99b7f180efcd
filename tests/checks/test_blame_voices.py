"""Blame by kind, as a sixth writer's set (heldout6, stop 27) showed it missing in voices the earlier rules
did not hear: acting without a review or an approval, keeping others in the dark, "per X's decision" before a
dropped safeguard, rhetorical who-questions, insinuation ("we all know why"), Singapore English "anyhow",
present-tense shorthand ("fat-fingers", "waves through"), departments as actors, a habit a person "must stop",
a duty "still" not done, sarcasm ("charitably described as", "not his finest hour"), a quoted speaker's "this
is on X". Each blaming sentence is asserted with its rule, each look-alike (same shape, about a system, a
process or a neutral act) as quiet. The sentences are this module's own, written for it."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest


# (kind, place, blaming sentence, expected rule, look-alike of the same shape)
KINDS = [
    (
        "a person acting without review",
        "timeline",
        "Ravi merged the tokenizer patch without review, again.",
        "blame.failure",
        "The dependency bot merged the tokenizer patch without review, as its allow-list permits.",
    ),
    (
        "a person acting with zero testing",
        "cause",
        "Jo promoted the reranker to production with zero testing.",
        "blame.failure",
        "The reranker was promoted to production with zero downtime.",
    ),
    (
        "a role skipping the required checks",
        "timeline",
        "Contract raters upload batch 9 without doing the required gold checks.",
        "blame.failure",
        "The ingestion job uploads batch 9 without doing the required gold checks; the job has no such step.",
    ),
    (
        "keeping others in the dark: told nobody",
        "cause",
        "Dana raised the temperature on the summariser and told nobody.",
        "blame.failure",
        "The config service raised the temperature on the summariser and told nobody: it has no audit hook.",
    ),
    (
        "keeping others in the dark: didn't tell anyone",
        "narrative",
        "Sam swapped the embedding model mid-week and didn't tell anyone.",
        "blame.failure",
        "The embedding model was swapped mid-week by the upgrade job, which did not notify anyone.",
    ),
    (
        "a safeguard dropped on a person's decision",
        "narrative",
        "Per Lena's decision, the shadow evaluation was skipped and the regressed ranker went live.",
        "blame.fault",
        "Per Lena's decision, the shadow evaluation ran for two full days before the ranker went live.",
    ),
    (
        "a safeguard dropped on a person's word, as a timeline line",
        "timeline",
        "Per Kim: disable the output filter for the demo.",
        "blame.fault",
        "Per the runbook: disable the output filter before the load test, re-enable after.",
    ),
    (
        "a rhetorical who-question about a past act",
        "narrative",
        "Who thought it was a clever idea to rotate every key during the launch?",
        "blame.fault",
        "Who rotates the keys during a launch? The secrets controller, on its weekly schedule.",
    ),
    (
        "a who-question answered by a person",
        "timeline",
        "Who signed this off? Ravi, by the look of it.",
        "blame.fault",
        "Who signs these off? The change board, per the policy.",
    ),
    (
        "insinuation closing a sentence about a person",
        "narrative",
        "Latency was flat until Jo opened the cache settings, and we all know why.",
        "blame.fault",
        "Latency was flat until the cache settings changed, and we all know why: the TTL was halved.",
    ),
    (
        "insinuation after a sequence",
        "timeline",
        "Dana restarts the gateway; five minutes later the queue backs up. Coincidence, surely.",
        "blame.fault",
        "The gateway restarts; five minutes later the queue backs up, as the restart drains it.",
    ),
    (
        "Singapore English anyhow before the act",
        "timeline",
        "Sam anyhow edit the rate limits before going home lah.",
        "blame.failure",
        "Anyhow, Sam edited the rate limits as the runbook asks before going home.",
    ),
    (
        "a hyphenated failure verb in the present",
        "timeline",
        "Kim fat-fingers the shard count: 2 instead of 20.",
        "blame.failure",
        "The shard count is set to 2 instead of 20 by the template default.",
    ),
    (
        "waving work through",
        "timeline",
        "Labelling QA lead waves through a batch with duplicated prompts.",
        "blame.failure",
        "The validator waves a batch through when its checksum matches.",
    ),
    (
        "a department sitting on a request",
        "narrative",
        "Procurement sat on the capacity request for a month, so the cluster ran hot.",
        "blame.failure",
        "The capacity request sat in the procurement queue for a month, so the cluster ran hot.",
    ),
    (
        "a habit a person must stop",
        "lesson",
        "Lesson: Ravi must stop skimming the eval reports.",
        "blame.corrective",
        "Lesson: the retry loop must stop retrying after three failures.",
    ),
    (
        "a duty still not done",
        "narrative",
        "Paged at 3 am again because Lena still hasn't fixed the flapping disk alert.",
        "blame.failure",
        "Paged at 3 am again because the flapping disk alert still hasn't been fixed in the alert rules.",
    ),
    (
        "sarcasm: charitably described",
        "lesson",
        "Jo's rollback plan could charitably be called aspirational.",
        "blame.judgment",
        "The rollback plan was called aspirational in the design review; it has since gained a dry run.",
    ),
    (
        "sarcasm: not a person's finest hour",
        "narrative",
        "The cutover was, let us say, not Dana's finest hour.",
        "blame.judgment",
        "The cutover took an hour, not the fifteen minutes the plan gave it.",
    ),
    (
        "a quoted speaker placing fault on a person",
        "timeline",
        "Director in the bridge call: 'this one is on Sam, not the pipeline'.",
        "blame.fault",
        "Director in the bridge call: 'this one is on the pipeline, not on any person'.",
    ),
    (
        "testing in production",
        "cause",
        "The outage began because Lena, once more, tested in production.",
        "blame.failure",
        "The outage began because the synthetic checks run in production hit a stale endpoint.",
    ),
    (
        "letting everyone down",
        "lesson",
        "What we take away: the data team let everyone down this quarter.",
        "blame.failure",
        "What we take away: the data pipeline's backfill slipped by a week this quarter.",
    ),
]


@pytest.mark.parametrize("kind, place, text, rule, look_alike", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_blames_and_its_look_alike_does_not(make, kind, place, text, rule, look_alike):
    assert rule in [f.rule for f in blame_at(make, place, text)]
    assert blame_at(make, place, look_alike) == []


@pytest.mark.parametrize(
    "place, text",
    [
        # an unknown name the small tagger reads as a plural noun is still a name ("Ines" is not "in"s)
        ("cause", "Ines lowered the safety threshold on her own initiative and told nobody."),
        # a name the tagger reads as a verb still owns the idiom it opens
        ("cause", "The outage started because Torsten, as ever, tested in production."),
    ],
)
def test_names_the_tagger_misreads_still_blame(make, place, text):
    assert blame_at(make, place, text) != []


@pytest.mark.parametrize(
    "place, text",
    [
        ("timeline", "Kim paged the database team and told them the replica was lagging."),
        ("narrative", "Who owns the eval gate today? Nobody yet: that is action AI-003."),
        ("action", "Kim to stop the canary when the error budget burns past 5%."),
        ("narrative", "Anyhow, the release went out at 14:00 once the flag was flipped."),
        ("lesson", "Legal reviewed the data-sharing terms in a day, which kept the fix on schedule."),
        # a purpose clause frees a person to focus; it asks no effort of them
        ("action", "Give the pager rota a second responder so the on-call can focus on the database."),
    ],
)
def test_neutral_sentences_in_the_same_words_stay_quiet(make, place, text):
    assert blame_at(make, place, text) == []


def test_acting_without_review_under_a_sanctioned_procedure_is_no_failure(make):
    # the same act without the procedure is a failure; with it, the process allowed it
    text = "Ravi merged the hotfix without review"
    assert "blame.failure" in [f.rule for f in blame_at(make, "timeline", text + ".")]
    sanctioned = blame_at(make, "timeline", text + " under the break-glass procedure.")
    assert "blame.failure" not in [f.rule for f in sanctioned]


def test_a_who_question_answered_by_a_process_or_a_speaker_label_is_no_fault(make):
    assert "blame.fault" in [f.rule for f in blame_at(make, "timeline", "Who pushed the tag? Ravi, it seems.")]
    for text in (
        "Who pushed the tag? The release job, on its nightly schedule.",
        "[chat] @lena: who pushed the tag? @ravi: the release job did, nightly",
    ):
        assert "blame.fault" not in [f.rule for f in blame_at(make, "timeline", text)]


@pytest.mark.parametrize(
    "place, text, look_alike",
    [
        # a name next to a clock time is tagged as a number by the small NER; a word of letters is no number
        (
            "timeline",
            "08:20 Tendai ignores the red smoke test and ships the build.",
            "08:20 The scheduler ignores the red smoke test and ships the build.",
        ),
        ("cause", "The whole outage was Ravi's doing.", "The whole outage was the cache's doing."),
        (
            "lesson",
            "Learned: Jo will take any shortcut on offer.",
            "Learned: the deploy tool offers a shortcut past the canary.",
        ),
        (
            "narrative",
            "Procurement keeps sitting on vendor contracts.",
            "Vendor contracts keep sitting in the procurement queue.",
        ),
    ],
)
def test_more_kinds_from_the_same_round(make, place, text, look_alike):
    assert blame_at(make, place, text) != []
    assert blame_at(make, place, look_alike) == []
