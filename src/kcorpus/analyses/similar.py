"""Near-duplicate and reissued documents (`kcorpus similar`): MinHash over character shingles, banded
into LSH buckets, so only documents that share a bucket are compared (no all-pairs work).

- A document's shingles are the character n-grams (default 5) of its text with whitespace and punctuation
  removed, so a rewrapped or respaced copy keeps its shingles. Each shingle is hashed to 64 bits with a
  polynomial hash of its code points (deterministic: no salted Python hash).
- MinHash: `bands * rows` hash functions h(x) = (a·x + b) >> 32 over 64-bit integers (a odd, from a fixed
  seed); documents whose signatures agree on all `rows` values of some band become candidates.
- Every candidate pair is then measured exactly: similarity = Jaccard of the two shingle sets;
  shared_paragraphs = the document's paragraphs (normalised as above, 20 characters or more) that occur
  word for word in the match. Pairs at or above `threshold` are reported.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from kcorpus.errors import InvalidArgument

SIMILAR_COLUMNS = ["doc", "match", "similarity", "shared_paragraphs"]
_DROPPED = re.compile(r"[\W_]+", re.UNICODE)
MIN_PARAGRAPH_CHARS = 20
BASE = np.uint64(1_000_003)
CHUNK = 8192  # shingles hashed at once (bounds the memory of a long document's signature)


@dataclass(frozen=True)
class SimilarOptions:
    """How documents are compared."""

    threshold: float = 0.5
    shingle: int = 5
    bands: int = 32
    rows: int = 4
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise InvalidArgument("threshold", "must be above 0 and at most 1")
        if not 2 <= self.shingle <= 20:
            raise InvalidArgument("shingle", "must be 2 to 20 characters")
        if self.bands < 1 or self.rows < 1:
            raise InvalidArgument("bands", "and rows must be 1 or more")


@dataclass(frozen=True)
class Sketch:
    """What a document is compared by."""

    id: str
    shingles: np.ndarray  # sorted unique uint64 hashes
    paragraphs: frozenset[int]  # crc32 of normalised paragraphs
    paragraph_list: tuple[int, ...]


def normalised(text: str) -> str:
    return _DROPPED.sub("", text)


def shingle_hashes(text: str, n: int) -> np.ndarray:
    """Sorted unique 64-bit hashes of the character n-grams of the normalised text (the whole text if shorter)."""
    codes = np.frombuffer(normalised(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) == 0:
        return np.zeros(0, dtype=np.uint64)
    n = min(n, len(codes))
    count = len(codes) - n + 1
    value = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            value = value * BASE + codes[j : j + count]
    return np.unique(value)


def sketch(doc_id: str, text: str, paragraphs: Sequence[str], n: int) -> Sketch:
    keys = [normalised(p) for p in paragraphs]
    crcs = tuple(zlib.crc32(k.encode("utf-8")) for k in keys if len(k) >= MIN_PARAGRAPH_CHARS)
    return Sketch(doc_id, shingle_hashes(text, n), frozenset(crcs), crcs)


def signatures(sketches: Sequence[Sketch], options: SimilarOptions) -> np.ndarray:
    """(documents, bands * rows) MinHash signatures."""
    k = options.bands * options.rows
    rng = np.random.default_rng(options.seed)
    a = rng.integers(1, 2**63, size=k, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=k, dtype=np.uint64)
    out = np.full((len(sketches), k), np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, item in enumerate(sketches):
            for start in range(0, len(item.shingles), CHUNK):
                part = item.shingles[start : start + CHUNK]
                hashed = (a[:, None] * part[None, :] + b[:, None]) >> np.uint64(32)
                out[i] = np.minimum(out[i], hashed.min(axis=1))
    return out


def candidate_pairs(sig: np.ndarray, options: SimilarOptions, allowed) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, whose signatures agree on every row of at least one band; `allowed(i, j)`
    says which pairs count (e.g. a new document against the archive)."""
    pairs: set[tuple[int, int]] = set()
    for band in range(options.bands):
        block = np.ascontiguousarray(sig[:, band * options.rows : (band + 1) * options.rows])
        buckets: dict[bytes, list[int]] = {}
        for i, key in enumerate(block):
            buckets.setdefault(key.tobytes(), []).append(i)
        for members in buckets.values():
            if len(members) < 2:
                continue
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    if allowed(i, j):
                        pairs.add((i, j))
    return pairs


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    if not len(x) and not len(y):
        return 1.0
    shared = len(np.intersect1d(x, y, assume_unique=True))
    return shared / (len(x) + len(y) - shared)


def similar_documents(
    targets: Sequence[Sketch], reference: Sequence[Sketch] = (), options: SimilarOptions = SimilarOptions()
) -> pd.DataFrame:
    """Pairs of near-duplicate documents: doc (a target), match (another target or a reference document),
    similarity (Jaccard of the shingle sets), shared_paragraphs. Most similar first, then doc and match."""
    everything = [*targets, *reference]
    n_targets = len(targets)
    sig = signatures(everything, options)
    pairs = candidate_pairs(sig, options, lambda i, j: i < n_targets)
    rows = []
    for i, j in sorted(pairs):
        similarity = jaccard(everything[i].shingles, everything[j].shingles)
        if similarity >= options.threshold:
            doc, match = everything[i], everything[j]
            shared = sum(1 for crc in doc.paragraph_list if crc in match.paragraphs)
            rows.append((doc.id, match.id, similarity, shared))
    frame = pd.DataFrame(rows, columns=SIMILAR_COLUMNS)
    frame["shared_paragraphs"] = frame["shared_paragraphs"].astype(np.int64)
    frame["similarity"] = frame["similarity"].astype(np.float64)
    frame = frame.sort_values(["similarity", "doc", "match"], ascending=[False, True, True], kind="mergesort")
    return frame.reset_index(drop=True)
