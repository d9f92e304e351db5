"""Reading a folder of articles (in several formats) into :class:`Article` values, fast."""

from reader.corpus.article import Article, ArticleUnavailable
from reader.corpus.loader import Corpus, CorpusError, Problem, load_corpus

__all__ = ["Article", "ArticleUnavailable", "Corpus", "CorpusError", "Problem", "load_corpus"]
