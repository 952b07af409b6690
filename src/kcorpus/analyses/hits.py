"""Finding a query among the morphemes (or the text) of every document: the hits a concordance shows.

Query syntax (morpheme search, the default):

- A term: `협력` matches every token spelled 협력, so the noun in 협력을, 협력하여, 협력적.
- A lemma: a predicate in dictionary form matches all its inflections. `돕다` matches 도왔다 through
  the VV lemma Kiwi stored; `강화하다` matches 강화했다, 강화하는 as the noun 강화 + the suffix 하.
- A phrase: words separated by spaces, or written together, match consecutive tokens whatever the
  spacing or line breaks in the source: `인간 안보`, `인간안보` and `인간\\n안보` are the same query.
- A tag filter: `협력/NNG`, `인간안보/NNG` (every token of the match carries the tag; `/NN` means
  NNG or NNP); `--pos` gives the filter for every word that has none.

How a query is matched: whitespace is removed, and the result must be spelled out by consecutive
tokens (their forms joined, token boundaries at both ends), the last token possibly by its lemma
(`돕다`) or, for a predicate stem, by stem + 다 (`하` → `하다`). Only when that finds nothing
anywhere is the query handed to Kiwi, whose morphemes (`했다` → 하 + 었 + 다) are matched the same
way; so common queries never load Kiwi.

`regex` mode matches tokens whose form or lemma contains a match of the pattern; `surface` mode
searches the cleaned text for the string, any whitespace in the query matching any run of whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from kcorpus.errors import InvalidArgument, UsageError
from kcorpus.nlp.analyzer import AnalyzerSettings, analyse_query
from kcorpus.nlp.tags import base_tag
from kcorpus.nlp.terms import TermFilter
from kcorpus.stats._core import distinct_ints

MODES = ("morpheme", "regex", "surface")
PREDICATE_TAGS = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"})
ENDING_TAGS = frozenset({"EP", "EF", "EC", "ETN", "ETM"})
NOUN_CLASS = "NNG,NNP"
WHITESPACE = re.compile(r"\s+")
TAG_SPEC = re.compile(r"[A-Z][A-Z0-9_,-]*|nouns|content|all")
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


# --- queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryPart:
    """A stretch of the query to spell out with consecutive tokens, all passing `tags` (None: any tag)."""

    text: str
    tags: TermFilter | None = None


@dataclass(frozen=True)
class Query:
    """A parsed morpheme query: parts matched one after the other."""

    text: str
    parts: tuple[QueryPart, ...]

    @classmethod
    def parse(cls, text: str, pos: str | None = None) -> "Query":
        """`word`, `word/TAG` and runs of them; untagged words take the `pos` filter (None: any tag)."""
        default = tag_filter(pos) if pos else None
        parts: list[QueryPart] = []
        for word in text.split():
            form, slash, tag = word.rpartition("/")
            if slash and form and TAG_SPEC.fullmatch(tag):
                part = QueryPart(form, tag_filter(tag))
            else:
                part = QueryPart(word, default)
            if parts and parts[-1].tags == part.tags:
                parts[-1] = QueryPart(parts[-1].text + part.text, part.tags)  # spacing does not matter
            else:
                parts.append(part)
        if not parts:
            raise UsageError("the query is empty: give a word, a phrase, word/TAG or a --regex pattern")
        return cls(text, tuple(parts))

    def respelled(self, settings: AnalyzerSettings) -> "Query | None":
        """The query with each part spelled as Kiwi's morphemes (했다 → 하었다), or None if nothing changes."""
        parts = tuple(
            QueryPart(
                "".join(form.replace(" ", "") for form, _, _ in analyse_query(p.text, settings)) or p.text, p.tags
            )
            for p in self.parts
        )
        return None if parts == self.parts else Query(self.text, parts)


def tag_filter(tags: str) -> TermFilter:
    """A tag filter from a tag, a comma list or a preset; `NN` stands for NNG and NNP (Kiwi mixes them)."""
    spec = ",".join(NOUN_CLASS if t.strip() == "NN" else t.strip() for t in tags.split(","))
    try:
        return TermFilter.from_options(spec, stoplist="none")
    except UsageError:
        raise UsageError(
            f"tag {tags!r}: use Kiwi tags such as NNG, NNP, VV (comma-separated), NN for NNG or NNP, "
            "or nouns, content, all"
        ) from None


# --- hits ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One match: the document (its position in the corpus), its tokens and its span in the cleaned text."""

    doc: int
    first: int  # first token of the match (for a surface hit: the first token it touches)
    last: int  # last token, inclusive
    start: int
    end: int


def string_ids(strings: list[str], wanted: Iterable[str]) -> list[int]:
    """Ids of the `wanted` strings that occur in a document's string table."""
    wanted = set(wanted)
    if len(wanted) > 4:
        return [i for i, s in enumerate(strings) if s in wanted]
    ids = []
    for text in wanted:
        try:
            ids.append(strings.index(text))  # a C-level scan: faster than building a dict per document
        except ValueError:
            pass
    return ids


def find_hits(
    documents: Sequence,
    query: str,
    *,
    mode: str = "morpheme",
    pos: str | None = None,
    analyser: AnalyzerSettings | None = AnalyzerSettings(),
    each: Callable[[list[Hit]], None] | None = None,
) -> list[Hit]:
    """Every hit of `query` in the analysed documents (`corpus.documents`), in document and text order.

    `pos` filters the tags of matched tokens (morpheme and regex modes). When a morpheme query
    finds nothing as written, Kiwi (with `analyser` settings; None: never) respells it and it is
    searched once more. `each` is called with each document's hits as soon as they are found, while
    that document's text and tokens are still at hand (e.g. to cut concordance lines without reading
    the document again).
    """
    if mode not in MODES:
        raise UsageError(f"unknown match mode {mode!r}: use one of {', '.join(MODES)}")
    documents = as_sequence(documents)
    if mode == "surface":
        pattern = surface_pattern(query)
        return _gathered(documents, None, lambda i, d: _surface_hits(i, d, pattern), each)
    if mode == "regex":
        matcher = regex_matcher(query)
        flt = tag_filter(pos) if pos else None
        return _gathered(documents, None, lambda i, d: _regex_hits(i, d.tokens, matcher, flt), each)
    parsed = Query.parse(query, pos)
    hits = _query_hits(documents, parsed, each)
    if not hits and analyser is not None and HANGUL.search(query):
        respelled = parsed.respelled(analyser)
        if respelled is not None:
            hits = _query_hits(documents, respelled, each)
    return hits


def as_sequence(documents) -> Sequence:
    """The documents as a sequence: a list or a corpus's own (recalled documents are made on demand) as it is."""
    return documents if isinstance(documents, Sequence) else list(documents)


def _gathered(
    documents: Sequence,
    candidates: list[bool] | None,
    find: Callable[[int, Any], list[Hit]],
    each: Callable[[list[Hit]], None] | None,
) -> list[Hit]:
    """The hits `find(position, document)` gives for each (candidate) document, in order; `each` is called
    with every document's hits as they come."""
    out: list[Hit] = []
    positions = range(len(documents)) if candidates is None else [n for n, held in enumerate(candidates) if held]
    for position in positions:
        found = find(position, documents[position])
        if found:
            out += found
            if each is not None:
                each(found)
    return out


def surface_pattern(query: str) -> re.Pattern:
    words = query.split()
    if not words:
        raise UsageError("the query is empty: give the text to search for")
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def regex_matcher(pattern: str) -> Callable[[str], bool]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InvalidArgument("regex", f"{pattern!r} is not a valid regular expression: {exc}") from None
    seen: dict[str, bool] = {}

    def matches(text: str) -> bool:
        found = seen.get(text)
        if found is None:
            found = seen[text] = compiled.search(text) is not None
        return found

    return matches


def _query_hits(documents: Sequence, query: Query, each: Callable[[list[Hit]], None] | None = None) -> list[Hit]:
    from kcorpus.pipeline.content import may_hold

    first = query.parts[0].text  # a hit starts with a token spelling a beginning of it (or all of it as a lemma)
    candidates = may_hold(documents, {first[:k] for k in range(1, len(first) + 1)})
    return _gathered(documents, candidates, lambda i, d: _morpheme_hits(i, d.tokens, query), each)


def _allowed_tags(tokens, flt: TermFilter | None) -> np.ndarray | None:
    """Per string id: whether it is a tag the filter allows (None: no filter)."""
    if flt is None:
        return None
    allowed = np.zeros(len(tokens.strings), dtype=bool)
    for tag in distinct_ints(tokens.tag).tolist():
        allowed[tag] = flt.tag_allowed(tokens.strings[tag])
    return allowed


def _among(values: np.ndarray, ids: list[int]) -> np.ndarray:
    """Whether each value is one of `ids` (np.isin, without its sorting for the usual one or two ids)."""
    if len(ids) > 4:
        return np.isin(values, ids)
    found = np.zeros(len(values), dtype=bool)
    for one in ids:
        found |= values == one
    return found


def _morpheme_hits(doc: int, tokens, query: Query) -> list[Hit]:
    if not len(tokens):
        return []
    strings = tokens.strings
    first = query.parts[0]
    # a hit starts at a token that spells the beginning of the first part, or all of it as a lemma
    starts = _among(tokens.form, string_ids(strings, (first.text[:k] for k in range(1, len(first.text) + 1))))
    lemma_ids = string_ids(strings, [first.text])
    if lemma_ids:
        starts |= tokens.lemma == lemma_ids[0]
    if first.text.endswith("다"):
        starts |= _among(tokens.form, string_ids(strings, [first.text[:-1]]))
    if " " in "\0".join(strings):  # multi-word dictionary entries (양자 컴퓨팅) are spelled without spaces
        spaced = [i for i, s in enumerate(strings) if " " in s and first.text.startswith(s.replace(" ", ""))]
        starts |= _among(tokens.form, spaced)
    allowed = [_allowed_tags(tokens, part.tags) for part in query.parts]
    if allowed[0] is not None:
        starts &= allowed[0][tokens.tag]
    hits = []
    for start in np.flatnonzero(starts).tolist():
        last = _match_parts(tokens, query.parts, allowed, 0, start)
        if last is not None:
            hits.append(_hit(doc, tokens, start, *last))
    return hits


def _match_parts(tokens, parts, allowed, index: int, position: int) -> tuple[int, bool] | None:
    """The last token of a match of parts[index:] that starts at token `position`, and whether it
    ended on a lemma; None if there is none."""
    for last, by_lemma in _spell(tokens, parts[index].text, allowed[index], position):
        if index + 1 == len(parts):
            return last, by_lemma
        found = _match_parts(tokens, parts, allowed, index + 1, last + 1)
        if found is not None:
            return found
    return None


def _spell(tokens, text: str, allowed: np.ndarray | None, position: int):
    """Last tokens of the runs starting at `position` that spell `text` (shortest first), with whether
    the last token matched by its lemma."""
    strings = tokens.strings
    done = 0
    for k in range(position, len(tokens)):
        tag = int(tokens.tag[k])
        if allowed is not None and not allowed[tag]:
            return
        rest = text[done:]
        lemma = int(tokens.lemma[k])
        form = strings[tokens.form[k]].replace(" ", "")
        if lemma >= 0 and strings[lemma] == rest:
            yield k, True
        elif rest == form + "다" and base_tag(strings[tag]) in PREDICATE_TAGS:
            yield k, True
        if form == rest:
            yield k, False
            return
        if not form or not rest.startswith(form):
            return
        done += len(form)


def _hit(doc: int, tokens, first: int, last: int, by_lemma: bool) -> Hit:
    """A hit over tokens first..last; a predicate matched by its lemma takes its endings along (도왔다)."""
    if by_lemma:
        strings = tokens.strings
        while (
            last + 1 < len(tokens)
            and tokens.start[last + 1] <= tokens.end[last]
            and base_tag(strings[tokens.tag[last + 1]]) in ENDING_TAGS
        ):
            last += 1
    end = tokens.end[last] if first == last else tokens.end[first : last + 1].max()
    return Hit(doc, first, last, int(tokens.start[first]), int(end))


def _regex_hits(doc: int, tokens, matches: Callable[[str], bool], flt: TermFilter | None) -> list[Hit]:
    strings = tokens.strings
    wanted = np.fromiter((matches(s.replace(" ", "")) for s in strings), dtype=bool, count=len(strings))
    lemma = np.where(tokens.lemma >= 0, tokens.lemma, tokens.form)
    found = wanted[tokens.form] | wanted[lemma]
    allowed = _allowed_tags(tokens, flt)
    if allowed is not None:
        found &= allowed[tokens.tag]
    return [Hit(doc, i, i, int(tokens.start[i]), int(tokens.end[i])) for i in np.flatnonzero(found).tolist()]


def _surface_hits(doc: int, analysed, pattern: re.Pattern) -> list[Hit]:
    tokens = analysed.tokens
    hits = []
    for found in pattern.finditer(analysed.cleaned.text):
        start, end = found.span()
        first = int(np.searchsorted(tokens.end, start, side="right"))
        last = max(first, int(np.searchsorted(tokens.start, end, side="left")) - 1)
        hits.append(Hit(doc, min(first, max(len(tokens) - 1, 0)), min(last, max(len(tokens) - 1, 0)), start, end))
    return hits
