"""Term bags beside each shard: every document's distinct (text, tag) pairs with their counts, so whole-document
counts (freq, keywords, compare) come from a few arrays per shard instead of decoding every document.

A document's bag lists its (lemma or form, tag) pairs in order of first appearance, with how often each
occurs, and three facts: the length of its cleaned text and the source lines of its first and last
character. `NAME.kcs.bags`:

    BAGS_MAGIC | u32 entries | their 32-byte keys | u32 strings | u32 length | zstd( strings joined by NUL )
    | six columns, each a NumPy type code, u32 length and zstd( values ): pairs per entry, facts (entries x 3),
    text ids (into the shard's strings), the shard's tags (ids into its strings), each pair's tag as a
    number among them (one byte for a few dozen tags), counts

Bags files of the first format (KCBAGS1) hold five columns, the tags as ids into the strings, and are read
as they are.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import count
from pathlib import Path

import numpy as np

from kcorpus.nlp.tokens import DocTokens
from kcorpus.pipeline.compression import pack, unpack
from kcorpus.pipeline.filekinds import begins_with, damage_is_value_error

BAGS_SUFFIX = ".bags"
BAGS_MAGIC = b"KCBAGS2\n"
FIRST_BAGS_MAGIC = b"KCBAGS1\n"
_DTYPES: dict[str, np.dtype] = {np.dtype(d).char: np.dtype(d) for d in ("<u1", "<u2", "<u4", "<i8")}


@dataclass(frozen=True)
class DocBag:
    """One document's pairs (ids into `strings`, first appearance first), their counts, and its facts
    (cleaned characters, first and last source line)."""

    strings: list[str]
    text: np.ndarray
    tag: np.ndarray
    count: np.ndarray
    facts: tuple[int, int, int]


def document_bag(cleaned: dict, tokens: DocTokens) -> DocBag:
    """The bag of a document from its stored form (cleaned text as a dict, tokens)."""
    text_id = np.where(tokens.lemma >= 0, tokens.lemma, tokens.form).astype(np.int64)
    pairs = text_id * max(len(tokens.strings), 1) + tokens.tag
    distinct, first, counts = np.unique(pairs, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    chars = len(cleaned["text"])
    facts = (chars, _source_line(cleaned, 0), _source_line(cleaned, max(chars - 1, 0)))
    return DocBag(
        tokens.strings, text_id[first[order]], tokens.tag[first[order]].astype(np.int64), counts[order], facts
    )


def _source_line(cleaned: dict, offset: int) -> int:
    """CleanedText.source_line on the stored dict."""
    offsets = cleaned["line_offsets"]
    if not offsets:
        return 1
    return int(cleaned["line_numbers"][max(bisect_right(offsets, offset) - 1, 0)])


class BagCollector:
    """The bags of the entries a ShardWriter adds, with the shard's string table."""

    def __init__(self) -> None:
        self.ids: defaultdict[str, int] = defaultdict(count().__next__)  # a new string takes the next id, in C
        self.sizes: list[int] = []
        self.facts: list[tuple[int, int, int]] = []
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, bag: DocBag) -> None:
        used = np.unique(np.concatenate([bag.text, bag.tag])).tolist()
        local = np.zeros(max(used, default=-1) + 1, dtype=np.int64)
        local[used] = list(map(self.ids.__getitem__, map(bag.strings.__getitem__, used)))
        self.parts.append((local[bag.text], local[bag.tag], np.asarray(bag.count, dtype=np.int64)))
        self.sizes.append(len(bag.text))
        self.facts.append(bag.facts)

    def encode(self, keys: list[bytes]) -> bytes:
        strings = pack("\0".join(self.ids).encode("utf-8"))
        head = struct.pack("<I", len(keys)) + b"".join(keys) + struct.pack("<II", len(self.ids), len(strings))
        text, tag, count = (
            np.concatenate([part[i] for part in self.parts]) if self.parts else np.zeros(0, np.int64) for i in range(3)
        )
        tags, tag_number = np.unique(tag, return_inverse=True)
        columns = [
            np.asarray(self.sizes, dtype=np.int64),
            np.asarray(self.facts, dtype=np.int64).reshape(-1),
            text,
            tags,
            tag_number.reshape(-1),
            count,
        ]
        return BAGS_MAGIC + head + strings + b"".join(_encode_column(column) for column in columns)


def _encode_column(values: np.ndarray) -> bytes:
    top = int(values.max()) if len(values) else 0
    low = int(values.min()) if len(values) else 0
    dtype = next((d for d in ("<u1", "<u2", "<u4") if low >= 0 and top <= np.iinfo(d).max), "<i8")
    data = pack(values.astype(dtype).tobytes())
    return np.dtype(dtype).char.encode("ascii") + struct.pack("<I", len(data)) + data


@dataclass(frozen=True)
class ShardBags:
    """The bags of one shard's entries: entry n's pairs are text/tag/count[offsets[n]:offsets[n + 1]]."""

    keys: list[str]
    strings: list[str]
    offsets: np.ndarray
    facts: np.ndarray  # (entries, 3): cleaned characters, first and last source line
    text: np.ndarray  # unsigned, as narrow as the shard allows
    tag: np.ndarray
    count: np.ndarray

    @cached_property
    def number(self) -> dict[str, int]:
        return {key: n for n, key in enumerate(self.keys)}

    def bag(self, key: str) -> DocBag:
        """One entry's bag (to carry it over when shards are merged)."""
        n = self.number[key]
        at = slice(int(self.offsets[n]), int(self.offsets[n + 1]))
        facts = tuple(int(x) for x in self.facts[n])
        return DocBag(self.strings, self.text[at], self.tag[at], self.count[at], facts)  # type: ignore[arg-type]


def bags_path(shard: Path) -> Path:
    return Path(str(shard) + BAGS_SUFFIX)


@damage_is_value_error
def read_bags(shard: Path) -> ShardBags:
    """The bags beside a shard; ValueError (or OSError) if missing or not whole."""
    data = bags_path(shard).read_bytes()
    if not data.startswith((BAGS_MAGIC, FIRST_BAGS_MAGIC)):
        raise ValueError("not a bags file")
    first = data.startswith(FIRST_BAGS_MAGIC)
    at = len(BAGS_MAGIC)
    (count,) = struct.unpack_from("<I", data, at)
    at += 4
    if at + 32 * count + 8 > len(data):
        raise ValueError("bags file is cut short")
    keys = [data[at + 32 * i : at + 32 * (i + 1)].hex() for i in range(count)]
    at += 32 * count
    n_strings, size = struct.unpack_from("<II", data, at)
    at += 8
    strings = unpack(data[at : at + size]).decode("utf-8").split("\0") if n_strings else []
    at += size
    columns = []
    for _ in range(5 if first else 6):
        dtype = _DTYPES.get(chr(data[at]) if at < len(data) else "")
        if dtype is None or at + 5 > len(data):
            raise ValueError("bags file has an unknown column")
        (size,) = struct.unpack_from("<I", data, at + 1)
        columns.append(np.frombuffer(unpack(data[at + 5 : at + 5 + size]), dtype=dtype))
        at += 5 + size
    if first:
        sizes, facts, text, tag, counts = columns  # ids and counts stay in their narrow types
    else:
        sizes, facts, text, tags, tag_number, counts = columns
        if len(tag_number) and int(tag_number.max()) >= len(tags):
            raise ValueError("bags file does not add up")
        tag = tags[tag_number]
    offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
    facts = facts.astype(np.int64)
    top = max(int(text.max()) if len(text) else -1, int(tag.max()) if len(tag) else -1)
    if (
        at != len(data)
        or len(strings) != n_strings
        or len(sizes) != count
        or len(facts) != 3 * count
        or not len(text) == len(tag) == len(counts) == offsets[-1]
        or top >= n_strings
    ):
        raise ValueError("bags file does not add up")
    return ShardBags(keys, strings, offsets, facts.reshape(count, 3), text, tag, counts)


def is_bags_file(path: Path) -> bool:
    """Whether a file begins like a bags file this store wrote (either format)."""
    return begins_with(path, BAGS_MAGIC, FIRST_BAGS_MAGIC)
