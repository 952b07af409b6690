"""Keyness and effect sizes of a term in a target against a reference; tf-idf."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kcorpus.stats._core import _check_counts, _f, _g2_cells, _out, _sparse_rows
from kcorpus.stats.csr import is_scipy_sparse

if TYPE_CHECKING:
    import scipy.sparse as sp

#: Default prior strength for :func:`dirichlet_prior`: alpha0 = this share of the pooled tokens.
DIRICHLET_PRIOR_SHARE = 0.01


# --------------------------------------------------------------------------- keyness


def log_likelihood(a, b, n1, n2):
    """Signed log-likelihood G2 for keyness (Dunning 1993, "Accurate methods for the
    statistics of surprise and coincidence"; as used in AntConc and quanteda).

    4-cell form over the 2x2 table [[a, b], [n1−a, n2−b]] with expected counts from
    the margins:  G2 = 2 Σ O·ln(O/E), E = row·col/(n1+n2), 0·ln 0 = 0.
    Sign: + when a/n1 > b/n2 (over-used in target), − when under-used, 0 when equal.
    (Rayson & Garside 2000 use the 2-cell form; this is the full 4-cell statistic.)
    """
    a, b, n1, n2 = _f(a), _f(b), _f(n1), _f(n2)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    return _out(_g2_cells(a, b, n1 - a, n2 - b))


def g2_p_value(g2):
    """p-value of |G2| under the chi-square distribution with 1 df.

    p = P(χ²₁ ≥ |G2|) = erfc(sqrt(|G2|/2)).  nan stays nan.
    """
    from kcorpus.stats.special import ufuncs

    g2 = np.abs(_f(g2))
    return _out(ufuncs().erfc(np.sqrt(g2 / 2.0)))


def g2_critical(alpha: float = 0.05, n_tests: int = 1) -> float:
    """Critical G2 (chi-square, 1 df) for significance level alpha, Bonferroni-corrected.

    crit = χ²₁ quantile at 1 − alpha/n_tests  (3.841, 6.635, 10.828 for .05, .01, .001).
    n_tests is the number of types tested (Bonferroni: alpha/n_tests per test).
    """
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be between 0 and 1 (exclusive)")
    if int(n_tests) != n_tests or n_tests < 1:
        raise ValueError("n_tests must be a positive integer")
    from kcorpus.stats.special import ufuncs

    return float(ufuncs().chdtri(1.0, alpha / n_tests))


def log_ratio(a, b, n1, n2):
    """Log Ratio effect size (Hardie 2014, "Log Ratio – an informal introduction", CASS).

    LR = log2((a/n1)/(b/n2)), with a zero count (a or b) replaced by 0.5 first.
    When both counts are zero there is no ratio: nan. When only one is zero, the smoothed ratio keeps the
    counts' side of 0 (never above 0 when a is 0, never below when b is 0): with a small n1, 0.5/n1 can
    exceed b/n2 and would otherwise report a term the target never has as over-used.
    """
    a, b, n1, n2 = _f(a), _f(b), _f(n1), _f(n2)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    neither = (a == 0) & (b == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log2(np.where(a == 0, 0.5, a) / n1 / (np.where(b == 0, 0.5, b) / n2))
        ratio = np.where(a == 0, np.minimum(ratio, 0.0), np.where(b == 0, np.maximum(ratio, 0.0), ratio))
        return _out(np.where(neither, np.nan, ratio))


def pct_diff(a, b, n1, n2):
    """%DIFF (Gabrielatos & Marchi 2012, "Keyness: appropriate metrics and practical issues").

    %DIFF = (nf_a − nf_b)·100 / nf_b, nf = a/n1 and b/n2 (the normalising base cancels).
    b == 0 and a > 0 gives +inf (infinitely more frequent in target); a == b == 0 gives nan.
    """
    a, b, n1, n2 = _f(a), _f(b), _f(n1), _f(n2)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    with np.errstate(divide="ignore", invalid="ignore"):
        nfa = a / n1
        nfb = b / n2
        return _out((nfa - nfb) * 100.0 / nfb)


def simple_maths(a, b, n1, n2, n: float = 1.0):
    """Simple maths keyness (Kilgarriff 2009, "Simple maths for keywords").

    SM = (fpm_a + n)/(fpm_b + n), fpm = frequency per million (a·10⁶/n1, b·10⁶/n2);
    n is the smoothing constant (default 1; larger n favours commoner words).
    """
    a, b, n1, n2 = _f(a), _f(b), _f(n1), _f(n2)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out((a * 1e6 / n1 + n) / (b * 1e6 / n2 + n))


def odds_ratio(a, b, n1, n2):
    """Odds ratio of the term in target vs reference (e.g. Pojanapunya & Watson Todd 2018).

    OR = (a/(n1−a)) / (b/(n2−b)).  Haldane–Anscombe correction: where any of the four
    cells a, n1−a, b, n2−b is zero, 0.5 is added to all four cells (element-wise), so
    the result is always finite for positive totals.
    """
    a, b, n1, n2 = _f(a), _f(b), _f(n1), _f(n2)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    c = n1 - a
    d = n2 - b
    corr = np.where((a == 0) | (b == 0) | (c == 0) | (d == 0), 0.5, 0.0)
    a, b, c, d = a + corr, b + corr, c + corr, d + corr
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out((a / c) / (b / d))


def dirichlet_prior(pooled_counts, scale: float | None = None) -> np.ndarray:
    """Informative Dirichlet prior α for :func:`log_odds_dirichlet` from pooled counts
    (Monroe, Colaresi & Quinn 2008, "Fightin' words", section 3.5).

    α_w = pooled_w · scale / Σ pooled; ``scale`` is α0 = Σ α, the prior's strength in
    pseudo-tokens.  The prior mean is the pooled relative frequency (the "no
    difference" hypothesis); α0 only sets how hard estimates shrink towards it.

    Default (scale=None): α0 = 0.01 · Σ pooled, i.e. α_w = 0.01 · pooled_w.  Using
    the pooled counts themselves (α0 = Σ pooled) makes the prior as strong as the
    data and caps every odds ratio near 2; 1 % keeps the prior weak against the data
    for every word alike (the shrinkage is proportional to each word's own frequency,
    so it does not depend on corpus size), still gives a word absent from one side a
    finite log-odds (|delta| ≲ ln 101 ≈ 4.6 for equal-sized corpora), and leaves the
    ranking of rare words to the variance term, where z stays small.  0.01 is also
    Scattertext's constant for its uninformative prior.  Terms with pooled count 0
    get α = 0 (and a nan score).  Always returns a float64 ndarray.
    """
    if is_scipy_sparse(pooled_counts):
        pooled_counts = pooled_counts.toarray()
    pooled = _f(pooled_counts).ravel()
    if np.any(pooled < 0):
        raise ValueError("pooled_counts must be >= 0")
    total = pooled.sum()
    if not total > 0:
        raise ValueError("pooled_counts must contain at least one positive count")
    if scale is None:
        scale = DIRICHLET_PRIOR_SHARE * total
    if not scale > 0:
        raise ValueError("scale (alpha0) must be > 0")
    return np.asarray(pooled * (float(scale) / total), dtype=np.float64)


def log_odds_dirichlet(a, b, n1, n2, prior, alpha0: float | None = None):
    """Log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
    "Fightin' words: lexical feature selection and evaluation ...", Political Analysis).

    delta = ln((a+α)/(n1+α0−a−α)) − ln((b+α)/(n2+α0−b−α));
    var ≈ 1/(a+α) + 1/(b+α);  z = delta/sqrt(var).  Returns (delta, z).

    ``prior`` is α (per term, e.g. from :func:`dirichlet_prior`, or a scalar for a flat
    prior).  α0 = Σ α over ``prior`` broadcast against the counts, so the arrays must
    cover the whole vocabulary; pass ``alpha0`` explicitly when scoring a subset.
    A term with a = b = α = 0 gives nan.
    """
    a, b, n1, n2, alpha = _f(a), _f(b), _f(n1), _f(n2), _f(prior)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    if np.any(alpha < 0):
        raise ValueError("prior must be >= 0")
    if alpha0 is None:
        shape = np.broadcast_shapes(a.shape, b.shape, alpha.shape)
        alpha0 = float(np.broadcast_to(alpha, shape).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        ta = a + alpha
        tb = b + alpha
        delta = np.log(ta / (n1 + alpha0 - ta)) - np.log(tb / (n2 + alpha0 - tb))
        var = 1.0 / ta + 1.0 / tb
        z = delta / np.sqrt(var)
    return _out(delta), _out(z)


def per_n(count, total, n: float = 10_000):
    """Normalised frequency: count per n tokens = count · n / total (total 0 → nan)."""
    count, total = _f(count), _f(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.where(total > 0, count * n / np.where(total > 0, total, 1.0), np.nan))


# --------------------------------------------------------------------------- tf-idf


def tfidf(counts, smooth: bool = True) -> sp.csr_array:
    """TF-IDF of a document-term count matrix, as sklearn's TfidfTransformer(norm='l2',
    use_idf=True, smooth_idf=smooth, sublinear_tf=False) (Salton & Buckley 1988 weighting).

    w_dt = tf_dt · idf_t, idf_t = ln((1+n)/(1+df_t)) + 1 (smooth) or ln(n/df_t) + 1;
    each document row is then divided by its L2 norm (all-zero rows stay zero).
    Input: (n_docs, n_terms) scipy.sparse or dense; output: float64 CSR array.
    Stored explicit zeros are not counted in df.
    """
    import scipy.sparse as sp

    from kcorpus.stats.csr import CSR

    if isinstance(counts, CSR):
        counts = counts.to_scipy()
    x = sp.csr_array(counts, dtype=np.float64, copy=True)
    x.sum_duplicates()
    x.eliminate_zeros()
    if x.data.size and x.data.min() < 0:
        raise ValueError("counts must be >= 0")
    n_docs = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    with np.errstate(divide="ignore"):
        if smooth:
            idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
        else:
            idf = np.log(n_docs / df) + 1.0  # inf only for unused columns, never indexed
    x.data *= idf[x.indices]
    rows = _sparse_rows(x)
    norms = np.sqrt(np.bincount(rows, weights=x.data**2, minlength=n_docs))
    x.data /= norms[rows]
    return x
