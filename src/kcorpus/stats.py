"""Corpus statistics: keyness, effect sizes, dispersion, tf-idf, collocation, NPMI.

Pure numerical functions over numpy arrays of counts: no I/O, no pandas, no printing.

Notation (GUIDE.md section 5): ``a``, ``b`` = a term's count in the target and the
reference corpus; ``n1``, ``n2`` = the token totals of target and reference.
Totals may be scalars; they broadcast against the count arrays.

Return convention
-----------------
Every array-valued function returns float64.  If all inputs are scalars the result
is a ``numpy.float64`` (a subclass of Python ``float``, so ``json`` and f-strings
treat it as a float); otherwise it is a float64 ``numpy.ndarray`` of the broadcast
shape.  Degenerate cells never emit numpy warnings: they give ``nan``/``inf`` as
documented per function.  Impossible input (negative counts, a count larger than
its total) raises ``ValueError``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy import special

__all__ = [
    "collocation_expected",
    "collocation_g2",
    "dirichlet_prior",
    "g2_critical",
    "g2_p_value",
    "gries_dp",
    "juilland_d",
    "log_dice",
    "log_likelihood",
    "log_odds_dirichlet",
    "log_ratio",
    "mi_score",
    "npmi",
    "odds_ratio",
    "pct_diff",
    "per_n",
    "simple_maths",
    "t_score",
    "tfidf",
]

#: Default prior strength for :func:`dirichlet_prior`: alpha0 = this share of the pooled tokens.
DIRICHLET_PRIOR_SHARE = 0.01


# --------------------------------------------------------------------------- helpers


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _out(x):
    """float64 ndarray, or numpy.float64 when the result is 0-d."""
    x = np.asarray(x, dtype=np.float64)
    return x[()] if x.ndim == 0 else x


def _check_counts(count: np.ndarray, total: np.ndarray, cname: str, tname: str) -> None:
    if np.any(count < 0):
        raise ValueError(f"{cname} must be >= 0")
    if np.any(count > total):
        raise ValueError(f"{cname} must not exceed {tname}")


def _g2_cells(o11, o12, o21, o22) -> np.ndarray:
    """Signed G2 of the 2x2 table [[o11, o12], [o21, o22]] (columns = target, reference).

    Computed as 2 Σ [O ln(O/E) − (O − E)] (the added terms sum to zero), with
    O − E = ±(o11·o22 − o12·o21)/N in every cell and ln(O/E) = log1p((O−E)/E).
    Each bracket is ≥ 0, so there is no cancellation between cells, and swapping
    the two columns gives exactly the negated result.
    """
    r1 = o11 + o12
    r2 = o21 + o22
    c1 = o11 + o21
    c2 = o12 + o22
    n = r1 + r2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        d = (o11 * o22 - o12 * o21) / n

        def term(o, row, col, dev):
            e = row * col / n
            t = special.xlog1py(o, dev / e) - dev
            return np.where(e > 0, t, 0.0)

        g2 = 2.0 * (
            (term(o11, r1, c1, d) + term(o12, r1, c2, -d))
            + (term(o21, r2, c1, -d) + term(o22, r2, c2, d))
        )
    g2 = np.where(n > 0, np.maximum(g2, 0.0), 0.0)
    return np.sign(np.where(n > 0, d, 0.0)) * g2


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
    g2 = np.abs(_f(g2))
    return _out(special.erfc(np.sqrt(g2 / 2.0)))


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
    return float(special.chdtri(1.0, alpha / n_tests))


def log_ratio(a, b, n1, n2):
    """Log Ratio effect size (Hardie 2014, "Log Ratio – an informal introduction", CASS).

    LR = log2((a/n1)/(b/n2)), with a zero count (a or b) replaced by 0.5 first.
    When both counts are zero both become 0.5, giving log2(n2/n1).
    """
    a, b, n1, n2 = _f(a), _f(b), _f(n1), _f(n2)
    _check_counts(a, n1, "a", "n1")
    _check_counts(b, n2, "b", "n2")
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.log2((a / n1) / (b / n2)))


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
    if sp.issparse(pooled_counts):
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


# --------------------------------------------------------------------------- dispersion


def _parts(counts_by_part, part_sizes, positive: bool):
    sizes = _f(part_sizes).ravel()
    if np.any(sizes < 0) or (positive and np.any(sizes <= 0)):
        raise ValueError("part_sizes must be " + ("> 0" if positive else ">= 0"))
    if not sizes.sum() > 0:
        raise ValueError("part_sizes must sum to a positive number")
    one_term = False
    if sp.issparse(counts_by_part):
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
        raise ValueError(
            f"counts_by_part has {m.shape[1]} parts but part_sizes has {sizes.shape[0]}"
        )
    data = m.data if sp.issparse(m) else m
    if data.size and np.min(data) < 0:
        raise ValueError("counts_by_part must be >= 0")
    return m, sizes, one_term


def _sparse_rows(m):
    """Row index of every stored entry of a CSR array."""
    return np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))


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
        if sp.issparse(m):
            rows = _sparse_rows(m)
            f = np.bincount(rows, weights=m.data, minlength=m.shape[0])
            contrib = np.abs(m.data / f[rows] - s[m.indices]) - s[m.indices]
            dp = 0.5 * (1.0 + np.bincount(rows, weights=contrib, minlength=m.shape[0]))
        else:
            f = m.sum(axis=1)
            dp = 0.5 * np.abs(m / f[:, None] - s[None, :]).sum(axis=1)
        dp = np.where(f > 0, np.clip(dp, 0.0, 1.0), np.nan)
        if normalised:
            denom = 1.0 - s.min()
            dp = dp / denom if denom > 0 else np.full_like(dp, np.nan)
    return _out(dp[0] if one_term else dp)


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
        if sp.issparse(m):
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


# --------------------------------------------------------------------------- tf-idf


def tfidf(counts, smooth: bool = True) -> sp.csr_array:
    """TF-IDF of a document-term count matrix, as sklearn's TfidfTransformer(norm='l2',
    use_idf=True, smooth_idf=smooth, sublinear_tf=False) (Salton & Buckley 1988 weighting).

    w_dt = tf_dt · idf_t, idf_t = ln((1+n)/(1+df_t)) + 1 (smooth) or ln(n/df_t) + 1;
    each document row is then divided by its L2 norm (all-zero rows stay zero).
    Input: (n_docs, n_terms) scipy.sparse or dense; output: float64 CSR array.
    Stored explicit zeros are not counted in df.
    """
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


# --------------------------------------------------------------------------- collocation


def collocation_expected(f_node, f_coll, span, n):
    """Expected co-occurrences in a window: E = f_node · f_coll · S / N
    (Stubbs 1995; S = number of window positions around each node, N = corpus tokens)."""
    f_node, f_coll, span, n = _f(f_node), _f(f_coll), _f(span), _f(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(f_node * f_coll * span / n)


def mi_score(o, e):
    """Mutual information (Church & Hanks 1990): MI = log2(O/E).  O = 0 → −inf."""
    o, e = _f(o), _f(e)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.log2(o / e))


def t_score(o, e):
    """t-score (Church et al. 1991): t = (O − E)/sqrt(O).  O = 0 → −inf (nan if E = 0 too)."""
    o, e = _f(o), _f(e)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out((o - e) / np.sqrt(o))


def log_dice(o, f_node, f_coll):
    """logDice (Rychlý 2008, "A lexicographer-friendly association score"):
    14 + log2(2·O/(f_node + f_coll)).  O = 0 → −inf."""
    o, f_node, f_coll = _f(o), _f(f_node), _f(f_coll)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(14.0 + np.log2(2.0 * o / (f_node + f_coll)))


def collocation_g2(o, f_node, f_coll, n, span):
    """Signed log-likelihood G2 of a collocate (Dunning 1993), node windows vs rest.

    Table (window tokens W = f_node·S, N corpus tokens):
        a = O,  b = f_coll − O,  n1 = W,  n2 = N − W,
    i.e. cells [[O, f_coll − O], [W − O, N − W − f_coll + O]], each clipped at 0
    (window overlap and text edges are ignored).  G2 = 2 Σ O ln(O/E), signed + when
    the collocate is more frequent inside the windows (O/W > b/(N−W)).
    """
    o, f_node, f_coll, n, span = _f(o), _f(f_node), _f(f_coll), _f(n), _f(span)
    w = f_node * span
    c11 = np.maximum(o, 0.0)
    c12 = np.maximum(f_coll - o, 0.0)
    c21 = np.maximum(w - o, 0.0)
    c22 = np.maximum(n - w - c12, 0.0)
    return _out(_g2_cells(c11, c12, c21, c22))


def npmi(p_ij, p_i, p_j):
    """Normalised PMI (Bouma 2009, "Normalized (pointwise) mutual information in
    collocation extraction"): ln(p_ij/(p_i·p_j)) / −ln p_ij, in [−1, 1].

    p_ij = 0 → −1 (never together); p_ij = 1 → 1 (always together).  Results are
    clipped to [−1, 1] against rounding; p_i or p_j = 0 with p_ij > 0 → nan.
    """
    p_ij, p_i, p_j = _f(p_ij), _f(p_i), _f(p_j)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.log(p_ij / (p_i * p_j)) / -np.log(p_ij)
        val = np.where(p_ij == 0, -1.0, np.where(p_ij == 1, 1.0, val))
        val = np.where(((p_i == 0) | (p_j == 0)) & (p_ij > 0), np.nan, val)
        return _out(np.clip(val, -1.0, 1.0))


# --------------------------------------------------------------------------- topics


def topic_relevance(p_w_t, p_w, lam: float = 0.6):
    """Relevance of a term to a topic (Sievert & Shirley 2014, "LDAvis: A method for visualizing
    and interpreting topics"): r = λ·ln p(w|t) + (1 − λ)·ln(p(w|t)/p(w)).

    λ = 1 ranks terms by their probability in the topic, λ = 0 by lift; 0.6 is the authors'
    suggestion.  p(w|t) = 0 → −inf; p(w) = 0 → nan.
    """
    if not 0.0 <= lam <= 1.0:
        raise ValueError("lambda must be within [0, 1]")
    p_w_t, p_w = _f(p_w_t), _f(p_w)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = lam * np.log(p_w_t) + (1.0 - lam) * np.log(p_w_t / p_w)
        val = np.where(p_w == 0, np.nan, np.where(p_w_t == 0, -np.inf, val))
        return _out(val)


def topic_diversity(top_terms) -> float:
    """Topic diversity (Dieng, Ruiz & Blei 2020, "Topic modeling in embedding spaces"): the unique
    terms in all topics' top-n lists divided by n·K, in (0, 1]; 1 = no term shared by two topics.

    Input: K lists (or arrays) of n terms each.  No topics → nan.
    """
    lists = [list(terms) for terms in top_terms]
    if not lists:
        return np.float64(np.nan)
    n = max(len(terms) for terms in lists)
    if n == 0:
        return np.float64(np.nan)
    unique = set().union(*(set(terms) for terms in lists))
    return np.float64(len(unique) / (n * len(lists)))
