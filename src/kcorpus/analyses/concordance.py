"""Keyword in context: each hit of a query (see kcorpus.analyses.hits for the query syntax) shown with its
context, sorted, sampled, and the dispersion of the hits over each document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from kcorpus.analyses.hits import (  # noqa: F401 - find_hits: for callers
    MODES,
    Hit,
    Query,
    as_sequence,
    find_hits,
    regex_matcher,
    surface_pattern,
    tag_filter,
)
from kcorpus.errors import InvalidArgument, UsageError
from kcorpus.nlp.analyzer import AnalyzerSettings
from kcorpus.table import Table

if TYPE_CHECKING:
    import pandas as pd

SORTS = ("doc", "left", "right", "match")
COLUMNS = ["doc", "page", "line", "left", "match", "right"]
DISPERSION_COLUMNS = ["doc", "hits", "tokens", "per_10k", "positions"]
DEFAULT_WIDTH = 30
WHITESPACE = re.compile(r"\s+")


# --- concordance lines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextSpec:
    """How much context to show: `width` characters, or `tokens` tokens, each side; `sentence` clips
    it to the hit's sentence."""

    width: int = DEFAULT_WIDTH
    tokens: int | None = None
    sentence: bool = False

    def __post_init__(self):
        if self.width < 0 or (self.tokens is not None and self.tokens < 0):
            raise InvalidArgument("width", "and --tokens must be 0 or more")


def flat(text: str) -> str:
    """Text for one line: every run of whitespace (line breaks too) becomes a single space."""
    return WHITESPACE.sub(" ", text)


def context_spans(analysed, hit: Hit, spec: ContextSpec) -> tuple[int, int]:
    """Where the left context starts and the right context ends, as offsets into the cleaned text."""
    tokens, text = analysed.tokens, analysed.cleaned.text
    low, high = 0, len(text)
    if spec.sentence and len(tokens):
        sentence = tokens.sentence  # numbered in token order
        first = int(np.searchsorted(sentence, sentence[hit.first], side="left"))
        last = int(np.searchsorted(sentence, sentence[hit.last], side="right")) - 1
        low = min(int(tokens.start[first]), hit.start)
        high = max(int(tokens.end[last]), hit.end)
    if spec.tokens is not None and len(tokens):
        if spec.tokens == 0:
            return hit.start, hit.end
        before = max(0, hit.first - spec.tokens)
        after = min(len(tokens) - 1, hit.last + spec.tokens)
        left = min(int(tokens.start[before]), hit.start)
        right = max(int(tokens.end[before : after + 1].max()), hit.end)
        return max(left, low), min(right, high)
    return max(hit.start - spec.width, low), min(hit.end + spec.width, high)


def concordance_lines(documents: Sequence, hits: Sequence[Hit], spec: ContextSpec = ContextSpec()) -> Table:
    """One row per hit: doc, page and line where the hit starts (the 1-based line of the source file; for a
    PDF its page and the line on that page, page empty otherwise), left, match, right (whitespace runs
    shown as one space)."""
    return _lines_table(line_rows(list(documents), hits, spec))


def line_rows(documents: Sequence, hits: Sequence[Hit], spec: ContextSpec) -> list[tuple]:
    """The rows of concordance_lines."""
    rows = []
    for hit in hits:
        analysed = documents[hit.doc]
        text = analysed.cleaned.text
        left, right = context_spans(analysed, hit, spec)
        page, line = analysed.doc.place(analysed.cleaned.source_line(hit.start))
        rows.append(
            (
                analysed.id,
                page,
                line,
                flat(text[left : hit.start]),
                flat(text[hit.start : hit.end]),
                flat(text[hit.end : right]),
            )
        )
    return rows


def _lines_table(rows: list[tuple]) -> Table:
    frame = Table.from_rows(rows, COLUMNS, {"page": "I", "line": "i"})
    return frame.with_column("line", np.asarray(frame.column("line"), dtype=np.int64), "i")


def sort_keys(lines: Table, order: str) -> list:
    """Sort keys per row: doc (corpus order, then page and line: cleaning may move footnotes), left (the
    word nearest the hit first, as AntConc), right, match."""
    if order not in SORTS:
        raise InvalidArgument("sort", f"{order!r}: use one of {', '.join(SORTS)}")
    if order == "left":
        return [tuple(reversed(text.split())) for text in lines.values("left")]
    if order == "right":
        return [tuple(text.split()) for text in lines.values("right")]
    if order == "match":
        return lines.values("match")
    rank = {doc: i for i, doc in enumerate(dict.fromkeys(lines.values("doc")))}
    pages = [0 if page is None else int(page) for page in lines.values("page")]
    return [(rank[doc], page, line) for doc, page, line in zip(lines.values("doc"), pages, lines.values("line"))]


def concordance(documents: Sequence, query: str, **options) -> Table:
    """Keyword-in-context lines for `query`: concordance_and_hits without the hits."""
    return concordance_and_hits(documents, query, **options)[0]


def concordance_and_hits(
    documents: Sequence,
    query: str,
    *,
    mode: str = "morpheme",
    pos: str | None = None,
    context: ContextSpec = ContextSpec(),
    sort: str = "doc",
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    analyser: AnalyzerSettings | None = AnalyzerSettings(),
    hits: Sequence[Hit] | None = None,
) -> tuple[Table, list[Hit]]:
    """Keyword-in-context lines for `query` (see the module docstring for the syntax), and every hit found
    (before sampling and limits).

    `sample` keeps that many hits drawn at random (same `seed`, same lines), `sort` orders the
    lines (ties keep document order) and `limit` keeps the first lines after sorting (0: all). Pass `hits`
    to reuse a search already made.
    """
    check_request(query, mode=mode, pos=pos, sort=sort)
    documents = as_sequence(documents)
    if hits is None:  # lines are cut as each document's hits are found: every document is read once
        rows: list[tuple] = []
        found = find_hits(
            documents,
            query,
            mode=mode,
            pos=pos,
            analyser=analyser,
            each=lambda doc_hits: rows.extend(line_rows(documents, doc_hits, context)),
        )
        lines = _lines_table(rows).take(sample_indices(len(found), sample, seed))
    else:
        found = list(hits)
        lines = concordance_lines(documents, sample_hits(found, sample, seed), context)
    keys = sort_keys(lines, sort)
    order = sorted(range(len(lines)), key=keys.__getitem__)
    lines = lines.take(order)
    if limit is not None and limit < 0:
        raise InvalidArgument("limit", "must be 0 or more")
    if limit:  # 0 or None: every line, as --top 0 elsewhere
        lines = lines.head(limit)
    return lines, found


def check_request(query: str, *, mode: str = "morpheme", pos: str | None = None, sort: str = "doc") -> None:
    """Raise UsageError for a query, tag filter or sort order that cannot work (before any search)."""
    if mode not in MODES:
        raise UsageError(f"unknown match mode {mode!r}: use one of {', '.join(MODES)}")
    if sort not in SORTS:
        raise InvalidArgument("sort", f"{sort!r}: use one of {', '.join(SORTS)}")
    if pos and mode == "surface":
        raise InvalidArgument("pos", "does not apply to --surface (a plain text search): drop one of them")
    if pos:
        tag_filter(pos)
    if mode == "regex":
        regex_matcher(query)
    elif mode == "surface":
        surface_pattern(query)
    else:
        Query.parse(query, pos)


def sample_hits(hits: Sequence[Hit], size: int | None, seed: int = 0) -> list[Hit]:
    """`size` hits drawn without replacement (all of them if there are fewer), kept in document order."""
    return [hits[i] for i in sample_indices(len(hits), size, seed)]


def sample_indices(count: int, size: int | None, seed: int = 0) -> list[int]:
    """Which of `count` hits sample_hits keeps, in order."""
    if size is None or size >= count:
        return list(range(count))
    if size < 0:
        raise InvalidArgument("sample", "must be 0 or more")
    return sorted(np.random.default_rng(seed).choice(count, size=size, replace=False).tolist())


# --- dispersion ----------------------------------------------------------------------------------


def dispersion(documents: Sequence, hits: Sequence[Hit]) -> pd.DataFrame:
    """One row per document: hits, tokens (all Kiwi tokens), hits per 10,000 tokens, and the relative
    position (0-1, hit start / length of the cleaned text) of every hit."""
    import pandas as pd

    from kcorpus.stats import per_n

    documents = list(documents)
    positions: list[list[float]] = [[] for _ in documents]
    for hit in hits:
        length = len(documents[hit.doc].cleaned.text)
        positions[hit.doc].append(hit.start / length if length else 0.0)
    counts = np.array([len(p) for p in positions], dtype=np.int64)
    sizes = np.array([len(d.tokens) for d in documents], dtype=np.int64)
    rate = per_n(counts, sizes, 10_000) if len(documents) else np.zeros(0)
    return pd.DataFrame(
        {
            "doc": [d.id for d in documents],
            "hits": counts,
            "tokens": sizes,
            "per_10k": np.asarray(rate, dtype=np.float64),
            "positions": positions,
        },
        columns=DISPERSION_COLUMNS,
    )
