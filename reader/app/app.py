"""ReaderApp: the library of articles, one article at a time, and the bindings that work everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from annotations import AnnotationStore
from annotations.history import History
from reader.app.screens.article import ArticleScreen
from reader.app.screens.help import HelpScreen
from reader.app.screens.library import LibraryScreen
from reader.app.screens.entity_index import EntityIndexScreen
from reader.app.screens.orphans import OrphansScreen
from reader.app.screens.tags import TagsScreen
from reader.corpus import Article, Corpus
from reader.nlp import EntityRecognizer


class ReaderApp(App[None]):
    TITLE = "reader"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("T", "tags", "Tags", tooltip="Every tag across the corpus, with its passages"),
        Binding("O", "orphans", "Orphans", show=False, tooltip="Annotations whose passage is no longer found"),
        Binding("I", "entity_index", "Entity index", show=False, tooltip="Every entity across the corpus, over time"),
    ]

    def __init__(self, corpus: Corpus, store: AnnotationStore, recognizer: EntityRecognizer) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.recognizer = recognizer
        self.history = History(store)
        #: Entity labels the user switched off, for every article of this session.
        self.hidden_labels: set[str] = set()

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen(self.corpus))

    def open_article(self, article: Article) -> None:
        self.push_screen(ArticleScreen(article))

    def action_tags(self) -> None:
        if not isinstance(self.screen, TagsScreen):
            self.push_screen(TagsScreen())

    def action_entity_index(self) -> None:
        if not isinstance(self.screen, EntityIndexScreen):
            self.push_screen(EntityIndexScreen())

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
        groups: dict[str, list] = {}
        for key, active in self.screen.active_bindings.items():
            node = active.node
            where = "Everywhere" if node is self else type(node).__name__.replace("Screen", "").replace("View", " view")
            groups.setdefault(where, []).append(active.binding)
        for node in self.screen.focused.ancestors_with_self if self.screen.focused else []:
            for binding in getattr(node, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.description:
                    where = type(node).__name__.replace("View", " view")
                    if binding not in groups.setdefault(where, []):
                        groups[where].append(binding)
        self.push_screen(HelpScreen(sorted(groups.items(), key=lambda kv: kv[0] == "Everywhere")))
