"""One entry point for every report variant: canonical or one-pager, markdown or HTML, redacted or not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ...domain.model import Incident
from ...domain.taxonomy import Taxonomy
from ...store import Store, StoreError
from ...store.textio import atomic_write
from .canonical import render_markdown
from .html import render_html
from .onepager import render_onepager
from .redact import Person, load_keep, load_people, redact

if TYPE_CHECKING:
    from ..redaction import RedactionSummary

Format = Literal["md", "html"]
Audience = Literal["internal", "external"]


@dataclass(frozen=True)
class ReportOptions:
    format: Format = "md"
    exec: bool = False
    redact: bool | None = None  # None: follow the audience (external -> redacted)
    audience: Audience = "internal"

    @property
    def redacted(self) -> bool:
        return self.redact if self.redact is not None else self.audience == "external"

    @property
    def suffix(self) -> str:
        return ".html" if self.format == "html" else ".md"


@dataclass(frozen=True)
class Rendered:
    text: str
    redaction: RedactionSummary | None = None  # what was redacted, when the report is redacted


def _with_note(markdown: str, note: str) -> str:
    """The redaction count as a quoted line under the report's title."""
    title, sep, rest = markdown.partition("\n")
    return f"{title}\n\n> {note}{sep}{rest}"


def render_report(
    incident: Incident,
    narrative: str,
    options: ReportOptions = ReportOptions(),
    taxonomy: Taxonomy | None = None,
    people: list[Person] | None = None,
    keep: list[str] | None = None,
) -> Rendered:
    summary = None
    if options.redacted:
        incident, narrative, summary = redact(incident, narrative, people or [], keep or [])
    markdown = render_onepager(incident, narrative) if options.exec else render_markdown(incident, narrative, taxonomy)
    if summary is not None and not options.exec:  # the one-pager keeps to one screen; the CLI says it instead
        markdown = _with_note(markdown, summary.line())
    if options.format == "html":
        markdown = render_html(markdown, f"{'Summary' if options.exec else 'Postmortem'}: {incident.title}")
    return Rendered(markdown, summary)


def render(
    incident: Incident,
    narrative: str,
    options: ReportOptions = ReportOptions(),
    taxonomy: Taxonomy | None = None,
    people: list[Person] | None = None,
    keep: list[str] | None = None,
) -> str:
    return render_report(incident, narrative, options, taxonomy, people, keep).text


def report_from_store(store: Store, incident_id: str, options: ReportOptions = ReportOptions()) -> Rendered:
    record = store.load(incident_id)
    try:
        taxonomy = store.load_taxonomy()
    except StoreError:  # a broken taxonomy must not block a report; mappings are then left out
        taxonomy = None
    people = load_people(store.root) if options.redacted else []
    keep = load_keep(store.root) if options.redacted else []
    return render_report(record.incident, record.narrative, options, taxonomy, people, keep)


def export_report(
    store: Store, path: Path, incident: Incident, narrative: str, options: ReportOptions, taxonomy: Taxonomy | None
) -> Rendered:
    """The report of `incident` as it is now (unsaved edits included, as the Report pane shows it), written
    to `path` whole or not at all; redacted with the store's people map when the options say so."""
    people = load_people(store.root) if options.redacted else []
    keep = load_keep(store.root) if options.redacted else []
    rendered = render_report(incident, narrative, options, taxonomy, people, keep)
    atomic_write(path, rendered.text.encode("utf-8"))
    return rendered


def render_from_store(store: Store, incident_id: str, options: ReportOptions = ReportOptions()) -> str:
    return report_from_store(store, incident_id, options).text


def default_filename(incident_id: str, options: ReportOptions) -> str:
    kind = "summary" if options.exec else "postmortem"
    tag = "-redacted" if options.redacted else ""
    return f"{incident_id}-{kind}{tag}{options.suffix}"
