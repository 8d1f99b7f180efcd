"""Blame carried by how a sentence frames a person, not by a failure word (stop 29, an eighth writer's set).

The kinds, each a class of constructions tied to a person through the parse:

  damage by a person    an agent passive whose verb damages and whose agent is a person ("the index was corrupted
                        by Achieng", "the quota was burned through by the interns"); a judgment noun with a person
                        as its "by" agent ("wilful disregard of the policy by the administrator")
  habit                 a person's lapse told as a habit or with exasperation ("ships yet again without a rollback
                        plan", "leaves no notes whatsoever, as usual", "for the second year running"), and
                        insinuation beside a person ("unsurprisingly, the ones Barnaby manages")
  contrast              praise by contrast that points at others ("Unlike some people on the team, Zeynep read
                        the runbook"), a person as the standard others failed ("if everyone were as careful as X")
  duty set aside        a person doing something instead of a duty ("went to the pub instead of watching the
                        dashboards", "ran it by hand rather than following the drill")
  sanction              a person as the one sanctioned: relieved of duties for a failure, banned or barred from a
                        system, made an example of, asked to consider their position, sent to re-sit a course,
                        whether they keep their rights
  traits                a person who "can't be left alone with" a system, "can't tell staging from prod", "will
                        click anything", or whose "decision to ignore the warning" is named as the cause
  work never trusted    a person's whole work set apart: "whatever Kamau patches at midnight has to be redone",
                        and in the scope text, the scope drawn around a person ("everything Rhodri touched")

A system, a job or a bot in the person's place keeps each quiet (the parse decides who is a person), and so does an
act done as planned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from .blame_tokens import low as _low, token_at

# Verbs that damage what they act on; with a person as the agent of a passive they blame ("was corrupted by Kim").
DAMAGE = frozenset(
    {"corrupt", "wreck", "botch", "bungle", "break", "wipe", "trash", "ruin", "nuke", "butcher", "mangle", "burn"}
    | {"squander", "waste", "delete", "drop", "overwrite", "destroy", "erase", "clobber", "leak", "expose", "mess"}
    | {"screw", "fumble", "blow", "sink", "torch"}
)
# Acts done as intended: "dropped by Kim as planned" is a report, not blame.
INTENDED_RE = re.compile(
    r"\b(as (planned|scheduled|agreed|intended|documented|expected|requested)|per (the )?(runbook|plan|procedure|"
    r"checklist|ticket|change request)|according to (the )?(plan|runbook|procedure)|on purpose|deliberately "
    r"(as|per))\b",
    re.IGNORECASE,
)
# A lapse told as a habit or with exasperation.
HABIT_RE = re.compile(
    r"\b(as usual|as always|as per usual|yet again|once again|again and again|true to form|per usual|"
    r"for the (second|third|fourth|fifth|sixth|nth|umpteenth) (time|year|week|month|quarter|sprint|release)"
    r"( running| in a row)?|like nothing happened|like nothing)\b",
    re.IGNORECASE,
)
# What makes the habit a lapse: an act left out or done without its safeguard.
LAPSE_RE = re.compile(
    r"\b(without (?!(any )?(issues?|incidents?|problems?|errors?|a hitch|trouble|downtime|fuss|drama|delay|"
    r"complaint|loss|impact))|whatsoever|never|n't|not|fail(s|ed|ing)? to|no (notes?|tests?|testing|review|"
    r"ticket|rollback|plan|handover|warning|heads-up|word|docs?|documentation|announcement|sign-off)\b|"
    r"went home|goes home|walked off|walks off)",
    re.IGNORECASE,
)
# Insinuation that needs only a person beside it: "unsurprisingly, the ones Barnaby manages".
INSINUATE_RE = re.compile(
    r"\b(unsurprisingly|predictably|surprise,? surprise|(nobody|no one|no-one) (is|was) surprised|"
    r"to (nobody|no one)'?s? surprise|who could have guessed|shock(ingly)?,? horror)\b",
    re.IGNORECASE,
)
# Words that say the act went well, which keeps habit and insinuation quiet ("as usual, Kim's restore drill passed").
GOOD_RE = re.compile(
    r"\b(passed|on time|in time|early|caught|saved|recovered|restored|prevented|smoothly|cleanly|green|fine|"
    r"well|thanks|helped|clean)\b",
    re.IGNORECASE,
)
# Praise by contrast: "unlike some people on the team", "unlike certain colleagues".
CONTRAST_RE = re.compile(
    r"\bunlike (some|certain|other|most|a few) (people|folks|colleagues|members|engineers|teams?|of (us|you|them|"
    r"the team|our colleagues)|others|individuals|reviewers|people I could name)\b|\bunlike some\W",
    re.IGNORECASE,
)
# The qualities a person can be held up as the standard of.
STANDARD = frozenset(
    {"careful", "thorough", "attentive", "diligent", "conscientious", "competent", "meticulous", "rigorous"}
    | {"disciplined", "responsible", "sensible", "professional", "cautious", "organised", "organized"}
)
# Who fails a standard when one person sets it: "if everyone were as careful as Zeynep".
OTHERS = frozenset({"everyone", "everybody", "others", "rest", "all", "anyone", "anybody", "people", "colleagues"})
# Duties a person can set aside: "instead of watching the dashboards", "rather than following the drill".
DUTY_ACTS = frozenset(
    {"watch", "monitor", "follow", "read", "check", "test", "review", "escalate", "answer", "respond", "mind"}
    | {"investigate", "fix", "do", "attend", "acknowledge", "verify", "wait", "ask", "tell", "document"}
)
# Sanctions: "relieved of briefing duties for failing …", "banned from the billing box", "make an example of".
DUTIES = frozenset({"duty", "duties", "command", "role", "responsibilities", "post", "position", "rota", "roster"})
RIGHTS = frozenset({"rights", "access", "privileges", "permissions", "keys", "credentials", "role", "badge"})
REDO_COURSE = frozenset({"re-sit", "resit", "retake", "re-take", "redo", "repeat", "re-do", "re-attend"})
COURSES = frozenset({"certification", "training", "exam", "course", "induction", "onboarding", "test", "module"})
SANCTION_RE = re.compile(
    r"\bmake (an|a public|an public) example of\b|\bconsider (his|her|their) (position|future)\b|"
    r"\bmade an example of\b",
    re.IGNORECASE,
)
# Left with a system unwatched: "can't be left alone with the billing code".
UNWATCHED = frozenset({"alone", "unsupervised", "unattended", "near"})
# Acts done indiscriminately ("Perpetua will click anything", "he'll approve anything").
RASH_ACTS = frozenset({"click", "approve", "merge", "sign", "accept", "run", "deploy", "install", "open", "believe"})
RASH_ACTS |= {"ship", "push", "paste", "trust", "download", "rubber-stamp", "okay", "ok"}
# A person's choice named with the failure it led to: "Cosmin's decision to ignore the disk warning".
CHOICES = frozenset({"decision", "choice", "call", "idea", "insistence", "refusal", "failure", "reluctance"})
# Quality words that insinuate a named person lacks them: "sign-off from someone competent".
LACKED = frozenset({"competent", "sensible", "qualified", "responsible", "grown-up", "adult", "capable", "careful"})
# A standing rule, not a sanction: "each year", "as the policy requires".
ROUTINE_RE = re.compile(
    r"\b(each|every) (year|quarter|month|cycle)|\bannual(ly)?\b|\bas (the )?(policy|standard|process)\b|"
    r"\bper (the )?policy\b|\brecertif",
    re.IGNORECASE,
)
# Told, then defied: "against explicit instructions", "was told twice to wait … He shipped it anyway".
ORDERS = frozenset({"instructions", "instruction", "advice", "orders", "warnings", "warning", "guidance", "objections"})
TOLD_RE = re.compile(r"\b(told|warned|asked|instructed|ordered|reminded|advised)\b", re.IGNORECASE)
DEFIANT = frozenset({"anyway", "regardless", "nonetheless", "nevertheless", "anyhow"})
# The redo or re-check that says a person's work cannot be trusted: "has to be redone in the morning".
REDO = frozenset({"redo", "re-do", "recheck", "re-check", "undo", "revert", "reverse", "double-check", "redone"})
# The heads of a relative that gather everything a person did: "everything Rhodri touched".
TOTAL = frozenset({"everything", "whatever", "anything", "all", "lot"})
# Words that let a text hold one of these kinds; blame_grammar.candidate adds them to its cheap pre-filter.
CANDIDATE_PATTERN = (
    r"\b(?:was|were|been|got) \w+ (?:through |up )?by\b|\bas usual\b|\bas always\b|\byet again\b|\bonce again\b|"
    r"\btrue to form\b|\bunsurprisingly\b|\bpredictably\b|\bsurprised\b|\bunlike\b|\bas (?:careful|thorough|"
    r"attentive|diligent|conscientious|competent|meticulous|rigorous|disciplined|responsible|sensible|professional|"
    r"cautious|organi[sz]ed) as\b|\binstead of\b|\brather than\b|\brelieved? of\b|\b(?:banned|barred|ban|bar) from\b|"
    r"\bexample of\b|\bposition\b|\bre-?sit|\bretake|\bwhatever\b|\beverything\b|\brunning\b|\bin a row\b|"
    r"\bagainst (?:\w+ )?(?:instructions|advice|orders|warnings|guidance)\b|\banyway\b|\bregardless\b|\balone\b|\bunsupervised\b|\btell \w+ from\b|\b(?:will|'ll) \w+ (?:anything|everything)\b|\bdecision to\b|"
    r"\b(?:someone|somebody|anyone|anybody) (?:competent|sensible|qualified|responsible|grown-up|adult|capable)\b"
)


class Framing:
    """The kinds above over a parsed doc; who is a person comes from the main matcher."""

    def __init__(
        self,
        someone: Callable[[Any], bool],
        person_subject: Callable[[Any], Any | None],
        negated: Callable[[Any], bool],
        judging: frozenset[str],
        failing: frozenset[str] = frozenset(),
    ) -> None:
        self.someone = someone
        self.person_subject = person_subject
        self.negated = negated
        self.judging = judging
        self.failing = failing

    def hits(self, doc: Any, place: str = "narrative") -> Iterator[tuple[str, Any, Any]]:
        for sent in doc.sents:
            if INTENDED_RE.search(sent.text):
                continue
            for found in (
                self._damage_by(sent),
                self._habit(sent),
                self._contrast(sent),
                self._duty_set_aside(sent),
                self._sanction(sent),
                self._work_untrusted(sent, place),
                self._trait(sent),
                self._defiance(sent),
            ):
                if found is not None:
                    yield found
                    break

    def _agent(self, verb: Any) -> Any | None:
        """The person a passive verb's "by" names: "corrupted by Achieng", "burned through by the interns"."""
        for prep in verb.children:
            if prep.dep_ == "agent" or (prep.dep_ == "prep" and _low(prep) == "by"):
                for obj in prep.children:
                    if obj.dep_ == "pobj" and self.someone(obj):
                        return obj
                    if obj.dep_ == "pobj":
                        owner = next((c for c in obj.children if c.dep_ == "poss" and self.someone(c)), None)
                        if owner is not None and _low(obj) not in ("script", "job", "bot", "tool", "pipeline"):
                            return owner
        return None

    # ------------------------------------------------------------------ damage by a person
    def _damage_by(self, sent: Any) -> tuple[str, Any, Any] | None:
        for word in sent:
            lemma = word.lemma_.lower()
            if word.pos_ == "VERB" and lemma in DAMAGE and any(c.dep_ == "auxpass" for c in word.children):
                person = self._agent(word)
                if person is not None and not self.negated(word):
                    return "failure", person, word
            if word.pos_ == "NOUN" and (lemma in self.judging or _low(word) in self.judging):
                person = self._agent(word)
                if person is None:
                    # "wilful disregard of the policy by the administrator": the judgment sits on the head noun
                    head = word.head if word.dep_ == "amod" else None
                    person = self._agent(head) if head is not None else None
                if person is not None:
                    return "judgment", person, word
            if word.pos_ == "ADJ" and (_low(word) in self.judging) and word.dep_ == "amod":
                person = self._agent(word.head)
                if person is not None:
                    return "judgment", person, word
        return None

    # ------------------------------------------------------------------ habit and insinuation
    def _people(self, sent: Any) -> list[Any]:
        return [t for t in sent if self.someone(t)]

    def _habit(self, sent: Any) -> tuple[str, Any, Any] | None:
        text = sent.text
        habit = HABIT_RE.search(text)
        if habit is not None and LAPSE_RE.search(text) and not GOOD_RE.search(text):
            for verb in sent:
                if verb.pos_ not in ("VERB", "AUX"):
                    continue
                person = self.person_subject(verb)
                if person is not None and self.someone(person):
                    return "judgment", person, verb
        insinuate = INSINUATE_RE.search(text)
        if insinuate is not None and not GOOD_RE.search(text):
            people = self._people(sent)
            if people:
                at = sent.start_char + insinuate.start()
                anchor = token_at(sent, at)
                return "judgment", people[0], anchor
        return None

    # ------------------------------------------------------------------ contrast
    def _contrast(self, sent: Any) -> tuple[str, Any, Any] | None:
        match = CONTRAST_RE.search(sent.text)
        if match is not None:
            at = sent.start_char + match.start()
            anchor = token_at(sent, at)
            people = self._people(sent)
            if people:
                return "judgment", people[0], anchor
        for adj in sent:
            if _low(adj) not in STANDARD or adj.pos_ != "ADJ":
                continue
            # "as careful as Zeynep": the second "as" hangs off the adjective (or its first "as") with the person
            standard = [
                o
                for a in (adj, *adj.children)
                for p in a.children
                if p.dep_ == "prep" and _low(p) == "as"
                for o in p.children
                if o.dep_ == "pobj" and self.someone(o)
            ]
            if not standard:
                continue
            words = {_low(t) for t in sent}
            counterfactual = bool(words & {"if", "were", "had", "would", "'d", "wish", "only"})
            if counterfactual or words & OTHERS:
                return "judgment", standard[0], adj
        return None

    # ------------------------------------------------------------------ a duty set aside
    def _duty_set_aside(self, sent: Any) -> tuple[str, Any, Any] | None:
        for word in sent:
            if _low(word) not in ("of", "than") or word.i == 0:
                continue
            before = _low(word.doc[word.i - 1])
            if (before, _low(word)) not in (("instead", "of"), ("rather", "than")):
                continue
            duty = next(
                (t for t in sent[word.i - sent.start + 1 :] if t.tag_ == "VBG" or t.pos_ == "VERB"),
                None,
            )
            if duty is None or duty.lemma_.lower() not in DUTY_ACTS or duty.i - word.i > 3:
                continue
            verb = word.doc[word.i - 1].head
            for _ in range(3):
                if verb.pos_ in ("VERB", "AUX"):
                    break
                verb = verb.head
            person = self.person_subject(verb) if verb.pos_ in ("VERB", "AUX") else None
            if person is not None and self.someone(person) and not self.negated(verb):
                return "failure", person, duty
        return None

    # ------------------------------------------------------------------ sanctions
    def _sanction(self, sent: Any) -> tuple[str, Any, Any] | None:
        match = SANCTION_RE.search(sent.text)
        if match is not None:
            at = sent.start_char + match.start()
            anchor = token_at(sent, at)
            people = self._people(sent) or [t for t in sent if _low(t) in ("them", "him", "her")]
            if people:
                return "corrective", people[0], anchor
        for verb in sent:
            lemma = verb.lemma_.lower()
            low = _low(verb)
            if lemma in ("relieve", "ban", "bar", "strip", "suspend") and verb.pos_ == "VERB":
                person = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and self.someone(c)), None)
                if person is None:
                    person = self.person_subject(verb)
                    person = person if person is not None and self.someone(person) else None
                # no person found: no prep matches, and the "for <failing>" fallback below still looks
                preps = {_low(c): c for c in verb.children if c.dep_ == "prep"} if person is not None else {}
                if lemma in ("ban", "bar") and "from" in preps:
                    return "corrective", person, verb
                if lemma in ("relieve", "strip") and "of" in preps:
                    reason = preps.get("for")
                    objects = {_low(o) for o in preps["of"].children}
                    if reason is not None or objects & (DUTIES | RIGHTS) and lemma == "strip":
                        return "corrective", person, verb
                if lemma == "suspend" and person is not None:
                    return "corrective", person, verb
            if (
                lemma in ("relieve", "strip")
                and verb.pos_ == "VERB"
                and any(_low(c) == "for" and any(g.tag_ == "VBG" for g in c.children) for c in verb.subtree)
            ):
                # "the section lead to be relieved of briefing duties for failing …": the parse may misread the
                # person's noun as a verb, so the nearest person before the verb counts
                near = [t for t in sent if verb.i - 5 <= t.i < verb.i and self.someone(t)]
                if near:
                    return "corrective", near[-1], verb
            if lemma in ("supervise", "chaperone", "babysit", "shadow", "oversee") and any(
                c.dep_ == "auxpass" for c in verb.children
            ):
                # one named person put under another's watch: "the resident to be supervised by an attending"
                watched = next((c for c in verb.children if c.dep_ == "nsubjpass" and self.someone(c)), None)
                single = watched is not None and (
                    watched.tag_ in ("NNP", "NN")
                    and any(_low(d) == "the" for d in watched.children)
                    or watched.tag_ == "NNP"
                )
                if single and self._agent(verb) is not None:
                    return "corrective", watched, verb
            if lemma in ("sit", "take", "do", "attend") and verb.i >= 2 and verb.doc[verb.i - 1].text == "-":
                if _low(verb.doc[verb.i - 2]) == "re" and any(
                    o.dep_ == "dobj" and _low(o) in COURSES for o in verb.children
                ):
                    near = [t for t in sent if verb.i - 5 <= t.i < verb.i - 2 and self.someone(t)]
                    if near and self._singled_out(near[-1], sent):
                        return "corrective", near[-1], verb  # "have the night crew re-sit their certification"
            if low in REDO_COURSE or lemma in REDO_COURSE:
                courses = [o for o in verb.children if o.dep_ == "dobj" and _low(o) in COURSES]
                person = self.person_subject(verb)
                if courses and person is not None and self.someone(person) and self._singled_out(person, sent):
                    return "corrective", person, verb
            if lemma in ("keep", "retain", "lose") and any(
                o.dep_ == "dobj" and _low(o) in RIGHTS for o in verb.children
            ):
                person = self.person_subject(verb)
                judged = any(_low(t) in ("whether", "should") for t in sent)
                if person is not None and self.someone(person) and judged:
                    return "corrective", person, verb
        return None

    @staticmethod
    def _singled_out(person: Any, sent: Any) -> bool:
        """A course retaken by someone singled out ("the night crew", "Kim"), not a standing rule for everyone
        ("Engineers retake the security training each year, as the policy requires")."""
        if ROUTINE_RE.search(sent.text):
            return False
        return person.tag_ == "NNP" or any(c.dep_ in ("det", "poss") for c in person.children)

    # ------------------------------------------------------------------ a person's work set apart
    def _work_untrusted(self, sent: Any, place: str) -> tuple[str, Any, Any] | None:
        if place == "scope":
            # the small parser often hangs "Everything" off the name: "Everything Ottokar deployed on the 14th"
            for person in sent:
                if person.dep_ == "nsubj" and self.someone(person) and person.head.pos_ == "VERB":
                    if any(_low(c) in TOTAL and c.i < person.i for c in person.children):
                        return "fault", person, person.head
        for head in sent:
            if _low(head) not in TOTAL:
                continue
            redo = [t for t in sent if t.i > head.i and (t.lemma_.lower() in REDO or _low(t) in REDO)]
            after = head.doc[head.i + 1] if head.i + 1 < sent.end else None
            if redo and after is not None and self.someone(after) and after.dep_ in ("compound", "nsubj"):
                # the small parser reads "whatever Lena merges" as a noun phrase: the name right after the
                # free relative's head, and a redo under "to be", still make the habit
                if _low(head.doc[redo[0].i - 1]) in ("be", "been"):
                    return "judgment", after, redo[0]
            for rel in head.children:
                if rel.dep_ not in ("relcl", "acl") or rel.pos_ not in ("VERB", "AUX"):
                    continue
                person = next((c for c in rel.children if c.dep_ == "nsubj" and self.someone(c)), None)
                if person is None:
                    continue
                if place == "scope":
                    return "fault", person, rel  # the scope drawn around a person: "everything Rhodri touched"
                main = head.head
                redo = [t for t in sent if t.lemma_.lower() in REDO or _low(t) in REDO]
                if redo and main.pos_ in ("VERB", "AUX") and rel.tag_ in ("VBZ", "VBP"):
                    return "judgment", person, redo[0]  # a habit: "whatever Kamau patches … has to be redone"
        return None

    # ------------------------------------------------------------------ traits
    def _trait(self, sent: Any) -> tuple[str, Any, Any] | None:
        for verb in sent:
            lemma = verb.lemma_.lower()
            person = None
            if verb.pos_ in ("VERB", "AUX"):
                subject = self.person_subject(verb)
                person = subject if subject is not None and self.someone(subject) else None
            modal_not = any(c.dep_ == "neg" for c in verb.children) and any(
                _low(c) in ("ca", "can", "cannot", "could") for c in verb.children
            )
            if person is not None and lemma in ("leave", "trust") and modal_not:
                if any(_low(c) in UNWATCHED for c in verb.children):
                    return "judgment", person, verb  # "Solveig can't be left alone with the billing code"
            if person is not None and lemma == "tell" and modal_not:
                if any(_low(g) == "from" for c in verb.children for g in c.subtree):
                    return "judgment", person, verb  # "Cosmin can't tell staging from prod"
            if (
                person is not None
                and lemma in RASH_ACTS
                and any(_low(c) in ("will", "'ll", "would") for c in verb.children)
            ):
                if any(c.dep_ == "dobj" and _low(c) in ("anything", "everything", "whatever") for c in verb.children):
                    return "judgment", person, verb  # "Perpetua will click anything"
            if verb.pos_ == "NOUN" and _low(verb) in CHOICES and verb.dep_ in ("pobj", "nsubj", "attr", "dobj"):
                owner = next((c for c in verb.children if c.dep_ == "poss" and self.someone(c)), None)
                act = next((c for c in verb.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"), None)
                if owner is not None and act is not None and act.lemma_.lower() in self.failing:
                    return "failure", owner, act  # "But for Cosmin's decision to ignore the disk warning"
            if _low(verb) in ("someone", "somebody", "anyone", "anybody") and any(
                _low(c) in LACKED and c.i > verb.i for c in verb.children
            ):
                people = [t for t in sent if self.someone(t) and t.i != verb.i]
                if people:
                    return "judgment", people[0], verb  # "Thaddeus must get sign-off from someone competent"
        return None

    # ------------------------------------------------------------------ told, then defied
    def _defiance(self, sent: Any) -> tuple[str, Any, Any] | None:
        for person in sent:
            # the parenthetical hangs off the subject: "Rafael, against explicit instructions, re-enables …"
            if person.dep_ == "nsubj" and self.someone(person):
                for prep in person.children:
                    if (
                        prep.dep_ == "prep"
                        and _low(prep) == "against"
                        and any(_low(o) in ORDERS for o in prep.children)
                    ):
                        return "failure", person, prep
        for verb in sent:
            if verb.pos_ not in ("VERB", "AUX"):
                continue
            against = [
                c
                for c in verb.children
                if c.dep_ == "prep" and _low(c) == "against" and any(_low(o) in ORDERS for o in c.children)
            ]
            defiant = [c for c in verb.children if c.dep_ == "advmod" and _low(c) in DEFIANT]
            if not against and not defiant:
                continue
            person = self.person_subject(verb)
            if person is None or not self.someone(person) and _low(person) not in ("he", "she"):
                continue
            if against:
                return "failure", person, against[0]  # "Rafael, against explicit instructions, re-enables …"
            before = sent.doc[sent.start - 1].sent if sent.start > 0 else None
            told = TOLD_RE.search(sent.text[: defiant[0].idx - sent.start_char])
            if told is not None or before is not None and TOLD_RE.search(before.text):
                return "failure", person, defiant[0]  # "Eamon was told twice to wait. He shipped it anyway."
        return None
