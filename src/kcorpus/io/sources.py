"""Read documents from files, directories, globs, stdin and tabular files, in any common encoding."""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Iterator

from kcorpus import defaults
from kcorpus.errors import KcorpusError, UsageError, bug_report

TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".xlsx")
GLOB_CHARS = set("*?[")
SNIFF_BYTES = 8192
MB = 1024 * 1024
# Limits no real report reaches; each ends a hostile input (/dev/zero, a zip bomb, a 50 MB line) in seconds.
MAX_TABLE_BYTES = 2048 * MB  # a .csv/.tsv/.jsonl file, or the uncompressed contents of an .xlsx
MAX_XLSX_RATIO = 200  # uncompressed / compressed size of one .xlsx member; real sheets stay under ~30


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
    package = Path(__file__).resolve().parents[1]
    installed = package / "_data" / name
    if installed.is_dir():
        return installed
    return package.parents[1] / name


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
        except (UnicodeDecodeError, LookupError) as exc:
            raise SourceError(f"not valid {encoding} ({exc.reason} at byte {getattr(exc, 'start', '?')})") from None
    if not data.strip():
        raise SourceError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return (*_strict(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig"), ())
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
    offsets, position = [], 0
    while len(offsets) < most:
        try:
            data[position:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            offsets.append(position + exc.start)
            position += exc.end
    return offsets


def _nul_reason(head: bytes) -> str:
    """Why a file with NUL bytes is skipped: UTF-16 without a BOM (with its byte order), or binary."""
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
_TEXT_CHARS = re.compile("[\t\n\r\f -~\u00a0-\u00ff\u1100-\u11ff\u2000-\u206f\u3000-\u303f\u3130-\u318f"
                         "\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uffef]")


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


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    return control > max(8, len(sample) // 20)


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
    """A path as text that can always be printed and written: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_sources(
    paths: list[str], options: SourceOptions = SourceOptions(), stdin: BinaryIO | None = None
) -> Iterator[Document | Skipped]:
    """Yield every document (or the reason it was skipped) from the given paths, in a stable order.

    Nothing is dropped silently: hidden files, broken links, unreadable folders and files that fail to
    read for any reason (a bug included) come out as Skipped with the reason.
    """
    seen_files: set[Path] = set()
    seen_ids: set[str] = set()
    for arg in paths:
        for file, doc_id in _expand(arg, several=len(paths) > 1):
            if isinstance(file, Skipped):
                yield file
                continue
            if file is None:
                yield from _unique(_guarded(_read_stdin, doc_id, stdin, options), seen_ids)
                continue
            resolved = file.resolve()
            if resolved in seen_files:
                yield Skipped(doc_id, "listed twice; read once")
                continue
            seen_files.add(resolved)
            yield from _unique(_guarded(_read_file, doc_id, file, options), seen_ids)


def _guarded(read, doc_id: str, *args) -> Iterator[Document | Skipped]:
    """The items `read(*args, doc_id)` yields; an unexpected failure skips the rest of that file, reported."""
    try:
        yield from read(*args, doc_id)
    except (MemoryError, RecursionError, OSError) as exc:
        yield Skipped(doc_id, f"cannot read ({type(exc).__name__}: {exc})")
    except Exception as exc:  # a bug in kcorpus must not end a batch
        yield Skipped(doc_id, f"reading failed ({bug_report(exc)})")


def checked_document(doc: Document, options: SourceOptions) -> Document | Skipped:
    """The document, or a skip when its text exceeds the per-document or per-line limit."""
    size = len(doc.text.encode("utf-8", "surrogatepass")) if len(doc.text) * 4 > options.max_doc_bytes else 0
    if size > options.max_doc_bytes:
        return Skipped(doc.id, f"text of {size / MB:,.1f} MB is larger than --max-doc-mb "
                               f"{options.max_doc_bytes / MB:,.0f}", doc.encoding)
    if len(doc.text) > options.max_line_chars:
        number, length = _longest_line(doc.text)
        if length > options.max_line_chars:
            return Skipped(doc.id, f"line {number} has {length:,} characters, more than --max-line-chars "
                                   f"{options.max_line_chars:,} (not running text?)", doc.encoding)
    return doc


def _longest_line(text: str) -> tuple[int, int]:
    """(1-based number, length) of the longest line."""
    lengths = list(map(len, text.split("\n")))
    longest = max(lengths)
    return lengths.index(longest) + 1, longest


def check_paths(paths: list[str]) -> None:
    """Raise UsageError for a path argument that names nothing (before any document is read)."""
    for arg in paths:
        for _ in _expand(arg, several=len(paths) > 1):
            pass


def _no_surrogates(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates (JSON "\\ud800") become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _unique(items: Iterator[Document | Skipped], seen_ids: set[str]) -> Iterator[Document | Skipped]:
    for item in items:
        if isinstance(item, Document) and item.id in seen_ids:
            n = 2
            while f"{item.id}~{n}" in seen_ids:
                n += 1
            item = replace(item, id=f"{item.id}~{n}")
        seen_ids.add(item.id)
        yield item


def _expand(arg: str, several: bool) -> Iterator[tuple[Path | Skipped | None, str]]:
    """(file, document id) pairs for one path argument; (None, '-') for stdin; (Skipped, id) for an entry
    of a folder or glob that is not read (hidden, a broken link, an unreadable folder)."""
    if arg == "-":
        yield None, "-"
        return
    path = Path(arg)
    if path.is_dir():
        prefix = f"{display_name(path.resolve().name)}/" if several else ""
        entries = _folder_entries(path)
        if not entries:
            raise UsageError(f"directory {display_name(arg)} contains no files")
        for relative, reason in entries:
            doc_id = prefix + display_name(relative)
            yield (Skipped(doc_id, reason) if reason else path / relative), doc_id
    elif path.is_file():
        name = path.as_posix() if several else path.name
        yield path, display_name(name)
    elif GLOB_CHARS & set(arg):
        base = _glob_base(arg)
        matches = _glob_files(arg, base)
        if not matches:
            raise UsageError(f"no files match {display_name(arg)!r}")
        for m in matches:
            yield m, display_name(Path(os.path.relpath(m, base)).as_posix())
    elif path.is_symlink():
        raise UsageError(f"{display_name(arg)} is a broken symbolic link")
    elif path.exists():
        raise UsageError(f"{display_name(arg)} is not a regular file or directory")
    else:
        raise UsageError(f"path {display_name(arg)} does not exist: check the spelling, or pass a directory of "
                         ".txt files")


def _folder_entries(folder: Path) -> list[tuple[str, str]]:
    """(relative path, skip reason or '') of everything under a folder, sorted; links to folders are not
    followed, hidden files and folders are listed as skipped (a hidden folder once, not its files)."""
    entries: list[tuple[str, str]] = []

    def unreadable(error: OSError) -> None:
        where = os.path.relpath(error.filename, folder) if error.filename else "."
        entries.append((Path(where).as_posix(), f"unreadable folder ({error.strerror}), not read"))

    for top, dirs, files in os.walk(folder, onerror=unreadable, followlinks=False):
        relative_top = Path(top).relative_to(folder)
        for name in list(dirs):
            full = Path(top) / name
            if name.startswith("."):
                entries.append(((relative_top / name).as_posix(), "hidden folder, not read"))
                dirs.remove(name)
            elif full.is_symlink():
                entries.append(((relative_top / name).as_posix(), "symbolic link to a folder, not followed"))
                dirs.remove(name)
        for name in files:
            full = Path(top) / name
            relative = (relative_top / name).as_posix()
            if name.startswith("."):
                entries.append((relative, "hidden file, not read"))
            elif full.is_symlink() and not full.exists():
                entries.append((relative, "broken symbolic link"))
            elif not full.is_file():
                entries.append((relative, "not a regular file (a device, pipe or socket)"))
            else:
                entries.append((relative, ""))
    return sorted(entries)


def _glob_files(pattern: str, base: str) -> list[Path]:
    """Regular files matching a glob, sorted; `**` never follows links to folders (no symlink loops)."""
    rest = os.path.relpath(pattern, base) if os.path.isabs(pattern) == os.path.isabs(base) else pattern
    try:
        found = Path(base).glob(Path(rest).as_posix())
        return sorted(p for p in found if p.is_file() and not any(
            part.startswith(".") for part in p.relative_to(base).parts))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot expand {display_name(pattern)!r}: {exc}") from None


def _glob_base(pattern: str) -> str:
    """The directory part of a glob before its first wildcard."""
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if GLOB_CHARS & set(p))]]
    return str(Path(*fixed)) if fixed else "."


def _read_stdin(stdin: BinaryIO | None, options: SourceOptions, doc_id: str) -> Iterator[Document | Skipped]:
    try:
        data = read_limited(None, options.max_doc_bytes, "standard input", "--max-doc-mb", stdin)
        text, encoding, warnings = decode_text(data, options.encoding)
    except SourceError as exc:
        yield Skipped(doc_id, exc.message)
        return
    yield checked_document(Document(doc_id, text, encoding, "-", meta={"file": "-", "folder": "."},
                                    warnings=warnings), options)


def _read_file(file: Path, options: SourceOptions, doc_id: str) -> Iterator[Document | Skipped]:
    file_meta = {"file": doc_id, "folder": Path(doc_id).parent.as_posix()}
    suffix = file.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        try:
            data = read_limited(file, MAX_TABLE_BYTES, "table", "the table limit")
        except SourceError as exc:
            yield Skipped(doc_id, exc.message)
            return
        yield from _read_table(data, suffix, doc_id, file_meta, options)
        return
    try:
        data = read_limited(file, options.max_doc_bytes, "file", "--max-doc-mb")
        text, encoding, warnings = decode_text(data, options.encoding)
    except SourceError as exc:
        yield Skipped(doc_id, exc.message)
        return
    yield checked_document(Document(doc_id, text, encoding, os.fsdecode(file), meta=file_meta,
                                    warnings=warnings), options)


def _read_table(
    data: bytes, suffix: str, file_id: str, file_meta: dict[str, str], options: SourceOptions
) -> Iterator[Document | Skipped]:
    """One document per row of a csv/tsv/jsonl/xlsx file."""
    try:
        if suffix == ".xlsx":
            rows, encoding = _xlsx_rows(data, options.text_column), "xlsx"
        else:
            text, encoding, _ = decode_text(data, options.encoding)
            rows = _jsonl_rows(text) if suffix == ".jsonl" else _delimited_rows(text, "\t" if suffix == ".tsv" else ",")
    except SourceError as exc:
        yield Skipped(file_id, exc.message)
        return
    if not any(isinstance(row, dict) for _, row in rows):
        yield Skipped(file_id, "table has no rows", encoding)
        yield from (Skipped(f"{file_id}#{line_no}", row, encoding) for line_no, row in rows if isinstance(row, str))
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
        if options.id_column and _cell(row.get(options.id_column)).strip():
            row_id = _cell(row[options.id_column]).strip()
        text = row.get(options.text_column)
        if isinstance(text, FormulaCell):
            yield Skipped(row_id, f"the {options.text_column!r} cell is a formula with no saved value: open the "
                                  "workbook in Excel or LibreOffice and save it, so its values are stored", encoding)
            continue
        text = _cell(text)
        if not text.strip():
            yield Skipped(row_id, f"empty {options.text_column!r} cell", encoding)
            continue
        meta = dict(file_meta)
        meta.update({k: _cell(v) for k, v in row.items() if k not in wanted})
        yield checked_document(Document(row_id, text, encoding, file_id, is_table_row=True, meta=meta), options)


class FormulaCell(str):
    """An xlsx formula cell whose value was never saved (openpyxl reads it as empty)."""


def _cell(value: object) -> str:
    """A table cell as text, as it was written: 7.0 from a spreadsheet is 7; text stays as it is."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return _no_surrogates(str(value))


def _delimited_rows(text: str, delimiter: str) -> list[tuple[int, dict | str]]:
    """Rows keyed by the header, numbered by the line they start on; a quote left open is reported, not
    allowed to swallow the rest of the file into one row."""
    import csv

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict | str]] = []
    header: list[str] | None = None
    start = 1
    try:
        for record in reader:
            if header is None:
                header = record
            elif record:
                rows.append((start, dict(zip(header, record))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"malformed {'TSV' if delimiter == chr(9) else 'CSV'}: {exc}") from None
    if header is None:
        raise SourceError("table has no header row")
    if rows and _quote_left_open(text, rows[-1][0], delimiter):
        opened = rows[-1][0]
        total = reader.line_num
        rows[-1] = (opened, f"a quoted field opened on line {opened} never closes: lines {opened}–{total} not read "
                            f"({len(rows) - 1} row(s) before it read); close the quote and run again")
    return rows


def _quote_left_open(text: str, line: int, delimiter: str) -> bool:
    """Whether the record starting on `line` runs to the end of the text inside quotes."""
    import csv

    tail = "".join(text.splitlines(keepends=True)[line - 1:])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "end of data" in str(exc)
    return False


def _jsonl_rows(text: str) -> list[tuple[int, dict | str]]:
    """One object per line; numbers are kept as written (an id 007 or 1.50 stays so)."""
    rows: list[tuple[int, dict | str]] = []
    decoder = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = decoder.decode(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            rows.append((i, f"invalid JSON ({reason})"))
            continue
        rows.append((i, value if isinstance(value, dict) else f"not a JSON object ({type(value).__name__})"))
    return rows


def _xlsx_rows(data: bytes, text_column: str) -> list[tuple[int, dict | str]]:
    """Rows of the first sheet keyed by its header; refuses zip bombs before inflating anything."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"not a readable .xlsx workbook ({exc})") from None
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_TABLE_BYTES or any(
            m.file_size > MB and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1) for m in members):
        raise SourceError(f"not a plausible .xlsx workbook: {len(data):,} bytes inflate to {inflated:,} "
                          "(a zip bomb?)")
    values = _sheet_values(data, formulas=False)
    if not values:
        return []
    header = [_cell(h) if h is not None else f"column{i + 1}" for i, h in enumerate(values[0])]
    rows = [(i + 2, dict(zip(header, row))) for i, row in enumerate(values[1:])]
    if text_column in header and any(row.get(text_column) is None for _, row in rows):
        formulas = _sheet_values(data, formulas=True)
        column = header.index(text_column)
        for line_no, row in rows:
            written = formulas[line_no - 1][column] if line_no - 1 < len(formulas) else None
            if row.get(text_column) is None and isinstance(written, str) and written.startswith("="):
                row[text_column] = FormulaCell(written)
    return [(line_no, row) for line_no, row in rows if any(v is not None for v in row.values())]


def _sheet_values(data: bytes, formulas: bool) -> list[tuple]:
    """The cell values of the first sheet (formulas as written when `formulas`, else their saved values)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
        try:
            return list(book.worksheets[0].iter_rows(values_only=True)) if book.worksheets else []
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises many types (KeyError, ParseError, TypeError...) on broken files
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:120]})") from None
