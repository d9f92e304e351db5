"""The corpus catalog (real SQLite files in the cache folder): the list is read a page at a time,
a corpus listed from the catalog is there before the folder is looked at, a held corpus keeps
its rows while a refresh writes, and filters over the catalog give what they give over a list."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus import load_corpus
from reader.corpus import loader as loader_module
from reader.corpus.catalog import Catalog
from reader.corpus.finding import DateRange, Facts, Filters, Finder, SortOrder
from reader.corpus.fulltext import FullTextIndex
from reader.corpus.rows import PAGE
from reader.corpus.search import fold

OLD = 1_600_000_000_000_000_000  # 2020-09: well before any scan, so never "too recent to trust"
WORDS = ["harbour", "strike", "Pakistan", "budget", "élection", "Zürich", "talks", "floods", "ports"]


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(OLD, OLD))


def make_corpus(folder: Path, count: int, seed: int = 3) -> dict[str, tuple[str, str | None]]:
    """``count`` articles in subfolders, some undated, titles shared now and then; returns
    (title, date) by file name."""
    rng = random.Random(seed)
    made: dict[str, tuple[str, str | None]] = {}
    for number in range(count):
        title = " ".join(rng.choices(WORDS, k=3)).capitalize() + ("" if number % 7 == 0 else f" {number}")
        date = None if number % 11 == 0 else f"202{rng.randint(3, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        name = f"part{number % 3}/{number:04d}.txt"
        write(folder, name, f"{title}\n{date or 'no date'}\nBody {number} about {rng.choice(WORDS)}.\n")
        made[name] = (title, date)
    return made


@pytest.fixture
def corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    make_corpus(folder, 700)  # several pages
    return folder


def test_rows_come_in_the_list_order_across_pages(corpus_folder: Path) -> None:
    corpus = load_corpus(corpus_folder)
    rows = list(corpus.articles)
    assert len(rows) == len(corpus.articles) == 700 > 2 * PAGE
    expected = sorted(rows, key=lambda a: a.title.casefold())
    expected.sort(key=lambda a: a.date or "", reverse=True)
    assert [a.title for a in rows] == [a.title for a in expected]
    assert [corpus.articles[i].id for i in (0, PAGE - 1, PAGE, 699, -1)] == [rows[i].id for i in (0, 255, 256, 699, -1)]
    assert [a.id for a in corpus.by_title] == [a.id for a in sorted(rows, key=lambda a: fold(a.title))]
    for position in (0, 300, 699):
        assert corpus.articles.position_of(rows[position].id) == position
    assert corpus.articles.position_of("nowhere") is None
    assert corpus.get(rows[400].id) == rows[400] and corpus.get("nowhere") is None


def test_showing_a_screen_of_rows_makes_a_page_of_articles_not_the_corpus(
    corpus_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_corpus(corpus_folder)
    made = []
    real = Catalog.article_of
    monkeypatch.setattr(Catalog, "article_of", lambda self, row: made.append(row[0]) or real(self, row))
    corpus = load_corpus(corpus_folder, scan_folder=False)
    shown = [corpus.articles[i] for i in range(40)]
    assert len(shown) == 40 and len(corpus.articles) == 700 and len(made) == PAGE


def test_a_listed_corpus_is_there_at_once_and_the_folder_is_looked_at_after(
    corpus_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_corpus(corpus_folder)
    write(corpus_folder, "new.txt", "Brand new\n2030-01-01\nText.")
    (corpus_folder / "part1" / "0001.txt").unlink()
    write(corpus_folder, "part2/0002.txt", "Changed title\n2030-02-02\nOther text.")
    read: list[Path] = []
    real_read = loader_module.read_file
    monkeypatch.setattr(loader_module, "read_file", lambda path: read.append(path) or real_read(path))
    listed = load_corpus(corpus_folder, scan_folder=False)
    assert listed.unscanned and len(listed.articles) == 700 and read == []
    fresh = listed.refreshed()
    assert not fresh.unscanned and len(fresh.articles) == 700
    assert (fresh.changes.added, fresh.changes.changed, fresh.changes.removed) == (1, 1, 1)
    assert fresh.articles[0].title == "Changed title" and fresh.articles[1].title == "Brand new"
    assert sorted(path.name for path in read) == ["0002.txt", "new.txt"]
    assert len(listed.articles) == 700 and listed.articles[0].title != "Changed title"  # held: as it was


def test_a_held_corpus_keeps_its_rows_while_a_refresh_writes(corpus_folder: Path) -> None:
    held = load_corpus(corpus_folder)
    before = [a.id for a in held.articles]
    for number in range(30):
        write(corpus_folder, f"late/{number}.txt", f"Late {number}\n2031-01-01\nText.")
    fresh = held.refreshed()
    assert len(fresh.articles) == 730 and fresh.changes.added == 30
    assert [a.id for a in held.articles] == before and len(held.articles) == 700


def test_a_feed_folder_narrows_the_corpus(corpus_folder: Path) -> None:
    corpus = load_corpus(corpus_folder)
    part = corpus.narrowed("part1/")
    ids = [a.id for a in part.articles]
    assert ids == [a.id for a in corpus.articles if a.id.startswith("part1/")] and len(ids) == 233


def test_titles_that_two_articles_share_say_what_tells_them_apart(tmp_path: Path) -> None:
    write(tmp_path, "a/story.txt", "Same story\n2025-01-01\nOne.")
    write(tmp_path, "b/other.txt", "SAME STORY\n2025-01-02\nTwo.")
    write(tmp_path, "c.txt", "Alone\n2025-01-03\nThree.")
    assert load_corpus(tmp_path).title_details() == {"a/story": "story.txt", "b/other": "other.txt"}


FILTERS = st.builds(
    Filters,
    query=st.sampled_from(["", "harbour", "pak", "zurich strike", "ports 1"]),
    tag=st.sampled_from([None, "pivot"]),
    dates=st.sampled_from([None, DateRange("2024-03", "2025-02"), DateRange(None, "2023-06"), DateRange("2025", None)]),
    unread=st.booleans(),
    unannotated=st.booleans(),
    sort=st.sampled_from(list(SortOrder)),
)


@settings(max_examples=60, deadline=None)
@given(filters=FILTERS, seed=st.integers(0, 5), full_text=st.booleans())
def test_filters_over_the_catalog_give_what_they_give_over_a_list(
    tmp_path_factory, filters: Filters, seed: int, full_text: bool
):
    folder = tmp_path_factory.getbasetemp() / "same-corpus"
    if not folder.exists():
        make_corpus(folder, 300)
    corpus = load_corpus(folder)
    everything = list(corpus.articles)
    rng = random.Random(seed)
    chosen = rng.sample([a.id for a in everything], 60)
    facts = Facts(
        counts={article_id: rng.randint(0, 3) for article_id in chosen[:40]},
        tags={article_id: {"pivot"} for article_id in chosen[20:50]},
        read=set(chosen[10:60]),
    )
    over_catalog, over_list = Finder(corpus.articles), Finder(everything)
    if full_text:  # the same in-memory full-text index for both
        index = FullTextIndex(None)
        index.add((article, article.text) for article in everything)
        over_catalog.search = over_list.search = index
    assert [a.id for a in over_catalog.select(filters, facts)] == [a.id for a in over_list.select(filters, facts)]


def test_texts_read_while_listing_go_to_the_text_store_and_stay_in_memory_only_while_few(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path / "small", 10)
    small = load_corpus(tmp_path / "small")
    assert len(small.fresh_texts) == 10 and small.text_store is not None and len(list(small.text_store)) == 10
    monkeypatch.setattr(loader_module, "FRESH_BUDGET", 200)  # as 8 MB is to a large corpus
    make_corpus(tmp_path / "large", 10)
    large = load_corpus(tmp_path / "large")
    assert large.fresh_texts == {} and large.text_store is not None
    assert {text for _, text in large.text_store} == {a.read_text() for a in large.articles}


def test_a_listing_reports_the_files_read_a_batch_at_a_time(
    corpus_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the command line draws its progress bar from while a corpus never listed is read
    whole (before, the terminal stayed blank until the app painted)."""
    monkeypatch.setattr(loader_module, "BATCH", 300)
    steps: list[tuple[int, int]] = []
    load_corpus(corpus_folder, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(0, 700), (300, 700), (600, 700), (700, 700)]
    steps.clear()
    write(corpus_folder, "new.txt", "Brand new\n2030-01-01\nText.")
    listed = load_corpus(corpus_folder, scan_folder=False, progress=lambda done, total: steps.append((done, total)))
    assert steps == []  # from the catalog: nothing read, nothing drawn
    listed.refreshed(lambda done, total: steps.append((done, total)))
    assert steps == [(0, 1), (1, 1)]
