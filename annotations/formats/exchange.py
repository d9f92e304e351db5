"""What passes between the formats and their callers: what to export, and what an import found.

Every format reads an :class:`Export` and the importable ones return an :class:`Imported`, so the
registry (:mod:`annotations.formats.registry`) can treat them alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from annotations.formats.fields import FormatError
from annotations.model import Annotation, ArticleRef, check_passage, tag_key, utc_now

#: Splits a text into tokens, returned as ``(start, end)`` character offsets in text order.
#: reader passes spaCy's tokenizer; the core never imports spaCy.
Tokenizer = Callable[[str], Sequence[tuple[int, int]]]

#: A named entity of an article's text: ``(start, end, label)``.
EntitySpan = tuple[int, int, str]


@dataclass(frozen=True)
class Export:
    """The annotations to write, and what some formats need besides them.

    ``articles`` names the articles (title, date...) by id; one missing is written with its id
    only. ``texts`` holds each article's text, which the offsets of its annotations must point
    into (``jsonl`` and ``brat`` write the text itself). ``tokenizer`` gives ``jsonl`` its token
    indices and ``entities`` adds entity spans to it, by article id.
    """

    annotations: Sequence[Annotation]
    articles: Mapping[str, ArticleRef] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    tokenizer: Tokenizer | None = None
    entities: Mapping[str, Sequence[EntitySpan]] | None = None
    exported: datetime = field(default_factory=utc_now)

    def article(self, article_id: str) -> ArticleRef:
        """The article ``article_id``, or a reference holding nothing but its id."""
        return self.articles.get(article_id) or ArticleRef(article_id, "", None, "", "")

    def text(self, article_id: str) -> str:
        """The text of ``article_id``; a format that needs one it was not given is a caller's error."""
        try:
            return self.texts[article_id]
        except KeyError:
            raise ValueError(f"no text was given for article {article_id!r}") from None

    def by_article(self) -> dict[str, list[Annotation]]:
        """The annotations grouped by article id (ids sorted), each group in text order."""
        groups: dict[str, list[Annotation]] = {}
        for annotation in sorted(self.annotations, key=lambda a: (a.article_id, a.start, a.end, a.id)):
            groups.setdefault(annotation.article_id, []).append(annotation)
        return groups

    def tag_spellings(self) -> dict[str, str]:
        """One spelling for each tag, by :func:`~annotations.model.tag_key`: the first met in
        :meth:`by_article` order, as reader's tag counts spell it. Formats whose labels are
        compared exactly (jsonl, brat) write this spelling, so that tags equal but for case,
        which reader holds to be one tag, are one label there too."""
        spellings: dict[str, str] = {}
        for group in self.by_article().values():
            for annotation in group:
                for tag in annotation.tags:
                    spellings.setdefault(tag_key(tag), tag)
        return spellings


@dataclass
class Imported:
    """What a file held: annotations in file order, and the articles it described, by id.

    ``ignored`` counts records that are not annotations (such as entity spans in ``jsonl``).
    """

    annotations: list[Annotation] = field(default_factory=list)
    articles: dict[str, ArticleRef] = field(default_factory=dict)
    ignored: int = 0
    _places: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def add(self, annotation: Annotation, *, line: int | None = None, field: str | None = None) -> None:
        """Keep ``annotation``, found at ``line``/``field``; a second record with its id is an error."""
        place = f"line {line}" if line is not None else (field or "another record")
        if annotation.id in self._places:
            raise FormatError(
                f"annotation id {annotation.id!r} is used twice (first at {self._places[annotation.id]})",
                line=line,
                field=field,
            )
        try:
            check_passage(annotation.start, annotation.end)
        except ValueError as error:
            raise FormatError(str(error), line=line, field=field) from None
        self._places[annotation.id] = place
        self.annotations.append(annotation)

    def check_storable(self) -> None:
        """Refuse (:class:`FormatError`, naming the record) a file whose annotations or articles
        could not be written to the store: checked for the whole file before anything is written,
        so that a file refused writes nothing. The store keeps UTF-8 JSON, so every string must
        encode to UTF-8 (JSON's ``\\ud800`` escapes give lone surrogates, which do not)."""
        for annotation in self.annotations:
            _check_storable(annotation.to_record(), f"annotation {annotation.id!r}")
        for article_id, ref in self.articles.items():
            _check_storable(ref.to_record(), f"article {article_id!r}")


def _check_storable(record: dict, what: str) -> None:
    try:
        json.dumps(record, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError as error:
        character = error.object[error.start : error.end].encode("unicode_escape").decode("ascii")
        raise FormatError(f"{what} holds text that is not Unicode (the lone surrogate {character})") from None
    except (ValueError, TypeError, OverflowError) as error:
        raise FormatError(f"{what} cannot be stored ({error})") from None
