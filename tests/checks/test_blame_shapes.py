"""Blame by kind, as a second writer's sentences showed it (stop 23): unknown names and group nouns as people,
clause shapes with no failure verb of their own (idioms, unmet duties, a person's work judged, acts without
the safeguard, taking the fall, care asked of a person, watching a person, withdrawn trust, slips, causes
traced to a person, imagined better people, verbless timeline fragments), punitive actions, and the false
alarms the same round removed. Each kind is asserted on a blaming sentence and on a look-alike of the same
shape about a system; every finding carries a reframe built from its sentence."""

from __future__ import annotations


from blame_helpers import blame_at
import pytest


# (kind, place, blaming sentence, expected rule, look-alike of the same shape)
KINDS = [
    (
        "unknown first name (not in people.toml, NER says ORG or nothing)",
        "summary",
        "Had Tomasz bothered to read the alert, the paging storm would have ended at 02:10.",
        "blame.counterfactual",
        "Had Terraform locked the state file, the two applies could not have overlapped.",
    ),
    (
        "group noun from the role classes",
        "summary",
        "The platform crew wrecked the certificate rotation.",
        "blame.failure",
        "The platform crew rotated the certificates on schedule; the gateway rejected them.",
    ),
    (
        "failure idiom",
        "summary",
        "Honestly, the release manager made a complete mess of the cutover.",
        "blame.failure",
        "The cutover script made a complete mess of the routing table because it ran twice.",
    ),
    (
        "letting a signal decay",
        "summary",
        "This covers the week the on-call let the disk alerts slide.",
        "blame.failure",
        "This covers the week the alert router let the disk alerts slide into a muted channel.",
    ),
    (
        "a person's work with a failing word",
        "summary",
        "This covers Lena's failed rollout of the new retriever.",
        "blame.failure",
        "This covers the failed rollout of the new retriever and Lena's analysis of it.",
    ),
    (
        "a duty, then its absence",
        "timeline",
        "08:50 Lena was supposed to rotate the key last week and didn't.",
        "blame.failure",
        "08:50 The key was supposed to rotate last week, but the rotation job had been disabled.",
    ),
    (
        "told, then did nothing",
        "lesson",
        "Kim was told about the expiring token twice and did nothing.",
        "blame.failure",
        "Kim was told about the expiring token twice, but the reminder went to an unmonitored inbox.",
    ),
    (
        "knowing, then acting anyway",
        "lesson",
        "Priya knew the flag was dangerous and flipped it anyway.",
        "blame.failure",
        "The flag was known to be risky, and the rollout went ahead anyway at 5% behind a canary.",
    ),
    (
        "an act without the safeguard",
        "summary",
        "We look at the handover, where the day shift left without telling anyone about the failing job.",
        "blame.failure",
        "We look at the handover, where the batch job exited without telling anyone about the failure.",
    ),
    (
        "taking the fall",
        "action",
        "Sam must take responsibility for the outage and write the apology to customers.",
        "blame.fault",
        "The platform team will take ownership of the alert rules for the gateway.",
    ),
    (
        "care asked of a person",
        "action",
        "Ravi must start approaching reviews with proper care.",
        "blame.judgment",
        "Handle production credentials with proper care: keep them in the vault, never in chat.",
    ),
    (
        "watching a person",
        "action",
        "Have Jo write down every command she runs in prod so someone can check her.",
        "blame.corrective",
        "Have the shell log every command run in prod so someone can check it.",
    ),
    (
        "trust withdrawn",
        "lesson",
        "Never again trust Marcus with a production migration.",
        "blame.judgment",
        "Never again trust a single health check with a production migration.",
    ),
    (
        "danger in a person's hands",
        "lesson",
        "Lesson learned: schema changes are not safe in the hands of the data team.",
        "blame.judgment",
        "Lesson learned: schema changes are now in the hands of the migration tool, which checks locks.",
    ),
    (
        "an act by mistake, person as agent",
        "timeline",
        "12:10 Production config overwritten by Sam by mistake.",
        "blame.error-noun",
        "12:10 Production config overwritten by the sync job by mistake.",
    ),
    (
        "rushing a piece of work",
        "timeline",
        "09:40 The vendor's annotators rushed the batch.",
        "blame.failure",
        "09:40 The on-call rushed to the console when the page fired.",
    ),
    (
        "a mis- verb",
        "cause",
        "The annotators mislabelled a third of the batch.",
        "blame.failure",
        "The classifier mislabelled a third of the batch after the vocabulary change.",
    ),
    (
        "a cause traced to a person",
        "cause",
        "The outage came down to Takeshi skipping the dry run before the schema migration.",
        "blame.fault",
        "The outage came down to a config change that skipped the dry run before the schema migration.",
    ),
    (
        "an imagined better person",
        "summary",
        "Anyone paying attention would have seen the loss curve flatten on day two.",
        "blame.counterfactual",
        "A loss-curve alert would have flagged the plateau on day two.",
    ),
    (
        "an inverted conditional after a time",
        "timeline",
        "13:30 Had Ravi read the changelog, we'd have caught the breaking flag rename.",
        "blame.counterfactual",
        "13:30 Had the changelog mentioned the rename, we'd have caught it.",
    ),
    (
        "a verbless timeline fragment",
        "timeline",
        "02:05 Kim asleep; pages unanswered for 25 min.",
        "blame.failure",
        "02:05 Pager silent; pages routed to the old rotation for 25 min.",
    ),
    (
        "a mishap someone managed",
        "summary",
        "In scope: how the night-shift operator managed to delete the feature store.",
        "blame.failure",
        "In scope: how the night-shift operator managed to restore the feature store.",
    ),
    (
        "acting despite a warning",
        "timeline",
        "15:22 Deploy pushed by Chidi despite the red CI.",
        "blame.failure",
        "15:22 Deploy pushed by the release bot despite the red CI, since the gate was advisory.",
    ),
    (
        "a person who cannot be relied on",
        "lesson",
        "We learned that Olga cannot be relied on to follow a checklist.",
        "blame.judgment",
        "We learned that the checklist cannot be relied on unless the tool enforces it.",
    ),
    (
        "a person kept in check",
        "action",
        "Put Dmitri on a short leash: every change he makes goes through Lena first.",
        "blame.corrective",
        "Keep the retry budget on a short leash: at most three retries per request.",
    ),
    (
        "a warning brushed off",
        "summary",
        "Yusuf was warned about the quota twice and shrugged it off.",
        "blame.failure",
        "The service shrugged off the load spike without shedding requests.",
    ),
    (
        "a judgment from the wider lexicon",
        "cause",
        "Alex's half-hearted review let the broken config through.",
        "blame.judgment",
        "The half-hearted retry logic gave up after one attempt.",
    ),
    (
        "removing a safeguard from the path",
        "cause",
        "Root cause: the annotation lead cut the second-pass review to save a week.",
        "blame.failure",
        "Root cause: the second-pass review was cut from the annotation workflow to save a week.",
    ),
    (
        "a duty refused",
        "summary",
        "Covers the hours lost because the on-call refused to escalate.",
        "blame.failure",
        "Covers the hours lost because the on-call refused to deploy without a review.",
    ),
    (
        "too proud to",
        "lesson",
        "The SRE team was too proud to ask the database folks for help.",
        "blame.judgment",
        "The SRE team was proud of how fast the database folks helped.",
    ),
    (
        "told to grow up",
        "lesson",
        "The night shift needs to grow up and own their pages.",
        "blame.judgment",
        "The night shift needs a second responder and a clear path to the database team.",
    ),
    (
        "a duty treated as optional",
        "summary",
        "Frankly, Gunnar treated the staging checklist as optional and we all paid for it.",
        "blame.failure",
        "The staging checklist was optional in practice: nothing in the pipeline required it.",
    ),
    (
        "a decision by a person against warnings",
        "summary",
        "In scope: the decision by Carmen, against every warning, to ship the unaligned checkpoint.",
        "blame.failure",
        "In scope: the decision to ship the unaligned checkpoint and the warnings raised before it.",
    ),
    (
        "a person's work judged after a comma",
        "timeline",
        "06:20 Hot-fix by Bruno, untested, broke the tokenizer for all locales.",
        "blame.failure",
        "06:20 Hot-fix by Bruno deployed after passing the tokenizer regression suite.",
    ),
    (
        "warned, then kept going",
        "summary",
        "Mirela, who had been warned about the quota, kept launching jobs until the cluster fell over.",
        "blame.failure",
        "Jobs kept launching after the quota warning because the scheduler treats quota as advisory.",
    ),
    (
        "a cause with an instrument",
        "summary",
        "This review covers the data leak that Yannick caused by pasting the key into a public notebook.",
        "blame.failure",
        "This review covers the data leak caused by a key pasted into a public notebook.",
    ),
    (
        "barring a group",
        "action",
        "Stop letting interns touch the inference fleet.",
        "blame.corrective",
        "Stop letting the batch jobs touch the inference fleet.",
    ),
]


@pytest.mark.parametrize("kind, place, text, rule, look_alike", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_blames_and_its_look_alike_does_not(make, kind, place, text, rule, look_alike):
    found = blame_at(make, place, text)
    assert [f.rule for f in found] == [rule], (kind, found)
    assert found[0].severity == "error" and found[0].fix
    assert blame_at(make, place, look_alike) == [], kind


@pytest.mark.parametrize(
    "text",
    [
        "Revoke Siobhan's production access until she shows she can follow the runbook.",
        "Strip Kofi of his admin rights until he learns the deploy process.",
        "Take prod access away from Ines; she has proven she can't handle it.",
        "The on-call who was paged must explain himself to the director.",
        "Name and shame whoever disabled the rate limiter.",
        "Ban Hector from merging to main for a month.",
    ],
)
def test_punitive_actions_are_found(make, text):
    assert "blame.punitive" in [f.rule for f in blame_at(make, "action", text)]


@pytest.mark.parametrize(
    "text",
    [
        "Remove admin rights from the shared service account and issue per-user roles.",
        "Take prod access away from the shared CI account.",
        "The dashboard must explain the figures to the director.",
        "Revoke the leaked token's access and rotate the signing key.",
        "Ban the release bot from merging to main while the freeze lasts.",
    ],
)
def test_system_access_changes_are_not_punitive(make, text):
    assert blame_at(make, "action", text) == []


@pytest.mark.parametrize(
    "place, text",
    [
        ("summary", "The blame view in the repository showed the threshold had been unchanged since 2023."),
        ("lesson", "We did not blame anyone, and the review was better for it."),
        ("lesson", "We never blamed the on-call, and people spoke freely in the review."),
        ("lesson", "We did not look for someone to blame; we looked for what let the change through."),
        ("timeline", "08:03 Grafana panel 'operator errors / min' crossed its threshold of 5."),
        ("timeline", "08:10 Dashboard 'user errors / hour' passed 40."),
        ("timeline", "07:05 Kenji deleted the staging namespace as planned for the rebuild."),
        ("action", "Document in the onboarding guide why the team does not test in prod."),
        ("summary", "Grafana should have paged us when the error rate tripled, but the alert rule was muted."),
        ("lesson", "Lesson: the canary must gate every rollout, whoever starts it."),
        ("lesson", "We learned that the rollout tool lets anyone skip the canary."),
        ("summary", "You can do this by going to your account settings and adding a security key."),
    ],
)
def test_tools_metrics_denials_and_plans_are_not_blame(make, place, text):
    assert blame_at(make, place, text) == []


def test_unknown_names_need_a_person_slot_and_no_english_word():
    """A capitalised English word opening a sentence ("Lesson") or a product ("Grafana") is not a name;
    an unknown name in a subject or possessor slot is."""
    from workbench.services.review.checks import blame_grammar
    from workbench.services.review.checks.blame_people import Words, name_shaped

    nlp = blame_grammar.pipeline()
    words = Words(nlp)
    assert "lesson" in words and "tomasz" not in words
    doc = nlp("Tomasz ignored the Grafana alert.")
    assert name_shaped(doc[0], words) and not name_shaped(doc[3], words)
    doc = nlp("Kubernetes evicted the pods.")
    assert not name_shaped(doc[0], words)


@pytest.mark.parametrize(
    "place, text, expected",
    [
        ("summary", "Honestly, the release manager made a complete mess of the cutover.", "What allowed the cutover"),
        (
            "summary",
            "Had Tomasz bothered to check the quota dashboard, the job would not have starved.",
            "relied on someone checking the quota dashboard by hand",
        ),
        ("timeline", "08:50 Lena was supposed to rotate the key last week and didn't.", "What allowed the key"),
        ("cause", "The outage came down to Takeshi skipping the dry run.", "Move the fault from Takeshi"),
        ("action", "Make the QA folks actually run the regression suite.", "Make the tooling run the regression suite"),
        (
            "cause",
            "The eval drifted because Jo couldn't be bothered to look at the nightly report.",
            "looking at the nightly report",
        ),
    ],
)
def test_the_reframe_is_built_from_the_sentence(make, place, text, expected):
    [finding] = blame_at(make, place, text)
    assert expected in finding.fix, finding.fix
