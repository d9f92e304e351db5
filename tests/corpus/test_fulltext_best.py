"""A keystroke's answer (:meth:`FullTextIndex.best`: the best few ids and the match count), the
last prefix searched as the terms it starts, and a first build written in a file of its own."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import reader.corpus.fulltext_best as best_module
from reader.corpus import load_corpus
from reader.corpus.fulltext import FULLTEXT_NAME, FullTextIndex
from reader.corpus.fulltext_best import Keystrokes
from reader.corpus.fulltext_query import fts_query

FILES = {
    "pakistan.txt": "Pakistan hosts talks\n2025-07-27\nSecurity chiefs met in Islamabad. Pakistani observers.",
    "budget.txt": "Budget passes\n2025-07-01\nThe finance minister said the deficit would fall. Prime minister absent.",
    "harbour.txt": "Harbour strike ends\n2024-12-31\nDock workers in Karachi returned. Ports across Pakistan reopened.",
    "geneve.txt": "Sécurité à Genève\n2025-01-02\nLa CAFÉ-société de Zürich. Die Straße ist ﬁne.",
    "weather.txt": "Weather report\n2025-02-02\nRain over the hills; a budget of sunshine, budget again, budget.",
}


@pytest.fixture
def built(tmp_path: Path) -> tuple[FullTextIndex, dict[str, str]]:
    """The index of FILES, and each article's id by its file name."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(folder, index_dir=tmp_path / "cache")
    index = FullTextIndex.of(corpus)
    assert index.update(corpus)
    return index, {article.path.name: article.id for article in corpus.articles}


def names(found: tuple[list[str], int | None], ids: dict[str, str]) -> tuple[list[str], int | None]:
    by_id = {article_id: name for name, article_id in ids.items()}
    return [by_id[article_id] for article_id in found[0]], found[1]


def test_best_gives_the_best_first_and_how_many_match(built) -> None:
    index, ids = built
    # "budget" is three times in the weather report's text, once in the other's title
    assert names(index.best("budget ", 10), ids) == (["budget.txt", "weather.txt"], 2)
    assert names(index.best("budget ", 1), ids) == (["budget.txt"], 2)  # the count is of every match
    assert names(index.best('"prime minister"', 10), ids) == (["budget.txt"], 1)
    assert names(index.best("securite", 10), ids) == (["geneve.txt"], 1)  # accents and case ignored
    assert sorted(names(index.best("SÉCU", 10), ids)[0]) == ["geneve.txt", "pakistan.txt"]  # a prefix with accents
    assert index.best("quixotic", 10) == ([], 0)
    assert index.best('"', 10) == ([], 0)  # no word at all


def test_the_last_word_is_searched_as_the_terms_it_starts(built) -> None:
    index, ids = built
    # "pak" starts "pakistan" and "pakistani": both are searched for
    assert sorted(names(index.best("pak", 10), ids)[0]) == ["harbour.txt", "pakistan.txt"]
    assert names(index.best("pakistani", 10), ids) == (["pakistan.txt"], 1)
    assert names(index.best("pak karachi", 10), ids) == ([], 0)  # only the last word is a prefix
    assert names(index.best("karachi pak", 10), ids) == (["harbour.txt"], 1)
    assert names(index.best('"dock workers" kar', 10), ids) == (["harbour.txt"], 1)
    assert names(index.best('"security chiefs me', 10), ids) == (["pakistan.txt"], 1)  # in a phrase: a prefix still


def test_a_longer_prefix_narrows_the_terms_already_found(built) -> None:
    index, _ = built
    connection = index._connection()
    keys = Keystrokes()
    assert keys.expanded(connection, fts_query("pa")) == '("pakistan" OR "pakistani" OR "passes")'
    connection.execute("DROP TABLE temp.fts_terms")  # a second look-up would fail now
    assert keys.expanded(connection, fts_query("pas")) == '"passes"'
    assert keys.expanded(connection, fts_query("budget pass")) == '"budget" "passes"'
    assert keys.expanded(connection, fts_query("pakx")) is None  # starts no term: nothing can match
    # the last word of a phrase: one phrase a term (FTS5 has no OR inside a phrase)
    assert keys.expanded(connection, fts_query('"prime mi')) == '"prime minister"'
    assert keys.expanded(connection, fts_query('budget "the fi')) == '"budget" AND ("the finance" OR "the fine")'
    assert keys.expanded(connection, fts_query('"the p')) == '"the p"'  # one letter: a word
    assert keys.expanded(connection, fts_query('"said the d')) == '"said the d"'
    assert keys.expanded(connection, fts_query('"said the de')) == '("said the de" OR "said the deficit")'
    assert keys.expanded(connection, fts_query("ab-pa")) == '"ab-pa"*'  # split by the tokenizer: as it is


def test_a_prefix_of_too_many_terms_is_searched_as_a_prefix(built, monkeypatch: pytest.MonkeyPatch) -> None:
    index, ids = built
    monkeypatch.setattr(best_module, "MAX_TERMS", 1)
    assert Keystrokes().expanded(index._connection(), fts_query("pak")) == '"pak"*'
    assert sorted(names(index.best("pak", 10), ids)[0]) == ["harbour.txt", "pakistan.txt"]
    assert index.snippets("pak", [ids["harbour.txt"]], ("<", ">"))[ids["harbour.txt"]].count("<Pakistan>") == 1


def test_more_matches_than_counted_give_no_count(built, monkeypatch: pytest.MonkeyPatch) -> None:
    index, ids = built
    monkeypatch.setattr(best_module, "COUNT_CAP", 1)
    assert names(index.best("budget", 10), ids) == (["budget.txt", "weather.txt"], None)
    assert names(index.best("karachi", 10), ids) == (["harbour.txt"], 1)


def test_too_many_to_rank_put_the_best_title_matches_first(built, monkeypatch: pytest.MonkeyPatch) -> None:
    index, ids = built
    monkeypatch.setattr(best_module, "RANK_ALL", 1)
    found, count = names(index.best("pakistan", 10), ids)
    assert count == 2 and found == ["pakistan.txt", "harbour.txt"]  # the title match, then the rest
    assert names(index.best("budget", 1), ids) == (["budget.txt"], 2)
    assert names(index.best("the", 10), ids) == (["budget.txt", "weather.txt"], 2)  # in no title: the index's order


def test_a_query_grown_from_one_that_matched_nothing_is_not_searched(built, monkeypatch: pytest.MonkeyPatch) -> None:
    index, ids = built
    assert index.best("quix", 10) == ([], 0)

    def fail(*arguments: object) -> None:
        raise AssertionError("searched again")

    monkeypatch.setattr(Keystrokes, "_answer", fail)
    assert index.best("quixo", 10) == ([], 0)
    assert index.best("quixotic tales", 10) == ([], 0)
    assert index.best("quix", 10) == ([], 0)  # met before: kept


def test_an_update_forgets_what_keystrokes_kept(built, tmp_path: Path) -> None:
    index, ids = built
    assert index.best("zeppe", 10) == ([], 0)
    assert index.best("pak", 10)[1] == 2
    (tmp_path / "corpus" / "new.txt").write_text("Zeppelin over Pakistan\n2025-08-01\nA zeppelin landed.", "utf-8")
    corpus = load_corpus(tmp_path / "corpus", index_dir=tmp_path / "cache")
    assert index.update(corpus)
    titles = {article.id: article.title for article in corpus.articles}
    assert [titles[article_id] for article_id in index.best("zeppe", 10)[0]] == ["Zeppelin over Pakistan"]
    assert index.best("pak", 10)[1] == 3


@pytest.mark.parametrize(
    "query", ["a ab", "ab", '"a b" ab', "ab ab", "NEAR ab", "AND ab", "or an", '"ab" "ab', "ab*", "é ab", "b a"]
)
def test_prefixes_written_as_terms_are_valid_queries(query: str) -> None:
    index = FullTextIndex(None)  # an in-memory index raises every error, a syntax error too
    connection = index._connection()
    connection.execute("INSERT INTO docs VALUES (1, 'one', 'key')")
    connection.execute("INSERT INTO fts (rowid, title, body) VALUES (1, 'a b ab abe', 'NEAR OR AND or and an ant')")
    assert index.best(query, 5)[0] == (["one"] if index.matching(query) else [])
    index.ranked(query)
    index.snippets(query, ["one"], ("<", ">"))


def test_a_first_build_is_written_beside_the_index_and_moved_into_place(built, tmp_path: Path) -> None:
    index, ids = built
    cache = tmp_path / "cache"
    assert sorted(path.name for path in cache.iterdir() if path.name.startswith(FULLTEXT_NAME)) in (
        [FULLTEXT_NAME],
        [FULLTEXT_NAME, FULLTEXT_NAME + "-shm", FULLTEXT_NAME + "-wal"],
    )
    with sqlite3.connect(cache / FULLTEXT_NAME) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # readable while updated
        assert connection.execute("SELECT count(*) FROM docs").fetchone() == (len(FILES),)
        # merged as it grows from now on (a first build leaves merging to the end)
        assert connection.execute("SELECT v FROM fts_config WHERE k = 'automerge'").fetchone() == (16,)
    connection.close()


def test_a_stopped_first_build_keeps_what_it_wrote_and_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = cache / f"{FULLTEXT_NAME}.building-999999999"  # left by a build that died
    dead.write_bytes(b"half")
    corpus = load_corpus(folder, index_dir=cache)
    index = FullTextIndex.of(corpus)
    assert not index.update(corpus, should_stop=lambda: True)
    assert 0 < len(index) < len(FILES)
    assert not list(cache.glob("*.building-*"))
    again = FullTextIndex.of(corpus)
    assert again.load_ids() == index.load_ids() and len(again) == len(index)  # in place: another reader sees it
    assert again.update(corpus) and len(again) == len(FILES)


def test_a_failed_first_build_leaves_the_index_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.corpus.fulltext_build as build

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha\n2025-01-01\nText.", encoding="utf-8")
    corpus = load_corpus(folder, index_dir=tmp_path / "cache")

    def broken(*arguments: object, **keywords: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "insert_rows", broken)
    with pytest.raises(OSError):
        FullTextIndex.of(corpus).update(corpus)
    assert not list((tmp_path / "cache").glob("*.building-*"))
    monkeypatch.undo()
    index = FullTextIndex.of(corpus)
    assert index.update(corpus) and index.ranked("alpha")
    assert os.path.exists(tmp_path / "cache" / FULLTEXT_NAME)


def test_a_batch_larger_than_one_statement_takes_is_written_whole(tmp_path: Path) -> None:
    """Rows go to SQLite as many a statement as it takes parameters for (not ``executemany``,
    which waits for the GIL between rows): a batch over that limit is split, not refused."""
    import reader.corpus.fulltext_build as build

    connection = sqlite3.connect(tmp_path / "index.sqlite3")
    connection.executescript(build.SCHEMA)
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 7)  # two rows of three columns a statement
    rows = [
        build.Row(f"id{n}", f"key{n}", f"Harbour title {n}", f"Dock workers, day {n}.\r\n\u202eevil 👩‍👩‍👧")
        for n in range(5)
    ]
    indexed = build.Indexed()
    build.write_rows(connection, rows, indexed)
    assert indexed.count == 5
    assert connection.execute("SELECT id, article_id, key FROM docs ORDER BY id").fetchall() == [
        (n + 1, f"id{n}", f"key{n}") for n in range(5)
    ]
    assert connection.execute("SELECT body FROM fts WHERE rowid = 3").fetchone() == (rows[2].text,)
    for table, word in (("fts", "workers"), ("titles", "harbour")):
        found = connection.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid", (word,))
        assert [rowid for (rowid,) in found] == [1, 2, 3, 4, 5]


def test_a_first_build_leaves_fts5s_own_buffer_for_later_updates(tmp_path: Path) -> None:
    """A first build lets FTS5 gather 8 MB of terms before it writes a segment; the finished
    index goes back to FTS5's 1 MB, so an update in the app's process stays small."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha\n2025-01-01\nText.", encoding="utf-8")
    corpus = load_corpus(folder, index_dir=tmp_path / "cache")
    assert FullTextIndex.of(corpus).update(corpus)
    connection = sqlite3.connect(tmp_path / "cache" / FULLTEXT_NAME)
    assert connection.execute("SELECT v FROM fts_config WHERE k = 'hashsize'").fetchone() == (1 << 20,)
