"""The domain core of reader: annotations, their anchoring to text, their store and formats.

Plain Python only: nothing here imports Textual, spaCy or the ``reader`` package, so the
core can be used (and tested) without a terminal or an NLP model.
"""

from annotations.model import Annotation, ArticleRef, normalise_tag
from annotations.store import AnnotationStore, StoreError

__all__ = ["Annotation", "AnnotationStore", "ArticleRef", "StoreError", "normalise_tag"]
