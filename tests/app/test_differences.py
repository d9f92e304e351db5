"""The differences screen: two coders' exports imported, every difference settled by keys, the
agreed layer exported (issue 13, point 4)."""

from __future__ import annotations

import json
from pathlib import Path

from reader.app.screens.differences import DifferencesScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until
from tests.helpers import add_passages
from tests.test_cli import run

ANA = [("pivoting westward", "pivot"), ("key player", "role"), ("security conference", "event")]
ANA.append(("Missing were Russia and China", "absent"))
BEN = [("pivoting westward", "pivot"), ("key player", "claim"), ("a security conference that underscored", "event")]
BEN.append(("Field Marshal Syed Asim Munir", "person"))
#: The key the test presses for each kind of difference, and what the agreed layer then holds.
KEYS = {"codes": "o", "boundaries": "b", "only A": "a", "only B": "n"}
AGREED = {
    ("pivoting westward", ("pivot",)),  # copied with g: both coders made it alike
    ("key player", ("role", "claim")),  # both: one passage with both codes
    ("a security conference that underscored", ("event",)),  # B's boundaries
    ("Missing were Russia and China", ("absent",)),  # A's only passage
}  # B's "Field Marshal..." settled with neither: not there


def coder_export(tmp_path: Path, corpus_dir: Path, coder: str, passages: list[tuple[str, str]]) -> Path:
    """A coder's own store, exported as JSON through the real command."""
    article = load_corpus(corpus_dir, use_index=False).articles[0]
    store_path = tmp_path / f"{coder}-store" / "annotations.json"
    add_passages(store_path, article, [(phrase, [tag]) for phrase, tag in passages], coder=coder)
    exported = tmp_path / f"{coder}.json"
    result = run("export", "--db", str(store_path), "-o", str(exported))
    assert result.returncode == 0, result.stderr
    return exported


def title(screen: DifferencesScreen) -> str:
    return str(screen.query_one("#differences-title").render())


async def test_two_coders_imported_every_difference_settled_by_keys_and_exported(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    for coder, passages in (("ana", ANA), ("ben", BEN)):
        imported = run("import", str(coder_export(tmp_path, corpus_dir, coder, passages)), "--db", str(store_path),
                       "--corpus", str(corpus_dir))  # fmt: skip
        assert imported.returncode == 0, imported.stderr
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen))
        screen = app.screen
        assert isinstance(screen, DifferencesScreen)
        assert sorted(d.kind for d in screen.items) == ["boundaries", "codes", "only A", "only B"]
        assert set(screen.coders) == {"ana", "ben"} and "0 of 4 settled" in title(screen)
        assert "1 alike" in title(screen)
        if screen.coders[0] != "ana":  # A is the coder with more passages or the user's: make it ana
            await pilot.press("escape")
            app.push_screen(DifferencesScreen("ana", "ben", stored=app.store.all()))
            await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen))
            screen = app.screen
        for settled in range(1, 5):
            kind = screen.current.kind
            await pilot.press(KEYS[kind])
            await wait_until(pilot, lambda settled=settled: f"{settled} of 4 settled" in title(screen))
        assert "Every difference settled" in str(app.notices[-1].message)
        # u undoes the last settlement (its passages leave the agreed layer); settle it again.
        last, wrote = screen.done[-1]
        agreed_before = len([a for a in app.store.all() if a.coder == "agreed"])
        await pilot.press("u")
        await wait_until(pilot, lambda: "3 of 4 settled" in title(screen))
        assert screen.current is screen.items[last]  # the cursor is back on it
        agreed_after = len([a for a in app.store.all() if a.coder == "agreed"])
        assert agreed_after < agreed_before if wrote else agreed_after == agreed_before
        await pilot.press(KEYS[screen.current.kind])
        await wait_until(pilot, lambda: "4 of 4 settled" in title(screen))
        await pilot.press("g")
        await wait_until(pilot, lambda: "copied)" in title(screen))
        await pilot.press("escape")
    exported = tmp_path / "all.json"
    assert run("export", "--db", str(store_path), "-o", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    agreed = {(a["quote"], tuple(a["tags"])) for a in document["annotations"] if a.get("coder") == "agreed"}
    assert agreed == AGREED
    coders = [a.get("coder") for a in document["annotations"]]
    assert coders.count("ana") == 4 and coders.count("ben") == 4  # the coders' own layers untouched


async def test_differences_with_one_coder_only_say_what_to_do(make_app, tag_phrase):
    tag_phrase("pivoting westward", "pivot")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await wait_until(pilot, lambda: any("two coders" in str(n.message) for n in app.notices))
        assert not isinstance(app.screen, DifferencesScreen)
        assert "reader import FILE" in str(app.notices[-1].message)
