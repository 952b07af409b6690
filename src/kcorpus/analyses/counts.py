"""Sparse document-term (or unit-term) count matrices built from token tables."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from itertools import count
from typing import TYPE_CHECKING, Any, Iterable

import numpy as np

from kcorpus.errors import InvalidArgument
from kcorpus.nlp.tags import term_class
from kcorpus.nlp.terms import TermFilter, Terms, select_terms
from kcorpus.nlp.units import UnitSpec, make_units
from kcorpus.stats.csr import CSR
from kcorpus.table import Column, Table

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

ROW_COLUMNS = ["doc", "unit", "line_start", "line_end", "char_start", "char_end", "page", "page_line"]


class CountMatrix:
    """Counts of terms (columns) in documents or units (rows).

    `csr` holds the counts as plain NumPy arrays (kcorpus.stats.csr); `matrix` is the same matrix as a
    scipy.sparse ``csr_array`` (n_rows, n_terms) of int32 cells (sums over cells are int64), built when
    first asked for: word lists and keyness need no scipy. `rows` describes each row (doc, unit, source line
    span, cleaned-text span); `meta` holds each row's document metadata (file, folder, table columns) for
    grouping. Both are DataFrames built when first asked for; `row_table`, `docs` and `meta_records` give
    the same without pandas. `matrix` may be given as a CSR or a scipy.sparse matrix.
    """

    def __init__(self, matrix: Any, terms: list[str], tags: list[str], row_table: Table, meta_rows: list[dict]):
        self.csr = matrix if isinstance(matrix, CSR) else CSR.from_scipy(matrix)
        if not isinstance(matrix, CSR):
            self.__dict__["matrix"] = matrix  # the caller's own matrix, as given
        self.terms = terms
        self.tags = tags
        self.row_table = row_table  # ROW_COLUMNS
        self.meta_rows = meta_rows  # each row's document metadata

    def __repr__(self) -> str:
        return f"CountMatrix({self.csr.shape[0]} rows x {self.csr.shape[1]} terms, {self.csr.nnz} cells)"

    @cached_property
    def matrix(self) -> sparse.csr_array:
        """The counts as a scipy.sparse csr_array (n_rows, n_terms), sharing the arrays of `csr`."""
        return self.csr.to_scipy()

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
        """Counted terms per row (int64)."""
        return self.csr.row_sums()

    @property
    def term_totals(self) -> np.ndarray:
        """Each term's count over all rows (int64)."""
        return self.csr.column_sums()

    def by(self, labels: Iterable[str]) -> tuple[list[str], sparse.csr_array]:
        """Rows summed per label (e.g. per document or group), labels in first-seen order (a scipy matrix;
        `by_csr` gives the same without scipy)."""
        order, summed = self.by_csr(labels)
        return order, (self.matrix if summed is self.csr else summed.to_scipy())

    def by_csr(self, labels: Iterable[str]) -> tuple[list[str], CSR]:
        """Rows summed per label as a CSR (int64 cells; `csr` itself when every row has a label of its own)."""
        labels = list(labels)
        order = list(dict.fromkeys(labels))
        if len(order) == len(labels):  # one row per label already (documents of document rows)
            return order, self.csr
        position = {label: i for i, label in enumerate(order)}
        rows = np.array([position[label] for label in labels], dtype=np.int64)
        return order, self.csr.summed_rows(rows, len(order))


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
    """Count the terms chosen by `flt` in every unit of every document (n-grams stay within a unit).

    Whole-document counts of stored documents come from their shard's term bags (pipeline/bags.py) when
    the terms are single tokens; the result is the same as counting their tokens. A Corpus read with a
    Dask scheduler is counted on its workers (pipeline/cluster_counts.py); any other iterable of analysed
    documents is counted here."""
    if ngram < 1:
        raise InvalidArgument("ngram", "must be 1 or more")
    if getattr(getattr(corpus, "options", None), "scheduler", None):  # a Corpus read with --scheduler
        from kcorpus.pipeline.cluster_counts import count_on_cluster

        return count_on_cluster(corpus, flt, spec, ngram=ngram, compounds=compounds)
    counter = _Counter(flt)
    bagged = spec.kind == "document" and ngram == 1 and not compounds and flt.pos != "content"
    run: list = []  # stored documents of one shard's bags, waiting to be counted together
    for analysed in corpus:
        found = _bag_of(analysed) if bagged else None
        if run and (found is None or found[0] is not run[0][1][0]):
            counter.add_bags(run)
            run = []
        if found is not None:
            run.append((analysed, found))
            continue
        terms = select_terms(analysed.tokens, flt)
        if compounds:
            terms = merge_compounds(terms, analysed.tokens)
        units = make_units(analysed, spec)
        unit_of_term = units.token_unit[terms.index] if len(terms.index) else np.zeros(0, dtype=np.int64)
        words, tags = terms.term, terms.tag
        if ngram > 1:
            keys, unit_of_term = _ngrams(list(zip(words, tags)), unit_of_term, ngram)
            words, tags = [k[0] for k in keys], [k[1] for k in keys]
        counter.add_document(analysed, units, unit_of_term, words, tags)
    if run:
        counter.add_bags(run)
    return counter.matrix()


def _bag_of(analysed):
    """(shard bags, entry number) of a stored document, or None."""
    content = getattr(analysed, "content", None)
    reader = getattr(content, "reader", None)
    return reader.cache.bag(content.key) if content is not None and reader is not None else None


class _Pieces(list):
    """Arrays to be joined in the end, a document's at a time: every JOIN_EVERY loose ones are joined at once, so
    a big corpus holds a few long arrays per column, not an array object per document (9,169 documents at 50 MB
    of text, ten columns)."""

    JOIN_EVERY = 256

    def __init__(self) -> None:
        super().__init__()
        self.loose = 0

    def append(self, values: np.ndarray) -> None:
        super().append(values)
        self.loose += 1
        if self.loose == self.JOIN_EVERY:
            self[-self.loose :] = [np.concatenate(self[-self.loose :])]
            self.loose = 0


class _Counter:
    """Collects the distinct (row, term) cells of a count matrix, document by document or a shard's bags at
    a time; terms are numbered in order of first appearance."""

    def __init__(self, flt: TermFilter):
        self.flt = flt
        self.texts: dict[str, int] = {}
        self.classes: dict[str, int] = {}
        self.column_of = np.full((0, 0), -1, dtype=np.int32)  # (text id, class id) -> column
        self.column_text: list[np.ndarray] = _Pieces()  # text id and class id of each column, in order
        self.column_class: list[np.ndarray] = _Pieces()
        self.n_columns = 0
        self.row_sizes: list[np.ndarray] = _Pieces()
        self.col_ids: list[np.ndarray] = _Pieces()
        self.values: list[np.ndarray] = _Pieces()
        self.row_columns: dict[str, list[np.ndarray]] = {name: _Pieces() for name in ROW_COLUMNS[1:6]}
        self.row_docs: list[tuple[str, int]] = []
        self.pages: list[int | None] = []
        self.page_lines: list[int] = []
        self.meta_rows: list[dict] = []
        self.shards: dict[int, tuple] = {}  # id(shard bags) -> its filter arrays, for the run

    def _column_ids(self, texts: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """Columns of terms (text ids, class ids) given in order of appearance; new terms take the next
        columns in that order."""
        rows, cols = self.column_of.shape
        if rows < len(self.texts) or cols < len(self.classes):
            grown = np.full((max(len(self.texts), 2 * rows), max(len(self.classes), cols)), -1, dtype=np.int32)
            grown[:rows, :cols] = self.column_of
            self.column_of = grown
        found = self.column_of[texts, classes]
        new = found < 0
        if new.any():
            width = self.column_of.shape[1]
            distinct, first = np.unique(texts[new] * width + classes[new], return_index=True)
            fresh = distinct[np.argsort(first, kind="stable")]
            self.column_of[fresh // width, fresh % width] = np.arange(self.n_columns, self.n_columns + len(fresh))
            self.column_text.append(fresh // width)
            self.column_class.append(fresh % width)
            self.n_columns += len(fresh)
            found = self.column_of[texts, classes]
        return found.astype(np.int64)

    def _text_ids(self, strings: list[str]) -> list[int]:
        """Ids of texts, new ones numbered in the order given."""
        ids = list(map(self.texts.get, strings))  # in C: most texts of a later shard are known
        if None in ids:
            setdefault, texts = self.texts.setdefault, self.texts
            ids = [setdefault(text, len(texts)) if found is None else found for text, found in zip(strings, ids)]
        return ids  # type: ignore[return-value]

    def _add_cells(self, rows: np.ndarray, columns: np.ndarray, counts: np.ndarray, n_rows: int) -> None:
        """Cells (row within this batch, column, count) in any order; a cell given twice is summed."""
        width = max(self.n_columns, 1)
        key = rows * width + columns
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else key
        self.row_sizes.append(np.bincount(key[starts] // width, minlength=n_rows))
        self.col_ids.append((key[starts] % width).astype(np.int32))
        self.values.append((np.add.reduceat(counts[order], starts) if len(key) else key).astype(np.int32))

    def _add_rows(self, docs: list, units: list[int], columns: dict[str, np.ndarray]) -> None:
        """Rows of documents (`units`: rows of each) with their columns of the rows table, unit to char_end."""
        for name, values in columns.items():
            self.row_columns[name].append(values)
        lines = iter(columns["line_start"].tolist())
        for analysed, n in zip(docs, units):
            self.row_docs.append((analysed.id, n))
            for _ in range(n):
                page, page_line = analysed.doc.place(next(lines))
                self.pages.append(page)
                self.page_lines.append(page_line)
            self.meta_rows.extend([analysed.doc.meta] * n)

    def add_document(self, analysed, units, unit_of_term: np.ndarray, words: list[str], tags: list[str]) -> None:
        """One document's terms, each with the unit it lies in."""
        if words:
            word_codes, word_values = _factorize(words)
            tag_codes, tag_values = _factorize(tags)
            texts = np.array(self._text_ids(word_values), dtype=np.int64)
            classes = np.array([self.classes.setdefault(t, len(self.classes)) for t in tag_values], dtype=np.int64)
            columns = self._column_ids(texts[word_codes], classes[tag_codes])
            self._add_cells(unit_of_term.astype(np.int64), columns, np.ones(len(columns), np.int64), len(units))
        else:
            self.row_sizes.append(np.zeros(len(units), dtype=np.int64))
        spans = {
            "unit": np.arange(len(units)),
            "line_start": units.line_start,
            "line_end": units.line_end,
            "char_start": units.char_start,
            "char_end": units.char_end,
        }
        self._add_rows([analysed], [len(units)], spans)

    def _shard_filter(self, bags) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each string of a shard: whether an allowed tag, whether a wanted text, its class id (as a tag)
        and its text id (-1 until needed)."""
        if id(bags) not in self.shards:
            self.shards.clear()  # runs go shard by shard: keep only this one's
            flt, strings = self.flt, bags.strings
            tags = _present(bags.tag, len(strings))
            allowed = np.zeros(len(strings), dtype=bool)
            allowed[[i for i in tags if flt.tag_allowed(strings[i])]] = True
            class_id = np.zeros(len(strings), dtype=np.int64)
            kept = np.flatnonzero(allowed).tolist()
            class_id[kept] = [self.classes.setdefault(term_class(strings[i]), len(self.classes)) for i in kept]
            candidates = _present(bags.text[allowed[bags.tag]], len(strings))
            wanted = np.zeros(len(strings), dtype=bool)
            stop, least = flt.stopwords, flt.min_length
            wanted[[i for i in candidates if len(strings[i]) >= least and strings[i] not in stop]] = True
            text_id = np.full(len(strings), -1, dtype=np.int64)
            self.shards[id(bags)] = (bags, allowed, wanted, class_id, text_id)
        return self.shards[id(bags)][1:]

    def add_bags(self, run: list) -> None:
        """Documents whose bags are in one shard: [(analysed, (shard bags, entry number))...], in corpus order."""
        bags = run[0][1][0]
        allowed, wanted, class_id, text_id = self._shard_filter(bags)
        numbers = np.array([number for _, (_, number) in run], dtype=np.int64)
        starts, sizes = bags.offsets[numbers], bags.offsets[numbers + 1] - bags.offsets[numbers]
        at = np.repeat(starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes) + np.arange(int(sizes.sum()))
        rows = np.repeat(np.arange(len(run)), sizes)
        text, tag = bags.text[at], bags.tag[at]
        keep = allowed[tag] & wanted[text]
        rows, text, tag, counts = rows[keep], text[keep], tag[keep], bags.count[at][keep].astype(np.int64)
        missing = _present(text[text_id[text] < 0], len(text_id))
        if missing:
            text_id[missing] = self._text_ids([bags.strings[i] for i in missing])
        # pairs come in corpus order, then in order of first appearance in each document; a term's tags of
        # one class (NNG, NNP) are one cell
        columns = self._column_ids(text_id[text], class_id[tag])
        self._add_cells(rows, columns, counts, len(run))
        facts = bags.facts[numbers]
        spans = {
            "unit": np.zeros(len(run), dtype=np.int64),
            "line_start": facts[:, 1],
            "line_end": facts[:, 2],
            "char_start": np.zeros(len(run), dtype=np.int64),
            "char_end": facts[:, 0],
        }
        self._add_rows([analysed for analysed, _ in run], [1] * len(run), spans)

    def matrix(self) -> CountMatrix:
        """The counted matrix. The lookup tables go first (a large vocabulary's dict weighs more than its
        strings' list), and no Python int is made per term: the peak of a big corpus's count stays low."""
        texts = np.fromiter(self.texts, dtype=object, count=len(self.texts))
        classes = np.fromiter(self.classes, dtype=object, count=len(self.classes))
        self.texts, self.classes, self.column_of = {}, {}, self.column_of[:0, :0]
        terms = texts[np.concatenate(self.column_text)].tolist() if self.column_text else []
        del texts
        tags = classes[np.concatenate(self.column_class)].tolist() if self.column_class else []
        sizes = self.row_sizes
        n_rows = int(sum(len(s) for s in sizes))
        indptr = np.concatenate([[0], np.cumsum(np.concatenate(sizes))]) if sizes else np.zeros(1, np.int64)
        cols = np.concatenate(self.col_ids) if self.col_ids else np.zeros(0, dtype=np.int32)
        self.col_ids = []
        data = np.concatenate(self.values) if self.values else np.zeros(0, dtype=np.int32)
        self.values = []
        # cells come sorted by row, then term, and are distinct: the CSR arrays are built directly
        matrix = CSR(data, cols, indptr, (n_rows, self.n_columns), distinct=True)
        row_table = _row_table(self.row_docs, self.row_columns, self.pages, self.page_lines)
        return CountMatrix(matrix, terms, tags, row_table, self.meta_rows)


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


def _present(ids: np.ndarray, size: int) -> list[int]:
    """The distinct values of ids in [0, size), in order (np.unique without sorting)."""
    return np.flatnonzero(np.bincount(ids, minlength=size)).tolist()


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes of the values and the distinct values in order of first appearance (as pandas.factorize)."""
    seen: defaultdict[str, int] = defaultdict(count().__next__)  # a new value takes the next number, in C
    codes = np.fromiter(map(seen.__getitem__, values), dtype=np.int64, count=len(values))
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
