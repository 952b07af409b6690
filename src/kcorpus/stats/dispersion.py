"""Dispersion of a term over the parts of a corpus: Gries' DP, Juilland's D."""

from __future__ import annotations

import numpy as np

from kcorpus.stats._core import _f, _out, _sparse_rows, row_blocks
from kcorpus.stats.csr import CSR, is_scipy_sparse

# --------------------------------------------------------------------------- dispersion


def _parts(counts_by_part, part_sizes, positive: bool):
    sizes = _f(part_sizes).ravel()
    if np.any(sizes < 0) or (positive and np.any(sizes <= 0)):
        raise ValueError("part_sizes must be " + ("> 0" if positive else ">= 0"))
    if not sizes.sum() > 0:
        raise ValueError("part_sizes must sum to a positive number")
    one_term = False
    sparse_input = is_scipy_sparse(counts_by_part)
    if sparse_input:
        import scipy.sparse as sp

        m = sp.csr_array(counts_by_part, dtype=np.float64, copy=True)
        m.sum_duplicates()
    else:
        m = _f(counts_by_part)
        if m.ndim == 1:
            one_term = True
            m = m[None, :]
        if m.ndim != 2:
            raise ValueError("counts_by_part must be 1-D (one term) or 2-D (terms × parts)")
    if m.shape[1] != sizes.shape[0]:
        raise ValueError(f"counts_by_part has {m.shape[1]} parts but part_sizes has {sizes.shape[0]}")
    data = m.data if sparse_input else m
    if data.size and np.min(data) < 0:
        raise ValueError("counts_by_part must be >= 0")
    return m, sizes, one_term


def gries_dp(counts_by_part, part_sizes, normalised: bool = True):
    """Gries' deviation of proportions (Gries 2008, "Dispersions and adjusted frequencies
    in corpora"); normalised by Lijffijt & Gries 2012 (correction, IJCL 17(1)).

    DP = ½ Σ_i |v_i/f − s_i|, s_i = part_size_i/Σ part_sizes, f = Σ_i v_i;
    DPnorm = DP/(1 − min_i s_i).  0 = spread exactly like the part sizes; DPnorm = 1
    when every occurrence is in the smallest part.  f = 0 → nan; one part → DP 0,
    DPnorm nan.

    ``counts_by_part``: (n_terms, n_parts) dense array or scipy.sparse matrix (kept
    sparse: a part with v_i = 0 contributes s_i, so DP = ½(1 + Σ_{v_i>0}(|v_i/f − s_i| − s_i))),
    or a 1-D array for one term (returns a scalar).
    """
    m, sizes, one_term = _parts(counts_by_part, part_sizes, positive=False)
    s = sizes / sizes.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        if is_scipy_sparse(m):
            f = np.empty(m.shape[0])
            dp = np.empty(m.shape[0])
            for low, high in row_blocks(m.indptr):  # temporaries for a block of rows at a time, not the whole
                block = m[low:high]
                rows = _sparse_rows(block)
                f[low:high] = np.bincount(rows, weights=block.data, minlength=high - low)
                contrib = np.abs(block.data / f[low:high][rows] - s[block.indices]) - s[block.indices]
                dp[low:high] = 0.5 * (1.0 + np.bincount(rows, weights=contrib, minlength=high - low))
        else:
            f = m.sum(axis=1)
            dp = 0.5 * np.abs(m / f[:, None] - s[None, :]).sum(axis=1)
        dp = np.where(f > 0, np.clip(dp, 0.0, 1.0), np.nan)
        if normalised:
            denom = 1.0 - s.min()
            dp = dp / denom if denom > 0 else np.full_like(dp, np.nan)
    return _out(dp[0] if one_term else dp)


def gries_dp_of_columns(counts, part_sizes, normalised: bool = True) -> np.ndarray:
    """gries_dp of every column (term) of a sparse (parts × terms) count matrix (a scipy.sparse matrix or a
    kcorpus CSR), read a block of rows at a time: no transposed or floating-point copy of the matrix."""
    counts = (counts if isinstance(counts, CSR) else CSR.from_scipy(counts)).with_distinct_cells()
    sizes = _f(part_sizes).ravel()
    if np.any(sizes < 0) or not sizes.sum() > 0 or counts.shape[0] != sizes.shape[0]:
        raise ValueError("part_sizes must be >= 0, sum to a positive number and match the rows")
    if counts.data.size and counts.data.min() < 0:
        raise ValueError("counts must be >= 0")
    s = sizes / sizes.sum()
    f = np.asarray(counts.column_sums(), dtype=np.float64)
    summed = np.zeros(counts.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        for low, high in row_blocks(counts.indptr, 1 << 20):
            cells = slice(counts.indptr[low], counts.indptr[high])
            columns = counts.indices[cells]
            rows = np.repeat(np.arange(low, high), np.diff(counts.indptr[low : high + 1]))
            contrib = np.abs(counts.data[cells] / f[columns] - s[rows]) - s[rows]
            np.add.at(summed, columns, contrib)  # each term's cells in row order, as gries_dp adds them
        dp = np.where(f > 0, np.clip(0.5 * (1.0 + summed), 0.0, 1.0), np.nan)
        if normalised:
            denom = 1.0 - s.min()
            dp = dp / denom if denom > 0 else np.full_like(dp, np.nan)
    return dp


def juilland_d(counts_by_part, part_sizes):
    """Juilland's D (Juilland & Chang-Rodríguez 1964; formula as in Gries 2008).

    D = 1 − CV/sqrt(n−1), CV = population SD / mean of the relative frequencies
    p_i = v_i/part_size_i over the n parts (the variant for unequal part sizes, as in
    Gries' dispersion scripts; with equal parts it equals the raw-count version).
    1 = perfectly even, 0 = all in one part.  n < 2 or no occurrences → nan.
    Sparse input stays sparse (empty parts add (n − nnz)·mean² to the sum of squares).
    ``part_sizes`` must be > 0.
    """
    m, sizes, one_term = _parts(counts_by_part, part_sizes, positive=True)
    k = sizes.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if is_scipy_sparse(m):
            rows = _sparse_rows(m)
            p = m.data / sizes[m.indices]
            mean = np.bincount(rows, weights=p, minlength=m.shape[0]) / k
            nnz = np.diff(m.indptr)
            ss = np.bincount(rows, weights=(p - mean[rows]) ** 2, minlength=m.shape[0])
            var = (ss + (k - nnz) * mean**2) / k
        else:
            p = m / sizes[None, :]
            mean = p.mean(axis=1)
            var = ((p - mean[:, None]) ** 2).mean(axis=1)
        if k < 2:
            d = np.full(m.shape[0], np.nan)
        else:
            cv = np.sqrt(var) / mean
            d = np.where(mean > 0, np.clip(1.0 - cv / np.sqrt(k - 1), 0.0, 1.0), np.nan)
    return _out(d[0] if one_term else d)


def spread_within_groups(per_doc: CSR, group_of_doc, n_groups: int) -> tuple[CSR, np.ndarray, np.ndarray]:
    """Each group's counts (groups × terms, canonical) and, for each of its cells, the documents of that
    group holding the term and the term's Gries DP (normalised) over the group's documents: the same
    numbers as gries_dp_of_columns on each group's rows alone (nan for a group of one document)."""
    per_doc = per_doc.with_distinct_cells()
    group_of_doc = np.asarray(group_of_doc, dtype=np.int64)
    sizes = np.asarray(per_doc.row_sums(), dtype=np.float64)
    group_sizes = np.bincount(group_of_doc, weights=sizes, minlength=n_groups)
    per_group = per_doc.summed_rows(group_of_doc, n_groups)
    columns = np.int64(per_doc.shape[1])
    keys = per_group.cell_rows() * columns + per_group.indices  # sorted: the matrix is canonical
    totals = np.asarray(per_group.data, dtype=np.float64)
    summed = np.zeros(per_group.nnz)
    docs = np.zeros(per_group.nnz, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = sizes / group_sizes[group_of_doc]  # each document's part of its group
        for low, high in row_blocks(per_doc.indptr, 1 << 20):
            cells = slice(per_doc.indptr[low], per_doc.indptr[high])
            rows = np.repeat(np.arange(low, high), np.diff(per_doc.indptr[low : high + 1]))
            at = np.searchsorted(keys, group_of_doc[rows] * columns + per_doc.indices[cells])
            kept = per_doc.data[cells] != 0  # a stored zero is no occurrence (summed_rows leaves it out)
            at, rows = at[kept], rows[kept]
            contrib = np.abs(per_doc.data[cells][kept] / totals[at] - share[rows]) - share[rows]
            summed += np.bincount(at, weights=contrib, minlength=per_group.nnz)
            docs += np.bincount(at, minlength=per_group.nnz)
        smallest = np.full(n_groups, np.inf)
        np.minimum.at(smallest, group_of_doc, share)
        denom = (1.0 - smallest)[per_group.cell_rows()]
        dp = np.clip(0.5 * (1.0 + summed), 0.0, 1.0)
        dp = np.where(denom > 0, dp / denom, np.nan)
    return per_group, docs, dp
