"""kcorpus topics: fit, save, load and show topic models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kcorpus import defaults
from kcorpus.cli.count_commands import BY_HELP, checked_plot_path, group_check
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


@command()
def topics(
    paths: Paths = None,
    k: Annotated[
        str,
        typer.Option(
            "--k",
            help="Number of topics, or auto: for every k of --k-range, three fits on different 80% samples of "
            "the units (drawn from --seed) give held-out NPMI (on the other 20%) and stability (matched topic "
            "cosine between the fits); keep the smallest k whose held-out NPMI is within 0.02 of the best and "
            "whose stability is 0.8 or more (none: the most stable of those within 0.02), then refit it on all "
            "units.",
        ),
    ] = defaults.K,
    k_range: Annotated[
        str, typer.Option(help="LOW:HIGH, the k tried by --k auto (a warning says when the choice is at an edge).")
    ] = defaults.K_RANGE,
    method: Annotated[
        str,
        typer.Option(
            help="nmf (Frobenius loss on TF-IDF), nmf-kl (Kullback-Leibler loss on TF-IDF) or lda (batch LDA on "
            "counts)."
        ),
    ] = defaults.METHOD,
    seed: Annotated[int, typer.Option(min=0, help="Random seed; the same seed and input give the same output.")] = 0,
    min_df: Annotated[
        Optional[int],
        typer.Option(min=1, help="Model only terms found in at least N units.", show_default="max(2, 0.2% of units)"),
    ] = None,
    max_df: Annotated[
        Optional[float], typer.Option(help="Model only terms found in at most this share of units.", show_default="0.5")
    ] = None,
    seed_words: Annotated[
        Optional[Path],
        typer.Option(
            help="Guided topics: a file with one topic per line, its seed terms separated by spaces (nmf methods)."
        ),
    ] = None,
    show: Annotated[
        str,
        typer.Option(
            help="Table to write: topics (one row per topic), terms (top terms per topic with weight and "
            "relevance), docs (topic mixture per document), units (dominant topic per unit), examples (most "
            "typical units), k (the k sweep), seeds (whether seed terms stayed on top) or groups (topic "
            "shares per group of --by with 95% bootstrap intervals)."
        ),
    ] = "topics",
    by: Annotated[
        Optional[str],
        typer.Option(
            metavar="GROUPS",
            help="Groups of --show groups (group, topic, share, low, high, units, docs): " + BY_HELP,
        ),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Terms listed per topic.")] = 10,
    save: Annotated[Optional[Path], typer.Option(help="Save the fitted model to directory DIR.")] = None,
    load: Annotated[
        Optional[Path],
        typer.Option(
            help="Assign topics with a model saved by --save, without refitting (its term and unit settings "
            "apply). A model is arrays and JSON only: loading one never runs code."
        ),
    ] = None,
    plot: Annotated[
        Optional[Path],
        typer.Option(
            help="Also draw top terms per topic and the topic mixture of each document to FILE.png, .svg or .html."
        ),
    ] = None,
    inputs: InputOptions = BUNDLE,
    terms: TermOptions = BUNDLE,
    units: UnitOptions = BUNDLE,
    out: OutputFlags = BUNDLE,
) -> None:
    """Topics of the units (paragraphs by default): NMF on TF-IDF of nouns, k chosen by NPMI coherence.

    Every table has the same columns in every format. topics: topic, share (the topic's token-weighted share
    of all units), npmi (mean NPMI of its top-10 term pairs over the fitted units), units (units it
    dominates), terms (its --top terms). terms: topic, rank, term, weight (p(w|t)), relevance (lambda 0.6,
    Sievert & Shirley 2014). groups (with --by): group, topic, share (token-weighted within the group),
    low and high (95% bootstrap interval, resampling the group's documents), units (units it dominates in
    the group), docs; with --load a new drop is placed on the saved topics, so its shares compare with the
    archive's; --plot then draws each topic's share across the groups.
    """
    from kcorpus import api
    from kcorpus.analyses import topics as topic_models
    from kcorpus.errors import UsageError
    from kcorpus.io.wordlists import read_seed_words
    from kcorpus.render.output import write_table

    if show not in topic_models.TABLES:
        raise UsageError(f"--show {show!r}: use one of {', '.join(topic_models.TABLES)}")
    if save and load:
        raise UsageError("use either --save (fit and save) or --load (apply a saved model), not both")
    if (show == "groups") != bool(by):
        raise UsageError("--show groups and --by go together: --by names the groups, --show groups lists them")
    validate = group_check(by)
    options = output_options(out)
    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    if load:
        model = api.load_topics(load)
        reporter.note(f"using the saved model in {load} ({model.method}, k={model.k}; its term and unit settings)")
        ignored = [
            flag
            for flag, given in (
                ("--k", k != defaults.K),
                ("--k-range", k_range != defaults.K_RANGE),
                ("--method", method != defaults.METHOD),
                ("--seed", seed != 0),
                ("--min-df", min_df is not None),
                ("--max-df", max_df is not None),
                ("--seed-words", seed_words is not None),
                ("--pos", terms.pos is not None),
                ("--unit", units.unit != defaults.UNIT),
                ("--min-unit-tokens", units.min_unit_tokens != defaults.MIN_UNIT_TOKENS),
            )
            if given
        ]
        if ignored:
            reporter.warn(f"{', '.join(ignored)} ignored with --load: the saved model's settings apply")
        result = model.transform(open_corpus(paths, inputs, reporter, validate=validate, output=out.output))
    else:
        topic_models.TopicSettings(  # every option checked before anything is read
            method=method,
            k=topic_models.parse_k(k),
            k_range=topic_models.parse_k_range(k_range),
            seed=seed,
            min_df=min_df,
            max_df=max_df,
            seed_words=read_seed_words(seed_words) if seed_words else (),
        )
        term_filter(terms), unit_spec(units)
        corpus = open_corpus(paths, inputs, reporter, validate=validate, output=out.output)
        result = api.topics(
            corpus,
            k=k,
            k_range=k_range,
            method=method,
            seed=seed,
            min_df=min_df,
            max_df=max_df,
            seed_words=seed_words,
            **term_options(terms),
            **unit_options(units),
            warn=reporter.warn,
        )
        report_topic_fit(result, reporter)
        if save:
            result.model.save(save)
            reporter.note(f"saved the model to {save}")
    table = result.by_group(by, seed=seed) if by else result.table(show, top)
    write_table(table, options)
    if plot and by:
        from kcorpus.render.trend_plot import topic_share_chart

        reporter.note(f"wrote {topic_share_chart(table, result.summary(3), plot)}")
    elif plot:
        from kcorpus.render.plots import topic_chart

        reporter.note(f"wrote {topic_chart(result.term_table(top), result.doc_table(), plot)}")


def report_topic_fit(result, reporter: Reporter) -> None:
    """The chosen k, warnings about it (TopicResult.fit_warnings) and the fate of seed terms, on stderr."""
    sweep = result.sweep
    chosen = sweep[sweep["chosen"]].iloc[0]
    auto = result.model.settings.get("k_requested") == "auto"
    how = (
        f"chosen from {sweep['k'].min()}–{sweep['k'].max()} by held-out NPMI {chosen['heldout_npmi']:.3f} and "
        f"stability {chosen['stability']:.3f}"
        if auto
        else "as asked"
    )
    reporter.note(
        f"k={chosen['k']} {how}; mean NPMI {chosen['npmi']:.3f}, diversity {chosen['diversity']:.3f} "
        f"({len(result.model.terms)} terms over {result.unit_counts.shape[0]} units)"
    )
    for message in result.fit_warnings():
        reporter.warn(message)
    for row in result.seeds.itertuples():
        if row.kept:
            reporter.note(f"seeded topic {row.topic} kept its seed terms in its top 10: {row.in_top10}")
        else:
            reporter.warn(f"seeded topic {row.topic} lost seed terms from its top 10: {row.not_in_top10}")
