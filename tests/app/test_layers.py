"""Coders' layers in the app (issue 13 item 2): you see and edit only your own passages; C shows
the other coders' too, each with its own mark named in the legend, and no key changes theirs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.app.palette import palette_of
from reader.app.screens.article import ArticleScreen
from reader.app.widgets.annotation_panel import AnnotationPanel
from reader.app.widgets.legend import Legend
from reader.config import Settings
from reader.corpus import load_corpus
from tests.app.helpers import open_article, wait_until
from tests.helpers import add_passages

MINE = "pivoting westward"
BOBS = "no other South Asian state"
CAROLS = "steadfast commitment"


@pytest.fixture
def coded(store_path: Path, corpus_dir: Path) -> dict[str, Annotation]:
    """Three coders' passages in the reference article, one each: ada (you), bob and carol."""
    article = load_corpus(corpus_dir).articles[0]
    made = {}
    for coder, phrase, tag in (("ada", MINE, "pivot"), ("bob", BOBS, "absent"), ("carol", CAROLS, "ally")):
        (made[coder],) = add_passages(store_path, article, [(phrase, [tag])], coder=coder)
    return made


@pytest.fixture
def ada_app(make_app) -> Callable[[], ReaderApp]:
    """The app as ada sees it (her settings name her the coder)."""
    return lambda: make_app(Settings(coder="ada"))


def legend(screen: ArticleScreen) -> str:
    return str(screen.query_one(Legend).render())


def status(screen: ArticleScreen) -> str:
    return str(screen.query_one("#status").render())


async def test_only_your_passages_until_c_shows_each_other_coder_with_its_own_mark(ada_app, coded):
    app = ada_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, app)
        view = screen.view
        assert [a.id for a in view.annotations] == [coded["ada"].id] and view.others == ()
        own = palette_of(app).annotation[0]
        assert view.style_at(coded["bob"].start + 1).bgcolor is None
        assert "bob" not in legend(screen) and status(screen).startswith(" ada")

        await pilot.press("C")
        await wait_until(pilot, lambda: len(view.others) == 2)
        bob, carol = view.style_at(coded["bob"].start + 1), view.style_at(coded["carol"].start + 1)
        assert bob.underline and carol.underline and bob.italic
        assert len({bob.bgcolor, carol.bgcolor, own.bgcolor}) == 3  # each coder distinct, and from yours
        assert view.style_at(coded["ada"].start + 1).bgcolor == own.bgcolor
        assert "bob" in legend(screen) and "carol" in legend(screen)
        panel = screen.query_one(AnnotationPanel)
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert len(prompts) == 3 and sum(p.startswith("bob: ") for p in prompts) == 1
        assert [a.id for a in view.annotations] == [coded["ada"].id]  # still only yours to act on
        await pilot.press("slash", *"no other South", "enter")
        assert "bob: absent" in status(screen)

        await pilot.press("C")
        await wait_until(pilot, lambda: view.others == ())
        assert "bob" not in legend(screen) and view.style_at(coded["bob"].end - 2).bgcolor is None  # past the match


async def test_no_key_changes_another_coders_passage_and_each_says_whose_it_is(ada_app, coded, store_path):
    app = ada_app()
    before = coded["bob"].to_record()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, app, find="no other South")
        await pilot.press("C")
        await wait_until(pilot, lambda: len(screen.view.others) == 2)
        app.notices.clear()
        for key in ("d", "c", "t", "1", "greater_than_sign", "less_than_sign"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key  # no dialog opened for bob's passage
            assert app.notices and "bob's" in app.notices[-1].message and "(ada)" in app.notices[-1].message, key
        await pilot.press("escape")
        await app.workers.wait_for_complete()
    with AnnotationStore(store_path) as store:
        assert store.get(coded["bob"].id).to_record() == before
        assert len(store.all()) == 3


async def test_what_you_make_is_yours_even_over_another_coders_passage(ada_app, coded, store_path):
    app = ada_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, app, find="no other South")
        await pilot.press("d")  # layers off: bob's passage is not there for you
        await pilot.pause()
        assert "no annotation under the caret" in app.notices[-1].message
        await pilot.press("s", "1")  # the sentence, tagged with tag 1
        await wait_until(pilot, lambda: len(screen.view.annotations) == 2)
        await app.workers.wait_for_complete()
    with AnnotationStore(store_path) as store:
        coders = sorted(a.coder for a in store.all())
        assert coders == ["ada", "ada", "bob", "carol"]
        assert store.get(coded["bob"].id).to_record() == coded["bob"].to_record()


async def test_the_library_and_the_article_name_the_coder(corpus_dir, store_path, recognizer, coded):
    with AnnotationStore(store_path) as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer, settings=Settings(coder="\x1b[31mbob"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            problems = str(app.screen.query_one("#problems").render())
            assert app.coder == "[31mbob" and "coder [31mbob \u00b7 1 articles" in problems
            screen = await open_article(pilot, app)
            assert screen.view.annotations == [] and status(screen).startswith(" [31mbob")


async def test_help_lists_the_layers_key(ada_app, coded):
    from reader.app.dialogs.help import HelpScreen

    app = ada_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_article(pilot, app)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        line = next(line for line in help_screen.plain_text().splitlines() if "other coders" in line)
        assert "C" in line.split("other coders")[0]
