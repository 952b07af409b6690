"""xlsx workbooks: one sheet, header then rows, text stored as text, byte-identical for equal tables.

The header row is frozen (it stays in view while scrolling) and each column is as wide as its content
(a Hangul character counts as two; at most `_MAX_COLUMN_WIDTH`), measured over the header and the first
batch of rows (`_BATCH_ROWS` in render/rows.py, so every row of most tables).
"""

from __future__ import annotations

import io
import itertools
import re

from kcorpus.errors import KcorpusError
from kcorpus.render.rows import Batches, _column_values, _python_rows
from kcorpus.table import Table

_XLSX_MAX_ROWS = 1_048_576  # Excel's limit, header included
_MAX_COLUMN_WIDTH = 60  # in Excel's width unit, about one digit (a Hangul character takes two)
_MIN_COLUMN_WIDTH = 6
_COLUMN_PADDING = 2
_FLOAT_CELLS = 12  # Excel's General format shows at most 11 characters of a number


def xlsx_bytes(header: list | None, batches: Batches) -> bytes:
    """A one-sheet workbook holding the header and rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

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

    first = next(batches, None)
    if header is not None:  # both must be set before the first row is written
        sheet.freeze_panes = "A2"
        for index, width in enumerate(column_widths(header, first), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    try:
        if header is not None:
            sheet.append([cell(str(name)) for name in header])
        rows = 1
        for batch in itertools.chain([] if first is None else [first], batches):
            rows += len(batch)
            if rows > _XLSX_MAX_ROWS:
                raise KcorpusError(f"too many rows for xlsx (Excel holds {_XLSX_MAX_ROWS - 1:,}): use csv or jsonl")
            for row in _python_rows(batch):
                sheet.append([cell(value) for value in row])
    except BaseException:
        sheet.close()  # finish the half-written sheet so openpyxl cleans up
        raise
    data = io.BytesIO()
    workbook.save(data)
    return _without_timestamps(data.getvalue())


def column_widths(header: list, batch: Table | None) -> list[int]:
    """The width of each column: its widest cell in display cells (the header's, or a value's as Excel
    shows it), plus padding, capped at _MAX_COLUMN_WIDTH."""
    columns = 0 if batch is None else len(batch.names)
    widths = []
    for index, name in enumerate(header):
        cells = _cells(str(name))
        if batch is not None and index < columns:
            cells = max(cells, _widest_value(_column_values(batch, index, finite=True)))
        widths.append(max(_MIN_COLUMN_WIDTH, min(cells + _COLUMN_PADDING, _MAX_COLUMN_WIDTH)))
    return widths


def _widest_value(values: list) -> int:
    texts = [_shown(value) for value in values if value is not None]
    if not texts:
        return 0
    longest = max(map(len, texts))
    widest = 0
    for text in texts:
        if 2 * len(text) > max(widest, longest):  # len(text) <= cells <= 2 * len(text): the others cannot win
            widest = max(widest, _cells(text))
            if widest >= _MAX_COLUMN_WIDTH:
                break
    return widest


def _shown(value) -> str:
    if isinstance(value, float):
        return str(value)[:_FLOAT_CELLS]
    return str(value)


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


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
