"""Kiwi's part-of-speech tags and the sets kcorpus counts with (no Kiwi import here)."""

from __future__ import annotations

NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH"})
VERB_TAGS = frozenset({"VV", "VA"})
SUFFIX_VERB_TAGS = {"XSV": "VV", "XSA": "VA"}
PRESETS = ("nouns", "content", "all")
KIWI_TAGS = frozenset(
    "NNG NNP NNB NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ JX JC EP EF EC ETN ETM "
    "XPN XSN XSV XSA XSM XR SF SP SS SSO SSC SE SO SW SL SH SN SB UN W_URL W_EMAIL W_HASHTAG W_MENTION "
    "W_SERIAL W_EMOJI Z_CODA Z_SIOT USER0 USER1 USER2 USER3 USER4".split()
)


def base_tag(tag: str) -> str:
    """Kiwi marks irregular conjugation with a suffix (VV-I); the part of speech is before it."""
    return tag.split("-", 1)[0]


def term_class(tag: str) -> str:
    """The tag a term is counted under: NNG and NNP are one class (Kiwi flips unknown words between them)."""
    base = base_tag(tag)
    return "NN" if base in ("NNG", "NNP") else base
