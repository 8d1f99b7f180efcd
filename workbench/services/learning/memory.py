"""Large builds in a worker thread (10,000 incidents' profiles, statistics, similarity): the cyclic garbage
collector held off while they allocate, and freed memory given back to the system after.

Cyclic GC: a build makes hundreds of thousands of objects that hold no reference cycles (profiles are
frozen dataclasses of strings and tuples), so the cyclic collector finds nothing in them; but each full
collection it starts meanwhile walks all of them while holding the GIL, blocking the app's event loop
(on the 10k store, statistics set off four full collections of up to 425 ms each, 1.3 s of their 3 s of
CPU). Plain reference counting still frees everything as usual.

Freed memory:
Building the similarity index or the statistics of 10,000 incidents makes and frees millions of small
objects. CPython returns its own small-object arenas when they empty, but what went through the C
allocator (larger objects, and everything a worker thread allocates, which glibc serves from a per-thread
arena) stays mapped in the process after it is freed: on the 10k store ~60 MB per build. glibc's
`malloc_trim` hands those free pages back; elsewhere (macOS, musl, Windows) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

_gc_lock = threading.Lock()
_gc_holds = 0  # builds running with the collector held off (they may overlap in two threads)
_gc_was_enabled = True


@contextmanager
def cyclic_gc_held_off() -> Iterator[None]:
    """No cyclic collection while the block runs (nor while any other such block runs, in any thread); the
    collector is back as it was when the last one ends. Nothing is collected on the way out: that would be
    the very pause this avoids, and the objects freed meanwhile were freed by reference counting."""
    global _gc_holds, _gc_was_enabled
    with _gc_lock:
        if _gc_holds == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holds += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0 and _gc_was_enabled:
                gc.enable()


@lru_cache(maxsize=1)
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_free_memory() -> bool:
    """Return the C allocator's free pages to the system; True when it could (glibc)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
