"""Export and import formats for annotations, one module a format, chosen by name in the registry.

``json`` (:mod:`.native_json`), ``jsonl`` (:mod:`.jsonl`), ``w3c`` (:mod:`.w3c`), ``brat``
(:mod:`.brat`) and ``csv`` (:mod:`.csv_format`), and for import only ``hypothesis``
(:mod:`.hypothesis`); :mod:`.registry` writes, detects and loads them.
"""

from annotations.formats.exchange import EntitySpan, Export, Imported, Tokenizer
from annotations.formats.fields import FormatError
from annotations.formats.registry import (
    DEFAULT_FORMAT,
    EXPORT_FORMATS,
    FORMATS,
    IMPORT_FORMATS,
    Format,
    detect,
    get,
    load,
    render,
    write,
)

__all__ = [
    "DEFAULT_FORMAT",
    "EXPORT_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "EntitySpan",
    "Export",
    "Format",
    "FormatError",
    "Imported",
    "Tokenizer",
    "detect",
    "get",
    "load",
    "render",
    "write",
]
