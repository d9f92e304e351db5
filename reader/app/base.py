"""The typed seam between screens, dialogs and widgets and the :class:`ReaderApp` they run in.

Textual types ``self.app`` as ``App[Any]``: ``self.app.store`` then type-checks whatever it is
spelt as, and a renamed attribute of the app breaks only at run time. Screens derive from
:class:`ReaderScreen`, dialogs from :class:`ReaderModal`, and both see ``self.app`` as the
:class:`ReaderApp`. As in the posting app, the cast here is the only place the app's type is
asserted, and only for type checkers is the app module imported (it imports the screens: no
cycle at run time). Widgets reach no more than Textual's own ``App`` (size, mouse, notify).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from reader.app.app import ReaderApp

ResultType = TypeVar("ResultType")


class ReaderScreen(Screen[ResultType]):
    """A full screen of reader: ``self.app`` is the :class:`ReaderApp`."""

    @property
    def app(self) -> ReaderApp:  # type: ignore[override]  # narrower than Textual's App[Any], on purpose
        return cast("ReaderApp", super().app)


class ReaderModal(ModalScreen[ResultType]):
    """A dialog of reader over another screen: ``self.app`` is the :class:`ReaderApp`."""

    @property
    def app(self) -> ReaderApp:  # type: ignore[override]  # narrower than Textual's App[Any], on purpose
        return cast("ReaderApp", super().app)
