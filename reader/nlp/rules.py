"""The rule layer: the model's entities of a text put right where news text fools the model.

A post-processing step over the model's entities (``(start, end, label)`` on the text), not a
spaCy ``EntityRuler``/``SpanRuler`` in the pipeline. A ruler before ``ner`` can only fix spans
it finds whole; it cannot cut "Field Marshal" off a span the model found, give an acronym the
label the model gave the name before it, or keep a dateline from swallowing the next word. A
ruler after ``ner`` replaces what it overlaps outright. Working on the model's output does all
that, stays pure Python (tested without the model, in microseconds), and works unchanged with any
pipeline ``--model`` loads, a trained folder included, and in ``reader ner``'s worker processes.

The passes, in order (each on the normalised text, so "Pakistan`s" reads "Pakistan's"):

1. spans cleaned: surrounding quotes, possessive ``'s``, unbalanced brackets, trailing commas;
2. titles (honorifics, ranks, posts) cut off the front of names, and a title alone dropped;
   a titled name the model missed is added as PERSON; a post's acronym ("(COAS)") is no entity;
3. datelines ("ISLAMABAD:", "WASHINGTON —") are GPE, without the words after them;
4. in Title Case lines (headlines) long spans are dropped, known names found again by 5;
5. known names (the patterns' entities, the gazetteer's places and demonyms) take their label
   where the model's disagrees, and are added where the model found nothing;
6. "Full Name (ACR)": the acronym, there and wherever else it stands, takes the name's label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.nlp.gazetteer import Gazetteer, gazetteer
from reader.nlp.model import Entity
from reader.nlp.patterns import Patterns
from reader.nlp.rule_text import SMALL_WORDS, Token, is_capitalised, line_starts, title_case_lines, tokens

QUOTES = "\"'\u201c\u201d\u2018\u2019`\u00ab\u00bb"
#: Lower-case words a name may hold between capitalised ones ("Osama bin Laden").
NAME_PARTICLES = {"bin", "ibn", "al", "el", "de", "del", "da", "di", "du", "van", "von", "der", "la", "le"}
#: Labels a known name never takes over: a language, a book, a law are not places.
KEPT_LABELS = {"LANGUAGE", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT"}

DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'.\-]*[A-Z](?:[ \t]+[A-Z][A-Z'.\-]*[A-Z])*)"
    r"(?:,[ \t]+[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,2})?"
    r"(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*(?::|\u2014|\u2013|--|-)[ \t]"
)
DATELINE_TITLE_CASE = re.compile(r"(?P<place>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2})[ \t]+(?:\u2014|\u2013)[ \t]")
ACRONYM_AFTER = re.compile(r"[ \t]*\((?P<acronym>[A-Z][A-Za-z&.\-]{1,11})\)")


@dataclass
class RuleSet:
    """The patterns and the gazetteer, applied by :meth:`apply`."""

    patterns: Patterns
    places: Gazetteer
    #: The first words of the known names: most words of a text start none.
    first_words: set[str] = field(init=False)
    #: The most words a known name has.
    longest_name: int = field(init=False)

    def __post_init__(self) -> None:
        self.longest_name = max(self.places.longest, max((len(n.split()) for n in self.patterns.entities), default=0))
        self.first_words = {name.split()[0] for name in (*self.patterns.entities, *self.places.addable)}

    @property
    def version(self) -> str:
        return self.patterns.version

    def apply(self, text: str, entities: Sequence[Entity]) -> list[Entity]:
        """``entities`` of ``text`` (normalised, see :func:`reader.nlp.normalise_for_nlp`) put right."""
        words = tokens(text)
        found = [e for e in (clean(text, entity) for entity in entities) if e is not None]
        found, not_entities = self.titles(text, words, found)
        found = datelines(text, found, self.patterns)
        headlines = title_case_lines(text, words)
        found = self.headlines(text, words, found, headlines)
        found = self.known_names(text, words, found, headlines)
        found = acronyms(text, found, not_entities)
        return without_overlaps(found)

    # -- titles -------------------------------------------------------------------------------

    def title_length(self, words: Sequence[Token], index: int, limit: int) -> int:
        """How many words from ``words[index]`` (before ``limit``) form the longest title; 0 if none."""
        for count in self.patterns.title_lengths.get(words[index].key, ()):
            if index + count > limit:
                continue
            part = words[index : index + count]
            if tuple(w.key for w in part) in self.patterns.titles:
                if all(part[i].joined_to(part[i + 1], dotted=True) for i in range(count - 1)):
                    return count
        return 0

    def titles_from(self, words: Sequence[Token], index: int, limit: int) -> tuple[int, int]:
        """(words that are titles, titles) from ``index``: "Chief of Army Staff General" is 5, 2."""
        start, count = index, 0
        if index < limit and words[index].text in ("the", "The"):
            index += 1
        while index < limit:
            length = self.title_length(words, index, limit)
            if not length:
                break
            index, count = index + length, count + 1
        return (index - start, count) if count else (0, 0)

    def name_after(self, words: Sequence[Token], index: int, limit: int) -> int:
        """How many words from ``index`` form a person's name: capitalised words (and particles
        between them), at most five, joined by spaces; 0 if an organisation word is among them."""
        end = index
        while end < limit and end - index < 5:
            word = words[end]
            if end > index and not words[end - 1].joined_to(word, dotted=len(words[end - 1].text) == 1):
                break
            if is_capitalised(word.text):
                end += 1
            elif word.text in NAME_PARTICLES and end + 1 < limit and is_capitalised(words[end + 1].text):
                end += 1
            else:
                break
        while end > index and not is_capitalised(words[end - 1].text):
            end -= 1
        if any(w.key in self.patterns.organisation_words for w in words[index:end]):
            return 0
        return end - index

    def titles(self, text: str, words: list[Token], found: list[Entity]) -> tuple[list[Entity], set[str]]:
        """Titles cut off names, titles alone dropped, titled names the model missed added."""
        kept: list[Entity] = []
        for entity in found:
            first, limit = Token.span_indices(words, entity.start, entity.end)
            consumed, count = self.titles_from(words, first, limit)
            if not consumed:
                kept.append(entity)
                continue
            rest = first + consumed
            if rest >= limit:
                continue  # a title or post alone: not an entity
            name = self.name_after(words, rest, limit)
            if not is_capitalised(words[rest].text):
                kept.append(entity)  # "President of Pakistan": no name follows the title
                continue
            several = consumed - (words[first].text in ("the", "The")) > 1 or limit - rest > 1
            if entity.label == "PERSON" or (
                name == limit - rest and several and not self.is_known(text, words, rest, limit)
            ):
                kept.append(Entity(words[rest].start, entity.end, "PERSON"))
            else:
                kept.append(entity)
        covered = Covered(text, kept)
        not_entities: set[str] = set()
        index = 0
        while index < len(words):
            consumed, _ = self.titles_from(words, index, len(words))
            if not consumed or not is_capitalised(words[index].text):
                index += 1
                continue
            after = index + consumed
            acronym = ACRONYM_AFTER.match(text, words[after - 1].end)
            if acronym is not None:
                not_entities.add(acronym.group("acronym"))
            name = self.name_after(words, after, len(words)) if acronym is None and after < len(words) else 0
            if name and words[after - 1].joined_to(words[after], dotted=len(words[after - 1].text) <= 4):
                start, end = words[after].start, words[after + name - 1].end
                if not covered.any(start, end) and not self.is_known(text, words, after, after + name):
                    kept.append(Entity(start, end, "PERSON"))
                    covered.mark(start, end)
            index = after
        return kept, not_entities

    # -- headlines and known names ------------------------------------------------------------

    def is_known(self, text: str, words: Sequence[Token], first: int, limit: int) -> bool:
        name = text[words[first].start : words[limit - 1].end]
        return name in self.patterns.entities or name in self.places.labels

    def headlines(
        self, text: str, words: list[Token], found: list[Entity], lines: list[tuple[int, int]]
    ) -> list[Entity]:
        """In a Title Case line every word is capitalised, so a span of more than half the line is
        the model reading the capitals as one name: such spans (not PERSON, not a known name) are
        dropped; shorter ones ("Horn of Africa") are kept."""
        if not lines:
            return found
        kept = []
        for entity in found:
            first, limit = Token.span_indices(words, entity.start, entity.end)
            line = next(((start, end) for start, end in lines if start <= entity.start and entity.end <= end), None)
            if line is not None and limit - first >= 3 and entity.label != "PERSON":
                line_first, line_limit = Token.span_indices(words, *line)
                if 2 * (limit - first) > line_limit - line_first and not self.is_known(text, words, first, limit):
                    continue
            kept.append(entity)
        return kept

    def label_of(self, name: str) -> str | None:
        """The label a known name has: the patterns' first, then the gazetteer's."""
        if name.startswith(("the ", "The ")):
            name = name[4:]
        if name in self.patterns.entities:
            return self.patterns.entities[name]
        return None if name in self.patterns.ambiguous else self.places.labels.get(name)

    def known_names(
        self, text: str, words: list[Token], found: list[Entity], headlines: list[tuple[int, int]]
    ) -> list[Entity]:
        """Known names relabelled where the model disagrees, added where it found nothing (in a
        Title Case line, whatever words stand beside them: there every word is capitalised)."""
        relabelled = []
        for entity in found:
            label = self.label_of(text[entity.start : entity.end])
            if label is not None and label != entity.label and entity.label not in KEPT_LABELS:
                entity = Entity(entity.start, entity.end, label)
            relabelled.append(entity)
        covered = Covered(text, relabelled)
        longest = self.longest_name
        in_headline = bytearray(len(text))
        for start, end in headlines:
            in_headline[start:end] = b"\x01" * (end - start)
        index = 0
        while index < len(words):
            added = self.known_at(text, words, index, longest, covered, bool(in_headline[words[index].start]))
            if added is None:
                index += 1
                continue
            relabelled.append(added[0])
            covered.mark(added[0].start, added[0].end)
            index += added[1]
        return relabelled

    def known_at(
        self, text: str, words: list[Token], index: int, longest: int, covered: Covered, headline: bool = False
    ) -> tuple[Entity, int] | None:
        """The known name that starts at ``words[index]`` and may be added, with its word count."""
        if words[index].text not in self.first_words or covered.any(words[index].start, words[index].end):
            return None
        if headline:
            pass
        elif index and is_capitalised(words[index - 1].text) and words[index - 1].joined_to(words[index]):
            if not words[index - 1].starts_sentence(text):
                return None  # the end of a longer name ("Bank Pakistan")
        elif index > 1 and words[index - 1].text == "of" and is_capitalised(words[index - 2].text):
            return None  # "Bank of China"
        for count in range(min(longest, len(words) - index), 0, -1):
            part = words[index : index + count]
            if not all(part[i].joined_to(part[i + 1]) for i in range(count - 1)):
                continue
            name = " ".join(word.text for word in part)
            label = self.patterns.entities.get(name)
            if label is None and name in self.places.addable and name not in self.patterns.ambiguous:
                label = self.places.labels[name]
            if label is None:
                continue
            end = index + count
            if (
                not headline
                and end < len(words)
                and part[-1].joined_to(words[end])
                and is_capitalised(words[end].text)
                and not self.title_length(words, end, len(words))
            ):
                return None  # the start of a longer name ("Pakistan Army"), not of a title ("Kenyan President")
            if covered.any(part[0].start, part[-1].end):
                return None
            return Entity(part[0].start, part[-1].end, label), count
        return None


class Covered:
    """Which characters of a text some entity already covers."""

    def __init__(self, text: str, entities: Sequence[Entity]) -> None:
        self.chars = bytearray(len(text))
        for entity in entities:
            self.mark(entity.start, entity.end)

    def mark(self, start: int, end: int) -> None:
        self.chars[start:end] = b"\x01" * (end - start)

    def any(self, start: int, end: int) -> bool:
        return any(self.chars[start:end])


def clean(text: str, entity: Entity) -> Entity | None:
    """The entity without surrounding quotes, a possessive, unbalanced brackets or trailing
    punctuation (a full stop kept after a short word: "U.S.", "Inc."); None if nothing is left."""
    start, end = entity.start, entity.end
    part = text[start:end]
    if "(" in part and ")" not in part[part.index("(") :]:
        end = start + part.index("(")
    if ")" in part and "(" not in part[: part.index(")")]:
        start += part.index(")") + 1
    while start < end:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in QUOTES):
            start += 1
        while start < end and (text[end - 1].isspace() or text[end - 1] in QUOTES + ",;:"):
            if text[end - 1] == "'" and end - start > 2 and text[end - 2] in "sS" and text[end - 3].isalpha():
                end -= 1  # "Pakistanis'"
                continue
            end -= 1
        if end - start > 2 and text[end - 2 : end] in ("'s", "'S", "\u2019s"):
            end -= 2
        if end > start and text[end - 1] == "." and re.search(r"[a-z]{4,}\.$", text[start:end]):
            end -= 1
        if (start, end) == before:
            break
    return Entity(start, end, entity.label) if start < end else None


def datelines(text: str, found: list[Entity], patterns: Patterns) -> list[Entity]:
    """A line that opens "ISLAMABAD:" or "WASHINGTON —" has its place as GPE; model spans over it
    are cut to what follows it, or dropped."""
    added: list[Entity] = []
    for offset in line_starts(text):
        match = DATELINE.match(text, offset) or DATELINE_TITLE_CASE.match(text, offset)
        if match is None:
            continue
        place = match.group("place")
        if place.upper() in patterns.not_datelines or sum(c.isalpha() for c in place) < 3:
            continue
        start, end = match.span("place")
        kept = []
        for entity in found:
            if entity.start < end and start < entity.end:
                if entity.end > match.end():
                    rest = clean(text, Entity(match.end(), entity.end, entity.label))
                    if rest is not None and any(
                        w.lower() not in SMALL_WORDS for w in text[rest.start : rest.end].split()
                    ):
                        kept.append(rest)  # "NAIROBI: Kenya" -> Kenya; "WASHINGTON — The" -> nothing
                continue
            kept.append(entity)
        found = kept
        added.append(Entity(start, end, "GPE"))
    return found + added


def acronyms(text: str, found: list[Entity], not_entities: set[str]) -> list[Entity]:
    """ "Full Name (ACR)": ACR takes the name's label wherever it stands as a word; a post's
    acronym ("Chief of Army Staff (COAS)") is no entity anywhere."""
    labels: dict[str, str] = {}
    for entity in found:
        match = ACRONYM_AFTER.match(text, entity.end)
        if match is None:
            continue
        acronym = match.group("acronym")
        if acronym not in not_entities and stands_for(acronym, text[entity.start : entity.end]):
            labels.setdefault(acronym, entity.label)
    kept = [e for e in found if text[e.start : e.end] not in not_entities]
    if not labels:
        return kept
    result = [Entity(e.start, e.end, labels.get(text[e.start : e.end], e.label)) for e in kept]
    covered = Covered(text, result)
    for acronym, label in labels.items():
        for match in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            if not covered.any(*match.span()):
                result.append(Entity(match.start(), match.end(), label))
                covered.mark(*match.span())
    return result


def stands_for(acronym: str, name: str) -> bool:
    """Whether ``acronym`` can abbreviate ``name`` (a leading "the" aside), as in Schwartz and
    Hearst's rule: its letters appear in the name in order, the first one the name's first letter
    (ISPR for Inter-Services Public Relations, IGAD for Intergovernmental Authority on Development).
    """
    letters = [c.casefold() for c in acronym if c.isalpha()]
    if name.startswith(("The ", "the ")):
        name = name[4:]
    if sum(c.isupper() for c in acronym) < 2 or not name or letters[0] != name[0].casefold():
        return False
    remaining = iter(name[1:].casefold())
    return all(letter in remaining for letter in letters[1:])


def without_overlaps(found: list[Entity]) -> list[Entity]:
    """In text order, each entity that overlaps none kept before it (the longer first at a place)."""
    kept: list[Entity] = []
    for entity in sorted(set(found), key=lambda e: (e.start, -e.end, e.label)):
        if not kept or entity.start >= kept[-1].end:
            kept.append(entity)
    return kept


def default_rules() -> RuleSet:
    """The shipped patterns with the user's (see :func:`reader.paths.user_patterns_path`)."""
    from reader.nlp.patterns import load_patterns
    from reader.paths import user_patterns_path

    return RuleSet(load_patterns(user_patterns_path()), gazetteer())
