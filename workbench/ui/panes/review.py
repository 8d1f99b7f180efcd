"""Review: the method's findings grouped by rule (enter jumps to the entry or narrative line), what the
method asks at this stage with the next stage's entry criteria, review comments and sign-off."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from ...domain.model import STAGE_LABELS, Incident
from ...domain.review import Review
from ...services.learning.memory import release_free_memory
from ...services.review.checks import (
    FAMILIES,
    CheckConfig,
    Finding,
    counts,
    default_config,
    load_config,
    parser_loaded,
    run_checks,
)
from ...services.review.method_guide import evidence_coverage, guide
from ...services.review.steps import (
    FIELD_ANCHORS,
    ReviewBlocked,
    add_comment,
    comment_findings,
    resolve_comment,
    signoff,
)
from ...services.review.stages import criteria, next_stage
from ...store import IncidentRecord
from ...store.reviewfile import load_review
from ..forms import FormField, FormModal
from ..tables import Fit, FitTable, cursor_key
from ..hints import HintLine
from ..redraw import update_static
from .base import Pane

# The hint line's keys, most used first: those that do not fit at 80 columns give way to "? more".
REVIEW_KEYS = [("enter", "jump"), ("c", "comment"), ("x", "resolve"), ("S", "sign off"), ("m", "meeting")]

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
# Where a finding about an incident.toml field (not an entry) is shown.
FIELD_PANES = {
    "impact": "overview",
    "summary": "overview",
    "scope": "overview",
    "times": "overview",
    "severity": "overview",
    "review": "overview",
    "stage": "overview",
    "follow_up": "overview",
    "postmortem_date": "overview",
    "ai_factors": "overview",
    "lessons": "overview",
}


def method_text(incident: Incident, narrative: str, review: Review, config: CheckConfig | None) -> Text:
    """What the method asks now, the data-collection checklist, and the next stage's entry criteria."""
    g = guide()[incident.stage]
    out = Text()
    out.append(f"{STAGE_LABELS[incident.stage]}\n", style="bold")
    out.append(f"{g.goal}\n\n", style="italic")
    out.append("What the method asks now\n", style="bold underline")
    for ask in g.asks:
        out.append(f"• {ask}\n")
    if g.sources:
        out.append("\nSources (cited so far)\n", style="bold underline")
        for kind, count in evidence_coverage(incident):
            out.append(
                f"{'☑' if count else '☐'} {kind.label}" + (f" ({count})" if count else "") + "\n",
                style="" if count else "dim",
            )
    for title, items in (("5 Whys", g.five_whys), ("Barrier analysis", g.barrier_questions), ("Lenses", g.lenses)):
        if items:
            out.append(f"\n{title}\n", style="bold underline")
            for n, item in enumerate(items, start=1):
                out.append(f"{n}. {item}\n")
    following = next_stage(incident.stage)
    if following:
        out.append(f"\nTo enter {STAGE_LABELS[following]}\n", style="bold underline")
        for c in criteria(incident, following, narrative, review=review, config=config):
            out.append("✔ " if c.met else "✘ ", style="green" if c.met else "bold red")
            out.append(c.label + (f" — {c.detail}" if c.detail else "") + "\n")
    return out


def read_review(session: Any) -> tuple[Review, CheckConfig, list[tuple[str, Any]]]:
    """review.toml and the team's check rules of the session's incident, and what went wrong reading them (a
    message and its severity each): a broken rules file gives the bundled rules, a broken review.toml none."""
    store = session.git_store
    problems: list[tuple[str, Any]] = []
    try:
        config = load_config(store.root)
    except Exception as exc:  # a team rules file with an error: say where, use the bundled rules
        problems.append((f"Team check rules not used: {exc}", "warning"))
        config = default_config()
    try:
        review = load_review(store, session.id).review
    except Exception as exc:
        problems.append((f"review.toml could not be read: {exc}", "error"))
        review = Review()
    return review, config, problems


class ReviewPane(Pane):
    pane_id = "review"
    title = "Review"
    key = "8"
    needs_disk = True

    BINDINGS = [
        Binding("enter,g", "jump", "Jump to", id="review.jump"),
        Binding("i", "toggle_info", "Show info", id="review.info"),
        Binding("c", "comment", "Comment", id="review.comment"),
        Binding("x", "resolve", "Resolve comment", id="review.resolve"),
        Binding("S", "signoff", "Sign off stage", id="review.signoff"),
        Binding("m", "meeting", "Meeting mode", id="review.meeting"),
    ]

    SCOPED_CSS = False  # the size classes (-narrow, -short) are on the screen, above the pane
    DEFAULT_CSS = """
    ReviewPane #review-body { height: 1fr; }
    ReviewPane #review-findings { width: 3fr; height: 1fr; }
    ReviewPane #review-method { width: 2fr; height: 1fr; border-left: solid $panel; padding: 0 1; }
    ReviewPane #review-detail { height: auto; max-height: 7; border-top: solid $panel; padding: 0 1; }
    /* 80 columns: the method's guide goes under the findings instead of beside them. */
    .-narrow ReviewPane #review-body { layout: vertical; }
    .-narrow ReviewPane #review-findings { width: 1fr; }
    .-narrow ReviewPane #review-method { width: 1fr; height: 6; border-left: none; border-top: solid $panel; }
    .-short ReviewPane #review-detail { max-height: 4; }
    """

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.review = Review()
        self.config: CheckConfig = default_config()
        self.findings: list[Finding] = []
        self.show_info = False
        self._rows: dict[str, Finding] = {}
        self._loaded = False

    @property
    def loaded(self) -> bool:
        """Whether the first run of the checks has come back from its worker."""
        return self._loaded

    @property
    def rows(self) -> Mapping[str, Finding]:
        """The findings in the table, by row key (a read-only view: the table is rebuilt, never edited through it)."""
        return MappingProxyType(self._rows)

    def compose(self) -> ComposeResult:
        yield HintLine(classes="pane-summary")
        with Horizontal(id="review-body"):
            # The finding takes the width left; at 80 columns "Where" narrows. The detail area shows it whole.
            table: DataTable[Any] = FitTable(
                {"message": Fit(flex_min=28), "where": Fit(compact=12)}, cursor_type="row", id="review-findings"
            )
            table.add_column("Sev", key="sev", width=7)
            table.add_column("Where", key="where", width=24)
            table.add_column("Finding", key="message")
            yield table
            with VerticalScroll(id="review-method"):
                yield Static("", id="review-method-text")
        yield Static("", id="review-detail")

    def on_mount(self) -> None:
        self.load_review()

    # ---------------------------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def load_review(self) -> None:
        review, config, problems = read_review(self.session)
        for text, severity in problems:
            self.app.call_from_thread(self.notify, text, severity=severity, timeout=10)
        self.app.call_from_thread(self._review_loaded, review, config)

    def _review_loaded(self, review: Review, config: CheckConfig) -> None:
        self.review, self.config, self._loaded = review, config, True
        # The checks start once the pane's first frame is drawn: their thread (spaCy, first time) holds the
        # interpreter half the time, and the pane's first layout and paint, begun beside it, took twice as long.
        self.call_after_refresh(self.show)

    def show(self) -> None:
        self.recheck(self.incident, self.session.narrative)

    @work(thread=True, exclusive=True, group="review-checks", exit_on_error=False)
    def recheck(self, incident: Incident, narrative: str) -> None:
        """The checks run off the UI thread (tens of ms on a long incident); the latest edit wins."""
        toml_text = self.session.saved.toml.text if incident == self.session.saved.incident else None
        parser_was_loaded = parser_loaded()
        found = run_checks(incident, narrative, toml_text=toml_text, config=self.config)
        if not parser_was_loaded and parser_loaded():
            release_free_memory()  # loading spaCy's model leaves ~10 MB of freed C heap behind
        found += comment_findings(incident, narrative, self.review)
        guide_text = method_text(incident, narrative, self.review, self.config)
        self.app.call_from_thread(self._draw, found, guide_text)

    # ---------------------------------------------------------------------------------- drawing
    def _draw(self, found: list[Finding], guide_text: Text) -> None:
        self.findings = found
        table = self.query_one("#review-findings", DataTable)
        current = self._current_key()
        table.clear()
        self._rows = {}
        shown = [f for f in found if self.show_info or f.severity != "info"]
        groups: dict[str, list[Finding]] = {}
        for f in shown:
            groups.setdefault(f.rule, []).append(f)
        for rule, items in groups.items():
            family = FAMILIES.get(items[0].family, (items[0].family, ""))[0]
            table.add_row(
                Text("──", style="dim"),
                Text(family, style="bold"),
                Text(f"{rule} ({len(items)})", style="bold"),
                key=f"rule:{rule}",
            )
            for n, f in enumerate(items):
                key = f"f:{rule}:{n}"
                self._rows[key] = f
                where = f.entry or (f"{f.file}:{f.line}" if f.line else f.field or f.file)
                table.add_row(
                    Text(f.severity, style=SEVERITY_STYLE[f.severity]),
                    Text(where),
                    Text(f.message.replace("\n", " ")),
                    key=key,
                )
        total = counts(found)
        hidden = "" if self.show_info else " (i shows them)"
        counted = f"{total['error']} error(s) · {total['warning']} warning(s) · {total['info']} info"
        self.query_one(".pane-summary", HintLine).show(
            [counted + hidden, counted],
            [*REVIEW_KEYS[:2], ("i", "hide info" if self.show_info else "show info"), *REVIEW_KEYS[2:]],
        )
        # The guide in the frame after the findings': drawn in one turn, the two held the event loop ~100 ms CPU
        # on the 10k store (each is about half of it). Unchanged (a save that moved no criterion), it is not
        # laid out again.
        self.call_after_refresh(self._draw_guide, guide_text)
        if current and current in self._rows or (current or "").startswith("rule:"):
            try:
                table.move_cursor(row=table.get_row_index(current or ""))  # not None: tested above
            except Exception:
                pass
        self._show_detail()

    def _draw_guide(self, guide_text: Text) -> None:
        if self.is_mounted:
            update_static(self.query_one("#review-method-text", Static), guide_text)

    def _current_key(self) -> str | None:
        return cursor_key(self.query_one("#review-findings", DataTable))

    def current_finding(self) -> Finding | None:
        key = self._current_key()
        return self._rows.get(key) if key else None

    @on(DataTable.RowHighlighted, "#review-findings")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#review-findings")
    def _selected(self) -> None:
        self.action_jump()

    def _show_detail(self) -> None:
        # update_static: the table's RowHighlighted after a refill asks for the line `_draw` has just shown; a
        # Static's update lays the whole screen out again even when nothing changed.
        detail = self.query_one("#review-detail", Static)
        f = self.current_finding()
        if f is None:
            key = self._current_key() or ""
            family = FAMILIES.get(key.removeprefix("rule:").split(".")[0])
            update_static(
                detail,
                Text(family[1], style="italic")
                if family
                else Text("No findings to show." if not self._rows else "", style="italic"),
            )
            return
        where = f"{f.file}" + (f":{f.line}" if f.line else "") + (f"  {f.field}" if f.field else "")
        update_static(
            detail,
            Text.assemble(
                (f"{f.rule}  ", "bold"),
                (f.severity, SEVERITY_STYLE[f.severity]),
                ("  " + where + "\n", "dim"),
                f.message,
                "\n",
                ("fix: ", "bold"),
                f.fix or "—",
                "\n",
                (FAMILIES.get(f.family, ("", ""))[1], "italic dim"),
            ),
        )

    def focus_entry(self, entry_id: str) -> bool:
        return False  # findings are not entries; other panes receive the jumps

    # ---------------------------------------------------------------------------------- actions
    def action_toggle_info(self) -> None:
        self.show_info = not self.show_info
        self.show()

    def action_jump(self) -> None:
        f = self.current_finding()
        if f is None:
            return
        if f.rule.startswith("diagnostics.uncited-"):  # its fix is a form: open that kind in the Diagnostics pane
            kind = f.rule.removeprefix("diagnostics.uncited-")
            self.post_message(self.PaneWanted("diagnostics", action=f"add_kind({kind!r})"))
            return
        if f.entry and f.entry in self.incident.entry_ids():
            self.post_message(
                self.EntryWanted(self, f.entry, f"{f.entry} is at {f.file}:{f.line or '?'} (no pane lists it yet)")
            )
            return
        if f.file.endswith("postmortem.md") and f.line:
            self.post_message(self.PaneWanted("narrative", line=f.line))
            return
        root = (f.field or "").split(".")[0].split("[")[0]
        pane_id = FIELD_PANES.get(root)
        if pane_id:
            self.post_message(self.PaneWanted(pane_id))
            return
        self.notify(f"{f.file}" + (f" line {f.line}" if f.line else "") + (f" · {f.field}" if f.field else ""))

    def _anchor_for(self, f: Finding | None) -> str | None:
        if f is None:
            return None
        if f.entry:
            return f.entry
        root = (f.field or "").split(".")[0].split("[")[0]
        return root if root in FIELD_ANCHORS else None

    def action_comment(self) -> None:
        anchor = self._anchor_for(self.current_finding())
        fields = [
            FormField("on", "On (an entry id, a postmortem.md section, or impact/summary/...)", "text"),
            FormField(
                "text",
                "Comment",
                "multiline",
                help="Stored in review.toml beside the incident and committed; resolve it with x.",
            ),
        ]

        def build(v: dict[str, Any]) -> dict[str, str]:
            from ...services.review.steps import resolve_anchor
            from ..forms import FormError

            errors = {}
            if resolve_anchor(self.incident, self.session.narrative, v["on"]) is None:
                errors["on"] = "not an entry id, a section of postmortem.md, or " + ", ".join(FIELD_ANCHORS)
            if not v["text"].strip():
                errors["text"] = "a comment needs text"
            if errors:
                raise FormError(errors)
            return v

        def done(values: dict[str, str] | None) -> Any:
            if values:
                return self._comment(values["on"], values["text"])  # the form's journal waits for it
            return None

        self.open_form(FormModal("Review comment", fields, {"on": anchor or ""}, build), done, "comment")

    @work(thread=True, exclusive=True, group="review-write", exit_on_error=False)
    def _comment(self, on: str, text: str) -> bool:
        """True once the comment is committed (the form's journal entry is then discarded)."""
        self.session.wait_idle(20)  # one git writer at a time
        try:
            record, comment = add_comment(self.session.git_store, self.session.id, on, text, now=self.app.clock())  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        except Exception as exc:
            self.app.call_from_thread(
                self.notify,
                f"Comment not saved: {exc}. What you typed is kept: c opens the form with it again.",
                severity="error",
                timeout=10,
            )
            return False
        self.app.call_from_thread(self._after_write, record.review, f"Comment {comment.id} on {comment.on} saved")
        return True

    def action_resolve(self) -> None:
        f = self.current_finding()
        if f is None or f.rule not in ("review.open-comment", "review.orphan"):
            self.notify("Select an open review comment to resolve it.", severity="warning")
            return
        comment_id = f.message.split()[2]
        fields = [FormField("note", "How was it resolved? (optional)", "text")]

        def resolve(v: dict[str, Any] | None) -> None:
            if v is not None:
                self._resolve(comment_id, v["note"])

        self.app.push_screen(FormModal(f"Resolve {comment_id}", fields, {}, lambda v: v), resolve)

    @work(thread=True, exclusive=True, group="review-write", exit_on_error=False)
    def _resolve(self, comment_id: str, note: str) -> None:
        self.session.wait_idle(20)
        try:
            record = resolve_comment(self.session.git_store, self.session.id, comment_id, note, now=self.app.clock())  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Not resolved: {exc}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self._after_write, record.review, f"Resolved {comment_id}")

    def action_signoff(self) -> None:
        self._signoff(None)

    @work(thread=True, exclusive=True, group="review-write", exit_on_error=False)
    def _signoff(self, override: str | None) -> None:
        self.session.wait_idle(20)
        stage = self.incident.stage
        try:
            record, trailers = signoff(
                self.session.git_store,
                self.session.id,
                stage,
                override=override,
                now=self.app.clock(),  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
            )
        except ReviewBlocked as exc:
            self.app.call_from_thread(self._ask_override, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"Not signed off: {exc}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self._after_write, record.review, f"Signed off {stage}: {trailers[-1]}")

    def _ask_override(self, why: str) -> None:
        fields = [FormField("reason", "Sign off anyway? Give the reason (recorded in the commit)", "text", help=why)]

        def build(v: dict[str, Any]) -> str:
            from ..forms import FormError

            if not v["reason"].strip():
                raise FormError({"reason": "a reason is needed to override"})
            return v["reason"]

        def sign_off(reason: str | None) -> None:
            if reason:
                self._signoff(reason)

        self.app.push_screen(FormModal("Sign-off blocked", fields, {}, build), sign_off)

    def _after_write(self, review: Review, message: str) -> None:
        self.review = review
        self.notify(message)
        self.show()

    def action_meeting(self) -> None:
        from ..screens.meeting import MeetingScreen

        def wrote(record: IncidentRecord, subject: str) -> None:
            self.post_message(self.Written(record, subject))

        self.app.push_screen(MeetingScreen(self.session, wrote))
