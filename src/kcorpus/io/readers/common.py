"""What the readers share: their output shape (paragraphs, with page positions or without), bounded zip
members and XML parsed without DTDs or entities."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterable

from kcorpus.io.documents import MB, SourceError

MAX_MEMBER_BYTES = 64 * MB  # one XML part of a report; a zip bomb inflates past it and is stopped there
MAX_TOTAL_BYTES = 256 * MB
_BLANK_LINES = re.compile(r"\n[ \t\f\v\r]*\n[\s]*")

Line = tuple[str, int, int]  # text, page, line on page


def paragraphs_text(paragraphs: Iterable[str]) -> str:
    """Final paragraphs as text: one blank line between them, none inside one, empty ones left out."""
    kept = (_BLANK_LINES.sub("\n", text.strip()) for text in paragraphs)
    return "\n\n".join(text for text in kept if text)


def paginated_text(paragraphs: Iterable[list[Line]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Wrapped paragraphs as text (lines joined by a newline, paragraphs by a blank line) and the
    (page, line on page) of every line of that text; a blank line takes the place of the line before it."""
    lines: list[str] = []
    places: list[tuple[int, int]] = []
    for paragraph in paragraphs:
        rows = [(text.replace("\n", " "), page, line) for text, page, line in paragraph if text.strip()]
        if not rows:
            continue
        if lines:
            lines.append("")
            places.append(places[-1])
        for text, page, line in rows:
            lines.append(text)
            places.append((page, line))
    return "\n".join(lines), tuple(places)


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """The archive of an HWPX/DOCX file, or SourceError for a damaged one or one that inflates too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise SourceError(f"not a readable {what} file (damaged or truncated zip)") from None
    if sum(member.file_size for member in members) > MAX_TOTAL_BYTES:
        raise SourceError(f"{what} file inflates to more than {MAX_TOTAL_BYTES // MB} MB (a zip bomb?)")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """One member's bytes, read no further than the limit whatever its header claims."""
    try:
        with archive.open(name) as stream:
            data = stream.read(MAX_MEMBER_BYTES + 1)
    except KeyError:
        raise SourceError(f"not a {what} file: {name} is missing") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise SourceError(f"not a readable {what} file ({name} is damaged or truncated)") from None
    if len(data) > MAX_MEMBER_BYTES:
        raise SourceError(f"{what} part {name} inflates to more than {MAX_MEMBER_BYTES // MB} MB (a zip bomb?)")
    return data


def parse_xml(data: bytes, name: str):
    """The root element of an XML part; DTDs, entities and external references are refused."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise SourceError(f"{name} declares a DTD or entities (refused: an XML bomb or external reference?)") from None
    except ParseError as exc:
        raise SourceError(f"{name} is not well-formed XML ({exc})") from None


def local(tag) -> str:
    """An element's tag without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
