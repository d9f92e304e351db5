"""The analysis core against counts made by hand on a small coded corpus.

Three articles (a, b in July 2025 from Dawn, c undated from no source); the passages:

    a: p1 0..10 [framing/pivot, absent]   p2 5..15 [absent]   p3 20..30 [framing/pivot]
       p4 40..50 [great powers]           (paragraphs of a: 0..18, 19..35, 36..60)
    b: p5 0..8 [framing/pivot]            p6 8..12 [absent]   (touching, not overlapping)
    c: p7 3..9 [Absent]                   (another spelling of "absent")
"""

from __future__ import annotations

import pytest

from annotations.analysis import (
    UNDATED,
    ArticleInfo,
    code_key,
    code_matrix,
    code_timeline,
    coded_passages,
    month_of,
)
from annotations.analysis_cooccurrence import cooccurrence
from annotations.analysis_entities import EntityMention, code_entities
from annotations.model import Annotation


def passage(passage_id: str, article_id: str, start: int, end: int, *tags: str) -> Annotation:
    return Annotation(passage_id, article_id, "sha", start, end, "x" * (end - start), "", "", list(tags))


PASSAGES = [
    passage("p1", "a", 0, 10, "framing/pivot", "absent"),
    passage("p2", "a", 5, 15, "absent"),
    passage("p3", "a", 20, 30, "framing/pivot"),
    passage("p4", "a", 40, 50, "great powers"),
    passage("p5", "b", 0, 8, "framing/pivot"),
    passage("p6", "b", 8, 12, "absent"),
    passage("p7", "c", 3, 9, "Absent"),
]
ARTICLES = {
    "a": ArticleInfo("a", "Alpha", "2025-07-27", "Dawn"),
    "b": ArticleInfo("b", "Beta", "2025-09-02", "Dawn"),
    "c": ArticleInfo("c", "Gamma", None, None),
}
PIVOT, ABSENT, POWERS = "framing/pivot", "absent", "great powers"


def test_codes_are_told_apart_as_tags_and_counted_in_passages():
    coded = coded_passages(PASSAGES)
    assert coded.codes == [ABSENT, PIVOT, POWERS]
    assert coded.spelling[ABSENT] == "absent"  # first met
    assert coded.by_code[ABSENT] == ("p1", "p2", "p6", "p7")
    assert code_key(" Framing /  Pivot ") == PIVOT


def test_selecting_a_parent_selects_the_codes_under_it():
    coded = coded_passages(PASSAGES, ["Framing"])
    assert coded.codes == [PIVOT] and set(coded.passages) == {"p1", "p3", "p5"}
    assert coded.codes_of("p1") == (PIVOT,)  # absent is not in play


def test_matrix_by_article_month_and_source():
    coded = coded_passages(PASSAGES)
    by_article = code_matrix(coded, ARTICLES, "article")
    assert by_article.columns == ["a", "b", "c"]  # dated first, in date order; undated last
    assert by_article.labels["a"] == "Alpha"
    assert by_article.counts(ABSENT) == [2, 1, 1] and by_article.counts(PIVOT) == [2, 1, 0]
    assert list(by_article.passages(ABSENT, "a")) == ["p1", "p2"]
    assert by_article.total(POWERS) == 1
    by_month = code_matrix(coded, ARTICLES, "month")
    assert by_month.columns == ["2025-07", "2025-09", UNDATED]
    assert by_month.counts(ABSENT) == [2, 1, 1]
    by_source = code_matrix(coded, ARTICLES, "source")
    assert by_source.columns == ["Dawn", "no source"]
    assert by_source.counts(PIVOT) == [3, 0] and list(by_source.passages(ABSENT, "no source")) == ["p7"]


def test_matrix_names_an_article_the_corpus_lost_by_its_id():
    matrix = code_matrix(coded_passages(PASSAGES), {}, "article")
    assert matrix.labels == {"a": "a", "b": "b", "c": "c"}


def test_timeline_fills_every_month_between_first_and_last():
    timeline = code_timeline(coded_passages(PASSAGES), ARTICLES)
    assert timeline.columns == ["2025-07", "2025-08", "2025-09", UNDATED]
    assert timeline.counts(PIVOT) == [2, 0, 1, 0]
    assert timeline.counts(ABSENT) == [2, 0, 1, 1]
    assert month_of("2025-13-01") is None and month_of("July") is None and month_of("2024-12-31") == "2024-12"


def test_cooccurrence_by_overlap_counts_passage_pairs():
    result = cooccurrence(coded_passages(PASSAGES))
    # pivot & absent: p1 alone (coded both) and p1 with p2 (overlap 5..10); p5 and p6 only touch.
    assert result.n12(PIVOT, ABSENT) == result.n12(ABSENT, PIVOT) == 2
    assert result.frequency[PIVOT] == 3 and result.frequency[ABSENT] == 4
    assert result.coefficient(PIVOT, ABSENT) == pytest.approx(2 / (3 + 4 - 2))
    assert result.passages(PIVOT, ABSENT) == ["p1", "p2"]
    assert result.n12(PIVOT, POWERS) == 0 and result.coefficient(PIVOT, POWERS) == 0
    assert result.meeting() == [(ABSENT, PIVOT)]


def test_cooccurrence_by_paragraph():
    paragraphs = {"a": [(0, 18), (19, 35), (36, 60)], "b": [(0, 20)]}
    result = cooccurrence(coded_passages(PASSAGES), paragraphs)
    # a: p1, p2 in paragraph 0 (as before); p3 alone in 1; b: p5 and p6 share paragraph 0 now.
    assert result.n12(PIVOT, ABSENT) == 3
    assert result.passages(PIVOT, ABSENT) == ["p1", "p2", "p5", "p6"]
    assert result.scope == "paragraph"


def test_coefficient_is_undefined_when_overlaps_outnumber_the_passages():
    crowded = [passage(f"q{n}", "a", n, 10 + n, "one" if n % 2 else "two") for n in range(4)]
    result = cooccurrence(coded_passages(crowded))
    assert result.n12("one", "two") == 4  # every "one" overlaps every "two"
    assert result.coefficient("one", "two") is None


def test_entities_inside_a_codes_passages_and_codes_of_an_entity():
    mentions = [
        EntityMention("a", 1, 4, "china", "GPE"),  # inside p1
        EntityMention("a", 6, 9, "russia", "GPE"),  # inside p1 and p2
        EntityMention("a", 12, 18, "china", "GPE"),  # starts in p2, ends outside: not in it
        EntityMention("a", 22, 25, "china", "GPE"),  # inside p3
        EntityMention("c", 3, 9, "china", "GPE"),  # p7 exactly
        EntityMention("b", 20, 25, "china", "GPE"),  # in no passage
    ]
    result = code_entities(coded_passages(PASSAGES), mentions)
    china, russia = ("china", "GPE"), ("russia", "GPE")
    pivot = dict(result.of_code(PIVOT))
    assert pivot[china].mentions == 2 and pivot[china].passages == ("p1", "p3")
    assert pivot[russia].mentions == 1
    absent = dict(result.of_code(ABSENT))
    assert absent[russia].mentions == 1 and absent[russia].passages == ("p1", "p2")  # one mention, two passages
    assert absent[china].mentions == 2 and absent[china].passages == ("p1", "p7")
    assert [code for code, _ in result.of_entity(china)] == [ABSENT, PIVOT]
    assert result.entities == [china, russia] and POWERS not in result.codes
