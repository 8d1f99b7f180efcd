"""The published site's pages as HTML strings: the shell every page shares, the index, an incident's
report, the taxonomy and the learning views. Pure functions of their inputs, so unchanged input gives
byte-identical pages (what makes a second publish rewrite only what changed)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import mistune

from ...domain.model import STAGE_LABELS, STAGES, Incident, severity_label
from ...domain.taxonomy import Taxonomy
from ..report.html import IMAGE_SCHEMES, SafeRenderer, allowed_url
from ..learning.stats import Stats
from . import svg
from .assets import CSP
from .diagrams import inline_diagrams

SEVERITIES = ("P0", "P1", "P2")


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def sev_class(severity: str) -> str:
    """`sev-P1`; `sev-not-set` for an unstated severity (one class, not two)."""
    return e("sev-" + "-".join(severity.split()))


def page_name(incident_id: str) -> str:
    return f"incidents/{incident_id}.html"


@dataclass(frozen=True)
class Row:
    """What the index, taxonomy and learning pages need of one published incident."""

    id: str
    title: str
    severity: str
    stage: str
    kind: str
    started: str  # YYYY-MM-DD or ""
    modes: tuple[str, ...]
    summary: str

    @property
    def year(self) -> str:
        return self.started[:4]


def row_of(incident: Incident, modes: Iterable[str]) -> Row:
    started = incident.started_on
    # An unstated severity reads "not set", as everywhere else (it printed "None" here).
    return Row(
        incident.id,
        incident.title,
        severity_label(incident.severity),
        incident.stage,
        incident.kind,
        started.isoformat() if started else "",
        tuple(sorted(modes)),
        " ".join(incident.summary.split()),
    )


def shell(
    title: str,
    body: str,
    *,
    root: str,
    store_name: str,
    current: str = "",
    search: bool = True,
    pagefind_body: bool = False,
) -> str:
    nav = [("index.html", "Incidents"), ("taxonomy.html", "Taxonomy"), ("learning.html", "Learning")]
    here = ' aria-current="page"'
    links = "".join(f'<a href="{root}{href}"{here if href == current else ""}>{label}</a>' for href, label in nav)
    search_box = f'<div id="search" data-root="{root}"></div>' if search else ""
    main_attr = " data-pagefind-body" if pagefind_body else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{e(title)} · {e(store_name)}</title>\n"
        '<link rel="icon" href="data:,">\n'  # no favicon.ico request (a 404 on a static host)
        f'<link rel="stylesheet" href="{root}assets/site.css">\n'
        f'<script src="{root}assets/site.js" defer></script>\n</head>\n<body>\n'
        f'<header class="site"><span class="brand">{e(store_name)} postmortems</span><nav>{links}</nav></header>\n'
        f"<main{main_attr}>\n{search_box}{body}</main>\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------------------------ report
class PublishRenderer(SafeRenderer):
    """The report renderer, except that a remote image becomes a link: the page loads nothing remote."""

    def image(self, text: str, url: str, title: str | None = None) -> str:
        alt = html.escape(html.unescape(re.sub(r"<[^>]*>", "", text)), quote=True) or "image"
        safe = allowed_url(url, IMAGE_SCHEMES)
        if safe is None:
            return f'<span class="dropped-image">[image: {alt}]</span>'
        return (
            f'<a class="remote" href="{html.escape(safe, quote=True)}" rel="noopener noreferrer nofollow">'
            f"[image: {alt}]</a>"
        )


def report_body(markdown: str) -> tuple[str, int, int]:
    md = mistune.create_markdown(escape=True, renderer=PublishRenderer(), plugins=["table", "strikethrough"])
    return inline_diagrams(str(md(markdown)))


def incident_page(row: Row, markdown: str, *, store_name: str, audience: str) -> tuple[str, int, int]:
    body, drawn, left = report_body(markdown)
    meta = (
        f'<p class="modes" data-pagefind-ignore>{e(row.id)} · <span class="sev {sev_class(row.severity)}" '
        f'data-pagefind-filter="severity">{e(row.severity)}</span> · stage '
        f'<span data-pagefind-filter="stage">{e(row.stage)}</span>'
        + (" · redacted for an external audience" if audience == "external" else "")
        + "</p>\n"
    )
    # Pagefind titles a result by the page's first heading: the report's "Postmortem: <title>".
    return (
        shell(row.title, meta + f"<article>{body}</article>\n", root="../", store_name=store_name, pagefind_body=True),
        drawn,
        left,
    )


# ------------------------------------------------------------------------------------------ index
def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{e(v)}">{e(text)}</option>' for v, text in options)
    return (
        f'<label>{e(label)}<select data-filter="{name}" id="filter-{name}">'
        f'<option value="">any</option>{opts}</select></label>'
    )


def index_page(
    rows: list[Row],
    mode_names: dict[str, str],
    *,
    store_name: str,
    quarters: list[str],
    by_severity: dict[str, dict[str, int]],
) -> str:
    years = sorted({r.year for r in rows if r.year}, reverse=True)
    used_modes = sorted(
        {m for r in rows for m in r.modes}, key=lambda m: mode_names[m].lower() if m in mode_names else m.lower()
    )
    stages = [s for s in STAGES if any(r.stage == s for r in rows)]
    filters = "".join(
        [
            '<label>Title or id<input type="search" data-filter="text" id="filter-text" placeholder="filter"></label>',
            _select("severity", "Severity", [(s, s) for s in SEVERITIES if any(r.severity == s for r in rows)]),
            _select("stage", "Stage", [(s, STAGE_LABELS.get(s, s)) for s in stages]),
            _select("mode", "Failure mode", [(m, mode_names.get(m, m)) for m in used_modes]),
            _select("year", "Year", [(y, y) for y in years]),
        ]
    )
    body_rows = []
    for r in sorted(rows, key=lambda r: (r.started, r.id), reverse=True):
        modes = ", ".join(mode_names.get(m, m) for m in r.modes)
        text = f"{r.id} {r.title}".lower()
        body_rows.append(
            f'<tr data-id="{e(r.id)}" data-severity="{e(r.severity)}" data-stage="{e(r.stage)}" '
            f'data-year="{e(r.year)}" data-started="{e(r.started or "0000")}" data-title="{e(r.title.lower())}" '
            f'data-stageorder="{STAGES.index(r.stage) if r.stage in STAGES else 9}" '
            f'data-modes="{e(" ".join(r.modes))}" data-text="{e(text)}">'
            f'<td>{e(r.started or "undated")}</td><td class="sev {sev_class(r.severity)}">{e(r.severity)}</td>'
            f'<td><a href="{e(page_name(r.id))}">{e(r.title)}</a><br><span class="modes">{e(r.id)}'
            f"{' · near-miss' if r.kind == 'near-miss' else ''}</span></td>"
            f'<td>{e(STAGE_LABELS.get(r.stage, r.stage))}</td><td class="modes">{e(modes)}</td></tr>'
        )
    chart = svg.stacked_columns(quarters, by_severity, svg.SEVERITY_COLOURS, "Incidents per quarter by severity")
    head = (
        "<thead><tr>"
        '<th><button type="button" data-sort="started" aria-sort="descending">Started</button></th>'
        '<th><button type="button" data-sort="severity">Sev</button></th>'
        '<th><button type="button" data-sort="title">Title</button></th>'
        '<th><button type="button" data-sort="stageorder">Stage</button></th>'
        "<th>Failure modes</th></tr></thead>"
    )
    body = (
        f'<h1>Incidents</h1>\n{chart}\n<div class="filters">{filters}</div>\n'
        f'<p class="count" id="count" aria-live="polite">{len(rows)} incidents</p>\n'
        f'<table class="incidents">{head}<tbody>\n' + "\n".join(body_rows) + "\n</tbody></table>\n"
    )
    return shell("Incidents", body, root="", store_name=store_name, current="index.html")


# ------------------------------------------------------------------------------------------ taxonomy
LIST_LIMIT = 100


def taxonomy_page(taxonomy: Taxonomy, rows: list[Row], *, store_name: str) -> str:
    by_mode: dict[str, list[Row]] = {}
    for r in sorted(rows, key=lambda r: (r.started, r.id), reverse=True):
        for m in r.modes:
            by_mode.setdefault(m, []).append(r)
    parts = [
        "<h1>Failure-mode taxonomy</h1>",
        f"<p>{len(taxonomy.modes)} modes in {len(taxonomy.families)} families; "
        f"{sum(1 for m in by_mode)} of them seen in the published incidents.</p>",
    ]
    parts.append(
        svg.hbar_chart(
            [
                (m.name, len(by_mode[m.id]), f"#mode-{m.id}")
                for m in sorted(
                    (m for m in taxonomy.modes if m.id in by_mode), key=lambda m: (-len(by_mode[m.id]), m.id)
                )
            ][:25],
            "Incidents per failure mode (top 25)",
        )
    )
    for family in taxonomy.families:
        parts.append(f'<h2 id="family-{e(family.id)}">{e(family.name)}</h2>')
        if family.description:
            parts.append(f"<p>{e(family.description)}</p>")
        for mode in taxonomy.modes_of(family.id):
            if mode.deprecated:
                continue
            seen = by_mode.get(mode.id, [])
            parts.append(
                f'<h3 id="mode-{e(mode.id)}">{e(mode.name)} <code>{e(mode.id)}</code> '
                f'<span class="count">· {len(seen)} incident{"s" if len(seen) != 1 else ""}</span></h3>'
            )
            parts.append(f"<p>{e(mode.description)}</p>")
            if seen:
                items = "".join(
                    f'<li><a href="{e(page_name(r.id))}">{e(r.title)}</a> '
                    f'<span class="modes">{e(r.started or "undated")} · {e(r.severity)}</span></li>'
                    for r in seen[:LIST_LIMIT]
                )
                more = (
                    f'<p><a href="index.html#mode={quote(mode.id)}">All {len(seen)} in the index</a></p>'
                    if len(seen) > LIST_LIMIT
                    else ""
                )
                parts.append(f'<ul class="mode-list">{items}</ul>{more}')
    return shell("Taxonomy", "\n".join(parts) + "\n", root="", store_name=store_name, current="taxonomy.html")


# ------------------------------------------------------------------------------------------ learning
def _minutes(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value / 60:.1f} h" if value >= 120 else f"{value:.0f} min"


def learning_page(stats: Stats, *, store_name: str) -> str:
    parts = [
        "<h1>Learning across incidents</h1>",
        f"<p>{stats.incidents} published incidents as of {stats.today.isoformat()}.</p>",
    ]
    modes = list(stats.by_mode.items())[:20]
    parts.append('<h2 id="modes-over-time">Failure modes over time</h2>')
    parts.append("<p>Incidents per quarter under each mode (the 20 most frequent; same scale on every row).</p>")
    parts.append(
        svg.series_chart(
            stats.quarters,
            [(stats.mode_names.get(m, m), series, f"taxonomy.html#mode-{m}") for m, series in modes],
            "Failure modes over time",
        )
        or "<p>No incident is tagged with a mode yet.</p>"
    )
    families = list(stats.by_family.items())
    if families:
        parts.append('<h2 id="families-over-time">Families over time</h2>')
        parts.append(
            svg.series_chart(
                stats.quarters,
                [(stats.family_names.get(f, f), series, f"taxonomy.html#family-{f}") for f, series in families],
                "Failure-mode families over time",
            )
        )
    parts.append('<h2 id="recurring-modes">Recurring failure modes</h2>')
    if stats.recurring_modes:
        parts.append(
            svg.hbar_chart(
                [(r.name, len(r.incidents), f"taxonomy.html#mode-{r.id}") for r in stats.recurring_modes[:25]],
                "Recurring failure modes",
            )
        )
    else:
        parts.append("<p>No mode is tagged in more than one incident.</p>")
    parts.append('<h2 id="recurring-causes">Recurring causes</h2>')
    clusters = stats.recurring_causes[:30]
    if clusters:
        parts.append(
            svg.hbar_chart(
                [
                    (", ".join(c.words) or "alike wording", len(c.incidents), f"#cause-{n}")
                    for n, c in enumerate(clusters)
                ],
                "Recurring causes",
            )
        )
        if len(stats.recurring_causes) > len(clusters):
            parts.append(
                f'<p class="note">The {len(clusters)} largest of {len(stats.recurring_causes):,} groups, '
                f"over all {stats.incidents:,} published incidents.</p>"
            )
        for n, c in enumerate(clusters):
            items = "".join(
                f'<li><a href="{e(page_name(ref.incident_id))}">{e(ref.incident_id)}</a> '
                f"({e(ref.cause_id)}): {e(ref.statement)}</li>"
                for ref in c.causes[:20]
            )
            if c.cause_count > 20:
                items += f'<li class="note">… and {c.cause_count - 20:,} more</li>'
            parts.append(
                f'<h3 id="cause-{n}">{e(", ".join(c.words) or "alike wording")} '
                f'<span class="count">· {c.incident_count:,} incidents, {c.cause_count:,} causes</span></h3>'
                f"<ul>{items}</ul>"
            )
    else:
        parts.append("<p>No alike causes across incidents.</p>")
    if stats.medians_by_severity:
        parts.append('<h2 id="times">Time to detect, mitigate and resolve (medians)</h2>')
        rows = "".join(
            f"<tr><td>{e(sev)}</td><td>{_minutes(m.to_detect)}</td><td>{_minutes(m.to_mitigate)}</td>"
            f"<td>{_minutes(m.to_resolve)}</td><td>{m.incidents}</td></tr>"
            for sev, m in stats.medians_by_severity.items()
        )
        parts.append(
            "<table><thead><tr><th>Severity</th><th>Detect</th><th>Mitigate</th><th>Resolve</th>"
            f"<th>Incidents</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append('<h2 id="actions">Action items</h2>')
    parts.append(
        svg.hbar_chart(
            [(status, n, None) for status, n in stats.actions_by_status.items()],
            "Action items by status",
            unit="actions",
        )
    )
    if stats.closure_rate is not None:
        parts.append(f"<p>Closure rate: {stats.closure_rate:.0%} (done or verified, of all but won't-do).</p>")
    return shell("Learning", "\n".join(parts) + "\n", root="", store_name=store_name, current="learning.html")


def quarter_severity(rows: list[Row], quarters: list[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {s: dict.fromkeys(quarters, 0) for s in SEVERITIES}
    for r in rows:
        if not r.started:
            continue
        d = date.fromisoformat(r.started)
        q = f"{d.year}Q{(d.month - 1) // 3 + 1}"
        if q in out.get(r.severity, {}):
            out[r.severity][q] += 1
    return {s: v for s, v in out.items() if any(v.values())}
