"""Charts as matplotlib Figures for notebooks (`kc.plot.keyness(table)`); the CLI's --plot draws the same.

Each figure uses the bundled Korean font; save one with `figure.savefig("chart.png")`.
"""

from __future__ import annotations

from kcorpus.errors import InvalidArgument


def keyness(table, *, panel: str | None = None, top: int = 10, score: str = "g2", title: str | None = None):
    """Bars of signed G2 (or `score`) of the top terms per document or group of a keywords/compare table."""
    from kcorpus.render.plots import keyness_figure

    if panel is None:
        panel = next((name for name in ("doc", "group") if name in table.columns), None)
        if panel is None:
            raise InvalidArgument("panel", "is needed: the table has neither a doc nor a group column")
    return keyness_figure(table, panel=panel, top=top, score=score, title=title)


def dispersion(
    corpus, query: str, *, regex: bool = False, surface: bool = False, pos: str | None = None, title: str | None = None
):
    """A barcode per document: a tick where each hit of `query` falls in the text."""
    from kcorpus.analyses.concordance import dispersion as positions
    from kcorpus.api import hits
    from kcorpus.render.plots import dispersion_figure

    found = hits(corpus, query, regex=regex, surface=surface, pos=pos)
    return dispersion_figure(positions(corpus.documents, found), title=title or f"{query}: {len(found)} hits")


def topics(model, *, top: int = 10, title: str | None = None):
    """Each topic's top terms by weight, then each document's topic mixture (a result of kc.topics)."""
    from kcorpus.render.plots import topic_figure

    if not hasattr(model, "doc_table"):  # a saved model (kc.load_topics) has no documents of its own
        raise InvalidArgument("model", "is a saved model with no documents: plot model.transform(corpus)")
    return topic_figure(model.term_table(top), model.doc_table(), title=title)


def trends(table, *, title: str | None = None):
    """A line per term of a kc.trends table: per_10k over the periods (a period without documents: a gap)."""
    from kcorpus.render.trend_plot import trend_figure

    return trend_figure(table, title=title)


def topic_groups(model, by: str, *, seed: int = 0):
    """A panel per topic: its share in each group of `by` (periods in time order) with the 95% bootstrap
    interval as a band; the table of model.by_group(by)."""
    from kcorpus.render.trend_plot import topic_share_figure

    if not hasattr(model, "by_group"):
        raise InvalidArgument("model", "is a saved model with no documents: plot model.transform(corpus)")
    return topic_share_figure(model.by_group(by, seed=seed), model.summary(3))
