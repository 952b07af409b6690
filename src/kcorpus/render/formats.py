"""The text formats: csv, tsv, json, jsonl and plain text lines, written batch by batch."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

from kcorpus.render.rows import Batches, Write, _column_values, _quoted, _text_rows


def _write_delimited(header: list | None, batches: Batches, write: Write, sep: str) -> None:
    if header is None:
        return
    quote = re.compile(f'["{sep}\r\n]')
    write(sep.join(_quoted(str(name), quote) for name in header) + "\n")
    for batch in batches:
        write(_text_rows(batch, sep, quote))


def _write_csv(header, batches, write: Write) -> None:
    _write_delimited(header, batches, write, ",")


def _write_tsv(header, batches, write: Write) -> None:
    _write_delimited(header, batches, write, "\t")


def _write_text(header, batches, write: Write) -> None:
    for batch in batches:
        write(_text_rows(batch, "\t", None))


def _json_default(value):
    if isinstance(value, date):  # also datetime and pd.Timestamp
        return value.isoformat()
    return str(value)


_encode_json = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode


def _json_value(value) -> str:
    """value as JSON text, as json.dumps(..., ensure_ascii=False) writes it."""
    if value is None:
        return "null"
    if type(value) in (int, float):  # floats here are finite
        return repr(value)
    return _encode_json(value)


def _json_objects(header: list | None, batches: Batches) -> Iterator[str]:
    """One JSON object per row, keys in column order, built column by column for speed."""
    prefixes = [_encode_json(str(name)) + ": " for name in header or ()]
    for batch in batches:
        members = [
            [prefix + _json_value(value) for value in _column_values(batch, position, finite=True)]
            for position, prefix in enumerate(prefixes)
        ]
        for row in zip(*members):
            yield "{" + ", ".join(row) + "}"


def _write_json(header, batches, write: Write) -> None:
    count = 0
    for count, obj in enumerate(_json_objects(header, batches), start=1):
        write(("[\n" if count == 1 else ",\n") + obj)
    write("\n]\n" if count else "[]\n")


def _write_jsonl(header, batches, write: Write) -> None:
    for obj in _json_objects(header, batches):
        write(obj + "\n")


_TEXT_WRITERS = {
    "csv": _write_csv,
    "tsv": _write_tsv,
    "json": _write_json,
    "jsonl": _write_jsonl,
    "text": _write_text,
}
