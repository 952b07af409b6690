"""Rows made ready for the writers: formula escaping, batches, plain Python values, quoted text rows."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a spreadsheet may read as a formula: = + - @ (also full-width), after any leading whitespace; tab, CR
_FORMULA_RE = re.compile(r"[\t\r]|[^\S\t\r]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_BATCH_ROWS = 50_000


def escape_formula_cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df where text cells and column names a spreadsheet would run start with "'"."""
    escaped = df.copy()
    for position, (_, column) in enumerate(df.items()):
        if _holds_text(column.dtype):
            escaped.isetitem(position, column.astype(object).map(_escape_formula))
    escaped.columns = [_escape_formula(name) for name in df.columns]
    return escaped


def _holds_text(dtype) -> bool:
    return dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))  # noqa: E721 - a dtype


def _escape_formula(value):
    if isinstance(value, str) and _FORMULA_RE.match(value):
        return "'" + value
    return value


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


Batches = Iterator[pd.DataFrame]
Write = Callable[[str], None]


def prepare(frames: Iterable[pd.DataFrame], escape: bool) -> tuple[list | None, Batches]:
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
