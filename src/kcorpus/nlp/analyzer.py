"""The Kiwi wrapper: analyser settings (model, user dictionary), tokenising text pieces, query analysis.

This is the only module that imports kiwipiepy, and it does so only when tokens are needed.
"""

from __future__ import annotations

import functools
import hashlib
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator

from kcorpus.errors import InvalidArgument
from kcorpus.io.wordlists import UserWord, read_user_dict
from kcorpus.nlp.hanja import HANJA_MODES, to_hangul
from kcorpus.nlp.tokens import PLACEHOLDER_IDS, DocTokens, TokenBuilder

MODEL = "cong"
# a word of Kiwi's dictionary that a line wrap may cut (word_boundary): not NNP, which Kiwi also guesses for
# unknown strings (지방고용노동관서, 경우놀이터); an adverb too (관계없이)
_DICTIONARY_WORD_TAGS = frozenset({"NNG", "VV", "VA", "MAG"})


@dataclass(frozen=True)
class AnalyzerSettings:
    """Everything that decides which tokens Kiwi produces (part of the token-cache key)."""

    model: str = MODEL
    user_words: tuple[UserWord, ...] = ()
    hanja: str = "keep"  # "hangul": Kiwi reads Hanja as their Hangul reading (nlp/hanja.py)

    @classmethod
    def from_options(cls, user_dict: Path | None = None, hanja: str = "keep") -> "AnalyzerSettings":
        if hanja not in HANJA_MODES:
            raise InvalidArgument("hanja", f"{hanja!r}: use one of {', '.join(HANJA_MODES)}")
        return cls(user_words=read_user_dict(user_dict) if user_dict else (), hanja=hanja)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for word in self.user_words:
            digest.update(f"{word.form}\t{word.tag}\t{word.score!r}\n".encode())
        hanja = "" if self.hanja == "keep" else f":hanja-{self.hanja}"
        return f"{self.model}:{digest.hexdigest()[:16]}{hanja}"

    def kiwi_text(self, text: str) -> str:
        """The text as Kiwi is given it (same length: token offsets stay valid in `text`)."""
        return to_hangul(text) if self.hanja == "hangul" else text


def kiwi_version() -> str:
    """kiwipiepy's version, read from package metadata so Kiwi itself is not imported: the Version line of
    the one kiwipiepy dist-info beside the package (importlib.metadata, a tenth of a second to import, only
    when there is not exactly one)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("kiwipiepy")
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob("kiwipiepy-*.dist-info/METADATA"))
        if len(found) == 1:
            try:
                with found[0].open(encoding="utf-8") as metadata:
                    for line in metadata:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break
            except OSError:
                pass
    from importlib.metadata import version

    return version("kiwipiepy")


class Analyzer:
    """Runs Kiwi over text pieces; Kiwi is loaded on first use only."""

    def __init__(self, settings: AnalyzerSettings = AnalyzerSettings(), jobs: int = 1):
        self.settings = settings
        self.jobs = max(1, jobs)
        self.morphemes: dict[int, tuple[str, str, str]] = {}  # of this Kiwi's dictionary (see TokenBuilder)

    @cached_property
    def kiwi(self):
        return _load_kiwi(self.settings, self.jobs)

    @property
    def loaded(self) -> bool:
        return "kiwi" in self.__dict__

    def word_boundary(self, left: str, right: str) -> bool:
        """Does Kiwi's spacing model put a space between `left` and `right` (the text either side of a
        line wrap, read as one word)?  Not when Kiwi's dictionary holds the word the wrap cuts, read alone,
        as one noun or verb of three syllables or more (대중|교통이, 돌려|주어야): the spacing model
        splits it in context.  Loads Kiwi on first use."""
        spaced = self.kiwi.space(left + right, reset_whitespace=False)
        seen = len(left) - left.count(" ")
        for k, ch in enumerate(spaced):
            if ch != " ":
                seen -= 1
                if seen == 0:
                    return spaced[k + 1 : k + 2] == " " and not self._one_word(left, right)
        return False

    def _one_word(self, left: str, right: str) -> bool:
        """Is the word a wrap cuts (the last word of `left` and the first of `right`, glued) one morpheme
        of Kiwi's dictionary, a common noun, verb, adjective or adverb of three characters or more, across the cut
        (대중|교통이, 관계|없이)?  Or a verbal noun and the verb 받다 that makes its passive (지시|받은, 허가|받지)?"""
        a, b = left.rsplit(" ", 1)[-1], right.split(" ", 1)[0]
        if not ("가" <= a[-1:] <= "힣" and "가" <= b[:1] <= "힣"):
            return False
        cut = len(a)
        tokens = self.kiwi.tokenize(a + b)
        if any(
            t.start < cut < t.start + t.len and t.len >= 3 and t.tag in _DICTIONARY_WORD_TAGS and t.id > PLACEHOLDER_IDS
            for t in tokens
        ):
            return True
        before = [t for t in tokens if t.start + t.len == cut]
        after = [t for t in tokens if t.start == cut]
        if not (before and after and after[0].form == "받" and after[0].tag[:2] == "VV"):
            return False
        noun = before[-1]  # a verbal noun (지시하다, 허가하다), not 오랫동안|받아왔다
        return noun.tag == "NNG" and noun.len >= 2 and self.kiwi.tokenize(noun.form + "하다")[1].tag == "XSV"

    def tokenize_pieces(self, pieces: Iterable[str]) -> Iterator[list]:
        """Kiwi token lists for each text piece, computed in parallel, in input order."""
        return self.kiwi.tokenize(iter(pieces))

    def tokenize_documents(self, documents: Iterable[tuple[str, list[tuple[int, int, int]]]]) -> Iterator[DocTokens]:
        """Token tables for (text, pieces) pairs, read lazily; a piece is (start, end, paragraph) in that text."""
        queue: deque[list[tuple[int, int, int]]] = deque()
        kiwi_text = self.settings.kiwi_text

        def pieces():
            for text, spans in documents:
                spans = spans or [(0, 0, 0)]  # every document sends Kiwi at least one (maybe empty) piece
                queue.append(spans)
                for start, end, _ in spans:
                    yield kiwi_text(text[start:end])

        results = self.tokenize_pieces(pieces())
        for first in results:
            spans = queue.popleft()
            builder = TokenBuilder(self.morphemes)
            builder.add_piece(first, spans[0][0], spans[0][2])
            for start, _, paragraph in spans[1:]:
                builder.add_piece(next(results), start, paragraph)
            yield builder.build()


@functools.lru_cache(maxsize=2)
def _load_kiwi(settings: AnalyzerSettings, jobs: int):
    """A Kiwi instance, kept for the life of the process (loading takes seconds and hundreds of MB)."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=jobs, model_type=settings.model)
    for word in settings.user_words:
        kiwi.add_user_word(word.form, word.tag, word.score)
    return kiwi


def analyse_query(text: str, settings: AnalyzerSettings = AnalyzerSettings()) -> list[tuple[str, str, str]]:
    """Kiwi's morphemes of a search query as (form, tag, lemma); loads Kiwi, so call it only when needed."""
    tokens = Analyzer(settings, 1).kiwi.tokenize(settings.kiwi_text(text))
    return [(t.form, t.tag, t.lemma if t.tag[0] == "V" else t.form) for t in tokens]


def piece_spans(text: str, paragraphs: Iterable[tuple[int, int]], max_chars: int = 2000) -> list[tuple[int, int, int]]:
    """Cut paragraphs into pieces Kiwi can take one by one: (start, end, paragraph index)."""
    spans = []
    for index, (start, end) in enumerate(paragraphs):
        while end - start > max_chars:
            cut = _cut_point(text, start, start + max_chars)
            spans.append((start, cut, index))
            start = cut
        if end > start:
            spans.append((start, end, index))
    return spans


def _cut_point(text: str, start: int, limit: int) -> int:
    for separator in ("\n", ". ", " "):
        cut = text.rfind(separator, start + 1, limit)
        if cut > start:
            return cut + len(separator)
    return limit
