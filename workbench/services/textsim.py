"""Words and TF-IDF vectors for comparing incident texts, offline and without a model.

Words are lowercased, stop words dropped and stemmed with the Snowball English stemmer, so
"reindexing", "reindexed" and "reindex" count as one word. Each stem remembers a readable surface
form (the first word seen for it), which is what "why similar" and "matched words" show.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9\-_.]*[a-z0-9]|[a-z0-9]")
_STEMMER = snowballstemmer.stemmer("english")

STOP_WORDS = frozenset("""
a about above after again against all also an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would you your
yet via per one two three new old every still so-called without within across among around since
""".split())


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def words(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) for each content word of `text`, in order."""
    out = []
    for match in _WORD_RE.finditer(text.lower()):
        word = match.group(0).strip(".-_")
        if len(word) < 3 or word in STOP_WORDS or word.isdigit():
            continue
        out.append((_stem(word), word))
    return out


def stems(text: str) -> list[str]:
    return [s for s, _ in words(text)]


class Corpus:
    """TF-IDF over a set of documents (one per incident, or per mode), with cosine similarity."""

    def __init__(self, documents: dict[str, str]):
        forms: dict[str, Counter[str]] = {}
        self.counts: dict[str, Counter[str]] = {}
        for key, text in documents.items():
            counted: Counter[str] = Counter()
            for stem, word in words(text):
                counted[stem] += 1
                forms.setdefault(stem, Counter())[word] += 1
            self.counts[key] = counted
        # The most common spelling of a stem reads best ("alert", not the first-seen "alerted").
        self.surface = {stem: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
                        for stem, c in forms.items()}
        self.word_stems = {word: stem for stem, c in forms.items() for word in c}  # every spelling seen
        df: Counter[str] = Counter()
        for counted in self.counts.values():
            df.update(counted.keys())
        n = max(len(self.counts), 1)
        self.idf = {stem: math.log((1 + n) / (1 + d)) + 1.0 for stem, d in df.items()}
        self.vectors = {key: self.vector(c) for key, c in self.counts.items()}

    def vector(self, counted: Counter[str]) -> dict[str, float]:
        """Sublinear tf times idf, normalised to unit length. Unknown stems get the highest idf."""
        top = max(self.idf.values(), default=1.0)
        vec = {s: (1 + math.log(c)) * self.idf.get(s, top) for s, c in counted.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {s: v / norm for s, v in vec.items()}

    def vector_of(self, text: str) -> dict[str, float]:
        return self.vector(Counter(stems(text)))

    def word(self, stem: str) -> str:
        return self.surface.get(stem, stem)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[s] for s, v in a.items() if s in b)


def top_shared(a: dict[str, float], b: dict[str, float], n: int = 5) -> list[str]:
    """The stems that contribute most to the cosine of `a` and `b`."""
    shared = sorted(((a[s] * b[s], s) for s in a.keys() & b.keys()), reverse=True)
    return [s for _, s in shared[:n]]


def join(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p)
