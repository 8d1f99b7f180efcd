"""`workbench stats` as text: tables with sparklines and bars."""

from __future__ import annotations

from ..domain.model import format_minutes
from ..services.learning.charts import bar, sparkline
from ..services.learning.stats import Stats


def render_stats(stats: Stats, top_modes: int = 15) -> str:
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
        top = max(sum(s.values()) for _, s in shown)
        for mode_id, series in shown:
            total = sum(series.values())
            out.append(f"  {mode_id:<{width}}  {sparkline(list(series.values()))}  {total:>3} {bar(total, top, 20)}")
        out.append("")
    if stats.recurring_modes:
        out.append("Recurring failure modes (in more than one incident)")
        for r in stats.recurring_modes:
            out.append(f"  {r.id} ({r.name}): {len(r.incidents)} incidents")
            out += [f"      {i}" for i in r.incidents]
        out.append("")
    if stats.recurring_causes:
        out.append("Recurring contributing factors (alike causes in more than one incident)")
        for c in stats.recurring_causes:
            out.append(f"  [{', '.join(c.words)}] in {len(c.incidents)} incidents")
            out += [f"      {ref.incident_id} {ref.cause_id}: {ref.statement}" for ref in c.causes]
        out.append("")
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
    top = max(stats.actions_by_status.values(), default=0)
    for status, count in stats.actions_by_status.items():
        out.append(f"  {status:<12} {count:>4} {bar(count, top, 30)}")
    rate = "—" if stats.closure_rate is None else f"{stats.closure_rate * 100:.0f}%"
    out.append(f"  closure rate {rate} (done + verified, of all but won't do)")
    out.append("")
    out.append(f"Overdue actions ({len(stats.overdue)})")
    for o in stats.overdue:
        out.append(
            f"  {o.incident_id} {o.action_id} due {o.due} ({o.days_overdue} days over, {o.status}, "
            f"{o.owner or 'no owner'}): {o.action}"
        )
    return "\n".join(out).rstrip() + "\n"
