"""Coverage of the topic-share bootstrap intervals (`topics --show groups`, low/high) on a synthetic corpus with
a known share: each document has w tokens (uniform 50-499) of which a share p ~ Beta(3, 7) belong to the topic,
so the population's token-weighted share is 0.3. For n documents per group, --samples groups are drawn and
the share of 95% intervals containing 0.3 is printed, for the plain percentile interval and for the expanded
percentile interval kcorpus uses.

Usage: python scripts/measure_bootstrap.py [--samples 1000] [--seed 99]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kcorpus.analyses.topics import groups  # noqa: E402


def coverage(n: int, samples: int, seed: int, expanded: bool) -> float:
    rng = np.random.default_rng(seed)
    original = groups.expanded_alpha
    if not expanded:
        groups.expanded_alpha = lambda n, confidence=groups.CONFIDENCE: 1.0 - confidence  # type: ignore[assignment]
    try:
        covered = 0
        for sample in range(samples):
            weights = rng.integers(50, 500, size=n).astype(float)
            proportion = rng.beta(3, 7, size=n)
            mass = np.column_stack([weights * proportion, weights * (1 - proportion)])
            low, high = groups.bootstrap_interval(mass, weights, seed=sample)
            covered += bool(low[0] <= 0.3 <= high[0])
        return covered / samples
    finally:
        groups.expanded_alpha = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=99)
    args = parser.parse_args()
    print("documents  percentile  expanded (kcorpus)")
    for n in (5, 10, 30, 100):
        plain = coverage(n, args.samples, args.seed, expanded=False)
        used = coverage(n, args.samples, args.seed, expanded=True)
        print(f"{n:9d}  {plain:10.3f}  {used:8.3f}")


if __name__ == "__main__":
    main()
