"""`kcorpus similar`: planted copies are found, unrelated documents are not, the API equals the CLI."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kcorpus as kc
from kcorpus.analyses.similar import SimilarOptions, candidate_pairs, jaccard, shingle_hashes, signatures, sketch
from test_wordlists import run_csv

from conftest import KIC, KIEP, SEOUL

COLUMNS = ["doc", "match", "similarity", "shared_paragraphs"]


def edit(text: str, rate: float, seed: int = 0) -> str:
    """Replace a share `rate` of the words with another word of the text."""
    rng = random.Random(seed)
    words = text.split(" ")
    return " ".join(rng.choice(words) if rng.random() < rate else w for w in words)


@pytest.fixture(scope="module")
def drop(tmp_path_factory):
    """archive/: three report extracts; new/: a rewrapped copy, an edited copy (5% of words), a new text."""
    root = tmp_path_factory.mktemp("similar")
    (root / "archive").mkdir()
    (root / "new").mkdir()
    texts = {name: path.read_text(encoding="utf-8")[:4000] for name, path in (("a", SEOUL), ("b", KIEP), ("c", KIC))}
    for name, text in texts.items():
        (root / "archive" / f"{name}.txt").write_text(text, encoding="utf-8")
    flat = " ".join(texts["a"].split())
    (root / "new" / "a-again.txt").write_text("\n".join(flat[i : i + 60] for i in range(0, len(flat), 60)), "utf-8")
    (root / "new" / "b-edited.txt").write_text(edit(texts["b"], 0.05), encoding="utf-8")
    (root / "new" / "other.txt").write_text(SEOUL.read_text(encoding="utf-8")[20000:24000], encoding="utf-8")
    return root


def test_planted_copies_are_found_against_the_archive(cli, drop):
    frame = run_csv(cli, "similar", drop / "new", "--reference", drop / "archive")
    assert list(frame.columns) == COLUMNS
    assert list(zip(frame["doc"], frame["match"])) == [("a-again.txt", "a.txt"), ("b-edited.txt", "b.txt")]
    assert frame["similarity"].iloc[0] > 0.95 and 0.5 <= frame["similarity"].iloc[1] < 0.95


def test_an_exact_copy_shares_every_paragraph(cli, drop, tmp_path):
    (tmp_path / "copy.txt").write_bytes((drop / "archive" / "c.txt").read_bytes())
    frame = run_csv(cli, "similar", tmp_path, "--reference", drop / "archive")
    assert frame[["doc", "match", "similarity"]].values.tolist() == [["copy.txt", "c.txt", 1.0]]
    corpus = kc.read_corpus(drop / "archive" / "c.txt")
    paragraphs = [p for p in corpus.documents[0].cleaned.paragraph_texts() if len("".join(p.split())) >= 20]
    assert frame["shared_paragraphs"].iloc[0] == len(paragraphs) > 0


def test_within_a_drop_and_nothing_when_all_differ(cli, drop):
    frame = run_csv(cli, "similar", drop / "archive")
    assert list(frame.columns) == COLUMNS and frame.empty
    result = cli("similar", drop / "archive", "--threshold", "0")
    assert result.exit_code == 2


def test_similar_api_equals_the_cli(cli, drop, tmp_path):
    found = kc.similar(kc.read_corpus(drop / "new"), reference=kc.read_corpus(drop / "archive"), threshold=0.4)
    result = cli(
        "similar", drop / "new", "--reference", drop / "archive", "--threshold", "0.4", "-o", tmp_path / "c.csv", "-q"
    )
    assert result.exit_code == 0, result.stderr
    kc.write(found, tmp_path / "a.csv")
    assert (tmp_path / "c.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()


@given(st.text(min_size=1, max_size=300))
def test_a_text_is_identical_to_itself_respaced(text):
    spaced = " \n".join(text.split()) if text.split() else text
    assert jaccard(shingle_hashes(text, 5), shingle_hashes(spaced, 5)) == 1.0


def test_unrelated_documents_are_rarely_candidates():
    """LSH: 400 random texts give almost no candidate pairs (nowhere near the 79,800 of all pairs)."""
    rng = np.random.default_rng(0)
    syllables = [chr(0xAC00 + int(i)) for i in rng.integers(0, 11172, size=400 * 600)]
    items = [sketch(str(i), "".join(syllables[i * 600 : (i + 1) * 600]), [], 5) for i in range(400)]
    options = SimilarOptions()
    pairs = candidate_pairs(signatures(items, options), options, lambda i, j: True)
    assert len(pairs) < 20
    copy = sketch("copy", "".join(syllables[:600]), [], 5)
    pairs = candidate_pairs(signatures([*items, copy], options), options, lambda i, j: True)
    assert (0, 400) in pairs
