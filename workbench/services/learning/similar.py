"""Similar past incidents: shared taxonomy modes and similar wording of causes and timeline.

score = 0.5 * modes + 0.15 * families + 0.35 * text, each in 0..1:
- modes: Jaccard over the incidents' live modes (aliases and merges followed), each mode weighted by
  its rarity across the store, so sharing a rare mode says more than sharing "bad deploy";
- families: plain Jaccard over the families of those modes (related, not identical, failures);
- text: TF-IDF cosine over title, summary, cause statements and timeline events.
Every result says why: the shared modes, the words its causes and timeline share, shared systems.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .profile import Profile, incident_text, word_counts
from ..taxonomy.usage import incident_modes, live_mode_ids
from .textsim import SparseCorpus, top_shared

if TYPE_CHECKING:
    from ...domain.model import Incident
    from ...domain.taxonomy import Taxonomy

__all__ = ["SimilarIncident", "SimilarityIndex", "incident_text"]

WEIGHTS = {"modes": 0.5, "families": 0.15, "text": 0.35}


@dataclass(frozen=True)
class SimilarIncident:
    incident_id: str
    title: str
    score: float  # 0..1
    shared_modes: tuple[str, ...]
    shared_families: tuple[str, ...]
    shared_words: tuple[str, ...]
    shared_systems: tuple[str, ...]
    mode_score: float
    text_score: float

    def why(self, taxonomy: Taxonomy | None = None) -> str:
        parts = []
        if self.shared_modes:
            names = [_mode_name(taxonomy, m) for m in self.shared_modes]
            parts.append("same failure modes: " + ", ".join(names))
        elif self.shared_families:
            names = [_family_name(taxonomy, f) for f in self.shared_families]
            parts.append("same families: " + ", ".join(names))
        if self.shared_words:
            parts.append("causes/timeline share: " + ", ".join(self.shared_words))
        if self.shared_systems:
            parts.append("same systems: " + ", ".join(self.shared_systems))
        return "; ".join(parts) or "weakly similar"


def _mode_name(taxonomy: Taxonomy | None, mode_id: str) -> str:
    mode = taxonomy.resolve(mode_id) if taxonomy else None
    return mode.name if mode else mode_id


def _family_name(taxonomy: Taxonomy | None, family_id: str) -> str:
    family = taxonomy.family(family_id) if taxonomy else None
    return family.name if family else family_id


class SimilarityIndex:
    """Built once over the store's incidents (full models or the index's Profiles); queries are cheap.

    Kept per incident, by matrix row: its TF-IDF row, title, systems, live modes and their families (sorted
    tuples in lists, and `incidents`, id -> row). The words, causes and actions are let go as each incident is
    read: at 10,000 incidents, keeping whole profiles held ~30 MB of strings no query reads, and an object or a
    set per incident (40,000 of them) made the collector's first pass over the index a 50 ms pause; tuples of
    strings and a dict of ints are left out of its passes."""

    def __init__(self, incidents: Iterable[Incident | Profile], taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._family_of = {m.id: m.family for m in taxonomy.modes}
        titles: list[str] = []
        systems: list[tuple[str, ...]] = []
        modes: list[tuple[str, ...]] = []
        seen: set[str] = set()
        live = live_mode_ids(taxonomy)

        def rows() -> Iterable[tuple[str, dict[str, int]]]:
            # One incident at a time: its words go into the matrix, and only what a query reads stays.
            for incident in incidents:
                profile = Profile.of(incident)
                if profile.id in seen:
                    continue  # one row per id (the store reports a duplicate id as a problem)
                seen.add(profile.id)
                titles.append(profile.title)
                systems.append(profile.systems)
                modes.append(tuple(sorted(incident_modes(profile, taxonomy, live))))
                yield profile.id, profile.words

        self.corpus = SparseCorpus(rows())
        self.incidents: dict[str, int] = self.corpus.row_of  # id -> row, in the order read
        self._titles, self._systems, self._modes = titles, systems, modes
        self._families = [tuple(sorted({self._family_of[m] for m in ms if m in self._family_of})) for ms in modes]
        df = Counter(m for ms in modes for m in ms)
        n = max(len(self.incidents), 1)
        self.mode_idf = {m: math.log((1 + n) / (1 + d)) + 1.0 for m, d in df.items()}
        self._top_idf = max(self.mode_idf.values(), default=1.0)
        self._overlap_matrices()

    def modes_of(self, incident_id: str) -> tuple[str, ...]:
        """The live modes of an incident in the index (its tags and its causes'), sorted."""
        return self._modes[self.incidents[incident_id]]

    def title_of(self, incident_id: str) -> str:
        return self._titles[self.incidents[incident_id]]

    def _overlap_matrices(self) -> None:
        """Modes and families of every incident as sparse 0/1 matrices (rows in corpus order): the overlap of
        one incident with all others is then two matrix-vector products, not a Python loop over sets."""
        import numpy as np  # first use only: the app starts without numpy
        from scipy.sparse import csr_matrix

        def matrix(sets: list[tuple[str, ...]]) -> tuple[Any, dict[str, int]]:
            columns: dict[str, int] = {}
            indptr: list[int] = [0]
            indices: list[int] = []
            for items in sets:
                indices.extend(columns.setdefault(item, len(columns)) for item in sorted(items))
                indptr.append(len(indices))
            data = np.ones(len(indices), dtype=np.float64)
            return csr_matrix((data, indices, indptr), shape=(len(sets), len(columns))), columns

        self._modes_m, self._mode_col = matrix(self._modes)
        self._mode_w = np.zeros(len(self._mode_col), dtype=np.float64)
        for mode, column in self._mode_col.items():
            self._mode_w[column] = self.mode_idf[mode]
        self._mode_sums = self._modes_m @ self._mode_w  # each incident's total mode weight
        self._families_m, self._family_col = matrix(self._families)
        self._family_counts = np.asarray(self._families_m.sum(axis=1)).ravel()

    def similar_to(
        self, incident: Incident | Profile | str, limit: int = 5, min_score: float = 0.05
    ) -> list[SimilarIncident]:
        """The incidents most like `incident` (an id in the index, or an incident being edited), best first."""
        if isinstance(incident, str):
            subject_id = incident
            vector = self.corpus.row(incident)
            modes = set(self.modes_of(incident))
            systems = set(self._systems[self.incidents[incident]])
        else:
            subject_id = incident.id
            vector = self.corpus.vector_of_words(word_counts(incident))
            modes = incident_modes(incident, self.taxonomy)
            systems = set(incident.systems)
        families = {self._family_of[m] for m in modes if m in self._family_of}
        text_scores = self.corpus.scores(vector)
        mode_scores = self._weighted_jaccards(modes)
        family_scores = self._jaccards(families)
        scores = WEIGHTS["modes"] * mode_scores + WEIGHTS["families"] * family_scores + WEIGHTS["text"] * text_scores
        keys = self.corpus.keys
        scored = []
        import numpy as np

        for row in np.flatnonzero(scores >= min_score).tolist():
            other_id = keys[row]
            if other_id == subject_id:
                continue
            scored.append((-round(float(scores[row]), 4), other_id, float(mode_scores[row]), float(text_scores[row])))
        scored.sort()
        out = []
        for neg_score, other_id, mode_score, text_score in scored[:limit]:
            row = self.incidents[other_id]
            other_vector = self.corpus.row(other_id)
            out.append(
                SimilarIncident(
                    incident_id=other_id,
                    title=self._titles[row],
                    score=-neg_score,
                    shared_modes=tuple(sorted(modes.intersection(self._modes[row]))),
                    shared_families=tuple(sorted(families.intersection(self._families[row]))),
                    shared_words=tuple(self.corpus.word(s) for s in top_shared(vector, other_vector, 5)),
                    shared_systems=tuple(sorted(systems.intersection(self._systems[row]))),
                    mode_score=round(mode_score, 4),
                    text_score=round(text_score, 4),
                )
            )
        return out

    def _weighted_jaccards(self, modes: set[str]) -> Any:
        """The rarity-weighted Jaccard of `modes` with every incident's modes, one per corpus row."""
        import numpy as np

        query = np.zeros(len(self._mode_col), dtype=np.float64)
        for mode in modes:
            column = self._mode_col.get(mode)
            if column is not None:
                query[column] = self._mode_w[column]
        shared = self._modes_m @ query
        top = self._top_idf  # a mode no incident has yet is rare
        own = sum(self.mode_idf.get(m, top) for m in modes)
        union = own + self._mode_sums - shared
        out = np.zeros(len(union), dtype=np.float64)
        np.divide(shared, union, out=out, where=union > 0)
        return out

    def _jaccards(self, families: set[str]) -> Any:
        import numpy as np

        query = np.zeros(len(self._family_col), dtype=np.float64)
        for family in families:
            column = self._family_col.get(family)
            if column is not None:
                query[column] = 1.0
        shared = self._families_m @ query
        union = len(families) + self._family_counts - shared
        out = np.zeros(len(union), dtype=np.float64)
        np.divide(shared, union, out=out, where=union > 0)
        return out
