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

from ..domain.model import Incident
from ..domain.taxonomy import Taxonomy
from .taxonomy_usage import incident_modes
from .textsim import Corpus, cosine, join, top_shared

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


def incident_text(incident: Incident) -> str:
    return join([incident.title, incident.summary, *(c.statement for c in incident.causes),
                 *(e.event for e in incident.timeline)])


class SimilarityIndex:
    """Built once over the store's incidents; queries are cheap."""

    def __init__(self, incidents: Iterable[Incident], taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.incidents = {i.id: i for i in incidents}
        self.modes = {i.id: incident_modes(i, taxonomy) for i in self.incidents.values()}
        family_of = {m.id: m.family for m in taxonomy.modes}
        self.families = {k: {family_of[m] for m in v if m in family_of} for k, v in self.modes.items()}
        df = Counter(m for modes in self.modes.values() for m in modes)
        n = max(len(self.incidents), 1)
        self.mode_idf = {m: math.log((1 + n) / (1 + d)) + 1.0 for m, d in df.items()}
        self.corpus = Corpus({k: incident_text(i) for k, i in self.incidents.items()})

    def similar_to(self, incident: Incident | str, limit: int = 5, min_score: float = 0.05) -> list[SimilarIncident]:
        """The incidents most like `incident` (an id in the index, or an incident being edited), best first."""
        if isinstance(incident, str):
            incident = self.incidents[incident]
        modes = incident_modes(incident, self.taxonomy)
        family_of = {m.id: m.family for m in self.taxonomy.modes}
        families = {family_of[m] for m in modes if m in family_of}
        vector = self.corpus.vector_of(incident_text(incident))
        systems = set(incident.systems)
        out = []
        for other_id, other in self.incidents.items():
            if other_id == incident.id:
                continue
            mode_score = self._weighted_jaccard(modes, self.modes[other_id])
            family_score = _jaccard(families, self.families[other_id])
            other_vector = self.corpus.vectors[other_id]
            text_score = cosine(vector, other_vector)
            score = (WEIGHTS["modes"] * mode_score + WEIGHTS["families"] * family_score
                     + WEIGHTS["text"] * text_score)
            if score < min_score:
                continue
            out.append(SimilarIncident(
                incident_id=other_id, title=other.title, score=round(score, 4),
                shared_modes=tuple(sorted(modes & self.modes[other_id])),
                shared_families=tuple(sorted(families & self.families[other_id])),
                shared_words=tuple(self.corpus.word(s) for s in top_shared(vector, other_vector, 5)),
                shared_systems=tuple(sorted(systems & set(other.systems))),
                mode_score=round(mode_score, 4), text_score=round(text_score, 4),
            ))
        out.sort(key=lambda s: (-s.score, s.incident_id))
        return out[:limit]

    def _weighted_jaccard(self, a: set[str], b: set[str]) -> float:
        union = a | b
        if not union:
            return 0.0
        top = max(self.mode_idf.values(), default=1.0)
        weight = lambda m: self.mode_idf.get(m, top)  # noqa: E731 - a mode no incident has yet is rare
        return sum(weight(m) for m in a & b) / sum(weight(m) for m in union)


def _jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0
