"""The thread pool Textual's thread workers run in, each job in a context of its own.

Textual runs a thread worker with `loop.run_in_executor(None, ...)` and, in the pool thread, sets its
`active_worker` context variable to the worker. A pool thread's own context outlives the job, so the finished
worker (and through the work it ran, its pane and the closed incident screen, ~250,000 objects) stayed alive until
that thread happened to run another worker. No referrer shows it (the thread's context is held in C), and which
pool thread is reused next depends on timing: the full suite's "closed screen not freed" failure. Here each job
runs in a copy of the submitting context, dropped when the job ends.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class FreshContextExecutor(ThreadPoolExecutor):
    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


def install() -> None:
    """Make it the running loop's default executor (where `run_in_executor(None, ...)` runs)."""
    asyncio.get_running_loop().set_default_executor(FreshContextExecutor(thread_name_prefix="workbench-worker"))
