"""Every save is one commit with a structured message; history lists it newest first; an old version
can be shown and restored as a NEW commit (history is never rewritten); the folder follows the start
month, and the history follows the folder; the repository stays sound (`git fsck --full`)."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone

import pytest

from workbench.domain.model import Incident, KeyTimes, TimelineEntry
from workbench.services.bundled import default_taxonomy_text
from workbench.store import NotFound, Store, StoreError

AUG = datetime(2025, 8, 5, 16, tzinfo=timezone.utc)
SEP = datetime(2025, 9, 1, 9, tzinfo=timezone.utc)


def git(store: Store, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=store.root, capture_output=True, text=True, check=True).stdout


def commit_count(store: Store) -> int:
    return int(git(store, "rev-list", "--count", "HEAD"))


def fsck_clean(store: Store) -> None:
    result = subprocess.run(["git", "fsck", "--full", "--strict"], cwd=store.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower() and "missing" not in result.stdout.lower()


@pytest.fixture
def story(empty_store: Store):
    """An incident created and edited twice: three commits, oldest first."""
    store = empty_store
    record = store.create(Incident(id="inc", title="First title", times=KeyTimes(started=AUG)), "## Summary\n\nv1\n")
    record = store.save(
        record, record.incident.model_copy(update={"title": "Second title"}), where="overview", what="retitle"
    )
    entry = TimelineEntry(id="t-0001", time=AUG, event="Alert fires", source="pager")
    record = store.save(
        record,
        record.incident.model_copy(update={"timeline": [entry]}),
        "## Summary\n\nv3\n",
        where="timeline",
        what="add t-0001",
    )
    return store, record


def test_every_save_is_exactly_one_commit_touching_only_that_incident(empty_store: Store) -> None:
    store = empty_store
    before = commit_count(store)
    record = store.create(Incident(id="one", title="t", times=KeyTimes(started=AUG)))
    assert commit_count(store) == before + 1
    for n in range(3):
        record = store.save(
            record, record.incident.model_copy(update={"summary": f"v{n}"}), where="overview", what=f"summary v{n}"
        )
        assert commit_count(store) == before + 2 + n
        files = git(store, "show", "--name-only", "--format=", "HEAD").split()
        assert files == ["incidents/2025/08/one/incident.toml"]
    assert git(store, "status", "--porcelain") == ""
    fsck_clean(store)


def test_history_lists_commits_newest_first_with_structured_messages(story) -> None:
    store, _ = story
    subjects = [c.subject for c in store.history("inc")]
    assert subjects == ["inc: timeline: add t-0001", "inc: overview: retitle", "inc: scoping: create 'First title'"]
    assert all(c.author == "Test Author" and c.email == "author@example.test" for c in store.history("inc"))
    assert [c.subject for c in store.history("inc", limit=1)] == ["inc: timeline: add t-0001"]


def test_commits_are_authored_from_the_users_git_config(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch, isolated_home
) -> None:
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)
    subprocess.run(["git", "config", "--global", "user.name", "Config Person"], check=True)
    subprocess.run(["git", "config", "--global", "user.email", "config@example.test"], check=True)
    store = Store(empty_store.root)  # a fresh Store reads the identity anew
    store.create(Incident(id="by-config", title="t"))
    commit = store.history("by-config")[0]
    assert (commit.author, commit.email) == ("Config Person", "config@example.test")


def test_show_at_returns_the_old_version_and_changes_nothing(story) -> None:
    store, record = story
    oldest = store.history("inc")[-1]
    old = store.show_at("inc", oldest.sha)
    assert old.incident.title == "First title"
    assert old.incident.timeline == []
    assert old.narrative == "## Summary\n\nv1\n"
    assert store.show_at("inc", "HEAD").incident == record.incident
    assert git(store, "status", "--porcelain") == ""
    assert store.load("inc").incident.title == "Second title"


def test_restore_makes_a_new_commit_and_never_rewrites_history(story) -> None:
    store, record = story
    shas = [c.sha for c in store.history("inc")]
    restored = store.restore(record, shas[-1])
    history = store.history("inc")
    assert [c.sha for c in history[1:]] == shas  # the old commits are all still there, in order
    assert history[0].subject == f"inc: history: restore version {shas[-1][:8]}"
    assert git(store, "rev-parse", "HEAD~1").strip() == shas[0]
    loaded = store.load("inc")
    assert loaded.incident == restored.incident
    assert loaded.incident.title == "First title" and loaded.incident.timeline == []
    assert loaded.narrative == "## Summary\n\nv1\n"
    # ...and the newer version can be brought back in turn.
    store.restore(loaded, shas[0])
    assert store.load("inc").incident == record.incident
    fsck_clean(store)


def test_the_folder_follows_the_start_month_and_history_follows_the_folder(story) -> None:
    store, record = story
    before = commit_count(store)
    moved = store.save(
        record,
        record.incident.model_copy(update={"times": KeyTimes(started=SEP)}),
        where="overview",
        what="start is in September",
    )
    assert commit_count(store) == before + 1
    assert moved.folder == store.root / "incidents" / "2025" / "09" / "inc"
    assert not (store.root / "incidents" / "2025" / "08" / "inc").exists()
    assert store.ids() == ["inc"]
    changed = git(store, "show", "--name-status", "--format=", "HEAD")
    assert "incidents/2025/08/inc/incident.toml" in changed and "incidents/2025/09/inc/incident.toml" in changed
    assert "incidents/2025/08/inc/postmortem.md" in changed and "incidents/2025/09/inc/postmortem.md" in changed
    history = store.history("inc")
    assert len(history) == 4
    assert store.show_at("inc", history[-1].sha).folder == store.root / "incidents" / "2025" / "08" / "inc"
    assert store.show_at("inc", history[-1].sha).incident.title == "First title"
    # Restoring a version from before the move moves the folder back, in one new commit.
    store.restore(store.load("inc"), history[1].sha)
    assert store.load("inc").folder == store.root / "incidents" / "2025" / "08" / "inc"
    assert git(store, "status", "--porcelain") == ""
    fsck_clean(store)


def test_ids_are_unique_across_folders(empty_store: Store) -> None:
    store = empty_store
    store.create(Incident(id="dup", title="t", times=KeyTimes(started=AUG)))
    with pytest.raises(StoreError, match="already exists"):
        store.create(Incident(id="dup", title="t", times=KeyTimes(started=SEP)))
    # A copy made by hand in another month is noticed, and reported, not silently picked.
    src = store.root / "incidents" / "2025" / "08" / "dup"
    dest = store.root / "incidents" / "2025" / "09" / "dup"
    dest.mkdir(parents=True)
    (dest / "incident.toml").write_bytes((src / "incident.toml").read_bytes())
    with pytest.raises(StoreError, match="more than one folder"):
        Store(store.root).load("dup")
    assert "2 folders" in str(store.load_all().problems[0])
    with pytest.raises(StoreError, match="more than one folder"):
        store.load("dup")  # load_all rescanned the folders


def test_an_incident_moved_on_disk_is_found_again(empty_store: Store) -> None:
    store = empty_store
    store.create(Incident(id="mv", title="t", times=KeyTimes(started=AUG)))
    assert store.load("mv").folder.parent.name == "08"
    target = store.root / "incidents" / "2025" / "10"
    target.mkdir(parents=True)
    (store.root / "incidents" / "2025" / "08" / "mv").rename(target / "mv")
    assert store.load("mv").folder == target / "mv"


def test_unknown_ids_and_revisions_are_clear_errors(story) -> None:
    store, _ = story
    with pytest.raises(NotFound, match="no incident 'nope'"):
        store.history("nope")
    with pytest.raises(StoreError, match="not a commit"):
        store.show_at("inc", "no-such-rev")
    first = git(store, "rev-list", "--max-parents=0", "HEAD").strip()
    with pytest.raises(NotFound, match="did not exist"):
        store.show_at("inc", first)


def test_a_new_store_is_one_commit_with_layout_and_gitignore(tmp_path) -> None:
    store = Store.init(tmp_path / "s", default_taxonomy_text())
    assert commit_count(store) == 1
    files = git(store, "ls-files").split()
    assert {"taxonomy.toml", ".gitignore", "incidents/.gitkeep"} <= set(files)
    assert "/.workbench/" in (store.root / ".gitignore").read_text()
    assert git(store, "status", "--porcelain") == ""
    fsck_clean(store)


def test_history_and_branch_share_no_long_lived_git_process(story) -> None:
    # The History pane reads the log in a worker thread while the incident screen reads the branch on the event
    # loop. GitPython answers object lookups (`repo.head.commit`) through one long-lived `git cat-file` process
    # per repository, which two threads cannot share: an app once hung at exit with a log waiting on it forever.
    store, _ = story
    assert [c.subject for c in store.history("inc")][-1].startswith("inc")
    assert store.git.branch() and store.git.has_commits()
    git_cmd = store.git.repo.git
    assert git_cmd.cat_file_header is None and git_cmd.cat_file_all is None


def test_branch_and_has_commits_read_a_detached_head_and_an_empty_repository(story, empty_store: Store) -> None:
    store, _ = story
    sha = git(store, "rev-parse", "HEAD").strip()
    git(store, "checkout", "-q", "--detach")
    assert store.git.branch() == f"detached at {sha[:8]}" and store.git.has_commits()
    git(store, "pack-refs", "--all")  # the ref no longer a file of its own: git is asked
    assert store.git.has_commits()
    fresh = Store.init(store.root.parent / "fresh", default_taxonomy_text())
    assert fresh.git.has_commits()  # init commits the taxonomy
    subprocess.run(["git", "init", "-q", str(store.root.parent / "bare-start")], check=True)
    from workbench.store.gitrepo import GitRepo

    nothing = GitRepo(store.root.parent / "bare-start")
    assert not nothing.has_commits() and nothing.log(["x"]) == []
