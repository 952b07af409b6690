"""Token cache: one .npz file per (document text, cleaning, analyser settings, Kiwi version); no pickle."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens

FORMAT = 1
ENV_VAR = "KCORPUS_CACHE_DIR"
ENTRY_SUFFIX = ".npz"


def default_cache_dir() -> Path:
    """$KCORPUS_CACHE_DIR, else the platform's user cache directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kcorpus", appauthor=False))


def entry_key(text: str, clean_version: str, analyzer_fingerprint: str, kiwi_version: str) -> str:
    """The cache key of one document's tokens."""
    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT, clean_version, analyzer_fingerprint, kiwi_version]).encode())
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheEntry:
    """What the cache holds for a document: its cleaned text (as a dict) and its tokens."""

    cleaned: dict
    tokens: DocTokens


class TokenCache:
    """Reads and writes entries under `root/tokens/v{FORMAT}/`; None root disables caching."""

    def __init__(self, root: Path | None, warn=lambda message: None):
        self.root = Path(root) if root is not None else None
        self.warn = warn

    @property
    def enabled(self) -> bool:
        return self.root is not None

    @property
    def entries_dir(self) -> Path:
        assert self.root is not None
        return self.root / "tokens" / f"v{FORMAT}"

    def _path(self, key: str) -> Path:
        return self.entries_dir / key[:2] / (key + ENTRY_SUFFIX)

    def contains(self, key: str) -> bool:
        return self.enabled and self._path(key).is_file()

    def get(self, key: str, label: str = "") -> CacheEntry | None:
        """The entry for `key`, or None when missing; a damaged entry is reported and removed."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                if meta.get("format") != FORMAT or meta.get("key") != key:
                    raise ValueError("entry belongs to another key or format")
                tokens = DocTokens.from_arrays(meta["strings"], {name: data[name] for name in ARRAY_FIELDS})
                return CacheEntry(meta["cleaned"], tokens)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            self.warn(f"cache entry for {label or key} at {path} is damaged ({type(exc).__name__}); rebuilding it")
            try:
                path.unlink()
            except OSError:
                pass
            return None

    def put(self, key: str, cleaned: dict, tokens: DocTokens) -> None:
        """Write an entry atomically: a temporary file in the same folder, then a rename."""
        if not self.enabled:
            return
        path = self._path(key)
        meta = {"format": FORMAT, "key": key, "strings": tokens.strings, "cleaned": cleaned}
        buffer = io.BytesIO()
        np.savez(
            buffer,
            # NumPy's default, spelled out so mypy does not match the ** arrays against this bool parameter
            # (it only matters for object arrays; these hold numbers)
            allow_pickle=True,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            **tokens.arrays(),
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=ENTRY_SUFFIX)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(buffer.getbuffer())
                os.replace(temp, path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            self.warn(f"cannot write the token cache at {self.root} ({exc.strerror}); use --cache-dir or --no-cache")
            self.root = None

    def info(self) -> dict:
        """Location, number of entries and size on disk."""
        files = list(self._entry_files()) if self.enabled else []
        return {
            "path": str(self.root) if self.enabled else "",
            "entries": len(files),
            "bytes": sum(p.stat().st_size for p in files),
        }

    def _entry_files(self, temporary: bool = False) -> Iterator[Path]:
        """The files under the cache folder named like entries (and, if asked, like unfinished writes)."""
        tokens = self.root / "tokens" if self.root is not None else None
        if tokens is None or not tokens.is_dir():
            return
        for version in sorted(tokens.glob("v*")):
            if not version.is_dir() or version.is_symlink():
                continue
            for shard in sorted(version.iterdir()):
                if not _SHARD.fullmatch(shard.name) or not shard.is_dir() or shard.is_symlink():
                    continue
                for path in sorted(shard.iterdir()):
                    named = _ENTRY.fullmatch(path.name) and path.name.startswith(shard.name)
                    unfinished = temporary and _TEMPORARY.fullmatch(path.name)
                    if (named or unfinished) and path.is_file() and not path.is_symlink():
                        yield path

    def clear(self) -> tuple[int, int]:
        """Remove the cache's own entries (and its unfinished writes), nothing else: a file is removed only if
        its name is an entry's and it holds an entry's header. Returns (entries removed, other files kept)."""
        if self.root is None:  # not enabled
            return 0, 0
        removed = 0
        for path in self._entry_files(temporary=True):
            if _TEMPORARY.fullmatch(path.name) or _is_entry(path):
                path.unlink(missing_ok=True)
                removed += not _TEMPORARY.fullmatch(path.name)
        kept = 0
        tokens = self.root / "tokens"
        if tokens.is_dir() and not tokens.is_symlink():
            for folder, _, files in os.walk(tokens, topdown=False):
                kept += len(files)
                if not os.listdir(folder):
                    try:
                        os.rmdir(folder)
                    except OSError:
                        pass
        return removed, kept


_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}" + re.escape(ENTRY_SUFFIX))
_TEMPORARY = re.compile(r"\.tmp-[^/]*" + re.escape(ENTRY_SUFFIX))


def _is_entry(path: Path) -> bool:
    """Whether a file is a NumPy .npz archive holding the arrays of a cache entry (read without pickle)."""
    try:
        with open(path, "rb") as file:
            if file.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as archive:
            return {"meta.npy", *(name + ".npy" for name in ARRAY_FIELDS)} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
