"""Store failures inside the app become a message, never a traceback or a lost screen.

A shard that turns out damaged when an article is read, a full disk, a store locked by another
program: the action that met it stops, the user is told which file and what to do (the store's
own message), and nothing else changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from textual.dom import DOMNode

from annotations import StoreError

P = ParamSpec("P")
R = TypeVar("R")


def reports_store_errors(method: Callable[P, R]) -> Callable[P, R | None]:
    """Decorate a method of a screen or widget that reads or writes the annotation store."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except StoreError as error:
            node = args[0]
            assert isinstance(node, DOMNode)
            node.app.notify(str(error), title="Annotation store", severity="error", timeout=30, markup=False)
            return None

    return guarded
