"""Reports: the canonical postmortem (markdown and HTML), the light review, the executive one-pager,
Mermaid diagrams and redaction for sharing.

    build.py        one entry point for every variant (canonical or one-pager, markdown or HTML, redacted)
    canonical.py    the method's template as markdown (read back by importing/postmortem/canonical.py)
    markup.py       the markdown helpers the writers (and that reader) share
    html.py         one self-contained HTML file;  mermaid.py  the diagrams;  onepager.py  the one-pager
    diagnostics.py  the diagnostics table and notes;  redact.py  the whole incident through one Redactor
"""

from .build import (
    ReportOptions,
    Rendered,
    default_filename,
    export_report,
    render,
    render_from_store,
    render_report,
    report_from_store,
)
from .canonical import render_markdown
from .markup import blame_phrases

__all__ = [
    "ReportOptions",
    "Rendered",
    "default_filename",
    "export_report",
    "render",
    "render_from_store",
    "render_report",
    "report_from_store",
    "render_markdown",
    "blame_phrases",
    "canonical",
    "diagnostics",
    "html",
    "markup",
    "mermaid",
    "redact",
]
