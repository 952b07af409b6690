"""Terms over time (`kcorpus trends`): counts per period, the change from one period to the next, and the
terms whose use rises most in the last period.

A period's size is the number of counted terms in its documents (as for freq's per_10k). Periods with
no documents are gaps: their rows are there, with empty cells, and the change into or out of a gap is
empty too. The change from the previous period is log_ratio (Hardie, zero counts as 0.5), g2 (signed
log-likelihood, + when the term is more frequent in this period) and p (chi-square, 1 df, uncorrected).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus import stats
from kcorpus.analyses.groups import NO_LABEL, Grouping, period_range
from kcorpus.errors import InvalidArgument, KcorpusError

PER = 10_000
TREND_COLUMNS = ["term", "period", "period_docs", "count", "per_10k", "docs", "log_ratio", "g2", "p"]
RISING_COLUMNS = [
    "rank",
    "term",
    "period",
    "count",
    "per_10k",
    "before_count",
    "before_per_10k",
    "log_ratio",
    "g2",
    "p",
    "mk_tau",
    "mk_p",
]


@dataclass(frozen=True)
class PeriodCounts:
    """Term counts summed per period, every period of the range included (gaps have no documents)."""

    periods: list[str]
    period_docs: np.ndarray  # documents per period
    sizes: np.ndarray  # counted terms per period
    counts: np.ndarray  # (periods, terms) occurrences
    docs: np.ndarray  # (periods, terms) documents with the term

    @property
    def present(self) -> np.ndarray:
        return self.period_docs > 0


def period_counts(grouping: Grouping, doc_periods: list[str], doc_counts, doc_sizes) -> PeriodCounts:
    """Sum documents' term counts (a sparse documents × terms matrix) into the periods of `grouping`
    (documents without a date, NO_LABEL, are left out)."""
    if not grouping.period:
        raise InvalidArgument("by", f"{grouping}: trends need a period, e.g. date:month (COLUMN:PERIOD)")
    dated = [i for i, label in enumerate(doc_periods) if label != NO_LABEL]
    if not dated:
        raise KcorpusError(f"no document has a date in column {grouping.column!r}: trends need dated documents")
    labels = sorted({doc_periods[i] for i in dated})
    periods = period_range(labels[0], labels[-1], grouping.period)
    position = {label: i for i, label in enumerate(periods)}
    rows = np.array([position[doc_periods[i]] for i in dated], dtype=np.int64)
    indicator = sparse.csr_array(
        (np.ones(len(rows), dtype=np.int64), (rows, np.arange(len(rows)))), shape=(len(periods), len(rows))
    )
    matrix = sparse.csr_array(doc_counts)[dated, :]
    present = sparse.csr_array((matrix > 0).astype(np.int64))
    return PeriodCounts(
        periods,
        np.bincount(rows, minlength=len(periods)),
        indicator @ np.asarray(doc_sizes, dtype=np.float64)[dated],
        np.asarray((indicator @ matrix).toarray(), dtype=np.float64),
        np.asarray((indicator @ present).toarray(), dtype=np.int64),
    )


def trend_table(terms: list[str], counts: PeriodCounts) -> pd.DataFrame:
    """One row per term and period (term in the given order, periods in time order)."""
    frames = []
    present = counts.present
    for t, term in enumerate(terms):
        a = counts.counts[:, t]
        changed = np.flatnonzero(present[1:] & present[:-1]) + 1  # periods whose previous period has documents
        g2, ratio = np.full(len(a), np.nan), np.full(len(a), np.nan)
        if len(changed):
            before, sizes = changed - 1, counts.sizes
            g2[changed] = stats.log_likelihood(a[changed], a[before], sizes[changed], sizes[before])
            ratio[changed] = stats.log_ratio(a[changed], a[before], sizes[changed], sizes[before])
        frames.append(
            pd.DataFrame(
                {
                    "term": term,
                    "period": counts.periods,
                    "period_docs": counts.period_docs.astype(np.int64),
                    "count": pd.array(np.where(present, a, np.nan), dtype="Int64"),
                    "per_10k": np.where(present, stats.per_n(a, np.maximum(counts.sizes, 1.0), PER), np.nan),
                    "docs": pd.array(np.where(present, counts.docs[:, t], np.nan), dtype="Int64"),
                    "log_ratio": ratio,
                    "g2": g2,
                    "p": stats.g2_p_value(g2),
                },
                columns=TREND_COLUMNS,
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TREND_COLUMNS)


def rising_terms(terms: list[str], counts: PeriodCounts, *, top: int, min_count: int) -> pd.DataFrame:
    """The terms most over-used in the last period against all the periods before it (signed g2, largest
    first, then term), with a Mann-Kendall test of each term's per_10k series over the periods with
    documents (mk_tau > 0: rising)."""
    if min_count < 1:
        raise InvalidArgument("min_count", "must be 1 or more")
    if top < 1:
        raise InvalidArgument("top", "must be 1 or more")
    present = np.flatnonzero(counts.present)
    if len(present) < 2:
        raise KcorpusError(f"trends need documents in at least two periods; found {len(present)}")
    last = present[-1]
    a = counts.counts[last]
    b = counts.counts[:last].sum(axis=0)
    n1, n2 = counts.sizes[last], counts.sizes[:last].sum()
    if n1 == 0 or n2 == 0:
        return pd.DataFrame(columns=RISING_COLUMNS)
    kept = np.flatnonzero(a >= min_count)
    g2 = np.atleast_1d(stats.log_likelihood(a[kept], b[kept], n1, n2))
    order = np.lexsort((np.asarray(terms, dtype=object)[kept].astype(str), -g2))[:top]
    chosen = kept[order]
    rates = stats.per_n(counts.counts[present][:, chosen], counts.sizes[present][:, None], PER)
    tests = [stats.mann_kendall(rates[:, i]) for i in range(len(chosen))]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(chosen) + 1, dtype=np.int64),
            "term": np.asarray(terms, dtype=object)[chosen],
            "period": counts.periods[last],
            "count": a[chosen].astype(np.int64),
            "per_10k": np.atleast_1d(stats.per_n(a[chosen], n1, PER)),
            "before_count": b[chosen].astype(np.int64),
            "before_per_10k": np.atleast_1d(stats.per_n(b[chosen], n2, PER)),
            "log_ratio": np.atleast_1d(stats.log_ratio(a[chosen], b[chosen], n1, n2)),
            "g2": g2[order],
            "p": np.atleast_1d(stats.g2_p_value(g2[order])),
            "mk_tau": [tau for _, tau, _ in tests],
            "mk_p": [p for _, _, p in tests],
        },
        columns=RISING_COLUMNS,
    )
