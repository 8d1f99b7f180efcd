"""A light start: the app's module and `workbench search` load no pane, no numpy/scipy they do not need."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_app_module_imports_no_pane_and_no_numpy() -> None:
    loaded = _modules_after("import workbench.ui.app")
    assert "textual.app" in loaded  # the check means something: the app module did load
    heavy = {
        "numpy",
        "scipy",
        "workbench.ui.panes",
        "workbench.ui.screens.incident",
        "workbench.ui.screens.search",
        "workbench.services.search.engine",
    }
    assert not heavy & loaded


_APP_RUN = """
import asyncio, sys, threading
seen = []

class Spy:  # notes which thread imports the incident screen
    def find_spec(self, name, path=None, target=None):
        if name == "workbench.ui.screens.incident":
            seen.append(threading.current_thread() is threading.main_thread())
        return None

sys.meta_path.insert(0, Spy())
from workbench.store import Store
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig

async def main():
    app = WorkbenchApp(Store(sys.argv[1]), UserConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(400):
            await pilot.pause(0.05)
            if "workbench.ui.screens.incident" in sys.modules and "workbench.ui.panes" in sys.modules:
                break
    print("ON-MAIN-THREAD", seen)

asyncio.run(main())
"""


def test_the_incident_screen_is_imported_off_the_event_loop_once_the_list_is_up(example_store, tmp_path) -> None:
    env_home = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    import os

    out = subprocess.run(
        [sys.executable, "-c", _APP_RUN, str(example_store.root)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env_home},
        timeout=300,
    )
    assert "ON-MAIN-THREAD [False]" in out.stdout  # imported once, by the prefetch thread


_START = """
import asyncio, json, sys
app = None
at_import = {}

WATCHED = ("git", "pydantic", "numpy", "rapidfuzz", "workbench.services.search.engine", "workbench.ui.forms")

class Spy:  # what the list showed when each watched module was first imported (None: before the app ran)
    def find_spec(self, name, path=None, target=None):
        if name in WATCHED and name not in at_import:
            screen = app.screen if app is not None and app.is_running else None
            at_import[name] = len(getattr(screen, "rows", None) or []) if screen is not None else None
        return None

sys.meta_path.insert(0, Spy())
from workbench.store import Store
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig

async def main():
    global app
    store = Store(sys.argv[1])
    app = WorkbenchApp(store, UserConfig())
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(2000):
            await pilot.pause(0.02)
            if len(getattr(app.screen, "rows", None) or []) > 0:
                break
        print("LISTED", len(app.screen.rows), json.dumps(at_import), app.screen.sub_title)

asyncio.run(main())
"""


def test_the_list_fills_without_importing_git_pydantic_numpy_or_forms(example_store, tmp_path) -> None:
    """Store and app are made and the list is filled from the index before GitPython, pydantic, numpy (the
    search engine), rapidfuzz or the forms (Select, TextArea) are imported: each costs a noticeable part of a
    start. The first rows come from the index's files on disk (services/search/listing.py); the engine opens
    after them, and counting findings afterwards may load the models. The index is there, as any start but
    the first finds it (a first build validates every incident, in its own thread)."""
    import os

    from workbench.services.search import SearchEngine

    SearchEngine(example_store.root).open()

    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run(
        [sys.executable, "-c", _START, str(example_store.root)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=300,
    )
    line = next(li for li in out.stdout.splitlines() if li.startswith("LISTED"))
    _, count, rest = line.split(" ", 2)
    at_import = json.JSONDecoder().raw_decode(rest)[0]
    assert int(count) == len(example_store.ids())
    assert all(shown is not None and shown > 0 for shown in at_import.values()), at_import
    assert rest.endswith(f"· {example_store.git.branch()}")  # the branch, read from HEAD without GitPython


async def test_the_first_open_finds_the_incident_folders_listed_off_the_event_loop(make_app, ui_store, monkeypatch):
    """The store's map of incident folders (a walk of every folder) is made by the prefetch thread once the
    list is up, so the first incident opened (from the list or a search result) does not walk them on the
    event loop."""
    import threading

    from workbench.store import layout
    from workbench.ui.screens.incident import IncidentScreen

    from .conftest import OPENAI
    from .waiting import until

    walks: list[bool] = []  # per walk: on the event loop's thread?
    real = layout.scan_incident_folders

    def spy(root):
        walks.append(threading.current_thread() is threading.main_thread())
        return real(root)

    monkeypatch.setattr(layout, "scan_incident_folders", spy)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: walks, "the prefetch thread's walk")
        app.open_incident(OPENAI)
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen), "the incident")
    assert walks and not any(walks), walks


async def test_an_open_before_the_prefetch_walks_no_incident_folder_on_the_event_loop(make_app, monkeypatch):
    """An incident opened before the prefetch thread has made the store's map of folders (at once after the
    start, or under load where that thread is late) finds its own folder without the walk of every incident
    folder, which at 10,000 incidents held the event loop 1.2 s at load 17; the map is still made, off the loop."""
    import threading

    from workbench.store import layout
    from workbench.ui import app as app_module
    from workbench.ui.screens.incident import IncidentScreen

    from .conftest import OPENAI
    from .waiting import until

    walks: list[bool] = []  # per walk of every folder: on the event loop's thread?
    real = layout.scan_incident_folders

    def spy(root):
        walks.append(threading.current_thread() is threading.main_thread())
        return real(root)

    monkeypatch.setattr(layout, "scan_incident_folders", spy)
    monkeypatch.setattr(app_module, "PREFETCH_AFTER_S", 0.5)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        assert not walks  # nothing has made the map: the open below comes before the prefetch
        app.open_incident(OPENAI)
        await until(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.is_mounted, "the incident")
        assert app.screen.incident.id == OPENAI
        await until(pilot, lambda: walks, "the prefetch thread's walk")
    assert not any(walks), walks


_RULES_RUN = """
import asyncio, sys, threading
from workbench.services.review import checks

compiled = []  # per compilation of the bundled check rules: on the event loop's thread?
real = checks.bundled_config

def spy():
    compiled.append(threading.current_thread() is threading.main_thread())
    return real()

checks.bundled_config = spy
from workbench.store import Store
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig

async def main():
    app = WorkbenchApp(Store(sys.argv[1]), UserConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1200):
            await pilot.pause(0.05)
            if compiled and getattr(app.screen, "current_id", lambda: None)():
                break
        app.open_incident(app.screen.current_id())
        for _ in range(400):
            await pilot.pause(0.05)
            if type(app.screen).__name__ == "IncidentScreen" and app.screen.is_mounted:
                break
        print("SCREEN", type(app.screen).__name__)
    print("COMPILED-ON-MAIN-THREAD", compiled)

asyncio.run(main())
"""


def test_the_review_check_rules_are_compiled_off_the_event_loop_before_the_first_open(example_store, tmp_path) -> None:
    """The Review pane reads the bundled check rules (29 phrase patterns to compile, ~30 ms) when an incident
    screen is made: the prefetch thread compiles them once the list is up, so the first open does not."""
    import os

    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run(
        [sys.executable, "-c", _RULES_RUN, str(example_store.root)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=300,
    )
    assert "SCREEN IncidentScreen" in out.stdout  # the open happened, and made the Review pane
    assert "COMPILED-ON-MAIN-THREAD [False]" in out.stdout  # once, by the prefetch thread


_EARLY_OPEN = """
import asyncio, sys, threading
from textual import events
seen = []

class Spy:  # notes which thread imports the incident screen
    def find_spec(self, name, path=None, target=None):
        if name == "workbench.ui.screens.incident":
            seen.append(threading.current_thread() is threading.main_thread())
        return None

sys.meta_path.insert(0, Spy())
from workbench.store import Store
from workbench.ui import app as app_module
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig

app_module.PREFETCH_AFTER_S = 600  # the prefetch is late: the open below comes before it

async def main():
    app = WorkbenchApp(Store(sys.argv[1]), UserConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1200):
            await pilot.pause(0.05)
            if getattr(app.screen, "current_id", lambda: None)():
                break
        wanted = app.screen.current_id()
        app.open_incident(wanted)
        for key in ("2",):  # typed at once after the open, as a terminal sends it: for the incident's screen
            event = events.Key(key, key)
            event.set_sender(app)
            app.post_message(event)
        for _ in range(600):
            await pilot.pause(0.05)
            screen = app.screen
            if type(screen).__name__ == "IncidentScreen" and screen.is_mounted and screen.active_pane_id() == "timeline":
                break
        screen = app.screen
        print("OPENED", type(screen).__name__, screen.incident.id == wanted, screen.active_pane_id())
    print("ON-MAIN-THREAD", seen)

asyncio.run(main())
"""


def test_an_open_before_the_prefetch_imports_the_incident_screen_off_the_event_loop(example_store, tmp_path) -> None:
    """Opened before the prefetch thread has imported the incident screen and its panes (0.8-1.2 s of the event
    loop at load 7.5 when done there), the open imports them and loads the incident in a thread, then shows the
    screen; a key typed right after the open waits for that screen and lands on it."""
    import os

    env_home = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run(
        [sys.executable, "-c", _EARLY_OPEN, str(example_store.root)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env_home},
        timeout=300,
    )
    assert "OPENED IncidentScreen True timeline" in out.stdout, out.stdout + out.stderr
    assert "ON-MAIN-THREAD [False]" in out.stdout, out.stdout
