"""Issue 10: never crash, never lose a document, never run a stranger's code.

Adversarial tests: hostile text through the cleaner (a Hypothesis property), arbitrary small inputs through the
CLI, a folder of hostile inputs through every command, and one test per hostile situation (endless inputs, zip
bombs, symlink loops, undecodable file names, damaged tables, absurd numbers, colliding or pre-existing output
files, disk full, interrupts, pickled models, spreadsheet formulas, numeric-looking ids).

What every command must do, whatever it is given:
- exit 0, 1 or 2 (130 when interrupted), never with a traceback and never through the catch-all
  "internal error" line (that is a crash all the same);
- write one `kcorpus: ...` line per problem on stderr;
- analyse every input document or name it on stderr as skipped (with the folder that holds it, when a whole
  folder is not read);
- leave every file of the user's as it was.

Tests marked `slow` run subprocesses or many commands (deselect with `-m "not slow"`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, KIEP, SEOUL

REPO = Path(__file__).resolve().parents[1]
HANGUL = re.compile("[\uac00-\ud7a3]")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SAMPLE = "서울시는 국경 봉쇄를 강화했다. 개방적 도시외교가 필요하다. 행정청은 관계 기관과 협력하여야 한다.\n"
FORMULA_CHARS = tuple("=+-@＝＋－＠")

# digits of every script a Korean report or bill uses, as page numbers, list markers and footnotes
DIGIT_SETS = {
    "ascii": "0123456789",
    "fullwidth": "０１２３４５６７８９",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "circled": "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
    "parenthesized": "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽",
    "superscript": "¹²³⁴⁵⁶⁷⁸⁹",
    "roman": "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ",
    "hangul-circled": "㉠㉡㉢㉣㉤㉥㉦㉧㉨㉩",
}
ALL_DIGITS = "".join(DIGIT_SETS.values())
BRACKETS = "()[]{}<>（）「」『』【】〈〉《》"
BULLETS = "□○◦∙▶■-※•◇▷"
PUNCT = ".,;:!?·…'\"‘’“”~/%"
SPACES = " \n\n\n\f\t\r\u3000\u00a0\u200b\ufeff"


# --------------------------------------------------------------------------------------------- helpers


def assert_no_crash(result, allowed=(0, 1, 2)) -> None:
    """A CliRunner result: a defined exit, no traceback, no catch-all 'internal error', one line per problem."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.stderr}"
    )
    assert result.exit_code in allowed, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert "internal error" not in result.stderr and "a bug in kcorpus" not in result.stderr, result.stderr
    stray = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("kcorpus")]
    assert not stray, f"stderr lines that are not one-line kcorpus messages: {stray[:5]}"


def assert_clean_exit(code, err: str, allowed=(0, 1, 2)) -> None:
    """The same for a subprocess (exit code and stderr text)."""
    assert code in allowed, f"exit {code}: {err[-2000:]}"
    assert "Traceback" not in err, err[-3000:]
    assert "internal error" not in err and "a bug in kcorpus" not in err, err
    stray = [line for line in err.splitlines() if line.strip() and not line.startswith("kcorpus")]
    assert not stray, f"stderr lines that are not one-line kcorpus messages: {stray[:5]}"


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def snapshot(root) -> dict:
    """Hashes of every file (and symlink target) under root, without following symlinks; bytes paths."""
    root = os.fsencode(root)
    hashes = {}
    if not os.path.isdir(root):
        return {root: _digest(root)}
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            hashes[path] = _digest(path)
    return hashes


def _digest(path):
    try:
        if os.path.islink(path):
            return ("link", os.readlink(path))
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except PermissionError:
        return "unreadable"
    except OSError:
        return None


def summary_count(stderr: str) -> int | None:
    """Documents analysed (or cleaned) plus inputs skipped, from the summary line."""
    m = re.search(r"(?:analysed|cleaned) (\d+) document\(s\)[^;\n]*(?:; skipped (\d+))?", stderr)
    return int(m.group(1)) + int(m.group(2) or 0) if m else None


def doc_is_accounted(doc_ids, file_id: str, rows: set[str], stderr: str) -> bool:
    """Analysed (a row of `kcorpus info`) or named on stderr as skipped, itself or a folder holding it."""
    ids = (doc_ids,) if isinstance(doc_ids, str) else tuple(doc_ids)
    if any(i in rows for i in ids) or file_id in rows or any(r.startswith(file_id + "#") for r in rows):
        return True
    skipped = [line for line in stderr.splitlines() if "skipped " in line]
    names = list(ids) + [file_id] + [str(p) for p in Path(file_id).parents if str(p) != "."]
    return any(
        f"skipped {n}:" in line or f"skipped {n}/:" in line or f"skipped {n}#" in line
        for line in skipped
        for n in names
    )


def id_forms(rel: bytes) -> tuple[str, ...]:
    """How an input path may appear as a document id: decoded with surrogates, or with backslash escapes for
    undecodable bytes and control characters."""

    def controls(s: str) -> str:
        return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], s)

    plain, escaped = os.fsdecode(rel), rel.decode("utf-8", "backslashreplace")
    return tuple(dict.fromkeys((plain, escaped, controls(plain), controls(escaped))))


def run_kcorpus(args, *, stdin=None, stdout=None, timeout=30.0, sigint_after=None, cache_dir=None, prefix=()):
    """`python -m kcorpus ARGS` in a subprocess: (exit code or None if killed at the timeout, stdout bytes,
    stderr text, seconds, peak RSS in MB). stdin/stdout: a path, or "closed-pipe" for stdout."""
    env = dict(os.environ, NO_COLOR="1")
    if cache_dir is not None:
        env["KCORPUS_CACHE_DIR"] = str(cache_dir)
    out_file = io.BytesIO()
    stdin_f = open(stdin, "rb") if stdin else subprocess.DEVNULL
    if stdout == "closed-pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)
        stdout_f = os.fdopen(write_end, "wb")
    elif stdout:
        stdout_f = open(stdout, "wb")
    else:
        stdout_f = subprocess.PIPE
    argv = [*prefix, sys.executable, "-m", "kcorpus", *[a if isinstance(a, bytes) else str(a) for a in args]]
    started = time.monotonic()
    proc = subprocess.Popen(
        argv,
        stdin=stdin_f,
        stdout=stdout_f,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # even if pytest runs in `&`
    import threading

    chunks = {"out": [], "err": []}

    def drain(stream, key):
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)

    threads = [threading.Thread(target=drain, args=(proc.stderr, "err"), daemon=True)]
    if stdout_f is subprocess.PIPE:
        threads.append(threading.Thread(target=drain, args=(proc.stdout, "out"), daemon=True))
    for t in threads:
        t.start()
    sent = killed = False
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, _high_water_kb(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        elapsed = time.monotonic() - started
        if sigint_after is not None and not sent and elapsed >= sigint_after:
            os.kill(proc.pid, signal.SIGINT)
            sent = True
        if elapsed > timeout and not killed:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
        time.sleep(0.005)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join(5)
    for f in (stdin_f, stdout_f):
        if hasattr(f, "close"):
            f.close()
    out_file.write(b"".join(chunks["out"]))
    err = b"".join(chunks["err"]).decode("utf-8", "backslashreplace")
    return (
        (None if killed else proc.returncode),
        out_file.getvalue(),
        err,
        time.monotonic() - started,
        (peak_kb or usage.ru_maxrss) / 1024,
    )


def _high_water_kb(pid: int) -> int:
    """The peak RSS of the program a child runs (VmHWM of its image since exec). wait4's ru_maxrss would
    also count the copy of this test process the child was forked from: over 1 GB late in a full run."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def statute_text(kind: str, pages: int = 6) -> str:
    """A bill: numbered articles and paragraphs, running headers, footnote-like lines and page numbers, all
    written with the digits of `kind`."""
    digits = DIGIT_SETS[kind]

    def num(n: int) -> str:
        if kind in ("ascii", "fullwidth", "arabic-indic"):
            return "".join(digits[int(c)] for c in str(n))
        return digits[(n - 1) % len(digits)]

    body = SEOUL.read_text(encoding="utf-8").splitlines()
    body = [line for line in body if len(line.strip()) > 20]
    lines = []
    for p in range(1, pages + 1):
        lines += [f"국회  {digits[1]}  법률안  {p}", f"국회  {num(p)}  법률안", ""]
        lines += [
            f"제{40 + p}조의2(협의단계) ① 행정청은 법률안을 입안할 때에는 관계 중앙행정기관의 장과 미리",
            "협의하여야 한다.",
            f"② 제1항에 따른 협의의 절차와 방법은 대통령령으로 정한다{num(2)}).",
            f"③ 행정청은 제2항에 따른 협의 결과를 국회에 보고하여야 한다{num(3)}",
            f"{num(4)} 행정청은 {num(5)}항의 사항을 공고한다. ⑴ 첫째 ㉠ 세부 Ⅲ. 결론 ¹²³ ٠١٢",
            "",
            *body[p * 7 : p * 7 + 7],
            "",
            f"{num(p)}) 각주: 이 조는 {2020 + p}년에 신설되었다.",
            "①) 각주 설명 문장입니다.",
            "",
            f"- {num(p)} -",
            num(p),
            "\f",
        ]
    return "\n".join(lines) + "\n"


def xlsx_bytes(rows: list[list], sheets: dict[str, list[list]] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    for name, extra in (sheets or {}).items():
        sheet = book.create_sheet(name)
        for row in extra:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, transform) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def write_zip_bomb(path: Path, inflated: int) -> None:
    """A valid .xlsx whose sheet XML inflates to `inflated` bytes of rows of Korean text."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["id", "text"], ["r1", "가나다"]])))
    row = (
        '<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>가나다라마바사 서울시는 '
        "협력했다</t></is></c></row>"
    ).encode()
    chunk = row * (1_000_000 // len(row))
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxml'
        'formats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t>'
        '</is></c><c r="B1" t="inlineStr"><is><t>text</t></is></c></row>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(info.filename, "w", force_zip64=True) as f:
                f.write(head)
                written = len(head)
                while written < inflated:
                    f.write(chunk)
                    written += len(chunk)
                f.write(b"</sheetData></worksheet>")


class EvilPickle:
    """Unpickling this creates the marker file (stands for any code a stranger's pickle would run)."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        import builtins

        return (builtins.open, (self.marker, "w"))


# ============================================================================ (a) the cleaner, property-based

hangul = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
char = st.one_of(
    hangul,
    hangul,
    hangul,
    hangul,  # weighted toward Hangul
    st.sampled_from(ALL_DIGITS),
    st.sampled_from(BRACKETS),
    st.sampled_from(BULLETS),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACES),
    st.sampled_from(SPACES),
    st.characters(),  # anything else, lone surrogates included (JSON "\ud800" escapes produce them)
)
token = st.one_of(
    st.text(char, min_size=1, max_size=8),
    st.sampled_from(
        [
            "제43조의2(협의단계)",
            "①",
            "②",
            "⑳",
            "⑴",
            "㉠",
            "Ⅲ.",
            "¹",
            "²³",
            "３",
            "٣",
            "12",
            "- 3 -",
            "p. 4",
            "7쪽",
            "국회",
            "법률안",
            "행정청은",
            "협의하여야",
            "한다.",
            "각주",
            "2)",
            "①)",
            "지양2)하였고",
            "SEMI",
            "는",
            "에서",
            "□",
            "○",
            "◦",
            "∙",
            "▶",
            "■",
            "-",
            "※",
            "표 1.",
            "(36kr, 2020.8.26)",
            "https://example.com/a",
            "가.",
            "(가)",
        ]
    ),
)
line = st.lists(token, max_size=12).map(" ".join)
page_lines = st.lists(line, max_size=12)


@st.composite
def report_like(draw):
    """Pages of a report or bill: a running header with a page number in some script, body lines, footnote-like
    lines, a page number line and a form feed."""
    kind = draw(st.sampled_from(sorted(DIGIT_SETS)))
    digits = DIGIT_SETS[kind]
    header = draw(
        st.sampled_from(["국회  {}  법률안", "국회  {}  법률안  {}", "KIEP 세계경제 포커스 {}", "- {} -", "{}"])
    )
    out = []
    for page in range(1, draw(st.integers(1, 6)) + 1):
        mark = digits[page % len(digits)]
        out.append(header.format(mark, page))
        out += draw(page_lines)
        out += [f"{mark}) 각주 문장이다.", draw(st.sampled_from([mark, str(page), f"- {page} -"]))]
        if draw(st.booleans()):
            out.append("\f")
    return draw(st.sampled_from(["\n", "\n\n", "\r\n", " \n"])).join(out)


documents = st.one_of(st.text(char, max_size=400), page_lines.map("\n".join), report_like())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example("서울\ud800시는 협력했다.")  # a lone surrogate, as json.loads gives for "\ud800"
@example("국회  ②  법률안  1\n본문이다.\n\f국회  ②  법률안  2\n본문이다.\n\f국회  ②  법률안  3\n")
@example("가\n²\n나\n³\n다\n¹\n")
def test_clean_text_never_raises_and_accounts_for_every_hangul_syllable(text):
    """Every Hangul syllable of the input is in the cleaned text or in `removed` (header, page-number and
    running-title lines, footnote markers), exactly as often as in the input."""
    from kcorpus.clean import clean_text

    cleaned = clean_text(text)
    kept = Counter(HANGUL.findall(cleaned.text))
    for _line, _rule, removed_text in cleaned.removed:
        kept.update(HANGUL.findall(removed_text))
    assert kept == Counter(HANGUL.findall(text))
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for start, end in cleaned.paragraphs:
        assert 0 <= start <= end <= len(cleaned.text)
    for offset in range(0, len(cleaned.text) + 1, max(1, len(cleaned.text) // 20)):
        assert cleaned.source_line(offset) >= 1 and cleaned.source_line(offset) <= n_lines


# ============================================================================ (b) the CLI, property-based


@st.composite
def cli_case(draw):
    text = draw(documents)
    kind = draw(st.sampled_from(["txt", "txt-cp949", "txt-utf16", "txt-bom", "bytes", "csv", "tsv", "jsonl"]))
    if kind == "txt":
        name, data = "doc.txt", text.encode("utf-8", "surrogatepass")
    elif kind == "txt-cp949":
        name, data = "doc.txt", text.encode("cp949", "ignore")
    elif kind == "txt-utf16":
        name, data = "doc.txt", text.encode("utf-16", "surrogatepass")
    elif kind == "txt-bom":
        name, data = "doc.txt", text.encode("utf-8-sig", "surrogatepass")
    elif kind == "bytes":
        name, data = "doc.txt", draw(st.binary(max_size=300))
    elif kind == "jsonl":
        name = "rows.jsonl"
        data = "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(text.split("\n\n"))).encode()
    else:
        name = f"rows.{kind}"
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if kind == "csv" else "\t")
        writer.writerow(["id", "text"])
        for i, t in enumerate(text.split("\n\n")):
            writer.writerow([str(i), t])
        data = buffer.getvalue().encode("utf-8", "surrogatepass")
    command = draw(st.sampled_from([["info"], ["freq"], ["clean"], ["clean", "--report"]]))
    fmt = draw(st.sampled_from(["csv", "tsv", "json", "jsonl", "table"]))
    return name, data, command, fmt


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(case=cli_case())
def test_cli_survives_arbitrary_small_inputs(cli, tmp_path_factory, case):
    name, data, command, fmt = case
    folder = tmp_path_factory.mktemp("cli-case")
    (folder / name).write_bytes(data)
    args = [*command, folder / name]
    if command[0] != "clean":
        args += ["--cache-dir", folder / "cache"]
    if command != ["clean"]:
        args += ["--format", fmt]
    before = snapshot(folder / name)
    result = cli(*args)
    assert_no_crash(result)
    assert snapshot(folder / name) == before


# ============================================================================ (c) a folder of hostile inputs


def build_hostile_folder(root: Path) -> None:
    """Everything a user might point kcorpus at by mistake or by bad luck, in one folder."""
    for kind in DIGIT_SETS:
        (root / "statute").mkdir(parents=True, exist_ok=True)
        (root / "statute" / f"bill-{kind}.txt").write_text(statute_text(kind), encoding="utf-8")
    (root / "unclosed.csv").write_text(
        'id,text\n1,"첫째 문서는 따옴표를 닫지 않았다\n2,둘째 문서\n3,셋째 문서\n', encoding="utf-8"
    )
    (root / "be.txt").write_bytes((SAMPLE * 4).encode("utf-16-be"))
    tail = (SAMPLE * 10).rstrip("\n.")
    (root / "tail-ff.txt").write_bytes(tail.encode() + b"\xff")
    (root / "tail-cut.txt").write_bytes(tail.encode()[:-1])
    (root / "broken-xml.xlsx").write_bytes(
        with_sheet_xml(xlsx_bytes([["id", "text"], ["a", SAMPLE]]), lambda xml: xml[: len(xml) // 2])
    )
    (root / "formula.xlsx").write_bytes(
        xlsx_bytes([["id", "text"], ["f1", '=CONCATENATE("서울시는 ","협력")'], ["plain", SAMPLE]])
    )
    (root / "two-sheets.xlsx").write_bytes(
        xlsx_bytes([["id", "text"], ["one", SAMPLE]], {"둘째": [["id", "text"], ["two", SAMPLE]]})
    )
    (root / "surrogates.jsonl").write_text(
        '{"text": "서울\\ud800시는 협력했다."}\n{"text": "부산시는 협력했다."}\n', encoding="utf-8"
    )
    (root / "odd-types.jsonl").write_text(
        "".join(
            json.dumps({"text": v}, ensure_ascii=False) + "\n" for v in [5, ["서울시는"], {"가": "나"}, None, True]
        ),
        encoding="utf-8",
    )
    (root / "formula-ids.csv").write_text(
        'id,text\n＝1+1,서울시는 협력했다.\n"=1+1",부산시는 협력했다.\n', encoding="utf-8"
    )
    (root / "empty.txt").write_bytes(b"")
    (root / "nul.bin").write_bytes(b"\x00\x01" * 100)
    (root / "notes").write_text("가표지 " + SAMPLE, encoding="utf-8")
    (root / "notes.txt").write_text("나표지 " + SAMPLE, encoding="utf-8")
    (root / "ok.txt").write_text(SAMPLE * 3, encoding="utf-8")
    os.symlink("nowhere.txt", root / "dangling.txt")
    (root / "loop").mkdir()
    (root / "loop" / "inside.txt").write_text(SAMPLE, encoding="utf-8")
    os.symlink("..", root / "loop" / "up")
    (root / ".hidden.txt").write_text(SAMPLE, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text(SAMPLE, encoding="utf-8")
    (root / "locked").mkdir()
    (root / "locked" / "secret.txt").write_text(SAMPLE, encoding="utf-8")
    with open(os.fsencode(root) + b"/\xff\xfe.txt", "wb") as f:
        f.write(SAMPLE.replace("서울시", "인천시").encode())
    os.chmod(root / "locked", 0)


def hostile_inputs(root: Path) -> list[tuple[tuple[str, ...], str]]:
    """(possible document ids, file id) of every input file under root (symlinks to folders are not inputs)."""
    found = []
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base):
        for name in files:
            rel = os.path.relpath(os.path.join(folder, name), base)
            found.append((id_forms(rel), os.fsdecode(rel)))
        if folder == base and b"locked" in dirs and not os.access(os.path.join(base, b"locked"), os.R_OK):
            found.append((("locked/secret.txt",), "locked/secret.txt"))
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "inputs"
    root.mkdir()
    build_hostile_folder(root)
    yield root
    os.chmod(root / "locked", 0o755)


HOSTILE_COMMANDS = {
    "info": lambda d, o: ["info", d, "--format", "csv"],
    "info-tsv": lambda d, o: ["info", d, "--format", "tsv"],
    "info-json": lambda d, o: ["info", d, "--format", "json"],
    "info-jsonl": lambda d, o: ["info", d, "--format", "jsonl"],
    "info-table": lambda d, o: ["info", d, "--format", "table"],
    "info-xlsx": lambda d, o: ["info", d, "-o", o / "info.xlsx"],
    "freq": lambda d, o: ["freq", d],
    "keywords": lambda d, o: ["keywords", d],
    "compare": lambda d, o: ["compare", d],
    "topics-k2": lambda d, o: ["topics", d, "--k", "2", "--min-unit-tokens", "10"],
    "topics-auto": lambda d, o: ["topics", d, "--k", "auto", "--k-range", "2:3", "--min-unit-tokens", "10"],
    "concordance": lambda d, o: ["concordance", "행정청", d, "--format", "csv"],
    "collocates": lambda d, o: ["collocates", "행정청", d, "--min-count", "1"],
    "clean": lambda d, o: ["clean", d],
    "clean-report": lambda d, o: ["clean", d, "--report"],
    "clean-out-dir": lambda d, o: ["clean", d, "--out-dir", o / "cleaned"],
    "tokenize": lambda d, o: ["tokenize", d, "--format", "csv"],
    "tokenize-text": lambda d, o: ["tokenize", d, "--format", "text"],
}


@pytest.mark.parametrize(
    "name", [n if n == "info" else pytest.param(n, marks=pytest.mark.slow) for n in HOSTILE_COMMANDS]
)
def test_hostile_folder_through_every_command(cli, hostile, tmp_path, name):
    before = snapshot(hostile)
    result = cli(*HOSTILE_COMMANDS[name](hostile, tmp_path))
    assert_no_crash(result, allowed=(0,))
    assert snapshot(hostile) == before, "a command changed the user's input files"
    inputs = hostile_inputs(hostile)
    if name == "info":
        rows = {row["doc"] for row in csv_rows(result.stdout)}
        lost = [ids[0] for ids, file in inputs if not doc_is_accounted(ids, file, rows, result.stderr)]
        assert not lost, f"neither analysed nor reported as skipped: {lost}"
    else:
        seen = summary_count(result.stderr)
        assert seen is not None and seen >= len(inputs), (
            f"{seen} documents analysed or skipped for {len(inputs)} inputs:\n{result.stderr}"
        )


# ============================================================================ numeric options


@pytest.mark.parametrize(
    "command,options",
    [
        (["topics"], ["--k", "３"]),
        (["topics"], ["--k", "①"]),
        (["topics"], ["--k", "²"]),
        (["topics"], ["--k", "Ⅲ"]),
        (["topics"], ["--k-range", "２:５"]),
        (["topics"], ["--k-range", "①:③"]),
        (["topics"], ["--k-range", "٢:٣"]),
        (["info"], ["--unit", "window:５"]),
        (["info"], ["--unit", "window:①"]),
        (["info"], ["--unit", "window:²"]),
        (["freq"], ["--ngram", "²"]),
        (["freq"], ["--min-count", "٣"]),
        (["freq"], ["--top", "Ⅲ"]),
        (["concordance", "협력"], ["--limit", "①"]),
        (["collocates", "협력"], ["--window", "⑤"]),
    ],
    ids=lambda a: " ".join(a),
)
def test_unicode_digits_in_numeric_options_are_usage_errors_or_read(cli, command, options):
    """int() reads ３ and ٣ but not ① or ²: whichever the CLI does, a number option never crashes."""
    result = cli(*command, SEOUL, *options)
    assert_no_crash(result, allowed=(0, 2))
    if any(c in "".join(options) for c in "①²Ⅲ⑤"):
        assert result.exit_code == 2


@pytest.mark.parametrize("count", ["1e400", "99999999999999999999999", "nan", "inf", "-1", "1e3", "1.5", "0x10"])
def test_reference_frequency_counts_that_are_not_whole_numbers(cli, tmp_path, count):
    ref = tmp_path / "ref.csv"
    ref.write_text(f"term,count\n중국,{count}\n협력,10\n", encoding="utf-8")
    result = cli("keywords", KIEP, "--reference-freq", ref)
    assert_no_crash(result, allowed=(0, 1))
    if count in ("1e400", "nan", "inf", "-1", "1.5", "0x10"):
        assert result.exit_code == 1 and "line 2" in result.stderr


# ============================================================================ endless and enormous inputs


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,stdin",
    [
        (["info", "-"], "/dev/zero"),
        (["freq", SEOUL, "--stopwords", "/dev/zero"], None),
        (["info", SEOUL, "--user-dict", "/dev/zero"], None),
        (["topics", SEOUL, "--k", "2", "--seed-words", "/dev/zero"], None),
        (["keywords", SEOUL, "--reference-freq", "/dev/zero"], None),
    ],
    ids=["stdin", "stopwords", "user-dict", "seed-words", "reference-freq"],
)
def test_endless_input_ends_by_itself_in_bounded_memory(tmp_path, args, stdin):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    code, _, err, seconds, peak = run_kcorpus(args, stdin=stdin, timeout=15, cache_dir=tmp_path)
    assert code is not None, f"still running after 15 s (peak {peak:.0f} MB)"
    assert seconds < 10 and peak < 1500, (seconds, peak)
    assert_clean_exit(code, err, allowed=(1, 2))


@pytest.mark.slow
def test_zip_bomb_xlsx_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    write_zip_bomb(bomb, 400 * 1024 * 1024)
    assert bomb.stat().st_size < 3_000_000
    code, _, err, seconds, peak = run_kcorpus(["info", bomb], timeout=30, cache_dir=tmp_path / "cache")
    assert code is not None and seconds < 20 and peak < 1500, (code, seconds, peak)
    assert_clean_exit(code, err, allowed=(1,))
    assert "skipped bomb.xlsx" in err


@pytest.mark.slow
def test_fifty_megabytes_without_a_newline_is_read_or_reported(tmp_path):
    text = " ".join(line for line in SEOUL.read_text(encoding="utf-8").split())
    big = tmp_path / "one-line.txt"
    big.write_bytes(
        ((text + " ") * (50_000_000 // len((text + " ").encode()) + 1))
        .encode()[:50_000_000]
        .decode("utf-8", "ignore")
        .encode()
    )
    code, _, err, seconds, peak = run_kcorpus(["clean", big, "--report"], timeout=90)
    assert code is not None, "clean --report still running after 90 s"
    assert_clean_exit(code, err, allowed=(0, 1))
    assert code == 0 or "skipped one-line.txt" in err
    assert peak < 4000, peak


@pytest.mark.slow
def test_sparse_huge_file_is_refused_without_reading_it(tmp_path):
    sparse = tmp_path / "sparse.txt"
    with open(sparse, "wb") as f:
        f.truncate(100 * 1024**3)
    code, _, err, seconds, peak = run_kcorpus(["info", sparse], timeout=20, cache_dir=tmp_path / "cache")
    assert code is not None and peak < 1500, (seconds, peak)
    assert_clean_exit(code, err, allowed=(1,))
    assert "skipped sparse.txt" in err


@pytest.mark.slow
@pytest.mark.parametrize("as_path", [False, True], ids=["in-folder", "as-path"])
def test_named_pipe_does_not_hang(tmp_path, as_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SAMPLE, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    code, _, err, seconds, _ = run_kcorpus(
        ["info", folder / "pipe.txt" if as_path else folder], timeout=20, cache_dir=tmp_path / "cache"
    )
    assert code is not None, "hangs on a named pipe"
    assert_clean_exit(code, err)
    if not as_path:
        assert code == 0 and "pipe.txt" in err  # reported as skipped (not a regular file)


# ============================================================================ folders


def test_symlink_loop_in_a_folder_and_under_a_glob(cli, tmp_path):
    (tmp_path / "d" / "a").mkdir(parents=True)
    (tmp_path / "d" / "a" / "doc.txt").write_text(SAMPLE, encoding="utf-8")
    os.symlink("..", tmp_path / "d" / "a" / "loop")
    for target in (tmp_path / "d", f"{tmp_path}/d/**/*.txt"):
        result = cli("info", target, "--format", "csv")
        assert_no_crash(result, allowed=(0,))
        assert [row["doc"] for row in csv_rows(result.stdout)].count("a/doc.txt") == 1


def test_broken_symlink_is_reported(cli, tmp_path):
    (tmp_path / "good.txt").write_text(SAMPLE, encoding="utf-8")
    os.symlink("missing.txt", tmp_path / "dangling.txt")
    result = cli("info", tmp_path, "--format", "csv")
    assert_no_crash(result, allowed=(0,))
    assert "skipped dangling.txt" in result.stderr


@pytest.fixture
def locked_folder(tmp_path):
    """A folder `in` holding good.txt and a subfolder `locked` (chmod 000) with secret.txt, and the command
    prefix that makes chmod 000 stop reads: as root, setpriv drops CAP_DAC_OVERRIDE/READ_SEARCH."""
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.txt").write_text(SAMPLE, encoding="utf-8")
    (folder / "locked" / "secret.txt").write_text(SAMPLE, encoding="utf-8")
    prefix: tuple[str, ...] = ()
    if IS_ROOT:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: chmod 000 does not stop reads")
        prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")
    os.chmod(folder / "locked", 0)
    yield folder, prefix
    os.chmod(folder / "locked", 0o755)


@pytest.mark.slow
def test_unreadable_subfolder_is_reported(tmp_path, locked_folder):
    folder, prefix = locked_folder
    code, out, err, _, _ = run_kcorpus(["info", folder, "--format", "csv"], prefix=prefix, cache_dir=tmp_path / "c")
    assert_clean_exit(code, err, allowed=(0,))
    rows = {row["doc"] for row in csv_rows(out.decode())}
    assert doc_is_accounted("locked/secret.txt", "locked/secret.txt", rows, err)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["locked/secret.txt", "locked/*.txt", "locked"])
def test_a_path_inside_or_of_a_folder_one_may_not_enter_is_skipped_by_name(tmp_path, locked_folder, target):
    """`kcorpus info locked/secret.txt` was an internal error (Path.is_dir raises PermissionError); a locked
    folder given itself was skipped as '.'."""
    folder, prefix = locked_folder
    args = ["info", str(folder / "good.txt"), str(folder / target), "--format", "csv"]
    code, out, err, _, _ = run_kcorpus(args, prefix=prefix, cache_dir=tmp_path / "c")
    assert_clean_exit(code, err, allowed=(0,))
    skips = [line for line in err.splitlines() if "skipped" in line and "Permission denied" in line]
    assert len(skips) == 1 and target in skips[0] and "skipped ." not in skips[0], err


def test_hidden_files_are_reported(cli, tmp_path):
    (tmp_path / "visible.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text(SAMPLE, encoding="utf-8")
    result = cli("info", tmp_path, "--format", "csv")
    assert_no_crash(result, allowed=(0,))
    rows = {row["doc"] for row in csv_rows(result.stdout)}
    for doc in (".hidden.txt", ".git/notes.txt"):
        assert doc_is_accounted(doc, doc, rows, result.stderr), doc


def test_deeply_nested_folder(cli, tmp_path):
    """1200 levels (os.makedirs and shutil.rmtree would recurse too deep: built and removed level by level)."""
    deep = tmp_path / "deep"
    levels = [deep]
    for _ in range(1200):
        levels.append(levels[-1] / "d")
    for folder in levels:
        folder.mkdir()
    (levels[-1] / "deep.txt").write_text(SAMPLE, encoding="utf-8")
    try:
        result = cli("info", deep, "--format", "csv")
    finally:
        (levels[-1] / "deep.txt").unlink()
        for folder in reversed(levels):
            folder.rmdir()
    assert_no_crash(result, allowed=(0,))
    doc = "/".join(["d"] * 1200) + "/deep.txt"
    assert doc_is_accounted(doc, doc, {row["doc"] for row in csv_rows(result.stdout)}, result.stderr)


# ============================================================================ undecodable and odd file names


@pytest.fixture
def badname_folder(tmp_path):
    folder = tmp_path / "badname"
    folder.mkdir()
    (folder / "good.txt").write_text(SAMPLE, encoding="utf-8")
    with open(os.fsencode(folder) + b"/\xff\xfe.txt", "wb") as f:
        f.write(SAMPLE.replace("서울시", "인천시").encode())
    return folder


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "table", "xlsx"])
def test_undecodable_file_name_in_every_format(cli, tmp_path, badname_folder, fmt):
    before = snapshot(badname_folder)
    target = tmp_path / "out.xlsx"
    result = cli("info", badname_folder, *(["-o", target] if fmt == "xlsx" else ["--format", fmt]))
    assert_no_crash(result, allowed=(0,))
    if fmt == "csv":
        rows = {row["doc"] for row in csv_rows(result.stdout)}
        assert doc_is_accounted(id_forms(b"\xff\xfe.txt"), "\\xff\\xfe.txt", rows, result.stderr)
        assert len(rows) == 2
    elif fmt == "json":
        assert len(json.loads(result.stdout)) == 2
    elif fmt == "jsonl":
        assert [json.loads(line) for line in result.stdout.splitlines()]
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        assert len(list(load_workbook(target).active.iter_rows())) == 3
    assert snapshot(badname_folder) == before


@pytest.mark.parametrize(
    "command",
    [
        ["clean"],
        ["clean", "--report"],
        ["tokenize", "--format", "csv"],
        ["concordance", "인천시", "--format", "csv"],
        ["clean", "--out-dir"],
    ],
    ids=" ".join,
)
def test_undecodable_file_name_through_other_commands(cli, tmp_path, badname_folder, command):
    if command[0] == "concordance":
        args = ["concordance", "인천시", badname_folder, "--format", "csv"]
    elif command[-1] == "--out-dir":
        args = ["clean", badname_folder, "--out-dir", tmp_path / "cleaned"]
    else:
        args = [*command[:1], badname_folder, *command[1:]]
    result = cli(*args)
    assert_no_crash(result, allowed=(0,))
    if command[-1] == "--out-dir":
        assert len([p for p in (tmp_path / "cleaned").rglob("*") if p.is_file()]) == 2


def test_file_names_with_newlines_and_escapes_stay_one_line(cli, tmp_path):
    (tmp_path / "good.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "empty\nname.txt").write_bytes(b"")
    (tmp_path / "\x1b[31mred\x1b[0m.txt").write_bytes(b"")
    result = cli("info", tmp_path, "--format", "csv")
    assert_no_crash(result, allowed=(0,))
    assert "\x1b" not in result.stderr, "raw escape sequences from a file name reach the terminal"
    assert result.stderr.count("skipped ") >= 2


# ============================================================================ damaged and ambiguous sources


DAMAGED = {
    "unclosed.csv": (
        lambda: 'id,text\n1,"첫째 문서는 따옴표를 닫지 않았다\n2,둘째 문서\n3,셋째 문서\n'.encode(),
        ["--id-column", "id"],
        ["1", "2", "3"],
    ),
    "be.txt": (lambda: (SAMPLE * 4).encode("utf-16-be"), [], ["be.txt"]),
    "tail-ff.txt": (lambda: (SAMPLE * 10).rstrip("\n.").encode() + b"\xff", [], ["tail-ff.txt"]),
    "tail-cut.txt": (lambda: (SAMPLE * 10).rstrip("\n.").encode()[:-1], [], ["tail-cut.txt"]),
    "broken-xml.xlsx": (
        lambda: with_sheet_xml(xlsx_bytes([["id", "text"], ["a", SAMPLE]]), lambda x: x[: len(x) // 2]),
        ["--id-column", "id"],
        ["a"],
    ),
    "formula.xlsx": (
        lambda: xlsx_bytes([["id", "text"], ["f1", '=CONCATENATE("서울","시")'], ["plain", SAMPLE]]),
        ["--id-column", "id"],
        ["f1", "plain"],
    ),
    "two-sheets.xlsx": (
        lambda: xlsx_bytes([["id", "text"], ["one", SAMPLE]], {"둘째": [["id", "text"], ["two", SAMPLE]]}),
        ["--id-column", "id"],
        ["one", "two"],
    ),
    "surrogates.jsonl": (
        lambda: (
            b'{"id": "s1", "text": "\\uc11c\\ud800\\uc6b8"}\n{"id": "s2\\udcff", "text": "x"}\n'
            b'{"id": "s3", "text": "\\ubd80\\uc0b0"}\n'
        ),
        ["--id-column", "id"],
        ["s1", ("s2\udcff", "s2\\udcff", "s2\ufffd"), "s3"],
    ),
    "odd-types.jsonl": (
        lambda: "".join(
            json.dumps({"id": f"t{i}", "text": v}) + "\n"
            for i, v in enumerate([5, ["가"], {"a": 1}, None, True, 1e300])
        ).encode(),
        ["--id-column", "id"],
        [f"t{i}" for i in range(6)],
    ),
    "big-cell.csv": (
        lambda: ("id,text\nbig," + "가나다라 " * 50_000 + "\nsmall,서울시는 협력했다.\n").encode(),
        ["--id-column", "id"],
        ["big", "small"],
    ),
}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_damaged_sources_are_read_or_reported(cli, tmp_path, name):
    make, options, ids = DAMAGED[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = snapshot(path)
    result = cli("info", path, *options, "--format", "csv")
    assert_no_crash(result, allowed=(0, 1))
    rows = csv_rows(result.stdout)
    docs = {row["doc"] for row in rows}
    lost = [d for d in ids if not doc_is_accounted(d, name, docs, result.stderr)]
    assert not lost, f"neither analysed nor reported skipped: {lost}\n{result.stderr}"
    assert snapshot(path) == before
    if name == "be.txt" and result.exit_code != 0:
        assert "utf-16-le" not in result.stderr, "advises utf-16-le for big-endian text (decodes to garbage)"
    if name.startswith("tail-"):
        assert all(row["encoding"] in ("utf-8", "utf-8-sig") for row in rows if row["status"] == "ok"), rows


def test_unclosed_quote_does_not_swallow_rows(cli, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,text\n1,"첫째 문서\n2,둘째 문서 서울시\n3,셋째 문서 부산시\n', encoding="utf-8")
    result = cli("info", path, "--id-column", "id", "--format", "csv")
    assert_no_crash(result, allowed=(0, 1))
    for row in csv_rows(result.stdout):
        assert int(row["chars"]) < 20, f"row {row['doc']} swallowed the rows after it: {row}"


# ============================================================================ output files


def test_clean_out_dir_that_is_a_file(cli, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("user data\n", encoding="utf-8")
    result = cli("clean", SEOUL, "--out-dir", target)
    assert_no_crash(result, allowed=(1, 2))
    assert target.read_text(encoding="utf-8") == "user data\n"


def test_clean_out_dir_loses_no_document_to_a_name_clash(cli, tmp_path):
    src = tmp_path / "src"
    marks = {
        "notes": "가표지",
        "notes.txt": "나표지",
        "a/x.txt": "다표지",
        "b/x.txt": "라표지",
        "t.csv_2.txt": "마표지",
    }
    for name, mark in marks.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(f"{mark} " + SAMPLE, encoding="utf-8")
    (src / "t.csv").write_text("text\n바표지 서울시는 협력했다.\n", encoding="utf-8")
    marks["t.csv#2"] = "바표지"
    out = tmp_path / "out"
    result = cli("clean", src, "--out-dir", out)
    assert_no_crash(result, allowed=(0, 1))
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()]
    lost = [doc for doc, mark in marks.items() if not any(mark in t for t in texts)]
    if result.exit_code == 0:
        assert not lost, f"cleaned text lost to a colliding output name: {lost}"
    assert snapshot(src)  # inputs still there


def test_clean_out_dir_never_overwrites_an_existing_file(cli, tmp_path):
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "a" / "x.txt").write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "x.txt").write_text("the user's own file\n", encoding="utf-8")
    result = cli("clean", src, "--out-dir", out)
    assert_no_crash(result, allowed=(0, 1, 2))
    assert (out / "a" / "x.txt").read_text(encoding="utf-8") == "the user's own file\n"


@pytest.mark.parametrize("how", ["clean -o", "tokenize -o", "clean --out-dir"])
def test_output_never_replaces_an_input(cli, tmp_path, how):
    src = tmp_path / "src"
    src.mkdir()
    doc = src / "doc.txt"
    doc.write_text(SAMPLE * 3, encoding="utf-8")
    table = src / "data.csv"
    table.write_text("id,text\na,서울시는 협력했다.\n", encoding="utf-8")
    before = snapshot(src)
    if how == "clean -o":
        result = cli("clean", doc, "-o", doc)
    elif how == "tokenize -o":
        result = cli("tokenize", table, "-o", table)
    else:
        result = cli("clean", src, "--out-dir", src)
    assert_no_crash(result, allowed=(0, 1, 2))
    after = snapshot(src)
    assert all(after.get(path) == digest for path, digest in before.items()), "an input file was replaced"


@pytest.mark.parametrize(
    "failing",
    [
        ["freq", SEOUL, "--stopwords", "/nonexistent/stopwords.txt"],
        ["concordance", "없는낱말쿼리", SEOUL],
        ["concordance", "(", SEOUL, "--regex"],
        ["keywords", SEOUL, "--reference-freq", "/nonexistent/ref.csv"],
        ["info", SEOUL, "--unit", "window:①"],
        ["info", SEOUL, "--unit", "window:0"],
        ["info", "/nonexistent/path.txt"],
        ["compare", SEOUL, "--by", "no-such-column"],
    ],
    ids=lambda a: " ".join(str(x) for x in a[:2]),
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_failed_run_leaves_an_existing_output_file_as_it_was(cli, tmp_path, failing, suffix):
    target = tmp_path / f"previous{suffix}"
    target.write_bytes(b"precious,previous\nresults,1\n")
    result = cli(*failing, "-o", target)
    assert_no_crash(result, allowed=(1, 2))
    assert target.read_bytes() == b"precious,previous\nresults,1\n"


@pytest.mark.slow
def test_interrupt_exits_130_keeps_output_and_leaves_no_partial_cache(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    text = "\n".join(
        line for path in sorted(CORPUS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()
    )
    for i in range(20):
        (folder / f"doc{i:02d}.txt").write_text(f"문서 {i}\n\n" + text * 2, encoding="utf-8")
    previous = tmp_path / "previous.csv"
    previous.write_bytes(b"precious,previous\n")
    cache = tmp_path / "cache"
    for after in (2.0, 6.0):
        code, _, err, seconds, _ = run_kcorpus(
            ["info", folder, "-o", previous, "--cache-dir", cache], sigint_after=after, timeout=after + 10
        )
        assert code == 130, f"exit {code} after SIGINT at {after} s: {err[-500:]}"
        assert "kcorpus: interrupted" in err
        assert_clean_exit(code, err, allowed=(130,))
        assert seconds < after + 5
        assert previous.read_bytes() == b"precious,previous\n"
        assert not list(cache.rglob(".tmp-*")), "a partial cache entry was left behind"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize(
    "args",
    [["info", SEOUL, "--format", "csv"], ["clean", SEOUL], ["tokenize", SEOUL, "--format", "text"]],
    ids=lambda a: a[0],
)
@pytest.mark.slow
def test_disk_full_is_one_line_and_exit_1(tmp_path, args):
    code, _, err, _, _ = run_kcorpus(args, stdout="/dev/full", cache_dir=tmp_path)
    assert_clean_exit(code, err, allowed=(1,))
    assert len([line for line in err.splitlines() if "error" in line]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("args", [["freq", CORPUS], ["clean", CORPUS], ["tokenize", SEOUL]], ids=lambda a: a[0])
def test_closed_pipe_exits_quietly(tmp_path, args):
    code, _, err, _, _ = run_kcorpus(args, stdout="closed-pipe", cache_dir=tmp_path)
    assert_clean_exit(code, err, allowed=(0,))


def test_cache_clear_keeps_files_it_did_not_write(cli, tmp_path):
    import numpy as np

    cache = tmp_path / "project"
    assert cli("info", SEOUL, "--cache-dir", cache).exit_code == 0
    mine = [cache / "important.txt", cache / "tokens" / "my-annotations.txt"]
    for path in mine:
        path.write_text("the user's\n", encoding="utf-8")
    (cache / "tokens" / "v1" / "ab").mkdir(parents=True, exist_ok=True)
    np.savez(cache / "tokens" / "v1" / "ab" / "measurements.npz", x=np.arange(3))
    mine.append(cache / "tokens" / "v1" / "ab" / "measurements.npz")
    before = {p: p.read_bytes() for p in mine}
    result = cli("cache", "clear", "--cache-dir", cache)
    assert_no_crash(result, allowed=(0,))
    assert {p: p.read_bytes() for p in mine if p.exists()} == before


@pytest.mark.parametrize(
    "bad",
    [["--format", "bogus"], ["-o", "x.bogus"], ["--unit", "window:0"], ["--unit", "window:①"], ["--pos", "NOTATAG"]],
    ids=" ".join,
)
def test_usage_errors_come_before_any_document_is_analysed(cli, tmp_path, bad):
    cache = tmp_path / "fresh-cache"
    args = [(str(tmp_path / a) if a == "x.bogus" else a) for a in bad]
    result = cli("info", CORPUS, "--cache-dir", cache, *args)
    assert_no_crash(result, allowed=(2,))
    assert not [p for p in cache.rglob("*") if p.is_file()], "the corpus was tokenised before the usage error"


# ============================================================================ a stranger's model


def _current_settings() -> dict:
    from importlib.metadata import version

    return {
        "kcorpus": version("kcorpus"),
        "scikit-learn": version("scikit-learn"),
        "kiwipiepy": version("kiwipiepy"),
        "method": "nmf",
        "k": 2,
        "vocabulary": [["서울", "NNG"]],
    }


@pytest.mark.parametrize("layout", ["joblib", "npz-object-array", "every-file-of-a-real-save"])
def test_loading_a_saved_model_never_runs_code(cli, tmp_path, layout):
    import numpy as np

    marker = tmp_path / "marker-code-ran"
    model = tmp_path / "model"
    evil = pickle.dumps({"estimator": EvilPickle(str(marker))})
    if layout == "every-file-of-a-real-save":
        assert cli("topics", SEOUL, "--k", "2", "--save", model, "--min-unit-tokens", "10").exit_code == 0
        for path in model.iterdir():
            if path.suffix == ".npz":
                np.savez(
                    path,
                    **{
                        name: np.array([EvilPickle(str(marker))], dtype=object)
                        for name in np.load(path, allow_pickle=False).files
                    },
                )
            elif path.suffix != ".json":
                path.write_bytes(evil)
        (model / "model.joblib").write_bytes(evil)
    else:
        model.mkdir()
        (model / "settings.json").write_text(json.dumps(_current_settings()), encoding="utf-8")
        if layout == "joblib":
            (model / "model.joblib").write_bytes(evil)
        else:
            np.savez(model / "model.npz", estimator=np.array([EvilPickle(str(marker))], dtype=object))
    result = cli("topics", SEOUL, "--load", model)
    assert not marker.exists(), "loading a model unpickled it and ran its code"
    assert_no_crash(result, allowed=(0, 1))


def test_topics_save_keeps_unrelated_files_in_the_folder(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("my notes\n", encoding="utf-8")
    result = cli("topics", SEOUL, "--k", "2", "--save", tmp_path, "--min-unit-tokens", "10")
    assert_no_crash(result, allowed=(0,))
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "my notes\n"


# ============================================================================ spreadsheet formulas and ids


EVIL_CELLS = ["＝1+1", "＋1", "－1", "＠SUM(A1)", "=1+1", "+1", "-1", "@SUM(A1)", " =1+1", "\t=1"]


@pytest.fixture
def formula_table(tmp_path):
    path = tmp_path / "formula.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "group", "text"])
        for i, cell in enumerate(EVIL_CELLS):
            writer.writerow([f"{cell}#{i}", cell, f"{cell} 서울시는 국경 봉쇄를 강화했다. 협력이 필요하다."])
    return path


def _unescaped(values) -> list:
    return [v for v in values if isinstance(v, str) and v.lstrip()[:1] in FORMULA_CHARS and not v.startswith("'")]


@pytest.mark.parametrize(
    "command,columns",
    [
        (["info", "--id-column", "id"], ["doc"]),
        (["compare", "--by", "group", "--min-count", "1"], ["group"]),
        (["tokenize", "--id-column", "id"], ["doc", "form", "lemma"]),
    ],
    ids=["info", "compare", "tokenize"],
)
def test_formula_like_cells_are_escaped_in_csv(cli, formula_table, command, columns):
    result = cli(command[0], formula_table, *command[1:], "--format", "csv")
    assert_no_crash(result, allowed=(0,))
    rows = csv_rows(result.stdout)
    assert rows
    bad = _unescaped(row[c] for row in rows for c in columns)
    assert not bad, f"cells a spreadsheet would run as formulas: {sorted(set(bad))}"


def test_formula_like_cells_are_escaped_in_xlsx(cli, tmp_path, formula_table):
    from openpyxl import load_workbook

    target = tmp_path / "info.xlsx"
    assert_no_crash(cli("info", formula_table, "--id-column", "id", "-o", target), allowed=(0,))
    cells = [c for row in load_workbook(target).active.iter_rows() for c in row]
    assert not [c.value for c in cells if c.data_type == "f"], "a cell was stored as a formula"
    assert not _unescaped(c.value for c in cells)


NUMERIC_IDS = ["007", "1.50", "1e3", "0x1F", "1,000", "٣"]


def _id_source(tmp_path: Path, kind: str) -> Path:
    texts = [
        " ".join(KIEP.read_text(encoding="utf-8").split()[i * 300 : (i + 1) * 300]) for i in range(len(NUMERIC_IDS))
    ]
    path = tmp_path / f"ids.{kind}"
    if kind in ("csv", "tsv"):
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="," if kind == "csv" else "\t")
            writer.writerow(["id", "text"])
            writer.writerows(zip(NUMERIC_IDS, texts))
    elif kind == "jsonl":
        path.write_text(
            "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in zip(NUMERIC_IDS, texts)),
            encoding="utf-8",
        )
    else:
        path.write_bytes(xlsx_bytes([["id", "text"], *map(list, zip(NUMERIC_IDS, texts))]))
    return path


@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl", "xlsx"])
@pytest.mark.parametrize("out", ["csv", "json", "xlsx"])
def test_numeric_looking_ids_come_out_exactly_as_written(cli, tmp_path, kind, out):
    source = _id_source(tmp_path, kind)
    if out == "xlsx":
        from openpyxl import load_workbook

        target = tmp_path / "info.xlsx"
        result = cli("info", source, "--id-column", "id", "-o", target)
        assert_no_crash(result, allowed=(0,))
        rows = list(load_workbook(target).active.iter_rows(values_only=True))
        got = [r[0] for r in rows[1:]]
    else:
        result = cli("info", source, "--id-column", "id", "--format", out)
        assert_no_crash(result, allowed=(0,))
        got = [r["doc"] for r in (json.loads(result.stdout) if out == "json" else csv_rows(result.stdout))]
    assert sorted(got, key=str) == sorted(NUMERIC_IDS)


def test_numeric_looking_ids_in_keyword_and_compare_tables(cli, tmp_path):
    source = _id_source(tmp_path, "csv")
    for args in (
        ["keywords", source, "--id-column", "id", "--top", "2"],
        ["compare", source, "--id-column", "id", "--top", "5"],
    ):
        result = cli(*args, "--format", "csv")
        assert_no_crash(result, allowed=(0,))
        column = "doc" if args[0] == "keywords" else "group"
        assert {row[column] for row in csv_rows(result.stdout)} <= set(NUMERIC_IDS)


def test_json_number_ids_come_out_as_written(cli, tmp_path):
    """An id written as a JSON number (1.50, 1e3) keeps its spelling: json.loads(parse_float=str) can keep it."""
    source = tmp_path / "ids.jsonl"
    source.write_text(
        '{"id": 1.50, "text": "서울시는 협력했다."}\n{"id": 1e3, "text": "부산시는 협력했다."}\n'
        '{"id": 7, "text": "인천시는 협력했다."}\n',
        encoding="utf-8",
    )
    result = cli("info", source, "--id-column", "id", "--format", "csv")
    assert_no_crash(result, allowed=(0,))
    assert sorted(row["doc"] for row in csv_rows(result.stdout)) == ["1.50", "1e3", "7"]
