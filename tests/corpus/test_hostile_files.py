"""One bad file is a problem line, never a failed listing: surrogates, deep nesting, pipes, links,
and a seeded fuzz of every format."""

from __future__ import annotations

import json
import os
import random
import threading
from pathlib import Path

import pytest

from reader.corpus import ArticleUnavailable, load_corpus
from reader.corpus.texts import article_texts
from tests.conftest import REFERENCE

GOOD = "Good story\n2025-01-01\nIt reads fine."


def problems_by_name(corpus) -> dict[str, str]:
    return {problem.path.name: problem.reason for problem in corpus.problems}


def test_a_lone_surrogate_or_deep_nesting_is_a_problem_line(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "surrogate.json").write_text('{"title": "Bad", "text": "A \\ud800 here"}', encoding="utf-8")
    (tmp_path / "mixed.jsonl").write_text(
        '{"title": "Fine", "text": "ok"}\n{"title": "Bad \\udfff", "text": "x"}\n', encoding="utf-8"
    )
    (tmp_path / "deep.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    (tmp_path / "deep.jsonl").write_text('{"a":' * 5000 + "1" + "}" * 5000 + "\n", encoding="utf-8")
    for use_index in (False, True, True):  # cold, then written to and read from the index
        corpus = load_corpus(tmp_path, use_index=use_index)
        assert sorted(a.title for a in corpus.articles) == ["Fine", "Good story"]
        problems = problems_by_name(corpus)
        assert set(problems) == {"surrogate.json", "mixed.jsonl", "deep.json", "deep.jsonl"}
        assert "surrogate" in problems["surrogate.json"] and problems["mixed.jsonl"].startswith("line 2: ")
        assert "nested too deeply" in problems["deep.json"]
        assert len(dict(article_texts(corpus))) == 2


def test_pipes_are_problem_lines_and_never_block(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = load_corpus(tmp_path, use_index=False)
    assert [a.title for a in corpus.articles] == ["Good story"]
    assert "not a regular file" in problems_by_name(corpus)["pipe.txt"]


def test_an_article_replaced_by_a_pipe_says_so_when_opened(tmp_path: Path) -> None:
    """The file is a pipe with a writer ready: reading it as the old code did would succeed
    (or, with no writer, hang); it must be refused as not a file, at once."""
    path = tmp_path / "story.txt"
    path.write_text(GOOD, encoding="utf-8")
    [article] = load_corpus(tmp_path, use_index=False).articles
    path.unlink()
    os.mkfifo(path)
    stop = threading.Event()

    def writer() -> None:  # connects whenever a reader opens the pipe, without ever blocking
        while not stop.is_set():
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                stop.wait(0.01)
                continue
            try:
                os.write(descriptor, GOOD.encode("utf-8"))
            except OSError:
                pass
            os.close(descriptor)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(ArticleUnavailable, match="not a regular file"):
            article.read_text()
    finally:
        stop.set()
        thread.join()


def test_links_are_followed_inside_the_root_only_and_loops_do_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "real.txt").write_text(GOOD, encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\nNot part of the corpus.", encoding="utf-8")
    (root / "inside.txt").symlink_to(root / "sub" / "real.txt")
    (root / "outside.txt").symlink_to(outside)
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "dangling.md").symlink_to(root / "gone.md")
    (root / "folder").symlink_to(tmp_path)  # a link to a folder above: not walked
    corpus = load_corpus(root, use_index=False)
    assert sorted(a.id for a in corpus.articles) == ["inside", "sub/real"]
    problems = problems_by_name(corpus)
    assert set(problems) == {"outside.txt", "loop.txt", "dangling.md"}
    assert "outside the corpus folder" in problems["outside.txt"]
    assert "loops" in problems["loop.txt"] and "loops or points to nothing" in problems["dangling.md"]


# -- fuzz ----------------------------------------------------------------------------------

SEEDS = {
    "ref.txt": REFERENCE.read_text(encoding="utf-8"),
    "story.md": "---\ntitle: Harbour strike\ndate: 2025-06-07\nsource: Wire\n---\n\n# Head\n\nDock *workers* went back.\n\n- one\n- two\n",
    "one.json": json.dumps(
        {"id": "k1", "title": "Ports", "date": "2025-01-02", "text": "Para one.\n\nPara two.", "url": "https://e.com"}
    ),
    "many.json": json.dumps([{"title": "A", "text": "a"}, {"title": "B", "date": "2024-02-03", "text": "b"}]),
    "feed.jsonl": "\n".join(json.dumps({"title": f"T{n}", "text": f"Body {n}", "id": f"w{n}"}) for n in range(3))
    + "\n",
    "page.html": "<html><head><meta charset='utf-8'><title>Page story</title></head><body><article><h1>Page story</h1>"
    "<p>The harbour of Karachi reopened on Monday after a strike of nine days, officials said.</p></article></body></html>",
}

NASTY = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\\ud800",
    b"\\udfff",
    b'"',
    b"{",
    b"[",
    b"]" * 50,
    b"[" * 3000,
    b"\r",
    b"\n" * 5,
    b"---\n",
    b"<",
    b"</p>",
    b"\xc3",
    b"\xe2\x80",
    "\u202e\u0000\u2028".encode(),
    b"\x1b[31m",
    b'{"text": 1}',
    b"&#0;",
    b"\\u0000",
    b"# ",
    b"\t",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits: flip, insert, delete, truncate, duplicate, splice a nasty bit."""
    for _ in range(rng.randint(1, 3)):
        position = rng.randint(0, len(data))
        choice = rng.randrange(6)
        if choice == 0 and data:
            index = rng.randrange(len(data))
            data = data[:index] + bytes([data[index] ^ (1 << rng.randrange(8))]) + data[index + 1 :]
        elif choice == 1:
            data = data[:position] + rng.choice(NASTY) + data[position:]
        elif choice == 2:
            data = data[:position] + data[position + rng.randint(1, 40) :]
        elif choice == 3:
            data = data[:position]
        elif choice == 4:
            data = data[:position] + data[position : position + 200] * rng.randint(2, 20) + data[position:]
        else:
            data = data[:position] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[position:]
    return data


def test_fuzzed_files_of_every_format_never_stop_the_listing(tmp_path: Path) -> None:
    rng = random.Random(20251130)
    root = tmp_path / "fuzz"
    root.mkdir()
    names: list[str] = []
    for number in range(360):
        seed_name = list(SEEDS)[number % len(SEEDS)]
        stem, suffix = seed_name.rsplit(".", 1)
        name = f"{number:03d}_{stem}.{suffix}"
        (root / name).write_bytes(mutate(SEEDS[seed_name].encode("utf-8"), rng))
        names.append(name)
    for use_index in (False, True, True):
        corpus = load_corpus(root, use_index=use_index)
        seen = {article.path.name for article in corpus.articles} | {problem.path.name for problem in corpus.problems}
        assert seen == set(names)  # every file is listed, or named as a problem, never lost
        assert len({article.id for article in corpus.articles}) == len(corpus.articles)
        for article, text in article_texts(corpus):
            assert text.encode("utf-8") and article.title.encode("utf-8")
        json.dumps([problem.reason for problem in corpus.problems], ensure_ascii=False).encode("utf-8")


def test_a_file_name_that_is_not_utf8_is_a_problem_line(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as stream:
        stream.write(b"Cafe\nBody.")
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good"]
    [problem] = corpus.problems
    assert problem.path.name == "caf\ufffd.txt" and "not UTF-8" in problem.reason
    str(problem.path).encode("utf-8")  # printable anywhere
