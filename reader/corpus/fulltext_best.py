"""A keystroke's answer from the full-text index: the best few matches and how many match,
in a bounded time whatever the corpus (:meth:`reader.corpus.fulltext.FullTextIndex.best`).

Measured on 100,000 generated articles where most words are in ~95,000 of them (the worst
case), the index's obvious queries cost a keystroke too much: ranking every match by BM25
~200 ms, listing every match ~80 ms, a prefix (``pak*``) merged from all its terms ~10 ms at
each use. So a keystroke here:

- looks the last word's prefix up in the index's terms (FTS5's ``fts5vocab``) and searches
  for those terms (``"pakistan" OR "pakistani"``), which FTS5 reads lazily, instead of the
  prefix, which it merges whole first; the next keystroke narrows the terms already found
  (``paki`` keeps those of ``pak`` that start with it) instead of looking again;
- counts matches up to :data:`COUNT_CAP` (more is "more than"), stopping there;
- ranks every match by BM25 when there are at most :data:`RANK_ALL`; else the best
  :data:`CANDIDATES` articles in the index's order (newest first for a first build) that
  have every word in the title, then the other matches in the index's order;
- knows that a query whose last word only grew, after one that matched nothing, matches
  nothing (``quix`` then ``quixo``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

#: Matches counted at most: above it the count is None ("more than").
COUNT_CAP = 20_000
#: Up to this many matches, all are ranked by BM25 (~2.5 microseconds each).
RANK_ALL = 2_000
#: Above RANK_ALL matches, this many title matches (the first in the index) are ranked.
CANDIDATES = 2_000
#: A prefix with more terms than this is searched as a prefix (FTS5 merges its terms).
MAX_TERMS = 64
#: Answers kept (typing back returns to a query met before).
RECENT = 16

_VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, row)"


def last_prefix(expression: str) -> tuple[str, str, str] | None:
    """``(the parts before, the phrase's words before the prefix, the prefix)`` when ``expression``
    ends with a prefix of a plain ASCII word (``"pak"*``, ``"security pak"*``), which the index's
    terms can be looked up by; else None (a word the tokenizer would fold or split otherwise)."""
    if not expression.endswith('"*'):
        return None
    head, _, phrase = expression[:-2].rpartition('"')  # typed text never holds a quote inside a part
    before, _, word = phrase.rpartition(" ")
    if not (word.isascii() and word.isalnum()) or (head and not head.endswith(" ")):
        return None
    return head, f"{before} " if before else "", word.lower()


@dataclass
class Keystrokes:
    """What one connection's keystrokes keep between calls: the terms of the last prefix looked
    up, the answers met, and the queries found to match nothing."""

    terms: tuple[str, list[str] | None] | None = None
    answers: dict[tuple[str, int], tuple[list[int], int | None]] = field(default_factory=dict)
    nothing: list[str] = field(default_factory=list)

    def terms_of(self, connection: sqlite3.Connection, word: str) -> list[str] | None:
        """The index's terms starting with ``word`` (None: more than :data:`MAX_TERMS`)."""
        if self.terms is not None:
            before, known = self.terms
            if known is not None and word.startswith(before):
                found: list[str] | None = [term for term in known if term.startswith(word)]
                self.terms = (word, found)
                return found
        connection.execute(_VOCABULARY)
        upper = word[:-1] + chr(ord(word[-1]) + 1)
        rows = connection.execute(
            "SELECT term FROM temp.fts_terms WHERE term >= ? AND term < ? LIMIT ?", (word, upper, MAX_TERMS + 1)
        ).fetchall()
        found = [term for (term,) in rows] if len(rows) <= MAX_TERMS else None
        self.terms = (word, found)
        return found

    def expanded(self, connection: sqlite3.Connection, expression: str) -> str | None:
        """``expression`` with its last prefix written as the terms it starts (each a phrase of
        its own when the prefix ends a phrase: FTS5 has no OR inside one), or as it is when it
        cannot be; None when the prefix starts no term, so nothing can match."""
        split = last_prefix(expression)
        if split is None:
            return expression
        head, before, word = split
        terms = self.terms_of(connection, word)
        if terms is None:
            return expression
        if not terms:
            return None
        phrases = ['"' + before + term + '"' for term in terms]  # a term never holds a quote
        if len(phrases) == 1:
            return head + phrases[0]
        either = " OR ".join(phrases)
        return f"{head}AND ({either})" if head else f"({either})"  # FTS5 wants AND before a group

    def best(self, connection: sqlite3.Connection, expression: str, limit: int) -> tuple[list[int], int | None]:
        """The rowids of the best ``limit`` matches of ``expression`` (an FTS5 query from
        :func:`~reader.corpus.fulltext_query.fts_query`), and how many match (None: more than
        :data:`COUNT_CAP`)."""
        key = (expression, limit)
        if (known := self.answers.get(key)) is not None:
            return known
        if any(_grew(before, expression) for before in self.nothing):
            return [], 0
        answer = self._answer(connection, expression, limit)
        if answer[1] == 0:
            self.nothing = [*self.nothing[-RECENT:], expression]
        self.answers[key] = answer
        while len(self.answers) > RECENT:
            del self.answers[next(iter(self.answers))]
        return answer

    def _answer(self, connection: sqlite3.Connection, expression: str, limit: int) -> tuple[list[int], int | None]:
        query = self.expanded(connection, expression)
        if query is None:
            return [], 0
        select = "SELECT rowid FROM fts WHERE fts MATCH ?"
        rank = "ORDER BY bm25(fts, 10.0, 1.0)"
        (count,) = connection.execute(f"SELECT count(*) FROM ({select} LIMIT ?)", (query, COUNT_CAP + 1)).fetchone()
        total = None if count > COUNT_CAP else count
        if count <= RANK_ALL:
            rows = connection.execute(f"{select} {rank} LIMIT ?", (query, limit)).fetchall()
            return [rowid for (rowid,) in rows], total
        # Too many to rank: the best of the first CANDIDATES with every word in the title, ranked
        # in the index of titles alone (BM25 there scans title lists: ~1 ms, not ~12 ms).
        first = connection.execute("SELECT rowid FROM titles WHERE titles MATCH ? LIMIT ?", (query, CANDIDATES))
        last = [rowid for (rowid,) in first][-1:]
        ranked: list[int] = []
        if last:
            cursor = connection.execute(
                "SELECT rowid FROM titles WHERE titles MATCH ? AND rowid <= ? ORDER BY bm25(titles) LIMIT ?",
                (query, last[0], limit),
            )
            ranked = [rowid for (rowid,) in cursor]
        if len(ranked) < limit:
            taken = set(ranked)
            cursor = connection.execute(f"{select} LIMIT ?", (query, limit + len(ranked)))
            ranked += [rowid for (rowid,) in cursor if rowid not in taken][: limit - len(ranked)]
        return ranked, total


def _grew(before: str, expression: str) -> bool:
    """Whether ``expression`` is ``before`` with only its last prefix longer (so it matches at
    most what ``before`` matched)."""
    return before.endswith('"*') and expression.endswith('"*') and expression[:-2].startswith(before[:-2])
