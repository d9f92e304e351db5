"""``reader search`` through the installed command: ranked hits, JSON, limits and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import write_corpus
from tests.test_cli import run

FILES = {
    "budget.txt": "Budget passes\n2025-07-01\nThe prime minister said the deficit would fall.",
    "weather.txt": "Weather report\n2025-02-02\nRain again; a budget of sunshine, budget, budget.",
    "geneve.txt": "Sécurité à Genève\n2025-01-02\nLa société de Zürich.",
    "harbour.txt": "Harbour strike ends\n2024-12-31\nDock workers returned.",
    "sport.txt": "Cup final\n2024-11-30\nThe home side won.",
    "notes.txt": "Notes\n2024-10-01\nNothing to report.",
    "hostile.txt": "\x1b[31mRed [bold]title\n2025-03-03\nA budget line with [red]markup[/red].",
}


def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", FILES)


def test_search_lists_hits_best_first_as_json(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    result = run("search", "budget", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert [hit["id"] for hit in hits][:2] == ["budget", "weather"]  # the title counts most
    assert {hit["id"] for hit in hits} == {"budget", "weather", "hostile"}
    first = hits[0]
    assert set(first) == {"id", "title", "date", "score", "snippet"}
    assert first["title"] == "Budget passes" and first["date"] == "2025-07-01"
    assert "[Budget]" in first["snippet"]
    assert hits[0]["score"] > hits[1]["score"] >= hits[2]["score"] > 0
    limited = json.loads(run("search", "budget", str(folder), "--json", "--limit", "1").stdout)
    assert limited == hits[:1]


def test_search_phrases_prefixes_and_accents(tmp_path: Path) -> None:
    folder = corpus(tmp_path)

    def found(query: str) -> list[str]:
        result = run("search", query, str(folder), "--json")
        assert result.returncode == 0, result.stderr
        return [hit["id"] for hit in json.loads(result.stdout)]

    assert found('"prime minister"') == ["budget"]
    assert found('"minister prime"') == []
    assert found("geneve securi") == ["geneve"]
    assert found("zur") == ["geneve"]
    assert found('NEAR( "AND" *') == []  # operators are words here, never a syntax error


def test_search_as_text_is_inert_and_says_when_nothing_matches(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    result = run("search", "markup", str(folder))
    assert result.returncode == 0, result.stderr
    head, snippet = result.stdout.splitlines()
    assert head.split()[:2] == ["hostile", "2025-03-03"] and "\x1b" not in result.stdout
    assert "[markup]" in snippet
    nothing = run("search", "zeppelin", str(folder))
    assert nothing.returncode == 0 and nothing.stdout == "" and "nothing" in nothing.stderr


def test_bad_search_input_is_a_clear_usage_error(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    for arguments in (["search", '"*"', str(folder)], ["search", "x", str(folder), "--limit", "0"]):
        result = run(*arguments)
        assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    missing = run("search", "x", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
