"""Blame by kind, as a sixth writer's set (heldout5, stop 26) showed it missing: a cause credited to a person
("courtesy of", "no thanks to", "all because", "thanks to X fat-fingering", "on the part of"), a result
attributed to a person, a person acting outside a rule or a sign-off, a cause field answered by a person alone,
sanctions written as action items; and the look-alikes the same round raised or kept quiet (a negated
gerund of blame, a blame phrase mentioned as a phrase, a character word said of an AI component, a team that
retrained a model, praise through "thanks to"). Each blaming sentence is asserted with its rule, each
look-alike (same shape, about a system or a neutral act) as quiet. The sentences are this module's own,
written for it."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest


# (kind, place, blaming sentence, expected rule, look-alike of the same shape)
KINDS = [
    (
        "a cause credited to a person's act: courtesy of",
        "scope",
        "Impact: 3k tenants lost their sessions, courtesy of Kim's cache flush.",
        "blame.fault",
        "Impact: 3k tenants lost their sessions, courtesy of the nightly cache flush.",
    ),
    (
        "a cause credited to a person: no thanks to",
        "scope",
        "The outage stayed regional, no thanks to the release captain.",
        "blame.fault",
        "The outage stayed regional, no thanks to the flaky DNS resolver.",
    ),
    (
        "a cause credited to a person: all because",
        "scope",
        "Disk usage hit 100% all because Ravi switched on trace logging.",
        "blame.fault",
        "Disk usage hit 100% all because the library switched on trace logging by default.",
    ),
    (
        "thanks to a person's failing act (not praise)",
        "summary",
        "The pages all night were thanks to Jo wrecking the cron expression.",
        "blame.fault",
        "Impact was short thanks to Jo's quick rollback of the cron change.",
    ),
    (
        "a lapse on the part of a person",
        "cause",
        "The outage stems from poor judgement on the part of the database lead.",
        "blame.judgment",
        "The tuning work on the part of the database team took a week.",
    ),
    (
        "a result attributed to a person",
        "summary",
        "We attribute the regression mainly to one rater, who skipped half the prompts.",
        "blame.fault",
        "We attribute the regression mainly to the new tokenizer.",
    ),
    (
        "a person acting contrary to a protocol",
        "summary",
        "Contrary to the agreed protocol, the second author tuned the model on the test split.",
        "blame.failure",
        "Contrary to the forecast, traffic peaked at noon and the autoscaler kept up.",
    ),
    (
        "a person's change in breach of a policy",
        "cause",
        "A change to the firewall by a member of the security team, in breach of policy SEC-2.",
        "blame.failure",
        "A change to the firewall by the vendor's automation, in breach of policy SEC-2.",
    ),
    (
        "a person acting outside the runbook",
        "summary",
        "An on-call engineer, acting outside the established runbook, deleted the replica.",
        "blame.failure",
        "The batch job, running outside the maintenance window, deleted the replica.",
    ),
    (
        "a person acting against everyone's advice",
        "cause",
        "The director shipped the unfiltered crawl against everyone's advice.",
        "blame.failure",
        "The director shipped the filtered crawl after everyone's review.",
    ),
    (
        "a cause field answered by a person alone",
        "lesson",
        "Reason: Kim.",
        "blame.fault",
        "Owner: Kim.",
    ),
    (
        "what went wrong, answered by a role",
        "lesson",
        "What went wrong: the new intern.",
        "blame.fault",
        "What went wrong: the DNS resolver.",
    ),
]


@pytest.mark.parametrize("kind, place, text, rule, look_alike", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_blames_and_its_look_alike_does_not(make, kind, place, text, rule, look_alike):
    assert rule in [f.rule for f in blame_at(make, place, text)]
    assert blame_at(make, place, look_alike) == []


@pytest.mark.parametrize(
    "text",
    [
        "Dana to be removed from the release approvers list until further notice.",
        "Kim to retake the on-call training before rejoining the rota.",
        "Record in Ravi's annual review that this outage was his.",
        "Have a word with Jo about her attitude to pages.",
        "Count how many pages each engineer causes per month.",
        "Issue a formal warning to the on-call.",
    ],
)
def test_sanctions_written_as_action_items_are_punitive(make, text):
    assert "blame.punitive" in [f.rule for f in blame_at(make, "action", text)]


@pytest.mark.parametrize(
    "place, text",
    [
        ("action", "The stale flag to be removed from the config by Friday."),
        ("action", "Engineers to retake the security training each year, as the policy already requires."),
        ("action", "Dana's annual review of the access list is due next week."),
        ("action", "Have a word with the vendor about their SLA for firmware fixes."),
        ("action", "Count how many pages each service emits per month."),
        ("summary", "not blaming anyone, honestly asking: how could a PR be merged by its own author?"),
        ("summary", 'The term "operator error" is not used in our reviews: we describe what the system allowed.'),
        ("summary", "The summariser was overconfident and careless with dates, inventing a deadline."),
        ("summary", "Our data team retrained the classifier on the corrected labels."),
        (
            "summary",
            "This review names roles, never individuals, and takes each call as reasonable given what the "
            "responders making it could see at the time.",
        ),
    ],
)
def test_look_alikes_stay_quiet(make, place, text):
    assert blame_at(make, place, text) == []


@pytest.mark.parametrize(
    "place, text, rule",
    [
        ("summary", "Not for the first time, Kim is to blame for the outage.", "blame.language"),
        ("summary", "It was operator error, plain and simple.", "blame.language"),
        ("summary", "The engineer was overconfident and careless with dates.", "blame.language"),
        ("summary", "Our data team retrained Kim on the labelling guideline.", "blame.corrective"),
        (
            "summary",
            "The responders making the call could see the graph at the time and ignored the alert.",
            "blame.language",
        ),
    ],
)
def test_the_same_words_about_a_person_still_blame(make, place, text, rule):
    assert rule in [f.rule for f in blame_at(make, place, text)]
