"""Measure what fitting topics on a sample of units loses against the fit on all units (fitting.FIT_MAX_UNITS).

For each sample size (and the full fit) at a fixed k: mean NPMI of the topics over all units, topic
diversity, the fit's CPU seconds, and against the full fit: the mean cosine similarity of matched topics
(Hungarian matching of topic-term rows, as the stability score) and the share of units whose dominant
topic is the matched one. The corpus is counted once.

    KCORPUS_CACHE_DIR=/work/synth50/cache python scripts/measure_topic_sample.py /work/synth50/docs \\
        --k 20 --sizes 15000,30000,45000
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--sizes", default="15000,30000,45000", help="comma list of sample sizes (units)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from scipy.optimize import linear_sum_assignment

    from kcorpus.analyses.topics import TopicSettings, fitting
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(paths=tuple(args.paths)))
    flt, spec = TermFilter.from_options("nouns"), UnitSpec.parse("paragraph", 50)
    counted = fitting.count_matrix(corpus, flt, spec)
    fitting.count_matrix = lambda *_: counted  # type: ignore[assignment]  (count once)
    print(f"{counted.matrix.shape[0]} units, {counted.matrix.shape[1]} terms, k={args.k}", flush=True)

    def run(limit: int):
        fitting.FIT_MAX_UNITS = limit
        began = time.process_time()
        result = fitting.fit_topics(corpus, flt, spec, TopicSettings(k=args.k, seed=args.seed))
        return result, time.process_time() - began

    full, full_cpu = run(10**12)
    rows = [("all", full, full_cpu)]
    for size in [int(s) for s in args.sizes.split(",") if s]:
        rows.append((str(size), *run(size)))

    def unit_rows(m):
        m = np.asarray(m, dtype=np.float64)
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-300)

    reference = unit_rows(full.model.topic_term())
    full_dominant = full.mixture.argmax(axis=1)
    placed = full.unit_weights > 0
    print(f"{'fit on':>8} {'npmi':>7} {'divers.':>7} {'cosine':>7} {'same top':>8} {'CPU s':>7}")
    for label, result, cpu in rows:
        similarity = unit_rows(result.model.topic_term()) @ reference.T
        mine, theirs = linear_sum_assignment(similarity, maximize=True)
        matched = dict(zip(mine.tolist(), theirs.tolist()))
        dominant = np.array([matched[t] for t in result.mixture.argmax(axis=1).tolist()])
        same = float((dominant[placed] == full_dominant[placed]).mean())
        npmi = float(np.nanmean(result.model.npmi))
        diversity = float(result.sweep["diversity"].iloc[0])
        cosine = float(similarity[mine, theirs].mean())
        print(f"{label:>8} {npmi:7.4f} {diversity:7.4f} {cosine:7.4f} {same:8.4f} {cpu:7.1f}", flush=True)


if __name__ == "__main__":
    main()
