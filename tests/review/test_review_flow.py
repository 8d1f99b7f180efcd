"""Review comments and sign-off, and a pull-request style flow end to end:
branch, edit, `workbench lint --format github` shows annotations, fix, comment, resolve, sign off."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from workbench.cli import main
from workbench.domain.model import Incident
from workbench.services.review.steps import add_comment, add_meeting_note, resolve_comment, signoff
from workbench.store import OutsideEdit, StoreError
from workbench.store.reviewfile import load_review

OPENAI = "2024-12-11-openai-telemetry-control-plane-outage"


def lint(capsys, store, *args):
    code = main(["--store", str(store.root), "lint", *args])
    return code, capsys.readouterr().out


def test_comments_are_anchored_and_resolvable(example_store):
    store = example_store
    record = store.load(OPENAI)
    entry = record.incident.timeline[0].id
    _, on_entry = add_comment(store, OPENAI, entry, "Which log shows this?")
    _, on_section = add_comment(store, OPENAI, "technical analysis", "Add the DNS cache TTL.")
    _, on_field = add_comment(store, OPENAI, "impact", "Any error-rate figure?")
    review_file = store.folder_of(OPENAI) / "review.toml"
    data = tomllib.loads(review_file.read_text())
    assert [c["on"] for c in data["comments"]] == [entry, "Technical Analysis", "impact"]
    assert data["comments"][0]["author"] == "Test Author <author@example.test>"
    head = store.history(OPENAI)[0]
    assert head.subject.startswith(f"{OPENAI}: review: comment {on_field.id} on impact")
    assert head.paths == (store.display(review_file).as_posix(),)

    with pytest.raises(StoreError, match="not an entry, a section"):
        add_comment(store, OPENAI, "t-nope", "x")
    resolve_comment(store, OPENAI, on_entry.id, "source added")
    review = load_review(store, OPENAI).review
    assert [c.id for c in review.open_comments()] == [on_section.id, on_field.id]
    assert review.comments[0].resolution == "source added" and review.comments[0].resolved_at
    with pytest.raises(StoreError, match="already resolved"):
        resolve_comment(store, OPENAI, on_entry.id)
    with pytest.raises(StoreError, match="no review comment"):
        resolve_comment(store, OPENAI, "rc-0000")


def test_review_file_refuses_outside_edits(example_store):
    store = example_store
    add_comment(store, OPENAI, "impact", "first")
    review_file = store.folder_of(OPENAI) / "review.toml"
    from workbench.store.reviewfile import save_review

    stale = load_review(store, OPENAI)
    review_file.write_text(review_file.read_text() + "# a person's note\n")
    with pytest.raises(OutsideEdit):
        save_review(store, stale, stale.review, what="x")
    assert review_file.read_text().endswith("# a person's note\n")  # nothing lost


def test_signoff_blocked_until_clean_then_trailer(example_store):
    store = example_store
    _, comment = add_comment(store, OPENAI, "impact", "Any error-rate figure?")
    with pytest.raises(StoreError) as info:
        signoff(store, OPENAI)
    assert f"open comment {comment.id}" in str(info.value) and "actions.due" in str(info.value)
    _, trailers = signoff(store, OPENAI, override="figures are not public; agreed in review")
    head = store.history(OPENAI)[0]
    assert head.subject == f"{OPENAI}: review: sign off stage review"
    assert "Reviewed-by: Test Author <author@example.test>" in head.body
    assert "Override-Reason: figures are not public; agreed in review" in head.body
    assert load_review(store, OPENAI).review.signoffs_for("review")[0].email == "author@example.test"


def test_meeting_notes_commit_each_capture(example_store):
    store = example_store
    before = len(store.history(OPENAI))
    _, note, none = add_meeting_note(store, OPENAI, "decision", "Keep the P0 severity.", section="Executive Summary")
    _, action_note, action_id = add_meeting_note(
        store, OPENAI, "action", "Add a control-plane load gate to rollouts", section="Action Items", owner="@infra"
    )
    assert none is None and action_id == "AI-006" and action_note.action == "AI-006"
    assert len(store.history(OPENAI)) == before + 2
    head = store.history(OPENAI)[0]
    assert head.subject == f'{OPENAI}: review meeting: new action AI-006 "Add a control-plane load gate to rollouts"'
    assert {p.rsplit("/", 1)[1] for p in head.paths} == {"incident.toml", "review.toml"}
    action = store.load(OPENAI).incident.actions[-1]
    assert (action.id, action.owner, action.status) == ("AI-006", "@infra", "open")
    notes = load_review(store, OPENAI).review.meeting
    assert [(n.kind, n.section) for n in notes] == [("decision", "Executive Summary"), ("action", "Action Items")]
    assert notes[0].at.tzinfo is not None


def test_pull_request_flow(capsys, example_store, monkeypatch):
    store = example_store
    monkeypatch.chdir(store.root)  # as in CI: the job runs at the top of the checkout
    git = store.git.repo.git
    git.checkout("-b", "postmortem/openai-review")
    # The author edits on the branch, as a person would in an editor, and commits.
    path = store.folder_of(OPENAI) / "incident.toml"
    text = path.read_text()
    path.write_text(
        text.replace(
            'summary = "On 2024-12-11 a newly deployed telemetry service',
            'summary = "On 2024-12-11, through human error, a newly deployed telemetry service',
        )
    )
    git.commit("-am", "openai: tighten summary")
    rel = store.display(path).as_posix()

    code, out = lint(capsys, store, "--format", "github", rel)
    summary_line = (
        path.read_text().splitlines().index(next(l for l in path.read_text().splitlines() if l.startswith("summary =")))
        + 1
    )
    assert code == 1
    assert f'::error file={rel},line={summary_line},title=blame.language::blame language "human error"' in out
    assert f"::error file={rel},line=" in out and "title=actions.due::" in out

    # Fix: reframe the summary, and give the open actions their due dates (the reviewer asked).
    record = store.load(OPENAI)
    fixed = Incident.model_validate(
        {
            **record.incident.model_dump(),
            "summary": record.incident.summary.replace("On 2024-12-11, through human error, a", "On 2024-12-11 a"),
            "actions": [{**a.model_dump(), "due": a.due or date(2025, 3, 31)} for a in record.incident.actions],
        }
    )
    store.save(record, fixed, where="review", what="reframe summary; due dates for open actions")
    code, out = lint(capsys, store, "--format", "github", rel)
    assert code == 0 and "::error" not in out

    _, comment = add_comment(store, OPENAI, "Technical Analysis", "Link the DNS TTL source.")
    assert main(["--store", str(store.root), "review", "signoff", OPENAI]) == 2
    assert "open comment" in capsys.readouterr().err
    assert main(["--store", str(store.root), "review", "resolve", OPENAI, comment.id, "--note", "linked"]) == 0
    assert main(["--store", str(store.root), "review", "signoff", OPENAI]) == 0
    assert "Reviewed-by: Test Author <author@example.test>" in capsys.readouterr().out
    head = store.history(OPENAI)[0]
    assert "Reviewed-by: Test Author <author@example.test>" in head.body and "Override" not in head.body
    # The stage can now move on through its gate, with no override.
    assert main(["--store", str(store.root), "stage", OPENAI, "tracking"]) == 0
    assert store.load(OPENAI).incident.stage == "tracking"
    # And the branch merges back like any pull request.
    git.checkout("main")
    git.merge("--ff-only", "postmortem/openai-review")
    assert store.load(OPENAI).incident.stage == "tracking"


def test_stage_command_shows_guidance_and_criteria(capsys, example_store):
    assert main(["--store", str(example_store.root), "stage", OPENAI]) == 0
    out = capsys.readouterr().out
    assert "6 Review & refine" in out and "Reviewers sign off the stage" in out
    assert "[ ] A reviewer signed off the review stage" in out
    assert main(["--store", str(example_store.root), "stage", OPENAI, "closed"]) == 2
    err = capsys.readouterr().err
    assert "cannot move review -> closed" in err


def test_a_default_the_author_wrote_survives_a_review_save(example_store):
    """A person wrote `resolved = false` by hand; adding another comment must not delete that line."""
    store = example_store
    add_comment(store, OPENAI, "impact", "first")
    review_file = store.folder_of(OPENAI) / "review.toml"
    text = review_file.read_text()
    assert "resolved = false" not in text  # the app leaves defaults out of what it writes
    review_file.write_text(text.replace('on = "impact"', 'on = "impact"\nresolved = false', 1))
    store.git.repo.git.commit("-am", "hand edit")
    add_comment(store, OPENAI, "impact", "second")
    after = review_file.read_text()
    assert after.count("resolved = false") == 1 and after.count("[[comments]]") == 2
