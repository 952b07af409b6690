"""Tables for a terminal (rich): numbers right-aligned and rounded, contexts fitted to the width."""

from __future__ import annotations

import os

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from kcorpus.render.output import _TABLE_WIDTH, OutputOptions, _isatty, _output_path
from kcorpus.render.rows import Batches, _column_values, as_table
from kcorpus.table import NUMBER_KINDS, Table


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


def write_rich_table(header: list | None, batches: Batches, opts: OutputOptions, stream) -> None:
    frames = list(batches)
    if header is None:
        return
    data = Table.concat(frames) if len(frames) > 1 else frames[0]
    table = RichTable(title=Text(opts.title) if opts.title else None, show_edge=opts.framed, pad_edge=opts.framed)
    no_color = opts.no_color or bool(os.environ.get("NO_COLOR"))
    for name, kind in zip(header, data.kinds):
        right = kind in NUMBER_KINDS or name in opts.right_aligned
        style = "bold magenta" if name in opts.emphasised and not no_color else None
        table.add_column(
            Text(str(name)),
            justify="right" if right else "left",
            style=style,
            no_wrap=name in opts.right_aligned or name in opts.emphasised,
        )
    cells = [[_table_cell(value) for value in _column_values(data, position)] for position in range(len(header))]
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


def fitted_concordance(lines, width: int | None = None):
    """The lines for an unframed terminal table of `width` cells, so that no row wraps (wide Hangul
    characters count as two cells). Document ids longer than a fifth of the width (at least
    MIN_DOC_CELLS) lose their middle (`seoul-c…2020.txt` at 80 columns), and the contexts share the
    rest, the words nearest the hit kept; a page column empty on every line (no document has pages) is left
    out when the contexts need its room. For the terminal table only: other formats keep the full ids,
    contexts and columns. Takes and gives a Table (or a DataFrame)."""
    if not isinstance(lines, Table):
        return fitted_concordance(as_table(lines), width).to_pandas()
    view = lines
    if width is None or not len(lines):
        return view
    docs = shortened_ids([str(doc) for doc in view.values("doc")], max(MIN_DOC_CELLS, width // DOC_SHARE))
    view = view.with_column("doc", docs)
    left_needs = _column_cells("left", view.values("left"))
    right_needs = _column_cells("right", view.values("right"))
    room = _context_room(view, width)
    pageless = "page" in view.names and all(page is None for page in view.values("page"))
    if pageless and left_needs + right_needs > room:
        view = view.without("page")
        room = _context_room(view, width)
    left = min(left_needs, max(room // 2, room - right_needs))  # room one side does not need goes to the other
    right = room - left
    view = view.with_column("left", [_cut_cells(text, left, keep_end=True) for text in view.values("left")])
    view = view.with_column("right", [_cut_cells(text, right, keep_end=False) for text in view.values("right")])
    return view


def _context_room(view: Table, width: int) -> int:
    """Cells left for the two contexts once the other columns and the rules between columns are drawn."""
    fixed = sum(_column_cells(name, _shown(view, name)) for name in view.names if name not in ("left", "right"))
    return max(2 * MIN_CONTEXT_CELLS, width - fixed - CHROME_PER_COLUMN * (len(view.names) - 1))


def _shown(view: Table, name: str) -> list:
    """The values as `str(value)` showed them in a DataFrame column (a missing page as <NA>)."""
    kind = view.kind(name)
    if kind == "I":
        return ["<NA>" if value is None else value for value in view.values(name)]
    if kind == "f":
        return ["nan" if value is None else value for value in view.values(name)]
    return view.values(name)


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
