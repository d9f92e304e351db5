"""Hypothesis strategies for exports: articles with texts, and annotations that fit them.

Annotations are made as the app makes them (:meth:`Annotation.create` on the text, so quote,
prefix and suffix agree with it), then given random ids, tags, notes, coders and times: what a store can
hold after a user has worked on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from annotations import Annotation, ArticleRef
from annotations.coders import normalise_coder
from annotations.formats import Export
from annotations.model import merge_tags

#: Any text a UTF-8 file can hold (no lone surrogates).
CHARACTERS = st.characters(blacklist_categories=("Cs",))
TEXT = st.text(CHARACTERS, max_size=40)
IDS = st.one_of(st.uuids().map(lambda value: value.hex), st.text(CHARACTERS, min_size=1, max_size=12))
TAGS = st.lists(st.text(CHARACTERS, min_size=1, max_size=15), max_size=12).map(merge_tags)
NOTES = st.one_of(st.just(""), st.text(CHARACTERS, max_size=80))
TIMES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)
)
#: Coders' names as the store keeps them (normalised, never blank), hostile ones included.
CODERS = st.text(CHARACTERS, min_size=1, max_size=12).map(normalise_coder).filter(bool)
DATES = st.one_of(st.none(), st.dates().map(lambda day: day.isoformat()))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@st.composite
def exports(draw: st.DrawFn, *, max_articles: int = 3, max_annotations: int = 6) -> Export:
    """An :class:`Export` of random articles (with their texts) and annotations over them."""
    article_ids = draw(st.lists(IDS, min_size=1, max_size=max_articles, unique=True))
    texts: dict[str, str] = {}
    articles: dict[str, ArticleRef] = {}
    annotations: list[Annotation] = []
    taken: set[str] = set()
    for article_id in article_ids:
        text = draw(st.text(CHARACTERS, min_size=1, max_size=300))
        texts[article_id] = text
        articles[article_id] = ArticleRef(article_id, draw(TEXT), draw(DATES), draw(TEXT), sha256(text))
        for _ in range(draw(st.integers(0, max_annotations))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            identifier = draw(IDS.filter(lambda value: value not in taken))
            taken.add(identifier)
            created = draw(TIMES)
            made = Annotation.create(
                article_id=article_id,
                article_sha256=draw(st.sampled_from([sha256(text), ""])),
                text=text,
                start=start,
                end=end,
            )
            annotations.append(
                replace(
                    made,
                    id=identifier,
                    tags=draw(TAGS),
                    note=draw(NOTES),
                    coder=draw(CODERS),
                    created=created,
                    updated=created + timedelta(milliseconds=draw(st.integers(0, 10**11))),
                )
            )
    return Export(annotations, articles, texts)
