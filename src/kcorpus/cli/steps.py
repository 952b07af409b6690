"""The steps every command shares: notes and warnings on stderr, reading the corpus through the library,
and turning option bundles into the library's arguments (each checked before any document is read)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

import typer

from kcorpus import defaults
from kcorpus.cli.options import InputOptions, OutputFlags, SourceFlags, TermOptions, UnitOptions
from kcorpus.errors import KcorpusError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class Reporter:
    """Notes, warnings and summaries on stderr; data never goes here."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet

    def note(self, message: str) -> None:
        if not self.quiet:
            typer.echo(f"kcorpus: {message}", err=True)

    def warn(self, message: str) -> None:
        typer.echo(f"kcorpus: warning: {message}", err=True)


def source_options(flags: SourceFlags):
    """The source options, checked (an unknown --encoding is a usage error before anything is read)."""
    from kcorpus.io.sources import MB, SourceOptions, check_encoding

    return SourceOptions(
        check_encoding(flags.encoding),
        flags.text_column,
        flags.id_column,
        max_doc_bytes=flags.max_doc_mb * MB,
        max_line_chars=flags.max_line_chars,
    )


class TokenisingProgress:
    """A transient progress line on stderr (documents and characters per second) while documents are
    tokenised; nothing when stderr is not a terminal or with --quiet.

    `with TokenisingProgress(quiet) as progress:` gives load_corpus's progress callback (or None).
    """

    task: TaskID  # the progress line, set when the bar is made

    def __init__(self, quiet: bool):
        self.enabled = not quiet and getattr(sys.stderr, "isatty", lambda: False)()
        self.bar: Progress | None = None
        self.docs = self.chars = 0

    def __enter__(self) -> Callable[[int, int], None] | None:
        import time

        self.started = time.monotonic()
        return self.advance if self.enabled else None

    def advance(self, docs: int, chars: int) -> None:
        import time

        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
                redirect_stdout=False,
            )
            self.task = self.bar.add_task("")
            self.bar.start()
        self.docs += docs
        self.chars += chars
        seconds = max(time.monotonic() - self.started, 1e-6)
        self.bar.update(
            self.task,
            description=(
                f"tokenising: {self.docs:,} docs, {self.chars:,} chars, "
                f"{self.docs / seconds:,.1f} docs/s, {self.chars / seconds:,.0f} chars/s, {seconds:,.0f} s"
            ),
        )

    def __exit__(self, *exc_info: object) -> Literal[False]:
        if self.bar is not None:
            self.bar.stop()
        return False


def open_corpus(
    paths: list[str] | None,
    inputs: InputOptions,
    reporter: Reporter,
    allow_empty: bool = False,
    validate=None,
    output: Path | None = None,
    meta: bool = True,
):
    """Read, clean and tokenise the inputs through the library, reporting skips and warnings; the bundled
    corpus when no path is given. After reading and before tokenising: `output` (-o) must not be one of
    the inputs, and `validate(documents)` runs. `meta`: join the --meta sidecar (PATHS, not a reference)."""
    from kcorpus import api
    from kcorpus.io.sources import check_not_an_input

    def checks(documents) -> None:
        check_not_an_input(output, documents)
        if validate is not None:
            validate(documents)

    announce_bundled_corpus(paths, reporter)
    with TokenisingProgress(reporter.quiet) as progress:
        corpus = api.read_corpus(
            paths,
            encoding=inputs.encoding,
            text_column=inputs.text_column,
            id_column=inputs.id_column,
            meta=inputs.meta or None if meta else None,
            clean=not inputs.no_clean,
            user_dict=inputs.user_dict,
            hanja=inputs.hanja,
            cache=not inputs.no_cache,
            cache_dir=inputs.cache_dir,
            jobs=inputs.jobs,
            scheduler=inputs.scheduler,
            max_doc_mb=inputs.max_doc_mb,
            max_line_chars=inputs.max_line_chars,
            progress=progress,
            validate=checks,
            warn=reporter.warn,
        )
    cached = corpus.from_cache()
    report_inputs(
        corpus.documents,
        corpus.skipped,
        inputs.strict,
        reporter,
        allow_empty,
        f"analysed {len(corpus.documents)} document(s), {cached} from the token cache",
    )
    return corpus


def announce_bundled_corpus(paths: list[str] | None, reporter: Reporter) -> None:
    if not paths:
        from kcorpus.io.sources import bundled_corpus_dir

        reporter.note(f"no paths given: using the bundled sample corpus ({bundled_corpus_dir()})")


def report_inputs(documents, skipped, strict: bool, reporter: Reporter, allow_empty: bool, summary: str) -> None:
    """Warn about each skipped input and each document read with a warning, print the summary, and fail as
    --strict or an empty corpus demand. Every cause is reported, counted and fails --strict the same way."""
    from kcorpus.pipeline.corpus import warnings_of

    warned = warnings_of(documents)
    for item in skipped:
        reporter.warn(f"skipped {item.id}: {item.reason}")
    for doc_id, warning in warned:
        reporter.warn(f"{doc_id}: {warning}")
    with_warnings = len({doc_id for doc_id, _ in warned})
    reporter.note(
        summary
        + (f"; skipped {len(skipped)}" if skipped else "")
        + (f"; {with_warnings} with warnings" if with_warnings else "")
    )
    if strict and (skipped or with_warnings):
        problems = [
            f"{len(skipped)} input(s) skipped" if skipped else "",
            f"{with_warnings} read with warnings" if with_warnings else "",
        ]
        raise KcorpusError(f"{' and '.join(p for p in problems if p)} and --strict is set")
    if not documents and not allow_empty:
        raise KcorpusError("no documents to analyse: every input was skipped (see the warnings above)")


def term_options(
    terms: TermOptions, default_pos: str = defaults.POS, default_stoplist: str = defaults.STOPLIST
) -> dict:
    """The term options as the library's keyword arguments."""
    stoplist = "none" if terms.no_default_stopwords else terms.stoplist or default_stoplist
    return {
        "pos": terms.pos or default_pos,
        "min_length": terms.min_length,
        "stopwords": terms.stopwords or (),
        "stoplist": stoplist,
    }


def term_filter(terms: TermOptions, default_pos: str = defaults.POS, default_stoplist: str = defaults.STOPLIST):
    """The term filter, checked (a bad --pos or a missing --stopwords file fails before anything is read)."""
    from kcorpus import api

    return api.term_filter(**term_options(terms, default_pos, default_stoplist))


def unit_options(units: UnitOptions) -> dict:
    return {"unit": units.unit, "min_unit_tokens": units.min_unit_tokens}


def unit_spec(units: UnitOptions):
    """The unit spec, checked before anything is read."""
    from kcorpus.nlp.units import UnitSpec

    return UnitSpec.parse(units.unit, units.min_unit_tokens)


def output_options(flags: OutputFlags, title: str | None = None):
    """The output options, checked (format, -o suffix and folder) before any document is read; -o FILE is
    reported as `kcorpus: wrote FILE (N rows)` unless --quiet."""
    from kcorpus.render.output import OutputOptions, resolve_format

    options = OutputOptions(
        flags.format,
        flags.output,
        flags.bom,
        not flags.no_escape_formulas,
        flags.no_color,
        title,
        note=Reporter(flags.quiet).note,
    )
    resolve_format(options, sys.stdout)
    return options
