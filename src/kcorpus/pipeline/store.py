"""Shard files of the token store: documents' cleaned text and tokens, compressed, no pickle.

A shard is written once under a temporary name and renamed when whole, so a reader only ever sees
complete shards and two runs never write the same file:

    MAGIC | entry ... | index | u64 offset of the index | END
    index: u32 count, then for each entry a 32-byte key, u64 offset, u32 length, u32 CRC-32
    entry: zlib( u32 length of meta | meta JSON | the seven token arrays as int32, the growing ones
           (start, end, paragraph, sentence) as differences )
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
DELTA_FIELDS = ("start", "end", "paragraph", "sentence")
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
    for name in ARRAY_FIELDS:
        values = np.asarray(getattr(tokens, name), dtype=np.int32)
        if name in DELTA_FIELDS:
            values = np.diff(values, prepend=np.int32(0)).astype(np.int32)
        parts.append(values.astype("<i4").tobytes())
    return zlib.compress(b"".join(parts), 6)


def decode_entry(key: str, blob: bytes) -> tuple[dict, DocTokens]:
    """(cleaned text as a dict, tokens) of one entry; ValueError if it is not the entry of `key`."""
    data = zlib.decompress(blob)
    (size,) = struct.unpack_from("<I", data)
    meta = json.loads(data[4 : 4 + size].decode("utf-8"))
    if meta.get("key") != key:
        raise ValueError("entry belongs to another key")
    n = int(meta["n"])
    arrays = np.frombuffer(data, dtype="<i4", offset=4 + size)
    if len(arrays) != n * len(ARRAY_FIELDS):
        raise ValueError("token arrays have the wrong length")
    columns = {}
    for i, name in enumerate(ARRAY_FIELDS):
        values = arrays[i * n : (i + 1) * n].astype(np.int32)
        columns[name] = np.cumsum(values, dtype=np.int32) if name in DELTA_FIELDS else values
    return meta["cleaned"], DocTokens.from_arrays(meta["strings"], columns)


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
