"""The one guard around every operation on a store's files: its lock, and failures said in words.

The store, its entity corrections and its undo history all write files that several processes
share. Each operation runs inside :func:`guarded`: a change holds the store's
:class:`~annotations.locking.StoreLock` (waiting for it, with its ``on_wait`` notice), a read
holds nothing (readers never wait: files are only replaced whole or appended to), and every
failure of the files below (busy, damaged, newer, not writable) reaches the caller as one
:class:`~annotations.errors.StoreError` whose message names the file and says what to do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

from annotations import messages
from annotations.errors import Advice, StoreError
from annotations.locking import StoreLock, Timeout
from annotations.recovery import RestoreRefused
from annotations.schema import LayoutError, NewerVersion
from annotations.storage import StoreDamaged, StoreWriteFailed, backup_path

#: Makes the error for a damaged file of a store: given the file and why it is damaged.
Damaged = Callable[[Path, str], StoreError]
#: Makes the error for a file that could not be used at all (permissions, a missing folder).
Unusable = Callable[[OSError], StoreError]

__all__ = ["Damaged", "Unusable", "damaged_error", "guarded"]


@contextmanager
def guarded(
    lock: StoreLock,
    *,
    locked: bool,
    threads: threading.RLock | None = None,
    damaged: Damaged | None = None,
    unusable: Unusable | None = None,
) -> Iterator[None]:
    """Run the body one at a time in this process (holding ``threads``, if given) and, if
    ``locked``, across processes (holding ``lock``), with every storage failure turned into a
    :class:`StoreError` for the store ``lock.store``.

    ``damaged`` and ``unusable`` make the errors for a damaged file and for a file that could
    not be used, when the caller has better words than those of the store (the corrections file).
    """
    path = lock.store
    damaged = damaged or partial(damaged_error, path)
    try:
        with ExitStack() as held:
            if threads is not None:
                held.enter_context(threads)
            if locked:
                held.enter_context(lock.hold())
            yield
    except Timeout:
        raise StoreError(messages.busy_message(path, lock.timeout), path=path) from None
    except StoreDamaged as damage:
        raise damaged(damage.path, damage.reason) from None
    except LayoutError as error:
        raise damaged(path, str(error)) from None
    except NewerVersion as newer:
        raise StoreError(messages.newer_message(path, newer.version), path=path) from None
    except RestoreRefused as refused:
        raise StoreError(str(refused), path=refused.path, advice=refused.advice) from None
    except StoreWriteFailed as failure:
        raise StoreError(messages.write_failed_message(path, failure), path=path, written=failure.replaced) from None
    except OSError as error:
        if unusable is not None:
            raise unusable(error) from None
        raise StoreError(messages.unusable_message(path, error), path=path, advice=Advice.ANOTHER_STORE) from None


def damaged_error(store: Path, file: Path, reason: str) -> StoreError:
    """The error for the damaged (or missing) ``file`` of the store ``store``, naming its backup if any."""
    backup = backup_path(file)
    return StoreError(
        messages.damaged_message(store, reason, file),
        path=store,
        backup=backup if backup.exists() else None,
        damaged=file,
        advice=Advice.ANOTHER_STORE,
    )
