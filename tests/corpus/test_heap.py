"""Returning the C heap's free pages after a whole-corpus pass: glibc is asked where it is there,
and nothing fails where it is not."""

from __future__ import annotations

import ctypes
import platform

import pytest

from reader.corpus import heap


@pytest.fixture
def fresh_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_looked", False)
    monkeypatch.setattr(heap, "_trim", None)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_is_asked_to_return_free_pages(fresh_lookup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = heap._malloc_trim()
    assert real is not None  # found: a trim is not silently nothing where it is measured

    def counting(pad: int) -> int:
        calls.append(pad)
        return real(pad)

    monkeypatch.setattr(heap, "_trim", counting)
    heap.trim()
    assert calls == [0]


def test_without_a_c_library_to_ask_trimming_does_nothing(fresh_lookup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_library(*_: object, **__: object) -> None:
        raise OSError("no C library")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    heap.trim()
    assert heap._malloc_trim() is None
