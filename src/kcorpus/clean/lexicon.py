"""Lexical evidence for the junction decision: the document's own vocabulary and syllable statistics.

``_Lexicon`` is built lazily from the body lines (only some junctions need it): the words a document writes
(interior tokens of its lines), the word pairs it writes apart (``pair_count``), the word starts that may be
cut short (a line's last word, a table cell), and how often each syllable ends or starts a word, pooled with
the same counts over the bundled reports (``syllables.tsv``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from pathlib import Path

from kcorpus.clean.lines import _Line
from kcorpus.clean.patterns import (
    _BOUND_START,
    _GLUED_PAREN,
    _HANGUL_RE,
    _PARTICLES_OTHER,
    _SPACED_PAREN,
    _STRIP_PUNCT_L,
    _STRIP_PUNCT_R,
    _char_class_str,
)

_NUMBER_PAIR = re.compile(r"[0-9][0-9,.]* \S")
# last syllables of a predicate stem or of the copula: …않|다., …하|다., …이|다. end a sentence
_PREDICATE_SYLLABLES = frozenset("하되있없않같이았었였겠많높낮크작좋싶렵럽답갔왔졌켰했됐봤줬니")


@lru_cache(maxsize=1)
def _syllable_prior() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Occurrences, word starts and word ends of each syllable in the bundled reports."""
    rows = (Path(__file__).parent / "syllables.tsv").read_text(encoding="utf-8").splitlines()
    fields = [r.split("\t") for r in rows if r]
    return tuple({f[0]: int(f[k]) for f in fields} for k in (1, 2, 3))  # type: ignore[return-value]


class _Lexicon:
    """Lexical statistics of a document (built lazily: only some junctions need them).

    Read from the body lines as they are when first needed (after the within-line repairs).
    """

    def __init__(self, lines: list[_Line], wrap_gap: int = 0):
        self.lines = lines
        self.wrap_gap = wrap_gap  # blank lines at a wrap: more start a paragraph
        self.mixed_trust: bool | None = None  # set by junctions._missing_space_means_in_word

    def ensure_lexicon(self) -> None:
        """Interior tokens of the document (edge tokens may be word fragments)."""
        if hasattr(self, "tok_sorted"):
            return
        toks: list[str] = []
        pairs: list[str] = []  # "word next[:2]": two words the document writes apart
        starts: list[str] = []
        prev: _Line | None = None
        for L in self.lines:
            if L.kind != "body":
                continue
            parts = [t.strip(_STRIP_PUNCT_L).rstrip(_STRIP_PUNCT_R) for t in L.text.split(" ")]
            for k, t in enumerate(parts[1:-1], 1):
                if t:
                    toks.append(t)
                    if parts[k + 1]:
                        pairs.append(t + " " + parts[k + 1][:2])
            # word starts that may be cut short: a line's last word; its first word in a table row (or a line
            # of one word, a cell) or after a sentence end
            starts.append(parts[-1])
            if len(parts) == 1 or L.table or L.gap > self.wrap_gap or (prev is not None and prev.feat().sent):
                starts.append(parts[0])
            prev = L
        self.tok_count = Counter(toks)
        self.tok_sorted = sorted(toks)
        self.start_sorted = sorted(toks + [t for t in starts if len(t) >= 4])
        self.pair_count = Counter(pairs)
        # the same pairs by the first word's last two syllables; all words, one per line, for substring counts
        self.pair_tail_count = Counter(p[max(p.index(" ") - 2, 0) :] for p in pairs)
        self.tok_text = "\n".join(toks + [t for t in starts if len(t) >= 4])

    def ensure_syllables(self) -> None:
        """Syllable statistics for the lexical regime (pairs inside vs across words)."""
        if hasattr(self, "syl_occ"):
            return
        inword: Counter = Counter()  # syllable pairs inside a word
        across: Counter = Counter()  # last/first syllables of neighbouring words
        # pooled with the same counts over the bundled reports (syllables.tsv): a short document
        # has seen too few words to say which syllables end one
        prior_occ, prior_starts, prior_ends = _syllable_prior()
        ends, starts, occ = Counter(prior_ends), Counter(prior_starts), Counter(prior_occ)
        for L in self.lines:
            if L.kind != "body":
                continue
            # pairs are taken inside the line only (line edges are what we decide)
            parts = [p for p in _char_class_str(L.text).split(" ") if p]
            for k, t in enumerate(parts):
                occ.update(t)
                inword.update(map("".join, zip(t, t[1:])))
                if k:
                    starts[t[0]] += 1
                    across[parts[k - 1][-1] + t[0]] += 1
                if k < len(parts) - 1:
                    ends[t[-1]] += 1
        self.syl_inword, self.syl_across = inword, across
        self.syl_ends, self.syl_starts, self.syl_occ = ends, starts, occ
        n = sum(occ.values()) or 1
        self.syl_tot_ends = sum(ends.values()) or 1
        self.syl_tot_starts = sum(starts.values()) or 1
        self.syl_tot_nonends = max(n - self.syl_tot_ends, 1)
        self.syl_tot_nonstarts = max(n - self.syl_tot_starts, 1)
        self.syl_tot_inword = sum(inword.values()) or 1
        self.syl_tot_across = sum(across.values()) or 1

    def boundary_probability(self, a: str, b: str) -> float:
        """P(word boundary between a and b) from the document's syllable statistics.

        Likelihood ratios of "c1 ends a word" and "c2 starts a word" (or of the pair
        c1|c2 seen across a space vs inside a word, when seen often enough), taken
        from the document's own lines, with an even prior.
        """
        c1 = _char_class_str(a[-1])
        c2 = _char_class_str(b[0])
        n_in = self.syl_inword.get(c1 + c2, 0)
        n_bd = self.syl_across.get(c1 + c2, 0)
        if n_in + n_bd >= 3:
            lr = ((n_bd + 0.5) / self.syl_tot_across) / ((n_in + 0.5) / self.syl_tot_inword)
        else:
            occ = self.syl_occ
            e1 = self.syl_ends.get(c1, 0)
            s2 = self.syl_starts.get(c2, 0)
            lr1 = ((e1 + 0.5) / self.syl_tot_ends) / ((occ.get(c1, 0) - e1 + 0.5) / self.syl_tot_nonends)
            lr2 = ((s2 + 0.5) / self.syl_tot_starts) / ((occ.get(c2, 0) - s2 + 0.5) / self.syl_tot_nonstarts)
            lr = lr1 * lr2
        return lr / (1.0 + lr)

    def spaced_paren_style(self) -> bool:
        """Does this document write a space before "(" after a word (API (홍콩))?"""
        if not hasattr(self, "_paren_spaced"):
            spaced = glued = 0
            for L in self.lines:
                if L.kind == "body" and "(" in L.text:
                    spaced += len(_SPACED_PAREN.findall(L.text))
                    glued += len(_GLUED_PAREN.findall(L.text))
            self._paren_spaced = spaced > glued
        return self._paren_spaced

    def paren_after(self, mark: str) -> tuple[int, int]:
        """How often the document writes "(" right after `mark` (”(2023.) and after a space (” (2023.)."""
        key = "_paren_after" + mark
        if not hasattr(self, key):
            body = [L.text for L in self.lines if L.kind == "body" and "(" in L.text]
            setattr(self, key, (sum(t.count(mark + "(") for t in body), sum(t.count(mark + " (") for t in body)))
        return getattr(self, key)

    def number_unit_counts(self, unit: str) -> tuple[int, int]:
        """How often the document writes a number glued to `unit` (60만, 2020년) and apart from it (1700 만)."""
        if not hasattr(self, "_units"):
            self._units: dict[str, tuple[int, int]] = {}
        if unit not in self._units:
            glued = len(re.findall(r"(?m)^[0-9][0-9,.]*" + re.escape(unit), self.tok_text))
            spaced = sum(
                n for p, n in self.pair_count.items() if _NUMBER_PAIR.match(p) and p.split(" ")[1].startswith(unit)
            )
            self._units[unit] = (glued, spaced)
        return self._units[unit]

    def predicate_end(self, tail: str) -> bool:
        """Can "다" end the word `tail` (a predicate stem: 않|다, 가능하|다; or the document writes tail+다)?"""
        t = tail.rstrip(_STRIP_PUNCT_R)
        if not t or t[-1] in _PREDICATE_SYLLABLES:
            return True
        self.ensure_lexicon()
        return self.prefix_count(t + "다") > 0 or self.prefix_count(t[-1] + "다") > 0

    def clear_word_boundary(self, a: str, b: str) -> bool:
        """Strong vocabulary evidence that a|b is a boundary between two words."""
        ac = a.lstrip(_STRIP_PUNCT_L)
        bc = b.rstrip(_STRIP_PUNCT_R)
        if not ac or not bc or not _HANGUL_RE.match(bc[0]):
            return False
        if ac[-1] in ")’”」』｣":
            return not (_BOUND_START.match(bc) or bc.split(" ")[0] in _PARTICLES_OTHER)
        if not _HANGUL_RE.match(ac[-1]) or len(bc) < 2 or _BOUND_START.match(bc):
            return False
        self.ensure_lexicon()
        if self.prefix_count(ac + bc[:2]) or self.prefix_count(ac + bc[:1]) > 0 and len(ac) < 2:
            return False
        return self.tok_count.get(ac, 0) > 0 and self.tok_count.get(bc, 0) > 0

    def glued_inside(self, s: str) -> int:
        """Words that hold `s` (at any position)."""
        return self.tok_text.count(s)

    def prefix_count(self, p: str, within: list[str] | None = None) -> int:
        toks = self.tok_sorted if within is None else within
        a = bisect_left(toks, p)
        b = bisect_left(toks, p + "\U0010ffff")
        return b - a
