"""Articles with the same title are told apart by what differs: file name, else id."""

from __future__ import annotations

import json
from pathlib import Path

from reader.corpus import load_corpus
from reader.corpus.titles import shown_title, title_details

HTML = "<html><head><title>Same story</title></head><body><article><p>{}</p></article></body></html>"
BODY = "The harbour of Karachi reopened on Monday after a strike of nine days, officials said in a statement."


def test_same_titles_show_the_file_name_or_the_id(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_text(HTML.format(BODY), encoding="utf-8")
    (tmp_path / "x.txt").write_text("Same story\n2025-01-01\nBody.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text("SAME STORY\nOther body.", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps({"title": "Wire", "text": f"Body {n}"}) for n in range(2)) + "\n", encoding="utf-8"
    )
    (tmp_path / "alone.txt").write_text("A title of its own\nBody.", encoding="utf-8")
    corpus = load_corpus(tmp_path, use_index=False)
    details = title_details(corpus.articles)
    assert details == {
        "x.html": "x.html",
        "x": "x",
        "sub/x": "sub/x",  # two are named x.txt: the ids differ
        "feed.jsonl#1": "feed.jsonl#1",
        "feed.jsonl#2": "feed.jsonl#2",
    }
    assert shown_title("Same story", details["x.html"]) == "Same story \u00b7 x.html"
    assert shown_title("A title of its own", details.get("alone")) == "A title of its own"


def test_different_file_names_are_enough(tmp_path: Path) -> None:
    (tmp_path / "story.html").write_text(HTML.format(BODY), encoding="utf-8")
    (tmp_path / "copy.txt").write_text("Same story\nBody.", encoding="utf-8")
    corpus = load_corpus(tmp_path, use_index=False)
    assert corpus.title_details() == {"story.html": "story.html", "copy": "copy.txt"}
