"""Measure `kcorpus similar` (kcorpus.analyses.similar): recall and precision on a drop with planted reissues,
and time and memory on a synthetic archive of 10,000 documents. Prints the numbers.

The archive is synthetic Korean-like prose: sentences of words drawn (Zipf-like) from a vocabulary of
random Hangul syllable words with particles, 8-20 sentences per paragraph, 3-8 paragraphs per document.
A drop holds --planted edited copies of archive documents (edit rates 2, 5, 10, 20 and 30% of the words
replaced, deleted or inserted; some copies rewrapped, one paragraph added) and --fresh new documents.
A planted copy is found when (copy, its original) is reported; a reported pair is correct when it is a
planted pair. The documents go straight to the analysis (sketches of the text), so Kiwi's tokenising time
is not part of the timing: `kcorpus similar` itself also reads and tokenises the documents.

With --bundled the archive is real report text instead: the three bundled reports cut into documents of
--chunk characters (paragraphs kept whole), edited copies of --planted of them form the drop, and every
other chunk of the same report (same headers, same subject) is a chance for a false match.

Usage: python scripts/bench_similar.py [--archive 10000] [--planted 250] [--fresh 250] [--seed 2]
       [--threshold 0.5] [--bundled [--chunk 1500]]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kcorpus.analyses.similar import SimilarOptions, similar_documents, sketch  # noqa: E402

PARTICLES = ["은", "는", "이", "가", "을", "를", "에", "에서", "의", "와", "과", "으로", "도", ""]
ENDINGS = ["다.", "었다.", "한다.", "하였다.", "할 것이다.", "되었다.", "이다."]
EDIT_RATES = (0.02, 0.05, 0.10, 0.20, 0.30)


def vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    syllables = [chr(0xAC00 + int(i)) for i in rng.integers(0, 11172, size=size * 3)]
    lengths = rng.integers(1, 5, size=size)
    words, at = [], 0
    for length in lengths:
        words.append("".join(syllables[at : at + length]))
        at += length
    return words


def document(rng: np.random.Generator, words: list[str], weights: np.ndarray) -> list[str]:
    cumulative = np.cumsum(weights)
    paragraphs = []
    for _ in range(int(rng.integers(3, 9))):
        lengths = rng.integers(5, 13, size=int(rng.integers(8, 21)))
        chosen = np.searchsorted(cumulative, rng.random(int(lengths.sum())) * cumulative[-1])
        particles = rng.integers(len(PARTICLES), size=len(chosen))
        endings = rng.integers(len(ENDINGS), size=len(lengths))
        sentences, at = [], 0
        for n, ending in zip(lengths.tolist(), endings.tolist()):
            body = " ".join(words[i] + PARTICLES[j] for i, j in zip(chosen[at : at + n], particles[at : at + n]))
            sentences.append(body + " " + ENDINGS[ending])
            at += n
        paragraphs.append(" ".join(sentences))
    return paragraphs


def edited(rng, paragraphs: list[str], rate: float, words: list[str], weights) -> list[str]:
    out = []
    for paragraph in paragraphs:
        tokens = paragraph.split(" ")
        kept = []
        for token in tokens:
            roll = rng.random()
            if roll < rate / 3:
                continue  # deleted
            if roll < 2 * rate / 3:
                kept.append(words[int(rng.integers(len(words)))])  # replaced
                continue
            kept.append(token)
            if roll < rate:
                kept.append(words[int(rng.integers(len(words)))])  # inserted
        text = " ".join(kept)
        if rng.random() < 0.5:  # rewrapped, as another PDF extraction would
            text = "\n".join(text[i : i + 70] for i in range(0, len(text), 70))
        out.append(text)
    if rng.random() < 0.5:
        out.append(" ".join(document(rng, words, weights)[:1]))  # a paragraph added to the reissue
    return out


def bundled_chunks(size: int) -> list[tuple[str, list[str]]]:
    """The bundled reports cut into documents of about `size` characters (blank-line paragraphs kept whole)."""
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    chunks = []
    for path in sorted(corpus.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        current: list[str] = []
        for paragraph in paragraphs:
            current.append(paragraph)
            if sum(len(p) for p in current) >= size:
                chunks.append((f"{path.stem}-{len(chunks):03d}", current))
                current = []
    return chunks


def sketches(items, n):
    return [sketch(doc_id, "\n\n".join(paragraphs), paragraphs, n) for doc_id, paragraphs in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=int, default=10_000)
    parser.add_argument("--planted", type=int, default=250)
    parser.add_argument("--fresh", type=int, default=250)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--bundled", action="store_true")
    parser.add_argument("--chunk", type=int, default=1500)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    words = vocabulary(rng, 20_000)
    ranks = np.arange(1, len(words) + 1, dtype=np.float64)
    weights = (1 / ranks) / (1 / ranks).sum()
    started = time.perf_counter()
    if args.bundled:
        archive = bundled_chunks(args.chunk)
        words = sorted({w for _, paragraphs in archive for p in paragraphs for w in p.split()})
        weights = np.full(len(words), 1.0 / len(words))
        args.planted, args.fresh = min(args.planted, len(archive)), 0
    else:
        archive = [(f"archive-{i:05d}", document(rng, words, weights)) for i in range(args.archive)]
    sources = rng.choice(len(archive), size=args.planted, replace=False)
    drop, truth, rate_of = [], set(), {}
    for k, source in enumerate(sources.tolist()):
        rate = EDIT_RATES[k % len(EDIT_RATES)]
        doc_id = f"reissue-{k:04d}"
        drop.append((doc_id, edited(rng, archive[source][1], rate, words, weights)))
        truth.add((doc_id, archive[source][0]))
        rate_of[doc_id] = rate
    drop += [(f"fresh-{i:04d}", document(rng, words, weights)) for i in range(args.fresh)]
    chars = sum(len(p) for _, paragraphs in archive + drop for p in paragraphs)
    print(
        f"generated {len(archive)} archive + {len(drop)} drop documents, {chars:,} chars in {time.perf_counter() - started:.1f} s"
    )

    options = SimilarOptions(threshold=args.threshold)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    archive_sketches = sketches(archive, options.shingle)
    drop_sketches = sketches(drop, options.shingle)
    sketched = time.perf_counter() - started
    found = similar_documents(drop_sketches, archive_sketches, options)
    total = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"similar: {total:.1f} s for {len(archive) + len(drop)} documents ({sketched:.1f} s shingling), "
        f"peak RSS {rss_after / 1024:.0f} MB (was {rss_before / 1024:.0f} MB before the analysis)"
    )

    reported = set(zip(found["doc"], found["match"]))
    correct = reported & truth
    print(
        f"reported {len(reported)} pairs, {len(correct)} planted: precision {len(correct) / max(len(reported), 1):.3f}"
    )
    for rate in EDIT_RATES:
        planted = {pair for pair in truth if rate_of[pair[0]] == rate}
        hit = planted & reported
        print(f"  edit rate {rate:.0%}: recall {len(hit)}/{len(planted)} = {len(hit) / max(len(planted), 1):.3f}")
    print(f"recall overall {len(correct)}/{len(truth)} = {len(correct) / max(len(truth), 1):.3f}")


if __name__ == "__main__":
    main()
