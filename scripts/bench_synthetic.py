"""Benchmark: warm commands on a synthetic store (scripts/make_synthetic_store.py), e.g. 1 GB.

Runs each command as `python -m kcorpus ... DOCS` with the store as cache, and prints wall seconds, CPU
seconds (user + system of that process alone) and its peak RSS, and the store's bytes on disk per input
byte (shards, term indexes, bags), beside the targets of issue 15
(warm freq and keywords <= 60 s and <= 3 GB; concordance of a mid-frequency term <= 2 s; topics
<= 10 min). The concordance term is picked from the store's word list: the type at rank --rank.

    python scripts/make_synthetic_store.py --mb 1000 --out /work/synth1g
    python scripts/bench_synthetic.py /work/synth1g
    python scripts/bench_synthetic.py /work/synth1g --commands freq,concordance --rounds 3
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"freq": (60, 3.0), "keywords": (60, 3.0), "concordance": (2, None), "topics": (600, None)}


def run(args: list[str], env: dict, out: Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS GB, exit code) of one command."""
    began = time.perf_counter()
    with open(out, "wb") as sink:
        process = subprocess.Popen(args, env=env, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024 / 1024, os.waitstatus_to_exitcode(status)


def store_sizes(store: Path) -> str:
    """Bytes on disk per byte of input of the store's shards, term indexes and bags, and all together."""
    source = sum(p.stat().st_size for p in (store / "docs").rglob("*") if p.is_file())
    kinds = {".kcs": 0, ".terms": 0, ".bags": 0}
    for path in (store / "cache").rglob("*.kcs*"):
        if not path.name.startswith(".tmp-") and path.suffix in kinds:
            kinds[path.suffix] += path.stat().st_size
    parts = ", ".join(f"{kind.lstrip('.')} {size / source:.3f}" for kind, size in kinds.items())
    return f"store: {sum(kinds.values()) / source:.3f} bytes on disk per input byte ({parts}); target <= 2"


def mid_frequency_term(store: Path, rank: int) -> str:
    """A term of about the given frequency rank, from a word list written by a first freq run."""
    listing = store / "bench_freq.csv"
    with open(listing, encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return rows[min(rank, len(rows) - 1)]["term"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="the folder make_synthetic_store.py wrote (docs/, cache/)")
    parser.add_argument("--commands", default="freq,keywords,concordance,topics")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each command (medians printed)")
    parser.add_argument("--rank", type=int, default=2000, help="frequency rank of the concordance term")
    args = parser.parse_args()
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(args.store / "cache"))
    docs = str(args.store / "docs")
    base = [sys.executable, "-m", "kcorpus"]
    listing = args.store / "bench_freq.csv"
    if not listing.exists():
        print("first freq run (also writes the word list the concordance term comes from)...", flush=True)
        print("  %.1f s wall, %.1f s CPU, %.2f GB" % run([*base, "freq", docs, "-f", "csv"], env, listing)[:3])
    print(store_sizes(args.store))
    term = mid_frequency_term(args.store, args.rank)
    commands = {
        "freq": ["freq", docs],
        "keywords": ["keywords", docs],
        "concordance": ["concordance", term, docs],
        "topics": ["topics", docs, "--k", "20"],
    }
    print(f"{'command':<12} {'wall s':>8} {'CPU s':>8} {'peak GB':>8}   target")
    for name in args.commands.split(","):
        results = [run([*base, *commands[name], "-f", "csv"], env, Path(os.devnull)) for _ in range(args.rounds)]
        wall, cpu, rss = (statistics.median(r[i] for r in results) for i in range(3))
        limit, memory = TARGETS[name]
        failed = [r[3] for r in results if r[3] != 0]
        target = f"<= {limit} s" + (f", <= {memory} GB" if memory else "")
        label = f"{name} {term}" if name == "concordance" else name
        print(f"{label:<12} {wall:8.1f} {cpu:8.1f} {rss:8.2f}   {target}" + (f"  EXIT {failed}" if failed else ""))


if __name__ == "__main__":
    main()
