"""The one grouping vocabulary of every analysis: `by` = doc, folder, file, COLUMN or COLUMN:PERIOD.

PERIOD is year, quarter, month, week (ISO weeks) or day; the column's cells are read as dates
(kcorpus.io.meta.parse_date) and each document falls in the period its date lies in. Period labels
sort in time order: 2024, 2024-Q1, 2024-03, 2024-W09, 2024-03-05.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping, Sequence

from kcorpus.errors import InvalidArgument, warn_caller

PERIODS = ("year", "quarter", "month", "week", "day")
NO_LABEL = "(none)"
BUILT_IN = ("doc", "folder", "file")


@dataclass(frozen=True)
class Grouping:
    """A parsed `by`: a column (doc, folder, file or a metadata column) and an optional period."""

    column: str = "doc"
    period: str | None = None

    @classmethod
    def parse(cls, by: str | None) -> Grouping:
        by = (by or "doc").strip()
        column, _, period = by.rpartition(":") if ":" in by else (by, "", "")
        if ":" in by and period not in PERIODS:
            raise InvalidArgument("by", f"{by!r}: the period after ':' must be one of {', '.join(PERIODS)}")
        if not column:
            raise InvalidArgument("by", f"{by!r}: name a column before ':' (e.g. date:month)")
        return cls(column, period or None)

    def __str__(self) -> str:
        return f"{self.column}:{self.period}" if self.period else self.column

    def check_columns(self, columns: Sequence[str]) -> None:
        """The column must be doc or one of `columns` (the documents' metadata)."""
        if self.column != "doc" and self.column not in columns:
            available = ", ".join(["doc", *sorted(set(columns))])
            raise InvalidArgument(
                "by", f"{str(self)!r}: {self.column!r} is not a metadata column; available: {available}"
            )

    def doc_labels(self, doc_ids: Sequence[str], metas: Sequence[Mapping[str, str]]) -> list[str]:
        """The group of each document (NO_LABEL for an empty cell or a date that does not parse: warned once,
        naming the documents)."""
        self.check_columns([key for meta in metas for key in meta])
        if self.column == "doc" and not self.period:
            return [str(d) for d in doc_ids]
        values = [str(d) if self.column == "doc" else str(m.get(self.column, "")) for d, m in zip(doc_ids, metas)]
        if not self.period:
            return [v if v.strip() else NO_LABEL for v in values]
        from kcorpus.io.meta import parse_date, parse_month

        coarse = self.period in ("month", "quarter", "year")  # a month alone is enough for these
        dates = [parse_date(v) or (parse_month(v) if coarse else None) for v in values]
        named = [
            f"{d} ({v.strip()!r})" if v.strip() else f"{d} (empty)"
            for d, v, w in zip(doc_ids, values, dates)
            if w is None
        ]
        if named:
            more = f", … {len(named) - 5} more" if len(named) > 5 else ""
            warn_caller(
                f"--by {self}: {len(named)} document(s) have no date in {self.column!r} that parses and are "
                f"grouped as {NO_LABEL} (trends leaves them out): {', '.join(named[:5])}{more}"
            )
        return [period_label(when, self.period) if when else NO_LABEL for when in dates]

    def ordered(self, labels: Sequence[str]) -> list[str]:
        """The distinct labels in report order: periods in time order (NO_LABEL last), others first-seen."""
        distinct = list(dict.fromkeys(labels))
        if not self.period:
            return distinct
        return sorted((x for x in distinct if x != NO_LABEL)) + ([NO_LABEL] if NO_LABEL in distinct else [])


def period_label(when: date, period: str) -> str:
    """The label of the period `when` lies in."""
    if period == "year":
        return f"{when.year:04d}"
    if period == "quarter":
        return f"{when.year:04d}-Q{(when.month - 1) // 3 + 1}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return when.isoformat()


def period_start(label: str, period: str) -> date:
    """The first day of a labelled period."""
    if period == "year":
        return date(int(label), 1, 1)
    if period == "quarter":
        return date(int(label[:4]), 3 * int(label[-1]) - 2, 1)
    if period == "month":
        return date(int(label[:4]), int(label[5:7]), 1)
    if period == "week":
        return date.fromisocalendar(int(label[:4]), int(label[6:]), 1)
    return date.fromisoformat(label)


def period_range(first: str, last: str, period: str) -> list[str]:
    """Every period label from `first` to `last`, those without documents included (the gaps)."""
    labels, when, end = [], period_start(first, period), period_start(last, period)
    while when <= end:
        label = period_label(when, period)
        labels.append(label)
        when = _next_start(when, period)
    return labels


def _next_start(when: date, period: str) -> date:
    if period == "day":
        return when + timedelta(days=1)
    if period == "week":
        return when + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = when.year * 12 + when.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def group_of_rows(grouping: Grouping, row_docs: Sequence[str], meta_rows: Sequence[Mapping[str, str]]) -> list[str]:
    """The group of every row of a count matrix (rows of one document share its group)."""
    first: dict[str, int] = {}
    for i, doc in enumerate(row_docs):
        first.setdefault(doc, i)
    docs = list(first)
    labels = dict(zip(docs, grouping.doc_labels(docs, [meta_rows[first[d]] for d in docs])))
    return [labels[d] for d in row_docs]
