"""Ground-truth harness of kcorpus.clean: typeset known text to PDF, extract it again, clean, score.

    pip install -e ".[harness]"; apt-get install -y poppler-utils
    python scripts/clean_truth.py                      # held-out documents (tests/data/clean_truth/heldout)
    python scripts/clean_truth.py --set tune -v        # the documents the rules were checked on, with errors
    python scripts/clean_truth.py --keep /tmp/truth    # also keep the PDFs and extractions there
    python scripts/clean_truth.py --set S --simulated  # the truth wrapped at 12 widths, no PDF (more wraps)

Every document of a set is typeset several ways (page width, font size, page-number form; running
headers shared by the whole drop), extracted by poppler ``pdftotext`` (default and ``-layout``), by
``pypdf`` and by kcorpus's own PDF reader (``kcorpus``: single style, cleaned as shape "wrapped"), each in two line styles ("single": as extracted; "blank": a blank line after every line, as in
the bundled reports), then cleaned as one drop (``drop_furniture`` over all documents, then
``clean_text``).  Scoring aligns the non-space characters of truth, extraction and cleaned text and
judges every line junction of the extraction against the truth: an in-word wrap must be glued, a
word wrap spaced, a paragraph/structure start kept apart, a table cell kept apart (space or break).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kcorpus.clean import clean_text, drop_furniture  # noqa: E402

TRUTH_DIR = ROOT / "tests" / "data" / "clean_truth"
DROP_HEADER = "국회입법조사처 정책자료 2026"
PAGE_FORMS = ["- {p} -", "{p}", "{p}/{n}", "- {r} -", "Page {p}"]
VARIANTS = 2
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
# (frame width in points, font size, leading): narrow/wide columns, small/large type
LAYOUTS = [(430, 10.5, 16), (300, 12, 19), (480, 9, 13.5), (320, 13, 20), (400, 11, 17)]
STRUCTURE = re.compile(
    r"^(?:제[0-9]+조|제[0-9]+[장절]|부칙|[①-⑳]|[0-9]{1,2}\.\s|[가-하]\.\s|\(?[0-9]{1,2}\)\s|[□○◦∙▶■※*-]\s?|Ⅰ|Ⅱ|Ⅲ)"
)


# ---------------------------------------------------------------------------
# Truth documents
# ---------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "para" | "heading" (letter-spaced) | "row" | "footnote"
    cells: list[str]


@dataclass
class TruthDoc:
    name: str
    blocks: list[Block]

    def truth_text(self) -> str:
        """Paragraphs one per line; table cells separated by a tab; footnotes last; markers dropped."""
        out = []
        for b in self.blocks:
            if b.kind == "footnote":
                continue
            out.append("\t".join(_unmark(c) for c in b.cells))
        out += [_unmark(b.cells[0]) for b in self.blocks if b.kind == "footnote"]
        return "\n".join(out)


def _unmark(s: str) -> str:
    return re.sub(r"\[\^[0-9]+\]", "", s)


def read_truth(path: Path) -> TruthDoc:
    blocks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("="):
            blocks.append(Block("heading", [line[1:]]))
        elif line.startswith("|"):
            blocks.append(Block("row", [c.strip() for c in line.strip("|").split("|")]))
        elif line.startswith("^"):
            blocks.append(Block("footnote", [line[1:]]))
        else:
            blocks.append(Block("para", [line]))
    return TruthDoc(path.stem, blocks)


# ---------------------------------------------------------------------------
# Typesetting (reportlab) and extraction
# ---------------------------------------------------------------------------


def font_path() -> str:
    import importlib.util

    spec = importlib.util.find_spec("koreanize_matplotlib")  # its folder only: importing it patches matplotlib
    if spec is None or spec.origin is None:
        raise SystemExit("clean_truth: koreanize-matplotlib is not installed")
    found = sorted(Path(spec.origin).parent.rglob("NanumGothic.ttf"))
    if not found:
        raise SystemExit("clean_truth: NanumGothic.ttf not found in koreanize-matplotlib")
    return str(found[0])


def labels(k: int, pages: int) -> list[str]:
    """The page numbers drawn on the pages of document k of a set."""
    form = PAGE_FORMS[k % len(PAGE_FORMS)]
    return [form.format(p=p, n=pages, r=ROMAN[p - 1]) for p in range(1, pages + 1)]


def typeset(doc: TruthDoc, pdf: Path, k: int) -> int:
    """Write `doc` to `pdf` in layout variant k; returns the number of pages."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "Nanum" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Nanum", font_path()))
    width, size, leading = LAYOUTS[k % len(LAYOUTS)]
    form = PAGE_FORMS[k % len(PAGE_FORMS)]
    body = ParagraphStyle("b", fontName="Nanum", fontSize=size, leading=leading, wordWrap="CJK", spaceAfter=4)
    head = ParagraphStyle("h", parent=body, alignment=TA_CENTER, spaceBefore=6)
    cell = ParagraphStyle("c", parent=body, fontSize=size - 1, leading=leading - 2, spaceAfter=0)
    note = ParagraphStyle("n", parent=body, fontSize=size - 2, leading=leading - 3)
    margin = (A4[0] - width) / 2
    footnotes = [b.cells[0] for b in doc.blocks if b.kind == "footnote"]
    pages = [0]

    def esc(s: str) -> str:
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return re.sub(r"\[\^([0-9]+)\]", r"<super>\1)</super>", s)

    def furniture(canvas, d) -> None:
        canvas.saveState()
        canvas.setFont("Nanum", 8)
        canvas.drawString(margin, A4[1] - 40, DROP_HEADER)
        p = canvas.getPageNumber()
        pages[0] = max(pages[0], p)
        label = form.format(p=p, n="{n}", r=ROMAN[p - 1])
        canvas.drawCentredString(A4[0] / 2, 30, label.replace("{n}", str(n_pages[0] or 2)))
        canvas.restoreState()

    def note_heights() -> list[float]:
        return [Paragraph(esc(fn), note).wrap(width, 1000)[1] + 2 for fn in footnotes]

    def last_page(canvas, d) -> None:
        """The footnotes above the bottom margin (and so above the page number), their wrapped heights stacked."""
        if footnotes:
            canvas.saveState()
            y = 60 + sum(note_heights())
            canvas.line(margin, y + 4, margin + 120, y + 4)
            for fn in footnotes:
                para = Paragraph(esc(fn), note)
                _, h = para.wrap(width, 1000)
                para.drawOn(canvas, margin, y - h)
                y -= h + 2
            canvas.restoreState()

    def build_story() -> list:
        """Fresh flowables for each pass (reportlab keeps layout state in them)."""
        story: list = []
        rows: list[list[str]] = []

        def table() -> None:
            if rows:
                cells = [[Paragraph(esc(c), cell) for c in r] for r in rows]
                t = Table(cells, colWidths=[(width - 14) / 2] * 2)
                t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.append(t)
                rows.clear()

        for b in doc.blocks:
            if b.kind != "row":
                table()
            if b.kind == "para":
                story.append(Paragraph(esc(b.cells[0]), body))
            elif b.kind == "heading":
                story.append(Paragraph("&nbsp;&nbsp;&nbsp;&nbsp;".join(b.cells[0]), head))
            elif b.kind == "row":
                rows.append(b.cells)
        table()
        story.append(Spacer(1, sum(note_heights()) + 14))  # room for the footnotes on the last page
        return story

    n_pages = [0]
    for _ in range(2):  # second pass knows the page count ("3/12")
        tpl = SimpleDocTemplate(
            str(pdf), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=60, bottomMargin=60
        )
        tpl.build(build_story(), onFirstPage=furniture, onLaterPages=furniture, canvasmaker=_canvas(last_page))
        n_pages[0] = pages[0]
    return pages[0]


def _canvas(last_page):
    """A canvas that draws the footnotes on the last page only."""
    from reportlab.pdfgen.canvas import Canvas

    class LastPageCanvas(Canvas):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self._saved: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab API
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for k, state in enumerate(self._saved):
                self.__dict__.update(state)
                if k == len(self._saved) - 1:
                    last_page(self, None)
                super().showPage()
            super().save()

    return LastPageCanvas


def extract(pdf: Path, how: str) -> str:
    if how == "kcorpus":  # kcorpus's own PDF reader (pypdfium2 + layout): paragraphs known, furniture dropped
        from kcorpus.io.sources import read_sources

        (doc,) = read_sources([str(pdf)])
        return doc.text
    if how == "pypdf":
        from pypdf import PdfReader

        return "\f".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if how == "layout" else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def line_style(text: str, style: str) -> str:
    return text if style == "single" else text.replace("\n", "\n\n")


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def stream(text: str, table_tabs: bool = False) -> tuple[str, list[str]]:
    """Non-space characters and, after each, what separates it from the next ("", " ", "\\n", "\\t")."""
    chars: list[str] = []
    seps: list[str] = []
    gap = ""
    for ch in text:
        if ch.isspace():
            if ch == "\t" and table_tabs:
                gap = "\t"
            elif ch in "\n\f" and gap != "\t":
                gap = "\n"
            elif not gap:
                gap = " "
            continue
        if chars:
            seps.append(gap)
        chars.append(ch)
        gap = ""
    seps.append("\n")
    return "".join(chars), seps


def align(a: str, b: str) -> dict[int, int]:
    """Map positions of a to positions of b over their matching blocks."""
    m: dict[int, int] = {}
    for blk in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(blk.size):
            m[blk.a + k] = blk.b + k
    return m


@dataclass
class Score:
    junctions: int = 0
    right: int = 0
    errors: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    lost: int = 0
    furniture_left: int = 0
    unaligned_runs: int = 0  # cleaned text with no counterpart in the truth (table cells read in another order)
    pages: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.junctions += other.junctions
        self.right += other.right
        self.errors.update(other.errors)
        self.kinds.update(other.kinds)
        self.lost += other.lost
        self.furniture_left += other.furniture_left
        self.unaligned_runs += other.unaligned_runs
        self.pages += other.pages
        self.examples += other.examples


def score(
    truth: str,
    extracted: str,
    cleaned: str,
    name: str,
    page_labels: list[str],
    removed: tuple[tuple[int, str, str], ...] = (),
) -> Score:
    tc, tsep = stream(truth, table_tabs=True)
    ec, esep = stream(extracted)
    cc, csep = stream(cleaned)
    t2e = align(tc, ec)
    e2t = {e: t for t, e in t2e.items()}
    t2c = align(tc, cc)
    s = Score()
    # characters of the truth that the extraction has and the cleaning lost
    # characters lost: dropped without being listed as removed, or removed although not furniture
    # (a header, a page label, a footnote marker); counted as multisets, so table cells read in
    # another order do not count
    listed = Counter(re.sub(r"\s", "", "".join(t for _, _, t in removed)))
    silent = Counter(ec) - Counter(cc) - listed
    furniture = {re.sub(r"\s", "", x) for x in (DROP_HEADER, *page_labels)}
    content = [
        t for _, _, t in removed if re.sub(r"\s", "", t) not in furniture and not re.fullmatch(r"[0-9]{1,3}\)", t)
    ]
    s.lost = sum(silent.values()) + sum(len(re.sub(r"\s", "", t)) for t in content)
    s.examples += [f"{name}: removed content: {t}" for t in content]
    # furniture left: runs of cleaned characters with no counterpart in the truth
    matched_c = set(t2c.values())
    run = ""
    for k in range(len(cc) + 1):
        if k < len(cc) and k not in matched_c:
            run += cc[k]
        elif run:
            s.unaligned_runs += 1
            run = ""
    # furniture left: the drawn header, or a page label standing as a paragraph or at one's edge
    # (as many as the truth itself has are not furniture: a table row may start with "1")
    labels = {re.sub(r"\s", "", lb) for lb in page_labels}

    def furniture_like(paragraphs: list[str]) -> list[str]:
        hits = []
        for para in paragraphs:
            flat = re.sub(r"\s", "", para)
            toks = para.split()
            hit = DROP_HEADER.replace(" ", "") in flat or flat in labels
            if hit or (len(toks) > 1 and (toks[0] in labels or toks[-1] in labels)):
                hits.append(para)
        return hits

    # compared with spaces normalised, and a table row also counted cell by cell (a cell kept as a line of its
    # own, such as a count "4", is content even when it looks like a page number)
    rows = truth.split("\n") + [cell for row in truth.split("\n") if "\t" in row for cell in row.split("\t")]
    left = Counter(" ".join(p.split()) for p in furniture_like(cleaned.split("\n\n"))) - Counter(
        " ".join(p.split()) for p in furniture_like(rows)
    )
    s.furniture_left = sum(left.values())
    s.examples += [f"{name}: furniture left: {para[:60]}" for para in left]
    para_starts = {}
    in_table: set[int] = set()  # truth characters of table rows: a kept line break there is right
    pos = 0
    for ln in truth.split("\n"):
        n = len(re.sub(r"\s", "", ln))
        para_starts[pos] = ln
        if "\t" in ln:
            in_table.update(range(pos, pos + n))
        pos += n
    for j in range(len(ec) - 1):
        if esep[j] != "\n":
            continue
        i, i2 = e2t.get(j), e2t.get(j + 1)
        if i is None or i2 != i + 1:
            continue  # a junction with furniture or outside the truth
        want = tsep[i]
        k, k2 = t2c.get(i), t2c.get(i + 1)
        got = csep[k] if k is not None and k2 == k + 1 else "?"
        s.junctions += 1
        kind = {"": "in-word", " ": "word", "\n": "paragraph", "\t": "cell"}[want]
        s.kinds[kind] += 1
        ok = got == want or (want == "\t" and got in (" ", "\n")) or (i in in_table and got == "\n")
        if ok:
            s.right += 1
            continue
        if want == "":
            err = "in-word left split" if got == " " else "in-word broken"
        elif want == " ":
            err = "word glued" if got == "" else "word broken"
        elif want == "\n":
            start = para_starts.get(i + 1, "")
            err = "structure joined" if STRUCTURE.match(start) else "paragraph joined"
        else:
            err = "cell glued"
        if got == "?":
            err = "unaligned"
        s.errors[err] += 1
        s.examples.append(f"{name}: {err}: …{tc[max(0, i - 12) : i + 1]}|{tc[i + 1 : i + 13]}…")
    return s


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def load_set(set_name: str) -> list[TruthDoc]:
    """The truth documents of a set; "bundled": the bundled reports as cleaned by kcorpus (their judged
    sample is right, scripts/clean_rules.md), split into chunks of about 40 paragraphs, with the
    characters NanumGothic cannot draw (Hanja, other scripts) left out."""
    if set_name != "bundled":
        return [read_truth(p) for p in sorted((TRUTH_DIR / set_name).glob("*.txt"))]
    docs = []
    drawable = re.compile(r"[^\uac00-\ud7a3\u3131-\u318e\u0020-\u007e·ㆍ‘’“”「」『』《》〈〉【】…※□○◦∙▶■△①-⑳%℃→~∼-]")
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        paras = clean_text(path.read_text(encoding="utf-8")).paragraph_texts()
        paras = [" ".join(drawable.sub("", p).split()) for p in paras]
        paras = [p for p in paras if len(p) > 1]
        for k in range(0, len(paras), 40):
            docs.append(TruthDoc(f"{path.stem[:12]}-{k // 40:02d}", [Block("para", [p]) for p in paras[k : k + 40]]))
    return docs


def run(set_name: str, keep: Path | None, kiwi: bool = True) -> dict[tuple[str, str], Score]:
    docs = load_set(set_name)
    work = keep or Path(tempfile.mkdtemp(prefix="clean_truth_"))
    work.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for v in range(VARIANTS):  # every document in several layouts: one drop of len(docs) * VARIANTS
        for k, doc in enumerate(docs):
            variant = k + v * 2
            pdf = work / f"{doc.name}.v{v}.pdf"
            pdfs.append((doc, pdf, typeset(doc, pdf, variant), variant))
    results: dict[tuple[str, str], Score] = {}
    judge = None
    if kiwi:  # as a corpus run cleans: Kiwi's spacing model judges the wraps the text cannot decide
        from kcorpus.nlp.analyzer import Analyzer

        judge = Analyzer().word_boundary
    for how in ("pdftotext", "layout", "pypdf", "kcorpus"):
        for style in ("single",) if how == "kcorpus" else ("single", "blank"):
            texts = [line_style(extract(pdf, how), style) for _, pdf, _, _ in pdfs]
            furniture = drop_furniture(texts) if how != "kcorpus" else frozenset()
            total = Score()
            for (doc, pdf, pages, variant), text in zip(pdfs, texts):
                if how == "kcorpus":  # as the pipeline cleans a reader's text: only word vs in-word at wraps
                    result = clean_text(text, shape="wrapped", boundary=judge)
                else:
                    result = clean_text(text, furniture=furniture, boundary=judge)
                cleaned = result.text
                if keep:
                    (work / f"{pdf.stem}.{how}.{style}.txt").write_text(text, encoding="utf-8")
                    (work / f"{pdf.stem}.{how}.{style}.clean.txt").write_text(cleaned, encoding="utf-8")
                sc = score(doc.truth_text(), text, cleaned, pdf.stem, labels(variant, pages), result.removed)
                sc.pages = pages
                total.add(sc)
            results[(how, style)] = total
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return results


def print_table(results: dict[tuple[str, str], Score], verbose: bool) -> None:
    print(
        "| extractor | lines | pages | junctions | right % | in-word left split % | word glued % "
        "| structure joined | paragraph joined | other errors | chars lost | furniture left | unaligned runs |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (how, style), s in results.items():
        n = max(s.junctions, 1)
        other = sum(v for k, v in s.errors.items() if k not in ("in-word left split", "word glued", "structure joined"))
        other -= s.errors["paragraph joined"]
        print(
            f"| {how} | {style} | {s.pages} | {s.junctions} | {100 * s.right / n:.2f} "
            f"| {100 * s.errors['in-word left split'] / n:.2f} | {100 * s.errors['word glued'] / n:.2f} "
            f"| {s.errors['structure joined']} | {s.errors['paragraph joined']} | {other} | {s.lost} "
            f"| {s.furniture_left} | {s.unaligned_runs} |"
        )
    if verbose:
        for (how, style), s in results.items():
            for ex in s.examples:
                print(f"{how}/{style}: {ex}")


def timing(set_name: str) -> None:
    """Cleaning time (with Kiwi's judge) against cold tokenisation (Kiwi load + tokenising) of one drop."""
    import time

    from kcorpus.nlp.analyzer import Analyzer, piece_spans

    docs = load_set(set_name)
    with tempfile.TemporaryDirectory() as tmp:
        texts = []
        for k, doc in enumerate(docs):
            pdf = Path(tmp) / f"{doc.name}.pdf"
            typeset(doc, pdf, k)
            texts += [extract(pdf, "pdftotext"), extract(pdf, "pypdf")]
    analyzer = Analyzer()
    start = time.perf_counter()
    analyzer.kiwi.tokenize("가")  # loading and Kiwi's first-use set-up (seconds) are part of any cold run
    load = time.perf_counter() - start
    start = time.perf_counter()
    furniture = drop_furniture(texts)
    cleaned = [clean_text(t, furniture=furniture, boundary=analyzer.word_boundary) for t in texts]
    clean = time.perf_counter() - start
    start = time.perf_counter()
    for _ in analyzer.tokenize_documents((c.text, piece_spans(c.text, c.paragraphs)) for c in cleaned):
        pass
    tokenise = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    print(
        f"{len(texts)} extractions, {chars} chars: clean (with Kiwi's judge) {1000 * clean:.0f} ms; "
        f"Kiwi load and first use {1000 * load:.0f} ms + tokenise {1000 * tokenise:.0f} ms; "
        f"clean / cold tokenisation = {clean / (load + tokenise):.3f}"
    )


# character widths of the simulated wraps (half-ems: 20 to 37 Hangul syllables a line)
SIMULATED_WIDTHS = (40, 44, 47, 50, 53, 56, 58, 61, 64, 67, 71, 75)


def simulated(doc: TruthDoc, cap: float) -> str:
    """`doc` wrapped character by character at `cap` half-ems (as HWP and wordWrap='CJK' set text, without a
    PDF: a space at a wrap is dropped, as pdftotext drops it), one line per line, no page furniture; a heading
    letter-spaced, a table row on one line with its cells apart, footnotes last."""
    from kcorpus.clean.patterns import _width

    def wrap(paragraph: str) -> list[str]:
        lines, cur = [], ""
        for ch in paragraph:
            if cur and _width(cur + ch) > cap:
                lines.append(cur.rstrip())
                cur = "" if ch == " " else ch
            else:
                cur += ch
        return lines + ([cur.rstrip()] if cur.strip() else [])

    out: list[str] = []
    for b in doc.blocks:
        if b.kind == "para":
            out += wrap(_unmark(b.cells[0]))
        elif b.kind == "heading":
            out.append("  ".join(b.cells[0]))
        elif b.kind == "row":
            out.append("   ".join(_unmark(c) for c in b.cells))
    for b in doc.blocks:
        if b.kind == "footnote":
            out += wrap(_unmark(b.cells[0]))
    return "\n".join(out) + "\n"


def run_simulated(set_name: str, kiwi: bool = True) -> Score:
    """Every document of a set wrapped at each of SIMULATED_WIDTHS (many more wraps than the typeset drop, at
    other places in the same text), cleaned and scored: the line-junction figures without PDF and extractor."""
    judge = None
    if kiwi:
        from kcorpus.nlp.analyzer import Analyzer

        judge = Analyzer().word_boundary
    total = Score()
    for doc in load_set(set_name):
        for cap in SIMULATED_WIDTHS:
            text = simulated(doc, cap)
            result = clean_text(text, boundary=judge)
            total.add(score(doc.truth_text(), text, result.text, f"{doc.name}@{cap}", [], result.removed))
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sets = sorted(p.name for p in TRUTH_DIR.iterdir() if p.is_dir()) + ["bundled"]
    ap.add_argument("--set", default="heldout", choices=sets, help="a folder of tests/data/clean_truth, or bundled")
    ap.add_argument("--keep", type=Path, help="keep PDFs, extractions and cleaned texts in this folder")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every wrong junction")
    ap.add_argument("--no-kiwi", action="store_true", help="clean without Kiwi's word-boundary judge")
    ap.add_argument("--timing", action="store_true", help="only time cleaning against cold tokenisation")
    ap.add_argument(
        "--simulated", action="store_true", help="wrap the truth at many widths without a PDF (more junctions)"
    )
    a = ap.parse_args()
    if shutil.which("pdftotext") is None:
        raise SystemExit("clean_truth: pdftotext not found (apt-get install -y poppler-utils)")
    if a.timing:
        timing(a.set)
        return
    if a.simulated:
        print_table({("simulated", "single"): run_simulated(a.set, not a.no_kiwi)}, a.verbose)
        return
    print_table(run(a.set, a.keep, not a.no_kiwi), a.verbose)


if __name__ == "__main__":
    main()
