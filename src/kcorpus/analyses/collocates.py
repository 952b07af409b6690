"""Collocates: the terms found in a window of terms around every hit of a query.

What the numbers are (terms = tokens kept by the term filter, `--pos`, nouns by default):

- N: the number of terms in the whole corpus.
- f_node (`node_count`): the number of hits of the query.
- f_coll (`collocate_count`): how often the collocate occurs as a term in the whole corpus.
- A hit's window: the `left` terms before it and the `right` terms after it, within the unit of the hit
  (a window stops at the unit's edge); the hit's own terms are not in its window.
- The covered span: the union of all the windows, so a term in two overlapping windows is one covered
  term. C = the number of covered terms. The node's terms (the (term, tag) of every term inside a hit)
  are no collocates and are not counted in C, unless `include_node` (`--include-node`): then they
  are both (a hit inside another hit's window is covered; a hit is never in its own window).
- O (`count`): how many of the C covered terms are the collocate, so O <= f_coll, O <= C and
  O <= f_node · (left + right), and the 2×2 table of covered/not covered × collocate/other term
      [[O, C − O], [f_coll − O, N − C − (f_coll − O)]]
  has no negative cell.
- E (`expected`) = f_coll · C / N; MI = log2(O/E); t = (O − E)/sqrt(O);
  logDice = 14 + log2(2·O/(f_node + f_coll)); G2 = signed log-likelihood of the table above
  (+ when O/C > (f_coll − O)/(N − C)). The formulas are `kcorpus.stats.association`:
  collocation_expected_covered, mi_score, t_score, log_dice, collocation_g2_covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from kcorpus import stats
from kcorpus.errors import InvalidArgument, UsageError
from kcorpus.nlp.terms import TermFilter, select_terms
from kcorpus.nlp.units import UnitSpec, make_units
from kcorpus.stats._core import distinct_ints
from kcorpus.stats.association import collocation_expected_covered, collocation_g2_covered
from kcorpus.table import Table

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
    """Raw collocation counts: O per term, the term frequencies, N, C and f_node."""

    terms: list[tuple[str, str]]  # (term, tag) per id
    observed: np.ndarray  # O per term id: covered terms of that id (0 for a node term unless include_node)
    frequency: np.ndarray  # f_coll per term id
    total: int  # N
    nodes: int  # f_node
    covered: int  # C = observed.sum(): the terms the union of the windows covers
    node_terms: frozenset[int] = frozenset()  # ids of the node's terms (the terms inside the hits)


def window_counts(
    documents: Sequence, hits: Sequence, flt: TermFilter, spec: UnitSpec, window: Window, *, include_node: bool = False
) -> WindowCounts:
    """Count the terms covered by the union of the hits' windows, each term once (`hits` carry `doc`,
    `first` and `last`, as concordance hits do; `documents` is `corpus.documents`)."""
    vocabulary: dict[tuple[str, str], int] = {}
    frequency_ids: list[np.ndarray] = []
    covered_ids: list[np.ndarray] = []
    node_ids: list[np.ndarray] = []
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
            covered, node = covered_positions(terms.index, token_unit, hits_by_doc[number], window)
            covered_ids.append(ids[covered])
            node_ids.append(ids[node])
    size = len(vocabulary)
    empty = np.zeros(0, np.int64)
    frequency = np.bincount(np.concatenate(frequency_ids) if frequency_ids else empty, minlength=size)
    observed = np.bincount(np.concatenate(covered_ids) if covered_ids else empty, minlength=size)
    node_terms = distinct_ints(np.concatenate(node_ids) if node_ids else empty)
    if not include_node:
        observed[node_terms] = 0  # the node's terms are neither collocates nor part of C
    return WindowCounts(
        list(vocabulary),
        observed,
        frequency,
        int(frequency.sum()),
        len(hits),
        int(observed.sum()),
        frozenset(node_terms.tolist()),
    )


def covered_positions(index: np.ndarray, token_unit: np.ndarray, hits, window: Window):
    """The terms of one document (positions into `index`, the token of each term) that the union of the
    hits' windows covers, and the terms inside the hits (two boolean masks over the terms).

    A hit's window holds up to `window.left` terms before it and `window.right` after it, inside the unit
    of the hit's first token; the hit's own terms are not in its window (they may be in another hit's)."""
    unit_of_term = token_unit[index]
    covered = np.zeros(len(index), dtype=bool)
    node = np.zeros(len(index), dtype=bool)
    for hit in hits:
        unit = token_unit[hit.first]
        before = int(np.searchsorted(index, hit.first, side="left"))  # first term of or after the hit
        after = int(np.searchsorted(index, hit.last, side="right"))  # first term after the hit
        node[before:after] = True
        for side in (slice(max(0, before - window.left), before), slice(after, after + window.right)):
            covered[side] |= unit_of_term[side] == unit
    return covered, node


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
    include_node: bool = False,
) -> Table:
    """One row per collocate seen at least `min_count` times, best first by `measure` (module docstring).
    The node's own terms are left out unless `include_node`."""
    if measure not in MEASURES:
        raise InvalidArgument("measure", f"{measure!r}: use one of {', '.join(MEASURES)}")
    if min_count < 1:
        raise InvalidArgument("min_count", "must be 1 or more")
    if limit is not None and limit < 0:
        raise InvalidArgument("limit", "must be 0 or more")
    counts = window_counts(documents, hits, flt, spec, window, include_node=include_node)
    keep = np.flatnonzero(counts.observed >= min_count)
    o = counts.observed[keep]
    f_coll = counts.frequency[keep]
    f_node, n, covered = counts.nodes, counts.total, counts.covered
    expected = collocation_expected_covered(f_coll, covered, n)
    frame = Table.build(
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
            "g2": np.asarray(collocation_g2_covered(o, f_coll, covered, n), dtype=np.float64),
        }
    )
    frame = frame.sorted([(measure, False), ("count", False), ("collocate", True)])
    if limit:  # 0 or None: every collocate
        frame = frame.head(limit)
    return frame
