"""Benchmark: a warm `kcorpus freq` counted in this process against the same run counted on a local Dask
cluster (`--scheduler local:N`: the workers read the token store and count, the client gets one matrix).

Uses a store made by scripts/make_synthetic_store.py (made here when --out does not exist yet). Runs
are interleaved (plain, cluster, plain, cluster, ...) after one warm-up run, so a change of load on a
shared machine hits both; prints each run's wall and CPU seconds (user + system of the command and its
waited-for children: the cluster's worker processes included), peak RSS of the largest process, the
medians, their ratios, and whether the outputs are identical byte for byte.

    python scripts/make_synthetic_store.py --mb 50 --out /tmp/synth50
    python scripts/bench_dask_counts.py --out /tmp/synth50            # local:2, 3 rounds
    python scripts/bench_dask_counts.py --out /tmp/synth10 --mb 10 --repeat 5
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_average() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run(args: list[str], env: dict, stdout: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (waited-for children included) and peak RSS (MB) of `kcorpus ARGS`."""
    with open(stdout, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "kcorpus", *args], env=env, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    error = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"kcorpus {' '.join(args)} failed:\n{error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="a make_synthetic_store.py folder (made if missing)")
    parser.add_argument("--mb", type=float, default=50, help="size of the store to make when --out is missing")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (plain, cluster)")
    parser.add_argument("--command", default="freq", help="the kcorpus command to time (freq, keywords, compare)")
    args = parser.parse_args()
    if not args.out.exists():
        print(f"making a {args.mb:g} MB synthetic store in {args.out} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(REPO / "scripts" / "make_synthetic_store.py"),
                "--mb",
                str(args.mb),
                "--out",
                args.out,
            ],
            check=True,
        )
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(args.out / "cache"))
    env.pop("KCORPUS_SCHEDULER", None)
    base = [args.command, str(args.out / "docs"), "--format", "csv", "--quiet"]
    kinds = {"plain": base, f"local:{args.workers}": [*base, "--scheduler", f"local:{args.workers}"]}
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in kinds}
    outputs: dict[str, set[str]] = {name: set() for name in kinds}
    print(f"warm-up ({load_average()})", flush=True)
    run(base, env, args.out / "bench-warmup.csv")
    for round_ in range(1, args.repeat + 1):
        for name, command in kinds.items():
            target = args.out / f"bench-{name.replace(':', '')}.csv"
            wall, cpu, rss = run(command, env, target)
            results[name].append((wall, cpu, rss))
            outputs[name].add(digest(target))
            print(
                f"  round {round_} {name:>8}: wall {wall:6.2f} s, CPU {cpu:6.2f} s, peak RSS {rss:6.0f} MB "
                f"({load_average()})",
                flush=True,
            )
    medians = {name: [statistics.median(r[i] for r in rows) for i in range(3)] for name, rows in results.items()}
    plain, cluster = kinds
    print(f"warm {args.command} on {args.out} (medians of {args.repeat}):")
    for name, (wall, cpu, rss) in medians.items():
        print(f"  {name:>8}: wall {wall:6.2f} s, CPU {cpu:6.2f} s, peak RSS {rss:6.0f} MB (largest process)")
    same = len(outputs[plain] | outputs[cluster]) == 1
    print(
        f"  cluster/plain: wall {medians[cluster][0] / medians[plain][0]:.2f}, CPU {medians[cluster][1] / medians[plain][1]:.2f}, "
        f"peak RSS {medians[cluster][2] / medians[plain][2]:.2f}; outputs {'identical' if same else 'DIFFERENT'}"
    )
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
