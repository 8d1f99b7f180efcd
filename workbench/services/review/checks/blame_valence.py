"""Valence of words from a rated lexicon, as features of the blame model (stop 34).

The grammar's word classes (FAIL, JUDGE, ERROR …) are hand lists: a writer's judgment word nobody listed ("a
liability", "wicked", "cries wolf", "rigged") gives the model nothing it has seen. VADER's lexicon (vaderSentiment,
MIT: ~7,500 English words and slang rated from -4 to +4 by ten people each) rates such words whether or not anyone
listed them. Only where the rated word stands relative to someone else becomes a feature, never the word itself,
so "the cache was wrong" (a thing) and "Jo was wrong" (a person) part ways:

  v:nsubj:who>NEG         someone is the subject of a negative word           "Jo lied about the backup"
  v:cop:who>NEG           someone is said to be a negative thing               "he's a liability", "Jo was careless"
  v:amod:NEG>who          a negative word describes someone                    "the wicked platform lead"
  v:poss:who>NEG          someone owns a negative thing                        "her incompetence"
  v:whos-cop:NEG          what someone owns is said to be negative             "his prompt rewrite was worse"
  v:who-v+advmod:NEG      someone's act has a negative manner or object        "Ravi operated badly"
  v:who-v+dobj-amod:NEG   ... or an object with a negative adjective           "Kim made a terrible call"
  v:third+NEG             the sentence names someone else and holds a negative word (and the same with @place)

POS marks the positive words the same way (praise is sarcasm's usual mask: "Wicked genius move"). The lexicon is
read once, from the package's own analyser, when the parser first needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

# |valence| at or above this rates a word (VADER's scale runs -4..+4; "careless" is -1.5, "liability" -0.8).
STRONG = 1.0
MILD = 0.5


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """VADER's word -> mean valence."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return {str(k): float(v) for k, v in SentimentIntensityAnalyzer().lexicon.items()}


def polarity(token: Any) -> str | None:
    """NEG, POS, or None for a word the lexicon does not rate (by its form, then its lemma)."""
    words = lexicon()
    low = str(token.lower_)
    value = words.get(low)
    if value is None:
        value = words.get(str(token.lemma_).lower())
    if value is None:
        return None
    if value <= -STRONG or (value <= -MILD and token.pos_ in ("NOUN", "ADJ")):
        return "NEG"
    if value >= STRONG:
        return "POS"
    return None


def features(
    words: list[Any], someone: Callable[[Any], bool], is_person: Callable[[Any], bool], place: str
) -> set[str]:
    """The v: features of a sentence's words (see the module docstring). `someone`: a person who is someone else
    (not the narrator, nobody in particular)."""
    out: set[str] = set()
    rated = {t.i: p for t in words if not is_person(t) and (p := polarity(t)) is not None}
    if not rated:
        return out
    people = [t for t in words if someone(t)]
    if not people:
        return out
    for person in people:
        head = person.head
        if head.i in rated and head.i != person.i:
            out.add(f"v:{person.dep_}:who>{rated[head.i]}")
        if person.dep_ in ("nsubj", "nsubjpass"):
            for child in head.children:
                if child.i not in rated or child.i == person.i:
                    continue
                if child.dep_ in ("attr", "acomp") and head.lemma_ == "be":
                    out.add(f"v:cop:who>{rated[child.i]}")
                elif child.dep_ in ("dobj", "advmod", "acomp", "xcomp", "oprd"):
                    out.add(f"v:who-v+{child.dep_}:{rated[child.i]}")
                for grand in child.children:  # "made a terrible call": the object's adjective
                    if grand.i in rated and grand.dep_ == "amod" and child.dep_ in ("dobj", "attr"):
                        out.add(f"v:who-v+{child.dep_}-amod:{rated[grand.i]}")
        if person.dep_ == "poss":
            owned = person.head
            if owned.dep_ in ("nsubj", "nsubjpass") and owned.head.lemma_ == "be":
                for child in owned.head.children:
                    if child.i in rated and child.dep_ in ("attr", "acomp"):
                        out.add(f"v:whos-cop:{rated[child.i]}")
        for child in person.children:
            if child.i in rated and child.dep_ in ("amod", "compound", "appos", "relcl"):
                out.add(f"v:{child.dep_}:{rated[child.i]}>who")
    for polar in set(rated.values()):
        out.update((f"v:third+{polar}", f"v:third+{polar}@{place}"))
    return out
