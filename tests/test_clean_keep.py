"""A line repeated at a page edge is furniture only with real evidence: at two page boundaries or
more, and at a page boundary in most of its occurrences (issue 11: never delete content)."""

from __future__ import annotations

import re
from collections import Counter

from kcorpus.clean import clean_text

BODY = [
    "공동주택의 관리주체는 장기수선계획에 따라 주요 시설을 교체하거나 보수하도록 규정하고 있으나 층간소음과",
    "누수 등 입주자 간 분쟁이 늘어나는 데 비하여 분쟁의 조정 절차가 충분하지 아니하다는 지적이 있어 이를",
    "보완하려는 것으로 관리주체가 입주자등의 요청에 따라 측정한 결과를 입주자대표회의에 보고하도록 하려는",
]


def pages_text(pages: list[list[str]], header: bool = False) -> str:
    """pdftotext style: one line per line, a page number closing each page, a form feed between pages; with
    `header`, a running header (with the page number) opening each page."""
    out = []
    for no, lines in enumerate(pages, 1):
        top = [f"주간 정책 동향   {no}   제 5 호"] if header else []
        out.append("\n".join([*top, *lines, f"- {no} -"]) + "\n")
    return "\f".join(out)


def nonspace(s: str) -> Counter:
    return Counter(re.sub(r"\s", "", s))


def removed_rules(res) -> list[tuple[str, str]]:
    return [(rule, text) for _, rule, text in res.removed]


def test_bill_title_repeated_above_the_amendment_text_is_kept():
    title = "공동주택관리법 일부개정법률안"
    # the title under the running header of page 1, and again above the amendment text further on
    text = pages_text([[title, *BODY * 4], [*BODY * 2, title, *BODY * 2], BODY * 4, BODY * 4], header=True)
    res = clean_text(text)
    assert ("header_removed", "주간 정책 동향 1 제 5 호") in [(r, " ".join(t.split())) for r, t in removed_rules(res)]
    assert ("running_title_removed", title) not in removed_rules(res)
    assert res.text.count(title) == 2


def test_table_cell_met_on_many_rows_is_kept_at_a_page_edge():
    cell = "<신설>"
    row = [cell, BODY[0]]
    pages = [[*BODY, *row, cell], [*BODY, *row, *row], [*BODY, *row, cell], BODY]
    res = clean_text(pages_text(pages))
    assert ("running_title_removed", cell) not in removed_rules(res)
    assert res.text.count(cell) == 6


def test_heading_used_in_several_sections_is_kept_before_a_page_break():
    head = "1) 개정안의 내용"
    pages = [[head, *BODY], [*BODY, head], [head, *BODY], BODY]
    res = clean_text(pages_text(pages))
    assert res.text.count(head) == 3


def test_running_title_on_most_pages_is_still_removed():
    title = "공동주택 관리 실태 분석"
    pages = [[title, *BODY], [title, *BODY], [title, *BODY], [title, *BODY]]
    res = clean_text(pages_text(pages))
    assert removed_rules(res).count(("running_title_removed", title)) >= 3
    assert title not in res.text.split("\n")[1:]


def test_nothing_but_page_numbers_is_lost():
    title = "공동주택관리법 일부개정법률안"
    cell = "<신설>"
    row = [cell, BODY[0]]
    pages = [[title, *BODY * 3, *row, cell], [*row, *BODY * 3, title, *row], [*BODY * 3, *row, cell], BODY * 4]
    text = pages_text(pages, header=True)
    res = clean_text(text)
    lost = nonspace(text) - nonspace(res.text)
    assert lost == nonspace("".join(f"-{n}-주간정책동향{n}제5호" for n in range(1, 5)))


def test_roman_section_number_after_a_full_title_line_starts_a_unit():
    title = "제3장 농어촌 지역 재가 돌봄 인력의 수급 실태와 지역별 격차에 관한 현장 조사 결과 분석과 정책 과제"
    lines = [title, "Ⅰ. 분석의 배경", *BODY, *BODY, "Ⅱ. 조사의 방법", *BODY]
    res = clean_text("\n".join(lines) + "\n")
    assert "Ⅰ. 분석의 배경" in [p.strip() for p in res.text.split("\n")]
    assert not any("실태와" in p and "Ⅰ." in p for p in res.text.split("\n"))


def test_quoted_subheading_after_a_full_sentence_line_stands_alone():
    said = "한 광역자치단체의 기후환경국장은 “지방비만으로는 연간 1,200억 원이 넘는 사업비를 감당하기 어렵다”고 말했다."
    head = "“계획서와 예산서가 따로 논다”"
    lines = [*BODY, said, head, *BODY, *BODY]
    res = clean_text("\n".join(lines) + "\n")
    assert head in [p.strip() for p in res.text.split("\n")]


def test_section_title_in_the_contents_and_at_a_later_page_top_is_still_removed():
    # the bundled KIC weekly: `ISSUE 및 시장동향` listed in the contents, then printed above a page of the section
    title = "ISSUE 및 시장동향"
    pages = [[title, *BODY * 4], BODY * 4, [title, *BODY * 4], BODY * 4]
    res = clean_text(pages_text(pages, header=True))
    assert removed_rules(res).count(("running_title_removed", title)) == 1
    assert res.text.count(title) == 1
