"""Follow-through on what a postmortem promised: due and overdue actions, reminders, trackers.

due.py             overdue actions, actions and follow-up reviews coming due, closed incidents resurfaced
reminders.py       an iCalendar feed of due dates and webhook payloads (Slack or plain JSON)
webhook.py         POST with bounded retries and backoff (standard library only)
actions_export.py  open actions as tracker imports (Jira CSV, Linear CSV, GitHub issues JSON)
tracker_sync.py    a tracker's export read back: status, assignee and due date brought home
"""

__all__ = ["actions_export", "due", "reminders", "tracker_sync", "webhook"]
