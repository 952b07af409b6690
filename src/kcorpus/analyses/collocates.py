"""Collocates: the terms found in a window of terms around every hit of a query.

What the numbers are (terms = tokens kept by the term filter, `--pos`, nouns by default):

- N: the number of terms in the whole corpus.
- f_node (`node_count`): the number of hits of the query.
- f_coll (`collocate_count`): how often the collocate occurs as a term in the whole corpus.
- O (`count`): how many times the collocate sits in a window: the `left` terms before a hit and the
  `right` terms after it, within the hit's unit (a window stops at the unit's edge). Terms that
  belong to the hit itself are not in its window; a term in two overlapping windows counts twice.
- S = left + right, E (`expected`) = f_node · f_coll · S / N; MI, t-score, logDice and G2 as in
  `kcorpus.stats` (mi_score, t_score, log_dice, collocation_g2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from kcorpus import stats
from kcorpus.errors import InvalidArgument, UsageError
from kcorpus.nlp.terms import TermFilter, select_terms
from kcorpus.nlp.units import UnitSpec, make_units

COLUMNS = ["collocate", "tag", "count", "node_count", "collocate_count", "expected", "mi", "t_score", "log_dice", "g2"]
MEASURES = ("log_dice", "mi", "t_score", "g2", "count")


@dataclass(frozen=True)
class Window:
    """How many terms on each side of a hit count as its neighbours."""

    left: int = 5
    right: int = 5

    def __post_init__(self):
        if self.left < 0 or self.right < 0 or self.left + self.right == 0:
            raise UsageError("the window needs at least one term on some side: check --window, --left, --right")

    @property
    def span(self) -> int:
        return self.left + self.right


@dataclass(frozen=True)
class WindowCounts:
    """Raw collocation counts: O per term, the term frequencies, N and f_node."""

    terms: list[tuple[str, str]]  # (term, tag) per id
    observed: np.ndarray  # O per term id
    frequency: np.ndarray  # f_coll per term id
    total: int  # N
    nodes: int  # f_node


def window_counts(documents: Sequence, hits: Sequence, flt: TermFilter, spec: UnitSpec, window: Window) -> WindowCounts:
    """Count terms in every hit's window (`hits` carry `doc`, `first` and `last`, as concordance hits do;
    `documents` is `corpus.documents`)."""
    vocabulary: dict[tuple[str, str], int] = {}
    frequency_ids: list[np.ndarray] = []
    observed_ids: list[np.ndarray] = []
    hits_by_doc: dict[int, list] = {}
    for hit in hits:
        hits_by_doc.setdefault(hit.doc, []).append(hit)
    for number, analysed in enumerate(documents):
        terms = select_terms(analysed.tokens, flt)
        ids = np.fromiter(
            (vocabulary.setdefault(key, len(vocabulary)) for key in zip(terms.term, terms.tag)),
            dtype=np.int64,
            count=len(terms.term),
        )
        frequency_ids.append(ids)
        if number in hits_by_doc and len(ids):
            token_unit = make_units(analysed, spec).token_unit
            observed_ids.append(_window_ids(ids, terms.index, token_unit, hits_by_doc[number], window))
    size = len(vocabulary)
    frequency = np.bincount(np.concatenate(frequency_ids) if frequency_ids else np.zeros(0, np.int64), minlength=size)
    observed = np.bincount(np.concatenate(observed_ids) if observed_ids else np.zeros(0, np.int64), minlength=size)
    return WindowCounts(list(vocabulary), observed, frequency, int(frequency.sum()), len(hits))


def _window_ids(ids: np.ndarray, index: np.ndarray, token_unit: np.ndarray, hits, window: Window) -> np.ndarray:
    """Term ids in the windows of the hits of one document (`index`: the token of each term)."""
    unit_of_term = token_unit[index]
    found = []
    for hit in hits:
        unit = token_unit[hit.first]
        before = int(np.searchsorted(index, hit.first, side="left"))  # first term of or after the hit
        after = int(np.searchsorted(index, hit.last, side="right"))  # first term after the hit
        left = np.arange(max(0, before - window.left), before)
        right = np.arange(after, min(len(ids), after + window.right))
        for side in (left, right):
            side = side[unit_of_term[side] == unit]
            found.append(ids[side])
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def collocates(
    documents: Sequence,
    hits: Sequence,
    flt: TermFilter = TermFilter(),
    spec: UnitSpec = UnitSpec("paragraph"),
    window: Window = Window(),
    *,
    min_count: int = 3,
    measure: str = "log_dice",
    limit: int | None = None,
) -> pd.DataFrame:
    """One row per collocate seen at least `min_count` times, best first by `measure` (module docstring)."""
    if measure not in MEASURES:
        raise InvalidArgument("measure", f"{measure!r}: use one of {', '.join(MEASURES)}")
    if min_count < 1:
        raise InvalidArgument("min_count", "must be 1 or more")
    counts = window_counts(documents, hits, flt, spec, window)
    keep = np.flatnonzero(counts.observed >= min_count)
    o = counts.observed[keep]
    f_coll = counts.frequency[keep]
    f_node, n, span = counts.nodes, counts.total, window.span
    expected = stats.collocation_expected(f_node, f_coll, span, n)
    frame = pd.DataFrame(
        {
            "collocate": [counts.terms[i][0] for i in keep.tolist()],
            "tag": [counts.terms[i][1] for i in keep.tolist()],
            "count": o.astype(np.int64),
            "node_count": np.full(len(keep), f_node, dtype=np.int64),
            "collocate_count": f_coll.astype(np.int64),
            "expected": np.asarray(expected, dtype=np.float64),
            "mi": np.asarray(stats.mi_score(o, expected), dtype=np.float64),
            "t_score": np.asarray(stats.t_score(o, expected), dtype=np.float64),
            "log_dice": np.asarray(stats.log_dice(o, f_node, f_coll), dtype=np.float64),
            "g2": np.asarray(stats.collocation_g2(o, f_node, f_coll, n, span), dtype=np.float64),
        },
        columns=COLUMNS,
    )
    frame = frame.sort_values([measure, "count", "collocate"], ascending=[False, False, True], kind="mergesort")
    frame = frame.reset_index(drop=True)
    if limit is not None:
        if limit < 0:
            raise InvalidArgument("limit", "must be 0 or more")
        frame = frame.head(limit)
    return frame
