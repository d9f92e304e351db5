"""Writes gold.jsonl from the hand annotation below: each article's entities in text order as
(words, label); offsets are found by searching on from the previous entity, so the file stays
right if a text is edited. Run: python tests/data/gold/build_gold.py

Conventions (OntoNotes, as the English pipelines are trained): titles, ranks and a leading
"the" are outside names; demonyms NORP; countries, states, provinces and cities GPE (datelines
too); seas, shoals and regions that are no state LOC; the whole "U.S. Senate" is one ORG.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

GOLD: dict[str, list[tuple[str, str]]] = {
    "a01_drought": [
        ("Horn of Africa", "LOC"),
        ("2025-03-14", "DATE"),
        ("NAIROBI", "GPE"),
        ("Kenya", "GPE"),
        ("More than 20 million", "CARDINAL"),
        ("Kenya", "GPE"),
        ("Ethiopia", "GPE"),
        ("Somalia", "GPE"),
        ("fifth", "ORDINAL"),
        ("World Food Programme", "ORG"),
        ("WFP", "ORG"),
        ("Thursday", "DATE"),
        ("Michael Dunford", "PERSON"),
        ("Nairobi", "GPE"),
        ("Kenya", "GPE"),
        ("up to 70 percent", "PERCENT"),
        ("October", "DATE"),
        ("days", "DATE"),
        ("Dunford", "PERSON"),
        ("Marsabit", "GPE"),
        ("Turkana", "GPE"),
        ("Kenyan", "NORP"),
        ("William Ruto", "PERSON"),
        ("last year", "DATE"),
        ("$1.5 billion", "MONEY"),
        ("Wednesday", "DATE"),
        ("Peter Mwangi", "PERSON"),
        ("300,000", "CARDINAL"),
        ("Somalia", "GPE"),
        ("Ministry of Health", "ORG"),
        ("1,200", "CARDINAL"),
        ("Gedo", "GPE"),
        ("Bakool", "GPE"),
        ("Somali", "NORP"),
        ("Hamza Abdi Barre", "PERSON"),
        ("Baidoa", "GPE"),
        ("Tuesday", "DATE"),
        ("United States Agency for International Development", "ORG"),
        ("USAID", "ORG"),
        ("$127 million", "MONEY"),
        ("USAID", "ORG"),
        ("Grace Holloway", "PERSON"),
        ("Ethiopian", "NORP"),
        ("Oromia", "GPE"),
        ("Afar", "GPE"),
        ("Intergovernmental Authority on Development", "ORG"),
        ("IGAD", "ORG"),
        ("Djibouti", "GPE"),
        ("next week", "DATE"),
    ],
    "a02_bridges": [
        ("Senate", "ORG"),
        ("2025-05-22", "DATE"),
        ("WASHINGTON", "GPE"),
        ("U.S. Senate", "ORG"),
        ("Wednesday", "DATE"),
        ("$40 billion", "MONEY"),
        ("House of Representatives", "ORG"),
        ("68", "CARDINAL"),
        ("31", "CARDINAL"),
        ("17", "CARDINAL"),
        ("Republicans", "NORP"),
        ("Democrats", "NORP"),
        ("Senate", "ORG"),
        ("Daniel Reyes", "PERSON"),
        ("Laura Whitfield", "PERSON"),
        ("Minnesota", "GPE"),
        ("more than 42,000", "CARDINAL"),
        ("2007", "DATE"),
        ("Interstate 35W", "FAC"),
        ("Minneapolis", "GPE"),
        ("13", "CARDINAL"),
        ("Mark Ellison", "PERSON"),
        ("Department of Transportation", "ORG"),
        ("DOT", "ORG"),
        ("90 days", "DATE"),
        ("Ohio", "GPE"),
        ("Pennsylvania", "GPE"),
        ("Texas", "GPE"),
        ("American Society of Civil Engineers", "ORG"),
        ("ASCE", "ORG"),
        ("ASCE", "ORG"),
        ("Karen Doyle", "PERSON"),
        ("Heritage Foundation", "ORG"),
        ("House", "ORG"),
        ("Thomas Bell", "PERSON"),
    ],
    "a03_shoal": [
        ("Philippines", "GPE"),
        ("Chinese Coast Guard", "ORG"),
        ("2025-08-09", "DATE"),
        ("MANILA", "GPE"),
        ("Philippines", "GPE"),
        ("Saturday", "DATE"),
        ("Chinese", "NORP"),
        ("China Coast Guard", "ORG"),
        ("Filipino", "NORP"),
        ("Second Thomas Shoal", "LOC"),
        ("Department of Foreign Affairs", "ORG"),
        ("DFA", "ORG"),
        ("Elena Marquez", "PERSON"),
        ("four", "CARDINAL"),
        ("China", "GPE"),
        ("Foreign Ministry", "ORG"),
        ("Wei Lan", "PERSON"),
        ("Philippine", "NORP"),
        ("Chinese", "NORP"),
        ("about 200 kilometers", "QUANTITY"),
        ("Philippine", "NORP"),
        ("Palawan", "GPE"),
        ("more than 1,000 kilometers", "QUANTITY"),
        ("Hainan", "GPE"),
        ("China", "GPE"),
        ("The Hague", "GPE"),
        ("2016", "DATE"),
        ("Beijing", "GPE"),
        ("United States", "GPE"),
        ("Japan", "GPE"),
        ("Australia", "GPE"),
        ("Manila", "GPE"),
        ("U.S.", "GPE"),
        ("Robert Kline", "PERSON"),
        ("Washington", "GPE"),
        ("1951", "DATE"),
        ("Mutual Defense Treaty", "LAW"),
        ("Philippines", "GPE"),
        ("Association of Southeast Asian Nations", "ORG"),
        ("ASEAN", "ORG"),
        ("Kuala Lumpur", "GPE"),
        ("October", "DATE"),
        ("Malaysian", "NORP"),
        ("Anwar Ibrahim", "PERSON"),
    ],
}


def main() -> None:
    lines = []
    for article_id, entities in GOLD.items():
        text = (HERE / "corpus" / f"{article_id}.txt").read_text(encoding="utf-8")
        position = 0
        for words, label in entities:
            start = text.index(words, position)
            lines.append(
                {"article_id": article_id, "start": start, "end": start + len(words), "label": label, "text": words}
            )
            position = start + len(words)
    (HERE / "gold.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
