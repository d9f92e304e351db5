"""Each article format loads into the displayed shape: title line, date line, one paragraph a line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.corpus.article import text_sha256


def only(folder: Path):
    corpus = load_corpus(folder)
    assert corpus.problems == []
    [article] = corpus.articles
    return article


def test_plain_text_without_a_date_line(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("A plain title\nFirst paragraph.\n\nSecond.\n", encoding="utf-8")
    article = only(tmp_path)
    assert (article.id, article.title, article.date) == ("notes", "A plain title", None)
    assert article.text == "A plain title\nFirst paragraph.\n\nSecond."


def test_plain_text_first_line_too_long_for_a_title_is_shortened_in_the_list_only(tmp_path: Path):
    line = "word " * 100
    (tmp_path / "long.txt").write_text(line + "\nmore", encoding="utf-8")
    article = only(tmp_path)
    assert len(article.title) <= 201 and article.title.endswith("\u2026")
    assert article.text.startswith(line)  # the text itself is untouched


def test_markdown_with_front_matter(tmp_path: Path):
    (tmp_path / "story.md").write_text(
        "---\ntitle: 'Rivers rise in the north'\ndate: 2025-03-04\nsource: The Daily\nurl: https://example.com/r\n---\n\n"
        "## Warnings issued\n\nWater *rose* by a [metre](https://x) overnight\nin three towns.\n\n"
        "- roads closed\n- schools shut\n\n```\nlevel: 4.2 m\n```\n",
        encoding="utf-8",
    )
    article = only(tmp_path)
    assert (article.title, article.date, article.source, article.url) == (
        "Rivers rise in the north",
        "2025-03-04",
        "The Daily",
        "https://example.com/r",
    )
    assert article.text.split("\n") == [
        "Rivers rise in the north",
        "2025-03-04",
        "Warnings issued",
        "Water rose by a metre overnight in three towns.",
        "\u2022 roads closed",
        "\u2022 schools shut",
        "level: 4.2 m",
    ]


def test_markdown_without_front_matter_takes_its_first_heading_as_title(tmp_path: Path):
    (tmp_path / "note.md").write_text("# Budget talks stall\n\nNo deal yet.\n", encoding="utf-8")
    article = only(tmp_path)
    assert (article.title, article.date) == ("Budget talks stall", None)
    assert article.text == "Budget talks stall\nNo deal yet."


def test_markdown_with_broken_front_matter_is_a_problem_naming_the_line(tmp_path: Path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (tmp_path / "good.md").write_text("# Fine\n\nBody\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus.articles] == ["good.md"]
    [problem] = corpus.problems
    assert problem.path.name == "bad.md" and "YAML front matter" in problem.reason


def test_json_object(tmp_path: Path):
    record = {
        "title": "Ports reopen",
        "date": "2025-01-02T10:00:00Z",
        "text": "Para one.\n\nPara two.",
        "url": "https://example.com/p",
        "source": "Wire",
    }
    (tmp_path / "ports.json").write_text(json.dumps(record), encoding="utf-8")
    article = only(tmp_path)
    assert (article.id, article.title, article.date, article.url, article.source) == (
        "ports.json",
        "Ports reopen",
        "2025-01-02",
        "https://example.com/p",
        "Wire",
    )
    assert article.text == "Ports reopen\n2025-01-02\nPara one.\nPara two."
    assert article.sha256 == text_sha256(article.text)


def test_json_array_keeps_good_items_and_reports_bad_ones(tmp_path: Path):
    items = [
        {"title": "One", "text": "a"},
        {"title": "No text"},
        "not an object",
        {"title": "Four", "date": "2024-02-03", "text": "d"},
    ]
    (tmp_path / "batch.json").write_text(json.dumps(items), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert sorted((a.id, a.title) for a in corpus.articles) == [("batch.json#1", "One"), ("batch.json#4", "Four")]
    assert sorted(p.reason.split(":")[0] for p in corpus.problems) == ["item 2", "item 3"]


def test_jsonl_many_articles_with_stable_ids(tmp_path: Path):
    lines = [
        json.dumps({"id": "wire-17", "title": "Given id", "date": "2024-05-06", "text": "A"}),
        "",
        "{not json",
        json.dumps({"title": "By line", "text": "B\nC"}),
        json.dumps({"title": "Missing text"}),
    ]
    (tmp_path / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    by_id = {a.id: a for a in corpus.articles}
    assert set(by_id) == {"wire.jsonl#wire-17", "wire.jsonl#4"}
    assert by_id["wire.jsonl#4"].text == "By line\nB\nC" and by_id["wire.jsonl#4"].date is None
    assert by_id["wire.jsonl#wire-17"].text == "Given id\n2024-05-06\nA"
    assert sorted(p.reason for p in corpus.problems) == [
        "line 3: not valid JSON (Expecting property name enclosed in double quotes)",
        'line 5: no "text" field with the article\'s text',
    ]
    # The ids do not depend on the order of loading.
    assert {a.id for a in load_corpus(tmp_path, use_index=False).articles} == set(by_id)


def test_jsonl_article_reads_only_its_own_line_when_opened(tmp_path: Path):
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"title": "T1", "text": "x"}) + "\n" + json.dumps({"title": "T2", "text": "y"}) + "\n")
    load_corpus(tmp_path)  # indexed
    second = next(a for a in load_corpus(tmp_path).articles if a.title == "T2")
    assert not second.is_loaded
    assert second.text == "T2\ny"


HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Harbour strike ends | The Coast Times</title>
<meta property="og:title" content="Harbour strike ends after nine days">
<meta property="og:site_name" content="The Coast Times">
<meta property="article:published_time" content="2025-06-07T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article><h1>Harbour strike ends after nine days</h1>
<p>Dock workers returned to the harbour on Monday after a nine-day strike over pay and night shifts ended with an agreement.</p>
<p>The agreement raises wages by six percent this year and limits night shifts to two a week for every crew at the port.</p>
<p>Shipping companies said the backlog of containers would take about a fortnight to clear, and that prices would settle.</p>
</article><footer>Copyright 2025 The Coast Times. All rights reserved.</footer></body></html>"""


def test_html_main_text_title_and_date_are_extracted(tmp_path: Path):
    (tmp_path / "strike.html").write_text(HTML, encoding="utf-8")
    article = only(tmp_path)
    assert article.title == "Harbour strike ends after nine days"
    assert article.date == "2025-06-07" and article.source == "The Coast Times"
    lines = article.text.split("\n")
    assert lines[:2] == ["Harbour strike ends after nine days", "2025-06-07"]
    assert lines[2].startswith("Dock workers returned") and lines[-1].startswith("Shipping companies")
    assert "Subscribe" not in article.text and "Copyright" not in article.text
    assert lines.count("Harbour strike ends after nine days") == 1  # the heading is not repeated


def test_html_page_without_article_text_is_a_problem(tmp_path: Path):
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.articles == [] and "no article text" in corpus.problems[0].reason


@pytest.mark.parametrize("name", ["a.TXT", "b.Md", "c.JSON"])
def test_suffixes_are_matched_in_any_case(tmp_path: Path, name: str):
    content = {".json": json.dumps({"title": "T", "text": "x"}), ".md": "# T\n\nx"}.get(
        Path(name).suffix.lower(), "T\nx"
    )
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert [a.title for a in load_corpus(tmp_path).articles] == ["T"]


def test_title_with_control_characters_is_inert_but_text_is_kept(tmp_path: Path):
    (tmp_path / "x.json").write_text(
        json.dumps({"title": "Red \x1b[31m alert", "text": "Body \x1b[0m"}), encoding="utf-8"
    )
    article = only(tmp_path)
    assert "\x1b" not in article.title and "\u241b" in article.title
    assert "\x1b" in article.text  # data stays as it was; the view makes it inert when drawing
