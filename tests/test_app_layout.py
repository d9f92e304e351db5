"""The shape of reader/app that lets the next engineer change it safely (issue 11).

Screens and dialogs reach the app through one typed seam (``reader.app.base``); modal screens
live in ``reader/app/dialogs``, widgets in ``reader/app/widgets``; no module grows past 400 lines;
and none of our screens or widgets reuses, for its own state or actions, a name Textual's classes
already have (``anchor`` on a widget, ``action_toggle`` on a screen), which would silently
change what Textual does with it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.app import App
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

import reader.app

APP_DIR = Path(reader.app.__file__).parent

#: Textual attributes our classes set on purpose (its documented knobs), and its methods they
#: override on purpose (hooks meant for that); anything else shared with Textual is a shadow.
TEXTUAL_KNOBS = {
    "app",
    "border_title",
    "border_subtitle",
    "sub_title",
    "theme",
    "display",
    "value",
    "cursor_position",
    "virtual_size",
    "highlighted",
    "show_root",
    "compose",
    "render_line",
    "check_action",
    "notify",
    "get_system_commands",
    "get_css_variables",
    "action_submit",
    "_on_idle",
}


def our_classes() -> list[type[DOMNode]]:
    """Every screen, widget and app class defined in reader.app (modules imported to find them)."""
    found: dict[str, type[DOMNode]] = {}
    for module_info in pkgutil.walk_packages(reader.app.__path__, "reader.app."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, DOMNode) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def textual_base(cls: type) -> type:
    return next(base for base in cls.__mro__ if base.__module__.startswith("textual"))


def own_names(cls: type) -> set[str]:
    """Names the class defines: in its body, and as ``self.name = ...`` in its methods."""
    names = {name for name in vars(cls) if not name.startswith("__")}
    for node in ast.walk(ast.parse(inspect.getsource(cls))):
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                names.add(target.attr)
    return names


def test_no_screen_or_widget_shadows_a_textual_member() -> None:
    class Probe(Widget):
        pass

    # What Textual's metaclass writes into every class, and the class settings it reads.
    textual_internals = set(vars(Probe)) | {"BINDINGS", "CSS_PATH", "COMPONENT_CLASSES", "TITLE", "AUTO_FOCUS"}
    shadows = []
    for cls in our_classes():
        base = textual_base(cls)
        clash = (own_names(cls) & set(dir(base))) - TEXTUAL_KNOBS - textual_internals
        shadows += [f"{cls.__qualname__}.{name} (Textual's {base.__name__}.{name})" for name in sorted(clash)]
    assert shadows == []


def test_screens_and_dialogs_see_the_reader_app_through_the_typed_seam() -> None:
    from reader.app.base import ReaderModal, ReaderScreen

    untyped = [
        cls.__qualname__
        for cls in our_classes()
        if issubclass(cls, Screen)
        and cls not in (ReaderScreen, ReaderModal)
        and not issubclass(cls, (ReaderScreen, ReaderModal))
    ]
    assert untyped == []
    assert inspect.signature(ReaderScreen.app.fget).return_annotation == "ReaderApp"
    assert inspect.signature(ReaderModal.app.fget).return_annotation == "ReaderApp"


def test_dialogs_and_widgets_live_in_their_own_packages() -> None:
    misplaced = []
    for cls in our_classes():
        if cls.__module__ == "reader.app.base" or issubclass(cls, App):
            continue
        if issubclass(cls, ModalScreen):
            wanted = "reader.app.dialogs."
        elif issubclass(cls, Screen):
            wanted = "reader.app.screens."
        elif issubclass(cls, Widget):
            wanted = "reader.app.widgets."
        else:
            continue
        if not cls.__module__.startswith(wanted):
            misplaced.append(f"{cls.__qualname__} in {cls.__module__}, not {wanted}")
    assert misplaced == []


def test_dialog_styles_ship_with_the_package() -> None:
    import tomllib

    project = tomllib.loads((APP_DIR.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    globs = project["tool"]["setuptools"]["package-data"]["reader"]
    shipped = {path for pattern in globs for path in APP_DIR.parent.glob(pattern)}
    assert set(APP_DIR.rglob("*.tcss")) <= shipped


def test_every_app_module_stays_under_400_lines() -> None:
    long = {
        str(path.relative_to(APP_DIR)): lines
        for path in APP_DIR.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
