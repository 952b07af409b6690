"""Writers of the formats kcorpus wrote before the current ones, so tests can check they are still read."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np

from kcorpus.nlp.tokens import DocTokens
from kcorpus.pipeline.compression import pack

ENTRY3 = b"\xff\xff\xff\xff"
THIRD_TERMS = b"KCTERMS3\n"


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


def third_format_terms(keys: list[bytes], postings: dict[str, list[int]], block_size: int = 4096) -> bytes:
    """A term index of the third format (KCTERMS3): blocks of one zstd frame with u32 offsets and steps."""
    strings = sorted(postings)
    blocks = [strings[at : at + block_size] for at in range(0, len(strings), block_size)]
    heads = pack("\0".join(block[0] for block in blocks).encode("utf-8"))
    packed = []
    for block in blocks:
        text = "\0".join(block).encode("utf-8")
        sizes = [len(postings[t]) for t in block]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype("<u4")
        steps = np.concatenate([np.diff(sorted(postings[t]), prepend=0) for t in block]).astype("<u4")
        packed.append(pack(struct.pack("<I", len(text)) + text + offsets.tobytes() + steps.tobytes()))
    head = THIRD_TERMS + struct.pack("<I", len(keys)) + b"".join(keys)
    head += struct.pack("<IIII", len(strings), block_size, len(blocks), len(heads)) + heads
    at, table = len(head) + 12 * len(blocks), []
    for block in packed:
        table.append(struct.pack("<QI", at, len(block)))
        at += len(block)
    return head + b"".join(table) + b"".join(packed)


def first_format_bags(keys: list[bytes], strings: list[str], entries: list[tuple]) -> bytes:
    """A bags file of the first format (KCBAGS1): entries are (text ids, tag ids, counts, facts), ids into
    `strings`; five columns, the tags as ids into the strings."""
    columns = [
        np.array([len(text) for text, _, _, _ in entries], dtype=np.int64),
        np.array([facts for _, _, _, facts in entries], dtype=np.int64).reshape(-1),
        *(np.concatenate([np.asarray(e[i], dtype=np.int64) for e in entries] or [np.zeros(0)]) for i in range(3)),
    ]
    text = pack("\0".join(strings).encode("utf-8"))
    out = b"KCBAGS1\n" + struct.pack("<I", len(keys)) + b"".join(keys) + struct.pack("<II", len(strings), len(text))
    out += text
    for column in columns:
        top = int(column.max()) if len(column) else 0
        dtype = next(d for d in ("<u1", "<u2", "<u4") if top <= np.iinfo(d).max)
        data = pack(column.astype(dtype).tobytes())
        out += np.dtype(dtype).char.encode("ascii") + struct.pack("<I", len(data)) + data
    return out
