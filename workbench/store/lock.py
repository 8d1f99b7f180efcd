"""One writer at a time per store, across processes: `fcntl.flock` on `<store>/.workbench/lock`.

Every save holds the lock from its outside-edit check to its commit, so two workbench instances (or the
CLI while the app is open) never interleave writes or commits. flock locks die with their process, so a
killed writer never leaves the store locked. The lock is re-entrant within a process (a save that calls
another store operation does not deadlock itself).

The lock file doubles as the save-in-progress marker: a holder writes its pid into it and empties it again
on release, so a non-empty file found when taking the lock means the last holder was killed while it
held it (mid-save). Only then does the start-up crash cleanup walk every incident folder.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from .errors import RepoBusy

try:
    import fcntl
except ImportError:  # Windows: no flock; saves there rely on git's own index.lock alone
    fcntl = None  # type: ignore[assignment]  # None marks the module absent; every use checks for it

DEFAULT_TIMEOUT = 10.0
_POLL = 0.05


class StoreBusy(RepoBusy):
    """Another process is saving to the same store and did not finish in time."""


class _Held:
    def __init__(self) -> None:
        self.mutex = threading.RLock()
        self.fd: int | None = None
        self.depth = 0
        self.interrupted = False  # the lock file still named a holder when this process took the lock


_held: dict[str, _Held] = {}
_registry_mutex = threading.Lock()


class StoreLock:
    def __init__(self, private_dir: Path, timeout: float = DEFAULT_TIMEOUT):
        self.path = private_dir / "lock"
        self.timeout = timeout

    def _state(self) -> _Held:
        with _registry_mutex:
            return _held.setdefault(str(self.path), _Held())

    def acquire(self, timeout: float | None = None, *, wait: bool = True) -> bool:
        """Take the lock, waiting up to `timeout` seconds; raise StoreBusy when it stays taken.

        With `wait=False`, return False at once instead of raising when another process holds it.
        """
        state = self._state()
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        if not state.mutex.acquire(timeout=limit if wait else 0):
            if not wait:
                return False
            raise StoreBusy(self._busy_message(limit))
        if state.depth:
            state.depth += 1
            return True
        try:
            fd = self._open()
        except OSError:
            state.mutex.release()
            raise
        if fcntl is not None:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not wait or time.monotonic() >= deadline:
                        os.close(fd)
                        state.mutex.release()
                        if not wait:
                            return False
                        raise StoreBusy(self._busy_message(limit)) from None
                    time.sleep(_POLL)
        try:
            state.interrupted = bool(os.pread(fd, 64, 0).strip())
        except OSError:
            state.interrupted = True  # unreadable: assume the worst, the cleanup is only slower
        try:  # who holds it, for the other side's message (and the marker of a save in progress)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass
        state.fd, state.depth = fd, 1
        return True

    def release(self) -> None:
        state = self._state()
        state.depth -= 1
        if state.depth == 0 and state.fd is not None:
            fd, state.fd = state.fd, None
            try:  # released cleanly: no save is in progress any more
                os.ftruncate(fd, 0)
            except OSError:
                pass
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        state.mutex.release()

    def _open(self) -> int:
        from .boundary import private_dir

        # `.workbench` must be a real folder inside the store: a committed link there would put the
        # lock (and the caches) wherever it points. O_NOFOLLOW: the lock file itself is never a link.
        private_dir(self.path.parent.parent)
        return os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)

    def interrupted(self) -> bool:
        """While held: whether the previous holder was killed before releasing it (it may have left
        temporary files of a half-done save behind)."""
        return self._state().interrupted

    def holder(self) -> str:
        try:
            return self.path.read_text().strip()
        except OSError:
            return ""

    def _busy_message(self, waited: float) -> str:
        pid = self.holder()
        who = f"another workbench process (pid {pid})" if pid and pid != str(os.getpid()) else "another save"
        return (
            f"the store is busy: {who} is saving to it; waited {waited:g}s. "
            "Your edit is not lost: try again in a moment"
        )

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
