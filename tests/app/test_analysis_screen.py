"""The analysis screen (A) on three coded articles: each table against a hand count (see
tests/test_cli_report.py for the passages), and a drill-down from a co-occurrence to a passage
and into its article."""

from __future__ import annotations

from pathlib import Path

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.app.dialogs.help import HelpScreen
from reader.app.screens.analysis import AnalysisScreen
from reader.app.screens.article import ArticleScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until
from tests.test_cli_report import ABSENT, PIVOT, POWERS, code_three_articles


def rows_of(table) -> list[list[str]]:
    return [[cell.plain.strip() for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_every_table_counts_as_by_hand_and_drills_into_the_article(tmp_path: Path, recognizer):
    corpus_dir, store_file, _ = code_three_articles(tmp_path)
    store = AnnotationStore(store_file)
    app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("A")
            screen = app.screen
            assert isinstance(screen, AnalysisScreen)
            await wait_until(pilot, lambda: screen.table("matrix").row_count == 3)
            # Matrix by article (reference, dawn, tribune), then by month.
            assert rows_of(screen.table("matrix")) == [
                [ABSENT, "4", "2", "1", "1"],
                [PIVOT, "2", "1", "1", "\u00b7"],
                [POWERS, "1", "1", "\u00b7", "\u00b7"],
            ]
            await pilot.press("b")
            await wait_until(pilot, lambda: screen.table("matrix").columns and screen.by == "month")
            await wait_until(
                pilot, lambda: "2025-07" in [c.label.plain for c in screen.table("matrix").columns.values()]
            )
            # Co-occurrence: absent with pivot, n1 4, n2 2, n12 3, c = 3 / (4 + 2 - 3).
            await pilot.press("2")
            await wait_until(pilot, lambda: screen.table("cooccurrence").row_count == 1)
            assert rows_of(screen.table("cooccurrence")) == [[ABSENT, PIVOT, "4", "2", "3", "1.00"]]
            await pilot.press("enter")
            passages = screen.query_one("#analysis-passages")
            assert passages.has_focus and passages.row_count == 4
            quotes = [row[0] for row in rows_of(passages)]
            assert quotes[:2] == ["pivoting westward", "Pakistan is pivoting"]
            target = screen.shown[1]
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
            assert app.screen.view.caret == target.start
            assert app.screen.article.text[target.start : target.end] == "Pakistan is pivoting"
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)
            # By paragraph: the same pairs here (each pair's passages share a paragraph and overlap).
            await pilot.press("p")
            await wait_until(
                pilot,
                lambda: (
                    screen.tables is not None
                    and screen.tables.cooccurrence is not None
                    and screen.tables.cooccurrence.scope == "paragraph"
                ),
            )
            assert "by paragraph (p)" in screen.query_one("#analysis-title").render().plain
            assert rows_of(screen.table("cooccurrence")) == [[ABSENT, PIVOT, "4", "2", "3", "1.00"]]
            # Timeline: July, August (none), September, undated.
            await pilot.press("3")
            await wait_until(pilot, lambda: screen.table("timeline").row_count == 3)
            absent = rows_of(screen.table("timeline"))[0]
            assert absent[:2] == [ABSENT, "4"] and absent[3:] == ["2", "\u00b7", "1", "1"]
            # Entities, from the model: Russia in an "absent" passage, China in a "pivot" one.
            await pilot.press("4")
            entities = screen.table("entities")
            await wait_until(pilot, lambda: not entities.loading and entities.row_count > 0, timeout=120)
            rows = rows_of(entities)
            assert [ABSENT, "Russia", "GPE", "1", "1"] in rows and [PIVOT, "China", "GPE", "1", "1"] in rows
            await pilot.press("r")
            assert [row[:3] for row in rows_of(entities)].count(["China", "GPE", PIVOT]) == 1
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            help_text = app.screen.plain_text()
            assert "Entities by code, or codes by entity" in help_text and "Passages per month" in help_text
    finally:
        store.close()


async def test_hostile_codes_and_quotes_are_shown_not_obeyed(tmp_path: Path, recognizer):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text("Title\n2025-01-01\nA \x1b[31mred\x1b[0m [bold]claim[/].\n", encoding="utf-8")
    article = load_corpus(corpus).articles[0]
    start = article.text.index("A \x1b")
    with AnnotationStore(tmp_path / "a.json") as store:
        made = Annotation.create(
            article_id=article.id,
            article_sha256=article.sha256,
            text=article.text,
            start=start,
            end=article.text.index("[/]") + 3,
            tags=["[red]loud[/]"],
        )
        store.add(made, article.ref())
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("A")
            screen = app.screen
            assert isinstance(screen, AnalysisScreen)
            await wait_until(pilot, lambda: screen.table("matrix").row_count == 1)
            assert rows_of(screen.table("matrix"))[0][:2] == ["[red]loud[/]", "1"]
            [quote] = rows_of(screen.query_one("#analysis-passages"))[0][:1]
            assert quote == "A \u241b[31mred\u241b[0m [bold]claim[/]" and "\x1b" not in quote


async def test_a_opens_the_analysis_from_an_article_and_escape_returns(make_app, tag_phrase):
    tag_phrase("pivoting westward", "pivot")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        article = app.screen
        await pilot.press("A")
        assert isinstance(app.screen, AnalysisScreen)
        await wait_until(pilot, lambda: app.screen.table("matrix").row_count == 1)
        await pilot.press("escape")
        assert app.screen is article


def test_a_matrix_of_many_articles_shows_the_busiest_in_order():
    from annotations.analysis import ArticleInfo, code_matrix, coded_passages
    from reader.app.widgets.analysis_tables import busiest

    passages = [
        Annotation(f"p{n}-{k}", f"a{n:02d}", "sha", 0, 5, "words", "", "", ["code"])
        for n in range(50)
        for k in range(1 + (n % 7 == 0))  # every seventh article has two passages
    ]
    infos = {f"a{n:02d}": ArticleInfo(f"a{n:02d}", f"t{n:02d}", f"2025-01-{n % 28 + 1:02d}") for n in range(50)}
    matrix = code_matrix(coded_passages(passages), infos, "article")
    kept = busiest(matrix, limit=5)
    assert len(kept) == 5 and kept == [column for column in matrix.columns if column in kept]
    assert all(matrix.count("code", column) == 2 for column in kept)


async def test_a_big_cell_lists_its_first_passages_and_says_how_many(tmp_path: Path, recognizer, monkeypatch):
    import reader.app.screens.analysis as analysis

    monkeypatch.setattr(analysis, "MAX_PASSAGES", 2)
    corpus_dir, store_file, _ = code_three_articles(tmp_path)
    with AnnotationStore(store_file) as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("A")
            screen = app.screen
            await wait_until(pilot, lambda: screen.table("matrix").row_count == 3)
            assert screen.query_one("#analysis-passages").row_count == 2  # of absent's 4
            assert "the first 2 of 4 \u00b7 absent" in screen.query_one("#passages-title").render().plain


async def test_the_screen_opens_on_the_index_and_reads_passages_only_to_list_them(
    tmp_path: Path, recognizer, monkeypatch
):
    """No passage is read whole to open the screen; a list too long to read at once is read in a
    worker; co-occurrence reads every passage when its tab is shown."""
    import reader.app.screens.analysis as analysis

    monkeypatch.setattr(analysis, "READ_AT_ONCE", 0)
    corpus_dir, store_file, _ = code_three_articles(tmp_path)
    with AnnotationStore(store_file) as store:
        absent = [a.quote for a in store.all() if ABSENT in a.tags]
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("A")
            screen = app.screen
            passages = screen.query_one("#analysis-passages")
            await wait_until(pilot, lambda: passages.row_count == 4)  # the absent row, read in a worker
            assert [row[0] for row in rows_of(passages)] == absent
            assert rows_of(screen.table("matrix"))[0][:2] == [ABSENT, "4"]
            assert screen.tables.coded is not None and screen.read is None and screen.tables.cooccurrence is None
            await pilot.press("2")
            await wait_until(pilot, lambda: screen.table("cooccurrence").row_count == 1)
            assert screen.read is not None and len(screen.read.passages) == 6


async def test_opening_again_shows_the_tables_kept_until_the_passages_change(tmp_path: Path, recognizer):
    corpus_dir, store_file, _ = code_three_articles(tmp_path)
    with AnnotationStore(store_file) as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("A")
            first = app.screen
            await wait_until(pilot, lambda: first.tables is not None and first.tables.timeline is not None)
            await pilot.press("2")
            await wait_until(pilot, lambda: first.tables.cooccurrence is not None)
            await pilot.press("escape", "A")
            again = app.screen
            assert isinstance(again, AnalysisScreen) and again is not first
            await wait_until(pilot, lambda: again.tables is not None and again.tables.coded is not None)
            assert again.tables.coded is first.tables.coded and again.read is first.read  # nothing read again
            assert again.tables.cooccurrence is first.tables.cooccurrence
            # A passage re-tagged: the next opening counts it, from the store.
            [powers] = [a for a in store.all() if a.tags == [POWERS]]
            store.update(powers.retagged([POWERS, ABSENT]))
            await pilot.press("escape", "A")
            third = app.screen
            await wait_until(pilot, lambda: third.tables is not None and third.tables.coded is not None)
            assert third.tables.coded is not first.tables.coded and third.read is None
            await wait_until(pilot, lambda: rows_of(third.table("matrix"))[0][:2] == [ABSENT, "5"])
