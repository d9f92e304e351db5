"""The files feeds keep and write: subscriptions, safe names, and Markdown that reads back exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.corpus.formats.markdown import load
from reader.feeds.ledger import FILE_NAME as LEDGER
from reader.feeds.ledger import load_ledger
from reader.feeds.subscriptions import FILE_NAME, SubscriptionError, load_subscriptions, slug
from reader.feeds.writing import FetchedArticle, markdown_document, write_article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..", ""),
        ("Ünïcode Ärticle", "ünïcode-ärticle"),
        ("中文 新闻", "中文-新闻"),
        ("a\x1b[31mb", "a-31mb"),
        (".hidden", "hidden"),
    ],
)
def test_slugs_never_leave_their_folder(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_a_long_title_makes_a_name_the_file_system_takes(tmp_path: Path) -> None:
    article = FetchedArticle("新" * 500, ["text"], "http://x/1", "f", datetime.now(UTC))
    path = write_article(tmp_path, "f", article)
    assert len(Path(path).name.encode("utf-8")) < 255 and (tmp_path / path).is_file()


def test_a_damaged_feeds_file_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text('{"feeds": [{"name": "x"', encoding="utf-8")
    with pytest.raises(SubscriptionError, match="is damaged"):
        load_subscriptions(tmp_path)
    (tmp_path / FILE_NAME).write_text(
        '{"version": 1, "feeds": [{"name": "x", "url": "http://a/", "folder": "../up"}]}', encoding="utf-8"
    )
    with pytest.raises(SubscriptionError, match="is damaged"):
        load_subscriptions(tmp_path)  # a folder that could lead out of the corpus


def test_a_damaged_ledger_is_set_aside_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / LEDGER).write_text("not json", encoding="utf-8")
    ledger = load_ledger(tmp_path)
    assert ledger.records == [] and "damaged" in ledger.notice
    assert (tmp_path / (LEDGER + ".damaged")).read_text(encoding="utf-8") == "not json"


def test_names_and_folders_are_unique(tmp_path: Path) -> None:
    subscriptions = load_subscriptions(tmp_path)
    first = subscriptions.add("http://a.example/rss")
    second = subscriptions.add("http://a.example/atom")
    pages = subscriptions.add("http://b.example/", "Pages")
    assert (first.name, second.name) == ("a.example", "a.example 2")
    assert len({first.folder, second.folder}) == 2 and pages.folder == "pages-2"  # pages/ is reader add's
    with pytest.raises(SubscriptionError, match="already a feed"):
        subscriptions.add("http://a.example/rss")


_PARAGRAPH = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1).filter(
    lambda text: text.strip() != ""
)


@given(title=_PARAGRAPH, paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=5))
def test_markdown_written_reads_back_as_the_same_words(title: str, paragraphs: list[str]) -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    article = FetchedArticle(title, paragraphs, "http://x/", "f", when, published=when)
    entry = load(markdown_document(article), Path("x.md")).entries[0]
    assert entry.title == " ".join(title.split())
    assert entry.text.split("\n")[1:] == ["2026-01-01", *[" ".join(p.split()) for p in paragraphs if p.strip()]]
