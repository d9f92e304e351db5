"""Snippets of the matched text under the library's search hits, fetched for the rows drawn only.

The list asks :class:`Snippets` for the snippet of each row it draws; the first row of a window
not yet known starts a worker that fetches the snippets of the whole window in one FTS5 query
(:meth:`reader.corpus.fulltext.FullTextIndex.snippets`, 2-30 ms for 20 rows of 100,000: too long for a
frame, so never on the UI thread), and they are kept until the query changes. So a keystroke
costs nothing here however large the corpus, and scrolling costs one small query a screenful. The snippet's text is article text: each piece is made inert
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
#: Words of context asked for a snippet by default; the list asks for what fills its width.
WORDS = 14
#: Cells a word takes on average (with its space): how many words fill a line.
CELLS_A_WORD = 6


def words_for(width: int) -> int:
    """How many words of snippet fill ``width`` cells (FTS5 gives 1 to 64)."""
    return max(4, min(64, width // CELLS_A_WORD))


class SnippetIndex(Protocol):
    """What gives snippets (:class:`reader.corpus.fulltext.FullTextIndex`)."""

    def snippets(
        self, query: str, article_ids: Iterable[str], marks: tuple[str, str], words: int = ...
    ) -> dict[str, str]: ...


class Snippets:
    """The snippets of one query's hits, fetched a window at a time and kept for that query.

    :meth:`missing` says which rows of a window to fetch (each only once); a worker calls
    :meth:`fetch` off the UI thread and the list hands the result to :meth:`arrived`."""

    def __init__(self, index: SnippetIndex, query: str) -> None:
        self.index = index
        self.query = query
        #: Snippet by article id ("" for one that was asked for and has none: a title-only match).
        self.known: dict[str, str] = {}
        #: Ids asked for whose snippets have not arrived yet.
        self.pending: set[str] = set()

    def same_as(self, other: Snippets | None) -> bool:
        """Whether ``other`` is for the same index and query (so what is known still holds)."""
        return other is not None and other.index is self.index and other.query == self.query

    def missing(self, window: Iterable[str]) -> list[str]:
        """The ids of ``window`` neither known nor asked for; marked as asked for."""
        wanted = [key for key in dict.fromkeys(window) if key not in self.known and key not in self.pending]
        self.pending.update(wanted)
        return wanted

    def fetch(self, wanted: list[str], words: int = WORDS) -> dict[str, str]:
        """The snippets of ``wanted``, ``words`` words each, from the index (may take
        milliseconds: call off the UI thread)."""
        return self.index.snippets(self.query, wanted, MARKS, words)

    def arrived(self, wanted: list[str], fetched: dict[str, str]) -> None:
        """Keep the snippets fetched for ``wanted`` ("" for those without one)."""
        for key in wanted:
            self.known[key] = fetched.get(key, "")
        self.pending.difference_update(wanted)


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
