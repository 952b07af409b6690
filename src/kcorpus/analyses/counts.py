"""Sparse document-term (or unit-term) count matrices built from token tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus.errors import InvalidArgument
from kcorpus.nlp.terms import TermFilter, Terms, select_terms
from kcorpus.nlp.units import UnitSpec, make_units

ROW_COLUMNS = ["doc", "unit", "line_start", "line_end", "char_start", "char_end", "page", "page_line"]


@dataclass(frozen=True)
class CountMatrix:
    """Counts of terms (columns) in documents or units (rows).

    `rows` describes each row (doc, unit, source line span, cleaned-text span); `meta` holds each
    row's document metadata (file, folder, table columns) for grouping.
    """

    matrix: sparse.csr_array  # (n_rows, n_terms) int64
    terms: list[str]
    tags: list[str]
    rows: pd.DataFrame
    meta: pd.DataFrame

    @property
    def row_totals(self) -> np.ndarray:
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    @property
    def term_totals(self) -> np.ndarray:
        return np.asarray(self.matrix.sum(axis=0)).ravel()

    def by(self, labels: Iterable[str]) -> tuple[list[str], sparse.csr_array]:
        """Rows summed per label (e.g. per document or group), labels in first-seen order."""
        labels = list(labels)
        order = list(dict.fromkeys(labels))
        if len(order) == len(labels):  # one row per label already (documents of document rows)
            return order, self.matrix
        position = {label: i for i, label in enumerate(order)}
        rows = np.array([position[label] for label in labels], dtype=np.int64)
        indicator = sparse.csr_array(
            (np.ones(len(rows), dtype=np.int64), (rows, np.arange(len(rows)))), shape=(len(order), len(rows))
        )
        return order, sparse.csr_array(indicator @ self.matrix)


def merge_compounds(terms: Terms, tokens) -> Terms:
    """Join runs of nouns written with no space between them (인간+안보 → 인간안보)."""
    index, words, tags = terms.index, terms.term, terms.tag
    if len(index) < 2:
        return terms
    adjacent = (np.diff(index) == 1) & (tokens.end[index[:-1]] == tokens.start[index[1:]])
    out_index: list[int] = []
    out_terms: list[str] = []
    out_tags: list[str] = []
    for i, (position, word, tag) in enumerate(zip(index.tolist(), words, tags)):
        if i and adjacent[i - 1] and tag == "NN" and out_tags and out_tags[-1] == "NN":
            out_terms[-1] += word
            continue
        out_index.append(position)
        out_terms.append(word)
        out_tags.append(tag)
    return Terms(np.asarray(out_index, dtype=np.int64), out_terms, out_tags)


def count_matrix(
    corpus, flt: TermFilter, spec: UnitSpec = UnitSpec("document"), *, ngram: int = 1, compounds: bool = False
) -> CountMatrix:
    """Count the terms chosen by `flt` in every unit of every document (n-grams stay within a unit)."""
    if ngram < 1:
        raise InvalidArgument("ngram", "must be 1 or more")
    vocabulary: dict[tuple[str, str], int] = {}
    row_ids: list[np.ndarray] = []
    col_ids: list[np.ndarray] = []
    values: list[np.ndarray] = []  # per document, its distinct (row, term) cells and their counts
    row_parts: list[pd.DataFrame] = []
    meta_rows: list[dict] = []
    n_rows = 0
    for analysed in corpus:
        terms = select_terms(analysed.tokens, flt)
        if compounds:
            terms = merge_compounds(terms, analysed.tokens)
        units = make_units(analysed, spec)
        places = [analysed.doc.place(line) for line in units.line_start.tolist()]
        unit_of_term = units.token_unit[terms.index] if len(terms.index) else np.zeros(0, dtype=np.int64)
        words, tags = terms.term, terms.tag
        if ngram > 1:
            keys, unit_of_term = _ngrams(list(zip(words, tags)), unit_of_term, ngram)
            words, tags = [k[0] for k in keys], [k[1] for k in keys]
        columns = _term_ids(words, tags, vocabulary)
        width = max(len(vocabulary), 1)
        cells, counts = _unit_term_counts(unit_of_term, columns, width)
        row_ids.append(cells // width + n_rows)
        col_ids.append(cells % width)
        values.append(counts)
        row_parts.append(
            pd.DataFrame(
                {
                    "doc": analysed.id,
                    "unit": np.arange(len(units)),
                    "line_start": units.line_start,
                    "line_end": units.line_end,
                    "char_start": units.char_start,
                    "char_end": units.char_end,
                    "page": pd.array([page for page, _ in places], dtype="Int64"),
                    "page_line": np.array([line for _, line in places], dtype=np.int64),
                },
                columns=ROW_COLUMNS,
            )
        )
        meta_rows.extend([analysed.doc.meta] * len(units))
        n_rows += len(units)
    rows = np.concatenate(row_ids) if row_ids else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(col_ids) if col_ids else np.zeros(0, dtype=np.int64)
    data = np.concatenate(values) if values else np.zeros(0, dtype=np.int64)
    del row_ids, col_ids, values
    matrix = sparse.csr_array((data, (rows, cols)), shape=(n_rows, len(vocabulary)))  # cells are distinct
    matrix.sum_duplicates()
    row_frame = pd.concat(row_parts, ignore_index=True) if row_parts else pd.DataFrame(columns=ROW_COLUMNS)
    return CountMatrix(
        matrix, [k[0] for k in vocabulary], [k[1] for k in vocabulary], row_frame, pd.DataFrame(meta_rows).fillna("")
    )


def _unit_term_counts(units: np.ndarray, columns: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (unit, term) cells of one document as unit * width + term, and how often each occurs,
    so a corpus's counts are held as cells, not as one entry per token."""
    if not len(columns):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cells, counts = np.unique(units.astype(np.int64) * width + columns, return_counts=True)
    return cells, counts.astype(np.int64)


def _term_ids(words: list[str], tags: list[str], vocabulary: dict[tuple[str, str], int]) -> np.ndarray:
    """Column ids of (term, tag) pairs; pairs new to `vocabulary` are added in order of first appearance."""
    if not words:
        return np.zeros(0, dtype=np.int64)
    word_codes, word_values = pd.factorize(np.asarray(words, dtype=object))
    tag_codes, tag_values = pd.factorize(np.asarray(tags, dtype=object))
    pair_codes, first = np.unique(word_codes * len(tag_values) + tag_codes, return_index=True)
    order = np.argsort(first, kind="stable")  # first appearance, so ids do not depend on sorting
    ids = np.empty(len(pair_codes), dtype=np.int64)
    for rank in order.tolist():
        key = (word_values[word_codes[first[rank]]], tag_values[tag_codes[first[rank]]])
        ids[rank] = vocabulary.setdefault(key, len(vocabulary))
    return ids[np.searchsorted(pair_codes, word_codes * len(tag_values) + tag_codes)]


def _ngrams(keys: list[tuple[str, str]], units: np.ndarray, n: int) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Contiguous n-grams of terms that lie in one unit."""
    if len(keys) < n:
        return [], np.zeros(0, dtype=np.int64)
    same_unit = units[: len(units) - n + 1] == units[n - 1 :]
    grams, grams_units = [], []
    for start in np.flatnonzero(same_unit).tolist():
        window = keys[start : start + n]
        grams.append((" ".join(k[0] for k in window), "+".join(k[1] for k in window)))
        grams_units.append(units[start])
    return grams, np.asarray(grams_units, dtype=np.int64)
