"""Documents as read: their text, where it came from, and the decoding and limits every reader shares."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kcorpus import defaults
from kcorpus import lazy_re as re  # the sniffing patterns (~6 ms to compile) wait for a file to be read
from kcorpus.errors import KcorpusError, UsageError

SNIFF_BYTES = 8192
MB = 1024 * 1024
# Limits no real report reaches; each ends a hostile input (/dev/zero, a zip bomb, a 50 MB line) in seconds.


@dataclass(frozen=True)
class Document:
    """One text to analyse, with where it came from."""

    id: str
    text: str
    encoding: str
    source: str  # the file it was read from ("-" for stdin)
    is_table_row: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # read, but not exactly as written (e.g. an invalid byte replaced)
    # "text": plain text, fully repaired; "wrapped" (PDF): blank-line paragraphs whose inner newlines are
    # layout wraps; "paragraphs" (HWPX, DOCX, HWP): final paragraphs, not repaired
    layout: str = "text"
    positions: tuple[tuple[int, int], ...] | None = None  # (page, line on page) of each 1-based line of text
    reader: str = ""  # the reader and its version ("pdf/1"), part of the token-cache key; "" for text
    removed: tuple[tuple[str, str, str], ...] = ()  # what the reader left out: (page, rule, text), for clean --report

    def place(self, line: int) -> tuple[int | None, int]:
        """(page, line on page) of a 1-based line of `text`; (None, line) for a source without pages."""
        if not self.positions:
            return None, line
        return self.positions[min(max(line, 1), len(self.positions)) - 1]


@dataclass(frozen=True)
class Skipped:
    """An input that was not analysed, and why."""

    id: str
    reason: str
    encoding: str = ""


@dataclass(frozen=True)
class SourceOptions:
    """How to read inputs."""

    encoding: str | None = None
    text_column: str = "text"
    id_column: str | None = None
    max_doc_bytes: int = defaults.MAX_DOC_MB * MB
    max_line_chars: int = defaults.MAX_LINE_CHARS
    exclude: frozenset[str] = frozenset()  # real paths never read as documents (the --meta sidecar)


class SourceError(KcorpusError):
    """Raised when bytes cannot be turned into text."""


def check_encoding(name: str | None) -> str | None:
    """Validate an --encoding value; returns Python's codec name."""
    if name is None:
        return None
    try:
        codec = codecs.lookup(name).name
        "a".encode(codec)  # a codec that is not a text encoding (hex, base64, zlib) raises LookupError here
        return codec
    except LookupError:
        raise UsageError(
            f"unknown text encoding {name!r}: use e.g. --encoding utf-8, cp949, euc-kr or utf-16"
        ) from None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; returns (text, encoding name). Raises SourceError with the reason."""
    text, name, _ = decode_text(data, encoding)
    return text, name


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str, tuple[str, ...]]:
    """Decode a file's bytes: (text, encoding name, warnings). Raises SourceError with the reason.

    Detection order: BOM, UTF-8, EUC-KR, CP949; a UTF-8 text with at most a few invalid bytes (a file cut
    short, one damaged byte) is read with U+FFFD in their place and a warning naming their offsets.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding, ()
        except UnicodeDecodeError as exc:
            raise SourceError(f"not valid {encoding} ({exc.reason} at byte {exc.start})") from None
        except LookupError:
            raise SourceError(f"{encoding!r} is not a text encoding: pass e.g. --encoding utf-8 or cp949") from None
    if not data.strip():
        raise SourceError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return (*_strict(data[len(codecs.BOM_UTF8) :], "utf-8", "utf-8-sig"), ())
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (*_strict(data, "utf-16", "utf-16"), ())
    head = data[:SNIFF_BYTES]
    if head.startswith(b"%PDF-"):
        raise SourceError("PDF file: extract its text first (e.g. pdftotext FILE.pdf)")
    if b"\x00" in head:
        raise SourceError(_nul_reason(head))
    for name in ("utf-8", "euc-kr", "cp949"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise SourceError("binary file (mostly control characters)")
        return text, name, ()
    damaged = _invalid_utf8_offsets(data, MAX_REPLACED_BYTES + 1)
    if len(damaged) <= MAX_REPLACED_BYTES:
        text = data.decode("utf-8", "replace")
        if not _looks_binary(text):
            where = ", ".join(f"{offset:,}" for offset in damaged)
            return text, "utf-8", (f"invalid UTF-8 at byte offset {where} replaced with U+FFFD",)
    raise SourceError("cannot decode as UTF-8, UTF-16 or CP949/EUC-KR: pass the right --encoding")


MAX_REPLACED_BYTES = 3  # invalid UTF-8 sequences tolerated in an otherwise UTF-8 file


def _invalid_utf8_offsets(data: bytes, most: int) -> list[int]:
    """Byte offsets of the first `most` invalid UTF-8 sequences in data."""
    offsets: list[int] = []
    position = 0
    while len(offsets) < most:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            offsets.append(position + exc.start)
            position += exc.end
    return offsets


_OFFICE_FORMATS = {  # other office files, known by their first bytes: what to convert them to
    b"application/vnd.oasis.opendocument": "an OpenDocument file (.odt/.ods/.odp)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an old Office file (.doc/.xls/.ppt) or another OLE file",
    b"PK\x03\x04": "a zip archive (another office format?)",
}


def _nul_reason(head: bytes) -> str:
    """Why a file with NUL bytes is skipped: another office format (and what to convert it to), UTF-16
    without a BOM (with its byte order), or binary."""
    for signature, what in _OFFICE_FORMATS.items():
        if signature in head[:100]:
            return f"binary file: {what}; save it as PDF, DOCX or HWPX, which kcorpus reads"
    best, best_score = None, 0
    for codec in ("utf-16-le", "utf-16-be"):
        sample = head[: len(head) // 2 * 2].decode(codec, "replace")
        score = len(_COMMON_CHARS.findall(sample))  # ASCII and Hangul syllables: few in the wrong byte order
        if sample.strip() and _mostly_text(sample) and score > best_score:
            best, best_score = codec, score
    if best:
        return f"binary file (contains NUL bytes); if it is UTF-16 without a BOM pass --encoding {best}"
    return "binary file (contains NUL bytes)"


_COMMON_CHARS = re.compile("[\t\n\r -~\uac00-\ud7a3]")
_TEXT_CHARS = re.compile(
    "[\t\n\r\f -~\u00a0-\u00ff\u1100-\u11ff\u2000-\u206f\u3000-\u303f\u3130-\u318f"
    "\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uffef]"
)


def _mostly_text(sample: str) -> bool:
    """At least 90% of the characters are ones Korean text is written with (not a decoding of binary)."""
    return len(_TEXT_CHARS.findall(sample)) >= 0.9 * len(sample)


def _strict(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(f"invalid {label} ({exc.reason} at byte {exc.start}): pass the right --encoding") from None
    if not text.strip():
        raise SourceError("empty file")
    return text, label


_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # below a space, but for \t \n \v \f \r


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    return len(_BINARY_CONTROL.findall(sample)) > max(8, len(sample) // 20)


def read_limited(file: Path | None, limit: int, what: str, flag: str, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of a file (None: stdin), or SourceError when they exceed `limit` bytes.

    Devices and pipes (/dev/zero, stdin) are read in chunks and stopped at the limit, never to the end.
    """
    if file is not None:
        try:
            info = file.stat()
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror}") from None
        if stat.S_ISREG(info.st_mode):
            if info.st_size > limit:
                raise SourceError(f"{what} of {info.st_size / MB:,.1f} MB is larger than {flag} {limit / MB:,.0f} MB")
            try:
                return file.read_bytes()
            except OSError as exc:
                raise SourceError(f"cannot read: {exc.strerror}") from None
    chunks, size = [], 0
    try:
        stream = open(file, "rb") if file is not None else (stdin if stdin is not None else sys.stdin.buffer)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}") from None
    try:
        while size <= limit:
            chunk = stream.read(min(MB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}") from None
    finally:
        if file is not None:
            stream.close()
    if size > limit:
        raise SourceError(f"{what} is larger than {flag} {limit / MB:,.0f} MB (a device or an endless stream?)")
    return b"".join(chunks)


def display_name(path: str | os.PathLike) -> str:
    """A path as text that can always be printed and written on one line: bytes that are not UTF-8 and
    control characters (a newline, an escape) escaped as Python writes them (\\n, \\x1b)."""
    if isinstance(path, str) and path.isprintable():  # the common case: nothing to escape
        return path
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)  # \n, \t, \x1b


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def checked_document(doc: Document, options: SourceOptions) -> Document | Skipped:
    """The document (its decomposed Hangul composed), or a skip when its text exceeds the per-document or
    per-line limit."""
    if doc.positions is None and _CONJOINING_JAMO.search(doc.text):
        from dataclasses import replace

        doc = replace(doc, text=composed_hangul(doc.text))
    size = len(doc.text.encode("utf-8", "surrogatepass")) if len(doc.text) * 4 > options.max_doc_bytes else 0
    if size > options.max_doc_bytes:
        return Skipped(
            doc.id,
            f"text of {size / MB:,.1f} MB is larger than --max-doc-mb {options.max_doc_bytes / MB:,.0f}",
            doc.encoding,
        )
    if len(doc.text) > options.max_line_chars:
        number, length = _longest_line(doc.text)
        if length > options.max_line_chars:
            return Skipped(
                doc.id,
                f"line {number} has {length:,} characters, more than --max-line-chars "
                f"{options.max_line_chars:,} (not running text?)",
                doc.encoding,
            )
    return doc


_CONJOINING_JAMO = re.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")
_HANGUL_RUN = re.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\uac00-\ud7a3]+")


def composed_hangul(text: str) -> str:
    """Hangul written as conjoining jamo (NFD, as macOS file systems and some editors write it: 한 as
    ᄒ+ᅡ+ᆫ) as syllables (NFC), so it is analysed, counted and searched as the same words. Only Hangul is
    touched (NFC of everything would also change CJK compatibility ideographs); jamo of old Hangul with
    no precomposed syllable stay as they are."""
    import unicodedata

    return _HANGUL_RUN.sub(lambda run: unicodedata.normalize("NFC", run.group()), text)


def _longest_line(text: str) -> tuple[int, int]:
    """(1-based number, length) of the longest line."""
    lengths = list(map(len, text.split("\n")))
    longest = max(lengths)
    return lengths.index(longest) + 1, longest


def _no_surrogates(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates (JSON "\\ud800") become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
