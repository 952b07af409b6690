"""Word lists (`kcorpus freq`) and the term-by-group count tables that keywords and compare build on.

Frequencies are relative to the counted terms: a document's size is the number of terms the term
filter kept (after stopwords; n-grams when --ngram > 1), so per_10k and the dispersion part sizes use
the same totals as the counts beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

from kcorpus import stats
from kcorpus.analyses.counts import CountMatrix
from kcorpus.errors import InvalidArgument
from kcorpus.stats.csr import CSR
from kcorpus.table import Table, sorted_codes

FREQ_COLUMNS = ["term", "tag", "count", "per_10k", "docs", "dp"]
PER = 10_000
NO_LABEL = "(none)"


@dataclass(frozen=True)
class TermTable:
    """Counts of term strings (columns, sorted) per label (rows: documents, groups, or one corpus)."""

    labels: list[str]
    terms: list[str]
    counts: CSR  # (n_labels, n_terms) int64; a scipy.sparse matrix or dense array given here becomes a CSR

    def __post_init__(self) -> None:
        if not isinstance(self.counts, CSR):
            object.__setattr__(self, "counts", CSR.from_scipy(self.counts))

    @property
    def totals(self) -> np.ndarray:
        """Counted terms per label."""
        return self.counts.row_sums()

    @property
    def term_totals(self) -> np.ndarray:
        """Each term's count over all labels."""
        return self.counts.column_sums()

    def aligned(self, terms: list[str]) -> CSR:
        """The counts re-indexed to `terms` (a sorted superset of this table's terms); absent terms count 0."""
        position = np.searchsorted(np.asarray(terms, dtype=object), np.asarray(self.terms, dtype=object))
        return self.counts.merged_columns(position, len(terms))


def term_table(counts: CountMatrix, labels: Iterable[str] | None = None) -> TermTable:
    """Sum the rows of `counts` per label (default: per document) and its columns per term string.

    Terms that differ only in their tag class are counted together: keyness is about what is written.
    """
    labels = counts.docs if labels is None else [str(x) or NO_LABEL for x in labels]
    order, by_label = counts.by_csr(labels)
    terms, column_term = sorted_codes(counts.terms)
    return TermTable(order, terms, by_label.merged_columns(column_term, len(terms)))


def group_labels(counts: CountMatrix, by: str) -> list[str]:
    """The label of every count row under `by`: doc, folder, file, COLUMN or COLUMN:PERIOD (analyses.groups)."""
    from kcorpus.analyses.groups import Grouping, group_of_rows

    return group_of_rows(Grouping.parse(by), [str(doc) for doc in counts.docs], counts.meta_records())


def group_table(counts: CountMatrix, by: str) -> TermTable:
    """Counts per group of `by`, groups in report order (periods in time order)."""
    from kcorpus.analyses.groups import Grouping

    labels = group_labels(counts, by)
    table = term_table(counts, labels)
    order = Grouping.parse(by).ordered(table.labels)
    if order == table.labels:
        return table
    position = {label: i for i, label in enumerate(table.labels)}
    rows = [position[label] for label in order]
    return TermTable(order, table.terms, table.counts.take_rows(rows))


def word_list(counts: CountMatrix, *, min_count: int = 1, top: int | None = None, by: str | None = None) -> Table:
    """The word list: term, tag, count, per_10k, docs, dp (Gries' DP normalised over documents).

    Sorted by count (descending), then term and tag. With `by`, one list per group with a leading
    column (`doc` for by="doc", else `group`): count, per_10k, docs and dp are the group's (docs: its
    documents holding the term; dp: spread over its documents, empty for a group of one document).
    `top` keeps the first N rows (per group).
    """
    if min_count < 1:
        raise InvalidArgument("min_count", "must be 1 or more")
    if top is not None and top < 0:
        raise InvalidArgument("top", "must be 0 (all) or more")
    docs, per_doc = counts.by_csr(counts.docs)
    sizes = per_doc.row_sums()
    lead = "doc" if by == "doc" else "group"
    columns = [lead, *FREQ_COLUMNS] if by else FREQ_COLUMNS
    if not sizes.sum():
        return Table.empty(columns)
    if not by:
        total = per_doc.column_sums()
        ranked = Table.build(
            {
                "term": counts.terms,
                "tag": counts.tags,
                "count": np.asarray(total, dtype=np.int64),
                "per_10k": _floats(stats.per_n(total, sizes.sum(), PER)),
                "docs": per_doc.column_counts(),
                "dp": np.asarray(stats.gries_dp_of_columns(per_doc, sizes), dtype=np.float64),
            }
        )
        return _ranked(ranked, min_count, top, FREQ_COLUMNS)
    if by == "doc":
        groups, group_of_doc = docs, np.arange(len(docs))
    else:
        from kcorpus.analyses.groups import Grouping

        labels = group_labels(counts, by)
        label_of_doc = dict(zip(counts.docs, labels))  # a document's rows share its group
        groups = Grouping.parse(by).ordered(list(dict.fromkeys(labels)))
        position = {group: i for i, group in enumerate(groups)}
        group_of_doc = np.array([position[label_of_doc[doc]] for doc in docs], dtype=np.int64)
    per_group, docs_held, dp = stats.spread_within_groups(per_doc, group_of_doc, len(groups))
    group_sizes = per_group.row_sums()
    terms, tags = np.asarray(counts.terms, dtype=object), np.asarray(counts.tags, dtype=object)
    lists = []
    for i, group in enumerate(groups):
        cells = slice(per_group.indptr[i], per_group.indptr[i + 1])
        row_col, row_data = per_group.indices[cells], per_group.data[cells]
        part = Table.build(
            {
                lead: [group] * len(row_col),
                "term": terms[row_col].tolist(),
                "tag": tags[row_col].tolist(),
                "count": np.asarray(row_data, dtype=np.int64),
                "per_10k": _floats(stats.per_n(row_data, group_sizes[i], PER)),
                "docs": docs_held[cells],
                "dp": dp[cells],
            }
        )
        lists.append(_ranked(part, min_count, top, columns))
    lists = [frame for frame in lists if len(frame)]
    return Table.concat(lists) if lists else Table.empty(columns)


def _floats(values) -> np.ndarray:
    return np.atleast_1d(np.asarray(values, dtype=np.float64))


def _ranked(frame: Table, min_count: int, top: int | None, columns: list[str]) -> Table:
    frame = frame.filtered(np.asarray(frame.column("count")) >= min_count)
    frame = frame.sorted([("count", False), ("term", True), ("tag", True)])
    if top:
        frame = frame.head(top)
    return frame.select(columns)


def written_forms(corpus, words: Table) -> Table:
    """`words` with an `original` column: the most frequent Hanja spelling of each term read as Hangul.

    Empty where the term was never written in Hanja (and for n-grams and joined compounds).
    """
    from collections import Counter

    from kcorpus.nlp.hanja import has_hanja

    seen: dict[str, Counter] = {}
    for document in corpus:
        text, tokens = document.cleaned.text, document.tokens
        strings = tokens.strings
        for form, start, end in zip(tokens.form.tolist(), tokens.start.tolist(), tokens.end.tolist()):
            written = text[start:end]
            if has_hanja(written):
                seen.setdefault(strings[form], Counter())[written] += 1
    original = [
        min(found.items(), key=lambda item: (-item[1], item[0]))[0] if (found := seen.get(term)) else ""
        for term in words.values("term")
    ]
    return words.with_column("original", original)
