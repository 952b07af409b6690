"""PDF reading time against Kiwi tokenising time on the same text, and pages per second.

    python scripts/bench_pdf_reader.py [--repeat 3] [--runs 5] [--jobs 2]

Typesets every evaluation page `--repeat` times into one PDF, then alternates runs of (a) reading the PDF
(kcorpus.io.readers.read_bytes) and (b) tokenising the cleaned text with Kiwi as the pipeline does
(paragraph pieces, `--jobs` workers; Kiwi loaded before the first run). Prints medians of wall and CPU
seconds (CPU includes Kiwi's worker threads).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "scripts"), str(ROOT / "tests")]

from reader_eval_docs import DEV, HELDOUT, HELDOUT2  # noqa: E402

from kcorpus.clean import clean_text  # noqa: E402
from kcorpus.io.readers import read_bytes  # noqa: E402
from kcorpus.nlp.analyzer import Analyzer, piece_spans  # noqa: E402
from typeset import Page, typeset  # noqa: E402


def timed(work) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    texts = [text for doc in DEV[:2] + HELDOUT + HELDOUT2 for page in doc.pages for text in page.paragraphs]
    pages = [Page(texts * args.repeat)]  # one flow of text filling the pages, as in a report
    path = typeset(Path(tempfile.mkdtemp()) / "bench.pdf", pages, header="성능 측정용 문서")
    data = path.read_bytes()
    read = read_bytes("pdf", data)
    cleaned = clean_text(read.text, shape=read.layout)
    analyzer = Analyzer(jobs=args.jobs)
    _ = analyzer.kiwi  # load once, outside the timing

    def tokenise():
        return list(analyzer.tokenize_documents([(cleaned.text, piece_spans(cleaned.text, cleaned.paragraphs))]))

    reads, kiwis = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        reads.append(timed(lambda: read_bytes("pdf", data))[:2])
        kiwis.append(timed(tokenise)[:2])
    read_wall = statistics.median(w for w, _ in reads)
    read_cpu = statistics.median(c for _, c in reads)
    kiwi_wall = statistics.median(w for w, _ in kiwis)
    kiwi_cpu = statistics.median(c for _, c in kiwis)
    count = len(set(page for page, _ in read.positions or ()))
    print(f"pdf: {count} pages, {len(data) / 1024:.0f} KB, {len(read.text):,} characters read")
    print(
        f"read (median of {args.runs}): {read_wall:.3f} s wall, {read_cpu:.3f} s CPU, {count / read_wall:.0f} pages/s"
    )
    print(f"Kiwi tokenise, {args.jobs} workers: {kiwi_wall:.3f} s wall, {kiwi_cpu:.3f} s CPU")
    print(
        f"reading / tokenising: {100 * read_wall / kiwi_wall:.1f}% of wall time, {100 * read_cpu / kiwi_cpu:.1f}% of CPU time"
    )


if __name__ == "__main__":
    main()
