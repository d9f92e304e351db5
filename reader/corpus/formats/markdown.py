"""``.md`` articles: optional YAML front matter (title, date, source, url), then Markdown.

The Markdown is read with markdown-it (a CommonMark parser) and shown as plain paragraphs: one
line for each paragraph, heading, list item or quote, and each line of a code block; emphasis and
link syntax are dropped, their words kept. Without a ``title`` in the front matter, a first
heading (or a first paragraph short enough to be one) is the title and is not repeated below it;
else the file name is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.corpus.decoding import Unreadable
from reader.corpus.formats.common import (
    MAX_TITLE,
    Entry,
    FileContent,
    compose,
    optional_text,
    parse_date,
    short_title,
)

SUFFIXES = (".md", ".markdown")

_FENCES = ("---", "...")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter as a mapping (empty if there is none) and the Markdown after it.

    Raises :class:`Unreadable` when a front matter block is there but is not a YAML mapping.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    closing = next((number for number, line in enumerate(lines) if number and line.strip() in _FENCES), None)
    if closing is None:
        return {}, text
    import yaml

    block = "\n".join(lines[1:closing])
    try:
        meta = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise Unreadable(f"the YAML front matter cannot be read{where}; fix it or remove it") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise Unreadable("the YAML front matter is not a list of fields (title: ..., date: ...)")
    return meta, "\n".join(lines[closing + 1 :])


def markdown_blocks(markdown: str) -> list[tuple[str, str]]:
    """(kind, plain text) for each block: ``heading``, ``paragraph``, ``item``, ``code``."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    blocks: list[tuple[str, str]] = []
    context: list[str] = []
    for index, token in enumerate(tokens):
        if token.type.endswith("_open"):
            context.append(token.type.removesuffix("_open"))
        elif token.type.endswith("_close"):
            if context:
                context.pop()
        elif token.type == "inline":
            words = _inline_text(token.children or [])
            if "heading" in context[-1:]:
                blocks.append(("heading", words))
            elif "list_item" in context:
                first_in_item = tokens[index - 2].type == "list_item_open" if index >= 2 else False
                blocks.append(("item", ("\u2022 " if first_in_item else "") + words))
            else:
                blocks.append(("paragraph", words))
        elif token.type in ("fence", "code_block"):
            blocks.extend(("code", line) for line in token.content.rstrip("\n").split("\n"))
        elif token.type == "html_block":
            blocks.append(("paragraph", token.content.strip()))
    return blocks


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def load(text: str, path: Path) -> FileContent:
    meta, body = split_front_matter(text)
    blocks = markdown_blocks(body)
    title = optional_text(meta.get("title"))
    if title is None and blocks and (blocks[0][0] == "heading" or len(blocks[0][1]) <= MAX_TITLE):
        title = optional_text(blocks[0][1])
        blocks = blocks[1:]
    title = short_title(title or path.stem)
    article_date = parse_date(meta.get("date"))
    displayed = compose(title, article_date, (words for _, words in blocks))
    return FileContent(
        [Entry(displayed, title, article_date, optional_text(meta.get("source")), optional_text(meta.get("url")))]
    )
