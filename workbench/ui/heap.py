"""Keeping Python's full garbage collections out of saves and typing.

A full (oldest-generation) collection walks every object the collector tracks. With an incident open that is
~140,000 objects (the incident screen's modules, its ten panes' widgets, the index), about 40 ms of CPU idle
and several times that on a loaded machine; the allocations of a save set one off every few saves, and
whichever thread runs it holds the interpreter, so the event loop stalled for that long (the largest stalls
measured during a commit). Objects that live as long as the screen are moved out of the collector's way
(`gc.freeze`) once it has opened, so a collection during a save walks only what was made since. When an
incident screen closes, most of what it made is garbage: everything is handed back to the collector,
collected once, there (after the screen below is drawn), and what survives is frozen again. Objects that
become garbage while frozen are freed at the next close, which unfreezes everything first: the freeze only
ever holds back what was let go since the last incident screen closed.
"""

from __future__ import annotations

import gc


def freeze() -> None:
    """What exists now lives on (an opened screen): full collections stop walking it."""
    gc.freeze()


def collect_and_freeze() -> None:
    """A screen closed: collect its garbage in one pass, then freeze what survives."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
