"""Tag suggestions for an incident or a cause, from its text. Suggestions only: nothing here writes.

Three signals, each reported with the words that produced it:
- keywords: a mode's keyword or name appears in the text as a phrase (stemmed: "reindexing" finds "reindex");
- wording: TF-IDF cosine between the text and the mode's name, keywords, description and detection hints,
  with misspelt words mapped to the mode vocabulary by rapidfuzz ("miscompilaton" -> "miscompilation");
- precedent: the modes tagged on past incidents whose text is most like this one.

points = 1.0 per keyword hit (at most 3) + 3.0 * wording cosine + 1.5 * precedent (at most 1.5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from .profile import Profile
from .similar import SimilarityIndex, incident_text
from .textsim import Corpus, cosine, join, stems, top_shared, words

if TYPE_CHECKING:
    from ...domain.model import Incident
    from ...domain.taxonomy import Mode, Taxonomy

MIN_POINTS = 0.45
FUZZY_CUTOFF = 88.0


@dataclass(frozen=True)
class Suggestion:
    mode_id: str
    name: str
    score: float  # points, higher is better; see the module docstring
    matched_words: tuple[str, ...]  # words of the text that matched the mode
    reasons: tuple[str, ...]  # one line per signal, for the user to judge


@dataclass
class _Signals:
    keywords: list[str] = field(default_factory=list)  # as written in the text
    keyword_phrases: list[str] = field(default_factory=list)  # the mode's keyword or name each one matched
    words: list[str] = field(default_factory=list)
    wording: float = 0.0
    precedent: float = 0.0
    precedent_from: list[str] = field(default_factory=list)


def mode_text(mode: Mode) -> str:
    # The name twice: a word of the name says more about a mode than a word of its description.
    return join([mode.name, mode.name, *mode.keywords, mode.description, *mode.detection])


class Suggester:
    def __init__(
        self, taxonomy: Taxonomy, incidents: Iterable[Incident | Profile] = (), similar: SimilarityIndex | None = None
    ):
        self.taxonomy = taxonomy
        self.modes = {m.id: m for m in taxonomy.modes if not m.deprecated}
        self.corpus = Corpus({mid: mode_text(m) for mid, m in self.modes.items()})
        self.vocabulary = list(self.corpus.word_stems)  # spellings, for typo matching
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for mid, mode in self.modes.items():
            phrases = []
            for phrase in [mode.name, *mode.keywords]:
                key = tuple(stems(phrase))
                if key:
                    phrases.append((key, phrase))
            self.phrases[mid] = phrases
        self.similar = similar if similar is not None else SimilarityIndex(incidents, taxonomy)

    # ------------------------------------------------------------------------------------ entry points
    def for_incident(self, incident: Incident, limit: int = 5) -> list[Suggestion]:
        """Modes for the incident as a whole; those it is already tagged with are left out."""
        tagged = {m.id for t in incident.taxonomy if (m := self.taxonomy.resolve(t))}
        return self.for_text(incident_text(incident), exclude_modes=tagged, exclude_incident=incident.id, limit=limit)

    def for_cause(self, incident: Incident, cause_id: str, limit: int = 5) -> list[Suggestion]:
        cause = next(c for c in incident.causes if c.id == cause_id)
        tagged = {m.id for t in cause.taxonomy if (m := self.taxonomy.resolve(t))}
        evidence = [e.event for e in incident.timeline if e.id in cause.evidence]
        return self.for_text(
            join([cause.statement, *evidence]), exclude_modes=tagged, exclude_incident=incident.id, limit=limit
        )

    def for_text(
        self,
        text: str,
        exclude_modes: set[str] | frozenset[str] = frozenset(),
        exclude_incident: str | None = None,
        limit: int = 5,
    ) -> list[Suggestion]:
        pairs = self._fuzzy_words(words(text))
        signals: dict[str, _Signals] = {}
        self._keyword_hits(pairs, signals)
        self._wording(pairs, signals)
        self._precedent(text, exclude_incident, signals)
        out = []
        for mode_id, sig in signals.items():
            if mode_id in exclude_modes or mode_id not in self.modes:
                continue
            points = min(len(sig.keywords), 3) * 1.0 + 3.0 * sig.wording + min(1.5 * sig.precedent, 1.5)
            if points < MIN_POINTS:
                continue
            reasons = []
            if sig.keywords:
                reasons.append(
                    "keywords: "
                    + ", ".join(
                        f"“{k}”" if k == p else f"“{k}” (~ {p})"
                        for k, p in zip(sig.keywords, sig.keyword_phrases, strict=True)
                    )
                )
            if sig.words and sig.wording >= 0.05:
                reasons.append("wording like its description: " + ", ".join(sig.words))
            if sig.precedent_from:
                reasons.append("tagged on similar incidents: " + ", ".join(sig.precedent_from))
            matched = list(dict.fromkeys([*sig.keywords, *sig.words]))
            out.append(Suggestion(mode_id, self.modes[mode_id].name, round(points, 3), tuple(matched), tuple(reasons)))
        out.sort(key=lambda s: (-s.score, s.mode_id))
        return out[:limit]

    # ----------------------------------------------------------------------------------------- signals
    def _fuzzy_words(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Map a misspelt stem to the mode vocabulary's closest stem; keep the user's word for display."""
        known = self.corpus.idf
        out = []
        for stem, word in pairs:
            if stem not in known and len(word) >= 5:
                best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if best is not None:
                    stem = self.corpus.word_stems[best[0]]
            out.append((stem, word))
        return out

    def _keyword_hits(self, pairs: list[tuple[str, str]], signals: dict[str, _Signals]) -> None:
        sequence = [s for s, _ in pairs]
        positions: dict[str, list[int]] = {}
        for i, s in enumerate(sequence):
            positions.setdefault(s, []).append(i)
        for mode_id, phrases in self.phrases.items():
            for key, phrase in phrases:
                at = next((i for i in positions.get(key[0], []) if sequence[i : i + len(key)] == list(key)), None)
                if at is None:
                    continue
                sig = signals.setdefault(mode_id, _Signals())
                written = " ".join(w for _, w in pairs[at : at + len(key)])
                if written not in sig.keywords:
                    sig.keywords.append(written)
                    sig.keyword_phrases.append(phrase.lower())

    def _wording(self, pairs: list[tuple[str, str]], signals: dict[str, _Signals]) -> None:
        vector = self.corpus.vector(Counter(s for s, _ in pairs))
        shown: dict[str, str] = {}
        for stem, word in pairs:
            shown.setdefault(stem, word)
        for mode_id, mode_vector in self.corpus.vectors.items():
            score = cosine(vector, mode_vector)
            if score <= 0:
                continue
            sig = signals.setdefault(mode_id, _Signals())
            sig.wording = score
            sig.words = [shown[s] for s in top_shared(vector, mode_vector, 4)]

    def _precedent(self, text: str, exclude_incident: str | None, signals: dict[str, _Signals]) -> None:
        if not self.similar.incidents:
            return
        corpus = self.similar.corpus
        scores = corpus.scores(corpus.vector_of(text))
        scored = []
        for row in (scores >= 0.15).nonzero()[0].tolist():
            other_id = corpus.keys[row]
            if other_id != exclude_incident:
                scored.append((float(scores[row]), other_id))
        for score, other_id in sorted(scored, reverse=True)[:5]:
            for mode_id in self.similar.modes_of(other_id):
                sig = signals.setdefault(mode_id, _Signals())
                sig.precedent += score
                sig.precedent_from.append(other_id)
