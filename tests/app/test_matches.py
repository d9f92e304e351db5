"""Matches: what n and N walk, wrapping like less and vim (pure, no app)."""

from __future__ import annotations

from reader.app.matches import WRAPPED_BACKWARD, WRAPPED_FORWARD, Matches

TEXT = "China met India. CHINA left; china stayed."


def test_find_ignores_case_and_keeps_offsets():
    found = Matches.find(TEXT, "china")
    assert [TEXT[s:e] for s, e in found.spans] == ["China", "CHINA", "china"]
    assert found.position(found.spans[1][0] + 2) == "2 of 3" and found.position(6) is None


def test_steps_wrap_and_say_so():
    found = Matches.find(TEXT, "china")
    first, second, third = (s for s, _ in found.spans)
    step = found.step(0, 1, from_caret=True)
    assert (step.start, step.wrapped) == (first, False)
    assert found.step(second, 1).start == third
    step = found.step(third, 1)
    assert (step.start, step.wrap_message(1)) == (first, WRAPPED_FORWARD)
    step = found.step(first, -1)
    assert (step.start, step.wrap_message(-1)) == (third, WRAPPED_BACKWARD)
    assert found.step(third, -1).wrap_message(-1) is None


def test_no_match_and_spans_of_one_line():
    assert Matches.find(TEXT, "Pakistan").step(0, 1) is None and len(Matches.find(TEXT, "")) == 0
    found = Matches.find(TEXT, "china")
    assert found.between(10, 20) == [found.spans[1]] and found.between(0, 3) == [found.spans[0]]
