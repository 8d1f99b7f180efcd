"""What a search answers, without numpy: hits, their snippets, and the words a query searches for.

Shared by the engine (engine.py, numpy: the app and every search that must catch the index up) and the one-shot
reader (oneshot.py: a `workbench search` on an index that is already current, which must not pay numpy's import).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .excerpt import Excerpt
from .query import Query, QueryError
from .text import STOPWORDS, WEIGHTS, Field, tokens, word_spans

ALL_WORDS_BONUS = 5_000.0  # half a matched word in the rank key (matched * 10,000 + score)
PREFIX_COMPLETIONS = 64  # a short prefix stands for at most this many tokens, the most used
FUZZY_READINGS = 12  # a typo stands for at most this many tokens, the closest


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """One search result: an incident (or a taxonomy mode) and the field that matched best."""

    type: str  # "incident" or "mode"
    id: str
    title: str
    score: float
    matched: int  # how many of the query's words it matched
    field: str  # e.g. "causes[c-3f9a].statement", "narrative#Technical Analysis", "title"
    entry: str  # the entry id (t-…, c-…, AI-001) or narrative heading, "" for incident-level fields
    kind: str  # the field's kind: title, cause, event, narrative …
    snippet: str
    spans: tuple[Span, ...]
    excerpt: Excerpt

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 3),
            "matched_words": self.matched,
            "field": self.field,
            "entry": self.entry,
            "kind": self.kind,
            "snippet": self.snippet,
            "spans": [[s.start, s.end] for s in self.spans],
            "severity": self.excerpt.severity if self.type == "incident" else None,
            "stage": self.excerpt.stage if self.type == "incident" else None,
            "started": self.excerpt.started or None,
            "path": self.excerpt.path,
        }


@dataclass
class SearchResult:
    query: Query | None
    hits: list[Hit]
    total: int  # documents that passed the filters and matched at least one word
    error: QueryError | None = None
    words: int = 0  # how many words the query searched for (a hit with `matched == words` has them all)


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: str = ""  # why the whole index was rebuilt, "" when it was not

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt)


@dataclass
class Term:
    word: str
    exact_only: bool  # words of a quoted phrase
    partial: bool  # the word being typed: match as a prefix too


def terms(query: Query) -> list[Term]:
    out: list[Term] = []
    seen: set[tuple[str, bool]] = set()
    for index, word in enumerate(query.words):
        partial = query.last_partial and index == len(query.words) - 1
        for n, token in enumerate(tokens(word)):
            last = partial and n == len(tokens(word)) - 1
            if (token, False) in seen or (token in STOPWORDS and not last):
                continue
            seen.add((token, False))
            out.append(Term(token, False, last))
    for phrase in query.phrases:
        for token in tokens(phrase):
            if (token, True) not in seen and token not in STOPWORDS:
                seen.add((token, True))
                out.append(Term(token, True, False))
    return out


def make_hit(
    excerpt: Excerpt,
    fields: list[Field],
    n_terms: int,
    wanted: dict[str, list[tuple[int, float]]],
    query: Query,
    score: float,
    matched: int,
    kinds: list[str],
) -> Hit | None:
    phrases = [p.lower() for p in query.phrases]
    if phrases:
        texts = [f[3].lower() for f in fields]
        if not all(any(p in t for t in texts) for p in phrases):
            return None
    # Look for the snippet in the kinds of field that scored, best first; in all fields if those fail.
    best, best_value = None, 0.0
    full = 100 * (n_terms + len(phrases))
    for kind in kinds:  # best-scoring kind first; stop at a field that holds every word
        found = best_field(fields, [i for i, f in enumerate(fields) if f[0] == kind], n_terms, wanted, phrases)
        if found is not None and found[1] > best_value:
            best, best_value = found[0], found[1]
            if best_value >= full:
                break
    if best is None:
        found = best_field(fields, range(len(fields)), n_terms, wanted, phrases)
        best = found[0] if found else None
    if best is None:
        kind, path, entry, text = fields[0] if fields else ("title", "title", "", excerpt.title)
        snippet, spans = make_snippet(text, [])
    else:
        kind, path, entry, text = fields[best]
        spans = [Span(start, end) for start, end, word in word_spans(text) if word in wanted]
        lowered = text.lower()
        for p in phrases:
            at = lowered.find(p)
            while at >= 0:
                spans.append(Span(at, at + len(p)))
                at = lowered.find(p, at + len(p))
        snippet, spans = make_snippet(text, merge_spans(spans))
    return Hit(
        "mode" if excerpt.kind == "mode" else "incident",
        excerpt.id,
        excerpt.title,
        score,
        matched,
        path,
        entry,
        kind,
        snippet,
        tuple(spans),
        excerpt,
    )


def best_field(
    fields: list[Field],
    indices: Iterable[int],
    n_terms: int,
    wanted: dict[str, list[tuple[int, float]]],
    phrases: list[str],
) -> tuple[int, float] | None:
    """(index, value) of the field holding most of the query's words (then the weightier kind), if any."""
    best_value, best_index = 0.0, None
    for index in indices:
        kind, _path, _entry, text = fields[index]
        present = set(tokens(text)).intersection(wanted)
        in_phrases = sum(1 for p in phrases if p in text.lower()) if phrases else 0
        if not present and not in_phrases:
            continue
        per_term = [0.0] * n_terms
        for token in present:
            for t_index, sim in wanted[token]:
                per_term[t_index] = max(per_term[t_index], sim)
        value = 100 * (sum(1 for v in per_term if v) + in_phrases) + (sum(per_term) + in_phrases) * WEIGHTS[kind]
        if value > best_value:
            best_value, best_index = value, index
    return None if best_index is None else (best_index, best_value)


def merge_spans(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and span.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, span.end))
        else:
            out.append(span)
    return out


def make_snippet(text: str, spans: list[Span], width: int = 160) -> tuple[str, list[Span]]:
    """A one-line window of `text` around its first match, with the spans moved into it."""
    flat = " ".join(text.split())
    if flat != text:  # spans were found on the original; find them again on the flattened text
        spans = respan(text, flat, spans)
        text = flat
    if len(text) <= width:
        return text, spans
    first = spans[0].start if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= start - 20 and space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    moved = [Span(s.start + shift, min(s.end, end) + shift) for s in spans if s.start >= start and s.start < end]
    return prefix + text[start:end] + suffix, moved


def respan(original: str, flat: str, spans: list[Span]) -> list[Span]:
    # Map positions in `original` to positions in its whitespace-collapsed form.
    mapping = [0] * (len(original) + 1)
    j = 0
    in_space = True  # leading whitespace is dropped
    for i, ch in enumerate(original):
        mapping[i] = j
        if ch.isspace():
            if not in_space:
                j += 1
            in_space = True
        else:
            j += 1
            in_space = False
    mapping[len(original)] = min(j, len(flat))
    return [Span(mapping[s.start], min(mapping[s.end], len(flat))) for s in spans]
