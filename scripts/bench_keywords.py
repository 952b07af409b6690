"""Benchmark `kcorpus keywords` and the memory of count matrices; prints measured numbers.

1. Wall time of the real CLI (`kcorpus keywords` on the bundled corpus) in a subprocess with a warm
   token cache: one cold run fills the cache, one warm-up run, then --runs timed runs.
2. A large corpus: --copies copies of the bundled reports (a unique first line per copy, so every
   copy has its own cache key), tokenised once (cold, timed), then a fresh subprocess loads the warm
   cache and builds the document-term count matrix; it reports its peak RSS (resource.getrusage) and
   whether Kiwi was loaded. Finally `kcorpus keywords` on the large corpus, warm, is timed too.

Usage: python scripts/bench_keywords.py [--copies 43] [--runs 5] [--skip-large] [--workdir DIR]
Everything happens in a temporary token cache; the user's cache is never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
_SCRIPT = Path(sys.executable).parent / "kcorpus"
KCORPUS = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kcorpus"]  # the installed CLI

MEMORY_PROBE = r"""
import json, resource, sys, time
start = time.perf_counter()
from kcorpus.nlp.terms import TermFilter
from kcorpus.pipeline.corpus import CorpusOptions, load_corpus
from kcorpus.analyses.counts import count_matrix
from kcorpus.nlp.units import UnitSpec
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
corpus = load_corpus(CorpusOptions(paths=(sys.argv[1],)))
loaded = time.perf_counter()
counts = count_matrix(corpus, TermFilter.from_options("nouns"), UnitSpec("document", 0, 0))
built = time.perf_counter()
print(json.dumps({
    "documents": len(corpus), "from_cache": sum(d.from_cache for d in corpus),
    "kiwi_loaded": corpus.kiwi_loaded or "kiwipiepy" in sys.modules,
    "shape": list(counts.matrix.shape), "terms_counted": int(counts.matrix.sum()),
    "baseline_rss_mb": baseline / 1024, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "load_s": loaded - start, "count_s": built - loaded,
}))
"""


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command, fail loudly if it fails; returns (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def time_keywords(paths: list[str], env: dict[str, str], runs: int, label: str) -> None:
    command = [*KCORPUS, "keywords", *paths, "--format", "csv", "--quiet"]
    first, _ = run(command, env)
    run(command, env)  # warm-up
    wall, cpu = zip(*(run(command, env) for _ in range(runs)))
    print(
        f"{label}: first run {first:.2f} s; warm cache, {runs} runs: wall min {min(wall):.3f} s, "
        f"median {statistics.median(wall):.3f} s, max {max(wall):.3f} s; CPU (user+sys) median "
        f"{statistics.median(cpu):.3f} s; load average now {os.getloadavg()[0]:.1f}"
    )


def make_large_corpus(folder: Path, copies: int) -> int:
    """Copies of the bundled reports, each with a unique first line; returns the size in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    size = 0
    for copy in range(copies):
        for report in sorted(CORPUS.glob("*.txt")):
            text = f"사본 {copy + 1}번 ({report.stem})\n" + report.read_text(encoding="utf-8")
            target = folder / f"{copy:04d}-{report.name}"
            target.write_text(text, encoding="utf-8")
            size += target.stat().st_size
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=43, help="copies of the 3 bundled reports (43 = ~10 MB)")
    parser.add_argument("--runs", type=int, default=5, help="timed warm runs of the CLI")
    parser.add_argument("--skip-large", action="store_true", help="only time the bundled corpus")
    parser.add_argument("--workdir", type=Path, help="keep the large corpus and its cache here (re-runs are warm)")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kcorpus-bench-"))
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(workdir / "cache"), NO_COLOR="1")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, cache {workdir / 'cache'}")
    try:
        time_keywords([], env, args.runs, "keywords, bundled corpus")
        if args.skip_large:
            return
        large = workdir / f"large-{args.copies}"
        size = make_large_corpus(large, args.copies)
        files = len(list(large.glob("*.txt")))
        print(f"large corpus: {files} files, {size / 1e6:.1f} MB ({args.copies} copies of the bundled reports)")
        cold, _ = run([*KCORPUS, "info", str(large), "--format", "csv", "--quiet"], env)
        print(f"tokenise large corpus (kcorpus info, cold unless --workdir was warm): {cold:.1f} s")
        probe = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(large)], env=env, capture_output=True, text=True
        )
        if probe.returncode != 0:
            sys.exit(probe.stderr)
        stats = json.loads(probe.stdout)
        print(
            f"count matrix of the large corpus (warm cache, fresh process): shape {stats['shape']}, "
            f"{stats['terms_counted']} terms counted, {stats['from_cache']}/{stats['documents']} from cache, "
            f"Kiwi loaded: {stats['kiwi_loaded']}"
        )
        print(
            f"  load {stats['load_s']:.2f} s, count {stats['count_s']:.2f} s; RSS after imports "
            f"{stats['baseline_rss_mb']:.0f} MB, peak RSS {stats['peak_rss_mb']:.0f} MB"
        )
        time_keywords([str(large)], env, max(1, args.runs // 2), "keywords, large corpus")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
