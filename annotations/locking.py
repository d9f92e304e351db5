"""The one guard of the store's cross-process lock: writers wait for it, readers never do.

Every file of the store is only ever replaced whole or appended to, so reading needs no lock (as
in SQLite, a reader sees the last change committed and never waits for a writer). The lock
orders writers. A writer that is suspended (Ctrl-Z) or slow keeps it, so:

- :meth:`StoreLock.try_hold` takes it only if it is free now; opening a store and tidying after
  a crashed writer use it, and simply skip the tidying when another process is writing;
- :meth:`StoreLock.hold` waits, up to the timeout, and calls ``on_wait`` once first when it must
  wait at all, so that an application can say "waiting for another reader process" instead of
  looking frozen;
- :meth:`StoreLock.hold_if_possible` waits the same way but goes on without the lock when it
  cannot be had (the undo history: losing a race loses an undo step, never an annotation).

The store, its entity corrections and its undo history all lock through this one class
(with :func:`annotations.guard.guarded` around it for the store's files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

#: How long a change waits for another process to finish with the store before giving up.
LOCK_TIMEOUT = 30.0
#: How often a waiting process retries the lock; short, because a write takes about a millisecond.
POLL_INTERVAL = 0.002

#: What a waiting writer is told with; the argument is the store's path.
WaitNotice = Callable[[Path], None]

__all__ = ["LOCK_TIMEOUT", "POLL_INTERVAL", "StoreLock", "Timeout", "WaitNotice"]


class StoreLock:
    """The lock file ``lock_file`` of the store ``store``; re-entrant within one process.

    ``on_wait`` (settable at any time) is called with ``store`` when :meth:`hold` finds the lock
    held by another process and is about to wait for it; it is called from the waiting thread.
    """

    def __init__(self, store: Path, lock_file: Path, timeout: float, on_wait: WaitNotice | None = None) -> None:
        self.store = store
        self.timeout = timeout
        self.on_wait = on_wait
        self._lock = FileLock(str(lock_file), timeout=timeout, poll_interval=POLL_INTERVAL)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock, waiting up to the timeout (:class:`Timeout` then)."""
        if not self._lock.is_locked:
            try:
                self._lock.acquire(timeout=0)
            except Timeout:
                if self.on_wait is not None:
                    self.on_wait(self.store)
                self._lock.acquire()
        else:
            self._lock.acquire()  # re-entered: counted, never waits
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def try_hold(self) -> Iterator[bool]:
        """Hold the lock if it is free now; yields whether it is held (never waits)."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            self._lock.release()

    @contextmanager
    def hold_if_possible(self) -> Iterator[bool]:
        """Hold the lock as :meth:`hold` does; if it cannot be had (the timeout passed, or the
        lock file cannot be made), go on without it. Yields whether it is held."""
        try:
            holding = self.hold()
            holding.__enter__()
        except (Timeout, OSError):
            yield False
            return
        try:
            yield True
        finally:
            with suppress(OSError):
                holding.__exit__(None, None, None)
