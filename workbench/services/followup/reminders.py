"""Reminders that reach people: an iCalendar feed of due dates and follow-up reviews, and webhook payloads.

Calendar (`workbench due --format ics`):
- one all-day event per action with a due date, on that date, with a reminder the day before;
- one all-day event per incident's follow-up review: on `follow_up` when set; when not set and the
  incident is in Close & track or closed, a suggested review 30 days after the postmortem (the method asks
  for one 30-90 days after), saying so;
- UIDs are built from the store id (its first commit, the same in every clone), the incident id and the
  action id, so importing the file again updates the events instead of adding copies; SEQUENCE grows with
  each export (minutes since the epoch), so calendars accept the update;
- an action that is done, verified or won't-do, and a follow-up that took place, stay in the file as
  CANCELLED, so a re-import takes them off the calendar.

Webhook (`workbench notify`): overdue actions and follow-up reviews due within N days, as Slack's
incoming-webhook JSON (`text` + Block Kit `blocks`) or a plain JSON document for other receivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from icalendar import Alarm, Calendar, Event

from ...domain.wording import counted
from ...domain.model import Incident
from .due import DueReport

PRODID = "-//Postmortem Workbench//workbench due//EN"
UID_DOMAIN = "postmortem-workbench"
SUGGESTED_AFTER = 30  # days after the postmortem, when no follow-up date is set
SLACK_MAX_ITEMS = 40  # Slack allows 50 blocks a message: the rest is summarised


def uid(store_id: str, incident_id: str, item: str) -> str:
    return f"pmwb-{store_id}-{incident_id}-{item}@{UID_DOMAIN}"


def _all_day(event: Event, day: date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def _follow_up_day(incident: Incident) -> tuple[date, bool] | None:
    """The follow-up review's day and whether it is only suggested (no date set)."""
    if incident.follow_up is not None:
        return incident.follow_up, False
    if incident.stage not in ("tracking", "closed"):
        return None
    base = (
        incident.postmortem_date
        or (incident.times.resolved.date() if incident.times.resolved else None)
        or incident.started_on
    )
    return (base + timedelta(days=SUGGESTED_AFTER), True) if base else None


def calendar(incidents: list[Incident], store_id: str, store_name: str, now: datetime) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Postmortems: {store_name}")
    stamp = now.astimezone(timezone.utc).replace(microsecond=0)
    sequence = int(stamp.timestamp()) // 60
    for incident in sorted(incidents, key=lambda i: i.id):
        for action in incident.actions:
            if action.due is None:
                continue
            event = Event()
            event.add("uid", uid(store_id, incident.id, action.id))
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            _all_day(event, action.due)
            first = " ".join(action.action.split())
            event.add("summary", f"{action.id} due: {first[:120]}")
            event.add(
                "description",
                "\n".join(
                    [
                        action.action.strip(),
                        "",
                        f"Incident: {incident.title} ({incident.id}, {incident.severity})",
                        f"Owner: {action.owner or 'not set'}; priority {action.priority}; status {action.status}",
                        f"Verification: {action.verification.strip() or 'not yet defined'}",
                        f"workbench show {incident.id}",
                    ]
                ),
            )
            event.add("categories", ["postmortem", "action"])
            if action.status in ("open", "in-progress"):
                event.add("status", "CONFIRMED")
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{action.id} is due tomorrow")
                alarm.add("trigger", timedelta(days=-1))
                event.add_component(alarm)
            else:
                event.add("status", "CANCELLED")
            cal.add_component(event)
        found = _follow_up_day(incident)
        if found is None:
            continue
        day, suggested = found
        event = Event()
        event.add("uid", uid(store_id, incident.id, "follow-up"))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        _all_day(event, day)
        event.add("summary", f"Follow-up review: {incident.title[:120]}")
        lines = [
            f"The 30-90 day follow-up review of {incident.id} ({incident.severity}, stage {incident.stage}):",
            "did the actions land, and did they work?",
        ]
        if suggested:
            lines += [
                "",
                f"Suggested: no follow-up date is set; this is {SUGGESTED_AFTER} days after the "
                "postmortem. Set `follow_up` in the incident to fix the date.",
            ]
        lines += ["", f"When it took place: workbench followup {incident.id}"]
        event.add("description", "\n".join(lines))
        event.add("categories", ["postmortem", "follow-up"])
        event.add("status", "CANCELLED" if incident.follow_up_held else ("TENTATIVE" if suggested else "CONFIRMED"))
        cal.add_component(event)
    return cal


def calendar_ics(incidents: list[Incident], store_id: str, store_name: str, now: datetime) -> bytes:
    ics: bytes = calendar(incidents, store_id, store_name, now).to_ical()
    return ics


# ------------------------------------------------------------------------------------------ webhook
@dataclass(frozen=True)
class Notice:
    """What a notification says: the overdue actions and the follow-ups due, from a DueReport."""

    store: str
    report: DueReport

    @property
    def empty(self) -> bool:
        return not (self.report.overdue_actions or self.report.follow_ups)


def plain_payload(notice: Notice) -> dict[str, Any]:
    r = notice.report
    return {
        "source": "postmortem-workbench",
        "store": notice.store,
        "today": r.today.isoformat(),
        "within_days": r.within,
        "overdue_actions": [
            {
                "incident": a.incident_id,
                "action_id": a.action_id,
                "action": a.action,
                "owner": a.owner,
                "status": a.status,
                "due": a.due.isoformat(),
                "days_overdue": -a.days,
            }
            for a in r.overdue_actions
        ],
        "follow_ups": [
            {
                "incident": f.incident_id,
                "title": f.title,
                "stage": f.stage,
                "date": f.follow_up.isoformat(),
                "days": f.days,
                "overdue": f.days < 0,
                "resurfaced": f.resurfaced,
            }
            for f in r.follow_ups
        ],
    }


def _mrkdwn(text: str) -> str:
    """Slack mrkdwn needs &, < and > escaped (they start entities and links)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str, limit: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_payload(notice: Notice) -> dict[str, Any]:
    r = notice.report
    n_actions, n_follow = len(r.overdue_actions), len(r.follow_ups)
    headline = (
        f"Postmortems ({notice.store}): {counted(n_actions, 'overdue action')}, "
        f"{counted(n_follow, 'follow-up review')} due within {r.within} days"
    )
    lines: list[str] = []
    for a in r.overdue_actions:
        lines.append(
            f"• *{_mrkdwn(a.action_id)}* ({_mrkdwn(a.incident_id)}) due {a.due} — {-a.days} days over, "
            f"{_mrkdwn(a.owner or 'no owner')}: {_mrkdwn(_one_line(a.action))}"
        )
    for f in r.follow_ups:
        when = f"{-f.days} days overdue" if f.days < 0 else ("today" if f.days == 0 else f"in {f.days} days")
        lines.append(
            f"• Follow-up review of *{_mrkdwn(f.incident_id)}* on {f.follow_up} ({when}): {_mrkdwn(_one_line(f.title))}"
        )
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": headline[:150]}}]
    for line in lines[:SLACK_MAX_ITEMS]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": line[:3000]}})
    if len(lines) > SLACK_MAX_ITEMS:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"and {len(lines) - SLACK_MAX_ITEMS} more: run `workbench due`"}
                ],
            }
        )
    return {"text": headline, "blocks": blocks}
