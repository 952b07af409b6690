"""Term indexes beside the token store's shards: which entries of a shard hold each string (form or
lemma, spaces removed), so a search reads only the documents that can match:

    TERMS_MAGIC | u32 entries | their 32-byte keys | u32 strings, u32 block size (4096), u32 blocks,
    u32 length of the heads | zstd( each block's first string, joined by NUL ) | per block: u64 offset,
    u32 length | blocks: u32 length of A, u32 length of B | A: zstd( 4096 strings, sorted, joined by NUL )
    | B: zstd( how many entries hold each string ) | zstd( the entry numbers of each string, each after
    the first as the step from the one before ), counts and numbers each a NumPy type code and the values
    in the narrowest integer type

A lookup reads the head and one block of strings, not every string of the shard. Indexes of the third
format (KCTERMS3) have the same head and blocks of one zstd( u32 length of the text | the strings | u32
offsets (strings + 1) | u32 entry numbers as steps ), and are read as they are. Indexes written before
zstd hold zlib in the same places (compression.unpack reads both).
"""

from __future__ import annotations

import struct
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import BinaryIO, Iterable, Sequence

import numpy as np

from kcorpus.pipeline.compression import pack, unpack
from kcorpus.pipeline.entry_layout import column_at, column_bytes
from kcorpus.pipeline.filekinds import begins_with, damage_is_value_error

TERMS_SUFFIX = ".terms"
TERMS_MAGIC = b"KCTERMS4\n"
THIRD_TERMS_MAGIC = b"KCTERMS3\n"  # blocks of one zstd frame, u32 offsets and numbers
OLD_TERMS_MAGIC = b"KCTERMS1\n"  # the first format: every string in one block (rebuilt when met)


def is_term_index(path: Path) -> bool:
    """Whether a file begins like a term index this store wrote (either format)."""
    return begins_with(path, TERMS_MAGIC, THIRD_TERMS_MAGIC, OLD_TERMS_MAGIC, b"KCTERMS2\n")


def search_terms(strings: Iterable[str]) -> set[str]:
    """What an entry is indexed under: its strings (forms, lemmas, tags) with spaces removed."""
    return {text.replace(" ", "") for text in strings} - {""}


TERM_BLOCK = 4096  # strings per compressed block of a term index


def encode_terms(keys: list[bytes], postings: dict[str, list[int]]) -> bytes:
    """A term index (TERMS_MAGIC, the current format): sorted strings in blocks with their entry numbers,
    so a lookup reads one block."""
    strings = sorted(postings)
    blocks = [strings[at : at + TERM_BLOCK] for at in range(0, len(strings), TERM_BLOCK)]
    heads = pack("\0".join(block[0] for block in blocks).encode("utf-8"))
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
    """A block of the current format: u32 lengths of A and B | A: zstd( the strings joined by NUL ) |
    B: zstd( how many entries hold each string ) | zstd( their numbers, each after the first as a step )"""
    sizes = np.array([len(postings[t]) for t in strings], dtype=np.int64)
    numbers = np.array([n for t in strings for n in sorted(postings[t])], dtype=np.int64)
    steps = np.diff(numbers, prepend=0)
    firsts = np.concatenate([[0], np.cumsum(sizes)[:-1]])[sizes > 0]
    steps[firsts] = numbers[firsts]
    text, counts = pack("\0".join(strings).encode("utf-8")), pack(column_bytes(sizes))
    return struct.pack("<II", len(text), len(counts)) + text + counts + pack(column_bytes(steps))


def _decode_block(data: bytes) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(strings, offsets, steps) of a block of the current format."""
    if len(data) < 8:
        raise ValueError("term index is cut short")
    text_size, counts_size = struct.unpack_from("<II", data)
    if 8 + text_size + counts_size > len(data):
        raise ValueError("term index is cut short")
    strings = unpack(data[8 : 8 + text_size]).decode("utf-8").split("\0")
    sizes, at = column_at(unpack(data[8 + text_size : 8 + text_size + counts_size]), 0, len(strings))
    counts = sizes.astype(np.int64)
    steps_data = unpack(data[8 + text_size + counts_size :])
    steps, at = column_at(steps_data, 0, int(counts.sum()))
    if at != len(steps_data) or (len(counts) and int(counts.min()) < 0):
        raise ValueError("term index does not add up")
    return strings, np.concatenate([[0], np.cumsum(counts)]), steps.astype(np.int64)


def _decode_third_block(data: bytes) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(strings, offsets, steps) of a block of the third format."""
    data = unpack(data)
    (length,) = struct.unpack_from("<I", data)
    strings = data[4 : 4 + length].decode("utf-8").split("\0")
    offsets = np.frombuffer(data, dtype="<u4", count=len(strings) + 1, offset=4 + length).astype(np.int64)
    steps = np.frombuffer(data, dtype="<u4", offset=4 + length + 4 * (len(strings) + 1)).astype(np.int64)
    return strings, offsets, steps


class EntryKeys(Sequence[str]):
    """The keys of a shard's entries as hex, each made when asked for (a search needs those of a few)."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def __len__(self) -> int:
        return len(self.raw) // 32

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if not -len(self) <= n < len(self):
            raise IndexError("entry number out of range")
        n %= len(self)
        return self.raw[32 * n : 32 * (n + 1)].hex()


class TermIndex:
    """Which entries of one shard hold each string; a lookup reads the one block of strings it needs."""

    def __init__(
        self, path: Path, keys: Sequence[str], heads: list[str], table: list[tuple[int, int]], n: int, third=False
    ):
        self.path, self.keys, self.heads, self.table, self.n = path, keys, heads, table, n
        self.decode_block = _decode_third_block if third else _decode_block
        self.blocks: dict[int, tuple[list[str], np.ndarray, np.ndarray]] = {}

    @damage_is_value_error
    def _block(self, file: BinaryIO, number: int) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(strings, offsets, entry numbers) of one block."""
        if number not in self.blocks:
            at, size = self.table[number]
            file.seek(at)
            strings, offsets, steps = self.decode_block(file.read(size))
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


@damage_is_value_error
def read_terms(path: Path) -> TermIndex:
    """The term index of a shard (its head: keys and block heads), of the current or the third format;
    ValueError (or OSError) if it is missing, not whole, or of the first format (then it is rebuilt)."""
    terms = Path(str(path) + TERMS_SUFFIX)
    size = terms.stat().st_size
    with open(terms, "rb") as file:
        magic = file.read(len(TERMS_MAGIC))
        if magic not in (TERMS_MAGIC, THIRD_TERMS_MAGIC):
            raise ValueError("not a term index of this format")
        (count,) = struct.unpack("<I", file.read(4))
        if len(TERMS_MAGIC) + 4 + 32 * count + 16 > size:
            raise ValueError("term index is cut short")
        keys = EntryKeys(file.read(32 * count))
        n_strings, block, n_blocks, heads_size = struct.unpack("<IIII", file.read(16))
        if file.tell() + heads_size + 12 * n_blocks > size or block != TERM_BLOCK:
            raise ValueError("term index is cut short")
        heads = unpack(file.read(heads_size)).decode("utf-8").split("\0") if n_blocks else []
        table = [struct.unpack("<QI", file.read(12)) for _ in range(n_blocks)]
    if len(heads) != n_blocks or n_blocks != -(-n_strings // TERM_BLOCK) or any(a + b > size for a, b in table):
        raise ValueError("term index does not add up")
    return TermIndex(path, keys, heads, table, n_strings, third=magic == THIRD_TERMS_MAGIC)


@damage_is_value_error
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
    strings = unpack(data[at : at + text_size]).decode("utf-8").split("\0") if n_strings else []
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
