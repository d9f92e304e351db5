"""Reading a folder of articles into :class:`Article` values."""

from reader.corpus.article import Article
from reader.corpus.loader import Corpus, CorpusError, Problem, load_corpus

__all__ = ["Article", "Corpus", "CorpusError", "Problem", "load_corpus"]
