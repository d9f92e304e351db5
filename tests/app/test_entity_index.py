"""The corpus entity index: an entity's articles newest first, its mentions over time."""

from __future__ import annotations

from pathlib import Path

from reader.app.screens.article import ArticleScreen
from reader.app.screens.entity_index import months_between
from tests.app.helpers import entity_articles_shown, open_entity_index, wait_until

#: An older article of the corpus: China twice, India and Geneva once.
OLDER = "Trade talks resume\n2025-05-02\nChina and India met in Geneva. China said little.\n"


def test_months_between_crosses_a_year():
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


async def test_pick_an_entity_see_its_articles_newest_first_and_open_one(
    make_app, corpus_dir: Path, recognizer, reference_text: str
):
    text = reference_text.rstrip("\n")
    in_reference = sum(1 for e in recognizer.entities(text) if text[e.start : e.end] == "China" and e.label == "GPE")
    assert in_reference > 0
    (corpus_dir / "older.txt").write_text(OLDER, encoding="utf-8")
    (corpus_dir / "newer.txt").write_text(
        "Summit ends\n2025-09-14\nOfficials from China arrived on Monday.\n", encoding="utf-8"
    )
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_entity_index(pilot, app)
        await pilot.press("slash", *"china", "enter")
        await entity_articles_shown(pilot, screen)
        china = screen.current
        assert (china.name, china.label) == ("China", "GPE")
        assert china.articles == 3 and china.total == 2 + in_reference + 1
        articles = screen.query_one("#index-articles")
        dates = [articles.get_row_at(i)[0].plain for i in range(articles.row_count)]
        assert dates == ["2025-09-14", "2025-07-27", "2025-05-02"]
        chart = screen.query_one("#index-chart")
        assert list(chart.data) == [2, 0, in_reference, 0, 1]  # May to September
        await pilot.press("enter", "enter")  # the entity, then its newest article
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        opened = app.screen
        assert opened.article.title == "Summit ends"
        assert opened.article.text[opened.view.caret :].startswith("China arrived")


async def test_an_article_opens_at_the_first_mention_and_n_walks_them_k_of_n(make_app, corpus_dir: Path):
    (corpus_dir / "older.txt").write_text(OLDER, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_entity_index(pilot, app)
        await pilot.press("slash", *"geneva", "enter")
        assert (screen.current.name, screen.current.total) == ("Geneva", 1)
        title = str(screen.query_one("#index-chart-title").render())
        assert "1 mention in 1 article," in title  # not "1 mentions in 1 articles"
        await pilot.press("slash", *["backspace"] * 6, *"china", "enter")
        await entity_articles_shown(pilot, screen)
        articles = screen.query_one("#index-articles")
        dates = [articles.get_row_at(i)[0].plain for i in range(articles.row_count)]
        assert "mentions in 2 articles" in str(screen.query_one("#index-chart-title").render())
        await pilot.press("enter", *["down"] * dates.index("2025-05-02"), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        opened = app.screen
        text = opened.article.text
        assert opened.view.caret == text.index("China and India")
        await pilot.pause()
        assert "\u201cChina\u201d 1 of 2" in str(opened.query_one("#status").render())
        await pilot.press("n")
        await pilot.pause()
        assert opened.view.caret == text.index("China said")
        assert "\u201cChina\u201d 2 of 2" in str(opened.query_one("#status").render())


async def test_enter_in_the_entity_panel_walks_the_mentions_k_of_n(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        screen = app.screen
        await pilot.press("E", "down", "enter", "down")  # open the first label, onto its first name
        panel = screen.query_one("#entity-panel")
        mentions = panel.cursor_node.data
        await pilot.press("enter")
        await pilot.pause()
        index = next(i for i, m in enumerate(mentions) if m.start == screen.view.caret)
        assert f"{index + 1} of {len(mentions)}" in str(screen.query_one("#status").render())


async def test_the_index_and_reader_stats_count_the_same_entities(make_app, corpus_dir: Path, store_path: Path):
    """One key for both (words folded, and the label): "CHINA" is China and "Zurich" is Zürich in
    each, named by the spelling used most."""
    import json

    from annotations import AnnotationStore
    from tests.test_cli import run

    (corpus_dir / "shouted.txt").write_text(
        "Talks end\n2025-05-02\nOfficials from CHINA arrived on Monday. China said little.\n"
        "Talks in Zürich ended. Delegates left Zurich on Friday, and Zürich was quiet.\n",
        encoding="utf-8",
    )
    AnnotationStore(store_path).close()
    counted = run("stats", "--db", str(store_path), "--corpus", str(corpus_dir), "--json")
    assert counted.returncode == 0, counted.stderr
    by_stats = {(e["text"], e["label"]): (e["articles"], e["count"]) for e in json.loads(counted.stdout)["entities"]}
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_entity_index(pilot, app)
        by_screen = {(e.name, e.label): (e.articles, e.total) for e in screen.shown}
    assert by_screen == by_stats
    assert by_stats[("Zürich", "GPE")][1] >= 2
    assert not any(name in ("CHINA", "Zurich") for name, _ in by_stats)
