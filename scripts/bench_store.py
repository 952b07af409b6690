"""Benchmark: the token store (shards, tokens/v2) against the first format (one .npz per document).

Builds a corpus of many small documents (paragraphs sampled from the bundled reports, as
scripts/bench_scale.py does), tokenises it once into the store, writes the same entries in the first
format beside it, then reads every entry back from each, A and B interleaved, and prints medians of
wall and CPU seconds, their ratio, bytes on disk per input byte and the number of files a warm run opens.

    python scripts/bench_store.py                    # 2 MB in 2 KB documents, 5 rounds
    python scripts/bench_store.py --mb 5 --doc-kb 4 --rounds 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

import bench_scale  # noqa: E402
import numpy as np  # noqa: E402

from kcorpus.pipeline.cache import TokenCache  # noqa: E402
from kcorpus.pipeline.corpus import CorpusOptions, Pipeline, load_corpus  # noqa: E402
from kcorpus.pipeline.legacy import read_entry  # noqa: E402


def timed(work) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--doc-kb", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bench_scale.FILE_BYTES = int(args.doc_kb * 1000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = bench_scale.make_corpus(Path(tmp) / "docs", args.mb, bench_scale.paragraph_pool())
        files = sorted(folder.glob("*.txt"))
        input_bytes = sum(f.stat().st_size for f in files)
        v2, v1 = Path(tmp) / "v2", Path(tmp) / "v1"
        options = CorpusOptions(paths=(str(folder),), cache_dir=v2)
        wall, cpu = timed(lambda: load_corpus(options))
        print(f"{len(files)} documents, {input_bytes / 1e6:.2f} MB; cold tokenising {wall:.1f} s wall, {cpu:.1f} CPU-s")
        corpus = load_corpus(options)
        key = Pipeline(options).key
        legacy = []
        for doc in corpus:  # the first format, written as it was: tokens/v1/ab/<key>.npz
            k = key(doc.doc)
            path = v1 / "tokens" / "v1" / k[:2] / f"{k}.npz"
            path.parent.mkdir(parents=True, exist_ok=True)
            meta = {"format": 1, "key": k, "strings": doc.tokens.strings, "cleaned": doc.cleaned.to_dict()}
            np.savez(path, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), **doc.tokens.arrays())
            legacy.append((k, path))
        store = TokenCache(v2)
        keys = [k for k, _ in legacy]

        def read_store() -> None:
            fresh = TokenCache(v2)
            for k in keys:
                assert fresh.get(k) is not None
            fresh.flush()

        def read_legacy() -> None:
            for k, path in legacy:
                assert read_entry(path, k) is not None

        results: dict[str, list[tuple[float, float]]] = {"store": [], "npz": []}
        for _ in range(args.rounds):
            results["store"].append(timed(read_store))
            results["npz"].append(timed(read_legacy))
        v1_bytes = sum(p.stat().st_size for _, p in legacy)
        v2_bytes = store.info()["bytes"]
        shards = len(list((v2 / "tokens" / "v2").glob("*.kcs")))
        print(
            f"on disk: store {v2_bytes / input_bytes:.2f} bytes per input byte ({shards} shard file(s)); "
            f"first format {v1_bytes / input_bytes:.2f} ({len(legacy)} files)"
        )
        med = {
            name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
            for name, r in results.items()
        }
        for name, (w, c) in med.items():
            print(
                f"read every entry, {name:5s}: median {w:.3f} s wall, {c:.3f} CPU-s ({args.rounds} rounds, interleaved)"
            )
        print(
            f"store / first format: wall {med['store'][0] / med['npz'][0]:.2f}, CPU {med['store'][1] / med['npz'][1]:.2f}; "
            f"load {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
