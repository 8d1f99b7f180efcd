"""Clause shapes that blame with no failure verb of their own: idioms, unmet duties, a person's work judged.

A second writer's sentences showed where the word-level grammar stops: blame carried by an idiom ("made a
complete mess of the cutover", "asleep at the wheel", "cut corners"), by a duty and its absence ("was
supposed to rotate the key and didn't", "was told twice and did nothing", "knew … and flipped it
anyway"), by a person's work with a failing word on it ("Lena's failed rollout"), by an act done without
the step that protects others ("left without telling anyone"), by taking the fall ("needs to take
responsibility for the outage"), by asking a person for care ("must start treating credentials with
some care"), by watching a person ("so someone can check her") and by withdrawn trust ("never again
trust Marcus with …", "not safe in the hands of the data team").

Each shape is a class of English constructions, matched by spaCy's Matcher over lemmas and then tied to
a person through the dependency tree (the caller's `person_subject`/`person_of`, which know people.toml,
the role classes and unknown names). The same constructions about a system are not findings: "the
autoscaler let the queue back up", "the job exited without telling anyone", "the key was supposed to
rotate".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from .blame_tokens import low as _low, token_at

# Idioms of failure or negligence, by lemma; "?" words are optional.
# What a person can sit on: "Procurement sat on the GPU order for six weeks".
REQUESTS = frozenset(
    {"order", "request", "ticket", "pr", "review", "fix", "approval", "escalation", "patch", "purchase", "invoice"}
    | {"agreement", "contract", "cve", "report", "decision", "sign-off"}
)
IDIOMS: dict[str, list[list[dict[str, Any]]]] = {
    "mess-of": [
        [
            {"LEMMA": "make"},
            {"LOWER": {"IN": ["a", "an"]}, "OP": "?"},
            {"LOWER": {"IN": ["complete", "total", "real", "right", "proper", "bit", "of"]}, "OP": "*"},
            {"POS": "ADJ", "OP": "*"},
            {"LOWER": {"IN": ["mess", "hash", "hames", "muddle", "shambles", "mockery", "pig's", "dog's", "guddle"]}},
        ],
        # "made an absolute dog's breakfast of", "a right pig's ear of" ('s split off by the tokenizer)
        [
            {"LEMMA": "make"},
            {"LOWER": {"IN": ["a", "an"]}, "OP": "?"},
            {"LOWER": {"IN": ["complete", "total", "real", "right", "proper", "bit", "of"]}, "OP": "*"},
            {"POS": "ADJ", "OP": "*"},
            {"LOWER": {"IN": ["dog", "pig"]}},
            {"LOWER": {"IN": ["'s", "’s"]}},
            {"LOWER": {"IN": ["breakfast", "dinner", "ear"]}},
        ],
    ],
    "asleep-at": [
        [{"LOWER": {"IN": ["asleep", "sleeping", "dozing"]}}, {"LOWER": {"IN": ["at", "on"]}}, {"LOWER": "the"}]
    ],
    "cut-corners": [
        [
            {"LEMMA": "cut"},
            {"LOWER": {"IN": ["any", "every", "a", "some", "whatever"]}, "OP": "?"},
            {"LOWER": {"IN": ["corners", "corner"]}},
        ]
    ],
    "take-shortcuts": [
        [
            {"LEMMA": "take"},
            {"LOWER": {"IN": ["any", "every", "whatever"]}, "OP": "?"},
            {"LOWER": {"IN": ["shortcuts", "short-cuts", "shortcut"]}},
        ]
    ],
    # "The outage was entirely Yusuf's doing" (stop 27)
    "ones-doing": [[{"LOWER": {"IN": ["'s", "’s"]}}, {"LOWER": "doing", "DEP": "attr"}]],
    "eye-off": [[{"LOWER": {"IN": ["eye", "eyes"]}}, {"LOWER": "off"}, {"LOWER": "the"}, {"LOWER": "ball"}]],
    "phone-in": [[{"LEMMA": {"IN": ["phone", "mail"]}}, {"LOWER": "it"}, {"LOWER": "in"}]],
    "jump-gun": [[{"LEMMA": "jump"}, {"LOWER": "the"}, {"LOWER": "gun"}]],
    "drop-ball": [[{"LEMMA": "drop"}, {"LOWER": "the"}, {"LOWER": {"IN": ["ball", "baton"]}}]],
    "back-to-sleep": [[{"LEMMA": "go"}, {"LOWER": "back"}, {"LOWER": "to"}, {"LOWER": {"IN": ["sleep", "bed"]}}]],
    "wing-it": [[{"LEMMA": "wing"}, {"LOWER": "it"}]],
    "fast-loose": [[{"LEMMA": "play"}, {"LOWER": "fast"}, {"LOWER": "and"}, {"LOWER": "loose"}]],
    "out-of-depth": [
        [
            {"LOWER": "out"},
            {"LOWER": "of"},
            {"LOWER": {"IN": ["his", "her", "their", "my", "your"]}},
            {"LOWER": "depth"},
        ]
    ],
    "over-head": [
        [
            {"LOWER": "in"},
            {"LOWER": "over"},
            {"LOWER": {"IN": ["his", "her", "their", "my", "your"]}},
            {"LOWER": "head"},
        ]
    ],
    "no-idea-how": [
        [{"LEMMA": "have"}, {"LOWER": "no"}, {"LOWER": {"IN": ["idea", "clue"]}}, {"LOWER": {"IN": ["how", "what"]}}]
    ],
    "blind-eye": [[{"LEMMA": "turn"}, {"LOWER": "a"}, {"LOWER": "blind"}, {"LOWER": "eye"}]],
    "head-in-sand": [[{"LOWER": "head"}, {"LOWER": "in"}, {"LOWER": "the"}, {"LOWER": "sand"}]],
    "other-way": [[{"LEMMA": "look"}, {"LOWER": "the"}, {"LOWER": "other"}, {"LOWER": "way"}]],
    "lift-finger": [[{"LEMMA": "lift"}, {"LOWER": "a"}, {"LOWER": "finger"}]],
    "pass-buck": [[{"LEMMA": "pass"}, {"LOWER": "the"}, {"LOWER": "buck"}]],
    "go-rogue": [[{"LEMMA": "go"}, {"LOWER": {"IN": ["rogue", "cowboy"]}}]],
    "shoot-hip": [[{"LEMMA": "shoot"}, {"LOWER": "from"}, {"LOWER": "the"}, {"LOWER": "hip"}]],
    "half-ass": [[{"LOWER": {"IN": ["half-assed", "half-ass", "half-arsed", "half-arse"]}}]],
    "not-up-to": [[{"LOWER": "up"}, {"LOWER": "to"}, {"LOWER": "the"}, {"LOWER": {"IN": ["job", "task"]}}]],
    "no-idea-what": [
        [
            {"LOWER": "no"},
            {"LOWER": {"IN": ["idea", "clue"]}},
            {"LOWER": "what"},
            {"OP": "?"},
            {"LEMMA": "be"},
            {"LOWER": "doing"},
        ]
    ],
    "brush-off": [
        [
            {"LEMMA": {"IN": ["shrug", "brush", "laugh", "wave", "blow", "wave", "fob"]}},
            {"LOWER": {"IN": ["it", "them", "this", "that", "the", "us", "me", "him", "her", "everyone"]}, "OP": "?"},
            {
                "LOWER": {"IN": ["warning", "warnings", "alert", "alerts", "report", "reports", "concern", "concerns"]},
                "OP": "?",
            },
            {"LOWER": {"IN": ["off", "away", "aside"]}},
        ]
    ],
    "know-better": [
        [
            {"LEMMA": {"IN": ["think", "believe"]}},
            {"LOWER": {"IN": ["he", "she", "they"]}},
            {"LEMMA": "know"},
            {"LOWER": "better"},
        ]
    ],
    "care-more": [[{"LEMMA": "care"}, {"LOWER": {"IN": ["more", "less"]}}, {"LOWER": "about"}]],
    "went-quiet": [[{"LEMMA": "go"}, {"LOWER": {"IN": ["quiet", "silent", "dark", "missing", "awol", "walkabout"]}}]],
    "too-proud": [
        [
            {"LOWER": "too"},
            {"LOWER": {"IN": ["proud", "stubborn", "arrogant", "lazy", "careless", "impatient", "complacent", "vain"]}},
            {"LOWER": "to"},
        ]
    ],
    "grow-up": [
        [{"LEMMA": "grow"}, {"LOWER": "up"}],
        [{"LEMMA": "get"}, {"LOWER": {"IN": ["his", "her", "their", "your"]}}, {"LOWER": "act"}, {"LOWER": "together"}],
        [{"LEMMA": "pull"}, {"LOWER": {"IN": ["his", "her", "their", "your"]}}, {"LOWER": {"IN": ["socks", "finger"]}}],
        [{"LEMMA": "shape"}, {"LOWER": "up"}],
    ],
    # stop 27 (heldout6's registers): waving work through, sitting on a request, dragging feet, a person's
    # "not finest hour", work "charitably described as …", letting everyone down.
    "wave-through": [
        [
            {"LEMMA": "wave"},
            {"OP": "{0,4}", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["off", "away"]}},
            {"LOWER": "through"},
        ]
    ],
    "sit-on": [
        [
            {"LEMMA": "sit"},
            {"LOWER": "on"},
            {"LOWER": {"IN": ["the", "a", "an", "our", "their", "his", "her", "that", "this"]}, "OP": "?"},
            {"OP": "{0,2}", "IS_PUNCT": False},
            {"LEMMA": {"IN": sorted(REQUESTS)}},
        ]
    ],
    "drag-feet": [
        [{"LEMMA": "drag"}, {"LOWER": {"IN": ["his", "her", "their", "its", "our", "your"]}}, {"LOWER": "feet"}],
        [{"LOWER": {"IN": ["foot-dragging", "feet-dragging"]}}],
    ],
    "finest-hour": [[{"LOWER": "not"}, {"OP": "{1,3}", "IS_PUNCT": False}, {"LOWER": "finest"}, {"LOWER": "hour"}]],
    "charitably": [[{"LOWER": "charitably"}, {"OP": "?"}, {"LEMMA": {"IN": ["describe", "call", "say", "term"]}}]],
    "let-down": [
        [
            {"LEMMA": "let"},
            {"LOWER": {"IN": ["everyone", "everybody", "us", "the", "our", "customers", "users"]}},
            {"LOWER": {"IN": ["team", "customers", "users", "side"]}, "OP": "?"},
            {"LOWER": "down"},
        ]
    ],
    "test-in-prod": [[{"LEMMA": "test"}, {"LOWER": {"IN": ["in", "on"]}}, {"LOWER": {"IN": ["production", "prod"]}}]],
    "phone-silent": [
        [
            {"LOWER": {"IN": ["phone", "pager", "laptop"]}},
            {"LOWER": "on"},
            {"LOWER": {"IN": ["silent", "mute", "dnd", "do-not-disturb", "vibrate"]}},
        ]
    ],
    "treat-as": [
        [
            {"LEMMA": "treat"},
            {"OP": "*", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["as", "."]}},
            {"LOWER": "as"},
            {"LOWER": {"IN": ["optional", "a", "an"]}},
            {"LOWER": {"IN": ["formality", "suggestion", "afterthought", "nuisance", "noise", "optional"]}, "OP": "?"},
        ],
        # "treat production like their personal sandbox" (stop 25)
        [
            {"LEMMA": "treat"},
            {"OP": "*", "IS_PUNCT": False, "LOWER": {"NOT_IN": ["like", "."]}},
            {"LOWER": "like"},
            {"LOWER": {"IN": ["their", "his", "her", "a", "an"]}},
            {"LOWER": {"IN": ["own", "personal", "private"]}, "OP": "*"},
            {"LOWER": {"IN": ["sandbox", "playground", "toy", "plaything", "lab"]}},
        ],
    ],
}
# Idioms that judge the person's character or competence rather than name a failed act.
JUDGING_IDIOMS = frozenset({"too-proud", "out-of-depth", "over-head", "no-idea-how", "no-idea-what", "not-up-to"})
JUDGING_IDIOMS |= {"grow-up", "care-more", "know-better", "finest-hour", "charitably"}
# Keeping a person in check: "put Dmitri on a short leash", "until someone reins him in", "sit Rohan down".
CHECK_IDIOMS: list[list[dict[str, Any]]] = [
    [{"LOWER": "on"}, {"LOWER": "a"}, {"LOWER": {"IN": ["short", "tight", "shorter", "tighter"]}}, {"LOWER": "leash"}],
    [{"LEMMA": "rein"}, {"OP": "?"}, {"LOWER": "in"}],
    [{"LEMMA": "sit"}, {"POS": {"IN": ["PROPN", "PRON", "NOUN"]}}, {"LOWER": "down"}],
    [
        {"LEMMA": "keep"},
        {"LOWER": {"IN": ["a", "an"]}},
        {"LOWER": {"IN": ["close", "eye", "closer"]}},
        {"LOWER": {"IN": ["eye", "on"]}, "OP": "?"},
        {"LOWER": "on"},
    ],
]
# "let the alerts slide": a person letting a signal or a duty decay.
LET_DECAY = frozenset({"slide", "slip", "rot", "languish", "fester", "lapse", "drift", "pile", "sit"})
# Failing words on a person's work: "Lena's failed rollout", "Sam's rushed hotfix".
WORK_FAILED = frozenset({"failed", "botched", "bungled", "rushed", "fumbled", "wrecked", "ruined", "messed-up"})
# The acts and products a person's work is named by (a failed *login* or *build* is the system's event).
WORK_NOUNS = frozenset(
    {
        "rollout",
        "launch",
        "release",
        "deploy",
        "deployment",
        "migration",
        "rollback",
        "hotfix",
        "fix",
        "change",
        "merge",
        "push",
        "cutover",
        "upgrade",
        "handover",
        "handoff",
        "review",
        "decision",
        "call",
        "plan",
        "patch",
        "config",
        "configuration",
        "refactor",
        "script",
        "runbook",
        "investigation",
        "response",
        "triage",
    }
)
# A duty placed on a person: "was supposed to", "was expected to", "was told about".
DUTY = frozenset(
    {"suppose", "expect", "mean", "ask", "tell", "assign", "task", "remind", "warn", "instruct", "require"}
)
# Steps done for others, whose absence "without …" names: "left without telling anyone".
SAFEGUARDS = frozenset(
    {"tell", "inform", "notify", "warn", "ask", "check", "test", "verify", "read", "look", "review", "wait"}
)
SAFEGUARDS |= {"escalate", "consult", "confirm", "announce", "coordinate", "hand", "document", "communicate"}
# Taking the fall: "take responsibility for the outage".
TAKE = frozenset({"take", "accept", "bear", "shoulder", "own"})
FALL = frozenset({"responsibility", "ownership", "blame", "fall", "heat", "accountability"})
INCIDENT_NOUNS = frozenset(
    {"outage", "incident", "failure", "mistake", "error", "breach", "downtime", "mess", "damage", "fallout", "it"}
)
INCIDENT_NOUNS |= {"leak", "loss", "problem", "disaster", "regression"}
CARE = frozenset({"care", "attention", "diligence", "caution", "thought", "seriousness"})
MORE = frozenset({"some", "proper", "more", "greater", "due", "extra", "real", "actual", "enough", "appropriate"})
MORE |= {"reasonable", "basic"}
FIRM_MODALS = frozenset({"must", "should", "need", "needs", "has", "have", "ought", "start", "starts", "begin"})
# Watching a person rather than their work: "so someone can check her", "have a senior shadow the intern".
WATCH = frozenset({"check", "monitor", "watch", "supervise", "babysit", "shadow", "police", "double-check", "vet"})
WATCH |= {"oversee", "chaperone"}
# An act done by mistake: "overwritten by Sam by mistake", "Jo inadvertently dropped the table".
# A rule a person exempts themselves from, said of what they think or decide (stop 25): "decided the freeze
# did not apply to him", "think change control is for other people", "view runbook upkeep as beneath them".
EXEMPT_BY = frozenset({"think", "decide", "believe", "reckon", "figure", "assume", "feel", "view", "treat", "consider"})
# Harm a person did, as a noun with the person's clause on it (stop 25): "the damage Dana did", "the mess he
# made of the flags", "the chaos caused by Kim".
HARM_NOUNS = frozenset({"damage", "mess", "harm", "chaos", "havoc", "carnage", "wreckage", "shambles"})
HARM_VERBS = frozenset({"do", "make", "cause", "wreak", "create", "leave"})
SLIP_ADVERBS = frozenset({"accidentally", "inadvertently", "mistakenly", "unintentionally", "erroneously"})
# Removing a safeguard from the path: "skipping review", "cut the second-pass review", "bypassed the canary".
REMOVE_SAFEGUARD = frozenset({"skip", "cut", "bypass", "circumvent", "sidestep", "dodge"})
GUARDS = frozenset({"review", "reviews", "test", "tests", "testing", "canary", "checklist", "approval", "staging"})
GUARDS |= {"validation", "eval", "evals", "evaluation", "run", "check", "checks", "gate", "sign-off", "qa", "ci"}
# Refusing a duty: "the on-call refused to escalate" (not "refused to deploy without a review").
REFUSED_DUTIES = frozenset({"escalate", "help", "respond", "answer", "review", "test", "check", "listen", "wait"})
REFUSED_DUTIES |= {"delay", "ask", "page", "acknowledge", "read", "follow", "roll", "revert", "stop", "pause"}
# Destruction a person "managed to" do: the idiom of a mishap ("managed to delete the feature store").
DESTROY = frozenset({"delete", "drop", "wipe", "break", "overwrite", "corrupt", "destroy", "erase", "kill"})
DESTROY |= {"crash", "lose", "leak", "expose", "purge", "truncate", "nuke", "brick", "take", "knock", "lock"}
# A cause traced to a person: "the outage came down to Takeshi skipping …", "stems from Ee rushing …".
TRACED = frozenset({"trace", "come", "boil", "lead", "go", "date", "owe", "attribute", "attributable"})
# A generic person whose imagined diligence shows up the real one: "any competent engineer would have …".
DILIGENT = frozenset({"careful", "competent", "attentive", "diligent", "decent", "good", "experienced", "sensible"})
DILIGENT |= {"reasonable", "half-decent", "awake", "alert", "responsible", "conscientious", "thorough"}
# A cause credited to a person (stop 26): "courtesy of Oskar's CDN tweak", "no thanks to the release manager",
# "all because Radu left debug logging on", "thanks to Keiko fat-fingering the cron", "poor judgement on the part
# of the lead". ("thanks to Kim's quick rollback" is praise: "thanks to" counts only before a failing act.)
BECAUSE_STRESS = frozenset({"all", "entirely", "purely", "solely", "simply", "just", "wholly"})
LAPSE_NOUNS = frozenset({"judgement", "judgment", "negligence", "carelessness", "failure", "error", "mistake"})
LAPSE_NOUNS |= {"oversight", "lapse", "lack", "misconduct", "incompetence", "recklessness", "sloppiness"}
# Rules a person acted outside of (stop 26): "in breach of policy NET-07", "contrary to the protocol", "acting
# outside the established playbook", "without the required sign-off", "against everyone's advice".
RULEBOOK = frozenset({"playbook", "runbook", "process", "procedure", "protocol", "policy", "guidelines", "rules"})
RULEBOOK |= {"guidance", "instructions", "plan", "sop", "checklist", "change-process", "freeze"}
SIGN_OFFS = frozenset({"sign-off", "signoff", "approval", "approvals", "review", "authorisation", "authorization"})
SIGN_OFFS |= {"permission", "sign", "change", "ticket"}
# stop 27: what a person acted without (bare nouns: "pushed to main without review again", "disabled the rate
# limiter without approval", "promoted it with zero testing").
UNGUARDED = frozenset({"review", "approval", "approvals", "testing", "tests", "sign-off", "signoff", "canary"})
UNGUARDED |= {"permission", "authorisation", "authorization", "telling", "asking", "warning", "checking"}
UNGUARDED |= {"glance", "look"}  # stop 29: "let the retraining job run for months without a glance"
# Acting without a review is the process's choice when a procedure allowed it.
SANCTIONED_RE = re.compile(
    r"\b(break[- ]glass|under the (\w+ ){0,2}(procedure|policy|process|runbook|exception)|as (the |its |our )?"
    r"(\w+ )?(policy|runbook|process|procedure|allow-list|allowlist) (allows|permits|requires)|per the (runbook|policy|"
    r"procedure|process))",
    re.IGNORECASE,
)
# Keeping others in the dark: "didn't tell anyone", "told nobody", "never inform anybody".
TELL = frozenset({"tell", "inform", "notify", "warn", "alert", "consult", "mention", "ask", "loop"})
ANYONE = frozenset({"anyone", "anybody", "nobody", "noone", "everyone", "everybody", "soul", "one", "team", "us"})
# What the "per X" person had the team drop: "Per Beatriz's decision, canary analysis was skipped".
DROPPED = frozenset({"skip", "disable", "bypass", "waive", "drop", "cut", "ignore", "override", "remove", "defer"})
# A duty still not done: "Bukola still hasn't fixed the alert she promised to fix".
DUTIES_LEFT = frozenset(
    {"fix", "reply", "respond", "answer", "review", "update", "close", "file", "finish", "rotate", "patch", "read"}
    | {"acknowledge", "follow", "merge", "deliver", "document", "look", "test", "check", "escalate"}
)
# Insinuation closing a sentence that names someone: "…, and we all know why.", "Coincidence, surely."
INSINUATION_RE = re.compile(
    r"(\bwe all know (why|who)|\b(they|you) know who (they|you) are|\bcoincidence,? surely|\bcoincidence\? I think not|\bdraw your own conclusions?"
    r"|\bknows? (exactly )?what (he|she|they) did|\b(I'?ll|I will|need I) say no more|\bsays it all"
    r"|\bfunny,? that|\bno prizes for guessing( who)?)\s*[.!?…]*\s*$",
    re.IGNORECASE,
)
# Who-questions about a past act, asked of the reader: "Who exactly thought it was a good idea to …?",
# "Who approved this? Olamide, apparently." (present tense asks for a process: "Who approves promotions?")
ASKED_ACTS = frozenset({"think", "approve", "decide", "sign", "let", "allow", "merge", "push", "ship", "deploy"})
ASKED_ACTS |= {"touch", "change", "break", "skip", "disable", "green-light", "greenlight", "okay", "ok"}
# A cause field answered with a person alone (stop 26): "Reason: Piet.", "What went wrong: Oskar.", "Root cause:
# the intern." ("Owner: Piet." and "Incident commander: Jo." name a role, not a cause.)
CAUSE_LABELS = frozenset(
    {"reason", "cause", "root cause", "root-cause", "what went wrong", "culprit", "why", "trigger", "problem"}
    | {"contributing factor", "primary cause", "main cause", "source", "who broke it", "responsible", "at fault"}
)
_TIME = re.compile(r"[\d:.]+(?:z|utc)?|[—–-]+", re.IGNORECASE)
SELF = frozenset({"i", "me", "we", "us", "it", "this", "that", "they", "them"})
# Words that let a text hold one of the shapes; blame_grammar.candidate adds them to its cheap pre-filter.
CANDIDATE_PATTERN = (
    r"\b(?:mess|hash|muddle|shambles|guddle|breakfast|pig's ear|for other|suggestion|apply to|beneath|damage|harm|"
    r"chaos|havoc|carnage|wreckage|failure of|refusal|inability|unwillingness|judge?ment|sandbox|playground|asleep|sleeping|dozing|corners?|shortcuts|eyes? off|phone|mail|gun|ball|"
    r"baton|back to (?:sleep|bed)|wing|loose|depth|over (?:his|her|their)|no (?:idea|clue)|blind eye|sand|"
    r"other way|finger|buck|rogue|cowboy|hip|half-a|up to the|let|failed|botched|bungled|rushed|fumbled|"
    r"wrecked|ruined|supposed|expected|meant|asked|told|assigned|tasked|reminded|warned|instructed|required|"
    r"nothing|zilch|anyway|anyhow|regardless|nonetheless|without|responsibility|ownership|fall|heat|"
    r"accountability|with (?:some|proper|more|greater|due|extra|real|actual|enough|appropriate|reasonable|basic)|"
    r"check|monitor|watch|supervis|babysit|shadow|polic|vet|overs[ea]|chaperon|trust|hands of|managed? to|"
    r"accidental|inadvertent|mistaken|unintentional|erroneous|by (?:mistake|accident)|in error|rush|"
    r"trac|down to|stem|result|boil|would|could|might|should|shrug|brush|laugh|wave|fob|know better|care|leash|"
    r"rein|sit|keep a|despite|spite|overr|circumvent|rel(?:y|ied)|count|left|depend|went|gone|going|too|grow|"
    r"courtesy|thanks|because|part of|breach|contrary|outside|w/o|attribut|"
    r"(?:reason|culprit|what went wrong|root[- ]cause|cause|why|trigger|problem|source|responsible|at fault)\s*:|"
    r"act together|socks|shape up|treat|skip|cut|bypass|sidestep|dodg|refus|declin|against|kept|continu|"
    # stop 27
    r"per\s+\S+|still\s+(?:\w+\s+)?(?:not|n't|never)|still (?:hasn|haven|hadn|didn|doesn)|"
    r"(?:tell|told|inform|notif|warn|alert|consult|mention|ask|loop)\w*\s+(?:\w+\s+)?(?:anyone|anybody|nobody|no one|a soul)|"
    r"(?:stop|quit)\w* \w+ing|finest hour|charitabl|through|feet|foot-drag|let (?:everyone|everybody|us|the team|customers|users|our) down|"
    r"with (?:zero|no) |know why|['’]s doing|shortcut|coincidence|conclusions?\b|say no more|says it all|funny,? that|no prizes|who\b[^?\n]*\?)"
)


class Shapes:
    """The clause shapes over a parsed doc; the who-is-a-person functions come from the main matcher."""

    def __init__(
        self,
        vocab: Any,
        person_subject: Callable[[Any], Any | None],
        person_of: Callable[[Any], Any | None],
        is_person: Callable[[Any], bool],
        negated: Callable[[Any], bool],
        failing: frozenset[str] = frozenset(),
        judging: frozenset[str] = frozenset(),
        is_role: Callable[[Any], bool] | None = None,
        is_bare: Callable[[Any], bool] | None = None,
    ) -> None:
        from spacy.matcher import Matcher

        self.failing = failing  # failure lemmas that need no particular object (blame_grammar.FAIL_VERBS)
        self.judging = judging  # character and effort words (blame_grammar.JUDGMENT)
        self.is_role = is_role or is_person  # a role noun wherever it stands ("09:12 reviewer rubber-stamping")
        self.is_bare = is_bare or self.is_role  # also an unknown name wherever the parser put it
        self.person_subject = person_subject
        self.person_of = person_of
        self.is_person = is_person
        self.negated = negated
        self.matcher = Matcher(vocab)
        for idiom, patterns in IDIOMS.items():
            self.matcher.add(f"idiom-{idiom}", patterns)
        self.matcher.add("let", [[{"LEMMA": "let", "POS": "VERB"}]])
        self.matcher.add("work", [[{"LOWER": {"IN": sorted(WORK_FAILED)}}]])
        self.matcher.add("duty", [[{"LEMMA": {"IN": sorted(DUTY)}, "TAG": "VBN"}]])
        self.matcher.add("nothing", [[{"LEMMA": "do"}, {"LOWER": {"IN": ["nothing", "zilch"]}}]])
        self.matcher.add("anyway", [[{"LOWER": {"IN": ["anyway", "anyhow", "regardless", "nonetheless"]}}]])
        self.matcher.add("without", [[{"LOWER": "without"}, {"TAG": "VBG"}]])
        self.matcher.add("fall", [[{"LEMMA": {"IN": sorted(TAKE)}}, {"OP": "?"}, {"LEMMA": {"IN": sorted(FALL)}}]])
        self.matcher.add(
            "care", [[{"LOWER": "with"}, {"LOWER": {"IN": sorted(MORE)}}, {"LEMMA": {"IN": sorted(CARE)}}]]
        )
        self.matcher.add("watch", [[{"LEMMA": {"IN": sorted(WATCH)}, "POS": "VERB"}]])
        self.matcher.add("trust", [[{"LEMMA": "trust", "POS": "VERB"}]])
        self.matcher.add("hands", [[{"LOWER": "in"}, {"LOWER": "the"}, {"LOWER": "hands"}, {"LOWER": "of"}]])
        self.matcher.add(
            "slip",
            [
                [{"LOWER": "by"}, {"LOWER": {"IN": ["mistake", "accident"]}}],
                [{"LOWER": "in"}, {"LOWER": "error"}],
                [{"LOWER": {"IN": sorted(SLIP_ADVERBS)}}],
            ],
        )
        self.matcher.add("rush", [[{"LEMMA": "rush", "POS": "VERB"}]])
        self.matcher.add("check_idiom", CHECK_IDIOMS)
        self.matcher.add(
            "skipped",
            [[{"LEMMA": {"IN": sorted(REMOVE_SAFEGUARD)}, "POS": "VERB"}]],
        )
        self.matcher.add("refused", [[{"LEMMA": {"IN": ["refuse", "decline"]}, "POS": "VERB"}]])
        self.matcher.add(
            "despite",
            [
                [
                    {"LOWER": "against"},
                    {"LOWER": {"IN": ["every", "all", "the", "our", "explicit"]}, "OP": "?"},
                    {"LEMMA": {"IN": ["warning", "advice", "recommendation", "objection"]}},
                ],
                [{"LOWER": "despite"}],
                [{"LOWER": "in"}, {"LOWER": "spite"}, {"LOWER": "of"}],
                [{"LEMMA": {"IN": ["override", "overrode", "circumvent"]}, "POS": "VERB"}],
            ],
        )
        self.matcher.add(
            "breach",
            [
                [{"LOWER": "in"}, {"LOWER": {"IN": ["breach", "violation", "contravention"]}}, {"LOWER": "of"}],
                [{"LOWER": "contrary"}, {"LOWER": "to"}],
                [
                    {"LOWER": "outside"},
                    {"LOWER": {"IN": ["the", "our", "his", "her", "their", "any"]}, "OP": "?"},
                    {"POS": {"IN": ["ADJ", "VERB", "NOUN"]}, "OP": "*"},
                    {"LOWER": {"IN": sorted(RULEBOOK)}},
                ],
                [
                    {"LOWER": {"IN": ["without", "w/o", "w/out"]}},
                    {"LOWER": {"IN": ["the", "a", "an", "any"]}, "OP": "?"},
                    {"LOWER": {"IN": ["required", "mandatory", "necessary", "usual", "agreed", "second"]}},
                    {"OP": "{0,2}", "IS_PUNCT": False},
                    {"LOWER": {"IN": sorted(SIGN_OFFS)}},
                ],
                [
                    {"LOWER": "against"},
                    {"LOWER": {"IN": ["everyone", "everybody", "his", "her", "their", "the"]}},
                    {"LOWER": {"IN": ["'s", "’s"]}, "OP": "?"},
                    {"POS": "ADJ", "OP": "?"},
                    {"LEMMA": {"IN": ["advice", "warning", "objection", "instruction", "order"]}},
                ],
            ],
        )
        self.matcher.add(
            "credited",
            [
                [{"LOWER": "courtesy"}, {"LOWER": "of"}],
                [{"LOWER": "no"}, {"LOWER": "thanks"}, {"LOWER": "to"}],
                [
                    {"LOWER": "thanks"},
                    {"LOWER": {"IN": ["entirely", "largely", "mostly", "wholly"]}, "OP": "?"},
                    {"LOWER": "to"},
                ],
                [{"LOWER": {"IN": sorted(BECAUSE_STRESS)}}, {"LOWER": "because"}],
                [{"LOWER": "on"}, {"LOWER": "the"}, {"LOWER": "part"}, {"LOWER": "of"}],
            ],
        )
        self.matcher.add("attributed", [[{"LEMMA": "attribute", "POS": "VERB"}]])
        # stop 27 (heldout6's registers)
        self.matcher.add(
            "unguarded",
            [
                [
                    {"LOWER": {"IN": ["without", "w/o", "w/out"]}},
                    {"LOWER": {"IN": ["a", "any", "proper", "the", "prior", "anyone's", "a single"]}, "OP": "?"},
                    {"LOWER": {"IN": sorted(UNGUARDED)}},
                ],
                [{"LOWER": "with"}, {"LOWER": {"IN": ["zero", "no"]}}, {"LOWER": {"IN": sorted(UNGUARDED)}}],
                [
                    {"LOWER": {"IN": ["without", "w/o"]}},
                    {"LOWER": {"IN": ["doing", "running", "performing", "completing", "following"]}},
                    {"LOWER": {"IN": ["the", "a", "any"]}, "OP": "?"},
                    {"LOWER": {"IN": ["required", "mandatory", "agreed", "usual"]}},
                ],
            ],
        )
        self.matcher.add(
            "told_nobody",
            [[{"LEMMA": {"IN": sorted(TELL)}, "POS": {"IN": ["VERB", "AUX", "NOUN"]}}]],
        )
        self.matcher.add("per_person", [[{"LOWER": "per", "POS": {"IN": ["ADP", "SCONJ", "X", "NOUN", "PROPN"]}}]])
        self.matcher.add(
            "must_stop",
            [
                [
                    {"LOWER": {"IN": ["must", "should", "needs", "need", "has", "have", "ought", "got"]}},
                    {"LOWER": "to", "OP": "?"},
                    {"LEMMA": {"IN": ["stop", "quit"]}},
                    {"TAG": "VBG"},
                ]
            ],
        )
        self.matcher.add(
            "still_not",
            [
                [
                    {"LOWER": "still"},
                    {"LOWER": {"IN": ["has", "have", "had", "did", "does", "do", "is", "was"]}, "OP": "?"},
                    {"LOWER": {"IN": ["not", "n't", "never"]}},
                    {"LEMMA": {"IN": sorted(DUTIES_LEFT)}},
                ],
                [
                    {"LOWER": {"IN": ["hasn't", "haven't", "hadn't", "didn't", "doesn't"]}},
                    {"LEMMA": {"IN": sorted(DUTIES_LEFT)}},
                ],
            ],
        )
        self.matcher.add(
            "unreliable",
            [
                [
                    {"LOWER": {"IN": ["cannot", "can't", "can", "could", "couldn't"]}},
                    {"LOWER": {"IN": ["not", "n't", "never"]}, "OP": "?"},
                    {"LOWER": "be"},
                    {"LEMMA": {"IN": ["rely", "count", "leave", "depend"]}},
                ],
                # "is not to be relied upon", "should never again be left alone with the pipeline" (stop 25)
                [
                    {"LOWER": {"IN": ["not", "never"]}},
                    {"LOWER": "to"},
                    {"LOWER": "be"},
                    {"LEMMA": {"IN": ["rely", "trust", "count", "leave", "depend"]}},
                ],
                [
                    {"LOWER": "never"},
                    {"LOWER": "again", "OP": "?"},
                    {"LOWER": "be"},
                    {"LEMMA": {"IN": ["leave", "trust"]}},
                ],
            ],
        )
        self.matcher.add(
            "exempt",
            [
                [{"LOWER": "for"}, {"LOWER": "other"}, {"LOWER": {"IN": ["people", "folks", "teams", "mortals"]}}],
                [{"LOWER": {"IN": ["suggestion", "suggestions"]}}],
                [{"LEMMA": "apply"}, {"LOWER": "to"}, {"LOWER": {"IN": ["him", "her", "them", "himself", "herself"]}}],
                [{"LOWER": "beneath"}, {"LOWER": {"IN": ["him", "her", "them"]}}],
            ],
        )
        self.matcher.add("harm", [[{"LEMMA": {"IN": sorted(HARM_NOUNS)}, "POS": "NOUN"}]])
        self.matcher.add(
            "failure_of",
            [[{"LOWER": {"IN": ["failure", "refusal", "inability", "unwillingness"]}}, {"LOWER": "of"}]],
        )
        self.matcher.add(
            "judgement",
            [
                [
                    {"LOWER": {"IN": ["bad", "poor", "questionable", "terrible", "awful", "flawed", "lapse", "lack"]}},
                    {"LOWER": {"IN": ["of", "in"]}, "OP": "?"},
                    {"LOWER": {"IN": ["judgement", "judgment"]}},
                ]
            ],
        )
        self.matcher.add("managed", [[{"LEMMA": "manage"}, {"LOWER": "to"}, {"LEMMA": {"IN": sorted(DESTROY)}}]])
        self.matcher.add(
            "traced",
            [
                [{"LEMMA": {"IN": sorted(TRACED)}}, {"LOWER": {"IN": ["back", "down"]}, "OP": "?"}, {"LOWER": "to"}],
                [{"LEMMA": "stem"}, {"LOWER": "from"}],
                [{"LEMMA": "result"}, {"LOWER": "from"}],
                [{"LEMMA": "be"}, {"LOWER": "down"}, {"LOWER": "to"}],
            ],
        )
        self.matcher.add(
            "generic",
            [
                [
                    {"LOWER": {"IN": ["would", "could", "might", "should"]}},
                    {"LOWER": {"IN": ["never", "not", "surely", "certainly", "easily", "also"]}, "OP": "?"},
                    {"LOWER": "have"},
                    {"TAG": {"IN": ["VBN", "VBD"]}},
                ]
            ],
        )

    def hits(self, doc: Any) -> Iterator[tuple[str, Any, Any]]:
        """(kind, person, anchor) for each shape found, kind being a blame_grammar rule kind."""
        for match_id, start, end in self.matcher(doc):
            name = doc.vocab.strings[match_id]
            span = doc[start:end]
            if name.startswith("idiom-"):
                found = self._idiom(span, name.removeprefix("idiom-"))
            else:
                found = getattr(self, "_" + name)(span)
            if found is None:
                continue
            kind, person, anchor = found
            if person is None or _low(person) in SELF:
                continue
            yield kind, person, anchor
        for sent in doc.sents:
            for found in (self._insinuation(sent), self._who_asked(sent)):
                if found is not None:
                    yield found
            fragment = self._fragment(sent)
            if fragment is not None:
                yield "failure", *fragment
            answered = self._label(sent)
            if answered is not None:
                yield "fault", *answered

    def _label(self, sent: Any) -> tuple[Any, Any] | None:
        """A cause label answered by a person and nothing else: "Reason: Piet.", "What went wrong: the intern."."""
        colon = next((t for t in sent if t.text == ":"), None)
        if colon is None:
            return None
        left = " ".join(_low(t) for t in sent if t.i < colon.i and not (t.is_punct or _TIME.fullmatch(t.text)))
        if left not in CAUSE_LABELS:
            return None
        right = [t for t in sent if t.i > colon.i and not t.is_punct]
        people = [t for t in right if (self.is_person(t) or self.is_bare(t)) and _low(t) not in SELF]
        rest = [t for t in right if t not in people and t.pos_ not in ("DET", "CCONJ", "ADJ")]
        if not people or rest or len(right) > 4:
            return None
        return people[0], colon

    def _fragment(self, sent: Any) -> tuple[Any, Any] | None:
        """Timeline shorthand with no finite verb: "02:05 Kim asleep", "09:12 reviewer rubber-stamping again",
        "11:30 on-call ignoring the disk alert": a person, then at once a failure or a judgment."""
        if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in sent):
            return None
        tokens = [t for t in sent if not (t.is_punct or t.like_num or _TIME.fullmatch(t.text))]
        for index, token in enumerate(tokens[:3]):
            if not (self.is_person(token) or self.is_role(token)) or _low(token) in SELF:
                continue
            for word in tokens[index + 1 : index + 4]:
                low = _low(word)
                if low in ("too", "again", "still", "clearly", "apparently", "obviously", "just"):
                    continue
                lemma = word.lemma_.lower()
                hyphenated = any(low.startswith(f) for f in ("rubber-stamp", "fat-finger"))
                failing = lemma in self.failing or hyphenated
                if (
                    (failing and (word.tag_ in ("VBG", "VBN") or low.endswith(("ing", "ed"))))
                    or (hyphenated and low.endswith("s"))  # the tagger reads "fat-fingers" as a plural noun
                    or low in self.judging
                ):
                    return token, word
                break
        return None

    # ------------------------------------------------------------------ helpers
    def _who(self, token: Any) -> Any | None:
        """The person a clause is about: the subject of its verb, or a person the fragment opens with."""
        verb = token
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        person = self.person_subject(verb)
        if person is not None:
            return person
        # a noun phrase that carries the idiom: "a junior engineer with prod access and no idea what …"
        for ancestor in token.ancestors:
            if self.is_person(ancestor) and _low(ancestor) not in SELF:
                return ancestor
        # a verbless fragment: "Kofi, asleep at the switch", "09:40 on-call out of her depth"
        before = [t for t in token.sent if t.i < token.i and self.is_person(t)]
        if before and before[-1].i >= token.i - 4:
            return before[-1]
        return self._opener(token.sent)

    def _opener(self, sent: Any) -> Any | None:
        """The bare person a timeline entry opens with, however the parser attached it ("03:12 Pieter ack'd …")."""
        tokens = [t for t in sent if not (t.is_punct or t.like_num or _TIME.fullmatch(t.text))]
        if tokens and tokens[0].i <= sent.start + 3 and (self.is_person(tokens[0]) or self.is_bare(tokens[0])):
            return tokens[0] if _low(tokens[0]) not in SELF else None
        return None

    # ------------------------------------------------------------------ shapes
    def _idiom(self, span: Any, idiom: str) -> tuple[str, Any, Any] | None:
        anchor = span[0]
        negative = any(_low(t) in ("no", "lift") for t in span) or idiom == "finest-hour"  # its own negation
        if idiom == "ones-doing":
            owner = span[0].head
            return ("fault", owner, span[-1]) if self.is_person(owner) and _low(owner) not in SELF else None
        if idiom == "finest-hour":  # "not Dana's finest hour"; "not his finest hour" is its clause's person
            inside = next((t for t in span if self.is_person(t) and _low(t) not in SELF | {"his", "her"}), None)
            if inside is not None:
                return "judgment", inside, anchor
        if self.negated(anchor) and not negative:
            return None
        if any(_low(t) == "lift" for t in span) and not self.negated(anchor):
            return None  # "did not lift a finger" blames; "lift a finger" alone is no idiom
        who = self._who(anchor)
        if who is None and anchor.pos_ == "NOUN" and anchor.dep_ == "ROOT":
            # a verb the tagger read as a noun, its subject glued on: "Annotation QA lead waves through …"
            who = next((c for c in anchor.children if c.dep_ == "compound" and self.is_role(c)), None)
        if who is None:  # a name the tagger took for a verb: "because Torsten, as usual, tested in production"
            who = next(
                (
                    t
                    for t in reversed(anchor.sent[: anchor.i - anchor.sent.start])
                    if t.ent_type_ == "PERSON" and t.is_title and t.i >= anchor.i - 6
                ),
                None,
            )
        return ("judgment" if idiom in JUDGING_IDIOMS else "failure"), who, anchor

    def _let(self, span: Any) -> tuple[str, Any, Any] | None:
        let = span[0]
        decays = [c for c in let.children if c.dep_ in ("ccomp", "xcomp") and c.lemma_.lower() in LET_DECAY]
        if not decays or self.negated(let):
            return None
        return "failure", self.person_subject(let), let

    def _work(self, span: Any) -> tuple[str, Any, Any] | None:
        word = span[0]
        noun = word.head
        if word.dep_ not in ("amod", "compound") or noun.lemma_.lower() not in WORK_NOUNS:
            return None
        owner = next((c for c in noun.children if c.dep_ == "poss" and self.is_person(c)), None)
        if owner is None:  # "the botched rollout by Jo"
            owner = next(
                (
                    p
                    for c in noun.children
                    if c.dep_ == "prep" and _low(c) == "by"
                    for p in c.children
                    if self.is_person(p)
                ),
                None,
            )
        return "failure", owner, word

    def _duty(self, span: Any) -> tuple[str, Any, Any] | None:
        """A duty on a person, then its absence: "was supposed to rotate the key and didn't"."""
        verb = span[0]
        if not any(c.dep_ == "auxpass" for c in verb.children):
            return None
        person = self.person_subject(verb)
        if person is None:
            return None
        for t in verb.sent:
            if t.i <= verb.i:
                continue
            if t.lemma_.lower() == "do" and (self.negated(t) or any(_low(c) in ("nothing",) for c in t.children)):
                return "failure", person, verb  # the duty is the anchor: its act names the topic
            if t.lemma_.lower() in ("keep", "continue") and any(c.tag_ == "VBG" for c in t.children):
                return "failure", person, verb  # "had been warned about the quota, kept launching jobs"
            if t.lemma_.lower() in ("fail", "forget", "ignore", "neglect") and t.pos_ == "VERB":
                if any(_low(c) in ("over", "back") for c in t.children) or _low(
                    t.nbor(1) if t.i + 1 < len(t.doc) else t
                ) in ("over", "back"):
                    continue  # "before failing over": the failover, not a failure
                return "failure", person, verb
        return None

    def _nothing(self, span: Any) -> tuple[str, Any, Any] | None:
        do = span[0]
        return "failure", self.person_subject(do), do

    def _anyway(self, span: Any) -> tuple[str, Any, Any] | None:
        """Knowing, then acting anyway: "Ingrid knew the flag was dangerous and flipped it anyway"."""
        word = span[0]
        sent = word.sent
        doc = word.doc
        if _low(word) == "anyhow" and word.i + 1 < len(doc) and word.i > sent.start:
            # Singapore English "anyhow" before the act: carelessly ("Ilse anyhow change the prompt template",
            # "don't anyhow change the retry policy"); "Anyhow, Kim restarted it" is a discourse word.
            act = doc[word.i + 1]
            if not act.is_punct and act.pos_ in ("VERB", "AUX", "NOUN") and act.lemma_.lower() not in ("be", "have"):
                person = self.person_subject(act) or self._person_near(sent, word.i)
                prev = doc[word.i - 1]
                if person is None and prev.is_title and prev.is_alpha and prev.pos_ not in ("PRON", "DET"):
                    person = prev  # the tagger reads an unknown name before "anyhow" as an adverb: "Ilse anyhow …"
                if person is None and any(_low(t) in ("don't", "dont", "do", "never") for t in sent if t.i < word.i):
                    person = self._person_near(sent)
                return "failure", person, word
        knew = next(
            (t for t in sent if t.i < word.i and t.lemma_.lower() in ("know", "warn", "tell", "advise", "see")), None
        )
        if knew is None:
            return None
        return "failure", self.person_subject(knew), word.head

    def _without(self, span: Any) -> tuple[str, Any, Any] | None:
        without, act = span[0], span[1]
        if act.lemma_.lower() not in SAFEGUARDS:
            return None
        verb = without.head
        return "failure", self._actor(verb), act

    def _fall(self, span: Any) -> tuple[str, Any, Any] | None:
        take, fall = span[0], span[-1]
        if take.pos_ not in ("VERB", "AUX") or fall.head.i != take.i:
            return None
        objects = [p for c in fall.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        objects += [p for c in take.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
        if not any(p.lemma_.lower() in INCIDENT_NOUNS for p in objects):
            return None  # "take ownership of the alert rules" assigns work
        return "fault", self.person_subject(take), fall

    def _care(self, span: Any) -> tuple[str, Any, Any] | None:
        verb = span[0].head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head  # "approaching reviews with proper care": the phrase hangs off the object
        if verb.pos_ not in ("VERB", "AUX") or not {_low(t) for t in verb.sent} & FIRM_MODALS:
            return None
        return "judgment", self.person_subject(verb), span[-1]

    def _watch(self, span: Any) -> tuple[str, Any, Any] | None:
        verb = span[0]
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            low = _low(obj)
            if low in ("him", "her") or (obj.pos_ == "PROPN" and self.is_person(obj)):
                return "corrective", obj, verb
            if self.is_person(obj) and any(_low(c) in ("the", "our", "that", "this") for c in obj.children):
                if verb.lemma_.lower() in ("supervise", "babysit", "shadow", "police", "chaperone", "watch"):
                    return "corrective", obj, verb
        return None

    def _trust(self, span: Any) -> tuple[str, Any, Any] | None:
        """Trust withdrawn from a person: "never again trust Marcus with a production migration"."""
        verb = span[0]
        words = {_low(t) for t in verb.sent}
        if not (self.negated(verb) or words & {"never", "no", "longer"}):
            return None
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None and any(c.dep_ == "auxpass" for c in verb.children):
            obj = self.person_subject(verb)
        person = self.person_of(obj) if obj is not None else None
        return "judgment", person, verb

    def _hands(self, span: Any) -> tuple[str, Any, Any] | None:
        """Danger in a person's hands: "schema changes are not safe in the hands of the data team"."""
        of = span[-1]
        owner = next((self.person_of(p) for p in of.children if p.dep_ == "pobj"), None)
        words = {_low(t) for t in span.sent}
        if owner is None or not words & {"unsafe", "dangerous", "risky", "liability", "not", "never", "n't"}:
            return None
        return "judgment", owner, span[0]

    def _slip(self, span: Any) -> tuple[str, Any, Any] | None:
        """An act done by mistake, with a person as its subject or agent."""
        verb = span[0].head if span[0].dep_ in ("advmod", "prep", "agent") else span[0]
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX") or self.negated(verb):
            return None
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            for pobj in agent.children:
                person = self.person_of(pobj)
                if person is not None:
                    return "error-noun", person, span[-1]
        return "error-noun", self.person_subject(verb), span[-1]

    def _rush(self, span: Any) -> tuple[str, Any, Any] | None:
        """Rushing a piece of work through: "the annotators rushed the batch" (not "rushed to the console")."""
        verb = span[0]
        if not any(c.dep_ == "dobj" for c in verb.children) or any(c.dep_ == "nsubjpass" for c in verb.children):
            return None
        return "failure", self.person_subject(verb), verb

    def _traced(self, span: Any) -> tuple[str, Any, Any] | None:
        """A cause traced to a person or to a person's act: "traces back to the consultant", "comes down to
        Takeshi skipping the dry run", "stems from Ee rushing the script through"."""
        prep = span[-1]
        lemma = span[0].lemma_.lower()
        if lemma in ("come", "go", "lead", "date", "boil") and not any(_low(t) in ("down", "back") for t in span):
            return None  # "came to the console", "going to your settings": motion, not a cause
        for pobj in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
            if self.is_person(pobj) and _low(pobj) not in SELF | {"you", "your"}:
                return "fault", pobj, span[0]
            subject = next((c for c in pobj.children if c.dep_ in ("nsubj", "poss")), None)
            if subject is not None and self.is_person(subject):
                return "fault", subject, span[0]
        # the parser hangs the act off the verb: "came down to [Takeshi] [skipping …]"
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            acts = [c for c in prep.head.children if c.tag_ == "VBG" and c.i > pobj.i]
            if acts and self.is_person(pobj):
                return "fault", pobj, span[0]
        return None

    def _generic(self, span: Any) -> tuple[str, Any, Any] | None:
        """Hindsight through an imagined better person: "any competent engineer would have caught it",
        "anyone paying attention would have seen …", "a careful reviewer would never have approved it"."""
        verb = span[-1]
        subject = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
        if subject is None or not self.is_person(subject):
            return None
        low = _low(subject)
        dets = {_low(c) for c in subject.children if c.dep_ == "det"}
        diligent = any(_low(c) in DILIGENT for c in subject.children if c.dep_ == "amod")
        doing = any(c.dep_ in ("acl", "relcl") for c in subject.children)  # "paying attention", "doing their job"
        if low in ("anyone", "anybody") and (doing or diligent):
            return "counterfactual", subject, verb
        if dets & {"any", "a", "an", "every"} and (diligent or doing):
            return "counterfactual", subject, verb
        return None

    def _managed(self, span: Any) -> tuple[str, Any, Any] | None:
        manage, act = span[0], span[-1]
        if act.lemma_.lower() in ("take", "knock") and not any(
            _low(c) in ("down", "out", "offline") for c in act.children
        ):
            return None  # "managed to take the traffic" is no mishap; "take down prod" is
        return "failure", self.person_subject(manage), act

    def _check_idiom(self, span: Any) -> tuple[str, Any, Any] | None:
        """A person kept in check: inside the idiom ("sit Rohan down"), its verb's object ("put Dmitri on a
        short leash"), or a him/her right after it ("reins him in")."""
        inside = [t for t in span if self.is_person(t) and t.dep_ != "nsubj" and _low(t) not in SELF]
        if inside:
            return "corrective", inside[0], span[0]
        verb = span[0] if span[0].pos_ == "VERB" else span[0].head
        for child in verb.children:
            if child.dep_ == "dobj" and self.is_person(child) and _low(child) not in SELF:
                return "corrective", child, span[0]
        doc = span.doc
        for token in doc[span.end : min(len(doc), span.end + 3)]:
            if _low(token) in ("him", "her"):
                return "corrective", token, span[0]
        return None

    def _despite(self, span: Any) -> tuple[str, Any, Any] | None:
        """Acting against a warning or a check: "pushed by Chidi despite the red CI", "he overrode the check"."""
        word = span[0]
        verb = word if word.pos_ == "VERB" else word.head
        if verb.pos_ in ("NOUN", "PROPN"):  # "the decision by Carmen, against every warning, to ship …"
            for prep in (c for c in verb.children if c.dep_ == "prep" and _low(c) == "by"):
                for pobj in prep.children:
                    if self.is_person(pobj):
                        return "failure", pobj, word
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            for pobj in agent.children:
                person = self.person_of(pobj)
                if person is not None:
                    return "failure", person, word
        return "failure", self.person_subject(verb), word

    def _breach(self, span: Any) -> tuple[str, Any, Any] | None:
        """A person acting outside a rule or a sign-off (stop 26): "Contrary to the protocol, the first author
        evaluated on the test split", "change by a member of the network team, in breach of policy",
        "an operator, acting outside the playbook, entered …", "deploy by Ulla w/o the required sign-off".
        The same words about a system stay quiet: "the job ran outside the maintenance window"."""
        word = span[0]
        if self.negated(word):
            return None
        head = word.head
        if _low(word) == "contrary":  # "Contrary to X, <clause>": the clause's verb
            head = word.head if word.head.pos_ in ("VERB", "AUX") else word.head.head
        if head.pos_ in ("NOUN", "PROPN"):  # "deploy of v2.8 by Ulla w/o …", "change … by a member …, in breach"
            for prep in (c for c in head.children if c.dep_ == "prep" and _low(c) == "by"):
                person = next((self.person_of(p) for p in prep.children if self.person_of(p) is not None), None)
                if person is not None:
                    return "failure", person, word
            for prep in (c for c in head.children if c.dep_ == "prep" and _low(c) == "of"):
                if any(self.is_person(p) for p in prep.children):  # "a member of the team, in breach of …"
                    return "failure", next(p for p in prep.children if self.is_person(p)), word
        verb = head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        return "failure", self._actor(verb), word

    def _credited(self, span: Any) -> tuple[str, Any, Any] | None:
        """A cause credited to a person: "courtesy of Oskar's tweak", "no thanks to the release manager", "all
        because Radu left it on", "thanks to Keiko fat-fingering the cron", "poor judgement on the part of the
        lead". Plain "because Kim restarted it" is narration, and "thanks to Kim's rollback" is praise."""
        first, last = _low(span[0]), span[-1]
        if _low(last) == "because":
            verb = last.head
            if verb.pos_ not in ("VERB", "AUX"):
                return None
            return "fault", self._actor(verb), last
        pobj = next((c for c in last.children if c.dep_ in ("pobj", "pcomp")), None)
        if pobj is None:
            return None
        person = self.person_of(pobj)
        owner = next((c for c in pobj.children if c.dep_ == "poss" and self.is_person(c)), None)
        if first == "thanks":  # only before a failing act: "thanks to Keiko fat-fingering the cron schedule"
            after = [t for t in last.doc[last.i + 1 : last.i + 7] if t.sent.start == last.sent.start]
            failing = any(
                t.lemma_.lower() in self.failing or _low(t) in self.judging or _low(t) in ("fat", "fingering")
                for t in after
            )
            if not failing:
                return None
            bare = next((t for t in after[:2] if self.is_person(t) or self.is_bare(t)), None)
            return "fault", person or owner or bare, span[0]
        if first == "on":  # "poor judgement on the part of the lead": only on a lapse
            lapse = span[0].head
            if lapse.lemma_.lower() not in LAPSE_NOUNS and not any(_low(c) in self.judging for c in lapse.children):
                return None
            if any(c.dep_ == "det" and _low(c) == "no" for c in lapse.children):
                return None  # denied (stop 29): "there was no carelessness on the part of the on-call"
            return "judgment", person, span[0]
        return "fault", person or owner, span[0]

    def _attributed(self, span: Any) -> tuple[str, Any, Any] | None:
        """ "We attribute the drop chiefly to one annotator, who …": a result attributed to a person."""
        verb = span[0]
        for prep in (c for c in verb.children if c.dep_ in ("prep", "dative") and _low(c) == "to"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                person = self.person_of(pobj)
                if person is not None and _low(person) not in SELF | {"you", "your"}:
                    return "fault", person, verb
        return None

    def _unreliable(self, span: Any) -> tuple[str, Any, Any] | None:
        """A person who "cannot be relied on", "can't be left alone with prod"."""
        verb = span[-1]
        if not any(_low(t) in ("not", "n't", "never", "cannot", "can't", "couldn't") for t in span):
            return None
        return "judgment", self.person_subject(verb), verb

    def _exempt(self, span: Any) -> tuple[str, Any, Any] | None:
        """A rule a person thinks or decides does not bind them: the clause hangs from their belief."""
        node = span[0]
        for _ in range(6):
            if node.head is node:
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in EXEMPT_BY:
                person = self.person_subject(node)
                if person is None and node.dep_ == "relcl" and self.is_person(node.head):
                    person = node.head
                return ("judgment", person, node) if person is not None and not self.negated(node) else None
        return None

    def _harm(self, span: Any) -> tuple[str, Any, Any] | None:
        """Harm as a noun whose own clause names a person: "the damage Dana did", "the mess he made"."""
        noun = span[0]
        for clause in noun.children:
            if clause.dep_ == "relcl" and clause.lemma_.lower() in HARM_VERBS:
                person = self.person_subject(clause)
                if person is not None and person is not noun and not self.negated(clause):
                    return "failure", person, clause
            if clause.dep_ == "acl" and clause.lemma_.lower() in HARM_VERBS:
                for agent in (c for c in clause.children if c.dep_ == "agent"):
                    for pobj in agent.children:
                        person = self.person_of(pobj)
                        if person is not None:
                            return "failure", person, clause
        return None

    def _failure_of(self, span: Any) -> tuple[str, Any, Any] | None:
        """ "the failure of the night shift to do their job": a person's failure to do a duty."""
        noun, of = span[0], span[1]
        person = next((self.person_of(p) for p in of.children if p.dep_ == "pobj"), None)
        if person is None:
            return None
        duty = any(t.tag_ == "TO" or _low(t) == "to" for t in noun.doc[span.end : span.end + 6])
        return ("failure", person, noun) if duty else None

    def _judgement(self, span: Any) -> tuple[str, Any, Any] | None:
        """Poor judgement of a person: theirs ("Kim's poor judgement"), shown by them, or in their clause."""
        noun = span[-1]
        for child in noun.children:
            if child.dep_ == "poss" and self.is_person(child):
                return "judgment", child, noun
            if child.dep_ == "acl":
                for agent in (c for c in child.children if c.dep_ == "agent"):
                    for pobj in agent.children:
                        person = self.person_of(pobj)
                        if person is not None:
                            return "judgment", person, noun
        for child in noun.children:
            if child.dep_ == "prep" and _low(child) == "of":
                person = next((self.person_of(p) for p in child.children if p.dep_ == "pobj"), None)
                if person is not None:
                    return "judgment", person, noun
        if noun.dep_ in ("dobj", "attr"):
            return "judgment", self.person_subject(noun.head), noun
        return None

    def _actor(self, verb: Any) -> Any | None:
        """Who does an act: its subject, a person the reduced clause hangs from ("14:33 Reviewer approved
        without reading"), or its passive agent."""
        person = self.person_subject(verb)
        if person is None and verb.dep_ in ("acl", "advcl") and self.is_person(verb.head):
            person = verb.head
        if person is None:
            for agent in (c for c in verb.children if c.dep_ == "agent"):
                person = next((self.person_of(p) for p in agent.children if self.person_of(p) is not None), None)
        return person

    def _skipped(self, span: Any) -> tuple[str, Any, Any] | None:
        verb = span[0]
        guarded = any(c.dep_ == "dobj" and c.lemma_.lower() in GUARDS for c in verb.children)
        guarded = guarded or any(
            _low(t) in GUARDS for t in verb.subtree if t.i > verb.i and t.dep_ in ("dobj", "compound")
        )
        if verb.dep_ == "compound" and verb.head.lemma_.lower() in GUARDS:
            guarded = True  # "…, skipping review": the tagger glued the act to its object
        if not guarded or self.negated(verb):
            return None
        if verb.head.lemma_.lower() in ("let", "allow", "permit", "enable") or any(
            c.lemma_.lower() in ("let", "allow", "permit") for c in verb.ancestors
        ):
            return None  # "the rollout tool lets anyone skip the canary": a permission, not an act
        actor = self._actor(verb)
        if actor is None:
            above = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), None)
            actor = self._actor(above) if above is not None else None
        if actor is not None and _low(actor) in ("anyone", "anybody", "everyone", "everybody"):
            return None
        return "failure", actor, verb

    def _refused(self, span: Any) -> tuple[str, Any, Any] | None:
        verb = span[0]
        duty = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if duty is None or duty.lemma_.lower() not in REFUSED_DUTIES:
            return None
        if duty.lemma_.lower() in ("roll", "stop", "pause") and not any(
            _low(c) in ("back", "rollout", "deploy", "release") for c in duty.subtree
        ):
            return None
        return "failure", self.person_subject(verb), verb

    # ------------------------------------------------------------------ stop 27 (heldout6's registers)
    def _person_near(self, sent: Any, before: int | None = None) -> Any | None:
        """The person a sentence names (before a token when given): the nearest one, else its first."""
        people = [
            t
            for t in sent
            if (before is None or t.i < before) and (self.is_person(t) or self.is_bare(t)) and _low(t) not in SELF
        ]
        return people[-1] if people and before is not None else (people[0] if people else None)

    def _unguarded(self, span: Any) -> tuple[str, Any, Any] | None:
        """Acting without a review, an approval or tests: "weiling pushed to main without review again",
        "who disabled the rate limiter without approval", "Who approved this? Olamide, with zero testing".
        A job or a bot doing the same stays quiet, and so does a passive with no one named."""
        word = span[0]
        if SANCTIONED_RE.search(word.sent.text):
            return None  # "merged without review under the break-glass procedure": the process allowed it
        verb = word.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ in ("VERB", "AUX") and self.negated(verb):
            return None
        if any(a.lemma_.lower() in ("refuse", "decline", "forbid", "prevent", "stop") for a in verb.ancestors):
            return None  # "refused to deploy without a review" is the safeguard holding
        actor = self._actor(verb) if verb.pos_ in ("VERB", "AUX") else None
        if actor is None and verb.pos_ in ("VERB", "AUX") and self._any_subject(verb) is not None:
            return None  # a subject that is no person: "the deploy bot pushed to main without review"
        if actor is None:
            actor = self._opener(word.sent) or self._person_near(word.sent, word.i)
        return "failure", actor, word

    def _any_subject(self, verb: Any) -> Any | None:
        subj = self.person_subject(verb)
        if subj is not None:
            return subj
        return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)

    def _told_nobody(self, span: Any) -> tuple[str, Any, Any] | None:
        """Keeping others in the dark: "bumped the LR mid-run and didn't tell anyone", "overrode the threshold
        and told nobody", "never inform anybody before he change the retry policy"."""
        verb = span[0]
        told = [c for c in verb.children if c.dep_ in ("dobj", "dative", "pobj", "nsubj", "attr", "npadvmod")]
        told += [p for c in verb.children if c.dep_ == "prep" for p in c.children]
        lows = {_low(t) for t in told}
        nobody = bool(lows & {"nobody", "noone"}) or any(
            _low(t) in ("one", "soul") and t.i > 0 and _low(t.doc[t.i - 1]) in ("no", "a") for t in told
        )
        anyone = bool(lows & {"anyone", "anybody", "everyone", "everybody"})
        if not (nobody or (anyone and self.negated(verb))):
            return None
        if verb.dep_ == "pcomp" and _low(verb.head) == "without":
            return None  # "without telling anyone" is the "without" shape's
        actor = self._actor(verb) or self._opener(verb.sent)
        if actor is None and verb.tag_ in ("VB", "VBP") and verb.i > verb.sent.start:
            actor = self._person_near(verb.sent, verb.i)  # "Junjie never inform anybody" (Singapore English)
        return "failure", actor, verb

    def _per_person(self, span: Any) -> tuple[str, Any, Any] | None:
        """A safeguard dropped on a named person's word: "Per Beatriz's decision, canary analysis was skipped",
        "Per Beatriz: skip the load test.", "Per Pavel's decision to disable the canary, …". "Per the runbook"
        and "Per Kim's decision, the canary ran a full day" stay quiet."""
        per = span[0]
        sent = per.sent
        after = [t for t in sent if per.i < t.i <= per.i + 3]
        person = next((t for t in after if self.is_person(t) and _low(t) not in SELF), None)
        if person is None:
            return None
        dropped = next(
            (
                t
                for t in sent
                if t.i > person.i
                and (t.lemma_.lower() in DROPPED or _low(t) in ("skipped", "disabled", "bypassed", "waived"))
                and not self.negated(t)
            ),
            None,
        )
        if dropped is None:
            return None
        return "fault", person, per

    def _must_stop(self, span: Any) -> tuple[str, Any, Any] | None:
        """A habit a person must drop: "Tunde must stop dulling on reviews" (not "the scheduler must stop
        retrying", not "Kim must stop the rollout when …")."""
        stop = span[-2]
        return "corrective", self.person_subject(stop) or self._person_near(stop.sent, stop.i), stop

    def _still_not(self, span: Any) -> tuple[str, Any, Any] | None:
        """A duty a person still has not done: "Bukola still hasn't fixed the alert she promised to fix"."""
        verb = span[-1]
        words = {_low(t) for t in verb.sent}
        if _low(span[0]) != "still" and not words & {"still", "promised", "again", "yet", "months", "weeks"}:
            return None
        return "failure", self.person_subject(verb), verb

    def _insinuation(self, sent: Any) -> tuple[str, Any, Any] | None:
        """An insinuation closing a sentence that names someone (or whose previous sentence does)."""
        match = INSINUATION_RE.search(sent.text)
        if match is None:
            return None
        person = self._person_near(sent)
        if person is None and sent.start > 0:
            person = self._person_near(sent.doc[sent.start - 1].sent)
        anchor = token_at(sent, sent.start_char + match.start())
        return ("fault", person, anchor) if person is not None else None

    def _who_asked(self, sent: Any) -> tuple[str, Any, Any] | None:
        """A rhetorical who-question about a past act: the answer's person, or the people it names."""
        if not sent.text.rstrip().endswith("?"):
            return None
        who = next((t for t in sent if _low(t) == "who" and t.dep_ in ("nsubj", "nsubjpass")), None)
        if who is None or who.head.tag_ != "VBD" or who.head.lemma_.lower() not in ASKED_ACTS:
            return None
        verb = who.head
        if verb.lemma_.lower() == "think" and not any(_low(t) in ("idea", "smart", "clever", "wise") for t in sent):
            return None
        doc = sent.doc
        answer = doc[sent.end].sent if sent.end < len(doc) else None
        person = self._person_near(answer) if answer is not None and answer.start - sent.end <= 1 else None
        if person is not None and answer is not None and person.i > answer.start + 2:
            person = None  # the next sentence must open with the answer: "Olamide, apparently."
        if person is None and answer is not None and answer.start - sent.end <= 1:
            first = answer[0]  # an unknown name opening the answer, read as an adverb: "Olamide, apparently."
            following = doc[first.i + 1].text if first.i + 1 < len(doc) else "."
            if (
                first.is_title
                and first.is_alpha
                and following in (",", ".", "!")
                and not _low(first).endswith("ly")
                and _low(first) not in SELF | {"nobody", "no", "none", "yes", "the", "probably", "maybe"}
                and first.pos_ not in ("DET", "PRON", "AUX", "VERB", "SCONJ", "CCONJ", "ADP", "INTJ")
            ):
                person = first
        if person is not None and person.i + 1 < len(doc) and doc[person.i + 1].text == ":":
            person = None  # a chat speaker's label ("@yusuf: the merge queue"), not an answer
        if person is None and verb.lemma_.lower() != "think":
            return None  # "who merged this?" asked, and not answered with a person, only asks
        return "fault", person or self._person_near(sent) or who, verb
