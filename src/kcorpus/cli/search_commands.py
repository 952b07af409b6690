"""Commands that search: concordance (keyword in context) and collocates."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from kcorpus import defaults
from kcorpus.cli.count_commands import BY_HELP, MinCount, checked_plot_path, group_check
from kcorpus.cli.options import (
    BUNDLE,
    InputOptions,
    OutputFlags,
    Paths,
    TermOptions,
    UnitOptions,
    command,
)
from kcorpus.cli.steps import (
    Reporter,
    open_corpus,
    output_options,
    term_filter,
    term_options,
    unit_options,
    unit_spec,
)


@dataclass
class QueryOptions:
    regex: Annotated[
        bool, typer.Option("--regex", help="QUERY is a regular expression, searched in every token's form and lemma.")
    ] = False
    surface: Annotated[
        bool,
        typer.Option(
            "--surface", help="QUERY is plain text, searched in the cleaned text (a space matches any whitespace)."
        ),
    ] = False

    def mode(self) -> str:
        from kcorpus.errors import UsageError

        if self.regex and self.surface:
            raise UsageError("use either --regex or --surface, not both")
        return "regex" if self.regex else "surface" if self.surface else "morpheme"


QueryText = Annotated[
    str,
    typer.Argument(
        help="A term (협력), a lemma (강화하다, 돕다), a phrase (인간 안보 = 인간안보), a term/TAG (협력/NNG, "
        "NN = NNG or NNP), or a pattern with --regex.",
        show_default=False,
        metavar="QUERY",
    ),
]


def query_hits(corpus, query: str, queries: QueryOptions, pos: str | None = None) -> list:
    """The hits of QUERY; exit 1 with `kcorpus: no matches for 'QUERY'` (like grep) when there are none."""
    from kcorpus import api

    hits = api.hits(corpus, query, regex=queries.regex, surface=queries.surface, pos=pos)
    if not hits:
        typer.echo(f"kcorpus: no matches for {query!r}", err=True)
        raise typer.Exit(1)
    return hits


@command()
def concordance(
    query: QueryText,
    paths: Paths = None,
    pos: Annotated[
        Optional[str],
        typer.Option(
            help="Only tokens with these tags match: NNG, NN (NNG or NNP), VV, a comma list, or nouns/content."
        ),
    ] = None,
    width: Annotated[
        int,
        typer.Option(
            min=0, help="Characters of context on each side, in the cleaned text (line breaks shown as a space)."
        ),
    ] = defaults.CONCORDANCE_WIDTH,
    tokens: Annotated[
        Optional[int], typer.Option(min=0, help="Context of N tokens (morphemes) on each side instead of --width.")
    ] = None,
    sentence: Annotated[bool, typer.Option("--sentence", help="Keep the context within the hit's sentence.")] = False,
    sort: Annotated[
        str,
        typer.Option(help="doc (corpus order), left (by the words nearest the hit, right to left), right or match."),
    ] = "doc",
    limit: Annotated[Optional[int], typer.Option(min=0, help="Keep the first N lines after sorting; 0: all.")] = None,
    sample: Annotated[
        Optional[int], typer.Option(min=0, help="Keep N hits drawn at random; the same --seed gives the same lines.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of --sample.")] = 0,
    by: Annotated[
        Optional[str], typer.Option(metavar="GROUPS", help="Add a group column after doc: " + BY_HELP)
    ] = None,
    plot: Annotated[
        Optional[Path],
        typer.Option(
            help="Also draw a dispersion plot (a row per document, a tick per hit, all hits) to FILE.png, .svg "
            "or .html."
        ),
    ] = None,
    queries: QueryOptions = BUNDLE,
    inputs: InputOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Keyword in context: doc, page, line, left, match, right for every hit of QUERY.

    QUERY matches morphemes, not strings: 협력 finds the noun in 협력을, 협력하여, 협력적; 강화하다
    finds 강화했다, 강화하는; a phrase matches consecutive morphemes whatever the spacing or line breaks.
    line is the 1-based line of the original source file where the hit starts; for a PDF, page is the
    page and line the line on that page (running headers not counted); page is empty for text files.

    Exit status: 0 when QUERY matched, 1 when nothing matched (with "kcorpus: no matches for 'QUERY'"
    on stderr, like grep), 2 for a usage error such as a malformed --regex.
    """
    import shutil

    from kcorpus import api
    from kcorpus.analyses import concordance as kwic
    from kcorpus.render.output import resolve_format, write_table, writes_to_terminal

    kwic.check_request(query, mode=queries.mode(), pos=pos, sort=sort)
    kwic.ContextSpec(width, tokens, sentence)  # checked before reading
    options = output_options(out)
    as_table = resolve_format(options, sys.stdout) == "table"
    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    corpus = open_corpus(paths, inputs, reporter, validate=group_check(by), output=out.output)
    lines = api.concordance_table(
        corpus,
        query,
        regex=queries.regex,
        surface=queries.surface,
        pos=pos,
        width=width,
        tokens=tokens,
        sentence=sentence,
        sort=sort,
        limit=limit,
        sample=sample,
        seed=seed,
        by=by,
    )
    if not len(lines):  # no hits: searched again, to say so and exit 1 if there are none
        query_hits(corpus, query, queries, pos)
    if as_table:
        from kcorpus.render.terminal import fitted_concordance

        # on a terminal: no outer frame, ids shortened and contexts cut to its width (files keep them whole)
        fitted = writes_to_terminal(options, sys.stdout)
        lines = fitted_concordance(lines, shutil.get_terminal_size().columns if fitted else None)
        options = replace(options, right_aligned=("left",), emphasised=("match",), framed=not fitted)
    write_table(lines, options)
    if plot:
        from kcorpus.render.plots import dispersion_plot

        hits = query_hits(corpus, query, queries, pos)  # searched again: a plot is drawn from every hit
        drawn = dispersion_plot(kwic.dispersion(corpus.documents, hits), plot, title=f"{query}: {len(hits)} hits")
        reporter.note(f"wrote {drawn}")


@command()
def collocates(
    query: QueryText,
    paths: Paths = None,
    window: Annotated[
        int, typer.Option(min=0, help="Terms on each side of a hit, within its unit.")
    ] = defaults.COLLOCATION_WINDOW,
    left: Annotated[Optional[int], typer.Option(min=0, help="Terms on the left (default: --window).")] = None,
    right: Annotated[Optional[int], typer.Option(min=0, help="Terms on the right (default: --window).")] = None,
    min_count: MinCount = defaults.MIN_COUNT_KEYNESS,
    measure: Annotated[str, typer.Option(help="Rank by log_dice, mi, t_score, g2 or count.")] = "log_dice",
    top: Annotated[int, typer.Option(min=0, help="Keep the N best collocates; 0: all.")] = 0,
    include_node: Annotated[
        bool,
        typer.Option(
            "--include-node",
            help="Count the node's own terms (QUERY's term/tag) as collocates too: another hit in a hit's window.",
        ),
    ] = False,
    by: Annotated[
        Optional[str],
        typer.Option(
            metavar="GROUPS", help="Collocates of each group, counted in its documents, with a group column: " + BY_HELP
        ),
    ] = None,
    queries: QueryOptions = BUNDLE,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    units: UnitOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Collocates of QUERY: collocate, tag, count, node_count, collocate_count, expected, mi, t_score, log_dice, g2.

    Terms follow --pos (nouns by default). N = terms in the corpus; node_count (f_node) = hits of QUERY;
    collocate_count (f_coll) = the collocate's frequency in the corpus. A hit's window = --left terms
    before and --right after it, inside the hit's --unit, without the hit's own terms. C = terms covered
    by the union of the windows (a term in two windows counts once; the node's own terms, QUERY's
    term/tag, are left out of C and of the rows unless --include-node); count (O) = the collocate's
    terms among them, so O <= f_coll and O <= C. expected E = f_coll * C / N; mi = log2(O/E);
    t_score = (O - E)/sqrt(O); log_dice = 14 + log2(2O/(f_node + f_coll)); g2 = signed log-likelihood of
    the table [[O, C - O], [f_coll - O, N - C - (f_coll - O)]] (+: more frequent inside the windows).
    A collocate is listed when O >= --min-count.
    QUERY is matched as in kcorpus concordance (tag the node as QUERY/TAG; --pos is for collocates).
    Exit status 1 when QUERY matches nothing.
    """
    from kcorpus import api
    from kcorpus.analyses import collocates as colloc
    from kcorpus.analyses.concordance import check_request
    from kcorpus.render.output import write_table

    check_request(query, mode=queries.mode())
    colloc.Window(window if left is None else left, window if right is None else right)  # checked before reading
    if measure not in colloc.MEASURES:
        from kcorpus.errors import UsageError

        raise UsageError(f"--measure {measure!r}: use one of {', '.join(colloc.MEASURES)}")
    term_filter(terms), unit_spec(units)
    options = output_options(out)
    corpus = open_corpus(paths, inputs, Reporter(out.quiet), validate=group_check(by), output=out.output)
    hits = query_hits(corpus, query, queries)
    table = api.collocates_table(
        corpus,
        query,
        regex=queries.regex,
        surface=queries.surface,
        window=window,
        left=left,
        right=right,
        min_count=min_count,
        measure=measure,
        top=top,
        include_node=include_node,
        **term_options(terms),
        **unit_options(units),
        found=hits,
        by=by,
    )
    write_table(table, options)
