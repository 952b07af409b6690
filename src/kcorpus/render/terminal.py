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
    table = Table(title=Text(opts.title) if opts.title else None)
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

TABLE_CHROME = 16  # cells a five-column rich table spends on borders and padding
MIN_CONTEXT_CELLS = 10


def fitted_concordance(lines: pd.DataFrame, width: int | None = None) -> pd.DataFrame:
    """The lines for a terminal table of `width` cells: contexts cut so that no row wraps (the words
    nearest the hit are kept; wide Hangul characters count as two cells)."""
    from rich.cells import cell_len

    view = lines.copy()
    if width is not None and len(lines):
        fixed = sum(max(cell_len(str(v)) for v in view[c].tolist()) for c in ("doc", "line", "match"))
        budget = max(MIN_CONTEXT_CELLS, (width - fixed - TABLE_CHROME) // 2)
        view["left"] = [_cut_cells(text, budget, keep_end=True) for text in view["left"].tolist()]
        view["right"] = [_cut_cells(text, budget, keep_end=False) for text in view["right"].tolist()]
    return view


def _cut_cells(text: str, cells: int, keep_end: bool) -> str:
    """At most `cells` display cells of `text`, from its end or its start."""
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    chars = reversed(text) if keep_end else iter(text)
    kept, used = [], 0
    for char in chars:
        used += cell_len(char)
        if used > cells:
            break
        kept.append(char)
    return "".join(reversed(kept)) if keep_end else "".join(kept)
