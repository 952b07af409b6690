"""The public functions of time, groups and weekly drops: `kc.trends`, `kc.similar` (see kcorpus.api for the
conventions: keyword-only options named like the command's, DataFrames out, InvalidArgument naming the
parameter)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from kcorpus import defaults

if TYPE_CHECKING:
    import pandas as pd

    from kcorpus.pipeline.corpus import Corpus

WordFiles = str | os.PathLike | Sequence[str | os.PathLike] | None


def trends(
    corpus: Corpus,
    terms: str | Sequence[str] = (),
    *,
    by: str = defaults.TRENDS_BY,
    top: int = 0,
    min_count: int = defaults.MIN_COUNT_KEYNESS,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
) -> pd.DataFrame:
    """Terms over time. With `terms` (each matched as concordance matches it: a term, a lemma, a phrase,
    term/TAG): one row per term and period of `by` (COLUMN:PERIOD): term, period, period_docs, count,
    per_10k, docs, log_ratio, g2, p (the change from the previous period); periods without documents are
    gaps with empty cells. Without terms: the `top` terms (default 20) most over-used in the last period
    against the periods before it: rank, term, period, count, per_10k, before_count, before_per_10k,
    log_ratio, g2, p, mk_tau, mk_p (Mann-Kendall over the periods). per_10k is per 10,000 counted terms."""
    import numpy as np
    from scipy import sparse

    from kcorpus.analyses.freq import term_table
    from kcorpus.analyses.grouped import document_groups
    from kcorpus.analyses.groups import Grouping
    from kcorpus.analyses.trends import period_counts, rising_terms, trend_table
    from kcorpus.api import counts, hits
    from kcorpus.errors import InvalidArgument

    queries = [terms] if isinstance(terms, str) else list(terms)
    if queries and top:
        raise InvalidArgument("top", "lists the strongest trends of all terms: give terms or top, not both")
    grouping = Grouping.parse(by)
    if not grouping.period:
        raise InvalidArgument("by", f"{by}: trends need a period, e.g. date:month (COLUMN:PERIOD)")
    periods = document_groups(corpus.documents, by)
    matrix = counts(corpus, pos=pos, min_length=min_length, stopwords=stopwords, stoplist=stoplist)
    table = term_table(matrix)  # one row per document, in corpus order
    sizes = table.totals
    if not queries:
        per_period = period_counts(grouping, periods, table.counts.to_scipy(), sizes)
        return rising_terms(table.terms, per_period, top=top or defaults.TRENDS_TOP, min_count=min_count)
    found = np.zeros((len(corpus.documents), len(queries)), dtype=np.int64)
    for column, query in enumerate(queries):
        for hit in hits(corpus, query):
            found[hit.doc, column] += 1
    per_period = period_counts(grouping, periods, sparse.csr_array(found), sizes)
    return trend_table(queries, per_period)


def similar(
    corpus: Corpus,
    *,
    reference: Corpus | None = None,
    threshold: float = defaults.SIMILAR_THRESHOLD,
    shingle: int = defaults.SIMILAR_SHINGLE,
    seed: int = 0,
) -> pd.DataFrame:
    """Near-duplicate and reissued documents: doc, match, similarity, shared_paragraphs for every pair whose
    similarity (Jaccard of character `shingle`-grams of the cleaned text, whitespace and punctuation left
    out) reaches `threshold`; pairs inside `corpus` and, with `reference` (an archive), of a document of
    `corpus` with one of the archive. Candidates come from MinHash LSH buckets (no all-pairs comparison):
    see kcorpus.analyses.similar."""
    from kcorpus.analyses.similar import SimilarOptions, similar_documents, sketch

    options = SimilarOptions(threshold=threshold, shingle=shingle, seed=seed)

    def sketches(documents):
        return [sketch(a.id, a.cleaned.text, a.cleaned.paragraph_texts(), options.shingle) for a in documents]

    archive = sketches(reference.documents) if reference is not None else []
    return similar_documents(sketches(corpus.documents), archive, options)
