"""Readers of the formats report drops come in (PDF, HWPX, HWP 5.0, DOCX), chosen by magic bytes and suffix.

Each reader turns a file's bytes into a Document's text and layout, or raises SourceError with the reason;
its module (and the library it needs) is imported only when a file of its kind is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from kcorpus.io.documents import SourceError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = {".pdf": "pdf", ".hwpx": "hwpx", ".hwp": "hwp", ".docx": "docx"}


@dataclass(frozen=True)
class Read:
    """What a reader gives: the text, its layout and the page positions of its lines (None: no pages)."""

    text: str
    layout: str
    reader: str
    positions: tuple[tuple[int, int], ...] | None = None
    removed: tuple[tuple[str, str, str], ...] = ()  # (where, rule, text) of every line the reader left out


def format_of(suffix: str, data: bytes) -> str | None:
    """The reader for a file ('pdf', 'hwpx', 'hwp', 'docx'), None for text: by its bytes first (a DOCX
    named .txt is read as DOCX), then by its suffix; SourceError when the suffix promises a format the bytes
    do not have."""
    head = data[:1024]
    if PDF_MAGIC in head:  # the header may follow a little junk (the PDF reference allows 1 KB)
        return "pdf"
    inside = _container_kind(data)
    if inside is not None:
        return inside
    kind = SUFFIXES.get(suffix)
    if kind is None:
        return None
    expected = {"pdf": PDF_MAGIC, "hwpx": ZIP_MAGIC, "docx": ZIP_MAGIC, "hwp": OLE_MAGIC}[kind]
    if not head.startswith(expected):
        raise SourceError(f"named {suffix} but is not a {kind.upper()} file ({_looks_like(head)})")
    return kind


def _container_kind(data: bytes) -> str | None:
    """'docx', 'hwpx' or 'hwp' from what a zip or OLE container holds (its directory only; nothing is
    inflated), None for anything else or a container that cannot be opened (its reader then says why)."""
    import io

    try:
        if data.startswith(ZIP_MAGIC):
            import zipfile

            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
            if "word/document.xml" in names:
                return "docx"
            if "Contents/content.hpf" in names or any(n.startswith("Contents/section") for n in names):
                return "hwpx"
        elif data.startswith(OLE_MAGIC):
            import olefile

            ole = olefile.OleFileIO(io.BytesIO(data))
            if ole.exists("FileHeader") and ole.exists("BodyText"):
                return "hwp"
    except Exception:  # noqa: BLE001 - a damaged container: decided by its suffix, its reader says what is wrong
        return None
    return None


def _looks_like(head: bytes) -> str:
    start = head.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return "it is HTML: a web page or a download error saved under this name?"
    if not head.strip():
        return "it is empty"
    if head.startswith(b"HWP Document File V3"):
        return "it is HWP 3.0: save it as HWPX or HWP 5.0 in Hancom Office"
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return "it is another kind of office file"
    return "its first bytes are not the format's signature: damaged or misnamed?"


def read_bytes(kind: str, data: bytes) -> Read:
    """Run the reader for `kind` on a file's bytes; SourceError when it holds no text."""
    read = _read(kind, data)
    if not read.text.strip():
        raise SourceError(f"no text in this {kind.upper()} file")
    return read


def _read(kind: str, data: bytes) -> Read:
    if kind == "pdf":
        from kcorpus.io.readers import pdf

        text, positions, removed = pdf.read_pdf(data)
        return Read(text, "wrapped", f"pdf/{pdf.VERSION}", positions, removed)
    if kind == "hwpx":
        from kcorpus.io.readers import hwpx

        return Read(hwpx.read_hwpx(data), "paragraphs", f"hwpx/{hwpx.VERSION}")
    if kind == "docx":
        from kcorpus.io.readers import docx

        return Read(docx.read_docx(data), "paragraphs", f"docx/{docx.VERSION}")
    from kcorpus.io.readers import hwp

    return Read(hwp.read_hwp(data), "paragraphs", f"hwp/{hwp.VERSION}")
