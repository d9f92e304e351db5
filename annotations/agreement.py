"""Intercoder agreement: how far two or more coders' passages agree, per code and overall.

Pure functions over passages (article, start, end, code) and article lengths; the figures are
those qualitative researchers report:

- **percent agreement** and **Cohen's kappa by character**, as NVivo's coding comparison defines
  them: within one article, every character is a unit, coded or not coded with the code by each
  of coders A and B. With ``n`` characters, ``a`` coded by A, ``b`` by B and ``both`` by both,
  ``Po = (both + neither) / n``, ``Pe = (a·b + (n−a)(n−b)) / n²``, ``κ = (Po − Pe) / (1 − Pe)``.
  ``Pe = 1`` happens only when both coders coded none of the article or all of it: they agree
  on every character and, as NVivo reports for a source neither user coded at a node, κ = 1.
  NVivo gives these figures per source and no overall one; its help has the user average the
  per-source figures in a spreadsheet, weighting each source by its size. A code's figure here
  is that average, over the articles where A or B used the code: per-article figures weighted
  by article length. Articles where neither used it are left out of the code's average: there
  Pe = 1 and κ would be 1 whatever the coders did elsewhere, so random coding of a few
  passages in a large corpus would score near 1 (alpha, below, pools every character instead).
- **Krippendorff's alpha** (nominal) on the same character units, for any number of coders:
  ``α = 1 − (n−1) · Σᵤ n₀ᵤ·n₁ᵤ / ((m−1) · n₀ · n₁)`` over all characters of the articles
  (``m`` coders, ``n = m·N`` values, ``n₀ᵤ``/``n₁ᵤ`` coders not coding / coding character ``u``).
  Undefined (None) when every value is the same (no variation to agree on).
- **Passage-level F1** of B against A (A taken as the reference, as NER evaluation does):
  exact (same start and end) and overlapping (sharing at least one character), so a user can
  tell disagreement about boundaries from disagreement about codes.

"Overall": percent and kappa are the length-weighted mean over every (code, article) pair
that entered a code's figure (so a code used in more text weighs more); alpha pools every
(code, character) pair as one unit; F1 is micro-averaged (matches and passages summed over the
codes); the passage counts are summed. Percent, kappa and F1 compare the first two coders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from annotations.agreement_spans import Intervals, Positions, depths, merged, overlapping, per_article, span_keys
from annotations.model import tag_key


@dataclass(frozen=True)
class Passage:
    """One coded passage of one coder: ``article_id`` text ``[start, end)`` coded with ``code``."""

    article_id: str
    start: int
    end: int
    code: str


@dataclass(frozen=True)
class Figures:
    """The agreement figures of one code (or overall). ``percent`` is 0 to 100."""

    percent: float
    kappa: float
    alpha: float | None
    f1_exact: float
    f1_overlap: float
    a_passages: int
    b_passages: int

    def to_record(self) -> dict[str, Any]:
        return {
            "percent": self.percent,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "f1_exact": self.f1_exact,
            "f1_overlap": self.f1_overlap,
            "a_passages": self.a_passages,
            "b_passages": self.b_passages,
        }


@dataclass(frozen=True)
class Agreement:
    """Figures per code (by the code's first spelling) and overall, over ``articles``: the
    articles every coder coded (with at least one passage, any code) that have a length.
    ``unused`` names the codes asked for that no coder used there; ``missing`` the common
    articles left out because their length was not given."""

    coders: tuple[str, ...]
    articles: tuple[str, ...]
    characters: int
    codes: dict[str, Figures]
    overall: Figures
    unused: tuple[str, ...] = ()
    missing: tuple[str, ...] = field(default=())

    def to_record(self) -> dict[str, Any]:
        """The JSON document of ``reader agree --json``."""
        return {
            "coders": list(self.coders),
            "articles": len(self.articles),
            "codes": {code: figures.to_record() for code, figures in self.codes.items()},
            "overall": self.overall.to_record(),
        }


class NothingToCompare(ValueError):
    """No article that every coder coded, or no passage there with the codes asked for."""


def percent_agreement(n: int, a: int, b: int, both: int) -> float:
    """Characters on which A and B agree (both coded or neither), as a percentage of ``n``."""
    return 100.0 * (n - a - b + 2 * both) / n


def cohen_kappa(n: int, a: int, b: int, both: int) -> float:
    """Cohen's kappa of one article: ``n`` characters, ``a`` coded by A, ``b`` by B, ``both``
    by both. 1 when ``Pe = 1`` (neither coded anything, or both coded everything)."""
    if (a == 0 and b == 0) or (a == n and b == n):
        return 1.0
    observed = (n - a - b + 2 * both) / n
    expected = (a * b + (n - a) * (n - b)) / (n * n)
    return (observed - expected) / (1 - expected)


def nominal_alpha(by_depth: Sequence[int], coders: int) -> float | None:
    """Krippendorff's nominal alpha for binary units with no missing values: ``by_depth[k]`` is
    how many units exactly ``k`` of the ``coders`` coded. None when there is no variation."""
    units = sum(by_depth)
    ones = sum(k * count for k, count in enumerate(by_depth))
    values = coders * units
    zeros = values - ones
    if ones == 0 or zeros == 0:
        return None
    mixed = sum(count * k * (coders - k) for k, count in enumerate(by_depth))
    return 1.0 - (values - 1) * mixed / ((coders - 1) * zeros * ones)


def f1(matched_a: int, a: int, matched_b: int, b: int) -> float:
    """F1 of B against A: precision ``matched_b / b``, recall ``matched_a / a`` (an empty side
    has precision or recall 0); 1 when neither has a passage."""
    if a == 0 and b == 0:
        return 1.0
    precision = matched_b / b if b else 0.0
    recall = matched_a / a if a else 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


@dataclass
class _Counts:
    """What one code adds up to: the NVivo figures' numerators, alpha's histogram, matches."""

    weight: int
    agree: float
    kappa_sum: float
    by_depth: npt.NDArray[np.int64]
    matched_exact: int
    matched_a: int
    matched_b: int
    a: int
    b: int


class _Line:
    """The common articles laid end to end, so that passages become positions on one line."""

    def __init__(self, articles: Sequence[str], lengths: Mapping[str, int]) -> None:
        self.index = {article: i for i, article in enumerate(articles)}
        self.lengths = np.array([lengths[article] for article in articles], dtype=np.int64)
        self.bases = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        self.length = int(self.lengths.sum())

    def place(self, passages: Iterable[Passage]) -> tuple[Positions, Positions]:
        """Start and end on the line of each passage, clipped to its article's text."""
        rows = [(self.index[p.article_id], p.start, p.end) for p in passages]
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        where, starts, ends = np.array(rows, dtype=np.int64).T
        limit = self.lengths[where]
        starts, ends = np.clip(starts, 0, limit), np.clip(ends, 0, limit)
        keep = ends > starts
        return self.bases[where][keep] + starts[keep], self.bases[where][keep] + ends[keep]


def compare(
    layers: Mapping[str, Sequence[Passage]],
    lengths: Mapping[str, int],
    *,
    codes: Collection[str] | None = None,
    articles: Collection[str] | None = None,
) -> Agreement:
    """The agreement of the coders in ``layers`` (their passages, by coder, first two compared
    as A and B) over the articles they all coded (and, if given, are in ``articles``), for every
    code used there (or those of ``codes``, compared case aside). ``lengths`` gives each
    article's length in characters. :class:`NothingToCompare` when there is nothing to compare."""
    coders = tuple(layers)
    if len(coders) < 2:
        raise ValueError("agreement needs at least two coders")
    coded = [{p.article_id for p in layers[coder]} for coder in coders]
    common = set.intersection(*coded)
    if articles is not None:
        common &= set(articles)
    missing = tuple(sorted(article for article in common if article not in lengths))
    chosen = sorted(article for article in common if lengths.get(article, 0) > 0)
    if not chosen:
        raise NothingToCompare("no article was coded by every coder")
    wanted = None if codes is None else {tag_key(code) for code in codes}
    line = _Line(chosen, lengths)
    names: dict[str, str] = {}
    grouped: dict[str, list[list[Passage]]] = defaultdict(lambda: [[] for _ in coders])
    for position, coder in enumerate(coders):
        for passage in layers[coder]:
            key = tag_key(passage.code)
            if passage.article_id in line.index and (wanted is None or key in wanted):
                names.setdefault(key, passage.code)
                grouped[key][position].append(passage)
    unused = tuple(sorted(code for code in (codes or ()) if tag_key(code) not in grouped))
    if not grouped:
        raise NothingToCompare("no passage with the codes asked for in the articles every coder coded")
    counts = {key: _count(line, [line.place(part) for part in grouped[key]]) for key in sorted(grouped)}
    figures = {names[key]: _figures(c, len(coders)) for key, c in counts.items()}
    return Agreement(
        coders, tuple(chosen), line.length, figures, _overall(list(counts.values()), len(coders)), unused, missing
    )


def _count(line: _Line, placed: list[tuple[Positions, Positions]]) -> _Counts:
    layers = [merged(starts, ends) for starts, ends in placed]
    a_layer, b_layer = layers[0], layers[1]
    pair = depths([a_layer, b_layer])
    both_stretches = pair.depth == 2
    both = per_article(line.bases, pair.starts[both_stretches], pair.lengths[both_stretches])
    a = per_article(line.bases, a_layer.starts, a_layer.ends - a_layer.starts)
    b = per_article(line.bases, b_layer.starts, b_layer.ends - b_layer.starts)
    used = (a > 0) | (b > 0)  # the code's articles (see the module's docstring)
    if not used.any():  # only a third coder used the code: every article counts (all Pe = 1)
        used[:] = True
    n, a, b, both = line.lengths[used], a[used], b[used], both[used]
    agree = n - a - b + 2 * both
    kappa = _kappas(n, a, b, agree)
    everyone = pair if len(layers) == 2 else depths(layers)
    by_depth = np.bincount(everyone.depth, weights=everyone.lengths, minlength=len(layers) + 1).astype(np.int64)
    by_depth[0] = line.length - int(by_depth[1:].sum())
    a_keys, b_keys = (span_keys(starts, ends, line.length) for starts, ends in placed[:2])
    return _Counts(
        int(n.sum()),
        float(agree.sum()),
        float((kappa * n).sum()),
        by_depth,
        int(np.intersect1d(a_keys, b_keys, assume_unique=True).size),
        _overlapped(b_layer, a_keys, line.length),
        _overlapped(a_layer, b_keys, line.length),
        int(a_keys.size),
        int(b_keys.size),
    )


def _kappas(n: Positions, a: Positions, b: Positions, agree: Positions) -> npt.NDArray[np.float64]:
    """:func:`cohen_kappa` of every article at once (floats: n² overflows no int64 here)."""
    nf, af, bf = n.astype(np.float64), a.astype(np.float64), b.astype(np.float64)
    expected = (af * bf + (nf - af) * (nf - bf)) / (nf * nf)
    degenerate = ((a == 0) & (b == 0)) | ((a == n) & (b == n))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (agree / nf - expected) / (1.0 - expected)
    return np.where(degenerate, 1.0, kappa)


def _overlapped(layer: Intervals, keys: Positions, line_length: int) -> int:
    """How many of the distinct spans ``keys`` share a character with ``layer``."""
    starts, ends = keys // (line_length + 1), keys % (line_length + 1)
    return int(overlapping(layer, starts, ends).sum())


def _figures(counts: _Counts, coders: int) -> Figures:
    return Figures(
        percent=100.0 * counts.agree / counts.weight,
        kappa=counts.kappa_sum / counts.weight,
        alpha=nominal_alpha([int(c) for c in counts.by_depth], coders),
        f1_exact=f1(counts.matched_exact, counts.a, counts.matched_exact, counts.b),
        f1_overlap=f1(counts.matched_a, counts.a, counts.matched_b, counts.b),
        a_passages=counts.a,
        b_passages=counts.b,
    )


def _overall(counts: list[_Counts], coders: int) -> Figures:
    exact = sum(c.matched_exact for c in counts)
    a, b = sum(c.a for c in counts), sum(c.b for c in counts)
    weight = sum(c.weight for c in counts)
    return Figures(
        percent=100.0 * sum(c.agree for c in counts) / weight,
        kappa=sum(c.kappa_sum for c in counts) / weight,
        alpha=nominal_alpha([int(v) for v in np.sum([c.by_depth for c in counts], axis=0)], coders),
        f1_exact=f1(exact, a, exact, b),
        f1_overlap=f1(sum(c.matched_a for c in counts), a, sum(c.matched_b for c in counts), b),
        a_passages=a,
        b_passages=b,
    )
