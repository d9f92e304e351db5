"""ReaderApp: the library of articles, one article at a time, and the bindings that work everywhere."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from annotations import Annotation, AnnotationStore, StoreError
from annotations.coders import coder_of
from annotations.corrections import CorrectionBook
from annotations.filtering import AnnotationFilter
from annotations.history import History
from reader.app.dialogs.export_dialog import ExportDialog, ExportRequest, ExportScope
from reader.app.dialogs.help import HelpScreen
from reader.app.matches import Matches
from reader.app.notices import Notice
from reader.app.screens.agreement import open_agreement
from reader.app.screens.analysis import AnalysisScreen
from reader.app.screens.article import ArticleScreen
from reader.app.screens.differences_opening import open_differences
from reader.app.screens.entity_index import EntityIndexScreen
from reader.app.screens.library import LibraryScreen
from reader.app.screens.orphans import OrphansScreen
from reader.app.screens.tags import TagsScreen
from reader.app.store_guard import reports_store_errors
from reader.app.store_writes import StoreWriter
from reader.app.text_colours import theme_text_colours
from reader.app.widgets.article_view import ArticleView
from reader.app.worker_errors import report_failure
from reader.config import Settings, checked_against
from reader.corpus import Article, ArticleUnavailable, Corpus
from reader.disposable import take_notices
from reader.nlp import EntityRecognizer
from reader.paths import quick_tags_path, reading_state_path
from reader.quick_tags import QuickTags
from reader.reading_state import ReadingState
from reader.safe_text import inert


class ReaderApp(App[None]):
    TITLE = "reader"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding(
            "T", "tags", "Tags", show=False, tooltip="Every tag across the corpus, with its passages", id="app.tags"
        ),
        Binding(
            "O",
            "orphans",
            "Orphans",
            show=False,
            tooltip="Annotations whose passage is no longer found",
            id="app.orphans",
        ),
        Binding(
            "I",
            "entity_index",
            "Entity index",
            show=False,
            tooltip="Every entity across the corpus, over time",
            id="app.entity-index",
        ),
        Binding("F", "feeds", "Feeds", show=False, tooltip="The corpus's feeds: add, remove, fetch", id="app.feeds"),
        Binding(
            "D",
            "differences",
            "Differences",
            show=False,
            tooltip="Settle where two coders' passages differ, into an agreed layer",
            id="app.differences",
        ),
        Binding(
            "K",
            "agreement",
            "Agreement",
            show=False,
            tooltip="How far coders agree, per code (percent, kappa, alpha, F1)",
            id="app.agreement",
        ),
        Binding(
            "A",
            "analysis",
            "Analysis",
            show=False,
            tooltip="Codes by article, together, over time, with entities",
            id="app.analysis",
        ),
        Binding(
            "X",
            "export",
            "Export",
            tooltip="Export annotations (all, this article or this tag) in a format",
            id="app.export",
        ),
    ]

    def __init__(
        self,
        corpus: Corpus,
        store: AnnotationStore,
        recognizer: EntityRecognizer,
        reading: ReadingState | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        #: The user's settings (reader.config): coder, theme and keys are applied on mount.
        self.settings = settings or Settings()
        #: Every toast shown, as (title, message, severity), in order: a public record that tests
        #: and a future messages log read instead of Textual's private notification list.
        self.notices: list[Notice] = []
        self.corpus = corpus
        self.store = store
        self.recognizer = recognizer
        self.history = History(store)
        #: Runs writes to the store off the UI thread, in order (a write may wait for another process).
        self.store_writer = StoreWriter(self)
        store.on_lock_wait = self.store_writer.wait_for_store
        self.history.on_problem = partial(
            self.store_writer.notify, title="Undo history", severity="warning", timeout=20
        )
        #: The user's entity corrections, applied by the recognizer to every article's entities.
        self.corrections = CorrectionBook(store.path)
        self._previous_corrections = recognizer.corrections
        recognizer.corrections = self.corrections.all
        #: Entity labels the user switched off, for every article of this session.
        self.hidden_labels: set[str] = set()
        #: Articles read and where the reader stopped in each.
        self.reading = reading if reading is not None else ReadingState(reading_state_path())
        #: Which tag each number key applies, stable until the user renumbers them.
        self.quick_tags = QuickTags(quick_tags_path(), store.path)

    @property
    def coder(self) -> str:
        """The coder this session works as (the settings' coder, or ``--coder``): whose passages
        are made, shown and changed; normalised as the store keeps coders' names."""
        return coder_of(self.settings.coder)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, with reader's readable text colours (``$reader-tag``...) and a
        footer key colour that reads on the footer, so .tcss takes them from the running theme."""
        variables = super().get_css_variables()
        return variables | theme_text_colours(variables).css_variables()

    def on_mount(self) -> None:
        self.store_writer.ui_thread = threading.get_ident()
        self.apply_settings()
        self.push_screen(LibraryScreen(self.corpus))
        if self.history.notice:
            self.store_writer.notify(self.history.notice, title="Undo history", severity="warning", timeout=20)
        for notice in take_notices():  # caches and state set aside while loading: say which
            self.notify(notice, severity="warning", timeout=15, markup=False)

    def apply_settings(self) -> None:
        """The user's theme and keys, checked against what the app has, and the coder's name in
        the title; what was wrong with the settings file is said once, and its defaults kept."""
        settings = checked_against(self.settings, self.available_themes, binding_ids())
        self.settings = settings
        if settings.theme is not None:
            self.theme = settings.theme
        if settings.keys:
            self.set_keymap(settings.keys)
        self.sub_title = f"coder: {self.coder}"
        if settings.problems:
            self.notify("\n".join(settings.problems), title="Settings", severity="warning", timeout=20, markup=False)

    def open_article(
        self,
        article: Article,
        caret: int | None = None,
        reattach: Annotation | None = None,
        walk: Matches | None = None,
    ) -> None:
        """Open ``article`` at ``caret``, else where the reader stopped last time; it counts as read.

        ``reattach`` is an orphaned annotation for the user to place anew; ``walk``, passages for
        n and N to walk (an entity's mentions). A file that went away
        since the corpus was listed is a message, not a crash.
        """
        try:
            length = len(article.text)
        except ArticleUnavailable as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        if caret is None:
            caret = self.reading.caret(article.id) or None
        if caret is not None:
            caret = min(caret, max(length - 1, 0))
        self.reading.opened(article.id)
        screen = ArticleScreen(article, initial_caret=caret, reattach=reattach, walk=walk)
        self.push_screen(screen, self._article_closed)

    def _article_closed(self, _result: None) -> None:
        """Write where reading stopped once an article is closed (failing soft: it is a convenience)."""
        self.reading.save()

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        """Remember where the caret is in the open article (written when it is closed)."""
        screen = event.view.parent and event.view.screen
        if isinstance(screen, ArticleScreen):
            self.reading.stopped_at(screen.article.id, event.view.caret)

    def on_unmount(self) -> None:
        self.store_writer.shutdown()  # the edits made are written before reader ends
        self.recognizer.corrections = self._previous_corrections
        self.reading.save()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (screens' and widgets' ``notify`` end here): message and title made inert.

        Messages quote file names, passages, tags and errors; whatever they hold is shown as
        visible characters and never reaches the terminal as a command (see :mod:`reader.safe_text`).
        """
        self.notices.append(Notice(inert(title), inert(message), severity))
        if timeout is None:
            super().notify(inert(message), title=inert(title), severity=severity, markup=markup)
        else:
            super().notify(inert(message), title=inert(title), severity=severity, timeout=timeout, markup=markup)

    def action_tags(self) -> None:
        if not isinstance(self.screen, TagsScreen):
            self.push_screen(TagsScreen())

    @reports_store_errors
    def action_export(self) -> None:
        """Offer the annotations in view: all, the open article's, or the highlighted tag's."""
        scopes = [ExportScope("all", None, f"every annotation ({sum(self.store.counts_by_article().values())})")]
        screen = self.screen
        if isinstance(screen, ArticleScreen):
            scopes.append(ExportScope("article", screen.article.id, f"this article: {screen.article.title}"))
        elif isinstance(screen, TagsScreen) and screen.current_tag:
            tag = screen.spelling[screen.current_tag]
            scopes.append(ExportScope("tag", tag, f"the tag {tag}"))
        self.push_screen(ExportDialog(scopes, Path.cwd()), self._start_export)

    def _start_export(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.notify(f"Exporting {request.scope.label} as {request.fmt}\u2026", markup=False)
            self.export_in_background(request)

    @work(thread=True, exclusive=True, group="export")
    def export_in_background(self, request: ExportRequest) -> None:
        """Gather, anchor and write the export off the UI thread: a large corpus takes a while."""
        from reader.export import CorpusTexts, ExportError, export_annotations
        from reader.nlp import ModelUnavailable
        from reader.refi_export import REFI_FORMATS, refi_context

        scope = request.scope
        try:
            stored = self.store.all()
            articles = dict(self.store.articles())
        except StoreError as error:
            report_failure(self, error, "Export failed", timeout=15)
            return
        chosen = AnnotationFilter.of(
            tags=[scope.value] if scope.kind == "tag" and scope.value else (),
            article_ids=[scope.value] if scope.kind == "article" and scope.value else (),
        ).select(stored)
        for annotation in chosen:
            article = self.corpus.get(annotation.article_id)
            if article is not None:
                articles[article.id] = article.ref()
        report = partial(self.call_from_thread, self.notify, severity="warning", timeout=10, markup=False)
        try:
            request.destination.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # the export itself then says why it cannot write there
        try:
            written = export_annotations(
                request.fmt,
                chosen,
                articles,
                request.destination,
                CorpusTexts(self.corpus),
                self.recognizer.token_spans if request.fmt == "jsonl" else None,
                report=report,
                refi=refi_context(self.store, self.corpus, chosen, self.coder) if request.fmt in REFI_FORMATS else None,
            )
        except (ExportError, ModelUnavailable, StoreError) as error:
            report_failure(self, error, "Export failed", timeout=15)
            return
        self.call_from_thread(
            self.notify, f"Exported {len(chosen)} annotation(s) as {request.fmt} to {written}", timeout=15, markup=False
        )

    def action_feeds(self) -> None:
        from reader.app.screens.feeds import FeedsScreen

        if not isinstance(self.screen, FeedsScreen):
            self.push_screen(FeedsScreen())

    def action_entity_index(self) -> None:
        if not isinstance(self.screen, EntityIndexScreen):
            self.push_screen(EntityIndexScreen())

    def action_differences(self) -> None:
        open_differences(self)

    def action_agreement(self) -> None:
        open_agreement(self)

    def action_analysis(self) -> None:
        if not isinstance(self.screen, AnalysisScreen):
            self.push_screen(AnalysisScreen())

    def action_orphans(self) -> None:
        if not isinstance(self.screen, OrphansScreen):
            self.push_screen(OrphansScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action bound where the user is, so none hides in a key."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.description and binding.action not in seen and active.enabled:
                seen.add(binding.action)
                key = binding.key_display or self.get_key_display(binding)
                yield SystemCommand(
                    f"{binding.description} ({key})",
                    binding.tooltip or binding.description,
                    partial(self.run_action, binding.action, active.node),
                )

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.for_screen(self.screen))


def binding_ids() -> set[str]:
    """The id of every binding of the app, its screens and widgets: the names a keymap may use."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import reader.app

    for module in pkgutil.walk_packages(reader.app.__path__, "reader.app."):
        importlib.import_module(module.name)
    ids: set[str] = set()
    classes: list[type] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("reader.app."):
            ids.update(b.id for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id)
    return ids
