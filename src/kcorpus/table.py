"""A small column table: what the analyses build and render/output.py writes, with no pandas in it.

The command line writes these tables as they are; the Python API hands them over as DataFrames
(`Table.to_pandas()`), with the dtypes the kinds name. A column is a list or a 1-d NumPy array; its kind
says what it holds and how it is written:

- ``"i"``: integers, never missing (int64)
- ``"f"``: floats, NaN for a missing value (float64)
- ``"b"``: booleans (bool)
- ``"I"``: integers or None (pandas' nullable Int64)
- ``"S"``: text, None for a missing value (pandas' default dtype for strings: ``str`` in pandas 3)
- ``"O"``: other objects, None for a missing value (object)
- ``"x"``: what a DataFrame holds that is neither text nor a number (dates)

Text ("S", "O") is what gets formula-escaped. The kinds follow what pandas made of the same values, down
to tables with no rows: an empty list becomes floats, an empty object array objects, `Table.empty` (as
``DataFrame(columns=...)``) objects, so `to_pandas()` gives the DataFrames the API always gave.

Writers read `Table.values(name)`: plain Python values (int, float, bool, str, ...) with None where a
value is missing.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import math
import operator
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, Union

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

Column = Union[Sequence[Any], np.ndarray]  # a list or a 1-d array
KINDS = ("i", "f", "b", "I", "S", "O", "x")
NUMBER_KINDS = ("i", "f", "I")  # right-aligned in a terminal table
TEXT_KINDS = ("S", "O")  # formula-escaped
_DTYPES = {"i": "int64", "f": "float64", "b": "bool", "I": "Int64", "S": "object", "O": "object", "x": "object"}


class Table:
    """Named columns of equal length, each with a kind (see the module docstring)."""

    __slots__ = ("columns", "kinds", "names")

    def __init__(self, names: Sequence[str], columns: Sequence[Column], kinds: Sequence[str]):
        if not len(names) == len(columns) == len(kinds):
            raise ValueError("Table: names, columns and kinds differ in number")
        lengths = {len(column) for column in columns}
        if len(lengths) > 1:
            raise ValueError(f"Table: columns of different lengths {sorted(lengths)}")
        for kind in kinds:
            if kind not in KINDS:
                raise ValueError(f"Table: unknown kind {kind!r}")
        self.names = list(names)
        self.columns = list(columns)
        self.kinds = list(kinds)

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, data: dict[str, Column], kinds: dict[str, str] | None = None) -> Table:
        """A table of `data` (column name -> values); a kind not given is read from the values."""
        kinds = kinds or {}
        return cls(list(data), list(data.values()), [kinds.get(name) or infer_kind(data[name]) for name in data])

    @classmethod
    def empty(cls, names: Sequence[str]) -> Table:
        """No rows, every column of kind "O" (as `pandas.DataFrame(columns=names)`)."""
        return cls(names, [[] for _ in names], ["O"] * len(names))

    @classmethod
    def from_rows(
        cls, rows: Sequence[Sequence[Any]], names: Sequence[str], kinds: dict[str, str] | None = None
    ) -> Table:
        """A table of row tuples in `names` order."""
        if not rows:  # as DataFrame([], columns=names): objects, but for the kinds given
            kinds = kinds or {}
            return cls(names, [[] for _ in names], [kinds.get(name) or "O" for name in names])
        columns = [list(column) for column in zip(*rows)]
        return cls.build(dict(zip(names, columns)), kinds)

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __repr__(self) -> str:
        return f"Table({len(self)} rows: {', '.join(f'{n}:{k}' for n, k in zip(self.names, self.kinds))})"

    def index(self, name: str) -> int:
        return self.names.index(name)

    def column(self, name: str) -> Column:
        """The column as stored (a list or an array)."""
        return self.columns[self.index(name)]

    def kind(self, name: str) -> str:
        return self.kinds[self.index(name)]

    def values(self, name: str, finite: bool = False) -> list:
        """The column as plain Python values, None where missing (and for +-inf if `finite`)."""
        position = self.index(name)
        return plain_values(self.columns[position], self.kinds[position], finite)

    # ------------------------------------------------------------------ new tables

    def take(self, rows: Sequence[int] | np.ndarray | range) -> Table:
        """The rows at these positions, in this order."""
        rows = np.asarray(rows, dtype=np.int64)
        picked = rows.tolist()
        columns: list[Column] = []
        for column in self.columns:
            if isinstance(column, np.ndarray):
                columns.append(column[rows])
            else:
                columns.append(_pick(column, picked))
        return Table(self.names, columns, self.kinds)

    def head(self, n: int) -> Table:
        return Table(self.names, [column[:n] for column in self.columns], self.kinds)

    def select(self, names: Sequence[str]) -> Table:
        positions = [self.index(name) for name in names]
        return Table(names, [self.columns[p] for p in positions], [self.kinds[p] for p in positions])

    def with_column(self, name: str, values: Column, kind: str | None = None, at: int | None = None) -> Table:
        """A copy with column `name` set to `values` (replaced in place, else inserted at `at` or appended)."""
        kind = kind or infer_kind(values)
        names, columns, kinds = list(self.names), list(self.columns), list(self.kinds)
        if name in names:
            position = names.index(name)
            columns[position], kinds[position] = values, kind
        else:
            position = len(names) if at is None else at
            names.insert(position, name)
            columns.insert(position, values)
            kinds.insert(position, kind)
        return Table(names, columns, kinds)

    def without(self, name: str) -> Table:
        return self.select([n for n in self.names if n != name])

    def order(self, keys: Sequence[tuple[str, bool]]) -> np.ndarray:
        """The stable row order by (column, ascending) keys, missing values last on every key (as pandas'
        `sort_values(..., kind="mergesort")`)."""
        if not len(self):
            return np.zeros(0, dtype=np.int64)
        arrays: list[np.ndarray] = []
        for name, ascending in keys:
            position = self.index(name)
            column, kind = self.columns[position], self.kinds[position]
            if kind in ("i", "b"):
                values = np.asarray(column).astype(np.int64)
                arrays.append(values if ascending else -values)
            elif kind == "f":
                values = np.asarray(column, dtype=np.float64)
                missing = np.isnan(values)
                arrays.append(missing.astype(np.int8))
                values = np.where(missing, 0.0, values)
                arrays.append(values if ascending else -values)
            else:
                plain = plain_values(column, kind)
                missing = np.fromiter(map(operator.is_, plain, itertools.repeat(None)), dtype=bool, count=len(plain))
                present = [value for value in plain if value is not None] if missing.any() else plain
                codes = np.zeros(len(plain), dtype=np.int64)
                codes[~missing] = sorted_codes(present)[1]
                arrays.append(missing.astype(np.int8))
                arrays.append(codes if ascending else -codes)
        return np.lexsort(arrays[::-1])

    def sorted(self, keys: Sequence[tuple[str, bool]]) -> Table:
        return self.take(self.order(keys))

    def filtered(self, keep: np.ndarray) -> Table:
        return self.take(np.flatnonzero(keep))

    @staticmethod
    def concat(tables: Sequence[Table]) -> Table:
        """The tables one under the other (equal names and kinds; floats and ints meet as floats)."""
        first = tables[0]
        columns: list[Column] = []
        kinds: list[str] = []
        if any(table.names != first.names for table in tables):
            raise ValueError("Table.concat: tables with different columns")
        for position in range(len(first.names)):
            parts = [table.columns[position] for table in tables]
            part_kinds = {table.kinds[position] for table in tables}
            if len(part_kinds) == 1:
                kind = part_kinds.pop()
            elif part_kinds <= {"i", "f"}:
                kind = "f"
            else:
                kind = "O"  # as pandas: columns of different dtypes meet as objects
            if kind in ("i", "f", "b"):
                columns.append(np.concatenate([np.asarray(part, dtype=_DTYPES[kind]) for part in parts]))
            else:
                columns.append([value for part in parts for value in _as_list(part)])
            kinds.append(kind)
        return Table(first.names, columns, kinds)

    # ------------------------------------------------------------------ pandas

    def to_pandas(self) -> pd.DataFrame:
        """The same table as a DataFrame (RangeIndex), each column of its kind's dtype."""
        import pandas as pd

        if not self.names:
            return pd.DataFrame()
        data = {}
        for name, column, kind in zip(self.names, self.columns, self.kinds):
            if kind == "I":
                data[name] = pd.array([None if v is None else int(v) for v in _as_list(column)], dtype="Int64")
            elif kind == "S":
                data[name] = pd.Series(_as_list(column), dtype=pd.Series(["text"]).dtype)
            elif kind in ("O", "x"):
                data[name] = pd.Series(_as_list(column), dtype=object)
            else:
                data[name] = np.asarray(column, dtype=_DTYPES[kind])
        return pd.DataFrame(data, columns=self.names)

    @classmethod
    def from_pandas(cls, frame: pd.DataFrame) -> Table:
        """A DataFrame as a table: columns as plain Python values; kinds from the dtypes."""
        columns, kinds = [], []
        for _, column in frame.items():
            kind = _pandas_kind(column.dtype)
            columns.append(_pandas_values(column))
            kinds.append(kind)
        return cls([name for name in frame.columns], columns, kinds)


def _as_list(column: Column) -> list:
    return column.tolist() if isinstance(column, np.ndarray) else list(column)


def infer_kind(values: Column) -> str:
    """The kind pandas gives these values in a new column: an array's dtype (an object array of strings is
    text, an empty one objects); for a list, its values' types (an empty list is floats)."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "iu":
            return "i"
        if values.dtype.kind == "f":
            return "f"
        if values.dtype.kind == "b":
            return "b"
        return "S" if _is_text(values.tolist()) else "O"
    if not len(values):
        return "f"
    if _is_text(values):
        return "S"
    types = {type(value) for value in values}
    if types <= {bool, np.bool_}:
        return "b"
    if types <= {int, np.int64, np.int32}:
        return "i"
    if types <= {int, float, np.int64, np.float64, type(None)} and not types <= {type(None)}:
        return "f"
    return "O"


def _is_text(values) -> bool:
    """Strings, some perhaps None (pandas makes them a text column)."""
    types = {type(value) for value in values}
    return str in types and types <= {str, type(None)}


def _pick(values, rows: list[int]) -> list:
    """values[i] for each i of rows, as a list."""
    if len(rows) < 2:
        return [values[i] for i in rows]
    return list(operator.itemgetter(*rows)(values))


def sorted_codes(values: list) -> tuple[list, np.ndarray]:
    """The distinct values, sorted, and each value's position among them (np.unique with return_inverse)."""
    if not values:
        return [], np.zeros(0, dtype=np.int64)
    if set(map(type, values)) == {str}:
        longest = max(map(len, values))
        if longest <= 32 and "\0" not in "".join(values):  # NumPy sorts such strings as Python does, in C
            distinct, codes = np.unique(np.array(values, dtype=f"<U{max(longest, 1)}"), return_inverse=True)
            return distinct.tolist(), codes.ravel().astype(np.int64)
    distinct_values = sorted(set(values))
    rank = {value: i for i, value in enumerate(distinct_values)}
    return distinct_values, np.fromiter((rank[value] for value in values), dtype=np.int64, count=len(values))


def plain_values(column: Column, kind: str, finite: bool = False) -> list:
    """`column` as plain Python values, None where missing (and for +-inf if `finite`)."""
    values = _as_list(column)
    if kind in TEXT_KINDS and set(map(type, values)) <= {str, type(None)}:
        return values
    if kind in ("i", "b"):
        if isinstance(column, np.ndarray):
            return values
        return [value.item() if isinstance(value, np.generic) else value for value in values]
    if kind == "f":
        array = np.asarray(values, dtype=np.float64)
        keep = (np.isfinite(array) if finite else ~np.isnan(array)).tolist()
        return [value if ok else None for value, ok in zip(array.tolist(), keep)]
    return [_plain(value, finite) for value in values]


def _plain(value: Any, finite: bool) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return None
    if isinstance(value, float) and (math.isnan(value) or (finite and math.isinf(value))):
        return None
    return value


def _pandas_kind(dtype) -> str:
    import pandas as pd

    if isinstance(dtype, pd.StringDtype):
        return "S"
    if dtype == object or isinstance(dtype, pd.CategoricalDtype):  # noqa: E721 - a dtype
        return "O"
    if pd.api.types.is_bool_dtype(dtype):
        return "b"
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return "i"
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return "f"
    if pd.api.types.is_numeric_dtype(dtype):
        return "I"  # nullable ints and floats: numbers that may be missing
    return "x"  # dates and the like: neither text nor numbers


def _pandas_values(column: pd.Series) -> list:
    import pandas as pd

    values = column.tolist()
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return values
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return values  # NaN and inf kept: plain_values reads them
    return [None if value is pd.NA or value is pd.NaT else value for value in values]


P = ParamSpec("P")


def dataframe_api(table_function: Callable[P, Table], name: str) -> Callable[P, "pd.DataFrame"]:
    """The Python API's face of a `*_table` function: the same parameters and documentation, the result as
    a pandas DataFrame (the command line writes the Table itself, without importing pandas)."""

    @functools.wraps(table_function)
    def as_frame(*args: P.args, **kwargs: P.kwargs) -> "pd.DataFrame":
        given = (("corpus", args[0] if args else kwargs.get("corpus")), ("reference", kwargs.get("reference")))
        for parameter, value in given:
            if isinstance(value, (str, os.PathLike)):  # a path where a corpus belongs: say how to read it
                from kcorpus.errors import InvalidArgument

                raise InvalidArgument(parameter, f"is a path ({value}): pass kc.read_corpus({str(value)!r})")
        return table_function(*args, **kwargs).to_pandas()

    as_frame.__name__ = as_frame.__qualname__ = name
    table_name = table_function.__name__
    as_frame.__doc__ = (
        f"{table_function.__doc__ or ''}\n\n    A pandas DataFrame; `kcorpus.api.{table_name}` gives the rows as a "
        "Table."
    )
    signature = inspect.signature(table_function).replace(return_annotation="pd.DataFrame")
    as_frame.__signature__ = signature  # type: ignore[attr-defined]
    return as_frame
