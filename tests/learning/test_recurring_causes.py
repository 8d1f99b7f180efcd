"""recurring_causes groups alike causes in near-linear time and gives the groups comparing every pair gave."""

from __future__ import annotations

from collections import Counter

from learning_store import learning_root, learning_store  # noqa: F401

from workbench.services.learning.stats import CAUSE_SIMILARITY, CauseCluster, CauseRef, recurring_causes
from workbench.services.learning.textsim import Corpus, cosine, top_shared
from workbench.store import Store


def pairwise_reference(incidents, threshold=CAUSE_SIMILARITY):
    """What recurring_causes computed before (every pair of statements compared), kept here as the oracle."""
    refs = [CauseRef(i.id, c.id, c.statement) for i in incidents for c in i.causes]
    corpus = Corpus({str(n): r.statement for n, r in enumerate(refs)})
    parent = list(range(len(refs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    shared: dict[int, Counter] = {}
    vectors = [corpus.vectors[str(n)] for n in range(len(refs))]
    for a in range(len(refs)):
        for b in range(a + 1, len(refs)):
            if refs[a].incident_id == refs[b].incident_id:
                continue
            va, vb = vectors[a], vectors[b]
            if len(va.keys() & vb.keys()) < 2 or cosine(va, vb) < threshold:
                continue
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra
                shared[ra] = shared.get(ra, Counter()) + shared.pop(rb, Counter())
            shared.setdefault(find(a), Counter()).update(top_shared(va, vb, 3))
    groups: dict[int, list[int]] = {}
    for n in range(len(refs)):
        groups.setdefault(find(n), []).append(n)
    clusters = []
    for root, members in groups.items():
        inc = list(dict.fromkeys(refs[m].incident_id for m in members))
        if len(inc) >= 2:
            clusters.append(
                CauseCluster(
                    [corpus.word(s) for s, _ in shared.get(root, Counter()).most_common(4)],
                    inc,
                    [refs[m] for m in members],
                )
            )
    clusters.sort(key=lambda c: (-len(c.incidents), c.incidents[0]))
    return clusters


def test_groups_equal_comparing_every_pair_on_the_fixture_store(learning_store: Store) -> None:  # noqa: F811
    incidents = [r.incident for r in learning_store.load_all().records]
    expected = pairwise_reference(incidents)
    assert expected  # the fixtures do hold recurring causes, so the comparison means something
    assert recurring_causes(incidents) == expected
    for threshold in (0.2, 0.5):  # looser and stricter groupings agree too
        assert recurring_causes(incidents, threshold) == pairwise_reference(incidents, threshold)


def test_groups_of_many_statements_are_found_block_by_block(learning_store: Store) -> None:  # noqa: F811
    # More statements than one block of the sparse products: the same incidents copied under new ids, so
    # each statement is alike to its copies in other blocks and every group spans the blocks.
    from dataclasses import replace

    from workbench.services.learning.profile import Profile

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
