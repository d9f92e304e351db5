"""The log of unexpected errors: a bug's traceback kept where the user can find and send it.

The command line's last guard (and anything else that must not show a traceback) catches an
error nobody foresaw and tells the user in one line; the traceback, which the user cannot act on
but a maintainer needs, goes to :func:`reader.paths.error_log_path` with the time, reader's
version and the command, and the message names that file.
"""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from reader import __version__
from reader.paths import error_log_path

#: A log past this size is started afresh (the previous one kept as ``errors.log.1``).
MAX_LOG_BYTES = 1_000_000


def log_unexpected(error: BaseException, command: list[str] | None = None) -> Path | None:
    """Append ``error``'s traceback to the error log; the log's path, or None when it cannot be
    written (a full disk, a read-only home): the user still gets a message, without a file to name."""
    path = error_log_path()
    when = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    shown = " ".join(command if command is not None else sys.argv)
    entry = (
        f"--- {when} reader {__version__} (Python {sys.version.split()[0]})\n"
        f"command: {shown}\n" + "".join(traceback.format_exception(type(error), error, error.__traceback__)) + "\n"
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(path.name + ".1"))
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(entry)
    except OSError:
        return None
    return path


def unexpected_message(error: BaseException, log: Path | None) -> str:
    """The one line the user sees for an unexpected error, naming the log that holds the details."""
    headline = f"unexpected error: {type(error).__name__}: {error}"
    if log is None:
        return f"{headline}. This is a bug in reader; please report it with the command you ran."
    return (
        f"{headline}. This is a bug in reader: the details are in {log}; please include that file when you report it."
    )
