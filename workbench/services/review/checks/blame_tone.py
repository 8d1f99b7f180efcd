"""Blame carried by tone and by where a person stands, not by a failure word (stop 28, a seventh writer's set).

The kinds, each a class of constructions tied to a person through the parse:

  person as the cause   "the root cause is Ottilie", "the culprit was the night shift", "Kim is the problem";
                        "… lost another week because of her", "300 GPU-hours down the drain thanks to him"
  mock praise           "Great job by the data team, as always: …", "Thanks, Ama.", "Classic Sipho.", "Kudos to
                        X for <a risky act>": praise or thanks naming a person, in a text with a harm or an
                        irony cue (sincere thanks after a fast rollback stays quiet)
  addressed reproach    "sales, this means you", "Next time, Adaeze, the runbook exists for a reason"
  competence            "has never understood how the sharding works", "she clearly can't handle them", "cannot
                        be trusted with", "behaved like amateurs" (present or perfect: a trait, not a moment;
                        "Kim did not understand the alert at 02:00" narrates what she knew then)
  scare quotes          "Sipho 'fixed' the alert", "Kalani's 'small tweaks'", "decided to 'just restart
                        everything'": a person's act or work in quotes that minimise or excuse it

and the look-alike that cost precision: a quoted blame word is a mention, not a use ("closed as 'user error' by
the triage rule", "'human error' is not a cause we accept", "the queue's 'lazy' sampling mode"), unless a person
is tied to it. `mention` answers that for the phrase layer and the error-noun rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from .blame_tokens import low as _low, token_at

# Nouns that, as one side of "X is Y", make the other side the cause: "the root cause is Ottilie".
CAUSE_NOUNS = frozenset({"cause", "culprit", "problem", "reason", "trigger", "issue"})
# Praise and thanks that open a sentence (mock praise when the text around it tells of harm or irony).
PRAISE_RE = re.compile(
    r"^\W*(?:(?:great|good|nice|fine|excellent|stellar|brilliant|amazing|lovely|top|super|outstanding|tidy)\s+"
    r"(?:job|work|effort|call|move|stuff|one|show)|kudos|well done|bravo|hats off|thanks|thank you|thx|thnx|cheers|"
    r"classic|full marks|gold star|slow clap|much appreciated|shout-?out|well played)\b",
    re.IGNORECASE,
)
# What makes praise mock: harm told in the same text, or an irony marker.
IRONY_RE = re.compile(
    r"\b(as always|as usual|once again|yet again|again|truly inspired|inspired|bold move|what could go wrong|"
    r"of course|naturally|genius|classic|masterstroke|stroke of genius|what a plan|nice one|bravo)\b",
    re.IGNORECASE,
)
HARM_RE = re.compile(
    r"\b(on fire|down the drain|broke|broken|breaks|outage|wrong|wasted|lost|lose|losing|middle of (peak|the)|"
    r"no (announcement|warning|notice|heads-up|review|ticket|tests?)|without|reached (prod|production|users)|"
    r"killed|corrupted|deleted|dropped|wiped|paged|woke|down for|failed|burn(ed|t)|exactly how|how this|"
    r"un(reviewed|tested|validated|approved|announced|vetted))\b",
    re.IGNORECASE,
)
# Words that say an outcome went well: "thanks to Kim, the rollback took four minutes" is sincere.
GOOD_RE = re.compile(
    r"\b(caught|saved|recovered|restored|prevented|in time|quick(ly)?|fast|early|rolled back|spotted|fixed it)\b",
    re.IGNORECASE,
)
# "sales, this means you", "looking at you, platform", "you know who you are"
ADDRESSED_RE = re.compile(
    r"(,\s*(this|that) (means|includes|is for) you|\blooking at you|\byou know who you are)\s*[.!…]*\s*$", re.IGNORECASE
)
# Sentence openers before an addressed person: "Next time, Adaeze, …".
VOCATIVE_OPENERS = ("next time", "in future", "in the future", "going forward", "again", "once more", "please")
# Competence a person is said to lack (with can't/cannot, or as a habit: "has never understood").
COMPETENCE = frozenset({"handle", "understand", "grasp", "cope", "manage", "get", "follow", "trust"})
# What people are said to behave like.
LIKE_PEOPLE = frozenset(
    {"amateur", "amateurs", "child", "children", "kid", "kids", "cowboy", "cowboys", "tourist", "tourists", "clown"}
    | {"clowns", "toddler", "toddlers", "idiot", "idiots", "beginner", "beginners", "student", "students", "intern"}
    | {"interns", "headless", "chicken", "chickens"}
)
# Acts that make a cleft blame: "it was Maren who turned off the guardrail" (not "it was Kim who spotted it").
CLEFT_ACTS = frozenset({"turn", "disable", "approve", "merge", "push", "delete", "drop", "skip", "break", "switch"})
CLEFT_ACTS |= {"remove", "bypass", "override", "ignore", "miss", "forget", "cause", "ship", "deploy", "change", "kill"}
# Sneers that need a person beside them: "in their infinite wisdom", "Thanks for nothing, legal", "Elif's idea of a
# load test was …", "until Yusuf got his hands on it", "held the budget hostage".
SNEER_RE = re.compile(
    r"\bin (his|her|their) (infinite |great |boundless )?wisdom\b|\bthanks for nothing\b|"
    r"(’s|'s) idea of (a|an) [\w-]+( [\w-]+)? (was|is)\b|\bgot (his|her|their) (grubby )?hands on\b|"
    r"\b(held|holds|holding|kept|keeps) [\w\s-]{1,30}? hostage\b|\bso-called\b|"
    r"\bas is (his|her|their) (custom|habit|wont|way|tradition)\b|\bwith (nobody|no one|no-one) (watching|looking)\b",
    re.IGNORECASE,
)
# Error words a person's act is named by when it "made" or "introduced" them: "the errors Leopold introduced".
ERROR_WORDS = frozenset(
    {"error", "errors", "mistake", "mistakes", "blunder", "blunders", "slip", "slips", "goof", "mess"}
)
ERROR_ACTS = frozenset({"make", "introduce", "cause", "commit", "ship", "add", "leave", "inject"})
# Duties a person is said never to do, in the present (a habit): "she never picks up on weekends".
HABIT_DUTIES = frozenset({"pick", "answer", "respond", "read", "check", "test", "review", "ack", "acknowledge"})
HABIT_DUTIES |= {"reply", "look", "listen", "follow", "document", "update", "escalate", "learn", "ask", "bother"}
# Quoted words that minimise or excuse a person's act: "'quick fix'", "'harmless'", "'fixed'", "'tidies up'".
MINIMISERS_RE = re.compile(
    r"\b(tid(y|ied|ies|ying)|improv\w*|fix\w*|clean\w*|tweak\w*|optimi[sz]\w*|test\w*|review\w*|check\w*|help\w*|"
    r"quick|small|harmless|minor|tiny|simple|just|safe|trivial|only|temporar\w*|cosmetic|little|innocent|obvious|"
    r"experiment\w*|tun(e|ed|es|ing)|polish\w*|refactor\w*|sort\w* out|simplif\w*|streamlin\w*|tidy\w*)\b",
    re.IGNORECASE,
)
# Words that let a text hold one of these kinds; blame_grammar.candidate adds them to its cheap pre-filter.
CANDIDATE_PATTERN = (
    r"['‘\"“](?:just |only |for |to )?(?:tid|improv|fix|clean|tweak|optimi|test|review|check|help|quick|small|"
    r"harmless|minor|tiny|simple|safe|trivial|temporar|cosmetic|little|innocent|experiment|tun|polish|refactor|"
    r"simplif|streamlin)|['‘\"“](?:just|only|for|to) \w|"
    r"\bso-called\b|\bnever (?:again )?(?:give|let|allow|hand)\b|\bsit (?:beside|alongside|over|next to)\b|"
    r"\bhostage\b|\bwisdom\b|\bidea of\b|\bhands on\b|\bculprit|\bproblem (?:is|was)\b|\bit (?:was|is) \w+ who\b|"
    r"\blie[ds]? (?:to|about)\b|\bthanks to\b|\bdue to\b|\bowing to\b|\bgot \w+ wrong|\bget \w+ wrong|"
    r"\bunderst(?:and|ood)|\bcan(?:'|’)?t handle|\bcannot (?:handle|be trusted)|\bbehaved? like|\bacted like|"
    r"\bnever (?:picks?|answers?|responds?|reads?|checks?|replies|acks?|looks?|listens?|learns?)\b|\bmistakes?\b|\bmess\b"
)
EXCUSES = frozenset({"for", "to", "just", "only", "because", "was", "it's", "its"})
QUOTED_RE = re.compile(r"(?<![\w’'])(['‘\"“])([^'‘’\"“”\n]{1,40}?)(['’\"”])(?![\w‘’'])")
# A quoted word that labels or names: "closed as 'user error'", "the words 'who thought …'", "the phrase".
LABEL_BEFORE_RE = re.compile(
    r"(\bas|\bthe (words?|phrase|term|label|tag|name|mode|setting|status)|\bcalled|\bnamed|\blabell?ed|\bmarked|"
    r"\btagged|\bmeans?|\bword|\bphrase)\s*$",
    re.IGNORECASE,
)
# A person's possessive right before a quote ("Piet's 'quick fixes'", "the intern's 'cleanup'"); a thing's
# ("the moderation queue's 'lazy' sampling mode") leaves the quoted word a name.
OWNER_BEFORE_RE = re.compile(
    r"(\b[A-Z][a-z]+[\w-]*(’s|'s)|\b(team|engineer|intern|lead|manager|on-call|oncall|sre|admin|dev|contractor|"
    r"vendor|reviewer|operator|analyst|scientist|student)(’s|'s)|\b(his|her|their))\s*$"
)
SPEECH_BEFORE_RE = re.compile(r"(\b(says?|said|writes?|wrote|posts?|posted|asks?|asked|replied|typed)|:)\s*$", re.I)


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each short quoted phrase: a word or a few, not a quoted speaker's sentence."""
    out = []
    for m in QUOTED_RE.finditer(text):
        inner = m.group(2).strip()
        if inner and len(inner.split()) <= 4:
            out.append((m.start(), m.end(), inner))
    return out


def quoted_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The short quoted phrase text[start:end] lies in, as (start, end), or None."""
    for q_start, q_end, _ in quoted_spans(text):
        if q_start <= start and end <= q_end:
            return q_start, q_end
    return None


# What follows a quoted word that is named, not used: a noun it labels ("the 'lazy' sampling mode", "the 'human
# error' counter"), a denial ("'human error' is not a cause"), a gloss ("'errors' here means …").
MENTION_AFTER_RE = re.compile(
    r"^\s*(?:([\w-]+\s+)?(?:mode|counter|label|metric|tag|setting|field|status|flag|panel|button|option|value|"
    r"category|bucket|queue|state|column|macro|template|dropdown|checkbox|tile|widget|rule)s?\b|"
    r"(?:is|was|are|were)\s+(?:not|never|n't)\b|(?:here\s+)?(?:means|meant|refers)\b)",
    re.IGNORECASE,
)


def mention(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a short quoted phrase that names a word rather than uses it: after a
    label ("closed as 'user error'", "the phrase 'human error'"), before the noun it labels or a denial ("the
    queue's 'lazy' sampling mode", "'human error' is not a cause"). "It was 'human error' in the end" uses it,
    and so does a person's possessive before the quote ("Piet's 'quick fixes'")."""
    quoted = quoted_at(text, start, end)
    if quoted is None:
        return False
    before = text[max(0, quoted[0] - 30) : quoted[0]]
    if OWNER_BEFORE_RE.search(before) and not LABEL_BEFORE_RE.search(before):
        return False
    return bool(LABEL_BEFORE_RE.search(before) or MENTION_AFTER_RE.match(text[quoted[1] : quoted[1] + 40]))


class Tone:
    """The kinds above over a parsed doc; who is a person comes from the main matcher."""

    def __init__(
        self,
        is_person: Callable[[Any], bool],
        is_bare: Callable[[Any], bool],
        person_subject: Callable[[Any], Any | None],
        negated: Callable[[Any], bool],
        self_words: frozenset[str],
    ) -> None:
        self.is_person = is_person
        self.is_bare = is_bare
        self.person_subject = person_subject
        self.negated = negated
        self.self_words = self_words

    def someone(self, token: Any) -> bool:
        """A person other than the narrator: a name, a role, he/she (not we, they, it)."""
        return (self.is_person(token) or self.is_bare(token)) and _low(token) not in self.self_words

    def hits(self, doc: Any) -> Iterator[tuple[str, Any, Any]]:
        text = doc.text
        for sent in doc.sents:
            for found in (
                self._person_cause(sent),
                self._because_of(sent),
                self._mock_praise(sent, text),
                self._addressed(sent),
                self._competence(sent),
                self._scare_quotes(sent),
                self._deceit(sent),
                self._errors_of(sent),
                self._cleft(sent),
                self._sneer(sent),
                self._withheld(sent),
            ):
                if found is not None:
                    yield found
                    break

    # ------------------------------------------------------------------ person as the cause
    def _person_cause(self, sent: Any) -> tuple[str, Any, Any] | None:
        """ "the root cause is Ottilie", "Kim is the culprit": a copula joining a cause noun and a person."""
        for be in sent:
            if be.lemma_.lower() != "be" or be.dep_ not in ("ROOT", "ccomp", "conj"):
                continue
            sides = [c for c in be.children if c.dep_ in ("nsubj", "attr")]
            if len(sides) != 2 or self.negated(be):
                continue
            nouns = [s for s in sides if s.lemma_.lower() in CAUSE_NOUNS]
            people = [s for s in sides if s not in nouns and self.someone(s)]
            if nouns and people:
                return "fault", people[0], be
        return None

    def _because_of(self, sent: Any) -> tuple[str, Any, Any] | None:
        """ "lost another week because of her", "300 GPU-hours down the drain thanks to him": a person as the
        reason for a harm. A possession ("because of Kim's alert") names the thing, and a good outcome the
        thanks ("thanks to Kim, the rollback took four minutes")."""
        for token in sent:
            low = _low(token)
            nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
            if nxt is None or _low(nxt) not in ("of", "to"):
                continue
            if (low, _low(nxt)) not in (("because", "of"), ("thanks", "to"), ("due", "to"), ("owing", "to")):
                continue
            after = [t for t in token.doc[nxt.i + 1 : min(nxt.i + 4, sent.end)] if t.pos_ != "DET"]
            if not after or not self.someone(after[0]) or _low(after[0]) in ("they", "them"):
                continue
            person = after[0]
            if person.i + 1 < len(person.doc) and _low(person.doc[person.i + 1]) in ("'s", "’s"):
                continue
            if low == "thanks" and (GOOD_RE.search(sent.text) or not HARM_RE.search(sent.text)):
                continue
            if low != "thanks" and GOOD_RE.search(sent.text):
                continue
            return "fault", person, token
        return None

    # ------------------------------------------------------------------ mock praise, addressed reproach
    def _mock_praise(self, sent: Any, text: str) -> tuple[str, Any, Any] | None:
        """Praise or thanks naming a person in a text that tells of harm or irony: "Thanks, Ama." after
        "which is exactly how this bug reached prod"; "Great job by the data team, as always"."""
        start = sent[0]
        while start.i < sent.end - 1 and (start.is_punct or start.like_num or re.fullmatch(r"[\d:.]+", start.text)):
            start = start.doc[start.i + 1]
        if not PRAISE_RE.match(text[start.idx : sent.end_char]):
            return None
        near = [t for t in sent if start.i < t.i <= start.i + 6 and self.someone(t)]
        if not near:
            return None
        previous = sent.doc[sent.start - 1].sent.text if sent.start > 0 else ""
        around = previous + " " + sent.text
        if GOOD_RE.search(sent.text) and not IRONY_RE.search(sent.text):
            return None
        if not (IRONY_RE.search(around) or HARM_RE.search(around)):
            return None
        return "judgment", near[0], start

    def _addressed(self, sent: Any) -> tuple[str, Any, Any] | None:
        """A reproach addressed to someone: "sales, this means you"; "Next time, Adaeze, the runbook …"."""
        match = ADDRESSED_RE.search(sent.text)
        if match is not None:
            before = [t for t in sent if t.idx < sent.start_char + match.start() + 1]
            person = next((t for t in reversed(before) if self.someone(t) or t.pos_ in ("PROPN", "NOUN")), None)
            if person is not None:
                return "fault", person, person
        lowered = sent.text.lower().lstrip()
        opener = next((o for o in VOCATIVE_OPENERS if lowered.startswith(o + ",")), None)
        if opener is None:
            return None
        comma = next((t for t in sent if t.text == ","), None)
        if comma is None or comma.i + 2 >= sent.end:
            return None
        words = list(sent.doc[comma.i + 1 : min(comma.i + 4, sent.end)])
        closing = next((t for t in words if t.text == ","), None)
        if closing is None:
            return None
        named = [t for t in words if t.i < closing.i]
        if named and all(self.someone(t) or t.pos_ in ("PROPN", "DET") for t in named):
            person = next((t for t in named if t.pos_ != "DET"), None)
            if person is not None:
                return "corrective", person, person
        return None

    # ------------------------------------------------------------------ competence
    def _competence(self, sent: Any) -> tuple[str, Any, Any] | None:
        """A trait of incompetence: can't handle / cannot be trusted / has never understood / behaved like
        amateurs. A moment narrated in the past ("did not understand the alert then") is not a trait."""
        for verb in sent:
            lemma = verb.lemma_.lower()
            if lemma in ("behave", "act") and verb.pos_ == "VERB":
                like = next((c for c in verb.children if _low(c) == "like"), None)
                if like is not None and any(_low(p) in LIKE_PEOPLE for p in like.children):
                    person = self.person_subject(verb)
                    if person is not None and _low(person) not in self.self_words:
                        return "judgment", person, verb
                continue
            if lemma in HABIT_DUTIES and verb.tag_ in ("VBZ", "VBP") and any(_low(c) == "never" for c in verb.children):
                person = self.person_subject(verb)  # "she never picks up on weekends": a habit, a trait
                if person is not None and _low(person) not in self.self_words:
                    return "judgment", person, verb
                continue
            if lemma not in COMPETENCE or verb.pos_ != "VERB":
                continue
            aux = {_low(c) for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
            cannot = bool(aux & {"ca", "can", "cannot"}) and bool(aux & {"not", "n't", "never"} or "cannot" in aux)
            habit = (
                "never" in aux
                and bool(aux & {"has", "have", "'s"})
                or (
                    bool(aux & {"not", "n't"})
                    and bool(aux & {"does", "do"})
                    and lemma in ("understand", "grasp", "get")
                )
            )
            if lemma == "trust" and not (cannot and verb.tag_ == "VBN"):
                continue
            if lemma in ("manage", "follow", "get") and not cannot:
                continue
            if not (cannot or habit):
                continue
            person = self.person_subject(verb)
            if person is None or _low(person) in self.self_words:
                continue
            return "judgment", person, verb
        return None

    # ------------------------------------------------------------------ scare quotes
    def _scare_quotes(self, sent: Any) -> tuple[str, Any, Any] | None:
        """A person's act or work in quotes that minimise or excuse it: "Sipho 'fixed' the alert", "Kalani's
        'small tweaks'", "decided to 'just restart everything'", "disabled the rate limiter 'for testing'"."""
        doc = sent.doc
        for q_start, q_end, inner in quoted_spans(sent.text):
            start, end = sent.start_char + q_start, sent.start_char + q_end
            words = inner.lower().split()
            if not (MINIMISERS_RE.search(inner) or words[0] in EXCUSES and len(words) >= 2):
                continue
            before = doc.text[max(sent.start_char, start - 30) : start]
            if LABEL_BEFORE_RE.search(before) or SPEECH_BEFORE_RE.search(before):
                continue
            inside = [t for t in sent if start <= t.idx < end and not t.is_punct]
            if not inside:
                continue
            first = inside[0]
            prev = doc[first.i - 2] if first.i >= 2 else None
            if prev is not None and doc[first.i - 1].text in ("'s", "’s", "'", "‘", '"', "“"):
                owner = doc[first.i - 2] if _low(doc[first.i - 2]) not in ("'s", "’s") else doc[first.i - 3]
                if self.someone(owner):
                    return "judgment", owner, first
            owner = next((t for t in sent if t.i < first.i and t.dep_ == "poss" and self.someone(t)), None)
            if owner is not None and owner.head.i >= first.i:
                return "judgment", owner, first
            verb = first if first.pos_ in ("VERB", "AUX") else first.head
            for _ in range(3):
                if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("pobj", "pcomp"):
                    break
                # a quoted act as the object of a person's verb (stop 29): "insisted on 'just one more look'"
                verb = verb.head.head if verb.dep_ in ("pobj", "pcomp") else verb.head
            person = self.person_subject(verb) if verb.pos_ in ("VERB", "AUX") else None
            if person is not None and _low(person) in ("who", "that") and verb.dep_ == "relcl":
                person = verb.head  # "the person who 'simplified' the retry logic" (stop 29)
            if person is not None and _low(person) not in self.self_words and not self.negated(verb):
                return "judgment", person, first
        return None

    # ------------------------------------------------------------------ deceit, a person's errors
    def _deceit(self, sent: Any) -> tuple[str, Any, Any] | None:
        """ "the vendor's managers lied to us about their QA": lying (to someone, about something) said of a
        person. "The fault lies in the parser" and "the data lies on disk" are another verb."""
        for verb in sent:
            if verb.lemma_.lower() != "lie" or verb.pos_ != "VERB":
                continue
            if not any(_low(c) in ("to", "about") and c.dep_ == "prep" for c in verb.children):
                continue  # "the fault lies in the parser": where, not a lie
            person = self.person_subject(verb)
            if person is not None and _low(person) not in self.self_words and not self.negated(verb):
                return "failure", person, verb
        return None

    def _errors_of(self, sent: Any) -> tuple[str, Any, Any] | None:
        """Errors a person made or introduced, however the parser attached the clause: "the model-card errors
        Leopold introduced", "the errors made by the annotation team lead", "what Dorothea got wrong"."""
        tokens = list(sent)
        for index, token in enumerate(tokens):
            low = _low(token)
            window = tokens[index + 1 : index + 7]
            if low in ERROR_WORDS:
                if window and window[0].lemma_.lower() in ERROR_ACTS and window[0].tag_ == "VBN":
                    by = window[1:3]
                    if by and _low(by[0]) == "by":
                        person = next((t for t in window[2:] if self.someone(t)), None)
                        if person is not None:
                            return "error-noun", person, token
                    continue
                for offset, word in enumerate(window[:4]):
                    if word.lemma_.lower() in ERROR_ACTS and word.tag_ == "VBD":
                        person = next((t for t in window[:offset] if self.someone(t)), None)
                        if person is not None and not self.negated(word):
                            return "error-noun", person, token
                        break
            if token.lemma_.lower() == "get" and index + 1 < len(tokens) and _low(tokens[index + 1]) == "wrong":
                if self.negated(token):
                    continue
                person = self.person_subject(token)
                if person is None and any(_low(t) in ("what", "everything") for t in tokens[max(0, index - 6) : index]):
                    person = next((t for t in tokens[max(0, index - 5) : index] if self.someone(t)), None)
                if person is not None and _low(person) not in self.self_words:
                    return "failure", person, token
        return None

    # ------------------------------------------------------------------ clefts and sneers
    def _cleft(self, sent: Any) -> tuple[str, Any, Any] | None:
        """ "Of course it was Maren who turned off the guardrail": a cleft that singles a person out for an act
        that removed or broke something. "It was Kim who spotted the leak" singles out a good act."""
        for be in sent:
            if be.lemma_.lower() != "be" or not any(
                _low(c) == "it" and c.dep_ in ("nsubj", "expl") for c in be.children
            ):
                continue
            after = [t for t in sent if be.i < t.i <= be.i + 3]
            person = next((t for t in after if self.someone(t)), None)
            if person is None:
                continue
            rel = next((t for t in sent if t.i > person.i and _low(t) in ("who", "that")), None)
            if rel is None or rel.i > person.i + 2:
                continue
            act = rel.head if rel.head.pos_ in ("VERB", "AUX") else None
            if act is None:
                act = next((t for t in sent if t.i > rel.i and t.pos_ == "VERB"), None)
            if act is not None and act.lemma_.lower() in CLEFT_ACTS and not self.negated(be):
                return "fault", person, be
        return None

    def _sneer(self, sent: Any) -> tuple[str, Any, Any] | None:
        """A sneer beside a person: "The data team, in their infinite wisdom, renamed …", "Thanks for nothing,
        legal", "Elif's idea of a load test was …", "until Yusuf got his hands on it"."""
        match = SNEER_RE.search(sent.text)
        if match is None:
            return None
        at = sent.start_char + match.start()
        anchor = token_at(sent, at)
        window = [t for t in sent if abs(t.i - anchor.i) <= 6 and self.someone(t)]
        window = [t for t in window if _low(t) not in ("his", "her", "their")] or window
        if not window:
            return None
        return "judgment", window[0], anchor

    def _withheld(self, sent: Any) -> tuple[str, Any, Any] | None:
        """Trust withheld from a person or a minder set on them: "never give Radomir a root shell", "have
        someone senior sit beside Eulalia for every deploy". "Never give the batch job a root shell" is a rule
        for a system."""
        for verb in sent:
            lemma = verb.lemma_.lower()
            if lemma in ("give", "let", "allow", "hand") and any(_low(c) == "never" for c in verb.children):
                person = next(
                    (c for c in verb.children if c.dep_ in ("dative", "dobj", "nsubj") and self.someone(c)), None
                )
                if person is not None and person.i > verb.i:
                    return "corrective", person, verb
            if lemma == "sit":
                for prep in (c for c in verb.children if c.dep_ == "prep"):
                    objects = list(prep.children)
                    if _low(prep) == "next":
                        objects = [g for c in prep.children for g in c.children] + objects
                    if _low(prep) in ("beside", "alongside", "over", "next", "with") and any(
                        self.someone(o) for o in objects
                    ):
                        person = next(o for o in objects if self.someone(o))
                        if _low(prep) == "with" and not any(_low(t) in ("every", "each", "all") for t in sent):
                            continue
                        return "corrective", person, verb
        return None
