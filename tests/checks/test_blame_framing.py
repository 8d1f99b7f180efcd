"""Blame carried by how a sentence frames a person (stop 29, kinds an eighth writer's set showed): damage with a
person as the passive's agent, a lapse told as a habit, insinuation beside a person, praise by contrast, a person
as the standard others failed, a duty set aside for something else, sanctions (relieved of duties for a failure,
banned from a system, made an example of, asked to consider their position, sent to re-sit a course, whether they
keep their rights), a person's whole work that must be redone, a scope drawn around a person, traits ("can't be
left alone with", "can't tell X from Y", "will click anything"), a person's decision to fail, defiance, new role
words, mock praise opening with "tidy job"/"well played", an act "without a glance"; and the look-alikes that must
stay quiet: the same shape about a system, a plan, a kind act or a denied fault. The sentences are this module's
own, written for it."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest


# (kind, place, blaming sentence, expected rule, look-alike of the same shape)
KINDS = [
    (
        "damage with a person as the passive's agent",
        "cause",
        "The feature store was corrupted by Halvard while he rebuilt the shards by hand.",
        "blame.failure",
        "The feature store was corrupted by the shard rebuild job while it ran against the live table.",
    ),
    (
        "a group as the agent of waste",
        "narrative",
        "The annotation budget was squandered by the contractors over one long weekend.",
        "blame.failure",
        "The annotation budget was spent by the contractors over one long weekend, as planned.",
    ),
    (
        "a lapse told as a habit",
        "timeline",
        "09:40 Platform crew merges the schema change without a migration plan, yet again.",
        "blame.judgment",
        "09:40 Platform crew merges the schema change with its migration plan, as always.",
    ),
    (
        "a lapse for the nth time running",
        "narrative",
        "Odalys files the quarterly access review with no notes whatsoever, for the third quarter running.",
        "blame.judgment",
        "The quarterly access review job files its report with no errors whatsoever, for the third quarter running.",
    ),
    (
        "insinuation beside a person",
        "scope",
        "Affected: predictably, the two services Torvald still maintains.",
        "blame.judgment",
        "Affected: predictably, the two services still on the old base image.",
    ),
    (
        "praise by contrast",
        "narrative",
        "Unlike certain colleagues, Ingrid checked the dashboards before flipping the flag.",
        "blame.judgment",
        "Unlike the old dashboards, the new ones show the flag state next to the error rate.",
    ),
    (
        "a person as the standard others failed",
        "lesson",
        "Had the rest of the rota been as thorough as Wiebke, the drift would have been spotted in May.",
        "blame.judgment",
        "Had the nightly evaluation been as thorough as the release evaluation, the drift would have been spotted.",
    ),
    (
        "a duty set aside for something else",
        "timeline",
        "22:10 The duty engineer went to dinner instead of watching the canary.",
        "blame.failure",
        "22:10 The canary controller paused the rollout instead of watching the error budget burn.",
    ),
    (
        "relieved of duties for a failure",
        "action",
        "The shift supervisor is to be relieved of release duties for ignoring the freeze.",
        "blame.corrective",
        "Relieve the incident commander of comms duties during the first hour so they can focus.",
    ),
    (
        "banned from a system",
        "action",
        "Make it known that Casimir is banned from the feature-flag console.",
        "blame.corrective",
        "Make it known that the nightly export job is banned from the feature-flag console.",
    ),
    (
        "made an example of",
        "action",
        "Identify whoever disabled the guardrail and make an example of them at the all-hands.",
        "blame.corrective",
        "Identify the guardrail setting that was disabled and show it as an example at the all-hands.",
    ),
    (
        "asked to consider their position",
        "action",
        "The board suggests the platform director consider her position after this quarter.",
        "blame.corrective",
        "The board suggests the platform roadmap consider its position on GPU spend after this quarter.",
    ),
    (
        "sent to re-sit a course",
        "action",
        "Get the weekend crew to re-sit their change-management training before the next freeze.",
        "blame.corrective",
        "Get the weekend crew change-management training scheduled before the next freeze.",
    ),
    (
        "whether a person keeps their rights",
        "scope",
        "Not covered: whether Leopold should retain production access after this.",
        "blame.corrective",
        "Not covered: whether the deploy bot should retain production access after the key rotation.",
    ),
    (
        "a person's whole work to be redone",
        "lesson",
        "Lesson: whatever Lena merges on a Friday has to be reverted on Monday.",
        "blame.judgment",
        "Lesson: whatever the merge queue lands on a Friday has to be verified on Monday.",
    ),
    (
        "a scope drawn around a person",
        "scope",
        "Everything Ottokar deployed on the fourteenth.",
        "blame.fault",
        "Everything the release train deployed on the fourteenth.",
    ),
    (
        "left alone with a system",
        "lesson",
        "Mirela can't be left alone with the billing cluster, we found.",
        "blame.judgment",
        "The billing cluster can't be left alone during a migration, we found.",
    ),
    (
        "cannot tell one thing from another",
        "cause",
        "Because Evander can't tell the staging bucket from the production one.",
        "blame.judgment",
        "Because the loader can't tell the staging bucket from the production one.",
    ),
    (
        "does anything indiscriminately",
        "lesson",
        "The plain lesson is that Theodora will approve anything.",
        "blame.judgment",
        "The plain lesson is that the approval bot will approve anything.",
    ),
    (
        "a person's decision to fail",
        "narrative",
        "But for Ravi's decision to ignore the quota alert, the job would have finished.",
        "blame.failure",
        "But for the scheduler's decision to raise the quota, the job would not have finished.",
    ),
    (
        "a named person told to seek someone competent",
        "action",
        "Sam must get a sign-off from someone competent before touching the router again.",
        "blame.judgment",
        "The router change must get a sign-off from the change board before it ships again.",
    ),
    (
        "acting against instructions",
        "timeline",
        "14:02 Sam, against clear advice, re-runs the backfill on the primary.",
        "blame.failure",
        "14:02 The scheduler, against its own retry limit, re-runs the backfill on the primary.",
    ),
    (
        "told, then defied",
        "narrative",
        "Lena was asked to hold the release until the audit. She pushed it out anyway.",
        "blame.failure",
        "Lena was asked to hold the release until the audit. The release went out on time after the audit.",
    ),
    (
        "mock praise opening with 'tidy job' before harm",
        "narrative",
        "Tidy job by Kim, that: she went and dropped the staging schema on a Friday.",
        "blame.judgment",
        "Tidy job by Kim: the staging schema was rebuilt in ten minutes.",
    ),
    (
        "mock praise opening with 'well played' before harm",
        "timeline",
        "14:10 Rollout paused. Well played, Dana, that was the third dropped index this week.",
        "blame.judgment",
        "14:10 Rollout paused. Well played, Dana, the canary caught it in time.",
    ),
    (
        "a person's act without a glance",
        "cause",
        "The drift went unnoticed because Ravi approved the retraining run without a glance.",
        "blame.failure",
        "The drift went unnoticed because the scheduler approved the retraining run without a glance.",
    ),
    (
        "a hospital role tied to a failure",
        "timeline",
        "T+9m: the night registrar fails to escalate despite the rising error rate.",
        "blame.failure",
        "T+9m: the night alert fails to escalate despite the rising error rate.",
    ),
    (
        "not serious, said of a person",
        "cause",
        "Honestly, Wambui was not serious with the credential rotation.",
        "blame.judgment",
        "Honestly, the credential rotation was not serious enough to page anyone.",
    ),
    (
        "a possessive judgment noun",
        "scope",
        "In scope: the hour lost to Ignatz's dithering over the failover.",
        "blame.judgment",
        "In scope: the hour lost to the controller's flapping over the failover.",
    ),
    (
        "a scare-quoted act under a relative pronoun",
        "cause",
        "Ask the person who 'simplified' the cache keys what happened.",
        "blame.judgment",
        "Ask the person who wrote the cache keys what happened.",
    ),
    (
        "a scare-quoted excuse as the object of a person's verb",
        "timeline",
        "11:05 Rollout held an hour because Lena insisted on 'just one more look'.",
        "blame.judgment",
        "11:05 Rollout held an hour because the policy insists on 'just one more soak' for schema changes.",
    ),
]


@pytest.mark.parametrize(("kind", "place", "text", "rule", "look_alike"), KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_blames_and_its_look_alike_does_not(make, kind, place, text, rule, look_alike):
    found = blame_at(make, place, text)
    assert rule in {f.rule for f in found}, (kind, [(f.rule, f.message) for f in found])
    assert blame_at(make, place, look_alike) == [], (kind, look_alike)


@pytest.mark.parametrize(
    ("place", "text"),
    [
        ("narrative", "No negligence is alleged against any employee of the data vendor."),
        ("narrative", "As usual, Kim's restore drill passed without issues."),
        ("timeline", "10:00 New residents are supervised by an attending during their first month."),
        ("scope", "Every service the platform team runs in the EU region."),
        ("action", "Have the on-call engineers re-sit the incident-command course each year, as the policy asks."),
    ],
)
def test_denied_faults_kind_habits_and_plain_scopes_stay_quiet(make, place, text):
    assert blame_at(make, place, text) == []


def test_a_denied_fault_is_still_blame_when_it_is_used(make):
    assert blame_at(make, "cause", "This was no accident: Ravi was careless with the keys.")


def test_a_framing_finding_offers_a_reframe_from_the_sentence(make):
    (finding,) = blame_at(make, "cause", "The feature store was corrupted by Halvard while he rebuilt the shards.")
    assert "feature store" in finding.fix and "missing control" in finding.fix
