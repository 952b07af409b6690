"""Dates, the --meta sidecar and the one --by vocabulary (doc|folder|file|COLUMN|COLUMN:PERIOD) of every analysis."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kcorpus as kc
from drops import drop_rows, write_drop
from kcorpus.analyses.groups import NO_LABEL, Grouping, period_label, period_range
from kcorpus.io.meta import parse_date, parse_month
from test_wordlists import csv_frame, run_csv


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024.03.05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024. 3. 5.", date(2024, 3, 5)),
        ("2024년 3월 5일", date(2024, 3, 5)),
        ("2024년3월5일", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("2024-03-05 14:30:00", date(2024, 3, 5)),
        ("2024-03-05T14:30", date(2024, 3, 5)),
        ("45356", date(2024, 3, 5)),  # Excel's serial number of 2024-03-05
        ("45356.5", date(2024, 3, 5)),
        (" 2024-03-05 ", date(2024, 3, 5)),
        ("2024. 3. 5.(화)", date(2024, 3, 5)),
        ("2024년 3월 5일 화요일", date(2024, 3, 5)),
        ("24.03.05", date(2024, 3, 5)),
        ("'24. 3. 5.", date(2024, 3, 5)),
        ("2024. 3. 5. 오후 2:00", date(2024, 3, 5)),
        ("2024-03-05T09:00:00+09:00", date(2024, 3, 5)),
        ("2023.12.31 (일) 10:00", date(2023, 12, 31)),
        ("2024.02.29", date(2024, 2, 29)),
        ("２０２４－０３－０５", date(2024, 3, 5)),  # full-width digits and dash
    ],
)
def test_dates_in_the_forms_reports_use(text, expected):
    assert parse_date(text) == expected


def test_a_month_alone_counts_for_month_quarter_and_year_periods():
    assert [parse_month(t) for t in ("2024-03", "2024.3", "2024년 3월", "２０２４－０３")] == [date(2024, 3, 1)] * 4
    assert [parse_month(t) for t in ("2024-13", "24.03", "2024", "2024-03-05")] == [None] * 4
    metas = [{"date": "2024-03"}, {"date": "2024년 5월"}, {"date": "2024-05-02"}]
    labels = Grouping.parse("date:quarter").doc_labels(["a", "b", "c"], metas)
    assert labels == ["2024-Q1", "2024-Q2", "2024-Q2"]
    with pytest.warns(kc.KcorpusWarning, match="2 document"):  # a week needs the day
        assert Grouping.parse("date:week").doc_labels(["a", "b", "c"], metas)[:2] == [NO_LABEL, NO_LABEL]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024",
        "2024-13-01",
        "2023-02-29",
        "３월",
        "2024-03",
        "March 5",
        "１２３４５",
        "123",
        "12/31/2023",
        "2023-12-31 ~ 2024-01-05",
    ],
)
def test_what_is_not_a_date(text):
    assert parse_date(text) is None


@given(st.text(max_size=40))
def test_any_text_parses_to_a_date_or_none(text):
    assert parse_date(text) is None or isinstance(parse_date(text), date)


def test_periods_label_and_sort_in_time_order():
    day = date(2024, 12, 30)  # ISO week 1 of 2025
    assert [period_label(day, p) for p in ("year", "quarter", "month", "week", "day")] == [
        "2024",
        "2024-Q4",
        "2024-12",
        "2025-W01",
        "2024-12-30",
    ]
    assert period_range("2024-11", "2025-02", "month") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert period_range("2024-Q3", "2025-Q1", "quarter") == ["2024-Q3", "2024-Q4", "2025-Q1"]
    assert period_range("2024-W52", "2025-W02", "week") == ["2024-W52", "2025-W01", "2025-W02"]


def test_a_bad_by_names_the_parameter():
    with pytest.raises(kc.InvalidArgument) as error:
        Grouping.parse("date:fortnight")
    assert error.value.parameter == "by" and "year, quarter, month, week, day" in str(error.value)
    assert Grouping.parse("date:month") == Grouping("date", "month")
    assert Grouping.parse("ministry") == Grouping("ministry", None)


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    return write_drop(tmp_path_factory.mktemp("drop") / "drop.csv", drop_rows())


def test_freq_by_month_sums_the_documents_of_each_month(cli, dated):
    by_doc = run_csv(cli, "freq", dated, "--id-column", "id", "--by", "doc")
    by_month = run_csv(cli, "freq", dated, "--id-column", "id", "--by", "date:month")
    assert list(by_month.columns) == ["group", "term", "tag", "count", "per_10k", "docs", "dp"]
    assert by_month["group"].drop_duplicates().tolist() == ["2024-01", "2024-02", "2024-04", "2024-05", "2024-06"]
    by_doc["month"] = by_doc["doc"].str[:2].map(lambda m: f"2024-{m}")  # ids are MM-i
    expected = by_doc.groupby(["month", "term"])["count"].sum()
    got = by_month.set_index(["group", "term"])["count"]
    assert got.to_dict() == {key: value for key, value in expected.items()}


def test_compare_by_ministry_and_quarter(cli, dated):
    frame = run_csv(cli, "compare", dated, "--id-column", "id", "--by", "date:quarter", "--min-count", "1")
    assert set(frame["group"]) == {"2024-Q1", "2024-Q2"}
    frame = run_csv(cli, "compare", dated, "--id-column", "id", "--by", "ministry", "--min-count", "1")
    assert set(frame["group"]) == {"기획재정부", "외교부", "환경부"}


def test_keywords_by_group_name_the_group_in_doc(cli, dated):
    frame = run_csv(cli, "keywords", dated, "--id-column", "id", "--by", "ministry", "--top", "3")
    assert set(frame["doc"]) == {"기획재정부", "외교부", "환경부"}
    assert frame.groupby("doc")["term"].apply(list).to_dict()["환경부"][:1] == ["환경부"]


def test_concordance_gains_a_group_column_and_collocates_a_table_per_group(cli, dated):
    lines = run_csv(cli, "concordance", "탄소", dated, "--id-column", "id", "--by", "date:month")
    assert list(lines.columns) == ["doc", "group", "page", "line", "left", "match", "right"]
    assert (lines["group"] == lines["doc"].str[:2].map(lambda m: f"2024-{m}")).all()
    table = run_csv(cli, "collocates", "탄소", dated, "--id-column", "id", "--by", "ministry", "--min-count", "1")
    assert table.columns[0] == "group" and set(table["group"]) <= {"기획재정부", "외교부", "환경부"}
    alone = run_csv(cli, "collocates", "탄소", dated, "--id-column", "id", "--min-count", "1")
    assert set(alone.columns) == set(table.columns) - {"group"}


def test_rows_whose_date_does_not_parse_are_named_in_one_line(cli, tmp_path):
    rows = drop_rows()[:4]
    rows[1]["date"] = "지난주"
    rows[2]["date"] = ""
    path = write_drop(tmp_path / "d.csv", rows)
    result = cli("freq", path, "--id-column", "id", "--by", "date:month", "--format", "csv")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "date" in line]
    assert warnings == [
        "kcorpus: warning: --by date:month: 2 document(s) have no date in 'date' that parses and are grouped as "
        "(none) (trends leaves them out): 01-1 ('지난주'), 01-2 (empty)"
    ]
    assert "(none)" in set(csv_frame(result.stdout)["group"])


def test_unknown_columns_and_periods_are_usage_errors(cli, dated):
    result = cli("freq", dated, "--id-column", "id", "--by", "date:fortnight")
    assert result.exit_code == 2 and "year, quarter, month, week, day" in result.stderr
    result = cli("compare", dated, "--id-column", "id", "--by", "region")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "kcorpus: error: --by 'region': 'region' is not a metadata column; available: doc, date, file, folder, ministry"
    )


@pytest.fixture(scope="module")
def text_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("texts")
    for row in drop_rows()[:4]:
        (folder / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    return folder


def test_a_meta_sidecar_joins_columns_by_file_name_with_or_without_suffix(cli, text_files, tmp_path):
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "file,date,ministry\n01-0.txt,2024-01-05,외교부\n01-1,2024. 2. 3.,외교부\n01-2,2024년 2월 9일,환경부\n"
        "99-9,2024-01-01,환경부\n",
        encoding="utf-8",
    )
    result = cli("freq", text_files, "--meta", meta, "--by", "date:month", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "--meta" in line]
    assert lines == [
        f"kcorpus: warning: --meta {meta}: 1 document(s) have no row (01-3.txt); 1 row(s) match no document (99-9)"
    ]
    assert csv_frame(result.stdout)["group"].drop_duplicates().tolist() == ["2024-01", "2024-02", "(none)"]
    corpus = kc.read_corpus(text_files, meta=meta, warn=lambda message: None)
    assert [d.doc.meta.get("ministry") for d in corpus.documents] == ["외교부", "외교부", "환경부", None]


@pytest.fixture(scope="module")
def weekly(tmp_path_factory):
    """Two week folders that each hold a summary.txt."""
    inbox = tmp_path_factory.mktemp("weeks") / "inbox"
    for week, row in zip(("2024-W27", "2024-W28"), drop_rows()[:2]):
        (inbox / week).mkdir(parents=True)
        (inbox / week / "summary.txt").write_text(row["text"], encoding="utf-8")
    return inbox


def ministries(inbox, metas, heard: list) -> dict[str, str | None]:
    corpus = kc.read_corpus(inbox, meta=metas, warn=heard.append)
    return {d.id: d.doc.meta.get("ministry") for d in corpus.documents}


def test_a_sidecar_row_that_fits_two_documents_joins_neither(cli, weekly, tmp_path):
    meta = tmp_path / "bare.csv"
    meta.write_text("file,ministry\nsummary.txt,환경부\nsummary.txt,과기부\n", encoding="utf-8")
    result = cli("freq", weekly, "--meta", meta, "--by", "ministry")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"kcorpus: error: --meta {meta}: row 'summary.txt' fits 2 documents (2024-W27/summary.txt, "
        "2024-W28/summary.txt): name each document by its id, its path from the folder given"
    )
    # one document named exactly: the bare row is the other's, and the repeated row is reported
    meta.write_text("file,ministry\nsummary.txt,환경부\n2024-W28/summary.txt,과기부\nsummary.txt,국토부\n", "utf-8")
    heard: list[str] = []
    assert ministries(weekly, meta, heard) == {"2024-W27/summary.txt": "환경부", "2024-W28/summary.txt": "과기부"}
    assert heard == [f"--meta {meta}: 1 id(s) given twice, the first row kept (summary.txt)"]


def test_sidecar_ids_may_be_longer_paths_and_sidecars_repeat(cli, weekly, tmp_path):
    first, second = tmp_path / "w27.csv", tmp_path / "w28.csv"
    first.write_text("file,ministry\ninbox/2024-W27/summary.txt,환경부\n", encoding="utf-8")
    second.write_text("file,ministry\n/data/inbox/2024-W28/summary,과기부\n", encoding="utf-8")
    heard: list[str] = []
    assert ministries(weekly, [first, second], heard) == {
        "2024-W27/summary.txt": "환경부",
        "2024-W28/summary.txt": "과기부",
    }
    assert not heard
    result = cli("freq", weekly, "--meta", first, "--meta", second, "--by", "ministry", "--format", "csv")
    assert result.exit_code == 0 and set(csv_frame(result.stdout)["group"]) == {"환경부", "과기부"}


def test_an_xlsx_sidecar_with_date_cells(cli, text_files, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "date"])
    for name, when in [
        ("01-0", datetime(2024, 1, 5)),
        ("01-1", datetime(2024, 4, 2)),
        ("01-2", 45356),
        ("01-3", "2024.06.01"),
    ]:
        sheet.append([name, when])
    book.save(tmp_path / "meta.xlsx")
    frame = run_csv(cli, "freq", text_files, "--meta", tmp_path / "meta.xlsx", "--by", "date:quarter")
    assert frame["group"].drop_duplicates().tolist() == ["2024-Q1", "2024-Q2"]


def test_a_missing_or_wrong_sidecar_is_one_line(cli, text_files, tmp_path):
    result = cli("freq", text_files, "--meta", tmp_path / "none.csv")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kcorpus: error: --meta {tmp_path / 'none.csv'}: cannot read it")
    (tmp_path / "meta.txt").write_text("id,date\n", encoding="utf-8")
    result = cli("freq", text_files, "--meta", tmp_path / "meta.txt")
    assert result.exit_code == 2 and "use a .csv, .tsv, .jsonl or .xlsx table" in result.stderr


def test_library_by_equals_the_cli(cli, dated, tmp_path):
    corpus = kc.read_corpus(dated, id_column="id")
    for command, args, frame in (
        ("freq", ["--by", "ministry", "--top", "3"], kc.freq(corpus, by="ministry", top=3)),
        ("compare", ["--by", "date:quarter"], kc.compare(corpus, by="date:quarter")),
    ):
        result = cli(command, dated, "--id-column", "id", *args, "-o", tmp_path / "cli.csv", "--quiet")
        assert result.exit_code == 0, result.stderr
        kc.write(frame, tmp_path / "api.csv")
        assert (tmp_path / "cli.csv").read_bytes() == (tmp_path / "api.csv").read_bytes(), command
    lines = kc.concordance(corpus, "탄소", by="ministry")
    assert isinstance(lines, pd.DataFrame) and lines.columns[1] == "group"


@given(st.text(max_size=30))
def test_any_by_parses_or_is_an_invalid_argument(by):
    try:
        grouping = Grouping.parse(by)
    except kc.InvalidArgument as error:
        assert error.parameter == "by"
    else:
        assert grouping.column and (
            grouping.period is None or grouping.period in ("year", "quarter", "month", "week", "day")
        )


@given(st.text(min_size=1, max_size=40) | st.sampled_from(["/", "//", ".", "a/.", "보고서/"]))
def test_any_document_id_is_among_its_own_candidates(doc_id):
    from kcorpus.io.meta import id_candidates

    assert id_candidates(doc_id)[0] == doc_id


def test_a_meta_sidecar_inside_the_input_folder_is_not_read_as_a_document(cli, tmp_path):
    (tmp_path / "a.txt").write_text("환경부는 탄소 중립 계획을 발표했다.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("외교부는 탄소 협력 회의를 열었다.\n", encoding="utf-8")
    (tmp_path / "meta.csv").write_text("id,date\na,2024-03-05\nb,2024-04-02\n", encoding="utf-8")
    result = cli("info", tmp_path, "--meta", tmp_path / "meta.csv", "--strict", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["a.txt", "b.txt"]
