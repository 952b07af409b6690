"""The Kiwi wrapper: analyser settings, user dictionary, stopwords, POS presets, term selection.

This is the only module that imports kiwipiepy, and it does so only when tokens are needed.
"""

from __future__ import annotations

import functools
import hashlib
from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from kcorpus.errors import KcorpusError, UsageError
from kcorpus.io.sources import data_dir
from kcorpus.nlp.tokens import DocTokens, TokenBuilder

MODEL = "cong"
NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH"})
VERB_TAGS = frozenset({"VV", "VA"})
SUFFIX_VERB_TAGS = {"XSV": "VV", "XSA": "VA"}
PRESETS = ("nouns", "content", "all")
KIWI_TAGS = frozenset(
    "NNG NNP NNB NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ JX JC EP EF EC ETN ETM "
    "XPN XSN XSV XSA XSM XR SF SP SS SSO SSC SE SO SW SL SH SN SB UN W_URL W_EMAIL W_HASHTAG W_MENTION "
    "W_SERIAL W_EMOJI Z_CODA Z_SIOT USER0 USER1 USER2 USER3 USER4".split()
)
DEFAULT_STOPWORDS = "ko-reports.txt"


def base_tag(tag: str) -> str:
    """Kiwi marks irregular conjugation with a suffix (VV-I); the part of speech is before it."""
    return tag.split("-", 1)[0]


@dataclass(frozen=True)
class UserWord:
    form: str
    tag: str
    score: float


WORD_LIST_LIMIT = 64 * 1024 * 1024  # bytes of a stopword, user-dictionary, seed-word or frequency-list file


def read_text_lines(path: Path, what: str, flag: str) -> list[str]:
    """The lines of a UTF-8 word-list file given with `flag`, or a one-line error naming it.

    A device or a file larger than 64 MB (/dev/zero) is refused, never read to the end.
    """
    from kcorpus.io.sources import SourceError, read_limited

    path = Path(path)
    if not path.exists():
        raise UsageError(f"{what} {path} does not exist: check {flag}")
    if path.is_dir():
        raise UsageError(f"{what} {path} is a folder: give a file to {flag}")
    try:
        data = read_limited(path, WORD_LIST_LIMIT, what, "the limit of")
        return data.decode("utf-8-sig").splitlines()
    except SourceError as exc:
        raise KcorpusError(f"cannot read {what} {path}: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise KcorpusError(f"cannot read {what} {path}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                           "save it as UTF-8 text") from None


def read_user_dict(path: Path) -> tuple[UserWord, ...]:
    """Parse a Kiwi user dictionary: `form<TAB>tag[<TAB>score]` per line, `#` comments."""
    lines = read_text_lines(path, "user dictionary", "--user-dict")
    words = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        where = f"user dictionary {path} line {number}"
        if len(fields) not in (2, 3) or not fields[0].strip():
            raise KcorpusError(f"{where}: expected 'form<TAB>tag[<TAB>score]', got {line!r}")
        form, tag = fields[0].strip(), fields[1].strip()
        if tag not in KIWI_TAGS:
            raise KcorpusError(f"{where}: unknown tag {tag!r}; use a Kiwi tag such as NNG, NNP or VV")
        try:
            score = float(fields[2]) if len(fields) == 3 and fields[2].strip() else 0.0
        except ValueError:
            raise KcorpusError(f"{where}: score {fields[2]!r} is not a number") from None
        words.append(UserWord(form, tag, score))
    return tuple(words)


@dataclass(frozen=True)
class AnalyzerSettings:
    """Everything that decides which tokens Kiwi produces (part of the token-cache key)."""

    model: str = MODEL
    user_words: tuple[UserWord, ...] = ()

    @classmethod
    def from_options(cls, user_dict: Path | None = None) -> "AnalyzerSettings":
        return cls(user_words=read_user_dict(user_dict) if user_dict else ())

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for word in self.user_words:
            digest.update(f"{word.form}\t{word.tag}\t{word.score!r}\n".encode())
        return f"{self.model}:{digest.hexdigest()[:16]}"


def kiwi_version() -> str:
    """kiwipiepy's version, read from package metadata so Kiwi itself is not imported."""
    from importlib.metadata import version

    return version("kiwipiepy")


class Analyzer:
    """Runs Kiwi over text pieces; Kiwi is loaded on first use only."""

    def __init__(self, settings: AnalyzerSettings = AnalyzerSettings(), jobs: int = 1):
        self.settings = settings
        self.jobs = max(1, jobs)

    @cached_property
    def kiwi(self):
        return _load_kiwi(self.settings, self.jobs)

    @property
    def loaded(self) -> bool:
        return "kiwi" in self.__dict__

    def tokenize_pieces(self, pieces: Iterable[str]) -> Iterator[list]:
        """Kiwi token lists for each text piece, computed in parallel, in input order."""
        return self.kiwi.tokenize(iter(pieces))

    def tokenize_documents(self, documents: Iterable[tuple[str, list[tuple[int, int, int]]]]) -> Iterator[DocTokens]:
        """Token tables for (text, pieces) pairs, read lazily; a piece is (start, end, paragraph) in that text."""
        queue: deque[list[tuple[int, int, int]]] = deque()

        def pieces():
            for text, spans in documents:
                spans = spans or [(0, 0, 0)]  # every document sends Kiwi at least one (maybe empty) piece
                queue.append(spans)
                for start, end, _ in spans:
                    yield text[start:end]

        results = self.tokenize_pieces(pieces())
        for first in results:
            spans = queue.popleft()
            builder = TokenBuilder()
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
    tokens = Analyzer(settings, 1).kiwi.tokenize(text)
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


# --- term selection ------------------------------------------------------------------------------


def read_stopwords(path: Path) -> frozenset[str]:
    """One term per line; `#` starts a comment."""
    lines = read_text_lines(path, "stopword file", "--stopwords")
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in lines) if w)


@dataclass(frozen=True)
class TermFilter:
    """Which tokens become terms: a POS preset or tag list, a minimum length and stopwords."""

    pos: str = "nouns"
    min_length: int = 1
    stopwords: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_options(
        cls, pos: str, min_length: int = 1, stopword_files: Iterable[Path] = (), default_stopwords: bool = True
    ) -> "TermFilter":
        pos = pos.strip()
        if pos not in PRESETS:
            tags = [t.strip() for t in pos.split(",") if t.strip()]
            unknown = [t for t in tags if base_tag(t) not in KIWI_TAGS]
            if not tags or unknown:
                raise UsageError(
                    f"--pos {pos!r}: use nouns, content, all, or a comma list of Kiwi tags such as NNG,NNP,VV"
                )
            pos = ",".join(tags)
        if min_length < 1:
            raise UsageError("--min-length must be at least 1")
        words: set[str] = set()
        if default_stopwords:
            words |= read_stopwords(data_dir("stopwords") / DEFAULT_STOPWORDS)
        for path in stopword_files:
            words |= read_stopwords(Path(path))
        return cls(pos, min_length, frozenset(words))

    def tag_allowed(self, tag: str) -> bool:
        base = base_tag(tag)
        if self.pos == "nouns":
            return base in NOUN_TAGS
        if self.pos == "content":
            return base in NOUN_TAGS or base in VERB_TAGS or base in SUFFIX_VERB_TAGS
        if self.pos == "all":
            return True
        return tag in self.pos.split(",") or base in self.pos.split(",")


def term_class(tag: str) -> str:
    """The tag a term is counted under: NNG and NNP are one class (Kiwi flips unknown words between them)."""
    base = base_tag(tag)
    return "NN" if base in ("NNG", "NNP") else base


@dataclass(frozen=True)
class Terms:
    """The terms of one document: the token each comes from, its text and its tag class."""

    index: np.ndarray  # token positions in the document (int64)
    term: list[str]
    tag: list[str]


def select_terms(tokens: DocTokens, flt: TermFilter) -> Terms:
    """Apply the POS preset, lemmatisation, minimum length and stopwords to a document's tokens."""
    strings = tokens.strings
    count = len(strings)
    base = [base_tag(s) for s in strings]
    allowed = np.fromiter((flt.tag_allowed(s) for s in strings), dtype=bool, count=count)
    wanted = np.fromiter((len(s) >= flt.min_length and s not in flt.stopwords for s in strings), dtype=bool,
                         count=count)
    text_id = np.where(tokens.lemma >= 0, tokens.lemma, tokens.form)
    keep = allowed[tokens.tag] & wanted[text_id] if len(tokens) else np.zeros(0, dtype=bool)
    joined: dict[int, tuple[str, str]] = {}
    if flt.pos == "content":
        joined = _join_suffix_verbs(tokens, base, keep, flt)
    index = np.flatnonzero(keep)
    terms = [strings[i] for i in text_id[index].tolist()]
    labels = [term_class(strings[i]) for i in range(count)]
    tags = [labels[i] for i in tokens.tag[index].tolist()]
    for position in np.flatnonzero(np.isin(index, list(joined))).tolist() if joined else ():
        terms[position], tags[position] = joined[int(index[position])]
    return Terms(index.astype(np.int64), terms, tags)


def _join_suffix_verbs(tokens: DocTokens, base: list[str], keep: np.ndarray, flt: TermFilter) -> dict:
    """In the content preset a noun + 하/되 suffix is one verb or adjective (봉쇄 + 하 → 봉쇄하다).

    Updates `keep` (the noun is replaced by the joined term) and returns {suffix position: (term, tag)}.
    """
    strings, form, tag, start, end = tokens.strings, tokens.form, tokens.tag, tokens.start, tokens.end
    is_suffix = np.fromiter((b in SUFFIX_VERB_TAGS for b in base), dtype=bool, count=len(base))
    positions = np.flatnonzero(is_suffix[tag]) if len(tokens) else np.zeros(0, dtype=np.int64)
    keep[positions] = False
    joined = {}
    for i in positions.tolist():
        prev = i - 1
        if prev < 0 or end[prev] != start[i] or base[tag[prev]] not in ("NNG", "NNP", "XR"):
            continue
        keep[prev] = False
        text = strings[form[prev]] + strings[form[i]] + "다"
        if len(text) >= flt.min_length and text not in flt.stopwords:
            keep[i] = True
            joined[i] = (text, SUFFIX_VERB_TAGS[base[tag[i]]])
    return joined
