"""Hanja written as their Hangul reading (`--hanja hangul`), one syllable per character.

The reading of each character is Unihan's standard one (kHangul, see scripts/build_hanja_table.py);
three rules of Korean orthography adjust it by position, where a run of Hanja is taken as a word:

* the initial-sound rule (두음법칙) at the start of a run: 녀→여, 리→이, 락→낙 ...;
* 렬/률 after a vowel or ㄴ become 열/율 (比率 비율, 先烈 선열; 確率 확률 stays);
* 不 before ㄷ or ㅈ reads 부 (不當 부당, 不足 부족).

Readings that depend on the word (樂 in 音樂 is 악) take the standard reading. The output has the
same length as the input, so token offsets still point into the original text.
"""

from __future__ import annotations

import functools
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "hanja_readings.tsv"
HANJA_MODES = ("keep", "hangul")
_SYLLABLE_BASE = 0xAC00
_MEDIALS = 21
_FINALS = 28
_NIEUN, _RIEUL, _IEUNG = 2, 5, 11  # initial consonant indexes
_IOTATED = {2, 6, 7, 12, 17, 20}  # ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ: ㄴ/ㄹ before them drop to ㅇ
_FINAL_NIEUN = 4
_BU = "부"


@functools.lru_cache(maxsize=1)
def readings() -> dict[str, str]:
    """Every Hanja in the table and its standard reading."""
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, _, reading = line.partition("\t")
            table[char] = reading
    return table


def has_hanja(text: str) -> bool:
    table = readings()
    return any(char in table for char in text)


def to_hangul(text: str) -> str:
    """`text` with every Hanja replaced by its Hangul reading (same length)."""
    table = readings()
    if not any(char in table for char in text):
        return text
    out = list(text)
    previous_hanja = False
    for i, char in enumerate(text):
        reading = table.get(char)
        if reading is None:
            previous_hanja = False
            continue
        if not previous_hanja:
            reading = _initial_sound(reading)
        elif reading in ("렬", "률") and _open_or_nieun(out[i - 1]):
            reading = "열" if reading == "렬" else "율"
        out[i] = reading
        previous_hanja = True
    for i, char in enumerate(text[:-1]):
        if char == "不" and out[i] == "불" and _initial(out[i + 1]) in (3, 12):  # ㄷ, ㅈ
            out[i] = _BU
    return "".join(out)


def _parts(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable) - _SYLLABLE_BASE
    if not 0 <= code < 19 * _MEDIALS * _FINALS:
        return None
    return code // (_MEDIALS * _FINALS), code // _FINALS % _MEDIALS, code % _FINALS


def _compose(initial: int, medial: int, final: int) -> str:
    return chr(_SYLLABLE_BASE + (initial * _MEDIALS + medial) * _FINALS + final)


def _initial(syllable: str) -> int:
    parts = _parts(syllable)
    return parts[0] if parts else -1


def _initial_sound(reading: str) -> str:
    """The initial-sound rule: ㄴ/ㄹ before ㅑㅕㅖㅛㅠㅣ become ㅇ; ㄹ before other vowels becomes ㄴ."""
    parts = _parts(reading)
    if parts is None or parts[0] not in (_NIEUN, _RIEUL):
        return reading
    initial, medial, final = parts
    if medial in _IOTATED:
        return _compose(_IEUNG, medial, final)
    return _compose(_NIEUN, medial, final) if initial == _RIEUL else reading


def _open_or_nieun(syllable: str) -> bool:
    parts = _parts(syllable)
    return parts is not None and parts[2] in (0, _FINAL_NIEUN)
