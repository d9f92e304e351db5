"""Load a corpus folder: every ``.txt`` article below it, and a list of files that could not be.

An article file is UTF-8 text: line 1 the title, line 2 an ISO date (optional), then one
paragraph a line. A file that cannot be read is reported as a :class:`Problem` and skipped, so
one bad file never hides the rest of the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from reader.corpus.article import Article, text_sha256
from reader.safe_text import inert

ARTICLE_SUFFIXES = (".txt",)


class CorpusError(Exception):
    """The corpus as a whole cannot be opened (missing folder, not a folder)."""


@dataclass(frozen=True)
class Problem:
    """A file that was skipped, and why, in words a user can act on."""

    path: Path
    reason: str


@dataclass
class Corpus:
    root: Path
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, article_id: str) -> Article | None:
        return next((article for article in self.articles if article.id == article_id), None)


def parse_date(line: str) -> str | None:
    """The ISO date (or date-time) on a line, normalised to ``YYYY-MM-DD``; None if it is not one."""
    candidate = line.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(candidate).isoformat()[:10]
        except ValueError:
            continue
    return None


def decode_article(raw: bytes) -> str:
    """The file's text as displayed: UTF-8 (a BOM dropped), line ends made ``\\n``.

    Raises ValueError with a user-facing reason for files that are not article text.
    """
    if not raw.strip():
        raise ValueError("the file is empty")
    if b"\x00" in raw:
        raise ValueError("the file is binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"the file is not UTF-8 text (byte {error.start} cannot be decoded)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")


def read_article(path: Path, article_id: str) -> Article:
    text = decode_article(path.read_bytes())
    lines = text.split("\n")
    title = inert(lines[0].strip() or path.stem)
    article_date = parse_date(lines[1]) if len(lines) > 1 else None
    return Article(id=article_id, title=title, date=article_date, path=path, text=text, sha256=text_sha256(text))


def load_corpus(root: str | Path) -> Corpus:
    """Every article below ``root``, newest first; unreadable files listed as problems."""
    root = Path(root).expanduser()
    if not root.exists():
        raise CorpusError(f"The corpus folder {root} does not exist. Give the path of a folder of .txt articles.")
    if not root.is_dir():
        raise CorpusError(f"{root} is a file, not a folder. Give the folder that holds the articles.")
    corpus = Corpus(root=root)
    taken: set[str] = set()
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()):
        article_id = path.stem if path.stem not in taken else path.relative_to(root).with_suffix("").as_posix()
        try:
            article = read_article(path, article_id)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            corpus.problems.append(Problem(path, reason))
            continue
        taken.add(article.id)
        corpus.articles.append(article)
    corpus.articles.sort(key=lambda a: a.title.casefold())
    corpus.articles.sort(key=lambda a: a.date or "", reverse=True)
    return corpus
