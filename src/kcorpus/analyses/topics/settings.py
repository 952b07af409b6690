"""Topic-model settings: the constants, `TopicSettings`, parsing --k/--k-range and the vocabulary limits."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from kcorpus.errors import InvalidArgument

METHODS = ("nmf", "nmf-kl", "lda")
TABLES = ("topics", "terms", "docs", "units", "examples", "k", "seeds", "groups")
DEFAULT_K_RANGE = (4, 12)
COHERENCE_TOP = 10  # NPMI over the pairs of each topic's top 10 terms
DIVERSITY_TOP = 25  # diversity over each topic's top 25 terms
K_MARGIN = 0.02  # k auto: held-out NPMI within this of the best counts as "as coherent as the best"
K_MIN_STABILITY = 0.8  # k auto: ... and its topics recur across subsamples with at least this mean cosine
HELDOUT_SHARE = 0.2  # k auto: each sweep fit leaves out 20% of the units to measure NPMI on
HELDOUT_MIN_UNITS = 20  # fewer held-out units than this: held-out NPMI is measured on all units instead
K_SPLITS = 3  # k auto: fits per k on different 80% subsamples (seed, seed+1, seed+2)
OWN_TOPIC_SHARE = 0.5  # a topic is a document's own when at least half of its token weight comes from it
BIG_DOC_SHARE = 1 / 3  # documents holding at least this share of the tokens are checked for a topic of their own
RELEVANCE_LAMBDA = 0.6
LABEL_TERMS = 3
EXAMPLES_PER_TOPIC = 3
TEXT_WIDTH = 80
MIN_DF_SHARE = 0.002  # default min_df: 0.2% of units, at least 2 units
MAX_DF_SHARE = 0.5  # default max_df: terms in more than half of the units say nothing about topics
SEED_UNIT_SHARE = 0.02  # seed words: each seeded topic's pseudo-unit weighs like 2% of the units
NMF_MAX_ITER = 1000
# Batch LDA stops once perplexity changes by less than LDA_PERP_TOL between checks every
# LDA_EVALUATE_EVERY iterations (about 50 iterations here); perplexity is only a convergence test.
LDA_MAX_ITER = 200
LDA_EVALUATE_EVERY = 5
LDA_PERP_TOL = 0.5
MODEL_FILE = "model.npz"  # NumPy arrays only, read with allow_pickle=False
SETTINGS_FILE = "settings.json"
LEGACY_MODEL_FILE = "model.joblib"  # a pickle written by older kcorpus versions: never opened

Warn = Callable[[str], None]

TOPIC_COLUMNS = ["topic", "share", "npmi", "units", "terms"]
TERM_COLUMNS = ["topic", "rank", "term", "weight", "relevance"]
DOC_COLUMNS = ["doc", "topic", "share"]
UNIT_COLUMNS = ["doc", "unit", "cite", "page", "line_start", "line_end", "topic", "share", "text"]
EXAMPLE_COLUMNS = ["topic", "rank", "cite", "page", "share", "text"]
SWEEP_COLUMNS = ["k", "npmi", "heldout_npmi", "stability", "diversity", "chosen"]
SEED_COLUMNS = ["topic", "seeds", "in_top10", "not_in_top10", "not_in_vocabulary", "kept"]


@dataclass(frozen=True)
class TopicSettings:
    """How to fit: method, k (None = choose within k_range), seed, vocabulary limits, seed words."""

    method: str = "nmf"
    k: int | None = None
    k_range: tuple[int, int] = DEFAULT_K_RANGE
    seed: int = 0
    min_df: int | None = None  # units; None: the default rule
    max_df: float | None = None  # share of units; None: the default rule
    seed_words: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidArgument("method", f"{self.method!r}: use one of {', '.join(METHODS)}")
        low, high = self.k_range
        if not 2 <= low <= high:
            raise InvalidArgument("k_range", f"{low}:{high}: use LOW:HIGH with 2 <= LOW <= HIGH, e.g. 4:12")
        if self.k is not None and self.k < 2:
            raise InvalidArgument("k", "must be 2 or more (or auto)")
        if self.min_df is not None and self.min_df < 1:
            raise InvalidArgument("min_df", "must be 1 or more (a number of units)")
        if self.max_df is not None and not 0.0 < self.max_df <= 1.0:
            raise InvalidArgument("max_df", "must be a share of units above 0 and at most 1, e.g. 0.5")
        if self.seed_words and self.method == "lda":
            raise InvalidArgument("seed_words", "works with method nmf or nmf-kl, not lda")
        if self.k is not None and self.k < len(self.seed_words):
            raise InvalidArgument("k", f"{self.k} is fewer than the {len(self.seed_words)} seeded topics: raise it")

    @property
    def candidate_ks(self) -> list[int]:
        if self.k is not None:
            return [self.k]
        low, high = self.k_range
        return list(range(max(low, len(self.seed_words), 2), max(high, len(self.seed_words)) + 1))


def parse_k(text: str) -> int | None:
    """`auto` → None (choose k), else a whole number."""
    text = text.strip().lower()
    if text == "auto":
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidArgument("k", f"{text!r}: use a whole number such as 8, or auto")
    return int(text)


def parse_k_range(text: str) -> tuple[int, int]:
    """`LOW:HIGH` → (LOW, HIGH)."""
    low, sep, high = text.strip().partition(":")
    low, high = low.strip(), high.strip()
    if not sep or not all(part.isascii() and part.isdigit() for part in (low, high)):
        raise InvalidArgument("k_range", f"{text!r}: use LOW:HIGH, e.g. 4:12")
    return int(low), int(high)


def vocabulary_limits(n_units: int, min_df: int | None = None, max_df: float | None = None) -> tuple[int, int]:
    """The fewest and most units a modelled term may occur in.

    Defaults: min_df = max(2, ceil(0.2% of units)) — a term seen in one unit cannot co-occur
    with anything, and in large corpora rare terms are mostly noise; max_df = 50% of units.
    """
    low = min_df if min_df is not None else max(2, math.ceil(MIN_DF_SHARE * n_units))
    share = max_df if max_df is not None else MAX_DF_SHARE
    high = max(1, math.floor(share * n_units))
    return low, high
