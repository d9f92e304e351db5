"""EntityPanel: the open article's entities grouped by label, with counts; Enter walks the mentions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from reader.app.palette import entity_style
from reader.nlp import Entity
from reader.safe_text import inert


def mention_key(text: str) -> str:
    """Mentions that differ only in case or spacing are one entity ("US" and "U S" stay apart)."""
    return " ".join(text.split()).casefold()


class EntityPanel(Tree[list[Entity]]):
    """Label nodes (most frequent first), each holding its distinct mentions with their counts."""

    class Walk(Message):
        """Move the caret to the next of these mentions."""

        def __init__(self, mentions: list[Entity]) -> None:
            super().__init__()
            self.mentions = mentions

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Entities", id=id)
        self.show_root = False
        self.border_title = "Entities"

    def show(self, entities: Sequence[Entity], text: str, hidden: set[str]) -> None:
        groups: dict[str, dict[str, list[Entity]]] = defaultdict(lambda: defaultdict(list))
        for entity in entities:
            groups[entity.label][mention_key(text[entity.start : entity.end])].append(entity)
        self.clear()
        for label, mentions in sorted(groups.items(), key=lambda kv: (-sum(map(len, kv[1].values())), kv[0])):
            total = sum(len(found) for found in mentions.values())
            heading = Text(label, style="dim strike" if label in hidden else entity_style(label, self.app))
            heading.append(f"  {total}", style="dim")
            node = self.root.add(heading, data=[e for found in mentions.values() for e in found])
            for found in sorted(mentions.values(), key=lambda f: (-len(f), f[0].start)):
                first = found[0]
                leaf = Text(inert(" ".join(text[first.start : first.end].split())))
                leaf.append(f"  \u00d7{len(found)}", style="dim")
                node.add_leaf(leaf, data=found)
        self.border_subtitle = str(len(entities))

    def on_tree_node_selected(self, event: Tree.NodeSelected[list[Entity]]) -> None:
        event.stop()
        if event.node.data and not event.node.children:
            self.post_message(self.Walk(event.node.data))
