"""Recognition step by step with the real model: it stops when asked, reads the part on screen
first, reports progress, and lets another text's recognition through (issue 9.2)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.nlp import Cancelled, EntityRecognizer, Progress, normalise_for_nlp
from reader.nlp.cache import EntityCache
from reader.nlp.pieces import pieces
from reader.nlp.recognition import RECOGNITION_THREAD, recognise_in_steps, run_stoppably


@pytest.fixture(scope="module")
def long_text(reference_text: str) -> str:
    """About 60,000 characters: the reference article's body ten times, paragraph by paragraph,
    normalised as the model reads it (``recognise_in_steps`` reads the text as given)."""
    title, date, *body = reference_text.rstrip("\n").split("\n")
    return normalise_for_nlp("\n".join([title, date, *(body * 10)]))


def fresh_recognizer(recognizer, folder: Path) -> EntityRecognizer:
    fresh = EntityRecognizer(recognizer.model, EntityCache(folder))
    fresh._nlp = recognizer.load()
    return fresh


class CountingRead:
    """The recognizer's ``read_pieces``, counting the pieces the model was given."""

    def __init__(self, recognizer: EntityRecognizer) -> None:
        self.recognizer = recognizer
        self.pieces = 0

    def __call__(self, texts):
        self.pieces += len(texts)
        return self.recognizer.read_pieces(texts)


def test_a_stop_request_ends_the_loop_at_the_next_step(recognizer, long_text: str):
    read = CountingRead(recognizer)
    stop = threading.Event()
    read_when_stopped: list[int] = []

    def progress(step: Progress) -> None:
        read_when_stopped.append(read.pieces)
        stop.set()

    with pytest.raises(Cancelled):
        recognise_in_steps(read, long_text, cancelled=stop.is_set, progress=progress, report_every=0)
    assert read_when_stopped == [read.pieces]  # one report, and nothing read after the stop
    assert 0 < read.pieces < sum(1 for _ in pieces(long_text))


def test_progress_is_reported_as_the_text_is_read(recognizer, long_text: str):
    reports: list[Progress] = []
    found = recognise_in_steps(recognizer.read_pieces, long_text, progress=reports.append, report_every=0)
    assert len(reports) >= 5
    percents = [step.percent for step in reports]
    assert percents == sorted(percents) and 0 < percents[0] and percents[-1] < 100
    assert all(set(step.entities) <= set(found) for step in reports)  # found so far, never taken back
    assert found == list(recognizer.recognise(long_text))


def test_the_part_on_screen_is_read_first_and_reported_before_the_rest(recognizer, long_text: str):
    middle = len(long_text) // 2
    seen = (middle, middle + 3_000)
    reports: list[Progress] = []
    found = recognise_in_steps(
        recognizer.read_pieces, long_text, focus=lambda: seen, progress=reports.append, report_every=3600
    )
    # Reported because the part on screen was read, not because time passed; the part's middle first.
    first = reports[0]
    assert first.entities and all(seen[0] - 5_000 < e.start < seen[1] + 5_000 for e in first.entities)
    on_screen = {e for e in found if e.start < seen[1] and e.end > seen[0]}
    covered = next(step for step in reports if on_screen <= set(step.entities))
    assert covered.done < covered.total / 2  # the part on screen was done long before the rest
    assert found == list(recognizer.recognise(long_text))  # the same entities, read in any order


def test_a_second_text_is_not_queued_behind_a_long_one(tmp_path: Path, recognizer, long_text: str):
    """While the long text is being read (and not stopped), a short one gets its entities."""
    short = "Ishaq Dar met Marco Rubio in Washington."
    other = fresh_recognizer(recognizer, tmp_path)
    other._lock = recognizer._lock  # the same pipeline, held under the same lock
    outcome: dict[str, object] = {}

    def read_short() -> None:
        outcome["short"] = other.entities(short)

    def progress(step: Progress) -> None:
        if "long at" not in outcome:
            outcome["long at"] = step.percent
            reader = threading.Thread(target=read_short)
            reader.start()
            reader.join(timeout=120)  # the long recognition waits here, between two steps

    found = recognise_in_steps(recognizer.read_pieces, long_text, progress=progress, report_every=0)
    assert outcome["long at"] < 100 and found
    assert [short[e.start : e.end] for e in outcome["short"]] == ["Ishaq Dar", "Marco Rubio", "Washington"]


def test_entities_with_a_stop_request_stop_and_cache_nothing(tmp_path: Path, recognizer, long_text: str):
    fresh = fresh_recognizer(recognizer, tmp_path)
    calls = []

    def stop_after_one_step() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        fresh.entities(long_text, cancelled=stop_after_one_step)
    for thread in threading.enumerate():  # the recognition's own thread ends at its next step
        if thread.name == RECOGNITION_THREAD:
            thread.join(timeout=120)
    assert fresh.cached(long_text) is None


def test_a_stop_does_not_wait_for_work_that_cannot_stop_half_way():
    """Loading the model, or one step of it: the caller returns at once, the work goes on in a
    daemon thread (which does not keep the process alive)."""
    release = threading.Event()
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        run_stoppably(lambda: release.wait(60), stop.is_set)
    assert not release.is_set()  # the work is still going on
    assert any(t.name == RECOGNITION_THREAD and t.daemon for t in threading.enumerate())
    release.set()


def test_what_the_work_returns_or_raises_reaches_the_caller():
    def broken() -> None:
        raise ValueError("no such pipeline")

    with pytest.raises(ValueError, match="no such pipeline"):
        run_stoppably(broken, lambda: False)
    assert run_stoppably(lambda: 42, lambda: False) == 42
