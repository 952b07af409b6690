"""Benchmark: where the time goes as a corpus grows (1, 10, 50 MB by default).

For each size it builds a corpus of ~100 KB files made of paragraphs sampled (fixed seed) from the
bundled reports, then measures in this one run, on this machine:

- raw Kiwi: the same cleaned pieces kcorpus sends to Kiwi, `Kiwi.tokenize(iter(pieces))` with
  num_workers = --jobs, model load excluded (as scripts/bench_tokenize.py does);
- cold `kcorpus freq` (real CLI, subprocess, fresh cache dir) and warm `kcorpus freq` (same cache);
- the phases of the warm path in one process: reading + cache loads, counting, the word list;

and prints throughput relative to raw Kiwi, warm/cold ratios, and the peak RSS of each run
(os.wait4 of the subprocess). Targets: cold >= 0.85 x raw on 10 and 50 MB, peak RSS <= 2 GB on
50 MB, warm <= 10% of cold on 50 MB. The load average is printed with each measurement: other work
on the machine skews them.

    python scripts/bench_scale.py                     # 1, 10 and 50 MB
    python scripts/bench_scale.py --sizes 1,10        # a quicker run
    python scripts/bench_scale.py --scheduler local:2 # the cold and warm runs on a local Dask cluster
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
FILE_BYTES = 100_000
SEED = 7


def load_average() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def paragraph_pool() -> list[str]:
    """The cleaned paragraphs of the bundled reports (the shortest, page furniture, left out)."""
    sys.path.insert(0, str(REPO / "src"))
    from kcorpus.clean import clean_text

    pool = []
    for path in sorted(CORPUS.glob("*.txt")):
        pool += [p for p in clean_text(path.read_text(encoding="utf-8")).paragraph_texts() if len(p) >= 20]
    return pool


def make_corpus(folder: Path, megabytes: float, pool: list[str], seed: int = SEED) -> Path:
    """Files of ~FILE_BYTES, each a different random sample of paragraphs, until `megabytes` are written.
    Paragraphs are separated by two blank lines so that cleaning keeps them apart."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written, number = 0, 0
    while written < megabytes * 1_000_000:
        parts, size = [], 0
        while size < FILE_BYTES:
            paragraph = rng.choice(pool)
            parts.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 3
        body = "\n\n\n".join(parts) + "\n"
        (folder / f"doc{number:05d}.txt").write_text(body, encoding="utf-8")
        written += len(body.encode("utf-8"))
        number += 1
    return folder


def in_child(code: str) -> dict:
    """Run code in a fresh interpreter that sets RESULT (a dict); adds its peak RSS in MB."""
    wrapper = (
        code + "\nimport resource; RESULT['peak_rss_mb'] = "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\nprint(repr(RESULT))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])


RAW = """
import time
from kcorpus.nlp.analyzer import Analyzer, piece_spans
from kcorpus.pipeline.corpus import clean_document
from kcorpus.io.sources import Document, read_sources
docs = [d for d in read_sources([{path!r}]) if isinstance(d, Document)]
start = time.perf_counter()
pieces = []
for d in docs:
    c = clean_document(d, True)
    pieces += [c.text[s:e] for s, e, _ in piece_spans(c.text, c.paragraphs)]
clean_seconds = time.perf_counter() - start
start = time.perf_counter()
kiwi = Analyzer(jobs={jobs}).kiwi
load_seconds = time.perf_counter() - start
import resource
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
start, cpu_start = time.perf_counter(), cpu()
tokens = sum(len(t) for t in kiwi.tokenize(iter(pieces)))
RESULT = dict(seconds=time.perf_counter() - start, cpu_seconds=cpu() - cpu_start, load_seconds=load_seconds,
              clean_seconds=clean_seconds, chars=sum(map(len, pieces)), docs=len(docs), tokens=tokens)
"""

PHASES = """
import time
from pathlib import Path
from kcorpus.nlp.terms import TermFilter
from kcorpus.pipeline.corpus import CorpusOptions, load_corpus
from kcorpus.analyses.counts import count_matrix
from kcorpus.nlp.units import UnitSpec
from kcorpus.analyses.freq import word_list
start = time.perf_counter()
corpus = load_corpus(CorpusOptions(paths=({path!r},), cache_dir=Path({cache!r})))
loaded = time.perf_counter()
counts = count_matrix(corpus, TermFilter.from_options("nouns"), UnitSpec("document", 0, 0))
counted = time.perf_counter()
table = word_list(counts)
listed = time.perf_counter()
RESULT = dict(load_seconds=loaded - start, count_seconds=counted - loaded, list_seconds=listed - counted,
              from_cache=sum(d.from_cache for d in corpus), docs=len(corpus))
"""


def run_cli(args: list[str], env: dict, stdout: Path, cpu: list | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, of the largest process in its tree) of `kcorpus ARGS` in a subprocess,
    stdout to a file; its CPU seconds (user + system, waited-for children included) are appended to `cpu`."""
    with open(stdout, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "kcorpus", *args], env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    error = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode:
        raise SystemExit(f"kcorpus {' '.join(args)} failed ({proc.returncode}):\n{error}")
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    return seconds, usage.ru_maxrss / 1024


def measure(label: str, path: Path, args: argparse.Namespace, workdir: Path) -> dict:
    env = dict(os.environ)
    env.pop("KCORPUS_SCHEDULER", None)
    command = [args.command, str(path), "--format", "csv", "--quiet", "--jobs", str(args.jobs)]
    if args.scheduler:
        command += ["--scheduler", args.scheduler]
    raws, colds = [], []
    for attempt in range(args.repeat):  # alternate raw and cold so that a change of load hits both
        print(f"[{label}] raw Kiwi baseline ...  ({load_average()})", flush=True)
        raws.append(in_child(RAW.format(path=str(path), jobs=args.jobs)))
        print(f"[{label}] cold kcorpus {args.command} ...  ({load_average()})", flush=True)
        cache = workdir / f"cache-{label}-{attempt}"
        cpu: list[float] = []
        seconds, rss = run_cli(command, dict(env, KCORPUS_CACHE_DIR=str(cache)), workdir / f"{label}-cold.csv", cpu)
        colds.append(dict(seconds=seconds, rss=rss, cpu=cpu[0], cache=cache))
    raw = min(raws, key=lambda r: r["seconds"])
    cold = min(colds, key=lambda c: c["seconds"])
    env["KCORPUS_CACHE_DIR"] = str(cold["cache"])
    print(f"[{label}] warm kcorpus {args.command} ...  ({load_average()})", flush=True)
    warm = [run_cli(command, env, workdir / f"{label}-warm.csv") for _ in range(args.warm_runs)]
    warm_seconds, warm_rss = min(s for s, _ in warm), max(r for _, r in warm)
    phases = in_child(PHASES.format(path=str(path), cache=str(cold["cache"])))
    same = (workdir / f"{label}-cold.csv").read_bytes() == (workdir / f"{label}-warm.csv").read_bytes()
    raw_rate = raw["chars"] / raw["seconds"]
    cold_rate = raw["chars"] / cold["seconds"]
    fixed = max(warm_seconds - phases["load_seconds"], 0.0)  # startup, imports, counting, output
    path_seconds = cold["seconds"] - raw["load_seconds"] - fixed
    print(
        f"[{label}] {raw['docs']} docs, {raw['chars']:,} chars after cleaning, {raw['tokens']:,} tokens, "
        f"{args.jobs} jobs, best of {args.repeat}  ({load_average()})"
    )
    print(
        f"  raw Kiwi batch        {raw['seconds']:8.2f} s  {raw_rate:10,.0f} chars/s   "
        f"(model load {raw['load_seconds']:.2f} s, cleaning {raw['clean_seconds']:.2f} s, "
        f"CPU {raw['cpu_seconds']:.1f} s, peak RSS {raw['peak_rss_mb']:.0f} MB)"
    )
    print(
        f"  cold kcorpus {args.command:8} {cold['seconds']:8.2f} s  {cold_rate:10,.0f} chars/s   "
        f"ratio to raw {cold_rate / raw_rate:.3f}  (CPU {cold['cpu']:.1f} s, peak RSS {cold['rss']:.0f} MB)"
    )
    print(
        f"    where the cold time goes: model load {raw['load_seconds']:.2f} s; startup, reading, counting and "
        f"output {fixed:.2f} s (the warm run without its cache loads); cleaning + Kiwi + token tables + cache "
        f"writes {path_seconds:.2f} s = {raw['seconds'] / path_seconds:.3f} of raw Kiwi throughput"
    )
    print(
        f"  warm kcorpus {args.command:8} {warm_seconds:8.2f} s  (best of {args.warm_runs})   "
        f"warm/cold {warm_seconds / cold['seconds']:.3f}  peak RSS {warm_rss:.0f} MB  "
        f"output {'identical' if same else 'DIFFERENT'} to cold"
    )
    print(
        f"    warm phases in one process: read + cache loads {phases['load_seconds']:.2f} s, "
        f"counting {phases['count_seconds']:.2f} s ({phases['count_seconds'] / cold['seconds']:.1%} of cold), "
        f"word list {phases['list_seconds']:.2f} s, peak RSS {phases['peak_rss_mb']:.0f} MB"
    )
    return dict(
        label=label,
        ratio=cold_rate / raw_rate,
        path_ratio=raw["seconds"] / path_seconds,
        warm_ratio=warm_seconds / cold["seconds"],
        rss=cold["rss"],
        count_share=phases["count_seconds"] / cold["seconds"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,50", help="corpus sizes in MB, comma separated")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="Kiwi threads")
    parser.add_argument("--command", default="freq", help="the kcorpus command to time (freq, or info)")
    parser.add_argument("--warm-runs", type=int, default=2, help="warm runs per size (the best is kept)")
    parser.add_argument("--repeat", type=int, default=1, help="raw and cold runs per size, alternated (best kept)")
    parser.add_argument("--scheduler", help="run the cold and warm commands with --scheduler (e.g. local:2)")
    parser.add_argument("--workdir", type=Path, help="keep corpora, caches and outputs here (default: a temp dir)")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    pool = paragraph_pool()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = []
        for size in sizes:
            label = f"{size:g}MB"
            folder = make_corpus(workdir / f"corpus-{label}", size, pool)
            results.append(measure(label, folder, args, workdir))
        print(
            f"\nsummary ({load_average()}): size, cold/raw throughput (target >= 0.85), tokenising path/raw, "
            "warm/cold (target <= 0.10), cold peak RSS (target <= 2048 MB), counting share of cold"
        )
        for r in results:
            print(
                f"  {r['label']:>7}  {r['ratio']:.3f}  {r['path_ratio']:.3f}  {r['warm_ratio']:.3f}  "
                f"{r['rss']:6.0f} MB  {r['count_share']:.1%}"
            )


if __name__ == "__main__":
    main()
