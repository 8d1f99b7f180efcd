"""A small trained model for blame that generalises across writers, beside the grammar rules.

Three rounds of grammar rules each fitted the writer they were tuned on (fresh recall 0.54 -> 0.71 -> 0.80).
This module scores a parsed sentence with a logistic regression over generalising features (never the
surface names): who does what to what, with every person, role and pronoun folded into a class.

  u:   lemma unigrams           "u:<who> u:wreck u:rollout"  (a person/role/pronoun is <who>)
  b:   lemma bigrams            "b:<who> wreck"
  d:   dependency triples       "d:nsubj:<who>>wreck", "d:neg:not>check", "d:amod:sloppy><who>"
  s:   the predicate a person is the subject of, and whether it is negated   "s:wreck", "s:neg:check"
  c:   the grammar's word classes (FAIL, JUDGE, ERROR, FAULT, MODAL, …) alone, in pairs and in triples
  p:   the place it is written  "p:timeline"
  t:   a terse line's shape when it names someone: verbless ("t:verbless+JUDGE") or imperative at a person
       ("t:imp:who-obj+CORRECT"), with the word classes and parts of speech beside the person (stop 30)
  x:   a sanction aimed at someone else, and where  "x:sanction", "x:sanction@action" (stop 33: "Drop Lucinda from
       the squad", "no longer allowed to merge"; the same verbs aimed at a thing give nothing)
  r:   the grammar rules that fired in the sentence   "r:failure", "r:any"

The weights are data (blame_model.json, written by benchmarks/blame_train.py from the labelled corpus in
benchmarks/blame_eval and the real postmortems' quiet sentences, with a fixed seed); nothing is trained at
run time. Scoring is a dictionary lookup per feature: no numpy at run time, and the file loads in
milliseconds. The decision (threshold, whether a low score silences a grammar hit) was chosen by
leave-one-writer-out cross-validation, not by the training fit; it is stored with the weights.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).with_name("blame_model.json")
FORMAT = 1

# Where a span of text lives, by the first part of its location in incident.toml (narrative lines and
# every other prose field read as narrative).
PLACE_OF = {"timeline": "timeline", "causes": "cause", "lessons": "lesson", "actions": "action", "scope": "scope"}
PLACES = ("narrative", "timeline", "cause", "lesson", "action", "scope")
WHO = "<who>"
# The narrator and the reader are not the person a postmortem blames: "we should have", "you can".
SELF = frozenset({"we", "us", "our", "ours", "ourselves", "i", "me", "my", "you", "your", "yours"})
# Nor is nobody in particular: "the tool lets anyone skip the canary" blames the tool (the rules still read
# "someone forgot …" on their own).
INDEFINITE = frozenset({"anyone", "anybody", "someone", "somebody", "whoever", "everyone", "everybody", "who"})
THIRD = "who3"  # a feature: the sentence names someone else (a name, a role, he/she/they)
# Nor are the people a service serves (stop 28): "a user who hit the wrong pool tended to keep hitting it" tells what
# happened to them. The rules still read hindsight about a user ("if the user had enrolled a key").
END_USERS = frozenset({"user", "users", "customer", "customers", "client", "clients", "visitor", "visitors"})
# Nor are people in general (stop 32): "code review is for other people's changes too", "any engineer may page the
# vendor" name no one in particular; "the other engineer" and "Kim's other reviewers" still name someone.
GENERIC = frozenset({"other", "any", "every"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
NUM = "<num>"
# Dependencies that carry who does what; the rest (punct, det, cc) add noise.
_DEPS = frozenset(
    {
        "nsubj",
        "nsubjpass",
        "dobj",
        "pobj",
        "agent",
        "poss",
        "amod",
        "acomp",
        "advmod",
        "neg",
        "aux",
        "xcomp",
        "ccomp",
        "compound",
        "attr",
        "prep",
        "relcl",
        "advcl",
        "conj",
        "ROOT",
    }
)


def place_of(loc: tuple[object, ...]) -> str:
    return PLACE_OF.get(str(loc[0]), "narrative") if loc else "narrative"


def sentence_features(
    sent: Any,
    is_person: Callable[[Any], bool],
    place: str,
    rule_kinds: Iterable[str] = (),
    word_class: Callable[[Any], str | None] = lambda token: None,
) -> list[str]:
    """The features of one parsed sentence (a spaCy Span)."""

    def norm(token: Any) -> str:
        if is_person(token):
            return WHO
        if token.like_num:
            return NUM
        return str(token.lemma_).lower().strip() or str(token.lower_)

    words = [t for t in sent if not t.is_punct and not t.is_space]
    forms = [norm(t) for t in words]
    out = {f"p:{place}"}
    out.update(f"u:{f}" for f in forms)
    out.update(f"b:{a} {b}" for a, b in zip(forms, forms[1:], strict=False))
    for token, form in zip(words, forms, strict=True):
        if token.dep_ not in _DEPS:
            continue
        head = token.head
        if token.dep_ == "ROOT":
            out.add(f"d:ROOT:{form}")
            continue
        out.add(f"d:{token.dep_}:{form}>{norm(head)}")
        if form == WHO and token.dep_ in ("nsubj", "nsubjpass", "poss", "pobj", "compound"):
            negated = any(c.dep_ == "neg" for c in head.children)
            out.add(f"s:{token.dep_}:{'neg:' if negated else ''}{norm(head)}")
    # The same shapes over the grammar's word classes (FAIL, JUDGE, ERROR, FAULT, MODAL …): "<who> mucks
    # up" and "<who> botched" share "c:nsubj:<who>>FAIL" though the words were never seen together.
    classes = [WHO if f == WHO else (word_class(t) or "_") for t, f in zip(words, forms, strict=True)]
    out.update(f"c:{c}" for c in classes if c not in ("_", WHO))
    out.update(f"cb:{a} {b}" for a, b in zip(classes, classes[1:], strict=False) if (a, b) != ("_", "_"))
    for token, cls in zip(words, classes, strict=True):
        if token.dep_ in _DEPS and token.dep_ != "ROOT":
            head = word_class(token.head) or (WHO if is_person(token.head) else "_")
            if (cls, head) != ("_", "_"):
                out.add(f"c:{token.dep_}:{cls}>{head}")
    if WHO in forms:
        out.update(_terse(sent, words, forms, classes))
        out.add("who")
        if any(
            f == WHO
            and str(t.lower_) not in SELF | INDEFINITE | END_USERS
            and not _nobody_in_particular(t)
            and _actor_slot(t, is_person)
            and not _thing_pronoun(t, is_person)
            for t, f in zip(words, forms, strict=True)
        ):
            out.add(THIRD)
    if any(_sanctioned(t, is_person) for t in words):
        out.update(("x:sanction", f"x:sanction@{place}"))
    kinds = sorted(set(rule_kinds))
    out.update(f"r:{k}" for k in kinds)
    if kinds:
        out.add("r:any")
        out.add(f"r:any@{place}")
    return sorted(out)


# Sanctions aimed at a person (stop 33): "Drop Lucinda from the squad", "take him off the review", "Cut Keston's
# quota", "Petronella is to be stood down", "Alex is no longer allowed to resolve issues". The same verbs aimed at a
# thing are the fixes the method asks for ("drop the stale index", "cut the quota of the batch queue"), so only the
# shape counts: a sanction verb whose object (or passive subject) is someone else, or owned by someone else.
SANCTION_VERBS = frozenset(
    {"remove", "drop", "exclude", "bar", "ban", "suspend", "demote", "fire", "sack", "dismiss", "bench", "relieve"}
    | {"expel", "oust", "blacklist", "sideline", "ground"}
)
# Verbs that sanction only with a particle or preposition: "take him off", "stand her down", "kick Jo out of".
SANCTION_PHRASAL = {"take": {"off"}, "pull": {"off"}, "stand": {"down"}, "kick": {"off", "out"}, "lock": {"out"}}
# Verbs that sanction a person's means: "halve Mei's quota", "revoke his access", "dock the lead's bonus".
SANCTION_MEANS = frozenset({"cut", "halve", "dock", "revoke", "strip", "withdraw", "cap", "freeze", "confiscate"})
PERMISSIONS = frozenset({"allow", "permit", "trust", "let"})


def _sanctioned(verb: Any, is_person: Callable[[Any], bool]) -> bool:
    """A sanction aimed at someone else (see SANCTION_VERBS)."""
    lemma = str(verb.lemma_).lower()
    if verb.pos_ not in ("VERB", "AUX") and not (verb.i == verb.sent.start and verb.tag_ in ("NNP", "VB")):
        return False  # (the tagger reads an imperative opening a line as a name: "Drop Lucinda from …")
    children = list(verb.children)
    targets = [c for c in children if c.dep_ in ("dobj", "nsubjpass", "dative")]
    if verb.i == verb.sent.start and verb.tag_ == "NNP":
        targets = [verb.head] if verb.dep_ == "compound" else targets
    if verb.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in children):
        # "Petronella is to be stood down": the passive's subject stands on "is"
        targets += [c for c in verb.head.children if c.dep_ == "nsubj"]
    if lemma in PERMISSIONS:
        # "no longer allowed to", "not to be trusted with": a permission taken from a person
        denied = any(c.dep_ == "neg" or str(c.lower_) in ("longer", "never") for c in verb.subtree if c.i < verb.i)
        return denied and any(c.dep_ != "dobj" and _someone(c, is_person) for c in targets)
    if lemma in SANCTION_PHRASAL:
        words = {str(c.lower_) for c in children if c.dep_ in ("prt", "prep", "advmod")}
        if not words & SANCTION_PHRASAL[lemma]:
            return False
    elif lemma in SANCTION_MEANS:
        return any(
            _someone(o, is_person) for t in targets for o in t.children if o.dep_ in ("poss", "compound")
        ) or any(_someone(t, is_person) for t in targets if t.dep_ == "dative")
    elif lemma not in SANCTION_VERBS and not (verb.tag_ == "NNP" and lemma in ("drop", "remove", "bench", "ban")):
        return False
    return any(_someone(t, is_person) for t in targets)


def _someone(token: Any, is_person: Callable[[Any], bool]) -> bool:
    """Someone else in particular: not the narrator or reader, nobody in general, nor the people a service serves."""
    return (
        is_person(token)
        and str(token.lower_) not in SELF | INDEFINITE | END_USERS
        and not _nobody_in_particular(token)
        and not _thing_pronoun(token, is_person)
    )


# Tags of a finite verb or modal: a line with none is terse (a timeline note, an action item, a headline).
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _terse(sent: Any, words: list[Any], forms: list[str], classes: list[str]) -> set[str]:
    """Stop 30: the shapes of a terse line that names someone, read apart from its words. Timeline and action lines
    are often verbless ("Kim -- asleep at the wheel again") or imperative ("Pull Jo off the rota"), where no subject
    ties the person to the predicate, so the dependency features above rarely fire: the line's shape together with
    the word classes and parts of speech beside the person carries what a reviewer reads there."""
    out: set[str] = set()
    beside = {c for c, f in zip(classes, forms, strict=True) if f != WHO and c != "_"}
    if not any(t.tag_ in _FINITE for t in words):
        out.add("t:verbless")
        out.update(f"t:verbless+{c}" for c in beside)
        out.update(f"t:verbless+{t.pos_}" for t, f in zip(words, forms, strict=True) if f != WHO)
    root = sent.root
    if root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        out.add("t:imperative")
        out.update(f"t:imp+{c}" for c in beside)
        if any(f == WHO and t.head == root and t.dep_ in ("dobj", "dative") for t, f in zip(words, forms, strict=True)):
            out.add("t:imp:who-obj")
            out.update(f"t:imp:who-obj+{c}" for c in beside)
    return out


def _nobody_in_particular(token: Any) -> bool:
    """People in general: a person noun with "other", "any" or "every" and no definite determiner or possessor."""
    children = list(token.children)
    return any(str(c.lower_) in GENERIC and c.dep_ in ("amod", "det") for c in children) and not any(
        str(c.lower_) in _DEFINITE or c.dep_ == "poss" for c in children
    )


# they/them/their said of things (stop 26): "keep credentials in the vault, never share them", "tenants lost
# their sessions" name no one, so they do not make a sentence about someone else.
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})


def _thing_pronoun(token: Any, is_person: Callable[[Any], bool]) -> bool:
    """A plural pronoun whose nearest plural noun before it in the sentence is not a person."""
    if str(token.lower_) not in _PLURAL_PRONOUNS:
        return False
    for prev in reversed(list(token.sent)[: token.i - token.sent.start]):
        if prev.tag_ in ("NNS", "NNPS"):
            return not is_person(prev)
    return False


def _actor_slot(token: Any, is_person: Callable[[Any], bool] = lambda t: True) -> bool:
    """A person where an actor stands: a subject, an agent ("by Kim"), a possessor, an object, or a fragment's
    head ("Kim asleep"); not a word after "on" or "in", where a product's name sits ("monitoring on Kyverno"),
    nor the object of a system's act (stop 28): "the support macro told users the outage was on their side"."""
    if token.dep_ in ("dobj", "dative"):
        subject = next((c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.dep_ == "nsubj" and not is_person(subject):
            if str(subject.lower_) not in ("that", "which", "who") or not is_person(token.head.head):
                return False
    if token.dep_ in ("nsubj", "nsubjpass", "poss", "dobj", "ROOT", "dative", "appos", "conj"):
        return True
    if token.dep_ == "compound" and token.head.pos_ == "VERB":
        return True  # the small parser's misread subject: "the on-call engineer panicked"
    return token.dep_ == "pobj" and str(token.head.lower_) in ("by", "with", "to", "from", "of")


@dataclass(frozen=True)
class Model:
    """Weights, bias and the decision chosen by cross-validation."""

    weights: dict[str, float]
    bias: float
    threshold: float  # a sentence with no rule hit is flagged at or above this probability
    veto: float  # a grammar hit is kept only at or above this probability (0 keeps every hit)
    digest: str

    def probability(self, features: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def model_from(data: dict[str, Any], digest: str = "") -> Model:
    if data.get("format") != FORMAT:
        raise ValueError(f"blame model format {data.get('format')!r}, expected {FORMAT}")
    return Model(
        {str(k): float(v) for k, v in data["weights"].items()},
        float(data["bias"]),
        float(data["threshold"]),
        float(data["veto"]),
        digest,
    )


# Benchmarks turn the model off to measure the rules alone (`blame_eval.py --rules-only`).
ENABLED = True


def active() -> Model | None:
    """The model the check uses: the shipped one, unless turned off."""
    return load() if ENABLED else None


@lru_cache(maxsize=1)
def load() -> Model | None:
    """The shipped model, or None when its file is absent or damaged (the grammar rules then work alone)."""
    try:
        raw = MODEL_FILE.read_bytes()
        return model_from(json.loads(raw), hashlib.sha256(raw).hexdigest()[:16])
    except (OSError, ValueError, KeyError, TypeError):
        return None
