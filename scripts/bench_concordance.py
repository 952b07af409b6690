"""Benchmark: warm-cache `kcorpus concordance` as a real CLI in a subprocess, on the bundled corpus and on
a larger corpus made of copies of the bundled reports. Prints the measured wall times.

    python scripts/bench_concordance.py                  # bundled corpus + a ~10 MB corpus
    python scripts/bench_concordance.py --big-mb 2       # a smaller big corpus
    python scripts/bench_concordance.py --big-mb 0       # bundled corpus only

Targets (issue 6): bundled corpus <= 1.0 s, ~10 MB corpus <= 3 s, both after a warm-up run.
For scale it also times `kcorpus info` (the same corpus loading, no search) and the search alone
in-process, so the share of interpreter start-up and imports is visible.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tokenize import make_big_corpus  # noqa: E402  (copies with a unique first line each)

REPO = Path(__file__).resolve().parents[1]
KCORPUS = [sys.executable, "-m", "kcorpus"]

SEARCH_ONLY = """
import sys, time
from kcorpus.pipeline.corpus import CorpusOptions, load_corpus
from kcorpus.analyses.concordance import concordance, find_hits
paths = tuple(sys.argv[2:])
start = time.perf_counter()
documents = load_corpus(CorpusOptions(paths=paths)).documents
loaded = time.perf_counter()
hits = find_hits(documents, sys.argv[1])
found = time.perf_counter()
lines = concordance(documents, sys.argv[1], hits=hits)
done = time.perf_counter()
print(f"{len(documents)} docs, {sum(len(d.tokens) for d in documents)} tokens, {len(hits)} hits; "
      f"load {loaded - start:.3f} s, search {found - loaded:.3f} s, lines {done - found:.3f} s")
"""


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], env: dict) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one CLI run (stdout discarded)."""
    cpu = child_cpu()
    start = time.perf_counter()
    done = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, child_cpu() - cpu


def timed(label: str, args: list[str], env: dict, repeat: int) -> float:
    run(args, env)  # warm-up: fills the cache and the OS file cache
    runs = [run(args, env) for _ in range(repeat)]
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    median = statistics.median(walls)
    print(
        f"  {label:<44} wall median {median:6.3f} s, best {min(walls):6.3f} s; "
        f"cpu median {statistics.median(cpus):6.3f} s  ({repeat} runs)"
    )
    return median


def bench(name: str, paths: list[str], query: str, env: dict, repeat: int) -> None:
    print(f"{name}:")
    timed(
        f"kcorpus concordance {query} -f csv", KCORPUS + ["concordance", query, *paths, "-f", "csv", "-q"], env, repeat
    )
    timed(
        f"kcorpus concordance {query} --sort left",
        KCORPUS + ["concordance", query, *paths, "-f", "csv", "-q", "--sort", "left"],
        env,
        repeat,
    )
    timed(
        "kcorpus concordance '인간 안보' (phrase)",
        KCORPUS + ["concordance", "인간 안보", *paths, "-f", "csv", "-q"],
        env,
        repeat,
    )
    timed("kcorpus info (same loading, no search)", KCORPUS + ["info", *paths, "-f", "csv", "-q"], env, repeat)
    timed(
        "python -c 'import kcorpus.cli, pandas' (floor)",
        [sys.executable, "-c", "import kcorpus.cli, pandas, typer._adapters"],
        env,
        repeat,
    )
    out = subprocess.run([sys.executable, "-c", SEARCH_ONLY, query, *paths], env=env, capture_output=True, text=True)
    print(f"  in-process: {out.stdout.strip() or out.stderr.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-mb", type=float, default=10.0, help="size of the big corpus in MB (0: skip it)")
    parser.add_argument("--query", default="협력")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kcorpus-bench-concordance",
        help="where the big corpus and the token cache live (kept, so re-runs are warm)",
    )
    options = parser.parse_args()
    options.work_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(options.work_dir / "cache"), NO_COLOR="1")
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    bench("bundled corpus (3 reports, 106k chars)", [], options.query, env, options.repeat)
    if options.big_mb > 0:
        folder = options.work_dir / f"big-{options.big_mb:g}mb"
        if not folder.is_dir():
            make_big_corpus(folder, options.big_mb)
        files = sorted(folder.glob("*.txt"))
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"tokenising {len(files)} files ({size:.1f} MB) if not cached yet...")
        start = time.perf_counter()
        subprocess.run(
            KCORPUS + ["info", str(folder), "-q", "-f", "csv"], env=env, stdout=subprocess.DEVNULL, check=True
        )
        print(f"  first run (cold or warm cache): {time.perf_counter() - start:.1f} s")
        bench(f"big corpus ({len(files)} files, {size:.1f} MB)", [str(folder)], options.query, env, options.repeat)


if __name__ == "__main__":
    main()
