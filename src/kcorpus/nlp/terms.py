"""Which tokens become terms: POS presets or tag lists, lemmas, a minimum length and stopwords."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from kcorpus import defaults
from kcorpus.errors import InvalidArgument, UsageError
from kcorpus.io.sources import data_dir
from kcorpus.io.wordlists import read_stopwords
from kcorpus.nlp.tags import KIWI_TAGS, NOUN_TAGS, PRESETS, SUFFIX_VERB_TAGS, VERB_TAGS, base_tag, term_class
from kcorpus.nlp.tokens import DocTokens
from kcorpus.stats._core import distinct_ints

STOPLIST_FILES = {"reports": "ko-reports.txt", "legal": "ko-legal.txt", "none": None}


@dataclass(frozen=True)
class TermFilter:
    """Which tokens become terms: a POS preset or tag list, a minimum length and stopwords."""

    pos: str = "nouns"
    min_length: int = 1
    stopwords: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_options(
        cls, pos: str, min_length: int = 1, stopword_files: Iterable[Path] = (), stoplist: str = defaults.STOPLIST
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
            raise InvalidArgument("min_length", "must be at least 1")
        if stoplist not in STOPLIST_FILES:
            raise InvalidArgument("stoplist", f"{stoplist!r}: use one of {', '.join(STOPLIST_FILES)}")
        words: set[str] = set()
        bundled = STOPLIST_FILES[stoplist]
        if bundled:
            words |= read_stopwords(data_dir("stopwords") / bundled)
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
    tag_ids = distinct_ints(tokens.tag).tolist()  # tags are a handful of the strings: judge only those
    base: dict[int, str] = {i: base_tag(strings[i]) for i in tag_ids}
    allowed = np.zeros(count, dtype=bool)
    allowed[[i for i in tag_ids if flt.tag_allowed(strings[i])]] = True
    text_id = np.where(tokens.lemma >= 0, tokens.lemma, tokens.form)
    candidates = distinct_ints(text_id[allowed[tokens.tag]]).tolist() if len(tokens) else []
    wanted = np.zeros(count, dtype=bool)
    wanted[[i for i in candidates if len(strings[i]) >= flt.min_length and strings[i] not in flt.stopwords]] = True
    keep = allowed[tokens.tag] & wanted[text_id] if len(tokens) else np.zeros(0, dtype=bool)
    joined: dict[int, tuple[str, str]] = {}
    if flt.pos == "content":
        joined = _join_suffix_verbs(tokens, base, keep, flt)
    index = np.flatnonzero(keep)
    terms = [strings[i] for i in text_id[index].tolist()]
    labels = {i: term_class(strings[i]) for i in tag_ids}
    tags = [labels[i] for i in tokens.tag[index].tolist()]
    for position in np.flatnonzero(np.isin(index, list(joined))).tolist() if joined else ():
        terms[position], tags[position] = joined[int(index[position])]
    return Terms(index.astype(np.int64), terms, tags)


def _join_suffix_verbs(tokens: DocTokens, base: dict[int, str], keep: np.ndarray, flt: TermFilter) -> dict:
    """In the content preset a noun + 하/되 suffix is one verb or adjective (봉쇄 + 하 → 봉쇄하다).

    `base`: the base tag of every tag id. Updates `keep` (the noun is replaced by the joined term) and
    returns {suffix position: (term, tag)}.
    """
    strings, form, tag, start, end = tokens.strings, tokens.form, tokens.tag, tokens.start, tokens.end
    is_suffix = np.zeros(len(strings), dtype=bool)
    is_suffix[[i for i, b in base.items() if b in SUFFIX_VERB_TAGS]] = True
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
