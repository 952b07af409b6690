"""Run manifests: what a warm run read last time, so the next run over unchanged files need not read them.

After a run whose every document ended whole in the token store, the cache keeps, for that set of inputs
and options, each input file's size, modification and change times and inode, each document as read (without its
text) with its store key, and the size, time and inode of every shard holding those keys. A later run over
the same arguments in the same folder finds every file with the same size, time and inode (a folder
listing the same files), and every key still in the store, and then takes the documents from the manifest
instead of reading, repairing and hashing them. Shards are written once and never changed, so the entries
of a shard that still has the recorded size, time and inode are not checksummed again; entries of any other
shard (e.g. one made by merging) are. Anything else (a file added, removed or changed, other options, a
damaged entry) reads everything as before. Each document's place in the store (shard, offset, length, CRC)
is recorded too, so a warm run reads no shard's index while those shards are unchanged; a manifest of the
second format (no places) is read as it is and written again with them.

The record is JSON in columns (one list per field; a field equal for every document is kept once),
zstd-compressed (the second format: zlib), written atomically; `cache clear` removes manifests, and so does
finding a damaged entry.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from kcorpus.errors import KcorpusError
from kcorpus.io.documents import Document, Skipped
from kcorpus.pipeline import store
from kcorpus.pipeline.compression import pack, unpack
from kcorpus.pipeline.filekinds import begins_with
from kcorpus.pipeline.store import Location

if TYPE_CHECKING:
    from kcorpus.pipeline.cache import TokenCache

FORMAT = 2  # of the manifest's name (the third format is named as the second: a warm run finds either)
MAGIC = b"KCRUNS3\n"
READ_MAGICS = (MAGIC, b"KCRUNS2\n")  # the second format: the same record without places
OLD_MAGICS = (b"KCRUNS1\n",)  # manifests of earlier formats: never trusted, removed when met
FOLDER = "runs"
SUFFIX = ".kcm"
KEEP = 16  # manifests kept; older ones are removed when a new one is written ...
KEEP_BYTES = 256 * 1024 * 1024  # ... and so are older ones past this many bytes (the newest always stays)
RACY_NS = 2 * 10**9  # a file changed this shortly before it was looked at may change again unseen: not trusted
_DOCUMENT_FIELDS = [f.name for f in fields(Document) if f.name != "text"]
_FIELD_NAMES = [f.name for f in fields(Document)]
assert _FIELD_NAMES[1] == "text" and not hasattr(Document, "__post_init__")

Items = list[tuple[Document | Skipped, str | None, int]]  # each item, its store key and its length in characters
Place = tuple[str, int, int, int]  # where an entry is in the store: shard name, offset, length, CRC-32


def reading_code() -> list:
    """Size and modification time of the code that reads and repairs inputs (kcorpus/io, kcorpus/clean), so
    a manifest of another kcorpus is never trusted."""
    package = Path(__file__).resolve().parents[1]
    out = []
    for part in ("io", "clean"):
        for path in sorted((package / part).rglob("*")):
            if path.suffix in (".py", ".tsv", ".txt"):
                found = path.stat()
                out.append([path.relative_to(package).as_posix(), found.st_size, found.st_mtime_ns])
    return out


def folder(root: Path) -> Path:
    return root / FOLDER / "v1"


def _path(root: Path, paths: list[str], settings: str) -> Path:
    digest = hashlib.sha256(json.dumps([FORMAT, os.getcwd(), paths, settings]).encode("utf-8", "surrogatepass"))
    return folder(root) / (digest.hexdigest()[:40] + SUFFIX)


def input_files(paths: list[str]) -> dict | None:
    """The inputs as the manifest records them: a column per field of the files read (path, id, size,
    mtime, ctime, inode) and [position, id, reason] of each entry skipped; None when an input is stdin or a file
    cannot be looked at."""
    from kcorpus.io.sources import input_names

    files: list[str] = []
    ids: list[str] = []
    skips: list[list] = []
    position = 0
    for arg in paths:
        for file, doc_id in input_names(arg, several=len(paths) > 1):
            if file is None:
                return None
            if isinstance(file, Skipped):
                skips.append([position, doc_id, file.reason])
            else:
                files.append(os.fspath(file))
                ids.append(doc_id)
            position += 1
    found = _stats(files)
    if found is None:
        return None
    sizes, mtimes, inodes = [s.st_size for s in found], [s.st_mtime_ns for s in found], [s.st_ino for s in found]
    changed = [s.st_ctime_ns for s in found]  # set by any write, even one that puts the old mtime back (cp -p)
    return {"path": files, "id": ids, "size": sizes, "mtime": mtimes, "ctime": changed, "inode": inodes, "skips": skips}


SHARED_STATS = 4096  # from this many files on, a second thread looks at half of them


def _stats(files: list[str]) -> list[os.stat_result] | None:
    """os.stat of each file; None if one cannot be looked at. A long list is shared with a second thread:
    each call waits in the kernel without holding Python's lock, so the two halves overlap."""
    split = len(files) // 2 if len(files) >= SHARED_STATS else len(files)
    first: list[os.stat_result] = []
    second: list[os.stat_result] = []
    failed: list[bool] = []

    def look(part: list[str], into: list[os.stat_result]) -> None:
        try:
            into.extend(map(os.stat, part))
        except OSError:
            failed.append(True)

    helper = threading.Thread(target=look, args=(files[split:], second)) if split < len(files) else None
    if helper is not None:
        helper.start()
    look(files[:split], first)
    if helper is not None:
        helper.join()
    return None if failed else first + second


@dataclass(frozen=True)
class Recalled:
    """What a manifest holds: the documents the last run read (their store keys, lengths and fields as
    columns: `document(n)` makes one) and the skips among them by position; the [size, mtime_ns, inode] of
    each shard (by name) that held their keys then; the inputs as they were (and still are); and each
    document's place in the store (None for a manifest of the second format)."""

    count: int  # documents and skips
    skips: dict[int, Skipped]
    keys: list[str]
    chars: list[int]
    columns: dict[str, Sequence]
    shards: dict[str, list[int]]
    files: dict
    places: list[Place] | None = None

    def document(self, n: int) -> Document:
        """The n-th document (skips not counted), without its text."""
        values = [convert(self.columns[name][n]) for name, convert in _CONVERTERS]
        return restored(Document, _FIELD_NAMES, [values[0], "", *values[1:]])

    @property
    def items(self) -> Items:
        """Every item in input order, with its store key and length (what `remember` takes)."""
        out: Items = []
        n = 0
        for position in range(self.count):
            skip = self.skips.get(position)
            if skip is not None:
                out.append((skip, None, 0))
            else:
                out.append((self.document(n), self.keys[n], self.chars[n]))
                n += 1
        return out


def recall(root: Path, paths: list[str], settings: str) -> Recalled | None:
    """The manifest of the last run over these inputs and settings; None if an input changed since (or
    there is none)."""
    try:
        data = _path(root, paths, settings).read_bytes()
        if not data.startswith(READ_MAGICS):
            return None
        record = json.loads(unpack(data[len(MAGIC) :]).decode("utf-8", "surrogatepass"))
        files = input_files(paths)
        if files is None or record.get("files") != files:
            return None
        count, skips, keys, chars, columns = _documents(record["items"], files)
        places = _places(record["items"]["places"], len(keys)) if data.startswith(MAGIC) else None
        shards = {str(k): list(v) for k, v in record["shards"].items()}
        return Recalled(count, skips, keys, chars, columns, shards, files, places)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, zlib.error, KcorpusError):
        return None


def snapshot(paths: list[str]) -> tuple[dict | None, int]:
    """The inputs as they are before a run reads them (input_files), and when they were looked at."""
    looked = time.time_ns()
    try:
        return input_files(paths), looked
    except (OSError, ValueError, KcorpusError):  # reading the inputs will say what is wrong
        return None, looked


def remember(
    root: Path,
    paths: list[str],
    settings: str,
    seen: tuple[dict | None, int],
    items: Items,
    index: dict[str, Location],
) -> None:
    """Keep a manifest of this run's items, with the inputs as `snapshot` saw them before they were read, and
    each item's place in the store (`index`: the store's) with the stamps of the shards holding them.
    Nothing is written when a file had changed just before (it may change again within the clock's tick),
    or on any error."""
    files, looked = seen
    if files is None or any(mtime > looked - RACY_NS for mtime in files["mtime"]):
        return
    try:
        places = [None if key is None else index[key] for _, key, _ in items]
        columns = {**_columns(items, files), "places": _place_columns(places)}
        record = {"files": files, "items": columns, "shards": shard_stamps(places)}
        data = MAGIC + pack(json.dumps(record, separators=(",", ":")).encode("utf-8", "surrogatepass"))
        target = _path(root, paths, settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=SUFFIX)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
        _prune(target.parent)
    except (OSError, ValueError, TypeError, KeyError):
        return


def shard_stamps(places: Iterable[Location | None]) -> dict[str, list[int]]:
    """[size, mtime_ns, inode] of each shard (by name) holding one of these entries."""
    held = {where.shard for where in places if where is not None}
    out = {}
    for shard in sorted(held):
        try:
            found = shard.stat()
        except OSError:
            continue
        out[shard.name] = [found.st_size, found.st_mtime_ns, found.st_ino]
    return out


def unchanged_shards(cache: TokenCache, stamps: dict[str, list[int]]) -> dict[str, Path]:
    """The shards of the store (by name) that still have the size, mtime and inode `stamps` gives them:
    shards are written once, so their entries were whole when the stamps were taken, are where they were
    and need no new checksum. Only these few files are looked at, not the store's index."""
    out: dict[str, Path] = {}
    for name, stamp in stamps.items():
        shard = cache.store_dir / name
        if not store.SHARD_NAME.fullmatch(name):
            continue
        try:
            found = shard.stat()
        except OSError:
            continue
        if [found.st_size, found.st_mtime_ns, found.st_ino] == stamp:
            out[name] = shard
    return out


def forget(root: Path) -> None:
    """Remove every manifest (a damaged entry was found: the next run checks every entry again)."""
    where = folder(root)
    if not where.is_dir() or where.is_symlink():
        return
    for path in where.iterdir():
        if path.suffix == SUFFIX and not path.name.startswith(".tmp-") and is_manifest(path):
            path.unlink(missing_ok=True)


def _prune(where: Path) -> None:
    manifests = sorted(
        ((p.stat().st_mtime_ns, p) for p in where.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".tmp-")),
        reverse=True,
    )
    kept_bytes = 0
    for rank, (_, path) in enumerate(manifests):
        kept_bytes += path.stat().st_size
        old = rank >= KEEP or (rank > 0 and kept_bytes > KEEP_BYTES) or begins_with(path, *OLD_MAGICS)
        if old and is_manifest(path):
            path.unlink(missing_ok=True)


def is_manifest(path: Path) -> bool:
    """Whether a file begins like a manifest this cache wrote (of any format)."""
    return begins_with(path, *READ_MAGICS, *OLD_MAGICS)


def _column(values: list, earlier: dict[str, list]) -> list | dict:
    """A field's values; {"same": value} when every document has the same, {"like": name} when they equal
    an `earlier` column's (a document's source is often its file's path), {"keys": [...], "columns": [...]}
    for dicts that all have the same keys (metadata), a column per key."""
    if values and all(value == values[0] for value in values):
        return {"same": values[0]}
    if values and isinstance(values[0], dict) and all(isinstance(v, dict) for v in values):
        names = list(values[0])
        if all(list(value) == names for value in values):
            return {"keys": names, "columns": [_column([v[name] for v in values], earlier) for name in names]}
    for name, column in earlier.items():
        if column == values:
            return {"like": name}
    earlier[f"doc.{len(earlier)}"] = values
    return values


class _Rows(Sequence[dict]):
    """A column of dicts with the same keys, kept as a column per key: each dict is made when asked for."""

    def __init__(self, names: list[str], parts: list[Sequence], count: int):
        self.names, self.parts, self.size = names, parts, count

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(self.size))]
        return dict(zip(self.names, [part[n] for part in self.parts]))


def _expanded(column: list | dict, count: int, earlier: dict[str, list]) -> Sequence:
    if isinstance(column, dict) and "keys" in column:
        parts = [_expanded(part, count, earlier) for part in column["columns"]]
        values: Sequence = _Rows([str(name) for name in column["keys"]], parts, count)
    elif isinstance(column, dict):
        values = [column["same"]] * count if "same" in column else earlier[column["like"]]
    else:
        values = column
        earlier[f"doc.{len(earlier)}"] = values
    if len(values) != count:
        raise ValueError("manifest column of the wrong length")
    return values


def _columns(items: Items, files: dict) -> dict:
    skips = [
        [n, item.id, item.reason, item.encoding] for n, (item, _, _) in enumerate(items) if isinstance(item, Skipped)
    ]
    documents = [(item, key, chars) for item, key, chars in items if isinstance(item, Document)]
    earlier = {"files.path": files["path"], "files.id": files["id"]}
    doc_columns = {
        name: _column([getattr(item, name) for item, _, _ in documents], earlier) for name in _DOCUMENT_FIELDS
    }
    return {
        "count": len(items),
        "skips": skips,
        "keys": "".join(str(key) for _, key, _ in documents),  # 64 hex digits each
        "chars": [chars for _, _, chars in documents],
        "doc": doc_columns,
    }


def _place_columns(places: list[Location | None]) -> dict:
    """The places of the documents (skips have none) as columns: shard names once, each entry's shard as a
    number among them, offsets, lengths, CRCs."""
    found = [where for where in places if where is not None]
    names = sorted({where.shard.name for where in found})
    number = {name: n for n, name in enumerate(names)}
    return {
        "names": names,
        "shard": [number[where.shard.name] for where in found],
        **{name: [getattr(where, name) for where in found] for name in ("offset", "length", "crc")},
    }


def _places(record: dict, count: int) -> list[Place]:
    """Each document's place from the columns of _place_columns."""
    names = [str(name) for name in record["names"]]
    columns = [record[name] for name in ("shard", "offset", "length", "crc")]
    if any(len(column) != count for column in columns) or (count and not 0 <= min(columns[0]) <= max(columns[0])):
        raise ValueError("manifest column of the wrong length")
    return list(zip(map(names.__getitem__, columns[0]), *columns[1:]))


def _documents(record: dict, files: dict) -> tuple[int, dict[int, Skipped], list[str], list[int], dict[str, Sequence]]:
    """(items, skips by position, each document's key, its length and its fields as columns)."""
    count, skips = int(record["count"]), record["skips"]
    n = count - len(skips)
    packed = str(record["keys"])
    if len(packed) != 64 * n:
        raise ValueError("manifest keys of the wrong length")
    keys = [packed[at : at + 64] for at in range(0, len(packed), 64)]
    chars = record["chars"]
    earlier = {"files.path": files["path"], "files.id": files["id"]}
    columns = {name: _expanded(record["doc"][name], n, earlier) for name in _DOCUMENT_FIELDS}
    if len(chars) != n:
        raise ValueError("manifest column of the wrong length")
    skip_at = {int(at): Skipped(str(doc_id), str(reason), encoding) for at, doc_id, reason, encoding in skips}
    if len(skip_at) != len(skips) or any(not 0 <= at < count for at in skip_at):
        raise ValueError("manifest skips out of place")
    return count, skip_at, keys, chars, columns


def _pairs(value: list) -> tuple:
    return tuple(map(tuple, value))


def _same(value):
    return value


_CONVERT: dict[str, Callable[[Any], Any]] = {  # JSON values back to a Document's (meta copied: "same" shares
    "warnings": tuple,  # one dict among the documents)
    "removed": _pairs,
    "positions": lambda value: None if value is None else _pairs(value),
    "meta": dict,
}
_CONVERTERS = [(name, _CONVERT.get(name, _same)) for name in _DOCUMENT_FIELDS]


@contextmanager
def collector_paused():
    """Pause Python's cycle collector while 100,000s of objects that hold no cycles are made (documents
    of a manifest, entries of the store's index): each collection would walk all of them again."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def restored(cls, names: list[str], values: list):
    """An instance of a (frozen) dataclass with these field values, without running its __init__ (a frozen
    one sets each field through object.__setattr__: too slow for the 100,000s of documents of a manifest).
    Only for classes whose __init__ does nothing but set the fields."""
    made = object.__new__(cls)
    made.__dict__.update(zip(names, values))
    return made
