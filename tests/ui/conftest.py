"""UI fixtures: an example store with deterministic commits, an app factory, and a settle helper."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store_templates import build_template, copy_of

from workbench.services.bundled import bundled_root, default_taxonomy_text, make_example_store
from workbench.domain.model import Incident
from workbench.store import MemoryStore, Store, StoreProtocol
from workbench.store.tomlfile import decode_incident
from workbench.ui.app import EXIT_WAIT_S, WorkbenchApp, mounting
from workbench.ui.config import UserConfig
from workbench.ui.screens.incident import IncidentScreen

FROZEN_NOW = datetime(2025, 10, 1, 12, 0, tzinfo=timezone.utc)
CLAUDE = "2025-08-05-claude-quality-degradation"
OPENAI = "2024-12-11-openai-telemetry-control-plane-outage"
ULTRALYTICS = "2024-12-04-ultralytics-pypi-supply-chain-compromise"


FIXED_DATES = {"GIT_AUTHOR_DATE": "2025-10-01T12:00:00+00:00", "GIT_COMMITTER_DATE": "2025-10-01T12:00:00+00:00"}


@pytest.fixture(autouse=True)
def ends_as_a_quit_does(monkeypatch) -> None:
    """Pilot's run_test shuts the app down itself when a test's block ends, not through `exit`, which waits for the
    widgets being mounted (WorkbenchApp.exit): a warm-up box still mounting then had its Select pruned before it
    composed, and its Mount's NoMatches failed a test under load. The harness waits as the app's own quit does."""
    real = WorkbenchApp.run_test

    @asynccontextmanager
    async def run_test(self: WorkbenchApp, *args, **kwargs) -> AsyncIterator[Pilot]:
        async with real(self, *args, **kwargs) as pilot:
            yield pilot
            for _ in range(round(EXIT_WAIT_S / 0.01)):
                if not (self.is_running and mounting(self)):
                    break
                await asyncio.sleep(0.01)

    monkeypatch.setattr(WorkbenchApp, "run_test", run_test)


def warm_example_store(root: Path) -> Store:
    """What an app's first start leaves in the store's .workbench/cache: the search index (both passes) and the
    list's finding counts. Copies of the store keep the files' sizes and mtimes, so an app over a copy opens the
    index and reads the counts as a second start does, instead of building and counting again (~1/3 of a list
    test's CPU). The first build and the first count are the subject of their own tests, over `cold_ui_store`."""
    from workbench.services.review.findings_cache import FindingsCache
    from workbench.services.search import SearchEngine

    store = make_example_store(root)
    engine = SearchEngine(root, defer_checks=True, defer_from=400)  # as ui/search_index.py makes it
    engine.open()
    engine.finish_checks()
    FindingsCache(store).count_all({i: folders[0] for i, folders in store.folders().items()}, lambda found: None)
    return store


@pytest.fixture(scope="session")
def cold_ui_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory, "ui-example-cold", make_example_store, FIXED_DATES)


@pytest.fixture(scope="session")
def ui_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory, "ui-example", warm_example_store, FIXED_DATES)


@pytest.fixture
def ui_store(ui_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The example store with fixed commit dates, so commit ids and history look the same every run (a copy of
    one made per test process; the test's own commits get the same dates)."""
    for name, value in FIXED_DATES.items():
        monkeypatch.setenv(name, value)
    return copy_of(ui_template, tmp_path / "store")


@pytest.fixture
def cold_ui_store(cold_ui_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """`ui_store` as a first start finds it: no search index and no finding counts in .workbench/cache yet."""
    for name, value in FIXED_DATES.items():
        monkeypatch.setenv(name, value)
    return copy_of(cold_ui_template, tmp_path / "cold-store")  # beside `ui_store`, which make_app makes too


@pytest.fixture(autouse=True)
def no_idle_warm_up(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's idle-time CSS warm-up (app.warm_styles_ahead: the incident screen's, the forms' and every later
    screen's CSS mounted hidden and parsed, ~1 s after the list's index is ready) is off in tests, unless marked
    `warm_up`: it is a third of a list test's event-loop CPU and nothing a test looks at depends on it (whether it
    came before a test's first open was a matter of load already). Its own tests call it or mark themselves."""
    if request.node.get_closest_marker("warm_up") is None:
        from workbench.ui import app as app_module

        monkeypatch.setattr(app_module, "warm_styles_ahead", lambda app: None)


@functools.cache
def _example_incidents() -> tuple[tuple[Incident, str], ...]:
    """The bundled examples, read once per test process (each memory store gets its own copy)."""
    out = []
    for toml in sorted((bundled_root() / "incidents").glob("*/*/*/incident.toml")):
        md = toml.with_name("postmortem.md")
        out.append((decode_incident(toml.read_text(encoding="utf-8"), toml), md.read_text(encoding="utf-8")))
    return tuple(out)


@pytest.fixture
def memory_store() -> MemoryStore:
    """The example incidents in the in-memory store (no disk, no git): for UI tests that need neither. Each
    example is one version made at the frozen time, so history and commit ids are the same every run."""
    store = MemoryStore(
        default_taxonomy_text(), clock=lambda: FROZEN_NOW, author=("Test Author", "author@example.test")
    )
    for incident, narrative in _example_incidents():
        store.create(incident, narrative, where="examples", what="add the bundled example")
    return store


@pytest.fixture
def make_memory_app(memory_store: MemoryStore) -> Callable[..., WorkbenchApp]:
    """make_app over the in-memory store (tests/ui/test_memory_store_ui.py says what it leaves out)."""

    def factory(**kwargs) -> WorkbenchApp:
        return WorkbenchApp(memory_store, UserConfig(), clock=lambda: FROZEN_NOW, store_label="memory", **kwargs)

    return factory


def subjects(store: StoreProtocol, incident_id: str, n: int = 5) -> list[str]:
    """The newest `n` commit subjects of one incident, newest first, on either store."""
    return [c.subject for c in store.history(incident_id, n)]


@pytest.fixture
def make_app(ui_store: Store) -> Callable[..., WorkbenchApp]:
    def factory(store: Store | None = None, **kwargs) -> WorkbenchApp:
        return WorkbenchApp(
            store or ui_store, UserConfig(), clock=lambda: FROZEN_NOW, store_label="~/example-store", **kwargs
        )

    return factory


async def settle(pilot: Pilot) -> None:
    """Wait until background saves are committed and the screen has redrawn."""
    await pilot.pause()
    for screen in pilot.app.screen_stack:
        if isinstance(screen, IncidentScreen):
            assert screen.session.wait_idle(20), "save did not finish"
    await pilot.pause()
    await pilot.pause()


async def open_incident(pilot: Pilot, incident_id: str, pane: str | None = None) -> IncidentScreen:
    await pilot.pause()
    pilot.app.open_incident(incident_id, pane)  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, IncidentScreen)
    return screen


def git_subjects(store: Store, n: int = 5) -> list[str]:
    return store.git.repo.git.log(f"-{n}", "--format=%s").splitlines()


async def finding_counts_ready(pilot: Pilot) -> None:
    """The incident list fills its Findings column in a worker, and its due counts after the rows; wait for them
    so snapshots are stable (also when a modal is open over the list)."""
    from workbench.ui.screens.incident_list import IncidentListScreen

    from .waiting import until

    def ready() -> bool:
        screen = next((s for s in pilot.app.screen_stack if isinstance(s, IncidentListScreen)), None)
        return (
            screen is not None
            and bool(screen.rows)
            and len(screen.finding_counts) == len(screen.rows)
            and screen.due_counts is not None  # they follow the rows (drawn on the line above the table)
        )

    await until(pilot, ready, "the list's Findings column")
