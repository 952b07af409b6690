"""Compact token tables: one set of integer arrays per document instead of millions of objects."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

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


class TokenBuilder:
    """Collects Kiwi tokens piece by piece into a DocTokens table."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.values = array("i")  # seven int32 values per token, in ARRAY_FIELDS order
        self.next_sentence = 0

    def _id(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.ids)
        return found

    def add_piece(self, tokens: list, offset: int, paragraph: int) -> None:
        """Add the tokens Kiwi found in a piece of text that starts at `offset` in the document."""
        ident = self._id
        base_sentence = self.next_sentence
        last_sentence = -1
        extend = self.values.extend
        for token in tokens:
            form = token.form
            tag = token.tag
            lemma = token.lemma if tag[0] == "V" else form
            start = offset + token.start
            sentence = token.sent_position
            if sentence > last_sentence:
                last_sentence = sentence
            extend(
                (
                    ident(form),
                    ident(tag),
                    -1 if lemma == form else ident(lemma),
                    start,
                    start + token.len,
                    paragraph,
                    base_sentence + sentence,
                )
            )
        self.next_sentence = base_sentence + last_sentence + 1

    def build(self) -> DocTokens:
        table = (
            np.frombuffer(self.values, dtype=np.int32).reshape(-1, len(ARRAY_FIELDS))
            if self.values
            else np.zeros((0, len(ARRAY_FIELDS)), dtype=np.int32)
        )
        strings = list(self.ids)
        return DocTokens(strings, *(np.ascontiguousarray(table[:, i]) for i in range(len(ARRAY_FIELDS))))
