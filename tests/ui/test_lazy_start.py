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
