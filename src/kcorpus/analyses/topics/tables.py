"""The result of a run (`TopicResult`) and the tables `--show` writes from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus import stats
from kcorpus.analyses.counts import CountMatrix
from kcorpus.analyses.topics.coherence import sweep_warnings
from kcorpus.analyses.topics.model import TopicModel
from kcorpus.analyses.topics.settings import (
    BIG_DOC_SHARE,
    COHERENCE_TOP,
    DOC_COLUMNS,
    EXAMPLE_COLUMNS,
    EXAMPLES_PER_TOPIC,
    OWN_TOPIC_SHARE,
    RELEVANCE_LAMBDA,
    TABLES,
    TERM_COLUMNS,
    TEXT_WIDTH,
    TOPIC_COLUMNS,
    UNIT_COLUMNS,
)
from kcorpus.errors import InvalidArgument


@dataclass
class TopicResult:
    """A model applied to units: each unit's mixture, and the tables built from it."""

    model: TopicModel
    counts: CountMatrix  # all units of the analysed documents, over the modelled terms (the same as unit_counts)
    unit_counts: sparse.csr_array  # the same units over the model's vocabulary
    mixture: np.ndarray  # unit × topic, rows sum to 1 (or 0 for units without modelled terms)
    texts: Mapping[str, str]  # cleaned text of each document, for unit excerpts (read when asked)
    sweep: pd.DataFrame
    seeds: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"<TopicResult: {self.model.method}, k={self.model.k}, {len(self.counts.docs):,} units of "
            f"{len(set(self.counts.docs)):,} documents; .topics, .terms, .docs>"
        )

    @property
    def topics(self) -> pd.DataFrame:
        """topic, share, npmi, units, terms: one row per topic (`--show topics`)."""
        return self.summary()

    @property
    def terms(self) -> pd.DataFrame:
        """topic, rank, term, weight, relevance: the top 10 terms of each topic (`--show terms`)."""
        return self.term_table()

    @property
    def docs(self) -> pd.DataFrame:
        """doc, topic, share: each document's topic mixture (`--show docs`)."""
        return self.doc_table()

    @property
    def units(self) -> pd.DataFrame:
        """The dominant topic of each unit with its source lines (`--show units`)."""
        return self.unit_table()

    @property
    def examples(self) -> pd.DataFrame:
        """The most typical units of each topic, cited as doc:line (`--show examples`)."""
        return self.example_table()

    @property
    def k_sweep(self) -> pd.DataFrame:
        """k, npmi, heldout_npmi, stability, diversity, chosen: every k tried (`--show k`)."""
        return self.sweep

    def by_group(self, by: str, *, seed: int = 0) -> pd.DataFrame:
        """group, topic, share, low, high, units, docs: topic shares per group of `by` (doc, folder, file,
        COLUMN, COLUMN:PERIOD) with 95% bootstrap intervals over documents (`--show groups`)."""
        from kcorpus.analyses.topics.groups import group_shares

        return group_shares(self, by, seed=seed)

    def transform(self, corpus) -> TopicResult:
        """Place another corpus's units on these topics, without refitting."""
        return self.model.transform(corpus)

    def save(self, directory) -> None:
        """Write the model to a folder (model.npz and settings.json; no pickle)."""
        self.model.save(Path(directory))

    @property
    def unit_weights(self) -> np.ndarray:
        """Modelled term tokens of each unit (what shares are weighted by)."""
        return np.asarray(self.unit_counts.sum(axis=1), dtype=np.float64).ravel()

    def shares(self) -> np.ndarray:
        """Each topic's token-weighted share of all units."""
        return _weighted_share(self.mixture, self.unit_weights)

    def summary(self, top: int = COHERENCE_TOP) -> pd.DataFrame:
        """topic, share, npmi, units, terms: one row per topic (`--show topics`, the same in every format).

        share: the topic's token-weighted share of all units; npmi: mean NPMI of its top-10 term pairs;
        units: units whose dominant topic it is; terms: its top terms by weight, joined with ", ".
        """
        model = self.model
        dominant, _ = self.dominant()
        units = dominant.value_counts().reindex(range(1, model.k + 1), fill_value=0)
        return pd.DataFrame(
            {
                "topic": np.arange(1, model.k + 1),
                "share": self.shares(),
                "npmi": model.npmi.astype(np.float64),
                "units": units.to_numpy(dtype=np.int64),
                "terms": [", ".join(model.terms[i] for i in cols) for cols in model.top_terms(top)],
            },
            columns=TOPIC_COLUMNS,
        )

    def term_table(self, top: int = COHERENCE_TOP) -> pd.DataFrame:
        """topic, rank, term, weight, relevance: the top terms of each topic by weight (long form)."""
        model = self.model
        p_w_t = model.topic_term()
        relevance = stats.topic_relevance(p_w_t, model.term_probability[None, :], RELEVANCE_LAMBDA)
        rows = []
        for topic, cols in enumerate(model.top_terms(top)):
            for rank, col in enumerate(cols, start=1):
                rows.append((topic + 1, rank, model.terms[col], float(p_w_t[topic, col]), float(relevance[topic, col])))
        return pd.DataFrame(rows, columns=TERM_COLUMNS)

    def doc_table(self) -> pd.DataFrame:
        """doc, topic, share: each document's topic mixture, token-weighted over its units."""
        names, _, members = rows_by_document(self.counts.rows["doc"].to_numpy())
        if not names:
            return pd.DataFrame(columns=DOC_COLUMNS)
        weights, k = self.unit_weights, self.model.k
        shares = [_weighted_share(self.mixture[rows], weights[rows]) for rows in members]
        return pd.DataFrame(
            {
                "doc": np.repeat(np.asarray(names, dtype=object), k),
                "topic": np.tile(np.arange(1, k + 1), len(names)),
                "share": np.concatenate(shares),
            },
            columns=DOC_COLUMNS,
        )

    def unit_table(self) -> pd.DataFrame:
        """doc, unit, cite (doc:first line, doc:page:line for a PDF), page (empty without pages), line_start,
        line_end (lines of the text as read), topic, share, text: the dominant topic of every unit."""
        rows = self.counts.rows
        topic, share = self.dominant()
        docs, pages, lines = _places(rows)
        return pd.DataFrame(
            {
                "doc": rows["doc"],
                "unit": rows["unit"],
                "cite": [_cite(d, page, line) for d, page, line in zip(docs, pages, lines)],
                "page": pd.array(pages, dtype="Int64"),
                "line_start": rows["line_start"],
                "line_end": rows["line_end"],
                "topic": topic,
                "share": share,
                "text": self.excerpts(np.arange(len(rows))),
            },
            columns=UNIT_COLUMNS,
        )

    def example_table(self, per_topic: int = EXAMPLES_PER_TOPIC) -> pd.DataFrame:
        """topic, rank, cite (doc:first line, doc:page:line for a PDF), page (empty without pages), share, text:
        the units with the highest share of each topic
        (equal shares: the unit with more modelled terms first)."""
        rows = self.counts.rows
        order, tokens = np.arange(len(rows)), self.unit_weights
        frames = []
        for topic in range(self.model.k):
            share = self.mixture[:, topic]
            best = [u for u in np.lexsort((order, -tokens, -share))[:per_topic].tolist() if share[u] > 0]
            chosen = rows.iloc[best]
            frames.append(
                pd.DataFrame(
                    {
                        "topic": topic + 1,
                        "rank": np.arange(1, len(best) + 1),
                        "cite": [_cite(d, page, line) for d, page, line in zip(*_places(chosen))],
                        "page": pd.array(chosen["page"].tolist(), dtype="Int64"),
                        "share": share[best],
                        "text": self.excerpts(np.asarray(best, dtype=np.int64)),
                    },
                    columns=EXAMPLE_COLUMNS,
                )
            )
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EXAMPLE_COLUMNS)

    def fit_warnings(self) -> list[str]:
        """What a fit should say on stderr about its k: an edge of --k-range, a flat sweep, an unstable
        choice (k auto), and big documents left without a topic of their own (`unowned_documents`)."""
        settings = self.model.settings
        out = sweep_warnings(self.sweep, settings["k_range"]) if settings.get("k_requested") == "auto" else []
        for doc, share in self.unowned_documents():
            out.append(
                f"{doc} holds {share:.0%} of the modelled tokens but has no topic of its own (none of its units is "
                f"dominated by a topic that draws at least {OWN_TOPIC_SHARE:.0%} of its weight from {doc}): its "
                "topics are shared with other documents; try a larger k, --unit sentence or modelling it apart"
            )
        return out

    def unowned_documents(self) -> list[tuple[str, float]]:
        """Documents holding at least BIG_DOC_SHARE of the modelled tokens with no topic of their own, and
        that share. A topic is a document's own when at least OWN_TOPIC_SHARE of its token weight comes
        from the document's units; a document has one when one of its units is dominated by such a topic."""
        weights = self.unit_weights
        total = float(weights.sum())
        if total <= 0 or self.model.k == 0:
            return []
        names, codes, members = rows_by_document(self.counts.rows["doc"].to_numpy())
        # a cheap sum per document first (to a hair below the limit), then the exact test on the few big ones
        near = np.bincount(codes, weights=weights, minlength=len(names)) / total
        big = np.flatnonzero(near >= BIG_DOC_SHARE * (1 - 1e-9)).tolist()
        if not big:
            return []
        mass = weights[:, None] * self.mixture
        topic_mass = mass.sum(axis=0)
        topic, share = self.dominant()
        topic_numbers = topic.to_numpy(dtype=np.int64, na_value=0)
        out = []
        for i in big:
            rows = members[i]
            doc_share = float(weights[rows].sum()) / total
            if doc_share < BIG_DOC_SHARE:
                continue
            own = np.divide(mass[rows].sum(axis=0), topic_mass, out=np.zeros_like(topic_mass), where=topic_mass > 0)
            dominated = np.unique(topic_numbers[rows[share[rows] > 0]] - 1)
            if not (own[dominated] >= OWN_TOPIC_SHARE).any():
                out.append((str(names[i]), doc_share))
        return out

    def dominant(self) -> tuple[pd.Series, np.ndarray]:
        """Each unit's topic with the largest share (missing for units without modelled terms), and that share."""
        best = np.argmax(self.mixture, axis=1) if self.model.k else np.zeros(len(self.mixture), dtype=np.int64)
        share = self.mixture[np.arange(len(best)), best] if len(best) else np.zeros(0)
        topic = pd.array(best + 1, dtype="Int64")
        topic[share == 0] = pd.NA
        return pd.Series(topic), share

    def excerpts(self, units: np.ndarray) -> list[str]:
        """The first TEXT_WIDTH characters of each unit, line breaks as spaces."""
        rows = self.counts.rows
        out = []
        for doc, start, end in zip(
            rows["doc"].to_numpy()[units], rows["char_start"].to_numpy()[units], rows["char_end"].to_numpy()[units]
        ):
            out.append(_excerpt(self.texts.get(doc, "")[int(start) : int(end)]))
        return out

    def table(self, show: str, top: int = COHERENCE_TOP) -> pd.DataFrame:
        """The table `--show` names, with the same columns in every format (`top` terms per topic)."""
        if show == "topics":
            return self.summary(top)
        if show == "terms":
            return self.term_table(top)
        builders = {
            "docs": self.doc_table,
            "units": self.unit_table,
            "examples": self.example_table,
            "k": lambda: self.sweep,
            "seeds": lambda: self.seeds,
        }
        if show not in builders:
            raise InvalidArgument("show", f"{show!r}: use one of {', '.join(TABLES)}")
        return builders[show]()


def rows_by_document(docs: np.ndarray) -> tuple[list, np.ndarray, list[np.ndarray]]:
    """The documents of `docs` (one per unit) in order of first appearance, each unit's document number, and
    each document's units (ascending row numbers): one sort, so per-document tables are linear in the units
    (a `docs == doc` scan per document would be units × documents)."""
    codes, names = pd.factorize(docs)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(names)))[:-1]
    return names.tolist(), codes, (np.split(order, bounds) if len(names) else [])


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_WIDTH else flat[: TEXT_WIDTH - 1] + "…"


def _weighted_share(mixture: np.ndarray, weights: np.ndarray) -> np.ndarray:
    total = float(weights.sum())
    if total <= 0:
        return np.full(mixture.shape[1], np.nan)
    return (weights @ mixture) / total


def _places(rows: pd.DataFrame) -> tuple[list, list, list]:
    """doc, page and line on the page of each unit's first line (page None for a source without pages)."""
    if "page" not in rows:  # counted before pages were known (a model saved by an older version)
        return rows["doc"].tolist(), [None] * len(rows), rows["line_start"].tolist()
    pages = [None if pd.isna(page) else int(page) for page in rows["page"].tolist()]
    return rows["doc"].tolist(), pages, rows["page_line"].tolist()


def _cite(doc: str, page, line) -> str:
    """doc:line, or doc:page:line for a paginated source."""
    return f"{doc}:{line}" if page is None else f"{doc}:{page}:{line}"
