"""Benchmark: per-document keywords on nonzero cells (one vectorised pass) against the per-document loop.

A synthetic document-term table (Zipf-distributed terms, fixed seed), both computations interleaved,
medians of wall and CPU seconds, and a check that both give the same table.

    python scripts/bench_keywords_sparse.py                       # 2,000 documents, 50,000 terms
    python scripts/bench_keywords_sparse.py --docs 10000 --terms 200000 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import sparse  # noqa: E402

from kcorpus import stats  # noqa: E402
from kcorpus.analyses.freq import TermTable  # noqa: E402
from kcorpus.analyses.keyness import KeywordOptions, _key_terms, _over_used_per_document  # noqa: E402


def table(docs: int, terms: int, tokens_per_doc: int, seed: int = 3) -> TermTable:
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for d in range(docs):
        drawn = np.minimum(rng.zipf(1.3, tokens_per_doc) - 1, terms - 1)
        rows.append(np.full(len(drawn), d))
        cols.append(drawn)
    r, c = np.concatenate(rows), np.concatenate(cols)
    counts = sparse.csr_array((np.ones(len(r), dtype=np.int64), (r, c)), shape=(docs, terms))
    counts.sum_duplicates()
    return TermTable([f"doc{d:05d}" for d in range(docs)], [f"t{t:06d}" for t in range(terms)], counts)


def loop(t: TermTable, options: KeywordOptions) -> pd.DataFrame:
    pooled = t.term_totals
    prior = stats.dirichlet_prior(pooled)
    frames = []
    for i, doc in enumerate(t.labels):
        a = t.counts[[i], :].toarray().ravel()
        frames.append(_key_terms(doc, t.terms, a, pooled - a, prior, options))
    return pd.concat([f for f in frames if len(f)], ignore_index=True)


def vectorised(t: TermTable, options: KeywordOptions) -> pd.DataFrame:
    return _over_used_per_document(t, stats.dirichlet_prior(t.term_totals), options, None)


def timed(work, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--tokens", type=int, default=800, help="term tokens per document")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    t = table(args.docs, args.terms, args.tokens)
    options = KeywordOptions()
    times: dict[str, list[tuple[float, float]]] = {"loop": [], "sparse": []}
    for _ in range(args.rounds):
        old, wall, cpu = timed(loop, t, options)
        times["loop"].append((wall, cpu))
        new, wall, cpu = timed(vectorised, t, options)
        times["sparse"].append((wall, cpu))
    pd.testing.assert_frame_equal(new, old, check_dtype=False, rtol=1e-12)
    print(f"{args.docs} documents x {args.terms} terms, {t.counts.nnz} nonzero cells; {len(new)} keyword rows, equal")
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items()}
    for name, (wall, cpu) in med.items():
        print(f"{name:6s}: median {wall:.2f} s wall, {cpu:.2f} CPU-s ({args.rounds} rounds, interleaved)")
    print(f"sparse / loop: wall {med['sparse'][0] / med['loop'][0]:.3f}, CPU {med['sparse'][1] / med['loop'][1]:.3f}")


if __name__ == "__main__":
    main()
