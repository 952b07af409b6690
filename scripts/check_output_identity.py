"""Byte-identity check: every table command in every format, on a baseline revision's code and on this tree.

    python scripts/check_output_identity.py [--base main] [--jobs 3] [--only freq,info]

The baseline's `src`, `corpus` and `stopwords` are exported with `git archive` into a temporary folder and
run with PYTHONPATH pointing there (this tree's virtualenv, so the same libraries). Each tree gets its own
token cache, filled once first. For each command (on the bundled corpus and on a small fixture with
formula-like, quoted, tabbed and comma text) it runs every format to stdout (csv, tsv, json, jsonl, text,
table), every format to `-o FILE` (the same and xlsx), `--bom` (csv, tsv, text; stdout and -o) and
`--no-escape-formulas` (for the commands in FULL; the others in csv, json, table and xlsx, or all with
--full), and compares exit status, stdout, stderr and the written file byte for byte. Then
it compares what the Python API returns (dtypes, index and every value) for the same calls.

Exit status 0 when everything is identical, 1 otherwise (the differing runs are listed).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))

FIXTURE_TEXT = """=협력 강화를 위한 회의가 열렸다. +협력 방안과 -협력 문제, @협력 계정이 논의되었다.
\t협력 사업은 "따옴표" 안의 협력, 쉼표, 협력; 그리고 줄바꿈 뒤의 협력을 다룬다.
＝협력 전각 기호와  =SUM(A1) 수식 같은 협력 문자열도 있다. 협력 협력 협력.

남북 협력과 국제 협력은 지역 협력의 바탕이다. 경제 협력, 문화 협력, 안보 협력이 이어진다.
"""

# (name, arguments after `kcorpus`; {corpus} and {fixture} are replaced by paths)
COMMANDS: list[tuple[str, list[str]]] = [
    ("freq", ["freq", "{corpus}"]),
    ("freq-top-by-doc", ["freq", "--by", "doc", "--top", "15", "{corpus}"]),
    ("freq-ngram", ["freq", "--ngram", "2", "--min-count", "3", "{corpus}"]),
    ("freq-fixture", ["freq", "--pos", "all", "{fixture}"]),
    ("info", ["info", "{corpus}"]),
    ("info-fixture", ["info", "{fixture}", "{corpus}"]),
    ("keywords", ["keywords", "{corpus}"]),
    ("keywords-under", ["keywords", "--under", "--top", "10", "{corpus}"]),
    ("keywords-tfidf", ["keywords", "--measure", "tfidf", "--top", "10", "{corpus}"]),
    ("keywords-log-odds", ["keywords", "--measure", "log_odds", "--alpha", "1", "--top", "8", "{corpus}"]),
    ("keywords-by-file", ["keywords", "--by", "file", "--top", "5", "{corpus}"]),
    ("keywords-reference", ["keywords", "--reference", "{fixture}", "--top", "10", "{corpus}"]),
    ("keywords-reference-new", ["keywords", "--reference", "{fixture}", "--new-only", "--top", "10", "{corpus}"]),
    ("keywords-none", ["keywords", "--min-count", "100000", "{corpus}"]),
    ("concordance", ["concordance", "협력", "{corpus}"]),
    ("concordance-left", ["concordance", "협력", "--sort", "left", "--limit", "20", "--width", "12", "{corpus}"]),
    ("concordance-by", ["concordance", "안보", "--by", "file", "--tokens", "4", "{corpus}"]),
    ("concordance-sample", ["concordance", "협력", "--sample", "7", "--seed", "3", "--sentence", "{corpus}"]),
    ("concordance-fixture", ["concordance", "협력", "--width", "8", "{fixture}"]),
    ("concordance-surface", ["concordance", "--surface", "=SUM", "{fixture}"]),
    ("concordance-none", ["concordance", "없는말입니다", "{corpus}"]),
    ("collocates", ["collocates", "협력", "{corpus}"]),
    ("collocates-mi", ["collocates", "협력", "--measure", "mi", "--top", "12", "--min-count", "2", "{corpus}"]),
    ("collocates-by", ["collocates", "협력", "--by", "file", "--top", "5", "{corpus}"]),
    ("collocates-fixture", ["collocates", "협력", "--min-count", "1", "--pos", "all", "{fixture}"]),
    ("collocates-none", ["collocates", "협력", "--min-count", "100000", "{corpus}"]),
    ("collocates-by-some", ["collocates", "협력", "--by", "file", "--min-count", "12", "{corpus}"]),
    ("concordance-by-limit0", ["concordance", "협력", "--by", "file", "--limit", "0", "{corpus}"]),
    ("freq-none", ["freq", "--min-count", "100000", "{corpus}"]),
    ("freq-by-none", ["freq", "--by", "doc", "--min-count", "100000", "{corpus}"]),
    ("compare", ["compare", "--top", "20", "{corpus}"]),
    ("compare-wide", ["compare", "--wide", "--top", "10", "{corpus}"]),
    ("topics", ["topics", "{corpus}"]),
    ("topics-k", ["topics", "--show", "k", "{corpus}"]),
    ("topics-terms", ["topics", "--k", "6", "--show", "terms", "{corpus}"]),
    ("topics-docs", ["topics", "--k", "6", "--show", "docs", "{corpus}"]),
    ("topics-units", ["topics", "--k", "6", "--show", "units", "{corpus}"]),
    ("topics-examples", ["topics", "--k", "6", "--show", "examples", "{corpus}"]),
    ("topics-groups", ["topics", "--k", "6", "--show", "groups", "--by", "doc", "{corpus}"]),
    ("topics-sentence-docs", ["topics", "--k", "9", "--unit", "sentence", "--show", "docs", "{corpus}"]),
    ("topics-lda-docs", ["topics", "--k", "5", "--method", "lda", "--show", "docs", "{corpus}"]),
    ("topics-kl-units", ["topics", "--k", "5", "--method", "nmf-kl", "--show", "units", "{corpus}"]),
]

# every format and option for these; the writers are shared, so the others run a few formats that
# show each column's kind (csv: text, json: numbers and null, table: alignment and rounding, xlsx: cells)
FULL = ("freq", "freq-fixture", "info-fixture", "keywords", "keywords-none", "concordance-fixture", "collocates")
# the API comparison reads every value, dtype and index of what these calls return

FEW = (("stdout csv", ["--format", "csv"], None), ("stdout json", ["--format", "json"], None))
FEW_MORE = (("stdout table", ["--format", "table"], None), ("-o .xlsx", ["-o", "out.xlsx"], "out.xlsx"))
STDOUT_FORMATS = ("csv", "tsv", "json", "jsonl", "text", "table")
# the command table: every help text, usage errors and their exit codes
HELP_RUNS = [
    [],
    ["--help"],
    ["--version"],
    ["frq"],
    ["freq", "--bogus"],
    ["cache"],
    ["cache", "info", "--help"],
    *[[name, "--help"] for name in ("tokenize", "info", "clean", "freq", "keywords", "compare", "trends")],
    *[[name, "--help"] for name in ("topics", "concordance", "collocates", "similar", "report", "cache")],
]
FILE_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".txt", ".xlsx")
BOM_FORMATS = ("csv", "tsv", "text")

API_CHECK = r"""
import hashlib, sys, warnings
import numpy as np
import kcorpus as kc

warnings.simplefilter("ignore")
corpus_paths, fixture = sys.argv[1].split("|"), sys.argv[2]
corpus = kc.read_corpus(corpus_paths)
small = kc.read_corpus([fixture])
calls = {
    "freq": lambda: kc.freq(corpus),
    "freq-by-doc": lambda: kc.freq(corpus, by="doc", top=10),
    "freq-empty": lambda: kc.freq(corpus, min_count=10**9),
    "keywords": lambda: kc.keywords(corpus),
    "keywords-under": lambda: kc.keywords(corpus, under=True, top=5),
    "keywords-tfidf": lambda: kc.keywords(corpus, measure="tfidf", top=5),
    "keywords-reference": lambda: kc.keywords(corpus, reference=small, top=5),
    "keywords-reference-none": lambda: kc.keywords(corpus, reference=small, min_count=10**9),
    "keywords-none": lambda: kc.keywords(corpus, min_count=10**9),
    "concordance": lambda: kc.concordance(corpus, "협력"),
    "concordance-by": lambda: kc.concordance(corpus, "협력", by="file", limit=5),
    "concordance-none": lambda: kc.concordance(corpus, "없는말입니다"),
    "collocates": lambda: kc.collocates(corpus, "협력"),
    "collocates-by": lambda: kc.collocates(corpus, "협력", by="file", top=3),
    "collocates-none": lambda: kc.collocates(corpus, "없는말입니다"),
    "collocates-few": lambda: kc.collocates(corpus, "협력", min_count=10**9),
    "collocates-by-some": lambda: kc.collocates(corpus, "협력", by="file", min_count=12),
    "collocates-by-none": lambda: kc.collocates(corpus, "협력", by="file", min_count=10**9),
    "concordance-by-limit0": lambda: kc.concordance(corpus, "협력", by="file", limit=0),
    "concordance-limit0": lambda: kc.concordance(corpus, "협력", limit=0),
    "freq-by-none": lambda: kc.freq(corpus, by="doc", min_count=10**9),
    "freq-by-file": lambda: kc.freq(corpus, by="file", top=3),
    "keywords-by-file": lambda: kc.keywords(corpus, by="file", top=3),
    "keywords-under-none": lambda: kc.keywords(corpus, under=True, min_count=10**9),
    "info-small": lambda: small.info(),
    "info": lambda: corpus.info(),
    "counts-rows": lambda: kc.counts(corpus).rows,
    "counts-meta": lambda: kc.counts(corpus).meta,
    "compare": lambda: kc.compare(corpus, top=5),
}
for name, call in calls.items():
    try:
        frame = call()
    except Exception as error:  # the same error on both sides is identical too
        print(name, "raises", type(error).__name__, error)
        continue
    print(name, type(frame).__name__, frame.shape, list(frame.columns), [str(t) for t in frame.dtypes])
    print(name, "index", repr(frame.index))
    for column in frame.columns:
        values = frame[column].tolist()
        print(name, column, hashlib.sha256(repr([(type(v).__name__, repr(v)) for v in values]).encode()).hexdigest())
"""


def export_base(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src", "corpus", "stopwords"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def run(tree: Path, cache: Path, args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env.update(PYTHONPATH=str(tree), KCORPUS_CACHE_DIR=str(cache), PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-m", "kcorpus", *args], capture_output=True, env=env, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def variants(name: str, args: list[str], full: bool) -> list[tuple[str, list[str], str | None]]:
    """(label, extra arguments, output file name or None)."""
    if not full and name not in FULL:
        return [*FEW, *FEW_MORE]
    out: list[tuple[str, list[str], str | None]] = []
    for fmt in STDOUT_FORMATS:
        out.append((f"stdout {fmt}", ["--format", fmt], None))
    for suffix in FILE_SUFFIXES:
        out.append((f"-o {suffix}", ["-o", f"out{suffix}"], f"out{suffix}"))
    for fmt in BOM_FORMATS:
        out.append((f"stdout {fmt} --bom", ["--format", fmt, "--bom"], None))
        suffix = ".txt" if fmt == "text" else f".{fmt}"
        out.append((f"-o {suffix} --bom", ["-o", f"out{suffix}", "--bom"], f"out{suffix}"))
    out.append(("stdout csv --no-escape-formulas", ["--format", "csv", "--no-escape-formulas"], None))
    out.append(("-o .xlsx --no-escape-formulas", ["-o", "out.xlsx", "--no-escape-formulas"], "out.xlsx"))
    return out


def one(tree: Path, cache: Path, args: list[str], extra: list[str], outfile: str | None, work: Path):
    folder = Path(tempfile.mkdtemp(dir=work))
    code, stdout, stderr = run(tree, cache, [*args, *extra], folder)
    written = (folder / outfile).read_bytes() if outfile and (folder / outfile).exists() else None
    return code, stdout, stderr.replace(str(folder).encode(), b"<dir>"), written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="main", help="baseline revision (default: main)")
    parser.add_argument("--head", default="", help="compare this revision instead of the working tree")
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma list of command names (default: all)")
    parser.add_argument("--no-api", action="store_true", help="skip the Python API comparison")
    parser.add_argument("--full", action="store_true", help="every format and option for every command (slow)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kcorpus-identity-") as temp:
        work = Path(temp)
        (work / "base").mkdir()
        trees = {"base": export_base(options.base, work / "base"), "head": ROOT / "src"}
        if options.head:
            (work / "head").mkdir()
            trees["head"] = export_base(options.head, work / "head")
        fixture_dir = work / "fixture"
        fixture_dir.mkdir()
        fixture = fixture_dir / "formula-fixture.txt"
        fixture.write_text(FIXTURE_TEXT, encoding="utf-8")
        caches = {name: work / f"cache-{name}" for name in trees}
        for name, tree in trees.items():  # fill each cache once (cold)
            run(tree, caches[name], ["freq", *CORPUS, str(fixture)], work)

        selected = [c for c in COMMANDS if not options.only or c[0] in options.only.split(",")]
        jobs = []
        for name, template in selected:
            args: list[str] = []
            for part in template:
                if part == "{corpus}":
                    args.extend(CORPUS)
                elif part == "{fixture}":
                    args.append(str(fixture))
                else:
                    args.append(part)
            for label, extra, outfile in variants(name, args, options.full):
                jobs.append((name, label, args, extra, outfile))
        if not options.only:
            for args in HELP_RUNS:
                jobs.append(("help", " ".join(args) or "(no arguments)", args, [], None))

        started = time.monotonic()
        results: dict[tuple[str, str, str], tuple] = {}
        with concurrent.futures.ThreadPoolExecutor(options.jobs) as pool:
            futures = {
                pool.submit(one, trees[tree], caches[tree], args, extra, outfile, work): (tree, name, label)
                for name, label, args, extra, outfile in jobs
                for tree in trees
            }
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()
        differing = []
        for name, label, *_ in jobs:
            base, head = results[("base", name, label)], results[("head", name, label)]
            if base != head:
                parts = [what for what, b, h in zip(("exit", "stdout", "stderr", "file"), base, head) if b != h]
                differing.append(f"{name} [{label}]: {', '.join(parts)} differ")
        print(f"{len(jobs)} runs per tree ({len(selected)} commands and help), {time.monotonic() - started:.0f} s")

        if not options.no_api:
            outputs = []
            for name, tree in trees.items():
                env = {**os.environ, "PYTHONPATH": str(tree), "KCORPUS_CACHE_DIR": str(caches[name])}
                done = subprocess.run(
                    [sys.executable, "-c", API_CHECK, "|".join(CORPUS), str(fixture)],
                    capture_output=True,
                    env=env,
                    text=True,
                )
                outputs.append(done.stdout + (done.stderr if done.returncode else ""))
            base_lines, head_lines = outputs[0].splitlines(), outputs[1].splitlines()
            api_diffs = [f"api: base {b!r} / head {h!r}" for b, h in zip(base_lines, head_lines) if b != h]
            if len(base_lines) != len(head_lines):
                api_diffs.append(f"api: {len(base_lines)} lines on base, {len(head_lines)} on head")
            print(f"API: {len(base_lines)} lines compared")
            differing.extend(api_diffs)

    if differing:
        print(f"DIFFERENT ({len(differing)}):")
        for line in differing:
            print("  " + line)
        return 1
    print("identical: every command, format and API call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
