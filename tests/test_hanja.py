"""--hanja keep|hangul: Hanja read as their Hangul reading (Unihan kHangul + orthography rules)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kcorpus as kc
from kcorpus.nlp.hanja import readings, to_hangul

# Readings checked by hand against a Korean dictionary (표준국어대사전).
KNOWN = {
    "休職": "휴직",
    "第3條(定義)": "제3조(정의)",
    "李舜臣": "이순신",  # initial-sound rule: 리 -> 이
    "女性": "여성",
    "男女": "남녀",  # not at the start of the word: 녀 stays
    "勞動": "노동",  # 로 -> 노
    "理論": "이론",
    "論理": "논리",
    "比率": "비율",  # 률 after a vowel -> 율
    "確率": "확률",
    "先烈": "선열",  # 렬 after ㄴ -> 열
    "法律": "법률",
    "不當": "부당",  # 不 before ㄷ
    "不足": "부족",  # 不 before ㅈ
    "不安": "불안",
    "歷史와 未來": "역사와 미래",
}
LAW = (
    "第1條(目的) 이 法은 公務員의 休職에 관한 事項을 規定함을 目的으로 한다.\n\n"
    "第2條(休職) 公務員이 疾病으로 休職하는 경우 休職 期間은 1년으로 한다. 휴직 중인 공무원은 직무에 종사하지 못한다.\n"
)


@pytest.mark.parametrize("written, read", KNOWN.items())
def test_readings_follow_the_orthography(written, read):
    assert to_hangul(written) == read


@given(st.text(alphabet=st.sampled_from("休職第條法律不當女李樂 가나다1.\n") | st.characters()))
def test_conversion_keeps_length_and_every_other_character(text):
    read = to_hangul(text)
    assert len(read) == len(text)  # token offsets stay valid in the written text
    table = readings()
    assert all(a == b for a, b in zip(text, read) if a not in table)
    assert all("가" <= b <= "힣" for a, b in zip(text, read) if a in table)


def test_table_carries_its_licence_and_common_characters():
    from kcorpus.nlp.hanja import TABLE

    head = TABLE.read_text(encoding="utf-8").splitlines()[:3]
    assert "Unicode" in head[1] and "license" in head[2]
    assert len(readings()) > 8000
    assert {readings()[c] for c in "號條第"} == {"호", "조", "제"}


def frame(result) -> pd.DataFrame:
    assert result.exit_code == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)


@pytest.mark.slow
def test_hangul_counts_hanja_with_their_reading_and_shows_the_written_form(cli, tmp_path):
    law = tmp_path / "law.txt"
    law.write_text(LAW, encoding="utf-8")
    kept = frame(cli("freq", law, "--format", "csv", "-q", "--pos", "all"))
    assert kept.set_index(["term", "tag"]).loc[("休職", "SH"), "count"] == 4
    assert kept.set_index("term").loc["휴직", "count"] == 1
    assert "original" not in kept.columns
    read = frame(cli("freq", law, "--format", "csv", "-q", "--hanja", "hangul")).set_index("term")
    assert read.loc["휴직", "count"] == 5  # four written 休職, one 휴직
    assert read.loc["휴직", "original"] == "休職"
    assert read.loc["공무원", ["count", "original"]].tolist() == [3, "公務員"]
    assert read.loc["직무", "original"] == ""  # written in Hangul only
    assert "休職" not in read.index


@pytest.mark.slow
def test_cached_tokens_of_one_mode_are_not_reused_by_the_other(tmp_path):
    law = tmp_path / "law.txt"
    law.write_text(LAW, encoding="utf-8")
    first = kc.freq(kc.read_corpus(law, cache_dir=tmp_path / "cache"))
    read = kc.freq(kc.read_corpus(law, cache_dir=tmp_path / "cache", hanja="hangul"))
    again = kc.freq(kc.read_corpus(law, cache_dir=tmp_path / "cache"))
    assert first.equals(again)
    assert read.set_index("term").loc["휴직", "count"] == 5 != first.set_index("term").loc["휴직", "count"]


def test_unknown_mode_is_a_usage_error_before_reading(cli, tmp_path):
    result = cli("freq", tmp_path / "missing.txt", "--hanja", "hanguel")
    assert result.exit_code == 2
    assert result.stderr == "kcorpus: error: --hanja 'hanguel': use one of keep, hangul\n"
    with pytest.raises(kc.InvalidArgument) as error:
        kc.read_corpus(tmp_path / "missing.txt", hanja="hanguel")
    assert error.value.parameter == "hanja"
