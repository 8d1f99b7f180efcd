"""Follow-through: overdue actions, actions and follow-up reviews coming due, closed incidents resurfaced.

- An action is overdue when it is open or in progress and its due date is before today; it is coming
  due when its due date is today or within the next `within` days.
- A follow-up review is listed when `follow_up` is on or before today + `within` and no
  `follow_up_held` date says it took place; it is overdue when its date is before today.
- A closed incident whose follow-up date has arrived (on or before today) is *resurfaced*: the team
  promised to look again.
`anything_overdue` drives `workbench due`'s exit status (1) for scheduled jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..search.excerpt import Excerpt

if TYPE_CHECKING:  # the incident list counts from excerpts: no pydantic at start
    from ...domain.model import Incident
    from ..search.listing import ListColumns


@dataclass(frozen=True)
class DueAction:
    incident_id: str
    action_id: str
    action: str
    owner: str
    status: str
    due: date
    days: int  # days until due; negative when overdue


@dataclass(frozen=True)
class DueFollowUp:
    incident_id: str
    title: str
    stage: str
    follow_up: date
    days: int  # negative when overdue
    resurfaced: bool  # closed, and the date has arrived


@dataclass
class DueReport:
    today: date
    within: int
    overdue_actions: list[DueAction] = field(default_factory=list)
    upcoming_actions: list[DueAction] = field(default_factory=list)
    follow_ups: list[DueFollowUp] = field(default_factory=list)

    @property
    def overdue_follow_ups(self) -> list[DueFollowUp]:
        return [f for f in self.follow_ups if f.days < 0]

    @property
    def resurfaced(self) -> list[DueFollowUp]:
        return [f for f in self.follow_ups if f.resurfaced]

    @property
    def anything_overdue(self) -> bool:
        return bool(self.overdue_actions or self.overdue_follow_ups)

    def counts(self) -> dict[str, int]:
        """For the start screen: how many of each."""
        return {
            "overdue_actions": len(self.overdue_actions),
            "upcoming_actions": len(self.upcoming_actions),
            "follow_ups": len(self.follow_ups),
            "overdue_follow_ups": len(self.overdue_follow_ups),
            "resurfaced": len(self.resurfaced),
        }


def due_report(incidents: list[Incident], today: date, within: int = 14) -> DueReport:
    if within < 0:
        raise ValueError("--within is a number of days, 0 or more")
    horizon = today + timedelta(days=within)
    report = DueReport(today, within)
    for incident in incidents:
        for action in incident.open_actions():
            if action.due is None or action.due > horizon:
                continue
            item = DueAction(
                incident.id,
                action.id,
                action.action,
                action.owner,
                action.status,
                action.due,
                (action.due - today).days,
            )
            (report.overdue_actions if action.due < today else report.upcoming_actions).append(item)
        if incident.follow_up is not None and incident.follow_up_held is None and incident.follow_up <= horizon:
            report.follow_ups.append(
                DueFollowUp(
                    incident.id,
                    incident.title,
                    incident.stage,
                    incident.follow_up,
                    (incident.follow_up - today).days,
                    resurfaced=incident.stage == "closed" and incident.follow_up <= today,
                )
            )
    report.overdue_actions.sort(key=lambda a: (a.due, a.incident_id, a.action_id))
    report.upcoming_actions.sort(key=lambda a: (a.due, a.incident_id, a.action_id))
    report.follow_ups.sort(key=lambda f: (f.follow_up, f.incident_id))
    return report


def due_counts(excerpts: Iterable[Excerpt], today: date, within: int = 14) -> dict[str, int]:
    """`due_report(...).counts()` from light excerpts, for a start screen that does not load every
    incident. The same rules as `due_report`; a test holds the two to the same figures."""
    return _counts(
        ((e.open_due, e.follow_up, e.follow_up_held, e.stage) for e in excerpts if not e.problems), today, within
    )


def due_counts_of_columns(columns: ListColumns, rows: Iterable[int], today: date, within: int = 14) -> dict[str, int]:
    """`due_counts` from the list's columns (services/search/listing.py), over `rows`: the incidents that load."""
    due, follow_up, held, stage = columns.open_due, columns.follow_up, columns.follow_up_held, columns.stages
    return _counts(((due[r].split(), follow_up[r], held[r], stage[r]) for r in rows), today, within)


def _counts(items: Iterable[tuple[Iterable[str], str, str, str]], today: date, within: int) -> dict[str, int]:
    """The counts over (open actions' due dates, follow-up date, held date, stage) of incidents that load."""
    horizon = (today + timedelta(days=within)).isoformat()
    iso = today.isoformat()
    c = {"overdue_actions": 0, "upcoming_actions": 0, "follow_ups": 0, "overdue_follow_ups": 0, "resurfaced": 0}
    for open_due, follow_up, follow_up_held, stage in items:
        for due in open_due:
            if due <= horizon:
                c["overdue_actions" if due < iso else "upcoming_actions"] += 1
        if follow_up and not follow_up_held and follow_up <= horizon:
            c["follow_ups"] += 1
            c["overdue_follow_ups"] += follow_up < iso
            c["resurfaced"] += stage == "closed" and follow_up <= iso
    return c


def render_due(report: DueReport) -> str:
    out = [f"Due as of {report.today} (next {report.within} days)", ""]
    out.append(f"Overdue actions ({len(report.overdue_actions)})")
    out += [
        f"  {a.incident_id} {a.action_id} due {a.due} ({-a.days} days over, {a.status}, "
        f"{a.owner or 'no owner'}): {a.action}"
        for a in report.overdue_actions
    ]
    out += ["", f"Actions due within {report.within} days ({len(report.upcoming_actions)})"]
    out += [
        f"  {a.incident_id} {a.action_id} due {a.due} (in {a.days} days, {a.status}, "
        f"{a.owner or 'no owner'}): {a.action}"
        for a in report.upcoming_actions
    ]
    out += ["", f"Follow-up reviews ({len(report.follow_ups)})"]
    for f in report.follow_ups:
        when = f"{-f.days} days overdue" if f.days < 0 else ("today" if f.days == 0 else f"in {f.days} days")
        mark = "  RESURFACED (closed)" if f.resurfaced else ""
        out.append(f"  {f.incident_id} follow-up {f.follow_up} ({when}, stage {f.stage}){mark}: {f.title}")
    return "\n".join(out) + "\n"
