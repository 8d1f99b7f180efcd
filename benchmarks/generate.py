#!/usr/bin/env python3
"""Deterministic generator of realistic synthetic stores for the benchmarks.

    python3 benchmarks/generate.py OUT --count 10000 [--seed 4] [--history 40]

Writes a real store (taxonomy.toml, incidents/YYYY/MM/<id>/{incident.toml,postmortem.md}) and
commits it to git in one bulk commit, then `--history` small follow-up commits spread over a few
incidents so that history listing has something to walk. Incidents are built from the taxonomy's
own failure modes (names, keywords) with AI-incident vocabulary: timelines with sources, causes
with lenses and evidence, SMART-ish actions with owners and due dates, lessons, data gaps and a
three-section narrative (~200 lines an incident).

A few "needle" incidents carry rare words in one known field each (title, a cause, only the
timeline, only the narrative ...); `QUERIES` are the benchmark's searches for them, with typos,
reordered words and partial words, and the incident each should find first.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workbench.domain.ids import slugify  # noqa: E402
from workbench.services.bundled import default_taxonomy_text  # noqa: E402

SYSTEMS = [
    "vLLM serving fleet",
    "RAG retrieval service",
    "embedding pipeline",
    "pre-training cluster",
    "agent orchestrator",
    "feature store",
    "eval harness",
    "safety classifier",
    "tokenizer service",
    "reranker",
    "vector database",
    "checkpoint store",
    "labelling pipeline",
    "prompt router",
    "guardrail service",
    "fine-tuning jobs",
    "batch inference queue",
    "model registry",
    "chat frontend",
    "moderation API",
    "search assistant",
    "code assistant",
    "voice transcription service",
    "recommendation ranker",
    "data lake ingestion",
]
MODELS = [
    "llama-3-70b-instruct",
    "mistral-7b",
    "internal-13b-chat",
    "reward-model-v3",
    "bge-large-en",
    "whisper-large",
    "codegen-16b",
    "draft-1b",
    "safety-clf-v7",
    "embed-v4",
    "rerank-mini",
    "planner-34b",
]
TEAMS = [
    "Inference Platform",
    "Training Infra",
    "Search Platform",
    "Evals",
    "Safety",
    "Data Platform",
    "Agents",
    "SRE",
    "ML Ops",
    "Applied Research",
    "Trust & Safety",
    "Developer Experience",
]
ROLES = ["on-call engineer", "incident commander", "serving lead", "research engineer", "eval owner", "SRE"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1"]
SOURCES = [
    "Grafana dashboard '{sys} latency'",
    "PagerDuty alert {ticket}",
    "Slack #inc-{code} thread",
    "deploy log for release {ver}",
    "Datadog monitor '{kw} rate'",
    "Langfuse trace export",
    "on-call handoff notes",
    "git commit {sha} in the config repo",
    "customer ticket {ticket}",
    "Honeycomb query 'p99 by {kw}'",
    "training run log step {step}",
    "eval report {ver}",
]
ADJ = [
    "amber",
    "brisk",
    "cobalt",
    "dusky",
    "ember",
    "fallow",
    "gilded",
    "hollow",
    "ivory",
    "jade",
    "lunar",
    "mossy",
    "nimble",
    "onyx",
    "pale",
    "quiet",
    "russet",
    "silver",
    "tawny",
    "umber",
    "vivid",
    "windy",
    "azure",
    "bold",
    "crimson",
    "dapper",
    "eager",
    "frosty",
    "granite",
    "hazel",
]
NOUN = [
    "falcon",
    "otter",
    "heron",
    "badger",
    "lynx",
    "cormorant",
    "ibex",
    "marten",
    "osprey",
    "puffin",
    "raven",
    "stoat",
    "tern",
    "vole",
    "wren",
    "yak",
    "zebu",
    "bison",
    "condor",
    "dingo",
    "egret",
    "ferret",
    "gecko",
    "hare",
    "jackal",
    "koala",
    "lemur",
    "magpie",
    "newt",
    "ocelot",
]

TITLES = [
    "{name} in the {sys} after {change}",
    "{sys}: {kw} during {change}",
    "{name} degraded {model} answers for {pct}% of requests",
    "{kw} on {sys} ({codename})",
    "Near-miss: {name} caught in the {sys} before rollout",
    "{name} after {change} on {codename}",
]
CHANGES = [
    "a config change",
    "a routine deploy",
    "a dependency upgrade",
    "a traffic shift",
    "a model swap",
    "a prompt template change",
    "an index migration",
    "a scale-up",
    "a kernel upgrade",
    "a data backfill",
    "a load-balancer change",
    "a tokenizer update",
    "a quantization rollout",
    "a region failover",
]
EVENTS = {
    "trigger": [
        "Release {ver} of the {sys} rolled out to {pct}% of traffic in {region}",
        "{change_cap} landed on the {sys}; {kw} behaviour changed from this point",
        "A scheduled job started {kw} work on the {sys} ({codename})",
    ],
    "detection": [
        "Alert fired: {kw} rate above threshold on the {sys} in {region}",
        "A customer reported degraded answers from {model}; ticket {ticket} opened",
        "The {role} noticed {kw} in the {sys} dashboard during a routine check",
        "Continuous eval flagged a quality drop of {pct} points on the {codename} suite",
    ],
    "escalation": [
        "Incident declared at {sev}; the {role} took command and opened #inc-{code}",
        "Paged {team} on-call as {kw} spread to {region}",
    ],
    "mitigation": [
        "Rolled back release {ver} of the {sys}; error rate started to fall",
        "Drained {region} and shifted traffic to healthy replicas",
        "Disabled the {kw} path behind a feature flag on the {sys}",
        "Pinned {model} to the previous checkpoint while the cause was investigated",
    ],
    "decision": [
        "Decided to keep the {sys} in degraded mode rather than fail over, to protect {region} capacity",
        "Chose to pause the {codename} rollout until evals on the holdout set passed",
    ],
    "communication": [
        "Status page updated: elevated errors for {model} users in {region}",
        "Customer communication sent to {users} affected accounts",
    ],
    "resolution": [
        "Fix for {kw} deployed to all regions; metrics back to baseline",
        "Confirmed recovery: {kw} rate at baseline for two hours on the {sys}",
    ],
    "context": [
        "Load test of the {sys} at {pct}% above peak passed the week before",
        "Earlier near-miss with {kw} on {codename} closed without an action item",
    ],
}
CAUSES = [
    "{kw} in the {sys} went unnoticed because no eval covered {kw2}",
    "The {change_noun} changed {kw} behaviour of {model} without a canary stage",
    "Monitoring of the {sys} tracked availability but not answer quality, so {kw} looked healthy",
    "The rollout process allowed a {kw2} change to reach all regions at once",
    "Runbooks for the {sys} did not describe {kw}, so responders tested hypotheses one by one",
    "Ownership of the {sys} config was split between {team} and {team2}, and neither reviewed the {kw2} setting",
    "Capacity planning assumed {kw} would stay below {pct}% of traffic",
]
ACTIONS = [
    "Add a canary stage with a {kw} quality gate to the {sys} rollout",
    "Add a continuous eval for {kw2} on production traffic samples of {model}",
    "Write a runbook section for {kw} on the {sys} with the first three diagnostic queries",
    "Alert on {kw} rate per region for the {sys}, paging {team}",
    "Make one team own the {sys} {kw2} configuration, with review required",
    "Replay a day of {region} traffic against every {sys} release candidate",
]
LESSONS_WELL = [
    "Rollback of the {sys} took {mins} minutes end to end",
    "The {role} declared the incident early, which shortened the escalation",
    "Dashboards for {kw} existed and pointed at the right region",
]
LESSONS_IMPROVE = [
    "Evals on {model} did not cover {kw2}; quality drops stayed invisible",
    "Detection depended on customer reports rather than monitoring",
    "Config changes to the {sys} skipped staging",
]
GAPS = [
    "[DATA GAP] Request logs for {region} between {t0} and {t1} UTC were sampled at 1%",
    "[ASSUMPTION] The {kw} rate before the incident matched the weekly baseline",
]
PARAS = {
    "Executive Summary": [
        "Between {t0} and {t1} UTC the {sys} served degraded responses from {model} to about {users} users. "
        "The proximate trigger was {change}; the conditions that let it spread were missing canary gates and "
        "evals blind to {kw}. Top actions: a canary quality gate, continuous evals for {kw2}, and a runbook.",
        "{sev} incident on the {sys}: {pct}% of requests in {region} were affected for {mins} minutes. "
        "Impact on cost was about ${cost} of wasted compute.",
    ],
    "Detection & Initial Response": [
        "The first signal came from {detector}. The {role} confirmed {kw} on the {sys} dashboard and "
        "declared the incident at {sev}. Early hypotheses pointed at {kw2}, which the team ruled out by "
        "comparing replicas in {region}.",
        "Time to detect was {mins} minutes. Alerting covered errors but not {kw}, so the quality drop "
        "showed up first in user reports and the {codename} eval suite.",
    ],
    "Technical Analysis": [
        "The {change_noun} altered how the {sys} handled {kw}. Under load, {model} received inputs that the "
        "evals had never exercised ({kw2}). Outputs were stochastic: the failure reproduced in {k} of {n} runs "
        "with the same prompt, so single reproductions were misleading.",
        "Opacity slowed the analysis: privacy controls limited access to affected conversations, and traces "
        "from {region} were sampled. [DATA GAP] The exact share of affected requests before {t1} is unknown.",
        "Data, evals and prompts were examined in turn. The prompt template was unchanged; the eval suite "
        "{codename} covered {kw} only for short contexts; rapid iteration on the {sys} meant three releases "
        "shipped that week.",
    ],
}


@dataclass(frozen=True)
class Needle:
    key: str
    title: str | None = None
    cause: str | None = None
    event: str | None = None
    source: str | None = None
    narrative: str | None = None
    action: str | None = None
    lesson: str | None = None


NEEDLES = [
    Needle("title-typo", title="Speculative decoding acceptance collapse on the Marigold draft model"),
    Needle("cause", cause="Tokenizer normalisation drift in the Quillfeather preprocessing job dropped diacritics"),
    Needle("timeline-only", event="On-call noticed the Brackenridge shard returning empty context windows"),
    Needle(
        "narrative-only",
        narrative="Later we learned that the Ostrava canary region had served stale "
        "embeddings for a week before anyone looked.",
    ),
    Needle("reordered", title="Reward model over-optimisation in the Juniper RLHF run"),
    Needle("partial", title="Thistlewood vector index compaction stall"),
    Needle("rare-typo", title="Kestrelmoor agent runaway tool loop exhausted the step budget"),
    Needle("action-only", action="Add a preemption canary for the Pemberton batch scheduler"),
    Needle("source-only", source="Grafana dashboard 'saffronia latency heatmap'"),
    Needle("lesson", lesson="Shadow eval on the Wrenfield holdout caught nothing because it sampled short prompts"),
    Needle("title-beats-narrative", title="Halloran guardrail bypass through nested tool output"),
    Needle(
        "passing-mention",
        narrative="A similar pattern had been seen on the Halloran service a year earlier, unrelated to this incident.",
    ),
    Needle("cause-beats-narrative", cause="Corvina feature pipeline skew between training and serving"),
    Needle("passing-mention-2", narrative="The Corvina team was on a different rota that week."),
]

# (query, needle key, what it exercises)
QUERIES = [
    ("speculative decodng marigold", "title-typo", "typo, title"),
    ("marigold draft", "title-typo", "exact, title"),
    ("quillfeather tokenizer drift", "cause", "cause"),
    ("quilfeather normalization", "cause", "typo + spelling variant, cause"),
    ("brackenridge shard", "timeline-only", "timeline only"),
    ("ostrava stale embeddings", "narrative-only", "narrative only"),
    ("juniper rlhf reward", "reordered", "reordered words"),
    ("rlhf over-optimisation juniper", "reordered", "reordered words"),
    ("thistlew compac", "partial", "partial words"),
    ("kestrelmor runaway loop", "rare-typo", "typo in a rare word"),
    ("pemberton preemption", "action-only", "action only"),
    ("saffronia heatmap", "source-only", "timeline source only"),
    ("wrenfeld holdout", "lesson", "typo, lesson"),
    ("halloran", "title-beats-narrative", "ranking: title beats a narrative mention"),
    ("corvina skew", "cause-beats-narrative", "ranking: cause beats a narrative mention"),
    ("corvina", "cause-beats-narrative", "ranking: cause beats a narrative mention"),
]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _t(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    def __init__(self, seed: int, taxonomy_text: str):
        self.rng = random.Random(seed)
        modes = tomllib.loads(taxonomy_text)["modes"]
        self.modes = [m for m in modes if not m.get("deprecated")]
        self.taken: set[str] = set()

    def _hex(self, used: set[str], prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self.rng.getrandbits(16):04x}"
            if candidate not in used:
                used.add(candidate)
                return candidate

    def incident(self, index: int, needle: Needle | None = None) -> tuple[str, str, str]:
        """(folder relative to the store, incident.toml text, postmortem.md text)."""
        r = self.rng
        mode = r.choice(self.modes)
        others = r.sample(self.modes, 2)
        kws = list(mode.get("keywords") or [mode["name"].lower()])
        started = datetime(2022, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=r.randrange(4 * 365 * 24 * 60))
        ctx = {
            "name": mode["name"],
            "sys": r.choice(SYSTEMS),
            "model": r.choice(MODELS),
            "kw": r.choice(kws),
            "kw2": r.choice(list(others[0].get("keywords") or [others[0]["name"].lower()])),
            "change": r.choice(CHANGES),
            "pct": r.randrange(2, 60),
            "region": r.choice(REGIONS),
            "codename": f"{r.choice(ADJ)}-{r.choice(NOUN)}",
            "team": r.choice(TEAMS),
            "team2": r.choice(TEAMS),
            "role": r.choice(ROLES),
            "sev": r.choice(["P0", "P1", "P1", "P2", "P2", "P2"]),
            "ver": f"v{r.randrange(1, 5)}.{r.randrange(0, 30)}.{r.randrange(0, 12)}",
            "ticket": f"INC-{r.randrange(10000, 99999)}",
            "code": r.randrange(100, 9999),
            "users": f"{r.randrange(1, 900) * 100:,}",
            "mins": r.randrange(8, 400),
            "cost": f"{r.randrange(1, 500)},000",
            "k": r.randrange(1, 9),
            "n": 10,
            "sha": f"{r.getrandbits(28):07x}",
            "step": r.randrange(1000, 900000),
            "detector": r.choice(["an alert", "a customer ticket", "the continuous eval", "a research engineer"]),
        }
        ctx["change_cap"] = ctx["change"][0].upper() + ctx["change"][1:]
        ctx["change_noun"] = ctx["change"].split(" ", 1)[1]
        title = (needle.title if needle and needle.title else r.choice(TITLES).format(**ctx))[:200]
        base = f"{started:%Y-%m-%d}-{slugify(title)}"
        incident_id, n = base, 2
        while incident_id in self.taken:
            incident_id, n = f"{base}-{n}", n + 1
        self.taken.add(incident_id)
        t = started
        times = []
        ids: set[str] = set()
        timeline = []
        kinds = [
            "context",
            "trigger",
            "detection",
            "escalation",
            "communication",
            "mitigation",
            "decision",
            "mitigation",
            "communication",
            "resolution",
        ]
        extra = r.randrange(0, 6)
        kinds = (
            kinds[:2] + [r.choice(["context", "detection", "mitigation", "decision"]) for _ in range(extra)] + kinds[2:]
        )
        for kind in kinds:
            t = t + timedelta(minutes=r.randrange(3, 90))
            ctx.update(t0=f"{started:%H:%M}", t1=f"{t:%H:%M}")
            event = r.choice(EVENTS[kind]).format(**ctx)
            source = r.choice(SOURCES).format(**ctx)
            timeline.append((self._hex(ids, "t"), t, kind, event, source))
            times.append((kind, t))
        if needle and needle.event:
            timeline[3] = (timeline[3][0], timeline[3][1], "detection", needle.event, timeline[3][4])
        if needle and needle.source:
            timeline[2] = (*timeline[2][:4], needle.source)
        detected = next(tt for k, tt in times if k == "detection")
        mitigated = next(tt for k, tt in times if k == "mitigation" and tt >= detected)
        resolved = times[-1][1]
        causes = []
        for c in range(r.randrange(3, 7)):
            ctx["kw"] = r.choice(kws)
            statement = r.choice(CAUSES).format(**ctx)
            if needle and needle.cause and c == 1:
                statement = needle.cause
            evidence = [timeline[r.randrange(len(timeline))][0]]
            causes.append(
                (
                    self._hex(ids, "c"),
                    statement,
                    ["proximate", "contributing", "systemic"][min(c, 2)],
                    r.choice(["5-whys", "fishbone", "barrier-analysis", "change-analysis", "eval-gap"]),
                    r.choice(["process", "tooling", "monitoring", "model", "data", "evaluation"]),
                    r.choice(["confirmed", "hypothesis"]),
                    evidence,
                    [mode["id"]] if c == 0 else [others[c % 2]["id"]],
                )
            )
        actions = []
        for a in range(r.randrange(3, 7)):
            ctx["team"] = r.choice(TEAMS)
            text = r.choice(ACTIONS).format(**ctx)
            if needle and needle.action and a == 0:
                text = needle.action
            due = (resolved + timedelta(days=r.randrange(7, 120))).date()
            actions.append(
                (
                    f"AI-{a + 1:03d}",
                    text,
                    ctx["team"],
                    due,
                    r.choice(["open", "open", "in-progress", "done", "verified"]),
                    r.choice(["P0", "P1", "P2", "P2"]),
                    causes[r.randrange(len(causes))][0],
                )
            )
        stage = r.choice(
            [
                "scoping",
                "data-collection",
                "timeline",
                "analysis",
                "synthesis",
                "review",
                "tracking",
                "closed",
                "closed",
                "closed",
            ]
        )
        lines = [
            "schema_version = 1",
            f"id = {_q(incident_id)}",
            f"title = {_q(title)}",
            f"kind = {_q('near-miss' if title.startswith('Near-miss') else 'incident')}",
            f"severity = {_q(ctx['sev'])}",
            f"stage = {_q(stage)}",
            f"summary = {_q(PARAS['Executive Summary'][0].format(**ctx))}",
            f"commander = {_q(r.choice(ROLES).title())}",
            f"lead = {_q(r.choice(TEAMS) + ' lead')}",
            f"systems = [{_q(ctx['sys'])}]",
            f"models = [{_q(ctx['model'])}]",
            f"tags = [{_q(mode['family'])}, {_q(slugify(ctx['kw'], 30))}]",
            f"taxonomy = [{_q(mode['id'])}]",
            "",
            "[scope]",
            f"covers = {_q('The ' + ctx['sys'] + ' in ' + ctx['region'] + ' from trigger to recovery.')}",
            f"excludes = {_q('Unrelated alerts on other services that week.')}",
            "",
            "[times]",
            f"started = {_t(started)}",
            f"detected = {_t(detected)}",
            f"mitigated = {_t(mitigated)}",
            f"resolved = {_t(resolved)}",
            "",
            "[impact.users_affected]",
            f"value = {int(ctx['users'].replace(',', ''))}",
            'unit = "users"',
            f"source = {_q('product analytics export')}",
            "",
            "[impact.cost_usd]",
            f"value = {int(ctx['cost'].replace(',', ''))}",
            'unit = "USD"',
            f"note = {_q('compute wasted on failed requests, estimated')}",
            "",
            "[ai_factors.data]",
            f"analysis = {_q('Inputs during the incident were ' + ctx['kw2'] + ' heavy.')}",
            "",
            "[ai_factors.evals]",
            f"analysis = {_q('No eval covered ' + ctx['kw'] + '.')}",
            "",
            "[ai_factors.nondeterminism]",
            f"analysis = {_q('Reproduced in ' + str(ctx['k']) + ' of 10 runs.')}",
            "",
            "[lessons]",
            "went_well = [",
            *(f"    {_q(s.format(**ctx))}," for s in r.sample(LESSONS_WELL, 2)),
            "]",
            "to_improve = [",
            *(f"    {_q(s.format(**ctx))}," for s in r.sample(LESSONS_IMPROVE, 2)),
            *([f"    {_q(needle.lesson)},"] if needle and needle.lesson else []),
            "]",
            "",
        ]
        for eid, when, kind, event, source in timeline:
            lines += [
                "[[timeline]]",
                f"id = {_q(eid)}",
                f"time = {_t(when)}",
                f"event = {_q(event)}",
                f"source = {_q(source)}",
                f"kind = {_q(kind)}",
                "",
            ]
        for cid, statement, kind, lens, category, status, evidence, taxonomy in causes:
            lines += [
                "[[causes]]",
                f"id = {_q(cid)}",
                f"statement = {_q(statement)}",
                f"kind = {_q(kind)}",
                f"lens = {_q(lens)}",
                f"category = {_q(category)}",
                f"status = {_q(status)}",
                f"evidence = [{', '.join(_q(e) for e in evidence)}]",
                f"taxonomy = [{', '.join(_q(m) for m in taxonomy)}]",
                "",
            ]
        for aid, text, owner, due, status, priority, addresses in actions:
            lines += [
                "[[actions]]",
                f"id = {_q(aid)}",
                f"action = {_q(text)}",
                f"owner = {_q(owner)}",
                f"due = {due.isoformat()}",
                f"status = {_q(status)}",
                f"priority = {_q(priority)}",
                f"verification = {_q('Dashboard shows the gate firing in a game day')}",
                f"success_criteria = {_q('No ' + ctx['kw'] + ' regression reaches more than 1% of traffic')}",
                f"addresses = [{_q(addresses)}]",
                "",
            ]
        for g in GAPS:
            lines += [
                "[[gaps]]",
                f"id = {_q(self._hex(ids, 'g'))}",
                f"kind = {_q('assumption' if 'ASSUMPTION' in g else 'data-gap')}",
                f"text = {_q(g.format(**ctx))}",
                f"closes_by = {_q('Ask ' + ctx['team'] + ' for the logs')}",
                "",
            ]
        lines += [
            "[[questions]]",
            f"id = {_q(self._hex(ids, 'q'))}",
            f"text = {_q('Did ' + ctx['kw2'] + ' play any part before the trigger?')}",
            f"specialist = {_q(r.choice(TEAMS))}",
            "",
        ]
        toml = "\n".join(lines).rstrip("\n") + "\n"
        md = []
        for heading, paras in PARAS.items():
            md += [f"## {heading}", ""]
            for p in r.sample(paras, min(len(paras), 2)):
                ctx["kw"] = r.choice(kws)
                md += [p.format(**ctx), ""]
            if needle and needle.narrative and heading == "Technical Analysis":
                md += [needle.narrative, ""]
        folder = f"incidents/{started:%Y}/{started:%m}/{incident_id}"
        return folder, toml, "\n".join(md).rstrip("\n") + "\n"


def needle_positions(count: int) -> dict[int, Needle]:
    if count < len(NEEDLES) * 2:
        return {i: n for i, n in enumerate(NEEDLES[:count])}
    step = count // len(NEEDLES)
    return {k * step + step // 2: needle for k, needle in enumerate(NEEDLES)}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, stdout=subprocess.DEVNULL)


def generate(out: Path, count: int, seed: int = 4, history: int = 0, progress=None) -> dict[str, str]:
    """Write a store of `count` incidents at `out`; returns {needle key: incident id}."""
    out.mkdir(parents=True, exist_ok=False)
    taxonomy_text = default_taxonomy_text()
    gen = Generator(seed, taxonomy_text)
    (out / "taxonomy.toml").write_text(taxonomy_text, encoding="utf-8")
    (out / ".gitignore").write_text("/.workbench/\n")
    (out / "incidents").mkdir()
    (out / "incidents" / ".gitkeep").write_text("")
    needles = needle_positions(count)
    found: dict[str, str] = {}
    for index in range(count):
        needle = needles.get(index)
        folder, toml, md = gen.incident(index, needle)
        path = out / folder
        path.mkdir(parents=True)
        (path / "incident.toml").write_text(toml, encoding="utf-8")
        (path / "postmortem.md").write_text(md, encoding="utf-8")
        if needle:
            found[needle.key] = folder.rsplit("/", 1)[1]
        if progress and index % 1000 == 0:
            progress(index, count)
    (out / "needles.json").write_text(json.dumps(found, indent=1))
    with open(out / ".gitignore", "a") as handle:
        handle.write("/needles.json\n")
    git(out, "init", "-q", "-b", "main")
    env_args = ["-c", "user.name=Benchmark", "-c", "user.email=bench@example.invalid"]
    git(out, "add", "-A")
    git(out, *env_args, "commit", "-q", "--no-verify", "-m", f"store: generated {count} incidents (seed {seed})")
    # Follow-up commits on a handful of incidents: one incident gets most, so its history is long.
    ids = sorted(p.parent for p in (out / "incidents").glob("*/*/*/incident.toml"))
    rng = random.Random(seed + 1)
    for n in range(history):
        folder = ids[0] if n % 2 == 0 else rng.choice(ids)
        md = folder / "postmortem.md"
        with open(md, "a", encoding="utf-8") as handle:
            handle.write(f"\nReview note {n}: checked the {rng.choice(SYSTEMS)} evidence again.\n")
        rel = md.relative_to(out).as_posix()
        git(out, "add", "--", rel)
        git(out, *env_args, "commit", "-q", "--no-verify", "-m", f"{folder.name}: review: note {n}", "--", rel)
    # Then the settings `workbench init` gives a store (GitRepo.configure_durability), which the measured
    # saves use: fsync (after the bulk commit, which would otherwise fsync 2 objects per incident) and a
    # split index.
    from workbench.store.gitrepo import STORE_SETTINGS  # noqa: PLC0415

    for key, value in {"core.fsync": "committed,index", "core.fsyncMethod": "fsync", **STORE_SETTINGS}.items():
        git(out, "config", key, value)
    git(out, "update-index", "--split-index")
    return found


def generated_store(folder: Path, size: int) -> Path:
    """`folder/store-SIZE`, generated once (seed 4) and reused by every benchmark; a half-made one is redone."""
    path = folder / f"store-{size}"
    marker = path / ".generated"
    if marker.is_file():
        return path
    if path.exists():
        shutil.rmtree(path)
    print(f"generating a store of {size:,} incidents in {path} (once) ...", flush=True)
    start = time.perf_counter()
    generate(
        path,
        size,
        seed=4,
        history=min(40, max(10, size // 250)),
        progress=lambda i, n: print(f"  {i:,}/{n:,}", end="\r", flush=True),
    )
    marker.write_text("ok\n")
    print(f"  generated in {time.perf_counter() - start:.0f} s" + " " * 20)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--history", type=int, default=0, help="follow-up commits after the bulk commit")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    generate(
        args.out,
        args.count,
        args.seed,
        args.history,
        progress=lambda i, n: print(f"  {i:,}/{n:,}", end="\r", file=sys.stderr),
    )
    print(f"wrote {args.count:,} incidents to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
