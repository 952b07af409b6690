"""Rows made ready for the writers: formula escaping, batches, plain Python values, quoted text rows.

Writers take `kcorpus.table.Table` batches; a pandas DataFrame handed to `write_table` is read into one
first (pandas is imported only by a caller that already holds a DataFrame).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Union

import numpy as np

from kcorpus.table import TEXT_KINDS, Table, plain_values

if TYPE_CHECKING:
    import pandas as pd

    Frame = Union[Table, pd.DataFrame]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what a spreadsheet may read as a formula: = + - @ (also full-width), after any leading whitespace; tab, CR
_FORMULA_RE = re.compile(r"[\t\r]|[^\S\t\r]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_BATCH_ROWS = 50_000


def escape_formula_cells(df):
    """A copy of a DataFrame (or Table) where text cells and column names a spreadsheet would run start
    with "'"."""
    if isinstance(df, Table):
        return _escaped(df, True)
    escaped = df.copy()
    for position, (_, column) in enumerate(df.items()):
        if _holds_text(column.dtype):
            escaped.isetitem(position, column.astype(object).map(_escape_formula))
    escaped.columns = [_escape_formula(name) for name in df.columns]
    return escaped


def _holds_text(dtype) -> bool:
    import pandas as pd

    return dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))  # noqa: E721 - a dtype


def _escape_formula(value):
    if isinstance(value, str) and _FORMULA_RE.match(value):
        return "'" + value
    return value


# a text cell that may need escaping, found in the column's texts joined by NUL (no false negatives)
_MAYBE_FORMULA_RE = re.compile(r"(?:^|\0)(?:[\t\r]|[^\S\t\r]*[=+\-@\uff1d\uff0b\uff0d\uff20])")


def _escaped_column(values: list) -> list:
    """A column's values with formula-like text cells escaped (the column itself when none is)."""
    if not _MAYBE_FORMULA_RE.search("\0".join(value for value in values if isinstance(value, str))):
        return values
    return [_escape_formula(value) for value in values]


Batches = Iterator[Table]
Write = Callable[[str], None]


def as_table(frame) -> Table:
    """A Table as it is; a DataFrame read into one."""
    return frame if isinstance(frame, Table) else Table.from_pandas(frame)


def _escaped(table: Table, names: bool = False) -> Table:
    columns = [
        _escaped_column(plain_values(column, kind)) if kind in TEXT_KINDS else column
        for column, kind in zip(table.columns, table.kinds)
    ]
    header = [_escape_formula(name) for name in table.names] if names else table.names
    return Table(header, columns, table.kinds)


def prepare(frames: Iterable, escape: bool) -> tuple[list | None, Batches]:
    """The header (None if there are no frames) and the rows in batches, formula-escaped if asked.

    Every frame yields at least one (possibly empty) batch, so writers can
    read kinds even when there are no rows.
    """
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        return None, iter(())
    first = as_table(first)
    columns = list(first.names)
    header = [_escape_formula(name) for name in columns] if escape else columns

    def batches() -> Batches:
        for frame in itertools.chain([first], frames):
            table = as_table(frame)
            if list(table.names) != columns:
                got = list(table.names)
                raise ValueError(f"write_tables: expected columns {columns}, got {got}")
            for start in range(0, max(len(table), 1), _BATCH_ROWS):
                stop = min(len(table), start + _BATCH_ROWS)
                batch = table if len(table) <= _BATCH_ROWS else table.take(range(start, stop))
                yield _escaped(batch) if escape else batch

    return header, batches()


def _column_values(batch: Table, position: int, finite: bool = False) -> list:
    """A column as plain Python values; missing ones (and +-inf if finite) become None."""
    return plain_values(batch.columns[position], batch.kinds[position], finite)


def _text_rows(batch: Table, sep: str, quote: re.Pattern | None) -> str:
    """The batch's rows as lines of cell texts joined by sep; cells matching quote are quoted."""
    if not len(batch):
        return ""
    columns = []
    for position in range(len(batch.names)):
        column = batch.columns[position]
        if batch.kinds[position] == "i" and isinstance(column, np.ndarray) and column.dtype.kind in "iu":
            texts = column.astype(str).tolist()
        else:
            values = _column_values(batch, position)
            has_none = any(map(operator.is_, values, itertools.repeat(None)))
            texts = ["" if value is None else str(value) for value in values] if has_none else list(map(str, values))
        if quote is not None and quote.search("".join(texts)):
            texts = [_quoted(text, quote) for text in texts]
        columns.append(texts)
    return "\n".join(map(sep.join, zip(*columns))) + "\n"


def _quoted(text: str, quote: re.Pattern) -> str:
    if quote.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _python_rows(batch: Table) -> Iterator[tuple]:
    """Rows of plain Python values for json and xlsx, with None for missing values and +-inf."""
    return zip(*[_column_values(batch, position, finite=True) for position in range(len(batch.names))])
