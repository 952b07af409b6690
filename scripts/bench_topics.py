"""Measure `kcorpus topics`: coherence and seed stability on the bundled corpus, CLI wall time with a
warm token cache, and the k sweep on a larger generated corpus.

    python scripts/bench_topics.py                 # everything, 10 MB benchmark corpus
    python scripts/bench_topics.py --size-mb 2     # a smaller benchmark corpus
    python scripts/bench_topics.py --skip-large    # bundled corpus only

Stability: each seed's top-10 term sets against every other seed's; for each topic the best match
|A ∩ B| / 10 (share of shared top-10 terms), averaged over topics and over all ordered seed pairs.
The benchmark corpus is built from the cleaned paragraphs of the bundled reports, drawn at random
with a fixed seed; every generated document starts with a line of its own, so no two documents are
identical. Tokenising it cold is timed separately; the sweep time covers counting + fitting all k.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def default_fit(corpus, settings=None):
    from kcorpus.analyses.topics import TopicSettings, fit_topics
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec

    return fit_topics(
        corpus, TermFilter.from_options("nouns"), UnitSpec.parse("paragraph", 50), settings or TopicSettings()
    )


def top_sets(result) -> list[set[str]]:
    model = result.model
    return [{model.terms[i] for i in top} for top in model.top_terms(10)]


def stability(runs: list[list[set[str]]]) -> float:
    """Mean best-match overlap |A ∩ B| / 10 over topics and all ordered pairs of runs."""
    scores = []
    for a, b in itertools.permutations(runs, 2):
        scores.append(statistics.mean(max(len(x & y) / 10 for y in b) for x in a))
    return statistics.mean(scores)


def bench_quality(cache_dir: Path, seeds: int) -> None:
    import numpy as np

    from kcorpus.analyses.topics import TopicSettings, topic_npmi
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(cache_dir=cache_dir))
    results = [default_fit(corpus, TopicSettings(seed=seed)) for seed in range(seeds)]
    first = results[0]
    print(f"bundled corpus: {first.unit_counts.shape[0]} units, {first.unit_counts.shape[1]} terms")
    print("k sweep (seed 0): " + ", ".join(f"k={r.k}:{r.npmi:.3f}" for r in first.sweep.itertuples()))
    print(f"chosen k per seed: {[r.model.k for r in results]}")
    print(f"mean NPMI of the chosen topics (seed 0): {float(np.mean(first.model.npmi)):.3f}  (target >= 0.30)")
    print(f"topic diversity (seed 0): {first.sweep.loc[first.sweep['chosen'], 'diversity'].iloc[0]:.3f}")
    print(
        f"stability over seeds 0-{seeds - 1} (mean best-match |top10 ∩ top10|/10): "
        f"{stability([top_sets(r) for r in results]):.3f}  (target >= 0.9)"
    )
    for method in ("nmf-kl", "lda"):
        other = default_fit(corpus, TopicSettings(method=method, k=first.model.k))
        print(
            f"  for reference, --method {method} at k={first.model.k}: mean NPMI {float(np.mean(other.model.npmi)):.3f}"
        )
    from sklearn.decomposition import LatentDirichletAllocation

    from kcorpus.analyses.topics.coherence import _presence
    from kcorpus.analyses.topics.model import _top_columns

    lda = LatentDirichletAllocation(n_components=first.model.k, random_state=0).fit(first.unit_counts)
    presence = _presence(first.unit_counts)
    plain = [topic_npmi(presence, top) for top in _top_columns(lda.components_, 10)]
    print(f"  for reference, sklearn LDA with default settings at k={first.model.k}: mean NPMI {np.mean(plain):.3f}")


def bench_cli(cache_dir: Path, runs: int) -> None:
    env = {**os.environ, "KCORPUS_CACHE_DIR": str(cache_dir)}
    command = [sys.executable, "-m", "kcorpus", "topics", "--quiet"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # warm-up: fills the token cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    print(
        f"`kcorpus topics` wall time, warm cache, k sweep 4-12 ({runs} runs): "
        f"min {min(times):.2f} s, median {statistics.median(times):.2f} s  (target <= 4 s)"
    )


def build_large_corpus(target: Path, size_mb: float, seed: int = 0) -> int:
    """Documents of bundled paragraphs drawn at random; returns the bytes written."""
    from kcorpus.clean import clean_text
    from kcorpus.io.sources import bundled_corpus_dir

    paragraphs = []
    for path in sorted(bundled_corpus_dir().glob("*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8"))
        paragraphs += [cleaned.text[s:e].strip() for s, e in cleaned.paragraphs if e - s > 20]
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    written, number = 0, 0
    while written < size_mb * 1_000_000:
        number += 1
        body = [f"벤치마크 문서 {number}번 사본 (seed {seed})"] + rng.sample(paragraphs, min(120, len(paragraphs)))
        data = "\n\n".join(body).encode("utf-8") + b"\n"
        (target / f"bench-{number:04d}.txt").write_bytes(data)
        written += len(data)
    return written


def bench_large(cache_dir: Path, size_mb: float, work: Path) -> None:
    import numpy as np

    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    folder = work / f"large-{size_mb:g}mb"
    if not folder.is_dir():
        size = build_large_corpus(folder, size_mb)
    else:
        size = sum(p.stat().st_size for p in folder.glob("*.txt"))
    start = time.perf_counter()
    corpus = load_corpus(CorpusOptions(paths=(str(folder),), cache_dir=cache_dir))
    loaded = time.perf_counter() - start
    cold = sum(not d.from_cache for d in corpus.documents)
    print(
        f"benchmark corpus: {len(corpus.documents)} documents, {size / 1e6:.1f} MB; tokens loaded in "
        f"{loaded:.1f} s ({cold} documents tokenised now, the rest from the cache; not part of the sweep)"
    )
    start = time.perf_counter()
    result = default_fit(corpus)
    took = time.perf_counter() - start
    print(
        f"k sweep 4-12 on it: {took:.1f} s on {len(os.sched_getaffinity(0))} cores  (target <= 60 s); "
        f"{result.unit_counts.shape[0]} units, {result.unit_counts.shape[1]} terms, chosen k={result.model.k}, "
        f"mean NPMI {float(np.mean(result.model.npmi)):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=10.0, help="size of the benchmark corpus (default 10)")
    parser.add_argument("--skip-large", action="store_true", help="skip the benchmark-corpus sweep")
    parser.add_argument("--runs", type=int, default=3, help="timed CLI runs (default 3)")
    parser.add_argument("--seeds", type=int, default=5, help="seeds for the stability measure (default 5)")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kcorpus-bench-topics",
        help="where the token cache and the benchmark corpus are kept between runs",
    )
    args = parser.parse_args()
    cache_dir = args.work_dir / "cache"
    cache_dir.mkdir(parents=True, exist_ok=True)
    bench_cli(cache_dir, args.runs)
    bench_quality(cache_dir, args.seeds)
    if not args.skip_large:
        bench_large(cache_dir, args.size_mb, args.work_dir)


if __name__ == "__main__":
    main()
