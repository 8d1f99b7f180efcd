"""Blame by tone and by where a person stands (stop 28, kinds a seventh writer's set showed): a person named as the
cause, harm "because of him" / "thanks to her", mock praise and thanks, a reproach addressed to someone, a trait of
incompetence, a person's act in scare quotes, lying, errors a person made or introduced, titles before names, lab
and support people; and the look-alikes that cost precision: a quoted blame word named, not used, and a judgment
placed in a thing. Each blaming sentence is asserted with its rule, each look-alike (same shape, about a system, a
process or a sincere act) as quiet. The sentences are this module's own, written for it."""

from __future__ import annotations

from blame_helpers import blame_at
import pytest

from workbench.services.review.checks.blame_tone import mention


# (kind, place, blaming sentence, expected rule, look-alike of the same shape)
KINDS = [
    (
        "a person as the cause",
        "cause",
        "Honestly, the real culprit here is Wojciech.",
        "blame.fault",
        "Honestly, the real culprit here is the retry storm.",
    ),
    (
        "a role as the cause",
        "cause",
        "The problem was the weekend contractor, plain and simple.",
        "blame.fault",
        "The problem was the weekend batch window, plain and simple.",
    ),
    (
        "harm because of a person",
        "narrative",
        "We lost two days of labelling because of him.",
        "blame.fault",
        "We lost two days of labelling because of the holiday freeze.",
    ),
    (
        "harm thanks to a person",
        "timeline",
        "Half the eval budget went down the drain thanks to Ravi.",
        "blame.fault",
        "Thanks to Ravi, the rollback finished in four minutes.",
    ),
    (
        "mock praise with irony",
        "narrative",
        "Nice work by the platform crew, as usual: a schema change with no announcement.",
        "blame.judgment",
        "Nice work by the platform crew: the migration finished a day early.",
    ),
    (
        "sarcastic thanks after harm",
        "timeline",
        "Tomasz closed the bug as wontfix, which is exactly how it reached production. Thanks, Tomasz.",
        "blame.judgment",
        "Tomasz reopened the bug within the hour and the fix shipped the same day. Thanks, Tomasz.",
    ),
    (
        "a reproach addressed to a group",
        "lesson",
        "Marketing announced a feature that did not exist yet; marketing, this means you.",
        "blame.fault",
        "Marketing announced the feature from the launch calendar, which listed it as ready.",
    ),
    (
        "a reproach addressed by name",
        "lesson",
        "Next time, Priya, the checklist is not optional.",
        "blame.corrective",
        "Next time, the checklist runs before the deploy starts.",
    ),
    (
        "a trait: never understood",
        "cause",
        "The cause is that Marcus has never understood how the quota service works.",
        "blame.judgment",
        "The cause is that Marcus did not know the quota service had changed, because the alert named the old one.",
    ),
    (
        "a trait: can't handle",
        "lesson",
        "Keep her away from the feature flags; she clearly can't handle them.",
        "blame.judgment",
        "Keep the parser away from nested quotes; it clearly can't handle them.",
    ),
    (
        "behaving like amateurs",
        "narrative",
        "The release crew behaved like cowboys all week.",
        "blame.judgment",
        "The cache behaved like a write-through store all week.",
    ),
    (
        "a person's act in scare quotes",
        "timeline",
        "Dana 'fixed' the flaky test by deleting it.",
        "blame.judgment",
        "The formatter 'fixed' the lint warnings by rewriting the imports.",
    ),
    (
        "a person's work in scare quotes",
        "scope",
        "Covers everything after Matthias's 'harmless' permission cleanup.",
        "blame.judgment",
        "Covers everything after the 'harmless' permission cleanup job ran.",
    ),
    (
        "lying",
        "lesson",
        "The vendor's account managers lied to us about the QA coverage.",
        "blame.failure",
        "The discrepancy lies in the vendor's QA coverage report.",
    ),
    (
        "errors a person introduced",
        "scope",
        "Scope: the model-card errors Leopold introduced last sprint.",
        "blame.error-noun",
        "Scope: the model-card errors the template introduced last sprint.",
    ),
    (
        "what a person got wrong",
        "scope",
        "This review covers what Dorothea got wrong on the eval dashboard.",
        "blame.failure",
        "This review covers what the exporter got wrong on the eval dashboard.",
    ),
    (
        "a title before an unknown name",
        "narrative",
        "Last week our engineer Kagiso simply ignored the three disk warnings.",
        "blame.failure",
        "Last week our engineer dashboard simply ignored the three disk warnings.",
    ),
    (
        "a lab's student",
        "action",
        "Take the GPU hours from the lab's allocation, since their student caused the loss.",
        "blame.failure",
        "Take the GPU hours from the lab's allocation, since their scheduler caused the loss.",
    ),
    (
        "support agents are people, retrieval agents are not",
        "lesson",
        "The support agents should have spotted the invented refund policy.",
        "blame.counterfactual",
        "The retrieval agents should have cited the refund policy page.",
    ),
    (
        "a cleft singling a person out",
        "narrative",
        "Of course it was Tanvir who switched off the rate limiter, of course it was.",
        "blame.fault",
        "It was Tanvir who spotted the leaking key and rotated it.",
    ),
    (
        "a sneer: infinite wisdom",
        "narrative",
        "The infra crew, in their infinite wisdom, moved the feature store on launch day.",
        "blame.judgment",
        "The infra crew, after a week of load tests, moved the feature store before launch day.",
    ),
    (
        "a sneer: thanks for nothing",
        "narrative",
        "Thanks for nothing, procurement: six weeks to approve two GPUs.",
        "blame.judgment",
        "Thanks, procurement: two GPUs approved in a day.",
    ),
    (
        "a sneer: someone's idea of",
        "narrative",
        "Tanvir's idea of a canary was to ship to everyone and watch Slack.",
        "blame.judgment",
        "Tanvir's design of the canary shipped to one percent and watched the error rate.",
    ),
    (
        "a sneer: got their hands on it",
        "narrative",
        "The cache was fine right up until Tanvir got his hands on it.",
        "blame.judgment",
        "The cache was fine right up until the March upgrade got its hooks into it.",
    ),
    (
        "a sneer: held hostage",
        "narrative",
        "Procurement held the GPU order hostage for a month.",
        "blame.judgment",
        "The GPU order was held at customs for a month.",
    ),
    (
        "trust withheld from a person",
        "lesson",
        "Lesson: never give Oskar a freeze week and admin rights at once.",
        "blame.corrective",
        "Lesson: never give the batch job a freeze week and admin rights at once.",
    ),
    (
        "a minder set on a person",
        "action",
        "Have a senior engineer sit beside Wilhelmina for every deploy this month.",
        "blame.corrective",
        "Have the deploy bot post every deploy to the release channel this month.",
    ),
    (
        "a duty a person never does, as a habit",
        "timeline",
        "04:20 page to Ulrich, no ack; he never picks up at night.",
        "blame.judgment",
        "04:20 page sent, no ack; the pager app never picks up calls on older phones.",
    ),
    (
        "cutting any corner",
        "lesson",
        "We learned that the platform folks will cut any corner near a deadline.",
        "blame.failure",
        "We learned that the platform docs let a deploy cut any corner near a deadline.",
    ),
    (
        "insinuation: we all know who",
        "narrative",
        "Someone on the search side keeps hand-editing prod configs, and I think we all know who.",
        "blame.fault",
        "Someone on the search side hand-edits prod configs each month, because the config tool lacks a bulk editor.",
    ),
    (
        "an apology demanded of a person",
        "action",
        "Ottilie to send a formal apology to the support team for the weekend.",
        "blame.punitive",
        "Send the customers a formal apology from the company account, with the credit attached.",
    ),
    (
        "rights withheld until a group proves itself",
        "action",
        "Remove the research group's merge rights until they prove they can follow process.",
        "blame.punitive",
        "Remove the stale merge rights from the research group's old service accounts.",
    ),
    (
        "a judgment placed in a team, not in a thing",
        "lesson",
        "Complacency in the on-call team cost us the weekend.",
        "blame.judgment",
        "Overconfidence in the offline metrics cost us the weekend.",
    ),
]


@pytest.mark.parametrize("kind, place, text, rule, look_alike", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_blames_and_its_look_alike_does_not(make, kind, place, text, rule, look_alike):
    assert rule in [f.rule for f in blame_at(make, place, text)]
    assert blame_at(make, place, look_alike) == []


@pytest.mark.parametrize(
    "place, text",
    [
        ("timeline", "The ticket was auto-closed as 'human error' by the triage bot."),
        ("cause", "Cause: the rebalance has twelve manual steps; 'human error' is not a cause we accept."),
        ("scope", "Covers how the spam got past the filter's 'lazy' sampling mode, as the vendor names it."),
    ],
)
def test_a_quoted_blame_word_is_named_not_used(make, place, text):
    assert blame_at(make, place, text) == []


def test_a_quoted_word_tied_to_a_person_is_still_used():
    text = "Everyone saw Kalinda's 'quick fix' and Ravi's 'human error' label on the ticket."
    assert not mention(text, text.index("quick"), text.index("quick") + 5)
    label = "The bot labelled the ticket as 'human error' and moved on."
    assert mention(label, label.index("human"), label.index("human") + 11)
    used = "It was 'human error' in the end."  # quoted, but asserted as the cause
    assert not mention(used, used.index("human"), used.index("human") + 11)
    assert not mention("Human error again.", 0, 11)  # not quoted at all


def test_a_sincere_thanks_stays_quiet(make):
    assert blame_at(make, "narrative", "Kudos to the infra team for moving the kernel upgrade out of peak hours.") == []
    assert blame_at(make, "timeline", "Thanks, Jo, for catching the bad shard early.") == []


@pytest.mark.parametrize(
    "place, text, expected",
    [
        ("cause", "Honestly, the real culprit here is Wojciech.", "Wojciech"),
        ("scope", "Scope: the model-card errors Leopold introduced last sprint.", "Leopold"),
    ],
)
def test_each_finding_offers_a_reframe_from_the_sentence(make, place, text, expected):
    findings = blame_at(make, place, text)
    assert findings and all(f.fix for f in findings)
    assert any(expected in f.fix or "model-card" in f.fix or "culprit" in f.fix for f in findings), findings


@pytest.mark.parametrize(
    "place, person_text, thing_text",
    [
        ("timeline", "The on-call skipped the canary again.", "The on-call rota skipped the weekend again."),
        (
            "lesson",
            "The one person on the rota failed us twice.",
            "A one-person rota for the inference stack failed us twice.",
        ),
    ],
)
def test_a_role_used_as_an_adjective_or_after_a_count_is_no_person(make, place, person_text, thing_text):
    assert blame_at(make, place, person_text) != []
    assert blame_at(make, place, thing_text) == []


def test_a_planned_handover_is_no_blame(make):
    assert (
        blame_at(make, "action", "Kim comes off the pager rota next week as planned; he is on paternity leave.") == []
    )


@pytest.mark.parametrize(
    "place, text",
    [
        # an instruction to the reader, not a reproach addressed to someone
        ("lesson", "If the canary light is red, this means you should page the database team."),
        ("narrative", "The problem was the default eviction policy in Kubernetes."),
        # a person as the reason for a good outcome
        ("narrative", "Because of her alert we caught the drift early."),
        ("narrative", "Thanks to him the rollback was quick and nobody was paged twice."),
    ],
)
def test_the_same_words_in_neutral_sentences_stay_quiet(make, place, text):
    assert blame_at(make, place, text) == []
