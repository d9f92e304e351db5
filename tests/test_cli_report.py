"""``reader report`` through the installed command on a real store and corpus, against hand counts
and the analysis core (what the analysis screen shows).

The corpus: the reference article (2025-07-27, no source) and two Markdown articles from Dawn
(2025-09-02) and Tribune (undated). The passages, by hand:

    reference: "pivoting westward" [framing/pivot, absent]; "Pakistan is pivoting" [absent]
               (overlaps the first); "Missing were Russia and China" [great powers]
    dawn:      "Russia and China met" [framing/pivot]; "China met in Kazan" [absent] (overlap)
    tribune:   "Nobody spoke of Russia" [absent]
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore
from annotations.analysis import code_matrix, coded_passages
from reader.analysis_data import article_infos
from reader.corpus import load_corpus
from tests.conftest import REFERENCE
from tests.test_cli import run

PIVOT, ABSENT, POWERS = "framing/pivot", "absent", "great powers"


@pytest.fixture
def coded(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A corpus of three articles and a store coding them; the article ids by name."""
    return code_three_articles(tmp_path)


def code_three_articles(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """The corpus and store of the module's docstring, in ``tmp_path``; the article ids by name."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REFERENCE, corpus / REFERENCE.name)
    (corpus / "dawn.md").write_text(
        "---\ntitle: Leaders meet\ndate: 2025-09-02\nsource: Dawn\n---\n\nRussia and China met in Kazan.\n\n"
        "Other news followed.\n",
        encoding="utf-8",
    )
    (corpus / "tribune.md").write_text(
        "---\ntitle: Silence\nsource: Tribune\n---\n\nNobody spoke of Russia that day.\n", encoding="utf-8"
    )
    passages = [
        (REFERENCE.stem, "pivoting westward", [PIVOT, ABSENT]),
        (REFERENCE.stem, "Pakistan is pivoting", [ABSENT]),
        (REFERENCE.stem, "Missing were Russia and China", [POWERS]),
        ("dawn", "Russia and China met", [PIVOT]),
        ("dawn", "China met in Kazan", [ABSENT]),
        ("tribune", "Nobody spoke of Russia", [ABSENT]),
    ]
    articles = {Path(a.path).stem: a for a in load_corpus(corpus, use_index=False).articles}
    store_file = tmp_path / "store.json"
    with AnnotationStore(store_file) as store:
        for name, phrase, tags in passages:
            article = articles[name]
            start = article.text.index(phrase)
            made = Annotation.create(
                article_id=article.id,
                article_sha256=article.sha256,
                text=article.text,
                start=start,
                end=start + len(phrase),
                tags=tags,
            )
            store.add(made, article.ref())
    return corpus, store_file, {name: article.id for name, article in articles.items()}


def read_csv(text: str) -> list[dict[str, str]]:
    """The CSV as records, read by pandas when it is installed (as a user would), else by csv."""
    try:
        import pandas
    except ImportError:
        return list(csv.DictReader(io.StringIO(text)))
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]


def test_matrix_by_month_as_csv_matches_hand_counts_and_the_core(coded):
    corpus, store, _ = coded
    done = run("report", "matrix", "--by", "month", "--csv", "--db", str(store), "--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    rows = {row["code"]: row for row in read_csv(done.stdout)}
    assert list(rows[ABSENT]) == ["code", "2025-07", "2025-09", "undated", "total"]
    assert [rows[ABSENT][k] for k in ("2025-07", "2025-09", "undated", "total")] == ["2", "1", "1", "4"]
    assert [rows[PIVOT][k] for k in ("2025-07", "2025-09", "undated", "total")] == ["1", "1", "0", "2"]
    with AnnotationStore(store, read_only=True) as opened:
        infos = article_infos(load_corpus(corpus), opened.articles())
        core = code_matrix(coded_passages(opened.all()), infos, "month")
    for code in core.codes:
        assert [int(rows[core.spelling[code]][c]) for c in core.columns] == core.counts(code)


def test_matrix_by_source_and_article_as_json(coded):
    corpus, store, ids = coded
    done = run("report", "matrix", "--by", "source", "--json", "--db", str(store), "--corpus", str(corpus))
    document = json.loads(done.stdout)
    assert [c["key"] for c in document["columns"]] == ["Dawn", "Tribune", "no source"]
    absent = next(row for row in document["rows"] if row["code"] == ABSENT)
    assert absent["counts"] == [1, 1, 2] and len(absent["passages"][2]) == 2
    by_article = json.loads(run("report", "matrix", "--json", "--db", str(store)).stdout)  # no corpus: store's titles
    assert [c["key"] for c in by_article["columns"]] == [ids[REFERENCE.stem], ids["dawn"], ids["tribune"]]
    assert by_article["columns"][1]["label"] == "Leaders meet"


def test_cooccurrence_by_overlap_and_by_paragraph(coded):
    corpus, store, _ = coded
    overlap = json.loads(run("report", "cooccurrence", "--json", "--db", str(store)).stdout)
    pair = {(row["code1"], row["code2"]): row for row in overlap["rows"]}[(ABSENT, PIVOT)]
    # p1 coded both; p1 with "Pakistan is pivoting"; dawn's two passages overlap on "China met".
    assert (pair["n1"], pair["n2"], pair["n12"]) == (4, 2, 3)
    assert pair["c"] == pytest.approx(3 / (4 + 2 - 3)) and len(pair["passages"]) == 4
    assert [row["code1"] for row in overlap["rows"]] == [ABSENT]  # great powers meets nothing
    paragraph = run("report", "cooccurrence", "--paragraph", "--csv", "--db", str(store), "--corpus", str(corpus))
    rows = read_csv(paragraph.stdout)
    # "Missing were Russia and China" shares no paragraph with a pivot or absent passage either.
    assert [(r["code1"], r["code2"], r["n12"]) for r in rows] == [(ABSENT, PIVOT, "3")]


def test_timeline_table_for_people_and_a_selected_parent(coded):
    corpus, store, _ = coded
    done = run("report", "timeline", "--tag", "framing", "--db", str(store), "--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.split() == ["CODE", "2025-07", "2025-08", "2025-09", "TOTAL", "TREND"]
    assert row.split()[:5] == [PIVOT, "1", "0", "1", "2"]
    assert row.endswith("\u2588 \u2588")  # a full bar, an empty month, a full bar


def test_entities_of_each_code_from_the_model(coded):
    corpus, store, _ = coded
    done = run("report", "entities", "--json", "--db", str(store), "--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    rows = {(row["code"], row["entity"]): row for row in json.loads(done.stdout)["rows"]}
    # "Russia" is inside "Nobody spoke of Russia" (absent) and "Russia and China met" (pivot).
    assert rows[(ABSENT, "Russia")]["mentions"] == 1
    assert rows[(PIVOT, "Russia")]["mentions"] == 1 and rows[(PIVOT, "China")]["mentions"] == 1
    assert rows[(POWERS, "China")]["label"] == "GPE"


def test_bad_requests_are_refused_with_a_reason_and_no_output(coded):
    corpus, store, _ = coded
    unknown = run("report", "matrix", "--tag", "nonsense", "--csv", "--db", str(store))
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert "No passage is coded 'nonsense'" in unknown.stderr and "Traceback" not in unknown.stderr
    entities = run("report", "entities", "--db", str(store))
    assert entities.returncode == 2 and "needs --corpus" in entities.stderr
    both = run("report", "matrix", "--json", "--csv", "--db", str(store))
    assert both.returncode == 2 and both.stdout == ""
    misplaced = run("report", "timeline", "--by", "source", "--db", str(store))
    assert misplaced.returncode == 2 and "matrix table only" in misplaced.stderr
