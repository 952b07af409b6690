"""Writers of the formats kcorpus wrote before the current ones, so tests can check they are still read."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np

from kcorpus.nlp.tokens import DocTokens
from kcorpus.pipeline.compression import pack

ENTRY3 = b"\xff\xff\xff\xff"


def _columns(tokens: DocTokens) -> bytes:
    """The seven token columns of the first and third layouts, each a type code and its narrowest values."""
    end = tokens.end.astype(np.int64)
    columns = [
        tokens.form,
        tokens.tag,
        tokens.lemma,
        tokens.start - np.concatenate([[0], end[:-1]]),
        end - tokens.start,
        np.diff(tokens.paragraph, prepend=0),
        np.diff(tokens.sentence, prepend=0),
    ]
    return b"".join(_narrow(np.asarray(c, dtype=np.int64)) for c in columns)


def _narrow(values: np.ndarray) -> bytes:
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    dtype = next((d for d in ("<i1", "<u1", "<i2", "<u2") if np.iinfo(d).min <= low and high <= np.iinfo(d).max), "<i4")
    return np.dtype(dtype).char.encode("ascii") + values.astype(dtype).tobytes()


def first_layout_entry(key: str, cleaned: dict, tokens: DocTokens) -> bytes:
    """An entry of the first layout: zlib, one JSON head with the strings and the cleaned text, the columns."""
    meta = json.dumps({"key": key, "n": len(tokens), "strings": tokens.strings, "cleaned": cleaned}, ensure_ascii=False)
    head = meta.encode("utf-8")
    return zlib.compress(struct.pack("<I", len(head)) + head + _columns(tokens), 6)


def third_layout_entry(key: str, cleaned: dict, tokens: DocTokens, compress=pack) -> bytes:
    """An entry of the third layout: one zstd frame with the string table, the whole cleaned text and the
    seven columns."""
    cleaned = dict(cleaned)
    text = str(cleaned.pop("text", "")).encode("utf-8", "surrogatepass")
    meta = json.dumps({"key": key, "n": len(tokens), "cleaned": cleaned}, ensure_ascii=False).encode("utf-8")
    strings = "".join(tokens.strings).encode("utf-8", "surrogatepass")
    sizes = _narrow(np.array([len(t) for t in tokens.strings], dtype=np.int64))
    head = ENTRY3 + struct.pack("<III", len(meta), len(tokens.strings), len(strings)) + meta + strings
    return compress(head + sizes + struct.pack("<I", len(text)) + text + _columns(tokens))
