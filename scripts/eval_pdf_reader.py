"""Typeset known documents as PDF (a drop in a temporary folder), read them back through kcorpus and
measure: junctions right, furniture left, footnotes inside a sentence, characters lost.

    python scripts/eval_pdf_reader.py --set heldout [--keep DIR]

A junction is every line break the reader produced; it is right when the cleaned text separates the two
characters around it as the known text does (nothing, a space, or a paragraph break).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "tests")]

from reader_eval_docs import DEV, HELDOUT, HELDOUT2, EvalDoc  # noqa: E402

from kcorpus.io.sources import Document, read_sources  # noqa: E402
from kcorpus.pipeline.corpus import clean_document  # noqa: E402
from typeset import typeset  # noqa: E402

MARKER = re.compile(r"<super>([^<]*)</super>")


def truth(doc: EvalDoc) -> tuple[list[str], list[str]]:
    """(paragraphs in reading order, footnotes) of a document as written."""
    paragraphs: list[str] = []
    notes_all: list[str] = []
    for page in doc.pages:
        anchored: dict[int, list[str]] = {}
        for note in page.footnotes:
            number = re.match(r"[0-9]+", note).group()
            where = next(
                (i for i, text in enumerate(page.paragraphs) if f"<super>{number}</super>" in text),
                len(page.paragraphs) - 1,
            )
            anchored.setdefault(where, []).append(note)
            notes_all.append(note)
        for index, text in enumerate(page.paragraphs):
            paragraphs.append(MARKER.sub("", text))
            paragraphs.extend(anchored.get(index, []))
        paragraphs.extend("\t".join(row) for row in page.table)
    return paragraphs, notes_all


def _nonspace(text: str) -> tuple[str, list[str]]:
    """The non-whitespace characters, and the kind of gap after each: '' (none), 'space' or 'break'."""
    chars, gaps = [], []
    for match in re.finditer(r"(\S)(\s*)", text):
        chars.append(match.group(1))
        gap = match.group(2)
        gaps.append("break" if "\n\n" in gap else "space" if gap else "")
    return "".join(chars), gaps


def _mapping(a: str, b: str) -> dict[int, int]:
    """Index in b of each character of a that the alignment matches."""
    out = {}
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            out[block.a + k] = block.b + k
    return out


def measure(doc: EvalDoc, read: Document, boundary=None) -> dict:
    paragraphs, notes = truth(doc)
    cleaned = clean_document(read, True, boundary=boundary)
    t_chars, t_gaps = _nonspace("\n\n".join(paragraphs))
    o_chars, o_gaps = _nonspace(cleaned.text)
    r_text = read.text
    r_chars, _ = _nonspace(r_text)
    # the reader's own breaks: which non-space characters a newline follows
    boundaries = []
    for match in re.finditer(r"(\S)([ \t]*\n+)", r_text):
        boundaries.append(match)
    r_index = {m.start(): i for i, m in enumerate(re.finditer(r"\S", r_text))}
    r_to_t = _mapping(r_chars, t_chars)
    t_to_o = _mapping(t_chars, o_chars)
    right = reader_right = total = 0
    wrong: list[str] = []
    for match in boundaries:
        r = r_index[match.start(1)]
        t, t_next = r_to_t.get(r), r_to_t.get(r + 1)
        total += 1
        if t is None or t_next != t + 1:
            wrong.append(f"unaligned at {r_chars[max(0, r - 8) : r + 8]!r}")
            continue
        expected_gap = t_gaps[t]
        reader_gap = "break" if "\n\n" in match.group(2) else "wrap"
        reader_right += (reader_gap == "break") == (expected_gap == "break")
        o, o_next = t_to_o.get(t), t_to_o.get(t + 1)
        got = o_gaps[o] if o is not None and o_next == o + 1 else "?"
        if got == expected_gap:
            right += 1
        else:
            wrong.append(f"{t_chars[max(0, t - 8) : t + 1]}|{t_chars[t + 1 : t + 9]} want {expected_gap!r} got {got!r}")
    lost = len(t_chars) - len(t_to_o)
    extra = len(o_chars) - len(t_to_o)
    out_paragraphs = [" ".join(p.split()) for p in cleaned.paragraph_texts()]
    furniture = sum(
        1
        for p in out_paragraphs
        if (doc.header and doc.header.replace(" ", "") in p.replace(" ", "")) or re.fullmatch(r"- ?[0-9]+ ?-", p)
    )
    notes_inside = sum(1 for note in notes if " ".join(note.split()) not in out_paragraphs)
    return {
        "doc": doc.name,
        "pages": len(doc.pages),
        "junctions": total,
        "right": right,
        "reader_right": reader_right,
        "lost": lost,
        "extra": extra,
        "furniture": furniture,
        "notes": len(notes),
        "notes_inside": notes_inside,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "heldout", "heldout2"], default="heldout")
    parser.add_argument("--keep", type=Path, help="write the PDFs to this folder and keep them")
    parser.add_argument("--verbose", action="store_true", help="list every wrong junction")
    parser.add_argument("--no-kiwi", action="store_true", help="clean without Kiwi's word-boundary judge")
    args = parser.parse_args()
    boundary = None
    if not args.no_kiwi:  # as a corpus run cleans: Kiwi's spacing model judges the wraps the text cannot decide
        from kcorpus.nlp.analyzer import Analyzer

        boundary = Analyzer().word_boundary
    docs = {"dev": DEV, "heldout": HELDOUT, "heldout2": HELDOUT2}[args.set]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kcorpus-pdf-eval-"))
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        typeset(
            folder / f"{doc.name}.pdf",
            doc.pages,
            header=doc.header,
            columns=doc.columns,
            cjk=doc.cjk,
            justify=doc.justify,
            page_numbers=doc.page_numbers,
            size=doc.size,
        )
    reads = {item.id: item for item in read_sources([str(folder)])}
    rows = []
    for doc in docs:
        read = reads[f"{doc.name}.pdf"]
        if not isinstance(read, Document):
            print(f"{doc.name}: skipped ({read.reason})")
            continue
        rows.append(measure(doc, read, boundary))
    print(
        "doc,pages,junctions,right,reader_breaks_right,chars_lost,chars_extra,furniture_left,footnotes,footnotes_inside"
    )
    for row in rows:
        print(
            f"{row['doc']},{row['pages']},{row['junctions']},{row['right']},{row['reader_right']},{row['lost']},"
            f"{row['extra']},{row['furniture']},{row['notes']},{row['notes_inside']}"
        )
        if args.verbose:
            for line in row["wrong"]:
                print(f"    {line}")
    junctions = sum(r["junctions"] for r in rows)
    print(
        f"total: junctions right {sum(r['right'] for r in rows)}/{junctions} "
        f"({100 * sum(r['right'] for r in rows) / max(junctions, 1):.2f}%), "
        f"reader's paragraph breaks right {sum(r['reader_right'] for r in rows)}/{junctions}, "
        f"characters lost {sum(r['lost'] for r in rows)}, extra {sum(r['extra'] for r in rows)}, "
        f"furniture left {sum(r['furniture'] for r in rows)}, "
        f"footnotes inside a sentence {sum(r['notes_inside'] for r in rows)}/{sum(r['notes'] for r in rows)}"
    )


if __name__ == "__main__":
    main()
