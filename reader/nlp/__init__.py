"""Named entities: spaCy stays behind this door; the rest of reader sees :class:`Entity` values."""

from reader.nlp.entities import DEFAULT_MODEL, EntityRecognizer, ModelUnavailable, normalise_for_nlp
from reader.nlp.model import Entity
from reader.nlp.recognition import Cancelled, Progress

__all__ = [
    "DEFAULT_MODEL",
    "Cancelled",
    "Entity",
    "EntityRecognizer",
    "ModelUnavailable",
    "Progress",
    "normalise_for_nlp",
]
