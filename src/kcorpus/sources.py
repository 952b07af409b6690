"""Read documents from files, directories, globs, stdin and tabular files, in any common encoding."""

from __future__ import annotations

import codecs
import glob
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from kcorpus.errors import KcorpusError, UsageError

TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".xlsx")
GLOB_CHARS = set("*?[")
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Document:
    """One text to analyse, with where it came from."""

    id: str
    text: str
    encoding: str
    source: str  # the file it was read from ("-" for stdin)
    is_table_row: bool = False
    meta: dict[str, str] = field(default_factory=dict)


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


class SourceError(KcorpusError):
    """Raised when bytes cannot be turned into text."""


def bundled_corpus_dir() -> Path:
    """The sample corpus shipped with kcorpus."""
    return data_dir("corpus")


def bundled_corpus_glob() -> str:
    """The bundled reports (the folder's README is not one of them)."""
    return str(bundled_corpus_dir() / "*.txt")


def data_dir(name: str) -> Path:
    """A folder of bundled data: inside the installed package, or at the repository root."""
    installed = Path(__file__).resolve().parent / "_data" / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / name


def check_encoding(name: str | None) -> str | None:
    """Validate an --encoding value; returns Python's codec name."""
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"unknown encoding {name!r}: use e.g. --encoding utf-8, cp949, euc-kr or utf-16") from None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; returns (text, encoding name). Raises SourceError with the reason."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise SourceError(f"not valid {encoding} ({exc.reason} at byte {getattr(exc, 'start', '?')})") from None
    if not data.strip():
        raise SourceError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    head = data[:SNIFF_BYTES]
    if head.startswith(b"%PDF-"):
        raise SourceError("PDF file: extract its text first (e.g. pdftotext FILE.pdf)")
    if b"\x00" in head:
        raise SourceError("binary file (contains NUL bytes); if it is UTF-16 without a BOM pass --encoding utf-16-le")
    for name in ("utf-8", "euc-kr", "cp949"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise SourceError("binary file (mostly control characters)")
        return text, name
    raise SourceError("cannot decode as UTF-8, UTF-16 or CP949/EUC-KR: pass the right --encoding")


def _strict(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(f"invalid {label} ({exc.reason} at byte {exc.start}): pass the right --encoding") from None
    if not text.strip():
        raise SourceError("empty file")
    return text, label


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return control > max(8, len(sample) // 20)


def read_sources(
    paths: list[str], options: SourceOptions = SourceOptions(), stdin: BinaryIO | None = None
) -> Iterator[Document | Skipped]:
    """Yield every document (or the reason it was skipped) from the given paths, in a stable order."""
    seen_files: set[Path] = set()
    seen_ids: set[str] = set()
    for arg in paths:
        for file, doc_id in _expand(arg, several=len(paths) > 1):
            if file is None:
                yield from _unique(_read_stdin(stdin, options), seen_ids)
                continue
            resolved = file.resolve()
            if resolved in seen_files:
                yield Skipped(doc_id, "listed twice; read once")
                continue
            seen_files.add(resolved)
            yield from _unique(_read_file(file, doc_id, options), seen_ids)


def _unique(items: Iterator[Document | Skipped], seen_ids: set[str]) -> Iterator[Document | Skipped]:
    for item in items:
        if isinstance(item, Document) and item.id in seen_ids:
            n = 2
            while f"{item.id}~{n}" in seen_ids:
                n += 1
            item = Document(f"{item.id}~{n}", item.text, item.encoding, item.source, item.is_table_row, item.meta)
        seen_ids.add(item.id)
        yield item


def _expand(arg: str, several: bool) -> Iterator[tuple[Path | None, str]]:
    """(file, document id) pairs for one path argument; (None, '-') for stdin."""
    if arg == "-":
        yield None, "-"
        return
    path = Path(arg)
    if path.is_dir():
        prefix = f"{path.resolve().name}/" if several else ""
        files = sorted(
            p for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            raise UsageError(f"directory {arg} contains no files")
        for p in files:
            yield p, prefix + p.relative_to(path).as_posix()
    elif path.is_file():
        yield path, path.as_posix() if several else path.name
    elif GLOB_CHARS & set(arg):
        matches = sorted(m for m in glob.glob(arg, recursive=True) if os.path.isfile(m))
        if not matches:
            raise UsageError(f"no files match {arg!r}")
        base = _glob_base(arg)
        for m in matches:
            yield Path(m), Path(os.path.relpath(m, base)).as_posix()
    elif path.exists():
        raise UsageError(f"{arg} is not a regular file or directory")
    else:
        raise UsageError(f"path {arg} does not exist: check the spelling, or pass a directory of .txt files")


def _glob_base(pattern: str) -> str:
    """The directory part of a glob before its first wildcard."""
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if GLOB_CHARS & set(p))]]
    return str(Path(*fixed)) if fixed else "."


def _read_stdin(stdin: BinaryIO | None, options: SourceOptions) -> Iterator[Document | Skipped]:
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        text, encoding = decode_bytes(stream.read(), options.encoding)
    except SourceError as exc:
        yield Skipped("-", exc.message)
        return
    yield Document("-", text, encoding, "-", meta={"file": "-", "folder": "."})


def _read_file(file: Path, doc_id: str, options: SourceOptions) -> Iterator[Document | Skipped]:
    try:
        data = file.read_bytes()
    except OSError as exc:
        yield Skipped(doc_id, f"cannot read: {exc.strerror}")
        return
    file_meta = {"file": doc_id, "folder": Path(doc_id).parent.as_posix()}
    suffix = file.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        yield from _read_table(data, suffix, doc_id, file_meta, options)
        return
    try:
        text, encoding = decode_bytes(data, options.encoding)
    except SourceError as exc:
        yield Skipped(doc_id, exc.message)
        return
    yield Document(doc_id, text, encoding, str(file), meta=file_meta)


def _read_table(
    data: bytes, suffix: str, file_id: str, file_meta: dict[str, str], options: SourceOptions
) -> Iterator[Document | Skipped]:
    """One document per row of a csv/tsv/jsonl/xlsx file."""
    try:
        if suffix == ".xlsx":
            rows, encoding = _xlsx_rows(data), "xlsx"
        else:
            text, encoding = decode_bytes(data, options.encoding)
            rows = _jsonl_rows(text) if suffix == ".jsonl" else _delimited_rows(text, "\t" if suffix == ".tsv" else ",")
    except SourceError as exc:
        yield Skipped(file_id, exc.message)
        return
    if not rows:
        yield Skipped(file_id, "table has no rows", encoding)
        return
    wanted = [c for c in (options.text_column, options.id_column) if c]
    present = {key for _, row in rows if isinstance(row, dict) for key in row}
    missing = [c for c in wanted if c not in present]
    if missing:
        available = ", ".join(sorted(present)) or "none"
        flag = "--text-column" if missing[0] == options.text_column else "--id-column"
        yield Skipped(file_id, f"no column {missing[0]!r} (columns: {available}): pass {flag}", encoding)
        return
    for line_no, row in rows:
        row_id = f"{file_id}#{line_no}"
        if isinstance(row, str):
            yield Skipped(row_id, row, encoding)
            continue
        if options.id_column and str(row.get(options.id_column, "")).strip():
            row_id = str(row[options.id_column]).strip()
        text = row.get(options.text_column)
        text = "" if text is None else str(text)
        if not text.strip():
            yield Skipped(row_id, f"empty {options.text_column!r} cell", encoding)
            continue
        meta = dict(file_meta)
        meta.update({k: _cell(v) for k, v in row.items() if k not in wanted})
        yield Document(row_id, text, encoding, file_id, is_table_row=True, meta=meta)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _delimited_rows(text: str, delimiter: str) -> list[tuple[int, dict | str]]:
    import csv

    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(i + 2, {k: v for k, v in r.items() if k is not None}) for i, r in enumerate(reader)]
    except csv.Error as exc:
        raise SourceError(f"malformed {'TSV' if delimiter == chr(9) else 'CSV'}: {exc}") from None
    if reader.fieldnames is None:
        raise SourceError("table has no header row")
    return rows


def _jsonl_rows(text: str) -> list[tuple[int, dict | str]]:
    rows: list[tuple[int, dict | str]] = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((i, f"invalid JSON ({exc.msg})"))
            continue
        rows.append((i, value if isinstance(value, dict) else f"not a JSON object ({type(value).__name__})"))
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, dict | str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SourceError(f"not a readable .xlsx workbook ({exc})") from None
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    book.close()
    if not values:
        return []
    header = [str(h) if h is not None else f"column{i + 1}" for i, h in enumerate(values[0])]
    return [(i + 2, dict(zip(header, row))) for i, row in enumerate(values[1:]) if any(v is not None for v in row)]
