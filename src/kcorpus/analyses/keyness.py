"""Key terms (`kcorpus keywords`): each document against the rest of the corpus, or a target against a reference.

Every score sits beside the raw counts it comes from. Notation as in stats.py: a, b = the term's
count in target and reference; n1, n2 = their totals of counted terms.

- G2 is the signed 4-cell log-likelihood; p its chi-square (1 df) p-value, uncorrected.
- A term is tested when it meets --min-count on the side it could be key for: a >= min_count
  (over-use), or with `under` also b >= min_count. It is reported when |G2| reaches the critical
  value for `alpha`, divided by the number of tested types (Bonferroni) unless that is switched off.
- log_odds_z uses an informative Dirichlet prior from the pooled counts of the whole vocabulary.
- A whole target against a reference is reported under doc = "(all)", with first_seen: the term is
  absent from the reference (`new_only` keeps only those).
- With `by` (analyses.groups), each group is tested against the rest and named in the doc column.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kcorpus import stats
from kcorpus.analyses.counts import CountMatrix
from kcorpus.analyses.freq import PER, TermTable, group_table, term_table
from kcorpus.errors import InvalidArgument, KcorpusError, UsageError
from kcorpus.io.wordlists import read_text_lines
from kcorpus.stats._core import distinct_ints
from kcorpus.stats.csr import CSR
from kcorpus.table import Table

if TYPE_CHECKING:
    from scipy import sparse

MEASURES = ("g2", "log_ratio", "tfidf", "log_odds")
KEYWORD_COLUMNS = ["doc", "rank", "term", "count", "ref_count", "per_10k", "ref_per_10k", "g2", "p", "log_ratio"]
MEASURE_COLUMNS = {"tfidf": "tfidf", "log_odds": "log_odds_z"}
ALL_LABEL = "(all)"
REFERENCE_LABEL = "(reference)"
FREQ_LIST_HEADER = "term,count"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class KeywordOptions:
    """What to rank by and which terms to report."""

    measure: str = "g2"
    under: bool = False  # also report under-used terms
    min_count: int = 3
    top: int | None = 20  # per document; None or 0: all
    alpha: float = 0.05  # 1.0: no significance filter
    bonferroni: bool = True
    new_only: bool = False  # against a reference: only terms the reference never has

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise InvalidArgument("measure", f"{self.measure!r}: use one of {', '.join(MEASURES)}")
        if self.min_count < 1:
            raise InvalidArgument("min_count", "must be 1 or more")
        if self.top is not None and self.top < 0:
            raise InvalidArgument("top", "must be 0 (all) or more")
        if not 0.0 < self.alpha <= 1.0:
            raise InvalidArgument("alpha", "must be above 0 and at most 1 (1 reports every tested term)")

    @property
    def columns(self) -> list[str]:
        extra = MEASURE_COLUMNS.get(self.measure)
        return KEYWORD_COLUMNS + ([extra] if extra else [])

    @property
    def reference_columns(self) -> list[str]:
        return [*self.columns, "first_seen"]


def check_reference_measure(measure: str, has_reference: bool) -> None:
    """tfidf ranks terms within the documents of one corpus: it has no meaning against a reference."""
    if measure == "tfidf" and has_reference:
        raise InvalidArgument(
            "measure",
            "tfidf weighs terms within the documents of one corpus; "
            "it cannot be used with a reference (--reference or --reference-freq)",
        )


def keyness_scores(a, b, n1, n2, prior, alpha0: float) -> dict[str, np.ndarray]:
    """g2, p, log_ratio and log_odds_z of terms with counts a, b in target and reference."""
    g2 = stats.log_likelihood(a, b, n1, n2)
    _, z = stats.log_odds_dirichlet(a, b, n1, n2, prior, alpha0=alpha0)
    return {
        "g2": np.atleast_1d(g2),
        "p": np.atleast_1d(stats.g2_p_value(g2)),
        "log_ratio": np.atleast_1d(stats.log_ratio(a, b, n1, n2)),
        "log_odds_z": np.atleast_1d(z),
    }


def keywords(
    counts: CountMatrix,
    reference: CountMatrix | TermTable | None = None,
    options: KeywordOptions = KeywordOptions(),
    by: str = "doc",
) -> Table:
    """Key terms of each document (or group of `by`) against the rest of `counts`, or of all of `counts`
    against `reference` (then with first_seen).

    `reference` is another corpus's counts or a frequency list (see `read_frequency_list`).
    Ranked per document by the chosen measure (descending), then by term.
    """
    if reference is None:
        if options.new_only:
            raise InvalidArgument("new_only", "needs a reference: terms are new against an archive (reference)")
        table = group_table(counts, by)
        if len(table.labels) < 2 and by != "doc":
            raise InvalidArgument("by", f"{by}: need at least two groups, found only {table.labels[:1]}")
        if len(table.labels) < 2:
            raise UsageError("keywords of one document need a reference: pass --reference or --reference-freq")
        if options.measure == "tfidf":
            weights = stats.tfidf(table.counts)
        pooled = table.term_totals
        if not pooled.sum():
            return Table.empty(options.columns)
        prior = stats.dirichlet_prior(pooled)
        if not options.under:  # only a document's own terms can be key in it: stay sparse
            return _over_used_per_document(table, prior, options, weights if options.measure == "tfidf" else None)
        frames = []
        for i, doc in enumerate(table.labels):
            a = table.counts.take_rows([i]).toarray().ravel()
            tfidf = weights[[i], :].toarray().ravel() if options.measure == "tfidf" else None
            frames.append(_key_terms(doc, table.terms, a, pooled - a, prior, options, tfidf))
        frames = [frame for frame in frames if len(frame)]
        return Table.concat(frames) if frames else Table.empty(options.columns)
    check_reference_measure(options.measure, True)
    target = term_table(counts, [ALL_LABEL] * len(counts.row_table))
    if isinstance(reference, CountMatrix):
        reference = term_table(reference, [REFERENCE_LABEL] * len(reference.row_table))
    terms = sorted(set(target.terms) | set(reference.terms))
    a = target.aligned(terms).toarray().sum(axis=0)
    b = reference.aligned(terms).toarray().sum(axis=0)
    if not a.sum() or not b.sum():
        return Table.empty(options.reference_columns)
    found = _key_terms(ALL_LABEL, terms, a, b, stats.dirichlet_prior(a + b), options, new_only=options.new_only)
    first_seen = np.asarray(found.column("ref_count")) == 0 if len(found) else np.zeros(0, dtype=bool)
    if found.kind("ref_count") == "O":  # no rows (an object column): pandas compares it to an empty bool column
        first_seen = np.zeros(0, dtype=bool)
    return found.with_column("first_seen", first_seen, "b").select(options.reference_columns)


def _over_used_per_document(
    table: TermTable, prior: np.ndarray, options: KeywordOptions, weights: sparse.csr_array | None
) -> Table:
    """Over-used terms of every document against the rest, computed on the nonzero cells only (the same
    numbers as _key_terms per document, without a vocabulary-length vector per document)."""
    counts = table.counts.with_distinct_cells()
    sizes = table.totals.astype(np.float64)
    term_totals = table.term_totals
    names = (np.asarray(table.labels, dtype=object), np.asarray(table.terms, dtype=object))
    frames = [  # a block of documents at a time: the per-cell columns of all documents at once are large
        _over_used_block(names, counts, low, high, sizes, term_totals, prior, options, weights)
        for low, high in stats.row_blocks(counts.indptr)
    ]
    return Table.concat(frames) if len(frames) > 1 else frames[0]


def _over_used_block(
    names: tuple[np.ndarray, np.ndarray],
    counts: CSR,
    low: int,
    high: int,
    sizes: np.ndarray,
    term_totals: np.ndarray,
    prior: np.ndarray,
    options: KeywordOptions,
    weights: sparse.csr_array | None,
) -> Table:
    """_over_used_per_document for the documents low..high-1 (`names`: the labels and terms as arrays)."""
    cells = slice(counts.indptr[low], counts.indptr[high])
    row = np.repeat(np.arange(low, high), np.diff(counts.indptr[low : high + 1]))
    column, a = counts.indices[cells], counts.data[cells].astype(np.float64)
    n1 = sizes[row]
    n2 = sizes.sum() - n1
    tested = (a >= options.min_count) & (n1 > 0) & (n2 > 0)
    tests_per_doc = np.bincount(row[tested], minlength=counts.shape[0])
    row, column, a, n1, n2 = row[tested], column[tested], a[tested], n1[tested], n2[tested]
    b = term_totals[column] - a
    scores = keyness_scores(a, b, n1, n2, prior[column], float(prior.sum()))
    critical = np.zeros(counts.shape[0])
    if options.alpha < 1.0:
        for tests in distinct_ints(tests_per_doc):
            critical[tests_per_doc == tests] = stats.g2_critical(
                options.alpha, max(1, int(tests)) if options.bonferroni else 1
            )
    keep = (np.abs(scores["g2"]) >= critical[row]) & (scores["g2"] > 0)
    row, column, a, b, n1, n2 = row[keep], column[keep], a[keep], b[keep], n1[keep], n2[keep]
    scores = {name: values[keep] for name, values in scores.items()}
    labels, terms = names
    frame = Table.build(
        {
            "row": row,
            "doc": labels[row],
            "term": terms[column],
            "count": a.astype(np.int64),
            "ref_count": b.astype(np.int64),
            "per_10k": _floats(stats.per_n(a, n1, PER)),
            "ref_per_10k": _floats(stats.per_n(b, n2, PER)),
            **{name: _floats(values) for name, values in scores.items()},
        }
    )
    if weights is not None:
        frame = frame.with_column("tfidf", _floats(np.asarray(weights[row, column]).ravel() if len(row) else []))
    ranking = MEASURE_COLUMNS.get(options.measure, options.measure)
    frame = frame.sorted([("row", True), (ranking, False), ("g2", False), ("term", True)])
    rows = np.asarray(frame.column("row"))
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)])) + 1
    frame = frame.with_column("rank", rank.astype(np.int64), "i", at=1)
    if options.top:
        frame = frame.filtered(rank <= options.top)
    return frame.select(options.columns)


def _key_terms(
    doc: str,
    terms: list[str],
    a: np.ndarray,
    b: np.ndarray,
    prior: np.ndarray,
    options: KeywordOptions,
    tfidf: np.ndarray | None = None,
    new_only: bool = False,
) -> Table:
    """The reported key terms of one comparison (`prior`: Dirichlet prior over the whole vocabulary;
    `new_only`: every term with no reference count, without the significance filter)."""
    n1, n2 = float(a.sum()), float(b.sum())
    if n1 == 0 or n2 == 0:
        return Table.empty(options.columns)
    tested = a >= options.min_count
    if options.under:
        tested |= b >= options.min_count
    index = np.flatnonzero(tested)
    scores = keyness_scores(a[index], b[index], n1, n2, prior[index], float(prior.sum()))
    critical = 0.0
    if options.alpha < 1.0:
        critical = stats.g2_critical(options.alpha, max(1, len(index)) if options.bonferroni else 1)
    keep = np.abs(scores["g2"]) >= critical
    if new_only:  # a new term is listed for being new (and used --min-count times), not for a test
        keep = b[index] == 0
    if not options.under:
        keep &= scores["g2"] > 0
    frame = Table.build(
        {
            "doc": [doc] * len(index),
            "term": np.asarray(terms, dtype=object)[index],
            "count": a[index].astype(np.int64),
            "ref_count": b[index].astype(np.int64),
            "per_10k": _floats(stats.per_n(a[index], n1, PER)),
            "ref_per_10k": _floats(stats.per_n(b[index], n2, PER)),
            **{name: _floats(values) for name, values in scores.items()},
        },
        {"doc": "S"},  # one label for every row (a DataFrame's scalar column)
    )
    if tfidf is not None:
        frame = frame.with_column("tfidf", _floats(tfidf[index]))
    frame = frame.filtered(keep)
    ranking = MEASURE_COLUMNS.get(options.measure, options.measure)
    frame = frame.sorted([(ranking, False), ("g2", False), ("term", True)])
    if options.top:
        frame = frame.head(options.top)
    frame = frame.with_column("rank", np.arange(1, len(frame) + 1, dtype=np.int64), "i", at=1)
    return frame.select(options.columns)


def _floats(values) -> np.ndarray:
    return np.atleast_1d(np.asarray(values, dtype=np.float64))


_WHOLE_COUNT = re.compile(r"([0-9]+)(?:\.0*)?")  # 12 or 12.0 (a spreadsheet's float), ASCII digits only
MAX_COUNT = 2**53  # counts stay exact as floats in the keyness formulas


def read_frequency_list(path: Path) -> TermTable:
    """A reference frequency list: a CSV (TSV for .tsv) with a header naming `term` and `count` columns.

    Other columns are ignored, so the CSV output of `kcorpus freq` works; a term listed twice
    (e.g. under two tags) is summed.
    """
    path = Path(path)
    expected = f"expected a CSV file whose header row names the columns {FREQ_LIST_HEADER!r}"
    lines = read_text_lines(path, "reference frequency list", "--reference-freq")
    reader = csv.DictReader(lines, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "term" not in header or "count" not in header:
        got = ",".join(header) if header else "nothing"
        raise KcorpusError(f"reference frequency list {path}: {expected} (found: {got})")
    reader.fieldnames = header
    totals: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        term = _unescape(row.get("term") or "")
        raw = (row.get("count") or "").strip()
        whole = _WHOLE_COUNT.fullmatch(raw)
        if not term or whole is None:
            raise KcorpusError(
                f"reference frequency list {path} line {line}: need a term and a whole count "
                f"of 0 or more written with digits 0-9, got term={term!r} count={raw!r}"
            )
        count = int(whole.group(1))
        totals[term] = totals.get(term, 0) + count
        if count > MAX_COUNT or totals[term] > MAX_COUNT:
            raise KcorpusError(
                f"reference frequency list {path} line {line}: count {raw} is larger than "
                f"{MAX_COUNT:,}, more than any corpus holds"
            )
    if not sum(totals.values()):
        raise KcorpusError(f"reference frequency list {path} has no counts: {expected} and at least one row")
    if sum(totals.values()) > MAX_COUNT:
        raise KcorpusError(
            f"reference frequency list {path}: its counts add up to more than {MAX_COUNT:,}, more than any corpus holds"
        )
    terms = sorted(totals)
    counts = CSR.from_dense(np.array([[totals[t] for t in terms]], dtype=np.int64))
    return TermTable([REFERENCE_LABEL], terms, counts)


def _unescape(term: str) -> str:
    """Undo kcorpus's spreadsheet formula escape ('=...) on terms read back from its own CSV output."""
    if term.startswith("'") and term[1:2] and term[1] in _FORMULA_STARTS:
        return term[1:]
    return term
