"""Cache and state files are disposable: a damaged one is set aside and rebuilt, never a reason
for reader not to start.

:func:`set_aside` renames the file beside itself (``catalog.sqlite3`` -> ``catalog.sqlite3.damaged``, so
it can still be looked at) and keeps a one-line notice naming it. The app shows the notices
when it starts (:func:`take_notices`), the commands print them on stderr. The notices are kept
here rather than passed up because the damage is found deep inside loading, sometimes in a
worker thread.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_notices: list[str] = []
_lock = threading.Lock()


def set_aside(path: Path, reason: str) -> str:
    """Move the damaged ``path`` out of the way and return (and keep) the notice saying so."""
    aside = path.with_name(path.name + ".damaged")
    try:
        os.replace(path, aside)
        done = f"it was set aside as {aside.name} and is started afresh"
    except OSError as error:
        done = f"it could not be set aside ({error.strerror or error}) and is ignored"
    notice = f"{path} was damaged ({reason}): {done}."
    with _lock:
        _notices.append(notice)
    return notice


def take_notices() -> list[str]:
    """The notices kept since the last call, oldest first (each is given once)."""
    with _lock:
        taken = list(_notices)
        _notices.clear()
    return taken
