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

from kcorpus.stats._core import row_blocks
from kcorpus.stats.association import (
    collocation_expected,
    collocation_g2,
    log_dice,
    mi_score,
    npmi,
    t_score,
    topic_diversity,
    topic_relevance,
)
from kcorpus.stats.dispersion import gries_dp, gries_dp_of_columns, juilland_d, spread_within_groups
from kcorpus.stats.keyness import (
    DIRICHLET_PRIOR_SHARE,
    dirichlet_prior,
    g2_critical,
    g2_p_value,
    log_likelihood,
    log_odds_dirichlet,
    log_ratio,
    odds_ratio,
    pct_diff,
    per_n,
    simple_maths,
    tfidf,
)
from kcorpus.stats.trend import mann_kendall

__all__ = [
    "DIRICHLET_PRIOR_SHARE",
    "collocation_expected",
    "collocation_g2",
    "dirichlet_prior",
    "g2_critical",
    "g2_p_value",
    "gries_dp",
    "gries_dp_of_columns",
    "juilland_d",
    "spread_within_groups",
    "log_dice",
    "log_likelihood",
    "log_odds_dirichlet",
    "log_ratio",
    "mann_kendall",
    "mi_score",
    "row_blocks",
    "npmi",
    "odds_ratio",
    "pct_diff",
    "per_n",
    "simple_maths",
    "t_score",
    "tfidf",
    "topic_diversity",
    "topic_relevance",
]
