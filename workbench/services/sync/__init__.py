"""Changes that arrive from elsewhere: the conflicts a sync left, and outside edits to an open incident.

conflicts.py  list, choose per field or whole file, and settle a sync's conflicts (CLI and Conflicts screen)
watcher.py    notice outside edits to the open incident, and the three ways to settle them
"""

__all__ = ["conflicts", "watcher"]
