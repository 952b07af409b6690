"""Token cache entries of the first format: one NumPy .npz per document under `tokens/v1/`, read without
pickle so they can be moved into the store."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import numpy as np

from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens

ENTRY_SUFFIX = ".npz"
SHARD = re.compile(r"[0-9a-f]{2}")
ENTRY = re.compile(r"[0-9a-f]{64}" + re.escape(ENTRY_SUFFIX))
TEMPORARY = re.compile(r"\.tmp-[^/]*" + re.escape(ENTRY_SUFFIX))


def read_entry(path: Path, key: str) -> tuple[dict, DocTokens] | None:
    """(cleaned text as a dict, tokens) of an entry of the first format (.npz of the token arrays plus a
    JSON meta array), read without pickle; None if it is not whole or not the entry of `key`."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            if meta.get("format") != 1 or meta.get("key") != key:
                return None
            tokens = DocTokens.from_arrays(meta["strings"], {name: data[name] for name in ARRAY_FIELDS})
            return meta["cleaned"], tokens
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


def is_entry(path: Path) -> bool:
    """Whether a file is a NumPy .npz archive holding the arrays of a cache entry (read without pickle)."""
    try:
        with open(path, "rb") as file:
            if file.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as archive:
            return {"meta.npy", *(name + ".npy" for name in ARRAY_FIELDS)} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
