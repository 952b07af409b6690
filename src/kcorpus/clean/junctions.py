"""The junction decision of the text repair: what happens between two consecutive content lines.

Every junction becomes a ``Decision``: ``WORD`` (joined, nothing inserted), ``SPACE``
(joined with one space), ``PARTICLE`` (joined, the stray space before a particle
dropped) or ``BREAK`` (paragraph break), with a reason string.  Evidence, in order:
structure of the next line, blank-line gaps, line length, sentence-final endings, then
the trailing space before the newline read according to the document's regime, and,
without trailing-space evidence, the document's own vocabulary and syllable statistics
(``_Lexicon``).  See scripts/clean_rules.md for the measured rules.
"""

from __future__ import annotations

import os
import re
from enum import Enum

from kcorpus.clean.headings import heading_word_space
from kcorpus.clean.lexicon import _Lexicon
from kcorpus.clean.lines import _Doc, _Line, column_full
from kcorpus.clean.orthography import (
    _AFTER_QUOTE,
    _CLOSING_QUOTES,
    _QUOTATIVE,
    institution_cut,
    number_cut,
    word_rule,
)
from kcorpus.clean.patterns import (
    _BEFORE_SEPARATE_VERB,
    _BOUND_START,
    _HANGUL_RE,
    _INLINE_ORDINAL,
    _ORDINAL,
    _PARTICLES_OTHER,
    _SECTION_LABEL,
    _SPEAKER,
    _STRIP_PUNCT_L,
    _STRIP_PUNCT_R,
    _UNIT_AFTER_NUMBER,
    _WORD_END,
    _head_token,
    _is_number,
    _particle_join,
    _sentence_final,
    _structure_start,
    _tail_token,
    _width,
    article_title_end,
    contact_junction,
    spaced_runs,
)

# first syllables of 하다/되다 after a verbal noun (제공|하여, 제공|해야, 제공|된)
_VERB_AFTER_NOUN = frozenset("하한할함합해했되된될됨돼됐")
_ROMAN_FIRST = frozenset("ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ")
_ROMAN_HEAD = re.compile(r"[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.\s")

# A line is "short" (ended on purpose) when it plus the next word or syllable would
# fill less than this share of the document's line capacity (85th percentile of
# line widths).  Measured: real wraps fill >= 0.94 (KIEP, KIC body), >= 0.99 (Seoul).
SHORT_FILL = 0.90
SHORT_FILL_SENTENCE = 0.97
# Without trailing-space evidence, glue two fragments only when the syllable model
# gives a word boundary less than this probability: a space left inside a word is
# cheap (Kiwi's space_tolerance repairs it), two words glued together are not.
LEX_GLUE_BELOW = 0.25
_CLOSING = frozenset(".,;:!?)]’”」』｣…")
_OPENING = frozenset("(（[‘“「『｢〈《")
# a middle dot joins the words of a list inside one word (시장ㆍ군수ㆍ구청장): a wrap either side of it is inside
_LIST_DOT = frozenset("ㆍ·・")
# endings after which a following 하다 is a separate word: -게 하다, -아야/어야 하다, -도록 하다, -기도 하다
_SEPARATE_VERB_BEFORE = re.compile(r"(?:[^\s]게|[^\s]야|도록|기도|[^\s]히)$")  # …히: 명확히 하다
_LIST_ITEM = re.compile(r"[가-하]\. ")
# an acronym cut by a wrap: capitals (after a number: a unit, 2.4M|W) up to the wrap, capitals after it with no small
# letter following (not a capitalised word: Courrier|Japan), six letters at most (not two words: ANT|GROUP)
_CAPS_END = re.compile(r"(?<![A-Za-z])[A-Z]{1,5}$")
_CAPS_START = re.compile(r"[A-Z]{1,5}(?![A-Za-z])")
# an article at the start of a line after a sentence end: an article or an amendment line of a bill
_ARTICLE_LINE = re.compile(r"제[0-9]{1,4}조(?![0-9])")
_ARTICLE_REF = re.compile(r"제[0-9]{1,4}[조항호장절]")
# a line that ends with a list or clause marker: the text after it is a word of its own (① (현행과 같음))
_MARKER_END = re.compile(r"(?:^|\s)(?:[①-⑳]|[0-9]{1,2}[.)]|[가-하][.)]|\([0-9가-하]{1,2}\))$")
_ARTICLE_BRANCH = re.compile(r"제[0-9]{1,4}[조항호]의$")
# a field of a contact or signature block: a short label and a colon (담당자: …, 전화: …, E-mail: …)
_FIELD_LINE = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z. -]{0,9}\s?[:：]\s?\S")
# a line that is only a date (2025. 4., 2025. 3. 4.(화)): the date line of a signature or cover block
_DATE_LINE = re.compile(r"[12][0-9]{3}\. ?[0-9]{1,2}\.(?: ?[0-9]{1,2}\.)?(?: ?\([월화수목금토일]\))?$")
_BILL_TITLE_END = re.compile(r"(?:법률안|개정안|조례안|규칙안)$")
# decisions the word-boundary judge is asked about (the statistics decided them, not a rule)
_ASK_JUDGE = frozenset({"lex_syllable_model", "lex_word_end_syllable"})
# the document's vocabulary glues the two fragments (it writes the word whole, or the next one cannot start a word)
_VOCABULARY_GLUES = frozenset({"lex_joined_seen", "lex_glued_seen", "lex_bound_start"})
# characters either side of a wrap shown to the word-boundary judge
_JUDGE_CONTEXT = 12  # after a sentence end, only a really full line continues


class Decision(str, Enum):
    """What happens at a junction between two consecutive content lines.

    The values are the strings recorded in ``Junction.decision`` (and printed by
    ``trace_clean`` users such as scripts/measure_clean.py); records store
    ``decision.value``, a plain ``str``.
    """

    WORD = "word"  # joined inside a word: nothing inserted
    SPACE = "space"  # joined with one space
    PARTICLE = "particle"  # joined; the stray space before a particle dropped (SEMI 는)
    BREAK = "break"  # paragraph break kept


# ---------------------------------------------------------------------------
# The junction decision
# ---------------------------------------------------------------------------


def _fill(doc: _Doc, A: _Line, B: _Line) -> float:
    """How full line A was, counting the next word (or syllable) that went to B."""
    head = _head_token(B.text)
    if doc.regime != "all" and _HANGUL_RE.match(head):
        unit: float = 2.0  # Korean text may wrap inside a word: one syllable is enough
    else:
        unit = _width(head) + 1
    return (A.width + unit) / doc.capacity


def _is_short(doc: _Doc, A: _Line, B: _Line) -> bool:
    """Would the next word (or syllable) still have fitted on line A?"""
    return _fill(doc, A, B) < SHORT_FILL


def _decide(
    doc: _Doc, lex: _Lexicon, A: _Line, B: _Line, crossed: bool, nxt: _Line | None, head: _Line
) -> tuple[Decision, str]:
    """Decide the junction A|B: (Decision "word"|"space"|"particle"|"break", reason)."""
    fa, fb = A.feat(), B.feat()
    shape = doc.shape
    if shape == "paragraphs":
        return Decision.BREAK, "paragraphs"
    if doc.speakers and _SPEAKER.match(B.text):
        return Decision.BREAK, "speaker"
    if shape == "wrapped":  # a layout engine's wraps; but a sentence that ends where a unit starts ends there
        if B.gap:
            return Decision.BREAK, "gap"
        if fa.sent and (fb.start or (fb.structure and _structure_start(B.text, doc.list_marks))):
            return Decision.BREAK, "structure"
        return _join_kind(doc, lex, A, B)
    # a letter-spaced heading set one syllable per line (발 / 의 / 자) stands alone
    if B.spaced and not _wrap_remainder(doc, B, nxt):
        if A.spaced and not _wrap_remainder(doc, A, B):
            if heading_word_space(doc, lex, A):
                return Decision.SPACE, "letter_spaced_words"  # 사 / 업 / 개 / 요: 사업 개요
            return Decision.WORD, "letter_spaced"
        if nxt is not None and nxt.spaced:
            return Decision.BREAK, "letter_spaced"
    elif A.spaced and A.idx > 0 and doc.lines[A.idx - 1].spaced:
        if not _wrap_remainder(doc, A, B):
            return Decision.BREAK, "letter_spaced"
    if _spaced_line(A) or _spaced_line(B):
        return Decision.BREAK, "letter_spaced"  # a heading set letter-spaced on a line of its own (주  요   내  용)
    # 1. structure of the next line
    if (A.table or B.table) and shape != "blank_lines":
        return Decision.BREAK, "table_row"
    if shape == "layout" and B.indent >= 2:
        return Decision.BREAK, "indented"
    if B.text[0] == "①" and article_title_end(doc.lines[A.idx - 1].text if A.idx else "", A.text):
        return Decision.SPACE, "article_title"  # 제30조의2(층간소음 실태조사 및 개선 권고)|① 시장ㆍ군수ㆍ구청장은
    if fb.start:
        return Decision.BREAK, fb.start
    a_sent = fa.sent
    fill = _fill(doc, A, B)
    # "다." after a full line that stops inside a word ends a sentence (많지 않|다.), not a list item
    wrapped_da = B.text[:2] == "다." and not a_sent and fill >= SHORT_FILL and _HANGUL_RE.match(A.text[-1])
    if wrapped_da and "나" in doc.list_marks and _last_list_mark(doc, A) == "나" and not lex.predicate_end(fa.tail):
        wrapped_da = (
            False  # after a 나. item, 다. that cannot end the word before it (…따른 장애인|다.) is the next item
        )
    if fb.structure and not wrapped_da and _structure_start(B.text, doc.list_marks):
        return Decision.BREAK, "structure"
    if a_sent and _ARTICLE_LINE.match(B.text):
        return Decision.BREAK, "article_line"  # …다음과 같이 개정한다.|제5조제2항에 제6호를 신설한다.
    if a_sent and _ORDINAL.match(B.text) and not any(_INLINE_ORDINAL.search(L.text) for L in doc.lines):
        return Decision.BREAK, "ordinal"  # …필요가 있다.|셋째, in a document that starts a paragraph with each point
    if (a_sent or A.text[-1] == ")" or fa.numbering) and _SECTION_LABEL.match(B.text):
        return Decision.BREAK, "section_label"  # …9개소이다.|(문제점) 이 가운데, …예정이다.|붙임 1.
    first = A if fa.start or A.idx == 0 else doc.lines[A.idx - 1]  # the subtitle's first line: A or the one before
    if A.text[-2:] == " -" and first.text[:2] == "- ":
        return Decision.BREAK, "subtitle_end"  # - 2027년부터 … 확정 -|해양수산부는: a subtitle between dashes ends
    if fa.start == "url":
        return Decision.BREAK, "after_url"
    # a bill's title (…일부개정법률안) and lines that start alike (a title repeated, table rows) stand apart
    if (
        len(A.text) >= 16
        and A.text[:16] == B.text[:16]
        and len(os.path.commonprefix([A.text, B.text])) * 2 >= len(A.text)
    ):
        return Decision.BREAK, "repeated_start"
    if _BILL_TITLE_END.search(A.text[-4:]) and not _BOUND_START.match(B.text):
        return Decision.BREAK, "title_end"
    a_short = fill < (SHORT_FILL_SENTENCE if a_sent else SHORT_FILL)
    if (a_short or a_sent) and _FIELD_LINE.match(B.text):
        return Decision.BREAK, "field_line"  # a contact block: 담당 부서: 식량정책과 / 담당자: 홍길동 사무관
    if contact_junction(A.text, B.text):
        return Decision.BREAK, "contact_line"  # …청년일경험지원과|책임자: 과장 오세진(044-202-7431), whatever A's width
    if _DATE_LINE.match(B.text) and (a_sent or A.text[-1] in ")]" or not (fa.mid_clause or A.text[-1] in ":：")):
        # (…의안번호 제7390호)|2025. 4.: the date of a signature or cover block, after a title that fills its line too
        return Decision.BREAK, "date_line"
    if a_short and not a_sent and shape != "blank_lines" and column_full(doc, A, B):
        a_short = False
    a_open = (not a_sent) and not a_short
    # numbering/weak bullets can be inline enumerations that wrapped to the
    # start of a line: they continue a full line that stops mid-clause
    mid_clause = fa.mid_clause
    if fb.numbering and not wrapped_da and (B.text[0] != "다" or "나" in doc.list_marks):
        # a roman section number (Ⅰ. 분석의 배경) is no inline enumeration: only a clause left open wraps to it
        roman = B.text[0] in _ROMAN_FIRST and _ROMAN_HEAD.match(B.text) is not None
        if not (a_open and (mid_clause or (not A.trail and not roman))):
            return Decision.BREAK, "numbering"
    if fb.weak_bullet:
        if not (a_open and mid_clause):
            return Decision.BREAK, "bullet"
    # 2. vertical gap (only meaningful between lines of the same page)
    if not crossed and not B.page_start:
        if B.gap >= (2 if doc.style == "blank_wrap" else 1):
            return Decision.BREAK, "gap"
    # 3. captions and titles stand alone unless the line is really full
    if head.feat().caption:
        # a caption set in a smaller font runs wider than body text; its
        # continuation lines are wide too, or short (the last one); full: the next syllable or word did not fit
        cap = doc.capacity
        if not (_fill(doc, A, B) >= 1 and (B.width >= cap or B.width < 0.6 * cap)):
            return Decision.BREAK, "after_caption"
    if fa.title_end and not a_sent and not (A.text[-2:] == "제공" and B.text[:1] in _VERB_AFTER_NOUN):
        return Decision.BREAK, "title_end"  # a credit (사진: 연합뉴스 제공), not the verb 제공|하여
    title_tail = (
        fb.title_end
        and B.width < 0.8 * doc.capacity
        and ((not a_sent and (fa.title_line or mid_clause)) or (fa.title_line and fb.credit_line))
    )
    # 4. line length: A ended on purpose (unless it stops mid-clause)
    if a_short and not title_tail and not fa.clause_open:
        return Decision.BREAK, ("sentence_end_short" if a_sent else "short_line")
    # 5. heading after a full sentence-final line: B short, standing alone
    # a quotation standing alone on its line (“계획서와 예산서가 따로 논다”) is a news subheading, sentence or not
    quoted = B.text[0] in '“"' and B.text[-1] in '”"' and len(B.text) > 2
    if a_sent and not title_tail and nxt is not None and B.width < 0.6 * doc.capacity and (quoted or not fb.sent):
        fn = nxt.feat()
        if fn.start or fn.numbering or (_is_short(doc, B, nxt) and nxt.gap >= doc.wrap_gap):
            return Decision.BREAK, "heading"
    # 6. word or in-word
    a_tail, b_head = fa.tail, fb.head
    if fb.particle_head and _particle_join(a_tail, b_head):
        return Decision.PARTICLE, "particle_after_latin"
    at = A.text
    if a_sent and at[-1] in _CLOSING_QUOTES and not A.trail and _QUOTATIVE.match(B.text):
        return Decision.WORD, "quotative_after_quote"  # …어렵다”|고 말했다, …없다”|는 응답
    if a_sent or at[-1] in ",;:" and not (_is_number(at[-2:-1]) and _is_number(b_head[:1])):
        return Decision.SPACE, "punctuation"
    if title_tail:
        if doc.regime == "lexical" and not A.trail and B.text[0] not in "(（—–-":
            return _judged(doc, A, B, _lexical(lex, a_tail, b_head, A.text))  # no trailing-space evidence: as body text
        if A.trail or doc.regime != "mixed":  # a credit stands apart: …허망함 (현대비즈니스, 2020.8.25)
            return Decision.SPACE, "title_continues"
        return Decision.WORD, "title_continues"
    if doc.regime == "all":
        if A.trail:
            return Decision.SPACE, "trailing_space"
        return Decision.WORD, "no_trailing_space"
    if doc.regime == "mixed":
        if A.trail:
            return Decision.SPACE, "trailing_space"
        # no trailing space means "no wrap at a word boundary here": if the
        # vocabulary says A ends a word and B starts one, the line ended on purpose
        if not _missing_space_means_in_word(doc, lex):
            # the extractor drops the space at some word wraps too (pypdf on LibreOffice's PDFs)
            return _judged(doc, A, B, _lexical(lex, a_tail, b_head, A.text))
        if lex.clear_word_boundary(a_tail, b_head):
            return Decision.BREAK, "no_trailing_word_end"
        return Decision.WORD, "no_trailing_space"
    decided = _lexical(lex, a_tail, b_head, A.text)
    if A.trail and decided[1] not in _VOCABULARY_GLUES:  # a stray space pypdf keeps at a few wraps (고 |령자): the
        return Decision.SPACE, "trailing_space"  # document's own spelling outweighs it
    return _judged(doc, A, B, decided)


def _missing_space_means_in_word(doc: _Doc, lex: _Lexicon) -> bool:
    """In a "mixed" document, is a wrap without a trailing space a break inside a word?  Not when most such wraps
    of full lines fall where the document's own statistics put a word boundary: then the extractor just dropped
    the space.  Measured once per document."""
    if lex.mixed_trust is None:
        body = [L for L in doc.lines if L.kind == "body"]
        bare = [
            (A, B)
            for A, B in zip(body, body[1:])
            if not A.trail
            and B.gap == doc.wrap_gap
            and A.width >= 0.8 * doc.capacity
            and not A.feat().sent
            and _HANGUL_RE.match(A.text[-1])
            and _HANGUL_RE.match(B.text[0])
        ]
        spaced = sum(1 for A, B in bare if _lexical(lex, A.feat().tail, B.feat().head, A.text)[0] is Decision.SPACE)
        lex.mixed_trust = len(bare) < 2 or spaced <= 0.6 * len(bare)  # KIEP 6 of 77, Seoul 3 of 13; LibreOffice all
    return lex.mixed_trust


def _judged(doc: _Doc, A: _Line, B: _Line, decided: tuple[Decision, str]) -> tuple[Decision, str]:
    """A wrap only the syllable statistics decided goes to the word-boundary judge, if there is one."""
    if doc.boundary is None or decided[1] not in _ASK_JUDGE:
        return decided
    left, right = A.text[-_JUDGE_CONTEXT:], B.text[:_JUDGE_CONTEXT]
    return (Decision.SPACE if doc.boundary(left, right) else Decision.WORD), "judge"


def _last_list_mark(doc: _Doc, A: _Line, reach: int = 12) -> str:
    """The mark of the nearest 가. 나. 다. item that line A is in or follows (within `reach` lines), or ""."""
    for L in reversed(doc.lines[max(A.idx - reach, 0) : A.idx + 1]):
        if L.kind == "body" and _LIST_ITEM.match(L.text):
            return L.text[0]
    return ""


def _spaced_line(L: _Line) -> bool:
    """Is line L a heading set letter-spaced on a line of its own (주  요   내  용, 2  0  2  7  년   업  무)?"""
    core = L.work.strip(" ")
    return any(e - s == len(core) for s, e in spaced_runs(core))


def _wrap_remainder(doc: _Doc, L: _Line, nxt: _Line | None) -> bool:
    """Is the one-syllable line L the end of a word wrapped from a full line (…확인하였|음), not a syllable of a
    letter-spaced heading?  The heading's syllables stand further apart than a wrap (pdftotext: blank lines
    between them); a remainder follows a full line cut inside a word and the next line at a wrap's gap."""
    if L.idx == 0 or L.gap != doc.wrap_gap or (nxt is not None and nxt.gap != doc.wrap_gap):
        return False
    prev = doc.lines[L.idx - 1]
    return (
        prev.kind == "body"
        and len(prev.text) > 1
        and _HANGUL_RE.match(prev.text[-1]) is not None
        and not prev.feat().sent
        and _fill(doc, prev, L) >= SHORT_FILL
    )


def _lexical(lex: _Lexicon, a: str, b: str, line: str = "") -> tuple[Decision, str]:
    """Word boundary or in-word break from the document's own vocabulary (`line`: the whole line a ends)."""
    lex.ensure_lexicon()
    if a.endswith("-") and len(a) > 1 and a[-2].isalnum() and b[:1].isalnum():
        return Decision.WORD, "lex_hyphen"
    if b[:1] in _CLOSING:
        return Decision.WORD, "lex_closing_punct"  # 수준이다|. : punctuation never starts a word
    if a[-1:] in _OPENING:
        return Decision.WORD, "lex_after_opening"  # (|베이징상보: nothing follows an opening bracket
    if number_cut(a, b, line):
        return Decision.WORD, "lex_number_cut"  # 3,|700명, 1.|6대당: a number cut at its separator
    if _MARKER_END.search(a):
        return Decision.SPACE, "lex_after_marker"  # 제36조(비용의 보조 등) ①|(현행 제목 외의 부분과 같음)
    if (b[:1] in _LIST_DOT and b[1:2].strip()) or (a[-1:] in _LIST_DOT and len(a) > 1):
        return Decision.WORD, "lex_list_dot"  # 시장|ㆍ군수, 시장ㆍ|군수
    ac = a.lstrip(_STRIP_PUNCT_L)
    bc = b.rstrip(_STRIP_PUNCT_R)
    if not ac or not bc:
        return Decision.SPACE, "lex_punct"
    rule = word_rule(a, ac, b, bc)
    if rule is not None:
        return (Decision.SPACE if rule[0] else Decision.WORD), rule[1]
    if ac[-1] in _STRIP_PUNCT_R:
        # closing bracket/quote: a particle attaches (…했다.”|고 했다, (EU)|이), anything else is a new word
        if _BOUND_START.match(bc) or bc in _PARTICLES_OTHER or _AFTER_QUOTE.match(b):
            return Decision.WORD, "lex_particle_after_bracket"
        if b[0] in "(（":  # …”|(2023. 5. 29.): as the document writes a bracket after this closing mark
            glued, spaced = lex.paren_after(ac[-1])
            if glued > spaced:
                return Decision.WORD, "lex_paren_after_bracket"
        return Decision.SPACE, "lex_after_bracket"
    if ac[-1].isascii() and ac[-1].isalpha() and bc[0].isascii() and bc[0].isupper():
        caps = _CAPS_END.search(ac), _CAPS_START.match(bc)
        if caps[0] and caps[1] and len(caps[0].group().lstrip("0123456789.,")) + len(caps[1].group()) <= 6:
            return Decision.WORD, "lex_acronym_cut"  # ES|G의, O|ECD, 2.4M|W: capitals on both sides, one acronym
        return Decision.SPACE, "lex_latin_words"  # Courrier|Japan: a capital starts a new Latin word
    if _SEPARATE_VERB_BEFORE.search(ac) and bc[0] in "하한할했합함해":
        return Decision.SPACE, "lex_separate_verb"  # 미치게|한다면, 힘이기도|하지만: always spaced
    if b[0] in "(（":
        if lex.spaced_paren_style():
            return Decision.SPACE, "lex_paren_follows_spaced"
        return Decision.WORD, "lex_paren_follows"
    if _is_number(bc[0]) and (_is_number(ac[-1]) or _ARTICLE_BRANCH.search(ac)):
        return Decision.WORD, "lex_digits"  # 2|026, 제22조의|2
    unit = _UNIT_AFTER_NUMBER.match(bc) if _is_number(ac[-1]) else None
    if unit:
        glued, spaced = lex.number_unit_counts(unit.group())
        if spaced > 2 * glued:
            return Decision.SPACE, "lex_number_unit_spaced"  # the document writes 1700 만, 2020 년
        return Decision.WORD, "lex_number_unit"
    if _ARTICLE_REF.match(bc):
        return Decision.SPACE, "lex_article"  # 제8조, 제2항: a word of its own
    if len(ac) >= 2 and len(bc) >= 2 and _HANGUL_RE.match(ac[-1]) and _HANGUL_RE.match(bc[0]):
        # both readings as the document writes them elsewhere: 무더위쉼터 (glued) against 사회 전반 (spaced)
        glued = lex.prefix_count(ac + bc[:2], lex.start_sorted)
        spaced = lex.pair_count.get(ac + " " + bc[:2], 0)
        if glued == spaced == 0:
            # the end of a long compound (온실가스감축인지예산|서를): the document's compounds that hold its last
            # two syllables and the next word's start glued (예산서가), against pairs of words that split there
            glued = lex.glued_inside(ac[-2:] + bc[:2])
            spaced = lex.pair_tail_count.get(ac[-2:] + " " + bc[:2], 0)
        if glued > spaced:
            return Decision.WORD, "lex_glued_seen"
        if spaced > glued:
            return Decision.SPACE, "lex_spaced_seen"
        if institution_cut(ac, bc):
            return Decision.WORD, "lex_institution"  # 행정복지|센터, 보건복지부|장관: an institution's name
    joined = ac + bc
    j = lex.prefix_count(joined)
    if (_BOUND_START.match(bc) or _BOUND_START.match(b)) and not (
        bc[0] in "하했시" and ac[-1] in _BEFORE_SEPARATE_VERB
    ):
        if not _WORD_END.search(ac[-6:]):
            return Decision.WORD, "lex_bound_start"
        if not (j and j >= lex.tok_count.get(ac, 0)):
            # 마을|과: a bound start after what may end a word; the syllable statistics (or the judge) decide
            lex.ensure_syllables()
            p = lex.boundary_probability(ac, bc)
            return (Decision.SPACE if p >= LEX_GLUE_BELOW else Decision.WORD), "lex_syllable_model"
    if j and j >= lex.tok_count.get(ac, 0):
        return Decision.WORD, "lex_joined_seen"
    end = _WORD_END.search(ac[-6:])
    if end:
        # a one-syllable particle ending (…을, …의) may be part of the word (의|존): the judge may say so
        return Decision.SPACE, ("lex_word_end" if len(end.group()) > 1 else "lex_word_end_syllable")
    lex.ensure_syllables()
    p = lex.boundary_probability(ac, bc)
    return (Decision.SPACE, "lex_syllable_model") if p >= LEX_GLUE_BELOW else (Decision.WORD, "lex_syllable_model")


def _join_kind(doc: _Doc, lex: _Lexicon, A: _Line, B: _Line) -> tuple[Decision, str]:
    """Word/in-word decision only (for footnote continuation lines)."""
    at = A.text
    if _particle_join(_tail_token(at), _head_token(B.text)):
        return Decision.PARTICLE, "particle_after_latin"
    if at[-1] in _CLOSING_QUOTES and not A.trail and _QUOTATIVE.match(B.text):
        return Decision.WORD, "quotative_after_quote"
    if _sentence_final(at) or at[-1] in ",;:":
        return Decision.SPACE, "punctuation"
    if doc.regime in ("all", "mixed") and (A.trail or doc.shape != "wrapped"):
        return (Decision.SPACE, "trailing_space") if A.trail else (Decision.WORD, "no_trailing_space")
    # a PDF reader's wraps: a space it saw at the line end is a word boundary; no space is no evidence
    return _judged(doc, A, B, _lexical(lex, _tail_token(at), _head_token(B.text), at))
