"""Never fabricate (hard rule 1), the parts a reviewer catches by reading: a cause marked confirmed with
nothing behind it, figures stated in prose with no source, and a hypothesis written as fact."""

from __future__ import annotations

import re

from ....domain.model import Incident
from .findings import Finding, by_stage
from .registry import Rule, register_check
from .premature import ROOT_KINDS
from .text import Context, Span

# Figures that need a source when stated in prose: money, counts of people or requests, percentages.
_FIGURE_RE = re.compile(
    r"(?<![\w.])(?:[$€£]\s?\d[\d,.]*\s?(?:[kKmMbB]|million|billion|thousand)?\b"
    r"|\d[\d,.]*\s?(?:[kKmM]|million|billion|thousand)?\s+(?:customers|users|accounts|tenants|requests|queries|"
    r"sessions|conversations|calls|people|orgs|organi[sz]ations|projects|packages|downloads|records|rows|events|"
    r"jobs|gpu[- ]hours|hours of compute|dollars)\b"
    r"|\d+(?:\.\d+)?\s?%)",
    re.IGNORECASE,
)
# What counts as a source beside a figure: a marker, a link or footnote, a named artefact, code.
_SOURCE_CUE_RE = re.compile(
    r"\[(DATA GAP|ASSUMPTION)\]|https?://|\[\^?\w+\]|\(source|source:|sources?:|according to|\bper (the )?\w+|"
    r"\bfrom (the|our) [\w -]{0,30}(dashboard|query|log|logs|bill|invoice|report|eval|trace|export|metrics|"
    r"database|table|ticket)|\b(dashboard|query|log line|logs show|bill|invoice|eval run|trace|grafana|datadog|"
    r"bigquery|athena|cloudwatch|honeycomb|langfuse|langsmith|pagerduty|statuspage|status page|ticket|"
    r"billing|measured|counted|sampled)\b|`[^`]+`",
    re.IGNORECASE,
)
_HEDGE_RE = re.compile(
    r"\b(likely|probabl[ey]|may|might|could|possibl[ey]|suspect\w*|hypothes\w*|appears?|"
    r"seems?|we think|we believe|unclear|unconfirmed|not yet confirmed|\[ASSUMPTION\]|"
    r"\[DATA GAP\]|perhaps|presumabl[ey])\b",
    re.IGNORECASE,
)
_CERTAIN_RE = re.compile(
    r"\b(definitely|clearly|certainly|undoubtedly|without (a )?doubt|proven|is confirmed|"
    r"was confirmed|the root cause (is|was)|was caused by|is caused by|(is|was) due to)\b",
    re.IGNORECASE,
)
_ROOT_CLAIM_RE = re.compile(r"\b(the )?(root|underlying|proximate) cause (is|was)\b|\bwas caused by\b", re.IGNORECASE)
# Where figures in prose are claims about this incident (not the template hints or the timeline's own source)
_PROSE_FIELDS = ("summary", "impact", "scope", "lessons", "causes", "ai_factors")


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\[*_(])|\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER_RE.findall(text)}


def sourced_numbers(incident: Incident) -> set[str]:
    """Numbers that already have a source somewhere in the incident: an impact figure with its source, a
    timeline event with its source, a cause with linked evidence, an observation with a source. Prose that
    repeats one of them is traceable to it."""
    out: set[str] = set()
    for name in incident.impact.FIGURES:
        figure = getattr(incident.impact, name)
        if figure.source.strip():
            if figure.value is not None:
                out |= _numbers(f"{figure.value:g}") | _numbers(f"{figure.value:,g}")
            out |= _numbers(figure.note)
    for e in incident.timeline:
        if e.source.strip():
            out |= _numbers(e.event)
    for c in incident.causes:
        if c.evidence or c.source.strip():
            out |= _numbers(c.statement)
    for o in incident.observations:
        if o.source.strip():
            out |= _numbers(" ".join((o.behaviour, o.conditions)))
    for name in ("safety_exposure", "trust_exposure"):
        exposure = getattr(incident.impact, name)
        if exposure.source.strip():
            out |= _numbers(exposure.text)
    return out


def _unsourced_figures(span: Span, sourced: set[str], own_source: bool) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    if own_source:
        return out
    for start, end in _sentences(span.text):
        sentence = span.text[start:end]
        if _SOURCE_CUE_RE.search(sentence):
            continue
        for m in _FIGURE_RE.finditer(sentence):
            if _numbers(m.group(0)) <= sourced:
                continue  # the same number is sourced where it is recorded
            out.append((start + m.start(), span.raw[start + m.start() : start + m.end()].strip()))
            break  # one finding per sentence: the fix is the same
    return out


_PANE_OF_FIELD = (
    ("summary", "Overview pane (1): press e and add the source beside it in the Summary"),
    ("impact", "Overview pane (1): press i and give the figure its source"),
    ("scope", "Overview pane (1): press s and add the source beside it"),
    ("lessons", "Overview pane (1): press l and add the source beside it"),
    ("ai_factors", "Overview pane (1): press f and add the source beside it"),
    ("causes", "Causes pane (3): press l to link the evidence, or e to add the source"),
)


def _where(span: Span) -> str:
    if span.file == "postmortem.md":
        return "Narrative pane (6): add the source beside it"
    return next(
        (text for prefix, text in _PANE_OF_FIELD if span.field.startswith(prefix)),
        "press e on the entry and add the source beside it",
    )


def _has_own_source(incident: Incident, field: str) -> bool:
    """An impact note whose figure names its source."""
    m = re.match(r"impact\.(\w+)\.", field)
    if not m or not hasattr(incident.impact, m.group(1)):
        return False
    return bool(getattr(getattr(incident.impact, m.group(1)), "source", "").strip())


@register_check(
    "fabrication",
    order=25,
    family="sources",
    rules=(
        Rule(
            "sources.unevidenced-cause",
            "error",
            "Causes pane (3): press l and link the timeline entries that confirm the cause, or h to mark it a hypothesis again.",
        ),
        Rule(
            "sources.figure-in-prose",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and give the figure's source (the query, dashboard, bill or eval run), or write [DATA GAP].",
        ),
        Rule(
            "sources.hypothesis-as-fact",
            "warning",
            "Causes pane (3): press e and word it as a hypothesis, or link evidence with l and confirm it with h.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    sev = by_stage(i, "synthesis")
    # A confirmed cause says what confirmed it: linked timeline entries or an inline source.
    for index, c in enumerate(i.causes):
        if c.status == "confirmed" and not c.evidence and not c.source.strip():
            out.append(
                Finding(
                    "sources.unevidenced-cause",
                    by_stage(i, "synthesis", "warning", "error"),
                    f"cause {c.id} is marked confirmed but cites no evidence: {c.statement[:80]}",
                    "Causes pane (3): put the cursor on the cause, press l and link the timeline entries "
                    "that confirm it, or press h to mark it a hypothesis again.",
                    entry=c.id,
                    field=f"causes[{c.id}].evidence",
                    line=ctx.toml_line(("causes", index)),
                )
            )
        if c.status == "hypothesis" and _CERTAIN_RE.search(c.statement) and not _HEDGE_RE.search(c.statement):
            out.append(
                Finding(
                    "sources.hypothesis-as-fact",
                    "warning",
                    f"hypothesis {c.id} is written as fact: {c.statement[:80]}",
                    "Causes pane (3): press e and word it as a hypothesis ('likely', 'we suspect', "
                    "what would confirm it), or link evidence with l and confirm it with h.",
                    entry=c.id,
                    field=f"causes[{c.id}].statement",
                    line=ctx.toml_line(("causes", index)),
                )
            )
    confirmed_root = any(c.status == "confirmed" and c.kind in ROOT_KINDS for c in i.causes)
    sourced = sourced_numbers(i)
    evidenced = {c.id for c in i.causes if c.evidence or c.source.strip()}
    for span in ctx.all_spans():
        if span.file == "incident.toml" and not span.field.startswith(_PROSE_FIELDS):
            continue
        own = span.entry in evidenced or _has_own_source(i, span.field)
        for offset, figure in _unsourced_figures(span, sourced, own):
            where = _where(span)
            out.append(
                Finding(
                    "sources.figure-in-prose",
                    sev,
                    f'figure with no source: "{figure}"',
                    f"{where} (the query, dashboard, bill or eval run) or write [DATA GAP] with what "
                    "would give the number.",
                    span.file,
                    span.entry,
                    span.field,
                    span.line_at(offset),
                )
            )
        if not confirmed_root and span.file == "postmortem.md":
            for m in _ROOT_CLAIM_RE.finditer(span.text):
                line_text = span.text
                if _HEDGE_RE.search(line_text):
                    continue
                out.append(
                    Finding(
                        "sources.hypothesis-as-fact",
                        "warning",
                        f"states a root cause as fact while no cause is confirmed: "
                        f'"{span.raw[m.start() : m.end() + 60].strip()}"',
                        "Narrative pane (6): write it in *italics* or with 'likely' until evidence "
                        "confirms it; confirm the cause in the Causes pane (3) with l (evidence) and h.",
                        span.file,
                        span.entry,
                        span.field,
                        span.line_at(m.start()),
                    )
                )
                break
    return out
