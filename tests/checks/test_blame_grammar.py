"""Blame by sentence structure: the kinds the issue lists, their look-alikes, reframes, team rules and
the caches that keep spaCy out of start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.services.review.checks import blame_grammar, bundled_config, load_config, run_checks


def blame(make, **fields):
    narrative = fields.pop("narrative", "")
    config = fields.pop("config", None) or replace(bundled_config(), people=("Dana", "Kim", "Jo"))
    return run_checks(make(**fields), narrative, config=config, families=("blame",))


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Jo wrecked the rollout.", "blame.failure"),
        ("The SRE wrecked the failover.", "blame.failure"),
        ("Ops botched the migration.", "blame.language"),  # the bundled phrase names it first
        ("Had the reviewer looked at the diff, the prompt would never have shipped.", "blame.counterfactual"),
        ("If Kim had checked the dashboard, we would have seen it.", "blame.counterfactual"),
        ("The release manager ought to have delayed the launch.", "blame.counterfactual"),
        ("The team couldn't be bothered to read the runbook.", "blame.judgment"),
        ("A half-asleep on-call acknowledged the page.", "blame.judgment"),
        ("The plan was rushed and the people who wrote it were clueless.", "blame.language"),
        ("Honestly, this one is on Dana.", "blame.fault"),
        ("The fault lies with the night shift.", "blame.fault"),
        ("It was an operator slip during the apply.", "blame.error-noun"),
        ("The root of it was a user slip during the apply.", "blame.error-noun"),
        ("Retrain Kim on the release process.", "blame.corrective"),
        ("Put the engineer on a performance plan.", "blame.punitive"),
    ],
)
def test_blame_by_structure_is_found(make, text, rule):
    found = blame(make, summary=text)
    assert [f.rule for f in found] == [rule], found
    assert found[0].severity == "error" and found[0].field == "summary" and found[0].fix


@pytest.mark.parametrize(
    "text",
    [
        "This review is blameless: it looks at the system, not for a person to blame.",
        "Lazy loading of the tokenizer made cold starts slow.",
        "The operator error count on the dashboard rose to 340 per minute.",
        "The team failed over to the secondary region at 14:20 UTC.",
        "Dana rolled back the deploy once the error rate crossed 5%.",
        "The agent forgot its earlier tool results once the context filled.",
        "The reranker bot approved the change because the eval reported success on an empty set.",
        "Nobody is at fault: the tool did what its defaults say.",
        "Neither the reviewer nor the author could have seen the template change from the diff.",
        "The process relied on one person knowing that the trigger had to be switched off.",
        "Train the on-call rotation on the new runbook in the next game day.",
    ],
)
def test_look_alikes_are_not_flagged(make, text):
    assert blame(make, summary=text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Make sure Dana stops merging config changes on Friday evenings.",  # a habit to stop
        "Tell the on-call to actually read alerts before acknowledging them.",  # effort asked for
        "Make the night shift follow the runbook end to end.",  # diligence under a firm directive
        "Get Kim to look over her flag changes with someone before pushing.",  # her own work
        "Have a senior engineer sign off on anything Jo deploys.",  # a review step over one person's work
        "Require a second approver for every migration the intern runs.",
        "Dana needs to be reminded to verify the replica lag before failing over.",  # passive directive
        "Never let Jo deploy on his own again.",  # barring a person
        "Send the on-call engineer back through the incident response training.",  # retraining
    ],
)
def test_actions_aimed_at_a_person_are_corrective(make, text):
    found = blame(make, actions=[{"id": "AI-001", "action": text}])
    assert [f.rule for f in found] == ["blame.corrective"], found
    assert found[0].field == "actions[AI-001].action" and "not the system" in found[0].fix


@pytest.mark.parametrize(
    "text",
    [
        "Make the deploy tool stop config changes on Friday evenings unless a second approver signs.",
        "Have the pipeline stop the rollout when the canary error rate exceeds 1%.",
        "Have Dana add an alert on queue depth above 10k.",  # an assignment, not a correction
        "Ask the night shift which alerts they would drop, and remove the top five.",  # a question
        "Require two approvals for changes to the router config, enforced by branch protection.",
        "Review Dana's runbook draft at the next team meeting.",  # peer review of a document
        "Show a banner asking users to verify their email address.",
        "The reporter made clear that they had already cleaned up the test instance.",
        "Never let a deploy through without a canary stage.",
    ],
)
def test_system_directives_and_assignments_are_not_corrective(make, text):
    assert blame(make, actions=[{"id": "AI-001", "action": text}]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Nobody was careless; the flag tool accepted 100 as easily as 10.",
        "The team was not at fault; the alert thresholds were tuned for last year's traffic.",
        "We failed to confirm that the sidecar was running in staging before the cutover.",
        "The scanner flagged it, but we dismissed the alert because we believed the trigger was safe.",
        "All service owners are responsible for watching their dashboards after a risky deploy.",
        "We are missing an alert on pods stuck in Pending.",
        "Sam notified the team via Slack at 09:12.",
        "Disabling PostHog made the errors stop, and pip installs resumed.",
        "The advisory was published publicly on the mailing list.",
    ],
)
def test_denials_own_accounts_duties_and_names_are_not_blame(make, text):
    assert blame(make, summary=text) == []


def test_terse_timeline_blame_is_found(make):
    entry = {
        "id": "t-0001",
        "time": "2025-01-01T16:05:00Z",
        "source": "chat",
        "event": "16:05 reviewer rubber-stamped PR #4411 without opening it.",
    }
    [found] = blame(make, timeline=[entry])
    assert found.rule == "blame.failure" and found.entry == "t-0001"
    entry["event"] = "Had on-call escalated at 02:10, mitigation would have started an hour earlier."
    assert [f.rule for f in blame(make, timeline=[entry])] == ["blame.counterfactual"]


def test_quotations_and_code_are_not_parsed_for_blame(make):
    narrative = (
        '> Jo wrecked the rollout, someone wrote at 02:00.\n\nquote: "Kim botched it" was the first reply.'
        "\n\n```\nif engineer_forgot: page(ops)\n```\n"
    )
    assert blame(make, narrative=narrative) == []


def test_the_reframe_is_built_from_the_sentence(make):
    [finding] = blame(make, summary="If Kim had checked the eval dashboard, we would have caught it.")
    assert "The process relied on someone checking the eval dashboard" in finding.fix
    [finding] = blame(make, summary="Jo wrecked the rollout.")
    assert "What allowed the rollout" in finding.fix and "Jo" in finding.fix


def test_a_narrative_finding_points_at_its_line(make):
    narrative = "## Technical Analysis\n\nThe cache was cold.\nThe SRE wrecked the failover.\n"
    [finding] = blame(make, narrative=narrative)
    assert (finding.file, finding.line, finding.entry) == ("postmortem.md", 4, "Technical Analysis")


def test_people_toml_names_are_people(make, tmp_path: Path):
    (tmp_path / "people.toml").write_text('[[people]]\nname = "Wren Ahl"\nrole = "SRE"\n')
    config = load_config(tmp_path)
    assert "Wren" in config.people
    assert [f.rule for f in blame(make, summary="Wren wrecked the rollout.", config=config)] == ["blame.failure"]


def test_a_team_can_turn_a_grammar_rule_off_or_allow_a_phrase(make, tmp_path: Path):
    rules = tmp_path / ".workbench-rules"
    rules.mkdir()
    (rules / "blame.toml").write_text("disable = [\"blame.fault\"]\n\n[[allow]]\npattern = 'wrecked the rollout'\n")
    config = load_config(tmp_path)
    assert blame(make, summary="Honestly, this one is on Dana.", config=config) == []
    assert blame(make, summary="Dana wrecked the rollout.", config=config) == []
    assert [f.rule for f in blame(make, summary="The SRE wrecked the failover.", config=config)] == ["blame.failure"]


def test_verdicts_are_kept_in_the_store_cache(make, tmp_path: Path):
    config = load_config(tmp_path)
    blame(make, summary="The SRE wrecked the failover.", config=config)
    cache = tmp_path / ".workbench" / "cache" / "blame-grammar.json"
    data = json.loads(cache.read_text())
    assert any(rows and rows[0][2] == "failure" for rows in data["entries"].values())
    # a cached-only run (the incident list at start-up) reads the verdict without parsing
    cached = replace(load_config(tmp_path), grammar="cached")
    assert [f.rule for f in blame(make, summary="The SRE wrecked the failover.", config=cached)] == ["blame.failure"]
    assert blame(make, summary="Kim wrecked the failover.", config=cached) == []  # never parsed, not guessed


def test_a_damaged_cache_is_started_afresh(make, tmp_path: Path):
    cache = tmp_path / ".workbench" / "cache" / "blame-grammar.json"
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json")
    config = load_config(tmp_path)
    assert [f.rule for f in blame(make, summary="The SRE wrecked the failover.", config=config)] == ["blame.failure"]


def test_the_candidate_filter_skips_plain_sentences():
    assert not blame_grammar.candidate("The cache warmed up at 10:02 UTC.")
    assert blame_grammar.candidate("Jo wrecked the rollout.")


def test_spacy_is_not_imported_by_the_checks_module_alone():
    code = (
        "import sys\nimport workbench.services.review.checks\nimport workbench.services.review.findings_cache\n"
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_rule_for_every_holder_of_a_role_is_not_corrective(make):
    """'every change an engineer makes' sets a control for everyone; 'the intern' is one person."""
    rule = "Require a second approver for every migration an engineer runs against production."
    assert blame(make, actions=[{"id": "AI-001", "action": rule}]) == []
