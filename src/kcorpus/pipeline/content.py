"""Where an analysed document's repaired text and tokens are: in memory, or in the token store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kcorpus.clean import CleanedText
from kcorpus.errors import KcorpusError
from kcorpus.nlp.tokens import DocTokens
from kcorpus.pipeline.cache import TokenCache
from kcorpus.pipeline.store import Location


@dataclass(frozen=True)
class HeldContent:
    """A document's repaired text and tokens, in memory."""

    cleaned: CleanedText
    tokens: DocTokens

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.cleaned.warnings

    def load(self) -> tuple[CleanedText, DocTokens]:
        return self.cleaned, self.tokens


def may_hold(documents: Sequence, wanted: set[str]) -> list[bool]:
    """For each analysed document, whether its tokens may include one of the `wanted` strings (spaces
    removed): False only for stored documents whose shard's term index says they do not."""
    recalled = getattr(documents, "may_hold", None)  # recalled.RecalledDocuments: from keys and places alone
    if recalled is not None:
        return recalled(wanted)
    out = [True] * len(documents)
    by_reader: dict[int, tuple[StoreReader, list[int]]] = {}
    for position, analysed in enumerate(documents):
        content = getattr(analysed, "content", None)
        if isinstance(content, StoredContent):
            by_reader.setdefault(id(content.reader), (content.reader, []))[1].append(position)
    for reader, positions in by_reader.values():
        keys = [documents[i].content.key for i in positions]
        shards = [None if where is None else where.shard for where in (documents[i].content.where for i in positions)]
        for position, holds in zip(positions, reader.cache.holding(keys, wanted, shards)):
            out[position] = holds
    return out


class StoredContent:
    """A document's repaired text and tokens in the token store, read each time they are asked for (the
    last few are kept), so that a warm corpus holds no token tables. Entries whose repair failed are never
    stored, so a stored document has no warnings of its own."""

    __slots__ = ("reader", "key", "label", "where")
    warnings: tuple[str, ...] = ()

    def __init__(self, reader: "StoreReader", key: str, label: str, where: Location | None = None):
        """`where`: the entry's place in the store when known (else the store's index says)."""
        self.reader, self.key, self.label, self.where = reader, key, label, where

    def load(self) -> tuple[CleanedText, DocTokens]:
        return self.reader.load(self.key, self.label, self.where)


class StoreReader:
    """Decodes stored entries for StoredContent, keeping the most recent few decoded."""

    KEEP = 4

    def __init__(self, cache: TokenCache):
        self.cache = cache
        self.recent: dict[str, tuple[CleanedText, DocTokens]] = {}

    def load(self, key: str, label: str, where: Location | None = None) -> tuple[CleanedText, DocTokens]:
        found = self.recent.pop(key, None)
        if found is None:
            entry = self.cache.get(key, label, where)
            if entry is None:  # checked whole when the run began: changed or removed since
                raise KcorpusError(
                    f"{label}: its token cache entry changed while kcorpus was reading it; run the command again"
                )
            found = (CleanedText.from_dict(entry.cleaned), entry.tokens)
            while len(self.recent) >= self.KEEP:
                del self.recent[next(iter(self.recent))]
        self.recent[key] = found
        return found
