"""Read documents from files, directories, globs, stdin and tabular files, in any common encoding."""

from __future__ import annotations

import os
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO, Iterator

from kcorpus.errors import UsageError, bug_report
from kcorpus.io.documents import (  # noqa: F401 - re-exported: the readers' shared types and decoding
    MB,
    Document,
    Skipped,
    SourceError,
    SourceOptions,
    check_encoding,
    checked_document,
    decode_bytes,
    decode_text,
    display_name,
    read_limited,
)
from kcorpus.io.tables import MAX_TABLE_BYTES, TABLE_SUFFIXES, read_table

GLOB_CHARS = set("*?[")


def bundled_corpus_dir() -> Path:
    """The sample corpus shipped with kcorpus."""
    return data_dir("corpus")


def bundled_corpus_glob() -> str:
    """The bundled reports (the folder's README is not one of them)."""
    return str(bundled_corpus_dir() / "*.txt")


def data_dir(name: str) -> Path:
    """A folder of bundled data: inside the installed package, or at the repository root."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_data" / name
    if installed.is_dir():
        return installed
    return package.parents[1] / name


def read_sources(
    paths: list[str], options: SourceOptions = SourceOptions(), stdin: BinaryIO | None = None
) -> Iterator[Document | Skipped]:
    """Yield every document (or the reason it was skipped) from the given paths, in a stable order.

    Nothing is dropped silently: hidden files, broken links, unreadable folders and files that fail to
    read for any reason (a bug included) come out as Skipped with the reason.
    """
    seen_files: set[tuple[int, int] | Path | str] = set()  # '-': standard input
    seen_ids: set[str] = set()
    for arg in paths:
        for file, doc_id in _expand(arg, several=len(paths) > 1):
            if isinstance(file, Skipped):
                yield file
                continue
            if file is None:
                if "-" in seen_files:
                    yield Skipped(doc_id, "listed twice; read once")
                else:
                    seen_files.add("-")
                    yield from _unique(_guarded(_read_stdin, doc_id, stdin, options), seen_ids)
                continue
            resolved = _identity(file)
            if resolved in seen_files:
                yield Skipped(doc_id, "listed twice; read once")
                continue
            seen_files.add(resolved)
            yield from _unique(_guarded(_read_file, doc_id, file, options), seen_ids)


def _guarded(read, doc_id: str, *args) -> Iterator[Document | Skipped]:
    """The items `read(*args, doc_id)` yields; an unexpected failure skips the rest of that file, reported."""
    try:
        yield from read(*args, doc_id)
    except (MemoryError, RecursionError, OSError) as exc:
        yield Skipped(doc_id, f"cannot read ({type(exc).__name__}: {exc})")
    except Exception as exc:  # a bug in kcorpus must not end a batch
        yield Skipped(doc_id, f"reading failed ({bug_report(exc)})")


def check_not_an_input(output: str | os.PathLike | None, documents, flag: str = "-o") -> None:
    """Raise UsageError when `output` is the file one of the documents was read from (it would be replaced)."""
    if output is None or os.fspath(output) == "-":
        return
    try:
        target = _identity(Path(output), strict=True)
    except OSError:  # not there yet: not an input
        return
    inodes = getattr(documents, "inodes", None)  # the inputs' inodes as a warm run just looked at them
    if inodes is not None and isinstance(target, tuple) and target[1] not in inodes:
        return
    looked: set[str] = set()  # a table file's rows share one source
    for doc in documents:
        if doc.source != "-" and doc.source not in looked:
            looked.add(doc.source)
            if _identity(doc.source) == target:
                raise UsageError(
                    f"{flag} {display_name(output)} is one of the inputs ({doc.id}): write to another file"
                )


def _identity(path: str | Path, strict: bool = False) -> tuple[int, int] | Path:
    """What makes two paths one file: its device and inode (links followed), else the resolved path."""
    try:
        found = os.stat(path)
        return found.st_dev, found.st_ino
    except OSError:
        if strict:
            raise
        return Path(path).resolve()


def check_paths(paths: list[str]) -> None:
    """Raise UsageError for a path argument that names nothing (before any document is read)."""
    for arg in paths:
        for _ in _expand(arg, several=len(paths) > 1):
            pass


def _unique(items: Iterator[Document | Skipped], seen_ids: set[str]) -> Iterator[Document | Skipped]:
    for item in items:
        if isinstance(item, Document) and item.id in seen_ids:
            n = 2
            while f"{item.id}~{n}" in seen_ids:
                n += 1
            note = f"renamed: an earlier document is already called {item.id!r} ({item.source}); make the ids unique"
            item = replace(item, id=f"{item.id}~{n}", warnings=item.warnings + (note,))
        seen_ids.add(item.id)
        yield item


def _expand(arg: str, several: bool) -> Iterator[tuple[Path | Skipped | None, str]]:
    """(file, document id) pairs for one path argument; (None, '-') for stdin; (Skipped, id) for an entry
    of a folder or glob that is not read (hidden, a broken link, an unreadable folder)."""
    for file, doc_id in input_names(arg, several):
        yield (Path(file) if isinstance(file, str) else file), doc_id


def input_names(arg: str, several: bool) -> Iterator[tuple[str | Path | Skipped | None, str]]:
    """As _expand, with the files of a folder as strings (cheaper to list a large folder, e.g. to check
    that nothing changed since the last run)."""
    if arg == "-":
        yield None, "stdin"  # an id a spreadsheet will not read as a formula (a bare "-" would be escaped)
        return
    path = Path(arg)
    try:
        os.stat(path)
    except PermissionError as error:  # inside a folder this user may not enter (Path.is_dir would raise)
        yield Skipped(display_name(arg), f"cannot read ({error.strerror})"), display_name(arg)
        return
    except (OSError, ValueError):  # not there (or a broken link, an embedded NUL): said below
        pass
    if path.is_dir():
        prefix = f"{display_name(path.resolve().name)}/" if several else ""
        entries = _folder_entries(path)
        if not entries:
            raise UsageError(f"directory {display_name(arg)} contains no files")
        base = os.fspath(path)
        base += "" if base.endswith("/") else "/"
        for relative, reason in entries:
            doc_id = prefix + display_name(relative) if relative != "." else display_name(arg)
            yield (Skipped(doc_id, reason) if reason else base + relative), doc_id
    elif path.is_file():
        name = path.as_posix() if several else path.name
        yield path, display_name(name)
    elif GLOB_CHARS & set(arg):
        base = _glob_base(arg)
        matches = _glob_matches(arg, base)
        if not matches:
            raise UsageError(f"no files match {display_name(arg)!r}")
        for file, reason in matches:
            doc_id = display_name(Path(os.path.relpath(file, base)).as_posix())
            yield (Skipped(doc_id, reason) if reason else file), doc_id
    elif path.is_symlink():
        raise UsageError(f"{display_name(arg)} is a broken symbolic link")
    elif path.exists():
        raise UsageError(f"{display_name(arg)} is not a regular file or directory")
    else:
        raise UsageError(
            f"path {display_name(arg)} does not exist: check the spelling, or pass a directory of .txt files"
        )


def _folder_entries(folder: Path) -> list[tuple[str, str]]:
    """(relative path, skip reason or '') of everything under a folder, sorted; links to folders are not
    followed, hidden files and folders are listed as skipped (a hidden folder once, not its files).
    The walk keeps its own stack, so no nesting depth ends it."""
    entries: list[tuple[str, str]] = []
    pending = [""]  # relative folders to list, "" for the folder itself (strings: a large folder lists faster)
    while pending:
        relative_top = pending.pop()
        try:
            with os.scandir(os.path.join(folder, relative_top) if relative_top else folder) as listing:
                children = sorted(listing, key=attrgetter("name"))
        except OSError as error:
            entries.append((relative_top or ".", f"unreadable folder ({error.strerror}), not read"))
            continue
        prefix = relative_top + "/" if relative_top else ""
        for entry in children:
            relative = prefix + entry.name
            reason = _entry_reason(entry)
            if reason == "folder":
                pending.append(relative)
            else:
                entries.append((relative, reason))
    return sorted(entries)


def _entry_reason(entry: os.DirEntry) -> str:
    """Why a folder entry is not read ('' for a file to read, 'folder' for a folder to walk into)."""
    try:
        if not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):  # the usual case: one look
            return ""
        is_link = entry.is_symlink()
        is_dir = entry.is_dir()  # follows a link
        is_file = entry.is_file()
    except OSError as error:
        return f"cannot read ({error.strerror})"
    if entry.name.startswith("."):
        return "hidden folder, not read" if is_dir else "hidden file, not read"
    if is_dir:
        return "symbolic link to a folder, not followed" if is_link else "folder"
    if is_link and not os.path.exists(entry.path):
        return "broken symbolic link"
    if not is_file:
        return "not a regular file (a device, pipe or socket)"
    return ""


def _glob_matches(pattern: str, base: str) -> list[tuple[str, str]]:
    """(path, skip reason or '') of what a glob matches, sorted: regular files, and the files under each
    matched folder (walked as a folder argument is: a quoted 'drop/*' reads what an unquoted drop/* does).
    Hidden names are not matched, as in the shell; `**` never follows links to folders (no symlink loops)."""
    rest = os.path.relpath(pattern, base) if os.path.isabs(pattern) == os.path.isabs(base) else pattern
    out: dict[str, str] = {}
    walked: set[Path] = set()
    try:
        for found in sorted(Path(base).glob(Path(rest).as_posix())):
            if any(part.startswith(".") for part in found.relative_to(base).parts):
                continue
            if found.is_file():
                out[os.fspath(found)] = ""
            elif found.is_symlink() and found.is_dir():
                out[os.fspath(found)] = "symbolic link to a folder, not followed"
            elif found.is_dir() and not walked.intersection(found.parents):  # `**`: each folder once
                walked.add(found)
                for relative, reason in _folder_entries(found):
                    out[os.fspath(found) if relative == "." else os.path.join(found, relative)] = reason
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot expand {display_name(pattern)!r}: {exc}") from None
    return sorted(out.items())


def _glob_base(pattern: str) -> str:
    """The directory part of a glob before its first wildcard."""
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if GLOB_CHARS & set(p))]]
    return str(Path(*fixed)) if fixed else "."


def _read_stdin(stdin: BinaryIO | None, options: SourceOptions, doc_id: str) -> Iterator[Document | Skipped]:
    try:
        data = read_limited(None, options.max_doc_bytes, "standard input", "--max-doc-mb", stdin)
        doc = _document(data, "", doc_id, "-", {"file": "stdin", "folder": "."}, options)
    except SourceError as exc:
        yield Skipped(doc_id, exc.message)
        return
    yield checked_document(doc, options)


def _read_file(file: Path, options: SourceOptions, doc_id: str) -> Iterator[Document | Skipped]:
    if options.exclude and os.path.realpath(file) in options.exclude:  # the --meta sidecar is not a document
        return
    file_meta = {"file": doc_id, "folder": Path(doc_id).parent.as_posix()}
    suffix = file.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        try:
            data = read_limited(file, MAX_TABLE_BYTES, "table", "the table limit")
        except SourceError as exc:
            yield Skipped(doc_id, exc.message)
            return
        yield from read_table(data, suffix, doc_id, file_meta, options, os.fsdecode(file))
        return
    try:
        data = read_limited(file, options.max_doc_bytes, "file", "--max-doc-mb")
        doc = _document(data, suffix, doc_id, os.fsdecode(file), file_meta, options)
    except SourceError as exc:
        yield Skipped(doc_id, exc.message)
        return
    yield checked_document(doc, options)


def _document(data: bytes, suffix: str, doc_id: str, source: str, meta: dict, options: SourceOptions) -> Document:
    """A file's bytes as a document: PDF, HWPX, HWP and DOCX through their readers (chosen by magic bytes,
    then suffix), anything else decoded as text. Raises SourceError with the reason."""
    from kcorpus.io.readers import format_of, read_bytes

    kind = format_of(suffix, data)
    if kind is None:
        text, encoding, warnings = decode_text(data, options.encoding)
        return Document(doc_id, text, encoding, source, meta=meta, warnings=warnings)
    read = read_bytes(kind, data)
    return Document(
        doc_id,
        read.text,
        kind,
        source,
        meta=meta,
        layout=read.layout,
        positions=read.positions,
        reader=read.reader,
        removed=read.removed,
    )
