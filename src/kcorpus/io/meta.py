"""Document metadata kept beside the documents: a `--meta` sidecar table joined by document id, and dates
written in a column (2024-03-05, 2024.03.05, 2024. 3. 5., 2024년 3월 5일, Excel serial numbers and cells)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

from kcorpus.errors import KcorpusError, UsageError

META_SUFFIXES = (".csv", ".tsv", ".jsonl", ".xlsx")
KEY_COLUMNS = ("id", "doc", "file")  # the first of these a sidecar has holds the document ids

_WEEKDAY = r"(?:\(\s*[월화수목금토일]\s*\)|[월화수목금토일]요일|\(\s*[A-Za-z]{3}\s*\))"
_TIME = (
    r"(?:[T ]\s*)?(?:오전|오후|[AaPp][Mm])?\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*"
    r"(?:[AaPp][Mm])?\s*(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_DATE = re.compile(
    r"\s*'?([0-9]{4}|[0-9]{2})\s*[-./년]\s*([0-9]{1,2})\s*[-./월]\s*([0-9]{1,2})\s*[.일]?\s*"
    rf"(?:{_WEEKDAY}\s*)?(?:{_TIME}\s*)?(?:{_WEEKDAY}\s*)?"
)
_COMPACT = re.compile(r"\s*([0-9]{4})([0-9]{2})([0-9]{2})\s*")  # 20240305
_SERIAL = re.compile(r"\s*([0-9]{5})(?:\.[0-9]+)?\s*")  # an Excel date serial number (days since 1899-12-30)
_MONTH = re.compile(r"\s*([0-9]{4})\s*[-./년]\s*([0-9]{1,2})\s*[.월]?\s*")  # 2024-03, 2024년 3월
_WIDE = re.compile("[\uff01-\uff5e]")  # full-width ASCII (２０２４－０１): read as ASCII
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (10_000, 99_999)  # 1927-05-18 .. 2173-10-14: five digits, never a year or a day count


def parse_date(text: str) -> date | None:
    """The date a cell holds, or None: YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD, `YYYY. M. D.`, `YYYY년 M월 D일`,
    YYYYMMDD, a two-digit year (24.03.05, '24. 3. 5.: 2024), any of them followed by a weekday ((화), 화요일)
    and a time (14:00, 오후 2:00, T09:00+09:00), or an Excel serial number (five digits); full-width digits
    too (not in a serial number). A month alone (2024.03) is not a date (see parse_month)."""
    narrow = _narrow(text)
    for pattern in (_DATE, _COMPACT):
        match = pattern.fullmatch(narrow)
        if match:
            year = int(match[1]) + (2000 if len(match[1]) == 2 else 0)
            try:
                return date(year, int(match[2]), int(match[3]))
            except ValueError:
                return None
    match = _SERIAL.fullmatch(text)
    if match and SERIAL_RANGE[0] <= int(match[1]) <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + timedelta(days=int(match[1]))
    return None


def parse_month(text: str) -> date | None:
    """The first day of the month a cell names without a day (2024-03, 2024.3, 2024년 3월), or None:
    precise enough for month, quarter and year periods."""
    match = _MONTH.fullmatch(_narrow(text))
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return date(int(match[1]), int(match[2]), 1)


def _narrow(text: str) -> str:
    if not _WIDE.search(text):
        return text
    import unicodedata

    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class MetaTable:
    """Sidecar rows keyed by document id (`key`: the column the ids came from; `repeated`: ids given by an
    earlier row too, whose first row is kept)."""

    path: Path
    key: str
    rows: dict[str, dict[str, str]]
    repeated: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()  # every sidecar the rows came from, when there are several

    @property
    def name(self) -> str:
        return ", ".join(str(p) for p in self.paths) if len(self.paths) > 1 else str(self.path)


def read_metas(paths, encoding: str | None = None) -> MetaTable:
    """One table of the rows of several sidecars (an id given by two of them: the first file's row)."""
    tables = [read_meta(Path(path), encoding) for path in paths]
    if len(tables) == 1:
        return tables[0]
    rows: dict[str, dict[str, str]] = {}
    repeated = [doc_id for table in tables for doc_id in table.repeated]
    for table in tables:
        for doc_id, row in table.rows.items():
            if doc_id in rows:
                repeated.append(doc_id)
            else:
                rows[doc_id] = row
    return MetaTable(tables[0].path, tables[0].key, rows, tuple(repeated), tuple(t.path for t in tables))


def read_meta(path: Path, encoding: str | None = None) -> MetaTable:
    """Read a .csv/.tsv/.jsonl/.xlsx sidecar: one row per document, ids in its id, doc or file column (else
    the first column), the other columns joined onto the documents."""
    from kcorpus.io.documents import SourceError, decode_text
    from kcorpus.io.tables import _cell, _delimited_rows, _jsonl_rows, _sheet_values

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in META_SUFFIXES:
        raise UsageError(f"--meta {path}: use a .csv, .tsv, .jsonl or .xlsx table with one row per document")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"--meta {path}: cannot read it ({exc.strerror or exc})") from None
    try:
        if suffix == ".xlsx":
            sheets = _sheet_values(data, formulas=False)
            values = sheets[0][1] if sheets else []
            header = [
                _cell(h) if h is not None else f"column{i + 1}" for i, h in enumerate(values[:1][0] if values else ())
            ]
            records = [{h: _meta_cell(v) for h, v in zip(header, row)} for row in values[1:]]
        else:
            text, _, _ = decode_text(data, encoding)
            rows = _jsonl_rows(text) if suffix == ".jsonl" else _delimited_rows(text, "\t" if suffix == ".tsv" else ",")
            records = [{k: _cell(v) for k, v in row.items()} for _, row in rows if isinstance(row, dict)]
    except SourceError as exc:
        raise KcorpusError(f"--meta {path}: {exc.message}") from None
    columns = list(dict.fromkeys(key for record in records for key in record))
    if not records or not columns:
        raise KcorpusError(f"--meta {path}: the table has no rows: give it a header and one row per document")
    key = next((c for c in KEY_COLUMNS if c in columns), columns[0])
    keyed: dict[str, dict[str, str]] = {}
    repeated: list[str] = []
    for record in records:
        doc_id = record.get(key, "").strip()
        if doc_id in keyed:
            repeated.append(doc_id)
        elif doc_id:
            keyed[doc_id] = {k: v for k, v in record.items() if k != key}
    return MetaTable(path, key, keyed, tuple(repeated))


def _meta_cell(value: object) -> str:
    """An xlsx cell as text; a date cell is written as YYYY-MM-DD."""
    from datetime import datetime

    from kcorpus.io.tables import _cell

    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _cell(value)


def id_candidates(doc_id: str) -> list[str]:
    """The names a sidecar may use for a document: its id, its file name, both without the suffix."""
    path = PurePosixPath(doc_id)
    name = path.name
    without_suffix = str(path.with_suffix("")) if name else doc_id  # "/" or "." has no name to cut
    candidates = [doc_id, name, without_suffix, PurePosixPath(name).stem]
    return list(dict.fromkeys(c for c in candidates if c))


@dataclass(frozen=True)
class MetaJoin:
    """Each document's joined metadata, and what did not match."""

    meta: list[dict[str, str]]
    unmatched_docs: list[str]
    unmatched_rows: list[str]
    ambiguous: dict[str, list[str]]  # a row that fits several documents (joined to none) → those documents
    repeated: tuple[str, ...] = ()

    def summary(self, table: MetaTable) -> str:
        """One line naming the documents without a row, the rows without a document, rows that fit several
        documents and ids given twice ('' if none)."""
        parts = []
        if self.unmatched_docs:
            parts.append(f"{len(self.unmatched_docs)} document(s) have no row ({_names(self.unmatched_docs)})")
        if self.unmatched_rows:
            parts.append(f"{len(self.unmatched_rows)} row(s) match no document ({_names(self.unmatched_rows)})")
        for key, docs in self.ambiguous.items():
            parts.append(f"row {key!r} fits {len(docs)} documents ({_names(docs)}), joined to none: name them by id")
        if self.repeated:
            parts.append(f"{len(self.repeated)} id(s) given twice, the first row kept ({_names(list(self.repeated))})")
        return f"--meta {table.name}: " + "; ".join(parts) if parts else ""


def join_meta(doc_ids: list[str], metas: list[dict[str, str]], table: MetaTable) -> MetaJoin:
    """Each document's metadata with the sidecar's columns added (the sidecar's value wins on a clash).
    A row names a document by its id, file name (either without suffix) or a longer path ending in its id;
    a row that fits several documents only by a shorter name is joined to none of them."""
    tails = _path_tails(table.rows)
    matches: dict[str, list[tuple[int, bool]]] = {}  # row → (document, named by its exact id)
    for i, doc_id in enumerate(doc_ids):
        key = next((c for c in id_candidates(doc_id) if c in table.rows), None)
        if key is None:
            key = next((tails[c] for c in (doc_id, str(PurePosixPath(doc_id).with_suffix(""))) if tails.get(c)), None)
        if key is not None:
            matches.setdefault(key, []).append((i, key == doc_id))
    joined = [dict(meta) for meta in metas]
    ambiguous: dict[str, list[str]] = {}
    done: set[int] = set()  # documents given a row
    for key, found in matches.items():
        exact = [i for i, is_exact in found if is_exact]
        chosen = exact if exact else [i for i, _ in found]
        if len(chosen) > 1:
            ambiguous[key] = [doc_ids[i] for i in chosen]
            continue
        joined[chosen[0]].update(table.rows[key])
        done.add(chosen[0])
    if doc_ids and table.rows and not done:
        if ambiguous:
            key, docs = next(iter(ambiguous.items()))
            raise KcorpusError(
                f"--meta {table.name}: row {key!r} fits {len(docs)} documents ({_names(docs, 2)}): name each "
                "document by its id, its path from the folder given"
            )
        raise KcorpusError(
            f"--meta {table.name}: no row names a document: rows name e.g. {_names(list(table.rows), 2)}, the "
            f"documents are called e.g. {_names(doc_ids, 2)} (a file name, or its path from the folder given)"
        )
    in_ambiguous = {doc for docs in ambiguous.values() for doc in docs}
    return MetaJoin(
        joined,
        [doc for i, doc in enumerate(doc_ids) if i not in done and doc not in in_ambiguous],
        [key for key in table.rows if key not in matches],
        ambiguous,
        table.repeated,
    )


def _path_tails(rows) -> dict[str, str | None]:
    """Each shorter path a row's id ends in (a/b/c.txt: b/c.txt, c.txt, and each without suffix) → that
    row, or None when two rows end in it."""
    tails: dict[str, str | None] = {}
    for key in rows:
        parts = PurePosixPath(key.replace("\\", "/")).parts
        for start in range(1, len(parts)):
            tail = PurePosixPath(*parts[start:])
            for name in dict.fromkeys((str(tail), str(tail.with_suffix("")) if tail.suffix else str(tail))):
                tails[name] = key if tails.get(name, key) == key else None
    return tails


def _names(items: list[str], shown: int = 5) -> str:
    more = f", … {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def validate_with_meta(validate, table: MetaTable):
    """A `validate(documents)` hook that sees the documents with the sidecar's columns joined."""
    if validate is None:
        return None

    def check(documents) -> None:
        from dataclasses import replace

        joined = join_meta([d.id for d in documents], [d.meta for d in documents], table)
        validate([replace(d, meta=m) for d, m in zip(documents, joined.meta)])

    return check


def with_meta(corpus, table: MetaTable, warn):
    """The corpus with the sidecar's columns joined onto its documents; `warn` hears what did not match."""
    from dataclasses import replace

    documents = corpus.documents
    joined = join_meta([a.id for a in documents], [a.doc.meta for a in documents], table)
    corpus.documents = [replace(a, doc=replace(a.doc, meta=m)) for a, m in zip(documents, joined.meta)]
    message = joined.summary(table)
    if message:
        warn(message)
    return corpus
