"""A form per diagnostic kind, with the result computed live as you type.

Computing runs in a thread worker a quarter second after the last change (scipy and statsmodels load on
the first one), so typing never waits for it; an answer older than the latest typing is dropped. Saving
uses the live answer for the values shown, computing again only if the values changed since."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from ..domain.model import DIAGNOSTIC_LABELS, Diagnostic, Incident
from .forms import FormError, FormField, FormModal

LIVE_DELAY = 0.25  # seconds after the last keystroke

_NUMBERS = {"k", "n", "k_a", "n_a", "k_b", "n_b", "before", "after"}  # whole numbers; other numeric fields are float


def kind_fields(kind: str, incident: Incident) -> list[FormField]:
    kept = [(f"{e.id}  {e.name}", e.id) for e in incident.evidence if e.path]
    claim = FormField(
        "claim",
        "Claim it tests (the postmortem's words)",
        "text",
        placeholder="the misroute reproduces; quality dropped 4 points; the A/B split held",
    )
    ev_help = "" if kept else "No kept evidence yet: add files in the Evidence pane (0) to compute from them."
    if kind == "reproduction":
        return [
            claim,
            FormField("k", "k: failures (or reproductions) seen", "int"),
            FormField("n", "n: tries (runs, samples, requests)", "int"),
            FormField(
                "method",
                "Interval",
                "select",
                [("exact (Clopper-Pearson)", "exact"), ("Wilson", "wilson")],
                allow_blank=False,
            ),
            FormField("confidence", "Confidence level", "float", placeholder="0.95"),
            FormField("what", "What was counted", "text", placeholder="runs"),
            FormField(
                "evidence",
                "…or count from evidence: an eval JSONL (failed items) or an OTLP export (ERROR spans)",
                "select",
                kept,
                help=ev_help,
            ),
            FormField(
                "span_name",
                "…with an OTLP export: count only spans of this name (blank: all)",
                "text",
                placeholder="llm.generate",
            ),
        ]
    if kind == "srm":
        return [
            claim,
            FormField("counts", "Observed count of each arm (comma separated)", "list", placeholder="5012, 4988"),
            FormField("expected", "Intended split as weights (blank: equal)", "list", placeholder="50, 50"),
            FormField("arms", "Arm names (comma separated)", "list", placeholder="control, treatment"),
            FormField(
                "evidence",
                "…or count from an exposure CSV (arm column, optional count column)",
                "select",
                kept,
                help=ev_help,
            ),
        ]
    if kind == "eval-delta":
        return [
            claim,
            FormField("k_a", "Run A: passes", "int"),
            FormField("n_a", "Run A: items", "int"),
            FormField("k_b", "Run B: passes", "int"),
            FormField("n_b", "Run B: items", "int"),
            FormField("label_a", "Name of run A", "text", placeholder="A (before)"),
            FormField("label_b", "Name of run B", "text", placeholder="B (after)"),
            FormField("alpha", "Significance level", "float", placeholder="0.05"),
            FormField("claimed", "The delta the postmortem claims (0.04, or 4 for 4 points)", "float"),
            FormField("evidence_a", "…or per-item results of run A (eval JSONL)", "select", kept, help=ev_help),
            FormField("evidence_b", "…and of run B (same items: paired McNemar / bootstrap)", "select", kept),
        ]
    if kind == "impact":
        return [
            claim,
            FormField(
                "calc",
                "Calculation",
                "select",
                [
                    ("affected requests = rate × traffic × window", "requests"),
                    ("compute cost = GPU-hours × price", "compute"),
                    ("token cost = tokens × price", "tokens"),
                    ("degraded service time = sum of windows", "downtime"),
                ],
                allow_blank=False,
            ),
            FormField("rate", "requests: share affected (0.16 for 16%)", "float"),
            FormField("rate_low", "requests: rate interval, low end (optional)", "float"),
            FormField("rate_high", "requests: rate interval, high end (optional)", "float"),
            FormField("traffic_per_hour", "requests: requests per hour", "float"),
            FormField("window_hours", "requests: hours affected", "float"),
            FormField("gpu_hours", "compute: GPU-hours", "float"),
            FormField("price_per_gpu_hour", "compute: USD per GPU-hour", "float"),
            FormField("tokens", "tokens: tokens used", "float"),
            FormField("price_per_million", "tokens: USD per million tokens", "float"),
            FormField("windows_minutes", "downtime: minutes each service was degraded (comma separated)", "list"),
            FormField("services", "downtime: service names (comma separated)", "list"),
        ]
    return [
        claim,
        FormField("before", "Events before", "int"),
        FormField("exposure_before", "Exposure before (hours, or requests…)", "float"),
        FormField("after", "Events after", "int"),
        FormField("exposure_after", "Exposure after", "float"),
        FormField("unit", "Unit of exposure", "text", placeholder="hour"),
        FormField("event", "What happened in between", "text", placeholder="the deploy"),
        FormField("alpha", "Significance level", "float", placeholder="0.05"),
    ]


def inputs_of(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Parsed form values -> diagnostic inputs (lists of numbers where numbers are meant)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "claim" or value is None or value == "" or value == []:
            continue
        if (kind == "srm" and key in ("counts", "expected")) or key == "windows_minutes":
            numbers = []
            for part in value:
                try:
                    number = float(part.replace(",", "").replace("_", ""))
                except ValueError:
                    raise FormError({key: f"not a number: {part!r}"}) from None
                numbers.append(int(number) if number.is_integer() else number)
            value = numbers
        elif key in _NUMBERS and isinstance(value, float):
            value = int(value)
        out[key] = value
    return out


def form_values(diagnostic: Diagnostic) -> dict[str, Any]:
    """A saved diagnostic's inputs as the form shows them."""
    out: dict[str, Any] = {"claim": diagnostic.claim}
    for key, value in diagnostic.inputs.items():
        out[key] = [str(v) for v in value] if isinstance(value, list) else value
    return out


class DiagnosticForm(FormModal):
    """A FormModal whose build is the diagnostic itself, with a live result line under the fields."""

    DEFAULT_CSS = """
    DiagnosticForm #live-result { border: round $success; padding: 0 1; margin: 1 0 0 0; height: auto; }
    DiagnosticForm #live-result.problem { border: round $warning; }
    """

    def __init__(
        self,
        kind: str,
        incident: Incident,
        folder: Path | None,
        values: dict[str, Any],
        diagnostic_id: str | None = None,
    ) -> None:
        self.kind = kind
        self.incident = incident
        self.folder = folder
        self.diagnostic_id = diagnostic_id
        self._live_timer: Timer | None = None
        self._live_seq = 0
        self._latest: tuple[dict[str, Any], Any] | None = None  # (raw values, Diagnostic or error text)
        verb = "Edit" if diagnostic_id else "Add"
        title = f"{verb} diagnostic: {DIAGNOSTIC_LABELS[kind]}" + (f" ({diagnostic_id})" if diagnostic_id else "")
        super().__init__(title, kind_fields(kind, incident), values, self._build)

    def on_mount(self) -> None:
        # Under the title, so the result stays in view however long the form is.
        scroll = self.query_one("VerticalScroll")
        scroll.mount(
            Static(Text("Result: fill in the numbers…", style="italic"), id="live-result"),
            after=self.query_one(".form-title"),
        )
        self._schedule_live()

    # ------------------------------------------------------------------------------------- live
    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _live_changed(self) -> None:
        self._schedule_live()

    def _schedule_live(self) -> None:
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(LIVE_DELAY, self._compute_live)

    def _compute_live(self) -> None:
        self._live_timer = None
        if not self.is_mounted:
            return
        self._live_seq += 1
        seq, raw = self._live_seq, self.raw_values()
        try:
            parsed = self.parsed_values()
            given = inputs_of(self.kind, parsed)
        except FormError as exc:
            self._show_live(seq, raw, "; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
            return
        claim = str(parsed.get("claim") or "")

        def work() -> None:
            result = self._diagnostic(given, claim)
            self.app.call_from_thread(self._show_live, seq, raw, result)

        self.run_worker(work, thread=True, group="diagnostic-live", exit_on_error=False)

    def _diagnostic(self, given: dict[str, Any], claim: str) -> Any:
        """A Diagnostic, or the one-line reason the inputs do not compute (never raises)."""
        from ..services.diagnostics import InputError, new_diagnostic

        old = next((d for d in self.incident.diagnostics if d.id == self.diagnostic_id), None)
        if old is not None:  # the same evidence as before must still be the same file
            for ev, sha in (("evidence", "sha256"), ("evidence_a", "sha256_a"), ("evidence_b", "sha256_b")):
                if given.get(ev) and given.get(ev) == old.inputs.get(ev) and sha in old.inputs:
                    given[sha] = old.inputs[sha]
        try:
            diagnostic, _ = new_diagnostic(
                self.incident, self.kind, given, claim, self.folder, diagnostic_id=self.diagnostic_id
            )
        except InputError as exc:
            return str(exc)
        except Exception as exc:  # a library's own complaint about odd input: said, never a crash
            return f"{type(exc).__name__}: {exc}"
        return diagnostic

    def _show_live(self, seq: int, raw: dict[str, Any], result: Any) -> None:
        if seq != self._live_seq or not self.is_mounted:
            return  # typing moved on since this was computed
        self._latest = (raw, result)
        line = self.query_one("#live-result", Static)
        if isinstance(result, Diagnostic):
            line.update(
                Text.assemble(
                    ("Result: ", "bold"),
                    result.sentence,
                    (f"\n{result.computed_with}" if result.computed_with else "", "dim"),
                )
            )
            line.remove_class("problem")
        else:
            line.update(Text.assemble(("Not computed yet: ", "bold"), str(result)))
            line.add_class("problem")

    # ------------------------------------------------------------------------------------ build
    def _build(self, values: dict[str, Any]) -> Diagnostic:
        raw = self.raw_values()
        if self._latest is not None and self._latest[0] == raw:
            result = self._latest[1]
        else:
            result = self._diagnostic(inputs_of(self.kind, values), str(values.get("claim") or ""))
        if not isinstance(result, Diagnostic):
            field, _, message = str(result).partition(": ")
            names = {f.name for f in self.fields}
            raise FormError({field if field in names else "form": message or str(result)})
        return result
