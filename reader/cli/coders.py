"""``--coder NAME``: who the commands that write annotations (the app, ``reader import``) work as.

The coder is set once in the settings file (``coder = "ada"``, default the login name) and
overridden for one run by ``--coder``. The settings' coder stays the *default coder*
(:mod:`annotations.coders`): annotations that name no coder (made before coders existed) stay
that user's whatever ``--coder`` a run uses.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from annotations.coders import normalise_coder
from reader.cli.shared import UsageError, user_settings
from reader.config import Settings


def add_coder_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    """``--coder NAME`` on ``parser``; ``purpose`` says what the name is used for."""
    parser.add_argument(
        "--coder",
        default=None,
        metavar="NAME",
        help=f"{purpose} (default: the settings' coder, else your login name)",
    )


def given_coder(arguments: argparse.Namespace) -> str | None:
    """The coder named by ``--coder`` (normalised), None when the option was not given; a name
    that is blank (or only control characters) is a usage error."""
    name = getattr(arguments, "coder", None)
    if name is None:
        return None
    coder = normalise_coder(name)
    if not coder:
        raise UsageError("--coder needs a name (letters, not only spaces)")
    return coder


def session_settings(arguments: argparse.Namespace) -> Settings:
    """The user's settings with the coder of this run: ``--coder`` when given."""
    settings = user_settings()
    coder = given_coder(arguments)
    if coder is None:
        return settings
    return replace(settings, coder=coder, sources={**settings.sources, "coder": "--coder"})
