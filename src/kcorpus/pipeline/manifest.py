"""Run manifests: what a warm run read last time, so the next run over unchanged files need not read them.

After a run whose every document ended whole in the token store, the cache keeps, for that set of inputs
and options, each input file's size, modification time and inode, and each document as read (without its
text) with its store key. A later run over the same arguments in the same folder finds every file with
the same size, time and inode (a folder listing the same files), and every entry still whole in the
store, and then takes the documents from the manifest instead of reading, repairing and hashing them.
Anything else (a file added, removed or changed, other options, a damaged entry) reads everything as
before. JSON, zlib-compressed, written atomically; `cache clear` removes manifests.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import zlib
from dataclasses import fields
from pathlib import Path

from kcorpus.errors import KcorpusError
from kcorpus.io.documents import Document, Skipped
from kcorpus.pipeline.filekinds import begins_with

FORMAT = 1
MAGIC = b"KCRUNS1\n"
FOLDER = "runs"
SUFFIX = ".kcm"
KEEP = 32  # manifests kept; older ones are removed when a new one is written
RACY_NS = 2 * 10**9  # a file changed this shortly before it was looked at may change again unseen: not trusted
_DOCUMENT_FIELDS = [f.name for f in fields(Document) if f.name != "text"]


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
    return root / FOLDER / f"v{FORMAT}"


def _path(root: Path, paths: list[str], settings: str) -> Path:
    digest = hashlib.sha256(json.dumps([FORMAT, os.getcwd(), paths, settings]).encode("utf-8", "surrogatepass"))
    return folder(root) / (digest.hexdigest()[:40] + SUFFIX)


def input_files(paths: list[str]) -> list | None:
    """Each input as the manifest records it: [path, id, size, mtime_ns, inode] or ["skip", id, reason];
    None when an input is stdin or a file cannot be looked at."""
    from kcorpus.io.sources import _expand

    out: list = []
    for arg in paths:
        for file, doc_id in _expand(arg, several=len(paths) > 1):
            if file is None:
                return None
            if isinstance(file, Skipped):
                out.append(["skip", doc_id, file.reason])
                continue
            try:
                found = os.stat(file)
            except OSError:
                return None
            out.append([os.fspath(file), doc_id, found.st_size, found.st_mtime_ns, found.st_ino])
    return out


def recall(root: Path, paths: list[str], settings: str) -> list[tuple[Document | Skipped, str | None, int]] | None:
    """(item, store key, characters) of every item the last run over these inputs read, in order, if no
    input changed since; else None."""
    try:
        data = _path(root, paths, settings).read_bytes()
        if not data.startswith(MAGIC):
            return None
        record = json.loads(zlib.decompress(data[len(MAGIC) :]).decode("utf-8", "surrogatepass"))
        if record.get("files") != input_files(paths):
            return None
        return [_item(entry) for entry in record["items"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError, zlib.error, KcorpusError):
        return None


def snapshot(paths: list[str]) -> tuple[list | None, int]:
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
    seen: tuple[list | None, int],
    items: list[tuple[Document | Skipped, str | None, int]],
) -> None:
    """Keep a manifest of this run's items, with the inputs as `snapshot` saw them before they were read.
    Nothing is written when a file had changed just before (it may change again within the clock's tick),
    or on any error."""
    files, looked = seen
    if files is None or any(len(entry) == 5 and entry[3] > looked - RACY_NS for entry in files):
        return
    try:
        record = {"files": files, "items": [_entry(item, key, chars) for item, key, chars in items]}
        data = MAGIC + zlib.compress(json.dumps(record).encode("utf-8", "surrogatepass"), 6)
        target = _path(root, paths, settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=SUFFIX)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
        _prune(target.parent)
    except (OSError, ValueError, TypeError):
        return


def _prune(where: Path) -> None:
    manifests = sorted(
        (p for p in where.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".tmp-")),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in manifests[:-KEEP]:
        if is_manifest(old):
            old.unlink(missing_ok=True)


def is_manifest(path: Path) -> bool:
    """Whether a file begins like a manifest this cache wrote."""
    return begins_with(path, MAGIC)


def _entry(item: Document | Skipped, key: str | None, chars: int) -> dict:
    if isinstance(item, Skipped):
        return {"skip": [item.id, item.reason, item.encoding]}
    return {"doc": {name: getattr(item, name) for name in _DOCUMENT_FIELDS}, "key": key, "chars": chars}


def _item(entry: dict) -> tuple[Document | Skipped, str | None, int]:
    if "skip" in entry:
        doc_id, reason, encoding = entry["skip"]
        return Skipped(str(doc_id), str(reason), encoding), None, 0
    values = dict(entry["doc"])
    values["warnings"] = tuple(values["warnings"])
    values["removed"] = tuple(tuple(part) for part in values["removed"])
    if values["positions"] is not None:
        values["positions"] = tuple(tuple(place) for place in values["positions"])
    return Document(text="", **values), str(entry["key"]), int(entry["chars"])
