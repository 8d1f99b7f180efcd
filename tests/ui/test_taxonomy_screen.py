"""The Taxonomy and Learning screens and the start screen's due counts, driven by keys.

Each taxonomy edit made through a modal is one commit of taxonomy.toml; a refused edit keeps the form
open with what was typed; existing incident tags still resolve after a rename.
"""

from __future__ import annotations

import io
import tomllib
from datetime import datetime, timezone

from rich.console import Console
from textual.widgets import Input, Select, Sparkline, Static, TextArea, Tree

from workbench.services.validation.files import validate_store, validate_warnings
from workbench.ui.app import WorkbenchApp
from workbench.ui.config import UserConfig
from workbench.ui.forms import FormModal
from workbench.ui.screens.learning import LearningScreen
from workbench.ui.screens.taxonomy import TaxonomyScreen

from learning_store import learning_root  # noqa: F401  (a fixture; learning_copy is a parameter below)
from learning_store import learning_copy as learning_copy  # noqa: F401

from .conftest import CLAUDE, git_subjects
from .waiting import until

MISROUTING = "inference-serving.request-misrouting"


async def open_taxonomy(pilot, query: str = "") -> TaxonomyScreen:
    await pilot.pause()
    await pilot.press("T")
    screen = pilot.app.screen
    assert isinstance(screen, TaxonomyScreen)
    await until(pilot, lambda: screen.data is not None, "the taxonomy to load")
    if query:  # typed key by key in test_filter_as_you_type; set at once here to keep the tests quick
        await pilot.press("slash")
        screen.query_one("#tax-filter", Input).value = query
        await pilot.press("enter")
        await until(
            pilot, lambda: bool(screen.hits) and screen.current_key() == screen.hits[0].mode.id, "the filtered tree"
        )
    await pilot.pause()
    await pilot.pause()
    return screen


def tree_labels(screen: TaxonomyScreen) -> list[str]:
    tree = screen.query_one(Tree)
    return [str(leaf.label.plain) for fam in tree.root.children for leaf in fam.children]


def plain(static: Static) -> str:
    """What a Static shows, as plain text (rich renderables rendered off-screen)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def detail_text(screen: TaxonomyScreen) -> str:
    return plain(screen.query_one("#tax-detail", Static))


def taxonomy_data(store) -> dict:
    return tomllib.loads((store.root / "taxonomy.toml").read_text())


async def test_filter_as_you_type_and_mode_details(make_app, ui_store):
    async with make_app().run_test(size=(140, 40)) as pilot:
        screen = await open_taxonomy(pilot)
        assert len(tree_labels(screen)) == len(taxonomy_data(ui_store)["modes"])
        await pilot.press("slash", *"kv cahce")  # a typo, and no enter: the tree follows each key
        await pilot.pause()
        assert [label.split("  ")[0] for label in tree_labels(screen)] == ["KV cache pathology"]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.current_key() == "inference-serving.kv-cache-pathology"
        assert "The attention key/value cache" in detail_text(screen)
        await pilot.press("escape")  # clears the filter first
        await pilot.pause()
        assert len(tree_labels(screen)) > 50
        assert isinstance(pilot.app.screen, TaxonomyScreen)


async def test_details_list_incidents_and_causes_tagged(make_app):
    async with make_app().run_test(size=(140, 40)) as pilot:
        screen = await open_taxonomy(pilot, "misrouting")
        assert screen.current_key() == MISROUTING
        text = detail_text(screen)
        assert "Tagged in 1 incident(s)" in text
        assert CLAUDE in text and "cause c-a201" in text
        assert "Mappings (references only" in text


async def test_rename_by_modal_is_one_commit_and_old_tags_resolve(make_app, ui_store):
    async with make_app().run_test(size=(140, 40)) as pilot:
        screen = await open_taxonomy(pilot, "misrouting")
        await pilot.press("r")
        form = pilot.app.screen
        assert isinstance(form, FormModal)
        form.query_one("#field-new", Input).value = "inference-serving.misrouting"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: git_subjects(ui_store, 1)[0].startswith("taxonomy:"), "the commit")
        await until(pilot, lambda: screen.current_key() == "inference-serving.misrouting", "the reload")
        # The detail is drawn after the cursor moves to the renamed mode (it failed under load when read at once).
        await until(
            pilot,
            lambda: "Old ids (aliases): inference-serving.request-misrouting" in detail_text(screen),
            "the renamed mode's detail with its old id",
        )
    assert git_subjects(ui_store, 1) == [
        f"taxonomy: rename mode {MISROUTING} to inference-serving.misrouting (old id kept as alias)"
    ]
    mode = next(m for m in taxonomy_data(ui_store)["modes"] if m["id"] == "inference-serving.misrouting")
    assert mode["aliases"] == [MISROUTING]
    assert MISROUTING in (ui_store.folder_of(CLAUDE) / "incident.toml").read_text()  # incidents untouched
    assert validate_store(ui_store) == []


async def test_refused_rename_keeps_the_form_and_commits_nothing(make_app, ui_store):
    head = ui_store.git.repo.head.commit.hexsha
    async with make_app().run_test(size=(140, 40)) as pilot:
        await open_taxonomy(pilot, "misrouting")
        await pilot.press("r")
        form = pilot.app.screen
        form.query_one("#field-new", Input).value = "inference-serving.kv-cache-pathology"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert "already used by mode" in plain(form.query_one("#error-new", Static))
        assert form.query_one("#field-new", Input).value == "inference-serving.kv-cache-pathology"
    assert ui_store.git.repo.head.commit.hexsha == head


async def test_merge_and_deprecate_by_modal(make_app, ui_store):
    async with make_app().run_test(size=(140, 40)) as pilot:
        screen = await open_taxonomy(pilot, "generation corruption")
        assert screen.current_key() == "inference-serving.generation-corruption"
        await pilot.press("m")
        form = pilot.app.screen
        form.query_one("#field-into", Select).value = "infrastructure.bad-deploy"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: git_subjects(ui_store, 1)[0].startswith("taxonomy: merge"), "the merge commit")
        await until(pilot, lambda: screen.current_key() == "infrastructure.bad-deploy", "the reload")
        await pilot.press("x")
        form = pilot.app.screen
        form.query_one("#field-reason", Input).value = "too broad to be useful"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "deprecate" in git_subjects(ui_store, 1)[0], "the deprecate commit")
    assert git_subjects(ui_store, 2) == [
        "taxonomy: deprecate mode infrastructure.bad-deploy: too broad to be useful",
        "taxonomy: merge mode inference-serving.generation-corruption into infrastructure.bad-deploy (kept as alias)",
    ]
    modes = {m["id"]: m for m in taxonomy_data(ui_store)["modes"]}
    assert "inference-serving.generation-corruption" not in modes
    assert modes["infrastructure.bad-deploy"]["deprecated"] is True
    assert "inference-serving.generation-corruption" in modes["infrastructure.bad-deploy"]["aliases"]
    assert validate_store(ui_store) == []
    warnings = [str(w) for w in validate_warnings(ui_store)]
    assert any("'infrastructure.bad-deploy' is deprecated" in w for w in warnings)


async def test_add_a_mode_by_modal(make_app, ui_store):
    async with make_app().run_test(size=(140, 40)) as pilot:
        screen = await open_taxonomy(pilot, "kv cache")
        await pilot.press("a")
        form = pilot.app.screen
        assert form.query_one("#field-family", Select).value == "inference-serving"  # the highlighted family
        form.query_one("#field-name", Input).value = "Prefix cache poisoning"
        form.query_one("#field-description", TextArea).text = "A shared prefix cache serves one tenant's prefix."
        form.query_one("#field-keywords", Input).value = "prefix cache, tenant"
        form.query_one("#field-owasp", Input).value = "LLM99:2025"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form and "String should match pattern" in plain(
            form.query_one("#error-owasp", Static)
        )
        form.query_one("#field-owasp", Input).value = "LLM02:2025"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "add mode" in git_subjects(ui_store, 1)[0], "the add commit")
        await until(pilot, lambda: screen.current_key() == "inference-serving.prefix-cache-poisoning", "the reload")
    assert git_subjects(ui_store, 1) == [
        "taxonomy: add mode inference-serving.prefix-cache-poisoning (Prefix cache poisoning)"
    ]
    mode = next(m for m in taxonomy_data(ui_store)["modes"] if m["id"] == "inference-serving.prefix-cache-poisoning")
    assert mode["keywords"] == ["prefix cache", "tenant"] and mode["mappings"]["owasp_llm"] == ["LLM02:2025"]


async def test_learning_screen_shows_the_stats(make_app):
    async with make_app().run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("L")
        screen = pilot.app.screen
        assert isinstance(screen, LearningScreen)
        await until(pilot, lambda: screen.stats is not None, "the stats")
        await pilot.pause()
        summary = plain(screen.query_one("#learning-summary", Static))
        assert summary.startswith("3 incidents · 2024Q4 to 2025Q3")
        assert len(screen.query(Sparkline)) == len(screen.stats.by_family)
        await pilot.press("slash")
        screen.query_one("#since", Input).value = "2025-01-01"
        await pilot.press("enter")
        await until(pilot, lambda: screen.stats.since is not None, "the filtered stats")
        assert screen.stats.incidents == 1
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, LearningScreen)


async def test_start_screen_shows_due_counts(learning_copy):
    app = WorkbenchApp(
        learning_copy,
        UserConfig(),
        clock=lambda: datetime(2026, 1, 15, 9, tzinfo=timezone.utc),
        store_label="~/learning",
    )
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "due_counts", None) is not None, "the due counts")
        await pilot.pause()
        counts = plain(app.screen.query_one("#counts", Static))
        assert "due: 12 overdue actions · 4 follow-ups overdue · 2 closed resurfaced · 3 due in 14d" in counts
