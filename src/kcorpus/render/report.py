"""The weekly report (`kcorpus report`): one self-contained HTML page, tables and inline SVG charts, nothing
fetched from the network (no scripts, no fonts, no images by address), byte-identical for the same inputs."""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pandas as pd

from kcorpus.render.plots import house_style

FONT_NAME = "kcorpus-NanumGothic"  # the embedded subset of NanumGothic (SIL Open Font License)
STYLE = (
    f"body{{font-family:'{FONT_NAME}','Malgun Gothic','Apple SD Gothic Neo',sans-serif;"
    "margin:2em auto;max-width:70em;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}"
    "th,td{border:1px solid #ccc;padding:0.25em 0.5em;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.n{text-align:right}h2{border-bottom:2px solid #1f6fb4;padding-bottom:0.2em}"
    "svg{max-width:100%;height:auto}.note{color:#666}"
)


@dataclass
class Section:
    """One part of the report: a heading, notes, tables and charts (SVG text), in that order."""

    id: str
    title: str
    notes: list[str] = field(default_factory=list)
    tables: list[pd.DataFrame] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


def figure_svg(fig) -> str:
    """A matplotlib figure as SVG text (glyphs as paths: Hangul shows without the font installed)."""
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue().decode("utf-8")
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text[text.find("<svg") :], flags=re.S)  # RDF addresses
    return text.strip()


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.4g}"
    return escape(str(value))


def html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            cells.append(f'<td class="n">{_cell(value)}</td>' if numeric else f"<td>{_cell(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def report_html(title: str, sections: list[Section]) -> str:
    """The page: a table of contents, then every section."""
    toc = "".join(f'<li><a href="#{s.id}">{escape(s.title)}</a></li>' for s in sections)
    parts = [f"<h1>{escape(title)}</h1>\n<ul>{toc}</ul>"]
    for section in sections:
        parts.append(f'<section id="{section.id}">\n<h2>{escape(section.title)}</h2>')
        parts.extend(f'<p class="note">{escape(note)}</p>' for note in section.notes)
        parts.extend(html_table(table) for table in section.tables)
        parts.extend(f"<figure>{chart}</figure>" for chart in section.charts)
        parts.append("</section>")
    body = "\n".join(parts)
    text = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)  # the charts draw their glyphs as paths
    return (
        '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{embedded_font(text + title)}{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def embedded_font(text: str) -> str:
    """An @font-face rule holding NanumGothic reduced to the characters of `text` (base64 TrueType), so the
    page shows Hangul on a machine without Korean fonts and fetches nothing; '' without the font file."""
    import base64

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from kcorpus.render.plots import font_path

    try:
        font = TTFont(str(font_path()), recalcTimestamp=False)
    except Exception:  # noqa: BLE001 - no font: the page falls back to the reader's fonts
        return ""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]  # VTT hinting sources: not for a web page
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"@font-face{{font-family:'{FONT_NAME}';src:url(data:font/ttf;base64,{data}) format('truetype')}}"


def write_report(html: str, target: Path | None) -> str:
    """Write the page to `target` (atomically) or to stdout; returns where it went."""
    from kcorpus.render.output import _atomic_file

    if target is None or str(target) == "-":
        sys.stdout.write(html)
        sys.stdout.flush()
        return "stdout"
    with _atomic_file(Path(target), binary=True) as file:
        file.write(html.encode("utf-8"))
    return str(target)
