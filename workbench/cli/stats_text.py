"""`workbench stats` as text: tables with sparklines and bars.

By default a summary that reads on one screen at any store size: the top recurring modes and cause groups
with their counts and a few examples each, the most overdue actions, and a line saying how many more there
are and how to see them. `full=True` (`--all`) lists everything: every incident of every recurring mode,
every statement of every cause group, every incident's times, every overdue action (at 10,000 incidents,
~45,000 statements); `--json` gives all of it as data.
"""

from __future__ import annotations

from ..domain.model import format_minutes
from ..services.learning.charts import bar, sparkline
from ..services.learning.stats import Stats

TOP = 10  # recurring modes, cause groups and overdue actions in the summary
EXAMPLES = 3  # statements shown per cause group in the summary
IDS = 3  # incident ids shown per recurring mode in the summary (ids run to 60 characters)
MORE = "workbench stats --all lists every one"


def _more(shown: int, total: int, what: str, how: str = MORE) -> list[str]:
    return [f"  … and {total - shown:,} more {what} ({how})"] if total > shown else []


def render_stats(stats: Stats, top_modes: int = 15, *, full: bool = False, top: int = TOP) -> str:
    out: list[str] = []
    since = f" since {stats.since}" if stats.since else ""
    span = f"{stats.quarters[0]}..{stats.quarters[-1]}" if stats.quarters else "no dates"
    out += [f"Learning across {stats.incidents} incident(s){since} ({span}); today {stats.today}", ""]

    if stats.by_family:
        out.append(f"Incidents per family by quarter ({', '.join(stats.quarters)})")
        width = max(len(stats.family_names.get(f, f)) for f in stats.by_family)
        for family, series in stats.by_family.items():
            counts = list(series.values())
            out.append(
                f"  {stats.family_names.get(family, family):<{width}}  {sparkline(counts)}  "
                f"{sum(counts):>3}  {' '.join(str(c) for c in counts)}"
            )
        out.append("")
    if stats.by_mode:
        shown = list(stats.by_mode.items())[:top_modes]
        out.append(f"Incidents per failure mode (top {len(shown)} of {len(stats.by_mode)})")
        width = max(len(m) for m, _ in shown)
        most = max(sum(s.values()) for _, s in shown)
        for mode_id, series in shown:
            total = sum(series.values())
            out.append(f"  {mode_id:<{width}}  {sparkline(list(series.values()))}  {total:>3} {bar(total, most, 20)}")
        out.append("")
    out += _recurring_modes(stats, full, top)
    out += _recurring_causes(stats, full, top)
    if stats.times:
        out.append("Median time to detect / mitigate / resolve")
        for label, table in (("severity", stats.medians_by_severity), ("quarter", stats.medians_by_quarter)):
            for key, m in table.items():
                out.append(
                    f"  {label} {key:<8} detect {format_minutes(m.to_detect):>10}  mitigate "
                    f"{format_minutes(m.to_mitigate):>10}  resolve {format_minutes(m.to_resolve):>10}  "
                    f"({m.incidents} incidents)"
                )
        out.append("")
        if full:
            out.append("Per incident")
            width = max(len(t.incident_id) for t in stats.times)
            for t in stats.times:
                out.append(
                    f"  {t.incident_id:<{width}} {t.severity} {t.quarter:<8} detect {format_minutes(t.to_detect):>9}"
                    f"  mitigate {format_minutes(t.to_mitigate):>9}  resolve {format_minutes(t.to_resolve):>9}"
                )
            out.append("")
    total = sum(stats.actions_by_status.values())
    out.append(f"Actions by status ({total})")
    peak = max(stats.actions_by_status.values(), default=0)
    for status, count in stats.actions_by_status.items():
        out.append(f"  {status:<12} {count:>4} {bar(count, peak, 30)}")
    rate = "—" if stats.closure_rate is None else f"{stats.closure_rate * 100:.0f}%"
    out.append(f"  closure rate {rate} (done + verified, of all but won't do)")
    out.append("")
    overdue = stats.overdue if full else stats.overdue[:top]
    out.append(f"Overdue actions ({stats.overdue_count:,}{'' if full else ', most overdue first'})")
    for o in overdue:
        out.append(
            f"  {o.incident_id} {o.action_id} due {o.due} ({o.days_overdue} days over, {o.status}, "
            f"{o.owner or 'no owner'}): {o.action}"
        )
    out += _more(len(overdue), stats.overdue_count, "overdue", "workbench due and workbench stats --all list every one")
    if not full and (stats.times or stats.recurring_causes or stats.recurring_modes):
        out += ["", "A summary: workbench stats --all lists everything, --json gives it as data."]
    return "\n".join(out).rstrip() + "\n"


def _recurring_modes(stats: Stats, full: bool, top: int) -> list[str]:
    if not stats.recurring_modes:
        return []
    modes = stats.recurring_modes if full else stats.recurring_modes[:top]
    out = [f"Recurring failure modes (in more than one incident): {len(stats.recurring_modes):,}"]
    for r in modes:
        out.append(f"  {r.id} ({r.name}): {r.incident_count:,} incidents")
        if full:
            out += [f"      {i}" for i in r.incidents]
        else:
            more = f" … and {r.incident_count - IDS:,} more" if r.incident_count > IDS else ""
            out.append(f"      {', '.join(r.incidents[:IDS])}{more}")
    out += _more(len(modes), len(stats.recurring_modes), "recurring modes")
    return [*out, ""]


def _recurring_causes(stats: Stats, full: bool, top: int) -> list[str]:
    if not stats.recurring_causes:
        return []
    groups = stats.recurring_causes if full else stats.recurring_causes[:top]
    out = [
        "Recurring contributing factors (alike causes in more than one incident): "
        f"{len(stats.recurring_causes):,} groups, largest first"
    ]
    for c in groups:
        out.append(f"  [{', '.join(c.words)}] in {c.incident_count:,} incidents, {c.cause_count:,} causes")
        causes = c.causes if full else c.causes[:EXAMPLES]
        out += [f"      {ref.incident_id} {ref.cause_id}: {ref.statement}" for ref in causes]
        if c.cause_count > len(causes):
            out.append(f"      … and {c.cause_count - len(causes):,} more")
    out += _more(len(groups), len(stats.recurring_causes), "groups")
    return [*out, ""]
