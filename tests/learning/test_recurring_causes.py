"""recurring_causes: a group is one cause that keeps coming back. Each statement is alike to its group as a
whole (its leader, then the centroid), never chained through other members; words in most statements are
dropped; the blocked sparse products give what a plain statement-by-statement reading of the rule gives."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from learning_store import learning_root, learning_store  # noqa: F401

from workbench.services.learning import cause_groups
from workbench.services.learning.cause_groups import MAX_DF, MIN_FOR_MAX_DF, WORDS_SHOWN, group_statements
from workbench.services.learning.profile import CauseProfile, Profile
from workbench.services.learning.stats import CAUSE_SIMILARITY, recurring_causes
from workbench.services.learning.textsim import Corpus, cosine, words
from workbench.store import Store

EPS = 1e-12


def reference(statements: list[str], threshold: float) -> tuple[list[int], list[list[str]]]:
    """The rule of cause_groups.py read plainly, one statement and one leader at a time (the oracle)."""
    distinct: dict[tuple[str, ...], int] = {}
    of: list[int] = []
    texts: list[list[tuple[str, str]]] = []
    for s in statements:
        found = words(s)
        key = tuple(sorted(st for st, _ in found))
        if key not in distinct:
            distinct[key] = len(texts)
            texts.append(found)
        of.append(distinct[key])
    weight = Counter(of)
    n = len(statements)
    df: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for d, found in enumerate(texts):
        for st in {st for st, _ in found}:
            df[st] += weight[d]
        for st, w in found:
            forms.setdefault(st, Counter())[w] += 1
    dropped = {st for st, k in df.items() if n >= MIN_FOR_MAX_DF and k > MAX_DF * n}
    vectors = []
    for found in texts:
        counts = Counter(st for st, _ in found if st not in dropped)
        vec = {st: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[st])) + 1.0) for st, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({st: v / norm for st, v in vec.items()})
    leader_of: list[int] = []
    leaders: list[int] = []
    for x, vx in enumerate(vectors):
        best, leader = -1.0, -1
        for y in leaders:
            c = cosine(vx, vectors[y])
            if len(vx.keys() & vectors[y].keys()) >= 2 and c >= threshold - EPS and c > best:
                best, leader = c, y
        if leader < 0:
            leaders.append(x)
            leader = x
        leader_of.append(leader)
    centroids = {}
    for g in leaders:
        total: Counter[str] = Counter()
        for x, lx in enumerate(leader_of):
            if lx == g:
                for st, v in vectors[x].items():
                    total[st] += weight[x] * v
        norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
        centroids[g] = {st: v / norm for st, v in total.items()}
    group_of = list(leader_of)
    for x, vx in enumerate(vectors):
        here = cosine(vx, centroids[leader_of[x]])
        best, to = -1.0, -1
        for g in leaders:
            c = cosine(vx, centroids[g])
            if c > best:
                best, to = c, g
        if to != leader_of[x] and best >= threshold - EPS and best > here + EPS:
            group_of[x] = to
    number: dict[int, int] = {}
    order = [number.setdefault(group_of[d], len(number)) for d in of]
    shown = []
    for g in number:
        members = [x for x in range(len(texts)) if group_of[x] == g]
        total_w = sum(weight[x] for x in members)
        users: Counter[str] = Counter()
        centroid: Counter[str] = Counter()
        for x in members:
            for st, v in vectors[x].items():
                users[st] += weight[x]
                centroid[st] += weight[x] * v
        shared = [st for st in centroid if users[st] >= max(2, total_w / 2)]
        first = [st for st, _ in texts[members[0]]]
        shared.sort(key=lambda st: (-round(centroid[st], 9), first.index(st) if st in first else len(first), st))
        surface = {st: min(forms[st].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for st in shared}
        shown.append([surface[st] for st in shared[:WORDS_SHOWN]])
    return order, shown


@dataclass(frozen=True)
class Causes:
    """What recurring_causes reads of an incident or a profile."""

    id: str
    causes: tuple[CauseProfile, ...]


def profiles(statements: dict[str, list[str]]) -> list[Any]:
    return [
        Causes(i, tuple(CauseProfile(id=f"c-{n}", statement=s, taxonomy=()) for n, s in enumerate(ss)))
        for i, ss in statements.items()
    ]


def cause_statements(store: Store) -> list[str]:
    return [c.statement for r in store.load_all().records for c in r.incident.causes]


@pytest.mark.parametrize("threshold", [0.2, CAUSE_SIMILARITY, 0.5])
def test_groups_equal_the_plain_reading_of_the_rule_on_the_fixture_store(
    learning_store: Store,  # noqa: F811
    threshold: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    statements = cause_statements(learning_store)
    expected = reference(statements, threshold)
    assert max(expected[0]) < len(statements) - 1  # some statements do group, so the comparison means something
    got = group_statements(statements, threshold)
    assert (got.group_of, got.words) == expected
    monkeypatch.setattr(cause_groups, "BLOCK_CELLS", 1)  # blocks of 16 statements: the same groups
    small = group_statements(statements, threshold)
    assert (small.group_of, small.words) == expected


# Each pair alike (cosine 0.46 and 0.41), the ends not at all: linking alike pairs chained all five.
CHAIN = {
    "i1": ["Reward model overfit to annotator shortcuts in the preference data"],
    "i2": ["The reward model overfit annotator shortcuts present in preference labels"],
    "i3": ["Annotator shortcuts in preference data leaked into the stale eval prompt cache"],
    "i4": ["The eval prompt cache served stale entries after rotation"],
    "i5": ["Stale entries in the eval prompt cache survived a rotation"],
}


def test_a_chain_of_alike_pairs_is_two_causes_not_one() -> None:
    corpus = Corpus({i: ss[0] for i, ss in CHAIN.items()})
    v = corpus.vectors
    assert cosine(v["i1"], v["i3"]) >= CAUSE_SIMILARITY and cosine(v["i3"], v["i4"]) >= CAUSE_SIMILARITY
    assert cosine(v["i1"], v["i4"]) == 0  # the two ends share no word: a chain is what joined them
    clusters = recurring_causes(profiles(CHAIN))
    assert [c.incidents for c in clusters] == [["i1", "i2", "i3"], ["i4", "i5"]]
    assert set(clusters[0].words) == {"annotator", "preference", "shortcuts"}
    assert {"entries", "rotation"} <= set(clusters[1].words)  # what the second cause says that the first does not


def test_template_causes_group_by_what_they_say_not_into_one() -> None:
    # The synthetic 10k store's shape: a few templates with slots; the slot words recur across templates.
    systems = ["reranker", "vector database", "chat frontend", "tokenizer service", "agent orchestrator"]
    faults = ["reward hacking", "context poisoning", "schema drift", "prompt injection", "kv cache"]
    templates = [
        "The rollout process allowed a {f} change to reach all regions at once on the {s}",
        "Monitoring of the {s} tracked availability but not answer quality, so {f} looked healthy",
        "Runbooks for the {s} did not describe {f}, so responders tested hypotheses one by one",
    ]
    statements = {
        f"i{n:03d}": [t.format(s=systems[(n + k) % 5], f=faults[(n * 3 + k) % 5]) for k, t in enumerate(templates)]
        for n in range(40)
    }
    clusters = recurring_causes(profiles(statements))
    assert len(clusters) == 3  # one per template: each is a cause of every incident
    for cluster in clusters:
        assert len(cluster.incidents) == 40
        assert len({ref.statement.split()[0] for ref in cluster.causes}) == 1  # one template in each
    named = {c.causes[0].statement.split()[1]: c.words for c in clusters}
    assert named["rollout"] == ["rollout", "process", "allowed"]  # equal weights: in the order the cause reads
    assert named["of"] == ["monitoring", "tracked", "availability"]


def test_words_in_most_statements_neither_group_nor_name_a_group() -> None:
    # Every statement says "the deployment pipeline"; apart from that they are different causes.
    topics = [
        "skipped the canary for reward hacking",
        "lost the tokenizer vocabulary file",
        "cached stale embeddings overnight",
        "throttled eval traffic to zero",
        "dropped safety classifier labels",
        "rotated credentials without notice",
    ]
    statements = {f"i{n:02d}": [f"The deployment pipeline {topics[n % 6]} in region {n}"] for n in range(24)}
    clusters = recurring_causes(profiles(statements))
    assert len(clusters) == 6  # each topic recurs in four incidents; the shared phrase joins none of them
    for cluster in clusters:
        assert len(cluster.incidents) == 4
        assert not {"deployment", "pipeline"} & set(cluster.words)


def test_groups_of_many_statements_are_found_block_by_block(
    learning_store: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same incidents copied under new ids, in blocks of 16 statements: each statement is alike to its
    # copies in other blocks and every group spans the blocks.
    from dataclasses import replace

    monkeypatch.setattr(cause_groups, "BLOCK_CELLS", 1)
    base = [Profile.of(r.incident) for r in learning_store.load_all().records]
    copies = [replace(p, id=f"{p.id}-copy{n}") for n in range(24) for p in base]
    assert sum(len(p.causes) for p in copies) > 1024
    clusters = recurring_causes(copies)
    everything = {ref.incident_id for c in clusters for ref in c.causes}
    assert everything == {p.id for p in copies if p.causes}
    # One incident's cause and its copies always land in one group.
    first = base[0].causes[0].statement
    holding = [c for c in clusters if any(ref.statement == first for ref in c.causes)]
    assert len(holding) == 1
    assert {ref.incident_id for ref in holding[0].causes if ref.statement == first} == {
        p.id for p in copies if p.id.startswith(base[0].id)
    }
    assert [len(c.incidents) for c in clusters] == sorted((len(c.incidents) for c in clusters), reverse=True)
