"""Zero blame: phrases and person-as-cause are flagged; quotations and blameless uses are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.review.checks import load_config, run_checks
from workbench.services.review.checks.blame import people_from
from workbench.store import LoadError


def blame(incident, narrative="", config=None):
    return [f for f in run_checks(incident, narrative, config=config, families=("blame",))]


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("The outage was caused by human error.", "human error"),
        ("Operator-error during the failover.", "Operator-error"),
        ("The release team dropped the ball on the rollback.", "dropped the ball"),
        ("The on-call should have known the flag was on.", "should have known"),
        ("A careless edit to the prompt template.", "careless"),
        ("This was negligent handling of the keys.", "negligent"),
        ("The reviewer failed to notice the diff.", "failed to notice"),
        ("It was the fault of the platform team.", "fault of"),
        ("Someone forgot to bump the model version.", "forgot"),
        ("We blame the migration script owner.", "blame"),
        ("A sloppy config push.", "sloppy"),
        ("The operator fat-fingered the replica count.", "fat-fingered"),
        ("The engineer ignored the alerts.", "ignored the alerts"),
        ("The researcher did not follow the runbook.", "did not follow the runbook"),
        ("The regression was introduced by the new hire.", "introduced by the new hire"),
        ("It broke because he forgot the flag.", "forgot"),
        ("The on-call engineer was not careful enough.", "was not careful enough"),
    ],
)
def test_blame_language_is_flagged(make, text, phrase):
    found = blame(make(summary=text))
    assert [f.rule for f in found] == ["blame.language"], found
    assert phrase.lower() in found[0].message.lower()
    assert found[0].fix and found[0].severity == "error" and found[0].field == "summary"


@pytest.mark.parametrize(
    "text",
    [
        "We burned 40% of the monthly error budget.",
        "The model produced an error on 3 of 50 prompts.",
        "The retriever returned an error for empty queries.",
        "The canary failed to catch the regression because it sampled 1% of traffic.",
        "The monitor failed to notice the slow drift.",
        "No alert would have caught a gradual quality drop.",
        "This review is blameless; we look for conditions, not culprits.",
        "We ran git blame on the config to find the change.",
        "A fault tree built from the traces.",
        "A faulty GPU returned NaNs.",
        "The engineer deployed the change after the review approved it.",
        "Catastrophic forgetting appeared after the fine-tune.",
        "An error of 2% on the eval set.",
        "The evaluation pipeline did not check refusal rate.",
    ],
)
def test_blameless_uses_are_not_flagged(make, text):
    assert blame(make(summary=text)) == []


@pytest.mark.parametrize(
    "narrative",
    [
        '> "Honestly, it was human error," one responder wrote in chat.\n',
        'The first chat reply was quote: "the on-call dropped the ball", which the review reframed.\n',
        "The prompt said `never blame the user` verbatim.\n",
        "```\nERROR human error detected in log line\n```\n",
        "<!-- avoid words like careless -->\n",
    ],
)
def test_marked_quotations_are_not_flagged(make, narrative):
    assert blame(make(), narrative) == []


def test_quotes_without_the_marker_are_still_judged(make):
    found = blame(make(), 'It was "human error" in the end.\n')
    assert [f.rule for f in found] == ["blame.language"]
    assert found[0].file == "postmortem.md" and found[0].line == 1


@pytest.mark.parametrize(
    "text, who",
    [
        ("@alice caused the outage by pushing the config.", "@alice caused"),
        ("The rollback was slow because Bob was asleep.", "because Bob"),
        ("The outage happened due to @carol.", "due to @carol"),
        ("It was Bob's mistake.", "Bob's mistake"),
        ("Dana Kim triggered the reindex.", "Dana Kim triggered"),
        ("@dev-ops-42 broke the deploy.", "@dev-ops-42 broke"),
    ],
)
def test_person_named_as_cause(make, text, who):
    incident = make(
        commander="@alice",
        lead="Bob Li (SRE)",
        summary=text,
        actions=[{"id": "AI-001", "action": "Add a canary", "owner": "Dana Kim"}],
    )
    found = [f for f in blame(incident) if f.rule == "blame.person"]
    assert len(found) == 1 and who in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "@alice paged the serving team at 14:05 UTC.",
        "Bob rolled back the deploy, which restored quality.",
        "The on-call (@alice) declared the incident because the error rate doubled.",
        "Dana Kim owns the eval gate action.",
        "Quality dropped because bob-the-batcher dropped requests.",  # not a known name, lowercase
    ],
)
def test_people_as_actors_are_fine(make, text):
    incident = make(
        commander="@alice",
        lead="Bob Li",
        summary=text,
        actions=[{"id": "AI-001", "action": "Add a canary", "owner": "Dana Kim"}],
    )
    assert blame(incident) == []


def test_people_from_roles_and_names():
    assert people_from("@alice", "Principal AI Postmortem Lead", "Bob Li (SRE)", "ml-platform team") == [
        "@alice",
        "Bob Li",
        "Bob",
    ]


def test_finding_points_at_the_entry_and_line(make):
    incident = make(
        timeline=[
            {"id": "t-0001", "time": "2025-03-04T10:00:00Z", "event": "x", "source": "log"},
            {
                "id": "t-0002",
                "time": "2025-03-04T10:05:00Z",
                "event": "Deploy went out; human error suspected",
                "source": "log",
            },
        ]
    )
    toml_text = (
        'id = "2025-03-04-example"\n\n[[timeline]]\nid = "t-0001"\nevent = "x"\n\n'
        '[[timeline]]\nid = "t-0002"\nevent = "Deploy went out; human error suspected"\n'
    )
    [finding] = run_checks(incident, "", toml_text=toml_text, families=("blame",))
    assert (finding.entry, finding.field, finding.line) == ("t-0002", "timeline[t-0002].event", 9)


def test_multiline_narrative_line_numbers(make):
    narrative = "## Technical Analysis\n\nFine line.\nThe reviewer was careless here.\n"
    [finding] = blame(make(), narrative)
    assert (finding.line, finding.entry) == (4, "Technical Analysis")


def test_team_rules_extend_and_disable(make, tmp_path: Path):
    rules = tmp_path / ".workbench-rules"
    rules.mkdir()
    (rules / "blame.toml").write_text(
        'disable = ["forgot"]\n\n[[phrases]]\nid = "cowboy"\npattern = \'\\bcowboy\\b\'\nreframe = "Say which '
        "review step was skipped.\"\n\n[[allow]]\npattern = '\\bcowboy hat\\b'\n"
    )
    config = load_config(tmp_path)
    assert [f.message for f in blame(make(summary="A cowboy deploy on Friday."), config=config)] == [
        'blame language "cowboy" (cowboy)'
    ]
    # the phrase is off, but the sentence structure still blames someone
    assert [f.rule for f in blame(make(summary="Someone forgot the flag."), config=config)] == ["blame.failure"]
    assert blame(make(summary="The cowboy hat emoji in the prompt."), config=config) == []
    (rules / "blame.toml").write_text('disable = ["forgot", "blame.failure"]\n')
    assert blame(make(summary="Someone forgot the flag."), config=load_config(tmp_path)) == []


@pytest.mark.parametrize(
    "content, where",
    [
        ("[[phrases]]\nid = \"x\"\npattern = '(unclosed'\n", "phrases[0].pattern"),
        ("[[phrases]]\npattern = 'x'\n", "phrases[0]"),
        ("surprise = 1\n", "surprise"),
        ('disable = "forgot"\n', "disable"),
        ('disable = ["blame.nonsense"]\n', "disable"),
    ],
)
def test_bad_team_rules_name_file_line_field(tmp_path: Path, content, where):
    (tmp_path / ".workbench-rules").mkdir()
    (tmp_path / ".workbench-rules" / "blame.toml").write_text(content)
    with pytest.raises(LoadError) as info:
        load_config(tmp_path)
    [problem] = info.value.problems
    assert problem.field == where and str(problem.path).endswith("blame.toml") and problem.line
