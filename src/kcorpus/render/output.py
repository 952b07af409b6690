"""Every writer of data rows: csv, tsv, json, jsonl, xlsx, rich tables and plain text.

Commands build tables (`kcorpus.table.Table`, or pandas DataFrames) and hand them to `write_table` /
`write_tables` (or plain lines to `write_lines`); nothing else in kcorpus writes rows. Writing a Table
imports no pandas.

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
- After a file named by ``-o`` is written, ``note`` (if set) gets
  ``wrote FILE (N rows)`` (``N lines`` for `write_lines`); nothing for stdout.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kcorpus.errors import KcorpusError, UsageError
from kcorpus.render.formats import _TEXT_WRITERS
from kcorpus.render.rows import escape_formula_cells, prepare
from kcorpus.table import Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FORMATS",
    "OutputOptions",
    "escape_formula_cells",
    "resolve_format",
    "write_lines",
    "write_table",
    "write_tables",
    "writes_to_terminal",
]

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
_BOM = "\ufeff"
_TABLE_WIDTH = 200  # console width when not writing to a terminal


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
    framed: bool = True  # table only: False drops the outer frame and its padding (a KWIC table)
    note: Callable[[str], None] | None = None  # told "wrote FILE (N rows)" after -o FILE is written


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


def writes_to_terminal(opts: OutputOptions, stdout) -> bool:
    """Whether rows go to a terminal (stdout, no -o FILE): where a table can be fitted to the width."""
    return _output_path(opts) is None and _isatty(stdout)


def write_table(df: Table | pd.DataFrame, opts: OutputOptions, stdout=None) -> None:
    """Write one table (a Table or a DataFrame) in the chosen format (see the module docstring)."""
    write_tables([df], opts, stdout)


def write_tables(frames: Iterable[Table | pd.DataFrame], opts: OutputOptions, stdout=None) -> None:
    """Write chunks (Tables or DataFrames) with identical columns as one table, without holding them all.

    The first frame sets the columns (a frame with other columns raises
    ValueError); pass a zero-row frame to get a header when there are no rows.
    The table format concatenates all chunks first.
    """
    stdout = sys.stdout if stdout is None else stdout
    fmt = resolve_format(opts, stdout)
    escape = opts.escape_formulas and fmt in _ESCAPED_FORMATS
    header, batches = prepare(frames, escape)
    rows = _RowCount(batches)
    if fmt == "table":
        from kcorpus.render.terminal import write_rich_table

        with _target(opts, stdout) as stream:
            write_rich_table(header, rows, opts, stream)
    elif fmt == "xlsx":
        from kcorpus.render.xlsx import xlsx_bytes

        with _target(opts, stdout, binary=True) as stream:
            stream.write(xlsx_bytes(header, rows))
    else:
        bom = opts.bom and fmt in _BOM_FORMATS
        with _utf8_writer(opts, stdout, bom) as write:
            _TEXT_WRITERS[fmt](header, rows, write)
    _note_written(opts, rows.count, "row")


def check_lines_format(opts: OutputOptions) -> None:
    """UsageError unless the format is one plain text lines are written in (text, or auto)."""
    if opts.format not in ("auto", "text"):
        raise UsageError(
            f"--format {opts.format} does not apply here: this command writes plain text lines (use --format text)"
        )


def write_lines(lines: Iterable[str], opts: OutputOptions, stdout=None) -> None:
    """Write plain text lines (format text or auto); --bom and -o apply, any -o suffix is fine.

    Each item becomes one line; an item already ending in a newline gets no second one.
    """
    stdout = sys.stdout if stdout is None else stdout
    check_lines_format(opts)
    count = 0
    with _utf8_writer(opts, stdout, opts.bom) as write:
        for line in lines:
            text = line if line.endswith("\n") else line + "\n"
            write(text)
            count += text.count("\n")  # an item may hold many lines (a cleaned document)
    _note_written(opts, count, "line")


class _RowCount:
    """The batches passed through, counting their rows."""

    def __init__(self, batches: Iterator[Table]):
        self.batches = batches
        self.count = 0

    def __iter__(self) -> Iterator[Table]:
        return self

    def __next__(self) -> Table:
        batch = next(self.batches)
        self.count += len(batch)
        return batch


def _note_written(opts: OutputOptions, count: int, unit: str) -> None:
    """`wrote FILE (N rows)` to opts.note once -o FILE is in place (as --plot says `wrote FILE`)."""
    path = _output_path(opts)
    if path is not None and opts.note is not None:
        opts.note(f"wrote {path} ({count:,} {unit}{'' if count == 1 else 's'})")


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
            f"cannot tell the output format of {path} ({shown}): name it with one of {known}, or pass --format"
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
        if stdout is sys.stdout:  # not a stream a caller handed in: its file descriptor is not ours
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
