"""The blameless reframe each blame finding offers, built from the sentence it flags.

The method asks for the question "what allowed this?" in place of "who did this?". A reframe names the
sentence's own topic (the rollout, the disk alerts, the key) and, where the sentence holds one, the act the
process relied on a person for ("someone checking the quota dashboard by hand"), so the author can rewrite
the sentence rather than delete it. The topic is the act's object, or else the first noun phrase that is
neither the person nor a word of the idiom ("made a complete mess of the cutover" -> "the cutover").
"""

from __future__ import annotations

from typing import Any

from .blame_people import name_shaped

# Words of idioms and fillers that are never the topic of a sentence.
_NOT_TOPICS = frozenset(
    {
        "mess",
        "hash",
        "muddle",
        "shambles",
        "corner",
        "corners",
        "shortcut",
        "shortcuts",
        "eye",
        "eyes",
        "ball",
        "baton",
        "gun",
        "wheel",
        "switch",
        "helm",
        "depth",
        "head",
        "idea",
        "clue",
        "leash",
        "hands",
        "responsibility",
        "ownership",
        "blame",
        "fall",
        "heat",
        "care",
        "attention",
        "mistake",
        "accident",
        "error",
        "nothing",
        "anything",
        "something",
        "everything",
        "it",
        "them",
        "this",
        "that",
        "one",
        "time",
        "scope",
        "lesson",
        "review",
        "anyone",
        "someone",
        "way",
        "cause",
        "root",
        "job",
        "task",
        "bed",
        "sleep",
    }
)
# Verbs that carry no act of their own: the act is their complement ("bothered to check", "managed to delete").
_LIGHT = frozenset({"be", "have", "do", "bother", "try", "manage", "remember", "fail", "start", "need", "get"})
_LIGHT |= {"seem", "appear", "go", "make", "let", "take", "know", "think", "care", "suppose", "expect", "mean"}
_LIGHT |= {"rely", "count", "depend", "put", "sit", "keep", "want"}


def _text(token: Any) -> str:
    """A token's whole phrase as written (the subtree's span, not tokens joined by spaces)."""
    doc = token.doc
    return str(doc[token.left_edge.i : token.right_edge.i + 1].text)


# Words the small parser hangs off a name that are not part of it ("Everything Ottokar deployed").
_NOT_NAME_PARTS = frozenset({"everything", "anything", "whatever", "everyone", "anyone", "all", "whoever", "only"})


def _who(person: Any | None, matcher: Any = None) -> str:
    """The person as the sentence names them: "the release manager" -> "release manager", "Kim".

    A word the grammar knows as a failure, judgment or corrective word is never part of the name: the parser
    sometimes reads an imperative as a compound ("Retrain Kim" -> "Kim"). A capitalised word keeps its case
    unless it opens the sentence (a role noun: "Platform crew merges..." -> "platform crew")."""
    if person is None:
        return "a person"
    classify = getattr(matcher, "word_class", None)
    parts = [
        c.text
        for c in person.lefts
        if c.dep_ in ("compound", "amod")
        and c.pos_ != "ADJ"
        and c.lower_ not in _NOT_NAME_PARTS
        and not (classify is not None and classify(c))
    ]
    opens = person.i == person.sent.start and not parts
    words_of = getattr(matcher, "words", None)
    looks_named = words_of is not None and name_shaped(person, words_of, relaxed=True)
    named = person.pos_ == "PROPN" or person.ent_type_ == "PERSON" or looks_named
    named = named or person.text[:1].isupper() and not opens
    name = person.text if named or person.text.isupper() else person.lower_
    words = " ".join([*parts, name])
    return "the person" if words.lower() in ("who", "whoever", "that", "person") else words


# Word classes (blame_grammar.word_class) whose word is itself the judgment, worth quoting back to the author.
_JUDGING_CLASSES = frozenset({"JUDGE", "EFFORT", "FAIL", "FAULT", "ERROR", "DUTY"})


def _quotable(anchor: Any, matcher: Any) -> bool:
    """Whether the anchor word is the judgment itself ("sloppy", "dithering"), not a verb or filler near it."""
    classify = getattr(matcher, "word_class", None)
    if classify is not None and classify(anchor) in _JUDGING_CLASSES:
        return True
    if anchor.i > 0 and anchor.doc[anchor.i - 1].text in ("'", '"', "\u2018", "\u201c"):
        return True  # a scare-quoted word: 'simplified'
    return anchor.pos_ in ("ADJ", "NOUN") and not anchor.is_stop and anchor.lower_ not in _NOT_TOPICS


# Words that make any sentence holding them a sanction ("make an example of them").
_PLAIN_SANCTIONS = frozenset(
    {"example", "ban", "relieve", "discipline", "reprimand", "punish", "demote", "fire", "dismiss", "suspend"}
)
# Acts aimed at a person's standing, never something the tooling could do in their place.
_SANCTIONS = frozenset(
    {
        "relieve",
        "ban",
        "bar",
        "suspend",
        "fire",
        "dismiss",
        "discipline",
        "reprimand",
        "warn",
        "retain",
        "consider",
        "resign",
        "sit",
        "re-sit",
        "resit",
        "retrain",
        "coach",
        "identify",
        "punish",
        "demote",
        "revoke",
        "name",
        "shame",
        "exclude",
        "example",
        "sanction",
        "terminate",
        "let",
        "replace",
        "keep",
    }
)


def _act(anchor: Any) -> Any | None:
    """The verb whose act the sentence is about, past light verbs ("bothered to read" -> read)."""
    verb = anchor if anchor.pos_ in ("VERB", "AUX") else anchor.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    for _ in range(3):
        if verb.lemma_.lower() not in _LIGHT:
            break
        nxt = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"), None)
        if nxt is None:
            break
        verb = nxt
    return verb


def _good(token: Any, person: Any | None) -> bool:
    if token.lower_ in _NOT_TOPICS or token.lemma_.lower() in _NOT_TOPICS or token.pos_ in ("PRON", "NUM"):
        return False
    if person is not None and (token.i == person.i or token.ent_type_ == "PERSON"):
        return False
    return not (token.ent_type_ in ("TIME", "DATE", "CARDINAL"))


def _object(verb: Any | None, person: Any | None) -> tuple[str, str]:
    """The act's object and the preposition that introduces it, if any ("look at the report")."""
    if verb is None:
        return "", ""
    for child in verb.children:
        if child.dep_ in ("dobj", "attr", "nsubjpass") and _good(child, person):
            return _text(child), ""
    for child in verb.children:
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and _good(pobj, person):
                    return _text(pobj), child.lower_
    return "", ""


def _lower_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if rest and first in ("The", "A", "An", "This", "That", "Our") else text


def topic(sent: Any, anchor: Any, person: Any | None) -> str:
    """What the sentence is about: the act's object, else the first fitting noun phrase after the anchor,
    else any fitting noun phrase, else "this step"."""
    return _lower_article(_topic(sent, anchor, person))


def _topic(sent: Any, anchor: Any, person: Any | None) -> str:
    found, _ = _object(_act(anchor), person)
    if found and len(found) <= 60:
        return found
    chunks = [c for c in sent.noun_chunks if _good(c.root, person) and c.root.lower_ not in _NOT_TOPICS]
    chunks = [c for c in chunks if not (person is not None and c.start <= person.i < c.end)]
    later = [c for c in chunks if c.start > anchor.i]
    for chunk in later or chunks:
        text = str(chunk.text)
        if len(text) <= 60:
            return text
    return "this step"


def gerund(lemma: str) -> str:
    if lemma == "be":
        return "being"
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    vowels = "aeiou"
    if (
        len(lemma) <= 4
        and len(lemma) >= 3
        and lemma[-1] not in vowels + "wxy"
        and lemma[-2] in vowels
        and lemma[-3] not in vowels
    ):
        return lemma + lemma[-1] + "ing"  # run -> running, stop -> stopping, ship -> shipping
    return lemma + "ing"


def reframe(kind: str, sent: Any, anchor: Any, person: Any | None, matcher: Any = None) -> str:
    """A blameless rewrite prompt built from the sentence itself."""
    who = _who(person, matcher)
    about = topic(sent, anchor, person)
    verb = _act(anchor)
    lemma = verb.lemma_.lower() if verb is not None else ""
    _, prep = _object(verb, person)
    own_act = (
        bool(lemma) and lemma not in _LIGHT and not (kind == "judgment" and verb is not None and verb.i == anchor.i)
    )
    target = f"{prep} {about}" if prep and own_act else about
    doing = f"{gerund(lemma)} {target}" if own_act else f"checking {about}"
    base = f"{lemma} {target}" if own_act else f"check {about}"
    if kind == "counterfactual":
        return (
            f'Instead of what {who} could have done, name what the process relied on: "The process relied on '
            f'someone {doing} by hand; nothing checked it automatically." Then ask what would make that check '
            "automatic."
        )
    if kind == "failure":
        return (
            f'Ask what allowed {about} to go wrong rather than who: "What allowed {about} to go wrong, and what '
            f'would have caught it?" Describe the missing control (no canary, no review step, an unsafe default) '
            f"instead of {who}."
        )
    if kind == "judgment":
        judged = f'the judgment "{anchor.text}"' if _quotable(anchor, matcher) else "the judgment"
        return (
            f"Drop {judged} of {who} and describe the conditions that made {about} hard to "
            f'get right (load, fatigue, alert noise, unclear ownership, missing tooling), e.g. "The process relied '
            f'on someone {doing} with no check or prompt."'
        )
    sanction = lemma in _SANCTIONS or lemma.rpartition("-")[2] in _SANCTIONS
    if kind == "corrective" and (sanction or any(t.lemma_.lower() in _PLAIN_SANCTIONS for t in sent)):
        return (
            f"This action corrects {who}, not the system, and a sanction teaches people to hide the next slip. Ask "
            "what would make the step safe for whoever is on shift (a guard, a default or a required review in the "
            "tool), so nobody has to remember it."
        )
    if kind == "corrective" and not own_act:
        return (
            f"This action corrects {who}, not the system. Ask what would make {about} safe for whoever is on "
            "shift: a guard, a default or a required review in the tool, so nobody has to remember it."
        )
    if kind == "corrective":
        return (
            f"This action corrects {who}, not the system. Ask what would make the step safe for whoever is on "
            f'shift: "Make the tooling {base} automatically" (a guard, a default, a required review in the '
            "tool), so nobody has to remember it."
        )
    if kind == "person-centred":
        return (
            f"Retell it from the system's side: what did {who} see and know at the time, and what allowed "
            f'{about} to go wrong? e.g. "The process relied on someone {doing}; nothing checked it or made it '
            'safe." Then name the control that would hold for whoever is on shift.'
        )
    if kind == "fault":
        return (
            f'Move the fault from {who} to the system: "What allowed {about} to happen?" Name the condition, '
            "incentive or missing control, and list people only by role as actors in the timeline."
        )
    lefts = [t for t in anchor.lefts if t.dep_ in ("compound", "amod", "poss", "case")]
    named = anchor.doc[lefts[0].left_edge.i : anchor.i + 1].text if lefts else anchor.text
    return (
        f'Replace "{named.strip()}" with what the system allowed: "What allowed {about} to go wrong? The tooling '
        'permitted …" (human error is where the investigation starts, not where it ends).'
    )
