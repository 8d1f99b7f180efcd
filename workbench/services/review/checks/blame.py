"""Zero blame (hard rule 2): blame by sentence structure, blame phrases, and a person named as the cause.

Three layers, each finding reported once per place:
  1. phrases (bundled blame_phrases.toml + the store's .workbench-rules/blame.toml): `blame.language`
  2. a known person as the grammatical cause by pattern ("@alice caused", "Bob's mistake"): `blame.person`
  3. sentence structure (blame_grammar.py, spaCy): `blame.failure`, `blame.counterfactual`,
     `blame.judgment`, `blame.fault`, `blame.error-noun`, each with a reframe built from the sentence;
     a trained model (blame_model.py) over the parse and those rule hits keeps or silences each grammar hit
     and adds `blame.person-centred` for a sentence it flags that no rule names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import blame_grammar, blame_model, blame_tone
from .config import CheckConfig
from .findings import Finding
from .registry import Rule, register_check
from .text import Context, Span

# Verbs and nouns that make a named person the grammatical cause.
_CAUSE_AFTER = (
    r"(caused|causes|broke|breaks|triggered|introduced|forgot|missed|overlooked|ignored|neglected|"
    r"failed to|should have|was responsible for|is responsible for|messed up|screwed up|"
    r"made (a|the|an) (mistake|error)|pushed a bad|deployed a bad|did not|didn't)\b"
)
_CAUSE_BEFORE = (
    r"\b(because( of)?|due to|caused by|fault of|blame|blamed|thanks to|mistake by|error by|responsibility of)\s+"
)
_POSSESSIVE_AFTER = (
    r"('s|’s)\s+(mistake|error|fault|oversight|negligence|carelessness|bad (change|deploy|push|decision))\b"
)
_HANDLE = r"@[A-Za-z0-9][A-Za-z0-9._-]*"
_NOT_NAMES = {
    "principal",
    "ai",
    "postmortem",
    "lead",
    "team",
    "on-call",
    "oncall",
    "sre",
    "ml",
    "platform",
    "engineering",
    "incident",
    "commander",
    "the",
    "and",
    "of",
    "for",
    "owner",
    "manager",
    "infra",
    "ops",
    "data",
    "eval",
    "evals",
    "safety",
    "research",
    "serving",
    "training",
    "product",
    "support",
}


def people_from(*values: str) -> list[str]:
    """Handles and personal names from commander, lead and owner fields ('@alice', 'Bob Li (SRE)')."""
    out: list[str] = []
    for value in values:
        if not value:
            continue
        out.extend(re.findall(_HANDLE, value))
        cleaned = re.sub(r"\(.*?\)|<.*?>|" + _HANDLE, " ", value)
        for part in re.split(r"[,/&;]|\band\b", cleaned):
            words = [w for w in part.split() if re.fullmatch(r"[A-Z][a-zA-Z'’-]+", w) and w.lower() not in _NOT_NAMES]
            if not words:
                continue
            out.append(" ".join(words))
            if len(words) > 1:
                out.append(words[0])
    first: dict[str, str] = {}  # the first spelling of each phrase, in order
    for phrase in out:
        first.setdefault(phrase.lower(), phrase)
    return list(first.values())


@lru_cache(maxsize=256)
def _person_patterns(people: tuple[str, ...]) -> list[re.Pattern[str]]:
    names = [re.escape(p) for p in sorted(people, key=len, reverse=True)]
    who = "(" + "|".join([_HANDLE, *names]) + ")"
    # Names are matched case-sensitively (Bob, not bob) so that ordinary words never become names.
    return [
        re.compile(rf"(?<![\w@]){who}\s+{_CAUSE_AFTER}"),
        re.compile(rf"(?i:{_CAUSE_BEFORE}){who}(?![\w])"),
        re.compile(rf"(?<![\w@]){who}{_POSSESSIVE_AFTER}"),
    ]


def _allowed_spans(text: str, config: CheckConfig) -> list[tuple[int, int]]:
    return [m.span() for pattern in config.allow for m in pattern.finditer(text)]


def _overlaps(span: tuple[int, int], allowed: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in allowed)


# A phrase denied of everyone ("Nobody was careless", "no one is to blame") or negated by its copula ("the
# team was not at fault") is the blameless reading the method asks for, not blame.
# First-person plural narration of an act ("we explicitly dismissed the alert because we thought …") is the
# team's own account, which the method wants told; judgments of the team ("we were careless") stay findings.
_OWN_ACCOUNT = frozenset({"ignored", "failed-to-notice", "forgot", "did-not-follow"})
_WE_BEFORE = re.compile(r"\bwe( \w+ly)?\s*$", re.IGNORECASE)
_DENIED_BEFORE = re.compile(
    r"(\b(no ?one|nobody|none of (us|them|the \w+))\b[^.;:!?]*|"
    r"\b(was|were|is|are|be|been)(n't| not| never)( \w+ly)?\s*|"
    r"\b(not|never|n't)\b[^.;:!?]{0,30}\bwho (is|was|are|were|(should|must|would|could|will|can|might) (have )?be(en)?)\s*)$",
    re.IGNORECASE,
)
# A phrase denied or set aside by what follows it: "Human error was not a factor", "… was ruled out",
# "human error was the wrong frame"; and a phrase inside an identifier is a metric name (human_error_total).
_DENIED_AFTER = re.compile(
    r"^\s*(was|is|were|are|has been|had been)\s+(not\b|never\b|n't\b|ruled out|excluded|the wrong \w+|"
    r"(a )?red herring)",
    re.IGNORECASE,
)
# A fault word whose existence is denied (stop 29, an adjuster's report): "no negligence is alleged against any
# employee", "there was no carelessness", "no human error was found"; "this was no honest mistake" still blames.
_NONE_BEFORE = re.compile(r"(\bthere (is|was|were|are) no|\bno)\s*$", re.IGNORECASE)
_NONE_AFTER = re.compile(
    r"^\s*((is|was|were|are|has been|had been|can be|could be)\s+(alleged|found|attributed|suggested|implied|"
    r"established|identified|shown|evident|involved|present|claimed|imputed)\b|on the part of\b)",
    re.IGNORECASE,
)


# Blame itself denied by a do-support or adverb negation in the same clause: "We did not blame anyone",
# "we never blamed the on-call", "we did not look for someone to blame" (a comma or clause break stops it).
# Stop 26: a negated gerund too, "not blaming anyone, genuinely asking: …".
_BLAME_DENIED_BEFORE = re.compile(
    r"\b(did|do|does|will|would)(n't| not)( \w+){0,5}\s*$|\bnever\s*$|\b(not|without|no)\s*$", re.IGNORECASE
)


def _denied(text: str, start: int, phrase: str = "", end: int | None = None) -> bool:
    before = text[max(0, start - 120) : start]
    if end is not None:
        if _DENIED_AFTER.search(text[end : end + 60]):
            return True
        if _NONE_BEFORE.search(text[max(0, start - 20) : start]) and (
            _NONE_AFTER.search(text[end : end + 60]) or re.search(r"\bthere (is|was|were|are) no\s*$", before, re.I)
        ):
            return True
        if text[end : end + 1] == "_" or text[max(0, start - 1) : start] == "_":
            return True  # a metric or code identifier: human_error_total
    return bool(_DENIED_BEFORE.search(before) or (phrase == "blame" and _BLAME_DENIED_BEFORE.search(before)))


def _finding(span: Span, start: int, rule: str, message: str, fix: str) -> Finding:
    return Finding(rule, "error", message, fix, span.file, span.entry, span.field, span.line_at(start))


GRAMMAR_RULES = {
    "failure": ("blame.failure", "names a person or role as the one who failed"),
    "counterfactual": ("blame.counterfactual", "a counterfactual about a person (hindsight)"),
    "judgment": ("blame.judgment", "judges a person's character or effort"),
    "fault": ("blame.fault", "places the fault on a person"),
    "error-noun": ("blame.error-noun", "attaches an error to a person"),
    "corrective": ("blame.corrective", "an action aimed at a person instead of the system"),
    "person-centred": (
        "blame.person-centred",
        "puts a person at the centre of what went wrong (the trained blame model, no single rule)",
    ),
}
GRAMMAR_RULE_IDS = (*(rule for rule, _ in GRAMMAR_RULES.values()), "blame.punitive")


@register_check(
    "blame",
    order=10,
    title="Zero blame",
    why="Hard rule 2: reframe to the system, process, incentive or missing control.",
    rules=(
        Rule(
            "blame.language",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and reframe it toward the system, process or missing control.",
        ),
        Rule(
            "blame.person",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and name the condition, change or missing control instead of the person.",
        ),
        Rule(
            "blame.failure",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and say what the system made likely instead of who failed.",
        ),
        Rule(
            "blame.counterfactual",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and describe what people knew at the time instead of what they should have done.",
        ),
        Rule(
            "blame.judgment",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and describe the conditions people worked in instead of judging them.",
        ),
        Rule(
            "blame.fault",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and place the cause in the system, process or missing control.",
        ),
        Rule(
            "blame.error-noun",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and name the gap in the system that let the error through.",
        ),
        Rule(
            "blame.corrective",
            "error",
            "Actions pane (4): press e and aim the action at the system (a guard, a check, a default) instead of a person.",
        ),
        Rule(
            "blame.person-centred",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and retell it from the system's side: what people saw and knew then, and what allowed it.",
        ),
        Rule(
            "blame.punitive",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and remove it: performance, discipline and HR matters stay out of the postmortem.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    config: CheckConfig = ctx.config  # type: ignore[assignment]  # Context.config is typed object on purpose
    people = ctx.people or people_from(
        ctx.incident.commander, ctx.incident.lead, *(a.owner for a in ctx.incident.actions)
    )
    person_patterns = _person_patterns(tuple(people))
    spans = ctx.all_spans()
    grammar: list[tuple[blame_grammar.Hit, ...]] = [() for _ in spans]
    if config.grammar:
        grammar = blame_grammar.find(
            [s.text for s in spans],
            [*people, *config.people],
            config.grammar_cache,
            parse=config.grammar != "cached",
            places=[blame_model.place_of(s.loc) for s in spans],
        )
    out: list[Finding] = []
    for span, hits in zip(spans, grammar, strict=True):
        allowed: list[tuple[int, int]] | None = None  # computed only when a phrase matches: it is the slow part
        reported: list[tuple[int, int]] = []
        for pattern in person_patterns:
            for m in pattern.finditer(span.text):
                if _overlaps(m.span(), reported):
                    continue
                reported.append(m.span())
                out.append(
                    _finding(
                        span,
                        m.start(),
                        "blame.person",
                        f'names a person as the cause: "{span.raw[m.start() : m.end()]}"',
                        "Name the condition, change or missing control instead of the person, e.g. "
                        "'the rollout had no canary stage, so the config reached all regions at once'. "
                        "People appear in the timeline by role, as actors, never as causes.",
                    )
                )
        for phrase in config.phrases:
            for m in phrase.pattern.finditer(span.text):
                if allowed is None:
                    allowed = _allowed_spans(span.text, config)
                if (
                    _overlaps(m.span(), allowed)
                    or _overlaps(m.span(), reported)
                    or _denied(span.text, m.start(), phrase.id, m.end())
                    or blame_tone.mention(span.text, m.start(), m.end())
                ):
                    continue
                if phrase.id in _OWN_ACCOUNT and _WE_BEFORE.search(span.text[max(0, m.start() - 40) : m.start()]):
                    continue
                reported.append(m.span())
                out.append(
                    _finding(
                        span,
                        m.start(),
                        "blame.language",
                        f'blame language "{span.raw[m.start() : m.end()]}" ({phrase.id})',
                        phrase.reframe,
                    )
                )
        for m in blame_grammar.PUNITIVE_RE.finditer(span.text):
            if "blame.punitive" in config.disabled_rules or _overlaps(m.span(), reported):
                continue
            reported.append(m.span())
            out.append(
                _finding(
                    span,
                    m.start(),
                    "blame.punitive",
                    f'material that could be used against a person: "{span.raw[m.start() : m.end()]}"',
                    "Hard rule 10: performance, discipline and HR matters stay out of the postmortem. "
                    "Rewrite it as a change to the system (a guard, a default, a review step) that "
                    "would hold whoever was on shift.",
                )
            )
        for hit in hits:
            if _overlaps((hit.start, hit.end), reported):
                continue  # a phrase already names this sentence
            if allowed is None:
                allowed = _allowed_spans(span.text, config)
            if _overlaps((hit.at, hit.to), allowed):
                continue
            if hit.kind == "error-noun" and _denied(span.text, hit.at, end=hit.to):
                continue  # "Human error was ruled out", "human_error_total": denied as the phrase layer denies it
            reported.append((hit.start, hit.end))
            rule, what = GRAMMAR_RULES[hit.kind]
            if rule in config.disabled_rules:
                continue
            sentence = " ".join(span.raw[hit.start : hit.end].split())
            if hit.kind == "person-centred":
                what = f"{what}, score {hit.phrase}"
            out.append(_finding(span, hit.start, rule, f'{what}: "{_clip(sentence)}"', hit.reframe))
    return out


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
