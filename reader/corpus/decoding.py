"""Bytes of an article file to text: UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy
encoding detected by charset-normalizer; line ends made ``\\n``.

A file that is not text (empty, binary, or in no encoding that can be recognised) raises
:class:`Unreadable` with a reason a user can act on; the loader lists it as a problem.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: When several encodings fit equally well, the common ones win: Windows-1252 first (a short
#: Latin-1 text such as "Caf\u00e9" fits a Baltic DOS code page just as well), then the Windows
#: and ISO code pages and the usual CJK encodings, before old DOS and Mac code pages.
PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")
COMMON_LEGACY = (
    "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "koi8_r", "koi8_u",
    "big5", "gb2312", "gb18030", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949",
)  # fmt: skip

#: How much more "chaos" (charset-normalizer's measure of garbled text) than the best match a
#: common encoding may show and still be preferred.
CHAOS_MARGIN = 0.02

#: C0 control characters that plain text does not contain (tab, line ends and form feed do).
_CONTROL_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B})


NOT_REGULAR = "it is not a regular file (a pipe, socket or device); reader reads only files"


class Unreadable(ValueError):
    """The bytes are not article text; the message says why, for a user."""


@dataclass(frozen=True)
class Decoded:
    """The text (line ends ``\\n``) and the encoding it was read with (a Python codec name)."""

    text: str
    encoding: str


def normalise_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(raw: bytes, encoding: str | None = None) -> Decoded:
    """The text of ``raw``: UTF-8 when it is; else ``encoding`` (from a previous read, or the
    file's own declaration) if it fits; else a detected legacy encoding.

    Raises :class:`Unreadable` for empty, binary and undecodable files.
    """
    if not raw.strip():
        raise Unreadable("the file is empty")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return _decoded(raw, codec)
    if b"\x00" in raw or _looks_binary(raw):
        raise Unreadable("the file is binary, not text")
    try:
        return _decoded(raw, "utf-8")
    except Unreadable as error:
        utf8_error = str(error)
    if encoding is not None and encoding not in ("utf-8", "utf-8-sig"):
        try:
            return _decoded(raw, encoding)
        except (Unreadable, LookupError):
            pass
    detected = detect_legacy(raw)
    if detected is None:
        raise Unreadable(f"{utf8_error}, and its encoding could not be recognised; save it as UTF-8")
    return _decoded(raw, detected)


def _decoded(raw: bytes, codec: str) -> Decoded:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as error:
        raise Unreadable(f"the file is not {codec.upper()} text (byte {error.start} cannot be decoded)") from None
    if not text.strip():
        raise Unreadable("the file is empty")
    return Decoded(normalise_line_ends(text), codec)


def _looks_binary(raw: bytes) -> bool:
    """More than 1 in 20 of the first 8 KiB are control bytes that text never has."""
    head = raw[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)


def detect_legacy(raw: bytes) -> str | None:
    """The most likely single-byte (or CJK) encoding of ``raw``, or None if nothing fits."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    if not matches:
        return None
    best = matches[0]
    close = [match for match in matches if match.chaos <= best.chaos + CHAOS_MARGIN]
    for encoding in PREFERRED_LEGACY:
        if any(match.encoding == encoding for match in close):
            return encoding
    common = [match for match in close if match.encoding in COMMON_LEGACY]
    if common:
        return max(common, key=lambda match: match.coherence).encoding
    return best.encoding


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``; :class:`Unreadable` if it is not a regular file (a pipe put in
    its place would otherwise block the app until something writes to it), OSError as usual."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise Unreadable(NOT_REGULAR)
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
