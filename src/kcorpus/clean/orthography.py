"""Words at a line wrap by the rules of Korean orthography: what needs no statistics and no judge.

``word_rule`` and ``number_cut`` are asked by ``junctions._lexical`` before the document's vocabulary, its
syllable statistics and Kiwi's spacing model (which glues some of these word boundaries and splits some of these
words): quotes, ``%``, 하다 after its ending, legal citations, numbers cut at a separator, the endings -고자 and
-는지, an acronym in brackets, a name cut in a list of names.  Measured in scripts/clean_rules.md (version 8).
"""

from __future__ import annotations

import re
import unicodedata

from kcorpus.clean.patterns import _HANGUL_RE

# particles and quotative endings after a closing quote or bracket
_AFTER_QUOTE = re.compile(
    r"(?:이?라고|이?라며|이?라면서|이?라|고|며|면서|이?라는|이?란|으로부터|로부터|에서|에게|부터|까지|처럼|보다|인|"
    r"이|가|은|는|을|를|의|에|로|으로|와|과|도)"
    r"(?=[\s.,]|했|한|하|말|밝|전|강|$)"
)
# an article, paragraph or item number cut from its counter (제5조제2|항) or a citation cut before its lower
# level (제32조의2|제3항): legal citations write the levels glued (제32조의2제3항)
_ARTICLE_NUMBER_END = re.compile(r"제[0-9]{1,4}$")
_ARTICLE_COUNTER = re.compile(
    r"^[조항호장절관편목](?:(?![가-힣])|(?:의|에|을|를|은|는|이|과|와|으로|부터|까지|제)(?![가-힣]))"
)
_CITATION_END = re.compile(r"제[0-9]{1,4}[조항](?:의[0-9]{1,3})?$")
# a number cut at its thousands separator (3,|700) or decimal point (전기차 1.|6대당; not a list number after a
# sentence end: 같다. 1.|2026년)
_NUMBER_CUT = re.compile(
    r"(?:^|[^0-9.,])[0-9]{1,3}(?:,[0-9]{3})*,$|[가-힣A-Za-z%()] ?[0-9]{1,3}\.$|[-+−][0-9]{1,3}\.$"  # (92.|1%)
    r"|(?<![0-9])[12][0-9]{3}\.[0-9]{1,2}\.$"  # a date written without spaces: 2020.8.|28
    r"|(?<![0-9:])[0-9]{1,2}:$"  # a time cut at its colon: 09:|00
)
# a time or a telephone number starts a word of its own (평일|09:00, 전화|061-286-2741); a weekday in brackets
# goes with the date before it (2027. 11. 30.|(화))
_TIME_OR_PHONE = re.compile(r"(?:[0-9]{1,2}:[0-9]{2}|0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4})(?![0-9])")
# a word glossed in Hanja at the start of a line (해태(懈怠)를): the gloss spells the whole word it follows
_GLOSSED_START = re.compile(r"([가-힣]+)\(([\u4e00-\u9fff]+)\)")
# a date by its year (2026. 2., 2026년): in the truth sets never glued to the syllable before it
_YEAR_DATE = re.compile(r"[12][0-9]{3}(?:\.(?: ?[0-9]|$)|년)")
_WEEKDAY = re.compile(r"\([월화수목금토일]\)")
# a verbal noun glossed in Hanja and its 하다/되다: one word (세굴(洗掘)|되거나; not 교각(橋脚)|하부, 교각(橋脚) 한 곳)
_HANJA_GLOSS_END = re.compile(r"\([\u4e00-\u9fff]{1,8}\)$")
_VERB_AFTER_GLOSS = re.compile(
    r"(?:하(?:다|여|고|는|며|면|지|게|기|였|도록)|했|함|됨|되(?:어|고|는|며|면|지|게|기|었|도록|거나)|된|될|됐|돼)"
)
_THOUSANDS = re.compile(r"[0-9]{3}(?![0-9])")
# endings after which 하다 is a verb of its own: …까지로 한다, …이라 한다, …하기로 한다
_BEFORE_HADA = re.compile('(?:으로|[”"’」』]로|이라|까지로|기로|고자)$')  # …”로 한다: an amendment
_HADA = re.compile(r"^(?:한다|하다|하며|하고|하는|할|함|하여|했다|합니다|하되|하기)(?![가-힣])")
# a date written without spaces cut after its year: (2020.|8.4), 2020.|08.28 (not 2023.|5. 29.)
_YEAR_END = re.compile(r"(?<![0-9.])[12][0-9]{3}\.$")
_COMPACT_MONTH_DAY = re.compile(r"[0-9]{1,2}\.[0-9]")
# an ending or particle that goes on across the wrap: 으로|부터, 에서|부터, 하여|야, 되어|서는 (one word)
_EXTENSIBLE_END = re.compile(
    r"(?:(?:으로|에서|에게서)(?=\|부터)|(?:하여|되어|해|돼|[가-힣][어아여워와])(?=\|(?:야|서)))"
)
_EXTENSION = re.compile(r"^(?:부터|야|서)(?:만|는|도|의|야|말로)?(?=$|[\s.,;:!?)’”」』｣])")
# a period of time and the suffix 간 (4년|간, 15일|간의): one word
_PERIOD_END = re.compile(r"[0-9](?:년|개월|일|주|시간)$")
_GAN = re.compile(r"^간(?:$|[^가-힣]|(?:의|에|은|을|이|동안)(?![가-힣]))")
# conjunctive words that always stand alone (…시설 및|제수밸브, …또는|군수): a word boundary either side
_CONJUNCTIONS = frozenset(("및", "또는", "혹은", "그리고", "내지"))
_LOWER_LEVEL = re.compile(r"^제[0-9]{1,4}[항호목]")
# a quotative or particle after a closing quote that ends a quoted sentence (…어렵다”|고 말했다)
_CLOSING_QUOTES = frozenset("”’\"'」』")
_QUOTATIVE = re.compile(r"(?:이?라고|이?라며|이?라면서|이?라는|고|며|면서|는|하고|하며|하면서)(?=[\s.,)]|$)")
# the ending -는지/-ㄹ지 with a particle (부담하는지에, 할지를): not the noun 지역, nor 지 as a bound noun (한 지 3년)
_JI_AFTER = re.compile(r"지(?:에|를|가|의|도|는|와|만|부터|조차)(?=[\s.,)]|$)")
_RIEUL = 8
_ACRONYM_OPEN = re.compile(r"\([A-Z][A-Z0-9&]{0,7}$")
_ACRONYM_CLOSE = re.compile(r"[A-Z0-9&]{1,8}\)")
# an opening quote or corner bracket starts a word of its own (…단지 안에|「환경친화적…, (이하|“기본계획”)
_OPENING_QUOTE = frozenset("‘“「『《〈")
# what may follow a percent sign in the same word: particles (10%에도), the copula, 포인트, 대 (30%대)
_AFTER_PERCENT = re.compile(
    r"^(?:(?:에|로|와|과|으로)?[가는를은의로에와과도만나](?=$|[\s.,;:!?)’”」』｣])|이(?=$|[\s.,]|다|며|고|었|나|지|므|라|어)|인(?=$|[\s,]|데|지|가)|였|에서|에게|까지|부터|보다|으로|"
    r"포인트|대(?=[에의가를로는]|$)|p)"
)


def _symbol_word(ch: str) -> bool:
    """Is `ch` a pictograph written as a word of its own (☎ 031-850-2741, ✉ 주소, ★ 표시): a symbol of the geometric
    shapes, miscellaneous symbols, dingbats or emoji blocks (not a unit sign: 35℃, 10㎡; nor ™ ©)?"""
    return unicodedata.category(ch) == "So" and ("\u25a0" <= ch <= "\u27bf" or ch >= "\U0001f300")


def _final_consonant(syllable: str) -> int:
    """The index of a Hangul syllable's final consonant (0: none; 8: ㄹ), -1 for anything else."""
    code = ord(syllable) - 0xAC00
    return code % 28 if 0 <= code < 11172 else -1


def _list_item_cut(a: str, b: str) -> bool:
    """Is the wrap inside the last item of a middle-dot list whose items all have one length (names:
    김서준ㆍ최지아ㆍ한|도윤), the part on the next line completing that length?"""
    items = a.split(" ")[-1].split("ㆍ")
    if len(items) < 3 or not items[-1]:
        return False
    size = len(items[0])
    if size < 2 or any(len(x) != size for x in items[:-1]) or len(items[-1]) >= size:
        return False
    rest = re.split(r"[ㆍ\s,.)]", b, maxsplit=1)[0]
    return len(items[-1]) + len(rest) == size and _HANGUL_RE.fullmatch(rest[:1] or " ") is not None


def number_cut(a: str, b: str, line: str = "") -> bool:
    """A number cut at its thousands separator, decimal point or colon, or a date before its weekday (`line`: the
    whole line that `a` ends)."""
    if a[-1:] == "." and a[-2:-1].isdigit() and _WEEKDAY.match(b):
        return True  # a date cut before its weekday: 2027. 11. 30.|(화)
    if not _NUMBER_CUT.search(line[-8:] or a):
        return False
    return bool(_THOUSANDS.match(b)) if a[-1] == "," else b[:1].isdigit() and b[:1].isascii()


# the name of an institution and of its head, written as one word (행정복지센터, 산업안전보건위원회, 보건복지부장관)
_INSTITUTION = re.compile(r"(?:센터|위원회)")
_MINISTER = re.compile(r"[장차]관")
_NOT_A_NOUN_END = frozenset("은는이가을를의에도와과로며고서다면만게께터럼")


def institution_cut(ac: str, bc: str) -> bool:
    """Is the wrap ac|bc inside an institution's name: a noun of two syllables or more (not one that ends in a
    particle or an ending) and 센터 or 위원회, or a ministry (…부, …처, …청) and 장관 or 차관?  Not 위 위원회 (the
    said committee), 한정우 장관 (a name and a title)."""
    if len(ac) < 2 or not (_HANGUL_RE.match(ac[-1]) and _HANGUL_RE.match(ac[-2])):
        return False
    if _MINISTER.match(bc):
        return ac[-1] in "부처청"
    return _INSTITUTION.match(bc) is not None and ac[-1] not in _NOT_A_NOUN_END


def word_rule(a: str, ac: str, b: str, bc: str) -> tuple[bool, str] | None:
    """(spaced, reason) when orthography decides the wrap a|b (ac, bc: without the punctuation around them),
    else None."""
    if b[:1] in _OPENING_QUOTE or (b[:1] == '"' and _HANGUL_RE.match(b[1:2]) and not _AFTER_QUOTE.match(b[1:])):
        return True, "lex_before_quote"  # 안에|「환경친화적, (이하|“기본계획”이라 한다)
    if (ac[-1:] and _symbol_word(ac[-1]) and bc[:1].isalnum()) or (
        bc[:1] and _symbol_word(bc[0]) and ac[-1:].isalnum()
    ):
        return True, "lex_symbol"  # (☎|031-850-2741): a pictograph stands apart from the word beside it
    if a.split(" ")[-1] in _CONJUNCTIONS or bc.split(" ")[0] in _CONJUNCTIONS or b.split(" ")[0] in ("-", "–", "—"):
        return True, "lex_standalone"  # 및|제수밸브, 넓혀|- (a closing dash of a subtitle)
    if _HANGUL_RE.match(ac[-1]) and (_TIME_OR_PHONE.match(bc) or _YEAR_DATE.match(b)):
        return True, "lex_time_or_phone"  # (평일|09:00∼18:00), (전화|061-286-2741), 이후인|2026. 2. 무렵
    gloss = _GLOSSED_START.match(b) if _HANGUL_RE.match(ac[-1]) else None
    if gloss:  # 의무|해태(懈怠)를: the glossed word starts here; 층간|소음(層間騷音)은: it started on the line before
        return len(gloss.group(1)) >= len(gloss.group(2)), "lex_glossed_word"
    if _HANJA_GLOSS_END.search(a) and _VERB_AFTER_GLOSS.match(b):
        return False, "lex_verb_after_gloss"  # 세굴(洗掘)|되거나
    if _YEAR_END.search(ac) and _COMPACT_MONTH_DAY.match(bc):
        return False, "lex_compact_date"  # (2020.|8.4)
    if _PERIOD_END.search(ac) and _GAN.match(bc):
        return False, "lex_period_gan"  # 4년|간, 15일|간의
    if _ARTICLE_NUMBER_END.search(ac) and _ARTICLE_COUNTER.match(bc):
        return False, "lex_article_counter"  # 제5조제2|항
    if _CITATION_END.search(ac) and _LOWER_LEVEL.match(bc):
        return False, "lex_citation"  # 제32조의2|제3항
    if ac[-1] == "%" and _HANGUL_RE.match(bc[0]):
        if _AFTER_PERCENT.match(bc):
            return False, "lex_percent_particle"  # 30%|를, 5%|포인트
        return True, "lex_after_percent"  # 30%|남짓, 95%|이상
    if ac[-1] == "고" and len(ac) >= 2 and bc.split(" ")[0] == "자":
        return False, "lex_ending_goja"  # 도출하고|자 한다: the ending -고자
    if _JI_AFTER.match(bc) and (ac[-1] == "는" or _final_consonant(ac[-1]) == _RIEUL):
        return False, "lex_ending_ji"  # 부담하는|지에, 할|지를: the ending -는지/-ㄹ지
    if _list_item_cut(ac, bc):
        return False, "lex_list_item"  # 최지아ㆍ한|도윤: an item of a list of like items cut short
    if _ACRONYM_OPEN.search(a) and _ACRONYM_CLOSE.match(b):
        return False, "lex_acronym"  # 협의체(I|PCC), 감축목표(ND|C): an acronym in brackets cut
    if _EXTENSION.match(bc) and _EXTENSIBLE_END.search(ac[-3:] + "|" + bc[:2]):
        return False, "lex_ending_goes_on"  # 기관으로|부터, 반납하여|야, 되어|서는
    if _BEFORE_HADA.search(ac) and _HADA.match(bc):
        return True, "lex_separate_verb"  # 오후 9시까지로|한다, “기본계획”이라|한다
    return None
