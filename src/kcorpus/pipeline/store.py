"""Shard files of the token store: documents' cleaned text and tokens, compressed, no pickle.

A shard is written once under a temporary name and renamed when whole, so a reader only ever sees
complete shards and two runs never write the same file:

    MAGIC | entry ... | index | u64 offset of the index | END
    index: u32 count, then for each entry a 32-byte key, u64 offset, u32 length, u32 CRC-32
    entry: zlib( u32 length of meta | meta JSON | seven token columns, each a NumPy type code and the
           values in the narrowest integer type: form, tag, lemma ids; each token's gap after the
           previous token's end and its length; paragraph and sentence steps )

Beside each shard, `NAME.kcs.terms` lists which of its entries hold each string (form or lemma, spaces
removed), so a search reads only the documents that can match:

    TERMS_MAGIC | u32 entries | their 32-byte keys | u32 strings, u32 block size (4096), u32 blocks,
    u32 length of the heads | zlib( each block's first string, joined by NUL ) | per block: u64 offset,
    u32 length | blocks: zlib( 4096 strings, sorted, joined by NUL, their offsets and entry numbers )

A lookup reads the head and one block of strings, not every string of the shard.
"""

from __future__ import annotations

import json
import os
import re
import struct
import tempfile
import time
import zlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

import numpy as np

from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens
from kcorpus.pipeline.bags import BAGS_SUFFIX, BagCollector, DocBag, bags_path
from kcorpus.pipeline.filekinds import begins_with

MAGIC = b"KCSTORE2\n"
END = b"KCSEND2\n"
SHARD_SUFFIX = ".kcs"
TERMS_SUFFIX = ".terms"
TERMS_MAGIC = b"KCTERMS3\n"
OLD_TERMS_MAGIC = b"KCTERMS1\n"  # the first format: every string in one block (rebuilt when met)
SHARD_NAME = re.compile(r"[0-9]{20}-[0-9]+-[0-9a-z_]+" + re.escape(SHARD_SUFFIX))
TEMPORARY_NAME = re.compile(
    r"\.tmp-[^/]*" + re.escape(SHARD_SUFFIX) + "(?:" + re.escape(TERMS_SUFFIX) + "|" + re.escape(BAGS_SUFFIX) + ")?"
)
TERMS_NAME = re.compile(SHARD_NAME.pattern + re.escape(TERMS_SUFFIX))
BAGS_NAME = re.compile(SHARD_NAME.pattern + re.escape(BAGS_SUFFIX))
_RECORD = struct.Struct("<32sQII")
_TAIL = struct.Struct("<Q")
ROLL_BYTES = 64 * 1024 * 1024  # a writer starts a new shard after this much compressed data


class DamagedShard(ValueError):
    """A shard whose framing or index cannot be read."""


@dataclass(frozen=True)
class Location:
    shard: Path
    offset: int
    length: int
    crc: int


def encode_entry(key: str, cleaned: dict, tokens: DocTokens) -> bytes:
    meta = json.dumps(
        {"key": key, "n": len(tokens), "strings": tokens.strings, "cleaned": cleaned}, ensure_ascii=False
    ).encode("utf-8")
    parts = [struct.pack("<I", len(meta)), meta]
    for column in _columns(tokens):
        narrow = _narrowest(column)
        parts += [narrow.dtype.char.encode("ascii"), narrow.tobytes()]
    return zlib.compress(b"".join(parts), 6)


def _columns(tokens: DocTokens) -> list[np.ndarray]:
    """The token arrays as small numbers: ids as they are, offsets as (gap after the previous token's end,
    length), paragraph and sentence as steps."""
    end = tokens.end.astype(np.int64)
    previous_end = np.concatenate([[0], end[:-1]])
    return [
        tokens.form,
        tokens.tag,
        tokens.lemma,
        tokens.start - previous_end,
        end - tokens.start,
        np.diff(tokens.paragraph, prepend=0),
        np.diff(tokens.sentence, prepend=0),
    ]


def _narrowest(values: np.ndarray) -> np.ndarray:
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    for dtype in ("<i1", "<u1", "<i2", "<u2"):
        info = np.iinfo(np.dtype(dtype))
        if info.min <= low and high <= info.max:
            return values.astype(dtype)
    return values.astype("<i4")


_DTYPES: dict[str, np.dtype] = {np.dtype(d).char: np.dtype(d) for d in ("<i1", "<u1", "<i2", "<u2", "<i4")}


def decode_entry(key: str, blob: bytes) -> tuple[dict, DocTokens]:
    """(cleaned text as a dict, tokens) of one entry; ValueError if it is not the entry of `key`."""
    data = zlib.decompress(blob)
    (size,) = struct.unpack_from("<I", data)
    meta = json.loads(data[4 : 4 + size].decode("utf-8"))
    if meta.get("key") != key:
        raise ValueError("entry belongs to another key")
    n, at = int(meta["n"]), 4 + size
    columns = []
    for _ in ARRAY_FIELDS:
        dtype = _DTYPES.get(chr(data[at]) if at < len(data) else "")
        if dtype is None:
            raise ValueError("unknown column type")
        columns.append(np.frombuffer(data, dtype=dtype, count=n, offset=at + 1).astype(np.int64))
        at += 1 + n * dtype.itemsize
    if at != len(data):
        raise ValueError("token columns have the wrong length")
    form, tag, lemma, gap, length, paragraph, sentence = columns
    end = np.cumsum(gap + length)
    arrays = {
        "form": form,
        "tag": tag,
        "lemma": lemma,
        "start": end - length,
        "end": end,
        "paragraph": np.cumsum(paragraph),
        "sentence": np.cumsum(sentence),
    }
    return meta["cleaned"], DocTokens.from_arrays(meta["strings"], arrays)


def entry_strings(key: str, blob: bytes) -> list[str]:
    """The string table of one entry (its forms, tags and lemmas)."""
    data = zlib.decompress(blob)
    (size,) = struct.unpack_from("<I", data)
    meta = json.loads(data[4 : 4 + size].decode("utf-8"))
    if meta.get("key") != key:
        raise ValueError("entry belongs to another key")
    return [str(text) for text in meta["strings"]]


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


def is_term_index(path: Path) -> bool:
    """Whether a file begins like a term index this store wrote (either format)."""
    return begins_with(path, TERMS_MAGIC, OLD_TERMS_MAGIC, b"KCTERMS2\n")


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
        self.postings: dict[str, list[int]] | None = {}  # string -> entry numbers; None: some entry has none
        self.bags: BagCollector | None = BagCollector()  # None: some entry has no bag

    def add(self, key: str, blob: bytes, terms: Iterable[str] | None = None, bag: DocBag | None = None) -> Location:
        """Append an entry; `terms`: the strings a search may look for in it (None: unknown, no index);
        `bag`: its term bag (None: unknown, no bags file)."""
        if bag is None:
            self.bags = None
        elif self.bags is not None:
            self.bags.add(bag)
        if terms is None:
            self.postings = None
        elif self.postings is not None:
            number = len(self.records)
            for term in terms:
                self.postings.setdefault(term, []).append(number)
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
        if self.postings is not None:  # the index first: a shard is never seen without it if it has one
            terms = Path(str(self.temp) + TERMS_SUFFIX)
            terms.write_bytes(encode_terms([r[:32] for r in self.records], self.postings))
            os.replace(terms, Path(str(final) + TERMS_SUFFIX))
        if self.bags is not None:
            temporary = bags_path(self.temp)
            temporary.write_bytes(self.bags.encode([r[:32] for r in self.records]))
            os.replace(temporary, bags_path(final))
        os.replace(self.temp, final)
        return final

    def abandon(self) -> None:
        self.file.close()
        self.temp.unlink(missing_ok=True)
        Path(str(self.temp) + TERMS_SUFFIX).unlink(missing_ok=True)
        bags_path(self.temp).unlink(missing_ok=True)


def search_terms(strings: Iterable[str]) -> set[str]:
    """What an entry is indexed under: its strings (forms, lemmas, tags) with spaces removed."""
    return {text.replace(" ", "") for text in strings} - {""}


TERM_BLOCK = 4096  # strings per compressed block of a term index


def encode_terms(keys: list[bytes], postings: dict[str, list[int]]) -> bytes:
    """A term index (TERMS_MAGIC, the current format): sorted strings in blocks with their entry numbers,
    so a lookup reads one block."""
    strings = sorted(postings)
    blocks = [strings[at : at + TERM_BLOCK] for at in range(0, len(strings), TERM_BLOCK)]
    heads = zlib.compress("\0".join(block[0] for block in blocks).encode("utf-8"), 6)
    packed = [_encode_block(block, postings) for block in blocks]
    head = TERMS_MAGIC + struct.pack("<I", len(keys)) + b"".join(keys)
    head += struct.pack("<IIII", len(strings), TERM_BLOCK, len(blocks), len(heads)) + heads
    at = len(head) + 12 * len(blocks)
    table = []
    for block in packed:
        table.append(struct.pack("<QI", at, len(block)))
        at += len(block)
    return head + b"".join(table) + b"".join(packed)


def _encode_block(strings: list[str], postings: dict[str, list[int]]) -> bytes:
    """zlib( u32 length of the text | the strings joined by NUL | u32 offsets (strings + 1) | u32 entry
    numbers of each string, each after the first as the step from the one before )"""
    text = "\0".join(strings).encode("utf-8")
    sizes = [len(postings[t]) for t in strings]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype("<u4")
    numbers = np.array([n for t in strings for n in sorted(postings[t])], dtype=np.int64)
    steps = np.diff(numbers, prepend=0)
    steps[offsets[:-1][np.asarray(sizes) > 0]] = numbers[offsets[:-1][np.asarray(sizes) > 0]]
    return zlib.compress(struct.pack("<I", len(text)) + text + offsets.tobytes() + steps.astype("<u4").tobytes(), 6)


class TermIndex:
    """Which entries of one shard hold each string; a lookup reads the one block of strings it needs."""

    def __init__(self, path: Path, keys: list[str], heads: list[str], table: list[tuple[int, int]], n: int):
        self.path, self.keys, self.heads, self.table, self.n = path, keys, heads, table, n
        self.blocks: dict[int, tuple[list[str], np.ndarray, np.ndarray]] = {}

    def _block(self, file: BinaryIO, number: int) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(strings, offsets, entry numbers) of one block."""
        if number not in self.blocks:
            at, size = self.table[number]
            file.seek(at)
            data = zlib.decompress(file.read(size))
            (length,) = struct.unpack_from("<I", data)
            strings = data[4 : 4 + length].decode("utf-8").split("\0")
            offsets = np.frombuffer(data, dtype="<u4", count=len(strings) + 1, offset=4 + length).astype(np.int64)
            steps = np.frombuffer(data, dtype="<u4", offset=4 + length + 4 * (len(strings) + 1)).astype(np.int64)
            if int(offsets[-1]) != len(steps) or np.any(np.diff(offsets) < 0):
                raise ValueError("term index does not add up")
            numbers = np.cumsum(steps)
            starts = offsets[:-1][np.diff(offsets) > 0]  # each string's list starts afresh
            numbers -= np.repeat(numbers[starts] - steps[starts], np.diff(np.append(starts, len(steps))))
            if len(numbers) and (numbers.min() < 0 or numbers.max() >= len(self.keys)):
                raise ValueError("term index does not add up")
            self.blocks[number] = (strings, offsets, numbers)
        return self.blocks[number]

    def holding(self, wanted: Iterable[str]) -> set[str]:
        """Keys of the entries that hold any of the `wanted` strings."""
        found: set[str] = set()
        with open(Path(str(self.path) + TERMS_SUFFIX), "rb") as file:
            for text in wanted:
                number = bisect_right(self.heads, text) - 1
                if number < 0:
                    continue
                strings, offsets, numbers = self._block(file, number)
                at = bisect_left(strings, text)
                if at < len(strings) and strings[at] == text:
                    found.update(self.keys[n] for n in numbers[offsets[at] : offsets[at + 1]].tolist())
        return found

    def terms_of(self) -> dict[str, list[str]]:
        """The strings of each entry by key (to carry the index over when shards are merged)."""
        out: dict[str, list[str]] = {key: [] for key in self.keys}
        with open(Path(str(self.path) + TERMS_SUFFIX), "rb") as file:
            for number in range(len(self.table)):
                strings, offsets, numbers = self._block(file, number)
                for i, text in enumerate(strings):
                    for n in numbers[offsets[i] : offsets[i + 1]].tolist():
                        out[self.keys[n]].append(text)
        return out


def read_terms(path: Path) -> TermIndex:
    """The term index of a shard (its head: keys and block heads); ValueError (or OSError) if it is missing,
    not whole, or of the first format (then it is rebuilt)."""
    terms = Path(str(path) + TERMS_SUFFIX)
    size = terms.stat().st_size
    with open(terms, "rb") as file:
        if file.read(len(TERMS_MAGIC)) != TERMS_MAGIC:
            raise ValueError("not a term index of this format")
        (count,) = struct.unpack("<I", file.read(4))
        if len(TERMS_MAGIC) + 4 + 32 * count + 16 > size:
            raise ValueError("term index is cut short")
        raw = file.read(32 * count)
        keys = [raw[32 * i : 32 * (i + 1)].hex() for i in range(count)]
        n_strings, block, n_blocks, heads_size = struct.unpack("<IIII", file.read(16))
        if file.tell() + heads_size + 12 * n_blocks > size or block != TERM_BLOCK:
            raise ValueError("term index is cut short")
        heads = zlib.decompress(file.read(heads_size)).decode("utf-8").split("\0") if n_blocks else []
        table = [struct.unpack("<QI", file.read(12)) for _ in range(n_blocks)]
    if len(heads) != n_blocks or n_blocks != -(-n_strings // TERM_BLOCK) or any(a + b > size for a, b in table):
        raise ValueError("term index does not add up")
    return TermIndex(path, keys, heads, table, n_strings)


def old_terms(path: Path) -> dict[str, list[str]]:
    """The strings of each entry by key from a term index of the first format (to rewrite it)."""
    data = Path(str(path) + TERMS_SUFFIX).read_bytes()
    if not data.startswith(OLD_TERMS_MAGIC):
        raise ValueError("not a term index of the first format")
    at = len(OLD_TERMS_MAGIC)
    (count,) = struct.unpack_from("<I", data, at)
    if at + 4 + 32 * count + 8 > len(data):
        raise ValueError("term index is cut short")
    keys = [data[at + 4 + 32 * i : at + 4 + 32 * (i + 1)].hex() for i in range(count)]
    at += 4 + 32 * count
    n_strings, text_size = struct.unpack_from("<II", data, at)
    at += 8
    if at + text_size + 4 * (n_strings + 1) > len(data):
        raise ValueError("term index is cut short")
    strings = zlib.decompress(data[at : at + text_size]).decode("utf-8").split("\0") if n_strings else []
    at += text_size
    offsets = np.frombuffer(data, dtype="<u4", count=n_strings + 1, offset=at).astype(np.int64)
    numbers = np.frombuffer(data, dtype="<u4", offset=at + 4 * (n_strings + 1))
    if len(strings) != n_strings or int(offsets[-1]) != len(numbers) or (len(numbers) and numbers.max() >= count):
        raise ValueError("term index does not add up")
    out: dict[str, list[str]] = {key: [] for key in keys}
    for i, text in enumerate(strings):
        for n in numbers[offsets[i] : offsets[i + 1]].tolist():
            out[keys[n]].append(text)
    return out
