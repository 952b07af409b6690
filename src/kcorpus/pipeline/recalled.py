"""A warm run's documents, taken from the last run's manifest (pipeline/manifest.py) and each made only
when an analysis first asks for it: a search that reads 4,000 of 183,000 documents makes 4,000."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Iterator, Sequence, overload

from kcorpus.io.documents import Document
from kcorpus.pipeline import manifest
from kcorpus.pipeline.cache import TokenCache
from kcorpus.pipeline.content import StoredContent, StoreReader
from kcorpus.pipeline.corpus import AnalysedDocument
from kcorpus.pipeline.store import Location

_NAMES = [f.name for f in fields(AnalysedDocument)]


class RecalledDocuments(Sequence[AnalysedDocument]):
    """The analysed documents of a recalled run, in input order (a sequence, made on demand)."""

    recalled = True  # every one from the token cache

    def __init__(
        self, found: manifest.Recalled, reader: StoreReader, shards: dict[str, Path], moved: dict[int, Location]
    ):
        """`shards`: the unchanged shards by name (where the manifest's places are); `moved`: the place of
        each document (by number) that is not where the manifest says."""
        self.found, self.reader, self.shards, self.moved = found, reader, shards, moved
        self._made: list[AnalysedDocument | None] = [None] * len(found.keys)

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, n: int) -> AnalysedDocument: ...

    @overload
    def __getitem__(self, n: slice) -> list[AnalysedDocument]: ...

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        made = self._made[n]
        if made is None:
            found = self.found
            doc = found.document(n)
            content = StoredContent(self.reader, found.keys[n], doc.id, self._where(n))
            made = self._made[n] = manifest.restored(AnalysedDocument, _NAMES, [doc, content, True, found.chars[n]])
        return made

    def __iter__(self) -> Iterator[AnalysedDocument]:
        for n in range(len(self._made)):
            yield self[n]

    def _where(self, n: int) -> Location:
        moved = self.moved.get(n)
        if moved is not None:
            return moved
        assert self.found.places is not None  # without places every document is in `moved`
        name, offset, length, crc = self.found.places[n]
        return Location(self.shards[name], offset, length, crc)

    @property
    def docs(self) -> Sequence[Document]:
        """The documents as read (`.doc` of each), made on demand too."""
        return _Docs(self)

    def may_hold(self, wanted: set[str]) -> list[bool]:
        """content.may_hold of these documents, from the keys and places alone (an entry's key says what it
        holds, whichever shard it is in: the keys held in all their shards answer for every document)."""
        places, cache = self.found.places, self.reader.cache
        names = {place[0] for place in places} if places is not None else set()
        unmoved = {self.shards[name] for name in names if name in self.shards}  # the others are all in `moved`
        held = _held_in(cache, unmoved | {where.shard for where in self.moved.values()}, wanted)
        if held is not None:
            return [key in held for key in self.found.keys]
        shards: list[Path | None] = [None] * len(self)
        if places is not None:
            shards = [self.shards.get(place[0]) for place in places]
        for n, where in self.moved.items():
            shards[n] = where.shard
        return cache.holding(self.found.keys, wanted, shards)

    def warned(self) -> list[tuple[str, str]]:
        """(id, warning) of each warning of the documents as read (stored entries carry none of their own)."""
        warnings, ids = self.found.columns["warnings"], self.found.columns["id"]
        return [(ids[n], str(warning)) for n, held in enumerate(warnings) if held for warning in held]


def _held_in(cache: TokenCache, shards: set[Path], wanted: set[str]) -> set[str] | None:
    """Keys of the entries of these shards that hold a wanted string; None when a term index cannot say."""
    out: set[str] = set()
    for shard in shards:
        held = cache.shard_holding(shard, wanted)
        if held is None:
            return None
        out |= held
    return out


class _Docs(Sequence[Document]):
    def __init__(self, documents: RecalledDocuments):
        self.documents = documents

    @property
    def inodes(self) -> set[int]:
        """The inode of every input file (as the manifest was checked against, moments ago): an output
        whose inode is none of these is not an input (sources.check_not_an_input), without a stat each."""
        return set(self.documents.found.files["inode"])

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [analysed.doc for analysed in self.documents[n]]
        return self.documents[n].doc


def recalled_documents(cache: TokenCache, reader: StoreReader, found: manifest.Recalled) -> RecalledDocuments | None:
    """The documents of a manifest whose entries are all still in the store; None when one is not (or is
    damaged since): then the inputs are read. Only the entries outside the manifest's unchanged shards are
    looked up in the store's index, and checked once if their shard was written since (e.g. by a merge)."""
    unchanged = manifest.unchanged_shards(cache, found.shards)
    places = found.places
    if places is None:
        outside: Sequence[int] = range(len(found.keys))
    else:
        outside = [n for n, place in enumerate(places) if place[0] not in unchanged]
    trusted = set(unchanged.values())
    moved: dict[int, Location] = {}
    for n in outside:
        key = found.keys[n]
        where = cache.index.get(key)
        if where is None:  # removed from the store since: read everything
            return None
        if where.shard not in trusted and not cache.verify(key, found.columns["id"][n]):  # damaged since
            return None
        moved[n] = where
    return RecalledDocuments(found, reader, unchanged, moved)
