"""Dated Korean documents written for the tests of time and groups (not the bundled reports): weekly
drops of three ministries whose subjects shift over six months, as a CSV table source."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

SUBJECTS = {
    "재정": ["예산", "세수", "국채", "재정", "지출", "물가", "금리", "세금"],
    "외교": ["외교", "정상회담", "대사관", "조약", "동맹", "협상", "공관", "비자"],
    "환경": ["탄소", "기후", "배출", "재활용", "미세먼지", "폐기물", "온실가스", "생태"],
    "기술": ["인공지능", "반도체", "데이터", "클라우드", "로봇", "플랫폼", "보안", "통신"],
}
MINISTRIES = {"기획재정부": "재정", "외교부": "외교", "환경부": "환경"}
FRAMES = [
    "{m}는 {a} 문제와 {b} 현황을 점검하고 {c} 대책을 발표하였다.",
    "이번 회의에서 {a}와 {b}에 대한 논의가 이어졌으며 {c} 분야의 과제가 제시되었다.",
    "{m} 관계자는 {a} 정책이 {b}에 미치는 영향을 분석하여 {c} 방안을 마련하겠다고 밝혔다.",
    "전문가들은 {a}와 {b}의 연계를 강조하며 {c} 개선을 요구하였다.",
]
DATE_FORMS = ["{y}-{mo:02d}-{d:02d}", "{y}.{mo:02d}.{d:02d}", "{y}. {mo}. {d}.", "{y}년 {mo}월 {d}일"]


def _with_batchim(word: str) -> bool:
    """Whether the word's last Hangul syllable has a final consonant (받침): 과/을/은, not 와/를/는."""
    code = ord(word[-1]) - 0xAC00
    return 0 <= code < 11172 and code % 28 != 0


def grammatical(sentence: str) -> str:
    """와 after a final consonant is 과 (인공지능과, 탄소와)."""
    return re.sub(r"(\S+)와 ", lambda m: m[1] + ("과 " if _with_batchim(m[1]) else "와 "), sentence)


def drop_rows(seed: int = 7, months: tuple[int, ...] = (1, 2, 4, 5, 6), per_month: int = 6) -> list[dict]:
    """Rows id, date, ministry, text: the share of 기술 (technology) sentences grows month by month; March
    has no documents (a gap)."""
    rng = random.Random(seed)
    rows = []
    for month in months:
        for i in range(per_month):
            ministry = list(MINISTRIES)[i % 3]
            own = SUBJECTS[MINISTRIES[ministry]]
            paragraphs = []
            for _ in range(3):
                sentences = []
                for _ in range(6):
                    words = SUBJECTS["기술"] if rng.random() < month / 10 else own
                    a, b, c = rng.sample(words, 3)
                    sentences.append(grammatical(rng.choice(FRAMES).format(m=ministry, a=a, b=b, c=c)))
                paragraphs.append(" ".join(sentences))
            day = 1 + (i * 4) % 27
            when = rng.choice(DATE_FORMS).format(y=2024, mo=month, d=day)
            rows.append({"id": f"{month:02d}-{i}", "date": when, "ministry": ministry, "text": "\n".join(paragraphs)})
    return rows


def write_drop(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "date", "ministry", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return path
