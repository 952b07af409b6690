"""Every writer of data rows: csv, tsv, json, jsonl, xlsx, rich tables and plain text.

Commands build DataFrames and hand them to `write_table` / `write_tables`
(or plain lines to `write_lines`); nothing else in kcorpus writes rows.

What callers and users can rely on:

- Data is UTF-8 with ``\\n`` line endings in every format. When stdout has a
  ``.buffer`` the bytes go there, so the console's own encoding never matters.
- csv/tsv: header row always (also for zero rows), no index column. A cell is
  quoted (RFC 4180: ``"..."`` with ``""`` for a quote) when it holds the
  delimiter, a quote, ``\\n`` or ``\\r``; the same rule for both, so tabs and
  line breaks inside tsv cells never break rows. Floats are written with
  Python's shortest round-trip repr, missing values as empty cells.
- json: one array of objects, one object per line; jsonl: one object per line.
  Keys follow column order; missing values and +-inf become ``null``.
- xlsx: one sheet, header row, then rows; missing values and +-inf are empty
  cells; characters Excel cannot store (control characters) are dropped; text
  is always stored as text, never as a formula.
- Formula escaping (csv, tsv, xlsx): text cells and column names starting with
  ``= + - @``, tab or CR get a leading ``'``. Numbers are never escaped.
- table: floats shown with 4 decimals, or as ``1.234e-07`` below 1e-4 or from
  1e15 up; other formats keep full precision. Numeric columns right-aligned.
  ``NO_COLOR``/``no_color`` turn off all styling (no ANSI codes at all).
- text: rows as tab-joined values, no header, no quoting. `write_lines` writes
  one line per item.
- ``--bom`` applies to csv, tsv and text; it is ignored for json, jsonl
  (a BOM makes JSON invalid), xlsx and table.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kcorpus.errors import KcorpusError, UsageError

FORMATS = ("auto", "table", "csv", "tsv", "json", "jsonl", "xlsx", "text")

_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".xlsx": "xlsx",
    ".txt": "text",
}
_ESCAPED_FORMATS = ("csv", "tsv", "xlsx")
_BOM_FORMATS = ("csv", "tsv", "text")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a spreadsheet may read as a formula: = + - @ (also full-width), after any leading whitespace; tab, CR
_FORMULA_RE = re.compile(r"[\t\r]|[^\S\t\r]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_BOM = "\ufeff"
_BATCH_ROWS = 50_000
_TABLE_WIDTH = 200  # console width when not writing to a terminal
_XLSX_MAX_ROWS = 1_048_576  # Excel's limit, header included


@dataclass
class OutputOptions:
    """How and where a command writes its rows (the shared output options)."""

    format: str = "auto"  # auto|table|csv|tsv|json|jsonl|xlsx|text
    output: Path | None = None  # -o FILE; None (or "-") = stdout
    bom: bool = False
    escape_formulas: bool = True
    no_color: bool = False
    title: str | None = None
    right_aligned: tuple[str, ...] = ()  # table only: text columns to right-justify (a KWIC left context)
    emphasised: tuple[str, ...] = ()  # table only: columns shown in bold colour (a KWIC match)


# ---------------------------------------------------------------- public API


def resolve_format(opts: OutputOptions, stdout) -> str:
    """The concrete format: --format, else the -o suffix, else table on a terminal and csv if not.

    Raises UsageError for an unknown format or suffix and for xlsx to a
    terminal; callers may call it early to reject options before working.
    """
    if opts.format not in FORMATS:
        raise UsageError(f"unknown format '{opts.format}': use one of {', '.join(FORMATS)}")
    path = _output_path(opts)
    if path is not None:
        _check_output_path(path)
    if opts.format != "auto":
        fmt = opts.format
    elif path is not None:
        fmt = _format_from_suffix(path)
    else:
        fmt = "table" if _isatty(stdout) else "csv"
    if fmt == "xlsx" and path is None:
        if _isatty(stdout) or not hasattr(stdout, "buffer"):
            raise UsageError("xlsx is binary: use -o FILE.xlsx")
    return fmt


def escape_formula_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df where text cells and column names a spreadsheet would run start with "'"."""
    escaped = df.copy()
    for position, (_, column) in enumerate(df.items()):
        if _holds_text(column.dtype):
            escaped.isetitem(position, column.astype(object).map(_escape_formula))
    escaped.columns = [_escape_formula(name) for name in df.columns]
    return escaped


def write_table(df: pd.DataFrame, opts: OutputOptions, stdout=None) -> None:
    """Write one DataFrame in the chosen format (see the module docstring)."""
    write_tables([df], opts, stdout)


def write_tables(frames: Iterable[pd.DataFrame], opts: OutputOptions, stdout=None) -> None:
    """Write DataFrame chunks with identical columns as one table, without holding them all.

    The first frame sets the columns (a frame with other columns raises
    ValueError); pass a zero-row frame to get a header when there are no rows.
    The table format concatenates all chunks first.
    """
    stdout = sys.stdout if stdout is None else stdout
    fmt = resolve_format(opts, stdout)
    escape = opts.escape_formulas and fmt in _ESCAPED_FORMATS
    if fmt == "table":
        with _target(opts, stdout) as stream:
            _write_rich_table(*_prepare(frames, escape), opts, stream)
    elif fmt == "xlsx":
        with _target(opts, stdout, binary=True) as stream:
            stream.write(_xlsx_bytes(*_prepare(frames, escape)))
    else:
        bom = opts.bom and fmt in _BOM_FORMATS
        with _utf8_writer(opts, stdout, bom) as write:
            _TEXT_WRITERS[fmt](*_prepare(frames, escape), write)


def write_lines(lines: Iterable[str], opts: OutputOptions, stdout=None) -> None:
    """Write plain text lines (format text or auto); --bom and -o apply, any -o suffix is fine.

    Each item becomes one line; an item already ending in a newline gets no second one.
    """
    stdout = sys.stdout if stdout is None else stdout
    if opts.format not in ("auto", "text"):
        raise UsageError(
            f"--format {opts.format} does not apply here: this command writes plain text lines "
            "(use --format text)"
        )
    with _utf8_writer(opts, stdout, opts.bom) as write:
        for line in lines:
            write(line if line.endswith("\n") else line + "\n")


# ------------------------------------------------------------ where bytes go


def _isatty(stream) -> bool:
    return getattr(stream, "isatty", lambda: False)()


def _output_path(opts: OutputOptions) -> Path | None:
    if opts.output is None or str(opts.output) == "-":
        return None
    return Path(opts.output)


def _format_from_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _SUFFIX_FORMATS:
        shown = f"suffix '{path.suffix}'" if path.suffix else "no suffix"
        known = " ".join(_SUFFIX_FORMATS)
        raise UsageError(
            f"cannot tell the output format of {path} ({shown}): "
            f"name it with one of {known}, or pass --format"
        )
    return _SUFFIX_FORMATS[suffix]


def _check_output_path(path: Path) -> None:
    """-o FILE must name a file in a folder that exists."""
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory; name a file")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: directory {path.parent} does not exist")


def _write_failure(where: str, error: OSError) -> KcorpusError:
    if error.errno == errno.ENOSPC:
        return KcorpusError(f"no space left writing {where}: free some space or write elsewhere with -o")
    if isinstance(error, PermissionError):
        return KcorpusError(f"cannot write {where}: permission denied")
    return KcorpusError(f"cannot write {where}: {error.strerror or error}")


@contextmanager
def _atomic_file(path: Path, binary: bool):
    """A temporary file beside `path`, renamed onto it only when the block succeeds: a failed run leaves
    neither a half-written file nor a truncated older one."""
    import tempfile

    _check_output_path(path)
    try:
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise _write_failure(str(path), error) from None
    try:
        with os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            yield file
        if path.exists():
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise _write_failure(str(path), error) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _target(opts: OutputOptions, stdout, binary: bool = False):
    """The stream to write to: the -o file (written atomically), else stdout or its buffer."""
    path = _output_path(opts)
    if path is not None:
        with _atomic_file(path, binary) as file:
            yield file
        return
    if stdout is None:
        raise KcorpusError("standard output is closed: write to a file with -o FILE")
    stream = stdout
    try:
        if binary:
            stdout.flush()  # keep anything already written in order
            stream = stdout.buffer
        yield stream
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        _discard_stdout()
        raise _write_failure("standard output", error) from None


def _discard_stdout() -> None:
    """After a failed write to stdout (disk full), send what is still buffered nowhere, so Python's own
    flush at exit does not fail a second time with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@contextmanager
def _utf8_writer(opts: OutputOptions, stdout, bom: bool):
    """A write(str) function that writes UTF-8 to the target, starting with a BOM if asked."""
    binary = _output_path(opts) is None and hasattr(stdout, "buffer")
    with _target(opts, stdout, binary) as stream:
        if binary:

            def write(text: str) -> None:
                stream.write(text.encode("utf-8"))

        else:
            write = stream.write
        if bom:
            write(_BOM)
        yield write


# ------------------------------------------------------------ row preparation


def _holds_text(dtype) -> bool:
    return dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))  # noqa: E721 - a dtype


def _escape_formula(value):
    if isinstance(value, str) and _FORMULA_RE.match(value):
        return "'" + value
    return value


def _is_missing(value) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


Batches = Iterator[pd.DataFrame]
Write = Callable[[str], None]


def _prepare(frames: Iterable[pd.DataFrame], escape: bool) -> tuple[list | None, Batches]:
    """The header (None if there are no frames) and the rows in batches, formula-escaped if asked.

    Every frame yields at least one (possibly empty) batch, so writers can
    read dtypes even when there are no rows.
    """
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        return None, iter(())
    columns = list(first.columns)
    header = [_escape_formula(name) for name in columns] if escape else columns

    def batches() -> Batches:
        for df in itertools.chain([first], frames):
            if list(df.columns) != columns:
                got = list(df.columns)
                raise ValueError(f"write_tables: expected columns {columns}, got {got}")
            for start in range(0, max(len(df), 1), _BATCH_ROWS):
                batch = df.iloc[start : start + _BATCH_ROWS]
                yield escape_formula_cells(batch) if escape else batch

    return header, batches()


def _plain_value(value, finite: bool):
    if isinstance(value, np.generic):
        value = value.item()
    if _is_missing(value) or (finite and isinstance(value, float) and math.isinf(value)):
        return None
    return value


def _column_values(column: pd.Series, finite: bool = False) -> list:
    """The column as plain Python values; missing ones (and +-inf if finite) become None."""
    values = column.tolist()
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return values  # numpy ints and bools: never missing, already Python scalars
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        keep = np.isfinite(values) if finite else ~np.isnan(values)
        return [value if ok else None for value, ok in zip(values, keep.tolist())]
    return [_plain_value(value, finite) for value in values]


def _text_rows(batch: pd.DataFrame, sep: str, quote: re.Pattern | None) -> str:
    """The batch's rows as lines of cell texts joined by sep; cells matching quote are quoted."""
    columns = []
    for _, column in batch.items():
        texts = ["" if value is None else str(value) for value in _column_values(column)]
        if quote is not None and quote.search("".join(texts)):
            texts = [_quoted(text, quote) for text in texts]
        columns.append(texts)
    return "".join(sep.join(row) + "\n" for row in zip(*columns))


def _quoted(text: str, quote: re.Pattern) -> str:
    if quote.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _python_rows(batch: pd.DataFrame) -> Iterator[tuple]:
    """Rows of plain Python values for json and xlsx, with None for missing values and +-inf."""
    return zip(*[_column_values(column, finite=True) for _, column in batch.items()])


# -------------------------------------------------------------- text formats


def _write_delimited(header: list | None, batches: Batches, write: Write, sep: str) -> None:
    if header is None:
        return
    quote = re.compile(f'["{sep}\r\n]')
    write(sep.join(_quoted(str(name), quote) for name in header) + "\n")
    for batch in batches:
        write(_text_rows(batch, sep, quote))


def _write_csv(header, batches, write: Write) -> None:
    _write_delimited(header, batches, write, ",")


def _write_tsv(header, batches, write: Write) -> None:
    _write_delimited(header, batches, write, "\t")


def _write_text(header, batches, write: Write) -> None:
    for batch in batches:
        write(_text_rows(batch, "\t", None))


def _json_default(value):
    if isinstance(value, date):  # also datetime and pd.Timestamp
        return value.isoformat()
    return str(value)


_encode_json = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode


def _json_value(value) -> str:
    """value as JSON text, as json.dumps(..., ensure_ascii=False) writes it."""
    if value is None:
        return "null"
    if type(value) in (int, float):  # floats here are finite
        return repr(value)
    return _encode_json(value)


def _json_objects(header: list | None, batches: Batches) -> Iterator[str]:
    """One JSON object per row, keys in column order, built column by column for speed."""
    prefixes = [_encode_json(str(name)) + ": " for name in header or ()]
    for batch in batches:
        members = [
            [prefix + _json_value(value) for value in _column_values(column, finite=True)]
            for prefix, (_, column) in zip(prefixes, batch.items())
        ]
        for row in zip(*members):
            yield "{" + ", ".join(row) + "}"


def _write_json(header, batches, write: Write) -> None:
    count = 0
    for count, obj in enumerate(_json_objects(header, batches), start=1):
        write(("[\n" if count == 1 else ",\n") + obj)
    write("\n]\n" if count else "[]\n")


def _write_jsonl(header, batches, write: Write) -> None:
    for obj in _json_objects(header, batches):
        write(obj + "\n")


_TEXT_WRITERS = {
    "csv": _write_csv,
    "tsv": _write_tsv,
    "json": _write_json,
    "jsonl": _write_jsonl,
    "text": _write_text,
}


# ---------------------------------------------------------------------- xlsx


def _xlsx_bytes(header: list | None, batches: Batches) -> bytes:
    """A one-sheet workbook holding the header and rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("kcorpus")

    def cell(value):
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):  # openpyxl would store it as a formula
            text = WriteOnlyCell(sheet, value)
            text.data_type = "s"
            return text
        return value

    try:
        if header is not None:
            sheet.append([cell(str(name)) for name in header])
        rows = 1
        for batch in batches:
            rows += len(batch)
            if rows > _XLSX_MAX_ROWS:
                raise KcorpusError(
                    f"too many rows for xlsx (Excel holds {_XLSX_MAX_ROWS - 1:,}): use csv or jsonl"
                )
            for row in _python_rows(batch):
                sheet.append([cell(value) for value in row])
    except BaseException:
        sheet.close()  # finish the half-written sheet so openpyxl cleans up
        raise
    data = io.BytesIO()
    workbook.save(data)
    return _without_timestamps(data.getvalue())


_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _without_timestamps(workbook: bytes) -> bytes:
    """The same workbook with fixed save times, so equal tables give byte-identical files."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(zipfile.ZipInfo(info.filename, _FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return result.getvalue()


# --------------------------------------------------------------------- table


def _table_float(value: float) -> str:
    if value == 0 or 1e-4 <= abs(value) < 1e15:
        return f"{value:.4f}"
    return f"{value:.3e}"


def _table_cell(value) -> Text:
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(_table_float(value))
    return Text(str(value))


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _write_rich_table(header: list | None, batches: Batches, opts: OutputOptions, stream) -> None:
    batches = list(batches)
    if header is None:
        return
    data = pd.concat(batches, ignore_index=True) if len(batches) > 1 else batches[0]
    table = Table(title=Text(opts.title) if opts.title else None)
    no_color = opts.no_color or bool(os.environ.get("NO_COLOR"))
    for name, (_, column) in zip(header, data.items()):
        right = _is_number_column(column) or name in opts.right_aligned
        style = "bold magenta" if name in opts.emphasised and not no_color else None
        table.add_column(Text(str(name)), justify="right" if right else "left", style=style,
                         no_wrap=name in opts.right_aligned or name in opts.emphasised)
    cells = [[_table_cell(value) for value in _column_values(column)] for _, column in data.items()]
    for row in zip(*cells):
        table.add_row(*row)

    to_terminal = _isatty(stream)
    console = Console(
        file=stream,
        width=None if to_terminal else _TABLE_WIDTH,
        force_terminal=None if _output_path(opts) is None else False,  # no ANSI codes in files
        color_system=None if no_color else "auto",
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(table)
