"""Placing units on NMF topics: the exact non-negative least-squares weights of every unit.

argmin_w>=0 ||x_u - w H|| for every row x_u. With G = H Hᵀ (plus a tiny ridge) and b_u = H x_u this is
min ½ wᵀ G w − b_uᵀ w over k weights, the problem scipy.optimize.nnls solves as min ||Lᵀ w − L⁻¹ b_u||
(G = L Lᵀ). G is positive definite, so the solution is unique and every exact method finds it; methods
differ only by rounding (about 1e-12 here).

- Fewer than BATCH_MIN_UNITS units: scipy's nnls, one unit at a time (what kcorpus always did, so the
  tables of small corpora stay byte for byte the same).
- More: block principal pivoting (Kim & Park 2011, with Júdice & Pires' backup rule) on BATCH_ROWS
  units at once: every unit keeps its own passive set, all units swap their infeasible variables
  together, and the systems G[F, F] s = b_F are solved together, grouped by the size of F. A unit
  that has not converged after MAX_ROUNDS rounds (not seen in practice) goes to scipy's nnls.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

BATCH_MIN_UNITS = 50_000  # from this many units up, units are placed together (vectorised)
BATCH_ROWS = 8192  # units solved together
MAX_ROUNDS = 100  # rounds of block principal pivoting before a unit goes to scipy's nnls
BACKUP_TRIES = 3  # full exchanges allowed without fewer infeasible variables before single exchanges


def least_squares_weights(x, components: np.ndarray, *, batch_min_units: int | None = None) -> np.ndarray:
    """The exact non-negative least-squares weights of every row of `x` (units × terms, sparse) on the rows
    of `components` (topics × terms): units × topics. Rows of x without terms get zero weights."""
    from scipy.linalg import cholesky, solve_triangular

    gram = components @ components.T
    ridge = 1e-12 * max(float(np.trace(gram)), 1e-300)
    regular = gram + ridge * np.eye(len(gram))
    projected = np.asarray(sparse.csr_matrix(x) @ components.T)  # b_u of every unit: units × k
    if x.shape[0] >= (BATCH_MIN_UNITS if batch_min_units is None else batch_min_units):
        return batched_nnls(regular, projected)
    lower = cholesky(regular, lower=True)
    targets = solve_triangular(lower, projected.T, lower=True).T
    return _scipy_nnls(lower, targets)


def batched_nnls(gram: np.ndarray, projected: np.ndarray, *, batch_rows: int = BATCH_ROWS) -> np.ndarray:
    """argmin_w>=0 ½ wᵀ gram w − b·w for every row b of `projected` (gram positive definite)."""
    weights = np.zeros(projected.shape, dtype=np.float64)
    for start in range(0, len(projected), batch_rows):
        part = projected[start : start + batch_rows]
        live = np.flatnonzero(part.any(axis=1))
        if len(live):
            weights[start + live] = _pivoting(gram, part[live])
    return weights


def _pivoting(gram: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Block principal pivoting on every row of b at once."""
    n, k = b.shape
    tol = 1e-13 * max(float(np.abs(gram).max()), float(np.abs(b).max()), 1e-300)
    passive = b > 0  # first guess: the unconstrained directions of ascent
    w = np.zeros((n, k))
    best = np.full(n, k + 1)  # fewest infeasible variables so far
    tries = np.full(n, BACKUP_TRIES)
    todo = np.arange(n)
    for _ in range(MAX_ROUNDS):
        s = _solve_passive(gram, b[todo], passive[todo])
        y = s @ gram - b[todo]  # the gradient: >= 0 where a weight is 0 at the optimum
        mask = passive[todo]
        infeasible = (mask & (s < -tol)) | (~mask & (y < -tol))
        count = infeasible.sum(axis=1)
        done = count == 0
        w[todo[done]] = np.where(mask[done], np.maximum(s[done], 0.0), 0.0)
        keep = ~done
        todo, infeasible, count, mask = todo[keep], infeasible[keep], count[keep], mask[keep]
        if len(todo) == 0:
            return w
        fewer = count < best[todo]
        best[todo[fewer]] = count[fewer]
        tries[todo[fewer]] = BACKUP_TRIES
        full = fewer | (tries[todo] > 0)
        tries[todo[~fewer & full]] -= 1
        swap = np.where(full[:, None], infeasible, False)
        single = np.flatnonzero(~full)  # backup rule: swap only the last infeasible variable
        last = k - 1 - np.argmax(infeasible[single, ::-1], axis=1)
        swap[single, last] = True
        passive[todo] = mask ^ swap
    if len(todo):  # not converged: the reference solver
        from scipy.linalg import cholesky, solve_triangular

        lower = cholesky(gram, lower=True)
        w[todo] = _scipy_nnls(lower, solve_triangular(lower, b[todo].T, lower=True).T)
    return w


def _solve_passive(gram: np.ndarray, b: np.ndarray, passive: np.ndarray) -> np.ndarray:
    """s with gram[F, F] s_F = b_F for each row's passive set F, s = 0 outside F (systems grouped by |F|)."""
    s = np.zeros(b.shape)
    sizes = passive.sum(axis=1)
    for size in np.unique(sizes).tolist():
        if size == 0:
            continue
        rows = np.flatnonzero(sizes == size)
        columns = np.nonzero(passive[rows])[1].reshape(len(rows), size)  # each row's F, ascending
        systems = gram[columns[:, :, None], columns[:, None, :]]
        rhs = np.take_along_axis(b[rows], columns, axis=1)
        solved = np.linalg.solve(systems, rhs[:, :, None])[:, :, 0]
        s[rows[:, None], columns] = solved
    return s


def _scipy_nnls(lower: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """scipy's nnls of min ||Lᵀ w − t|| for every row t of targets (zero rows: zero weights)."""
    from scipy.optimize import nnls

    upper = np.ascontiguousarray(lower.T)
    weights = np.zeros(targets.shape)
    for row, target in enumerate(targets):
        if target.any():
            weights[row] = nnls(upper, target)[0]
    return weights
