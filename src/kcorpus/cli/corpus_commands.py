"""Commands that show what the pipeline made: tokenize, info, clean, and the token cache."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from kcorpus.cli.options import (
    BUNDLE,
    InputOptions,
    OutputFlags,
    Paths,
    SourceFlags,
    TermOptions,
    UnitOptions,
    cache_app,
    command,
)
from kcorpus.cli.steps import (
    Reporter,
    announce_bundled_corpus,
    open_corpus,
    output_options,
    report_inputs,
    source_options,
    term_filter,
    unit_spec,
)
from kcorpus.errors import KcorpusError


@command()
def tokenize(
    paths: Paths = None,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    units: UnitOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """One row per token: doc, unit, index, form, tag, lemma, start, end (--format text: one unit per line)."""
    from kcorpus.analyses import listings
    from kcorpus.render.output import write_lines, write_tables

    reporter = Reporter(out.quiet)
    flt, spec = term_filter(terms, "all", default_stoplist="none"), unit_spec(units)
    options = output_options(out)
    # rows stream out document by document (kc.tokenize gives one frame)
    corpus = open_corpus(paths, inputs, reporter, output=out.output)
    if out.format == "text" or (out.output and out.output.suffix.lower() == ".txt" and out.format == "auto"):
        write_lines(listings.unit_lines(corpus, flt, spec), options)
    else:
        write_tables(listings.token_frames(corpus, flt, spec), options)


@command()
def info(
    paths: Paths = None,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    units: UnitOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """One row per input: doc, encoding, chars, units, tokens, types, status (ok or why it was skipped)."""
    from kcorpus.pipeline.corpus import info_table
    from kcorpus.render.output import write_table

    reporter = Reporter(out.quiet)
    flt, spec = term_filter(terms, "all", default_stoplist="none"), unit_spec(units)  # checked before reading
    options = output_options(out)
    corpus = open_corpus(paths, inputs, reporter, allow_empty=True, output=out.output)
    write_table(info_table(corpus, flt, spec), options)  # Corpus.info as a Table: no pandas
    if not corpus.documents:
        raise KcorpusError("no documents to analyse: every input was skipped")


@command()
def clean(
    paths: Paths = None,
    sources: SourceFlags = BUNDLE,
    out_dir: Annotated[
        Optional[Path],
        typer.Option(help="Write one cleaned .txt file per document into this folder instead of printing."),
    ] = None,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Print per document the input's shape, the count of each repair and every removed line instead.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="With --out-dir, replace files that already exist there (never done without it)."),
    ] = False,
    out: OutputFlags = BUNDLE,
) -> None:
    """Repair PDF-extracted report text: rejoin wrapped lines, drop running headers, page numbers and
    footnote markers, and glue stray particles (SEMI 는 -> SEMI는). Several documents are printed one
    after another, each under a `==> id <==` line."""
    from kcorpus.analyses import listings
    from kcorpus.clean import drop_furniture
    from kcorpus.io.sources import check_not_an_input
    from kcorpus.nlp.analyzer import Analyzer, AnalyzerSettings
    from kcorpus.pipeline.corpus import clean_document, input_documents
    from kcorpus.render.output import check_lines_format, write_lines, write_table

    reporter = Reporter(out.quiet)
    options = output_options(out)
    if not report and out_dir is None:  # before anything is read and cleaned
        check_lines_format(options)
    if out_dir is not None:
        listings.check_out_dir(out_dir)
    announce_bundled_corpus(paths, reporter)
    docs, skipped = input_documents(tuple(paths or ()), source_options(sources))
    check_not_an_input(out.output, docs)
    targets = listings.cleaned_file_targets(out_dir, [doc.id for doc in docs], force) if out_dir else []
    for target in targets:
        check_not_an_input(target, docs, "--out-dir")
    furniture = drop_furniture(doc.text for doc in docs if not doc.is_table_row)  # headers shared by the drop
    judge = Analyzer(AnalyzerSettings()).word_boundary  # Kiwi loads only if a wrap needs it
    cleaned = [(doc, clean_document(doc, True, furniture, judge)) for doc in docs]
    report_inputs(
        [replace(doc, warnings=doc.warnings + text.warnings) for doc, text in cleaned],
        skipped,
        sources.strict,
        reporter,
        False,
        f"cleaned {len(docs)} document(s)",
    )
    if report:
        write_table(listings.repair_table(cleaned), options)
    elif out_dir:
        listings.write_cleaned_files(targets, [text.text for _, text in cleaned])
        reporter.note(f"wrote {len(targets)} file(s) to {out_dir}")
    else:
        write_lines(listings.cleaned_lines(cleaned), options)


@command(cache_app, "info")
def cache_info(
    cache_dir: Annotated[Optional[Path], typer.Option(help="Token cache directory.")] = None,
    out: OutputFlags = BUNDLE,
) -> None:
    """Where the token cache is, how many entries it holds and its size."""
    import pandas as pd

    from kcorpus.pipeline.cache import TokenCache, default_cache_dir
    from kcorpus.render.output import write_table

    details = TokenCache(cache_dir or default_cache_dir()).info()
    write_table(pd.DataFrame([details]), output_options(out))


@command(cache_app, "clear")
def cache_clear(
    cache_dir: Annotated[Optional[Path], typer.Option(help="Token cache directory.")] = None,
) -> None:
    """Remove every cached token table (only kcorpus's own entry files; anything else there is kept)."""
    from kcorpus.errors import UsageError
    from kcorpus.io.documents import display_name
    from kcorpus.pipeline.cache import TokenCache, default_cache_dir

    if cache_dir is not None and cache_dir.exists() and not cache_dir.is_dir():
        raise UsageError(f"--cache-dir {display_name(cache_dir)} is a file, not a cache directory")
    cache = TokenCache(cache_dir or default_cache_dir())
    removed, kept = cache.clear()
    typer.echo(
        f"kcorpus: removed {removed} cache entries from {cache.root}"
        + (f"; kept {kept} other file(s) there, which are not kcorpus's" if kept else ""),
        err=True,
    )
