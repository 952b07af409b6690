"""The trends chart: a small line chart of per_10k over the periods for each term (gaps stay gaps)."""

from __future__ import annotations

from pathlib import Path

from kcorpus.analyses.groups import NO_LABEL
from kcorpus.render.plots import check_plot_path, drawable, house_style, new_figure, save_figure

PANEL_WIDTH = 4.0  # inches
PANEL_HEIGHT = 2.6
PANELS_PER_ROW = 3
LINE_COLOUR = "#1f6fb4"


def trend_chart(table, path: Path) -> Path:
    """Draw trend_figure(table) to `path` (.png, .svg or .html)."""
    path = check_plot_path(path)
    return save_figure(trend_figure(table), path)


def trend_figure(table, *, title: str | None = None):
    """One panel per term of a trends table (term, period, per_10k): the periods on x, per_10k on y; a
    period without documents (empty per_10k) breaks the line."""
    import numpy as np

    terms = list(dict.fromkeys(table["term"].tolist()))
    columns = max(1, min(len(terms), PANELS_PER_ROW))
    rows = max(1, -(-len(terms) // PANELS_PER_ROW))
    with house_style():
        fig = new_figure(columns * PANEL_WIDTH, rows * PANEL_HEIGHT)
        axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False).ravel())
        for ax, term in zip(axes, terms):
            part = table[table["term"] == term]
            periods = part["period"].astype(str).tolist()
            values = part["per_10k"].astype(float).to_numpy()
            x = np.arange(len(periods))
            ax.plot(x, values, color=LINE_COLOUR, marker="o", markersize=3, linewidth=1.2)
            _period_ticks(ax, x, periods)
            ax.set_title(drawable(str(term)), fontsize=10)
            ax.set_ylabel("per 10k", fontsize=8)
            ax.set_ylim(bottom=0)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        for ax in axes[len(terms) :]:
            ax.set_visible(False)
        if title:
            fig.suptitle(drawable(title))
        fig.tight_layout()
    return fig


def _period_ticks(ax, x, labels: list[str]) -> None:
    """At most seven labels on the x axis, slanted when they are long (2024-W27)."""
    step = max(1, len(labels) // 6)
    long = max((len(label) for label in labels), default=0) > 5
    ax.set_xticks(x[::step], [drawable(label) for label in labels[::step]], fontsize=8)
    if long:
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")


def topic_share_chart(table, topics, path: Path) -> Path:
    """Draw topic_share_figure(table, topics) to `path` (.png, .svg or .html)."""
    path = check_plot_path(path)
    return save_figure(topic_share_figure(table, topics), path)


def topic_share_figure(table, topics):
    """A panel per topic of a `--show groups` table: share across the groups (in time order for periods),
    with the bootstrap interval as a band; `topics` (topic, terms) labels the panels."""
    import numpy as np

    labels = dict(zip(topics["topic"].tolist(), topics["terms"].tolist()))
    numbers = list(dict.fromkeys(table["topic"].tolist()))
    columns = max(1, min(len(numbers), PANELS_PER_ROW))
    rows = max(1, -(-len(numbers) // PANELS_PER_ROW))
    with house_style():
        fig = new_figure(columns * PANEL_WIDTH, rows * PANEL_HEIGHT)
        axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False).ravel())
        for ax, topic in zip(axes, numbers):
            part = table[(table["topic"] == topic) & (table["group"].astype(str) != NO_LABEL)]  # undated: no place
            groups = part["group"].astype(str).tolist()
            x = np.arange(len(groups))
            ax.fill_between(x, part["low"].astype(float), part["high"].astype(float), color=LINE_COLOUR, alpha=0.2)
            ax.plot(x, part["share"].astype(float), color=LINE_COLOUR, marker="o", markersize=3, linewidth=1.2)
            _period_ticks(ax, x, groups)
            ax.set_title(drawable(f"{topic}: {labels.get(topic, '')}"), fontsize=9)
            ax.set_ylim(bottom=0)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        for ax in axes[len(numbers) :]:
            ax.set_visible(False)
        fig.tight_layout()
    return fig
