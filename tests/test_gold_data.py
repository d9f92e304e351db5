"""The shipped gold (tests/data/gold) is well formed and agrees with its texts."""

from __future__ import annotations

import json
from pathlib import Path

from reader.corpus import load_corpus
from reader.nlp.evaluate import read_gold

GOLD = Path(__file__).resolve().parent / "data" / "gold"


def test_gold_lines_are_good_and_point_at_their_words():
    lines = (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    gold = read_gold(lines)
    assert gold.problems == [] and len(gold.spans) == len(lines) > 100
    texts = {article.id: article.read_text() for article in load_corpus(GOLD / "corpus", use_index=False).articles}
    assert gold.articles == set(texts) and len(texts) == 3
    for line in lines:
        record = json.loads(line)
        assert texts[record["article_id"]][record["start"] : record["end"]] == record["text"]
