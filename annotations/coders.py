"""Coders: who made an annotation, and who is taken to have made one that does not say.

Every :class:`annotations.model.Annotation` records its coder, a short name. Stores and export
files written before coders existed hold annotations without one: they are read as the work of
the *default coder* (migration on read; the record is stamped with a coder the next time it is
written). The default is the login name unless the application sets it, once, from the user's
settings (:func:`set_default_coder`), so that one user's unattributed work stays theirs whichever
``--coder`` a session runs as.
"""

from __future__ import annotations

import getpass
import re

#: C0 and C1 control characters and DEL: never part of a name shown in the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

#: The name used when the login name cannot be found either.
FALLBACK_CODER = "coder"

_default: str | None = None


def login_name() -> str:
    """The login name, or :data:`FALLBACK_CODER` where there is none (no user database, no
    ``LOGNAME``/``USER``: a container, a service account)."""
    try:
        name = normalise_coder(getpass.getuser())
    except (OSError, KeyError, ImportError):
        return FALLBACK_CODER
    return name or FALLBACK_CODER


def normalise_coder(name: str) -> str:
    """A coder's name as stored: control characters removed and runs of space folded to one, so
    that a name from an imported file can neither reach the terminal as an escape sequence nor
    differ from the same name by spacing alone. Case is kept (names are compared exactly)."""
    return " ".join(_CONTROL.sub(" ", name).split())


def default_coder() -> str:
    """The coder of an annotation that names none: the one set by :func:`set_default_coder`,
    else the login name."""
    return _default or login_name()


def set_default_coder(name: str | None) -> None:
    """Make ``name`` the default coder of this process (``None`` or blank: the login name again)."""
    global _default
    _default = normalise_coder(name) if name else None
    _default = _default or None


def coder_of(value: object) -> str:
    """The coder named by ``value`` (a record's ``coder`` field), or the default coder when it
    names none (missing, not text, or blank once normalised)."""
    if isinstance(value, str):
        name = normalise_coder(value)
        if name:
            return name
    return default_coder()
