"""Tables for a terminal (rich): numbers right-aligned and rounded, contexts fitted to the width."""

from __future__ import annotations

import os

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kcorpus.render.output import _TABLE_WIDTH, OutputOptions, _isatty, _output_path
from kcorpus.render.rows import Batches, _column_values


def _table_float(value: float) -> str:
    if value == 0 or 1e-4 <= abs(value) < 1e15:
        return f"{value:.4f}"
    return f"{value:.3e}"


def _table_cell(value) -> Text:
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(_table_float(value))
    return Text(str(value))


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def write_rich_table(header: list | None, batches: Batches, opts: OutputOptions, stream) -> None:
    frames = list(batches)
    if header is None:
        return
    data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    table = Table(title=Text(opts.title) if opts.title else None, show_edge=opts.framed, pad_edge=opts.framed)
    no_color = opts.no_color or bool(os.environ.get("NO_COLOR"))
    for name, (_, column) in zip(header, data.items()):
        right = _is_number_column(column) or name in opts.right_aligned
        style = "bold magenta" if name in opts.emphasised and not no_color else None
        table.add_column(
            Text(str(name)),
            justify="right" if right else "left",
            style=style,
            no_wrap=name in opts.right_aligned or name in opts.emphasised,
        )
    cells = [[_table_cell(value) for value in _column_values(column)] for _, column in data.items()]
    for row in zip(*cells):
        table.add_row(*row)

    to_terminal = _isatty(stream)
    console = Console(
        file=stream,
        width=None if to_terminal else _TABLE_WIDTH,
        force_terminal=None if _output_path(opts) is None else False,  # no ANSI codes in files
        color_system=None if no_color else "auto",
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(table)


# --- concordance lines ------------------------------------------------------------------------------

# cells an unframed (OutputOptions.framed=False) table spends on borders and padding: a rule between
# columns and a cell of padding on each side of it
CHROME_PER_COLUMN = 3
MIN_CONTEXT_CELLS = 10
MIN_DOC_CELLS = 12
DOC_SHARE = 5  # the doc column takes at most 1/DOC_SHARE of the width


def fitted_concordance(lines: pd.DataFrame, width: int | None = None) -> pd.DataFrame:
    """The lines for an unframed terminal table of `width` cells, so that no row wraps (wide Hangul
    characters count as two cells). Document ids longer than a fifth of the width (at least
    MIN_DOC_CELLS) lose their middle (`seoul-c…2020.txt` at 80 columns), and the contexts share the
    rest, the words nearest the hit kept; a page column empty on every line (no document has pages) is left
    out when the contexts need its room. For the terminal table only: other formats keep the full ids,
    contexts and columns."""
    view = lines.copy()
    if width is None or not len(lines):
        return view
    docs = shortened_ids(view["doc"].astype(str).tolist(), max(MIN_DOC_CELLS, width // DOC_SHARE))
    view["doc"] = docs
    left_needs = _column_cells("left", view["left"].tolist())
    right_needs = _column_cells("right", view["right"].tolist())
    room = _context_room(view, width)
    if "page" in view and view["page"].isna().all() and left_needs + right_needs > room:
        view = view.drop(columns="page")
        room = _context_room(view, width)
    left = min(left_needs, max(room // 2, room - right_needs))  # room one side does not need goes to the other
    right = room - left
    view["left"] = [_cut_cells(text, left, keep_end=True) for text in view["left"].tolist()]
    view["right"] = [_cut_cells(text, right, keep_end=False) for text in view["right"].tolist()]
    return view


def _context_room(view: pd.DataFrame, width: int) -> int:
    """Cells left for the two contexts once the other columns and the rules between columns are drawn."""
    fixed = sum(_column_cells(name, view[name].tolist()) for name in view.columns if name not in ("left", "right"))
    return max(2 * MIN_CONTEXT_CELLS, width - fixed - CHROME_PER_COLUMN * (len(view.columns) - 1))


def shortened_ids(ids: list[str], cells: int) -> list[str]:
    """Each id in at most `cells` display cells: a longer one keeps its start and its end (the end of the
    file name) around a `…`. Ids that would look alike get more cells, up to their full length, until
    they differ."""
    budgets = dict.fromkeys(ids, cells)
    while True:
        short = {doc: _middle_ellipsis(doc, budget) for doc, budget in budgets.items()}
        seen: dict[str, list[str]] = {}
        for doc, text in short.items():
            seen.setdefault(text, []).append(doc)
        clashes = [doc for docs in seen.values() if len(docs) > 1 for doc in docs if short[doc] != doc]
        if not clashes:
            return [short[doc] for doc in ids]
        for doc in clashes:
            budgets[doc] += 1


def _middle_ellipsis(text: str, cells: int) -> str:
    """`text` in at most `cells` cells: its start, `…`, and its end (given the odd cell: the date and
    suffix of a file name)."""
    if _cells(text) <= cells:
        return text
    room = max(cells - 1, 2)  # the ellipsis takes one cell
    head = room // 2
    return _cut_cells(text, head, keep_end=False) + "…" + _cut_cells(text, room - head, keep_end=True)


def _column_cells(name: str, values: list) -> int:
    return max([_cells(name), *(_cells(str(v)) for v in values)])


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _cut_cells(text: str, cells: int, keep_end: bool) -> str:
    """At most `cells` display cells of `text`, from its end or its start."""
    if _cells(text) <= cells:
        return text
    chars = reversed(text) if keep_end else iter(text)
    kept, used = [], 0
    for char in chars:
        used += _cells(char)
        if used > cells:
            break
        kept.append(char)
    return "".join(reversed(kept)) if keep_end else "".join(kept)
