"""Statistics read the index's profiles one at a time (issue 15, the Learning screen's memory): the lines are
streamed from profiles.jsonl, each profile is dropped once its figures are counted, and only the most overdue
actions a screen shows are kept. The figures are the ones the full models give."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from learning_store import TODAY, copy_store, learning_root, learning_store  # noqa: F401

from workbench.services.learning import source as learning_source
from workbench.services.learning.profile import Profile
from workbench.services.learning.stats import compute_stats
from workbench.services.search import CorruptSegment, SearchEngine
from workbench.store import Store


def _engine(store: Store) -> SearchEngine:
    engine = SearchEngine(store.root)
    engine.open()
    return engine


@pytest.mark.parametrize("since", [None, date(2025, 1, 1)])
def test_statistics_streamed_from_the_index_equal_those_from_full_models(
    learning_store: Store,  # noqa: F811
    since: date | None,
) -> None:
    taxonomy = learning_store.load_taxonomy()
    models = [r.incident for r in learning_store.load_all().records]
    expected = compute_stats(models, taxonomy, TODAY, since)
    streamed = compute_stats(learning_source.stream_profiles(_engine(learning_store)), taxonomy, TODAY, since)
    assert streamed.to_json() == expected.to_json()
    assert expected.recurring_causes and expected.overdue and 0 < expected.incidents
    # What the Learning screen keeps: only the most overdue actions it shows, every one still counted.
    kept = compute_stats(
        learning_source.stream_profiles(_engine(learning_store)), taxonomy, TODAY, since, overdue_kept=2
    )
    assert kept.overdue == expected.overdue[:2] and kept.overdue_count == len(expected.overdue) > 2
    assert kept.shown(6, 5, 2) == expected.shown(6, 5, 2)


def test_most_overdue_kept_is_the_same_however_many_there_are(learning_store: Store) -> None:  # noqa: F811
    """A bounded list of the most overdue is cut down as it grows: with more overdue actions than its bound
    many times over (each incident read 40 times), it ends with the same first ones as sorting them all."""
    taxonomy = learning_store.load_taxonomy()
    profiles = [Profile.of(r.incident, with_words=False) for r in learning_store.load_all().records] * 40
    whole = compute_stats(profiles, taxonomy, TODAY, with_causes=False)
    kept = compute_stats(profiles, taxonomy, TODAY, with_causes=False, overdue_kept=3)
    assert whole.overdue_count > 4 * 3 + 64  # the bound is reached, so the list is cut more than once
    assert kept.overdue == whole.overdue[:3] and kept.overdue_count == whole.overdue_count


def test_statistics_keep_no_profile_once_its_figures_are_counted(learning_store: Store) -> None:  # noqa: F811
    """Reading profile n+2, nothing holds profile n any more but the test itself (the loop's own variables hold
    the one just read): 10,000 profiles are never all alive at once."""
    taxonomy = learning_store.load_taxonomy()
    models = [r.incident for r in learning_store.load_all().records]
    held_on: list[str] = []

    def watched() -> Iterator[Profile]:
        before: list[Profile] = []
        for model in models:
            profile = Profile.of(model, with_words=False)
            if len(before) == 2:
                older = before.pop(0)
                if sys.getrefcount(older) > 2:  # `older` and getrefcount's own argument
                    held_on.append(older.id)
                del older
            before.append(profile)
            del profile
            yield before[-1]

    stats = compute_stats(watched(), taxonomy, TODAY)
    assert stats.incidents == 33 and held_on == []


def test_profile_lines_stream_as_the_list_reads_them_through_a_delta(learning_store: Store, tmp_path) -> None:  # noqa: F811
    store = copy_store(learning_store.root, tmp_path / "copy")
    engine = _engine(store)
    records = store.load_all().records
    store.save(
        records[0], records[0].incident.model_copy(update={"systems": ["brand-new"]}), where="overview", what="systems"
    )
    shutil.rmtree(records[1].folder)  # removed outside the app: its document is dead in the base segment
    engine.refresh()
    assert engine.delta is not None
    lines = list(engine.iter_profile_lines())
    assert lines == engine.profile_lines() and len(lines) == 32
    assert any(b"brand-new" in line for line in lines)
    assert not any(records[1].incident.id.encode() in line for line in lines)


def test_a_damaged_profiles_file_is_refused_before_any_line_is_read_and_rebuilt(
    learning_store: Store,  # noqa: F811
    tmp_path,
) -> None:
    store = copy_store(learning_store.root, tmp_path / "copy")
    engine = _engine(store)
    assert engine.base is not None and engine.base.path is not None
    profiles = engine.base.path / "profiles.jsonl"
    profiles.write_bytes(b"\n".join(profiles.read_bytes().split(b"\n")[1:]))  # one line short
    with pytest.raises(CorruptSegment, match="lines for"):
        engine.iter_profile_lines()
    # The learning source rebuilds a damaged cache from the files, as for the whole list.
    assert sum(1 for _ in learning_source.stream_profiles(engine)) == 33


@pytest.mark.parametrize("stderr_is_a_terminal", [True, False])
def test_stats_on_a_store_without_an_index_shows_the_build_on_a_terminal(
    learning_store: Store,  # noqa: F811
    tmp_path,
    capsys,
    monkeypatch,
    stderr_is_a_terminal: bool,
) -> None:
    """`workbench stats` (and similar, suggest, taxonomy) builds the index first when there is none: on a terminal
    it says how far it is on one line, counting up to every incident; in a pipe nothing but the answer."""
    from workbench.cli import main
    from workbench.services.search.cache import CACHE_SUBDIR

    store = copy_store(learning_store.root, tmp_path / "copy")
    shutil.rmtree(store.root / CACHE_SUBDIR, ignore_errors=True)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: stderr_is_a_terminal)
    assert main(["--store", str(store.root), "stats", "--today", TODAY.isoformat()]) == 0
    out, err = capsys.readouterr()
    assert "Learning across 33 incident(s)" in out
    shown = [int(step.split("/")[0].replace(",", "")) for step in err.split("search: ")[1:]]
    if stderr_is_a_terminal:
        assert shown[0] == 0 and shown[-1] == 33 and shown == sorted(shown)
        assert err.endswith("33/33 incidents\n")
    else:
        assert shown == [] and "indexing" not in err


def test_statements_kept_for_the_screen_give_what_it_shows_and_the_whole_counts(
    learning_store: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`causes_kept` makes references for a group's first statements only (the Learning screen shows 6 of
    thousands at 10,000 incidents): the screen's figures are the ones cut from the whole, counts whole; and
    `progress` is told the incidents read, then the statements grouped."""
    from workbench.services.learning import stats

    taxonomy = learning_store.load_taxonomy()
    models = [r.incident for r in learning_store.load_all().records]
    whole = compute_stats(models, taxonomy, TODAY)
    monkeypatch.setattr(stats, "PROGRESS_EVERY", 10)
    told: list[tuple[str, int]] = []
    kept = compute_stats(
        learning_source.stream_profiles(_engine(learning_store)),
        taxonomy,
        TODAY,
        causes_kept=1,
        progress=lambda step, count: told.append((step, count)),
    )
    assert kept.shown(1, 5, 25) == whole.shown(1, 5, 25)
    assert all(len(g.causes) == 1 for g in kept.recurring_causes)
    assert [g.cause_count for g in kept.recurring_causes] == [len(g.causes) for g in whole.recurring_causes]
    assert any(len(g.causes) > 1 for g in whole.recurring_causes)  # so the cut is exercised
    statements = sum(len(m.causes) for m in models)
    assert told == [("reading", 10), ("reading", 20), ("reading", 30), ("grouping", statements)]
