"""reader: a keyboard-driven terminal reader for news articles with entities and annotations."""

__version__ = "0.1.0"
