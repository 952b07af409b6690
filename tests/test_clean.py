"""Tests for kcorpus.clean: one positive and one negative case per repair rule,
the bundled-corpus targets, an exact line-map check and a Hangul-preservation property."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcorpus.clean import (
    CLEAN_VERSION,
    CleanedText,
    clean_text,
    passthrough,
    trace_clean,
)

CORPUS_DIR = Path(__file__).parent.parent / "corpus"
KIEP = "kiep-north-korea-external-relations-2024.txt"
SEOUL = "seoul-city-diplomacy-covid19-2020.txt"
KIC = "kic-china-startup-weekly-195-2020.txt"
HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")


def read(name: str) -> str:
    return (CORPUS_DIR / name).read_text(encoding="utf-8")


def wrapped(*lines: str) -> str:
    """Lines as the bundled PDF extractions give them: a blank line after every line."""
    return "\n\n".join(lines) + "\n"


def paras(res: CleanedText) -> list[str]:
    return [res.text[s:e] for s, e in res.paragraphs]


def check_invariants(res: CleanedText, source: str, cleaned: bool = True) -> None:
    text = res.text
    # paragraphs: in order, non-overlapping, non-empty, stripped, "\n\n" between them
    prev_end = -2
    for s, e in res.paragraphs:
        assert e > s
        assert s >= prev_end + 2
        chunk = text[s:e]
        assert chunk == chunk.strip()
        if prev_end >= 0:
            between = text[prev_end:s]
            if cleaned:
                assert between == "\n\n"
            else:
                assert not between.strip() and re.search(r"\n[^\S\n]*[\n\r]", between)
        if cleaned:
            assert "\n\n" not in chunk
        prev_end = e
    if res.paragraphs and cleaned:
        assert res.paragraphs[0][0] == 0 and res.paragraphs[-1][1] == len(text)
    # line map: sorted offsets, parallel numbers within the source
    n_lines = len(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert list(res.line_offsets) == sorted(set(res.line_offsets))
    assert len(res.line_offsets) == len(res.line_numbers)
    assert all(1 <= n <= n_lines for n in res.line_numbers)
    if text:
        assert res.line_offsets[0] == 0
    # JSON round trip
    d = json.loads(json.dumps(res.to_dict()))
    assert CleanedText.from_dict(d) == res


# ---------------------------------------------------------------------------
# Junctions: in-word, word boundary, paragraph break
# ---------------------------------------------------------------------------

IN_WORD = wrapped(
    "국제사회는 코로나19 팬데믹 이후 새로운 안보 개념을 논의하고 있으며 특히 인간",
    "안보 개념이 다시 주목받고 있다. 도시 정부도 보건 문제에 적극적으로 대응하고 ",
    "있으며 국제사회는 협력을 강화하고 있다.",
)


def test_joined_in_word_without_trailing_space():
    res = clean_text(IN_WORD)
    assert "특히 인간안보 개념이" in res.text
    assert res.repairs["joined_in_word"] == 1


def test_joined_with_space_after_trailing_space():
    res = clean_text(IN_WORD)
    assert "대응하고 있으며" in res.text  # negative for in-word: not "대응하고있으며"
    assert "대응하고있으며" not in res.text
    assert res.repairs["joined_with_space"] == 1
    assert len(res.paragraphs) == 1


def test_digits_after_hangul_join_in_word():
    res = clean_text(
        wrapped(
            "서울시의 방역 대응은 성공적이었다고 평가받고 있으며 특히, 코로나",
            "19 사태는 비전통 안보에서 도시의 중요성과 필요성을 한층 더 높였다. ",
            "마지막 문장이다.",
        )
    )
    assert "특히, 코로나19 사태는" in res.text


def test_lexical_regime_uses_document_evidence():
    # no line carries a trailing space: the joined form seen elsewhere decides
    text = wrapped(
        "인간안보 개념은 중요하며 국제사회는 코로나19 이후 다시 이 개념에 주목하고 있는데 특히 인간",
        "안보 문제는 국가 중심의 안보보다 낮지 않다는 점에서 인간안보 논의가 다시 시작되었으며 팬데믹을",
        "해결하기 위한 국제 협력도 더욱 중요해지고 있으나 선진국의 리더십은 보이지 않고 있는 상황이다.",
    )
    tr = trace_clean(text)
    assert tr.regime == "lexical"
    assert tr.result.text.count("인간안보") == 3
    assert "팬데믹을 해결하기" in tr.result.text  # 을 ends a word: not glued


def test_bullets_and_numbering_start_paragraphs():
    full = "서울시는 글로벌 리더십 확보를 위해 포용적이고 관용적이며 개방적인 문화외교를 추진한다. "
    for marker in ["◦", "∙", "▶", "■", "◆", "○", "•", "※", "-", "1.", "(1)", "가.", "①"]:
        text = wrapped(full, f"{marker} 다음 항목은 여기에서 시작한다.")
        res = clean_text(text)
        assert len(res.paragraphs) == 2, marker
        assert res.repairs["kept_break"] == 1
    # a dash bullet breaks even after a line that stops mid-clause
    res = clean_text(wrapped(full.replace("추진한다.", "추진하고"), "- 다음 항목은 여기에서 시작한다."))
    assert len(res.paragraphs) == 2


def test_inline_enumerator_wrapped_to_line_start_is_not_a_break():
    text = wrapped(
        "◦ 반면 중국은 △ 결의안을 성실하게 이행할 것이며, △ 현재는 접경지역 노동자를 귀환시킬 수 없으므로",
        "그에 협조하고 있고, 상황에 따라 해외파견 노동자 문제를 재논의하는 것이 적절하다고 제안하였고, ",
        "△ 만약 북한의 문제가 해결되면 그에 협조할 것이라고 밝혔다.",
    )
    res = clean_text(text)
    assert len(res.paragraphs) == 1
    assert "제안하였고, △ 만약" in res.text


def test_short_line_is_a_heading():
    text = wrapped(
        "국제사회의 혼란과 갈등 고조",
        "선진국들은 코로나19 대응 방법으로 너나없이 국경을 봉쇄하고, 협력보다 자국 중심의 ",
        "문제 해결에 집중했다.",
    )
    res = clean_text(text)
    assert paras(res)[0] == "국제사회의 혼란과 갈등 고조"
    assert paras(res)[1].startswith("선진국들은")


def test_full_line_is_not_a_break():
    text = wrapped(
        "서론",
        "선진국들은 코로나19 대응 방법으로 너나없이 국경을 봉쇄하고, 협력보다 자국 중심의 ",
        "문제 해결에 집중했다.",
    )
    res = clean_text(text)
    assert "자국 중심의 문제 해결에 집중했다." in res.text


# ---------------------------------------------------------------------------
# Headers, page numbers, form feeds
# ---------------------------------------------------------------------------


def _pages(header: str | None, n: int = 3) -> str:
    out = []
    for p in range(1, n + 1):
        if header:
            out.append(header.format(p=p * 4))
        out += [
            f"{p}장의 본문은 여러 줄로 이어지며 국제사회의 협력과 도시외교의 역할을 다루고 ",
            "있으며 문단이 끝날 때까지 계속 이어지는 긴 문장으로 구성되어 있다고 볼 수 ",
            "있다.",
            "▍미중 갈등 심화",
        ]
    return wrapped(*out)


def test_running_header_with_page_numbers_removed():
    res = clean_text(_pages("주간 중국 창업                 {p}                 제 195 호(2020.09.02) "))
    assert "주간 중국 창업" not in res.text
    assert res.repairs["header_removed"] == 3
    assert [r[1] for r in res.removed].count("header_removed") == 3


def test_repeated_heading_without_numbers_is_kept():
    res = clean_text(_pages(None))
    assert res.text.count("▍미중 갈등 심화") == 3
    assert res.repairs["header_removed"] == 0


def test_table_rows_with_numbers_are_not_headers():
    text = wrapped("구분 2019 2020", "합계 10 20", "합계 11 21", "합계 12 22", "끝.")
    res = clean_text(text)
    assert res.text.count("합계") == 3


def test_page_numbers_removed():
    text = "첫 페이지의 마지막 문장이다.\n\n- 1 -\n\n둘째 페이지의 첫 문장이다.\n\n- 2 -\n"
    res = clean_text(text)
    assert "- 1 -" not in res.text and "- 2 -" not in res.text
    assert res.repairs["page_number_removed"] == 2


def test_lone_number_in_text_is_kept():
    text = wrapped("국가별 확진자 수는 다음과 같다.", "2019", "이 수치는 세계보건지수에서 왔다.")
    res = clean_text(text)
    assert "2019" in res.text
    assert res.repairs["page_number_removed"] == 0


def test_form_feed_removed_and_starts_a_page():
    text = "첫 페이지의 마지막 문장이다.\n\f둘째 페이지의 첫 문장이다.\n"
    res = clean_text(text)
    assert "\f" not in res.text
    assert res.repairs["form_feed_removed"] == 1
    assert clean_text(text.replace("\f", "")).repairs["form_feed_removed"] == 0


# ---------------------------------------------------------------------------
# Footnotes
# ---------------------------------------------------------------------------


def test_glued_footnote_marker_removed():
    res = clean_text("■ 중국은 북중러 삼각 협력 구도가 연출되는 것을 지양2)하였고, 북중 협력을 관리함.3)\n")
    assert "지양하였고," in res.text
    assert res.text.endswith("관리함.")
    assert res.repairs["footnote_marker_removed"] == 2
    assert (1, "footnote_marker_removed", "2)") in res.removed


@pytest.mark.parametrize(
    "kept",
    [
        "1) 첫째 항목은 다음과 같다.",
        "신종 코로나 바이러스(이하 코로나19)에 대해 세 번째로 팬데믹 선언",
        "옌타이경제기술개발구 관계자 방문 (2020.8.28)",
        "금지령 시행을 120 일 후로 연기할 것을 요청했다.",
        "양자컴퓨터 시리즈 62) 구글 양자컴퓨팅",
    ],
)
def test_content_numbers_are_not_footnote_markers(kept):
    res = clean_text(kept + "\n")
    assert res.text == kept
    assert res.repairs["footnote_marker_removed"] == 0


FOOTNOTE_PAGE = (
    "■ 일본정부는 북한과의 실무접촉을 공식적으로 부인1)하고 있으나, 여러 가지 정황을 고려했을 때 관계 \n\n"
    "1) 「일본 정부, 실무접촉 보도 부인」(2023. 7. 2), 『연합뉴스』.\n"
    " 개선을 검토하고 있는 것으로 파악되어, 향후 고위급 회담 등의 방식으로 북일 대화가 추진될 가능성이 \n\n"
    "있음.\n\n"
    "■ 한편 일본정부는 대북제재를 실시하였음.\n"
)


def test_footnote_kept_as_own_paragraph_and_sentence_not_cut():
    res = clean_text(FOOTNOTE_PAGE)
    ps = paras(res)
    assert "고려했을 때 관계 개선을 검토하고 있는 것으로" in ps[0]
    assert ps[1].startswith("1) 「일본 정부")
    assert ps[2].startswith("■ 한편")
    assert res.repairs["footnote_paragraphs"] == 1
    assert "부인하고" in ps[0]


def test_numbered_list_without_markers_is_not_a_footnote():
    text = FOOTNOTE_PAGE.replace("부인1)하고", "부인하고")
    res = clean_text(text)
    assert res.repairs["footnote_paragraphs"] == 0


# ---------------------------------------------------------------------------
# Latin/number + stray space + particle
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src, want",
    [
        ("SEMI 는 미국상무부가 발표한 조례에 주목했다.", "SEMI는 미국상무부가"),
        ("5G 와 무관한 상품에 유연성을 제공한다.", "5G와 무관한"),
        ("Cloud9 Esports 는 경쟁력 있는 팀이다.", "Esports는 경쟁력"),
        ("CEO 로 공식 교체했다.", "CEO로 공식"),
        ("도인(抖音) 은 거대한 트래픽 입구이다.", "도인(抖音)은 거대한"),
    ],
)
def test_particle_space_removed(src, want):
    res = clean_text(src + "\n")
    assert want in res.text
    assert res.repairs["particle_space_removed"] == 1


@pytest.mark.parametrize(
    "src",
    [
        "KIC 중국 방문 업무 협의",
        "금지령 시행을 120 일 후로 연기했다.",
        "손실이 1700 만 달러에 가깝다.",
        "10 이란 245,688 11,931",
        "게임과 e 스포츠 플랫폼",
        "BWXT 제 연료펠릿은 원통형이다.",
    ],
)
def test_particle_space_kept(src):
    res = clean_text(src + "\n")
    assert res.text == src
    assert res.repairs["particle_space_removed"] == 0


def test_particle_across_a_line_break():
    text = wrapped(
        "미국반도체산업협회의 발표 후 국제반도체산업협회도 공식 홈페이지에서 성명을 발표했고 SEMI ",
        "는 미국 상무부가 발표한 신규 조례에 주목하여 이 조례는 손해를 가져올 것이라고 했다.",
    )
    res = clean_text(text)
    assert "SEMI는 미국 상무부가" in res.text


# ---------------------------------------------------------------------------
# Result type, passthrough, determinism, no Kiwi
# ---------------------------------------------------------------------------


def test_source_line_and_roundtrip():
    res = clean_text(IN_WORD)
    check_invariants(res, IN_WORD)
    assert res.source_line(0) == 1
    assert res.source_line(res.text.index("안보 개념이")) == 3
    assert res.source_line(res.text.index("있으며 국제사회는")) == 5
    assert res.source_line(10**9) == 5
    assert isinstance(CLEAN_VERSION, str)
    assert clean_text("").text == "" and clean_text("").source_line(0) == 1


def test_passthrough():
    src = "첫 줄\r\n둘째 줄\r\n\r\n  셋째 문단  \r\n\r\n\r\n넷째\n"
    res = passthrough(src)
    assert res.text == src.replace("\r\n", "\n")
    assert paras(res) == ["첫 줄\n둘째 줄", "셋째 문단", "넷째"]
    for k in range(len(res.text)):
        assert res.source_line(k) == res.text.count("\n", 0, k) + 1
    check_invariants(res, src, cleaned=False)


def test_deterministic():
    text = read(KIC)
    assert clean_text(text) == clean_text(text)


def test_clean_does_not_import_kiwi():
    code = "import sys, kcorpus.clean as c; c.clean_text('가나다'); print('kiwipiepy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_junction_decisions_are_plain_decision_strings():
    """Junction records keep the plain strings (measure_clean.py counts, prints and compares them)."""
    from kcorpus.clean.junctions import Decision

    assert [d.value for d in Decision] == ["word", "space", "particle", "break"]
    junctions = [j for name in (KIEP, SEOUL, KIC) for j in trace_clean(read(name)).junctions]
    assert {j.decision for j in junctions} == {"word", "space", "particle", "break"}
    assert all(type(j.decision) is str for j in junctions)


def test_clean_modules_import_only_earlier_stages():
    """No import cycles inside kcorpus.clean: each stage imports only from the stages before it."""
    import ast

    order = [
        "text",
        "patterns",
        "drop",
        "lines",
        "furniture",
        "lexicon",
        "orthography",
        "headings",
        "junctions",
        "assembly",
        "repair",
    ]
    pkg = Path(__file__).parent.parent / "src" / "kcorpus" / "clean"
    assert sorted(p.stem for p in pkg.glob("*.py") if p.stem != "__init__") == sorted(order)
    for k, name in enumerate(order):
        tree = ast.parse((pkg / f"{name}.py").read_text(encoding="utf-8"))
        used = {
            n.module.rsplit(".", 1)[-1]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("kcorpus.clean.")
        }
        assert used <= set(order[:k]), (name, used)


# ---------------------------------------------------------------------------
# Bundled corpus
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    return {name: (read(name), trace_clean(read(name))) for name in (KIEP, SEOUL, KIC)}


def test_kiep_targets(corpus):
    text = corpus[KIEP][1].result.text
    assert text.count("대북제재") == 17
    assert text.count("관광") == 41
    assert text.count("노동자") == 64
    assert "지양하였고" in text


def test_seoul_targets(corpus):
    text = corpus[SEOUL][1].result.text
    assert text.count("인간안보") == 18
    assert text.count("보건안보") == 14
    assert "팬데믹을 해결하기" in text


def test_kic_targets(corpus):
    res = corpus[KIC][1].result
    assert not re.search(r"주간 중국 창업\s+\d+\s+제 195 호", res.text)
    assert res.repairs["header_removed"] == 3
    assert res.text.count("SEMI는") == 5 and "SEMI 는" not in res.text
    assert "5G와 무관한" in res.text


def test_corpus_regimes(corpus):
    # KIC wraps only at word boundaries: every line carries a trailing space
    assert corpus[KIC][1].regime == "all"
    assert corpus[KIEP][1].regime == "mixed" and corpus[SEOUL][1].regime == "mixed"


@pytest.mark.parametrize("name", [KIEP, SEOUL, KIC])
def test_corpus_line_map_is_exact(corpus, name):
    source, tr = corpus[name]
    res = tr.result
    check_invariants(res, source)
    src_lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    hangul_only = [re.sub("[^\uac00-\ud7a3]", "", ln) for ln in src_lines]
    bounds = list(res.line_offsets) + [len(res.text)]
    checked = 0
    for seg_start, seg_end, line in zip(bounds, bounds[1:], res.line_numbers):
        segment = res.text[seg_start:seg_end]
        # locate every Hangul run of the segment back in its source line (markers
        # such as 2) may sit inside a run in the source, hence Hangul-only lines)
        for m in re.finditer("[\uac00-\ud7a3]+", segment):
            assert m.group() in hangul_only[line - 1], (line, m.group())
            for k in range(m.start(), m.end()):
                off = seg_start + k
                assert res.source_line(off) == line
                ln, col = tr.char_origin[off]
                assert ln == line and src_lines[ln - 1][col] == res.text[off]
                checked += 1
    # every Hangul syllable of the cleaned text was located back in its source line
    assert checked == len(re.findall("[\uac00-\ud7a3]", res.text))
    assert checked > 5000


@pytest.mark.parametrize("name", [KIEP, SEOUL, KIC])
def test_corpus_hangul_preserved(corpus, name):
    source, tr = corpus[name]
    removed = "".join(t for _, _, t in tr.result.removed)
    assert Counter(HANGUL.findall(tr.result.text)) + Counter(HANGUL.findall(removed)) == Counter(HANGUL.findall(source))


# ---------------------------------------------------------------------------
# Property: Hangul is never lost (except what is listed as removed)
# ---------------------------------------------------------------------------

TOKENS = [
    "인간",
    "안보",
    "대북제재",
    "관광",
    "노동자",
    "를",
    "은",
    "는",
    "의",
    "다.",
    "함.",
    "음.",
    "SEMI",
    "5G",
    "120",
    "일",
    "만",
    "(",
    ")",
    "2)",
    "1)",
    "-",
    "◦",
    "▶",
    "△",
    "■",
    "※",
    "주간 중국 창업",
    "제 195 호",
    "12",
    "- 3 -",
    ".",
    ",",
    "’",
    "가나다라마바사아자차카타파하",
    "http://example.com/a",
    "코로나",
    "19",
    "지양",
    "하였고",
    "(2020.8.28)",
    "사진 1) 출처:",
]
line_st = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet="가힣각뷁쇟 \t\u3000ABC12()", max_size=8)),
    max_size=14,
).map(lambda toks: "".join(t + (" " if i % 3 else "") for i, t in enumerate(toks)))
sep_st = st.sampled_from(["\n", "\n\n", "\n\n\n", " \n\n", "\r\n", "\n\f", "\f", "\n \n", "\r"])
doc_st = st.lists(st.tuples(line_st, sep_st), max_size=30).map(lambda parts: "".join(a + b for a, b in parts))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_st)
def test_property_hangul_preserved_and_map_consistent(doc):
    tr = trace_clean(doc)
    res = tr.result
    removed = "".join(t for _, _, t in res.removed)
    assert Counter(HANGUL.findall(res.text)) + Counter(HANGUL.findall(removed)) == Counter(HANGUL.findall(doc))
    check_invariants(res, doc)
    src_lines = doc.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for off, ch in enumerate(res.text):
        origin = tr.char_origin[off]
        if origin is None:
            assert ch in " \n"
            continue
        ln, col = origin
        assert res.source_line(off) == ln
        if HANGUL.match(ch):
            assert src_lines[ln - 1][col] == ch
    assert clean_text(doc) == res


@settings(max_examples=200, deadline=None)
@given(doc_st)
def test_property_passthrough(doc):
    res = passthrough(doc)
    assert res.text == doc.replace("\r\n", "\n")
    check_invariants(res, doc, cleaned=False)
