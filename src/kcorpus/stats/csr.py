"""A compressed sparse row matrix of plain NumPy arrays: the count matrices of the warm path without scipy.

`CSR` holds what scipy's ``csr_array`` holds (data, indices, indptr, shape) and does the few things word
lists and keyness need: row and column sums, documents per column, rows summed per label, columns merged,
rows taken. Importing scipy.sparse costs more than a warm `kcorpus freq` computes on the bundled corpus;
`to_scipy()` gives the same matrix as a scipy ``csr_array`` (sharing the arrays) where an analysis needs
scipy (topics, tf-idf, the Python API's `CountMatrix.matrix`).

Sums of integer cells are int64 and of float cells float64, as scipy's ``sum`` gives them.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from kcorpus.stats._core import row_blocks

# rows are summed per label in a dense row of every column (no sort) when the labels' rows hold at most this
# many cells together, or this many per stored cell
_DENSE_CELLS = 1 << 20
_DENSE_PER_CELL = 16
_BLOCK_CELLS = 1 << 22  # cells whose values are widened at once by row and column sums


def is_scipy_sparse(value: Any) -> bool:
    """Whether `value` is a scipy.sparse matrix or array, without importing scipy (nothing made by scipy
    exists before scipy.sparse is imported)."""
    module = sys.modules.get("scipy.sparse")
    return module is not None and module.issparse(value)


def _index_dtype(n_columns: int) -> np.dtype:
    """Column numbers as int32 when they fit (half the memory of a large matrix's indices)."""
    return np.dtype(np.int32) if n_columns <= np.iinfo(np.int32).max else np.dtype(np.int64)


def _sum_dtype(dtype: np.dtype) -> np.dtype:
    if dtype.kind in "biu":
        return np.dtype(np.uint64) if dtype.kind == "u" and dtype.itemsize >= 8 else np.dtype(np.int64)
    return np.result_type(dtype, np.float64) if dtype.kind == "f" else dtype


class CSR:
    """(rows × columns) sparse matrix in compressed sparse row form: row i's cells are
    ``indices[indptr[i]:indptr[i+1]]`` (columns) with ``data`` at the same places.

    `distinct` says that no cell is stored twice in a row (its columns need not be ascending): sums per column
    and documents per column need only that, so a matrix whose columns are renumbered one to one is not
    sorted again. Whatever makes a matrix here sets it when it knows.
    """

    __slots__ = ("data", "distinct", "indices", "indptr", "shape")

    def __init__(
        self,
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        shape: tuple[int, int],
        *,
        distinct: bool = False,
    ):
        self.data = np.asarray(data)
        self.indices = np.asarray(indices)
        self.indptr = np.asarray(indptr)
        self.shape = (int(shape[0]), int(shape[1]))
        self.distinct = distinct
        if len(self.indptr) != self.shape[0] + 1 or len(self.indices) != len(self.data):
            raise ValueError(f"CSR arrays do not fit the shape {self.shape}")

    def __repr__(self) -> str:
        return f"<CSR {self.shape[0]}x{self.shape[1]} {self.data.dtype}, {self.nnz} stored cells>"

    # ------------------------------------------------------------------ conversions

    @classmethod
    def from_scipy(cls, matrix: Any) -> CSR:
        """A scipy.sparse matrix (any format) or a dense 2-D array as CSR (scipy's arrays, not copies,
        when it is CSR already)."""
        if not is_scipy_sparse(matrix):
            return cls.from_dense(np.asarray(matrix))
        m = matrix if matrix.format == "csr" else matrix.tocsr()
        return cls(m.data, m.indices, m.indptr, m.shape, distinct=bool(m.has_canonical_format))

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> CSR:
        """The nonzero cells of a 2-D array, row by row (columns ascending)."""
        dense = np.asarray(dense)
        if dense.ndim != 2:
            raise ValueError("a CSR matrix is made from a 2-D array")
        rows, columns = np.nonzero(dense)
        indptr = np.zeros(dense.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=dense.shape[0]), out=indptr[1:])
        return cls(dense[rows, columns], columns.astype(np.int64), indptr, dense.shape, distinct=True)

    @classmethod
    def from_cells(
        cls,
        rows: np.ndarray,
        columns: np.ndarray,
        values: np.ndarray,
        shape: tuple[int, int],
        dtype=None,
        *,
        drop_zeros: bool = False,
    ) -> CSR:
        """Cells (row, column, value) in any order; a cell given more than once is summed (in the order given).
        The result has each row's columns ascending and distinct (canonical, as scipy's sum_duplicates leaves
        it); integer values are summed as int64 unless `dtype` says otherwise. `drop_zeros`: leave out cells
        that sum to 0, as scipy's matrix product does."""
        rows = np.asarray(rows, dtype=np.int64)
        columns = np.asarray(columns, dtype=np.int64)
        values = np.asarray(values)
        n_rows, n_columns = int(shape[0]), int(shape[1])
        key = rows * max(n_columns, 1) + columns
        if len(key) > 1 and not (key[1:] >= key[:-1]).all():
            order = np.argsort(key, kind="stable")  # equal cells keep their order: the same float sums
            key, rows, columns, values = key[order], rows[order], columns[order], values[order]
        dtype = np.dtype(dtype) if dtype is not None else _sum_dtype(values.dtype)
        if len(key) > 1 and not (fresh := key[1:] != key[:-1]).all():
            starts = np.flatnonzero(np.concatenate([[True], fresh]))
            values = np.add.reduceat(values, starts, dtype=_sum_dtype(values.dtype))
            rows, columns = rows[starts], columns[starts]
        if drop_zeros and not values.all():
            kept = np.flatnonzero(values)
            rows, columns, values = rows[kept], columns[kept], values[kept]
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        return cls(values.astype(dtype, copy=False), columns, indptr, (n_rows, n_columns), distinct=True)

    def to_scipy(self):
        """The same matrix as a scipy.sparse ``csr_array`` (built on these arrays, as scipy casts them)."""
        from scipy import sparse

        return sparse.csr_array((self.data, self.indices, self.indptr), shape=self.shape)

    def toarray(self) -> np.ndarray:
        """The dense (rows × columns) array; cells stored twice are added."""
        dense = np.zeros(self.shape, dtype=self.data.dtype)
        np.add.at(dense, (self.cell_rows(), self.indices), self.data)
        return dense

    # ------------------------------------------------------------------ facts

    @property
    def nnz(self) -> int:
        return len(self.data)

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def cell_rows(self) -> np.ndarray:
        """The row of every stored cell."""
        return np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(self.indptr))

    def row_sums(self) -> np.ndarray:
        """The sum of each row (int64 for integer cells, float64 for floating-point ones)."""
        dtype = _sum_dtype(self.data.dtype)
        if self.data.dtype.kind not in "biu":
            return np.bincount(self.cell_rows(), weights=self.data, minlength=self.shape[0]).astype(dtype, copy=False)
        # exact: integer cumulative sums, then differences at the row ends, a block of rows at a time (a
        # cumulative sum of every cell at once would be a copy of the whole matrix's values)
        sums = np.zeros(self.shape[0], dtype=dtype)
        for low, high in row_blocks(self.indptr, _BLOCK_CELLS):
            base = int(self.indptr[low])
            running = np.zeros(int(self.indptr[high]) - base + 1, dtype=dtype)
            np.cumsum(self.data[base : self.indptr[high]], dtype=dtype, out=running[1:])
            sums[low:high] = running[self.indptr[low + 1 : high + 1] - base] - running[self.indptr[low:high] - base]
        return sums

    def column_sums(self) -> np.ndarray:
        """The sum of each column (int64 for integer cells, float64 for floating-point ones)."""
        dtype = _sum_dtype(self.data.dtype)
        summed = np.zeros(self.shape[1], dtype=dtype)
        for at in range(0, self.nnz, _BLOCK_CELLS):  # values widened a block at a time, not all at once
            cells = slice(at, at + _BLOCK_CELLS)
            np.add.at(summed, self.indices[cells], self.data[cells].astype(dtype, copy=False))
        return summed

    def column_counts(self) -> np.ndarray:
        """Stored cells per column (the rows a term occurs in, when no cell is stored twice or as 0)."""
        counted = np.zeros(self.shape[1], dtype=np.int64)
        for at in range(0, self.nnz, _BLOCK_CELLS):  # bincount widens the indices: a block at a time
            counted += np.bincount(self.indices[at : at + _BLOCK_CELLS], minlength=self.shape[1])
        return counted

    def has_distinct_cells(self) -> bool:
        """Whether no cell is stored twice in a row (known, or seen from ascending columns)."""
        return self.distinct or self.has_canonical_format()

    def has_canonical_format(self) -> bool:
        """Whether each row's columns are ascending and distinct."""
        if self.nnz < 2:
            return True
        rising = np.diff(self.indices.astype(np.int64)) > 0
        row_ends = self.indptr[1:-1]
        rising[row_ends[(row_ends > 0) & (row_ends < self.nnz)] - 1] = True  # a new row may start lower
        return bool(rising.all())

    # ------------------------------------------------------------------ new matrices

    def canonical(self) -> CSR:
        """This matrix with each row's columns ascending and distinct (cells stored twice added)."""
        if self.has_canonical_format():
            self.distinct = True
            return self
        return CSR.from_cells(self.cell_rows(), self.indices, self.data, self.shape, self.data.dtype)

    def with_distinct_cells(self) -> CSR:
        """This matrix if no cell is stored twice in a row, else the canonical one (cells stored twice added)."""
        return self if self.has_distinct_cells() else self.canonical()

    def take_rows(self, rows) -> CSR:
        """The rows `rows` (positions, in that order; repeats allowed) as a new matrix."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        sizes = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        at = np.repeat(starts - indptr[:-1], sizes) + np.arange(indptr[-1], dtype=np.int64)
        return CSR(self.data[at], self.indices[at], indptr, (len(rows), self.shape[1]), distinct=self.distinct)

    def summed_rows(self, label_of_row, n_labels: int) -> CSR:
        """Rows added up per label: row i goes to row ``label_of_row[i]`` of an (n_labels × columns) matrix
        (canonical; integer cells become int64; cells that sum to 0 are left out), as the product of an
        indicator matrix with this one."""
        label_of_row = np.asarray(label_of_row, dtype=np.int64)
        shape = (n_labels, self.shape[1])
        if self.data.dtype.kind in "biu" and n_labels * self.shape[1] <= max(_DENSE_PER_CELL * self.nnz, _DENSE_CELLS):
            return self._summed_rows_dense(label_of_row, n_labels)
        return CSR.from_cells(label_of_row[self.cell_rows()], self.indices, self.data, shape, drop_zeros=True)

    def _summed_rows_dense(self, label_of_row: np.ndarray, n_labels: int) -> CSR:
        """summed_rows of integer cells, one label at a time in a dense row of every column (no sort)."""
        order = np.argsort(label_of_row, kind="stable")
        grouped = self.take_rows(order)  # the rows of each label together, in their order
        first_row = np.searchsorted(label_of_row[order], np.arange(n_labels + 1))
        bounds = grouped.indptr[first_row]
        columns, values, sizes = [], [], np.zeros(n_labels, dtype=np.int64)
        for label in range(n_labels):
            cells = slice(bounds[label], bounds[label + 1])
            summed = np.bincount(grouped.indices[cells], weights=grouped.data[cells], minlength=self.shape[1])
            found = np.flatnonzero(summed)  # exact: float64 holds every count sum below 2**53
            columns.append(found)
            values.append(summed[found].astype(np.int64))
            sizes[label] = len(found)
        indptr = np.zeros(n_labels + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        data = np.concatenate(values) if values else np.zeros(0, dtype=np.int64)
        indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        return CSR(data, indices, indptr, (n_labels, self.shape[1]), distinct=True)

    def merged_columns(self, column_of, n_columns: int) -> CSR:
        """Columns added up: column j goes to column ``column_of[j]`` of a (rows × n_columns) matrix (cells
        that sum to 0 are left out), as the product of this matrix with a merging matrix. Columns renumbered
        one to one keep each row's order and their values' type (the cells stay distinct, unsorted); columns
        that merge give the canonical matrix, integer cells as int64."""
        column_of = np.asarray(column_of, dtype=np.int64)
        shape = (self.shape[0], n_columns)
        one_to_one = not len(column_of) or int(np.bincount(column_of, minlength=n_columns).max()) <= 1
        if one_to_one and self.has_distinct_cells() and self.data.all():  # the same cells: values as they are
            columns = column_of.astype(_index_dtype(n_columns))[self.indices]
            return CSR(self.data, columns, self.indptr, shape, distinct=True)
        return CSR.from_cells(self.cell_rows(), column_of[self.indices], self.data, shape, drop_zeros=True)
