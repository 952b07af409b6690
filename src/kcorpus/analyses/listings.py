"""Tables that list what the pipeline made: tokens (`tokenize`), documents (`info`), repairs (`clean --report`)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from kcorpus.nlp.terms import TermFilter, select_terms
from kcorpus.nlp.units import UnitSpec, make_units
from kcorpus.pipeline.corpus import Corpus

TOKEN_COLUMNS = ["doc", "unit", "index", "form", "tag", "lemma", "start", "end"]


def token_frames(corpus: Corpus, flt: TermFilter, spec: UnitSpec) -> Iterator[pd.DataFrame]:
    """One frame per document: a row per kept token. `lemma` is the term kcorpus counts for it;
    `index` is the token's position in the document; start/end are offsets into the cleaned text."""
    for analysed in corpus:
        tokens = analysed.tokens
        terms = select_terms(tokens, flt)
        idx = terms.index
        units = make_units(analysed, spec)
        yield pd.DataFrame(
            {
                "doc": analysed.id,
                "unit": units.token_unit[idx],
                "index": idx,
                "form": [tokens.strings[i] for i in tokens.form[idx].tolist()],
                "tag": [tokens.strings[i] for i in tokens.tag[idx].tolist()],
                "lemma": terms.term,
                "start": tokens.start[idx].astype(np.int64),
                "end": tokens.end[idx].astype(np.int64),
            },
            columns=TOKEN_COLUMNS,
        )


def unit_lines(corpus: Corpus, flt: TermFilter, spec: UnitSpec) -> Iterator[str]:
    """One line per unit: its terms separated by spaces (spaces inside a term become '_')."""
    for analysed in corpus:
        terms = select_terms(analysed.tokens, flt)
        units = make_units(analysed, spec)
        unit_of_term = units.token_unit[terms.index]
        words: list[list[str]] = [[] for _ in range(len(units))]
        for unit, term in zip(unit_of_term.tolist(), terms.term):
            words[unit].append(term.replace(" ", "_"))
        for line in words:
            yield " ".join(line)


def repair_table(items) -> pd.DataFrame:
    """A row per document: the input's shape as detected, paragraphs before (blank-line blocks) and after
    cleaning, each repair's count, and every removed piece as `source line: text`, separated by " | "."""
    from kcorpus.clean import REPAIR_NAMES, passthrough

    rows = []
    for doc, cleaned in items:
        row = {
            "doc": doc.id,
            "shape": cleaned.shape or "unchanged",
            "paragraphs_before": len(passthrough(doc.text).paragraphs),
            "paragraphs_after": len(cleaned.paragraphs),
        }
        row.update({name: int(cleaned.repairs.get(name, 0)) for name in REPAIR_NAMES})
        for _where, rule, _text in doc.removed:  # what a PDF reader left out (running headers, page numbers)
            row[rule] = row.get(rule, 0) + 1
        removed = [f"{where}: {text}" for where, _rule, text in doc.removed]
        row["removed"] = " | ".join(removed + [f"{line}: {text}" for line, _rule, text in cleaned.removed])
        rows.append(row)
    columns = ["doc", "shape", "paragraphs_before", "paragraphs_after", *REPAIR_NAMES, "removed"]
    return pd.DataFrame(rows, columns=columns)


def cleaned_lines(cleaned) -> Iterator[str]:
    """The cleaned text of each document; with several, each follows a `==> id <==` line."""
    several = len(cleaned) > 1
    for number, (doc, text) in enumerate(cleaned):
        if several:
            yield ("\n" if number else "") + f"==> {doc.id} <=="
        yield text.text


def check_out_dir(folder: Path) -> None:
    """--out-dir must be a folder or a path that can become one."""
    from kcorpus.errors import UsageError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out-dir {folder} is a file, not a folder: name a folder")


def cleaned_file_names(doc_ids: list[str]) -> list[Path]:
    """A distinct relative .txt path per document id, stable for the same ids in the same order.

    The id's folders are kept (never `..` or absolute), `#` of table rows becomes `_`, `.txt` is added
    when missing; where two ids give the same name (`notes` and `notes.txt`), later ones get `~2`, `~3`.
    """
    taken: set[str] = set()
    names = []
    for doc_id in doc_ids:
        parts = [part for part in Path(doc_id.replace("#", "_")).parts if part not in ("..", ".", "/", "-")]
        relative = Path(*parts) if parts else Path("stdin")
        if relative.suffix != ".txt":
            relative = relative.with_name(relative.name + ".txt")
        candidate, number = relative, 2
        while candidate.as_posix().casefold() in taken:
            candidate = relative.with_name(f"{relative.stem}~{number}.txt")
            number += 1
        taken.add(candidate.as_posix().casefold())
        names.append(candidate)
    return names


def cleaned_file_targets(folder: Path, doc_ids: list[str], force: bool = False) -> list[Path]:
    """Where each document's cleaned text goes under `folder`; a usage error if a file would be replaced
    without `force` (checked before anything is cleaned or written)."""
    from kcorpus.errors import UsageError

    folder = Path(folder)
    check_out_dir(folder)
    targets = [folder / name for name in cleaned_file_names(doc_ids)]
    existing = [target for target in targets if target.exists() or target.is_symlink()]
    if existing and not force:
        raise UsageError(
            f"--out-dir {folder} already holds {len(existing)} of the files to write (first: "
            f"{existing[0]}): pass --force to replace them, or choose an empty folder"
        )
    return targets


def write_cleaned_files(targets: list[Path], texts: list[str]) -> None:
    """Write each cleaned text to its target; each file is written whole or not at all."""
    from kcorpus.errors import KcorpusError
    from kcorpus.render.output import OutputOptions, write_lines

    for target, text in zip(targets, texts):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KcorpusError(f"cannot create folder {target.parent}: {exc.strerror}") from None
        write_lines([text], OutputOptions(format="text", output=target))
