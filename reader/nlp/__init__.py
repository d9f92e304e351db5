"""Named entities: spaCy stays behind this door; the rest of reader sees :class:`Entity` values."""

from reader.nlp.entities import DEFAULT_MODEL, Entity, EntityRecognizer, ModelUnavailable, normalise_for_nlp

__all__ = ["DEFAULT_MODEL", "Entity", "EntityRecognizer", "ModelUnavailable", "normalise_for_nlp"]
