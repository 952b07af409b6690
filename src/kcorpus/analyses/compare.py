"""Term frequencies compared across documents or groups (`kcorpus compare`).

Every group is tested against the rest of the corpus (with two groups: against the other one):
g2 (signed log-likelihood), p (uncorrected), log_ratio and log_odds_z (informative Dirichlet prior
from the pooled counts), positive when the term is more frequent in the group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kcorpus import stats
from kcorpus.analyses.counts import CountMatrix
from kcorpus.analyses.freq import PER, TermTable, group_table
from kcorpus.analyses.keyness import keyness_scores
from kcorpus.errors import InvalidArgument

COMPARE_COLUMNS = ["term", "group", "count", "per_10k", "g2", "p", "log_ratio", "log_odds_z"]
SCORE_COLUMNS = ["g2", "p", "log_ratio", "log_odds_z"]
UNSIGNED_SCORES = ("p",)  # the same for a group and its complement: not named after a group when there are two


def compare(
    counts: CountMatrix, by: str = "doc", *, min_count: int = 3, top: int | None = None, wide: bool = False
) -> pd.DataFrame:
    """Counts and keyness of every term in every group (`by`: doc or a metadata column such as folder, file).

    Long format: one row per (term, group), ranked by |g2| (descending), then term, then group order.
    `wide`: one row per term, ranked by its largest |g2|: count:<group> and per_10k:<group> for every
    group, then the scores, each named after the group a positive value favours. With two groups:
    g2:<first>, p, log_ratio:<first>, log_odds_z:<first>, the first group against the second (p is
    the same both ways); with more: g2:<group>, p:<group>, log_ratio:<group>, log_odds_z:<group> for
    every group against the rest.
    `min_count` is the term's total over all groups; `top` keeps the N strongest terms. Groups without
    any counted term are left out.
    """
    if min_count < 1:
        raise InvalidArgument("min_count", "must be 1 or more")
    if top is not None and top < 0:
        raise InvalidArgument("top", "must be 0 (all) or more")
    table = _without_empty_groups(group_table(counts, by))
    if len(table.labels) < 2:
        only = table.labels[0] if table.labels else "nothing"
        raise InvalidArgument("by", f"{by}: need at least two groups to compare, found only {only!r}")
    groups, pooled, sizes = table.labels, table.term_totals, table.totals.astype(np.float64)
    if not pooled.sum():
        return pd.DataFrame(columns=_wide_columns(groups) if wide else COMPARE_COLUMNS)
    prior = stats.dirichlet_prior(pooled)
    kept = np.flatnonzero(pooled >= min_count)
    a = table.counts.to_scipy()[:, kept].toarray()
    b = pooled[kept][None, :] - a
    n1, n2 = sizes[:, None], sizes.sum() - sizes[:, None]
    scores = keyness_scores(a, b, n1, n2, prior[kept][None, :], float(prior.sum()))
    strength = np.abs(scores["g2"])
    order = np.lexsort((np.arange(len(kept)), -strength.max(axis=0)))  # strongest term first, then term order
    if top:
        order = order[:top]
    terms = np.asarray(table.terms, dtype=object)[kept]
    if wide:
        return _wide(groups, terms, a, n1, scores, order)
    group_grid, term_grid = np.meshgrid(np.arange(len(groups)), order, indexing="ij")
    group_index, term_index = group_grid.ravel(), term_grid.ravel()
    rows = np.lexsort((group_index, term_index, -strength[group_index, term_index]))
    g, t = group_index[rows], term_index[rows]
    return pd.DataFrame(
        {
            "term": terms[t],
            "group": np.asarray(groups, dtype=object)[g],
            "count": a[g, t].astype(np.int64),
            "per_10k": stats.per_n(a[g, t], n1[g, 0], PER),
            **{name: scores[name][g, t] for name in SCORE_COLUMNS},
        },
        columns=COMPARE_COLUMNS,
    )


def _without_empty_groups(table: TermTable) -> TermTable:
    """Groups with no counted terms have nothing to compare (and no rate to compare against)."""
    keep = np.flatnonzero(table.totals > 0)
    if len(keep) == len(table.labels):
        return table
    return TermTable([table.labels[i] for i in keep], table.terms, table.counts.take_rows(keep))


def _wide_columns(groups: list[str]) -> list[str]:
    columns = ["term", *[f"count:{g}" for g in groups], *[f"per_10k:{g}" for g in groups]]
    return columns + [column for column, _, _ in _wide_scores(groups)]


def _wide_scores(groups: list[str]) -> list[tuple[str, str, int]]:
    """(column, score, group index) of the wide score columns: each signed score is named after the group a
    positive value favours; with two groups only the first group's (the second's are their mirror image)."""
    if len(groups) == 2:
        return [(name if name in UNSIGNED_SCORES else f"{name}:{groups[0]}", name, 0) for name in SCORE_COLUMNS]
    return [(f"{name}:{g}", name, i) for name in SCORE_COLUMNS for i, g in enumerate(groups)]


def _wide(groups, terms, a, n1, scores, order) -> pd.DataFrame:
    """One row per term; with two groups the scores are the first group's against the second."""
    data = {"term": terms[order]}
    for i, group in enumerate(groups):
        data[f"count:{group}"] = a[i, order].astype(np.int64)
    for i, group in enumerate(groups):
        data[f"per_10k:{group}"] = stats.per_n(a[i, order], n1[i, 0], PER)
    for column, name, i in _wide_scores(groups):
        data[column] = scores[name][i, order]
    return pd.DataFrame(data, columns=_wide_columns(groups))
