"""Benchmark: a cold `kcorpus freq` run in this process (Kiwi threads) against the same run on a local
Dask cluster (`--scheduler local:N`), on corpora built like scripts/bench_scale.py builds them.

Prints both wall times (the cluster's include starting it and loading Kiwi in every worker) and checks
that the outputs are identical byte for byte: the `freq` CSV of the cold runs, and the `tokenize`
CSV read back from each run's cache.

    python scripts/bench_dask.py                        # 10 MB, local:2
    python scripts/bench_dask.py --sizes 1,10 --workers 2
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from bench_scale import load_average, make_corpus, paragraph_pool, run_cli


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()[:16]


def compare(label: str, corpus: Path, workers: int, workdir: Path) -> None:
    runs = {"local": [], f"local:{workers}": ["--scheduler", f"local:{workers}"]}
    seconds, rss, outputs = {}, {}, {}
    for name, extra in runs.items():
        tag = name.replace(":", "")
        env = dict(os.environ, KCORPUS_CACHE_DIR=str(workdir / f"cache-{label}-{tag}"))
        env.pop("KCORPUS_SCHEDULER", None)
        print(f"[{label}] cold kcorpus freq, {name} ...  ({load_average()})", flush=True)
        seconds[name], rss[name] = run_cli(
            ["freq", str(corpus), "--format", "csv", "--quiet", *extra], env, workdir / f"{label}-{tag}-freq.csv"
        )
        run_cli(["tokenize", str(corpus), "--format", "csv", "--quiet"], env, workdir / f"{label}-{tag}-tokens.csv")
        outputs[name] = (digest(workdir / f"{label}-{tag}-freq.csv"), digest(workdir / f"{label}-{tag}-tokens.csv"))
    local, cluster = runs
    same = outputs[local] == outputs[cluster]
    print(f"[{label}] ({load_average()})")
    for name in runs:
        print(
            f"  {name:>9}: cold freq {seconds[name]:7.2f} s, peak RSS {rss[name]:5.0f} MB (largest process), "
            f"freq sha {outputs[name][0]}, tokens sha {outputs[name][1]}"
        )
    print(
        f"  cluster/local wall time {seconds[cluster] / seconds[local]:.3f}; outputs "
        f"{'identical' if same else 'DIFFERENT'}"
    )
    if not same:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10", help="corpus sizes in MB, comma separated")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster")
    parser.add_argument("--workdir", type=Path, help="keep corpora, caches and outputs here (default: a temp dir)")
    args = parser.parse_args()
    pool = paragraph_pool()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in (float(s) for s in args.sizes.split(",") if s.strip()):
            label = f"{size:g}MB"
            compare(label, make_corpus(workdir / f"corpus-{label}", size, pool), args.workers, workdir)


if __name__ == "__main__":
    main()
