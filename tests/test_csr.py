"""kcorpus.stats.csr.CSR against scipy.sparse on random matrices: the same sums, documents per term, rows summed
per label, columns merged, rows taken and Gries' DP, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from kcorpus import stats
from kcorpus.stats.csr import CSR, is_scipy_sparse


def duplicated_first_cell(matrix: sparse.csr_array) -> sparse.csr_array:
    """`matrix` with its first stored cell stored twice more in the same row (three parts of one count)."""
    first_row = int(np.searchsorted(matrix.indptr, 0, side="right")) - 1
    at = int(matrix.indptr[first_row])
    data = np.insert(matrix.data, at, [matrix.data[at], matrix.data[at]])
    indices = np.insert(matrix.indices, at, [matrix.indices[at], matrix.indices[at]])
    indptr = matrix.indptr.astype(np.int64).copy()
    indptr[first_row + 1 :] += 2
    return sparse.csr_array((data, indices, indptr), shape=matrix.shape)


@st.composite
def plain_matrices(draw, dtype=np.int32):
    """A random scipy CSR, canonical or not: unsorted rows, or one cell stored in three parts."""
    n_rows = draw(st.integers(0, 7))
    n_columns = draw(st.integers(1, 9))
    dense = np.array(
        draw(
            st.lists(
                st.lists(st.integers(0, 50), min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows
            )
        ),
        dtype=dtype,
    ).reshape(n_rows, n_columns)
    matrix = sparse.csr_array(dense)
    if matrix.nnz and draw(st.booleans()):
        order = np.concatenate(
            [np.arange(matrix.indptr[i], matrix.indptr[i + 1])[::-1] for i in range(matrix.shape[0])]
        ).astype(np.int64)
        matrix = sparse.csr_array((matrix.data[order], matrix.indices[order], matrix.indptr), shape=matrix.shape)
    if matrix.nnz and draw(st.booleans()):
        matrix = duplicated_first_cell(matrix)
    return matrix


def same(left: np.ndarray, right: np.ndarray) -> None:
    left, right = np.asarray(left), np.asarray(right)
    assert left.shape == right.shape
    assert left.dtype == right.dtype, (left.dtype, right.dtype)
    assert left.tobytes() == right.tobytes()


def same_matrix(ours: CSR, theirs) -> None:
    """The same cells and shape (in scipy's canonical form); a matrix that says its cells are distinct has
    no cell stored twice."""
    theirs = sparse.csr_array(theirs, copy=True)
    theirs.sum_duplicates()
    assert ours.shape == theirs.shape
    if ours.distinct:
        assert ours.canonical().nnz == ours.nnz
    assert ours.has_distinct_cells()
    ours = ours.canonical()
    assert ours.has_canonical_format()
    same(np.asarray(ours.indptr, dtype=np.int64), np.asarray(theirs.indptr, dtype=np.int64))
    same(np.asarray(ours.indices, dtype=np.int64), np.asarray(theirs.indices, dtype=np.int64))
    assert ours.data.tolist() == theirs.data.tolist()


@settings(max_examples=300, deadline=None)
@given(plain_matrices(), st.sampled_from([1, 2, 3, 1 << 22]))
def test_sums_and_documents_per_term_equal_scipys(matrix, block):
    """Also when row and column sums go a few cells at a time (as a large matrix's do)."""
    from kcorpus.stats import csr as module

    ours = CSR.from_scipy(matrix)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_BLOCK_CELLS", block)
        same(ours.row_sums(), np.asarray(matrix.sum(axis=1)).ravel())
        same(ours.column_sums(), np.asarray(matrix.sum(axis=0)).ravel())
        canonical = sparse.csr_array(matrix, copy=True)
        canonical.sum_duplicates()
        expected = np.bincount(canonical.indices, minlength=matrix.shape[1]).astype(np.int64)
        same(ours.canonical().column_counts(), expected)
    same(ours.toarray(), matrix.toarray())
    same_matrix(ours.canonical(), matrix)
    assert ours.to_scipy().shape == matrix.shape
    assert (ours.to_scipy() != matrix).nnz == 0


@settings(max_examples=300, deadline=None)
@given(plain_matrices(), st.data(), st.booleans())
def test_rows_summed_per_label_equal_an_indicator_product(matrix, data, dense):
    from kcorpus.stats import csr as module

    n_labels = data.draw(st.integers(1, 4))
    labels = np.array(
        data.draw(st.lists(st.integers(0, n_labels - 1), min_size=matrix.shape[0], max_size=matrix.shape[0])),
        dtype=np.int64,
    )
    indicator = sparse.csr_array(
        (np.ones(len(labels), dtype=np.int64), (labels, np.arange(len(labels)))), shape=(n_labels, len(labels))
    )
    saved = module._DENSE_CELLS, module._DENSE_PER_CELL
    if not dense:  # the sort, as for many labels, instead of the dense accumulator
        module._DENSE_CELLS, module._DENSE_PER_CELL = 0, 0
    try:
        ours = CSR.from_scipy(matrix).summed_rows(labels, n_labels)
    finally:
        module._DENSE_CELLS, module._DENSE_PER_CELL = saved
    assert ours.dtype == np.int64
    same_matrix(ours, indicator @ matrix)


@settings(max_examples=300, deadline=None)
@given(plain_matrices(), st.data())
def test_columns_merged_equal_a_merge_product(matrix, data):
    if data.draw(st.booleans()):  # columns renumbered one to one (into a wider matrix, maybe)
        n_out = matrix.shape[1] + data.draw(st.integers(0, 3))
        column_of = np.array(data.draw(st.permutations(list(range(n_out)))), dtype=np.int64)[: matrix.shape[1]]
    else:
        n_out = data.draw(st.integers(1, matrix.shape[1]))
        column_of = np.array(
            data.draw(st.lists(st.integers(0, n_out - 1), min_size=matrix.shape[1], max_size=matrix.shape[1])),
            dtype=np.int64,
        )
    merge = sparse.csr_array(
        (np.ones(len(column_of), dtype=np.int64), (np.arange(len(column_of)), column_of)),
        shape=(len(column_of), n_out),
    )
    ours = CSR.from_scipy(matrix).merged_columns(column_of, n_out)
    renumbered = len(set(column_of.tolist())) == len(column_of)  # one to one: the values keep their type
    assert ours.dtype == np.int64 or (renumbered and ours.dtype == matrix.dtype)
    same_matrix(ours, matrix @ merge)
    sizes = ours.row_sums() + 1  # Gries' DP of the merged columns (rows unsorted or not): scipy's, bit for bit
    if len(sizes):
        same(stats.gries_dp_of_columns(ours, sizes), stats.gries_dp_of_columns(matrix @ merge, sizes))


@settings(max_examples=300, deadline=None)
@given(plain_matrices(), st.data())
def test_rows_taken_equal_scipys_row_indexing(matrix, data):
    if not matrix.shape[0]:
        return
    rows = data.draw(st.lists(st.integers(0, matrix.shape[0] - 1), max_size=6))
    ours = CSR.from_scipy(matrix).take_rows(rows)
    theirs = matrix[np.array(rows, dtype=np.int64), :]
    assert ours.shape == theirs.shape
    same(ours.toarray(), theirs.toarray())
    same(ours.row_sums(), np.asarray(theirs.sum(axis=1)).ravel())


@settings(max_examples=300, deadline=None)
@given(plain_matrices(), st.data())
def test_gries_dp_of_a_csr_is_gries_dp_of_the_scipy_matrix_bit_for_bit(matrix, data):
    sizes = np.array(
        data.draw(st.lists(st.integers(0, 10_000), min_size=matrix.shape[0], max_size=matrix.shape[0])),
        dtype=np.int64,
    )
    if not matrix.shape[0] or not sizes.sum():
        return
    ours = stats.gries_dp_of_columns(CSR.from_scipy(matrix), sizes)
    theirs = stats.gries_dp_of_columns(matrix, sizes)
    same(ours, theirs)
    dense = stats.gries_dp(np.asarray(matrix.toarray(), dtype=np.float64).T, sizes)
    np.testing.assert_allclose(ours, np.atleast_1d(dense), rtol=1e-12, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(plain_matrices(), st.data())
def test_cells_in_any_order_make_the_canonical_matrix(matrix, data):
    coo = matrix.tocoo()
    order = np.array(data.draw(st.permutations(list(range(coo.nnz)))), dtype=np.int64)
    ours = CSR.from_cells(coo.row[order], coo.col[order], coo.data[order], matrix.shape)
    same_matrix(ours, matrix)


def test_a_dense_array_and_scipy_formats_become_the_same_csr():
    dense = np.array([[0, 2, 0], [1, 0, 3]], dtype=np.int64)
    for given_matrix in (dense, sparse.csr_array(dense), sparse.coo_array(dense), sparse.csc_matrix(dense)):
        csr = CSR.from_scipy(given_matrix)
        same(csr.toarray(), dense)
        assert csr.has_canonical_format()
    assert is_scipy_sparse(sparse.csr_array(dense)) and not is_scipy_sparse(dense)
    with pytest.raises(ValueError):
        CSR(np.zeros(1), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), (2, 2))


def test_float_row_sums_are_float64():
    csr = CSR(np.array([0.5, 0.25, 1.0]), np.array([0, 2, 1]), np.array([0, 2, 2, 3]), (3, 3))
    same(csr.row_sums(), np.array([0.75, 0.0, 1.0]))
    same(csr.column_sums(), np.array([0.5, 1.0, 0.25]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-(2**40), 2**40), max_size=30), st.sampled_from([np.int64, np.int32, np.uint8]))
def test_distinct_ints_is_numpys_unique(values, dtype):
    from kcorpus.stats._core import distinct_ints

    array = np.asarray([v % 200 for v in values] if dtype is np.uint8 else values, dtype=np.int64).astype(dtype)
    if dtype is np.int32:
        array = np.asarray([v % 2**31 for v in values], dtype=np.int32)
    ours = distinct_ints(array)
    assert ours.dtype == np.unique(array).dtype and ours.tolist() == np.unique(array).tolist()


@settings(max_examples=300, deadline=None)
@given(plain_matrices(), st.data())
def test_spread_within_groups_is_each_groups_own_dispersion(matrix, data):
    n_rows = matrix.shape[0]
    n_groups = data.draw(st.integers(1, 4))
    group_of = np.array(data.draw(st.lists(st.integers(0, n_groups - 1), min_size=n_rows, max_size=n_rows)), dtype=int)
    whole = CSR.from_scipy(matrix)
    per_group, docs, dp = stats.spread_within_groups(whole, group_of, n_groups)
    same(per_group.toarray(), CSR.from_scipy(matrix).summed_rows(group_of, n_groups).toarray())
    for group in range(n_groups):
        rows = np.flatnonzero(group_of == group)
        part = whole.take_rows(rows)
        cells = slice(per_group.indptr[group], per_group.indptr[group + 1])
        columns = per_group.indices[cells]
        dense = part.toarray()
        np.testing.assert_array_equal(docs[cells], (dense[:, columns] != 0).sum(axis=0))
        if not len(columns):
            continue
        expected = stats.gries_dp_of_columns(part, part.row_sums())[columns]
        np.testing.assert_allclose(dp[cells], expected, rtol=1e-12, atol=1e-12)
        assert np.isnan(dp[cells]).all() == (len(rows) == 1)
