"""Result types of the text repair: what ``clean_text`` and ``trace_clean`` return.

``CleanedText`` is the repaired text with its map back to the source lines;
``passthrough`` builds one for ``--no-clean`` (identity map).  ``Junction`` and
``CleanTrace`` are the measurement records of ``trace_clean``.

Line-map convention: an inserted joining space and the ``"\\n\\n"`` paragraph
separator map to the line *before* them (the line whose text they follow).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "CLEAN_VERSION",
    "REPAIR_NAMES",
    "CleanedText",
    "Junction",
    "CleanTrace",
    "passthrough",
]

# Bump whenever a rule changes: it is part of the token-cache key.
CLEAN_VERSION = "11"

REPAIR_NAMES = (
    "joined_in_word",
    "joined_with_space",
    "kept_break",
    "header_removed",
    "page_number_removed",
    "running_title_removed",
    "footnote_marker_removed",
    "footnote_paragraphs",
    "particle_space_removed",
    "form_feed_removed",
    "whitespace_collapsed",
)


# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanedText:
    """Repaired text plus the map back to the source.

    ``removed`` lists what cleaning dropped that was not whitespace:
    ``(source_line, rule, text)`` for removed header/page-number/title lines and
    footnote markers.  Cleaned characters + removed characters = source characters
    (whitespace aside).
    """

    text: str
    paragraphs: tuple[tuple[int, int], ...]
    line_offsets: tuple[int, ...]
    line_numbers: tuple[int, ...]
    repairs: dict[str, int]
    removed: tuple[tuple[int, str, str], ...] = ()
    warnings: tuple[str, ...] = ()  # why the text is not what a full repair would give (repair failed)
    #: the input's shape as cleaned: "blank_lines", "single_lines", "layout", "paragraphs", "wrapped";
    #: "" for text that was not repaired (``passthrough``) or is empty
    shape: str = ""

    def source_line(self, offset: int) -> int:
        """1-based line of the original input for a character offset in ``text``.

        Offsets past the end map to the last line; an empty result maps to 1.
        """
        if not self.line_offsets:
            return 1
        i = bisect_right(self.line_offsets, max(offset, 0)) - 1
        return self.line_numbers[max(i, 0)]

    def paragraph_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.paragraphs]

    def to_dict(self) -> dict:
        return {
            "clean_version": CLEAN_VERSION,
            "text": self.text,
            "paragraphs": [[s, e] for s, e in self.paragraphs],
            "line_offsets": list(self.line_offsets),
            "line_numbers": list(self.line_numbers),
            "repairs": dict(self.repairs),
            "removed": [[ln, rule, t] for ln, rule, t in self.removed],
            "warnings": list(self.warnings),
            "shape": self.shape,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "CleanedText":
        return cls(
            text=d["text"],
            paragraphs=tuple((int(s), int(e)) for s, e in d["paragraphs"]),
            line_offsets=tuple(int(x) for x in d["line_offsets"]),
            line_numbers=tuple(int(x) for x in d["line_numbers"]),
            repairs={str(k): int(v) for k, v in d["repairs"].items()},
            removed=tuple((int(a), str(b), str(c)) for a, b, c in d.get("removed", ())),
            warnings=tuple(str(w) for w in d.get("warnings", ())),
            shape=str(d.get("shape", "")),
        )


class Junction(NamedTuple):
    """One decision between two consecutive content lines (for measurement)."""

    line_a: int
    line_b: int
    # "word" (joined, nothing inserted) | "space" | "break" | "particle": the plain string
    # value of a ``junctions.Decision`` (kept a str so records compare, hash and print as before)
    decision: str
    reason: str
    a_tail: str
    b_head: str


@dataclass
class CleanTrace:
    result: CleanedText
    junctions: list[Junction]
    #: per cleaned character: (line, column) in the normalised source, or None if inserted
    char_origin: list[tuple[int, int] | None]
    regime: str
    style: str
    capacity: int


def passthrough(text: str) -> CleanedText:
    """``--no-clean``: text unchanged except ``"\\r\\n"`` -> ``"\\n"``.

    Paragraphs are blocks separated by blank lines; the line map is the identity
    (a lone ``"\\r"`` still counts as a line break for numbering).
    """
    text = text.replace("\r\n", "\n")
    offs = [0]
    for m in re.finditer(r"[\n\r]", text):
        offs.append(m.end())
    if offs[-1] == len(text) and len(offs) > 1:
        offs.pop()  # no characters on the last (empty) line
    nums = list(range(1, len(offs) + 1))
    spans = []
    for m in re.finditer(r"(?:[^\n]|\n(?![ \t\f\v\r]*(?:\n|$)))+", text):
        s, e = m.span()
        seg = text[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            spans.append((s + ls, s + rs))
    return CleanedText(
        text=text,
        paragraphs=tuple(spans),
        line_offsets=tuple(offs) if text else (),
        line_numbers=tuple(nums) if text else (),
        repairs={k: 0 for k in REPAIR_NAMES},
        removed=(),
    )
