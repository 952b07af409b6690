"""Genre stopword lists: --stoplist reports|legal|none (stopwords/README.md gives every entry's reason)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import kcorpus as kc

BILL = Path(__file__).parent / "data" / "legal-sample-bill.txt"
STRUCTURE = {"조", "항", "개정", "신설", "현행"}


def top_terms(cli, *args) -> list[str]:
    result = cli("freq", BILL, "--top", "40", "--format", "csv", "--quiet", *args)
    assert result.exit_code == 0, result.stderr
    return pd.read_csv(pd.io.common.StringIO(result.stdout))["term"].tolist()


def test_legal_list_removes_the_scaffolding_of_a_bill(cli):
    reports, legal = top_terms(cli), top_terms(cli, "--stoplist", "legal")
    assert STRUCTURE <= set(reports)  # held-out bill: 조, 항, 개정, 신설, 현행 fill the word list
    assert not STRUCTURE & set(legal)
    assert {"층간소음", "관리비", "누수"} & set(legal) or {"소음", "관리비", "누수"} <= set(legal)


def test_none_and_the_old_flag_are_the_same(cli):
    assert top_terms(cli, "--stoplist", "none") == top_terms(cli, "--no-default-stopwords")
    assert "것" not in top_terms(cli) and "및" not in top_terms(cli, "--stoplist", "legal")


def test_unknown_stoplist_is_a_usage_error_before_reading(cli):
    result = cli("freq", BILL, "--stoplist", "medical")
    assert result.exit_code == 2
    assert result.stderr == "kcorpus: error: --stoplist 'medical': use one of reports, legal, none\n"


def test_library_takes_the_same_names():
    corpus = kc.read_corpus(BILL)
    assert set(kc.freq(corpus, stoplist="legal")["term"]).isdisjoint(STRUCTURE)
    with pytest.raises(kc.InvalidArgument) as error:
        kc.freq(corpus, stoplist="medical")
    assert error.value.parameter == "stoplist"


def test_every_entry_of_the_legal_list_is_explained():
    folder = Path(__file__).resolve().parents[1] / "stopwords"
    entries = [
        line.strip()
        for line in (folder / "ko-legal.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert [entry for entry in entries if entry not in readme] == []
