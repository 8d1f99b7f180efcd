"""Reports: the canonical postmortem (markdown and HTML), the light review, the executive one-pager,
Mermaid diagrams and redaction for sharing."""

from .build import ReportOptions, Rendered, default_filename, render, render_from_store, render_report, report_from_store
from .canonical import render_markdown
from .markup import blame_phrases

__all__ = ["ReportOptions", "Rendered", "default_filename", "render", "render_from_store", "render_report",
           "report_from_store", "render_markdown", "blame_phrases"]
