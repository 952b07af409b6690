"""The public search functions (`kc.hits`, `kc.concordance`, `kc.collocates`), re-exported by kcorpus.api."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from kcorpus import defaults
from kcorpus.errors import InvalidArgument
from kcorpus.table import dataframe_api

if TYPE_CHECKING:
    from kcorpus.pipeline.corpus import Corpus
    from kcorpus.table import Table

WordFiles = str | os.PathLike | Sequence[str | os.PathLike] | None


def _mode(regex: bool, surface: bool) -> str:
    if regex and surface:
        raise InvalidArgument("regex", "and surface: use one of them, not both")
    return "regex" if regex else "surface" if surface else "morpheme"


def hits(corpus: Corpus, query: str, *, regex: bool = False, surface: bool = False, pos: str | None = None):
    """Where `query` occurs: one Hit (doc, first and last token, start and end offsets) per match."""
    from kcorpus.analyses.concordance import check_request, find_hits

    mode = _mode(regex, surface)
    check_request(query, mode=mode, pos=pos)
    return find_hits(corpus.documents, query, mode=mode, pos=pos, analyser=corpus.options.analyzer)


def concordance_table(
    corpus: Corpus,
    query: str,
    *,
    regex: bool = False,
    surface: bool = False,
    pos: str | None = None,
    width: int = defaults.CONCORDANCE_WIDTH,
    tokens: int | None = None,
    sentence: bool = False,
    sort: str = "doc",
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    found: Sequence | None = None,
    by: str | None = None,
) -> Table:
    """Keyword in context: doc, page, line, left, match, right for every hit of `query` (a term, a lemma, a phrase,
    term/TAG, a pattern with `regex`, plain text with `surface`); no rows when nothing matches. `by` (doc,
    folder, file, COLUMN, COLUMN:PERIOD) adds a group column after doc."""
    from kcorpus.analyses import concordance as kwic
    from kcorpus.analyses.grouped import with_group_column

    mode = _mode(regex, surface)
    kwic.check_request(query, mode=mode, pos=pos, sort=sort)
    lines, _ = kwic.concordance_and_hits(
        corpus.documents,
        query,
        mode=mode,
        pos=pos,
        context=kwic.ContextSpec(width, tokens, sentence),
        sort=sort,
        limit=limit,
        sample=sample,
        seed=seed,
        analyser=corpus.options.analyzer,
        hits=found,
    )
    return with_group_column(lines, corpus.documents, by) if by else lines


concordance = dataframe_api(concordance_table, "concordance")


def collocates_table(
    corpus: Corpus,
    query: str,
    *,
    regex: bool = False,
    surface: bool = False,
    window: int = defaults.COLLOCATION_WINDOW,
    left: int | None = None,
    right: int | None = None,
    min_count: int = defaults.MIN_COUNT_KEYNESS,
    measure: str = "log_dice",
    top: int = 0,
    include_node: bool = False,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
    unit: str = defaults.UNIT,
    min_unit_tokens: int = defaults.MIN_UNIT_TOKENS,
    found: Sequence | None = None,
    by: str | None = None,
) -> Table:
    """Collocates of `query` within `left`/`right` terms (default `window`) inside its unit: collocate, tag,
    count, node_count, collocate_count, expected, mi, t_score, log_dice, g2.

    count (O) counts each term once however many windows cover it; expected E = f_coll · C / N with C the
    terms covered by the union of the windows; the node's own terms are left out (of the rows and of C)
    unless `include_node`. Formulas: kcorpus.analyses.collocates. `by` (folder, file, COLUMN, COLUMN:PERIOD):
    the collocates of each group, counted in its documents alone, with a leading group column."""
    from kcorpus.analyses import collocates as colloc
    from kcorpus.analyses.grouped import per_group
    from kcorpus.api import term_filter
    from kcorpus.nlp.units import UnitSpec

    span = colloc.Window(window if left is None else left, window if right is None else right)
    flt = term_filter(pos, min_length, stopwords, stoplist)
    spec = UnitSpec.parse(unit, min_unit_tokens)
    found = hits(corpus, query, regex=regex, surface=surface) if found is None else found

    def table(documents, group_hits):
        return colloc.collocates(
            documents,
            group_hits,
            flt,
            spec,
            span,
            min_count=min_count,
            measure=measure,
            limit=top or None,
            include_node=include_node,
        )

    return per_group(corpus.documents, found, by, table) if by else table(corpus.documents, found)


collocates = dataframe_api(collocates_table, "collocates")
