"""Digits are ASCII digits: circled, superscript, full-width and other Unicode digits are text everywhere.

`str.isdigit()` is True for ①, ², ３ and `int()` then fails or reads them as numbers; these tests feed
every class through every rule of the cleaner and every numeric option of the command line.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import typer

from kcorpus.clean import clean_text

DIGIT_CLASSES = {
    "circled": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
    "parenthesised": "⑴⑵⑶⑷⑸",
    "superscript": "¹²³⁴⁵⁶⁷⁸⁹⁰",
    "full-width": "０１２３４５６７８９",
    "roman": "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ",
    "circled-hangul": "㉠㉡㉢㉣",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
}

# one line per rule of the cleaner that reads a number: page numbers (every form), running headers with a
# page slot, footnote markers and footnote lines, numbering, chapters, captions, credits, particles
RULE_LINES = [
    "{d}",
    "- {d} -",
    "{d}/{d}",
    "Page {d}",
    "p. {d}",
    "{d} 쪽",
    "국회   {d}   법률안",
    "제{d}조의{d}(협의단계) {d} 행정청은 다음 각 호의 사항을 협의한다",
    "지양{d})하였고 추진하였다",
    "{d}) 각주의 내용이다.",
    "{d}. 항목의 내용",
    "({d}) 항목의 내용",
    "{d}) 항목의 내용",
    "제 {d} 장",
    "SEMI{d} 는 반도체",
    "그림 {d}. 설명",
    "(연합뉴스, 2020.{d}.{d})",
    "{d}{d} 년 {d}월",
]


def document(digit: str) -> str:
    """Six pages of every rule line with `digit`, body text between, form feeds between pages."""
    pages = []
    for _ in range(6):
        lines = [line.format(d=digit) for line in RULE_LINES]
        lines.append("본문 내용이 여기에 이어지며 협력과 정책을 다룬다 " * 3)
        pages.append("\n\n".join(lines))
    return "\n\f".join(pages)


def all_digits():
    return [(name, digit) for name, digits in DIGIT_CLASSES.items() for digit in digits]


@pytest.mark.parametrize("name, digit", all_digits())
def test_every_cleaner_rule_takes_unicode_digits_as_text(name, digit):
    source = document(digit)
    cleaned = clean_text(source)
    # a Unicode digit is never a page number, a header's page slot or a footnote number: nothing that
    # holds one is removed, and every one of them is still in the text
    assert all(digit not in text for _, _, text in cleaned.removed), cleaned.removed
    assert cleaned.text.count(digit) == source.count(digit)


def test_the_bill_line_that_crashed_every_command():
    line = "제43조의2(협의단계) ① 행정청은 다음 사항을 협의하여야 한다."
    text = "\n\n".join(
        [line, "본문 " * 30, "국회   ①   법률안", "본문 " * 30, "국회   ②   법률안", "본문 " * 30, "국회   ③   법률안"]
    )
    cleaned = clean_text(text)
    assert "①" in cleaned.text and "제43조의2" in cleaned.text


def test_ascii_page_numbers_are_still_removed():
    pages = "\n\f".join(f"본문 내용이 이어진다 협력 정책\n\n- {n} -" for n in range(1, 6))
    cleaned = clean_text(pages)
    assert Counter(rule for _, rule, _ in cleaned.removed) == {"page_number_removed": 5}


# --- the command line --------------------------------------------------------------------------------

TEXT_NUMBER_OPTIONS = [  # options that take text and read a number out of it
    ("topics", "--k", "{d}"),
    ("topics", "--k-range", "{d}:5"),
    ("topics", "--k-range", "2:{d}"),
    ("info", "--unit", "window:{d}"),
    ("tokenize", "--unit", "window:{d}"),
]


def number_options():
    """(command path, option) for every option of every command whose value is a number."""
    from kcorpus.cli import app

    found = []

    def walk(group, path):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, [*path, name])
                continue
            for param in command.params:
                if param.param_type_name == "option" and param.type.name in (
                    "integer",
                    "integer range",
                    "int",
                    "int range",
                    "float",
                    "float range",
                ):
                    found.append(([*path, name], param.opts[0]))

    walk(typer.main.get_command(app), [])
    return found


def test_number_options_are_found():
    options = number_options()
    names = {option for _, option in options}
    assert {"--top", "--min-count", "--ngram", "--window", "--seed", "--alpha", "--jobs"} <= names
    assert len(options) > 40


@pytest.mark.parametrize("name", list(DIGIT_CLASSES))
def test_every_numeric_option_refuses_unicode_digits(cli, tmp_path, name):
    digit = DIGIT_CLASSES[name][2]
    sample = tmp_path / "a.txt"
    sample.write_text("북한 협력", encoding="utf-8")
    for path, option in number_options():
        query = ["협력"] if path[-1] in ("concordance", "collocates") else []
        args = [*path, *query, option, digit]
        if path[0] != "cache":
            args.append(sample)
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert result.stderr.startswith("kcorpus: error: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
    for command, option, template in TEXT_NUMBER_OPTIONS:
        args = [command, option, template.format(d=digit), sample]
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert re.match(r"kcorpus: error: .*" + re.escape(option), result.stderr), result.stderr
        assert result.stderr.count("\n") == 1


def test_ascii_numbers_still_work(cli, tmp_path):
    sample = tmp_path / "a.txt"
    sample.write_text("북한 협력 북한 협력 북한", encoding="utf-8")
    result = cli("freq", sample, "--top", "1", "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("북한,NN,3,")
    assert cli("info", sample, "--unit", "window:5", "--format", "csv", "--quiet").exit_code == 0
