"""Importing mutated exports: never an "unexpected error", never part of a file, never a hang.

For every importable format, hundreds of files are made from valid exports (fresh ids each, so
each file that imports adds something), then mutated with a seeded random generator: characters
flipped, cut or repeated, and values swapped for the ones fuzzing found trouble with (lone
surrogates, huge numbers, times out of range). Each goes through ``reader import`` against a real
store; after each, the store holds either exactly what it held before (the file was refused, with
a message) or that and every annotation of the file.
"""

from __future__ import annotations

import random
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore, ArticleRef, formats
from annotations.formats import Export, FormatError
from reader import cli
from tests.helpers import spy

SEED = 20261130
FILES_PER_FORMAT = 150
TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote. " * 2

#: Values that fuzzing found trouble with, put in place of a string's content or of a number.
STRING_INSERTS = ["\\ud800", "\\udfff", "\\ud83d", "\\u0000", "\\u001b[2J", "é", "\\\\", '\\"']
NUMBERS = ["1e999", "-1", "99999999999999999999999999", "1.5", "NaN", "Infinity", "null", '"7"', "[]", "true"]
TIMES = ["99999-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "2025-13-01", ""]


def valid_export(rng: random.Random) -> Export:
    """Two or three articles with one to four annotations each, every id new."""
    articles: dict[str, ArticleRef] = {}
    annotations: list[Annotation] = []
    for number in range(rng.randint(2, 3)):
        article_id = f"art{rng.getrandbits(32):08x}{number}"
        articles[article_id] = ArticleRef(article_id, f"Title {number}", "2025-07-27", f"{number}.txt", "")
        for _ in range(rng.randint(1, 4)):
            start = rng.randrange(0, len(TEXT) - 20)
            made = Annotation.create(
                article_id=article_id,
                article_sha256="",
                text=TEXT,
                start=start,
                end=start + rng.randint(1, 15),
                tags=[rng.choice(["budget", "vote", "people"])],
                note=rng.choice(["", "a note"]),
            )
            annotations.append(made)
    return Export(annotations, articles, {article_id: TEXT for article_id in articles})


def mutate(text: str, rng: random.Random) -> str:
    """One to three random changes to ``text`` (mostly one)."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        text = rng.choice(MUTATIONS)(text, rng)
    return text


def _in_a_string(text: str, rng: random.Random) -> str:
    quotes = [match.end() for match in re.finditer(r':\s*"|\[\s*"', text)]  # where a value's text starts
    if not quotes:
        return text
    where = rng.choice(quotes[-40:] if rng.random() < 0.5 else quotes)  # often near the end: the last annotation
    return text[:where] + rng.choice(STRING_INSERTS) + text[where:]


def _one_of(pattern: str, replacements: list[str]) -> Callable[[str, random.Random], str]:
    """A mutation that replaces one match of ``pattern`` (if there is one) with one of ``replacements``."""
    found = re.compile(pattern)

    def mutate(text: str, rng: random.Random) -> str:
        matches = list(found.finditer(text))
        if not matches:
            return text
        match = rng.choice(matches)
        return text[: match.start()] + rng.choice(replacements) + text[match.end() :]

    return mutate


_number = _one_of(r"(?<=[:\[,\s])-?\d+(?=[,\]\s}])", NUMBERS)
_time = _one_of(r"\d{4}-\d\d-\d\dT[\d:.]+Z", TIMES)


def _cut(text: str, rng: random.Random) -> str:
    start = rng.randrange(len(text) + 1)
    return text[:start] + text[start + rng.randint(1, 40) :]


def _repeat(text: str, rng: random.Random) -> str:
    start = rng.randrange(len(text) + 1)
    return text[:start] + text[start : start + rng.randint(1, 200)] * 2 + text[start:]


def _flip(text: str, rng: random.Random) -> str:
    where = rng.randrange(len(text)) if text else 0
    return text[:where] + rng.choice('{}[]",:0a\\ \n') + text[where + 1 :]


def _truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


MUTATIONS: list[Callable[[str, random.Random], str]] = [
    _in_a_string,
    _in_a_string,
    _in_a_string,
    _number,
    _number,
    _time,
    _cut,
    _repeat,
    _flip,
    _truncate,
]


@contextmanager
def no_hang(seconds: int, context: str) -> Iterator[None]:
    def stop(*_: object) -> None:
        raise AssertionError(f"import hung for {seconds} s: {context}")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def contents(path: Path) -> dict[str, dict]:
    with AnnotationStore(path) as store:
        return {annotation.id: annotation.to_record() for annotation in store.all()}


#: The formats reader both writes and reads: their valid files are made by exporting, then mutated.
#: (Hypothesis files are only read, and only against a corpus: tests/formats/test_hypothesis.py.)
ROUND_TRIP_FORMATS = [name for name in formats.IMPORT_FORMATS if formats.get(name).render is not None]


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
def test_mutated_files_import_whole_or_not_at_all(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(f"{SEED}-{name}")
    store = tmp_path / "store.json"
    before = contents(store)
    imported = refused = 0
    for number in range(FILES_PER_FORMAT):
        text = mutate(formats.render(name, valid_export(rng)), rng)
        source = tmp_path / f"file{number}.{name}"
        source.write_text(text, encoding="utf-8", errors="surrogatepass")
        context = f"seed {SEED}, format {name}, file {number}: {text[:3000]!r}"
        with no_hang(60, context):
            code = cli.main(["import", str(source), "--format", name, "--db", str(store)])
        errors = capsys.readouterr().err
        assert "unexpected error" not in errors, f"{errors}\n{context}"
        after = contents(store)
        if code == cli.EXIT_OK:
            imported += 1
            in_file = {annotation.id for annotation in formats.load(text, name).annotations}
            assert in_file <= after.keys(), context  # the whole file
            assert {key: after[key] for key in before} == before, context  # and nothing else changed
        else:
            refused += 1
            assert code == cli.EXIT_ERROR and "Nothing was imported" in errors, f"{errors}\n{context}"
            assert after == before, f"a refused file changed the store: {context}"
        before = after
    # The mutations must leave some files importable and break most of the rest.
    assert imported >= 10 and refused >= 50, (imported, refused)


def test_a_lone_surrogate_in_the_last_annotation_refuses_the_whole_file(tmp_path: Path) -> None:
    """The case fuzzing found: the first annotations were written, then "unexpected error"."""
    export = valid_export(random.Random(SEED))
    text = formats.render("json", export)
    last_note = text.rindex('"note": "') + len('"note": "')
    text = text[:last_note] + "\\ud800" + text[last_note:]
    with pytest.raises(FormatError, match="surrogate"):
        formats.load(text)
    source = tmp_path / "export.json"
    source.write_text(text, encoding="utf-8")
    store = tmp_path / "store.json"
    assert cli.main(["import", str(source), "--db", str(store)]) == cli.EXIT_ERROR
    assert contents(store) == {}


def test_an_import_writes_each_article_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction per article, not one per annotation (1,000 took 1.6 s)."""
    from annotations import shards

    rng = random.Random(SEED)
    annotations = [a for _ in range(10) for a in valid_export(rng).annotations]
    source = tmp_path / "export.json"
    source.write_text(formats.render("json", Export(annotations)), encoding="utf-8")
    changes = spy(monkeypatch, shards, "change")
    store = tmp_path / "store.json"
    assert cli.main(["import", str(source), "--db", str(store)]) == cli.EXIT_OK
    writes = [article_id for _, article_id, *_ in changes]
    assert sorted(writes) == sorted({a.article_id for a in annotations})
    assert len(contents(store)) == len(annotations)
