"""Who made a change: the session of the process (one window of the app, or one command).

The undo history is shared by every process that uses a store, but undo must only undo what
the window the user presses it in did. Each change is marked with the session that made it:
``<host>/<pid>/<process start time>``. A session is *over* when its process is gone (the start
time tells a reused pid apart, where the system shows it); the changes of a session that is
over may be undone by anyone, so that undo still works after a restart. Changes made on another
host are never taken for over: there is no telling.
"""

from __future__ import annotations

import os
import socket
from functools import cache

__all__ = ["current", "is_over"]


def _start_time(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot ("" where the system does not say)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            stat = stream.read().decode("ascii", "replace")
    except OSError:
        return ""
    # The command name (field 2) is in parentheses and may hold spaces: count after its end.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


@cache
def _host() -> str:
    return socket.gethostname()


def current() -> str:
    """This process's session."""
    pid = os.getpid()
    return f"{_host()}/{pid}/{_start_time(pid)}"


def is_over(session: str) -> bool:
    """Whether ``session``'s process has ended (true for "" and for a session not understood)."""
    host, _, rest = session.partition("/")
    pid_text, _, started = rest.partition("/")
    if not pid_text.isdigit():
        return True
    if host != _host():
        return False
    pid = int(pid_text)
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return bool(started) and _start_time(pid) not in ("", started)
