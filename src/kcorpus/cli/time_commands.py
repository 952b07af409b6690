"""Commands of time and weekly drops: trends (terms over periods) and similar (near-duplicate documents)."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from kcorpus import defaults
from kcorpus.cli.count_commands import BY_HELP, checked_plot_path, group_check
from kcorpus.cli.options import BUNDLE, InputOptions, OutputFlags, Paths, TermOptions, command
from kcorpus.cli.steps import Reporter, open_corpus, output_options, term_filter, term_options


def split_terms_and_paths(arguments: list[str]) -> tuple[list[str], list[str]]:
    """TERM… [PATHS]: the paths start at the first argument that is - or names an existing file, folder or
    glob match; every argument before it is a term. UsageError for a "term" named like an input file (a
    misspelt path must not become a search term)."""
    split = len(arguments)
    for i, argument in enumerate(arguments):
        if argument == "-" or os.path.exists(argument) or (glob.has_magic(argument) and glob.glob(argument)):
            split = i
            break
    from kcorpus.errors import UsageError
    from kcorpus.io.readers import SUFFIXES
    from kcorpus.io.tables import TABLE_SUFFIXES

    for argument in arguments[:split]:
        if Path(argument).suffix.lower() in {*SUFFIXES, *TABLE_SUFFIXES, ".txt", ".md"}:
            raise UsageError(f"path {argument} does not exist: check the spelling (terms come first, then paths)")
    return arguments[:split], arguments[split:]


@command()
def trends(
    arguments: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[TERM]... [PATHS]...",
            help="Terms to follow (matched like concordance queries), then files, folders, globs or - (the "
            "first argument that exists starts the paths). Default paths: the bundled sample corpus.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str, typer.Option(metavar="COLUMN:PERIOD", help="The date column and period: " + BY_HELP)
    ] = defaults.TRENDS_BY,
    top: Annotated[
        int,
        typer.Option(
            min=0,
            help="Without terms: the N terms most over-used in the last period against all periods before it "
            f"(default {defaults.TRENDS_TOP}).",
            show_default=False,
        ),
    ] = 0,
    min_count: Annotated[
        int, typer.Option(min=1, help="Without terms: a term needs this count in the last period.")
    ] = defaults.MIN_COUNT_KEYNESS,
    plot: Annotated[
        Optional[Path],
        typer.Option(
            metavar="FILE", help="Also draw per_10k over the periods, a small chart per term (.png, .svg, .html)."
        ),
    ] = None,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Terms over time: per term and period, term, period, period_docs, count, per_10k, docs, log_ratio, g2, p.

    Documents fall in the period of their date (a column of a table source or of --meta; rows whose date
    does not parse are named in one warning and left out). per_10k is per 10,000 counted terms of the
    period; docs = documents with the term; log_ratio, g2 (signed, + rising) and p compare the period with
    the previous one. Periods without documents are gaps: empty cells, not zeros.
    Without terms, the terms rising most in the last period: rank, term, period, count, per_10k,
    before_count, before_per_10k, log_ratio, g2, p, mk_tau, mk_p (Mann-Kendall trend test of per_10k over
    the periods with documents).
    """
    from kcorpus import api_time
    from kcorpus.errors import UsageError
    from kcorpus.render.output import write_table

    queries, paths = split_terms_and_paths(arguments or [])
    if queries and top:
        raise UsageError("--top lists the strongest trends of all terms: give TERMs or --top, not both")
    validate = group_check(by)
    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    term_filter(terms)
    options = output_options(out)
    corpus = open_corpus(paths or None, inputs, reporter, validate=validate, output=out.output)
    table = api_time.trends(corpus, queries, by=by, top=top, min_count=min_count, **term_options(terms))
    write_table(table, options)
    if not queries and table.empty:
        reporter.note(
            f"no rising term (counted {min_count} times or more in the last period and over-used there against the "
            "periods before): lower --min-count"
        )
    if plot:
        from kcorpus.render.trend_plot import trend_chart

        series = table
        if not queries:  # the top terms' series (their dates were reported above)
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                series = api_time.trends(corpus, table["term"].tolist(), by=by, **term_options(terms))
        reporter.note(f"wrote {trend_chart(series, plot)}")


@command()
def similar(
    paths: Paths = None,
    reference: Annotated[
        Optional[list[str]],
        typer.Option(
            metavar="PATH", help="An archive (repeatable): also pair each document of PATHS with its documents."
        ),
    ] = None,
    threshold: Annotated[
        float, typer.Option(min=0.01, max=1.0, help="Report pairs at least this similar (Jaccard of shingles).")
    ] = defaults.SIMILAR_THRESHOLD,
    shingle: Annotated[
        int, typer.Option(min=2, max=20, help="Characters per shingle (whitespace and punctuation left out).")
    ] = defaults.SIMILAR_SHINGLE,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the MinHash functions.")] = 0,
    inputs: InputOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Near-duplicate and reissued documents: doc, match, similarity, shared_paragraphs.

    similarity is the Jaccard similarity of the two documents' character shingles (a rewrapped or respaced
    copy scores 1); shared_paragraphs counts doc's paragraphs found word for word in match. Pairs inside
    PATHS are listed, and with --reference each document of PATHS against the archive. Candidate pairs
    come from MinHash LSH buckets, so an archive of 10,000 documents is not compared pair by pair.
    """
    from kcorpus import api_time
    from kcorpus.render.output import write_table

    if reference:
        from kcorpus.io.sources import check_paths

        check_paths(reference)
    reporter = Reporter(out.quiet)
    options = output_options(out)
    corpus = open_corpus(paths, inputs, reporter, output=out.output)
    archive = open_corpus(reference, inputs, reporter, output=out.output, meta=False) if reference else None
    write_table(api_time.similar(corpus, reference=archive, threshold=threshold, shingle=shingle, seed=seed), options)


@command()
def report(
    paths: Paths = None,
    reference: Annotated[
        Optional[list[str]],
        typer.Option(
            metavar="PATH", help="The archive (repeatable): new and rising terms, topic mix and reissues against it."
        ),
    ] = None,
    load: Annotated[
        Optional[Path], typer.Option(metavar="DIR", help="A topic model saved by topics --save: the drop's topic mix.")
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Terms listed per table.")] = 15,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write the page to FILE.html (default: stdout).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes or summary on stderr.")] = False,
    inputs: InputOptions = BUNDLE,
) -> None:
    """The weekly report of a drop: one self-contained HTML page (no network, charts inline as SVG).

    Sections: documents and skips; new terms (absent from the archive) and rising terms (key against it),
    each with concordance lines cited doc:line; the topic mix on a saved model (--load) against the
    archive's; near-duplicate and reissued documents. The same inputs give a byte-identical page.
    """
    from kcorpus import api, api_report
    from kcorpus.errors import UsageError
    from kcorpus.render.report import write_report

    if reference:
        from kcorpus.io.sources import check_paths

        check_paths(reference)
    if output is not None and output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"-o {output}: the report is an HTML page: name a file ending in .html")
    reporter = Reporter(quiet)
    model = api.load_topics(load) if load else None
    corpus = open_corpus(paths, inputs, reporter, output=output)
    archive = open_corpus(reference, inputs, reporter, output=output, meta=False) if reference else None
    page = api_report.report(corpus, reference=archive, model=model, top=top)
    reporter.note(f"wrote {write_report(page, output)} ({len(page.encode('utf-8')):,} bytes)")
