"""Actions aimed at a person instead of the system: the imperative blame of action items and lessons.

"Make sure Dana stops merging on Fridays", "Tell the on-call to actually read alerts", "Have her manager
review every change she ships" hold no failure verb and no judgment word; what blames is the shape: a
directive whose causee is a person and whose complement corrects that person's behaviour, or a review
step placed over one person's work. The same shapes with a system as causee or object are the fixes the
method asks for ("Make the deploy tool stop config changes on Fridays", "Have the pipeline stop the
rollout"), and an assignment of new work is no correction ("Have Priya add an alert on queue depth").

spaCy's DependencyMatcher finds the shapes over lemmas and dependencies; the checks below decide whether
the causee or the owner is a person (the caller's `is_person`, which knows people.toml) and whether the
complement corrects them:

  directive   make/have/get/tell/remind/instruct/force/require/ensure/ask/warn + person + complement that
              stops a habit ("stop merging"), asks for effort ("actually", "properly", "this time"), asks
              for diligence under a firm directive ("make the night shift read the runbook"), or points
              back at the person's own work ("double-check her flag changes", "every release he cuts")
  supervision a review step over one person's work: review/approve/audit/watch/sign off/approval over a
              noun owned by a named person or he/she ("Ravi's schema changes", "anything Jo deploys"), or
              by a role with every/all/any ("every commit the intern makes")
  retraining  a person sent back through training ("send the on-call engineer back through the training")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from .blame_tokens import low as _low

DIRECTIVES = (
    "make",
    "have",
    "get",
    "tell",
    "remind",
    "instruct",
    "force",
    "require",
    "ensure",
    "ask",
    "warn",
    "order",
    "insist",
    "encourage",
    "push",
    "urge",
    "need",
)
# Directives firm enough that asking a person for routine diligence implies they lacked it.
FIRM = frozenset(
    {"make", "force", "tell", "remind", "instruct", "ensure", "require", "order", "insist", "warn", "get", "urge"}
)
STOP_VERBS = frozenset({"stop", "quit", "cease", "refrain"})
DILIGENCE = frozenset(
    {
        "read",
        "check",
        "double-check",
        "recheck",
        "re-check",
        "verify",
        "validate",
        "follow",
        "test",
        "look",
        "remember",
        "pay",
        "think",
        "slow",
        "listen",
        "proofread",
        "confirm",
        "review",
        "respect",
        "obey",
        "attend",
        "watch",
        "concentrate",
        "focus",
    }
)
EFFORT_WORDS = frozenset(
    {
        "actually",
        "properly",
        "carefully",
        "closely",
        "closer",
        "attentively",
        "really",
        "harder",
        "twice",
        "thoroughly",
        "diligently",
        "seriously",
        "personally",
    }
)
EFFORT_PHRASES = (("this", "time"), ("for", "once"), ("from", "now"), ("next", "time"), ("end", "to", "end"))
SUPERVISE = frozenset(
    {
        "review",
        "approve",
        "approval",
        "audit",
        "watch",
        "monitor",
        "check",
        "double-check",
        "sign",
        "sign-off",
        "signoff",
        "supervise",
        "supervision",
        "shadow",
        "oversee",
        "oversight",
        "vet",
        "inspect",
        "countersign",
        "babysit",
        "gate",
    }
)
SPECIFIC = frozenset({"he", "she", "him", "her", "his", "hers"})
QUANTIFIERS = frozenset({"every", "all", "any", "each", "anything", "everything", "whatever"})
TRAINING = frozenset({"training", "course", "refresher", "bootcamp", "workshop", "retraining", "re-training"})
SELF = frozenset({"we", "us", "our", "i", "me", "my", "you", "your", "it", "its"})
WH = frozenset({"what", "which", "how", "whether", "why", "when", "where", "who", "if"})
# Work a person produces: a review step over one person's changes supervises the person, over their
# document ("review Dana's runbook draft") it is ordinary peer review.
WORK_NOUNS = frozenset(
    {
        "change",
        "deploy",
        "deployment",
        "commit",
        "release",
        "push",
        "merge",
        "pr",
        "migration",
        "rollout",
        "config",
        "query",
        "deletion",
        "edit",
        "script",
        "flag",
        "patch",
        "grant",
        "promotion",
        "apply",
        "upgrade",
        "hotfix",
        "fix",
        "work",
        "command",
        "label",
        "annotation",
        "approval",
        "review",
        "test",
        "notebook",
        "prompt",
        "plan",
    }
)
BARRING = frozenset({"let", "allow", "permit"})


class Directives:
    """The three shapes, over a parsed sentence; `is_person` and `person_of` come from the main matcher."""

    def __init__(
        self,
        vocab: Any,
        is_person: Callable[[Any], bool],
        person_of: Callable[[Any], Any | None],
        failing: frozenset[str] = frozenset(),
        alternatives: frozenset[str] = frozenset(),
        is_role: Callable[[Any], bool] | None = None,
    ) -> None:
        from spacy.matcher import DependencyMatcher

        self.is_person = is_person
        self.person_of = person_of
        self.is_role = is_role or is_person  # a role noun wherever it stands ("the intern runs", misparsed)
        self.failing = failing  # lemmas and words of failure and judgment, from blame_grammar
        self.alternatives = alternatives  # failures named as what to do instead of: "instead of sleeping on them"
        self.matcher = DependencyMatcher(vocab)
        self.matcher.add(
            "directive",
            [
                [
                    {"RIGHT_ID": "directive", "RIGHT_ATTRS": {"LEMMA": {"IN": list(DIRECTIVES)}}},
                    {
                        "LEFT_ID": "directive",
                        "REL_OP": ">>",
                        "RIGHT_ID": "act",
                        "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}},
                    },
                ],
                [  # the tagger reads a hyphenated act as a noun: "make Dana double-check every change she makes"
                    {"RIGHT_ID": "directive", "RIGHT_ATTRS": {"LEMMA": {"IN": list(DIRECTIVES)}}},
                    {
                        "LEFT_ID": "directive",
                        "REL_OP": ">",
                        "RIGHT_ID": "act",
                        "RIGHT_ATTRS": {
                            "POS": "NOUN",
                            "LOWER": {"IN": sorted(DILIGENCE)},
                            "DEP": {"IN": ["ccomp", "xcomp"]},
                        },
                    },
                ],
            ],
        )
        self.matcher.add(
            "supervision",
            [
                [
                    {"RIGHT_ID": "work", "RIGHT_ATTRS": {"POS": {"IN": ["NOUN", "PRON", "PROPN"]}}},
                    {"LEFT_ID": "work", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "poss"}},
                ],
                [
                    {"RIGHT_ID": "work", "RIGHT_ATTRS": {"POS": {"IN": ["NOUN", "PRON", "PROPN"]}}},
                    {"LEFT_ID": "work", "REL_OP": ">", "RIGHT_ID": "made", "RIGHT_ATTRS": {"DEP": "relcl"}},
                    {"LEFT_ID": "made", "REL_OP": ">", "RIGHT_ID": "owner", "RIGHT_ATTRS": {"DEP": "nsubj"}},
                ],
            ],
        )
        self.matcher.add(
            "retraining",
            [
                [
                    {
                        "RIGHT_ID": "send",
                        "RIGHT_ATTRS": {
                            "LEMMA": {"IN": ["send", "put", "enrol", "enroll", "book", "sign", "schedule", "make"]}
                        },
                    },
                    {
                        "LEFT_ID": "send",
                        "REL_OP": ">>",
                        "RIGHT_ID": "course",
                        "RIGHT_ATTRS": {"LOWER": {"IN": sorted(TRAINING)}},
                    },
                ]
            ],
        )

    def hits(self, doc: Any) -> Iterator[tuple[Any, Any]]:
        """(person, anchor) for each correcting shape, in text order."""
        found = []
        for match_id, tokens in self.matcher(doc):
            kind = doc.vocab.strings[match_id]
            words = [doc[i] for i in tokens]
            result = getattr(self, "_" + kind)(*words)
            if result is not None:
                found.append(result)
        for sent in doc.sents:
            for shape in (self._misparsed, self._barring, self._owned_in_object, self._quantified_work):
                result = shape(sent)
                if result is not None:
                    found.append(result)
        yield from sorted(found, key=lambda pair: pair[1].i)

    # ------------------------------------------------------------------ who
    def _causee(self, directive: Any, act: Any) -> Any | None:
        """The person the directive acts on: its object ("tell the on-call to …") or the subject of the act
        ("make Dana double-check …", "make sure Dana stops …")."""
        subj = next(
            (
                c
                for c in act.children
                if c.dep_ in ("nsubj",) or (act.pos_ == "NOUN" and c.dep_ == "compound" and self.is_person(c))
            ),
            None,
        )
        if subj is None and any(c.dep_ == "auxpass" for c in directive.children):
            # passive directive: "Dana needs to be reminded to check …", "the SREs must be made to read …"
            subj = next((c for c in directive.children if c.dep_ == "nsubjpass"), None)
            if subj is None and directive.dep_ == "xcomp":
                subj = next((c for c in directive.head.children if c.dep_ == "nsubj"), None)
            person = self.person_of(subj) if subj is not None else None
            return person if person is not None and _low(person) not in SELF else None
        if subj is None and act.dep_ in ("xcomp", "ccomp", "advcl"):
            # "tell the on-call to …"; passive: "Dana needs to be reminded to check …"
            subj = next((c for c in directive.children if c.dep_ in ("dobj", "nsubjpass") and c.i < act.i), None)
            if subj is not None and subj.dep_ == "nsubjpass" and subj.i > directive.i:
                subj = None
            if subj is not None and subj.dep_ == "nsubjpass":
                person = self.person_of(subj)
                return person if person is not None and _low(person) not in SELF else None
        if subj is None or subj.i < directive.i:
            return None
        person = self.person_of(subj)
        if person is None or _low(person) in SELF:
            return None
        return person

    def _specific(self, owner: Any, work: Any) -> bool:
        """A named person or he/she always; a role only over every/all/any of its work."""
        low = _low(owner)
        if low in SELF or low in ("they", "them", "their", "who", "whoever", "someone", "somebody"):
            return False
        if low in SPECIFIC or owner.pos_ == "PROPN":
            return self.is_person(owner)
        if not self.is_person(owner) or not _definite(owner):
            return False  # "every change an engineer makes" is a rule for everyone; "the intern" is one person
        return _low(work) in QUANTIFIERS or any(_low(c) in QUANTIFIERS for c in work.children)

    # ------------------------------------------------------------------ shapes
    def _directive(self, directive: Any, act: Any) -> tuple[Any, Any] | None:
        if act.i < directive.i or directive.pos_ not in ("VERB", "AUX"):
            return None
        if directive.tag_ == "VBG" and directive.dep_ == "pcomp":
            return None  # "left without telling anyone about …": a gerund under a preposition directs nobody
        # the act must hang from the directive through complements only, not a later clause of its own
        node, hops = act, 0
        while node.i != directive.i and hops < 4:
            if node.dep_ not in ("xcomp", "ccomp", "acomp", "conj", "advcl") and node.head.i != directive.i:
                return None
            node, hops = node.head, hops + 1
        if node.i != directive.i:
            return None
        if directive.lemma_.lower() == "need" and not any(c.dep_ == "dobj" for c in directive.children):
            return None  # "X needs to …": the effort rule reads that
        if directive.lemma_.lower() == "make" and any(
            c.dep_ in ("acomp", "oprd") and _low(c) != "sure" for c in directive.children
        ):
            return None  # "made clear that …", "make it possible": not a directive
        person = self._causee(directive, act)
        if person is None:
            return None
        return (person, act) if self._corrects(directive.lemma_.lower(), person, act) else None

    def _corrects(self, directive: str, person: Any, act: Any) -> bool:
        """Whether the act a person is directed to do corrects that person's behaviour."""
        lemma = act.lemma_.lower()
        words = [_low(t) for t in act.subtree]
        if act.dep_ == "ccomp" and any(_low(t) in WH and t.i < act.i for t in act.subtree):
            return False  # a question put to a person, not a correction: "ask the night shift what …"
        later = [t for t in act.subtree if t.i > act.i]
        if any(t.lemma_.lower() in self.failing or _low(t) in self.failing for t in later):
            return True
        instead = next((t.i for t in later if _low(t) in ("instead", "rather", "without")), None)
        if instead is not None and any(t.lemma_.lower() in self.alternatives for t in later if t.i > instead):
            return True  # "… instead of sleeping on them"
        if lemma in STOP_VERBS and any(
            c.tag_ == "VBG"
            or c.dep_ in ("xcomp", "pcomp")
            or any(g.dep_ == "amod" and _low(g).endswith("ing") for g in c.children)
            for c in act.children
        ):
            return True  # a habit to break: "stop merging on Fridays", "stop rubber-stamping pull requests"
        if any(w in EFFORT_WORDS for w in words) or any(_phrase_in(words, p) for p in EFFORT_PHRASES):
            return True
        if lemma in DILIGENCE and directive in FIRM:
            return True
        if lemma in ("slow", "think") and any(_low(c) in ("down", "before", "twice") for c in act.children):
            return True
        # a misparsed act leaves its object on the directive
        return self._own_work(act, person) or (act.pos_ == "NOUN" and self._own_work(directive, person))

    def _barring(self, sent: Any) -> tuple[Any, Any] | None:
        """Keeping a person away: "never let the intern near prod", "do not allow Jo to deploy"."""
        for verb in sent:
            stopped = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in STOP_VERBS  # "stop letting interns …"
            if verb.lemma_.lower() not in BARRING or not (
                stopped or any(c.dep_ == "neg" or _low(c) in ("never", "not") for c in verb.children)
            ):
                continue
            # "never let the intern near prod"; "never let Ravi deploy …" (the name is the act's subject)
            around = [
                *verb.children,
                *(g for c in verb.children if c.dep_ in ("ccomp", "xcomp") for g in c.children if g.dep_ == "nsubj"),
            ]
            for child in around:
                if child.dep_ in ("dobj", "nsubj") and child.i > verb.i:
                    person = self.person_of(child)
                    if person is not None and _low(person) not in SELF:
                        return person, verb
        return None

    def _owned_in_object(self, sent: Any) -> tuple[Any, Any] | None:
        """A review step over quantified work that names a person, however the parser attached the name:
        "approve every prompt change Mei pushes"."""
        for verb in sent:
            if verb.lemma_.lower() not in SUPERVISE or verb.pos_ != "VERB":
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
                tree = list(obj.subtree)
                if not any(_low(t) in QUANTIFIERS for t in tree):
                    continue
                for t in tree:
                    if (
                        (t.pos_ == "PROPN" or _low(t) in SPECIFIC)
                        and self.is_person(t)
                        and (subject is None or subject.text != t.text)
                    ):
                        return t, verb
        return None

    def _quantified_work(self, sent: Any) -> tuple[Any, Any] | None:
        """ "… for every migration the intern runs" read word by word, for when the parser loses the relative
        clause: a review word, then every/all/any + noun(s) + a definite person + a verb in -s or -ed."""
        words = list(sent)
        for n, q in enumerate(words):
            if _low(q) not in ("every", "all", "any", "each"):
                continue
            if not any(
                t.lemma_.lower() in SUPERVISE | {"approver"} or _low(t) in SUPERVISE | {"approver", "approvers"}
                for t in words[:n]
            ):
                continue
            for k in range(n + 2, min(n + 6, len(words) - 1)):
                person, verb = words[k], words[k + 1]
                if (
                    (self.is_person(person) or self.is_role(person))
                    and _low(person) not in SELF
                    and (person.pos_ == "PROPN" or _low(person) in SPECIFIC or _low(words[k - 1]) == "the")
                    and re.fullmatch(r"[a-z]+(s|ed)", _low(verb))
                    and verb.pos_ in ("VERB", "NOUN", "AUX")
                ):
                    return person, q
        return None

    def _misparsed(self, sent: Any) -> tuple[Any, Any] | None:
        """An imperative whose verb the tagger read as a name ("Force Marcus to run …", "Audit every commit
        the intern makes …"): the same tests, over the words in order."""
        first = sent[0]
        low = _low(first)
        if first.pos_ not in ("PROPN", "NOUN") or len(sent) < 3:
            return None
        rest = [t for t in sent if t.i > first.i]
        if low in DIRECTIVES:
            person = next((t for t in rest[:4] if self.is_person(t) and _low(t) not in SELF), None)
            act = next((t for t in rest if person is not None and t.i > person.i and t.pos_ == "VERB"), None)
            if person is not None and act is not None and self._corrects(low, person, act):
                return person, first
        if low in SUPERVISE and _low(rest[0]) in QUANTIFIERS:
            for t in rest[1:6]:
                if (
                    self.is_person(t)
                    and _low(t) not in SELF
                    and t.i + 1 < len(t.doc)
                    and t.doc[t.i + 1].pos_ in ("VERB", "AUX")
                ):
                    return t, first  # "Audit every commit the intern makes"
        return None

    def _own_work(self, act: Any, person: Any) -> bool:
        """The act's object is the causee's own work: "her flag changes", "every release he cuts"."""
        pronouns = SPECIFIC | {"their", "they", "them"} if _low(person) not in SPECIFIC else SPECIFIC
        for t in act.subtree:
            if t.i == person.i:
                continue
            if (
                t.dep_ == "poss"
                and (_low(t) in pronouns or t.text == person.text)
                and (t.head.lemma_.lower() in WORK_NOUNS or t.head.head.lemma_.lower() in WORK_NOUNS)
            ):
                return True  # "her flag changes", not "their email address"
            if t.dep_ == "nsubj" and t.head.dep_ == "relcl" and (_low(t) in pronouns or t.text == person.text):
                return True
        return False

    def _supervision(self, work: Any, *rest: Any) -> tuple[Any, Any] | None:
        owner = rest[-1]  # (work, owner) or, through a relative clause, (work, made, owner)
        while work.dep_ == "compound" and work.head.i != work.i:
            work = work.head  # "Ravi's schema changes": the possessor hangs on the first noun of the phrase
        if not self._specific(owner, work):
            return None
        if (
            owner.dep_ == "poss"
            and work.lemma_.lower() not in WORK_NOUNS
            and _low(work) not in QUANTIFIERS
            and not any(_low(c) in QUANTIFIERS for c in work.children)
        ):
            return None
        # a review step over the work: the word governing it, or the verb it is the (passive) subject of
        node = work
        for _ in range(4):
            if node.head.i == node.i:
                break
            head = node.head
            if head.lemma_.lower() in SUPERVISE or _low(head) in SUPERVISE:
                subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
                if subject is not None and (
                    subject.text == owner.text or (_low(subject) in SPECIFIC and _low(owner) in SPECIFIC)
                ):
                    return None  # her own review of her own work is not supervision
                return owner, head
            if node.dep_ not in ("pobj", "dobj", "prep", "nsubjpass", "nsubj", "prt", "compound"):
                break
            node = head
        return None

    def _retraining(self, send: Any, course: Any) -> tuple[Any, Any] | None:
        for child in send.children:
            if child.dep_ in ("dobj", "nsubj") and child.i < course.i:
                person = self.person_of(child)
                if person is not None and _low(person) not in SELF:
                    return person, send
        return None


# Words that let a text hold one of the shapes; the cheap pre-filter of blame_grammar.candidate adds them.
CANDIDATE_PATTERN = (
    r"(?:^|[.;:!]\s+|\b(?:please|and|then|to)\s+)(?:have|get|make)\b|\bmake sure\b|"
    r"\b(?:" + "|".join(sorted(set(DIRECTIVES) - {"have", "get", "make", "need"})) + r")\b|"
    r"\b(?:" + "|".join(sorted(w for w in SUPERVISE | TRAINING if "-" not in w)) + r")|"
    r"\b(?:never|not|n't|no longer) (?:let|allow|permit)|\b(?:stop|quit) (?:letting|allowing|permitting)"
)


def _definite(person: Any) -> bool:
    """A role that names one holder: "the intern", "our DBA", not "an engineer" or "any reviewer"."""
    dets = [_low(c) for c in person.children if c.dep_ in ("det", "poss")]
    return not dets or not set(dets) & {"a", "an", "any", "every", "each", "some", "all", "no"}


def _phrase_in(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))
