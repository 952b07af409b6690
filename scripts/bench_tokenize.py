"""Benchmark: kcorpus's cold tokenisation path against raw Kiwi on the same text pieces, warm-cache
`kcorpus info`, `kcorpus --help`, and peak memory on a ~10 MB corpus. Prints ratios measured in one run.

    python scripts/bench_tokenize.py                 # bundled corpus + a ~10 MB corpus
    python scripts/bench_tokenize.py --big-mb 2      # a smaller big corpus
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


def make_big_corpus(folder: Path, megabytes: float) -> Path:
    """Copies of the bundled reports, each with a unique first line so each is its own cache entry."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    size, copy = 0, 0
    while size < megabytes * 1_000_000:
        for index, text in enumerate(texts):
            body = f"사본 {copy}번 문서\n\n" + text
            (folder / f"copy{copy:04d}-{index}.txt").write_text(body, encoding="utf-8")
            size += len(body.encode("utf-8"))
        copy += 1
    return folder


def measure_in_child(code: str) -> dict:
    """Run code in a fresh interpreter that prints a dict literal; adds its peak RSS in MB."""
    wrapper = (
        code
        + "\nimport resource; RESULT['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\nprint(repr(RESULT))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])


RAW = """
import time
from kcorpus.pipeline.corpus import CorpusOptions, clean_document
from kcorpus.io.sources import read_sources, Document
from kcorpus.nlp.analyzer import Analyzer, piece_spans
docs = [d for d in read_sources([{path!r}]) if isinstance(d, Document)]
pieces = []
for d in docs:
    c = clean_document(d, True)
    pieces += [c.text[s:e] for s, e, _ in piece_spans(c.text, c.paragraphs)]
chars = sum(len(p) for p in pieces)
kiwi = Analyzer(jobs={jobs}).kiwi
start = time.perf_counter()
n = sum(len(tokens) for tokens in kiwi.tokenize(iter(pieces)))
RESULT = dict(seconds=time.perf_counter() - start, chars=chars, tokens=n)
"""

KCORPUS_COLD = """
import time
from pathlib import Path
from kcorpus.pipeline.corpus import CorpusOptions, load_corpus
from kcorpus.nlp.analyzer import Analyzer
Analyzer(jobs={jobs}).kiwi  # model load is excluded, as for raw Kiwi
start = time.perf_counter()
corpus = load_corpus(CorpusOptions(paths=({path!r},), cache_dir=Path({cache!r}), jobs={jobs}))
RESULT = dict(seconds=time.perf_counter() - start, docs=len(corpus), tokens=sum(len(d.tokens) for d in corpus))
"""


def cli_seconds(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kcorpus", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def compare(label: str, path: str, jobs: int, workdir: Path) -> None:
    cache = workdir / f"cache-{label}"
    raw = measure_in_child(RAW.format(path=path, jobs=jobs))
    cold = measure_in_child(KCORPUS_COLD.format(path=path, cache=str(cache), jobs=jobs))
    raw_rate = raw["chars"] / raw["seconds"]
    cold_rate = raw["chars"] / cold["seconds"]
    print(f"[{label}] {raw['chars']:,} chars, {cold['docs']} docs, {cold['tokens']:,} tokens, {jobs} jobs")
    print(
        f"  raw Kiwi batch      {raw['seconds']:7.2f} s  {raw_rate:10,.0f} chars/s  peak RSS {raw['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  kcorpus cold path   {cold['seconds']:7.2f} s  {cold_rate:10,.0f} chars/s  peak RSS {cold['peak_rss_mb']:.0f} MB"
    )
    print(f"  throughput ratio kcorpus/raw = {cold_rate / raw_rate:.3f}  (target >= 0.85)")
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(cache))
    warm = min(cli_seconds(["info", path, "--format", "csv"], env) for _ in range(3))
    print(f"  warm `kcorpus info` wall time (best of 3) = {warm:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-mb", type=float, default=10.0, help="size of the repeated corpus (0 to skip)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        compare("bundled", str(CORPUS / "*.txt"), args.jobs, workdir)
        help_time = min(cli_seconds(["--help"], dict(os.environ)) for _ in range(5))
        print(f"`kcorpus --help` wall time (best of 5) = {help_time:.2f} s  (target <= 0.3)")
        if args.big_mb > 0:
            big = make_big_corpus(workdir / "big", args.big_mb)
            compare(f"{args.big_mb:g}MB", str(big), args.jobs, workdir)


if __name__ == "__main__":
    main()
