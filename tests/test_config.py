"""The user's settings file (reader/config.py): read, checked with line numbers, defaults kept
for what is wrong, and each setting applied: corpus and store by the commands, theme, keys and
coder by the app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.app.dialogs.help import HelpScreen
from reader.config import Settings, checked_against, load_settings
from reader.corpus import load_corpus
from tests.test_cli import run


def write(tmp_path: Path, text: str) -> Path:
    """A settings file holding ``text``, where reader looks for it when XDG_CONFIG_HOME is tmp_path/config."""
    path = tmp_path / "config" / "reader" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_are_read_with_their_sources(tmp_path: Path):
    path = write(tmp_path, 'coder = "ada"\ncorpus = "~/news"\ntheme = "textual-light"\n[keys]\n"app.help" = "f1"\n')
    settings = load_settings(path)
    assert settings.coder == "ada" and settings.corpus == Path("~/news").expanduser() and settings.store is None
    assert settings.theme == "textual-light" and settings.keys == {"app.help": "f1"} and settings.problems == ()
    assert settings.source("coder") == "file" and settings.source("store") == "default"


def test_a_missing_file_is_every_default(tmp_path: Path):
    settings = load_settings(tmp_path / "none.toml")
    assert settings == Settings(path=tmp_path / "none.toml") and settings.coder and settings.problems == ()


def test_a_syntax_error_names_its_line_and_keeps_every_default(tmp_path: Path):
    path = write(tmp_path, 'coder = "ada"\n\ntheme = textual-light\n')
    settings = load_settings(path)
    assert settings.coder != "ada" and settings.theme is None
    [problem] = settings.problems
    assert str(path) in problem and "line 3" in problem and "default" in problem


def test_a_wrong_type_or_unknown_setting_names_its_line_and_the_rest_still_applies(tmp_path: Path):
    path = write(tmp_path, 'coder = "ada"\nstore = 3\ncolour = "red"\n')
    settings = load_settings(path)
    assert settings.coder == "ada" and settings.store is None
    assert len(settings.problems) == 2
    assert "line 2" in settings.problems[0] and "store must be" in settings.problems[0]
    assert "line 3" in settings.problems[1] and "unknown setting 'colour'" in settings.problems[1]


def test_an_unknown_theme_or_binding_id_is_dropped_with_its_line(tmp_path: Path):
    path = write(tmp_path, 'theme = "neon"\n[keys]\n"app.help" = "f1"\n"app.nothing" = "x"\n')
    settings = checked_against(load_settings(path), {"textual-dark"}, {"app.help"})
    assert settings.theme is None and settings.keys == {"app.help": "f1"}
    assert "line 1" in settings.problems[0] and "'neon'" in settings.problems[0]
    assert "line 4" in settings.problems[1] and "'app.nothing'" in settings.problems[1]


def test_reader_list_uses_the_default_corpus_and_store(tmp_path: Path, corpus_dir: Path):
    article = load_corpus(corpus_dir).articles[0]
    store = tmp_path / "mine" / "annotations.json"
    with AnnotationStore(store) as opened:
        opened.add(
            Annotation.create(
                article_id=article.id, article_sha256=article.sha256, text=article.text, start=0, end=8, tags=["x"]
            ),
            article.ref(),
        )
    write(tmp_path, f"corpus = {json.dumps(str(corpus_dir))}\nstore = {json.dumps(str(store))}\n")
    result = run("list", "--json", env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.returncode == 0, result.stderr
    assert [(row["id"], row["annotations"]) for row in json.loads(result.stdout)["articles"]] == [(article.id, 1)]


def test_a_bad_settings_file_is_a_message_and_the_command_still_runs(tmp_path: Path):
    write(tmp_path, 'corpus = ~/news\ncoder = "ada"\n')
    result = run("list", "--json", env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert (
        result.returncode == 0 and "Traceback" not in result.stderr and json.loads(result.stdout)["articles"]
    )  # the sample
    assert "not valid TOML" in result.stderr and "line 1" in result.stderr


async def test_the_app_applies_theme_keys_and_coder(corpus_dir: Path, tmp_path: Path, recognizer):
    settings = Settings(coder="ada", theme="textual-light", keys={"app.help": "f2", "library.search": "ctrl+f"})
    with AnnotationStore(tmp_path / "db.json") as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer, settings=settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.theme == "textual-light" and "ada" in app.sub_title
            await pilot.press("question_mark")  # remapped away: no longer help
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("ctrl+f")
            await pilot.pause()
            assert app.screen.query_one("#library-input").display


async def test_the_app_starts_with_a_bad_settings_file_and_says_so_once(corpus_dir: Path, tmp_path: Path, recognizer):
    settings = load_settings(write(tmp_path, 'theme = "neon"\n[keys]\n"app.nothing" = "x"\n'))
    with AnnotationStore(tmp_path / "db.json") as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer, settings=settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            notices = [n for n in app.notices if n.title == "Settings"]
            assert len(notices) == 1 and "'neon'" in notices[0].message and "'app.nothing'" in notices[0].message
            assert app.theme == "textual-dark"


def test_config_path_and_show(tmp_path: Path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    path = write(tmp_path, 'coder = "ada"\n[keys]\n"app.help" = "f1"\n')
    result = run("config", "path", env=env)
    assert result.returncode == 0 and result.stdout == f"{path}\n"
    result = run("config", "show", env=env)
    assert result.returncode == 0, result.stderr
    assert "coder = ada    (file)" in result.stdout and "theme = textual-dark    (default)" in result.stdout
    assert "keys.app.help = f1    (file)" in result.stdout and "library.search" in result.stdout


def test_config_edit_makes_the_template_and_runs_the_editor(tmp_path: Path):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('coder = \"bea\"\\n')\n", encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "EDITOR": f"{sys.executable} {editor}", "VISUAL": ""}
    result = run("config", "edit", env=env)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "config" / "reader" / "config.toml"
    assert path.read_text(encoding="utf-8").startswith("# reader's settings")
    assert load_settings(path).coder == "bea"
    assert "coder = bea    (file)" in run("config", "show", env=env).stdout


def test_config_edit_without_an_editor_says_what_to_do(tmp_path: Path):
    result = run("config", "edit", env={"XDG_CONFIG_HOME": str(tmp_path / "config"), "EDITOR": "", "VISUAL": ""})
    assert result.returncode == 1 and "EDITOR" in result.stderr and "Traceback" not in result.stderr
