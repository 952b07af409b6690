"""Charts as PNG, SVG or a standalone HTML page, drawn with a Korean font so Hangul never shows as boxes.

The shared core every chart uses:

- `korean_font()` registers the NanumGothic file shipped with koreanize-matplotlib with matplotlib's
  font manager (no import side effects) and returns its family name.
- `new_figure(width, height)` gives a figure with the house style (fixed size in inches, fixed dpi).
- `save_figure(fig, path)` writes PNG, SVG or HTML depending on the suffix (anything else is a
  UsageError); SVG output is byte-identical across runs (fixed hash salt, no date metadata).

matplotlib is imported inside functions only, so importing this module is cheap.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import warnings
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from kcorpus.errors import InvalidArgument, KcorpusError, KcorpusWarning

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FONT_FAMILY = "NanumGothic"
FONT_FILE = "NanumGothic.ttf"
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib
#: CJK fonts a system may have (none ships with a pip install); used, in this order, for the ideographs
#: NanumGothic lacks (simplified Chinese company names in the bundled China report, rare Hanja).
SYSTEM_CJK_FAMILIES = ("Noto Sans CJK KR", "Noto Sans CJK SC", "Source Han Sans K", "WenQuanYi Micro Hei")
SYSTEM_CJK_FILES = re.compile(r"(?i)^(NotoSansCJK|SourceHanSans|wqy-microhei)")
CJK_FONT_HINT = "install a CJK font to draw them (Debian: apt install fonts-noto-cjk or fonts-wqy-microhei)"
MISSING_GLYPH = "?"
DPI = 100
PLOT_SUFFIXES = (".png", ".svg", ".html")
OVER_COLOUR = "#1f6fb4"
UNDER_COLOUR = "#c8553d"

#: matplotlib settings applied while a chart is drawn and saved (never changed globally).
STYLE: dict[RcKeyType, Any] = {
    "font.family": [FONT_FAMILY, FALLBACK_FAMILY],  # per-glyph fallback; font_families() adds system CJK fonts
    "font.size": 10,
    "axes.unicode_minus": False,  # NanumGothic has no U+2212 minus sign
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.bbox": None,  # keep the exact figure size in pixels
    "svg.hashsalt": "kcorpus",
    "svg.fonttype": "path",  # glyphs as paths: the SVG shows Hangul without the font installed
    "path.simplify": True,
}


def font_path() -> Path:
    """The NanumGothic file bundled with koreanize-matplotlib (found without importing that package)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / "fonts" / FONT_FILE
        if candidate.is_file():
            return candidate
    raise KcorpusError(f"cannot find {FONT_FILE}: install koreanize-matplotlib (pip install koreanize-matplotlib)")


@functools.lru_cache(maxsize=1)
def korean_font() -> str:
    """Register NanumGothic with matplotlib (once per process) and return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return FONT_FAMILY


@functools.lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """The families a chart draws with, in fallback order: NanumGothic, the system's CJK fonts, DejaVu Sans."""
    from matplotlib import font_manager

    korean_font()
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():  # installed after matplotlib built its font cache
        if SYSTEM_CJK_FILES.search(Path(path).name) and path not in known:
            font_manager.fontManager.addfont(path)
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return (FONT_FAMILY, *(f for f in SYSTEM_CJK_FAMILIES if f in installed), FALLBACK_FAMILY)


@functools.lru_cache(maxsize=1)
def _drawable_codepoints() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    covered: set[int] = set()
    for family in font_families():
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        covered.update(FT2Font(path).get_charmap())
    return frozenset(covered)


_UNDRAWN: dict[str, None] = {}  # labels drawn with '?' since the last house_style() block ended


def drawable(text: str) -> str:
    """`text` as a chart label: characters no bundled font has (e.g. simplified Chinese) become '?', and
    '$' is escaped so it is not read as mathtext. Such labels are warned about once per chart."""
    covered = _drawable_codepoints()
    shown = "".join(c if ord(c) in covered or c.isspace() else MISSING_GLYPH for c in text)
    if shown != text:
        _UNDRAWN[text] = None
    return shown.replace("$", r"\$")


@contextmanager
def house_style() -> Iterator[None]:
    """The Agg backend, the Korean font and the fixed chart settings, for the duration of the block."""
    import matplotlib

    korean_font()
    outermost = not _STYLE_DEPTH
    _STYLE_DEPTH.append(True)
    try:
        with matplotlib.rc_context({**STYLE, "font.family": list(font_families())}):
            yield
    finally:
        _STYLE_DEPTH.pop()
    if outermost and _UNDRAWN:
        labels = ", ".join(list(_UNDRAWN)[:8]) + (" …" if len(_UNDRAWN) > 8 else "")
        _UNDRAWN.clear()
        warnings.warn(
            KcorpusWarning(
                f"the chart's fonts ({', '.join(font_families())}) cannot draw some characters of {labels}; "
                f"they are shown as ?; {CJK_FONT_HINT}"
            ),
            stacklevel=3,
        )


_STYLE_DEPTH: list[bool] = []


def new_figure(width: float, height: float):
    """A figure of `width` x `height` inches at the house dpi (not attached to pyplot, so never shown)."""
    from matplotlib.figure import Figure

    korean_font()
    return Figure(figsize=(width, height), dpi=DPI)


def check_plot_path(path: Path) -> Path:
    """Fail early, before any work, when a --plot path cannot be written."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise InvalidArgument("plot", f"{path}: use a file ending in .png, .svg or .html")
    if not path.parent.is_dir():
        raise InvalidArgument("plot", f"{path}: directory {path.parent} does not exist")
    return path


def save_figure(fig, path: Path) -> Path:
    """Write `fig` as PNG, SVG or a standalone HTML page embedding the SVG, chosen by the suffix."""
    path = check_plot_path(path)
    suffix = path.suffix.lower()
    with house_style():
        if suffix == ".png":
            data = _render(fig, "png", {"Software": None})
        else:
            data = _render(fig, "svg", {"Date": None, "Creator": None})
    if suffix == ".html":
        data = _html_page(data.decode("utf-8"), title=path.stem).encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise KcorpusError(f"cannot write {path}: {exc.strerror}") from None
    return path


def _render(fig, fmt: str, metadata: dict) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _html_page(svg: str, title: str) -> str:
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    return (
        '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>body{margin:1em;font-family:sans-serif}svg{max-width:100%;height:auto}</style>\n"
        f"</head>\n<body>\n{body.strip()}\n</body>\n</html>\n"
    )


# --- keyness bar chart ---------------------------------------------------------------------------

KEYNESS_PANEL_WIDTH = 4.0  # inches per panel
KEYNESS_PANEL_HEIGHT = 4.5
KEYNESS_PANELS_PER_ROW = 3


def keyness_chart_size(n_panels: int) -> tuple[int, int]:
    """Pixel size (width, height) of a keyness chart with `n_panels` panels."""
    columns = max(1, min(n_panels, KEYNESS_PANELS_PER_ROW))
    rows = max(1, -(-n_panels // KEYNESS_PANELS_PER_ROW))
    return round(columns * KEYNESS_PANEL_WIDTH * DPI), round(rows * KEYNESS_PANEL_HEIGHT * DPI)


def keyness_chart(frame, path: Path, **options) -> Path:
    """Draw keyness_figure(frame, **options) to `path` (.png, .svg or .html)."""
    path = check_plot_path(path)
    return save_figure(keyness_figure(frame, **options), path)


def keyness_figure(
    frame, *, panel: str, term: str = "term", score: str = "g2", top: int = 10, title: str | None = None
):
    """Horizontal bars of the `top` terms by |score| in each `panel` value (signed: over-use right, under-use left).

    `frame` is a keywords or compare table; rows are taken in the order given within each panel.
    """
    panels = list(dict.fromkeys(frame[panel].tolist())) or ["(no terms)"]
    width_px, height_px = keyness_chart_size(len(panels))
    columns = max(1, min(len(panels), KEYNESS_PANELS_PER_ROW))
    rows = -(-len(panels) // KEYNESS_PANELS_PER_ROW)
    with house_style():
        fig = new_figure(width_px / DPI, height_px / DPI)
        axes = fig.subplots(rows, columns, squeeze=False)
        for ax in axes.ravel()[len(panels) :]:
            ax.set_visible(False)
        for ax, name in zip(axes.ravel(), panels):
            part = frame[frame[panel] == name] if len(frame) else frame
            part = (
                part.assign(_strength=part[score].abs())
                .sort_values("_strength", ascending=False, kind="mergesort")
                .head(top)
                if len(part)
                else part
            )
            _bars(ax, part[term].tolist()[::-1], part[score].tolist()[::-1], str(name), score)
        if title:
            fig.suptitle(drawable(title))
        fig.tight_layout()
    return fig


def _bars(ax, labels: list[str], values: list[float], name: str, score: str) -> None:
    positions = list(range(len(labels)))
    colours = [OVER_COLOUR if v >= 0 else UNDER_COLOUR for v in values]
    ax.barh(positions, values, color=colours)
    ax.set_yticks(positions, [drawable(label) for label in labels])
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_title(drawable(_shorten(name, 40)), fontsize=10)
    ax.set_xlabel(f"signed {score.upper()}" if score == "g2" else score)
    if not labels:
        ax.text(0.5, 0.5, "(no key terms)", transform=ax.transAxes, ha="center", va="center")


def _shorten(text: str, limit: int) -> str:
    """Long panel names lose their start: document ids end with the file name."""
    return text if len(text) <= limit else "…" + text[len(text) - limit + 1 :]


# --- dispersion plot (concordance) ---------------------------------------------------------------

DISPERSION_WIDTH = 10.0  # inches
DISPERSION_ROW_HEIGHT = 0.55
DISPERSION_LABEL_CHARS = 40
TICK_COLOUR = "#222222"


def dispersion_plot(frame, path: Path, **options) -> Path:
    """Draw dispersion_figure(frame, **options) to `path` (.png, .svg or .html)."""
    path = check_plot_path(path)
    return save_figure(dispersion_figure(frame, **options), path)


def dispersion_figure(frame, *, title: str | None = None):
    """A barcode per document: a tick at each hit's relative position in the text (AntConc's Plot).

    `frame` has one row per document with `doc`, `hits`, `per_10k` and `positions` (0-1 each), as
    `kcorpus.analyses.concordance.dispersion` returns it; each row is labelled with the hit count and rate.
    """
    rows = list(frame.itertuples(index=False))
    height = max(1.6, 0.9 + DISPERSION_ROW_HEIGHT * len(rows))
    with house_style():
        fig = new_figure(DISPERSION_WIDTH, height)
        ax = fig.subplots()
        for row_number, row in enumerate(rows):
            y = len(rows) - 1 - row_number
            ax.axhspan(y - 0.35, y + 0.35, color="#f2f2f2", linewidth=0)
            if len(row.positions):
                ax.vlines(list(row.positions), y - 0.3, y + 0.3, color=TICK_COLOUR, linewidth=0.8)
        ax.set_yticks(range(len(rows)), [_dispersion_label(row) for row in reversed(rows)])
        ax.set_ylim(-0.6, max(len(rows), 1) - 0.4)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("position in the document (share of its text)")
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        if title:
            ax.set_title(drawable(title))
        fig.tight_layout()
    return fig


def _dispersion_label(row) -> str:
    name = drawable(_shorten(str(row.doc), DISPERSION_LABEL_CHARS))
    return f"{name}\n{row.hits} hits, {row.per_10k:.1f} per 10k tokens"


# --- topics: top terms per topic and each document's topic mixture -------------------------------

TOPIC_PANEL_WIDTH = 3.0  # inches per topic panel
TOPIC_PANEL_HEIGHT = 2.8
TOPIC_PANELS_PER_ROW = 4
TOPIC_DOC_ROW_HEIGHT = 0.45  # inches per document in the mixture chart
TOPIC_DOC_LABEL_CHARS = 30


def topic_colour(topic: int, n_topics: int):
    """The colour of topic `topic` (1-based), the same in every panel of a topic chart."""
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n_topics <= 10 else "tab20"]
    return cmap((topic - 1) % cmap.N)


def topic_chart(terms, mixture, path: Path, **options) -> Path:
    """Draw topic_figure(terms, mixture, **options) to `path` (.png, .svg or .html)."""
    path = check_plot_path(path)
    return save_figure(topic_figure(terms, mixture, **options), path)


def topic_figure(terms, mixture, *, title: str | None = None):
    """Bars of each topic's top terms by weight, then one stacked bar per document of its topic shares.

    `terms` has topic, rank, term, weight (kcorpus topics' long table); `mixture` has doc, topic, share.
    """
    topics = sorted(set(terms["topic"].tolist()) | set(mixture["topic"].tolist()))
    docs = list(dict.fromkeys(mixture["doc"].tolist()))
    columns = max(1, min(len(topics), TOPIC_PANELS_PER_ROW))
    panel_rows = max(1, -(-len(topics) // TOPIC_PANELS_PER_ROW))
    mixture_height = 1.4 + TOPIC_DOC_ROW_HEIGHT * max(1, len(docs))
    with house_style():
        fig = new_figure(columns * TOPIC_PANEL_WIDTH + 1.5, panel_rows * TOPIC_PANEL_HEIGHT + mixture_height)
        grid = fig.add_gridspec(
            panel_rows + 1, columns, height_ratios=[TOPIC_PANEL_HEIGHT] * panel_rows + [mixture_height]
        )
        for number, topic in enumerate(topics):
            ax = fig.add_subplot(grid[number // columns, number % columns])
            part = terms[terms["topic"] == topic].sort_values("rank", kind="mergesort")
            positions = list(range(len(part)))[::-1]
            ax.barh(positions, part["weight"].tolist(), color=topic_colour(topic, len(topics)))
            ax.set_yticks(positions, [drawable(str(t)) for t in part["term"]], fontsize=8)
            ax.set_title(f"topic {topic}", fontsize=10)
            ax.tick_params(axis="x", labelsize=7)
        _topic_mixture(fig.add_subplot(grid[panel_rows, :]), mixture, topics, docs)
        if title:
            fig.suptitle(drawable(title))
        fig.tight_layout()
    return fig


def _topic_mixture(ax, mixture, topics: list, docs: list) -> None:
    """One horizontal bar per document, split into its topic shares."""
    positions = list(range(len(docs)))[::-1]
    left = [0.0] * len(docs)
    for topic in topics:
        part = mixture[mixture["topic"] == topic].set_index("doc")["share"]
        shares = [float(part.get(doc, 0.0)) if part.get(doc, 0.0) == part.get(doc, 0.0) else 0.0 for doc in docs]
        ax.barh(positions, shares, left=left, color=topic_colour(topic, len(topics)), label=f"topic {topic}")
        left = [a + b for a, b in zip(left, shares)]
    ax.set_yticks(positions, [drawable(_shorten(str(doc), TOPIC_DOC_LABEL_CHARS)) for doc in docs], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("share of the document's terms")
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25 if len(docs) < 4 else -0.12),
        ncol=min(len(topics), 12),
        fontsize=7,
        frameon=False,
    )
