"""Snippets of the matched text under the library's search hits, fetched for the rows drawn only.

The list asks :class:`Snippets` for the snippet of each row it draws; the first row of a window
not yet known fetches the snippets of the whole window in one FTS5 query
(:meth:`reader.corpus.fulltext.FullTextIndex.snippets`), and they are kept until the query
changes. So a keystroke costs nothing here however large the corpus, and scrolling costs one
small query a screenful. The snippet's text is article text: each piece is made inert
(:func:`reader.safe_text.inert`) and drawn as plain segments, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from reader.safe_text import inert

#: What the index puts around each matched word: private-use characters, so no markup or
#: control character is involved (an article holding them only moves a highlight).
MARKS = ("\ue000", "\ue001")
#: Words of context asked for a snippet (a second line is at most a terminal wide).
WORDS = 14


class SnippetIndex(Protocol):
    """What gives snippets (:class:`reader.corpus.fulltext.FullTextIndex`)."""

    def snippets(
        self, query: str, article_ids: Iterable[str], marks: tuple[str, str], words: int = ...
    ) -> dict[str, str]: ...


class Snippets:
    """The snippets of one query's hits, fetched a window at a time and kept for that query."""

    def __init__(self, index: SnippetIndex, query: str) -> None:
        self.index = index
        self.query = query
        #: Snippet by article id ("" for one that was asked for and has none: a title-only match).
        self.known: dict[str, str] = {}

    def get(self, article_id: str, window: Iterable[str]) -> str:
        """The marked snippet of ``article_id``; if unknown, those of ``window`` (the rows on
        screen, which include it) are fetched together first."""
        found = self.known.get(article_id)
        if found is not None:
            return found
        wanted = [key for key in dict.fromkeys([article_id, *window]) if key not in self.known]
        fetched = self.index.snippets(self.query, wanted, MARKS, WORDS)
        for key in wanted:
            self.known[key] = fetched.get(key, "")
        return self.known[article_id]


def snippet_segments(marked: str, width: int, plain: Style, highlight: Style) -> list[Segment]:
    """``marked`` (a snippet with :data:`MARKS` around matched words) as segments of at most
    ``width`` cells: the text inert in ``plain``, matched words in ``plain + highlight``."""
    segments: list[Segment] = []
    room = width
    highlighted = False
    for piece in marked.replace(MARKS[1], MARKS[0]).split(MARKS[0]):
        text = inert(piece).replace("\n", " ")
        if text and room > 0:
            length = cell_len(text)
            if length > room:
                text = set_cell_size(text, room - 1) + "\u2026" if room > 1 else "\u2026"
                length = room
            segments.append(Segment(text, plain + highlight if highlighted else plain))
            room -= length
        highlighted = not highlighted
    return segments
