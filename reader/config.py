"""The user's settings: a small TOML file in the user config folder (see :func:`config_path`).

    coder = "ada"                      # who annotates (default: the login name)
    corpus = "~/news"                  # the corpus when none is given
    store = "~/qda/annotations.json"   # the annotation store when --db is not given
    theme = "textual-light"            # a Textual theme
    [keys]                             # binding id = keys, to remap any key
    "app.help" = "f1"

Pure: reading and checking only, no Textual. A bad file never stops reader: each problem is a
message naming the file and line, and the setting it concerns keeps its default. Themes and
binding ids are checked by :func:`checked_against` with the names the app knows.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_config_path

from annotations.coders import login_name

#: The settings a file may hold, with the type each must have.
KNOWN_KEYS = {"coder": str, "corpus": str, "store": str, "theme": str, "keys": dict}

TEMPLATE = """\
# reader's settings. Lines starting with # are comments; remove the # to use a setting.
# A setting left out keeps its default (see `reader config show`).

# Who annotates: recorded with your annotations (default: your login name).
# coder = "ada"

# The corpus folder opened when none is given, and the annotation store used without --db.
# corpus = "~/news"
# store = "~/qda/annotations.json"

# A Textual theme: textual-dark, textual-light, nord, gruvbox, dracula, ...
# theme = "textual-light"

# Keys: a binding id (see the README) = the keys that run it, comma-separated.
# [keys]
# "app.help" = "f1"
# "article.tag" = "t,ctrl+t"
"""


def config_path() -> Path:
    """Where the settings file is (it may not exist: then every setting has its default)."""
    return user_config_path("reader") / "config.toml"


@dataclass(frozen=True)
class Settings:
    """The settings in effect; ``sources`` says for each whether it came from the file or is the
    default, ``problems`` what was wrong with the file (each setting concerned kept its default)."""

    coder: str = field(default_factory=login_name)
    corpus: Path | None = None
    store: Path | None = None
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def source(self, name: str) -> str:
        """ "file" when the setting ``name`` came from the file, else "default"."""
        return self.sources.get(name, "default")


def _line_of(text: str, key: str) -> int | None:
    """The line (from 1) where ``key`` is set in the TOML ``text``, for messages; None if not found."""
    pattern = re.compile(
        rf'^\s*(?:"{re.escape(key)}"|\'{re.escape(key)}\'|{re.escape(key)})\s*=|^\s*\[\s*{re.escape(key)}\s*\]'
    )
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _where(path: Path, text: str, key: str) -> str:
    line = _line_of(text, key)
    return f"{path}, line {line}" if line else str(path)


def load_settings(path: Path | None = None) -> Settings:
    """The settings of the file at ``path`` (default :func:`config_path`); defaults where it is
    missing, unreadable or wrong, with a message for each problem."""
    path = path or config_path()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Settings(path=path)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        return Settings(path=path, problems=(f"{path} cannot be read ({reason}); using the default settings.",))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(
            path=path,
            problems=(
                f"{path} is not valid TOML: {error}. Using the default settings; fix it with `reader config edit`.",
            ),
        )
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    problems: list[str] = []
    for key, value in data.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            known = ", ".join(KNOWN_KEYS)
            problems.append(f"{_where(path, text, key)}: unknown setting {key!r} (known: {known}); it is ignored.")
        elif not isinstance(value, expected) or (expected is str and not value.strip()):
            kind = "a table of binding id = keys" if expected is dict else "a non-empty text in quotes"
            problems.append(f"{_where(path, text, key)}: {key} must be {kind}; using its default.")
        elif key == "keys":
            keys = {}
            for binding, keys_text in value.items():
                if isinstance(keys_text, str) and keys_text.strip():
                    keys[binding] = keys_text.strip()
                else:
                    problems.append(
                        f'{_where(path, text, binding)}: keys for {binding!r} must be a text such as "f1" or "t,ctrl+t"; ignored.'
                    )
            values[key], sources[key] = keys, "file"
        elif key in ("corpus", "store"):
            values[key], sources[key] = Path(value).expanduser(), "file"
        else:
            values[key], sources[key] = value.strip(), "file"
    return Settings(path=path, sources=sources, problems=tuple(problems), **values)  # type: ignore[arg-type]


def checked_against(settings: Settings, themes: Collection[str], binding_ids: Collection[str]) -> Settings:
    """``settings`` with an unknown theme and unknown binding ids dropped, each with a message."""
    problems = list(settings.problems)
    text = ""
    if settings.path is not None:
        try:
            text = settings.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    where = settings.path or config_path()
    theme, sources = settings.theme, dict(settings.sources)
    if theme is not None and theme not in themes:
        problems.append(
            f"{_where(where, text, 'theme')}: no theme {theme!r} (there are: {', '.join(sorted(themes))}); using the default."
        )
        theme = None
        sources.pop("theme", None)
    keys = {}
    for binding, keys_text in settings.keys.items():
        if binding in binding_ids:
            keys[binding] = keys_text
        else:
            problems.append(
                f"{_where(where, text, binding)}: no binding {binding!r} (see `reader config show` for the ids); ignored."
            )
    return replace(settings, theme=theme, keys=keys, sources=sources, problems=tuple(problems))
