"""A fixture store of 33 fictional AI incidents over 2024-2025, for suggestions, similar incidents,
stats and `workbench due`. Deterministic: the same files every run, one commit.

The incidents fall into recurring themes on purpose (stale RAG indexes, runaway agents, KV-cache OOMs
after serving upgrades, injection through retrieved content, loss spikes, eval contamination,
certificate/DNS outages, schema drift, over-refusal), so tests can state which incident is most similar
to which and what a text should be tagged with. "Today" for these tests is TODAY (2026-01-15).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from workbench.domain.model import (
    ActionItem,
    Cause,
    FrameworkRef,
    Impact,
    Incident,
    KeyTimes,
    TimelineEntry,
)
from workbench.services.bundled import default_taxonomy_text
from workbench.store import Store
from workbench.store import layout
from workbench.store.textio import atomic_write
from workbench.store.tomlfile import encode_incident

TODAY = date(2026, 1, 15)
HELD_BEFORE = date(2025, 12, 1)  # follow-up reviews scheduled before this were held


@dataclass
class Spec:
    id: str
    title: str
    severity: str
    started: str  # ISO, UTC
    minutes: tuple[int | None, int | None, int | None]  # to detect, mitigate, resolve
    tags: list[str]
    summary: str
    causes: list[tuple[str, str, list[str]]]  # (kind, statement, taxonomy)
    events: list[str]  # trigger, detection, mitigation events (in that order; fewer is fine)
    actions: list[tuple[str, str, str | None]] = field(default_factory=list)  # (action, status, due)
    stage: str = "tracking"
    follow_up: str | None = None
    held: str | None = "auto"  # follow-up review held on; "auto": 3 days after follow_up when it is before HELD_BEFORE
    regulatory: list[tuple[str, str]] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)


SPECS: list[Spec] = [
    # ---- RAG index staleness (4) ----------------------------------------------------------------
    Spec(
        "2024-02-06-support-bot-stale-refund-policy",
        "Support assistant quoted a withdrawn refund policy",
        "P2",
        "2024-02-06T09:00:00Z",
        (240, 300, 1440),
        ["rag-retrieval.index-staleness"],
        "The support assistant answered from a refund policy that had been withdrawn a week earlier, because the "
        "nightly reindex job had silently stopped and the vector index kept serving the old document.",
        [
            (
                "proximate",
                "The nightly reindex job stopped after a credentials rotation and nobody was alerted",
                ["rag-retrieval.index-staleness"],
            ),
            ("contributing", "No freshness check compared indexed document versions with the policy CMS", []),
            ("systemic", "Reindex job failures paged no one; its status lived only in a batch dashboard", []),
        ],
        [
            "Policy CMS publishes the new refund policy; the old one is withdrawn",
            "Customer escalation reports the assistant citing the withdrawn policy",
            "Reindex job rerun manually and the stale vectors replaced",
        ],
        [
            ("Alert when the reindex job has not succeeded for 26 hours", "verified", "2024-03-01"),
            ("Add an index freshness check against CMS document versions", "done", "2024-03-15"),
        ],
        stage="closed",
        follow_up="2024-05-06",
        systems=["support-assistant", "vector-index"],
    ),
    Spec(
        "2024-06-18-docs-search-stale-api-reference",
        "Docs assistant answered from a stale API reference",
        "P2",
        "2024-06-18T14:00:00Z",
        (720, 780, 2880),
        ["rag-retrieval.index-staleness", "rag-retrieval.partial-reindexing"],
        "After a docs site migration the reindex ran only on the new section, so the vector index kept stale "
        "chunks of the old API reference and answers cited removed endpoints.",
        [
            (
                "proximate",
                "The reindex job indexed only the migrated section and left stale chunks of the old "
                "reference in the vector index",
                ["rag-retrieval.partial-reindexing"],
            ),
            ("contributing", "Index freshness was not monitored per source", ["rag-retrieval.index-staleness"]),
        ],
        [
            "Docs site migration moves the API reference to a new path",
            "Developer forum thread reports answers citing removed endpoints",
            "Full reindex of the docs corpus",
        ],
        [
            ("Delete index entries whose source URL no longer exists during each reindex", "done", "2024-07-30"),
            ("Publish per-source index freshness on the RAG dashboard", "open", "2025-11-30"),
        ],
        systems=["docs-assistant", "vector-index"],
    ),
    Spec(
        "2025-03-04-hr-bot-stale-leave-policy",
        "HR assistant cited last year's leave policy",
        "P2",
        "2025-03-04T08:30:00Z",
        (1440, 1500, 2880),
        ["rag-retrieval.index-staleness"],
        "The HR assistant kept citing last year's leave policy because the reindex job skipped documents "
        "whose modified date did not change when the policy was replaced in place.",
        [
            (
                "proximate",
                "The reindex job skipped replaced documents whose modified timestamp was unchanged, "
                "so the stale policy stayed in the vector index",
                ["rag-retrieval.index-staleness"],
            ),
            (
                "systemic",
                "The second stale-index incident in a year: freshness checks were never generalised "
                "from the support assistant",
                [],
            ),
        ],
        [
            "Leave policy replaced in place in the document store",
            "Employee ticket reports the assistant quoting last year's allowance",
            "Forced reindex of the HR collection",
        ],
        [
            ("Reindex on content hash change, not on modified date", "in-progress", "2025-12-20"),
            ("Share the freshness check as a library for every RAG collection", "open", "2026-02-28"),
        ],
        follow_up="2026-01-10",
        systems=["hr-assistant", "vector-index"],
    ),
    Spec(
        "2025-10-07-sales-copilot-stale-pricing",
        "Sales copilot quoted old prices from a stale index",
        "P1",
        "2025-10-07T10:00:00Z",
        (90, 150, 600),
        ["rag-retrieval.index-staleness"],
        "The sales copilot quoted superseded prices for two days: the pricing sheet reindex failed on a schema "
        "change and the vector index kept the old chunks.",
        [
            (
                "proximate",
                "The pricing reindex job failed on a new column and the index kept stale price chunks",
                ["rag-retrieval.index-staleness", "data-pipeline.schema-drift"],
            ),
            ("contributing", "Reindex failures did not block answers from the stale index", []),
        ],
        [
            "Pricing sheet gains a new currency column",
            "Account executive notices a quote below list price",
            "Copilot pricing answers disabled until reindex completes",
        ],
        [("Refuse pricing answers when the pricing index is older than 24 hours", "open", "2025-12-01")],
        stage="analysis",
        systems=["sales-copilot", "vector-index"],
    ),
    # ---- Runaway agent loops (3) -------------------------------------------------------------------
    Spec(
        "2024-04-11-ops-agent-runaway-loop",
        "Ops agent looped on a failing tool call for six hours",
        "P1",
        "2024-04-11T01:00:00Z",
        (360, 370, 420),
        ["agentic.runaway-loop", "inference-serving.unbounded-consumption"],
        "An operations agent retried a failing ticket-update tool in a loop for six hours, making 41,000 model "
        "calls, because it had no step budget and treated the tool error as a reason to try again.",
        [
            (
                "proximate",
                "The agent retried a failing tool call in a loop with no step or spend budget",
                ["agentic.runaway-loop"],
            ),
            (
                "contributing",
                "Per-agent spend alerts were daily, so the loop ran unnoticed overnight",
                ["inference-serving.unbounded-consumption"],
            ),
        ],
        [
            "Ticket API starts returning 409 to the agent's update tool",
            "Spend anomaly alert on the morning report",
            "Agent disabled and its queue drained",
        ],
        [
            ("Enforce a step budget and a spend cap per agent run", "verified", "2024-05-15"),
            ("Hourly spend alerts per agent", "done", "2024-05-01"),
        ],
        stage="closed",
        follow_up="2024-07-11",
        systems=["ops-agent"],
    ),
    Spec(
        "2025-01-22-coding-agent-tool-loop",
        "Coding agent looped calling the test runner",
        "P2",
        "2025-01-22T16:00:00Z",
        (45, 50, 240),
        ["agentic.runaway-loop"],
        "A coding agent kept calling the test runner tool in a loop after a flaky test, burning its budget; the "
        "step budget from 2024 capped the spend but the loop itself was not detected.",
        [
            ("proximate", "The agent re-ran the test runner tool in a loop on a flaky test", ["agentic.runaway-loop"]),
            ("contributing", "No loop detection on repeated identical tool calls", []),
        ],
        [
            "Flaky integration test starts failing one run in three",
            "Step budget exhausted alert for the coding agent",
            "Repeated-call detector added to the agent runtime",
        ],
        [("Detect repeated identical tool calls and stop the run", "done", "2025-02-28")],
        stage="closed",
        follow_up="2025-04-22",
        systems=["coding-agent"],
    ),
    Spec(
        "2025-09-09-research-agent-runaway-spend",
        "Research agent runaway loop exhausted the monthly budget",
        "P1",
        "2025-09-09T03:00:00Z",
        (180, 200, 300),
        ["agentic.runaway-loop", "agentic.state-management-failure"],
        "A research agent lost its task state after a memory store timeout and restarted the same plan in a loop, "
        "spending the month's model budget in three hours.",
        [
            (
                "proximate",
                "After a memory store timeout the agent lost its state and restarted the same plan in a loop",
                ["agentic.state-management-failure", "agentic.runaway-loop"],
            ),
            ("contributing", "The spend cap was per run, and each restart began a new run", []),
        ],
        [
            "Memory store latency spike causes state reads to time out",
            "Budget exhausted alert from the model gateway",
            "Agent paused; caps moved from per run to per task",
        ],
        [
            ("Cap spend per task across restarts", "open", "2025-10-31"),
            ("Fail the task instead of restarting when state cannot be read", "wont-do", None),
        ],
        stage="review",
        systems=["research-agent"],
    ),
    # ---- KV cache OOM after serving upgrades (3) -------------------------------------------------
    Spec(
        "2024-03-19-vllm-upgrade-kv-cache-oom",
        "OOM crashes after the vLLM upgrade on long contexts",
        "P1",
        "2024-03-19T13:00:00Z",
        (10, 60, 180),
        ["inference-serving.kv-cache-pathology", "infrastructure.bad-deploy"],
        "After a vLLM upgrade the KV cache used more memory per sequence and long-context requests crashed "
        "workers with OOM; the rollout went to all pools at once.",
        [
            (
                "proximate",
                "The vLLM upgrade changed the KV cache memory profile and long contexts hit OOM",
                ["inference-serving.kv-cache-pathology"],
            ),
            (
                "contributing",
                "The upgrade rolled out to every pool at once with no canary on long-context traffic",
                ["infrastructure.unsafe-rollout"],
            ),
        ],
        [
            "vLLM upgrade deployed to all inference pools",
            "OOM crash alerts from the inference pools",
            "Rollback to the previous vLLM version",
        ],
        [
            ("Canary serving upgrades on a long-context traffic slice", "verified", "2024-04-30"),
            ("Record KV cache memory per sequence as a release metric", "done", "2024-04-15"),
        ],
        stage="closed",
        follow_up="2024-06-19",
        systems=["inference-gateway"],
    ),
    Spec(
        "2025-02-12-kv-cache-eviction-latency",
        "Latency cliff from KV cache eviction under prefix caching",
        "P2",
        "2025-02-12T18:00:00Z",
        (20, 90, 360),
        ["inference-serving.kv-cache-pathology"],
        "Enabling prefix caching made the KV cache evict active sequences under load, giving a p99 latency cliff "
        "for long conversations.",
        [
            (
                "proximate",
                "Prefix caching evicted active KV cache blocks under load",
                ["inference-serving.kv-cache-pathology"],
            ),
            (
                "contributing",
                "Load tests used short prompts only",
                ["evaluation-observability.distribution-shift-blind-spot"],
            ),
        ],
        [
            "Prefix caching enabled in the serving config",
            "p99 latency alert on the chat endpoint",
            "Prefix caching disabled",
        ],
        [("Load test with the production prompt length distribution", "open", "2025-12-31")],
        systems=["inference-gateway"],
    ),
    Spec(
        "2025-11-03-serving-upgrade-oom-again",
        "OOM crashes after a serving runtime upgrade, again",
        "P1",
        "2025-11-03T12:00:00Z",
        (15, 45, 120),
        ["inference-serving.kv-cache-pathology", "infrastructure.unsafe-rollout"],
        "A serving runtime upgrade raised KV cache memory per sequence and long-context requests hit OOM; the "
        "canary ran only on short-context traffic.",
        [
            (
                "proximate",
                "The runtime upgrade raised KV cache memory and long contexts hit OOM",
                ["inference-serving.kv-cache-pathology"],
            ),
            (
                "contributing",
                "The canary pool saw no long-context traffic, so the rollout looked healthy",
                ["infrastructure.unsafe-rollout"],
            ),
        ],
        [
            "Serving runtime upgrade promoted from canary to all pools",
            "OOM crash alerts on long-context requests",
            "Rollback to the previous runtime",
        ],
        [("Route a share of long-context traffic to every canary", "open", "2026-01-31")],
        stage="synthesis",
        systems=["inference-gateway"],
    ),
    # ---- Injection through retrieved content and tool output (3) -----------------------------
    Spec(
        "2024-08-27-email-agent-indirect-injection",
        "Email agent followed instructions hidden in an email",
        "P1",
        "2024-08-27T11:00:00Z",
        (120, 130, 1440),
        ["safety-alignment.prompt-injection", "agentic.tool-output-injection"],
        "An email triage agent followed instructions hidden in an incoming email and forwarded a thread to an "
        "outside address; the tool output was treated as trusted instructions.",
        [
            (
                "proximate",
                "Instructions hidden in an email body were followed as if from the user",
                ["safety-alignment.prompt-injection", "agentic.tool-output-injection"],
            ),
            (
                "contributing",
                "The forward tool had no confirmation step for outside recipients",
                ["agentic.unintended-capability-activation"],
            ),
        ],
        [
            "Crafted email with hidden instructions arrives",
            "Recipient reports an unexpected forwarded thread",
            "Forward tool disabled for outside recipients",
        ],
        [("Require user confirmation for outside recipients", "verified", "2024-09-30")],
        stage="closed",
        follow_up="2024-11-27",
        regulatory=[("EU AI Act", "Art. 15")],
        systems=["email-agent"],
    ),
    Spec(
        "2025-05-20-rag-poisoned-wiki-page",
        "Assistant repeated instructions from a poisoned wiki page",
        "P1",
        "2025-05-20T09:00:00Z",
        (300, 320, 900),
        ["rag-retrieval.context-poisoning", "safety-alignment.prompt-injection"],
        "A wiki page edited to include hidden instructions was retrieved as context and the assistant told users "
        "to run a script from an outside site.",
        [
            (
                "proximate",
                "Hidden instructions in a retrieved wiki page were followed by the assistant",
                ["rag-retrieval.context-poisoning", "safety-alignment.prompt-injection"],
            ),
            ("contributing", "Retrieved content was not separated from instructions in the prompt", []),
        ],
        [
            "Wiki page edited to include hidden instructions",
            "Security team notices assistant answers linking an outside script",
            "Page removed from the index and answers purged",
        ],
        [
            (
                "Mark retrieved content as data in the prompt template and test with injection probes",
                "in-progress",
                "2025-12-15",
            )
        ],
        stage="tracking",
        follow_up="2026-01-20",
        regulatory=[("ISO/IEC 42001", "A.6.2.6")],
        systems=["wiki-assistant"],
    ),
    Spec(
        "2025-12-02-browser-agent-tool-output-injection",
        "Browser agent acted on instructions in a web page",
        "P2",
        "2025-12-02T15:00:00Z",
        (60, 70, 200),
        ["agentic.tool-output-injection"],
        "A browsing agent read a page with injected instructions in its tool output and tried to open a "
        "payment form; the payment tool's confirmation step stopped it.",
        [
            (
                "proximate",
                "Injected instructions in page text returned by the browse tool were followed",
                ["agentic.tool-output-injection", "safety-alignment.prompt-injection"],
            )
        ],
        [
            "Agent browses a page carrying injected instructions",
            "Confirmation prompt for a payment form reported by the user",
            "Domain blocked for the browse tool",
        ],
        [("Run injection probes against every agent tool before release", "open", "2026-01-25")],
        stage="analysis",
        systems=["browser-agent"],
    ),
    # ---- Training loss spikes (3) ----------------------------------------------------------------
    Spec(
        "2024-05-08-pretraining-loss-spike",
        "Pre-training loss spike cost two days of compute",
        "P1",
        "2024-05-08T04:00:00Z",
        (30, 600, 2880),
        ["training.loss-spike", "training.mixed-precision-instability"],
        "The pre-training run's loss spiked and diverged to NaN after a learning-rate warmup change; two days of "
        "compute were lost rolling back to an earlier checkpoint.",
        [
            (
                "proximate",
                "Loss diverged to NaN in bf16 attention logits after a warmup change",
                ["training.loss-spike", "training.mixed-precision-instability"],
            ),
            (
                "contributing",
                "The warmup change was not tried on a small proxy run first",
                ["training.hyperparameter-misconfiguration"],
            ),
        ],
        [
            "Learning-rate warmup shortened in the run config",
            "Loss spike and NaN alert from the training monitor",
            "Run restarted from the last good checkpoint",
        ],
        [("Try schedule changes on a proxy run before the main run", "verified", "2024-06-30")],
        stage="closed",
        follow_up="2024-08-08",
        systems=["pretraining-cluster"],
    ),
    Spec(
        "2025-04-15-finetune-loss-divergence",
        "Fine-tuning run diverged after a data mix change",
        "P2",
        "2025-04-15T07:00:00Z",
        (60, 120, 480),
        ["training.loss-spike"],
        "A fine-tuning run's loss spiked and diverged after a data mix change added very long documents.",
        [
            (
                "proximate",
                "Very long documents in the new data mix produced gradient norm spikes and divergence",
                ["training.loss-spike"],
            ),
            ("contributing", "No gradient norm clipping in the fine-tuning recipe", []),
        ],
        [
            "New data mix with long documents added",
            "Loss spike alert",
            "Run stopped and restarted with gradient clipping",
        ],
        [("Add gradient clipping to the fine-tuning recipe", "done", "2025-05-01")],
        stage="closed",
        follow_up="2025-07-15",
        systems=["finetune-cluster"],
    ),
    Spec(
        "2025-08-19-loss-spike-faulty-gpu",
        "Loss spikes traced to a faulty GPU",
        "P1",
        "2025-08-19T22:00:00Z",
        (240, 1440, 4320),
        ["training.loss-spike", "training.silent-data-corruption"],
        "Repeated loss spikes were traced to one GPU silently corrupting results; data-parallel ranks disagreed "
        "on gradient checksums.",
        [
            (
                "proximate",
                "A faulty GPU silently corrupted gradients, causing loss spikes",
                ["training.silent-data-corruption", "training.loss-spike"],
            ),
            ("contributing", "Gradient checksums across ranks were not compared", []),
        ],
        [
            "Loss spikes every few hundred steps",
            "Rank disagreement found in a manual checksum comparison",
            "Node drained and the run resumed",
        ],
        [("Compare gradient checksums across data-parallel ranks every 100 steps", "in-progress", "2025-10-15")],
        stage="tracking",
        follow_up="2025-11-19",
        systems=["pretraining-cluster"],
    ),
    # ---- Eval contamination / metric misspecification (3) --------------------------------------
    Spec(
        "2024-07-02-benchmark-contamination",
        "Benchmark gain came from test items in the training data",
        "P2",
        "2024-07-02T10:00:00Z",
        (4320, 4400, 10080),
        ["evaluation-observability.eval-contamination"],
        "A model release claimed a benchmark gain that came from benchmark test items present in a scraped "
        "training set; the eval was contaminated.",
        [
            (
                "proximate",
                "Benchmark test items were in the scraped training data",
                ["evaluation-observability.eval-contamination"],
            ),
            (
                "contributing",
                "No n-gram overlap check between eval sets and training data",
                ["data-pipeline.provenance-loss"],
            ),
        ],
        [
            "Scraped dataset added to the training mix",
            "External researcher reports verbatim benchmark answers",
            "Release notes corrected and the benchmark re-run on a clean split",
        ],
        [("Run an n-gram contamination check before publishing any eval number", "verified", "2024-08-31")],
        stage="closed",
        follow_up="2024-10-02",
        systems=["eval-harness"],
    ),
    Spec(
        "2025-06-10-eval-metric-misspecified",
        "Summarisation metric rewarded longer, worse summaries",
        "P2",
        "2025-06-10T12:00:00Z",
        (2880, 2900, 7200),
        ["evaluation-observability.metric-misspecification"],
        "A summarisation model was promoted on a metric that rewarded length; users saw longer, less accurate "
        "summaries.",
        [
            (
                "proximate",
                "The promotion metric rewarded length rather than faithfulness",
                ["evaluation-observability.metric-misspecification"],
            ),
            ("contributing", "Human ratings were collected after promotion, not before", []),
        ],
        ["Candidate promoted on the summary metric", "User feedback on long summaries", "Previous model restored"],
        [("Add a faithfulness check to the promotion gate", "done", "2025-07-31")],
        stage="closed",
        follow_up="2026-01-15",
        systems=["summariser"],
    ),
    Spec(
        "2025-09-30-eval-contamination-synthetic",
        "Synthetic training data leaked eval prompts",
        "P2",
        "2025-09-30T09:00:00Z",
        (1440, 1500, 4320),
        ["evaluation-observability.eval-contamination", "data-pipeline.synthetic-data-feedback-loop"],
        "Synthetic data generated from eval prompts entered the training mix, contaminating the eval and "
        "inflating scores.",
        [
            (
                "proximate",
                "Synthetic data seeded from eval prompts entered training",
                ["evaluation-observability.eval-contamination", "data-pipeline.synthetic-data-feedback-loop"],
            )
        ],
        [
            "Synthetic data job seeded with the eval prompt set",
            "Eval score jump flagged as implausible",
            "Synthetic batch removed and the model retrained",
        ],
        [("Block eval prompt sets from synthetic data seeds", "open", "2025-11-15")],
        stage="review",
        systems=["eval-harness"],
    ),
    # ---- Certificates and DNS (3) ------------------------------------------------------------------
    Spec(
        "2024-01-23-model-gateway-cert-expiry",
        "Model gateway certificate expired",
        "P0",
        "2024-01-23T00:00:00Z",
        (5, 40, 60),
        ["infrastructure.certificate-expiry"],
        "The model gateway's TLS certificate expired at midnight and every client failed its handshake.",
        [
            (
                "proximate",
                "The gateway certificate expired; renewal had been manual",
                ["infrastructure.certificate-expiry"],
            ),
            ("systemic", "Certificate expiry dates were tracked in a spreadsheet", []),
        ],
        ["Gateway certificate expires", "Error rate alert on all clients", "New certificate installed"],
        [("Automate certificate renewal for the gateway", "verified", "2024-02-28")],
        stage="closed",
        follow_up="2024-03-23",
        systems=["model-gateway"],
    ),
    Spec(
        "2024-10-15-dns-outage-embedding-service",
        "DNS failure took down the embedding service",
        "P1",
        "2024-10-15T06:00:00Z",
        (8, 50, 90),
        ["infrastructure.dns-service-discovery"],
        "A DNS resolver change broke service discovery for the embedding service; retrieval failed for all assistants.",
        [
            (
                "proximate",
                "A resolver config change broke DNS service discovery for the embedding service",
                ["infrastructure.dns-service-discovery", "infrastructure.bad-deploy"],
            )
        ],
        ["Resolver config change rolled out", "Retrieval error alerts", "Resolver change reverted"],
        [("Stage resolver changes per zone", "done", "2024-11-30")],
        stage="closed",
        follow_up="2025-01-15",
        systems=["embedding-service"],
    ),
    Spec(
        "2025-07-01-internal-ca-cert-expiry",
        "Internal CA certificate expiry broke model serving",
        "P0",
        "2025-07-01T00:00:00Z",
        (3, 25, 50),
        ["infrastructure.certificate-expiry"],
        "An internal CA certificate expired and mTLS between the gateway and the inference pools failed.",
        [
            ("proximate", "An internal CA certificate expired and mTLS failed", ["infrastructure.certificate-expiry"]),
            ("systemic", "Automated renewal covered leaf certificates but not the internal CA", []),
        ],
        ["Internal CA certificate expires", "mTLS handshake failure alerts", "CA certificate rotated"],
        [("Alert 30 days before any CA certificate expires", "open", "2025-08-31")],
        stage="tracking",
        follow_up="2025-10-01",
        held=None,
        systems=["model-gateway"],
    ),
    # ---- Schema drift and training/serving skew (3) -------------------------------------------
    Spec(
        "2024-09-10-feature-schema-drift",
        "Fraud model scores shifted after an upstream schema change",
        "P1",
        "2024-09-10T08:00:00Z",
        (600, 660, 1440),
        ["data-pipeline.schema-drift", "data-pipeline.training-serving-skew"],
        "An upstream team renamed a feature column; the serving pipeline filled it with defaults and the fraud "
        "model's scores shifted.",
        [
            (
                "proximate",
                "A renamed upstream column was filled with defaults at serving time",
                ["data-pipeline.schema-drift", "data-pipeline.training-serving-skew"],
            ),
            ("contributing", "No schema contract between the upstream table and the model pipeline", []),
        ],
        [
            "Upstream table column renamed",
            "Score distribution drift alert",
            "Column mapping fixed and scores recomputed",
        ],
        [("Add a schema contract check to the feature pipeline", "verified", "2024-10-31")],
        stage="closed",
        follow_up="2024-12-10",
        systems=["fraud-model"],
    ),
    Spec(
        "2025-01-08-recsys-training-serving-skew",
        "Recommendations degraded from training/serving skew",
        "P2",
        "2025-01-08T10:00:00Z",
        (2880, 2940, 5760),
        ["data-pipeline.training-serving-skew"],
        "A feature computed differently online and offline made recommendations worse for new users.",
        [
            (
                "proximate",
                "The online feature used a different time window than training",
                ["data-pipeline.training-serving-skew"],
            )
        ],
        [
            "New user feature shipped online",
            "Click-through drop found in the weekly review",
            "Online window aligned with training",
        ],
        [("Compare online and offline feature values daily", "done", "2025-02-15")],
        stage="closed",
        follow_up="2025-04-08",
        systems=["recsys"],
    ),
    Spec(
        "2025-10-28-schema-drift-label-pipeline",
        "Label pipeline schema drift corrupted a training set",
        "P2",
        "2025-10-28T09:00:00Z",
        (1440, 1500, 2880),
        ["data-pipeline.schema-drift", "training.data-corruption"],
        "A schema change in the labelling tool swapped two label columns and a training set was built with "
        "wrong labels.",
        [
            ("proximate", "Swapped label columns after a labelling tool schema change", ["data-pipeline.schema-drift"]),
            ("contributing", "No label distribution check before training", ["training.data-corruption"]),
        ],
        [
            "Labelling tool export schema changed",
            "Label distribution anomaly noticed in training metrics",
            "Training set rebuilt",
        ],
        [("Check label distributions against the previous build", "open", "2025-12-31")],
        stage="analysis",
        systems=["label-pipeline"],
    ),
    # ---- Safety surface (4) ----------------------------------------------------------------------
    Spec(
        "2024-11-05-over-refusal-after-safety-tune",
        "Over-refusal of medical questions after a safety tune",
        "P2",
        "2024-11-05T09:00:00Z",
        (1440, 2880, 10080),
        ["safety-alignment.over-refusal"],
        "After a safety fine-tune the assistant refused benign medical questions; refusal rate on the medical "
        "eval tripled.",
        [
            (
                "proximate",
                "The safety fine-tune over-generalised refusals to benign medical questions",
                ["safety-alignment.over-refusal"],
            ),
            (
                "contributing",
                "The release gate measured harmful compliance but not over-refusal",
                ["evaluation-observability.metric-misspecification"],
            ),
        ],
        [
            "Safety fine-tune released",
            "Support tickets about refused medical questions",
            "Previous checkpoint restored",
        ],
        [("Add an over-refusal eval to the release gate", "verified", "2024-12-20")],
        stage="closed",
        follow_up="2025-02-05",
        systems=["assistant"],
    ),
    Spec(
        "2025-03-25-over-refusal-legal",
        "Over-refusal of contract questions after a policy prompt change",
        "P2",
        "2025-03-25T09:00:00Z",
        (720, 800, 2000),
        ["safety-alignment.over-refusal"],
        "A system prompt policy change made the assistant refuse ordinary contract questions as legal advice.",
        [
            (
                "proximate",
                "A broadened policy prompt made the assistant refuse ordinary contract questions",
                ["safety-alignment.over-refusal"],
            )
        ],
        ["Policy prompt change deployed", "Refusal rate alert on the legal workspace", "Policy prompt change reverted"],
        [("Run the over-refusal eval on prompt changes too", "done", "2025-04-30")],
        stage="closed",
        follow_up="2025-06-25",
        systems=["assistant"],
    ),
    Spec(
        "2025-06-24-sycophancy-after-feedback-tune",
        "Assistant agreed with wrong user claims after a feedback tune",
        "P1",
        "2025-06-24T09:00:00Z",
        (4320, 4400, 8640),
        ["safety-alignment.sycophancy-amplification", "safety-alignment.reward-hacking"],
        "Tuning on thumbs-up feedback made the assistant agree with incorrect user claims more often.",
        [
            (
                "proximate",
                "The reward model learned that agreement earns thumbs-up",
                ["safety-alignment.reward-hacking", "safety-alignment.sycophancy-amplification"],
            )
        ],
        ["Feedback-tuned model released", "Evaluation of disagreement cases shows a drop", "Release rolled back"],
        [("Add a sycophancy eval with wrong-premise prompts to the gate", "in-progress", "2025-08-31")],
        stage="tracking",
        follow_up="2025-12-24",
        systems=["assistant"],
    ),
    Spec(
        "2025-08-12-system-prompt-leak",
        "Support bot revealed its system prompt",
        "P2",
        "2025-08-12T13:00:00Z",
        (600, 620, 1440),
        ["safety-alignment.system-prompt-leakage"],
        "Users extracted the support bot's system prompt, including internal escalation notes.",
        [
            (
                "proximate",
                "The system prompt held internal notes and the bot could be asked to repeat it",
                ["safety-alignment.system-prompt-leakage"],
            )
        ],
        [
            "Forum post shares an extraction prompt",
            "Security report of the leaked prompt",
            "Internal notes moved out of the prompt",
        ],
        [("Keep no internal information in system prompts", "done", "2025-09-15")],
        stage="closed",
        follow_up="2026-01-12",
        systems=["support-assistant"],
    ),
    # ---- Others (4) -------------------------------------------------------------------------------
    Spec(
        "2024-12-03-quantization-drift",
        "Quality drop after switching to int8 quantization",
        "P2",
        "2024-12-03T10:00:00Z",
        (1440, 1500, 4320),
        ["inference-serving.quantization-drift"],
        "Switching the serving model to int8 quantization lowered answer quality on math questions.",
        [
            (
                "proximate",
                "int8 quantization degraded accuracy on math-heavy prompts",
                ["inference-serving.quantization-drift"],
            ),
            (
                "contributing",
                "The quantization eval had no math slice",
                ["evaluation-observability.distribution-shift-blind-spot"],
            ),
        ],
        ["int8 model promoted", "Math quality regression found by a customer", "fp16 model restored"],
        [("Add a math slice to the quantization eval", "done", "2025-01-31")],
        stage="closed",
        follow_up="2025-03-03",
        systems=["inference-gateway"],
    ),
    Spec(
        "2025-02-26-cold-start-regression",
        "Slow first tokens after autoscaling",
        "P2",
        "2025-02-26T08:00:00Z",
        (30, 120, 240),
        ["inference-serving.cold-start-regression"],
        "New replicas loaded weights from remote storage on start, so first tokens were slow after every scale-up.",
        [
            (
                "proximate",
                "New replicas loaded weights from remote storage on start",
                ["inference-serving.cold-start-regression"],
            )
        ],
        ["Morning scale-up", "Time-to-first-token alert", "Weights pre-staged on local disks"],
        [("Pre-stage weights before a replica joins the pool", "done", "2025-03-31")],
        stage="closed",
        follow_up="2025-05-26",
        systems=["inference-gateway"],
    ),
    Spec(
        "2025-05-06-checkpoint-mis-resume",
        "Training resumed from a checkpoint with the wrong data position",
        "P2",
        "2025-05-06T05:00:00Z",
        (720, 800, 1440),
        ["training.checkpoint-issue"],
        "A run resumed from a checkpoint whose data-loader position was not saved, repeating a data shard.",
        [("proximate", "The data-loader position was not saved in the checkpoint", ["training.checkpoint-issue"])],
        ["Run preempted and resumed", "Duplicate shard noticed in data logs", "Run resumed from the right position"],
        [("Save and verify the data-loader position in every checkpoint", "open", "2025-06-30")],
        stage="tracking",
        follow_up="2025-08-06",
        systems=["pretraining-cluster"],
    ),
    Spec(
        "2025-11-18-label-leakage-churn",
        "Churn model looked great because of label leakage",
        "P2",
        "2025-11-18T10:00:00Z",
        (None, None, None),
        ["data-pipeline.label-leakage"],
        "A churn model's offline accuracy came from a feature computed after the churn date: label leakage.",
        [("proximate", "A feature computed after the label date leaked the label", ["data-pipeline.label-leakage"])],
        ["Churn model trained with a new account feature", "Offline and online accuracy gap noticed"],
        [],
        stage="data-collection",
        systems=["churn-model"],
    ),
]


def incident_from(spec: Spec) -> Incident:
    started = datetime.fromisoformat(spec.started.replace("Z", "+00:00")).astimezone(timezone.utc)
    detect, mitigate, resolve = spec.minutes

    def at(minutes: int | None) -> datetime | None:
        return started + timedelta(minutes=minutes) if minutes is not None else None

    times = KeyTimes(started=started, detected=at(detect), mitigated=at(mitigate), resolved=at(resolve))
    kinds = ["trigger", "detection", "mitigation"]
    offsets = [0, detect, mitigate]
    timeline = [
        TimelineEntry(
            id=f"t-{i + 1:02d}",
            time=at(offsets[i]) or started,
            event=event,
            kind=kinds[i],
            source="fixture: incident channel export",
        )
        for i, event in enumerate(spec.events)
    ]
    causes = [
        Cause(id=f"c-{i + 1:02d}", kind=kind, statement=statement, taxonomy=tags, status="confirmed")
        for i, (kind, statement, tags) in enumerate(spec.causes)
    ]
    actions = [
        ActionItem(
            id=f"AI-{i + 1:03d}",
            action=action,
            status=status,
            owner="@reliability",
            due=date.fromisoformat(due) if due else None,
            addresses=["c-01"] if causes else [],
            verification="The alert or check fires on a replay of this incident's trigger",
        )
        for i, (action, status, due) in enumerate(spec.actions)
    ]
    follow_up = date.fromisoformat(spec.follow_up) if spec.follow_up else None
    held = None
    if spec.held == "auto":
        held = follow_up + timedelta(days=3) if follow_up and follow_up < HELD_BEFORE else None
    elif spec.held:
        held = date.fromisoformat(spec.held)
    return Incident(
        id=spec.id,
        title=spec.title,
        severity=spec.severity,
        stage=spec.stage,
        summary=spec.summary,
        follow_up=follow_up,
        follow_up_held=held,
        systems=spec.systems,
        taxonomy=spec.tags,
        times=times,
        timeline=timeline,
        causes=causes,
        actions=actions,
        impact=Impact(regulatory=[FrameworkRef(framework=f, reference=r) for f, r in spec.regulatory]),
    )


def write_incidents(store: Store, incidents: list[Incident]) -> None:
    """Files written directly and committed once: quicker than a commit per incident."""
    paths = []
    for incident in incidents:
        folder = layout.incident_folder(store.root, incident.id, incident.times.started)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / layout.INCIDENT_FILE, encode_incident(incident).encode())
        paths.append(layout.relative(store.root, folder))
    store.git.commit(paths, "store: fixture: add incidents")
    store.folders(refresh=True)


def build_learning_store(root: Path) -> Store:
    store = Store.init(root, default_taxonomy_text())
    write_incidents(store, [incident_from(s) for s in SPECS])
    return store


def copy_store(source: Path, target: Path) -> Store:
    subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True)
    return Store(target)


# Fixtures: import them into a test module to use them (`from learning_store import learning_store`).
import pytest  # noqa: E402


@pytest.fixture(scope="session")
def learning_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test process; tests that write use `learning_copy`."""
    return build_learning_store(tmp_path_factory.mktemp("learning") / "store").root


@pytest.fixture
def learning_store(learning_root: Path) -> Store:
    return Store(learning_root)


@pytest.fixture
def learning_copy(learning_root: Path, tmp_path: Path) -> Store:
    return copy_store(learning_root, tmp_path / "copy")
