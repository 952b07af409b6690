"""Tests for kcorpus.stats: every statistic against an independent computation.

Hand computations use only the math/statistics modules on tiny tables; G2 and its
p-values are also checked against scipy.stats, tf-idf against scikit-learn.
"""

from __future__ import annotations

import math
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, chi2_contingency

try:
    from kcorpus import stats
except ImportError:  # package not installed: run from the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from kcorpus import stats

REL = 1e-9


def close(x, y, rel=REL):
    return x == pytest.approx(y, rel=rel, abs=0)


def scipy_g2(a, b, n1, n2):
    table = np.array([[a, b], [n1 - a, n2 - b]], dtype=float)
    g2, p, dof, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert dof == 1
    return g2, p


# --------------------------------------------------------------------------- G2


def hand_g2(a, b, n1, n2):
    """2 Σ O ln(O/E) over the 2x2 table, written out cell by cell."""
    n = n1 + n2
    c, d = n1 - a, n2 - b
    e_a = n1 * (a + b) / n
    e_b = n2 * (a + b) / n
    e_c = n1 * (c + d) / n
    e_d = n2 * (c + d) / n

    def cell(o, e):
        return 0.0 if o == 0 else o * math.log(o / e)

    return 2 * (cell(a, e_a) + cell(b, e_b) + cell(c, e_c) + cell(d, e_d))


def test_log_likelihood_hand_example():
    # a=10 in 1000 tokens vs b=2 in 2000 tokens: over-used in the target
    a, b, n1, n2 = 10, 2, 1000, 2000
    n = 3000
    e_a = 1000 * 12 / 3000  # 4.0
    e_b = 2000 * 12 / 3000  # 8.0
    e_c = 1000 * 2988 / 3000  # 996.0
    e_d = 2000 * 2988 / 3000  # 1992.0
    assert (e_a, e_b, e_c, e_d) == (4.0, 8.0, 996.0, 1992.0)
    expected = 2 * (
        10 * math.log(10 / 4) + 2 * math.log(2 / 8) + 990 * math.log(990 / 996) + 1998 * math.log(1998 / 1992)
    )
    assert n == n1 + n2
    got = stats.log_likelihood(a, b, n1, n2)
    assert got > 0
    assert close(got, expected)
    assert close(got, scipy_g2(a, b, n1, n2)[0])


def test_log_likelihood_zero_count_and_sign():
    # a=0: target never uses the term, so the sign is negative; 0·ln0 = 0
    a, b, n1, n2 = 0, 5, 1000, 2000
    e_a = 1000 * 5 / 3000
    e_b = 2000 * 5 / 3000
    e_c = 1000 * 2995 / 3000
    e_d = 2000 * 2995 / 3000
    expected = 2 * (0.0 + 5 * math.log(5 / e_b) + 1000 * math.log(1000 / e_c) + 1995 * math.log(1995 / e_d))
    assert e_a > 0
    got = stats.log_likelihood(a, b, n1, n2)
    assert got < 0
    assert close(-got, expected)
    assert close(-got, scipy_g2(a, b, n1, n2)[0])


def test_log_likelihood_vectorised_and_equal_rates():
    a = np.array([10, 0, 3, 0, 7])
    b = np.array([2, 5, 6, 0, 0])
    got = stats.log_likelihood(a, b, 1000, 2000)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (5,)
    # 3/1000 == 6/2000 and 0/0: no difference, exactly 0
    assert got[2] == 0.0 and got[3] == 0.0
    for i in (0, 1, 4):
        assert close(abs(got[i]), hand_g2(a[i], b[i], 1000, 2000))
    assert np.sign(got).tolist() == [1.0, -1.0, 0.0, 0.0, 1.0]


def test_log_likelihood_rejects_impossible_counts():
    with pytest.raises(ValueError):
        stats.log_likelihood(11, 2, 10, 20)
    with pytest.raises(ValueError):
        stats.log_likelihood(1, -2, 10, 20)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 10**7),
    st.integers(1, 10**7),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_log_likelihood_properties(n1, n2, fa, fb):
    a = math.floor(fa * n1)
    b = math.floor(fb * n2)
    g = stats.log_likelihood(a, b, n1, n2)
    # sign follows over-/under-use (integer comparison, no rounding)
    if a * n2 > b * n1:
        assert g > 0
    elif a * n2 < b * n1:
        assert g < 0
    else:
        assert g == 0
    if a * n2 >= b * n1:
        assert g >= 0
    # swapping target and reference negates the score exactly
    assert stats.log_likelihood(b, a, n2, n1) == -g
    # magnitude equals scipy's G2 (scipy rejects tables with an empty row)
    if 0 < a + b < n1 + n2:
        assert abs(g) == pytest.approx(scipy_g2(a, b, n1, n2)[0], rel=1e-9, abs=1e-6)
    else:
        assert g == 0


def test_g2_p_value_matches_scipy():
    g = np.array([0.0, 0.5, 3.841458820694124, 12.83, 150.0])
    p = stats.g2_p_value(g)
    np.testing.assert_allclose(p, chi2.sf(g, 1), rtol=1e-12)
    # p-value of a signed (negative) G2 uses |G2|
    np.testing.assert_allclose(stats.g2_p_value(-g), p, rtol=0)
    assert close(stats.g2_p_value(3.841458820694124), 0.05)
    # same p as chi2_contingency on the table
    g2, p_scipy = scipy_g2(10, 2, 1000, 2000)
    assert close(stats.g2_p_value(stats.log_likelihood(10, 2, 1000, 2000)), p_scipy)


def test_g2_critical_values():
    assert round(stats.g2_critical(0.05), 3) == 3.841
    assert round(stats.g2_critical(0.01), 3) == 6.635
    assert round(stats.g2_critical(0.001), 3) == 10.828
    assert close(stats.g2_critical(0.05), chi2.isf(0.05, 1))
    # Bonferroni: alpha divided by the number of tests
    assert close(stats.g2_critical(0.05, n_tests=100), chi2.isf(0.0005, 1))
    assert close(stats.g2_critical(0.05, n_tests=5), stats.g2_critical(0.01))
    assert isinstance(stats.g2_critical(0.05), float)
    with pytest.raises(ValueError):
        stats.g2_critical(1.5)
    with pytest.raises(ValueError):
        stats.g2_critical(0.05, n_tests=0)


# --------------------------------------------------------------------------- effect sizes


def test_log_ratio_hand_and_zero_replacement():
    # (10/1000)/(2/2000) = 0.01/0.001 = 10
    assert close(stats.log_ratio(10, 2, 1000, 2000), math.log2(10))
    # a = 0 -> 0.5: (0.5/1000)/(4/1000) = 1/8
    assert close(stats.log_ratio(0, 4, 1000, 1000), -3.0)
    # b = 0 -> 0.5: (6/3000)/(0.5/1000) = 4
    assert close(stats.log_ratio(6, 0, 3000, 1000), 2.0)
    # both zero: no ratio (0.5 for both would give log2(n2/n1), a change where there is none)
    assert math.isnan(stats.log_ratio(0, 0, 1000, 4000))
    assert np.isnan(stats.log_ratio(np.array([0, 1]), np.array([0, 0]), 1000, 4000)).tolist() == [True, False]
    # a small target that never has the term: (0.5/5)/(5/10000) = 200 would say over-used; it stays at 0
    assert stats.log_ratio(0, 5, 5, 10_000) == 0.0
    assert stats.log_ratio(5, 0, 10_000, 5) == 0.0  # and the mirror case
    got = stats.log_ratio(np.array([10, 0, 6]), np.array([2, 4, 0]), 1000, 1000)
    np.testing.assert_allclose(got, [math.log2(10 / 2), math.log2(0.5 / 4), math.log2(6 / 0.5)], rtol=REL)


def test_pct_diff():
    # nf_a = 0.01, nf_b = 0.001 -> (0.01 - 0.001)*100/0.001 = 900
    nf_a, nf_b = 10 / 1000, 2 / 2000
    assert close(stats.pct_diff(10, 2, 1000, 2000), (nf_a - nf_b) * 100 / nf_b)
    assert close(stats.pct_diff(10, 2, 1000, 2000), 900.0)
    assert close(stats.pct_diff(1, 4, 1000, 1000), -75.0)
    assert stats.pct_diff(3, 0, 1000, 1000) == math.inf
    assert math.isnan(stats.pct_diff(0, 0, 1000, 1000))


def test_simple_maths():
    fpm_a = 10 / 1000 * 1_000_000  # 10000
    fpm_b = 2 / 2000 * 1_000_000  # 1000
    assert close(stats.simple_maths(10, 2, 1000, 2000), (fpm_a + 1) / (fpm_b + 1))
    assert close(stats.simple_maths(10, 2, 1000, 2000, n=100), (fpm_a + 100) / (fpm_b + 100))
    assert close(stats.simple_maths(0, 0, 1000, 2000), 1.0)


def test_odds_ratio():
    # no zero cell: no correction
    expected = (10 / (1000 - 10)) / (2 / (2000 - 2))
    assert close(stats.odds_ratio(10, 2, 1000, 2000), expected)
    # a = 0: Haldane-Anscombe adds 0.5 to all four cells
    expected0 = (0.5 / 1000.5) / (5.5 / 1995.5)
    assert close(stats.odds_ratio(0, 5, 1000, 2000), expected0)
    # correction applied per element only
    got = stats.odds_ratio(np.array([10, 0]), np.array([2, 5]), 1000, 2000)
    np.testing.assert_allclose(got, [expected, expected0], rtol=REL)


def test_per_n():
    assert close(stats.per_n(5, 2000), 25.0)
    assert close(stats.per_n(5, 2000, n=1_000_000), 2500.0)
    got = stats.per_n(np.array([1, 2]), np.array([4, 0]), n=100)
    assert got[0] == 25.0 and math.isnan(got[1])


# --------------------------------------------------------------------------- log-odds


def test_log_odds_dirichlet_hand():
    a = [10, 0, 5]
    b = [2, 3, 5]
    n1, n2 = 15, 10
    pooled = [12, 3, 10]
    alpha = [0.01 * p for p in pooled]  # default prior: 1 % of pooled counts
    alpha0 = sum(alpha)  # 0.25
    deltas, zs = [], []
    for ai, bi, al in zip(a, b, alpha):
        d = math.log((ai + al) / (n1 + alpha0 - ai - al)) - math.log((bi + al) / (n2 + alpha0 - bi - al))
        v = 1 / (ai + al) + 1 / (bi + al)
        deltas.append(d)
        zs.append(d / math.sqrt(v))
    prior = stats.dirichlet_prior(pooled)
    np.testing.assert_allclose(prior, alpha, rtol=REL)
    delta, z = stats.log_odds_dirichlet(np.array(a), np.array(b), n1, n2, prior)
    np.testing.assert_allclose(delta, deltas, rtol=REL)
    np.testing.assert_allclose(z, zs, rtol=REL)
    assert delta[0] > 0 and delta[1] < 0  # over-used, then only in reference
    # explicit alpha0 for a subset gives the same numbers as the full vocabulary
    d1, z1 = stats.log_odds_dirichlet(a[0], b[0], n1, n2, prior[0], alpha0=alpha0)
    assert close(d1, deltas[0]) and close(z1, zs[0])


def test_log_odds_flat_scalar_prior_sums_over_vocabulary():
    a = np.array([4, 1, 0, 5])
    b = np.array([1, 2, 3, 4])
    n1, n2 = 10, 10
    alpha = 0.5
    d, z = stats.log_odds_dirichlet(a, b, n1, n2, alpha)
    hand = math.log(4.5 / (10 + 2 - 4.5)) - math.log(1.5 / (10 + 2 - 1.5))
    assert close(d[0], hand)
    assert close(z[0], hand / math.sqrt(1 / 4.5 + 1 / 1.5))


def test_dirichlet_prior_scale_and_errors():
    pooled = np.array([30, 10, 0, 60])
    # explicit scale = alpha0
    pr = stats.dirichlet_prior(pooled, scale=50)
    np.testing.assert_allclose(pr, [15, 5, 0, 30], rtol=REL)
    assert close(pr.sum(), 50)
    # default: alpha0 = 1 % of pooled tokens
    assert close(stats.dirichlet_prior(pooled).sum(), 1.0)
    assert close(stats.dirichlet_prior(sp.csr_array(pooled[None, :]))[3], 0.6)
    with pytest.raises(ValueError):
        stats.dirichlet_prior([0, 0])
    with pytest.raises(ValueError):
        stats.dirichlet_prior(pooled, scale=0)


# --------------------------------------------------------------------------- dispersion


def test_gries_dp_hand_example():
    # parts of 10, 20, 30, 40 tokens -> s = .1 .2 .3 .4; term counts 3, 0, 1, 1 (f = 5)
    sizes = [10, 20, 30, 40]
    v = [3, 0, 1, 1]
    s = [x / 100 for x in sizes]
    f = sum(v)
    dp = 0.5 * sum(abs(vi / f - si) for vi, si in zip(v, s))  # .5(.5+.2+.1+.2) = .5
    assert close(dp, 0.5)
    assert close(stats.gries_dp(v, sizes, normalised=False), dp)
    assert close(stats.gries_dp(v, sizes), dp / (1 - min(s)))
    assert close(stats.gries_dp(sp.csr_array([v]), sizes)[0], dp / 0.9)


def test_gries_dp_extremes():
    sizes = np.array([100, 200, 300, 400])
    counts = np.array(
        [
            [1, 2, 3, 4],  # proportional to the part sizes
            [5, 0, 0, 0],  # all in the smallest part
            [0, 0, 0, 9],  # all in the largest part
            [0, 0, 0, 0],  # never occurs
        ]
    )
    raw = stats.gries_dp(counts, sizes, normalised=False)
    norm = stats.gries_dp(counts, sizes)
    assert raw[0] == pytest.approx(0.0, abs=1e-12)
    assert close(raw[1], 0.9) and close(norm[1], 1.0)
    assert close(raw[2], 0.6) and close(norm[2], 0.6 / 0.9)
    assert math.isnan(raw[3]) and math.isnan(norm[3])
    # equal parts: all in any one part -> DPnorm 1
    assert close(stats.gries_dp([0, 0, 7], [5, 5, 5]), 1.0)
    assert stats.gries_dp([2, 2, 2], [5, 5, 5]) == pytest.approx(0.0, abs=1e-12)


def random_counts(seed, n_terms=300, n_parts=40, density=0.08):
    rng = np.random.default_rng(seed)
    m = sp.random_array(
        (n_terms, n_parts),
        density=density,
        format="csr",
        rng=rng,
        data_sampler=lambda size: rng.integers(1, 20, size),
    )
    m = sp.csr_array(m)
    sizes = rng.integers(50, 500, n_parts)
    return m, sizes


@pytest.mark.parametrize("block", [1, 7, 100])
def test_gries_dp_in_blocks_of_rows_equals_all_at_once(monkeypatch, block):
    """The sparse DP is computed a block of rows at a time (bounded memory): exactly the same numbers."""
    from kcorpus.stats import _core

    m, sizes = random_counts(1)
    whole = stats.gries_dp(m, sizes)
    monkeypatch.setattr(_core, "_BLOCK_CELLS", block)
    blocks = list(stats.row_blocks(m.indptr))
    assert blocks[0][0] == 0 and blocks[-1][1] == m.shape[0] and len(blocks) > 1
    assert all(high == next_low for (_, high), (next_low, _) in zip(blocks, blocks[1:]))
    np.testing.assert_array_equal(stats.gries_dp(m, sizes), whole)


def test_dispersion_sparse_equals_dense():
    m, sizes = random_counts(0)
    dense = m.toarray()
    assert (dense.sum(axis=1) == 0).any()  # include never-occurring terms (nan)
    for norm in (True, False):
        np.testing.assert_allclose(
            stats.gries_dp(m, sizes, normalised=norm),
            stats.gries_dp(dense, sizes, normalised=norm),
            rtol=1e-12,
            atol=1e-14,
            equal_nan=True,
        )
    np.testing.assert_allclose(
        stats.juilland_d(m, sizes),
        stats.juilland_d(dense, sizes),
        rtol=1e-12,
        atol=1e-14,
        equal_nan=True,
    )
    # and the dense path equals the definition, term by term
    s = sizes / sizes.sum()
    dp = stats.gries_dp(dense, sizes, normalised=False)
    for i in range(0, 300, 37):
        f = dense[i].sum()
        if f:
            assert close(dp[i], 0.5 * sum(abs(dense[i, j] / f - s[j]) for j in range(40)))
    # sparse matrix (coo/csc, spmatrix) inputs are accepted too
    np.testing.assert_allclose(
        stats.gries_dp(sp.coo_matrix(dense), sizes),
        stats.gries_dp(dense, sizes),
        rtol=1e-12,
        equal_nan=True,
    )


def test_juilland_d_hand():
    sizes = [100, 200, 100]
    v = [2, 2, 4]
    p = [vi / si for vi, si in zip(v, sizes)]  # .02 .01 .04
    cv = statistics.pstdev(p) / statistics.fmean(p)
    d = 1 - cv / math.sqrt(len(p) - 1)
    assert close(stats.juilland_d(v, sizes), d)
    assert close(stats.juilland_d(sp.csr_array([v]), sizes)[0], d)
    # evenly spread relative frequencies -> 1; all in one part -> 0
    assert close(stats.juilland_d([1, 2, 1], sizes), 1.0)
    assert stats.juilland_d([0, 6, 0], sizes) == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(stats.juilland_d([0, 0, 0], sizes))
    assert math.isnan(stats.juilland_d([5], [10]))
    with pytest.raises(ValueError):
        stats.juilland_d([1, 2], [10, 0])
    with pytest.raises(ValueError):
        stats.gries_dp([1, 2, 3], [10, 10])


# --------------------------------------------------------------------------- tf-idf


@pytest.mark.parametrize("smooth", [True, False])
def test_tfidf_matches_sklearn(smooth):
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(1)
    dense = rng.integers(1, 6, size=(80, 50)) * (rng.random((80, 50)) < 0.1)
    dense[7] = 0  # an empty document stays an all-zero row
    if smooth:
        dense[:, 3] = 0  # an unused term (unsmoothed idf is undefined for it)
    else:
        dense[0] = 1  # every term used at least once
    m = sp.csr_array(dense)
    ref = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=smooth, sublinear_tf=False)
    expected = ref.fit_transform(sp.csr_matrix(m)).toarray()
    got = stats.tfidf(m, smooth=smooth)
    assert sp.issparse(got) and got.format == "csr" and got.dtype == np.float64
    np.testing.assert_allclose(got.toarray(), expected, rtol=1e-12, atol=1e-15)
    assert not got.toarray()[7].any()
    # dense input gives the same matrix
    np.testing.assert_allclose(stats.tfidf(dense, smooth=smooth).toarray(), expected, rtol=1e-12)


def test_tfidf_hand():
    # 2 docs, 2 terms: term 0 in both, term 1 only in doc 0
    x = np.array([[2, 1], [3, 0]])
    idf0 = math.log(3 / 3) + 1  # 1
    idf1 = math.log(3 / 2) + 1
    w = [2 * idf0, 1 * idf1]
    norm = math.hypot(*w)
    got = stats.tfidf(x).toarray()
    assert close(got[0, 0], w[0] / norm) and close(got[0, 1], w[1] / norm)
    assert close(got[1, 0], 1.0) and got[1, 1] == 0


# --------------------------------------------------------------------------- collocation


def test_collocation_measures_hand():
    f_node, f_coll, span, n, o = 50, 80, 8, 10_000, 12
    e = 50 * 80 * 8 / 10_000  # 3.2
    assert close(stats.collocation_expected(f_node, f_coll, span, n), 3.2)
    assert close(stats.mi_score(o, e), math.log2(12 / 3.2))
    assert close(stats.t_score(o, e), (12 - 3.2) / math.sqrt(12))
    assert close(stats.log_dice(o, f_node, f_coll), 14 + math.log2(24 / 130))
    # G2 table: window tokens W = 400 -> [[12, 68], [388, 9532]]
    table = [[12, 68], [388, 9532]]
    n_all = 10_000
    rows = [80, 9920]
    cols = [400, 9600]
    g = 0.0
    for i in range(2):
        for j in range(2):
            e_ij = rows[i] * cols[j] / n_all
            g += table[i][j] * math.log(table[i][j] / e_ij)
    g *= 2
    got = stats.collocation_g2(o, f_node, f_coll, n, span)
    assert got > 0  # 12/400 inside windows vs 68/9600 outside
    assert close(got, g)
    assert close(got, chi2_contingency(table, correction=False, lambda_="log-likelihood")[0])
    # a collocate rarer near the node than elsewhere is negative
    assert stats.collocation_g2(1, f_node, f_coll, n, span) < 0


def test_collocation_zero_and_vectorised():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert stats.mi_score(0, 2.0) == -math.inf
        assert stats.log_dice(0, 5, 5) == -math.inf
        assert stats.t_score(0, 2.0) == -math.inf
        g = stats.collocation_g2(np.array([0, 3]), 10, np.array([4, 3]), 1000, 4)
    assert g.shape == (2,) and g[0] < 0 and g[1] > 0
    assert close(g[1], hand_g2(3, 0, 40, 960))


# --------------------------------------------------------------------------- NPMI


def test_npmi_values_and_bounds():
    # independence -> 0; perfect co-occurrence -> 1; never together -> -1
    assert stats.npmi(0.25, 0.5, 0.5) == pytest.approx(0.0, abs=1e-15)
    assert close(stats.npmi(0.3, 0.3, 0.3), 1.0)
    assert stats.npmi(0.0, 0.4, 0.5) == -1.0
    assert stats.npmi(1.0, 1.0, 1.0) == 1.0
    p_ij, p_i, p_j = 0.1, 0.3, 0.2
    assert close(stats.npmi(p_ij, p_i, p_j), math.log(0.1 / 0.06) / -math.log(0.1))
    # random valid joint distributions of two binary variables stay within [-1, 1]
    rng = np.random.default_rng(3)
    cells = rng.dirichlet([0.3] * 4, size=5000)
    cells[:50, 0] = 0.0  # some pairs that never co-occur
    cells /= cells.sum(axis=1, keepdims=True)
    pij = cells[:, 0]
    pi = cells[:, 0] + cells[:, 1]
    pj = cells[:, 0] + cells[:, 2]
    v = stats.npmi(pij, pi, pj)
    assert np.all(v >= -1) and np.all(v <= 1)
    assert np.all(v[:50] == -1.0)
    assert v.min() < -0.5 and v.max() > 0.5


# --------------------------------------------------------------------------- conventions


def test_return_types_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scalar = [
            stats.log_likelihood(0, 0, 10, 10),
            stats.log_ratio(0, 0, 10, 10),
            stats.pct_diff(0, 0, 10, 10),
            stats.pct_diff(1, 0, 10, 10),
            stats.simple_maths(0, 3, 10, 10),
            stats.odds_ratio(0, 10, 10, 10),
            stats.per_n(0, 0),
            stats.g2_p_value(0.0),
            stats.mi_score(0, 0),
            stats.npmi(0.0, 0.0, 0.0),
            *stats.log_odds_dirichlet(0, 0, 10, 10, 0.0, alpha0=1.0),
            stats.gries_dp([0, 0], [1, 1]),
            stats.juilland_d([0, 0], [1, 1]),
        ]
        arrays = [
            stats.log_likelihood(np.array([0, 1]), np.array([0, 2]), 10, 10),
            stats.gries_dp(np.zeros((3, 2)), [1, 1]),
            stats.juilland_d(sp.csr_array((3, 2)), [1, 1]),
        ]
    for x in scalar:
        assert type(x) is np.float64 and isinstance(x, float)
    for x in arrays:
        assert isinstance(x, np.ndarray) and x.dtype == np.float64
    assert scalar[0] == 0.0 and scalar[3] == math.inf
    assert math.isnan(scalar[6]) and math.isnan(scalar[-1])


# --------------------------------------------------------------------------- topics


def test_topic_relevance_by_hand():
    # p(w|t) = 0.2, p(w) = 0.05, lambda 0.6: 0.6·ln 0.2 + 0.4·ln 4
    expected = 0.6 * math.log(0.2) + 0.4 * math.log(0.2 / 0.05)
    assert close(stats.topic_relevance(0.2, 0.05, 0.6), expected)
    assert close(stats.topic_relevance(0.2, 0.05, 1.0), math.log(0.2))
    assert close(stats.topic_relevance(0.2, 0.05, 0.0), math.log(4.0))
    v = stats.topic_relevance(np.array([0.0, 0.1]), np.array([0.1, 0.0]))
    assert v[0] == -math.inf and math.isnan(v[1])
    with pytest.raises(ValueError):
        stats.topic_relevance(0.2, 0.1, 1.5)


def test_topic_diversity_by_hand():
    # 2 topics x 3 terms, one shared term: 5 unique / 6
    assert close(stats.topic_diversity([["a", "b", "c"], ["c", "d", "e"]]), 5 / 6)
    assert stats.topic_diversity([["a", "b"], ["a", "b"]]) == 0.5
    assert stats.topic_diversity([[1, 2], [3, 4]]) == 1.0
    assert math.isnan(stats.topic_diversity([]))


@given(
    st.integers(1, 12).flatmap(
        lambda parts: st.tuples(
            st.lists(st.lists(st.integers(0, 6), min_size=7, max_size=7), min_size=parts, max_size=parts),
            st.lists(st.floats(0.5, 100), min_size=parts, max_size=parts),
        )
    ),
    st.sampled_from([4, 1 << 20]),
)
def test_dp_of_columns_is_gries_dp_of_the_transposed_matrix(table, cells):
    from kcorpus.stats import dispersion

    counts, sizes = table
    matrix = sp.csr_array(np.array(counts, dtype=np.int64))
    expected = stats.gries_dp(sp.csr_array(matrix.T), sizes)
    blocks = dispersion.row_blocks
    dispersion.row_blocks = lambda indptr, _cells=None: blocks(indptr, cells)  # tiny blocks as well as one
    try:
        found = stats.gries_dp_of_columns(matrix, sizes)
    finally:
        dispersion.row_blocks = blocks
    assert np.array_equal(found, expected, equal_nan=True)  # the same additions in the same order
