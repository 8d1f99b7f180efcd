"""Overview: what, how bad, who, when (with derived durations), and the quantified impact."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...domain import edit
from ...domain.model import (
    AI_FACTORS,
    STAGE_LABELS,
    AIFactors,
    Exposure,
    Factor,
    Figure,
    Impact,
    Incident,
    KeyTimes,
    Lessons,
    Scope,
    durations,
    format_minutes,
    severity_label,
)
from ...services.review.checks import FACTOR_LABELS
from ..forms import FormError, FormField, FormModal
from .base import Pane
from ..reading_scroll import ReadingScroll
from ..redraw import RenderedOnce, update_static

_FIGURE_LABELS = {
    "users_affected": "Users affected",
    "requests_affected": "Requests affected",
    "p99_latency_delta_ms": "p99 latency delta (ms)",
    "compute_hours_lost": "Compute hours lost",
    "cost_usd": "Cost (USD)",
    "quality_delta": "Quality / eval delta",
}


# The scroll's padding (one column each side) and its scrollbar's room (Textual's default width, 2), which
# DEFAULT_CSS keeps from the start: the sections' width is the pane's less these.
FIRST_LAYOUT_MARGIN = 4


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


class OverviewPane(Pane):
    pane_id = "overview"
    title = "Overview"
    key = "1"

    BINDINGS = [
        Binding("e", "edit", "Edit facts", id="overview.edit"),
        Binding("i", "edit_impact", "Edit impact", id="overview.impact"),
        Binding("s", "edit_scope", "Edit scope", id="overview.scope"),
        Binding("f", "edit_factors", "AI factors", id="overview.ai_factors"),
        Binding("l", "edit_lessons", "Lessons", id="overview.lessons"),
    ]

    DEFAULT_CSS = """
    /* The scrollbar's room kept from the start: the sections are rich tables measured at their width, and a
       scrollbar appearing after the first layout narrowed them, so all five were measured and drawn again. */
    OverviewPane VerticalScroll { height: 1fr; padding: 0 1; scrollbar-gutter: stable; }
    OverviewPane .section { padding-top: 1; }
    OverviewPane .section-title { text-style: bold; color: $primary; padding-top: 1; }
    """

    def compose(self) -> ComposeResult:
        # Each section is made with its content: filled in at mount instead, every section asked for a layout
        # after the screen's first one, and the whole screen was measured and painted again (issue 15).
        i = self.incident
        self._drawn: dict[str, Any] = self._parts(i)  # per section, what of the incident it shows (see show)
        tables = [
            RenderedOnce(build(i)) for build in (self._facts, self._impact, self._scope, self._factors, self._lessons)
        ]
        self._first_lines(tables)
        facts, impact, scope, factors, lessons = tables
        with ReadingScroll(can_focus=True, id="overview-scroll"):
            yield Static(facts, id="overview-facts")
            yield Static("Impact", classes="section-title")
            yield Static(impact, id="overview-impact")
            yield Static("Scope", classes="section-title")
            yield Static(scope, id="overview-scope")
            yield Static("AI-native factors", classes="section-title")
            yield Static(factors, id="overview-factors")
            yield Static("Lessons learned", classes="section-title")
            yield Static(lessons, id="overview-lessons")
            yield Static(
                Text("e edit facts · i edit impact · s edit scope · f AI factors · l lessons", style="dim"),
                classes="section",
            )

    def _first_lines(self, tables: list[RenderedOnce]) -> None:
        """The sections' lines made here, in the pane's own turn of the event loop, at the width the screen's
        first layout gives them (the app's width less the scroll's padding and scrollbar room, both set in
        DEFAULT_CSS). Left to that layout, they were measured and drawn in the same turn as the rest of the new
        screen: ~30% of an incident's open's longest turn. At another width they are made then, as before."""
        app = self.app
        width = app.size.width - FIRST_LAYOUT_MARGIN
        if width > 0:
            options = app.console_options.update_width(width).update(highlight=False)  # as Textual renders a Static
            for table in tables:
                table.prime(app.console, options)

    def on_mount(self) -> None:
        self.show()  # an edit made between compose and mount

    @staticmethod
    def _parts(i: Incident) -> dict[str, Any]:
        return {
            "facts": (i.title, i.severity, i.kind, i.review, i.stage, i.commander, i.lead, i.times, i.systems)
            + (i.models, i.tags, i.follow_up, i.summary),
            "impact": i.impact,
            "scope": i.scope,
            "factors": i.ai_factors,
            "lessons": i.lessons,
        }

    def show(self) -> None:
        """Redraw the sections whose part of the incident changed. Each section is a table measured to lay the
        screen out: redrawing all five on every save re-measured them all (most of the event loop's time
        during a save), where an edit usually touches one."""
        if not self.query("#overview-facts"):
            return  # the pane is being torn down (the app closed while it mounted): nothing left to draw into
        i = self.incident
        drawn, now = self._drawn, self._parts(i)
        self._drawn = now
        for section, build in (
            ("facts", self._facts),
            ("impact", self._impact),
            ("scope", self._scope),
            ("factors", self._factors),
            ("lessons", self._lessons),
        ):
            if drawn.get(section) != now[section]:
                update_static(self.query_one(f"#overview-{section}", Static), RenderedOnce(build(i)))

    @staticmethod
    def _facts(i: Incident) -> Table:
        d = durations(i)
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column()
        facts.add_row("Title", Text(i.title, style="bold"))
        facts.add_row("Severity", f"{severity_label(i.severity)}   kind {i.kind}   review {i.review}")
        facts.add_row("Stage", STAGE_LABELS[i.stage])
        facts.add_row("Commander / lead", Text(f"{i.commander or '—'}  /  {i.lead or '—'}"))
        facts.add_row("Started", _when(i.times.started))
        facts.add_row("Detected", f"{_when(i.times.detected)}   (time to detect {format_minutes(d.to_detect)})")
        facts.add_row("Mitigated", f"{_when(i.times.mitigated)}   (time to mitigate {format_minutes(d.to_mitigate)})")
        facts.add_row("Resolved", f"{_when(i.times.resolved)}   (time to resolve {format_minutes(d.to_resolve)})")
        facts.add_row("Systems", Text(", ".join(i.systems) or "—"))
        facts.add_row("Models", Text(", ".join(i.models) or "—", style="italic" if not i.models else ""))
        facts.add_row("Tags", Text(", ".join(i.tags) or "—"))
        facts.add_row("Follow-up review", str(i.follow_up or "—"))
        if i.summary:
            facts.add_row("Summary", Text(i.summary))
        return facts

    @staticmethod
    def _impact(i: Incident) -> Table:
        impact = Table(box=None, padding=(0, 2), show_edge=False, expand=True)
        impact.add_column("Figure", style="bold", no_wrap=True)
        impact.add_column("Value", ratio=2)
        impact.add_column("Note", ratio=4)
        impact.add_column("Source", ratio=2, overflow="fold")
        for name, label in _FIGURE_LABELS.items():
            fig: Figure = getattr(i.impact, name)
            value = (
                Text("—", style="dim")
                if fig.value is None
                else Text(f"{fig.value:,g} {fig.unit}".strip(), style="bold")
            )
            source = (
                Text(fig.source)
                if fig.source
                else (Text("no source", style="italic") if not fig.is_empty else Text(""))
            )
            impact.add_row(label, value, Text(fig.note), source)
        for name in ("safety_exposure", "trust_exposure"):
            exposure: Exposure = getattr(i.impact, name)
            impact.add_row(name.replace("_", " ").capitalize(), "", Text(exposure.text or "—"), Text(exposure.source))
        for ref in i.impact.regulatory:
            impact.add_row("Framework ref", Text(f"{ref.framework} {ref.reference}"), Text(ref.note), "")
        return impact

    @staticmethod
    def _scope(i: Incident) -> Table:
        scope = Table.grid(padding=(0, 2))
        scope.add_column(style="bold", no_wrap=True)
        scope.add_column()
        scope.add_row("Covers", Text(i.scope.covers or "—"))
        scope.add_row("Leaves out", Text(i.scope.excludes or "—"))
        scope.add_row("Blameless intent", Text(i.scope.blameless_intent or "—"))
        return scope

    @staticmethod
    def _factors(i: Incident) -> Table:
        factors = Table.grid(padding=(0, 2))
        factors.add_column(style="bold", no_wrap=True)
        factors.add_column()
        for name in AI_FACTORS:
            factor: Factor = getattr(i.ai_factors, name)
            if factor.analysis.strip():
                answer = Text(factor.analysis)
            elif factor.not_applicable:
                answer = Text.assemble(("not applicable: ", "italic"), factor.reason or "— (no reason yet)")
            else:
                answer = Text("— not addressed yet", style="dim")
            factors.add_row(name.replace("_", " "), answer)
        return factors

    @staticmethod
    def _lessons(i: Incident) -> Table:
        lessons = Table.grid(padding=(0, 2))
        lessons.add_column(style="bold", no_wrap=True)
        lessons.add_column()
        lessons.add_row("What went well", Text("\n".join(f"• {t}" for t in i.lessons.went_well) or "—"))
        lessons.add_row("What could improve", Text("\n".join(f"• {t}" for t in i.lessons.to_improve) or "—"))
        return lessons

    # ---------------------------------------------------------------------------------- editing
    def action_edit(self) -> None:
        i = self.incident
        fields = [
            FormField("title", "Title"),
            FormField(
                "severity",
                "Severity",
                "select",
                [*[("P0", "P0"), ("P1", "P1"), ("P2", "P2")], ("not set [DATA GAP]", "")],
                allow_blank=False,
            ),
            FormField(
                "kind", "Kind", "select", [("incident", "incident"), ("near-miss", "near-miss")], allow_blank=False
            ),
            FormField(
                "review",
                "Review",
                "select",
                [("full postmortem", "full"), ("light review", "light")],
                allow_blank=False,
            ),
            FormField("summary", "Summary (2–4 sentences)", "multiline"),
            FormField("commander", "Incident commander (role or handle)"),
            FormField("lead", "Postmortem lead (role or handle)"),
            FormField("started", "Started", "time"),
            FormField("detected", "Detected", "time"),
            FormField("mitigated", "Mitigated", "time"),
            FormField("resolved", "Resolved", "time"),
            FormField("systems", "Systems (comma separated)", "list"),
            FormField("models", "Model identifiers (comma separated)", "list"),
            FormField("tags", "Tags (comma separated, lowercase)", "list"),
            FormField("postmortem_date", "Postmortem date", "date"),
            FormField("follow_up", "Follow-up review date", "date"),
        ]
        values = {
            **i.model_dump(
                include={
                    "title",
                    "severity",
                    "kind",
                    "review",
                    "summary",
                    "commander",
                    "lead",
                    "systems",
                    "models",
                    "tags",
                    "postmortem_date",
                    "follow_up",
                }
            ),
            **i.times.model_dump(),
        }

        def build(v: dict[str, Any]) -> Any:
            times = KeyTimes(**{k: v.pop(k) for k in ("started", "detected", "mitigated", "resolved")})
            return edit.replace(i, times=times, **v)

        self.open_form(FormModal("Edit incident facts", fields, values, build), self._done("edit facts"), "edit")

    def action_edit_impact(self) -> None:
        i = self.incident
        fields: list[FormField] = []
        values: dict[str, Any] = {}
        for name, label in _FIGURE_LABELS.items():
            fig: Figure = getattr(i.impact, name)
            fields += [
                FormField(f"{name}__value", f"{label}: value", "float"),
                FormField(f"{name}__unit", "unit"),
                FormField(f"{name}__note", "note (say [DATA GAP] when unknown)"),
                FormField(f"{name}__source", "source"),
            ]
            values.update({f"{name}__{k}": getattr(fig, k) for k in ("value", "unit", "note", "source")})
        for name in ("safety_exposure", "trust_exposure"):
            exposure: Exposure = getattr(i.impact, name)
            fields += [
                FormField(f"{name}__text", name.replace("_", " ").capitalize(), "multiline"),
                FormField(f"{name}__source", "source"),
            ]
            values.update({f"{name}__text": exposure.text, f"{name}__source": exposure.source})
        fields.append(
            FormField(
                "diagnostics",
                "Diagnostics cited (dx- ids, comma separated)",
                "list",
                help="The statistics the figures rest on (Diagnostics pane: f8).",
            )
        )
        values["diagnostics"] = i.impact.diagnostics

        def build(v: dict[str, Any]) -> Any:
            cited = v.pop("diagnostics") or []
            unknown = [d for d in cited if d not in {x.id for x in i.diagnostics}]
            if unknown:
                raise FormError({"diagnostics": f"not a diagnostic of this incident: {', '.join(unknown)}"})
            data: dict[str, Any] = {"diagnostics": cited}
            for key, value in v.items():
                name, _, attr = key.partition("__")
                data.setdefault(name, {})[attr] = value
            value = Impact(**data, regulatory=i.impact.regulatory)
            return edit.replace(i, impact=value)

        self.open_form(
            FormModal("Edit impact (numbers where numbers are possible)", fields, values, build),
            self._done("edit impact"),
            "edit_impact",
        )

    def action_edit_scope(self) -> None:
        i = self.incident
        fields = [
            FormField("covers", "What this review covers", "multiline"),
            FormField("excludes", "What it leaves out", "multiline"),
            FormField("blameless_intent", "Blameless intent, as stated at scoping", "multiline"),
        ]

        def build(v: dict[str, Any]) -> Any:
            return edit.replace(i, scope=Scope(**v))

        self.open_form(
            FormModal("Edit scope", fields, i.scope.model_dump(), build), self._done("edit scope"), "edit_scope"
        )

    def action_edit_factors(self) -> None:
        """The six AI-native factors (hard rule 4): an analysis, or not applicable with the reason why."""
        i = self.incident
        fields: list[FormField] = []
        values: dict[str, Any] = {}
        for name in AI_FACTORS:
            factor: Factor = getattr(i.ai_factors, name)
            fields += [
                FormField(
                    f"{name}__analysis",
                    FACTOR_LABELS[name].capitalize(),
                    "multiline",
                    help="What this incident shows about it.",
                ),
                FormField(f"{name}__not_applicable", "Not applicable to this incident", "bool"),
                FormField(
                    f"{name}__reason",
                    "If not applicable: why, and how you know",
                    placeholder="e.g. no prompt changed in the window; checked in the prompt registry",
                ),
            ]
            values.update({f"{name}__{k}": getattr(factor, k) for k in ("analysis", "not_applicable", "reason")})

        def build(v: dict[str, Any]) -> Any:
            data: dict[str, dict[str, Any]] = {}
            for key, value in v.items():
                name, _, attr = key.partition("__")
                data.setdefault(name, {})[attr] = value
            return edit.replace(i, ai_factors=AIFactors(**{n: Factor(**d) for n, d in data.items()}))

        self.open_form(
            FormModal("AI-native factors (hard rule 4)", fields, values, build),
            self._done("edit AI factors"),
            "edit_factors",
        )

    def action_edit_lessons(self) -> None:
        """Lessons learned, one per line: what went well and what could be improved."""
        i = self.incident
        fields = [
            FormField("went_well", "What went well (one per line)", "multiline"),
            FormField(
                "to_improve", "What could be improved (one per line; systems and processes, not people)", "multiline"
            ),
        ]
        values = {"went_well": "\n".join(i.lessons.went_well), "to_improve": "\n".join(i.lessons.to_improve)}

        def build(v: dict[str, Any]) -> Any:
            return edit.replace(
                i, lessons=Lessons(went_well=_lines(v["went_well"]), to_improve=_lines(v["to_improve"]))
            )

        self.open_form(FormModal("Lessons learned", fields, values, build), self._done("edit lessons"), "edit_lessons")

    def _done(self, what: str):
        def done(result: Any) -> None:
            if result is not None and result != self.incident:
                self.commit(result, what)

        return done


def _lines(text: str | None) -> list[str]:
    """One lesson per line; list bullets typed out of habit ("- ", "* ", "• ") are dropped."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            out.append(line)
    return out
