"""Topic models of units (NMF or LDA on scikit-learn): k chosen by coherence, seed words, save and load.

What the numbers mean:

- Units are paragraphs by default (short paragraphs merged until they hold 50 content tokens);
  terms are nouns by default. A unit's topic mixture is its weight on each topic (NMF: exact
  non-negative least squares on the topic-term matrix; LDA: the inferred mixture), scaled to
  sum to 1. Units are placed one by one, so a unit's mixture never depends on the other
  documents of a run (a saved model gives the same numbers for a document alone or in a batch).
- Vocabulary: a term is modelled when it occurs in at least `min_df` units and in at most
  `max_df` of them (see `vocabulary_limits` for the defaults, which scale with corpus size).
- Many units: with more than FIT_MAX_UNITS (100,000) units (a corpus of several hundred MB), the
  estimator (and with --k auto every fit of the sweep) is fitted on a sample of that many units drawn
  with the seed (fitting.fit_sample); the vocabulary, TF-IDF weights, NPMI, shares and every table are
  still over all units, and every unit is placed. Measured at k=20 on 10 MB of report text (11,667
  units; scripts/measure_topic_sample.py): fits on 26%, 51% and 77% of the units had NPMI 0.433,
  0.435, 0.438 (all units: 0.434), diversity 0.900, 0.886, 0.882 (0.882), and topics matching the
  full fit's with mean cosine 0.87-0.93, as close as fits on 80% subsamples are to each other
  (stability 0.86). From 50,000 units up, units are placed by a batched exact solver (placement.py;
  equal to the nnls loop to about 1e-12).
- NMF (the default) factorises the TF-IDF matrix (sublinear tf 1 + ln tf, smoothed idf,
  l2-normalised rows) with the Frobenius loss and nndsvda initialisation; `nmf-kl` uses the
  Kullback-Leibler loss; `lda` fits batch variational LDA on raw counts.
- Coherence: NPMI (stats.npmi) of every pair of a topic's top 10 terms, probabilities being
  shares of units that contain the term(s), averaged over the 45 pairs. Diversity: unique
  terms among all top-25 lists / (25·K) (stats.topic_diversity).
- k auto (coherence.choose_k; fitting._held_out): for every k of the range, K_SPLITS (3) fits, each
  on its own ~80% of the units (split i drawn by numpy's default_rng([seed, i]), fitted with seed + i);
  held-out NPMI = mean NPMI of every topic of the three fits, each over the ~20% of units its fit did
  not see, counting only pairs whose two terms both occur there (a term absent from a small held-out
  part is no evidence; two present terms never together are). Fewer than HELDOUT_MIN_UNITS (20)
  held-out units: NPMI over all units instead, with a warning. Stability = mean over the pairs of
  fits of the mean cosine similarity of topic-term rows under the best one-to-one matching
  (Hungarian; cf. Greene et al. 2014). The chosen k is the smallest whose held-out NPMI is within
  K_MARGIN (0.02) of the best and whose stability is at least K_MIN_STABILITY (0.8); if no k within
  the margin is that stable, the most stable of them. Within 0.02, neighbouring k differ by noise
  more than by quality and fewer topics are easier to read; below 0.8, a topic changes with the
  sample. The chosen k is then refitted on all units (the model and every table but the sweep are
  as they were); npmi and diversity in the sweep are of the fits on all units. Perplexity is never
  used. With a fixed --k, heldout_npmi and stability are not measured (empty).
- Warnings (TopicResult.fit_warnings, on stderr): k or the best held-out NPMI at the top of the
  range, or k at its bottom (above 2): widen --k-range; the chosen k less stable than 0.8; a flat
  sweep (every held-out NPMI within 0.02 of the best); a document holding at least a third of the
  modelled tokens with no topic of its own: none of its units is dominated by a topic that draws at
  least half of its token weight from that document.
- Seed words: each seeded topic starts (init='custom') as its seed terms alone, the other
  topics as an ordinary fit of the remaining k; during fitting each seeded topic also gets a
  pseudo-unit holding only its seed terms, weighted like 2% of the units (at least one), so
  the loss rewards keeping them together. Pseudo-units never appear in shares or tables.
- Topics are numbered from 1: seeded topics first (in seed-file order), then by their share
  of the fitted corpus, largest first.
- A share is token-weighted: a unit counts in proportion to its terms.
- weight = p(w|t), the topic's row of the term matrix scaled to sum to 1; relevance =
  λ·ln p(w|t) + (1−λ)·ln(p(w|t)/p(w)) with λ = 0.6 and p(w) the term's share of all term
  tokens in the fitted units (Sievert & Shirley 2014).
- A saved model is a folder: model.npz (the fitted arrays, NumPy format, read without pickle) and
  settings.json (versions, vocabulary, settings, the estimator's constructor parameters); loading
  rebuilds the scikit-learn objects from these, so a model folder cannot run code. Folders holding
  an old model.joblib (a pickle) are refused without opening it.
- Fits run with one BLAS thread (small fits are faster so) and LDA with n_jobs=1: the same input
  and options give byte-identical tables, whatever the machine's core count.

Modules: settings (constants, TopicSettings, parsing), model (TopicModel: placing units in topics),
placement (exact non-negative least squares for many units),
saved (model.npz + settings.json), coherence (NPMI, held-out splits, stability, choosing k and its
warnings), seeding (seed words), fitting
(fit_topics, apply_topics) and tables (TopicResult and the --show tables).
"""

from __future__ import annotations

import os  # noqa: F401  (tests patch topics.os.replace, the os.replace saved.py renames files with)

from kcorpus.analyses.topics.coherence import choose_k, topic_npmi
from kcorpus.analyses.topics.fitting import apply_topics, fit_topics
from kcorpus.analyses.topics.model import TopicModel
from kcorpus.analyses.topics.saved import library_versions
from kcorpus.analyses.topics.settings import (
    COHERENCE_TOP,
    DEFAULT_K_RANGE,
    DIVERSITY_TOP,
    DOC_COLUMNS,
    EXAMPLE_COLUMNS,
    EXAMPLES_PER_TOPIC,
    K_MARGIN,
    LABEL_TERMS,
    LDA_EVALUATE_EVERY,
    LDA_MAX_ITER,
    LDA_PERP_TOL,
    LEGACY_MODEL_FILE,
    MAX_DF_SHARE,
    METHODS,
    MIN_DF_SHARE,
    MODEL_FILE,
    NMF_MAX_ITER,
    RELEVANCE_LAMBDA,
    SEED_COLUMNS,
    SEED_UNIT_SHARE,
    SETTINGS_FILE,
    SWEEP_COLUMNS,
    TABLES,
    TERM_COLUMNS,
    TEXT_WIDTH,
    TOPIC_COLUMNS,
    UNIT_COLUMNS,
    TopicSettings,
    Warn,
    parse_k,
    parse_k_range,
    vocabulary_limits,
)
from kcorpus.analyses.topics.tables import TopicResult

__all__ = [
    "COHERENCE_TOP",
    "DEFAULT_K_RANGE",
    "DIVERSITY_TOP",
    "DOC_COLUMNS",
    "EXAMPLE_COLUMNS",
    "EXAMPLES_PER_TOPIC",
    "K_MARGIN",
    "LABEL_TERMS",
    "LDA_EVALUATE_EVERY",
    "LDA_MAX_ITER",
    "LDA_PERP_TOL",
    "LEGACY_MODEL_FILE",
    "MAX_DF_SHARE",
    "METHODS",
    "MIN_DF_SHARE",
    "MODEL_FILE",
    "NMF_MAX_ITER",
    "RELEVANCE_LAMBDA",
    "SEED_COLUMNS",
    "SEED_UNIT_SHARE",
    "SETTINGS_FILE",
    "SWEEP_COLUMNS",
    "TABLES",
    "TERM_COLUMNS",
    "TEXT_WIDTH",
    "TOPIC_COLUMNS",
    "UNIT_COLUMNS",
    "TopicModel",
    "TopicResult",
    "TopicSettings",
    "Warn",
    "apply_topics",
    "choose_k",
    "fit_topics",
    "library_versions",
    "parse_k",
    "parse_k_range",
    "topic_npmi",
    "vocabulary_limits",
]
