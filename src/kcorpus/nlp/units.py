"""Cut analysed documents into units of analysis: document, paragraph, sentence or window:N."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kcorpus import defaults
from kcorpus.errors import InvalidArgument
from kcorpus.nlp.tags import NOUN_TAGS, VERB_TAGS, base_tag

KINDS = ("document", "paragraph", "sentence", "window")
CONTENT_TAGS = NOUN_TAGS | VERB_TAGS  # a 하/되 suffix belongs to the noun before it
DEFAULT_MIN_UNIT_TOKENS = defaults.MIN_UNIT_TOKENS


@dataclass(frozen=True)
class UnitSpec:
    """How to cut documents: `kind`, the window size for windows, and the paragraph merge threshold."""

    kind: str = "paragraph"
    size: int = 0
    min_tokens: int = DEFAULT_MIN_UNIT_TOKENS

    @classmethod
    def parse(cls, text: str, min_tokens: int = DEFAULT_MIN_UNIT_TOKENS) -> "UnitSpec":
        kind, _, size = text.strip().partition(":")
        if kind not in KINDS or (kind == "window") != bool(size):
            raise InvalidArgument("unit", f"{text!r}: use document, paragraph, sentence or window:N (e.g. window:100)")
        if min_tokens < 0:
            raise InvalidArgument("min_unit_tokens", "must be 0 or more")
        if kind == "window":
            if not (size.isascii() and size.isdigit()) or int(size) < 1:
                raise InvalidArgument("unit", f"{text!r}: the window size must be a positive whole number")
            return cls(kind, int(size), min_tokens)
        return cls(kind, 0, min_tokens)

    def __str__(self) -> str:
        return f"window:{self.size}" if self.kind == "window" else self.kind


@dataclass(frozen=True)
class Units:
    """The units of one document: the unit of every token, and each unit's span in text and source lines."""

    token_unit: np.ndarray  # unit index per token (int64)
    char_start: np.ndarray  # per unit, offsets into the cleaned text
    char_end: np.ndarray
    line_start: np.ndarray  # per unit, 1-based lines of the source file
    line_end: np.ndarray

    def __len__(self) -> int:
        return len(self.char_start)


def content_mask(tokens) -> np.ndarray:
    """Tokens that count toward unit sizes: nouns, verbs and adjectives (whatever --pos says)."""
    is_content = np.fromiter(
        (base_tag(s) in CONTENT_TAGS for s in tokens.strings), dtype=bool, count=len(tokens.strings)
    )
    return is_content[tokens.tag] if len(tokens) else np.zeros(0, dtype=bool)


def make_units(analysed, spec: UnitSpec) -> Units:
    """Units of an analysed document under `spec`; every token belongs to exactly one unit."""
    tokens, cleaned = analysed.tokens, analysed.cleaned
    if spec.kind == "document":
        token_unit = np.zeros(len(tokens), dtype=np.int64)
        spans = [(0, len(cleaned.text))]
        return _with_lines(token_unit, spans, cleaned)
    if spec.kind == "paragraph":
        return _paragraph_units(tokens, cleaned, spec.min_tokens)
    if spec.kind == "sentence":
        _, token_unit = np.unique(tokens.sentence, return_inverse=True)
    else:
        counted = np.cumsum(content_mask(tokens)) - 1
        token_unit = np.maximum(counted, 0) // spec.size
        _, token_unit = np.unique(token_unit, return_inverse=True)
    token_unit = token_unit.astype(np.int64)
    n_units = int(token_unit.max()) + 1 if len(token_unit) else 0
    starts = np.full(n_units, np.iinfo(np.int64).max, dtype=np.int64)
    ends = np.zeros(n_units, dtype=np.int64)
    np.minimum.at(starts, token_unit, tokens.start)
    np.maximum.at(ends, token_unit, tokens.end)
    return _with_lines(token_unit, list(zip(starts.tolist(), ends.tolist())), cleaned)


def _paragraph_units(tokens, cleaned, min_tokens: int) -> Units:
    """Reconstructed paragraphs, short ones merged with the next until they hold `min_tokens` content tokens."""
    paragraphs = list(cleaned.paragraphs)
    per_paragraph = np.bincount(tokens.paragraph[content_mask(tokens)], minlength=len(paragraphs))
    unit_of_paragraph = np.zeros(len(paragraphs), dtype=np.int64)
    spans: list[list[int]] = []
    held = min_tokens  # forces a new unit at the first paragraph
    for index, (start, end) in enumerate(paragraphs):
        if held >= min_tokens:
            spans.append([start, end])
            held = 0
        else:
            spans[-1][1] = end
        unit_of_paragraph[index] = len(spans) - 1
        held += int(per_paragraph[index])
    if len(spans) > 1 and held < min_tokens:
        # the short remainder joins the unit before it
        last = len(spans) - 1
        spans[-2][1] = spans[-1][1]
        spans.pop()
        unit_of_paragraph[unit_of_paragraph == last] = last - 1
    token_unit = unit_of_paragraph[tokens.paragraph] if len(tokens) else np.zeros(0, dtype=np.int64)
    return _with_lines(token_unit, [tuple(s) for s in spans], cleaned)


def _with_lines(token_unit: np.ndarray, spans, cleaned) -> Units:
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    line_start = np.array([cleaned.source_line(s) for s in starts.tolist()], dtype=np.int64)
    line_end = np.array([cleaned.source_line(max(s, e - 1)) for s, e in spans], dtype=np.int64)
    return Units(token_unit, starts, ends, line_start, line_end)
