"""The method's bounds: stay in scope (hard rule 6: no legal opinions), no production code (hard rule 9),
and own your limits (hard rule 12: say so and bring in a specialist when the analysis leaves the team's
expertise)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....domain.narrative import sections
from .findings import Finding, by_stage, stage_at_least
from .registry import Rule, register_check
from .text import Context

# Legal interpretation: conclusions about what the law says or what the organisation owes under it.
# Mapping a finding to a framework ("maps to EU AI Act Art. 15", "NIST AI RMF MEASURE 2.5") is allowed.
_LEGAL_RE = re.compile(
    r"\b(violat(es|ed|ing|ion of)|breach(es|ed)? of|in breach|infring(es|ed|ement of)|contraven\w+|"
    r"non-?complian(t|ce) with|(is|was|are|were|be) (il)?legal(ly)?\b|unlawful(ly)?|illegal(ly)?|"
    r"(legally|criminally|civilly) (liable|responsible|required|obliged|obligated)|we are liable|(is|are|be) liable|"
    r"liability (for|under)|we (must|are required to|have to) (notify|report to) the (regulator|authorit\w+|dpa|ico)|"
    r"constitutes? a (breach|violation)|(fully |not )?compliant with (the )?(gdpr|ccpa|hipaa|eu ai act|ai act|sox))",
    re.IGNORECASE,
)
_LAW_NEAR_RE = re.compile(
    r"\b(gdpr|ccpa|hipaa|law|laws|legal|regulation|regulat\w+|statute|"
    r"directive|liable|liability|court|terms of service|dpa|ico|ftc|ai act|eu ai act)\b",
    re.IGNORECASE,
)
# Production code: a fenced block in a language the team ships, or code that defines or trains.
_PROD_LANGS = {
    "python",
    "py",
    "go",
    "golang",
    "rust",
    "rs",
    "java",
    "kotlin",
    "scala",
    "typescript",
    "ts",
    "javascript",
    "js",
    "c",
    "cpp",
    "c++",
    "csharp",
    "cs",
    "ruby",
    "rb",
    "swift",
    "php",
}
_DIAGNOSTIC_LANGS = {
    "sql",
    "promql",
    "logql",
    "kql",
    "text",
    "txt",
    "log",
    "console",
    "shell",
    "sh",
    "bash",
    "diff",
    "json",
    "yaml",
    "yml",
    "toml",
    "ini",
    "mermaid",
    "http",
    "csv",
}
_CODE_LINE_RE = re.compile(
    r"^\s*(def |class |import |from \S+ import|for .+ in .+:|while .+:|return\b|async def |"
    r"func |fn |public |private |package |struct |impl |const |let |var |function |"
    r"\w+\s*=\s*\w+\(|optimizer\.|loss\.backward|model\.(train|fit)|torch\.|tf\.)"
)
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)\s*([\w+#-]*)")
# Domains past a typical ML platform team's expertise, with the words that show the analysis relies on them.
SPECIALIST_DOMAINS: dict[str, re.Pattern[str]] = {
    "hardware physics": re.compile(
        r"\b(bit[- ]?flips?|silent data corruption|cosmic ray|ecc errors?|hbm|"
        r"thermal throttl\w+|voltage|electromigration|row ?hammer|firmware fault|"
        r"faulty (gpu|tpu|memory|dimm|interconnect)|nvlink (errors?|faults?))\b",
        re.IGNORECASE,
    ),
    "adversarial ML research": re.compile(
        r"\b(adversarial suffix\w*|gradient[- ]based attack|gcg attack|"
        r"membership inference|model extraction|model inversion|"
        r"data poisoning|backdoor(ed)? (model|weights|trigger)|universal jailbreak|"
        r"trojan(ed)? model|sleeper agent)\b",
        re.IGNORECASE,
    ),
    "cryptography": re.compile(
        r"\b(side[- ]channel|timing attack|key recovery|nonce reuse|padding oracle|"
        r"cryptanalys\w+)\b",
        re.IGNORECASE,
    ),
    "law and regulation": re.compile(
        r"\b(regulatory (exposure|obligation|notification)|data protection "
        r"authority|legal (exposure|hold|review))\b",
        re.IGNORECASE,
    ),
}
_SPECIALIST_RE = re.compile(
    r"\b(specialist|expert|consult\w*|external (help|review|team|firm|researchers?)|"
    r"vendor|outside (our|the team'?s) (expertise|competence|knowledge)|beyond our expertise|"
    r"brought in|bring in|engaged|counsel|legal team|security research\w*|"
    r"hardware team|\[ASSUMPTION\])\b",
    re.IGNORECASE,
)


def _code_blocks(narrative: str) -> Iterator[tuple[int, str, list[str], str]]:
    """(first line number, language, body lines, section heading) of each fenced block."""
    heads = [(s.line, s.heading) for s in sections(narrative)]
    lines = narrative.split("\n")
    start: int | None = None
    lang = ""
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        m = _FENCE_RE.match(line)
        if m and start is None:
            start, lang, body = number, m.group(2).lower(), []
        elif m and start is not None:
            heading = next((h for n, h in reversed(heads) if n <= start), "")
            yield start, lang, body, heading
            start = None
        elif start is not None:
            body.append(line)


@register_check(
    "bounds",
    order=90,
    title="Stay in bounds",
    why=(
        "Hard rules 6, 9 and 12: no legal opinions, no production code, and name the "
        "specialist when the analysis leaves the team's expertise."
    ),
    rules=(
        Rule(
            "bounds.legal",
            "error",
            "Review pane (8): press enter on the finding to jump to the text and state the facts; map them to a framework in the Taxonomy pane (5) with f, and leave the legal reading to counsel.",
        ),
        Rule(
            "bounds.code",
            "error",
            "Narrative pane (6): replace the code block with a link to the commit or pull request, then press ctrl+s to save.",
        ),
        Rule(
            "bounds.specialist",
            "warning",
            "Narrative pane (6): say which part is outside the team's expertise and who will review it, then press ctrl+s to save.",
        ),
    ),
)
def check(ctx: Context) -> list[Finding]:
    i = ctx.incident
    out: list[Finding] = []
    sev = by_stage(i, "review")
    for span in ctx.all_spans():
        for m in _LEGAL_RE.finditer(span.text):
            window = span.text[max(0, m.start() - 80) : m.end() + 80]
            if not _LAW_NEAR_RE.search(window):
                continue  # "violates the SLO", "a breach of the latency budget": not law
            where = (
                "Narrative pane (6)"
                if span.file == "postmortem.md"
                else "the pane that holds it (Overview 1 for summary, scope and impact)"
            )
            out.append(
                Finding(
                    "bounds.legal",
                    sev,
                    f'legal interpretation: "{span.raw[m.start() : m.end() + 30].strip()}"',
                    f"{where}: state the facts (what data, whose, how long exposed) and map them to the "
                    "framework in the Taxonomy pane (5, f shows framework mappings); leave whether it "
                    "violates the law to counsel.",
                    span.file,
                    span.entry,
                    span.field,
                    span.line_at(m.start()),
                )
            )
            break
    for line, lang, body, heading in _code_blocks(ctx.narrative):
        if lang in _DIAGNOSTIC_LANGS:
            continue
        code_lines = sum(1 for b in body if _CODE_LINE_RE.match(b))
        if lang in _PROD_LANGS and code_lines >= 1 or code_lines >= 3:
            out.append(
                Finding(
                    "bounds.code",
                    sev,
                    f"production code in the narrative ({lang or 'code'}, {len(body)} lines)",
                    "Narrative pane (6): replace the block with a link to the commit or pull request and "
                    "a sentence on what it does; diagnostic queries (```sql, ```promql, logs) may stay.",
                    "postmortem.md",
                    heading or None,
                    "",
                    line,
                )
            )
    if stage_at_least(i, "analysis"):
        everything = " ".join(s.text for s in ctx.all_spans())
        if not _SPECIALIST_RE.search(everything):
            for domain, pattern in SPECIALIST_DOMAINS.items():
                found = pattern.search(everything)
                if found:
                    out.append(
                        Finding(
                            "bounds.specialist",
                            "warning",
                            f'the analysis relies on {domain} ("{found.group(0)}") and names no specialist',
                            "Own the limits (hard rule 12): in the Narrative pane (6) say which part is "
                            "outside the team's expertise and who will review it, or add a question "
                            "for a specialist with c in the Review pane (8).",
                            field="",
                            line=None,
                            file="postmortem.md" if ctx.narrative else "incident.toml",
                        )
                    )
                    break
    return out
