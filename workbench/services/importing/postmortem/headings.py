"""What a source heading is about, by meaning: a synonym table from the wording postmortems use
to the workbench's sections. The first matching row wins, so narrower meanings come first."""

from __future__ import annotations

import re

# A label or heading that is nothing but a horizon of work ahead ("Short-term Fix", "Long-term", "30 Days", "Next
# Sprint"): what it holds is planned. "Immediate" is not one: under it are the response's own steps.
HORIZON = (
    r"^\W*(?:(?:short|medium|mid|long|near)[- ]term|next (?:sprint|quarter|release)|(?:next |within )?\d+\s+"
    r"(?:days?|weeks?|months?))(?:\s+(?:fix(?:es)?|actions?|plans?|work|goals?))?\W*$"
)
HORIZON_RE = re.compile(HORIZON, re.I)

# (kind, patterns). Kinds: where a section's content goes on import.
SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "recommendations",
        (
            r"what (?:you|users?|customers?) (?:can|should|need to|must) do",
            r"what (?:can|should) (?:you|users?|customers?) do",
            # Addressed to the readers, not the authors' own work: "Immediate actions for affected users",
            # "Guidance For Users", "How to check if you are affected".
            r"\bfor (?:the )?(?:affected |impacted |all )?(?:users|customers|you|readers|publishers|consumers)\b",
            r"\bguidance\b",
            r"\b(?:are|if) you (?:were |are )?(?:affected|impacted)\b",
            r"call to action",
            r"protecting (?:yourself|your project)",
            r"recommendations? for (?:users|you)",
            r"how can you",
            r"indicators? of compromise",
            r"\biocs?\b",
            # A checklist or best practices for whoever runs the next job: guidance, not the authors' commitments.
            r"\bcheck-?lists?\b",
            r"best practices",
            r"acknowledg",
            r"thanks",
            r"attendees",
            r"related capecs?",
            # Other records the archive links to ("## Related", "Related incidents", "See also"): their dates are
            # theirs, not this incident's.
            r"^\W*related\b",
            r"\bsee also\b",
            r"further reading",
        ),
    ),
    ("lessons_good", (r"what went well", r"went right", r"what worked")),
    (
        "lessons_bad",
        (
            r"what went (?:poorly|wrong|badly)",
            r"didn'?t go well",
            r"could have gone better",
            r"what could be improved",
            r"where we got lucky",
        ),
    ),
    (
        "timeline",
        # "## 9. 时间线" (Chinese: timeline), "时间轴" (time axis).
        (r"timeline", r"chronolog", r"sequence of events", r"what happened when", r"time ?line", r"时间线|时间轴"),
    ),
    (
        "actions",
        (
            r"action items?",
            r"\bactions?\b",
            r"next steps",
            r"remediation",
            r"follow[- ]?ups?",
            r"steps taken",
            r"what (?:we(?:'re| are)|is \w+) doing",
            # The authors' own work, done or planned: "What we've already done", "Roadmap", "What comes next".
            r"what we(?:'ve| have)? (?:already )?done",
            r"\broadmap\b",
            r"what(?:'s| is| comes) next",
            r"preventing",
            r"prevention",
            r"improvements?",
            r"corrective",
            r"to ?dos?\b",
            r"mitigations? (?:steps|taken)",
            r"how (?:we|are we) (?:will )?(?:prevent|fix)",
            r"going forward",
            r"future (?:measures|work|plans?|steps|improvements|development)",
            r"\bmeasures\b",
            # A plan's horizon as a label of its own: "**Short-term Fix:** Implement ...", "**30 Days:** ...".
            HORIZON,
            # The safeguards now in place, as a section of their own: "## Guardrails".
            r"^\W*guardrails?\W*$",
            r"resolution and recovery",
            r"our response",
            r"^response$",
        ),
    ),
    (
        "impact",
        (
            r"impact",
            r"^scope$",
            r"blast radius",
            r"customer (?:impact|effect)",
            r"^stats$",
            r"^metrics$",
            r"data integrity",
            r"by the numbers",
        ),
    ),
    (
        "causes",
        (
            r"root causes?",
            r"contributing factors?",
            r"\bcauses?\b",
            r"why did (?:it|this) happen",
            r"how did (?:it|this) happen",
            r"what went wrong",
            r"trigger",
        ),
    ),
    (
        "detection",
        (
            r"detection",
            r"how (?:we|was it) (?:found|noticed|detected)",
            r"initial response",
            r"escalation",
            r"^response",
        ),
    ),
    (
        "analysis",
        (
            r"technical analysis",
            r"analysis",
            r"what happened",
            r"background",
            r"details",
            r"deep dive",
            r"investigation",
            r"the technical problem",
            r"why it",
            r"how it works",
            r"resolution",
        ),
    ),
    ("lessons", (r"lessons?", r"learn", r"takeaways?", r"insights?", r"reflections?", r"moving forward")),
    ("summary", (r"summary", r"overview", r"tl;?dr", r"abstract", r"^incident$", r"introduction")),
)

_COMPILED = tuple((kind, tuple(re.compile(p, re.I) for p in pats)) for kind, pats in SYNONYMS)

# Where each kind goes in the narrative (the report's canonical sections); None: kept under its own name.
NARRATIVE_TARGET = {
    "summary": "Executive Summary",
    "detection": "Detection & Initial Response",
    "analysis": "Technical Analysis",
    "causes": "Technical Analysis",
}

DONE_HEADING = re.compile(
    r"\b(?:(?<!to )completed?|done|finished|already (?:done|shipped)|"
    r"(?:steps|actions?) taken|resolved|(?:remediation|fix(?:es)?|changes?|mitigations?|patch(?:es)?) deployed|"
    # "## Guardrails": the safeguards in place; the heading alone, not a title such as "Guardrails that failed".
    r"^\W*guardrails?(?=\W*$))\b",
    re.I,
)
OPEN_HEADING = re.compile(
    r"\b(?:planned|in[- ]progress|short[- ]term|medium[- ]term|long[- ]term|future|next steps|"
    r"to ?do|open|upcoming|before re-?enabling|roadmap|what(?:'s| is| comes) next)\b",
    re.I,
)


# Headings over what was done to end the incident: a list of steps under one is steps taken ("We doubled
# the number of proxy instances"), even where the heading is not action-like.
RECOVERY_HEADING = re.compile(
    r"\b(?:recovery|mitigation|resolution|remediation|how (?:it|this) was (?:fixed|resolved)|what we did)\b", re.I
)


# A file named in a heading ("Against Roadmap.md's original target") is a thing, not the heading's meaning.
_FILE_NAME_RE = re.compile(r"[\w./-]+\.(?:md|py|txt|ya?ml|json|toml|js|ts|sh|cfg|ini|lock)\b", re.I)


def kind_of(heading: str) -> str | None:
    text = " ".join(_FILE_NAME_RE.sub(" ", heading.replace("*", "")).split())
    for kind, patterns in _COMPILED:
        if any(p.search(text) for p in patterns):
            return kind
    return None


def names_actions(heading: str) -> bool:
    """Whether a heading speaks of actions at all, even where another meaning wins ("Timeline and Response")."""
    text = " ".join(heading.replace("*", "").split())
    if re.search(r"\bresponse\b", text, re.I):
        return True  # "Timeline and Response": what was done, and what will be
    return any(p.search(text) for kind, patterns in _COMPILED if kind == "actions" for p in patterns)
