"""Words and TF-IDF vectors for comparing incident texts, offline and without a model.

Words are lowercased, stop words dropped and stemmed with the Snowball English stemmer, so
"reindexing", "reindexed" and "reindex" count as one word. Each stem remembers a readable surface
form (the first word seen for it), which is what "why similar" and "matched words" show.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from typing import Any
from functools import lru_cache


_WORD_RE = re.compile(r"[a-z0-9][a-z0-9\-_.]*[a-z0-9]|[a-z0-9]")

STOP_WORDS = frozenset(
    """
a about above after again against all also an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would you your
yet via per one two three new old every still so-called without within across among around since
""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """Snowball's English stemmer, made on first use: importing it costs ~0.2 s, which every index worker
    process paid although building profiles needs no stems."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    stem: str = _stemmer().stemWord(word)
    return stem


def words(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) for each content word of `text`, in order."""
    out = []
    for match in _WORD_RE.finditer(text.lower()):
        word = match.group(0).strip(".-_")
        if len(word) < 3 or word in STOP_WORDS or word.isdigit():
            continue
        out.append((_stem(word), word))
    return out


def surface_counts(text: str) -> dict[str, int]:
    """How often each content word of `text` occurs, in order of first use: `Counter` of the surface words
    of `words`, without stemming. Raw tokens are counted first (in C) and filtered once per distinct token,
    which is what makes learning profiles cheap to build for 10,000 incidents at index time."""
    out: dict[str, int] = {}
    for token, count in Counter(_WORD_RE.findall(text.lower())).items():
        word = token.strip(".-_")
        if len(word) < 3 or word in STOP_WORDS or word.isdigit():
            continue
        out[word] = out.get(word, 0) + count
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
        self.surface = {
            stem: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for stem, c in forms.items()
        }
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
    """The stems that contribute most to the cosine of `a` and `b`. Rounded, so that equal contributions (which
    differ in the last bits with the order of summation) fall back to the stem and every path agrees."""
    shared = sorted(((round(a[s] * b[s], 12), s) for s in a.keys() & b.keys()), reverse=True)
    return [s for _, s in shared[:n]]


def join(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p)


class SparseCorpus:
    """The same TF-IDF as Corpus, over many documents given as word counts, kept as one sparse matrix.

    10,000 incidents as dicts of floats took hundreds of MB; as a CSR matrix (float64 weights, int32
    stem ids) they take ~12 bytes a word, and the cosine with every document is one matrix-vector product."""

    def __init__(self, documents: Iterable[tuple[str, dict[str, int]]]):
        import numpy as np  # first use only: the app starts without numpy
        from scipy.sparse import csr_matrix

        stem_id: dict[str, int] = {}
        forms: dict[str, dict[str, int]] = {}
        keys: list[str] = []
        # Typed arrays, not lists: a list of 600,000 Python ints and floats is ~35 MB of small objects that
        # outlive nothing but leave the heap fragmented.
        indptr = array("q", [0])
        indices = array("i")
        tf = array("d")
        for key, counts in documents:
            doc: dict[str, int] = {}
            for word, count in counts.items():
                stem = _stem(word)
                doc[stem] = doc.get(stem, 0) + count
                spellings = forms.setdefault(stem, {})
                spellings[word] = spellings.get(word, 0) + count
            for stem, count in doc.items():
                indices.append(stem_id.setdefault(stem, len(stem_id)))
                tf.append(1 + math.log(count))
            indptr.append(len(indices))
            keys.append(key)
        self.keys = keys
        self.row_of = {k: i for i, k in enumerate(keys)}
        self.stems = list(stem_id)
        self.stem_id = stem_id
        self.surface = {
            stem: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for stem, c in forms.items()
        }
        # The typed arrays' own buffers become the matrix's (no copies: each was ~2.5-5 MB at 10,000 incidents,
        # all alive at once beside the temporaries below).
        cols = np.frombuffer(indices, dtype=np.int32) if len(indices) else np.zeros(0, dtype=np.int32)
        df = np.bincount(cols, minlength=len(stem_id))
        n = max(len(keys), 1)
        idf = [math.log((1 + n) / (1 + int(d))) + 1.0 for d in df.tolist()]  # math.log: the same floats as Corpus
        self.idf = dict(zip(self.stems, idf, strict=True))
        self._top = max(idf, default=1.0)
        data = np.frombuffer(tf, dtype=np.float64) if len(tf) else np.zeros(0, dtype=np.float64)
        if len(data):
            data *= np.asarray(idf, dtype=np.float64)[cols]  # in place: tf is not read again
        starts = np.frombuffer(indptr, dtype=np.int64)
        squares = np.add.reduceat(data * data, starts[:-1]) if len(data) else np.zeros(len(keys))
        squares[starts[:-1] == starts[1:]] = 0.0  # reduceat gives an empty row its neighbour's value
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, np.diff(starts))
        self.matrix = csr_matrix((data, cols, starts), shape=(len(keys), len(stem_id)))

    def vector(self, counted: Counter[str]) -> dict[str, float]:
        """As Corpus.vector: sublinear tf times idf, unit length; unknown stems get the highest idf."""
        vec = {s: (1 + math.log(c)) * self.idf.get(s, self._top) for s, c in counted.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {s: v / norm for s, v in vec.items()}

    def vector_of_words(self, counts: dict[str, int]) -> dict[str, float]:
        stemmed: Counter[str] = Counter()
        for word, count in counts.items():
            stemmed[_stem(word)] += count
        return self.vector(stemmed)

    def vector_of(self, text: str) -> dict[str, float]:
        return self.vector(Counter(stems(text)))

    def scores(self, vector: dict[str, float]) -> Any:  # a numpy array, one cosine per document
        import numpy as np

        dense = np.zeros(len(self.stems), dtype=np.float64)
        for stem, value in vector.items():
            column = self.stem_id.get(stem)
            if column is not None:
                dense[column] = value
        return self.matrix @ dense

    def row(self, key: str) -> dict[str, float]:
        i = self.row_of[key]
        start, end = self.matrix.indptr[i], self.matrix.indptr[i + 1]
        return {
            self.stems[c]: float(v)
            for c, v in zip(self.matrix.indices[start:end].tolist(), self.matrix.data[start:end].tolist(), strict=True)
        }

    def word(self, stem: str) -> str:
        return self.surface.get(stem, stem)
