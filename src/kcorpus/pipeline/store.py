"""Shard files of the token store: documents' cleaned text and tokens, compressed, no pickle.

A shard is written once under a temporary name and renamed when whole, so a reader only ever sees
complete shards and two runs never write the same file:

    MAGIC | entry ... | index | u64 offset of the index | END
    index: u32 count, then for each entry a 32-byte key, u64 offset, u32 length, u32 CRC-32
    entry: zlib( u32 length of meta | meta JSON | seven token columns, each a NumPy type code and the
           values in the narrowest integer type: form, tag, lemma ids; each token's gap after the
           previous token's end and its length; paragraph and sentence steps )
"""

from __future__ import annotations

import json
import os
import re
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens

MAGIC = b"KCSTORE2\n"
END = b"KCSEND2\n"
SHARD_SUFFIX = ".kcs"
SHARD_NAME = re.compile(r"[0-9]{20}-[0-9]+-[0-9a-z_]+" + re.escape(SHARD_SUFFIX))
TEMPORARY_NAME = re.compile(r"\.tmp-[^/]*" + re.escape(SHARD_SUFFIX))
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
    try:
        with open(path, "rb") as file:
            return file.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


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

    def add(self, key: str, blob: bytes) -> Location:
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
        os.replace(self.temp, final)
        return final

    def abandon(self) -> None:
        self.file.close()
        self.temp.unlink(missing_ok=True)
