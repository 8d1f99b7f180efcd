"""Recurring causes: cause statements of different incidents that say nearly the same thing.

What a group means to a reader: one recurring cause, worth one systemic action. Every statement of a group
is alike to the group as a whole (TF-IDF cosine >= the threshold to the group's centroid, at least two shared
words with its leader), not merely to some other member: linking every alike pair (single linkage, what
this replaced) chained template-like statements ("the rollout process allowed an X change ...", "the
X in the Y went unnoticed ...") through their shared X and Y into one group of all 10,000 incidents.

How, in near-linear time (the cost grows with statements times groups, and groups are few when causes recur):
1. Words present in more than MAX_DF of the statements (when there are at least MIN_FOR_MAX_DF) are dropped:
   they say nothing about which cause a statement is. Rare words weigh more (smooth idf, sublinear tf).
2. Leaders: the distinct statements, in order, each join their most alike leader (cosine >= threshold and
   >= 2 shared words), or lead a group of their own. A leader never changes, so nothing chains.
3. One refinement: each statement moves to the group whose centroid (the mean of its members) it is most
   alike to, if that is >= threshold; otherwise it stays where it is. The first statement of a group is no
   longer what the group is measured against.
Groups that span two or more incidents are reported, largest first, with the words that distinguish them
(the heaviest words of the centroid that at least half of its statements use; equal weights in the order
its first statement says them).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .textsim import words as _words

MAX_DF = 0.5  # a word in more than half of the statements distinguishes none of them
MIN_FOR_MAX_DF = 20  # below this many statements every word counts (a small store's words are all rare)
WORDS_SHOWN = 3
BLOCK_CELLS = 4_000_000  # dense cells per block of the products (32 MB of float64): blocks shrink as groups grow


@dataclass(frozen=True)
class Grouping:
    """For each statement given, its group number (groups numbered from 0, in order of first member), and
    each group's distinguishing stems with their readable forms."""

    group_of: list[int]
    words: list[list[str]]


def group_statements(statements: Sequence[str], threshold: float) -> Grouping:
    """Group `statements` (duplicates allowed: equal wording is one distinct statement, counted as often as
    it occurs) as described in the module docstring."""
    import numpy as np  # first use only: the app starts without numpy

    matrix, weight, of_statement, first_of, stems, surface = _vectors(statements)
    binary = matrix.copy()
    binary.data[:] = 1.0
    leader_of = _leaders(matrix, binary, threshold)
    del binary  # ~3 MB at 10,000 incidents: not needed by the refinement
    group_of = _refine(matrix, weight, leader_of, threshold)

    # Groups numbered in order of their first statement; words from each group's centroid.
    number: dict[int, int] = {}
    order = [number.setdefault(g, len(number)) for g in (group_of[d] for d in of_statement)]
    members: list[list[int]] = [[] for _ in number]
    for d, g in enumerate(group_of):
        if g in number:
            members[number[g]].append(d)
    words = []
    for ds in members:
        sub = matrix[ds]
        w = weight[ds]
        centroid = np.asarray(sub.multiply(w[:, None]).sum(axis=0)).ravel()
        users = np.asarray((sub > 0).multiply(w[:, None]).sum(axis=0)).ravel()
        shared = users >= max(2.0, w.sum() / 2)
        first = {stem: n for n, (stem, _) in reversed(list(enumerate(_words(statements[first_of[ds[0]]]))))}
        ranked = sorted(
            np.flatnonzero(shared).tolist(),
            key=lambda c: (-round(float(centroid[c]), 9), first.get(stems[c], len(first)), stems[c]),
        )
        words.append([surface[stems[c]] for c in ranked[:WORDS_SHOWN]])
    return Grouping(order, words)


def _vectors(statements: Sequence[str]) -> tuple[Any, Any, array[int], list[int], list[str], dict[str, str]]:
    """The distinct statements' unit TF-IDF rows, each one's weight (how many statements say it), each statement's
    distinct row, the statement each row was first met as, the stems (columns) and each stem's usual spelling.
    A function of its own so that what building them takes (the (stem, word) counts, the arrays the rows are
    gathered in, their numpy views and copies: ~15 MB at 10,000 incidents) is freed before the grouping runs."""
    import numpy as np
    from scipy.sparse import csr_matrix

    # Each distinct statement's row is made as it is first met, and only its numbers are kept: holding every
    # statement's (stem, word) pairs until the end (~300,000 tuples at 10,000 incidents) was most of the
    # grouping's memory. A group's first statement is read again for its words, below.
    distinct: dict[tuple[str, ...], int] = {}
    of_statement = array("q")
    first_of: list[int] = []  # the statement each distinct statement was first met as
    stem_id: dict[str, int] = {}
    forms: dict[str, dict[str, int]] = {}
    indptr, indices, tf = array("q", [0]), array("q"), array("d")
    for at, text in enumerate(statements):
        found = _words(text)
        key = tuple(sorted(s for s, _ in found))
        row = distinct.get(key)
        if row is None:
            row = distinct[key] = len(first_of)
            first_of.append(at)
            # TF-IDF over the distinct statements; document frequency counts every statement (a copied cause too).
            counts: dict[str, int] = {}
            for stem, word in found:
                counts[stem] = counts.get(stem, 0) + 1
                spellings = forms.setdefault(stem, {})
                spellings[word] = spellings.get(word, 0) + 1
            for stem, count in sorted(counts.items()):
                indices.append(stem_id.setdefault(stem, len(stem_id)))
                tf.append(1 + math.log(count))
            indptr.append(len(indices))
        of_statement.append(row)
    del distinct
    weight = np.bincount(np.frombuffer(of_statement, dtype=np.int64), minlength=len(first_of)).astype(np.float64)
    stems = list(stem_id)
    del stem_id
    surface = {stem: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for stem, c in forms.items()}
    del forms
    cols = np.frombuffer(indices, dtype=np.int64)
    starts = np.frombuffer(indptr, dtype=np.int64)
    rows = np.repeat(np.arange(len(first_of)), np.diff(starts))
    df = np.bincount(cols, weights=weight[rows], minlength=len(stems))
    del rows
    n = float(len(statements))
    keep = np.ones(len(stems), dtype=bool)
    if n >= MIN_FOR_MAX_DF:
        keep = df <= MAX_DF * n
    idf = np.log((1 + n) / (1 + df)) + 1.0
    data = np.frombuffer(tf, dtype=np.float64) * idf[cols] * keep[cols]
    raw = csr_matrix((data, cols.copy(), starts.copy()), shape=(len(first_of), len(stems)))
    del data, cols, starts, indices, indptr, tf
    raw.eliminate_zeros()
    return _unit_rows(raw), weight, of_statement, first_of, stems, surface


def _unit_rows(m: Any) -> Any:
    import numpy as np
    from scipy.sparse import diags

    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (diags(1.0 / norms) @ m).tocsr()


MAX_BLOCK = 256  # statements per block: a block's products with itself are two dense block x block arrays


def _block(groups: int) -> int:
    """Statements per block. 1,024 made the block's own products (and their sparse intermediates) ~30 MB of a
    Learning screen's peak at 10,000 incidents; 256 takes ~3 MB for the same CPU (more, smaller products)."""
    return max(16, min(MAX_BLOCK, BLOCK_CELLS // max(groups, 1)))


def _leaders(matrix: Any, binary: Any, threshold: float) -> list[int]:
    """Each distinct statement's leader (itself when it leads): the most alike earlier leader, ties to the
    earliest, when cosine >= threshold with >= 2 shared words."""
    import numpy as np

    leader_of = [-1] * matrix.shape[0]
    leaders: list[int] = []
    lo = 0
    while lo < matrix.shape[0]:
        hi = min(lo + _block(len(leaders)), matrix.shape[0])
        old = np.asarray(leaders, dtype=np.int64)
        best_old: list[tuple[float, int]] = [(-1.0, -1)] * (hi - lo)
        if len(old):
            cos = (matrix[lo:hi] @ matrix[old].T).toarray()
            shared = (binary[lo:hi] @ binary[old].T).toarray()
            cos[(shared < 2) | (cos < threshold - 1e-12)] = -1.0
            at = cos.argmax(axis=1)  # the first of equal maxima: the earliest leader
            best_old = [
                (float(cos[i, at[i]]), int(old[at[i]])) if cos[i, at[i]] >= 0 else (-1.0, -1) for i in range(hi - lo)
            ]
        within = (matrix[lo:hi] @ matrix[lo:hi].T).toarray()
        within_shared = (binary[lo:hi] @ binary[lo:hi].T).toarray()
        new: list[int] = []
        for x in range(lo, hi):
            value, leader = best_old[x - lo]
            for y in new:  # the block's own leaders, all later than the old ones
                c = within[x - lo, y - lo]
                if within_shared[x - lo, y - lo] >= 2 and c >= threshold - 1e-12 and c > value:
                    value, leader = c, y
            if leader < 0:
                new.append(x)
                leader = x
            leader_of[x] = leader
        leaders.extend(new)
        lo = hi
    return leader_of


def _refine(matrix: Any, weight: Any, leader_of: list[int], threshold: float) -> list[int]:
    """One step towards the centroids: each statement to the group whose centroid it is most alike to (ties
    and anything under threshold keep its group); a group is named by its leader."""
    import numpy as np
    from scipy.sparse import csr_matrix

    groups = sorted(set(leader_of))
    column = {g: n for n, g in enumerate(groups)}
    assign = csr_matrix(
        (weight, ([column[g] for g in leader_of], np.arange(len(leader_of)))), shape=(len(groups), len(leader_of))
    )
    centroids = _unit_rows(assign @ matrix)
    out = list(leader_of)
    lo = 0
    while lo < matrix.shape[0]:
        hi = min(lo + _block(len(groups)), matrix.shape[0])
        cos = (matrix[lo:hi] @ centroids.T).toarray()
        at = cos.argmax(axis=1)
        for i in range(hi - lo):
            x = lo + i
            here = column[leader_of[x]]
            best = int(at[i])
            if best != here and cos[i, best] >= threshold - 1e-12 and cos[i, best] > cos[i, here] + 1e-12:
                out[x] = groups[best]
        lo = hi
    return out
