"""Repair of text extracted from PDF/HWP reports, with an exact map to source lines.

``clean_text`` turns a PDF/HWP text dump into running text with one paragraph per
``"\\n\\n"``-separated block, and keeps, for every character that came from the
source, the 1-based source line it came from (``CleanedText.source_line``).

Pure string processing plus statistics of the document itself: no Kiwi here (only
``analyzer.py`` touches Kiwi, and a warm-cache run must not load it).

What it repairs (``CleanedText.repairs`` counts each rule):

* wrapped lines are rejoined; every junction between two consecutive content lines
  becomes ``joined_in_word`` (nothing inserted), ``joined_with_space`` (one space) or
  ``kept_break`` (paragraph break).  Evidence, in order: structure of the next line
  (bullet, numbering, caption, footnote), blank-line gaps, line length (a line that
  would still have had room for the next word ended on purpose), sentence-final
  endings, and for word-vs-in-word the trailing space before the newline, read
  according to the document's own regime ("all": every line has one, wraps are at word
  boundaries; "mixed": space = word boundary, none = same word); documents without
  trailing-space evidence ("lexical") fall back to document-internal evidence (does the
  joined form occur unbroken elsewhere, is the next fragment a particle or ending, a
  syllable model of the document).  See scripts/clean_rules.md for the measured rules.
* running headers/footers (lines that repeat with a varying page number), lone page
  numbers (``- 3 -``, ``12`` in a page-number sequence), running section titles at
  page boundaries, form feeds.
* footnote markers glued to words (``지양2)하였고`` -> ``지양하였고``); footnote lines at
  the bottom of a page become their own paragraphs, placed after the paragraph that
  runs across the page break (so the sentence is not cut by its footnotes).
* the stray space between a Latin/number token and a particle (``SEMI 는`` ->
  ``SEMI는``), only for a closed list of particles followed by space/punctuation/end.

Line-map convention: an inserted joining space and the ``"\\n\\n"`` paragraph
separator map to the line *before* them (the line whose text they follow).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "CLEAN_VERSION",
    "CleanedText",
    "Junction",
    "CleanTrace",
    "clean_text",
    "passthrough",
    "trace_clean",
]

# Bump whenever a rule changes: it is part of the token-cache key.
CLEAN_VERSION = "1"

# A line is "short" (ended on purpose) when it plus the next word or syllable would
# fill less than this share of the document's line capacity (85th percentile of
# line widths).  Measured: real wraps fill >= 0.94 (KIEP, KIC body), >= 0.99 (Seoul).
SHORT_FILL = 0.90
SHORT_FILL_SENTENCE = 0.97
# Without trailing-space evidence, glue two fragments only when the syllable model
# gives a word boundary less than this probability: a space left inside a word is
# cheap (Kiwi's space_tolerance repairs it), two words glued together are not.
LEX_GLUE_BELOW = 0.25  # after a sentence end, only a really full line continues

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
# Result type
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
        )


class Junction(NamedTuple):
    """One decision between two consecutive content lines (for measurement)."""

    line_a: int
    line_b: int
    decision: str  # "word" (joined, nothing inserted) | "space" | "break" | "particle"
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


# ---------------------------------------------------------------------------
# Character classes and patterns
# ---------------------------------------------------------------------------

_H = "\uac00-\ud7a3"  # Hangul syllables
_HANJA = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WS_MAP = {
    ord(c): " "
    for c in "\t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u200b\ufeff"
}

_STRONG_BULLETS = set("◦∙▶■◆○•※▷◎●□▪◇★☆▣➢❍❑✓✔▍▌➤⇒◈◼◾▸►◉⦁❖▹➔✦✧♦◐◑◘")
_WEAK_BULLETS = set("△▲▽‣") | {chr(c) for c in range(0x2460, 0x2474)}  # ①..⑳
_DASHES = set("-–·")

_NUMBERING = re.compile(
    r"^(?:"
    r"[0-9]{1,2}\.(?!\s*[0-9]{1,2}\.)(?=\s*[^\s0-9).,:;\]’”'\"」』｣])"  # 1.  4.양자  (not "11. 21." dates, not "8.)")
    r"|[0-9]{1,2}\.(?=[0-9]{4}\s)"  # 6.2015 년 (item 6 followed by a year)
    r"|\([0-9]{1,2}\)"  # (1)
    r"|[0-9]{1,2}\)(?=\s)"  # 1) ...
    r"|[가나다라마바사아자차카타파하]\.(?=\s)"  # 가.
    r"|\([가나다라마바사아자차카타파하]\)"  # (가)
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.?"  # Ⅰ.
    r"|(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.(?=\s)"
    r"|제\s?[0-9]{1,3}\s?[장절편부](?=\s|$)"
    r")"
)
_BRACKET_HEAD = re.compile(r"^(?:\[[^\]]{1,30}\]|【[^】]{1,30}】|<[^>]{1,20}>\s*$|〈[^〉]{1,20}〉\s*$)")
_CAPTION = re.compile(
    r"^(?:(?:사진|그림|표|도표|차트|Figure|Fig\.|Table)\s*[0-9]{1,3}\s*[).:：]"
    r"|(?:자료|출처|주|Source|Sources|Note|Notes)\s*[:：]"
    r"|[\[<]\s*(?:표|그림|Table|Figure)\s*[0-9])",
    re.I,
)
# a complete news title ends with its credit: "(36kr, 2020.8.26)", "— DeepTech(深科技) 제공"
_TITLE_END = re.compile(r"(?:\(\s*[^()]*[0-9]{4}\.\s?[0-9]{1,2}\.\s?[0-9]{1,2}\.?\s*\)|\S\s*제공)$")
_CREDIT_LINE = re.compile(r"^\([^()]*[0-9]{4}\.\s?[0-9]{1,2}\.\s?[0-9]{1,2}\.?\s*\)$")
_FIGURE_CAPTION = re.compile(r"^(?:사진|그림|표|도표|차트|Figure|Fig\.|Table)\s*[0-9]{1,3}\s*[).:：]", re.I)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_FOOTNOTE_START = re.compile(r"^([0-9]{1,3})\)\s?(?=\S)")
# glued footnote marker: 지양2)하였고, 않았음.3), 부상(9월)5)에
_MARKER = re.compile(
    r"(?:(?<=[" + _H + r"’”」』｣〉》)])|(?<=[" + _H + r"][.,]))([0-9]{1,3})\)(?![0-9])"
)
_SENT_END = re.compile(
    r"(?:[" + _H + r"][.?!…]|[.?!][’”'\"」』｣)]+|[" + _H + r"]\?|[다요][’”」』])[’”'\"」』｣)]*$"
)
_OPEN_END = set(",;:(‘“「『｢〈《[·")
_PAGENUM_STRONG = re.compile(
    r"^(?:[-–—]\s*[0-9]{1,4}\s*[-–—]|(?:page|p\.)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?|[0-9]{1,4}\s*쪽)$",
    re.I,
)
_PAGENUM_BARE = re.compile(r"^(?:[0-9]{1,4}|[0-9]{1,4}\s*/\s*[0-9]{1,4})$")

# Particles that may follow a Latin/number token after a stray space (SEMI 는).
_PARTICLES_LATIN = frozenset(
    "은 는 이 가 을 를 와 과 의 에 에서 에게 께 로 으로 로서 으로서 로써 으로써 로부터 으로부터 "
    "부터 까지 도 만 보다 처럼 이나 나 이란 란 이라는 라는 이라고 라고 라고도 이라고도 이며 이고 인 이다 "
    "와의 과의 에는 에도 에서는 에서도 으로는 로는 으로도 로도 와는 과는 와도 과도 에서의 에게는 "
    "까지는 까지도 부터는 만을 만이 만의 조차 마저 이든 든".split()
)
# after a bare number: no 이/가/도/만/인 (counters, 도 = degree, 만 = 10,000, 6 인 = six people)
_PARTICLES_NUMBER = frozenset(
    "은 는 을 를 와 과 의 에 에서 에게 로 으로 부터 까지 보다 와의 과의 에는 에도 에서는 으로는 로는".split()
)
# after Hanja or a closing bracket: unambiguous case particles only
_PARTICLES_OTHER = frozenset(
    "은 는 을 를 와 과 의 에 에서 에게 으로 로 와의 과의 에는 에서는 으로는 로는 으로서 로서".split()
)
_PARTICLE_ALT = "|".join(sorted(_PARTICLES_LATIN, key=len, reverse=True))
_PARTICLE_FIRST = frozenset(p[0] for p in _PARTICLES_LATIN)
_NUMBERING_FIRST = frozenset("0123456789(가나다라마바사아자차카타파하ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩIVX제")
_CAPTION_FIRST = frozenset("사그표도차FfT[【<〈")
_CAPTION_START_FIRST = frozenset("사그표도차자출주FfTSsNn[<")
_PARTICLE_HEAD = re.compile(r"(" + _PARTICLE_ALT + r")(?=[.,!?;:)\]’”'\"」』｣…·]|$)")
_PARTICLE_SPACE = re.compile(
    r"(?<=[A-Za-z0-9" + _HANJA + r")）])( +)(" + _PARTICLE_ALT + r")(?=[\s.,!?;:)\]’”'\"」』｣…·]|$)"
)

# lexical evidence (used when the document gives no trailing-space evidence)
_BOUND_START = re.compile(
    r"^(?:(?:를|는|을|의|에게|에서|에는|에도|에|으로|로서|로써|로|와|과|이다|이며|이고|들|들의|들이|들을|들은|적|적인|적으로)"
    r"(?=$|[\s.,;:!?)’”」』｣])"
    r"|었|였|았|겠|됨\.|함\.|임\.|"
    r"하(?:는|여|고|며|면|였|기|지|던|도록)|했|한다|시키|시켜)"
)
# syllables after which a following 하-form is a separate verb (빠지게 할, 일을 하는)
_BEFORE_SEPARATE_VERB = set("게이가을를도만고서지은는에로와과의")
_WORD_END = re.compile(
    r"(?:에서|에게|으로|부터|까지|하는|되는|있는|없는|하고|하며|하여|되어|했다|한다|된다|이다|"
    r"하면서|되면서|으며|이며|[을를는와의며고])$"
)
_UNIT_AFTER_NUMBER = re.compile(r"^(?:년|월|일|명|개|만|억|조|천|원|달러|위안|엔|유로|톤|회|차|배|%|세|시|분|건|곳|가지|층|호|권|대|km|kg)")

# a line ending like this is in the middle of a clause: it cannot end a paragraph
_CLAUSE_OPEN = re.compile(
    r"(?:[,(‘“「『｢〈《\[·]|(?:는|을|를|에|에서|에게|으로|며|하고|하며|하여|되어|되며|있는|하는|되는|없는|및|또는|그리고))$"
)
_MULTI_SPACE = re.compile(r"  +")
_SPACED_PAREN = re.compile("[A-Za-z" + _H + r"] \(")
_GLUED_PAREN = re.compile("[A-Za-z" + _H + r"]\(")
_CLASS_DIGIT = re.compile(r"[0-9]")
_CLASS_LATIN = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"[0-9]+")
_TWO_LETTERS = re.compile("[A-Za-z" + _H + "].*?[A-Za-z" + _H + "]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ALNUM_HANJA = re.compile("[A-Za-z0-9" + _HANJA + "]")
_FN_END = re.compile(r"[.。][’”'\"」』｣)]*$")
_ODD_WS = re.compile("[\t\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]")
_HANGUL_RE = re.compile("[" + _H + "]")


def _is_number(s: str) -> bool:
    """True for a non-empty run of ASCII digits only (not ①, ², ３ or other Unicode digits)."""
    return s.isascii() and s.isdigit()


def _width(s: str) -> int:
    """Display width: Hangul/CJK count 2, ASCII 1 (UTF-8 length trick, no per-char loop)."""
    return (len(s.encode("utf-8")) + len(s)) // 2


def _paren_delta(s: str) -> int:
    return s.count("(") + s.count("（") - s.count(")") - s.count("）")


# ---------------------------------------------------------------------------
# Internal line model
# ---------------------------------------------------------------------------


class _Feat:
    """Per-line features used by the junction decisions (computed once)."""

    __slots__ = (
        "start", "sent", "mid_clause", "clause_open", "numbering", "weak_bullet",
        "caption", "title_end", "title_line", "credit_line", "head", "tail", "particle_head",
    )

    def __init__(self, text: str):
        tail6 = text[-6:]
        pdelta = _paren_delta(text) if "(" in text or ")" in text or "（" in text else 0
        c0 = text[0]
        self.start = _strong_start(text)
        self.sent = _sentence_final(text)
        self.numbering = c0 in _NUMBERING_FIRST and _numbering(text)
        self.weak_bullet = _weak_bullet(text)
        self.mid_clause = text[-1] in _OPEN_END or pdelta > 0 or _WORD_END.search(tail6) is not None
        self.clause_open = pdelta > 0 or _CLAUSE_OPEN.search(tail6) is not None
        self.caption = c0 in _CAPTION_FIRST and bool(
            _FIGURE_CAPTION.match(text) or _BRACKET_HEAD.match(text)
        )
        last = text[-1]
        self.title_end = (last == ")" or last == "공") and _TITLE_END.search(text[-80:]) is not None
        self.title_line = self.numbering or c0 in _STRONG_BULLETS
        self.credit_line = c0 == "(" and last == ")" and _CREDIT_LINE.match(text) is not None
        self.head = _head_token(text)
        self.tail = _tail_token(text)
        self.particle_head = c0 in _PARTICLE_FIRST and _PARTICLE_HEAD.match(self.head) is not None


class _Line:
    __slots__ = (
        "no", "work", "dels", "pieces", "text", "lead", "trail", "gap",
        "page_start", "kind", "width", "idx", "_feat",
    )

    def __init__(self, no: int, work: str, gap: int, page_start: bool):
        self.no = no  # 1-based source line
        self.work = work  # source line, whitespace chars mapped 1:1 to " "
        self.gap = gap  # blank lines between the previous non-blank line and this one
        self.page_start = page_start
        self.lead = work[0] == " "
        self.trail = work[-1] == " "
        self.kind = "body"
        self.dels: list[tuple[int, int]] = []
        n = len(work)
        s = n - len(work.lstrip(" "))
        e = len(work.rstrip(" "))
        if s:
            self.dels.append((0, s))
        if e < n:
            self.dels.append((e, n))
        if "  " in work:
            for m in _MULTI_SPACE.finditer(work):
                if s < m.start() and m.end() <= e:
                    self.dels.append((m.start() + 1, m.end()))
        self.pieces: list[tuple[int, str]] = []
        self.text = ""
        self.width = 0
        self.idx = -1
        self._feat: _Feat | None = None
        self._rebuild()

    def feat(self) -> _Feat:
        if self._feat is None:
            self._feat = _Feat(self.text)
        return self._feat

    def _rebuild(self) -> None:
        if not self.dels:
            self.pieces = [(0, self.work)]
            self.text = self.work
            self.width = _width(self.work)
            self._feat = None
            return
        dels = sorted(self.dels)
        pieces: list[tuple[int, str]] = []
        pos = 0
        w = self.work
        for s, e in dels:
            if s > pos:
                pieces.append((pos, w[pos:s]))
            pos = max(pos, e)
        if pos < len(w):
            pieces.append((pos, w[pos:]))
        self.pieces = pieces
        self.text = "".join(p for _, p in pieces)
        self.width = _width(self.text)
        self._feat = None

    def add_dels(self, spans: list[tuple[int, int]]) -> None:
        if spans:
            self.dels.extend(spans)
            self._rebuild()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<L{self.no} {self.kind} {self.text[:30]!r}>"


def _sentence_final(text: str) -> bool:
    return bool(_SENT_END.search(text[-8:]))


def _strong_start(text: str) -> str | None:
    """Return a reason if the line starts a new block on its own."""
    c = text[0]
    if c in _STRONG_BULLETS or (c in _DASHES and _dash_bullet(text)):
        return "bullet"
    if c in _CAPTION_START_FIRST and _CAPTION.match(text):
        return "caption"
    if c in "[【<〈" and _BRACKET_HEAD.match(text):
        return "bracket_heading"
    if c in "hHwW" and _URL_LINE.match(text):
        return "url"
    return None


def _numbering(text: str) -> bool:
    return bool(_NUMBERING.match(text))


def _weak_bullet(text: str) -> bool:
    """Markers that are bullets at a paragraph start but also enumerate inline (△, ①)."""
    c = text[0]
    return c in _WEAK_BULLETS and c not in _DASHES


def _dash_bullet(text: str) -> bool:
    """"- item" (a dash followed by a space; not -4.9%, not ·word)."""
    return text[0] in _DASHES and len(text) > 1 and text[1] == " "


def _head_token(text: str) -> str:
    i = text.find(" ")
    return text if i < 0 else text[:i]


def _tail_token(text: str) -> str:
    i = text.rfind(" ")
    return text if i < 0 else text[i + 1 :]


_STRIP_PUNCT_L = "‘“\"'(「『｢〈《[<"
_STRIP_PUNCT_R = "’”\"')」』｣〉》]>.,;:!?…"


# ---------------------------------------------------------------------------
# The cleaner
# ---------------------------------------------------------------------------


class _Cleaner:
    def __init__(self, text: str, trace: bool = False):
        self.trace = trace
        self.repairs = {k: 0 for k in REPAIR_NAMES}
        self.removed: list[tuple[int, str, str]] = []
        self.junctions: list[Junction] = []
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.src_lines = text.split("\n")
        self.lines: list[_Line] = []
        self._read_lines()

    # -- reading ---------------------------------------------------------
    def _read_lines(self) -> None:
        gap = 0
        ff_pending = False  # a form feed seen: the next content line starts a page
        seen = False
        for i, raw in enumerate(self.src_lines):
            page_start = ff_pending
            ff_pending = False
            if "\f" in raw:
                self.repairs["form_feed_removed"] += raw.count("\f")
                if raw[: raw.index("\f")].strip():
                    ff_pending = True  # page break after this line's text
                else:
                    page_start = True
            work = raw.translate(_WS_MAP) if _ODD_WS.search(raw) else raw
            if not work.strip():
                gap += 1
                ff_pending = ff_pending or page_start
                continue
            # the extraction marks page starts by a leading space on a line that
            # follows the previous page's last line without a blank line
            if seen and gap == 0 and work[0] == " ":
                page_start = True
            L = _Line(i + 1, work, gap if seen else 0, page_start)
            L.idx = len(self.lines)
            self.lines.append(L)
            seen = True
            gap = 0
        for L in self.lines:
            n_runs = sum(1 for s, e in L.dels if 0 < s and e < len(L.work))
            self.repairs["whitespace_collapsed"] += n_runs

    # -- document statistics ---------------------------------------------
    def _document_stats(self) -> None:
        lines = [L for L in self.lines if L.kind == "body"]
        n0 = sum(1 for L in lines[1:] if L.gap == 0 and not L.page_start)
        n1 = sum(1 for L in lines[1:] if L.gap == 1)
        # "blank_wrap": blank lines separate wrapped lines (the bundled corpus);
        # "normal": wrapped lines are consecutive and blank lines end paragraphs.
        self.style = "blank_wrap" if n1 > 2 * n0 else "normal"
        self.wrap_gap = 1 if self.style == "blank_wrap" else 0
        widths = sorted(L.width for L in lines if L.width >= 10)
        if widths:
            self.capacity = widths[min(len(widths) - 1, int(len(widths) * 0.85))]
        else:
            self.capacity = 80
        # trailing-space regime, measured on lines that are followed by a wrap
        cand = [
            L for k, L in enumerate(lines[:-1])
            if lines[k + 1].gap == self.wrap_gap and L.width >= 0.6 * self.capacity
        ]
        with_trail = sum(1 for L in cand if L.trail)
        r = with_trail / len(cand) if cand else 0.0
        self.trail_ratio = r
        if len(cand) < 5:
            self.regime = "mixed" if r > 0 else "lexical"
        elif r >= 0.9:
            self.regime = "all"  # every line has a trailing space: wraps at word boundaries
        elif r <= 0.05:
            self.regime = "lexical"  # trailing whitespace stripped: no evidence
        else:
            self.regime = "mixed"  # trailing space = word boundary, none = in-word

    # -- headers, page numbers, running titles ------------------------------
    def _remove(self, L: _Line, kind: str, rule: str) -> None:
        L.kind = kind
        self.repairs[rule] += 1
        self.removed.append((L.no, rule, L.text))

    def _detect_headers(self) -> None:
        groups: dict[str, list[_Line]] = defaultdict(list)
        for L in self.lines:
            if L.kind != "body" or len(L.text) < 4:
                continue
            key = _DIGITS.sub("#", L.text)
            if "#" in key and _TWO_LETTERS.search(key):
                groups[key].append(L)
        for key, group in groups.items():
            if len(group) < 2:
                continue
            if any(_sentence_final(L.text) for L in group):
                continue
            toks = [L.text.split(" ") for L in group]
            if len({len(t) for t in toks}) != 1:
                continue
            slots = [
                j for j, t in enumerate(toks[0])
                if _is_number(t) and len(t) <= 4 and all(_is_number(tt[j]) for tt in toks)
            ]
            page_slot = None
            for j in slots:
                vals = [int(t[j]) for t in toks]
                if len(set(vals)) >= 2 and all(a < b for a, b in zip(vals, vals[1:])):
                    page_slot = j
                    break
            if page_slot is None:
                continue
            spread = min(b.no - a.no for a, b in zip(group, group[1:]))
            if spread < 10:
                continue  # adjacent rows of a table, not a running header
            if len(group) == 2:
                # two occurrences only: require header layout (a wide gap around the number)
                tok = toks[0][page_slot]
                if not re.search(r" {3,}" + re.escape(tok) + r"(?: {3,}|$)", group[0].work.rstrip()):
                    continue
            for L in group:
                self._remove(L, "header", "header_removed")

    def _detect_page_numbers(self) -> None:
        bare: list[_Line] = []
        for L in self.lines:
            if L.kind != "body":
                continue
            if _PAGENUM_STRONG.match(L.text):
                self._remove(L, "pagenum", "page_number_removed")
            elif _PAGENUM_BARE.match(L.text):
                bare.append(L)
        if not bare:
            return
        vals = [int(_DIGITS.match(L.text).group()) for L in bare]
        increasing = len(bare) >= 3 and all(a < b for a, b in zip(vals, vals[1:]))
        for L in bare:
            nxt = self.lines[L.idx + 1] if L.idx + 1 < len(self.lines) else None
            at_boundary = L.page_start or (nxt is not None and nxt.page_start)
            if increasing or at_boundary:
                self._remove(L, "pagenum", "page_number_removed")

    def _detect_running_titles(self) -> None:
        counts = Counter(L.text for L in self.lines if L.kind == "body")
        for L in self.lines:
            if L.kind != "body" or counts[L.text] < 2:
                continue
            t = L.text
            if (
                _sentence_final(t)
                or t[-1] in ".,"
                or _URL_LINE.match(t)
                or L.width > 0.7 * self.capacity
                or not _TWO_LETTERS.search(t)
            ):
                continue
            prev = self.lines[L.idx - 1] if L.idx > 0 else None
            nxt = self.lines[L.idx + 1] if L.idx + 1 < len(self.lines) else None
            at_boundary = (
                (nxt is not None and (nxt.page_start or nxt.kind in ("header", "pagenum")))
                or (prev is not None and prev.kind in ("header", "pagenum"))
            )
            if at_boundary:
                self._remove(L, "runtitle", "running_title_removed")

    # -- footnotes -----------------------------------------------------------
    def _marker_spans(self, L: _Line, depth: int) -> tuple[list[tuple[int, int]], int]:
        """Glued footnote markers in L (work coordinates); returns spans and end depth."""
        w = L.work
        if ")" not in w:
            return [], max(0, min(depth + _paren_delta(w), 3)) if "(" in w else depth
        spans = []
        pos = 0
        d = depth
        for m in _MARKER.finditer(w):
            d += _paren_delta(w[pos : m.start()])
            d = max(d, 0)
            pos = m.start()
            if d == 0 and int(m.group(1)) > 0:
                spans.append((m.start(), m.end()))
        d += _paren_delta(w[pos:])
        return spans, max(0, min(d, 3))

    def _detect_footnotes(self) -> None:
        # glued markers in the body give the footnote numbers in use
        self.marker_spans: dict[int, list[tuple[int, int]]] = {}
        numbers: set[int] = set()
        depth = 0
        for L in self.lines:
            if L.kind != "body":
                continue
            if L.gap != self.wrap_gap and not L.page_start:
                depth = 0
            if _FOOTNOTE_START.match(L.text):
                depth = 0
                continue
            spans, depth = self._marker_spans(L, depth)
            if spans:
                self.marker_spans[L.idx] = spans
                numbers.update(int(L.work[s:e - 1]) for s, e in spans)
        if not numbers:
            return
        lines = self.lines
        n = len(lines)
        i = 0
        while i < n:
            L = lines[i]
            m = _FOOTNOTE_START.match(L.text) if L.kind == "body" else None
            if not m or int(m.group(1)) not in numbers:
                i += 1
                continue
            # a continuation line glued (no blank line) right before the block start
            start = i
            if (
                self.style == "blank_wrap" and L.gap == 0 and not L.page_start and i > 0
                and lines[i - 1].kind == "body" and not _strong_start(lines[i - 1].text)
                and not _numbering(lines[i - 1].text)
            ):
                start = i - 1
            j = i + 1
            last = L
            while j < n:
                X = lines[j]
                if X.kind in ("header", "pagenum", "runtitle"):
                    break
                if X.page_start:
                    break
                if X.gap >= 2 and self.style == "blank_wrap":
                    break
                mm = _FOOTNOTE_START.match(X.text)
                if mm and int(mm.group(1)) in numbers:
                    last = X
                    j += 1
                    continue
                if _strong_start(X.text) or _numbering(X.text):
                    break
                if X.gap == 0 or (X.gap <= self.wrap_gap + 1 and not _footnote_finished(last.text)):
                    last = X
                    j += 1
                    continue
                break
            for k in range(start, j):
                lines[k].kind = "footnote"
            i = j

    # -- main assembly ---------------------------------------------------------
    def run(self) -> CleanedText:
        if not self.lines:
            return CleanedText("", (), (), (), dict(self.repairs), ())
        self._document_stats()
        self._detect_headers()
        self._detect_page_numbers()
        self._detect_running_titles()
        self._detect_footnotes()
        self._within_line_repairs()
        paras = self._assemble()
        return self._render(paras)

    def _within_line_repairs(self) -> None:
        for L in self.lines:
            if L.kind not in ("body", "footnote"):
                continue
            spans = list(self.marker_spans.get(L.idx, ())) if L.kind == "body" else []
            for s, e in spans:
                self.repairs["footnote_marker_removed"] += 1
                self.removed.append((L.no, "footnote_marker_removed", L.work[s:e]))
            for m in _PARTICLE_SPACE.finditer(L.work):
                if _particle_ok(L.work[: m.start(1)], m.group(2)):
                    spans.append((m.start(1), m.end(1)))
                    self.repairs["particle_space_removed"] += 1
            L.add_dels(spans)
            if not L.text:
                L.kind = "empty"

    # lexical statistics (built lazily: only some junctions need them)
    def _ensure_lexicon(self) -> None:
        """Interior tokens of the document (edge tokens may be word fragments)."""
        if hasattr(self, "tok_sorted"):
            return
        toks: list[str] = []
        for L in self.lines:
            if L.kind != "body":
                continue
            for t in L.text.split(" ")[1:-1]:
                t = t.strip(_STRIP_PUNCT_L).rstrip(_STRIP_PUNCT_R)
                if t:
                    toks.append(t)
        self.tok_count = Counter(toks)
        self.tok_sorted = sorted(toks)

    def _ensure_syllables(self) -> None:
        """Syllable statistics for the lexical regime (pairs inside vs across words)."""
        if hasattr(self, "syl_occ"):
            return
        inword: Counter = Counter()  # syllable pairs inside a word
        across: Counter = Counter()  # last/first syllables of neighbouring words
        ends: Counter = Counter()
        starts: Counter = Counter()
        occ: Counter = Counter()
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

    def _boundary_probability(self, a: str, b: str) -> float:
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

    def _spaced_paren_style(self) -> bool:
        """Does this document write a space before "(" after a word (API (홍콩))?"""
        if not hasattr(self, "_paren_spaced"):
            spaced = glued = 0
            for L in self.lines:
                if L.kind == "body" and "(" in L.text:
                    spaced += len(_SPACED_PAREN.findall(L.text))
                    glued += len(_GLUED_PAREN.findall(L.text))
            self._paren_spaced = spaced > glued
        return self._paren_spaced

    def _prefix_count(self, p: str) -> int:
        a = bisect_left(self.tok_sorted, p)
        b = bisect_left(self.tok_sorted, p + "\U0010ffff")
        return b - a

    # -- junction decision ---------------------------------------------------
    def _fill(self, A: _Line, B: _Line) -> float:
        """How full line A was, counting the next word (or syllable) that went to B."""
        head = _head_token(B.text)
        if self.regime != "all" and _HANGUL_RE.match(head):
            unit = 2  # Korean text may wrap inside a word: one syllable is enough
        else:
            unit = _width(head) + 1
        return (A.width + unit) / self.capacity

    def _is_short(self, A: _Line, B: _Line) -> bool:
        """Would the next word (or syllable) still have fitted on line A?"""
        return self._fill(A, B) < SHORT_FILL

    def _decide(
        self, A: _Line, B: _Line, crossed: bool, nxt: _Line | None, head: _Line
    ) -> tuple[str, str]:
        """Decide the junction A|B: ("word"|"space"|"particle"|"break", reason)."""
        fa, fb = A.feat(), B.feat()
        # 1. structure of the next line
        if fb.start:
            return "break", fb.start
        if fa.start == "url":
            return "break", "after_url"
        a_sent = fa.sent
        fill = self._fill(A, B)
        a_short = fill < (SHORT_FILL_SENTENCE if a_sent else SHORT_FILL)
        a_open = (not a_sent) and not a_short
        # numbering/weak bullets can be inline enumerations that wrapped to the
        # start of a line: they continue a full line that stops mid-clause
        mid_clause = fa.mid_clause
        if fb.numbering:
            if not (a_open and (mid_clause or not A.trail)):
                return "break", "numbering"
        if fb.weak_bullet:
            if not (a_open and mid_clause):
                return "break", "bullet"
        # 2. vertical gap (only meaningful between lines of the same page)
        if not crossed and not B.page_start:
            if B.gap >= (2 if self.style == "blank_wrap" else 1):
                return "break", "gap"
        # 3. captions and titles stand alone unless the line is really full
        if head.feat().caption:
            # a caption set in a smaller font runs wider than body text; its
            # continuation lines are wide too, or short (the last one)
            cap = self.capacity
            if not (A.width >= cap and (B.width >= cap or B.width < 0.6 * cap)):
                return "break", "after_caption"
        if fa.title_end and not a_sent:
            return "break", "title_end"
        title_tail = (
            fb.title_end
            and B.width < 0.8 * self.capacity
            and (
                (not a_sent and (fa.title_line or mid_clause))
                or (fa.title_line and fb.credit_line)
            )
        )
        # 4. line length: A ended on purpose (unless it stops mid-clause)
        if a_short and not title_tail and not fa.clause_open:
            return "break", ("sentence_end_short" if a_sent else "short_line")
        # 5. heading after a full sentence-final line: B short, standing alone
        if a_sent and not title_tail and nxt is not None and B.width < 0.6 * self.capacity and not fb.sent:
            fn = nxt.feat()
            if fn.start or fn.numbering or (self._is_short(B, nxt) and nxt.gap >= self.wrap_gap):
                return "break", "heading"
        # 6. word or in-word
        a_tail, b_head = fa.tail, fb.head
        if fb.particle_head and _particle_join(a_tail, b_head):
            return "particle", "particle_after_latin"
        at = A.text
        if a_sent or at[-1] in ",;:" and not (_is_number(at[-2:-1]) and _is_number(b_head[:1])):
            return "space", "punctuation"
        if title_tail:
            if A.trail or self.regime != "mixed":
                return "space", "title_continues"
            return "word", "title_continues"
        if self.regime == "all":
            if A.trail:
                return "space", "trailing_space"
            return "word", "no_trailing_space"
        if self.regime == "mixed":
            if A.trail:
                return "space", "trailing_space"
            # no trailing space means "no wrap at a word boundary here": if the
            # vocabulary says A ends a word and B starts one, the line ended on purpose
            if self._clear_word_boundary(a_tail, b_head):
                return "break", "no_trailing_word_end"
            return "word", "no_trailing_space"
        return self._lexical(a_tail, b_head)

    def _clear_word_boundary(self, a: str, b: str) -> bool:
        """Strong vocabulary evidence that a|b is a boundary between two words."""
        ac = a.lstrip(_STRIP_PUNCT_L)
        bc = b.rstrip(_STRIP_PUNCT_R)
        if not ac or not bc or not _HANGUL_RE.match(bc[0]):
            return False
        if ac[-1] in ")’”」』｣":
            return not (_BOUND_START.match(bc) or bc.split(" ")[0] in _PARTICLES_OTHER)
        if not _HANGUL_RE.match(ac[-1]) or len(bc) < 2 or _BOUND_START.match(bc):
            return False
        self._ensure_lexicon()
        if self._prefix_count(ac + bc[:2]) or self._prefix_count(ac + bc[:1]) > 0 and len(ac) < 2:
            return False
        return self.tok_count.get(ac, 0) > 0 and self.tok_count.get(bc, 0) > 0

    def _lexical(self, a: str, b: str) -> tuple[str, str]:
        """Word boundary or in-word break from the document's own vocabulary."""
        self._ensure_lexicon()
        if a.endswith("-") and len(a) > 1 and a[-2].isalnum() and b[:1].isalnum():
            return "word", "lex_hyphen"
        ac = a.lstrip(_STRIP_PUNCT_L)
        bc = b.rstrip(_STRIP_PUNCT_R)
        if not ac or not bc:
            return "space", "lex_punct"
        if ac[-1] in _STRIP_PUNCT_R:
            # closing bracket/quote: a particle attaches, anything else is a new word
            if _BOUND_START.match(bc) or bc in _PARTICLES_OTHER:
                return "word", "lex_particle_after_bracket"
            return "space", "lex_after_bracket"
        if b[0] in "(（":
            if self._spaced_paren_style():
                return "space", "lex_paren_follows_spaced"
            return "word", "lex_paren_follows"
        if _is_number(ac[-1]) and _is_number(bc[0]):
            return "word", "lex_digits"
        if _is_number(ac[-1]) and _UNIT_AFTER_NUMBER.match(bc):
            spaced = self.tok_count.get(bc, 0)
            return ("space", "lex_number_unit_spaced") if spaced > 2 * self._prefix_count(ac[-1:]) else ("word", "lex_number_unit")
        joined = ac + bc
        j = self._prefix_count(joined)
        if (
            _BOUND_START.match(bc)
            and not _WORD_END.search(ac[-6:])
            and not (bc[0] in "하했시" and ac[-1] in _BEFORE_SEPARATE_VERB)
        ):
            return "word", "lex_bound_start"
        if j and j >= self.tok_count.get(ac, 0):
            return "word", "lex_joined_seen"
        if _WORD_END.search(ac[-6:]):
            return "space", "lex_word_end"
        self._ensure_syllables()
        p = self._boundary_probability(ac, bc)
        return ("space", "lex_syllable_model") if p >= LEX_GLUE_BELOW else ("word", "lex_syllable_model")

    def _assemble(self) -> list[list]:
        """Walk the lines, decide every junction, collect paragraphs.

        A paragraph is [kind, pieces]; pieces are (text, line_no | None, col).
        """
        lines = [L for L in self.lines if L.kind in ("body", "footnote")]
        paras: list[list] = []
        cur: list | None = None
        pending: list[list] = []  # floating paragraphs waiting for `cur` to close
        A: _Line | None = None
        last_fn: list | None = None  # last footnote paragraph (a block may continue it)
        last_fn_line: _Line | None = None
        crossed = False
        head: _Line | None = None  # first line of the current paragraph
        n = len(lines)
        i = 0

        def close() -> None:
            nonlocal cur
            if cur is not None:
                paras.append(cur)
                cur = None
            paras.extend(pending)
            pending.clear()

        def pieces(L: _Line) -> list:
            return [(p, L.no, c) for c, p in L.pieces]

        while i < n:
            L = lines[i]
            if L.kind == "footnote":
                # one paragraph per footnote; continuation lines join by the same rules
                fn_start = _FOOTNOTE_START.match(L.text)
                continues = (
                    fn_start is None
                    and last_fn is not None
                    and (not _footnote_finished(last_fn_line.text) or last_fn_line is lines[i - 1])
                )
                if continues:
                    d, why = self._join_kind(last_fn_line, L)
                    last_fn[1].append((" " if d == "space" else "", None, 0))
                    last_fn[1].extend(pieces(L))
                    self._count(last_fn_line, L, d, "footnote_" + why)
                else:
                    if last_fn_line is not None and last_fn_line is lines[i - 1]:
                        self._count(last_fn_line, L, "break", "footnote")
                    last_fn = ["footnote", pieces(L)]
                    self.repairs["footnote_paragraphs"] += 1
                    (pending if cur is not None else paras).append(last_fn)
                last_fn_line = L
                crossed = True
                i += 1
                # furniture after a footnote block (running title/date lines of the
                # next page): short, non-structural lines before an open sentence resumes
                if cur is not None and i < n and lines[i].kind == "body" and A is not None:
                    i = self._skip_furniture(lines, i, A, pending, pieces)
                continue
            if L.kind == "body" and _URL_LINE.match(L.text) and cur is not None and A is not None:
                # a bare URL (image link) can sit at a page boundary inside a sentence
                nxt = lines[i + 1] if i + 1 < n else None
                if nxt is not None and nxt.kind == "body" and nxt.page_start and not _sentence_final(A.text) and not self._is_short(A, nxt):
                    pending.append(["url", pieces(L)])
                    self._count(A, L, "break", "floating_url")
                    crossed = True
                    i += 1
                    continue
            if cur is None or A is None:
                cur = ["body", pieces(L)]
                head = L
            else:
                nxt = lines[i + 1] if i + 1 < n else None
                d, why = self._decide(A, L, crossed, nxt, head)
                self._count(A, L, d, why)
                if d == "break":
                    close()
                    cur = ["body", pieces(L)]
                    head = L
                else:
                    cur[1].append((" " if d == "space" else "", None, 0))
                    cur[1].extend(pieces(L))
            A = L
            crossed = False
            i += 1
        close()
        return paras

    def _skip_furniture(self, lines, i, A, pending, pieces) -> int:
        """After a footnote block, skip the next page's furniture (running title, date,
        masthead: short non-structural lines) when A stops mid-sentence, so that A joins
        the first full line of the next page.  Returns the index of that line."""
        if _sentence_final(A.text) or A.width < 0.86 * self.capacity:
            return i
        k = i
        while k < len(lines) and k - i < 6:
            X = lines[k]
            if X.kind != "body":
                return i
            if X.width >= 0.86 * self.capacity:
                break
            if _strong_start(X.text) or _numbering(X.text) or _weak_bullet(X.text) or _sentence_final(X.text):
                return i
            k += 1
        if k == i or k >= len(lines) or k - i >= 6:
            return i
        B = lines[k]
        if B.kind != "body" or _strong_start(B.text) or _numbering(B.text) or _weak_bullet(B.text):
            return i
        for X in lines[i:k]:
            pending.append(["furniture", pieces(X)])
            self._count(A, X, "break", "floating_furniture")
        return k

    def _join_kind(self, A: _Line, B: _Line) -> tuple[str, str]:
        """Word/in-word decision only (for footnote continuation lines)."""
        at = A.text
        if _particle_join(_tail_token(at), _head_token(B.text)):
            return "particle", "particle_after_latin"
        if _sentence_final(at) or at[-1] in ",;:":
            return "space", "punctuation"
        if self.regime in ("all", "mixed"):
            return ("space", "trailing_space") if A.trail else ("word", "no_trailing_space")
        return self._lexical(_tail_token(at), _head_token(B.text))

    def _count(self, A: _Line, B: _Line, d: str, why: str) -> None:
        if d == "word":
            self.repairs["joined_in_word"] += 1
        elif d == "space":
            self.repairs["joined_with_space"] += 1
        elif d == "particle":
            self.repairs["particle_space_removed"] += 1
        else:
            self.repairs["kept_break"] += 1
        if self.trace:
            self.junctions.append(Junction(A.no, B.no, d, why, A.text[-30:], B.text[:30]))

    def _render(self, paras: list[list]) -> CleanedText:
        out: list[str] = []
        spans: list[tuple[int, int]] = []
        offs: list[int] = []
        nums: list[int] = []
        origin: list | None = [] if self.trace else None
        pos = 0
        cur_line = None
        for pi, (_kind, pcs) in enumerate(paras):
            if pi:
                out.append("\n\n")
                if origin is not None:
                    origin.extend((None, None))
                pos += 2
            start = pos
            for text, line, col in pcs:
                if not text:
                    continue
                if line is not None and line != cur_line:
                    offs.append(pos)
                    nums.append(line)
                    cur_line = line
                out.append(text)
                if origin is not None:
                    if line is None:
                        origin.extend([None] * len(text))
                    else:
                        origin.extend((line, col + k) for k in range(len(text)))
                pos += len(text)
            spans.append((start, pos))
        self.char_origin = origin
        return CleanedText(
            text="".join(out),
            paragraphs=tuple(spans),
            line_offsets=tuple(offs),
            line_numbers=tuple(nums),
            repairs=dict(self.repairs),
            removed=tuple(self.removed),
        )


def _char_class_str(t: str) -> str:
    """Map a token to syllables, with digits/Latin/other collapsed to one class each."""
    return _CLASS_DIGIT.sub("0", _CLASS_LATIN.sub("a", t))


def _footnote_finished(text: str) -> bool:
    """A footnote line that ends a note: final full stop, no bracket left open."""
    return bool(_FN_END.search(text[-12:])) and _paren_delta(text) <= 0


def _particle_ok(before: str, particle: str) -> bool:
    """Is `particle` (after a stray space) a particle of the token ending `before`?"""
    tok = before.rsplit(" ", 1)[-1]
    if not tok:
        return False
    last = tok[-1]
    if last.isascii() and last.isalpha():
        return particle in _PARTICLES_LATIN
    if _is_number(last):
        if _ASCII_LETTER.search(tok):  # 5G, Cloud9, Xe-100
            return particle in _PARTICLES_LATIN
        return particle in _PARTICLES_NUMBER
    if last in ")）":
        inner = tok[tok.rfind("(") + 1 : -1] if "(" in tok else tok
        if _ALNUM_HANJA.search(inner) is None:
            return False
        return particle in _PARTICLES_OTHER
    return particle in _PARTICLES_OTHER  # Hanja


def _particle_join(a_tail: str, b_head: str) -> bool:
    """Line ends with a Latin/number token and the next line starts with a particle."""
    if not a_tail or not b_head:
        return False
    m = _PARTICLE_HEAD.match(b_head)
    if not m or m.end() != len(b_head) and b_head[m.end()] not in ".,!?;:)]’”'\"」』｣…·":
        return False
    if not _ALNUM_HANJA.match(a_tail[-1]) and a_tail[-1] not in ")）":
        return False
    return _particle_ok(a_tail, m.group(1))


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def clean_text(text: str) -> CleanedText:
    """Full repair of PDF/HWP-extracted text (default for plain-text sources)."""
    return _Cleaner(text).run()


def trace_clean(text: str) -> CleanTrace:
    """Like :func:`clean_text`, plus every junction decision and a per-character origin map."""
    c = _Cleaner(text, trace=True)
    res = c.run()
    return CleanTrace(
        result=res,
        junctions=list(c.junctions),
        char_origin=c.char_origin if c.lines else [],
        regime=getattr(c, "regime", "empty"),
        style=getattr(c, "style", "empty"),
        capacity=getattr(c, "capacity", 0),
    )


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
