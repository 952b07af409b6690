"""Benchmark: cold `kcorpus freq` of a baseline revision and of this tree against raw Kiwi, interleaved.

Each round runs, one after another on the same corpus (built as scripts/bench_scale.py builds it): raw
Kiwi over the cleaned pieces (bench_scale's baseline, model load excluded), a cold `kcorpus freq` of the
baseline's code (exported with `git archive`, run with this tree's virtualenv) and a cold `kcorpus freq`
of this tree, each with a fresh token cache. It prints wall and CPU seconds of every run, then for each
tree its best cold run as a share of raw Kiwi's throughput (by CPU and by wall), whether the two trees'
outputs are byte-identical and whether their token stores hold the same documents (decoded: the same
cleaned text, tokens, bags and term index). The machine may be shared: compare the trees by CPU seconds.

    python scripts/bench_cold.py --base main                 # 5 MB, two rounds
    python scripts/bench_cold.py --base 1328b1d --mb 50 --rounds 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bench_scale  # noqa: E402
from check_output_identity import export_base  # noqa: E402


def store_content(root: Path) -> dict[str, tuple]:
    """Every entry of a token store, decoded: key -> (cleaned text dict, strings, token columns, bag, terms)."""
    from kcorpus.nlp.tokens import ARRAY_FIELDS
    from kcorpus.pipeline import bags, store, term_index

    found: dict[str, tuple] = {}
    for shard in sorted((root / "tokens" / "v2").glob("*" + store.SHARD_SUFFIX)):
        index, shard_bags = store.read_index(shard), bags.read_bags(shard)
        terms = term_index.read_terms(shard).terms_of()
        with open(shard, "rb") as file:
            for key, where in index.items():
                cleaned, tokens = store.decode_entry(key, store.read_blob(file, where))
                bag = shard_bags.bag(key)
                pairs = [(shard_bags.strings[t], shard_bags.strings[g]) for t, g in zip(bag.text, bag.tag)]
                columns = [getattr(tokens, name).tolist() for name in ARRAY_FIELDS]
                found[key] = (cleaned, tokens.strings, columns, pairs, bag.count.tolist(), sorted(terms[key]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="main", help="baseline revision (default: main)")
    parser.add_argument("--mb", type=float, default=5, help="corpus size in MB (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of raw, base, head (default 2)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="Kiwi threads")
    parser.add_argument("--workdir", type=Path, help="keep corpus, caches and outputs here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        trees = {"base": export_base(args.base, Path(tempfile.mkdtemp(dir=work))), "head": bench_scale.REPO / "src"}
        corpus = bench_scale.make_corpus(work / f"corpus-{args.mb:g}MB", args.mb, bench_scale.paragraph_pool())
        env = {k: v for k, v in os.environ.items() if k != "KCORPUS_SCHEDULER"}
        command = ["freq", str(corpus), "--format", "csv", "--quiet", "--jobs", str(args.jobs)]
        runs: dict[str, list[tuple[float, float]]] = {"raw": [], "base": [], "head": []}
        for round_ in range(args.rounds):
            raw = bench_scale.in_child(bench_scale.RAW.format(path=str(corpus), jobs=args.jobs))
            runs["raw"].append((raw["seconds"], raw["cpu_seconds"]))
            print(
                f"round {round_} raw Kiwi  {raw['seconds']:8.2f} s  CPU {raw['cpu_seconds']:8.2f} s  "
                f"({raw['chars']:,} chars, {raw['tokens']:,} tokens; {bench_scale.load_average()})",
                flush=True,
            )
            for name, src in trees.items():
                cache = work / f"cache-{name}"
                shutil.rmtree(cache, ignore_errors=True)
                cpu: list[float] = []
                tree_env = dict(env, PYTHONPATH=str(src), KCORPUS_CACHE_DIR=str(cache))
                seconds, rss = bench_scale.run_cli(command, tree_env, work / f"{name}.csv", cpu)
                runs[name].append((seconds, cpu[0]))
                print(
                    f"round {round_} cold {name}  {seconds:8.2f} s  CPU {cpu[0]:8.2f} s  peak RSS {rss:.0f} MB  "
                    f"({bench_scale.load_average()})",
                    flush=True,
                )
        raw_wall, raw_cpu = min(w for w, _ in runs["raw"]), min(c for _, c in runs["raw"])
        print(f"\nbest of {args.rounds}, {args.mb:g} MB, {args.jobs} Kiwi threads: raw Kiwi {raw_cpu:.2f} CPU-s")
        for name in ("base", "head"):
            wall, cpu_s = min(w for w, _ in runs[name]), min(c for _, c in runs[name])
            print(
                f"  {name}: cold {cpu_s:8.2f} CPU-s  {wall:8.2f} s   share of raw Kiwi throughput: "
                f"{raw_cpu / cpu_s:.3f} by CPU, {raw_wall / wall:.3f} by wall"
            )
        same = (work / "base.csv").read_bytes() == (work / "head.csv").read_bytes()
        stores = store_content(work / "cache-base") == store_content(work / "cache-head")
        print(f"  outputs {'identical' if same else 'DIFFERENT'}; stores {'the same' if stores else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
