"""xlsx workbooks: one sheet, header then rows, text stored as text, byte-identical for equal tables."""

from __future__ import annotations

import io
import re

from kcorpus.errors import KcorpusError
from kcorpus.render.rows import Batches, _python_rows

_XLSX_MAX_ROWS = 1_048_576  # Excel's limit, header included


def xlsx_bytes(header: list | None, batches: Batches) -> bytes:
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
                raise KcorpusError(f"too many rows for xlsx (Excel holds {_XLSX_MAX_ROWS - 1:,}): use csv or jsonl")
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
