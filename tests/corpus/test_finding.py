"""Filters, sort orders and search as you type, without the UI."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus import Article
from reader.corpus.finding import DateRange, EntityQuery, Facts, Filters, Finder, SortOrder
from reader.corpus.fulltext import FullTextIndex

TEXTS = {
    "a": ("Pakistan hosts talks", "2025-07-27", "Security chiefs met in Islamabad. China sent observers."),
    "b": ("Budget passes", "2025-07-01", "The finance minister said the deficit would fall."),
    "c": ("Harbour strike ends", "2024-12-31", "Dock workers in Karachi returned after nine days."),
    "d": ("Undated note", None, "Nothing about security here, only weather."),
}


def articles() -> list[Article]:
    made = [
        Article(key, title, date, Path(f"/c/{key}.txt"), text=f"{title}\n{date or ''}\n{body}")
        for key, (title, date, body) in TEXTS.items()
    ]
    return sorted(made, key=lambda a: a.date or "", reverse=True)


def finder(full_text: bool = True) -> Finder:
    found = Finder(articles())
    if full_text:
        found.search = indexed(found.articles)
    return found


def indexed(articles: list[Article]) -> FullTextIndex:
    """A full-text index (in memory) of these articles."""
    index = FullTextIndex(None)
    index.add((article, article.text) for article in articles)
    return index


def ids(found: list[Article]) -> list[str]:
    return [article.id for article in found]


def test_no_filter_lists_everything_newest_first():
    assert ids(finder().select(Filters(), Facts())) == ["a", "b", "c", "d"]


def test_search_titles_only_until_the_full_text_is_there():
    assert ids(finder(full_text=False).select(Filters(query="security"), Facts())) == []
    assert ids(finder(full_text=False).select(Filters(query="STRIKE"), Facts())) == ["c"]
    # ranked (BM25): "security" weighs more in the short note than in the longer report
    assert ids(finder().select(Filters(query="security"), Facts())) == ["d", "a"]


def test_every_word_of_the_query_must_occur_somewhere():
    assert ids(finder().select(Filters(query="karachi dock"), Facts())) == ["c"]
    assert ids(finder().select(Filters(query="karachi china"), Facts())) == []
    assert ids(finder().select(Filters(query="  "), Facts())) == ["a", "b", "c", "d"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list("securityabkhdn ")), st.just("\b")), max_size=25))
def test_typing_and_erasing_gives_what_a_fresh_search_gives(keys: list[str]):
    typing, query = finder(), ""
    for key in keys:
        query = query[:-1] if key == "\b" else query + key
        expected = finder().select(Filters(query=query), Facts())
        assert ids(typing.select(Filters(query=query), Facts())) == ids(expected), query


def test_the_full_text_arriving_widens_a_title_search():
    found = finder(full_text=False)
    assert ids(found.select(Filters(query="secu"), Facts())) == []
    full = finder()
    found.search = full.search
    assert ids(found.select(Filters(query="secur"), Facts())) == ["d", "a"]


def test_a_query_lists_the_best_match_first_unless_another_order_is_chosen():
    select = finder().select
    assert ids(select(Filters(query="strike"), Facts())) == ["c"]
    assert ids(select(Filters(query="security pakistan"), Facts())) == ["a"]
    assert ids(select(Filters(query="security", sort=SortOrder.TITLE), Facts())) == ["a", "d"]  # by title, as asked


def test_unread_unannotated_tag_and_date_filters_combine():
    facts = Facts(counts={"a": 2, "c": 1}, tags={"a": {"pivot westward"}, "c": {"labour"}}, read={"b", "c"})
    select = finder().select
    assert ids(select(Filters(unread=True), facts)) == ["a", "d"]
    assert ids(select(Filters(unannotated=True), facts)) == ["b", "d"]
    assert ids(select(Filters(tag="Pivot  Westward"), facts)) == ["a"]
    assert ids(select(Filters(dates=DateRange.parse("2025-07")), facts)) == ["a", "b"]
    assert ids(select(Filters(dates=DateRange.parse("2025-07"), unread=True), facts)) == ["a"]
    # whole words, the last one a prefix: "weather" and "Nothing" in d no longer hold "the"
    assert ids(select(Filters(query="the", unannotated=True), facts)) == ["b"]


def test_entity_filter_shows_nothing_until_matches_are_known():
    select = finder().select
    assert ids(select(Filters(entity=EntityQuery("China")), Facts())) == []
    assert ids(select(Filters(entity=EntityQuery("China")), Facts(entity_matches={"a", "d"}))) == ["a", "d"]


def test_sort_orders():
    facts = Facts(counts={"c": 3, "d": 1})
    select = finder().select
    assert ids(select(Filters(sort=SortOrder.TITLE), facts)) == ["b", "c", "a", "d"]
    assert ids(select(Filters(sort=SortOrder.ANNOTATIONS), facts)) == ["c", "d", "a", "b"]
    assert SortOrder.DATE.next() is SortOrder.TITLE and SortOrder.ANNOTATIONS.next() is SortOrder.DATE


@pytest.mark.parametrize(
    ("text", "start", "end", "inside", "outside"),
    [
        ("2025-07", "2025-07", "2025-07", ["2025-07-01", "2025-07-31"], ["2025-06-30", "2025-08-01", None]),
        ("2025", "2025", "2025", ["2025-01-01", "2025-12-31"], ["2024-12-31", "2026-01-01"]),
        ("2025-01-01..2025-03-31", "2025-01-01", "2025-03-31", ["2025-03-31"], ["2025-04-01"]),
        ("..2025-06-30", None, "2025-06-30", ["1999-01-01"], ["2025-07-01"]),
        ("2025-02.. ", "2025-02", None, ["2030-01-01", "2025-02-01"], ["2025-01-31"]),
    ],
)
def test_date_ranges(text: str, start, end, inside: list[str], outside: list):
    dates = DateRange.parse(text)
    assert (dates.start, dates.end) == (start, end)
    assert all(dates.contains(day) for day in inside)
    assert not any(dates.contains(day) for day in outside)
    assert DateRange.parse(str(dates)) == dates


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "give a date range"),
        ("..", "give a date range"),
        ("July", "not a date"),
        ("2025-13", "not a date on the calendar"),
        ("2025-03..2025-01", "starts"),
    ],
)
def test_bad_date_ranges_say_what_to_write(text: str, message: str):
    with pytest.raises(ValueError, match=message):
        DateRange.parse(text)


def test_entity_queries():
    assert EntityQuery.parse(" China ") == EntityQuery("China", None)
    assert EntityQuery.parse("China/GPE") == EntityQuery("China", "GPE")
    assert EntityQuery.parse("AC/dc") == EntityQuery("AC/dc", None)
    assert EntityQuery.parse("New   York/GPE").matches("new york", "GPE")
    assert not EntityQuery.parse("China/GPE").matches("China", "ORG")
    assert EntityQuery.parse("China").matches("CHINA", "NORP")
    assert str(EntityQuery.parse("China/GPE")) == "China/GPE"
    with pytest.raises(ValueError):
        EntityQuery.parse(" /GPE")


def accented() -> Finder:
    made = [
        Article(
            "fr",
            "Sécurité à Genève",
            "2025-01-02",
            Path("/c/fr.txt"),
            text="Sécurité à Genève\n2025-01-02\nLa CAFÉ-société de Zürich.",
        ),
        Article("de", "STRASSE", "2025-01-01", Path("/c/de.txt"), text="STRASSE\n2025-01-01\nDie Straße ist ﬁne."),
    ]
    found = Finder(made)
    return found


@pytest.mark.parametrize("full_text", [False, True])
def test_search_ignores_accents_and_case(full_text: bool) -> None:
    found = accented()
    if full_text:
        found.search = indexed(found.articles)
    assert ids(found.select(Filters(query="securite"), Facts())) == ["fr"]
    assert ids(found.select(Filters(query="SÉCURITÉ geneve"), Facts())) == ["fr"]
    assert ids(found.select(Filters(query="strasse"), Facts())) == ["de"]
    if full_text:
        assert ids(found.select(Filters(query="cafe zurich"), Facts())) == ["fr"]
        assert ids(found.select(Filters(query="straße fine"), Facts())) == ["de"]


def test_entity_and_tag_filters_ignore_accents_and_case() -> None:
    assert EntityQuery.parse("China/gpe") == EntityQuery.parse("China/GPE") == EntityQuery("China", "GPE")
    assert EntityQuery.parse("Israel/Hamas") == EntityQuery("Israel/Hamas")  # not a label: part of the name
    query = EntityQuery.parse("zurich/gpe")
    assert query.matches("Zürich", "GPE") and query.matches("ZÜRICH", "gpe") and not query.matches("Zürich", "ORG")
    assert EntityQuery.parse("Sao  Paulo").matches("São Paulo", "GPE")
    found = accented()
    facts = Facts(tags={"fr": {"sécurité"}, "de": {"verkehr"}})
    assert ids(found.select(Filters(tag="Securite"), facts)) == ["fr"]
    assert ids(found.select(Filters(tag="SÉCURITÉ"), facts)) == ["fr"]
