"""kcorpus.clean on statutes, bills and other extractors: structure starts, letter-spaced headings,
input shapes, drop-level furniture, and the guarantee that only furniture is ever removed."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kcorpus.clean import clean_text, drop_furniture, furniture_in, trace_clean
from kcorpus.clean.patterns import _PAGENUM_BARE, _PAGENUM_STRONG, _furniture_key
from kcorpus.errors import InvalidArgument

BILL = Path(__file__).parent / "data" / "legal-sample-bill.txt"
# a full line that stops mid-clause, as pdftotext gives it (no trailing space)
FULL = (
    "관리주체는 입주자등의 요청이 있는 경우 층간소음을 측정하고 그 결과를 입주자대표회의에 보고하며 다음 각 호의 사항을"
)
FILLER = [
    "공동주택의 관리주체는 장기수선계획에 따라 주요 시설을 교체하거나 보수하도록 규정하고 있으나 층간소음과",
    "누수 등 입주자 간 분쟁이 늘어나는 데 비하여 분쟁의 조정 절차가 충분하지 아니하다는 지적이 있어 이를",
]


def paras(res) -> list[str]:
    return [res.text[s:e] for s, e in res.paragraphs]


STARTS = [
    "제9조(목적) 이 법은 공동주택의 관리에 필요한 사항을 정한다.",
    "제20조의2(층간소음 측정 결과의 보고) 관리주체는 보고하여야 한다.",
    "제6조 삭제",
    "제2장 관리주체",
    "제3절 분쟁의 조정",
    "부칙",
    "부칙 <제12345호, 2026. 1. 1.>",
    "① 관리주체는 관리비의 집행 내역을 공개하여야 한다.",
    "⑳ 그 밖에 필요한 사항은 대통령령으로 정한다.",
    "1. 하자의 보수에 관한 사항",
    "가. 보급률의 지역별 차이",
    "나. 소규모 급수시설의 관리",
    "ㄱ. 관리비의 부과",
    "(1) 방문객 지출",
    "1) 적성검사 주기",
    "가) 조건부 면허",
    "□ 사업비 지원 기준을 차등화할 필요가 있음",
    "○ 현행 기준은 산간 마을에 불리함",
    "◦ 조건부 면허는 시범 운영한다.",
    "∙ 교육과 재검사 기회를 준다.",
    "▶ 지원 기준을 정비한다.",
    "■ 주요 내용",
    "- 체류형 프로그램을 늘린다.",
    "※ 인력은 통합하여 확보한다.",
    "* 사업 선정 단계에서 진단을 의무화한다.",
]


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_structure_start_is_never_joined_to_a_full_line(start, sep):
    text = sep.join([*FILLER, FULL, start, *FILLER]) + "\n"
    res = clean_text(text)
    assert any(p.startswith(start.split()[0]) for p in paras(res)), paras(res)
    assert FULL in paras(res)[0] and paras(res)[0].endswith("사항을")


@pytest.mark.parametrize(
    "reference", ["제9조에 따라 보고한다.", "제71조제2항 중 하자를 고친다.", "부칙의 적용례를 따른다."]
)
def test_references_at_a_line_start_are_not_structure(reference):
    text = "\n".join([*FILLER, FULL[:-4], reference]) + "\n"
    res = clean_text(text)
    assert len(res.paragraphs) == 1


def test_ga_na_da_markers_and_a_wrapped_sentence_end():
    # "다." after "있" is the end of a wrapped sentence unless "나." items are in use
    text = "\n".join(
        [
            *FILLER,
            "관리주체는 장기수선계획에 따라 주요 시설을 교체하거나 보수하도록 규정한 바에 따라 이동을 명할 수 있",
            "다. 그 밖의 사항은 대통령령으로 정한다.",
        ]
    )
    assert "명할 수 있다. 그 밖의" in clean_text(text + "\n").text
    items = "\n".join(["가. 첫째 항목이다.", "나. 둘째 항목이다.", "다. 셋째 항목이다."])
    assert len(clean_text(items + "\n").paragraphs) == 3


@pytest.mark.parametrize(
    "src, want",
    [
        ("부      칙", "부칙"),
        ("  발  의  자  ", "발의자"),
        ("발 의 자 : 홍길동ㆍ김철수 의원(10인)", "발의자 : 홍길동ㆍ김철수 의원(10인)"),
        ("제23조(관리비 등) ① ∼ ③ (생 략)", "제23조(관리비 등) ① ∼ ③ (생략)"),
        ("현 행", "현행"),
        ("이 법은 공포한 날부터 시행한다.", "이 법은 공포한 날부터 시행한다."),
        ("및 그 밖의 사항", "및 그 밖의 사항"),
    ],
)
def test_letter_spaced_headings_are_rejoined(src, want):
    assert clean_text(src + "\n").text == want


def test_heading_set_one_syllable_per_line():
    # pdftotext sets a letter-spaced heading as one syllable per block
    text = "\n".join(
        [*FILLER, "있다.", "제", "", "안", "", "이", "", "유", "", "최근 전기자동차 보급이 빠르게 늘어나고 있음."]
    )
    res = clean_text(text + "\n")
    assert "제안이유" in paras(res)
    assert paras(res)[-1].startswith("최근")


def test_statute_one_paragraph_per_line_is_left_alone():
    text = BILL.read_text(encoding="utf-8")
    res = clean_text(text)
    assert res.shape == "paragraphs"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(res.paragraphs) == len(lines)
    assert res.removed == ()
    assert "부칙" in paras(res) and "발의자 : 홍길동ㆍ김철수ㆍ이영희 의원(10인)" in paras(res)
    assert re.sub(r"\s", "", res.text) == re.sub(r"\s", "", text)


def test_shapes_are_detected():
    wrapped = "\n\n".join(
        ["공동주택의 관리주체는 장기수선계획에 따라 주요 시설을 교체하거나 보수하도록 ", "규정하고 있다."] * 4
    )
    assert clean_text(wrapped).shape == "blank_lines"
    assert clean_text("\n".join(FILLER * 3) + "\n").shape == "single_lines"
    layout = "\n".join(
        ["현행                                  개정안", "<신설>                                제19조의3(보고)"] * 3
    )
    assert clean_text(layout + "\n").shape == "layout"
    assert clean_text("").shape == ""


def test_given_shape_wrapped_decides_only_word_or_in_word():
    text = "층간소음을 측정하고 전기자동차 충\n전구역에 주차하여서는\n1. 아니 된다.\n\n충전구역은 둘째 문단이다.\n"
    asked = []

    def judge(left: str, right: str) -> bool:  # stands in for Kiwi's spacing model
        asked.append(right)
        return not right.startswith("전")

    res = clean_text(text, shape="wrapped", boundary=judge)
    assert asked == ["전구역에 주차하여서는", "1. 아니 된다."]  # the wraps no rule decided
    assert res.shape == "wrapped"
    assert paras(res) == [
        "층간소음을 측정하고 전기자동차 충전구역에 주차하여서는 1. 아니 된다.",
        "충전구역은 둘째 문단이다.",
    ]
    assert res.removed == ()


def test_given_shape_paragraphs_removes_nothing():
    text = "- 3 -\n제1조(목적) 이 법은 목적으로 한다.\n제2조(정의) 뜻은 다음과 같다.\n"
    res = clean_text(text, shape="paragraphs")
    assert paras(res) == ["- 3 -", "제1조(목적) 이 법은 목적으로 한다.", "제2조(정의) 뜻은 다음과 같다."]
    with pytest.raises(InvalidArgument):
        clean_text(text, shape="layout")


def test_every_line_keeps_its_source_line_in_the_paragraphs_shape():
    text = "제1조(목적) 이 법은 목적으로 한다.\n\n제2조(정의) 뜻은 다음과 같다.\n"
    res = clean_text(text, shape="paragraphs")
    assert res.source_line(res.text.index("제2조")) == 3


# ---------------------------------------------------------------------------
# Furniture of a drop
# ---------------------------------------------------------------------------

HEADER = "국회입법조사처 정책자료 2026"


def one_pager(k: int, title: str) -> str:
    return "\n".join([HEADER, title, *FILLER, "있다.", f"- {k} -"]) + "\n\f"


def test_drop_furniture_removes_shared_headers_from_one_page_documents():
    docs = [
        one_pager(1, f"{name} 일부개정법률안") for name in ("주차장법", "학교급식법", "동물보호법", "소음법", "도로법")
    ]
    furniture = drop_furniture(docs)
    assert _furniture_key(HEADER) in furniture
    assert not any("일부개정법률안" in k for k in furniture)  # each title is one document's own
    res = clean_text(docs[0], furniture=furniture)
    assert HEADER not in res.text and paras(res)[0] == "주차장법 일부개정법률안"
    assert (1, "header_removed", HEADER) in res.removed
    # alone, the header of a one-page document is content
    assert HEADER in clean_text(docs[0]).text
    assert furniture_in(docs[0], furniture) == {_furniture_key(HEADER)} | (furniture & {"- # -"})


def test_drop_furniture_needs_three_documents_and_page_edges():
    docs = [one_pager(1, "주차장법 일부개정법률안") for _ in range(2)]
    assert _furniture_key(HEADER) not in drop_furniture(docs)
    # the same line in the middle of pages is not furniture
    middle = [
        "\n".join([f"{k}장의 본문이 이어지는 줄이며", *FILLER, HEADER, *FILLER, f"{k}장의 끝"]) for k in "가나다라마"
    ]
    assert drop_furniture(middle) == frozenset()


def test_drop_furniture_is_only_removed_at_page_edges():
    furniture = frozenset({_furniture_key(HEADER)})
    text = "\n".join([*FILLER, HEADER, *FILLER, "있다."]) + "\n"
    assert clean_text(text, furniture=furniture).removed == ()


def test_cache_key_depends_only_on_the_furniture_a_document_holds():
    from kcorpus.pipeline.corpus import furniture_key

    doc = one_pager(1, "주차장법 일부개정법률안")
    base = frozenset({_furniture_key(HEADER)})
    assert furniture_key(doc, base) == furniture_key(doc, base | {"다른 보고서 머리말"})
    assert furniture_key(doc, base) != furniture_key(doc, frozenset())
    assert furniture_key("\n".join(FILLER), base) == ""


def test_bill_title_repeated_in_a_short_document_is_kept():
    text = one_pager(1, "주차장법 일부개정법률안").replace("있다.", "있다.\n법률 제 호\n주차장법 일부개정법률안")
    res = clean_text(text)
    assert paras(res).count("주차장법 일부개정법률안") == 2


def test_clean_report_shows_shape_and_removed_lines(tmp_path):
    from kcorpus.cli import app

    for k, name in enumerate(("a", "b", "c")):
        (tmp_path / f"{name}.txt").write_text(one_pager(k + 1, f"{name} 법률안"), encoding="utf-8")
    out = CliRunner().invoke(app, ["clean", str(tmp_path), "--report", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("doc,shape,paragraphs_before") and lines[0].endswith(",removed")
    assert lines[1].startswith("a.txt,single_lines,")
    assert lines[1].endswith(f"1: {HEADER} | 6: - 1 -")


# ---------------------------------------------------------------------------
# Property: only furniture is removed, and nothing else changes but whitespace
# ---------------------------------------------------------------------------

LINE_RULES = {"header_removed", "page_number_removed", "running_title_removed"}
PIECES = [
    HEADER,
    "- 3 -",
    "3",
    "3/12",
    "- iii -",
    "Page 3",
    "제9조(목적)",
    "부      칙",
    "발 의 자",
    "① 관리주체는",
    "가.",
    "1.",
    "□",
    "지양2)하였고",
    "SEMI 는",
    "공동주택의 관리주체는",
    "충",
    "전구역에",
    "있",
    "다.",
    "현행        개정안",
]
line_st = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="가나다 1()", max_size=6)), max_size=6).map(
    " ".join
)
doc_st = st.lists(st.tuples(line_st, st.sampled_from(["\n", "\n\n", "\n\f", " \n"])), max_size=25).map(
    lambda parts: "".join(a + b for a, b in parts)
)


def nonspace(s: str) -> Counter:
    return Counter(re.sub(r"\s", "", s))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_st, st.sampled_from([None, "paragraphs", "wrapped"]), st.booleans())
def test_property_only_furniture_removed(doc, shape, with_drop):
    furniture = frozenset({_furniture_key(HEADER), "- # -"}) if with_drop else frozenset()
    tr = trace_clean(doc, shape=shape, furniture=furniture)
    res = tr.result
    src_lines = doc.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    key_counts = Counter(_furniture_key(ln) for ln in src_lines if ln.strip())
    for line, rule, text in res.removed:
        if rule == "footnote_marker_removed":
            assert re.fullmatch(r"[0-9]{1,3}\)", text) and text in src_lines[line - 1]
            continue
        assert rule in LINE_RULES
        assert shape is None  # a given shape removes nothing
        # a whole source line, and furniture by the rules: a page number, drop furniture, or repeated
        assert " ".join(src_lines[line - 1].split()) == " ".join(text.split())
        key = _furniture_key(text)
        assert _PAGENUM_STRONG.match(text) or _PAGENUM_BARE.match(text) or key in furniture or key_counts[key] >= 2, (
            rule,
            text,
        )
    removed = "".join(t for _, _, t in res.removed)
    assert nonspace(res.text) + nonspace(removed) == nonspace(doc)
    assert clean_text(doc, shape=shape, furniture=furniture) == res


PARAGRAPH = (
    "농어촌 지역의 상수도 보급률은 도시 지역에 비해 여전히 낮은 수준이다. 특히 산간 마을과 도서 지역에서는 소규모 "
    "급수시설에 의존하는 가구가 많아 수질 관리와 시설 노후화 문제가 함께 나타나고 있다. 정기 수질검사에서 기준을 "
    "넘는 사례가 해마다 보고되고 있으나 개선 조치가 늦어지는 경우가 적지 않다. 관로를 새로 놓아야 하는 거리가 "
    "길수록 가구당 사업비가 급격히 늘어나기 때문이다."
)


@pytest.mark.slow
@pytest.mark.parametrize("width", [31, 33, 35])
def test_kcorpus_clean_asks_kiwi_about_wraps_the_text_cannot_decide(tmp_path, width):
    """A paragraph wrapped every `width` characters, as character-level wrapping (HWP, reportlab CJK)
    does and pdftotext extracts it (no trailing spaces): `kcorpus clean` gives the paragraph back."""
    from kcorpus.cli import app

    lines = [PARAGRAPH[i : i + width].strip() for i in range(0, len(PARAGRAPH), width)]
    source = tmp_path / "report.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["clean", str(source)])
    assert out.exit_code == 0, out.output
    assert out.stdout.strip() == PARAGRAPH
    assert clean_text(source.read_text(encoding="utf-8")).text != PARAGRAPH  # the statistics alone fall short


@pytest.mark.slow
def test_a_corpus_run_removes_the_drop_furniture(tmp_path):
    import kcorpus as kc

    for k, name in enumerate(("a", "b", "c")):
        (tmp_path / f"{name}.txt").write_text(one_pager(k + 1, f"{name} 법률안"), encoding="utf-8")
    corpus = kc.read_corpus(tmp_path)
    assert len(corpus.documents) == 3
    for analysed in corpus.documents:
        assert HEADER not in analysed.cleaned.text
        assert analysed.cleaned.shape == "single_lines"


def test_paragraphs_as_written_keep_their_spaces_before_particles():
    # an office file's paragraphs are typed, not extracted: "P4 이 문서는" (이 = "this") must not become "P4이"
    text = "P4 이 문서는 지난해 발표되었다.\n\nSEMI 는 반도체 협회이다.\n\n부    칙\n"
    res = clean_text(text, shape="paragraphs")
    assert paras(res) == ["P4 이 문서는 지난해 발표되었다.", "SEMI 는 반도체 협회이다.", "부칙"]
    assert res.repairs["particle_space_removed"] == 0


# wraps as pdftotext gives them (no trailing space), in a document long enough for its own statistics
_HEAT = [
    "폭염이 잦아지면서 정부는 폭염을 자연재난에 포함하였고, 지방자치단체는 무더위",
    "쉼터와 그늘막을 늘려 왔다. 그러나 쉼터의 운영 시간과 위치가 주민에게 잘 알려지지",
    "않아 이용률은 높지 않다. 지난해 조사에서 무더위쉼터를 이용한 적이 있다는 노인은",
    "절반에 못 미쳤고, 무더위쉼터의 위치를 모른다는 응답이 가장 많았다. 일부 시는",
    "무더위쉼터는 야간에도 열고 냉방비를 지원하는 방안을 검토하고 있다. 특별자치시장ㆍ시장",
    "ㆍ군수ㆍ구청장은 쉼터의 운영 시간을 주민에게 알리고 그 결과를 시ㆍ도지사에게",
    "보고하여야 한다. 사회적 약자를 위한 대책도 함께 마련하여야 한다는 지적이 있다.",
]


def test_a_compound_the_document_writes_glued_is_glued_at_a_wrap():
    # 무더위|쉼터와: Kiwi's spacing model and the syllable statistics say "two words"; the document itself
    # writes 무더위쉼터 (쉼터를, 쉼터의, 쉼터는) three times unbroken
    res = clean_text("\n".join(_HEAT) + "\n", boundary=lambda left, right: True)
    assert "지방자치단체는 무더위쉼터와 그늘막을" in res.text
    assert "무더위 쉼터" not in res.text


def test_a_pair_the_document_writes_apart_stays_apart_at_a_wrap():
    lines = list(_HEAT)
    lines[0] = lines[0].replace("지방자치단체는 무더위", "많은 지방자치단체는 사회")
    lines[1] = "전반의 관심을 모았다. 그러나 쉼터의 위치가 주민에게 사회 전반에 잘 알려지지"
    res = clean_text("\n".join(lines) + "\n", boundary=lambda left, right: False)
    # "사회 전반" is written apart inside a line: the wrap 사회|전반의 is a word boundary
    assert "지방자치단체는 사회 전반의 관심을" in res.text


def test_a_wrap_beside_a_middle_dot_is_inside_the_word():
    # 특별자치시장ㆍ시장|ㆍ군수ㆍ구청장은: a middle dot joins the members of one list word, never starts a word
    res = clean_text("\n".join(_HEAT) + "\n", boundary=lambda left, right: True)
    assert "특별자치시장ㆍ시장ㆍ군수ㆍ구청장은" in res.text
    wrapped = clean_text("시장ㆍ군수ㆍ\n구청장은 결과를 공개한다.\n", shape="wrapped", boundary=lambda a, b: True)
    assert wrapped.text == "시장ㆍ군수ㆍ구청장은 결과를 공개한다."


def test_a_sentence_end_short_of_the_edge_in_a_proportional_font_ends_the_paragraph():
    # as pdftotext gives a report set in a proportional font: a space is about a third of a Hangul syllable,
    # so "있다." with its spaces looks full counted in display columns, but the next syllable would have fit
    lines = """농어촌 지역의 상수도 보급률은 2024년 말 기준 약 87%로 도시 지역의 99%에 비해 여전히 낮은 수준이다. 특히 산간 마을
과 도서 지역에서는 소규모 급수시설에 의존하는 가구가 많아 수질 관리와 시설 노후화 문제가 함께 나타나고 있다.
정부는 2030년까지 농어촌 상수도 보급률을 95% 이상으로 높이겠다는 목표를 세웠으나, 사업비 부담과 인력 부족으로 지
방자치단체 간 격차가 커지고 있다.
광역시와 인접한 군 지역은 보급률이 90%를 넘지만, 강원과 경북의 일부 군은 70%대에 머물러 있다. 관로를 새로 놓아야
하는 거리가 길수록 가구당 사업비가 급격히 늘어나기 때문이다.
마을 단위 소규모 급수시설은 전국에 약 8천 곳이 있으며, 이 가운데 상당수는 주민이 직접 관리한다. 정기 수질검사에서 기
준을 넘는 사례가 해마다 보고되고 있으나 개선 조치가 늦어지는 경우가 적지 않다.""".split("\n")  # noqa: E501
    res = clean_text("\n".join(lines) + "\n", boundary=lambda left, right: False)
    assert [p[:6] for p in paras(res)] == ["농어촌 지역", "정부는 20", "광역시와 인", "마을 단위 "]


def test_a_wrap_after_a_clause_mark_is_a_word_boundary():
    # a comparison table read column by column: 제36조(비용의 보조 등) ①|(현행 제목 외의 부분과 같음)
    text = "제36조(비용의 보조 등) ①\n(현행 제목 외의 부분과 같\n음)\n"
    assert clean_text(text, shape="wrapped", boundary=lambda a, b: False).text == (
        "제36조(비용의 보조 등) ① (현행 제목 외의 부분과 같음)"
    )


def test_a_contact_block_keeps_its_lines():
    # short lines of about the same width look like a narrow column; a "label: value" line starts a field
    body = (
        "농림축산식품부는 2026년부터 논에 밀과 콩, 가루쌀 등 전략작물을 재배하는 농업인에게 지급하는 직불금\n"
        "단가를 ha당 최대 500만 원으로 올린다고 밝혔다. 이번 조치는 쌀 공급 과잉을 완화하고 식량자급률이 낮\n"
        "은 작물의 생산을 늘리기 위한 것이다. 지난해 전략작물 재배 면적은 8만 1천 ha로 목표의 92% 수준에\n"
        "머물렀다.\n"
    )
    contact = ["담당 부서: 식량정책과", "담당자: 홍길동 사무관", "전화: 044-201-1234"]
    res = clean_text(body + "\n".join(contact) + "\n", boundary=lambda a, b: True)
    assert paras(res)[1:] == contact


@pytest.mark.parametrize(
    ("line", "clean"),
    [("법률 제    호", "법률 제 호"), ("법률 제  2  호", "법률 제2호"), ("부    칙", "부칙"), ("발  의  자", "발의자")],
)
def test_a_blank_bill_number_keeps_its_space_and_a_wide_set_number_is_closed_up(line, clean):
    # 법률 제    호: the number of a bill not yet passed is left blank; 제 and 호 are not a letter-spaced word
    assert clean_text(line + "\n").text == clean
    assert clean_text(line + "\n", shape="paragraphs").text == clean


def test_a_branch_numbered_item_and_an_amendment_line_start_units():
    # 2의2. (an item inserted after item 2) and 제12조제3항 중 "…"를 "…"로 한다 (an amendment) follow lines that
    # stop mid-clause but full: they start units all the same
    text = (
        "제12조제1항에 제2호의2를 다음과 같이 신설한다.\n"
        "2의2. 어린이의 통행이 드문 시간대로서 대통령령으로 정하는 시간대에 적용할 제한속도를 따로\n"
        "정하는 조치\n"
        "3. 어린이보호구역 안에서 자동차의 정차나 주차를 금지하는 조치로서 대통령령으로 정하는 조치\n"
        '제12조제3항 중 "제1항제2호"를 "제1항제2호 및 제2호의2"로 한다. 이 법은 공포 후 6개월이 경과한\n'
        "날부터 시행한다.\n"
    )
    got = paras(clean_text(text, boundary=lambda a, b: True))
    assert [p[:6] for p in got] == ["제12조제1", "2의2. 어", "3. 어린이", "제12조제3"]


def test_a_contact_field_after_a_full_sentence_line_starts_its_own_line():
    body = (
        "해양수산부 관계자는 공사 기간에도 어선과 여객선이 불편 없이 드나들 수 있도록 임시 시설을 먼저 설치하겠다고\n"
        "말했다. 이번 사업에는 3년 동안 모두 1,200억 원이 투입되며, 대상은 준공 후 20년이 지난 어촌 선착장이다.\n"
        "담당 부서: 해양수산부 어촌어항과\n"
    )
    assert paras(clean_text(body, boundary=lambda a, b: True))[-1] == "담당 부서: 해양수산부 어촌어항과"


def test_a_document_whose_missing_trailing_spaces_fall_between_words_is_not_read_as_in_word_breaks():
    # pypdf on a LibreOffice PDF keeps the space at most word wraps ("mixed"), but drops it at some; there the
    # wraps without it fall where the document's statistics put word boundaries, so they are not glued
    lines = [
        "공동주택의 관리주체는 장기수선계획에 따라 주요 시설을 교체하거나 보수하도록 규정하고 있으나 ",
        "층간소음과 누수 등 입주자 간 분쟁이 늘어나는 데 비하여 분쟁의 조정 절차가 충분하지 아니하다는 ",
        "지적이 있어 이를 보완하려는 것임. 관리주체는 입주자등의 요청이 있는 경우 층간소음을 측정하고 ",
        "그 결과를 입주자대표회의에 보고하며 분쟁조정위원회는 조정 결과를 공개하여야 하며 관리주체는",
        "이를 게시판에 게시하여야 한다. 시장은 분쟁이 잦은 단지에 대하여 관리 실태를 점검할 수 있고 ",
        "점검 결과에 따라 관리주체에게 개선을 권고할 수 있으며 입주자대표회의는 권고를 따르도록",
        "노력하여야 한다. 이 경우 시장은 점검에 필요한 자료의 제출을 요청할 수 있다.",
    ]
    res = clean_text("\n".join(lines) + "\n", boundary=lambda a, b: True)
    assert "관리주체는 이를 게시판에" in res.text
    assert "따르도록 노력하여야" in res.text


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_a_chat_log_keeps_each_speakers_turn_apart(sep):
    """A laugh (ㅋㅋㅋㅋ) or an emoji at a line end was glued to the next speaker's name (ㅋㅋㅋㅋ준호:)."""
    turns = [
        "민지: 야 오늘 회의 몇 시야?? ㅋㅋㅋ",
        "준호: 3시 ㅋㅋ 근데 나 좀 늦을 듯 😅",
        "민지: 헐 ㅠㅠ 또?? 부장님 화내실걸 ㅋㅋㅋㅋ",
        "준호: ㅇㅇ 알아 ㅎㅎ 커피 사갈게 ☕️",
        "Q: 발표 자료는 다 했어?",
    ]
    assert clean_text(sep.join(turns)).paragraph_texts() == turns
