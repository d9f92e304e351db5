"""Agreement figures (annotations/agreement.py) against NVivo's worked example, hand-derived
closed forms, a character-by-character reference and the ``krippendorff`` package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.agreement import NothingToCompare, Passage, cohen_kappa, compare, nominal_alpha


def passage(start: int, end: int, code: str = "risk", article: str = "a1") -> Passage:
    return Passage(article, start, end, code)


def test_nvivo_worked_example_gives_85_percent() -> None:
    # 1,000 characters: 50 coded by both, 150 by only one coder (100 by A, 50 by B), 800 by neither.
    a = [passage(0, 150)]
    b = [passage(100, 200)]
    result = compare({"A": a, "B": b}, {"a1": 1000})
    figures = result.codes["risk"]
    assert figures.percent == pytest.approx(85.0)
    # Pe = (150·100 + 850·900) / 1000² = 0.78, so kappa = (0.85 − 0.78) / (1 − 0.78).
    assert figures.kappa == pytest.approx((0.85 - 0.78) / 0.22)
    assert result.characters == 1000 and result.articles == ("a1",)


def test_identical_layers_agree_perfectly() -> None:
    layer = [passage(0, 10), passage(40, 90), passage(50, 60, "fear"), passage(5, 30, "risk", "a2")]
    result = compare({"A": layer, "B": list(layer)}, {"a1": 200, "a2": 80})
    for figures in [*result.codes.values(), result.overall]:
        assert (figures.percent, figures.kappa, figures.alpha) == (100.0, 1.0, 1.0)
        assert (figures.f1_exact, figures.f1_overlap) == (1.0, 1.0)
    assert result.overall.a_passages == 4 == result.overall.b_passages


def test_disjoint_layers_give_the_closed_form_kappa() -> None:
    # No character coded by both: Po − Pe = −2pq and 1 − Pe = p + q − 2pq (p, q the coded shares).
    result = compare({"A": [passage(0, 200)], "B": [passage(500, 800)]}, {"a1": 1000})
    p, q = 0.2, 0.3
    figures = result.codes["risk"]
    assert figures.kappa == pytest.approx(-2 * p * q / (p + q - 2 * p * q))
    assert figures.kappa < 0
    assert figures.percent == pytest.approx(50.0)
    assert (figures.f1_exact, figures.f1_overlap) == (0.0, 0.0)


def test_a_code_only_one_coder_used_has_kappa_zero() -> None:
    # B coded the article (another code) but not "risk": Po = Pe, so kappa is 0.
    result = compare({"A": [passage(0, 100)], "B": [passage(0, 100, "other")]}, {"a1": 400})
    assert result.codes["risk"].kappa == pytest.approx(0.0)
    assert result.codes["risk"].b_passages == 0 and result.codes["risk"].f1_exact == 0.0


def test_pe_of_one_means_kappa_one() -> None:
    assert cohen_kappa(10, 0, 0, 0) == 1.0
    assert cohen_kappa(10, 10, 10, 10) == 1.0
    assert nominal_alpha([5, 0, 0], 2) is None  # no variation: alpha undefined


def test_kappa_of_a_code_is_the_length_weighted_mean_of_the_articles() -> None:
    layers = {
        "A": [passage(0, 150), passage(0, 10, article="a2")],
        "B": [passage(100, 200), passage(0, 40, article="a2")],
    }
    result = compare(layers, {"a1": 1000, "a2": 100})
    first = cohen_kappa(1000, 150, 100, 50)
    second = cohen_kappa(100, 10, 40, 10)
    assert result.codes["risk"].kappa == pytest.approx((1000 * first + 100 * second) / 1100)
    assert result.codes["risk"].percent == pytest.approx(100 * (850 + 70) / 1100)


def test_articles_where_neither_coder_used_a_code_do_not_count_for_it() -> None:
    # a2 was coded by both, but not with "risk": its Pe = 1 would add kappa 1 for free.
    layers = {
        "A": [passage(0, 150), passage(0, 5, "other", "a2")],
        "B": [passage(100, 200), passage(0, 5, "other", "a2")],
    }
    result = compare(layers, {"a1": 1000, "a2": 5000})
    assert result.codes["risk"].kappa == pytest.approx(cohen_kappa(1000, 150, 100, 50))
    assert result.codes["risk"].percent == pytest.approx(85.0)


def test_overall_is_length_weighted_over_codes_and_articles_and_micro_f1() -> None:
    layers = {
        "A": [passage(0, 10, "x"), passage(20, 30, "x"), passage(50, 70, "y"), passage(0, 5, "x", "a2")],
        "B": [passage(0, 10, "x"), passage(25, 35, "x"), passage(80, 90, "y"), passage(0, 5, "x", "a2")],
    }
    result = compare(layers, {"a1": 100, "a2": 300})
    x, y = result.codes["x"], result.codes["y"]  # x counts over a1 and a2 (400 characters), y over a1 (100)
    assert result.overall.kappa == pytest.approx((400 * x.kappa + 100 * y.kappa) / 500)
    assert result.overall.percent == pytest.approx((400 * x.percent + 100 * y.percent) / 500)
    # exact: 2 matches of 4 a side -> F1 = 2·2 / (4 + 4); overlap: 3 of 4 each side.
    assert result.overall.f1_exact == pytest.approx(0.5)
    assert result.overall.f1_overlap == pytest.approx(0.75)
    assert x.f1_exact == pytest.approx(2 / 3) and x.f1_overlap == 1.0
    assert (result.overall.a_passages, result.overall.b_passages) == (4, 4)


def test_only_articles_every_coder_coded_count() -> None:
    layers = {"A": [passage(0, 10), passage(0, 10, article="a2")], "B": [passage(0, 10)]}
    result = compare(layers, {"a1": 50, "a2": 50})
    assert result.articles == ("a1",) and result.codes["risk"].a_passages == 1
    with pytest.raises(NothingToCompare):
        compare({"A": [passage(0, 10)], "B": [passage(0, 10, article="a2")]}, {"a1": 50, "a2": 50})


def test_codes_are_chosen_case_aside_and_unused_ones_named() -> None:
    layers = {"A": [passage(0, 10, "Risk"), passage(0, 5, "fear")], "B": [passage(0, 10, "risk")]}
    result = compare(layers, {"a1": 50}, codes=["RISK", "hope"])
    assert list(result.codes) == ["Risk"] and result.unused == ("hope",)
    assert result.codes["Risk"].kappa == 1.0
    with pytest.raises(NothingToCompare):
        compare(layers, {"a1": 50}, codes=["hope"])


def test_passages_past_the_text_are_clipped_and_articles_without_length_left_out() -> None:
    layers = {
        "A": [passage(0, 500), passage(0, 5, article="gone")],
        "B": [passage(0, 100), passage(0, 5, article="gone")],
    }
    result = compare(layers, {"a1": 100})
    assert result.codes["risk"].percent == 100.0 and result.missing == ("gone",)


# A character-by-character reference, the plain definition the interval arithmetic must match.


def char_matrix(layer: list[Passage], code: str, lengths: dict[str, int]) -> np.ndarray:
    row = []
    for article, n in sorted(lengths.items()):
        marks = [0] * n
        for p in layer:
            if p.code == code and p.article_id == article:
                for i in range(max(p.start, 0), min(p.end, n)):
                    marks[i] = 1
        row.extend(marks)
    return np.array(row)


ARTICLES = {"a1": 40, "a2": 25, "a3": 60}


@st.composite
def layer(draw: st.DrawFn) -> list[Passage]:
    result = []
    for article, n in ARTICLES.items():
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, n))
            result.append(Passage(article, start, end, draw(st.sampled_from(["x", "y"]))))
    return result


@settings(max_examples=150, deadline=None)
@given(st.lists(layer(), min_size=2, max_size=4))
def test_alpha_matches_the_krippendorff_package(layers: list[list[Passage]]) -> None:
    result = compare({f"c{i}": part for i, part in enumerate(layers)}, ARTICLES)
    for code, figures in result.codes.items():
        matrix = np.array([char_matrix(part, code, ARTICLES) for part in layers])
        if len(np.unique(matrix)) < 2:
            assert figures.alpha is None
            continue
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert figures.alpha == pytest.approx(expected, abs=1e-9)
    pooled = np.concatenate(
        [np.array([char_matrix(part, code, ARTICLES) for part in layers]) for code in result.codes], axis=1
    )
    if len(np.unique(pooled)) > 1:
        assert result.overall.alpha == pytest.approx(
            krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal"), abs=1e-9
        )


@settings(max_examples=150, deadline=None)
@given(layer(), layer())
def test_percent_kappa_and_f1_match_the_character_reference(a: list[Passage], b: list[Passage]) -> None:
    result = compare({"A": a, "B": b}, ARTICLES)
    for code, figures in result.codes.items():
        weighted_kappa, agree, total = 0.0, 0, 0
        for article, n in ARTICLES.items():
            ra, rb = (char_matrix(part, code, {article: n}) for part in (a, b))
            if ra.any() or rb.any():  # only the articles where A or B used the code
                weighted_kappa += n * cohen_kappa(n, int(ra.sum()), int(rb.sum()), int((ra & rb).sum()))
                agree += int((ra == rb).sum())
                total += n
        assert figures.percent == pytest.approx(100 * agree / total)
        assert figures.kappa == pytest.approx(weighted_kappa / total)
        spans_a = {(p.article_id, p.start, p.end) for p in a if p.code == code}
        spans_b = {(p.article_id, p.start, p.end) for p in b if p.code == code}
        assert (figures.a_passages, figures.b_passages) == (len(spans_a), len(spans_b))
        if spans_a and spans_b:
            assert figures.f1_exact == pytest.approx(2 * len(spans_a & spans_b) / (len(spans_a) + len(spans_b)))
        touching_b = sum(any(x[0] == y[0] and x[1] < y[2] and y[1] < x[2] for x in spans_a) for y in spans_b)
        touching_a = sum(any(x[0] == y[0] and x[1] < y[2] and y[1] < x[2] for y in spans_b) for x in spans_a)
        precision = touching_b / len(spans_b) if spans_b else 0.0
        recall = touching_a / len(spans_a) if spans_a else 0.0
        expected = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        assert figures.f1_overlap == pytest.approx(expected)
