"""Trend tests over an ordered series (numpy only)."""

from __future__ import annotations

import math

import numpy as np


def mann_kendall(values) -> tuple[float, float, float]:
    """Mann-Kendall test of a monotonic trend in `values` (in time order; NaNs, the gaps, are left out):
    (S, Kendall's tau = S / (n(n-1)/2), two-sided p from the normal approximation with the tie correction).

    S = Σ_{i<j} sign(x_j − x_i); Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t tied values;
    z = (S − sign(S)) / sqrt(Var(S)). Fewer than 3 values, or all values tied: (S, tau, nan)."""
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 2:
        return 0.0, math.nan, math.nan
    upper = np.triu_indices(n, k=1)
    s = float(np.sign(x[upper[1]] - x[upper[0]]).sum())
    tau = s / (n * (n - 1) / 2)
    _, ties = np.unique(x, return_counts=True)
    variance = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18.0
    if n < 3 or variance <= 0:
        return s, tau, math.nan
    z = (s - math.copysign(1.0, s)) / math.sqrt(variance) if s else 0.0
    return s, tau, math.erfc(abs(z) / math.sqrt(2.0))
