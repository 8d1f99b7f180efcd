"""The living taxonomy of failure modes: editing it, searching it, and where each mode is used.

edit.py        add, edit, rename, merge and deprecate modes, each a pure edit committed once
search.py      offline fuzzy search of modes by id, name, keywords and description
usage.py       which incidents and causes carry which mode, after aliases and merges
frameworks.py  an incident's modes mapped to external frameworks (information only)
"""

__all__ = ["edit", "frameworks", "search", "usage"]
