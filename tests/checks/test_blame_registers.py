"""Blame by kind, as a fifth writer's set showed it missing (stop 25): failure idioms of several Englishes, a
judged piece of work, blame framed by "nobody was surprised", the small parser's misread subject, a rule a
person exempts themselves from, production treated as a playground, withdrawn trust, harm a person did, a
person's failure to do a duty, poor judgement, HR-style scope; and the look-alikes the same round kept quiet
(a component at fault, "not who should be blamed", an error denied after it, lifting a burden off people).
Each blaming sentence is asserted with its rule, each look-alike (same shape, about a system) as quiet. The
sentences are this module's own, written for it."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest


# (kind, place, blaming sentence, expected rule, look-alike of the same shape)
KINDS = [
    (
        "failure idiom with a particle (British, Australian English)",
        "summary",
        "Our DBA stuffed up the schema change on Thursday.",
        "blame.failure",
        "The nightly exporter stuffed the queue with duplicate events on Thursday.",
    ),
    (
        "failure idiom: cock up, in timeline shorthand",
        "timeline",
        "11:02 Ravi cocks up the index alias swap",
        "blame.failure",
        "11:02 Index alias swap completes, traffic moves to the new index",
    ),
    (
        "made a dog's breakfast of",
        "summary",
        "Dana made an utter dog's breakfast of the quota migration.",
        "blame.failure",
        "The retry storm made a dog's breakfast of the quota table.",
    ),
    (
        "made a mess of, with any adjective",
        "summary",
        "Jo made a spectacular mess of the key rotation.",
        "blame.failure",
        "The partial write made a spectacular mess of the key table.",
    ),
    (
        "a judged piece of a person's work",
        "timeline",
        "14:10 Jo's dodgy config push takes down search",
        "blame.judgment",
        "14:10 dodgy network link between zones drops packets",
    ),
    (
        "half-finished work pushed by a person",
        "cause",
        "Kim shipped a half-finished ranking model to production.",
        "blame.failure",
        "The exporter shipped a half-finished batch to the warehouse.",
    ),
    (
        "'nobody was surprised' frames, it does not deny",
        "summary",
        "Nobody was shocked when Ravi botched the failover again.",
        "blame.failure",
        "Nobody botched the failover; the script ran twice because of a retry.",
    ),
    (
        "a rule a person exempts themselves from",
        "summary",
        "Sam decided the code freeze did not apply to him.",
        "blame.judgment",
        "The release board decided the code freeze did not apply to documentation changes.",
    ),
    (
        "a process for other people",
        "lesson",
        "Lesson: Ravi thinks code review is for other people.",
        "blame.judgment",
        "Lesson: code review is for other people's changes too, including the bots'.",
    ),
    (
        "production treated as a playground",
        "lesson",
        "The research team treats the production cluster like their own playground.",
        "blame.failure",
        "The scheduler treats the spot pool like a playground for retries.",
    ),
    (
        "withdrawn trust: not to be relied upon",
        "lesson",
        "Lena's estimates are not to be relied upon.",
        "blame.judgment",
        "The nightly snapshot is not to be relied upon for restores.",
    ),
    (
        "harm a person did",
        "scope",
        "Scope: the damage Jo did to the ranking index on Monday.",
        "blame.failure",
        "Scope: the damage the bad shard map did to the ranking index on Monday.",
    ),
    (
        "a person's failure to do a duty",
        "scope",
        "Covers the failure of the release manager to announce the freeze.",
        "blame.failure",
        "Covers the failure of the release tooling to announce the freeze.",
    ),
    (
        "poor judgement shown by a person",
        "scope",
        "Scope: the poor judgement shown by the duty manager during the rollback.",
        "blame.judgment",
        "Scope: the poor judgement shown by the ranking model on rare queries.",
    ),
]


@pytest.mark.parametrize("kind, place, text, rule, look_alike", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_blames_and_its_look_alike_does_not(make, kind, place, text, rule, look_alike):
    found = blame_at(make, place, text)
    assert rule in [f.rule for f in found], (kind, found)
    assert all(f.severity == "error" and f.fix for f in found)
    assert blame_at(make, place, look_alike) == [], kind


@pytest.mark.parametrize(
    "text",
    [
        "Out of scope: whether Sam keeps his job after this.",
        "Raise Kim's missed handover with her manager as a conduct issue.",
        "Out of scope: whether Lena is fit to stay on the team.",
    ],
)
def test_hr_matters_are_punitive(make, text):
    assert "blame.punitive" in [f.rule for f in blame_at(make, "scope", text)]


@pytest.mark.parametrize(
    "place, text",
    [
        ("scope", "Keep the job queue below 10k and the conduct of the canary unchanged."),
        ("summary", "This review is about what the system did, not who should be blamed."),
        ("cause", "The tokenizer update was at fault for the broken answers."),
        ("cause", "The ranking service is partly to blame for the slow pages, with the cache."),
        ("cause", "Operator error was ruled out early; the config came from the template."),
        ("lesson", "Reviewers should not have to remember to run the eval suite; CI runs it."),
        ("cause", "Root cause: undersized pools - Workers were too small for the new batch size, causing evictions."),
    ],
)
def test_components_denials_and_design_goals_are_not_blame(make, place, text):
    assert blame_at(make, place, text) == []


@pytest.mark.parametrize(
    "place, text, rule",
    [
        ("cause", "Kim was at fault for the broken answers.", "blame.language"),
        ("cause", "It was operator error by the on-call, plain and simple.", "blame.language"),
        ("lesson", "Reviewers need to remember to run the eval suite.", "blame.judgment"),
        ("summary", "This review is about who should be blamed for the outage.", "blame.language"),
    ],
)
def test_the_same_words_about_a_person_still_blame(make, place, text, rule):
    assert rule in [f.rule for f in blame_at(make, place, text)]
