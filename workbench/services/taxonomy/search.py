"""Offline fuzzy search of failure modes by id, name, keywords, description and detection hints.

Built once per taxonomy (a few hundred short strings), then each keystroke scores every mode with
rapidfuzz: well under a millisecond per query for the bundled 80-mode taxonomy
(`python benchmarks/taxonomy_learning.py` prints the figures).

Scoring: every word of the query must find itself somewhere in the mode (typos tolerated by
`partial_ratio`); the mode's score is the mean of its words' best field scores, each weighted by
the field (a name match beats a passing mention in a description). The whole query is also tried
against each field with `WRatio`, so word order and extra words do not hurt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from ...domain.taxonomy import Mode, Taxonomy

FIELD_WEIGHTS: dict[str, float] = {
    "name": 1.0,
    "id": 0.97,
    "alias": 0.9,
    "keyword": 0.95,
    "family": 0.8,
    "description": 0.82,
    "detection": 0.8,
}
CUTOFF = 68.0
RELATIVE_CUTOFF = 0.8
_WORD_RE = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class ModeHit:
    mode: Mode
    score: float  # 0..100
    field: str  # the field that matched best: name, id, alias, keyword, family, description, detection
    text: str  # that field's text
    spans: tuple[tuple[int, int], ...] = ()  # matched character ranges in `text`, for highlighting


@dataclass
class _Entry:
    mode: Mode
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, text, processed text)


class TaxonomyIndex:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._entries: list[_Entry] = []
        for mode in taxonomy.modes:
            family = taxonomy.family(mode.family)
            entry = _Entry(mode)
            items = [
                ("name", mode.name),
                ("id", mode.id),
                *(("alias", a) for a in mode.aliases),
                *(("keyword", k) for k in mode.keywords),
                ("family", family.name if family else mode.family),
                ("description", mode.description),
                *(("detection", d) for d in mode.detection),
            ]
            entry.fields = [(f, t, default_process(t)) for f, t in items if t]
            self._entries.append(entry)

    def search(self, query: str, limit: int | None = 30, include_deprecated: bool = True) -> list[ModeHit]:
        """Modes matching `query`, best first. An empty query lists every mode in file order."""
        words = [w for w in (default_process(w) for w in _WORD_RE.findall(query)) if w]
        entries = [e for e in self._entries if include_deprecated or not e.mode.deprecated]
        if not words:
            hits = [ModeHit(e.mode, 100.0, "name", e.mode.name) for e in entries]
            return hits[:limit] if limit else hits
        whole = " ".join(words)
        hits = []
        for entry in entries:
            hit = self._score(entry, words, whole)
            if hit is not None:
                hits.append(hit)
        # Stable: equal scores keep file order, so the list does not jump around while typing.
        hits.sort(key=lambda h: -h.score)
        # A near miss far below the best hit ("scale" for "stale") is noise once something matches well.
        if hits:
            floor = hits[0].score * RELATIVE_CUTOFF
            hits = [h for h in hits if h.score >= floor]
        return hits[:limit] if limit else hits

    def _score(self, entry: _Entry, words: list[str], whole: str) -> ModeHit | None:
        per_word: list[float] = []
        best_field: tuple[float, str, str, str] | None = None
        for word in words:
            best = 0.0
            for name, text, processed in entry.fields:
                score = _word_score(word, processed) * FIELD_WEIGHTS[name]
                if score > best:
                    best = score
                if best_field is None or score > best_field[0]:
                    best_field = (score, name, text, processed)
            if best < CUTOFF:
                return None  # every word must be found somewhere
            per_word.append(best)
        score = sum(per_word) / len(per_word)
        if len(words) > 1:
            for name, text, processed in entry.fields:
                whole_score = fuzz.WRatio(whole, processed) * FIELD_WEIGHTS[name]
                if whole_score > score:
                    score = whole_score
                    best_field = (whole_score, name, text, processed)
        assert best_field is not None
        _, name, text, _ = best_field
        return ModeHit(entry.mode, round(score, 2), name, text, tuple(_spans(words, text)))


def _word_score(word: str, processed: str) -> float:
    if word in processed.split():
        return 100.0
    if len(word) < 3:
        # One or two letters: only a word that starts with them counts, or every mode would match.
        return 90.0 if any(t.startswith(word) for t in processed.split()) else 0.0
    score = fuzz.partial_ratio(word, processed)
    # A short word matching two of its letters somewhere is noise, not a typo.
    return score if len(word) > 4 or score >= 85 else 0.0


def _spans(words: list[str], text: str) -> list[tuple[int, int]]:
    """Where each query word matches in `text` (case-insensitive), for highlighting."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for word in words:
        at = lowered.find(word)
        if at >= 0:
            spans.append((at, at + len(word)))
            continue
        if len(word) >= 3:
            aligned = fuzz.partial_ratio_alignment(word, lowered)
            if aligned is not None and aligned.score >= CUTOFF:
                spans.append((aligned.dest_start, aligned.dest_end))
    return sorted(set(spans))


def search_modes(taxonomy: Taxonomy, query: str, limit: int | None = 30) -> list[ModeHit]:
    return TaxonomyIndex(taxonomy).search(query, limit)
