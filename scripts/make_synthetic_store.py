"""Make a synthetic corpus and its warm token store, so the warm path can be measured at 1 GB without
hours of Kiwi.

Writes UTF-8 text files (folders of 1,000) of Hangul "words" drawn from a Zipfian vocabulary (~1M types
by default, s = 1.07, short frequent function morphemes attached to the word before them as Korean
particles and endings are), document sizes log-normal around a news article's, then puts each
document's entry into the token cache exactly as a run keys it (the same reading, furniture and
key), with the text as repair would leave it (it has no wraps) and one token per word. A warm
`kcorpus freq DIR` with that cache directory then reads everything from the store.

    python scripts/make_synthetic_store.py --mb 100 --out /work/synth100
    KCORPUS_CACHE_DIR=/work/synth100/cache kcorpus freq /work/synth100/docs -o freq.csv
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import chain
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kcorpus.clean import passthrough  # noqa: E402
from kcorpus.io.sources import Document, SourceOptions, read_sources  # noqa: E402
from kcorpus.nlp.tokens import DocTokens  # noqa: E402
from kcorpus.pipeline.cache import TokenCache  # noqa: E402
from kcorpus.pipeline.corpus import CorpusOptions, Pipeline  # noqa: E402

FUNCTION_TYPES = 120  # the most frequent types: particles and endings, attached to the word before
FUNCTION_TAGS = ["JKS", "JKO", "JKB", "JX", "JKG", "EC", "EF", "ETM", "EP", "XSV"]
CONTENT_TAGS = ["NNG"] * 70 + ["NNP"] * 10 + ["VV"] * 8 + ["VA"] * 4 + ["MAG"] * 4 + ["SN"] * 2 + ["XR"] * 2
SYLLABLES = 0xD7A3 - 0xAC00 + 1


def vocabulary(types: int, rng: np.random.Generator) -> tuple[list[str], list[str], np.ndarray]:
    """Distinct type strings (one syllable for function types, longer for rarer ranks), their tags, and
    the Zipf CDF over ranks."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < types:
        rank = len(words)
        sizes = np.where(np.arange(rank, types) < FUNCTION_TYPES, 1, rng.choice([2, 2, 2, 3, 3, 4], types - rank))
        codes = rng.integers(0xAC00, 0xAC00 + SYLLABLES, (types - rank, 4))
        for size, row in zip(sizes.tolist(), codes.tolist()):
            word = "".join(map(chr, row[:size]))
            if word not in seen:
                seen.add(word)
                words.append(word)
            if len(words) == types:
                break
    tags = [FUNCTION_TAGS[i % len(FUNCTION_TAGS)] for i in range(FUNCTION_TYPES)]
    tags += [CONTENT_TAGS[int(i)] for i in rng.integers(0, len(CONTENT_TAGS), types - FUNCTION_TYPES)]
    weights = 1.0 / np.arange(1, types + 1) ** 1.07
    return words, tags, np.cumsum(weights) / weights.sum()


SEPARATORS = ["", " ", "\n\n"]


def document(
    ranks: np.ndarray, words: list[str], tags: list[str], lengths: np.ndarray, rng: np.random.Generator
) -> tuple[str, DocTokens]:
    """Text of paragraphs of 30-80 tokens (function types attached to the token before them), and its tokens."""
    n = len(ranks)
    breaks = np.cumsum(rng.integers(30, 81, n // 30 + 2))
    starts_paragraph = np.zeros(n, dtype=bool)
    starts_paragraph[breaks[breaks < n - 30]] = True  # no short paragraph: none looks like a running header
    separator = np.where(ranks < FUNCTION_TYPES, 0, 1)
    separator[starts_paragraph] = 2
    separator[0] = 0
    text = "".join(
        chain.from_iterable(zip([SEPARATORS[s] for s in separator.tolist()], [words[r] for r in ranks.tolist()]))
    )
    text += "\n"
    length = lengths[ranks]
    end = np.cumsum(np.array([0, 1, 2])[separator] + length)
    paragraph = np.cumsum(starts_paragraph)
    unique, inverse = np.unique(ranks, return_inverse=True)
    tag_names = sorted({tags[r] for r in unique.tolist()})
    strings = [words[r] for r in unique.tolist()] + tag_names
    tag_ids = np.array([len(unique) + tag_names.index(tags[r]) for r in unique.tolist()], dtype=np.int64)
    arrays = {
        "form": inverse,
        "tag": tag_ids[inverse],
        "lemma": np.full(n, -1),
        "start": end - length,
        "end": end,
        "paragraph": paragraph,
        "sentence": paragraph,
    }
    return text, DocTokens.from_arrays(strings, arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=1000, help="source text in MB (UTF-8)")
    parser.add_argument("--out", type=Path, required=True, help="folder for docs/ and cache/ (must not exist)")
    parser.add_argument("--types", type=int, default=1_000_000, help="vocabulary size")
    parser.add_argument("--doc-kb", type=float, default=4.0, help="median document size in KB")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists: give a new folder")
    rng = np.random.default_rng(args.seed)
    began = time.perf_counter()
    words, tags, cdf = vocabulary(args.types, rng)
    lengths = np.array([len(word) for word in words], dtype=np.int64)
    docs_dir = args.out / "docs"
    pipeline = Pipeline(CorpusOptions(paths=(str(docs_dir),), cache_dir=args.out / "cache", jobs=1))
    cache = TokenCache(args.out / "cache")
    target, written, count, tokens_total = args.mb * 1024 * 1024, 0, 0, 0
    while written < target:
        size = float(rng.lognormal(np.log(args.doc_kb * 1024), 0.6))
        ranks = np.searchsorted(cdf, rng.random(max(int(size / 5.2), 40)))  # ~5.2 bytes of text per token
        text, tokens = document(ranks, words, tags, lengths, rng)
        path = docs_dir / f"{count // 1000:04d}" / f"doc{count:07d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        (doc,) = read_sources([str(path)], SourceOptions())  # keyed as a run reads it
        assert isinstance(doc, Document) and doc.text == text
        cache.put(pipeline.key(doc), passthrough(text).to_dict(), tokens)
        written += path.stat().st_size
        tokens_total += len(tokens)
        count += 1
    cache.flush()
    stored = sum(p.stat().st_size for p in (args.out / "cache").rglob("*.kcs"))
    print(
        f"stored {count:,} entries, {tokens_total:,} tokens, {stored / 1e6:,.0f} MB on disk "
        f"({stored / written:.2f} bytes per input byte), in {time.perf_counter() - began:.0f} s"
    )
    print(f"warm run: KCORPUS_CACHE_DIR={args.out / 'cache'} kcorpus freq {docs_dir}")


if __name__ == "__main__":
    main()
