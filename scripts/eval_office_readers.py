"""Write every evaluation document as HWPX, DOCX and HWP 5.0 (tests/office_files.py), read it back through
kcorpus and count the paragraphs that come back exactly as written (footnotes after their paragraph,
tables a row per line).

    python scripts/eval_office_readers.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "tests")]

from reader_eval_docs import DEV, HELDOUT, HELDOUT2  # noqa: E402

from kcorpus.io.readers import read_bytes  # noqa: E402
from office_files import Grid, Para, docx_bytes, expected, hwp_bytes, hwpx_bytes  # noqa: E402

MARKER = re.compile(r"<super>([^<]*)</super>")


def blocks_of(doc) -> list:
    """A document's pages as blocks: paragraphs with the footnotes their markers cite, then the table."""
    blocks: list = []
    for page in doc.pages:
        notes = {re.match(r"[0-9]+", note).group(): note for note in page.footnotes}
        for text in page.paragraphs:
            blocks.append(Para(MARKER.sub("", text), [notes[n] for n in MARKER.findall(text) if n in notes]))
        if page.table:
            blocks.append(Grid(page.table))
    return blocks


def main() -> None:
    builders = {"hwpx": hwpx_bytes, "docx": docx_bytes, "hwp": hwp_bytes}
    print("format,documents,paragraphs,equal")
    for kind, build in builders.items():
        total = equal = 0
        docs = DEV[:2] + HELDOUT + HELDOUT2
        for doc in docs:
            blocks = blocks_of(doc)
            want = expected(blocks)
            got = read_bytes(kind, build(blocks)).text.split("\n\n")
            total += len(want)
            equal += sum(a == b for a, b in zip(want, got)) if len(got) == len(want) else 0
        print(f"{kind},{len(docs)},{total},{equal}")


if __name__ == "__main__":
    main()
