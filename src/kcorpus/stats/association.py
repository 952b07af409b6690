"""Association: collocation measures in a window, NPMI, topic relevance and diversity.

Collocation on the covered span (what `kcorpus collocates` uses): N = corpus terms, C = terms covered
by the union of the node windows, O = occurrences of the collocate among those C terms (each counted
once), f_coll = its corpus frequency. Then E = f_coll · C / N (`collocation_expected_covered`) and G2
is on the 2×2 table [[O, C − O], [f_coll − O, N − C − (f_coll − O)]] (`collocation_g2_covered`), a
table that is consistent by construction (O ≤ C, O ≤ f_coll, every cell ≥ 0).
`collocation_expected` and `collocation_g2` are the older per-node approximation (W = f_node · S).
"""

from __future__ import annotations

import numpy as np

from kcorpus.stats._core import _check_counts, _f, _g2_cells, _out

# --------------------------------------------------------------------------- collocation


def collocation_expected_covered(f_coll, covered, n):
    """Expected occurrences of a collocate among the C terms the node windows cover: E = f_coll · C / N
    (N = corpus terms). N = 0 → nan."""
    f_coll, covered, n = _f(f_coll), _f(covered), _f(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(f_coll * covered / n)


def collocation_g2_covered(o, f_coll, covered, n):
    """Signed log-likelihood G2 (Dunning 1993) of a collocate: covered span vs the rest of the corpus.

    Table (rows: inside the C covered terms, outside; columns: the collocate, other terms):
        [[O, C − O], [f_coll − O, N − C − (f_coll − O)]]
    G2 = 2 Σ O ln(O/E), signed + when the collocate is more frequent inside (O/C > (f_coll − O)/(N − C)).
    Impossible counts (O > C, O > f_coll, C > N or f_coll − O > N − C, negative counts) raise ValueError:
    nothing is clipped.
    """
    o, f_coll, covered, n = _f(o), _f(f_coll), _f(covered), _f(n)
    _check_counts(o, covered, "O", "C (covered terms)")
    _check_counts(o, f_coll, "O", "f_coll")
    _check_counts(covered, n, "C (covered terms)", "N")
    _check_counts(f_coll - o, n - covered, "f_coll - O", "N - C")
    return _out(_g2_cells(o, covered - o, f_coll - o, n - covered - (f_coll - o)))


def collocation_expected(f_node, f_coll, span, n):
    """Expected co-occurrences in a window: E = f_node · f_coll · S / N
    (Stubbs 1995; S = number of window positions around each node, N = corpus tokens).
    Overlapping windows and text edges are ignored; `collocation_expected_covered` counts the span."""
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
