"""Similar incidents and tag suggestions, with the expected top results stated."""

from __future__ import annotations

import subprocess

import pytest
from learning_store import TODAY, learning_copy, learning_root, learning_store  # noqa: F401

from workbench.cli import main
from workbench.domain.model import Cause, Incident
from workbench.services.learning.similar import SimilarityIndex
from workbench.services.learning.suggest import Suggester
from workbench.store import Store


@pytest.fixture
def index(learning_store: Store) -> SimilarityIndex:  # noqa: F811
    return SimilarityIndex([r.incident for r in learning_store.load_all().records], learning_store.load_taxonomy())


@pytest.fixture
def suggester(learning_store: Store) -> Suggester:  # noqa: F811
    return Suggester(learning_store.load_taxonomy(), [r.incident for r in learning_store.load_all().records])


STALE = {
    "2024-02-06-support-bot-stale-refund-policy",
    "2024-06-18-docs-search-stale-api-reference",
    "2025-10-07-sales-copilot-stale-pricing",
}


@pytest.mark.parametrize(
    ("incident", "expected_first"),
    [
        ("2025-03-04-hr-bot-stale-leave-policy", "2024-02-06-support-bot-stale-refund-policy"),
        ("2025-11-03-serving-upgrade-oom-again", "2024-03-19-vllm-upgrade-kv-cache-oom"),
        ("2025-07-01-internal-ca-cert-expiry", "2024-01-23-model-gateway-cert-expiry"),
        ("2025-09-09-research-agent-runaway-spend", "2025-01-22-coding-agent-tool-loop"),
        ("2024-05-08-pretraining-loss-spike", "2025-04-15-finetune-loss-divergence"),  # both diverged after a change
        ("2025-11-18-label-leakage-churn", "2025-01-08-recsys-training-serving-skew"),
    ],
)
def test_most_similar(index: SimilarityIndex, incident: str, expected_first: str) -> None:
    assert index.similar_to(incident)[0].incident_id == expected_first


def test_the_other_stale_index_incidents_fill_the_top_three(index: SimilarityIndex) -> None:
    top = index.similar_to("2025-03-04-hr-bot-stale-leave-policy", limit=3)
    assert {s.incident_id for s in top} == STALE


def test_why_names_shared_modes_words_and_systems(index: SimilarityIndex, learning_store: Store) -> None:  # noqa: F811
    best = index.similar_to("2025-11-03-serving-upgrade-oom-again")[0]
    assert best.shared_modes == ("inference-serving.kv-cache-pathology", "infrastructure.unsafe-rollout")
    assert "oom" in best.shared_words and "upgrade" in best.shared_words
    assert best.shared_systems == ("inference-gateway",)
    why = best.why(learning_store.load_taxonomy())
    assert why.startswith("same failure modes: KV cache pathology, Unstaged or unsafe rollout")
    assert "same systems: inference-gateway" in why


def test_an_untagged_draft_finds_its_precedents_by_text_alone(index: SimilarityIndex) -> None:
    draft = Incident(
        id="2026-01-14-draft",
        title="Assistant answered from a stale vector index",
        causes=[
            Cause(id="c-1", statement="The nightly reindex job failed and stale documents stayed in the vector index")
        ],
    )
    top = index.similar_to(draft, limit=3)
    assert top[0].shared_modes == ()
    assert {s.incident_id for s in top} <= STALE | {"2025-03-04-hr-bot-stale-leave-policy"}


def test_a_renamed_mode_still_counts_as_shared(learning_store: Store) -> None:  # noqa: F811
    from workbench.services.taxonomy.edit import rename_mode

    renamed = rename_mode(
        learning_store.load_taxonomy(), "inference-serving.kv-cache-pathology", "inference-serving.kv-cache"
    ).taxonomy
    index = SimilarityIndex([r.incident for r in learning_store.load_all().records], renamed)
    best = index.similar_to("2025-11-03-serving-upgrade-oom-again")[0]
    assert "inference-serving.kv-cache" in best.shared_modes


@pytest.mark.parametrize(
    ("text", "expected_first", "words"),
    [
        (
            "The nightly reindex job failed so the vector index served stale documents",
            "rag-retrieval.index-staleness",
            {"stale", "index"},
        ),
        (
            "The agent kept calling the same tool in a loop until the budget ran out",
            "agentic.runaway-loop",
            {"loop", "budget"},
        ),
        (
            "Workers crashed with OOM on long prompts after the vllm upgrade",
            "inference-serving.kv-cache-pathology",
            {"oom"},
        ),
        ("TLS certificate expired on the gateway", "infrastructure.certificate-expiry", {"certificate", "tls"}),
        (
            "A miscompilaton in the XLA compiler",
            "inference-serving.compiler-miscompilation",  # misspelt on purpose
            {"miscompilaton", "xla"},
        ),
        ("Refused benign questions after safety tuning", "safety-alignment.over-refusal", {"refused", "benign"}),
    ],
)
def test_suggestions_for_text(suggester: Suggester, text: str, expected_first: str, words: set[str]) -> None:
    first = suggester.for_text(text)[0]
    assert first.mode_id == expected_first
    assert words <= set(first.matched_words)
    assert first.reasons


def test_precedent_is_a_reason_with_the_incidents(suggester: Suggester) -> None:
    first = suggester.for_text("The agent kept calling the same tool in a loop until the budget ran out")[0]
    precedent = next(r for r in first.reasons if r.startswith("tagged on similar incidents"))
    assert "2024-04-11-ops-agent-runaway-loop" in precedent


def test_cause_with_its_tags_held_out_gets_them_back(learning_store: Store, suggester: Suggester) -> None:  # noqa: F811
    incident = learning_store.load("2025-10-07-sales-copilot-stale-pricing").incident
    stripped = incident.model_copy(update={"causes": [c.model_copy(update={"taxonomy": []}) for c in incident.causes]})
    top = [s.mode_id for s in suggester.for_cause(stripped, "c-01", limit=3)]
    # "The pricing reindex job failed ... the index kept stale price chunks": both readings come first.
    assert set(top[:2]) == {"rag-retrieval.index-staleness", "rag-retrieval.partial-reindexing"}


def test_incident_suggestions_leave_out_modes_already_tagged(
    learning_store: Store,  # noqa: F811
    suggester: Suggester,
) -> None:
    incident = learning_store.load("2025-03-04-hr-bot-stale-leave-policy").incident
    ids = [s.mode_id for s in suggester.for_incident(incident)]
    assert "rag-retrieval.index-staleness" not in ids
    assert ids[0] == "rag-retrieval.partial-reindexing"


def test_deprecated_modes_are_never_suggested(learning_store: Store) -> None:  # noqa: F811
    from workbench.services.taxonomy.edit import deprecate_mode

    taxonomy = deprecate_mode(learning_store.load_taxonomy(), "infrastructure.certificate-expiry").taxonomy
    s = Suggester(taxonomy, [r.incident for r in learning_store.load_all().records])
    assert "infrastructure.certificate-expiry" not in [x.mode_id for x in s.for_text("TLS certificate expired")]


def test_suggest_and_similar_cli_write_nothing(learning_copy: Store, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    root = str(learning_copy.root)
    head = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert main(["--store", root, "suggest", "2025-10-07-sales-copilot-stale-pricing", "--cause", "c-02"]) == 0
    assert main(["--store", root, "similar", "2025-03-04-hr-bot-stale-leave-policy", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "1. 2024-02-06-support-bot-stale-refund-policy" in out
    assert "why: same failure modes: Index staleness" in out
    status = subprocess.run(["git", "-C", root, "status", "--porcelain"], capture_output=True, text=True).stdout
    assert status == ""
    assert subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True).stdout == head
    assert main(["--store", root, "suggest", "2025-10-07-sales-copilot-stale-pricing", "--cause", "c-99"]) == 2


# ------------------------------------------------------------------------------------ bundled examples
def test_bundled_examples_similar(example_store: Store) -> None:
    taxonomy = example_store.load_taxonomy()
    index = SimilarityIndex([r.incident for r in example_store.load_all().records], taxonomy)
    best = index.similar_to("2025-08-05-claude-quality-degradation")[0]
    assert best.incident_id == "2024-12-11-openai-telemetry-control-plane-outage"
    assert "infrastructure.bad-deploy" in best.shared_modes


@pytest.mark.parametrize(
    ("incident", "cause", "expected_in_top3"),
    [
        ("2024-12-11-openai-telemetry-control-plane-outage", "c-b202", "infrastructure.dns-service-discovery"),
        ("2025-08-05-claude-quality-degradation", "c-a204", "inference-serving.compiler-miscompilation"),
        ("2025-08-05-claude-quality-degradation", "c-a201", "inference-serving.request-misrouting"),
        ("2024-12-04-ultralytics-pypi-supply-chain-compromise", "c-c201", "infrastructure.ci-cd-pipeline-compromise"),
    ],
)
def test_bundled_cause_gets_its_own_tag_back(
    example_store: Store, incident: str, cause: str, expected_in_top3: str
) -> None:
    records = example_store.load_all().records
    suggester = Suggester(example_store.load_taxonomy(), [r.incident for r in records])
    inc = example_store.load(incident).incident
    stripped = inc.model_copy(
        update={"causes": [c.model_copy(update={"taxonomy": []}) if c.id == cause else c for c in inc.causes]}
    )
    assert expected_in_top3 in [s.mode_id for s in suggester.for_cause(stripped, cause, limit=3)]
