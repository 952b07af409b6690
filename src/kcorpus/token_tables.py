"""Tables of tokens and documents for `kcorpus tokenize` and `kcorpus info`."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pandas as pd

from kcorpus.analyzer import TermFilter, select_terms
from kcorpus.corpus import Corpus
from kcorpus.units import UnitSpec, make_units

TOKEN_COLUMNS = ["doc", "unit", "index", "form", "tag", "lemma", "start", "end"]
INFO_COLUMNS = ["doc", "encoding", "chars", "units", "tokens", "types", "status"]


def token_frames(corpus: Corpus, flt: TermFilter, spec: UnitSpec) -> Iterator[pd.DataFrame]:
    """One frame per document: a row per kept token. `lemma` is the term kcorpus counts for it;
    `index` is the token's position in the document; start/end are offsets into the cleaned text."""
    for analysed in corpus:
        tokens = analysed.tokens
        terms = select_terms(tokens, flt)
        idx = terms.index
        units = make_units(analysed, spec)
        yield pd.DataFrame({
            "doc": analysed.id,
            "unit": units.token_unit[idx],
            "index": idx,
            "form": [tokens.strings[i] for i in tokens.form[idx].tolist()],
            "tag": [tokens.strings[i] for i in tokens.tag[idx].tolist()],
            "lemma": terms.term,
            "start": tokens.start[idx].astype(np.int64),
            "end": tokens.end[idx].astype(np.int64),
        }, columns=TOKEN_COLUMNS)


def unit_lines(corpus: Corpus, flt: TermFilter, spec: UnitSpec) -> Iterator[str]:
    """One line per unit: its terms separated by spaces (spaces inside a term become '_')."""
    for analysed in corpus:
        terms = select_terms(analysed.tokens, flt)
        units = make_units(analysed, spec)
        unit_of_term = units.token_unit[terms.index]
        words: list[list[str]] = [[] for _ in range(len(units))]
        for unit, term in zip(unit_of_term.tolist(), terms.term):
            words[unit].append(term.replace(" ", "_"))
        for line in words:
            yield " ".join(line)


def info_table(corpus: Corpus, flt: TermFilter, spec: UnitSpec) -> pd.DataFrame:
    """A row per input, analysed or skipped: chars of the source text, units, kept tokens, distinct terms."""
    rows = []
    for analysed in corpus:
        terms = select_terms(analysed.tokens, flt)
        rows.append({
            "doc": analysed.id, "encoding": analysed.doc.encoding, "chars": len(analysed.doc.text),
            "units": len(make_units(analysed, spec)), "tokens": len(terms.term),
            "types": len(set(zip(terms.term, terms.tag))), "status": "ok",
        })
    for skipped in corpus.skipped:
        rows.append({"doc": skipped.id, "encoding": skipped.encoding, "chars": 0, "units": 0, "tokens": 0,
                     "types": 0, "status": f"skipped: {skipped.reason}"})
    return pd.DataFrame(rows, columns=INFO_COLUMNS)
