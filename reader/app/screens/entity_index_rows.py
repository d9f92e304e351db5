"""What the entity index (:mod:`reader.app.screens.entity_index`) shows of an entity, an article
that mentions one, and its months: the rows of its two tables and the words of its chart."""

from __future__ import annotations

from rich.text import Text

from reader.app.palette import Palette
from reader.app.widgets.fitted_table import cut
from reader.nlp.entity_overview import MentioningArticle
from reader.nlp.entity_summary import EntityTotal
from reader.safe_text import inert


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is one: "1 mention", "3 mentions"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def article_row(article: MentioningArticle) -> tuple[Text, ...]:
    """The row of an article that mentions the entity: date, title, mentions."""
    return (
        Text(article.date or "", style="dim"),
        Text(article.title, no_wrap=True, overflow="ellipsis"),
        Text(f"{article.mentions:,}", justify="right"),
    )


def entity_row(entity: EntityTotal, palette: Palette) -> tuple[Text, ...]:
    """The row of an entity: its name in its label's colour, label, articles, mentions."""
    return (
        cut(Text(inert(entity.name), style=palette.entity_style(entity.label))),
        cut(entity.label, style="dim"),
        Text(f"{entity.articles:,}", justify="right"),
        Text(f"{entity.total:,}", justify="right"),
    )
