"""Table sources: one document per row of a .csv, .tsv, .jsonl or .xlsx file, the other columns as metadata."""

from __future__ import annotations

import io
import json
from typing import Iterator, Sequence

from kcorpus.io.documents import (
    MB,
    Document,
    Skipped,
    SourceError,
    SourceOptions,
    _no_surrogates,
    checked_document,
    decode_text,
)

TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".xlsx")
# Limits no real table reaches; a zip bomb is refused before anything is inflated.
MAX_TABLE_BYTES = 2048 * MB  # a .csv/.tsv/.jsonl file, or the uncompressed contents of an .xlsx
MAX_XLSX_RATIO = 200  # uncompressed / compressed size of one .xlsx member; real sheets stay under ~30


def read_table(
    data: bytes, suffix: str, file_id: str, file_meta: dict[str, str], options: SourceOptions, source: str = ""
) -> Iterator[Document | Skipped]:
    """One document per row of a csv/tsv/jsonl/xlsx file (`source`: the file's path)."""
    rows: Sequence[tuple[int | str, dict | str]]  # (row label, the row or why it is not read)
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
        notes: tuple[str, ...] = ()
        if options.id_column and _cell(row.get(options.id_column)).strip():
            row_id = _cell(row[options.id_column]).strip()
        elif options.id_column:
            notes = (f"empty {options.id_column!r} cell: named by its line (fill the cell to name it)",)
        cell = row.get(options.text_column)
        if isinstance(cell, FormulaCell):
            yield Skipped(
                row_id,
                f"the {options.text_column!r} cell is a formula with no saved value: open the "
                "workbook in Excel or LibreOffice and save it, so its values are stored",
                encoding,
            )
            continue
        text = _cell(cell)
        if not text.strip():
            yield Skipped(row_id, f"empty {options.text_column!r} cell", encoding)
            continue
        meta = dict(file_meta)
        meta.update({k: _cell(v) for k, v in row.items() if k not in wanted})
        yield checked_document(
            Document(row_id, text, encoding, source or file_id, is_table_row=True, meta=meta, warnings=notes),
            options,
        )


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
        rows[-1] = (
            opened,
            f"a quoted field opened on line {opened} never closes: lines {opened}–{total} not read "
            f"({len(rows) - 1} row(s) before it read); close the quote and run again",
        )
    return rows


def _quote_left_open(text: str, line: int, delimiter: str) -> bool:
    """Whether the record starting on `line` runs to the end of the text inside quotes."""
    import csv

    tail = "".join(text.splitlines(keepends=True)[line - 1 :])
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


def _xlsx_rows(data: bytes, text_column: str) -> list[tuple[int | str, dict | str]]:
    """Rows of every sheet keyed by its header (a later sheet without the text column is reported);
    refuses zip bombs before inflating anything."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"not a readable .xlsx workbook ({exc})") from None
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_TABLE_BYTES or any(
        m.file_size > MB and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1) for m in members
    ):
        raise SourceError(f"not a plausible .xlsx workbook: {len(data):,} bytes inflate to {inflated:,} (a zip bomb?)")
    sheets = _sheet_values(data, formulas=False)
    formulas: list[tuple[str, list[tuple]]] | None = None
    rows: list[tuple[int | str, dict | str]] = []
    for number, (title, values) in enumerate(sheets):
        if not values:
            continue
        label = "" if number == 0 else f"{title}!"  # rows of later sheets: file.xlsx#Sheet2!5
        header = [_cell(h) if h is not None else f"column{i + 1}" for i, h in enumerate(values[0])]
        if number and text_column not in header:
            rows.append((title, f"sheet {title!r} has no column {text_column!r}: not read"))
            continue
        sheet_rows = [(i + 2, dict(zip(header, row))) for i, row in enumerate(values[1:])]
        if text_column in header and any(row.get(text_column) is None for _, row in sheet_rows):
            formulas = formulas or _sheet_values(data, formulas=True)
            written_rows, column = formulas[number][1], header.index(text_column)
            for line_no, row in sheet_rows:
                written = written_rows[line_no - 1][column] if line_no - 1 < len(written_rows) else None
                if row.get(text_column) is None and isinstance(written, str) and written.startswith("="):
                    row[text_column] = FormulaCell(written)
        rows.extend(
            (f"{label}{line_no}" if label else line_no, row)
            for line_no, row in sheet_rows
            if any(v is not None for v in row.values())
        )
    return rows


def _sheet_values(data: bytes, formulas: bool) -> list[tuple[str, list[tuple]]]:
    """(title, cell values) of every sheet (formulas as written when `formulas`, else their saved values)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
        try:
            return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises many types (KeyError, ParseError, TypeError...) on broken files
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:120]})") from None
