"""Article text is data: markup, ANSI and OSC sequences and control characters show as inert
characters and never reach the terminal as commands."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from annotations import AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until

HOSTILE_BODY = "Plain [bold]x[/bold] then a lone [/] and \x1b[31mred\x1b[0m and \x1b]52;c;aGk=\x07 done."


async def test_hostile_text_is_shown_not_obeyed(tmp_path: Path, recognizer):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(f"Title [bold]x[/] \x1b[2J\n2025-01-01\n{HOSTILE_BODY}\n", encoding="utf-8")
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(120, 30)) as pilot:
            title_cell = app.screen.query_one("#articles").get_row_at(0)[0]
            assert isinstance(title_cell, Text) and title_cell.plain.startswith("Title [bold]x[/] \u241b[2J")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
            view = app.screen.view
            drawn = " ".join(" ".join(view.visible_text()).split())
            assert "Plain [bold]x[/bold] then a lone [/] and \u241b[31mred\u241b[0m" in drawn
            assert "\u241b]52;c;aGk=\u2407 done." in drawn
            assert "\x1b" not in drawn and "\x07" not in drawn
            # Offsets still match the stored text one for one.
            assert len(view.display_text) == len(view.text)
            await pilot.press("s", "t", *"hostile", "enter")
            await wait_until(pilot, lambda: len(view.annotations) == 1)
            assert "\x1b" in view.annotations[0].quote  # the data itself is kept as it was


async def test_square_brackets_of_the_reference_article_show(tmp_path: Path, corpus_dir: Path, recognizer):
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
            assert "[reaffirmed] Pakistan`s" in " ".join(" ".join(app.screen.view.visible_text()).split())


OSC_TITLE = "\x1b]2;owned\x07"
OSC_CLIPBOARD = "\x1b]52;c;aGk=\x07"
RLO = "\u202e"


def hostile_corpus(tmp_path: Path, name: str = "plain.txt") -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / name).write_text(
        f"Plain title\n2025-01-01\n{OSC_TITLE}red{RLO}txt.exe and more words here.\n", encoding="utf-8"
    )
    return corpus


def shown_messages(app: ReaderApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app.notices]


async def drawn_toasts(pilot, app: ReaderApp, words: str) -> str:
    """The text of the toasts as drawn on screen, once one holding ``words`` shows."""

    def drawn() -> str:
        return " ".join(
            strip.text for toast in app.screen.query("Toast") for strip in toast.render_lines(toast.region.reset_offset)
        )

    await wait_until(pilot, lambda: words in " ".join(drawn().split()))
    return drawn()


def assert_inert(shown: str) -> None:
    assert "\x1b" not in shown and "\x07" not in shown and RLO not in shown, repr(shown)


async def inert_notice(pilot, app: ReaderApp, words: str) -> str:
    """The notice holding ``words``, once shown; it and its toast as drawn are checked inert."""
    await wait_until(pilot, lambda: any(words in m for m in shown_messages(app)))
    message = next(m for m in shown_messages(app) if words in m)
    assert_inert(message)
    assert_inert(await drawn_toasts(pilot, app, words))
    return message


async def test_a_note_with_escape_sequences_shows_inert_in_the_editor_and_saves_intact(tmp_path: Path, recognizer):
    from textual.widgets import TextArea

    from annotations import Annotation
    from reader.app.dialogs.note_dialog import NoteDialog

    corpus = hostile_corpus(tmp_path)
    article = load_corpus(corpus).articles[0]
    note = f"imported {OSC_TITLE}{OSC_CLIPBOARD}\tnote {RLO}x"
    start = article.text.index("and more")
    annotation = Annotation.create(
        article_id=article.id,
        article_sha256=article.sha256,
        text=article.text,
        start=start,
        end=start + 8,
        tags=["t"],
        note=note,
    )
    with AnnotationStore(tmp_path / "a.json") as store:
        store.add(annotation, article.ref())
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
            app.screen.view.move_caret(start)
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
            area = app.screen.query_one(TextArea)
            assert_inert(area.text)
            assert "\u241b]2;owned\u2407" in area.text and "\t" in area.text
            drawn = "".join(area.render_line(y).text for y in range(area.size.height))
            assert_inert(drawn)
            await pilot.press("ctrl+s")  # saved without an edit: nothing changes
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
            assert store.get(annotation.id).note == note
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog))
            await pilot.press("end", *" more")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: store.get(annotation.id).note != note)
            assert store.get(annotation.id).note == note + " more"  # edited: every control kept


async def test_the_changed_elsewhere_message_quotes_the_passage_inert(tmp_path: Path, recognizer):
    corpus = hostile_corpus(tmp_path)
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
            view = app.screen.view
            view.move_caret(view.text.index(OSC_TITLE))
            await pilot.press("s", "t", *"hostile", "enter")
            await wait_until(pilot, lambda: len(view.annotations) == 1)
            assert "\x1b" in view.annotations[0].quote
            with AnnotationStore(tmp_path / "a.json") as elsewhere:  # another window
                elsewhere.update(elsewhere.get(view.annotations[0].id).with_note("from elsewhere"))
            view.move_caret(view.annotations[0].start)
            await pilot.press("d")
            message = await inert_notice(pilot, app, "another window")
            assert "\u241b]2;owned\u2407" in message


async def test_the_cannot_be_read_message_names_the_file_inert(tmp_path: Path, recognizer):
    name = f"bad{OSC_TITLE}{RLO}.txt"
    corpus = hostile_corpus(tmp_path, name)
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            (corpus / name).unlink()
            await pilot.press("enter")
            message = await inert_notice(pilot, app, "cannot be read any more")
            assert "bad\u241b]2;owned\u2407\u21c4.txt" in message
