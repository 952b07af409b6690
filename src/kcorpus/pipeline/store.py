"""Shard files of the token store: documents' cleaned text and tokens, compressed, no pickle.

A shard is written once under a temporary name and renamed when whole, so a reader only ever sees
complete shards and two runs never write the same file:

    MAGIC | entry ... | index | u64 offset of the index | END
    index: u32 count, then for each entry a 32-byte key, u64 offset, u32 length, u32 CRC-32
    entry: of the fourth layout (pipeline/entry_layout.py): the string table and only the part of the
           cleaned text its tokens do not give back, then integer columns, compressed apart.
    Entries of the third layout, zstd( FF FF FF FF | u32 length of meta, u32 strings, u32 length of
    their text | meta JSON (key, token count, the cleaned text's fields but its text) | the string
    table's text | each string's length in characters | u32 length | cleaned text | seven token
    columns: form, tag, lemma ids; gap after the previous token's end, length; paragraph and sentence
    steps, each a NumPy type code and its narrowest values ), and of the first, zlib( u32 length of
    meta | meta JSON with the string table and the cleaned text | columns ), are read as they are.

Beside each shard, `NAME.kcs.terms` (pipeline/term_index.py) lists which of its entries hold each string,
and `NAME.kcs.bags` (pipeline/bags.py) each entry's term counts.
"""

from __future__ import annotations

import json
import os
import re
import struct
import tempfile
import time
import zlib
from collections import defaultdict
from itertools import count
from pathlib import Path
from typing import BinaryIO, Iterable, NamedTuple

import numpy as np

from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens
from kcorpus.pipeline.bags import BAGS_SUFFIX, BagCollector, DocBag, bags_path
from kcorpus.pipeline.compression import unpack
from kcorpus.pipeline.entry_layout import ENTRY4, column_at, decode_entry4, encode_entry4, strings4
from kcorpus.pipeline.filekinds import begins_with, damage_is_value_error
from kcorpus.pipeline.term_index import TERMS_SUFFIX, encode_terms

MAGIC = b"KCSTORE2\n"
END = b"KCSEND2\n"
SHARD_SUFFIX = ".kcs"
SHARD_NAME = re.compile(r"[0-9]{20}-[0-9]+-[0-9a-z_]+" + re.escape(SHARD_SUFFIX))
TEMPORARY_NAME = re.compile(
    r"\.tmp-[^/]*" + re.escape(SHARD_SUFFIX) + "(?:" + re.escape(TERMS_SUFFIX) + "|" + re.escape(BAGS_SUFFIX) + ")?"
)
TERMS_NAME = re.compile(SHARD_NAME.pattern + re.escape(TERMS_SUFFIX))
BAGS_NAME = re.compile(SHARD_NAME.pattern + re.escape(BAGS_SUFFIX))
_RECORD = struct.Struct("<32sQII")
ENTRY3 = b"\xff\xff\xff\xff"  # the data of a third-layout entry starts so (a first-layout head size never does)
_TAIL = struct.Struct("<Q")
ROLL_BYTES = 40 * 1024 * 1024  # a writer starts a new shard after this much compressed data (as many documents
# as 64 MB held before entries of the fourth layout, so a shard's bags and index take the same memory)


class DamagedShard(ValueError):
    """A shard whose framing or index cannot be read."""


class Location(NamedTuple):
    """Where an entry is: its shard, offset, length and CRC-32 (a tuple: 100,000s are made quickly)."""

    shard: Path
    offset: int
    length: int
    crc: int


def encode_entry(key: str, cleaned: dict, tokens: DocTokens) -> bytes:
    """An entry of the current layout (the fourth, see pipeline/entry_layout.py)."""
    return encode_entry4(key, cleaned, tokens)


@damage_is_value_error
def decode_entry(key: str, blob: bytes) -> tuple[dict, DocTokens]:
    """(cleaned text as a dict, tokens) of one entry; ValueError if it is not the entry of `key`."""
    if blob[:4] == ENTRY4:
        meta, cleaned_text, tokens = decode_entry4(blob)
        if meta.get("key") != key:
            raise ValueError("entry belongs to another key")
        return {"text": cleaned_text, **meta["cleaned"]}, tokens
    data = unpack(blob)
    if data[:4] == ENTRY3:
        meta, strings, cleaned_text, at = _head3(data)
        cleaned = {"text": cleaned_text, **meta["cleaned"]}
    else:  # the first layout: one JSON head with the string table and the cleaned text
        (size,) = struct.unpack_from("<I", data)
        meta = json.loads(data[4 : 4 + size].decode("utf-8"))
        strings, cleaned, at = meta["strings"], meta["cleaned"], 4 + size
    if meta.get("key") != key:
        raise ValueError("entry belongs to another key")
    n = int(meta["n"])
    columns = []
    for _ in ARRAY_FIELDS:
        column, at = column_at(data, at, n)
        columns.append(column.astype(np.int32))
    if at != len(data):
        raise ValueError("token columns have the wrong length")
    form, tag, lemma, gap, length, paragraph, sentence = columns
    end = np.cumsum(gap + length, dtype=np.int32)
    arrays = {
        "form": form,
        "tag": tag,
        "lemma": lemma,
        "start": end - length,
        "end": end,
        "paragraph": np.cumsum(paragraph, dtype=np.int32),
        "sentence": np.cumsum(sentence, dtype=np.int32),
    }
    return cleaned, DocTokens.from_arrays(strings, arrays)


def _head3(data: bytes) -> tuple[dict, list[str], str, int]:
    """(meta, string table, cleaned text, where the token columns start) of an entry of the third layout."""
    meta_size, n_strings, strings_size = struct.unpack_from("<III", data, 4)
    at = 16 + meta_size
    meta = json.loads(data[16:at].decode("utf-8"))
    joined = data[at : at + strings_size].decode("utf-8", "surrogatepass")
    sizes, at = column_at(data, at + strings_size, n_strings)
    ends = np.cumsum(sizes, dtype=np.int64).tolist()
    if (ends[-1] if ends else 0) != len(joined):
        raise ValueError("string table does not add up")
    strings = [joined[start:end] for start, end in zip([0, *ends[:-1]], ends)]
    (text_size,) = struct.unpack_from("<I", data, at)
    text = data[at + 4 : at + 4 + text_size].decode("utf-8", "surrogatepass")
    return meta, strings, text, at + 4 + text_size


@damage_is_value_error
def entry_strings(key: str, blob: bytes) -> list[str]:
    """The string table of one entry (its forms, tags and lemmas)."""
    if blob[:4] == ENTRY4:
        meta, strings = strings4(blob)
        if meta.get("key") != key:
            raise ValueError("entry belongs to another key")
        return strings
    data = unpack(blob)
    if data[:4] == ENTRY3:
        meta, strings, _, _ = _head3(data)
    else:
        (size,) = struct.unpack_from("<I", data)
        meta = json.loads(data[4 : 4 + size].decode("utf-8"))
        strings = meta["strings"]
    if meta.get("key") != key:
        raise ValueError("entry belongs to another key")
    return [str(text) for text in strings]


def read_index(path: Path) -> dict[str, Location]:
    """Every entry of a shard by key; DamagedShard if the shard is not whole."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if file.read(len(MAGIC)) != MAGIC:
            raise DamagedShard("not a token store shard")
        tail = len(END) + _TAIL.size
        if size < len(MAGIC) + tail + 4:
            raise DamagedShard("truncated")
        file.seek(size - tail)
        (index_at,) = _TAIL.unpack(file.read(_TAIL.size))
        if file.read(len(END)) != END or not len(MAGIC) <= index_at <= size - tail - 4:
            raise DamagedShard("truncated")
        file.seek(index_at)
        index = file.read(size - tail - index_at)
    (count,) = struct.unpack_from("<I", index)
    if len(index) != 4 + count * _RECORD.size:
        raise DamagedShard("index has the wrong length")
    found = {}
    for key, offset, length, crc in _RECORD.iter_unpack(index[4:]):
        if offset + length > index_at:
            raise DamagedShard("entry past the index")
        found[key.hex()] = Location(path, offset, length, crc)
    return found


def read_blob(file: BinaryIO, where: Location) -> bytes:
    file.seek(where.offset)
    blob = file.read(where.length)
    if len(blob) != where.length or zlib.crc32(blob) != where.crc:
        raise ValueError("checksum mismatch")
    return blob


def is_shard(path: Path) -> bool:
    """Whether a file begins like a shard this store wrote (whole or not)."""
    return begins_with(path, MAGIC)


class ShardWriter:
    """Appends entries to a new shard; `commit()` writes the index and gives the shard its name."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=SHARD_SUFFIX)
        self.temp = Path(temp)
        self.file = os.fdopen(handle, "wb")
        self.file.write(MAGIC)
        self.records: list[bytes] = []
        self.keys: set[str] = set()
        self.size = len(MAGIC)
        self.terms: defaultdict[str, int] | None = defaultdict(count().__next__)  # None: some entry has none
        self.entry_terms: list[np.ndarray] = []  # the ids of each entry's terms
        self.bags: BagCollector | None = BagCollector()  # None: some entry has no bag

    def add(self, key: str, blob: bytes, terms: Iterable[str] | None = None, bag: DocBag | None = None) -> Location:
        """Append an entry; `terms`: the strings a search may look for in it (None: unknown, no index);
        `bag`: its term bag (None: unknown, no bags file)."""
        if bag is None:
            self.bags = None
        elif self.bags is not None:
            self.bags.add(bag)
        if terms is None:
            self.terms = None
        elif self.terms is not None:
            self.entry_terms.append(np.fromiter(map(self.terms.__getitem__, terms), dtype=np.int64))
        offset = self.size
        self.file.write(blob)
        self.size += len(blob)
        crc = zlib.crc32(blob)
        self.records.append(_RECORD.pack(bytes.fromhex(key), offset, len(blob), crc))
        self.keys.add(key)
        return Location(self.temp, offset, len(blob), crc)

    def commit(self) -> Path:
        index_at = self.size
        self.file.write(struct.pack("<I", len(self.records)) + b"".join(self.records))
        self.file.write(_TAIL.pack(index_at) + END)
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        name = f"{time.time_ns():020d}-{os.getpid()}-{self.temp.stem.removeprefix('.tmp-').lower()}{SHARD_SUFFIX}"
        final = self.folder / name
        if self.terms is not None:  # the index first: a shard is never seen without it if it has one
            terms = Path(str(self.temp) + TERMS_SUFFIX)
            terms.write_bytes(encode_terms([r[:32] for r in self.records], self._postings(self.terms)))
            os.replace(terms, Path(str(final) + TERMS_SUFFIX))
        if self.bags is not None:
            temporary = bags_path(self.temp)
            temporary.write_bytes(self.bags.encode([r[:32] for r in self.records]))
            os.replace(temporary, bags_path(final))
        os.replace(self.temp, final)
        return final

    def _postings(self, terms: dict[str, int]) -> dict[str, list[int]]:
        """Each term's entry numbers, in order."""
        ids = np.concatenate([np.zeros(0, np.int64), *self.entry_terms])
        entries = np.repeat(np.arange(len(self.entry_terms)), [len(part) for part in self.entry_terms])
        bounds = np.cumsum(np.bincount(ids, minlength=len(terms)))[:-1]
        return dict(zip(terms, (part.tolist() for part in np.split(entries[np.argsort(ids, kind="stable")], bounds))))

    def abandon(self) -> None:
        self.file.close()
        self.temp.unlink(missing_ok=True)
        Path(str(self.temp) + TERMS_SUFFIX).unlink(missing_ok=True)
        bags_path(self.temp).unlink(missing_ok=True)
