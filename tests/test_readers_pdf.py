"""PDFs typeset in the test (reportlab, NanumGothic) read back: paragraphs, furniture, footnotes, columns,
tables and page positions; scanned, encrypted and empty PDFs skipped with the reason."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("reportlab", reason="reportlab (the test extra) typesets the PDFs")
from kcorpus.io.sources import Document, Skipped, read_sources  # noqa: E402
from kcorpus.pipeline.corpus import clean_document  # noqa: E402
from typeset import Page, font_path, typeset  # noqa: E402

if font_path() is None:
    pytest.skip("NanumGothic (shipped with koreanize-matplotlib) not found", allow_module_level=True)

# A genre the reader's rules were not written against: a weather service notice.
NOTICE = [
    Page(
        [
            "기상청은 이번 주말 남부 지방에 많은 비가 내릴 것으로 내다보았다. 특히 남해안과 지리산 부근에는 시간당 "
            "30밀리미터 이상의 강한 비<super>1</super>가 쏟아지는 곳이 있겠다.",
            "비는 토요일 새벽 제주도에서 시작해 오후에는 전국으로 넓어지겠다.",
            "하천 주변의 산책로와 지하 차도는 갑자기 물이 불어날 수 있으므로 출입을 삼가야 한다. 산간 계곡의 야영객도 "
            "미리 안전한 곳으로 옮기는 것이 좋다.",
        ],
        ["1) 한 시간 동안 내린 비의 양이 30밀리미터를 넘으면 호우주의보 기준에 가깝다."],
        [["지역", "예상 강수량"], ["남해안", "50~100mm"], ["중부", "10~40mm"]],
    ),
    Page(
        [
            "일요일 오후부터는 비가 그치고 기온이 다시 오르겠다. 낮 최고 기온은 서울 31도, 대구 33도로 예상된다"
            "<super>2</super>.",
            "기상청은 다음 주 중반까지 무더위가 이어질 것으로 보고 온열 질환에 주의해 달라고 당부하였다.",
        ],
        ["2) 예상 기온은 금요일 오후 5시 발표 기준이다."],
    ),
    Page(["자세한 내용은 날씨누리 누리집에서 확인할 수 있다."]),
]
HEADER = "주간 날씨 소식 제27호"


def known(pages: list[Page]) -> list[str]:
    """The paragraphs as written, footnotes after the paragraph with their marker, table rows after."""
    out = []
    for page in pages:
        notes = {re.match(r"[0-9]+", note).group(): note for note in page.footnotes}
        for text in page.paragraphs:
            out.append(re.sub(r"<super>[^<]*</super>", "", text))
            out.extend(notes[n] for n in re.findall(r"<super>([0-9]+)</super>", text))
        out.extend("\t".join(row) for row in page.table)
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_one(path) -> Document | Skipped:
    (item,) = read_sources([str(path)])
    return item


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory):
    return typeset(tmp_path_factory.mktemp("pdf") / "notice.pdf", NOTICE, header=HEADER)


def test_paragraphs_footnotes_and_table_rows_come_back_in_order(notice_pdf):
    doc = read_one(notice_pdf)
    assert isinstance(doc, Document) and doc.layout == "wrapped" and doc.reader == "pdf/7"
    paragraphs = doc.text.split("\n\n")
    assert [squeeze(p) for p in paragraphs] == [squeeze(p) for p in known(NOTICE)]
    assert "강한 비1가" not in doc.text and "비가" in squeeze(doc.text)  # the marker is dropped from the word
    rows = [p for p in paragraphs if "\t" in p]
    assert rows == ["지역\t예상 강수량", "남해안\t50~100mm", "중부\t10~40mm"]


def test_running_header_and_page_numbers_are_gone(notice_pdf):
    doc = read_one(notice_pdf)
    assert HEADER not in doc.text
    assert not re.search(r"- ?[0-9] ?-", doc.text)


def test_every_line_knows_its_page_and_line(notice_pdf):
    doc = read_one(notice_pdf)
    lines = doc.text.split("\n")
    assert len(doc.positions) == len(lines)
    pages = {page for page, _ in doc.positions}
    assert pages == {1, 2, 3}
    first_of_page2 = lines[doc.positions.index((2, 1))]
    assert first_of_page2.startswith("일요일 오후부터는")
    assert doc.place(1) == (1, 1) and doc.place(len(lines)) == (3, 1)


def test_cleaned_text_keeps_footnotes_out_of_sentences(notice_pdf):
    cleaned = clean_document(read_one(notice_pdf), True)
    paragraphs = [" ".join(p.split()) for p in cleaned.paragraph_texts()]
    for note in NOTICE[0].footnotes + NOTICE[1].footnotes:
        assert note in paragraphs
    assert squeeze(cleaned.text) == squeeze("".join(known(NOTICE)))


def test_two_columns_are_read_column_by_column(tmp_path):
    left = (
        "왼쪽 단의 첫 문단은 지역 도서관이 새로 문을 연 소식을 전한다. "
        "도서관은 주민 공모로 이름을 정하였고, 어린이 열람실을 따로 두었다."
    )
    rule = "번째 문단에서는 도서관 운영 시간과 대출 규칙을 차례로 설명한다. 평일에는 밤 열 시까지 문을 연다."
    pages = [Page([left, *(f"{n}{rule}" for n in range(2, 9))])]
    doc = read_one(typeset(tmp_path / "two.pdf", pages, columns=2, header="구립 도서관 소식"))
    assert [squeeze(p) for p in doc.text.split("\n\n")] == [squeeze(p) for p in known(pages)]
    assert max(len(line) for line in doc.text.split("\n")) < 30  # no line runs across both columns


def test_one_page_documents_lose_their_header_and_page_number(tmp_path):
    pages = [
        Page(
            ["한 쪽짜리 안내문이다. 주차장 공사로 다음 주 월요일부터 정문 출입이 막힌다.", "후문을 이용해 주기 바란다."]
        )
    ]
    doc = read_one(typeset(tmp_path / "one.pdf", pages, header="시설 관리 안내"))
    assert doc.text.split("\n\n") == known(pages)


def _canvas_pdf(path, draw, **options):
    from reportlab.pdfgen import canvas

    sheet = canvas.Canvas(str(path), **options)
    draw(sheet)
    sheet.save()
    return path


def test_scanned_encrypted_and_empty_pdfs_are_skipped_with_the_reason(tmp_path):
    from reportlab.lib import pdfencrypt

    def picture(sheet):
        sheet.rect(100, 100, 300, 400, fill=1)
        sheet.showPage()

    def words(sheet):
        sheet.drawString(100, 700, "secret minutes")
        sheet.showPage()

    scanned = read_one(_canvas_pdf(tmp_path / "scan.pdf", picture))
    assert isinstance(scanned, Skipped) and scanned.reason.startswith("no text layer (scanned?)")
    locked = read_one(_canvas_pdf(tmp_path / "locked.pdf", words, encrypt=pdfencrypt.StandardEncryption("pw")))
    assert isinstance(locked, Skipped) and locked.reason.startswith("encrypted PDF (needs a password)")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    skipped = read_one(empty)
    assert isinstance(skipped, Skipped) and skipped.reason in (
        "PDF has no pages",
        "not a readable PDF (damaged or truncated?)",
    )
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((tmp_path / "scan.pdf").read_bytes()[:400])
    assert isinstance(read_one(cut), Skipped)


def test_concordance_cites_page_and_line_of_the_pdf(cli, notice_pdf, tmp_path):
    import io

    import pandas as pd

    (tmp_path / "notice.txt").write_text("무더위가 온다.\n", encoding="utf-8")
    result = cli("concordance", "무더위", str(notice_pdf), str(tmp_path / "notice.txt"), "--surface", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(table.columns) == ["doc", "page", "line", "left", "match", "right"]
    pdf_row, text_row = table.iloc[0], table.iloc[1]
    assert (str(pdf_row["page"]), pdf_row["line"]) == (
        "2",
        3,
    )  # page 2: two lines of the first paragraph, then this one
    doc = read_one(notice_pdf)
    assert "무더위" in doc.text.split("\n")[doc.positions.index((2, 3))]
    assert (text_row["page"], text_row["line"]) == ("", 1)


@pytest.mark.slow
def test_topic_examples_cite_page_and_line(cli, notice_pdf, tmp_path):
    import io

    import pandas as pd

    (tmp_path / "memo.txt").write_text(
        "장마철 하천 산책로 출입 통제 안내.\n\n무더위 쉼터 운영 시간 안내.\n", encoding="utf-8"
    )
    result = cli(
        "topics", str(notice_pdf), str(tmp_path / "memo.txt"), "--k", "2", "--min-unit-tokens", "1",
        "--show", "examples", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(table.columns) == ["topic", "rank", "cite", "page", "share", "text"]
    doc = read_one(notice_pdf)
    lines = doc.text.split("\n")
    for cite, page, text in zip(table["cite"], table["page"], table["text"]):
        if "notice.pdf:" in cite:  # ids are paths: several inputs were given
            _, cited_page, cited_line = cite.rsplit(":", 2)
            assert cited_page == str(page)
            first = lines[doc.positions.index((int(cited_page), int(cited_line)))]
            assert squeeze(first)[:6] == squeeze(text)[:6]  # the unit starts on the cited line
        else:
            assert re.fullmatch(r".*memo\.txt:[0-9]+", cite) and page == ""
    units = cli(
        "topics", str(notice_pdf), str(tmp_path / "memo.txt"), "--k", "2", "--min-unit-tokens", "1",
        "--show", "units", "--format", "csv",
    )  # fmt: skip
    table = pd.read_csv(io.StringIO(units.stdout), keep_default_na=False)
    pdf_units = table[table["cite"].str.contains("notice.pdf:")]
    assert len(pdf_units) and all(cite.endswith(f"{page}:" + cite.rsplit(":", 1)[1]) for cite, page in
                                   zip(pdf_units["cite"], pdf_units["page"]))  # fmt: skip
    for cite, text in zip(pdf_units["cite"], pdf_units["text"]):  # units cite the page line they start on
        _, cited_page, cited_line = cite.rsplit(":", 2)
        assert squeeze(lines[doc.positions.index((int(cited_page), int(cited_line)))])[:6] == squeeze(text)[:6]


def test_columns_written_line_by_line_across_the_page_are_still_read_column_by_column(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", str(font_path())))
    left = [
        "왼쪽 단은 지난달 마을회관에서 열린 주민",
        "총회의 결과를 정리한 글이다. 올해 안건은",
        "모두 네 건이었고 모두 큰 반대 없이 통과되",
        "었다. 다음 총회는 가을 추수가 끝난 뒤에",
        "열린다.",
    ]
    right = [
        "오른쪽 단은 새로 생긴 마을버스 노선을 알",
        "리는 글이다. 첫차는 아침 여섯 시에 마을회",
        "관 앞에서 출발하고 막차는 밤 열한 시에 읍",
        "내 터미널에서 떠난다. 요금은 어른 천 원,",
        "어린이 오백 원이다.",
    ]

    def draw(sheet):
        sheet.setFont("NanumGothic", 10)
        for row, (a, b) in enumerate(zip(left, right)):  # each baseline: the left line, then the right one
            y = 760 - row * 15
            sheet.drawString(60, y, a)
            sheet.drawString(60 + 230 + 20, y, b)
        sheet.showPage()

    doc = read_one(_canvas_pdf(tmp_path / "interleaved.pdf", draw))
    assert [squeeze(p) for p in doc.text.split("\n\n")] == [squeeze("".join(left)), squeeze("".join(right))]


# Paragraphs of two lines or more, first lines indented: a page of one-line paragraphs spaced alike shows
# no line spacing to tell paragraph spacing from, and a paragraph that fills the last line of a column
# before an unindented one at the top of the next cannot be told from a wrap (the reader joins them).
hangul_words = st.lists(
    st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=2, max_size=6),
    min_size=25,
    max_size=60,
).map(" ".join)


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.lists(hangul_words, min_size=1, max_size=6), st.booleans(), st.sampled_from([1, 2]))
def test_any_paragraphs_come_back_with_no_character_lost(tmp_path_factory, texts, cjk, columns):
    pages = [Page([f"{text}." for text in texts])]
    folder = tmp_path_factory.mktemp("any")
    path = typeset(folder / "any.pdf", pages, cjk=cjk, columns=columns, header="머리글", indent=10.5)
    doc = read_one(path)
    assert [squeeze(p) for p in doc.text.split("\n\n")] == [squeeze(p) for p in known(pages)]


def test_running_headers_that_change_with_the_chapter_are_gone(tmp_path):
    texts = [
        "조사는 전국 17개 시도의 주민 3천 명을 대상으로 하였다.",
        "응답자는 전화와 누리집 가운데 편한 방법을 골랐다.",
        "주민 열 명 가운데 여섯 명은 동네 도서관을 한 달에 한 번 이상 찾는다고 답하였다.",
        "도서관을 찾지 않는 까닭으로는 거리가 멀다는 답이 가장 많았다.",
        "이용자가 바라는 것은 늦은 시간까지 문을 여는 것이었다.",
    ]
    pages = [Page([text]) for text in texts]
    headers = ["제1장 조사 개요", "제1장 조사 개요", "제2장 조사 결과", "제2장 조사 결과", "제2장 조사 결과"]
    doc = read_one(typeset(tmp_path / "chapters.pdf", pages, header=headers))
    assert doc.text.split("\n\n") == known(pages)


def test_footnotes_that_repeat_with_other_numbers_are_kept_not_taken_for_footers(tmp_path):
    # Ibid-style notes (같은 책, 11쪽 / 같은 책, 12쪽 ...) sit at the same height on every page, like a footer,
    # and differ only in their digits: they are text, kept as their own paragraphs.
    pages = [
        Page(
            [f"제{n}장의 논의는 지역 협력의 현황<super>{n}</super>을 다룬다. 이어지는 절에서 사례를 살펴본다."],
            [f"{n}) 같은 책, {10 + n}쪽."],
        )
        for n in (1, 2, 3)
    ]
    pdf = typeset(tmp_path / "ibid.pdf", pages, header="지역협력 정책 보고서")
    (doc,) = read_sources([str(pdf)])
    text = squeeze(doc.text)
    assert [n for n in (1, 2, 3) if squeeze(f"{n}) 같은 책, {10 + n}쪽.") not in text] == []
    assert "지역협력정책보고서" not in text  # the running header still goes


def test_clean_report_lists_what_the_pdf_reader_left_out(cli, tmp_path):
    pdf = typeset(tmp_path / "notice.pdf", NOTICE, header=HEADER)
    result = cli("clean", pdf, "--report", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    row = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False).iloc[0]
    assert row["shape"] == "wrapped"
    assert row["header_removed"] == 3 and row["page_number_removed"] == 3  # three pages, each framed
    assert row["removed"].split(" | ")[:2] == [f"page 1: {HEADER}", "page 1: - 1 -"]


def test_a_ragged_right_libreoffice_pdf_is_not_cut_at_every_short_line():
    # LibreOffice (soffice --convert-to pdf of ragged-libreoffice.txt, one 4,768-character paragraph) sets
    # Korean left-aligned: its wraps leave room that a long next word would seem to fit into. The reader
    # measures that slack on lines that stop mid-sentence (18 paragraphs before, a new-user check found).
    data = Path(__file__).parent / "data"
    (doc,) = read_sources([str(data / "ragged-libreoffice.pdf")])
    assert squeeze(doc.text) == squeeze((data / "ragged-libreoffice.txt").read_text(encoding="utf-8"))
    assert doc.text.count("\n\n") + 1 <= 6  # of 1; the rest are full lines that end a sentence


def test_paragraphs_set_apart_by_a_fifth_of_the_line_pitch_stay_apart(tmp_path):
    # a bill's front page with 20 pt lines and 4 pt between paragraphs (1.2 times the pitch): the title, the
    # letter-spaced 발의자 heading and the names are three paragraphs, and a paragraph whose last line ends
    # near the right edge stays apart from the one after it
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", str(font_path())))
    body = ParagraphStyle("b", fontName="NanumGothic", fontSize=13, leading=20, spaceAfter=4, wordWrap="CJK")
    head = ParagraphStyle("h", parent=body, alignment=TA_CENTER)
    written = [
        ("자원의 절약과 재활용촉진에 관한 법률 일부개정법률안", body),
        ("발&nbsp;&nbsp;&nbsp;&nbsp;의&nbsp;&nbsp;&nbsp;&nbsp;자", head),
        ("강민호ㆍ윤서연ㆍ조태식 의원(13인)", body),
        ("회수된 컵의 재활용 실적을 확인할 수 있는 체계가 없어 제도의 효과를 평가하기 어렵다는 지적이 있음.", body),
        ("이에 다음과 같이 제도를 보완하려는 것임.", body),
        (
            "일회용 컵 보증금 제도가 일부 지역에서만 시행되면서 소비자의 혼란이 커지고 매장 간 형평성 문제가 "
            "제기되고 있음. 보증금 관리기관은 회수된 컵의 재활용 실적을 매 분기 공개하고, 소규모 매장에는 회수 "
            "설비의 설치에 드는 비용을 지원할 수 있도록 함.",
            body,
        ),
    ]
    pdf = tmp_path / "bill.pdf"
    margin = (A4[0] - 320) / 2
    SimpleDocTemplate(str(pdf), pagesize=A4, leftMargin=margin, rightMargin=margin).build(
        [Paragraph(text, style) for text, style in written]
    )
    (doc,) = read_sources([str(pdf)])
    got = [squeeze(p) for p in doc.text.split("\n\n")]
    assert got == [squeeze(text.replace("&nbsp;", "")) for text, _ in written]


def test_an_article_reference_wrapped_inside_brackets_does_not_start_a_paragraph():
    from kcorpus.io.readers.pdf import _breaks, _Line

    def line(text: str, bottom: float, x1: float, first_word: float) -> _Line:
        return _Line(1, 100.0, x1, bottom, bottom + 13, 13.0, text, first_word=first_word, space=3.6, base=bottom + 2)

    a = line("단속 결과를 공개하도록 하려는 것임(안 제19조의3 및", 700, 382, 26)
    reference = line("제32조).", 680, 150, 50)  # did not fit in the 18 pt left on the line above
    assert not _breaks(a, reference, edge=400, left=100, pitch=20)
    heading = line("제32조(과태료) ① 다음 각 호의 어느 하나에 해당하는 자에게는", 680, 390, 80)
    ended = line("단속 결과를 공개하도록 하려는 것임(안 제19조의3).", 700, 382, 26)
    assert _breaks(ended, heading, edge=400, left=100, pitch=20)


def test_line_pitch_is_measured_between_baselines_not_glyph_boxes():
    # LibreOffice with WenQuanYi: a line that starts with ○ has a glyph box 2.4 pt shallower than its neighbours'
    # (11.7 pt lines measured 14 pt apart by their boxes), yet its baseline is where every other line's is
    from kcorpus.io.readers.pdf import _breaks, _Line

    a = _Line(
        1,
        100.0,
        395.0,
        702.4,
        709.0,
        10.0,
        "○ 겨울철 밀과 여름철 콩을 이어서 재배하는 이모작의 경우",
        first_word=9,
        space=2.8,
    )
    a.base = 700.0
    b = _Line(1, 100.0, 200.0, 686.0, 697.0, 10.0, "원으로 높인다.", first_word=40, space=2.8)
    b.base = 688.3
    assert not _breaks(a, b, edge=400, left=100, pitch=11.7)
    b.base = 686.0  # 14 pt below: a paragraph's spacing
    assert _breaks(a, b, edge=400, left=100, pitch=11.7)


def test_line_pitch_comes_from_wrapped_lines_not_from_table_cells_or_paragraph_gaps():
    # a bill's front page: most lines are paragraphs of their own (26 pt apart); a comparison table's cells read
    # one after another step 5.9 pt; only the wrapped lines (reaching the edge, the next one under them) show the
    # 11.8 pt line pitch that a paragraph's spacing is measured against
    from kcorpus.io.readers.pdf import _Line, _line_pitch

    lines, y = [], 700.0
    for step, x0, x1 in [(26, 100, 250), (26, 100, 300), (11.8, 100, 478), (11.8, 100, 476), (26, 100, 200)] * 2 + [
        (5.9, 100, 200),
        (5.9, 130, 300),
        (5.9, 100, 200),
        (5.9, 130, 300),
        (26, 100, 200),
    ]:
        line = _Line(1, x0, x1, y - 2, y + 8, 10.0, "가나다", first_word=10, space=2.6)
        line.base = y
        lines.append(line)
        y -= step
    assert _line_pitch(lines, [480.0] * len(lines), 10.0) == pytest.approx(11.8)


AMENDMENT_BILL = """도로교통법 일부개정법률안
=발의자
박서준ㆍ이하은ㆍ정우진 의원 외 9인
=제안이유
어린이보호구역의 통행속도 제한이 시간대와 관계없이 일률적으로 적용되어, 심야에는 교통 흐름을 불필요하게 막는다는 지적이 있음. 이에 시ㆍ도경찰청장이 어린이의 통행이 드문 시간대에는 제한속도를 달리 정할 수 있도록 하려는 것임(안 제12조제1항제2호).
법률 제 호
도로교통법 일부개정법률안
도로교통법 일부를 다음과 같이 개정한다.
제12조제1항에 제2호의2를 다음과 같이 신설한다.
2의2. 어린이의 통행이 드문 시간대로서 대통령령으로 정하는 시간대에 적용할 제한속도를 따로 정하는 조치
제12조제3항 중 "제1항제2호"를 "제1항제2호 및 제2호의2"로 한다.
=부칙
이 법은 공포 후 6개월이 경과한 날부터 시행한다.
| 현행 | 개정안 |
| 제12조(어린이보호구역의 지정 및 관리) ① 시장등은 다음 각 호의 조치를 할 수 있다. | 제12조(어린이보호구역의 지정 및 관리) ① (현행과 같음) |
| <신설> | 2의2. 어린이의 통행이 드문 시간대로서 대통령령으로 정하는 시간대에 적용할 제한속도를 따로 정하는 조치 |
2026년 3월 4일
대표발의 박서준
찬성 의원 이하은ㆍ정우진ㆍ최지아ㆍ한도윤
"""  # noqa: E501


def test_short_lines_above_a_two_column_table_are_not_a_column_of_their_own(tmp_path):
    # a bill's amendment page typeset as the ground-truth harness does: the comparison table lower on the page
    # makes the short lines above it look like a left column (their own edge: no room left); the title and the
    # enacting line are two paragraphs
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
    import clean_truth

    source = tmp_path / "bill.txt"
    source.write_text(
        AMENDMENT_BILL,
        encoding="utf-8",
    )
    pdf = tmp_path / "bill.pdf"
    clean_truth.typeset(clean_truth.read_truth(source), pdf, 1)  # 300 pt wide, 12 pt type
    (doc,) = read_sources([str(pdf)])
    got = [squeeze(p) for p in doc.text.split("\n\n")]
    k = got.index("법률제호")
    assert got[k : k + 3] == ["법률제호", "도로교통법일부개정법률안", "도로교통법일부를다음과같이개정한다."]


def test_a_latin_word_too_wide_for_the_room_after_a_sentence_end_continues_the_paragraph(tmp_path):
    # the sentence ends with room for two syllables, but the next word (Latin letters, never cut) is wider
    text = (
        "지속가능성 공시를 의무화하는 "
        + "국가 " * 3
        + "국제 기준을 받아들이는 나라도 빠르게 늘고 있다. Sustainability "
        "공시 기준은 각국의 사정에 맞게 조정되고 있으며 대상 기업도 해마다 늘어나는 추세이다."
    )
    doc = read_one(typeset(tmp_path / "latin.pdf", [Page([text])], page_numbers=False))
    assert "있다.\nSustainability" in doc.text  # the wrap falls there
    assert doc.text.count("\n\n") == 0
