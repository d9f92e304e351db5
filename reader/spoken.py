"""``Spoken``: the mark of an error whose message is written for the user as it stands.

reader's own errors that say what went wrong and what to do (an export that cannot be made, a
feeds file that cannot be changed, nothing to compare) carry this mark, so whoever shows an error
(the app's worker reports, :mod:`reader.app.worker_errors`) knows to show the message alone,
without importing every feature that may raise one.
"""

from __future__ import annotations


class Spoken(Exception):
    """An error whose ``str()`` is a sentence for the user; mixed into reader's own errors."""
