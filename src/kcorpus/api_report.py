"""`kc.report`: the weekly report of a drop as one self-contained HTML page (`kcorpus report`)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from kcorpus.errors import InvalidArgument

if TYPE_CHECKING:
    import pandas as pd

    from kcorpus.analyses.topics import TopicModel
    from kcorpus.pipeline.corpus import Corpus

LINES_PER_TERM = 3


def report(
    corpus: Corpus,
    *,
    reference: Corpus | None = None,
    model: TopicModel | None = None,
    top: int = 15,
    title: str = "kcorpus: what is new in this drop",
) -> str:
    """One HTML page (no network, inline SVG charts, byte-identical for the same inputs): the documents and
    skips; new terms (absent from `reference`) and rising terms (key against it; without a reference, the
    key terms of each document), each with concordance lines cited doc:line (doc:page:line for a PDF); the
    topic mix of the drop on `model`'s topics against the archive's; near-duplicate and reissued documents."""
    from kcorpus.render.report import report_html

    if top < 1:
        raise InvalidArgument("top", "must be 1 or more")
    sections = [_documents(corpus, reference)]
    sections += _terms(corpus, reference, top)
    sections.append(_topics(corpus, reference, model))
    sections.append(_duplicates(corpus, reference))
    for section in sections:
        if not section.tables and not section.notes:
            section.notes.append("nothing to show")
    return report_html(title, sections)


def _documents(corpus, reference):
    from kcorpus.render.report import Section

    section = Section("documents", "Documents")
    info = corpus.info()
    section.notes.append(
        f"{len(corpus.documents)} document(s) analysed, {len(corpus.skipped)} skipped"
        + (f"; archive: {len(reference.documents)} document(s)" if reference is not None else "")
    )
    section.tables.append(info)
    return section


def _terms(corpus, reference, top: int):
    from kcorpus import api
    from kcorpus.render.plots import keyness_figure
    from kcorpus.render.report import Section, figure_svg

    sections = []
    if reference is not None:
        new = api.keywords(corpus, reference=reference, new_only=True, top=top)
        rising = api.keywords(corpus, reference=reference, top=top)
        rising = rising[~rising["first_seen"]]
        wanted = [("new", "New terms (absent from the archive)", new), ("rising", "Rising terms", rising)]
    else:
        wanted = [("key", "Key terms of each document", api.keywords(corpus, top=min(top, 5)))]
    for key, title, table in wanted:
        section = Section(key, title)
        if len(table):
            section.tables.append(table)
            section.tables.append(_lines(corpus, table["term"].drop_duplicates().tolist()[:top]))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                section.charts.append(figure_svg(keyness_figure(table, panel="doc")))
        sections.append(section)
    return sections


def _lines(corpus, terms: list[str]) -> pd.DataFrame:
    """Up to LINES_PER_TERM concordance lines of each term: term, cite (doc:line, doc:page:line for a PDF), line."""
    import pandas as pd

    from kcorpus import api

    rows = []
    for term in terms:
        lines = api.concordance(corpus, term, limit=LINES_PER_TERM, width=40)
        for line in lines.itertuples(index=False):
            page = "" if pd.isna(line.page) or line.page == "" else f"{int(line.page)}:"
            rows.append((term, f"{line.doc}:{page}{line.line}", f"{line.left}【{line.match}】{line.right}"))
    return pd.DataFrame(rows, columns=["term", "cite", "line"])


def _topics(corpus, reference, model):
    import pandas as pd

    from kcorpus.render.report import Section, figure_svg

    section = Section("topics", "Topic mix")
    if model is None:
        section.notes.append("no topic model given (kcorpus report --load MODEL, saved by topics --save)")
        return section
    drop = model.transform(corpus).summary(5)
    table = drop[["topic", "terms", "share"]].rename(columns={"share": "drop_share"})
    if reference is not None:
        table["archive_share"] = model.transform(reference).summary(5)["share"].to_numpy()
        table["change"] = table["drop_share"] - table["archive_share"]
    section.tables.append(pd.DataFrame(table))
    section.charts.append(figure_svg(_topic_bars(table)))
    return section


def _topic_bars(table):
    import numpy as np

    from kcorpus.render.plots import drawable, house_style, new_figure

    with house_style():
        fig = new_figure(8, 0.5 + 0.4 * len(table))
        ax = fig.subplots()
        y = np.arange(len(table))
        labels = [drawable(f"{t}: {terms[:30]}") for t, terms in zip(table["topic"], table["terms"])]
        ax.barh(y + 0.2, table["drop_share"], height=0.4, color="#1f6fb4", label="drop")
        if "archive_share" in table:
            ax.barh(y - 0.2, table["archive_share"], height=0.4, color="#bbbbbb", label="archive")
        ax.set_yticks(y, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("share of the modelled tokens")
        ax.legend(loc="lower right")
        fig.tight_layout()
    return fig


def _duplicates(corpus, reference):
    from kcorpus.api_time import similar
    from kcorpus.render.report import Section

    section = Section("duplicates", "Near-duplicates and reissues")
    found = similar(corpus, reference=reference)
    section.notes.append(f"{len(found)} pair(s) with similarity 0.5 or more (Jaccard of character 5-grams)")
    if len(found):
        section.tables.append(found)
    return section
