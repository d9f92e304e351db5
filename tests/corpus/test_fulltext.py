"""The FTS5 full-text index over real corpus files: phrases, prefixes, accents, ranking,
incremental updates, a damaged file rebuilt, and queries that try to break the syntax."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus import load_corpus
from reader.corpus.fulltext import FULLTEXT_NAME, FullTextIndex
from reader.corpus.fulltext_query import fts_query
from reader.disposable import take_notices

FILES = {
    "pakistan.txt": "Pakistan hosts talks\n2025-07-27\nSecurity chiefs met in Islamabad. China sent observers.",
    "budget.txt": "Budget passes\n2025-07-01\nThe finance minister said the deficit would fall. Prime minister absent.",
    "harbour.txt": "Harbour strike ends\n2024-12-31\nDock workers in Karachi returned after nine days. The minister prime.",
    "geneve.txt": "Sécurité à Genève\n2025-01-02\nLa CAFÉ-société de Zürich. Die Straße ist ﬁne.",
    "weather.txt": "Weather report\n2025-02-02\nRain over the hills; a budget of sunshine, budget again, budget.",
}


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    write(tmp_path / "corpus", FILES)
    return tmp_path / "corpus"


def built(corpus_dir: Path, cache: Path) -> tuple[FullTextIndex, dict[str, str]]:
    """The index of the corpus (updated), and each article's id by its file name."""
    corpus = load_corpus(corpus_dir, index_dir=cache)
    index = FullTextIndex.of(corpus)
    assert index.update(corpus)
    return index, {article.path.name: article.id for article in corpus.articles}


def names(index: FullTextIndex, ids: dict[str, str], query: str) -> list[str]:
    by_id = {article_id: name for name, article_id in ids.items()}
    return [by_id[article_id] for article_id in index.ranked(query)]


def test_index_file_lives_in_the_cache_folder(corpus_dir: Path, tmp_path: Path) -> None:
    index, ids = built(corpus_dir, tmp_path / "cache")
    assert (tmp_path / "cache" / FULLTEXT_NAME).is_file()
    assert len(index) == len(FILES) and all(article_id in index for article_id in ids.values())


def test_phrases_must_occur_in_that_order(corpus_dir: Path, tmp_path: Path) -> None:
    index, ids = built(corpus_dir, tmp_path / "cache")
    assert names(index, ids, '"prime minister"') == ["budget.txt"]
    assert sorted(names(index, ids, "prime minister ")) == ["budget.txt", "harbour.txt"]
    assert names(index, ids, '"minister prime"') == ["harbour.txt"]


def test_the_last_word_is_a_prefix_while_typing(corpus_dir: Path, tmp_path: Path) -> None:
    index, ids = built(corpus_dir, tmp_path / "cache")
    assert names(index, ids, "pak") == ["pakistan.txt"]
    assert names(index, ids, "pak ") == []  # a word finished: whole words only
    assert names(index, ids, "dock kar") == ["harbour.txt"]
    assert names(index, ids, "kar dock") == []  # only the last word is a prefix
    assert names(index, ids, "p") == []  # of two characters or more: "p" is a word


def test_accents_case_and_compatibility_forms_are_ignored(corpus_dir: Path, tmp_path: Path) -> None:
    index, ids = built(corpus_dir, tmp_path / "cache")
    assert names(index, ids, "securite geneve ") == ["geneve.txt"]
    assert names(index, ids, "SÉCURITÉ") == ["geneve.txt"]
    assert names(index, ids, "cafe zurich") == ["geneve.txt"]
    assert names(index, ids, "strasse fine") == ["geneve.txt"]
    assert names(index, ids, "straße") == ["geneve.txt"]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(corpus_dir: Path, tmp_path: Path) -> None:
    index, ids = built(corpus_dir, tmp_path / "cache")
    # "budget" is three times in the weather report's text, once in the other's title
    assert names(index, ids, "budget ") == ["budget.txt", "weather.txt"]
    hits = index.hits("budget", limit=5)
    assert [hit.article_id for hit in hits] == [ids["budget.txt"], ids["weather.txt"]]
    assert hits[0].score > hits[1].score > 0
    assert "[Budget]" in hits[0].snippet and "[budget]" in hits[1].snippet
    assert index.hits("budget", limit=1) == hits[:1]


def test_updates_follow_added_changed_and_deleted_files(corpus_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    index, ids = built(corpus_dir, cache)
    (corpus_dir / "pakistan.txt").unlink()
    write(
        corpus_dir,
        {
            "new.txt": "Fresh arrival\n2025-08-01\nA zeppelin landed.",
            "budget.txt": "Budget fails\n2025-07-02\nNo zebra.",
        },
    )
    later = os.stat(corpus_dir / "budget.txt").st_mtime_ns + 5_000_000_000
    os.utime(corpus_dir / "budget.txt", ns=(later, later))
    corpus = load_corpus(corpus_dir, index_dir=cache)
    again = FullTextIndex.of(corpus)
    steps: list[tuple[int, int]] = []
    assert again.update(corpus, progress=lambda done, total: steps.append((done, total)))
    assert steps[-1] == (2, 2)  # only the new and the changed file were indexed
    assert again.ranked("pakistan") == []
    titles = {article.id: article.title for article in corpus.articles}
    assert [titles[article_id] for article_id in again.ranked("zeppelin")] == ["Fresh arrival"]
    assert [titles[article_id] for article_id in again.ranked("zebra")] == ["Budget fails"]
    assert again.ranked("deficit") == []  # the old text of the changed file is gone
    assert len(again) == len(FILES)
    assert again.update(corpus, progress=lambda done, total: steps.append((done, total)))
    assert steps[-1] == (0, 0)  # nothing left to do


def test_an_update_can_be_stopped_and_resumed(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = load_corpus(corpus_dir, index_dir=tmp_path / "cache")
    index = FullTextIndex.of(corpus)
    assert not index.update(corpus, should_stop=lambda: True)
    assert len(index) < len(FILES)
    assert index.update(corpus)
    assert len(index) == len(FILES) and index.ranked("karachi")


@pytest.mark.parametrize("damage", [b"this is not a database" * 100, b""])
def test_a_damaged_index_is_set_aside_and_built_again(corpus_dir: Path, tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "cache"
    built(corpus_dir, cache)
    path = cache / FULLTEXT_NAME
    data = path.read_bytes()
    take_notices()
    path.write_bytes(damage or data[: len(data) // 3] + b"\0" * 4096 + data[len(data) // 3 + 4096 :])
    for suffix in ("-wal", "-shm"):
        (cache / (FULLTEXT_NAME + suffix)).unlink(missing_ok=True)
    index, ids = built(corpus_dir, cache)
    if not damage and index.damage is None:  # a page the update did not read: the first query meets it
        assert index.ranked("karachi") == [] and index.damage is not None
        index, ids = built(corpus_dir, cache)
    assert names(index, ids, "karachi") == ["harbour.txt"]
    assert len(index) == len(FILES)
    if damage:
        assert index.damage is not None and (cache / (FULLTEXT_NAME + ".damaged")).exists()
        assert any(FULLTEXT_NAME in notice for notice in take_notices())


def test_an_index_of_another_version_is_built_again(corpus_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    index, _ = built(corpus_dir, cache)
    index.close()
    with sqlite3.connect(cache / FULLTEXT_NAME) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    connection.close()
    index, ids = built(corpus_dir, cache)
    assert names(index, ids, "islamabad") == ["pakistan.txt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"', ""),
        ("*", ""),
        ("-", ""),
        ("AND", '"AND"*'),
        ("x", '"x"'),
        ('"prime m', '"prime m"'),
        ("NEAR(pakistan", '"NEAR(pakistan"*'),
        ("a OR bc", '"a" "OR" "bc"*'),
        ('say "hi', '"say" "hi"*'),
        ('"prime minister" xy', '"prime minister" "xy"*'),
        ('"prime  minister"', '"prime minister"'),
        ('ab"cd', '"ab" "cd"*'),
        ("title:pak", '"title:pak"*'),
    ],
)
def test_queries_are_quoted_word_by_word(query: str, expected: str) -> None:
    assert fts_query(query) == expected


HOSTILE = [
    '"',
    "*",
    "-",
    "AND",
    "OR pakistan",
    "NOT",
    "NEAR(",
    "NEAR(a b, 3)",
    "pak*",
    "^pak",
    "title:",
    "(",
    ")",
    '""""',
    "a AND -b",
    "\x1b[31m",
    "[red]x",
    "col:*",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(corpus_dir: Path, tmp_path: Path, query: str) -> None:
    index, _ = built(corpus_dir, tmp_path / "cache")
    index.ranked(query)
    index.hits(query, limit=3)
    assert index.damage is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \"*-():^+NEARORANDT'\\,.é")), max_size=20))
def test_any_typed_text_is_a_valid_query(query: str) -> None:
    index = FullTextIndex(None)
    connection = index._connection()
    connection.execute("INSERT INTO docs VALUES (1, 'one', 'key')")
    # prefixes of several terms: the last word is searched as the terms it starts ("ab" OR "abe")
    connection.execute("INSERT INTO fts (rowid, title, body) VALUES (1, 'a b ab abe', 'NEAR OR AND or and ba bé')")
    index.ranked(query)  # an FTS5 syntax error would raise here (the in-memory index raises every error)
    index.hits(query)
    index.best(query, 5)
    index.snippets(query, ["one"], ("<", ">"))


def test_too_many_matches_rank_only_those_with_every_word_in_the_title(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.corpus.fulltext as fulltext
    from reader.corpus.finding import Facts, Filters, Finder

    monkeypatch.setattr(fulltext, "RANK_ALL", 1)
    index, ids = built(corpus_dir, tmp_path / "cache")
    assert names(index, ids, "budg") == ["budget.txt"]  # the weather report has it in the text only
    assert index.matching("budg") == {ids["budget.txt"], ids["weather.txt"]}
    assert names(index, ids, '"budget passes" the ') == ["budget.txt"]  # one match: ranked whatever its title
    corpus = load_corpus(corpus_dir, index_dir=tmp_path / "cache")
    finder = Finder(corpus.articles)
    finder.search = index
    listed = [article.path.name for article in finder.select(Filters(query="budg"), Facts())]
    assert listed == ["budget.txt", "weather.txt"]  # the ranked first, then the rest newest first


def test_a_first_build_of_many_articles_reads_the_text_store(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.corpus.fulltext_texts as sources

    monkeypatch.setattr(sources, "FEW", 0)  # every build counts as many: texts come through the text store
    index, ids = built(corpus_dir, tmp_path / "cache")
    assert len(index) == len(FILES) and names(index, ids, '"dock workers"') == ["harbour.txt"]
    assert (tmp_path / "cache" / "texts.jsonl").is_file()


def test_two_first_builds_of_one_index_in_one_process_do_not_trip_over_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh starts a new update while the cancelled one is still in its first build: each
    used to write the same ``.building-PID`` file, and one removed it under the other."""
    import threading

    from reader.corpus import fulltext_build

    root = tmp_path / "corpus"
    for number in range(20):
        (root / f"a{number}.txt").parent.mkdir(parents=True, exist_ok=True)
        (root / f"a{number}.txt").write_text(f"Title {number}\n2025-01-01\nHarbour {number}.", encoding="utf-8")
    corpus = load_corpus(root)
    together = threading.Barrier(2, timeout=2)
    real_open = fulltext_build.open_first_build

    def open_together(building: Path):  # both builds inside their first build at once, if they can be
        try:
            together.wait()
        except threading.BrokenBarrierError:
            pass
        return real_open(building)

    monkeypatch.setattr(fulltext_build, "open_first_build", open_together)
    path = corpus.index_dir / FULLTEXT_NAME
    results: list[object] = []

    def update() -> None:
        try:
            results.append(FullTextIndex(path).update(corpus))
        except Exception as error:  # noqa: BLE001 - the failure is what the test looks for
            results.append(error)

    threads = [threading.Thread(target=update) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True, True]
    index = FullTextIndex(path)
    assert len(index.load_ids()) == 20 and len(index.ranked("harbour")) == 20
    assert not list(path.parent.glob("*.building-*"))
