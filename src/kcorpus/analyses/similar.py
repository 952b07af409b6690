"""Near-duplicate and reissued documents (`kcorpus similar`): MinHash over character shingles, banded
into LSH buckets, so only documents that share a bucket are compared (no all-pairs work).

- A document's shingles are the character n-grams (default 5) of its text with whitespace and punctuation
  removed, so a rewrapped or respaced copy keeps its shingles. Each shingle is hashed to 64 bits with a
  polynomial hash of its code points (deterministic: no salted Python hash).
- MinHash, one permutation (Li, Owen & Zhang 2012): the shingles' hashes are mixed (splitmix64, from
  `seed`) and split by value into `bands * rows` bins; a signature keeps each bin's smallest value.
  An empty bin (a short document) borrows the next filled bin's value (densification, Shrivastava 2017).
  Documents whose signatures agree on all `rows` bins of some band become candidates; `rows` follows
  `threshold` (SimilarOptions.rows), so pairs at the threshold are found almost surely.
- Every candidate pair is then measured exactly: similarity = Jaccard of the two shingle sets;
  shared_paragraphs = the document's paragraphs (normalised as above, 20 characters or more) that occur
  word for word in the match. Pairs at or above `threshold` are reported.
"""

from __future__ import annotations

import math
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


@dataclass(frozen=True)
class SimilarOptions:
    """How documents are compared."""

    threshold: float = 0.5
    shingle: int = 5
    bands: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise InvalidArgument("threshold", "must be above 0 and at most 1")
        if not 2 <= self.shingle <= 20:
            raise InvalidArgument("shingle", "must be 2 to 20 characters")
        if self.bands < 1:
            raise InvalidArgument("bands", "must be 1 or more")

    @property
    def rows(self) -> int:
        """Bins per band: documents at `threshold` agree on some band almost surely, the LSH threshold
        (1/bands)^(1/rows) lying near 0.7 * threshold."""
        return max(1, int(math.log(1 / self.bands) / math.log(min(0.7 * self.threshold, 0.95))))


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


def mixed(values: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64's finaliser over `values` xor a seed constant: well-spread 64-bit hashes."""
    with np.errstate(over="ignore"):
        x = values ^ np.uint64((0x9E3779B97F4A7C15 * (seed + 1)) & 0xFFFFFFFFFFFFFFFF)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def signatures(sketches: Sequence[Sketch], options: SimilarOptions) -> np.ndarray:
    """(documents, bands * rows) one-permutation MinHash signatures: the shingles' mixed hashes fall into
    bands * rows bins by value range and each bin keeps its smallest (an empty bin: the largest value).
    Two documents agree on a bin with probability close to their Jaccard similarity."""
    k = options.bands * options.rows
    width = np.uint64(2**64 // k) if k > 1 else None
    starts = np.arange(k, dtype=np.uint64) * width if width is not None else np.zeros(1, dtype=np.uint64)
    empty = np.iinfo(np.uint64).max
    out = np.full((len(sketches), k), empty, dtype=np.uint64)
    for i, item in enumerate(sketches):
        if not len(item.shingles):
            continue
        values = np.sort(mixed(item.shingles, options.seed))
        first = np.searchsorted(values, starts)
        found = first < len(values)
        smallest = np.where(found, values[np.minimum(first, len(values) - 1)], empty)
        bin_of = smallest // width if width is not None else np.zeros(k, dtype=np.uint64)
        out[i] = densified(np.where(found & (bin_of == np.arange(k, dtype=np.uint64)), smallest, empty))
    return out


def densified(bins: np.ndarray) -> np.ndarray:
    """Empty bins take the value of the next filled bin (circularly) plus a constant times the distance, the
    same rule for every document, so short documents (with empty bins) still get whole signatures."""
    empty = np.iinfo(np.uint64).max
    filled = np.flatnonzero(bins != empty)
    if len(filled) in (0, len(bins)):
        return bins
    positions = np.arange(len(bins))
    nxt = np.searchsorted(filled, positions) % len(filled)
    source = filled[nxt]
    distance = ((source - positions) % len(bins)).astype(np.uint64)
    with np.errstate(over="ignore"):
        return np.where(bins == empty, bins[source] + distance * np.uint64(0x9E3779B97F4A7C15), bins)


def candidate_pairs(sig: np.ndarray, options: SimilarOptions, allowed) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, whose signatures agree on every row of at least one band; `allowed(i, j)`
    says which pairs count (e.g. a new document against the archive)."""
    pairs: set[tuple[int, int]] = set()
    for band in range(options.bands):
        block = np.ascontiguousarray(sig[:, band * options.rows : (band + 1) * options.rows])
        filled = (block != np.iinfo(np.uint64).max).all(axis=1)
        buckets: dict[bytes, list[int]] = {}
        for i in np.flatnonzero(filled).tolist():
            buckets.setdefault(block[i].tobytes(), []).append(i)
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
