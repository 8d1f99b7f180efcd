"""Taxonomy edits: each one commit, comments kept, and existing incident tags still resolve."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.model import Cause, Incident, KeyTimes
from workbench.domain.taxonomy import Mode
from workbench.services.taxonomy.edit import (
    TaxonomyEditError,
    add_mode,
    commit_edit,
    deprecate_mode,
    edit_mode,
    load_for_edit,
    merge_modes,
    rename_mode,
)
from workbench.services.taxonomy.usage import usage_by_mode
from workbench.services.validation.files import validate_store, validate_warnings
from workbench.store import OutsideEdit, Store

MINI = (Path(__file__).parent.parent / "data" / "mini_taxonomy.toml").read_text()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.init(tmp_path / "s", MINI)
    s.create(
        Incident(
            id="2025-08-05-routing",
            title="Misrouted requests",
            times=KeyTimes(started=datetime(2025, 8, 5, 16, tzinfo=timezone.utc)),
            taxonomy=["serving.misrouting"],
            causes=[
                Cause(
                    id="c-1",
                    statement="Sticky sessions kept users on the long-context pool",
                    taxonomy=["serving.sticky-routing"],
                )
            ],
        )
    )
    s.create(
        Incident(
            id="2025-09-01-stale",
            title="Stale answers",
            taxonomy=["rag.stale-index"],
            times=KeyTimes(started=datetime(2025, 9, 1, 9, tzinfo=timezone.utc)),
        )
    )
    return s


def log(store: Store) -> list[str]:
    out = subprocess.run(["git", "-C", str(store.root), "log", "--format=%s"], capture_output=True, text=True)
    return out.stdout.splitlines()


def text(store: Store) -> str:
    return (store.root / "taxonomy.toml").read_text()


def test_unchanged_taxonomy_saves_byte_identical(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    assert store.save_taxonomy(taxonomy, "no-op", base=base) is None
    assert text(store) == MINI


def test_rename_keeps_old_id_as_alias_and_entry_lines(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    edit = rename_mode(taxonomy, "serving.misrouting", "serving.request-misrouting")
    before = len(log(store))
    commit = commit_edit(store, edit, base)
    assert commit is not None and commit.subject == (
        "taxonomy: rename mode serving.misrouting to serving.request-misrouting (old id kept as alias)"
    )
    assert len(log(store)) == before + 1
    after = text(store)
    # The entry keeps its place and its hand comment; only the id changed and an alias was added.
    assert 'id = "serving.request-misrouting"  # hand comment: keep me' in after
    assert 'aliases = ["serving.misrouting"]' in after
    assert "# --- serving modes" in after and "# A small taxonomy for tests" in after
    assert after.index("serving.kv-cache") < after.index("serving.request-misrouting") < after.index("sticky")
    reloaded = store.load_taxonomy()
    assert reloaded.resolve("serving.misrouting").id == "serving.request-misrouting"
    # Existing incidents are not rewritten, and they still validate and count under the new id.
    assert "serving.misrouting" in store.load("2025-08-05-routing").incident.taxonomy
    assert validate_store(store) == []
    uses = usage_by_mode([r.incident for r in store.load_all().records], reloaded)
    assert [u.incident_id for u in uses["serving.request-misrouting"]] == ["2025-08-05-routing"]


def test_rename_back_takes_the_id_out_of_the_aliases(store: Store) -> None:
    taxonomy, _ = load_for_edit(store)
    once = rename_mode(taxonomy, "serving.misrouting", "serving.routing").taxonomy
    back = rename_mode(once, "serving.routing", "serving.misrouting").taxonomy
    mode = back.resolve("serving.misrouting")
    assert mode.id == "serving.misrouting" and mode.aliases == ["serving.routing"]


def test_rename_refuses_a_taken_or_invalid_id(store: Store) -> None:
    taxonomy, _ = load_for_edit(store)
    with pytest.raises(TaxonomyEditError, match="already used by mode 'serving.kv-cache'"):
        rename_mode(taxonomy, "serving.misrouting", "serving.kv-cache")
    with pytest.raises(TaxonomyEditError, match="not a valid mode id"):
        rename_mode(taxonomy, "serving.misrouting", "Bad Id")
    with pytest.raises(TaxonomyEditError, match="no mode 'serving.nope'"):
        rename_mode(taxonomy, "serving.nope", "serving.x")


def test_merge_as_alias_moves_tags_and_knowledge(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    commit_edit(store, merge_modes(taxonomy, "serving.sticky-routing", "serving.misrouting"), base)
    reloaded = store.load_taxonomy()
    assert [m.id for m in reloaded.modes if m.id.startswith("serving")] == ["serving.kv-cache", "serving.misrouting"]
    merged = reloaded.resolve("serving.sticky-routing")
    assert merged.id == "serving.misrouting"
    assert merged.aliases == ["serving.sticky-routing"]
    assert merged.keywords == ["routing", "load balancer", "sticky", "affinity"]
    assert merged.mappings.owasp_llm == ["LLM10:2025"] and merged.mappings.nist_ai_rmf == ["manage"]
    assert validate_store(store) == []
    # The cause tagged with the absorbed mode now counts under the surviving one.
    uses = usage_by_mode([r.incident for r in store.load_all().records], reloaded)["serving.misrouting"]
    assert [(u.incident_id, u.cause_id, u.tag) for u in uses] == [
        ("2025-08-05-routing", None, "serving.misrouting"),
        ("2025-08-05-routing", "c-1", "serving.sticky-routing"),
    ]
    assert "# --- retrieval modes" in text(store)


def test_merge_as_replaced_by_keeps_a_deprecated_entry_and_warns(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    edit = merge_modes(taxonomy, "serving.sticky-routing", "serving.misrouting", keep_as="replaced_by")
    commit_edit(store, edit, base)
    gone = next(m for m in store.load_taxonomy().modes if m.id == "serving.sticky-routing")
    assert gone.deprecated and gone.replaced_by == "serving.misrouting"
    assert validate_store(store) == []
    warnings = [str(w) for w in validate_warnings(store)]
    assert len(warnings) == 1
    assert (
        "causes[c-1].taxonomy[0]: warning: taxonomy id 'serving.sticky-routing' is deprecated; "
        "use 'serving.misrouting'" in warnings[0]
    )
    assert warnings[0].startswith("incidents/2025/08/2025-08-05-routing/incident.toml:")


def test_merge_refusals(store: Store) -> None:
    taxonomy, _ = load_for_edit(store)
    with pytest.raises(TaxonomyEditError, match="into itself"):
        merge_modes(taxonomy, "serving.kv-cache", "serving.kv-cache")
    deprecated = deprecate_mode(taxonomy, "serving.kv-cache").taxonomy
    with pytest.raises(TaxonomyEditError, match="deprecated; merge into a live mode"):
        merge_modes(deprecated, "serving.misrouting", "serving.kv-cache")
    replaced = deprecate_mode(taxonomy, "serving.kv-cache", "serving.misrouting").taxonomy
    with pytest.raises(TaxonomyEditError, match="loop"):
        deprecate_mode(replaced, "serving.misrouting", "serving.kv-cache")


def test_deprecate_then_validate_warns_but_passes(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    commit = commit_edit(store, deprecate_mode(taxonomy, "rag.stale-index", reason="too broad"), base)
    assert commit.subject == "taxonomy: deprecate mode rag.stale-index: too broad"
    assert validate_store(store) == []
    (warning,) = validate_warnings(store)
    assert warning.field == "taxonomy[0]" and warning.line is not None
    assert "deprecated" in warning.message
    assert "deprecated = true" in text(store)


def test_tag_that_resolves_to_nothing_is_an_error(store: Store) -> None:
    record = store.load("2025-09-01-stale")
    store.save(record, record.incident.model_copy(update={"taxonomy": ["rag.gone"]}), where="taxonomy", what="tag")
    (problem,) = validate_store(store)
    assert "taxonomy id 'rag.gone' is not in taxonomy.toml" in problem.message


def test_add_goes_after_its_family_and_edit_changes_one_mode(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    mode = Mode(
        id="serving.cold-start",
        name="Cold start",
        family="serving",
        description="Slow first tokens.",
        keywords=["cold start"],
    )
    commit_edit(store, add_mode(taxonomy, mode), base)
    after = text(store)
    assert after.index("serving.sticky-routing") < after.index("serving.cold-start") < after.index("rag.stale")
    taxonomy, base = load_for_edit(store)
    edit = edit_mode(taxonomy, "serving.cold-start", description="Slow first tokens after a scale-up.")
    assert edit.what == "edit mode serving.cold-start (description)"
    commit_edit(store, edit, base)
    assert store.load_taxonomy().resolve("serving.cold-start").description == "Slow first tokens after a scale-up."
    assert text(store).count("Slow first tokens") == 1
    with pytest.raises(TaxonomyEditError, match="family 'nope' is not defined"):
        add_mode(taxonomy, mode.model_copy(update={"id": "x.y", "family": "nope"}))
    with pytest.raises(TaxonomyEditError, match="already used"):
        add_mode(store.load_taxonomy(), mode)
    with pytest.raises(TaxonomyEditError, match="nothing to change"):
        edit_mode(store.load_taxonomy(), "serving.cold-start", name="Cold start")


def test_outside_edit_is_not_clobbered(store: Store) -> None:
    taxonomy, base = load_for_edit(store)
    path = store.root / "taxonomy.toml"
    path.write_text(path.read_text() + "\n# someone else's note\n")
    with pytest.raises(OutsideEdit):
        commit_edit(store, deprecate_mode(taxonomy, "rag.stale-index"), base)
    assert "someone else's note" in path.read_text() and "deprecated" not in path.read_text()


def test_cli_round_trip(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(store.root)
    assert main(["--store", root, "taxonomy", "rename", "serving.misrouting", "serving.routing-error"]) == 0
    assert main(["--store", root, "taxonomy", "merge", "serving.sticky-routing", "serving.routing-error"]) == 0
    assert (
        main(
            [
                "--store",
                root,
                "taxonomy",
                "add",
                "--family",
                "rag",
                "--name",
                "Chunk boundary",
                "--description",
                "Answers split across chunks.",
                "--keyword",
                "chunk",
                "--nist",
                "measure",
            ]
        )
        == 0
    )
    assert (
        main(["--store", root, "taxonomy", "deprecate", "rag.chunk-boundary", "--replaced-by", "rag.stale-index"]) == 0
    )
    capsys.readouterr()
    assert log(store)[:4] == [
        "taxonomy: deprecate mode rag.chunk-boundary (replaced by rag.stale-index)",
        "taxonomy: add mode rag.chunk-boundary (Chunk boundary)",
        "taxonomy: merge mode serving.sticky-routing into serving.routing-error (kept as alias)",
        "taxonomy: rename mode serving.misrouting to serving.routing-error (old id kept as alias)",
    ]
    assert main(["--store", root, "taxonomy", "show", "serving.sticky-routing"]) == 0
    out = capsys.readouterr().out
    assert "is an old id (alias) of serving.routing-error" in out
    assert "cause c-1 (as serving.sticky-routing): Sticky sessions" in out
    assert main(["--store", root, "taxonomy", "list", "rout"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[2].startswith("serving.routing-error")
    assert main(["--store", root, "validate"]) == 0
    assert main(["--store", root, "taxonomy", "rename", "serving.nope", "serving.x"]) == 2
    assert "no mode 'serving.nope'" in capsys.readouterr().err
