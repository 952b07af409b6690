"""Commands that count: freq (word lists), keywords (keyness) and compare (groups)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from kcorpus import defaults
from kcorpus.cli.options import (
    BUNDLE,
    InputOptions,
    OutputFlags,
    Paths,
    TermOptions,
    command,
)
from kcorpus.cli.steps import (
    Reporter,
    open_corpus,
    output_options,
    term_filter,
    term_options,
)


@dataclass
class CountOptions:
    ngram: Annotated[int, typer.Option(min=1, help="Count runs of N adjacent terms within a document (n-grams).")] = 1
    compounds: Annotated[
        bool, typer.Option("--compounds", help="Join nouns written with no space between them (인간+안보 → 인간안보).")
    ] = False


PlotPath = Annotated[
    Optional[Path],
    typer.Option(
        metavar="FILE", help="Also draw a keyness bar chart (signed G2 of the top terms) to FILE.png, .svg or .html."
    ),
]
BY_HELP = (
    "doc, folder, file, a metadata column (table sources, --meta) or COLUMN:PERIOD with PERIOD year, quarter, "
    "month, week or day (the column read as dates, e.g. date:month)."
)
GroupBy = Annotated[Optional[str], typer.Option(metavar="GROUPS", help="Groups: " + BY_HELP)]
MinCount = Annotated[int, typer.Option(min=1, help="Minimum count of a term (see the command help).")]


def count_options(terms: TermOptions, counting: CountOptions) -> dict:
    """The term and counting options as the library's keyword arguments."""
    return {**term_options(terms), "ngram": counting.ngram, "compounds": counting.compounds}


def checked_plot_path(plot: Path | None) -> Path | None:
    if not plot:
        return None
    from kcorpus.render.plots import check_plot_path  # only with --plot

    return check_plot_path(plot)


@command()
def freq(
    paths: Paths = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            metavar="GROUPS", help="One list per group, with a leading doc (--by doc) or group column: " + BY_HELP
        ),
    ] = None,
    min_count: Annotated[int, typer.Option(min=1, help="Minimum count (in the group with --by).")] = 1,
    top: Annotated[int, typer.Option(min=0, help="Keep the N most frequent terms (per group with --by); 0: all.")] = 0,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    counting: CountOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Word list: term, tag, count, per_10k, docs, dp (Gries' DP over documents, normalised: DPnorm),
    most frequent first.

    per_10k is per 10,000 counted terms. With --by, every column is the group's: docs counts its documents
    holding the term and dp is the spread over them (empty for a group of one document).
    """
    from kcorpus import api
    from kcorpus.render.output import write_table

    term_filter(terms)
    options = output_options(out)
    corpus = open_corpus(paths, inputs, Reporter(out.quiet), validate=group_check(by), output=out.output)
    table = api.freq_table(corpus, by=by, min_count=min_count, top=top, **count_options(terms, counting))
    write_table(table, options)


@command()
def keywords(
    paths: Paths = None,
    reference: Annotated[
        Optional[list[str]],
        typer.Option(metavar="PATH", help="Reference corpus (repeatable): key terms of all PATHS together against it."),
    ] = None,
    reference_freq: Annotated[
        Optional[Path],
        typer.Option(
            metavar="FILE",
            help="Reference frequency list: a CSV with a header naming term and count (e.g. kcorpus freq output).",
        ),
    ] = None,
    by: Annotated[
        Optional[str],
        typer.Option(
            metavar="GROUPS", help="Key terms of each group against the rest (doc holds the group): " + BY_HELP
        ),
    ] = None,
    new_only: Annotated[
        bool,
        typer.Option(
            "--new-only", help="With --reference: every term the reference never has (first_seen), significant or not."
        ),
    ] = False,
    measure: Annotated[str, typer.Option(help="Rank by g2 (signed), log_ratio, tfidf or log_odds.")] = "g2",
    under: Annotated[bool, typer.Option("--under", help="Also list under-used terms.")] = False,
    min_count: Annotated[
        int,
        typer.Option(
            min=1, help="Test a term only if it occurs this often in the target (with --under: or in the reference)."
        ),
    ] = defaults.MIN_COUNT_KEYNESS,
    top: Annotated[int, typer.Option(min=0, help="Key terms per document; 0: all.")] = defaults.KEYWORDS_TOP,
    alpha: Annotated[
        float, typer.Option(help="Significance level for G2 (1: no significance filter).")
    ] = defaults.ALPHA,
    no_bonferroni: Annotated[
        bool, typer.Option("--no-bonferroni", help="Do not divide --alpha by the number of terms tested.")
    ] = False,
    plot: PlotPath = None,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    counting: CountOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Key terms of each document against the rest of the corpus, or of all PATHS against a reference.

    Columns: doc, rank, term, count, ref_count, per_10k, ref_per_10k, g2, p, log_ratio (+ tfidf or
    log_odds_z with that --measure). Against a reference, doc is "(all)" and first_seen says the term is
    absent from the reference (--new-only lists every such term used --min-count times, with no
    significance filter). A term is tested when it occurs
    --min-count times in the target (or, with --under, in the reference); p is uncorrected, the filter
    uses alpha / number of tested terms (Bonferroni).
    """
    from kcorpus import api
    from kcorpus.analyses import keyness
    from kcorpus.errors import UsageError
    from kcorpus.render.output import write_table

    if reference and reference_freq:
        raise UsageError("use either --reference or --reference-freq, not both")
    if reference:
        from kcorpus.io.sources import check_paths

        check_paths(reference)
    keyness.KeywordOptions(measure, under, min_count, top, alpha, not no_bonferroni, new_only)  # checked early
    if new_only and not (reference or reference_freq):
        raise UsageError("--new-only needs --reference or --reference-freq (the archive a term is new against)")
    if by and (reference or reference_freq):
        raise UsageError("--by splits the corpus into groups tested against each other: not with a reference")
    keyness.check_reference_measure(measure, bool(reference or reference_freq))
    plot = checked_plot_path(plot)
    if reference_freq:
        keyness.read_frequency_list(reference_freq)
    reporter = Reporter(out.quiet)
    term_filter(terms)
    output = output_options(out)
    corpus = open_corpus(paths, inputs, reporter, validate=group_check(by), output=out.output)
    reference_corpus = open_corpus(reference, inputs, reporter, output=out.output, meta=False) if reference else None
    table = api.keywords_table(
        corpus,
        reference=reference_corpus,
        reference_freq=reference_freq,
        by=by or "doc",
        new_only=new_only,
        measure=measure,
        under=under,
        min_count=min_count,
        top=top,
        alpha=alpha,
        bonferroni=not no_bonferroni,
        **count_options(terms, counting),
    )
    write_table(table, output)
    draw_keyness(plot, table, "doc", reporter)


@command()
def compare(
    paths: Paths = None,
    by: Annotated[str, typer.Option(metavar="GROUPS", help="Groups: " + BY_HELP)] = "doc",
    min_count: Annotated[
        int, typer.Option(min=1, help="Minimum count of a term over all groups.")
    ] = defaults.MIN_COUNT_KEYNESS,
    top: Annotated[int, typer.Option(min=0, help="Keep the N terms that differ most; 0: all.")] = 0,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="One row per term: count:<group> and per_10k:<group> for every group, then each score named "
            "after the group a positive value favours. Two groups: g2:<first>, p, log_ratio:<first>, "
            "log_odds_z:<first> (the first group against the second); more: g2:<group>, p:<group>, "
            "log_ratio:<group>, log_odds_z:<group> for each group against the rest.",
        ),
    ] = False,
    plot: PlotPath = None,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    counting: CountOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Term frequencies across documents or groups: term, group, count, per_10k, g2, p, log_ratio, log_odds_z.

    Each group is tested against the rest (with two groups: against the other); g2, log_ratio and
    log_odds_z are positive when the term is more frequent in the group. Rows are ranked by |g2|;
    --min-count is a term's total over all groups. --wide names every score column after the group
    it favours (see --wide).
    """
    from kcorpus import api
    from kcorpus.render.output import write_table

    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    term_filter(terms)
    options = output_options(out)
    corpus = open_corpus(
        paths, inputs, reporter, validate=lambda documents: check_group_column(by, documents), output=out.output
    )
    table = api.compare(corpus, by=by, min_count=min_count, top=top, wide=wide, **count_options(terms, counting))
    write_table(table, options)
    if plot:
        long_table = (
            api.compare(corpus, by=by, min_count=min_count, top=top, **count_options(terms, counting))
            if wide
            else table
        )
        draw_keyness(plot, long_table, "group", reporter)


def check_group_column(by: str | None, documents) -> None:
    """--by must name doc, folder, file or a column the documents have (table sources, --meta), with a known
    period (checked before tokenising)."""
    from kcorpus.analyses.groups import Grouping

    grouping = Grouping.parse(by)
    if grouping.column in ("doc", "folder", "file") or not documents:
        return
    grouping.check_columns([key for doc in documents for key in doc.meta])


def group_check(by: str | None):
    """The validate hook of open_corpus for --by (a bad period is a usage error before anything is read)."""
    from kcorpus.analyses.groups import Grouping

    if by is None:
        return None
    Grouping.parse(by)
    return lambda documents: check_group_column(by, documents)


def draw_keyness(plot: Path | None, table, panel: str, reporter: Reporter) -> None:
    if plot:
        from kcorpus.render.plots import keyness_chart
        from kcorpus.table import Table

        if isinstance(table, Table):
            table = table.to_pandas()

        reporter.note(f"wrote {keyness_chart(table, plot, panel=panel)}")
