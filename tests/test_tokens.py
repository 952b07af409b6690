"""TokenBuilder: the token table built column by column equals the table read token by token."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kcorpus.nlp.tokens import ARRAY_FIELDS, PLACEHOLDER_IDS, TokenBuilder


@dataclass(frozen=True)
class FakeToken:
    """The fields of a Kiwi token that TokenBuilder reads."""

    id: int
    form: str
    tag: str
    lemma: str
    start: int
    len: int
    sent_position: int


# a dictionary morpheme always has the same form, tag and lemma; a placeholder's form varies
MORPHEMES = {
    100: ("하", "VV", "하다"),
    101: ("돕", "VV-I", "돕다"),
    102: ("협력", "NNG", "협력"),
    103: ("이", "VCP", "이다"),
    104: ("다", "EF", "다"),
    105: ("양자 컴퓨팅", "NNP", "양자 컴퓨팅"),
    106: ("하", "XSV", "하다"),  # XSV: its lemma is not used
}
PLACEHOLDER_TAGS = ("SN", "SL", "SW", "NNP", "VV")


@st.composite
def piece(draw) -> tuple[list[FakeToken], int, int]:
    tokens, at, sentence = [], 0, 0
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            ident = draw(st.sampled_from(sorted(MORPHEMES)))
            form, tag, lemma = MORPHEMES[ident]
        else:
            ident = draw(st.integers(0, PLACEHOLDER_IDS))
            form, tag = draw(st.text(min_size=1, max_size=3)), draw(st.sampled_from(PLACEHOLDER_TAGS))
            lemma = draw(st.sampled_from([form, form + "다"]))
        at += draw(st.integers(0, 2))
        sentence += draw(st.integers(0, 1))
        tokens.append(FakeToken(ident, form, tag, lemma, at, len(form), sentence))
        at += len(form)
    return tokens, draw(st.integers(0, 5000)), draw(st.integers(0, 50))


def token_by_token(pieces) -> tuple[list[str], np.ndarray]:
    """The table as the obvious loop makes it: strings numbered as first met (form, tag, lemma of each
    token), lemma -1 when it is the form, only verbs and adjectives (tags in V) having a lemma of their own."""
    ids: dict[str, int] = {}
    rows, next_sentence = [], 0
    for tokens, offset, paragraph in pieces:
        for t in tokens:
            lemma = t.lemma if t.tag[0] == "V" else t.form
            form_id, tag_id = ids.setdefault(t.form, len(ids)), ids.setdefault(t.tag, len(ids))
            lemma_id = -1 if lemma == t.form else ids.setdefault(lemma, len(ids))
            start = offset + t.start
            rows.append((form_id, tag_id, lemma_id, start, start + t.len, paragraph, next_sentence + t.sent_position))
        next_sentence += max((t.sent_position for t in tokens), default=-1) + 1
    return list(ids), np.array(rows, dtype=np.int32).reshape(-1, len(ARRAY_FIELDS))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(piece(), max_size=4), min_size=1, max_size=3))
def test_builder_matches_the_token_by_token_table(documents):
    morphemes: dict[int, tuple[str, str, str]] = {}  # shared by the documents, as Analyzer shares it
    for pieces in documents:
        builder = TokenBuilder(morphemes)
        for tokens, offset, paragraph in pieces:
            builder.add_piece(tokens, offset, paragraph)
        table = builder.build()
        strings, rows = token_by_token(pieces)
        assert table.strings == strings
        for i, name in enumerate(ARRAY_FIELDS):
            column = getattr(table, name)
            assert column.dtype == np.int32 and column.tolist() == rows[:, i].tolist(), name
    assert all(ident > PLACEHOLDER_IDS for ident in morphemes)  # a placeholder's strings are never kept


def test_a_placeholder_id_is_read_each_time():
    """Two numbers share Kiwi's SN placeholder id: each keeps its own form."""
    builder = TokenBuilder({})
    builder.add_piece([FakeToken(33, "2020", "SN", "2020", 0, 4, 0)], 0, 0)
    builder.add_piece([FakeToken(33, "5", "SN", "5", 0, 1, 0)], 5, 1)
    table = builder.build()
    assert table.column("form") == ["2020", "5"]
    assert table.start.tolist() == [0, 5] and table.end.tolist() == [4, 6]
    assert table.paragraph.tolist() == [0, 1] and table.sentence.tolist() == [0, 1]
