"""One entry point for every report variant: canonical or one-pager, markdown or HTML, redacted or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...domain.model import Incident
from ...domain.taxonomy import Taxonomy
from ...store import Store, StoreError
from .canonical import render_markdown
from .html import render_html
from .onepager import render_onepager
from .redact import Person, load_people, redact

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


def render(incident: Incident, narrative: str, options: ReportOptions = ReportOptions(),
           taxonomy: Taxonomy | None = None, people: list[Person] | None = None) -> str:
    if options.redacted:
        incident, narrative, _ = redact(incident, narrative, people or [])
    markdown = render_onepager(incident, narrative) if options.exec else \
        render_markdown(incident, narrative, taxonomy)
    if options.format == "html":
        return render_html(markdown, f"{'Summary' if options.exec else 'Postmortem'}: {incident.title}")
    return markdown


def render_from_store(store: Store, incident_id: str, options: ReportOptions = ReportOptions()) -> str:
    record = store.load(incident_id)
    try:
        taxonomy = store.load_taxonomy()
    except StoreError:  # a broken taxonomy must not block a report; mappings are then left out
        taxonomy = None
    people = load_people(store.root) if options.redacted else []
    return render(record.incident, record.narrative, options, taxonomy, people)


def default_filename(incident_id: str, options: ReportOptions) -> str:
    kind = "summary" if options.exec else "postmortem"
    tag = "-redacted" if options.redacted else ""
    return f"{incident_id}-{kind}{tag}{options.suffix}"
