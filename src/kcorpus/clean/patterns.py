"""Character classes, patterns, particle lists and small pure string helpers of the text repair.

Everything here is a constant or a pure function of its string arguments: no document
state.  The stages (``lines``, ``furniture``, ``junctions``, ``assembly``) share them.
"""

from __future__ import annotations

from kcorpus import lazy_re as re  # compiles each pattern on first use (a warm run needs few)

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

_STRONG_BULLETS = set("◦∙▶■◆○•※▷◎●□▪◇★☆▣➢❍❑✓✔▍▌➤⇒◈◼◾▸►◉⦁❖▹➔✦✧♦◐◑◘") | {
    chr(c)
    for c in range(0x2460, 0x2474)  # ①..⑳: paragraph marks of statutes and bills
}
_WEAK_BULLETS = set("△▲▽‣")
_DASHES = set("-–·")

_NUMBERING = re.compile(
    r"^(?:"
    # 1.  2의2.  4.양자  (not "11. 21." dates, not "8.)")
    r"[0-9]{1,2}(?:의[0-9]{1,2})?\.(?!\s*[0-9]{1,2}\.)(?=\s*[^\s0-9).,:;\]’”'\"」』｣])"
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
# starts of structural units that are never joined to the line before, whatever its length:
# articles (제9조(목적), 제9조의2, 제9조 삭제), chapters and sections, 부칙, list markers followed
# by a space (1. 가. ㄱ. (1) 1) 가) (가)), "* note"; references such as "제9조에 따라" are not starts
_STRUCTURE = re.compile(
    r"^(?:"
    r"제\s?[0-9]{1,4}\s?조(?:의\s?[0-9]{1,3})?(?:\s*\(|\s+삭제|\s*$)"
    r"|제\s?[0-9]{1,3}\s?[장절편관](?:\s|$)"
    r"|제\s?[0-9]{1,3}\s?항(?:\s*\(|\s*$)"
    r"|부\s*칙(?:\s*$|\s*[<(〈])"
    r"|[0-9]{1,2}(?:의[0-9]{1,2})?\.\s(?![0-9]{1,2}\.)"
    r"|[가나다라마바사아자차카타파하ㄱ-ㅎ]\.\s"
    r"|\(?[0-9]{1,2}\)\s"
    r"|\(?[가나다라마바사아자차카타파하]\)\s"
    r"|\*\s"
    r")"
)
# a bill's amendment instruction: "제8조에 제4항을 다음과 같이 신설한다.", "제71조제2항 중 "하자"를 ... 한다."
_AMENDMENT = re.compile(
    r"^제\s?[0-9]{1,4}\s?조(?:의\s?[0-9]{1,3})?\S*\s.*(?:다음과 같이 \S+한다|로 한다|을 삭제한다|를 삭제한다)\.$"
    r"|^제[0-9]{1,4}조(?:의[0-9]{1,3})?(?:제[0-9]{1,3}[항호](?:의[0-9]{1,3})?)* 중 [\"“‘]"  # 제12조제3항 중 "…"를
)
# a turn of a chat log, minutes or an interview: a speaker's label (민지: / 사회자: / Q:) and the words; a document
# with SPEAKER_LINES such lines is read turn by turn (a laugh at a line end, ㅋㅋ, does not run into the next name)
_SPEAKER = re.compile(r"^[" + _H + r"A-Za-z]{1,8}\s?[:：]\s")
SPEAKER_LINES = 3
# a field of a contact block with a longer label (청운구 소상공인지원센터: 02-…): only with a telephone number
_CONTACT_FIELD = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z. -]{0,15}\s?[:：]\s?\S")
# the label of a contact or signature field, or a telephone number: such a line is a field of its own
_CONTACT_LABEL = re.compile(
    r"^(?:담당|책임|문의|연락|전화|팩스|이메일|전자우편|메일|E-?mail|Tel|Fax|홈페이지|주소|부서|작성)", re.IGNORECASE
)
_PHONE = re.compile(r"(?<![0-9])0[0-9]{1,2}[-)][0-9]{3,4}-[0-9]{4}(?![0-9])")
_PHONE_END = re.compile(r"(?<![0-9])0[0-9]{1,2}[-)][0-9]{3,4}-[0-9]{4}\)?$")
# a unit of a report or notice after a sentence end: a bracketed label (문제점) / (조치할 사항), an attachment
# (붙임 1., 별첨 2)
_SECTION_LABEL = re.compile(r"\([가-힣]{2,6}(?: [가-힣]{1,6})?\) ?[가-힣]|(?:붙임|별첨|첨부) ?[0-9]{1,2}(?:\.|\s|$)")
# an ordinal that opens a point of an argument (셋째,); written after a sentence end inside a line, the document runs
# its points on in one paragraph
_ORDINAL = re.compile(r"(?:첫|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열)째,")
_INLINE_ORDINAL = re.compile(r"[.?!”’] (?:첫|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|열)째,")
# an article's number and title (제30조의2(층간소음 실태조사 및 개선 권고)): its first paragraph ① follows on its line
_ARTICLE_TITLE = re.compile(r"제\s?[0-9]{1,4}\s?조(?:의\s?[0-9]{1,3})?\s?\([^()]*\)")
# a gap of 3+ spaces between columns (table cells), not inside a letter-spaced heading (발    의    자)
_COLUMN_GAP = re.compile(r"\S\S {3,}\S|\S {3,}\S\S")
_STRUCTURE_FIRST = frozenset("제부0123456789가나다라마바사아자차카타파하ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ(*")
# letter-spaced headings and labels: single syllables spaced apart (부      칙, 발 의 자 :, (생 략))
_SPACED_WIDE = re.compile("(?<![" + _H + "])[" + _H + "](?: {2,}[" + _H + "])+(?![" + _H + "])")
# the same with the digits, roman numerals and periods of a heading's number (2  0  2  7  년, Ⅱ  .  추  진, 제  1  장)
_HEAD_CHARS = _H + "0-9ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ."
_SPACED_NUMBERED_HEAD = re.compile(f"(?<![{_HEAD_CHARS}])[{_HEAD_CHARS}](?: {{2,}}[{_HEAD_CHARS}])+(?![{_HEAD_CHARS}])")
_SPACED_WHOLE = re.compile(r"^[(<〈]?[" + _H + "](?: [" + _H + "])+[)>〉]?$")
_SPACED_PAREN_WORD = re.compile(r"[(<〈][" + _H + "](?: [" + _H + "])+[)>〉]")
_SPACED_LABEL = re.compile(r"^[" + _H + "](?: [" + _H + r"])+(?= ?[:：])")
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
_MARKER = re.compile(r"(?:(?<=[" + _H + r"’”」』｣〉》)])|(?<=[" + _H + r"][.,]))([0-9]{1,3})\)(?![0-9])")
_SENT_END = re.compile(
    r"(?:[" + _H + r"][.?!…]|[)\]][.]|[.?!][’”'\"」』｣)]+|[" + _H + r"]\?|[다요][’”」』])[’”'\"」』｣)]*$"
)
_OPEN_END = set(",;:(‘“「『｢〈《[·")
_PAGENUM_STRONG = re.compile(
    r"^(?:[-–—]\s*(?:[0-9]{1,4}|[ivxlc]{1,7}|[IVXLC]{1,7})\s*[-–—]|(?:page|p\.)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?|[0-9]{1,4}\s*쪽)$",
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
    r"|(?:가|은|도|만|서|러|며|면|고|게|지|야|여|어|아)(?=$|[\s.,;:!?)’”」』｣])|(?:다|음|함|임|됨)[.?!]"
    r"|었|였|았|겠|됨\.|함\.|임\.|다\.|음\.|"
    r"하(?:는|여|고|며|면|였|기|지|던|도록)|했|한다|시키|시켜)"
)
# syllables after which a following 하-form is a separate verb (빠지게 할, 일을 하는)
_BEFORE_SEPARATE_VERB = set("게이가을를도만고서지은는에로와과의야록")
_WORD_END = re.compile(
    r"(?:에서|에게|으로|부터|까지|하는|되는|있는|없는|하고|하며|하여|되어|했다|한다|된다|이다|"
    r"하면서|되면서|으며|이며|[을를는와의며고])$"
)
_UNIT_AFTER_NUMBER = re.compile(
    r"^(?:년|월|일|명|개|만|억|조|천|원|달러|위안|엔|유로|톤|회|차|배|%|세|시|분|건|곳|가지|층|호|권|대|km|kg"
    r"|기(?![가-힣])|기(?=[을를의는가이와과에로도만]))"  # 5기를 (facilities counted), not 기간, 기업, 기준
)

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
# a character of a letter-spaced heading (a syllable, a digit, a roman numeral, a period: 제 1 장, Ⅱ. 추 진)
_SPACED_CHAR = re.compile(f"[{_HEAD_CHARS}]")
_STRIP_PUNCT_L = "‘“\"'(「『｢〈《[<"
_STRIP_PUNCT_R = "’”\"')」』｣〉》]>.,;:!?…"


#: lines this close to a page top or bottom (non-blank lines) count as page edges
_EDGE_LINES = 2


def spaced_runs(work: str) -> list[tuple[int, int]]:
    """Spans of letter-spaced headings in a line: single syllables two spaces apart or more (부      칙), and
    runs that also hold a heading's number when syllables are most of them (2  0  2  7  년, not 남  1  여  2)."""
    if "  " not in work:
        return []
    found = [m.span() for m in _SPACED_WIDE.finditer(work)]
    for m in _SPACED_NUMBERED_HEAD.finditer(work):
        chars = m.group().replace(" ", "")
        hangul = sum(1 for c in chars if "가" <= c <= "힣")
        if hangul >= 2 and 2 * hangul > len(chars) > hangul:
            found.append(m.span())
    return found


def _furniture_key(line: str) -> str:
    """A line as drop-level furniture is matched: spaces collapsed, digits masked (``- 3 -`` -> ``- # -``)."""
    return _DIGITS.sub("#", " ".join(line.split()))


def _is_number(s: str) -> bool:
    """True for a non-empty run of ASCII digits only (not ①, ², ３ or other Unicode digits)."""
    return s.isascii() and s.isdigit()


def _width(s: str) -> float:
    """Width as a proportional font sets it, in half-ems: Hangul/CJK 2, a space 0.6, a digit 1.2, ``.`` and
    ``,`` 0.6, other ASCII 1 (UTF-8 length trick and str.count, no per-char loop)."""
    w = (len(s.encode("utf-8", "surrogatepass")) + len(s)) // 2
    if s.isascii() or " " not in s and "." not in s:
        return w
    return w - 0.4 * (s.count(" ") + s.count(".") + s.count(",")) + 0.2 * sum(map(s.count, "0123456789"))


def _paren_delta(s: str) -> int:
    return s.count("(") + s.count("（") - s.count(")") - s.count("）")


def _char_class_str(t: str) -> str:
    """Map a token to syllables, with digits/Latin/other collapsed to one class each."""
    return _CLASS_DIGIT.sub("0", _CLASS_LATIN.sub("a", t))


# ---------------------------------------------------------------------------
# Line shape (structure at the start or end of a line)
# ---------------------------------------------------------------------------


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


def _structure_start(text: str, marks: set[str] | None = None) -> bool:
    """Does the line start a structural unit (article, chapter, 부칙, list marker + space)?

    With `marks` (the first characters of the document's ``가.``-style markers), ``다.`` starts a unit
    only when ``나.`` is in use too (else it is the end of a wrapped sentence: ``있|다. ``)."""
    if text[0] not in _STRUCTURE_FIRST:
        return False
    if _STRUCTURE.match(text) is None:
        return text[0] == "제" and _AMENDMENT.match(text) is not None
    return text[0] != "다" or text[1] != "." or marks is None or "나" in marks


def _numbering(text: str) -> bool:
    return bool(_NUMBERING.match(text))


def _weak_bullet(text: str) -> bool:
    """Markers that are bullets at a paragraph start but also enumerate inline (△, ①)."""
    c = text[0]
    return c in _WEAK_BULLETS and c not in _DASHES


def _dash_bullet(text: str) -> bool:
    """ "- item" (a dash followed by a space; not -4.9%, not ·word)."""
    return text[0] in _DASHES and len(text) > 1 and text[1] == " "


def _head_token(text: str) -> str:
    i = text.find(" ")
    return text if i < 0 else text[:i]


def _tail_token(text: str) -> str:
    i = text.rfind(" ")
    return text if i < 0 else text[i + 1 :]


# ---------------------------------------------------------------------------
# Footnotes and particles
# ---------------------------------------------------------------------------


def _footnote_finished(text: str) -> bool:
    """A footnote line that ends a note: final full stop, no bracket left open."""
    return bool(_FN_END.search(text[-12:])) and _paren_delta(text) <= 0


# a line that starts with a list marker: the word after it is no particle (2) 을 제6호증: exhibit B-6 of a judgment)
LIST_MARK_ONLY = re.compile(r"\s*(?:\(?[0-9]{1,3}[).]|[①-⑳])")


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


def article_title_end(prev: str, line: str) -> bool:
    """Does `line` end an article's title (제5조(위원회의 구성), on this line or begun on the line before, `prev`)?"""
    if line[-1:] != ")":
        return False
    return bool(_ARTICLE_TITLE.fullmatch(line) or (prev[:1] == "제" and _ARTICLE_TITLE.fullmatch(prev + " " + line)))


def contact_junction(a: str, b: str) -> bool:
    """Do lines `a` and `b` stand apart as fields of a contact block, whatever the width of `a`?  `b` is a
    labelled field (책임자: 과장 …) or a field that ends with its telephone number (책임자 과장 최동현 (044-205-7410)),
    or `a` is one."""
    if _CONTACT_LABEL.match(b) and _PHONE_END.search(b):  # not a sentence: 전화 031-850-2741)로 문의하면
        return True
    if (_CONTACT_LABEL.match(a) or _CONTACT_FIELD.match(a)) and _PHONE_END.search(a):
        return True
    return _CONTACT_FIELD.match(b) is not None and bool(_CONTACT_LABEL.match(b) or _PHONE.search(b))
