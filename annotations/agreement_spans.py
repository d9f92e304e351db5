"""Interval arithmetic over coded passages, the ground the agreement figures stand on.

Agreement by character treats every character of an article as a unit; counting them one by
one would cost a Python object per character (tens of millions for a real corpus). Instead the
articles are laid end to end on one line (article ``i`` starts at ``bases[i]``), each coder's
passages of one code become sorted, merged intervals on that line, and a single sweep over the
interval ends gives, for every stretch of the line, how many coders coded it. Everything the
figures need (characters coded by each coder, by both, by exactly ``k`` of ``m``) is a sum of
stretch lengths, done with numpy in a handful of vectorised calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Positions on the line of all articles laid end to end.
Positions = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Intervals:
    """Sorted, disjoint half-open intervals ``[starts[i], ends[i])`` on the line: one coder's
    coding of one code, with overlapping passages merged into one stretch."""

    starts: Positions
    ends: Positions

    @classmethod
    def empty(cls) -> Intervals:
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return int(self.starts.size)

    def length(self) -> int:
        """How many characters the intervals cover."""
        return int((self.ends - self.starts).sum())


def merged(starts: Positions, ends: Positions) -> Intervals:
    """The union of the intervals ``[starts[i], ends[i])`` (empty ones dropped) as sorted,
    disjoint intervals: a character coded twice by the same coder is still one coded character."""
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if starts.size == 0:
        return Intervals.empty()
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    opens = np.empty(starts.size, dtype=bool)
    opens[0] = True
    # Touching intervals stay apart: the last of one article touches the first of the next.
    opens[1:] = starts[1:] >= reach[:-1]
    first = np.flatnonzero(opens)
    return Intervals(starts[first], np.maximum.reduceat(ends, first))


@dataclass(frozen=True)
class Depths:
    """The line cut into stretches, each with how many coders coded it: stretch ``i`` is
    ``[starts[i], starts[i] + lengths[i])`` and was coded by ``depth[i]`` coders. Only stretches
    inside some coder's interval are kept (depth >= 1); the rest of the line has depth 0."""

    starts: Positions
    lengths: Positions
    depth: npt.NDArray[np.int64]


def depths(layers: list[Intervals]) -> Depths:
    """One sweep over every coder's merged intervals: at each start the count of coders rises by
    one, at each end it falls by one; the count between two neighbouring ends is the depth."""
    if not any(len(layer) for layer in layers):
        empty = np.zeros(0, dtype=np.int64)
        return Depths(empty, empty, empty)
    points = np.concatenate([part for layer in layers for part in (layer.starts, layer.ends)])
    steps = np.concatenate(
        [part for layer in layers for part in (np.ones(len(layer), np.int64), -np.ones(len(layer), np.int64))]
    )
    order = np.argsort(points, kind="stable")
    points, steps = points[order], steps[order]
    depth = np.cumsum(steps)[:-1]
    lengths = np.diff(points)
    keep = (depth > 0) & (lengths > 0)
    return Depths(points[:-1][keep], lengths[keep], depth[keep])


def per_article(bases: Positions, starts: Positions, weights: Positions) -> npt.NDArray[np.int64]:
    """Sum ``weights`` by the article each position in ``starts`` falls in (``bases`` sorted:
    article ``i`` covers ``[bases[i], bases[i + 1])``): one total for each article."""
    if starts.size == 0:
        return np.zeros(bases.size, dtype=np.int64)
    article = np.searchsorted(bases, starts, side="right") - 1
    return np.bincount(article, weights=weights, minlength=bases.size).astype(np.int64)


def overlapping(intervals: Intervals, starts: Positions, ends: Positions) -> npt.NDArray[np.bool_]:
    """For each passage ``[starts[i], ends[i])``, whether it shares at least one character with
    ``intervals``: the first interval ending after the passage's start must begin before its end."""
    if len(intervals) == 0 or starts.size == 0:
        return np.zeros(starts.size, dtype=bool)
    first = np.searchsorted(intervals.ends, starts, side="right")
    inside = first < len(intervals)
    hit = np.zeros(starts.size, dtype=bool)
    hit[inside] = intervals.starts[first[inside]] < ends[inside]
    return hit


def span_keys(starts: Positions, ends: Positions, line_length: int) -> Positions:
    """One distinct integer per span (start and end both on the line), for set operations."""
    return np.unique(starts * (line_length + 1) + ends)
