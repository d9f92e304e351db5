"""The command line's words for a store error: the core's message, and how to choose another store.

The domain core (:mod:`annotations`) says what is wrong and what to do without naming any flag;
when choosing another store would help, its :class:`~annotations.errors.StoreError` carries an
:class:`~annotations.errors.Advice`, and this module says how on the command line (``--db``).
"""

from __future__ import annotations

from annotations.errors import Advice, StoreError

#: What the command line adds to a store error's message for each advice.
_WORDS = {
    Advice.ANOTHER_STORE: "To use another store, give its path with --db PATH.",
    Advice.CHECK_PATH: "The store's path is the one given with --db (or the default store's).",
}


def cli_message(error: StoreError) -> str:
    """The message of ``error`` for the command line, with the flag to use where it helps."""
    advice = getattr(error, "advice", None)
    words = _WORDS.get(advice) if advice is not None else None
    return f"{error} {words}" if words else str(error)
