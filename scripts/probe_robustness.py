#!/usr/bin/env python
"""Adversarial robustness probe for kcorpus (issue 10: never crash, never lose a document, never run a
stranger's code).

Builds a folder of hostile inputs in a temporary directory, runs `kcorpus` on each case as a subprocess
(`python -m kcorpus`, the same entry point as the console script) with a timeout, an isolated token cache
and a memory guard, and prints for each case: name, command, exit code, seconds, peak RSS and a verdict.

Verdicts (a case can have several):
  TRACEBACK        stderr holds a Python traceback, or the exit code is not 0, 1, 2 or 130
  TREE-BROKEN      kcorpus itself did not import (ImportError/SyntaxError: the source is being edited)
  INTERNAL-ERROR   an unexpected exception turned into one 'internal error' line by kcorpus's catch-all
                   (a crash all the same; the probe re-runs the case with KCORPUS_DEBUG=1 to locate it)
  HANG             still running at the timeout (killed)
  MEMORY           resident memory passed the guard (--mem-limit MB; killed)
  MULTILINE-ERROR  a line on stderr that is not a one-line `kcorpus: ...` message (e.g. click's
                   three-line usage block, or a warning with a line break inside)
  SILENT-DROP      an input document neither analysed nor reported as skipped (or an output lost)
  DESTROYED        a file of the user's (inputs, pre-existing outputs) changed or removed
  CODE-EXECUTED    a pickle in a model directory ran code (its marker file appeared)
  UNESCAPED        a csv/xlsx text cell starts with a formula character and no leading '
  ID-CHANGED       a document id in the output differs from the id in the table source
  MISDECODED       a file decoded silently as the wrong encoding (mojibake analysed as text)
  BAD-ADVICE       an error or skip message whose suggested fix is wrong
  LATE-ERROR       a usage error reported only after the corpus was analysed
  CONTROL-CHARS    raw control characters (ESC ...) from file names copied to stderr
  NOT-INTERRUPTED  SIGINT did not give `kcorpus: interrupted`, exit 130 and no partial cache file
  OK

    python scripts/probe_robustness.py [--quick] [--only SUBSTRING] [--keep] [--timeout S]

Run it with the project's virtualenv (it re-executes itself with .venv/bin/python when kcorpus or openpyxl
cannot be imported). --quick skips the slowest cases (50 MB file, second pass over the statute folder,
most format variants) and builds a smaller zip bomb; a full run takes about 5-8 minutes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
VENV_PY = ROOT / ".venv" / "bin" / "python"

try:  # the probe builds xlsx files with openpyxl and reads versions of the installed packages
    import openpyxl  # noqa: F401

    import kcorpus  # noqa: F401
except ImportError:  # pragma: no cover - re-run under the project's virtualenv
    if VENV_PY.exists() and Path(sys.executable).resolve() != VENV_PY.resolve():
        os.execv(str(VENV_PY), [str(VENV_PY), *sys.argv])
    raise

try:
    import psutil
except ImportError:  # pragma: no cover - the guard then relies on RLIMIT_AS only
    psutil = None

PY = sys.executable
KCORPUS = [PY, "-m", "kcorpus"]
ANALYSIS_COMMANDS = {"info", "freq", "keywords", "compare", "topics", "concordance", "collocates", "tokenize"}
GOOD_EXITS = {0, 1, 2, 130}
FORMULA_CHARS = "=+-@＝＋－＠"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# --------------------------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    args: list  # after `kcorpus`; str, bytes or Path
    group: str = ""
    cwd: Path | None = None
    stdin: str | None = None  # a file to read stdin from (e.g. /dev/zero)
    stdout: str | None = None  # a file to send stdout to (e.g. /dev/full); default: captured
    timeout: float = 20.0
    on_timeout: str = "kill"  # kill | sigint (then wait a few seconds for a clean exit)
    protect: list = field(default_factory=list)  # user files/folders that must not change
    protect_on_failure: list = field(default_factory=list)  # ... must not change when the run fails
    expect_docs: list | None = None  # (doc id, file id) pairs: each analysed or reported skipped
    check: Callable | None = None  # extra check(result) -> list[(verdict, detail)]
    sigint_after: float | None = None
    drop_dac: bool = False  # root only: run without the capabilities that let root read chmod-000 files
    slow: bool = False  # skipped by --quick
    note: str = ""


@dataclass
class Result:
    case: Case
    command: str
    rc: int | None
    seconds: float
    peak_mb: float
    stdout: bytes
    stderr: str
    hang: bool = False
    memory: bool = False
    sigint_at: float | None = None
    verdicts: list = field(default_factory=list)  # (VERDICT, detail)

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")


class Probe:
    def __init__(self, tmp: Path, args):
        self.tmp = tmp
        self.args = args
        self.cache = tmp / "cache"
        self.cache.mkdir()
        self.results: list[Result] = []

    # ---------------------------------------------------------------- helpers for building commands

    def kc(self, *args, cache: Path | None | bool = True) -> list:
        """`kcorpus ARGS` with --cache-dir added for the commands that take it."""
        argv = list(args)
        if cache is not False and argv and argv[0] in ANALYSIS_COMMANDS:
            argv += ["--cache-dir", str(self.cache if cache is True else cache)]
        return argv

    def show(self, case: Case) -> str:
        parts = []
        for a in case.args:
            s = os.fsdecode(a) if isinstance(a, (bytes, Path)) else str(a)
            s = s.replace(str(self.tmp), "$T")
            s = s.encode("utf-8", "backslashreplace").decode("utf-8")
            parts.append(shlex.quote(s))
        cmd = "kcorpus " + " ".join(parts)
        if case.stdin:
            cmd += f" < {case.stdin}"
        if case.stdout == "closed-pipe":
            cmd += " | (a reader that has already exited)"
        elif case.stdout:
            cmd += f" > {case.stdout}"
        if case.drop_dac:
            cmd = "setpriv --bounding-set=-dac_override,-dac_read_search -- " + cmd
        return cmd

    # ---------------------------------------------------------------- running one case

    def locate(self, case: Case) -> str:
        """Where the exception behind an 'internal error' line is raised (a re-run with KCORPUS_DEBUG=1)."""
        res = self.run(case, extra_env={"KCORPUS_DEBUG": "1"}, record=False)
        return traceback_summary(res.stderr) or f"no traceback (exit {res.rc}: {first_lines(res.stderr)})"

    def run(self, case: Case, extra_env: dict | None = None, record: bool = True) -> Result:
        before = snapshot(case.protect + case.protect_on_failure)
        env = dict(
            os.environ,
            NO_COLOR="1",
            COLUMNS="200",
            KCORPUS_CACHE_DIR=str(self.cache),
            PYTHONUNBUFFERED="1",
            **(extra_env or {}),
        )
        env.pop("KCORPUS_SCHEDULER", None)
        err_path = self.tmp / ".stderr"
        out_path = self.tmp / ".stdout"
        limit_bytes = self.args.as_limit * 1024 * 1024

        def preexec():
            # a probe started in the background (`probe &`) inherits SIGINT ignored; the SIGINT cases need the
            # default, so that Python in the child installs its KeyboardInterrupt handler
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.setsid()
            try:
                resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
            except (ValueError, OSError):
                pass

        stdin = open(case.stdin, "rb") if case.stdin else subprocess.DEVNULL
        if case.stdout == "closed-pipe":  # like `| head` that has gone away: writes fail with EPIPE
            read_end, write_end = os.pipe()
            os.close(read_end)
            stdout = os.fdopen(write_end, "wb")
        else:
            stdout = open(case.stdout, "wb") if case.stdout else open(out_path, "wb")
        stderr = open(err_path, "wb")
        argv = KCORPUS + [a if isinstance(a, bytes) else str(a) for a in case.args]
        if case.drop_dac:
            argv = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *argv]
        t0 = time.monotonic()
        proc = subprocess.Popen(
            argv, stdin=stdin, stdout=stdout, stderr=stderr, cwd=case.cwd or self.tmp, env=env, preexec_fn=preexec
        )
        hang = memory = False
        sigint_at = None
        deadline = case.timeout
        peak_poll = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            elapsed = time.monotonic() - t0
            rss = rss_mb(proc.pid)
            peak_poll = max(peak_poll, rss)
            if rss > self.args.mem_limit and not (hang or memory):
                memory = True
                os.kill(proc.pid, signal.SIGKILL)
            if case.sigint_after is not None and sigint_at is None and elapsed >= case.sigint_after:
                sigint_at = elapsed
                os.kill(proc.pid, signal.SIGINT)
            if elapsed > deadline and not (hang or memory):
                if case.on_timeout == "sigint" and sigint_at is None:
                    sigint_at = elapsed
                    os.kill(proc.pid, signal.SIGINT)
                    deadline = elapsed + 10
                else:
                    hang = True
                    os.kill(proc.pid, signal.SIGKILL)
            time.sleep(0.02)
        seconds = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        for f in (stdin, stdout, stderr):
            if hasattr(f, "close"):
                f.close()
        peak = max(usage.ru_maxrss / 1024, peak_poll)
        out = out_path.read_bytes() if not case.stdout else b""
        err = err_path.read_bytes().decode("utf-8", "backslashreplace")
        res = Result(case, self.show(case), proc.returncode, seconds, peak, out, err, hang, memory, sigint_at)
        if not record:
            return res
        res.verdicts = self.judge(res, before)
        if any(v == "INTERNAL-ERROR" for v, _ in res.verdicts) and not extra_env:
            # the catch-all turned an exception into one line: run again with KCORPUS_DEBUG=1 to locate it
            debug = self.locate(case)
            res.verdicts = [
                (v, d + (f" [KCORPUS_DEBUG=1: {debug}]" if v == "INTERNAL-ERROR" else "")) for v, d in res.verdicts
            ]
        self.results.append(res)
        self.print_result(res)
        return res

    # ---------------------------------------------------------------- verdicts

    def judge(self, res: Result, before: dict) -> list:
        v = []
        case = res.case
        if res.hang:
            v.append(("HANG", f"killed after {case.timeout:.0f} s; peak {res.peak_mb:.0f} MB"))
        if res.memory:
            v.append(
                (
                    "MEMORY",
                    f"killed at {res.peak_mb:.0f} MB RSS (guard {self.args.mem_limit} MB) after {res.seconds:.1f} s",
                )
            )
        tb = traceback_summary(res.stderr)
        if tb and tb.startswith(("ImportError", "ModuleNotFoundError", "SyntaxError", "IndentationError")):
            v.append(("TREE-BROKEN", f"kcorpus did not import (src/ mid-edit?): {tb}"))
        elif tb:
            v.append(("TRACEBACK", tb))
        internal = [ln for ln in res.stderr.splitlines() if "internal error" in ln or "a bug in kcorpus" in ln]
        if internal:
            v.append(("INTERNAL-ERROR", internal[0][:200]))
        elif res.rc is not None and res.rc not in GOOD_EXITS and not (res.hang or res.memory):
            sig = f" (signal {signal.Signals(-res.rc).name})" if res.rc < 0 else ""
            v.append(("TRACEBACK", f"exit code {res.rc}{sig}; stderr: {first_lines(res.stderr)}"))
        if not tb and not (res.hang or res.memory):
            bad = stray_lines(res.stderr)
            if bad:
                v.append(
                    (
                        "MULTILINE-ERROR",
                        f"{len(bad)} stderr line(s) not of the form 'kcorpus: ...': "
                        + " | ".join(repr(b[:90]) for b in bad[:4]),
                    )
                )
        after = snapshot(case.protect + case.protect_on_failure)
        if res.rc == 0 and case.protect_on_failure:
            for p in snapshot(case.protect_on_failure):
                before.pop(p, None)
        changed = [p for p in before if before[p] != after.get(p)]
        if changed:
            v.append(
                (
                    "DESTROYED",
                    "; ".join(
                        f"{self.rel(p)} {'removed' if after.get(p) is None else 'changed'}"
                        + (f" (now {after[p][1]} bytes)" if after.get(p) else "")
                        for p in changed
                    ),
                )
            )
        crashed = tb or any(name == "INTERNAL-ERROR" for name, _ in v)
        if case.expect_docs is not None and not (res.hang or res.memory or crashed):
            missing = self.missing_docs(res)
            if missing:
                v.append(("SILENT-DROP", "neither analysed nor reported skipped: " + ", ".join(missing)))
        if case.check is not None:
            try:
                v.extend(case.check(res) or [])
            except Exception as exc:  # a bug in a check must not stop the probe
                v.append(("PROBE-ERROR", f"check failed: {type(exc).__name__}: {exc}"))
        return v

    def missing_docs(self, res: Result) -> list[str]:
        command = next((str(a) for a in res.case.args if not str(a).startswith("-")), "")
        skipped_lines = [ln for ln in res.stderr.splitlines() if "skipped " in ln]
        missing = []
        if command == "info":
            rows = {r.get("doc", "") for r in parse_csv(res.out)}
            for doc, file in res.case.expect_docs:
                docs = doc if isinstance(doc, tuple) else (doc,)
                # kcorpus shows control characters in names escaped as Python writes them (\n, \x1b)
                docs = tuple(
                    dict.fromkeys(
                        docs + tuple(re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], d) for d in docs)
                    )
                )
                if any(d in rows for d in docs) or any(r.startswith(file + "#") for r in rows) or file in rows:
                    continue
                if any(
                    f"skipped {d}:" in ln or f"skipped {file}:" in ln or f"skipped {file}#" in ln
                    for ln in skipped_lines
                    for d in docs
                ):
                    continue
                parents = [str(q) for q in Path(file).parents if str(q) != "."]
                if any(f"skipped {q}:" in ln or f"skipped {q}/:" in ln for ln in skipped_lines for q in parents):
                    continue  # the folder holding it was reported (unreadable, hidden ...)
                missing.append(docs[0] if len(docs[0]) < 80 else docs[0][:40] + "…" + docs[0][-30:])
            return missing
        m = re.search(
            r"(?:analysed|cleaned) (\d+) document\(s\)(?:, \d+ from the token cache)?(?:; skipped (\d+))?", res.stderr
        )
        if m:
            seen = int(m.group(1)) + int(m.group(2) or 0)
            if seen < len(res.case.expect_docs):
                missing.append(
                    f"{len(res.case.expect_docs) - seen} of {len(res.case.expect_docs)} inputs "
                    f"(summary: {m.group(0)!r})"
                )
        return missing

    def rel(self, p) -> str:
        return os.fsdecode(p).replace(str(self.tmp), "$T").encode("utf-8", "backslashreplace").decode()

    # ---------------------------------------------------------------- output

    def print_result(self, res: Result) -> None:
        print = safe_print
        verdict = ",".join(dict.fromkeys(v for v, _ in res.verdicts)) or "OK"
        print(f"\n[{len(self.results):02d}] {res.case.name}", flush=True)
        print(f"     $ {res.command}")
        print(f"     exit={res.rc}  {res.seconds:.1f}s  peak={res.peak_mb:.0f}MB  -> {verdict}")
        if res.case.note:
            print(f"     note: {res.case.note}")
        said = [
            ln
            for ln in res.stderr.splitlines()
            if ln.startswith("kcorpus: ") and "analysed " not in ln and "no paths given" not in ln
        ]
        for ln in said[:3]:
            print(f"     stderr: {ln[:160]}")
        if len(said) > 3:
            print(f"     stderr: … {len(said) - 3} more line(s)")
        for v, detail in res.verdicts:
            print(f"     {v}: {detail if len(detail) < 600 else detail[:600] + ' …'}")
        sys.stdout.flush()

    def summary(self) -> None:
        print = safe_print
        print("\n" + "=" * 110)
        print(f"{'#':>3} {'case':<52} {'exit':>5} {'sec':>6} {'MB':>6}  verdict")
        for i, r in enumerate(self.results, 1):
            verdict = ",".join(dict.fromkeys(v for v, _ in r.verdicts)) or "OK"
            print(f"{i:>3} {r.case.name[:52]:<52} {str(r.rc):>5} {r.seconds:>6.1f} {r.peak_mb:>6.0f}  {verdict}")
        count = lambda name: sum(any(v == name for v, _ in r.verdicts) for r in self.results)  # noqa: E731
        failing = sum(bool(r.verdicts) for r in self.results)
        print("=" * 110)
        print(
            f"cases: {len(self.results)}   failing: {failing}   tracebacks: {count('TRACEBACK')}   "
            f"tree broken (not counted as findings): {count('TREE-BROKEN')}   "
            f"internal errors: {count('INTERNAL-ERROR')}   "
            f"silent drops: {count('SILENT-DROP')}   files destroyed: {count('DESTROYED')}   "
            f"hangs: {count('HANG')}   memory: {count('MEMORY')}   multiline errors: {count('MULTILINE-ERROR')}   "
            f"code executed: {count('CODE-EXECUTED')}   unescaped: {count('UNESCAPED')}   "
            f"ids changed: {count('ID-CHANGED')}   misdecoded: {count('MISDECODED')}   "
            f"late errors: {count('LATE-ERROR')}   bad advice: {count('BAD-ADVICE')}   "
            f"not interrupted: {count('NOT-INTERRUPTED')}   control chars: {count('CONTROL-CHARS')}   "
            f"unexpected exits: {count('UNEXPECTED-EXIT')}"
        )
        where = {}
        for r in self.results:
            for v, detail in r.verdicts:
                if v == "TRACEBACK":
                    where.setdefault(detail.split(" <- ")[0], []).append(r.case.name)
                elif v == "INTERNAL-ERROR" and "[KCORPUS_DEBUG=1: " in detail:
                    where.setdefault(detail.split("[KCORPUS_DEBUG=1: ")[1].rstrip("]").split(" <- ")[0], []).append(
                        r.case.name
                    )
        if where:
            print("\ndistinct tracebacks (raw, or located with KCORPUS_DEBUG=1):")
            for detail, names in where.items():
                print(f"  {detail}\n      in: {', '.join(names[:6])}{' …' if len(names) > 6 else ''}")


# --------------------------------------------------------------------------------------------- utilities


def safe_print(*args, **kwargs) -> None:
    """print, with undecodable characters (surrogates from odd file names) shown as backslash escapes."""
    text = " ".join(str(a) for a in args)
    print(text.encode("utf-8", "backslashreplace").decode("utf-8"), **kwargs)


def rss_mb(pid: int) -> float:
    if psutil is None:
        return 0.0
    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total / 1024 / 1024
    except psutil.Error:
        return 0.0


def snapshot(paths) -> dict:
    """Hashes of every file under the given paths (bytes paths so undecodable names work)."""
    hashes = {}
    for p in paths:
        p = os.fsencode(p)
        if os.path.isdir(p) and not os.path.islink(p):
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
                for name in filenames:
                    full = os.path.join(dirpath, name)
                    hashes[full] = file_hash(full)
        elif os.path.lexists(p):
            hashes[p] = file_hash(p)
        else:
            hashes[p] = None
    return hashes


def file_hash(path) -> tuple | None:
    try:
        if os.path.islink(path):
            return ("link", os.readlink(path))
        with open(path, "rb") as f:
            data = f.read()
        return (hashlib.sha256(data).hexdigest(), len(data))
    except PermissionError:
        return ("unreadable", 0)
    except OSError:
        return None


FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)', re.M)


def traceback_summary(stderr: str) -> str | None:
    """'ExcType: message @ innermost-frame <- kcorpus-frame' for the last traceback in stderr."""
    i = stderr.rfind("Traceback (most recent call last):")
    if i < 0:
        return None
    block = stderr[i:]
    frames = FRAME.findall(block)
    exc = "?"
    for line in block.splitlines()[1:]:
        if line and not line[0].isspace() and not line.startswith("Traceback") and line.strip(" ^~"):
            exc = line.strip()
            break
    if len(exc) > 140:
        exc = exc[:140] + "…"

    def where(frame):
        path, line, func = frame
        k = path.find("/src/kcorpus/")
        if k >= 0:
            path = path[k + 1 :]
        elif "site-packages/" in path:
            path = path.split("site-packages/", 1)[1]
        return f"{path}:{line} ({func})"

    inner = where(frames[-1]) if frames else "?"
    ours = [f for f in frames if "/kcorpus/" in f[0] and "site-packages" not in f[0]]
    text = f"{exc} @ {inner}"
    if ours and ours[-1] != frames[-1]:
        text += f" <- {where(ours[-1])}"
    return text


def stray_lines(stderr: str) -> list[str]:
    """stderr lines that are not one-line kcorpus messages (click's usage block, wrapped warnings ...)."""
    return [ln for ln in stderr.splitlines() if ln.strip() and not ln.startswith("kcorpus")]


def first_lines(text: str, n: int = 2) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return " | ".join(lines[:n])[:200] or "(empty)"


def parse_csv(text: str) -> list[dict]:
    try:
        return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error:
        return []


def corpus_lines(n: int, start: int = 0) -> list[str]:
    """Non-blank lines of the bundled reports, as report-like body text."""
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 20]
    return [lines[(start + i) % len(lines)] for i in range(n)]


def write(path: Path, data, encoding="utf-8") -> Path:
    path = Path(os.fsdecode(path)) if isinstance(path, bytes) else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding=encoding)
    return path


SAMPLE = "서울시는 국경 봉쇄를 강화했다. 개방적 도시외교가 필요하다. 행정청은 관계 기관과 협력하여야 한다.\n"

# --------------------------------------------------------------------------------------------- inputs

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
DECIMAL_SETS = ("ascii", "fullwidth", "arabic-indic")


def statute_text(kind: str, pages: int = 12) -> str:
    """A bill with numbered articles and paragraphs, running headers, footnote-like lines and page numbers
    written with the digits of `kind`."""
    digits = DIGIT_SETS[kind]

    def num(n: int) -> str:
        if kind in DECIMAL_SETS:
            return "".join(digits[int(c)] for c in str(n))
        return digits[(n - 1) % len(digits)]

    body = corpus_lines(pages * 6, start=len(kind) * 17)
    lines = []
    for p in range(1, pages + 1):
        lines += [f"국회  {digits[1]}  법률안  {p}", f"국회  {num(p)}  법률안", ""]
        art = 40 + p
        lines += [
            f"제{art}조의2(협의단계) ① 행정청은 법률안을 입안할 때에는 관계 중앙행정기관의 장과 미리",
            "협의하여야 한다.",
            f"② 제1항에 따른 협의의 절차와 방법은 대통령령으로 정한다{num(2)}).",
            f"③ 행정청은 제2항에 따른 협의 결과를 국회에 보고하여야 한다{num(3)}",
            f"{num(4)} 행정청은 {num(5)}항의 사항을 공고한다. ⑴ 첫째 ㉠ 세부 Ⅲ. 결론 ¹²³ ٠١٢",
            f"제{num(art)}조(목적) 이 법은 행정절차를 정함을 목적으로 한다.",
            "",
        ]
        lines += body[(p - 1) * 6 : p * 6]
        lines += [
            "",
            f"{num(p)}) 각주: 이 조는 {2020 + p}년에 신설되었다.",
            "①) 각주 설명 문장입니다.",
            "",
            f"- {num(p)} -",
            num(p),
            "\f",
        ]
    return "\n".join(lines) + "\n"


def build_xlsx(path: Path, rows: list[list], formula_cells: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def rewrite_sheet(path: Path, transform: Callable[[bytes], bytes]) -> None:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            target.writestr(info.filename, data)


def build_zip_bomb(path: Path, target_bytes: int) -> int:
    """A valid .xlsx whose sheet XML inflates to `target_bytes` (rows of Korean text); returns its size."""
    build_xlsx(path, [["id", "text"], ["r1", "가나다"]])
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    row = (
        '<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>'
        "가나다라마바사아자차카타파하 서울시는 국경 봉쇄를 강화했다</t></is></c></row>"
    ).encode()
    chunk = row * (1_000_000 // len(row))
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        'id</t></is></c><c r="B1" t="inlineStr"><is><t>text</t></is></c></row>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as f:
                    f.write(head)
                    written = len(head)
                    while written < target_bytes:
                        f.write(chunk)
                        written += len(chunk)
                    f.write(b"</sheetData></worksheet>")
            else:
                target.writestr(info.filename, source.read(info.filename))
    return path.stat().st_size


class EvilPickle:
    """Unpickling this creates (opens for writing) the marker file."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        import builtins

        return (builtins.open, (self.marker, "w"))


# --------------------------------------------------------------------------------------------- checks


def expect_exit(*codes):
    def check(res: Result):
        if res.rc not in codes and not res.hang and not res.memory:
            return [("UNEXPECTED-EXIT", f"exit {res.rc}, expected {codes}; stderr: {first_lines(res.stderr)}")]
        return []

    return check


def all_checks(*checks):
    def check(res):
        out = []
        for c in checks:
            out += c(res) or []
        return out

    return check


def formula_cells_csv(columns):
    def check(res: Result):
        bad = []
        if res.rc == 0 and not parse_csv(res.out):
            return [("PROBE-ERROR", "no csv rows to check")]
        for row in parse_csv(res.out):
            for col in columns:
                val = row.get(col) or ""
                if val.lstrip()[:1] in tuple(FORMULA_CHARS) and not val.startswith("'"):
                    bad.append(f"{col}={val!r}")
        return [("UNESCAPED", ", ".join(sorted(set(bad))[:8]))] if bad else []

    return check


def formula_cells_xlsx(path: Path, columns):
    def check(res: Result):
        from openpyxl import load_workbook

        if not path.exists() or path.stat().st_size == 0:
            return [("UNEXPECTED-EXIT", f"no xlsx written ({first_lines(res.stderr)})")] if res.rc == 0 else []
        sheet = load_workbook(path).active
        rows = list(sheet.iter_rows())
        header = [c.value for c in rows[0]]
        bad = []
        for row in rows[1:]:
            for cell, name in zip(row, header):
                if name not in columns:
                    continue
                val = cell.value
                if cell.data_type == "f":
                    bad.append(f"{name}={val!r} stored as a FORMULA")
                elif isinstance(val, str) and val.lstrip()[:1] in tuple(FORMULA_CHARS) and not val.startswith("'"):
                    bad.append(f"{name}={val!r}")
        return [("UNESCAPED", ", ".join(sorted(set(bad))[:8]))] if bad else []

    return check


def ids_exact(expected: set[str], column="doc", xlsx: Path | None = None, json_out=False, all_present=True):
    def check(res: Result):
        if res.rc != 0:
            return []
        if xlsx is not None:
            from openpyxl import load_workbook

            rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
            idx = list(rows[0]).index(column)
            got = [r[idx] for r in rows[1:]]
        elif json_out:
            got = [r[column] for r in json.loads(res.out)]
        else:
            got = [r.get(column) for r in parse_csv(res.out)]
        got_set = {g for g in got if g is not None}
        changed = sorted(map(repr, got_set - expected)) if not got_set <= expected else []
        lost = sorted(expected - {str(g) for g in got_set if isinstance(g, str)}) if all_present else []
        if changed or lost:
            return [("ID-CHANGED", f"expected ids {sorted(expected)}; output has {sorted(map(repr, got_set))}")]
        return []

    return check


def interrupted(cache_dir: Path):
    def check(res: Result):
        problems = []
        if res.sigint_at is None:
            return [("NOT-INTERRUPTED", f"run ended before the SIGINT ({res.seconds:.1f} s): use a bigger input")]
        if "kcorpus: interrupted" not in res.stderr:
            problems.append(f"stderr is {first_lines(res.stderr, 3)!r}, not 'kcorpus: interrupted'")
        if res.rc != 130:
            problems.append(f"exit {res.rc}, not 130")
        if res.seconds - res.sigint_at > 5:
            problems.append(f"took {res.seconds - res.sigint_at:.1f} s to stop after SIGINT")
        temps = [p for p in cache_dir.rglob(".tmp-*")]
        if temps:
            problems.append(f"{len(temps)} partial cache file(s) left: {temps[0].name}")
        return [("NOT-INTERRUPTED", "; ".join(problems))] if problems else []

    return check


def all_outputs_present(folder: Path, marks: dict, pre_existing: set):
    """Each input's marker word must be in some file written to the out-dir (none lost to a name clash)."""

    def check(res):
        texts = {}
        for p in folder.rglob("*") if folder.is_dir() else ():
            if p.is_file() and p not in pre_existing:
                texts[p] = p.read_text(encoding="utf-8", errors="replace")
        lost = [doc for doc, mark in marks.items() if not any(mark in t for t in texts.values())]
        if lost and res.rc == 0:
            return [
                (
                    "SILENT-DROP",
                    f"cleaned text of {lost} missing from the out-dir (overwritten by a "
                    f"colliding name); files written: {sorted(str(p.relative_to(folder)) for p in texts)}",
                )
            ]
        return []

    return check


# --------------------------------------------------------------------------------------------- the suite


def build_cases(probe: Probe, quick: bool):
    """Yield cases; a generator so that later cases can depend on earlier results."""
    T = probe.tmp
    kc = probe.kc
    user = T / "user"  # everything the 'user' owns
    inputs = user / "inputs"

    # warm the isolated cache with the bundled corpus (normal material for several cases)
    bundled = inputs / "bundled"
    for p in CORPUS.glob("*.txt"):
        write(bundled / p.name, p.read_bytes())
    yield Case(
        "warm-up: info on the bundled corpus",
        kc("info", bundled),
        group="baseline",
        protect=[bundled],
        expect_docs=[(p.name, p.name) for p in CORPUS.glob("*.txt")],
    )

    # ---- A1 statute / bill text with every digit script -----------------------------------------------
    statute = inputs / "statute"
    for kind in DIGIT_SETS:
        write(statute / f"bill-{kind}.txt", statute_text(kind))
    statute_docs = [(f"bill-{k}.txt", f"bill-{k}.txt") for k in DIGIT_SETS]
    clean_ok = []
    for kind in DIGIT_SETS:
        res = yield Case(
            f"statute[{kind}]: clean --report",
            ["clean", statute / f"bill-{kind}.txt", "--report"],
            group="statute",
            protect=[statute],
        )
        if not res.verdicts:
            clean_ok.append(kind)

    def every_command(folder: Path, label: str, docs, slow=False):
        commands = [
            ("info", kc("info", folder)),
            ("freq", kc("freq", folder, "--top", "20")),
            ("keywords", kc("keywords", folder, "--top", "5")),
            ("compare", kc("compare", folder, "--top", "20")),
            ("topics --k 2", kc("topics", folder, "--k", "2", "--unit", "paragraph", "--min-unit-tokens", "10")),
            (
                "topics --k auto --k-range 2:3",
                kc("topics", folder, "--k", "auto", "--k-range", "2:3", "--min-unit-tokens", "10"),
            ),
            ("concordance", kc("concordance", "행정청", folder, "--limit", "20")),
            ("collocates", kc("collocates", "행정청", folder, "--min-count", "1", "--top", "10")),
            ("clean", ["clean", folder]),
            ("clean --report", ["clean", folder, "--report"]),
            ("tokenize", kc("tokenize", folder, "--format", "csv")),
            ("tokenize --no-clean", kc("tokenize", folder, "--no-clean", "--format", "text")),
        ]
        for name, argv in commands:
            yield Case(f"{label}: {name}", argv, group="statute", protect=[folder], expect_docs=docs, slow=slow)

    yield from every_command(statute, "statute[all scripts]", statute_docs)
    if set(clean_ok) != set(DIGIT_SETS) and clean_ok:
        ok_folder = inputs / "statute-cleanable"
        for kind in clean_ok:
            write(ok_folder / f"bill-{kind}.txt", statute_text(kind))
        yield from every_command(
            ok_folder,
            f"statute[{'+'.join(clean_ok)}]",
            [(f"bill-{k}.txt", f"bill-{k}.txt") for k in clean_ok],
            slow=True,
        )

    # ---- A2 numeric options given Unicode digits -------------------------------------------------------
    small = write(inputs / "small" / "doc.txt", SAMPLE * 30)
    accepted = "exit 0 means int() read it: fine if documented, else a usage error"
    for label, argv, note in [
        ("--k ３ (full-width)", kc("topics", bundled, "--k", "３"), accepted),
        ("--k ① (circled)", kc("topics", bundled, "--k", "①"), ""),
        ("--k ² (superscript)", kc("topics", bundled, "--k", "²"), ""),
        ("--k-range ２:５", kc("topics", bundled, "--k-range", "２:３"), accepted),
        ("--k-range ①:③", kc("topics", bundled, "--k-range", "①:③"), ""),
        ("--unit window:５", kc("info", small, "--unit", "window:５"), accepted),
        ("--unit window:①", kc("info", small, "--unit", "window:①"), ""),
        ("--unit window:²", kc("tokenize", small, "--unit", "window:²", "--format", "text"), ""),
        ("--ngram ²", kc("freq", small, "--ngram", "²"), "typer rejects: exit 2"),
        ("--min-count ٣ (Arabic-Indic)", kc("freq", small, "--min-count", "٣"), accepted),
        ("--top Ⅲ (Roman)", kc("freq", small, "--top", "Ⅲ"), ""),
    ]:
        yield Case(
            f"digits: {label}", argv, group="numeric options", protect=[small], note=note, check=expect_exit(0, 2)
        )

    # ---- A3 endless inputs ------------------------------------------------------------------------------
    yield Case(
        "stdin from /dev/zero: info -",
        kc("info", "-"),
        group="endless",
        stdin="/dev/zero",
        timeout=10,
        note="must end by itself within 10 s in bounded memory",
    )
    yield Case("--stopwords /dev/zero", kc("freq", small, "--stopwords", "/dev/zero"), group="endless", timeout=10)
    yield Case("--user-dict /dev/zero", kc("info", small, "--user-dict", "/dev/zero"), group="endless", timeout=10)
    yield Case("path /dev/zero", kc("info", "/dev/zero"), group="endless", timeout=10, check=expect_exit(1, 2))
    seeds = write(inputs / "seeds.txt", "")
    yield Case(
        "--seed-words /dev/zero",
        kc("topics", bundled, "--k", "3", "--seed-words", "/dev/zero"),
        group="endless",
        timeout=10,
        protect=[seeds],
    )

    bomb = inputs / "bomb" / "bomb.xlsx"
    size = build_zip_bomb(bomb, (300 if quick else 1100) * 1024 * 1024)
    yield Case(
        f"zip-bomb .xlsx ({size / 1e6:.1f} MB inflating to {300 if quick else 1100} MB of sheet XML)",
        kc("info", bomb),
        group="endless",
        protect=[bomb],
        note="should refuse (skip with a reason) quickly, in bounded memory",
    )

    if not quick:
        big = inputs / "huge" / "one-line-50mb.txt"
        text = " ".join(corpus_lines(4000))
        blob = (text + " ") * (50_000_000 // len((text + " ").encode()) + 1)
        write(big, blob.encode()[:50_000_000].decode("utf-8", "ignore"))
        yield Case(
            "50 MB .txt without a newline: clean --report",
            ["clean", big, "--report"],
            group="endless",
            protect=[big],
            timeout=60,
            slow=True,
        )
        yield Case(
            "50 MB .txt without a newline: info (SIGINT at 20 s)",
            kc("info", big),
            group="endless",
            protect=[big],
            timeout=20,
            on_timeout="sigint",
            slow=True,
            note="if it is still tokenising at 20 s: checks memory so far and a clean interrupt",
            check=lambda r: interrupted(probe.cache)(r) if r.sigint_at is not None else [],
        )

    # ---- A4 folders: symlink loop, broken symlink, unreadable folder, hidden files --------------------------
    loop = inputs / "loop"
    write(loop / "a" / "doc.txt", SAMPLE)
    os.symlink("..", loop / "a" / "loop")
    yield Case(
        "symlink loop a/loop -> .. : folder",
        kc("info", loop),
        group="folders",
        protect=[loop],
        timeout=20,
        expect_docs=[("a/doc.txt", "a/doc.txt")],
    )
    yield Case(
        "symlink loop: glob loop/**/*.txt",
        kc("info", f"{loop}/**/*.txt"),
        group="folders",
        protect=[loop],
        timeout=20,
        expect_docs=[("a/doc.txt", "a/doc.txt")],
    )

    broken = inputs / "broken-link"
    write(broken / "good.txt", SAMPLE)
    os.symlink("does-not-exist.txt", broken / "dangling.txt")
    yield Case(
        "broken symlink in a folder",
        kc("info", broken),
        group="folders",
        protect=[broken],
        expect_docs=[("good.txt", "good.txt"), ("dangling.txt", "dangling.txt")],
    )

    unread = inputs / "unreadable"
    write(unread / "good.txt", SAMPLE)
    write(unread / "locked" / "secret.txt", SAMPLE.replace("서울시", "부산시"))
    os.chmod(unread / "locked", 0)
    try:
        (unread / "locked" / "secret.txt").read_bytes()
        blocks = False
    except OSError:
        blocks = True
    unread_docs = [("good.txt", "good.txt"), ("locked/secret.txt", "locked/secret.txt")]
    note = ""
    drop = False
    if not blocks:
        note = "running as root: chmod 000 does not stop reads"
        if IS_ROOT and shutil.which("setpriv"):
            drop = True
            note += "; this case runs without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (setpriv), so it does"
    yield Case(
        "unreadable sub-folder (chmod 000)",
        kc("info", unread),
        group="folders",
        expect_docs=unread_docs,
        note=note,
        drop_dac=drop,
    )

    hidden = inputs / "hidden"
    write(hidden / "visible.txt", SAMPLE)
    write(hidden / ".hidden.txt", SAMPLE)
    write(hidden / ".git" / "notes.txt", SAMPLE)
    yield Case(
        "hidden files in a folder",
        kc("info", hidden),
        group="folders",
        protect=[hidden],
        expect_docs=[
            ("visible.txt", "visible.txt"),
            (".hidden.txt", ".hidden.txt"),
            (".git/notes.txt", ".git/notes.txt"),
        ],
        note="hidden files are skipped on purpose? then they should be counted/reported",
    )

    # ---- A5 a file name that is not UTF-8 ---------------------------------------------------------------------
    badname = inputs / "badname"
    write(badname / "good.txt", SAMPLE)
    bad_file = os.fsencode(badname) + b"/\xff\xfe.txt"
    with open(bad_file, "wb") as f:
        f.write(SAMPLE.replace("서울시", "인천시").encode())
    # the id of b'\xff\xfe.txt': as Python decodes it (surrogates) or written with backslash escapes
    bad_docs = [("good.txt", "good.txt"), (("\\xff\\xfe.txt", "\udcff\udcfe.txt"), "\\xff\\xfe.txt")]
    formats = ["csv", "tsv", "json", "jsonl", "table", "xlsx"] if not quick else ["csv", "xlsx"]
    for fmt in formats:
        extra = ["-o", T / "out" / "badname.xlsx"] if fmt == "xlsx" else ["--format", fmt]
        (T / "out").mkdir(exist_ok=True)
        yield Case(
            f"non-UTF-8 file name b'\\xff\\xfe.txt': info --format {fmt}",
            kc("info", badname, *extra),
            group="names",
            protect=[badname],
            expect_docs=bad_docs if fmt == "csv" else None,
        )
    yield Case(
        "non-UTF-8 file name given directly", kc("info", bad_file, "--format", "csv"), group="names", protect=[badname]
    )
    yield Case("non-UTF-8 file name: clean (text to stdout)", ["clean", badname], group="names", protect=[badname])
    yield Case(
        "non-UTF-8 file name: clean --out-dir",
        ["clean", badname, "--out-dir", T / "out" / "clean-badname"],
        group="names",
        protect=[badname],
    )
    yield Case(
        "non-UTF-8 file name: concordance",
        kc("concordance", "시", badname, "--format", "csv"),
        group="names",
        protect=[badname],
    )

    # ---- A6 damaged and ambiguous sources -----------------------------------------------------------------------
    dam = inputs / "damaged"
    write(
        dam / "unclosed.csv", 'id,text\n1,"첫째 문서는 따옴표를 닫지 않았다\n2,둘째 문서 서울시\n3,셋째 문서 부산시\n'
    )
    yield Case(
        "CSV with an unclosed quote",
        kc("info", dam / "unclosed.csv", "--id-column", "id"),
        group="sources",
        protect=[dam],
        expect_docs=[("1", "unclosed.csv"), ("2", "unclosed.csv"), ("3", "unclosed.csv")],
        note="rows 2 and 3 must be analysed or reported, not swallowed into row 1",
    )
    write(dam / "be.txt", (SAMPLE * 5).encode("utf-16-be"))

    def be_check(res):
        if "utf-16-le" in res.stderr + res.out and "utf-16-be" not in res.stderr + res.out:
            return [("BAD-ADVICE", "a UTF-16-BE file is told to use --encoding utf-16-le (that gives garbage)")]
        return []

    yield Case(
        "UTF-16-BE without BOM",
        kc("info", dam / "be.txt"),
        group="sources",
        protect=[dam],
        expect_docs=[("be.txt", "be.txt")],
        check=be_check,
    )

    tail_text = (SAMPLE * 20).rstrip("\n.")  # ends in a Hangul syllable (3 bytes in UTF-8)
    write(dam / "tail-ff.txt", tail_text.encode() + b"\xff")
    write(dam / "tail-cut.txt", tail_text.encode()[:-1])

    def utf8_check(res):
        rows = parse_csv(res.out)
        bad = [
            f"{r['doc']} read as {r['encoding']}"
            for r in rows
            if r.get("status") == "ok" and r.get("encoding") not in ("utf-8", "utf-8-sig")
        ]
        return [("MISDECODED", "; ".join(bad))] if bad else []

    for name, what in (("tail-ff.txt", "a 0xFF byte"), ("tail-cut.txt", "a cut multi-byte character")):
        yield Case(
            f"UTF-8 text ending in {what}",
            kc("info", dam / name, "--format", "csv"),
            group="sources",
            protect=[dam],
            expect_docs=[(name, name)],
            check=utf8_check,
        )

    broken_xlsx = build_xlsx(dam / "broken-xml.xlsx", [["id", "text"], ["a", SAMPLE], ["b", SAMPLE]])
    rewrite_sheet(broken_xlsx, lambda data: data[: len(data) // 2])
    yield Case(
        ".xlsx with broken sheet XML",
        kc("info", broken_xlsx),
        group="sources",
        protect=[dam],
        expect_docs=[("broken-xml.xlsx", "broken-xml.xlsx")],
    )

    formula_xlsx = build_xlsx(
        dam / "formula.xlsx", [["id", "text"], ["f1", '=CONCATENATE("서울시는 ","협력한다")'], ["plain", SAMPLE]]
    )
    yield Case(
        ".xlsx whose text cell is a formula without a cached value",
        kc("info", formula_xlsx, "--id-column", "id"),
        group="sources",
        protect=[dam],
        expect_docs=[("f1", "formula.xlsx"), ("plain", "formula.xlsx")],
    )

    # ---- A7 reference frequency lists with absurd counts ------------------------------------------------------------
    for label, count in (
        ("1e400", "1e400"),
        ("99999999999999999999999", "99999999999999999999999"),
        ("nan", "nan"),
        ("-0", "-0"),
    ):
        ref = write(inputs / "ref" / f"ref-{label}.csv", f"term,count\n중국,{count}\n협력,10\n")
        yield Case(
            f"--reference-freq count {label}",
            kc("keywords", bundled, "--reference-freq", ref),
            group="reference",
            protect=[ref],
        )

    # ---- A8 clean --out-dir ------------------------------------------------------------------------------------------
    a_file = write(user / "outputs" / "iam-a-file", "user data\n")
    yield Case(
        "clean --out-dir that is a file",
        ["clean", small, "--out-dir", a_file],
        group="out-dir",
        protect=[a_file, small],
        check=expect_exit(1, 2),
    )

    collide = inputs / "collide"
    marks = {"notes": "가표지", "notes.txt": "나표지", "a/x.txt": "다표지", "b/x.txt": "라표지"}
    for name, mark in marks.items():
        write(collide / name, f"{mark} 문서입니다. " + SAMPLE)
    out_d = user / "outputs" / "cleaned"
    yield Case(
        "clean --out-dir: notes vs notes.txt, a/x.txt vs b/x.txt (fresh D)",
        ["clean", collide, "--out-dir", out_d],
        group="out-dir",
        protect=[collide],
        check=all_outputs_present(out_d, marks, set()),
    )
    out_pre = user / "outputs" / "cleaned-pre"
    pre = write(out_pre / "a" / "x.txt", "the user's own file, written before kcorpus ran\n")
    yield Case(
        "clean --out-dir D where D/a/x.txt already exists",
        ["clean", collide, "--out-dir", out_pre],
        group="out-dir",
        protect=[collide, pre],
        note="D/a/x.txt must not be overwritten (refusing is fine)",
        check=lambda r: (
            []
            if r.rc != 0
            else all_outputs_present(out_pre, {k: v for k, v in marks.items() if k != "a/x.txt"}, {pre})(r)
        ),
    )
    same = {}
    for side, mark in (("p", "마표지"), ("q", "바표지")):
        same[f"{side}/docs/x.txt"] = mark
        write(inputs / side / "docs" / "x.txt", f"{mark} 문서입니다. " + SAMPLE)
    out_d2 = user / "outputs" / "cleaned2"
    yield Case(
        "clean --out-dir: the same name in two folders (p/docs, q/docs)",
        ["clean", inputs / "p" / "docs", inputs / "q" / "docs", "--out-dir", out_d2],
        group="out-dir",
        protect=[inputs / "p", inputs / "q"],
        check=all_outputs_present(out_d2, same, set()),
    )

    # ---- A9 -o FILE over an existing file when the run fails -------------------------------------------------------------
    outs = user / "outputs"
    for label, argv in [
        ("missing --stopwords", kc("freq", small, "--stopwords", inputs / "missing.txt", "-o", outs / "freq.csv")),
        ("no match", kc("concordance", "없는낱말쿼리", small, "-o", outs / "kwic.csv")),
        ("bad --regex", kc("concordance", "(", small, "--regex", "-o", outs / "kwic2.csv")),
        (
            "--reference-freq overflow",
            kc("keywords", bundled, "--reference-freq", inputs / "ref" / "ref-1e400.csv", "-o", outs / "kw.csv"),
        ),
        ("undecodable doc id (tokenize, midway)", kc("tokenize", badname, "-o", outs / "tokens.csv")),
        ("undecodable doc id (info -o .xlsx)", kc("info", badname, "-o", outs / "info.xlsx")),
        ("undecodable doc id (clean -o .txt)", ["clean", badname, "-o", outs / "clean.txt"]),
        ("--unit window:① after analysis", kc("info", small, "--unit", "window:①", "-o", outs / "info.csv")),
    ]:
        target = Path(argv[argv.index("-o") + 1])
        write(target, "precious,previous\nresults,1\n")
        yield Case(
            f"-o existing file, run fails: {label}",
            argv,
            group="-o",
            protect=[small, badname],
            protect_on_failure=[target],
            note="a failed run must leave the existing -o file as it was",
        )

    # ---- A10 disk full, cache clear, late usage errors --------------------------------------------------------------------
    if os.path.exists("/dev/full"):
        yield Case(
            "stdout is /dev/full (disk full)",
            kc("info", bundled, "--format", "csv"),
            group="disk",
            stdout="/dev/full",
            check=lambda r: (
                []
                if r.rc == 1
                and len(
                    [
                        ln
                        for ln in r.stderr.splitlines()
                        if ln.strip() and not ln.startswith(("kcorpus: analysed", "kcorpus: no paths"))
                    ]
                )
                == 1
                else [
                    ("UNEXPECTED-EXIT", f"want one error line and exit 1; got exit {r.rc}: {first_lines(r.stderr, 4)}")
                ]
            ),
        )
    cache_d = user / "my-project"
    keep = [
        write(cache_d / "important.txt", "do not delete\n"),
        write(cache_d / "tokens" / "my-annotations.txt", "hand-made token notes\n"),
    ]
    yield Case(
        "(prepare) info --cache-dir D where D is a user folder",
        kc("info", small, cache=cache_d),
        group="cache",
        protect=keep,
    )
    yield Case(
        "cache clear --cache-dir D (D holds user files)",
        ["cache", "clear", "--cache-dir", cache_d],
        group="cache",
        protect=keep,
        note="D/important.txt must survive; D/tokens/my-annotations.txt is the user's too",
    )

    cold_a, cold_b = T / "cold-a", T / "cold-b"
    full = yield Case(
        "cold full run (for timing)", kc("info", bundled, "--format", "csv", cache=cold_a), group="late errors"
    )

    def late(full_seconds):
        def check(res):
            if res.rc == 2 and res.seconds > max(1.5, 0.5 * full_seconds):
                return [
                    (
                        "LATE-ERROR",
                        f"usage error after {res.seconds:.1f} s (a full cold run takes "
                        f"{full_seconds:.1f} s): checked only after the corpus was analysed",
                    )
                ]
            return []

        return check

    yield Case(
        "--format bogus on a cold corpus",
        kc("info", bundled, "--format", "bogus", cache=cold_b),
        group="late errors",
        check=all_checks(expect_exit(2), late(full.seconds)),
    )
    yield Case(
        "-o out.bogus on a cold corpus",
        kc("freq", bundled, "-o", T / "out" / "x.bogus", cache=T / "cold-c"),
        group="late errors",
        check=all_checks(expect_exit(2), late(full.seconds)),
    )
    yield Case(
        "--unit window:0 on a cold corpus",
        kc("info", bundled, "--unit", "window:0", cache=T / "cold-d"),
        group="late errors",
        check=all_checks(expect_exit(2), late(full.seconds)),
    )

    # ---- A11 a stranger's model -----------------------------------------------------------------------------------------
    import pickle
    from importlib.metadata import version

    evil = inputs / "evil-model"
    marker = T / "PWNED-marker"
    evil.mkdir(parents=True)
    (evil / "settings.json").write_text(
        json.dumps(
            {
                "kcorpus": version("kcorpus"),
                "scikit-learn": version("scikit-learn"),
                "kiwipiepy": version("kiwipiepy"),
                "method": "nmf",
                "k": 2,
                "vocabulary": [["서울", "NNG"]],
            }
        ),
        encoding="utf-8",
    )
    (evil / "model.joblib").write_bytes(pickle.dumps({"estimator": EvilPickle(str(marker))}))
    yield Case(
        "topics --load DIR with a malicious model.joblib",
        kc("topics", bundled, "--load", evil),
        group="stranger's code",
        protect=[evil],
        check=lambda r: (
            [("CODE-EXECUTED", f"unpickling ran code: {marker.name} was created")] if marker.exists() else []
        ),
    )

    # ---- A12 SIGINT while tokenising ----------------------------------------------------------------------------------------
    many = inputs / "many"
    lines = corpus_lines(3000)
    for i in range(40):
        write(many / f"doc{i:02d}.txt", f"문서 번호 {i}\n\n" + "\n".join(lines[i * 60 :] + lines[: i * 60]) + "\n")
    sig_cache = T / "cache-sigint"
    yield Case(
        "SIGINT 2 s into a cold run",
        kc("info", many, cache=sig_cache),
        group="sigint",
        sigint_after=2.0,
        protect=[many],
        check=interrupted(sig_cache),
    )
    sig_cache2 = T / "cache-sigint2"
    previous = write(user / "outputs" / "previous-info.csv", "precious,previous\nresults,1\n")
    yield Case(
        "SIGINT 6 s into a cold run (while tokenising), -o existing file",
        kc("info", many, "-o", previous, cache=sig_cache2),
        group="sigint",
        sigint_after=6.0,
        protect=[many],
        protect_on_failure=[previous],
        check=interrupted(sig_cache2),
    )

    # ---- A13 spreadsheet formulas and numeric ids in table sources --------------------------------------------------------------
    tbl = inputs / "tables"
    evil_cells = [" =1+1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "=1+1", "+1", "-1", "@SUM(A1)"]
    tbl.mkdir(parents=True)
    with open(tbl / "formula.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "text"])
        for cell in evil_cells:
            w.writerow([cell, cell, f"{cell} 서울시는 국경 봉쇄를 강화했다. 협력이 필요하다. {SAMPLE}"])
    fcsv = tbl / "formula.csv"
    yield Case(
        "formula-like cells: info --id-column id (csv)",
        kc("info", fcsv, "--id-column", "id", "--format", "csv"),
        group="formulas",
        protect=[tbl],
        check=formula_cells_csv(["doc"]),
    )
    fx = T / "out" / "formula-info.xlsx"
    yield Case(
        "formula-like cells: info --id-column id (-o .xlsx)",
        kc("info", fcsv, "--id-column", "id", "-o", fx),
        group="formulas",
        protect=[tbl],
        check=formula_cells_xlsx(fx, ["doc"]),
    )
    yield Case(
        "formula-like cells: compare --by group (csv)",
        kc("compare", fcsv, "--by", "group", "--min-count", "1", "--format", "csv"),
        group="formulas",
        protect=[tbl],
        check=formula_cells_csv(["group"]),
    )
    yield Case(
        "formula-like cells: tokenize --pos all (csv)",
        kc("tokenize", fcsv, "--id-column", "id", "--format", "csv"),
        group="formulas",
        protect=[tbl],
        check=formula_cells_csv(["doc", "form", "lemma"]),
    )

    ids = ["007", "1.50", "1e3"]
    with open(tbl / "ids.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        for i, v in enumerate(ids):
            w.writerow([v, f"문서 {i} {' '.join(corpus_lines(40, start=i * 500))}"])
    write(tbl / "ids.tsv", "id\ttext\n" + "".join(f"{v}\t문서 {i} {SAMPLE}" for i, v in enumerate(ids)))
    write(
        tbl / "ids.jsonl",
        "".join(
            json.dumps({"id": v, "text": f"문서 {i} {SAMPLE}"}, ensure_ascii=False) + "\n" for i, v in enumerate(ids)
        ),
    )
    write(
        tbl / "ids-numbers.jsonl",
        "".join(f'{{"id": {v}, "text": "문서 {i} 서울시는 협력했다."}}\n' for i, v in enumerate(["7", "1.50", "1e3"])),
    )
    build_xlsx(tbl / "ids.xlsx", [["id", "text"]] + [[v, f"문서 {i} {SAMPLE}"] for i, v in enumerate(ids)])
    for src in ("ids.csv", "ids.tsv", "ids.jsonl", "ids.xlsx"):
        yield Case(
            f"numeric-looking ids 007 1.50 1e3 ({src}): info csv",
            kc("info", tbl / src, "--id-column", "id", "--format", "csv"),
            group="ids",
            protect=[tbl],
            check=ids_exact(set(ids)),
        )
    ix = T / "out" / "ids.xlsx"
    yield Case(
        "numeric-looking ids (ids.csv): info -o .xlsx",
        kc("info", tbl / "ids.csv", "--id-column", "id", "-o", ix),
        group="ids",
        protect=[tbl],
        check=ids_exact(set(ids), xlsx=ix),
    )
    yield Case(
        "numeric-looking ids (ids.csv): info json",
        kc("info", tbl / "ids.csv", "--id-column", "id", "--format", "json"),
        group="ids",
        protect=[tbl],
        check=ids_exact(set(ids), json_out=True),
    )
    yield Case(
        "numeric-looking ids (ids.csv): keywords csv",
        kc(
            "keywords",
            tbl / "ids.csv",
            "--id-column",
            "id",
            "--min-count",
            "1",
            "--alpha",
            "1",
            "--top",
            "3",
            "--format",
            "csv",
        ),
        group="ids",
        protect=[tbl],
        check=ids_exact(set(ids), all_present=False),
    )
    yield Case(
        "JSON number ids 7 1.50 1e3 (ids-numbers.jsonl)",
        kc("info", tbl / "ids-numbers.jsonl", "--id-column", "id", "--format", "csv"),
        group="ids",
        protect=[tbl],
        check=ids_exact({"7", "1.50", "1e3"}),
        note="JSON numbers: '1.50' and '1e3' as written in the file",
    )

    # ---- A15 beyond the brief ----------------------------------------------------------------------------------------
    more = inputs / "more"
    # JSON escapes give lone surrogates, which no byte decoder produces
    write(
        more / "surrogates.jsonl",
        '{"id": "s1", "text": "서울\\ud800시는 국경 봉쇄를 강화했다. 협력이 필요하다."}\n'
        '{"id": "s2\\udcff", "text": "부산시는 협력했다."}\n'
        '{"id": "s3", "text": "인천시는 협력했다."}\n',
    )
    sur_docs = [
        ("s1", "surrogates.jsonl"),
        (("s2\udcff", "s2\\udcff", "s2\ufffd"), "surrogates.jsonl"),
        ("s3", "surrogates.jsonl"),
    ]
    for label, argv in (
        ("info", kc("info", more / "surrogates.jsonl", "--id-column", "id")),
        ("tokenize", kc("tokenize", more / "surrogates.jsonl", "--id-column", "id", "-f", "csv")),
        ("clean", ["clean", more / "surrogates.jsonl", "--id-column", "id"]),
        ("concordance", kc("concordance", "협력", more / "surrogates.jsonl", "--id-column", "id", "-f", "csv")),
        (
            "info -o .xlsx",
            kc("info", more / "surrogates.jsonl", "--id-column", "id", "-o", T / "out" / "surrogates.xlsx"),
        ),
    ):
        yield Case(
            f"JSONL with lone surrogates (\\ud800 escapes): {label}",
            argv,
            group="more",
            protect=[more],
            expect_docs=sur_docs if label == "info" else None,
        )

    write(
        more / "odd-types.jsonl",
        "".join(
            json.dumps({"id": f"t{i}", "text": v}, ensure_ascii=False) + "\n"
            for i, v in enumerate(
                [5, ["서울시는", "협력했다"], {"가": "나"}, None, True, 1.5e300, "정상 문서는 협력했다."]
            )
        ),
    )
    yield Case(
        "JSONL whose text values are numbers, lists, objects, null",
        kc("info", more / "odd-types.jsonl", "--id-column", "id"),
        group="more",
        protect=[more],
        expect_docs=[(f"t{i}", "odd-types.jsonl") for i in range(7)],
    )

    write(
        more / "big-cell.csv",
        "id,text\nbig,"
        + '"'
        + " ".join(corpus_lines(2500)).replace('"', "'")[:200_000]
        + '"\nsmall,서울시는 협력했다.\n',
    )
    yield Case(
        "CSV with a 200,000-character cell (over csv.field_size_limit)",
        kc("info", more / "big-cell.csv", "--id-column", "id"),
        group="more",
        protect=[more],
        timeout=40,
        expect_docs=[("big", "big-cell.csv"), ("small", "big-cell.csv")],
    )

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "text"])
    book.active.append(["sheet1-row", "서울시는 협력했다."])
    second = book.create_sheet("둘째")
    second.append(["id", "text"])
    second.append(["sheet2-row", "부산시는 협력했다."])
    book.save(more / "two-sheets.xlsx")
    yield Case(
        ".xlsx with documents on a second sheet",
        kc("info", more / "two-sheets.xlsx", "--id-column", "id"),
        group="more",
        protect=[more],
        expect_docs=[("sheet1-row", "two-sheets.xlsx"), ("sheet2-row", "two-sheets.xlsx")],
        note="rows of sheet 2 must be read, or the sheet reported as not read",
    )

    names = inputs / "names"
    write(names / "good.txt", SAMPLE)
    write(names / "empty\nname.txt", b"")
    write(names / "\x1b[31mred\x1b[0m.txt", b"")

    def control_chars(res):
        raw = sorted({repr(c) for c in res.stderr if ord(c) < 32 and c not in "\n\t"})
        return [("CONTROL-CHARS", f"raw control characters from file names on stderr: {', '.join(raw)}")] if raw else []

    yield Case(
        "file names with a newline and an ANSI escape (empty files)",
        kc("info", names),
        group="more",
        protect=[names],
        check=control_chars,
        expect_docs=[
            ("good.txt", "good.txt"),
            ("empty\nname.txt", "empty\nname.txt"),
            (("\x1b[31mred\x1b[0m.txt", "\\x1b[31mred\\x1b[0m.txt"), "\x1b[31mred\x1b[0m.txt"),
        ],
    )

    same_in = write(inputs / "self" / "doc.txt", SAMPLE * 3)
    yield Case(
        "clean doc.txt -o doc.txt (output is the input)",
        ["clean", same_in, "-o", same_in],
        group="more",
        protect=[same_in],
    )
    table_in = inputs / "self" / "data.csv"
    write(table_in, "id,text\na,서울시는 협력했다.\nb,부산시는 협력했다.\n")
    yield Case(
        "tokenize data.csv -o data.csv (output is the input)",
        kc("tokenize", table_in, "-o", table_in),
        group="more",
        protect=[table_in],
    )
    inplace = inputs / "inplace"
    write(inplace / "doc.txt", SAMPLE * 3)
    yield Case(
        "clean DIR --out-dir DIR (the input folder)",
        ["clean", inplace, "--out-dir", inplace],
        group="more",
        protect=[inplace],
    )

    npz_d = user / "np-project"
    import numpy as np

    (npz_d / "tokens" / "v1" / "ab").mkdir(parents=True)
    np.savez(npz_d / "tokens" / "v1" / "ab" / "measurements.npz", x=np.arange(5))
    yield Case(
        "cache clear --cache-dir D where D/tokens/v1/ab/measurements.npz is the user's",
        ["cache", "clear", "--cache-dir", npz_d],
        group="more",
        protect=[npz_d],
    )
    save_d = user / "analysis"
    own = [write(save_d / "notes.txt", "my notes\n"), write(save_d / "model.joblib", b"my own pickle, not kcorpus's")]
    yield Case(
        "topics --save D where D holds the user's notes.txt and model.joblib",
        kc("topics", bundled, "--k", "3", "--save", save_d),
        group="more",
        protect=own,
        note="model.joblib is deleted by --save as a 'legacy' kcorpus file whoever wrote it",
    )

    evil_npz = inputs / "evil-npz"
    evil_npz.mkdir()
    (evil_npz / "settings.json").write_text((evil / "settings.json").read_text(encoding="utf-8"), encoding="utf-8")
    np.savez(evil_npz / "model.npz", estimator=np.array([EvilPickle(str(marker))], dtype=object))
    yield Case(
        "topics --load DIR whose model.npz holds a pickled object array",
        kc("topics", bundled, "--load", evil_npz),
        group="stranger's code",
        protect=[evil_npz],
        check=lambda r: (
            [("CODE-EXECUTED", f"unpickling ran code: {marker.name} was created")] if marker.exists() else []
        ),
    )

    deep = inputs / "deep"
    d = deep
    for _ in range(1200):
        d = d / "d"
    os.makedirs(d)
    write(d / "deep.txt", SAMPLE)
    deep_id = "/".join(["d"] * 1200) + "/deep.txt"
    yield Case("folder nested 1200 levels deep", kc("info", deep), group="more", expect_docs=[(deep_id, deep_id)])

    fifo_dir = inputs / "fifo"
    write(fifo_dir / "good.txt", SAMPLE)
    os.mkfifo(fifo_dir / "pipe.txt")
    yield Case(
        "a named pipe (FIFO) inside a folder",
        kc("info", fifo_dir),
        group="more",
        timeout=15,
        expect_docs=[("good.txt", "good.txt"), ("pipe.txt", "pipe.txt")],
    )
    yield Case("a named pipe (FIFO) given as the path", kc("info", fifo_dir / "pipe.txt"), group="more", timeout=15)

    sparse = inputs / "sparse" / "sparse-100gb.txt"
    sparse.parent.mkdir()
    with open(sparse, "wb") as f:
        f.truncate(100 * 1024**3)
    yield Case(
        "a sparse 100 GB .txt (reads as NUL bytes)",
        kc("info", sparse),
        group="more",
        timeout=20,
        expect_docs=[("sparse-100gb.txt", "sparse-100gb.txt")],
    )

    yield Case(
        "stdin given twice: info - -",
        kc("info", "-", "-"),
        group="more",
        stdin=str(small),
        expect_docs=[("stdin", "stdin")],
    )
    yield Case(
        "stdin empty: info -", kc("info", "-"), group="more", stdin="/dev/null", expect_docs=[("stdin", "stdin")]
    )
    yield Case(
        "stdout is a closed pipe (| head): freq",
        kc("freq", bundled),
        group="more",
        stdout="closed-pipe",
        check=expect_exit(0),
    )
    yield Case(
        "stdout is a closed pipe (| head): clean",
        ["clean", bundled],
        group="more",
        stdout="closed-pipe",
        check=expect_exit(0),
    )
    if os.path.exists("/dev/full"):
        yield Case(
            "stdout is /dev/full: clean", ["clean", small], group="disk", stdout="/dev/full", check=expect_exit(1)
        )

    # ---- A14 everything together ---------------------------------------------------------------------------------------------
    mixed = inputs / "mixed"
    shutil.copytree(statute, mixed / "statute")
    for name in ("unclosed.csv", "be.txt", "tail-ff.txt", "tail-cut.txt", "formula.xlsx"):
        shutil.copy(dam / name, mixed / name)
    write(mixed / "empty.txt", b"")
    write(mixed / "nul.bin", b"\x00\x01" * 100)
    write(mixed / "ok.txt", SAMPLE)
    os.symlink("nowhere.txt", mixed / "dangling.txt")
    mixed_docs = [
        (n, n)
        for n in (
            "unclosed.csv",
            "be.txt",
            "tail-ff.txt",
            "tail-cut.txt",
            "formula.xlsx",
            "empty.txt",
            "nul.bin",
            "ok.txt",
            "dangling.txt",
        )
    ]
    mixed_docs += [(f"statute/bill-{k}.txt", f"statute/bill-{k}.txt") for k in DIGIT_SETS]
    yield Case("mixed hostile folder: info", kc("info", mixed), group="mixed", protect=[mixed], expect_docs=mixed_docs)
    yield Case(
        "mixed hostile folder: info --no-clean",
        kc("info", mixed, "--no-clean"),
        group="mixed",
        protect=[mixed],
        expect_docs=mixed_docs,
    )


# --------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the slowest cases")
    parser.add_argument(
        "--only", default=None, help="run only cases whose name contains this text (several: separate them with |)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--mem-limit", type=int, default=3000, help="kill a case above this RSS (MB)")
    parser.add_argument("--as-limit", type=int, default=12000, help="RLIMIT_AS of each case (MB), a backstop")
    args = parser.parse_args()
    sys.setrecursionlimit(20000)  # os.walk / rmtree of the 1200-level folder recurse

    tmp = Path(tempfile.mkdtemp(prefix="kcorpus-probe-"))
    print(
        f"kcorpus robustness probe: {tmp} (python {sys.version.split()[0]}, "
        f"{'root' if IS_ROOT else 'uid ' + str(os.getuid())}, psutil {'yes' if psutil else 'no'})"
    )
    if IS_ROOT:
        print(
            "note: running as root - chmod 000 does not stop reads; the unreadable-folder case drops "
            "CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH with setpriv"
        )
    check = subprocess.run([*KCORPUS, "--version"], capture_output=True, text=True)
    if check.returncode != 0:  # e.g. the source tree is being edited: every case would fail the same way
        print(
            f"kcorpus does not start ({first_lines(check.stderr.strip().splitlines()[-1] if check.stderr else '')}); "
            "is src/ mid-edit? try again later"
        )
        shutil.rmtree(tmp, ignore_errors=True)
        return 2
    probe = Probe(tmp, args)
    started = time.monotonic()
    gen = build_cases(probe, args.quick)
    res = None
    try:
        while True:
            case = gen.send(res)
            res = None
            if args.quick and case.slow:
                continue
            if args.only and not any(part in case.name for part in args.only.split("|")):
                res = Result(case, "", 0, 0.0, 0.0, b"", "", verdicts=[])  # placeholder for dependent cases
                res.seconds = 10.0
                continue
            res = probe.run(case)
    except StopIteration:
        pass
    finally:
        probe.summary()
        print(f"\nprobe run time: {time.monotonic() - started:.0f} s")
        for dirpath, dirnames, _ in os.walk(tmp):  # undo chmod 000 so the folder can be removed
            for d in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, d), 0o755)
                except OSError:
                    pass
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if any(r.verdicts for r in probe.results) else 0


if __name__ == "__main__":
    sys.exit(main())
