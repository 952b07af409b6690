"""Share of the top 40 terms of a legal text that are boilerplate, under each bundled stoplist.

Usage: python scripts/measure_stoplists.py [FILE ...]   (default: tests/data/legal-sample-bill.txt)

The sample bill was written after stopwords/ko-legal.txt was fixed and was never used to choose its
entries (a held-out text). Boilerplate is judged by hand below: the scaffolding of a statute or bill
(structural units, amendment vocabulary, the bill's furniture) and the debris of letter-spaced headings
(`생  략`, `신  설` read as 생, 략, 신, 설) - words that say nothing about what the law regulates.
"""

from __future__ import annotations

import sys
from pathlib import Path

import kcorpus as kc

REPO = Path(__file__).resolve().parents[1]
BOILERPLATE = frozenset(
    "항 조 호 목 장 절 다음 개정 신설 현행 삭제 일부 법 안 략 생 신 설 사항 밖 주요 발의 발의자 의원 제안 이유 "
    "부칙 법률 시행 공포 단서 본문 같음".split()
)
TOP = 40


def main(paths: list[str]) -> None:
    corpus = kc.read_corpus(paths or [str(REPO / "tests" / "data" / "legal-sample-bill.txt")])
    print(f"{'stoplist':10} {'boilerplate in top 40':>22}  terms judged boilerplate")
    for stoplist in ("none", "reports", "legal"):
        terms = kc.freq(corpus, top=TOP, stoplist=stoplist)["term"].tolist()
        judged = [term for term in terms if term in BOILERPLATE]
        print(
            f"{stoplist:10} {len(judged):>3}/{len(terms)} = {len(judged) / max(len(terms), 1):6.1%}  {' '.join(judged)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
