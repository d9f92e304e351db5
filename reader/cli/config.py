"""``reader config path|show|edit``: where the settings file is, the settings in effect (each
with where it came from), and the file opened in the user's editor."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess

from reader.cli.shared import EXIT_ERROR, EXIT_OK, UserError, out, say
from reader.config import TEMPLATE, Settings, checked_against, config_path, load_settings


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader config",
        description="The settings file (TOML): coder, default corpus and store, theme, and keys.",
    )
    parser.add_argument(
        "action",
        choices=("path", "show", "edit"),
        help="path: print the file's path; show: the settings in effect and where each came from; "
        "edit: open the file in $VISUAL or $EDITOR (made from a commented template first)",
    )
    return parser


def checked_settings() -> Settings:
    """The settings, with theme and keys checked against the app's own (which imports Textual)."""
    from textual.theme import BUILTIN_THEMES

    from reader.app.app import binding_ids

    return checked_against(load_settings(), BUILTIN_THEMES, binding_ids())


def show() -> int:
    from reader.paths import default_store_path, sample_corpus_dir

    settings = checked_settings()
    for problem in settings.problems:
        say(f"reader: {problem}")
    shown = {
        "coder": settings.coder,
        "corpus": settings.corpus or f"{sample_corpus_dir()} (the sample)",
        "store": settings.store or default_store_path(),
        "theme": settings.theme or "textual-dark",
    }
    lines = [f"# {settings.path or config_path()}"]
    lines += [f"{name} = {value}    ({settings.source(name)})" for name, value in shown.items()]
    lines += [f"keys.{binding} = {keys}    (file)" for binding, keys in sorted(settings.keys.items())]
    from reader.app.app import binding_ids

    lines.append("# binding ids for [keys]: " + ", ".join(sorted(binding_ids())))
    out("\n".join(lines) + "\n")
    return EXIT_OK


def edit() -> int:
    path = config_path()
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UserError(f"Set VISUAL or EDITOR to your editor (such as EDITOR=nano), or edit {path} yourself.")
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(TEMPLATE, encoding="utf-8")
    except OSError as error:
        raise UserError(f"Cannot create {path}: {error.strerror}.") from None
    try:
        code = subprocess.call([*shlex.split(editor), str(path)])
    except OSError as error:
        raise UserError(f"Cannot run the editor {editor!r}: {error.strerror}. Check VISUAL or EDITOR.") from None
    for problem in checked_settings().problems:
        say(f"reader: {problem}")
    return EXIT_OK if code == 0 else EXIT_ERROR


def run(arguments: argparse.Namespace) -> int:
    if arguments.action == "path":
        out(f"{config_path()}\n")
        return EXIT_OK
    return show() if arguments.action == "show" else edit()
