"""Token cache: every document's cleaned text and tokens, keyed by (text, cleaning, analyser, Kiwi version).

Entries live in a few append-only shard files (pipeline/store.py) under `root/tokens/v2/`; a run adds
one shard for what it tokenised, so a warm run opens a handful of files, not one per document. Entries
of the first format (one .npz per document under `tokens/v1/`) are moved into the store when read.
No pickle anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from struct import error as struct_error
from typing import BinaryIO, Iterator
from zlib import error as zlib_error

from kcorpus.nlp.tokens import DocTokens
from kcorpus.pipeline import bags, legacy, manifest, store, term_index
from kcorpus.pipeline.store import DamagedShard, Location, ShardWriter

FORMAT = 1  # of the key; the storage is store.py's
STORE_DIR = "v2"
MAX_SHARDS = 32  # more shards than this: the small ones are merged at the end of a run
ENV_VAR = "KCORPUS_CACHE_DIR"
ENTRY_SUFFIX = legacy.ENTRY_SUFFIX  # entries of the first format


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
    """Reads and writes entries under `root/tokens/`; None root disables caching. Call `flush()` at the end
    of a run: what was `put` becomes a shard then."""

    KEEP_BAGS = 2

    def __init__(self, root: Path | None, warn=lambda message: None):
        self.root = Path(root) if root is not None else None
        self.warn = warn
        self._index: dict[str, Location] | None = None
        self._indexed: list[Path] = []  # the shards the index was read from
        self._files: dict[Path, BinaryIO] = {}
        weakref.finalize(self, _close_all, self._files)  # a notebook's corpus let go: its shards closed
        self._writer: ShardWriter | None = None
        self._migrated = 0
        self._terms: dict[Path, term_index.TermIndex | None] = {}
        self._bags: dict[Path, bags.ShardBags | None] = {}
        self._last_bags: tuple[Path | None, bags.ShardBags | None] = (None, None)

    @property
    def enabled(self) -> bool:
        return self.root is not None

    @property
    def store_dir(self) -> Path:
        assert self.root is not None
        return self.root / "tokens" / STORE_DIR

    def _legacy_path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / "tokens" / "v1" / key[:2] / (key + ENTRY_SUFFIX)

    @property
    def index(self) -> dict[str, Location]:
        """Every stored entry by key, the newest shard winning; damaged shards are reported and removed."""
        if self._index is None:
            self._index = {}
            self._indexed = []
            for path in self._shards():
                try:
                    with manifest.collector_paused():
                        self._index.update(store.read_index(path))
                    self._indexed.append(path)
                except (DamagedShard, OSError, struct_error) as exc:
                    self.warn(f"token cache shard {path} is damaged ({exc}); its documents will be tokenised again")
                    if store.is_shard(path):
                        _remove_shard(path)
        return self._index

    def _shards(self) -> list[Path]:
        folder = self.store_dir
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if store.SHARD_NAME.fullmatch(p.name) and p.is_file())

    @property
    def indexed_shards(self) -> list[Path]:
        """The shards whose entries are in the index."""
        return self._indexed if self.enabled and self.index is not None else []

    def contains(self, key: str) -> bool:
        return self.enabled and (key in self.index or self._legacy_path(key).is_file())

    def verify(self, key: str, label: str = "") -> bool:
        """Whether the store holds a whole entry for `key` (its checksum is right), without decoding it;
        a damaged entry is reported and forgotten."""
        where = self.index.get(key) if self.enabled else None
        if where is None:
            return False
        try:
            store.read_blob(self._open(where.shard), where)
            return True
        except (OSError, ValueError) as exc:
            self._damaged(key, label, where, exc)
            return False

    def get(self, key: str, label: str = "", where: Location | None = None) -> CacheEntry | None:
        """The entry for `key` (at `where` if given and its shard is still there), or None when missing; a
        damaged entry is reported and forgotten."""
        if not self.enabled:
            return None
        if where is None or (where.shard not in self._files and not where.shard.exists()):
            where = self.index.get(key)
        if where is None:
            return self._migrate(key, label)
        if where.shard not in self._files and not where.shard.exists():  # merged away by another run: look again
            self._index = None
            where = self.index.get(key)
            if where is None:
                return None
        try:
            cleaned, tokens = store.decode_entry(key, store.read_blob(self._open(where.shard), where))
            return CacheEntry(cleaned, tokens)
        except (OSError, ValueError, KeyError, TypeError, zlib_error, struct_error, UnicodeDecodeError) as exc:
            self._damaged(key, label, where, exc)
            return None

    def _damaged(self, key: str, label: str, where: Location, exc: Exception) -> None:
        """Report and forget a damaged entry; run manifests are dropped, so the next run checks every entry."""
        self.warn(f"cache entry for {label or key} in {where.shard} is damaged ({exc}); rebuilding it")
        self.index.pop(key, None)
        if self.root is not None:
            manifest.forget(self.root)

    def holding(self, keys: list[str], wanted: set[str], shards: list[Path | None] | None = None) -> list[bool]:
        """For each key, whether its entry may hold one of the `wanted` strings (see term_index.search_terms):
        False only when its shard's term index says it does not. `shards`: each key's shard where known."""
        shards = list(shards or [None] * len(keys))
        if None in shards and self.enabled:  # the store's index says where the others are
            shards = [shard or ((where := self.index.get(key)) and where.shard) for key, shard in zip(keys, shards)]
        found = {shard: self.shard_holding(shard, wanted) for shard in set(shards) if shard is not None}
        return [shard is None or (held := found[shard]) is None or key in held for key, shard in zip(keys, shards)]

    def shard_holding(self, shard: Path, wanted: set[str]) -> set[str] | None:
        """Keys of the shard's entries that hold a wanted string; None when its term index cannot say."""
        terms = self._term_index(shard)
        try:
            return terms.holding(wanted) if terms is not None else None
        except (OSError, ValueError, struct_error, zlib_error, UnicodeDecodeError):
            return None

    def _term_index(self, shard: Path) -> term_index.TermIndex | None:
        """The shard's term index; a shard written before there were indexes (or whose index is damaged)
        gets one now, from its entries, for the next search; None if that cannot be written."""
        if shard not in self._terms:
            try:
                self._terms[shard] = term_index.read_terms(shard)
            except (OSError, ValueError, struct_error, zlib_error, UnicodeDecodeError):
                self._terms[shard] = self._index_shard(shard)
        return self._terms[shard]

    def _index_shard(self, shard: Path) -> term_index.TermIndex | None:
        try:
            entries = store.read_index(shard)
            try:  # an index of the first format: its strings, rewritten in blocks
                terms = term_index.old_terms(shard)
                if set(terms) != set(entries):
                    raise ValueError("term index of other entries")
            except (OSError, ValueError, struct_error, zlib_error, UnicodeDecodeError):
                terms = {}
                for key, where in entries.items():
                    blob = store.read_blob(self._open(shard), where)
                    terms[key] = sorted(term_index.search_terms(store.entry_strings(key, blob)))
            postings: dict[str, list[int]] = {}
            for number, key in enumerate(entries):
                for term in terms.get(key, ()):
                    postings.setdefault(term, []).append(number)
            temporary = shard.with_name(f".tmp-{os.getpid()}-{shard.name}{term_index.TERMS_SUFFIX}")
            temporary.write_bytes(term_index.encode_terms([bytes.fromhex(key) for key in entries], postings))
            os.replace(temporary, Path(str(shard) + term_index.TERMS_SUFFIX))
            return term_index.read_terms(shard)
        except (OSError, ValueError, KeyError, TypeError, struct_error, zlib_error, UnicodeDecodeError, DamagedShard):
            return None  # every entry of this shard is read

    def bag(self, key: str) -> tuple[bags.ShardBags, int] | None:
        """The term bags of the shard holding `key` and the entry's number in them; None when there are none."""
        where = self.index.get(key) if self.enabled else None
        if where is None:
            return None
        if where.shard is self._last_bags[0]:  # documents come shard by shard: no Path hashing per document
            found = self._last_bags[1]
        elif where.shard in self._bags:
            found = self._bags.pop(where.shard)
        else:
            try:
                found = bags.read_bags(where.shard)
            except (OSError, ValueError, struct_error, zlib_error, UnicodeDecodeError):
                found = self._bag_shard(where.shard)
            while len(self._bags) >= self.KEEP_BAGS:  # the bags of a shard or two are held, not the store's
                del self._bags[next(iter(self._bags))]
        self._bags[where.shard] = found
        self._last_bags = (where.shard, found)
        number = found.number.get(key) if found is not None else None
        return None if found is None or number is None else (found, number)

    def _bag_shard(self, shard: Path) -> bags.ShardBags | None:
        """Bags for a shard written before there were bags (or whose bags are damaged), from its entries;
        None if they cannot be written (its documents are then counted from their tokens)."""
        try:
            collector = bags.BagCollector()
            entries = store.read_index(shard)
            for key, where in entries.items():
                cleaned, tokens = store.decode_entry(key, store.read_blob(self._open(shard), where))
                collector.add(bags.document_bag(cleaned, tokens))
            temporary = shard.with_name(f".tmp-{os.getpid()}-{shard.name}{bags.BAGS_SUFFIX}")
            temporary.write_bytes(collector.encode([bytes.fromhex(key) for key in entries]))
            os.replace(temporary, bags.bags_path(shard))
            return bags.read_bags(shard)
        except (OSError, ValueError, KeyError, TypeError, struct_error, zlib_error, UnicodeDecodeError, DamagedShard):
            return None

    def _open(self, shard: Path) -> BinaryIO:
        file = self._files.get(shard)
        if file is None:
            file = self._files[shard] = open(shard, "rb")
        return file

    def put(self, key: str, cleaned: dict, tokens: DocTokens) -> None:
        """Add an entry to this run's shard (a new shard every store.ROLL_BYTES)."""
        if not self.enabled:
            return
        try:
            if self._writer is None:
                self._writer = ShardWriter(self.store_dir)
            blob = store.encode_entry(key, cleaned, tokens)
            self._writer.add(key, blob, term_index.search_terms(tokens.strings), bags.document_bag(cleaned, tokens))
            if self._writer.size >= store.ROLL_BYTES:
                self._commit()
        except OSError as exc:
            self.warn(f"cannot write the token cache at {self.root} ({exc.strerror}); use --cache-dir or --no-cache")
            if self._writer is not None:
                self._writer.abandon()
                self._writer = None
            self.root = None

    def _commit(self) -> None:
        assert self._writer is not None
        writer, self._writer = self._writer, None
        try:
            final = writer.commit()
        except BaseException:
            writer.abandon()
            raise
        if self._index is not None:
            self._index.update(store.read_index(final))
            self._indexed.append(final)

    def flush(self) -> None:
        """Make this run's entries a shard, close open files, and say how many old entries moved."""
        try:
            if self._writer is not None:
                self._commit()
                self._compact()
        except OSError as exc:
            self.warn(f"cannot write the token cache at {self.root} ({exc.strerror}); use --cache-dir or --no-cache")
        finally:
            _close_all(self._files)
        if self._migrated:
            self.warn(f"moved {self._migrated} token cache entries of the old format (one file each) into the store")
            self._migrated = 0

    def _compact(self) -> None:
        """With more than MAX_SHARDS shards, merge the small ones (under half of store.ROLL_BYTES) into one,
        so that many small runs do not leave a warm run thousands of files to open."""
        shards = self._shards()
        small = [path for path in shards if path.stat().st_size < store.ROLL_BYTES // 2]
        if len(shards) <= MAX_SHARDS or len(small) < 2:
            return
        entries: dict[str, Location] = {}
        for path in small:  # oldest first: a newer copy of a key wins
            try:
                entries.update(store.read_index(path))
            except (DamagedShard, OSError, struct_error):
                continue
        terms: dict[str, list[str]] = {}
        for path in small:
            index = self._term_index(path)
            if index is not None:
                terms.update(index.terms_of())
        writer = ShardWriter(self.store_dir)
        try:
            for key, where in entries.items():
                try:
                    found = self.bag(key)
                    bag = found[0].bag(key) if found is not None else None
                    writer.add(key, store.read_blob(self._open(where.shard), where), terms.get(key), bag)
                except ValueError:  # a damaged entry is left behind: it will be tokenised again
                    continue
            writer.commit()
        except BaseException:
            writer.abandon()
            raise
        finally:
            _close_all(self._files)
        for path in small:
            if store.is_shard(path):
                _remove_shard(path)
        self._index = None
        self._terms.clear()
        self._bags.clear()
        self._last_bags = (None, None)

    def _migrate(self, key: str, label: str) -> CacheEntry | None:
        """An entry of the first format, moved into this run's shard; None if there is none."""
        path = self._legacy_path(key)
        if not path.is_file():
            return None
        found = legacy.read_entry(path, key)
        entry = CacheEntry(*found) if found is not None else None
        if entry is None:
            self.warn(f"cache entry for {label or key} at {path} is damaged; rebuilding it")
        else:
            self.put(key, entry.cleaned, entry.tokens)
            self._migrated += 1
        if entry is None or legacy.is_entry(path):
            path.unlink(missing_ok=True)
        return entry

    def info(self) -> dict:
        """Location, number of entries and size on disk."""
        if not self.enabled:
            return {"path": "", "entries": 0, "bytes": 0}
        legacy = list(self._legacy_files())
        shards = self._shards()
        return {
            "path": str(self.root),
            "entries": len(self.index) + len(legacy),
            "bytes": sum(p.stat().st_size for p in [*shards, *legacy, *self._beside(shards)]),
        }

    @staticmethod
    def _beside(shards: list[Path]) -> list[Path]:
        """The term indexes and bags of these shards that exist."""
        found = [Path(str(p) + term_index.TERMS_SUFFIX) for p in shards] + [bags.bags_path(p) for p in shards]
        return [p for p in found if p.is_file()]

    def _legacy_files(self, temporary: bool = False) -> Iterator[Path]:
        """Files of the first format's folder named like entries (and, if asked, like unfinished writes)."""
        folder = self.root / "tokens" / "v1" if self.root is not None else None
        if folder is None or not folder.is_dir() or folder.is_symlink():
            return
        for shard in sorted(folder.iterdir()):
            if not legacy.SHARD.fullmatch(shard.name) or not shard.is_dir() or shard.is_symlink():
                continue
            for path in sorted(shard.iterdir()):
                named = legacy.ENTRY.fullmatch(path.name) and path.name.startswith(shard.name)
                unfinished = temporary and legacy.TEMPORARY.fullmatch(path.name)
                if (named or unfinished) and path.is_file() and not path.is_symlink():
                    yield path

    def clear(self) -> tuple[int, int]:
        """Remove the cache's own files (shards, old-format entries, unfinished writes), nothing else: a file
        is removed only if its name is one the cache gives and its content starts like one.
        Returns (entries removed, other files kept)."""
        if self.root is None:  # not enabled
            return 0, 0
        self.flush()
        removed = len(self.index)
        folder = self.store_dir
        if folder.is_dir() and not folder.is_symlink():
            for path in sorted(folder.iterdir()):
                ours = store.SHARD_NAME.fullmatch(path.name) or store.TEMPORARY_NAME.fullmatch(path.name)
                if ours and path.is_file() and not path.is_symlink() and store.is_shard(path):
                    path.unlink(missing_ok=True)
                elif store.TERMS_NAME.fullmatch(path.name) or store.TEMPORARY_NAME.fullmatch(path.name):
                    if path.is_file() and not path.is_symlink() and term_index.is_term_index(path):
                        path.unlink(missing_ok=True)
                if store.BAGS_NAME.fullmatch(path.name) or store.TEMPORARY_NAME.fullmatch(path.name):
                    if path.is_file() and not path.is_symlink() and bags.is_bags_file(path):
                        path.unlink(missing_ok=True)
        runs = manifest.folder(self.root)
        if runs.is_dir() and not runs.is_symlink():
            for path in sorted(runs.iterdir()):
                if path.suffix == manifest.SUFFIX and path.is_file() and not path.is_symlink():
                    if manifest.is_manifest(path) or path.name.startswith(".tmp-"):
                        path.unlink(missing_ok=True)
        for path in self._legacy_files(temporary=True):
            if legacy.TEMPORARY.fullmatch(path.name) or legacy.is_entry(path):
                path.unlink(missing_ok=True)
                removed += not legacy.TEMPORARY.fullmatch(path.name)
        self._index = None
        kept = 0
        for tokens in (self.root / "tokens", self.root / manifest.FOLDER):
            if not tokens.is_dir() or tokens.is_symlink():
                continue
            for root, _, files in os.walk(tokens, topdown=False):
                kept += len(files)
                if not os.listdir(root):
                    try:
                        os.rmdir(root)
                    except OSError:
                        pass
        return removed, kept


def _remove_shard(path: Path) -> None:
    """A shard and the files beside it (term index, bags)."""
    path.unlink(missing_ok=True)
    Path(str(path) + term_index.TERMS_SUFFIX).unlink(missing_ok=True)
    bags.bags_path(path).unlink(missing_ok=True)


def _close_all(files: dict) -> None:
    for file in files.values():
        file.close()
    files.clear()
