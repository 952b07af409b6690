"""Compact token tables: one set of integer arrays per document instead of millions of objects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from itertools import chain, compress, count
from operator import attrgetter, is_

import numpy as np

ARRAY_FIELDS = ("form", "tag", "lemma", "start", "end", "paragraph", "sentence")


@dataclass(frozen=True)
class DocTokens:
    """All tokens of one document.

    `form`, `tag` and `lemma` index into `strings` (lemma -1: same as the form); `start`/`end` are
    character offsets into the cleaned document text; `paragraph` and `sentence` number the units
    the token belongs to, from 0, in document order.
    """

    strings: list[str]
    form: np.ndarray
    tag: np.ndarray
    lemma: np.ndarray
    start: np.ndarray
    end: np.ndarray
    paragraph: np.ndarray
    sentence: np.ndarray

    def __len__(self) -> int:
        return len(self.form)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in ARRAY_FIELDS}

    @classmethod
    def from_arrays(cls, strings: list[str], arrays: dict[str, np.ndarray]) -> "DocTokens":
        columns = {name: np.asarray(arrays[name], dtype=np.int32) for name in ARRAY_FIELDS}
        lengths = {len(col) for col in columns.values()}
        if len(lengths) > 1:
            raise ValueError("token arrays differ in length")
        top = max((int(columns[n].max()) for n in ("form", "tag", "lemma") if len(columns[n])), default=-1)
        if top >= len(strings):
            raise ValueError("token array points past the string table")
        return cls(strings, **columns)

    def column(self, name: str) -> list[str]:
        """A string column ('form', 'tag' or 'lemma', lemma falling back to the form) as a list."""
        ids = self.lemma if name == "lemma" else getattr(self, name)
        if name == "lemma":
            ids = np.where(ids >= 0, ids, self.form)
        strings = self.strings
        return [strings[i] for i in ids.tolist()]


# Kiwi's morpheme ids up to this are per-tag placeholders for text its dictionary does not hold (numbers, Latin,
# symbols, URLs, a guessed NNG has id 2: 쇼셜커뮤니티전자상거래): their tokens' forms vary. A larger id is one
# dictionary morpheme (대중교통 13396), one form and tag.
PLACEHOLDER_IDS = 64


class TokenBuilder:
    """Collects Kiwi tokens piece by piece into a DocTokens table, a column at a time.

    Reading a token's form and tag makes new strings (about 0.3 us a token): a dictionary morpheme's
    (form, tag, lemma) are read once and kept in `morphemes` by id, which the caller shares between
    documents of one Kiwi (ids are the Kiwi's, user words included)."""

    def __init__(self, morphemes: dict[int, tuple[str, str, str]] | None = None) -> None:
        self.morphemes = {} if morphemes is None else morphemes
        self.pieces: list[list] = []  # each piece's tokens
        self.places: list[tuple[int, int]] = []  # (offset, paragraph) of each piece

    def add_piece(self, tokens: list, offset: int, paragraph: int) -> None:
        """Add the tokens Kiwi found in a piece of text that starts at `offset` in the document."""
        self.pieces.append(tokens)
        self.places.append((offset, paragraph))

    def build(self) -> DocTokens:
        tokens = list(chain.from_iterable(self.pieces))
        n = len(tokens)
        ids = list(map(_ID, tokens))
        strings: list = list(map(self.morphemes.get, ids))  # (form, tag, lemma or form) of each token
        for i in compress(range(n), map(_IS_NONE, strings)):
            form, tag = tokens[i].form, tokens[i].tag
            strings[i] = (form, tag, tokens[i].lemma if tag[0] == "V" else form)
            if ids[i] > PLACEHOLDER_IDS:
                self.morphemes[ids[i]] = strings[i]
        numbers: defaultdict[str, int] = defaultdict(count().__next__)  # strings numbered in order of first use
        codes = np.fromiter(map(numbers.__getitem__, chain.from_iterable(strings)), np.int32, 3 * n).reshape(n, 3)
        start, length, sentence = (np.fromiter(map(get, tokens), np.int32, n) for get in (_START, _LEN, _SENTENCE))
        sizes = np.fromiter(map(len, self.pieces), np.int64, len(self.pieces))
        offsets, paragraphs = np.array(self.places, dtype=np.int32).reshape(-1, 2).T
        last = np.full(len(sizes), -1, dtype=np.int32)  # each piece's last sentence (-1: no tokens)
        if n:
            last[sizes > 0] = np.maximum.reduceat(sentence, (np.cumsum(sizes) - sizes)[sizes > 0])
        first = np.cumsum(last + 1, dtype=np.int32) - (last + 1)  # sentences before each piece
        form = np.ascontiguousarray(codes[:, 0])
        start += np.repeat(offsets, sizes)
        return DocTokens(
            list(numbers),
            form,
            np.ascontiguousarray(codes[:, 1]),
            np.where(codes[:, 2] == form, np.int32(-1), codes[:, 2]),
            start,
            start + length,
            np.repeat(paragraphs, sizes),
            sentence + np.repeat(first, sizes),
        )


_ID, _START, _LEN, _SENTENCE = map(attrgetter, ("id", "start", "len", "sent_position"))
_IS_NONE = partial(is_, None)
