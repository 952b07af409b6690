"""Sparse document-term (or unit-term) count matrices built from token tables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

import numpy as np
from scipy import sparse

from kcorpus.errors import InvalidArgument
from kcorpus.nlp.terms import TermFilter, Terms, select_terms
from kcorpus.nlp.units import UnitSpec, make_units
from kcorpus.table import Column, Table

if TYPE_CHECKING:
    import pandas as pd

ROW_COLUMNS = ["doc", "unit", "line_start", "line_end", "char_start", "char_end", "page", "page_line"]


@dataclass(frozen=True)
class CountMatrix:
    """Counts of terms (columns) in documents or units (rows).

    `rows` describes each row (doc, unit, source line span, cleaned-text span); `meta` holds each
    row's document metadata (file, folder, table columns) for grouping. Both are DataFrames built when
    first asked for; `row_table`, `docs` and `meta_records` give the same without pandas.
    """

    matrix: sparse.csr_array  # (n_rows, n_terms) int64
    terms: list[str]
    tags: list[str]
    row_table: Table  # ROW_COLUMNS
    meta_rows: list[dict]  # each row's document metadata

    @cached_property
    def rows(self) -> pd.DataFrame:
        return self.row_table.to_pandas()

    @cached_property
    def meta(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.meta_rows).fillna("")

    @property
    def docs(self) -> list[str]:
        """The document of each row."""
        return list(self.row_table.column("doc"))

    def meta_records(self) -> list[dict]:
        """Each row's metadata as text, a column missing from a row as "" (the `meta` frame's records)."""
        if not any(self.meta_rows):
            return [{} for _ in self.meta_rows]
        if all(type(value) is str for meta in self.meta_rows for value in meta.values()):
            names = list(dict.fromkeys(name for meta in self.meta_rows for name in meta))
            return [{name: meta.get(name, "") for name in names} for meta in self.meta_rows]
        return self.meta.astype(str).to_dict("records")

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
    row_sizes: list[np.ndarray] = []  # per document: cells in each of its rows
    col_ids: list[np.ndarray] = []  # per document: the term of each distinct (row, term) cell, row by row
    values: list[np.ndarray] = []  # and its count
    row_columns: dict[str, list[np.ndarray]] = {name: [] for name in ROW_COLUMNS[1:6]}  # unit .. char_end
    row_docs: list[tuple[str, int]] = []  # (doc, its number of units)
    pages: list[int | None] = []
    page_lines: list[int] = []
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
        row_sizes.append(np.bincount(cells // width, minlength=len(units)))
        col_ids.append((cells % width).astype(np.int32))
        values.append(counts.astype(np.int32))
        for name, values_of_unit in (
            ("unit", np.arange(len(units))),
            ("line_start", units.line_start),
            ("line_end", units.line_end),
            ("char_start", units.char_start),
            ("char_end", units.char_end),
        ):
            row_columns[name].append(values_of_unit)
        row_docs.append((analysed.id, len(units)))
        pages.extend(page for page, _ in places)
        page_lines.extend(line for _, line in places)
        meta_rows.extend([analysed.doc.meta] * len(units))
        n_rows += len(units)
    indptr = np.concatenate([[0], np.cumsum(np.concatenate(row_sizes))]) if row_sizes else np.zeros(1, np.int64)
    cols = np.concatenate(col_ids) if col_ids else np.zeros(0, dtype=np.int32)
    del col_ids
    data = (np.concatenate(values) if values else np.zeros(0, dtype=np.int32)).astype(np.int64)
    del values
    # cells come sorted by row, then term, and are distinct: the CSR arrays are built directly
    matrix = sparse.csr_array((data, cols, indptr), shape=(n_rows, len(vocabulary)))
    row_table = _row_table(row_docs, row_columns, pages, page_lines)
    return CountMatrix(matrix, [k[0] for k in vocabulary], [k[1] for k in vocabulary], row_table, meta_rows)


def _row_table(
    docs: list[tuple[str, int]], columns: dict[str, list[np.ndarray]], pages: list, page_lines: list[int]
) -> Table:
    """The rows table of a count matrix: doc, unit, line and character spans, page and line on the page."""
    if not docs:
        return Table.empty(ROW_COLUMNS)
    doc = np.empty(sum(n for _, n in docs), dtype=object)
    at = 0
    for name, n in docs:
        doc[at : at + n] = name
        at += n
    table: dict[str, Column] = {"doc": doc}
    for name, parts in columns.items():
        table[name] = np.concatenate(parts).astype(np.int64)
    table["page"] = [None if page is None else int(page) for page in pages]
    table["page_line"] = np.array(page_lines, dtype=np.int64)
    return Table.build(table, {"page": "I"})


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
    word_codes, word_values = _factorize(words)
    tag_codes, tag_values = _factorize(tags)
    pairs = word_codes.astype(np.int64) * len(tag_values) + tag_codes
    _, first, inverse = np.unique(pairs, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # first appearance, so ids do not depend on sorting
    at = first[order]
    word_list, tag_list, setdefault = word_values, tag_values, vocabulary.setdefault
    ids = np.empty(len(first), dtype=np.int64)
    ids[order] = [
        setdefault((word_list[w], tag_list[t]), len(vocabulary))
        for w, t in zip(word_codes[at].tolist(), tag_codes[at].tolist())
    ]
    return ids[inverse.ravel()]


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes of the values and the distinct values in order of first appearance (as pandas.factorize)."""
    seen: dict[str, int] = {}
    codes = np.fromiter((seen.setdefault(value, len(seen)) for value in values), dtype=np.int64, count=len(values))
    return codes, list(seen)


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
