"""Reports: the canonical postmortem (markdown and HTML), the light review, the executive one-pager,
Mermaid diagrams and redaction for sharing."""

from .build import ReportOptions, default_filename, render, render_from_store
from .canonical import render_markdown
from .markup import blame_phrases

__all__ = ["ReportOptions", "default_filename", "render", "render_from_store", "render_markdown", "blame_phrases"]
