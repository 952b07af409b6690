"""The `kcorpus` command line: thin commands over the library, shared option bundles, errors -> exit codes."""

from __future__ import annotations

import copy
import functools
import inspect
import os
import sys
import typing
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from kcorpus import __version__
from kcorpus.errors import KcorpusError

NUMBER_TYPES = ("integer", "integer range", "int", "int range", "float", "float range")


class KcorpusGroup(TyperGroup):
    """Usage errors in one line on stderr (`kcorpus: error: …`), exit 2; an interrupt exits 130."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except typer.Abort:
            typer.echo("kcorpus: interrupted", err=True)
            sys.exit(130)
        except typer.TyperException as exc:  # click's UsageError, BadParameter, NoSuchOption ...
            if type(exc).__name__ == "NoArgsIsHelpError":  # `kcorpus` alone: the help, as before
                exc.show()
                sys.exit(exc.exit_code)
            message = " ".join(exc.format_message().split())
            context = getattr(exc, "ctx", None)
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            typer.echo(f"kcorpus: error: {message}{hint}", err=True)
            sys.exit(getattr(exc, "exit_code", 2))
        sys.exit(code if isinstance(code, int) else 0)


class KcorpusCommand(TyperCommand):
    """Numbers on the command line are written with the digits 0-9 only (Python's int() would read ３ or ٣)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.type.name in NUMBER_TYPES:
                param.type = _ascii_number(param.type)


def _ascii_number(number_type):
    checked = copy.copy(number_type)
    convert = number_type.convert

    def ascii_convert(value, param, ctx):
        if isinstance(value, str) and not value.isascii():
            checked.fail(f"{value!r} is not a number written with the digits 0-9", param, ctx)
        return convert(value, param, ctx)

    checked.convert = ascii_convert
    return checked


app = typer.Typer(
    name="kcorpus",
    cls=KcorpusGroup,
    help="Corpus toolkit for Korean text: tokens, word lists, keywords, topics and concordances, built on Kiwi.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the token cache.", no_args_is_help=True, cls=KcorpusGroup)
app.add_typer(cache_app, name="cache")

Paths = Annotated[
    Optional[list[str]],
    typer.Argument(help="Files, directories, globs or - for stdin. Default: the bundled sample corpus.",
                   show_default=False, metavar="PATHS"),
]


# --- option bundles ------------------------------------------------------------------------------
# Each bundle is a dataclass whose fields are typer options; a command asks for a bundle by
# annotating a parameter with its class, and `command` spreads the fields into the signature.


@dataclass
class SourceFlags:
    encoding: Annotated[Optional[str], typer.Option(
        help="Encoding of text files (default: detect UTF-8, UTF-8/16 with BOM, CP949/EUC-KR).")] = None
    text_column: Annotated[str, typer.Option(help="Text column of .csv/.tsv/.jsonl/.xlsx sources.")] = "text"
    id_column: Annotated[Optional[str], typer.Option(
        help="Column holding document ids in table sources (default: file#row).")] = None
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 if any input is skipped or read with a warning.")] = False
    max_doc_mb: Annotated[int, typer.Option(
        min=1, help="Skip a document (a file, stdin or a table cell) larger than this many MB.")] = 64
    max_line_chars: Annotated[int, typer.Option(
        min=1, help="Skip a document with a line longer than this many characters (not running text).")] = 100_000


@dataclass
class InputOptions(SourceFlags):
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Do not repair PDF-extracted text.")] = False
    user_dict: Annotated[Optional[Path], typer.Option(
        help="Kiwi user dictionary: form<TAB>tag[<TAB>score] per line.")] = None
    cache_dir: Annotated[Optional[Path], typer.Option(
        help="Token cache directory (default: $KCORPUS_CACHE_DIR or the user cache directory).")] = None
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the token cache.")] = False
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Kiwi threads (default: all cores).")] = None
    scheduler: Annotated[Optional[str], typer.Option(
        envvar="KCORPUS_SCHEDULER", show_envvar=True,
        help="Tokenise on a Dask cluster: tcp://HOST:PORT, or local:N for N local worker processes "
             "(needs the kcorpus[dask] extra).")] = None


@dataclass
class TermOptions:
    pos: Annotated[Optional[str], typer.Option(
        help="Terms to keep: nouns, content (nouns + verb/adjective lemmas), all, or tags like NNG,NNP,VV.",
        show_default="nouns; all for tokenize and info")] = None
    min_length: Annotated[int, typer.Option(min=1, help="Minimum term length in characters.")] = 1
    stopwords: Annotated[Optional[list[Path]], typer.Option(
        help="Extra stopword file, one term per line (repeatable).")] = None
    no_default_stopwords: Annotated[bool, typer.Option(
        "--no-default-stopwords", help="Do not apply the bundled Korean stopword list.")] = False


@dataclass
class UnitOptions:
    unit: Annotated[str, typer.Option(help="Unit of analysis: document, paragraph, sentence or window:N.")] = \
        "paragraph"
    min_unit_tokens: Annotated[int, typer.Option(
        min=0, help="Merge short paragraphs until a unit holds this many content tokens.")] = 50


@dataclass
class OutputFlags:
    format: Annotated[str, typer.Option(
        "--format", "-f", help="auto, table, csv, tsv, json, jsonl or xlsx (auto: table on a terminal, CSV when piped)."
    )] = "auto"
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write to FILE; the format follows its suffix.")] = None
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 BOM so Excel reads Korean correctly.")] = False
    no_escape_formulas: Annotated[bool, typer.Option(
        "--no-escape-formulas", help="Do not prefix cells starting with = + - @ with a quote.")] = False
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in tables (also NO_COLOR=1).")] = False
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes or summary on stderr.")] = False


BUNDLES = (SourceFlags, InputOptions, TermOptions, UnitOptions, OutputFlags)


def command(group: typer.Typer = app, name: str | None = None):
    """Register a command: spread option bundles into its signature and turn errors into exit codes."""

    def decorate(func):
        signature = inspect.signature(func)
        hints = typing.get_type_hints(func, include_extras=True)
        bundle_params = {n: hints[n] for n in signature.parameters if hints.get(n) in BUNDLES}
        params, annotations = [], {}
        for name_, param in signature.parameters.items():
            if name_ in bundle_params:
                continue
            params.append(param.replace(annotation=hints.get(name_, param.annotation)))
            annotations[name_] = hints.get(name_, param.annotation)
        for bundle in bundle_params.values():
            bundle_hints = typing.get_type_hints(bundle, include_extras=True)
            for f in fields(bundle):
                default = None if f.default is MISSING else f.default
                params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                                annotation=bundle_hints[f.name]))
                annotations[f.name] = bundle_hints[f.name]

        @functools.wraps(func)
        def wrapper(**kwargs):
            for param_name, bundle in bundle_params.items():
                kwargs[param_name] = bundle(**{f.name: kwargs.pop(f.name) for f in fields(bundle)})
            try:
                return func(**kwargs)
            except KcorpusError as exc:
                typer.echo(f"kcorpus: error: {exc.message}", err=True)
                raise typer.Exit(exc.exit_code) from None
            except BrokenPipeError:
                _silence_stdout()
                raise typer.Exit(0) from None
            except KeyboardInterrupt:
                _silence_stdout()
                typer.echo("kcorpus: interrupted", err=True)
                raise typer.Exit(130) from None
            except MemoryError:
                typer.echo("kcorpus: error: out of memory: analyse fewer documents at a time", err=True)
                raise typer.Exit(1) from None
            except (typer.Exit, typer.BadParameter):
                raise
            except Exception as exc:  # noqa: BLE001 - a bug still ends in one line and a defined exit code
                if os.environ.get("KCORPUS_DEBUG"):
                    raise
                from kcorpus.errors import bug_report

                typer.echo(f"kcorpus: error: internal error ({bug_report(exc)}; KCORPUS_DEBUG=1 shows the "
                           "traceback)", err=True)
                raise typer.Exit(1) from None

        del wrapper.__wrapped__
        wrapper.__signature__ = inspect.Signature(params)
        wrapper.__annotations__ = annotations
        return group.command(name, cls=KcorpusCommand)(wrapper)

    return decorate


def _silence_stdout() -> None:
    """After the reader of a pipe went away (| head), send further output nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# --- shared steps --------------------------------------------------------------------------------


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
    from kcorpus.io.sources import SourceOptions, check_encoding

    return SourceOptions(check_encoding(flags.encoding), flags.text_column, flags.id_column,
                         max_doc_bytes=flags.max_doc_mb * 1024 * 1024, max_line_chars=flags.max_line_chars)


def corpus_options(paths: list[str] | None, inputs: InputOptions):
    from kcorpus.nlp.analyzer import AnalyzerSettings
    from kcorpus.pipeline.corpus import CorpusOptions, default_jobs

    return CorpusOptions(
        paths=tuple(paths or ()),
        source=source_options(inputs),
        clean=not inputs.no_clean,
        analyzer=AnalyzerSettings.from_options(inputs.user_dict),
        cache_dir=inputs.cache_dir,
        use_cache=not inputs.no_cache,
        jobs=inputs.jobs or default_jobs(),
        scheduler=inputs.scheduler,
    )


class TokenisingProgress:
    """A transient progress line on stderr (documents and characters per second) while documents are
    tokenised; nothing when stderr is not a terminal or with --quiet.

    `with TokenisingProgress(quiet) as progress:` gives load_corpus's progress callback (or None).
    """

    def __init__(self, quiet: bool):
        self.enabled = not quiet and getattr(sys.stderr, "isatty", lambda: False)()
        self.bar = None
        self.docs = self.chars = 0

    def __enter__(self):
        import time

        self.started = time.monotonic()
        return self.advance if self.enabled else None

    def advance(self, docs: int, chars: int) -> None:
        import time

        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                console=Console(stderr=True), transient=True, redirect_stdout=False)
            self.task = self.bar.add_task("")
            self.bar.start()
        self.docs += docs
        self.chars += chars
        seconds = max(time.monotonic() - self.started, 1e-6)
        self.bar.update(self.task, description=(
            f"tokenising: {self.docs:,} docs, {self.chars:,} chars, "
            f"{self.docs / seconds:,.1f} docs/s, {self.chars / seconds:,.0f} chars/s, {seconds:,.0f} s"))

    def __exit__(self, *exc_info) -> bool:
        if self.bar is not None:
            self.bar.stop()
        return False


def open_corpus(paths: list[str] | None, inputs: InputOptions, reporter: Reporter, allow_empty: bool = False,
                validate=None):
    """Read, clean and tokenise the inputs, reporting skips and warnings; the bundled corpus when no path is
    given. `validate(documents)` runs after reading and before tokenising (options that depend on the data)."""
    from kcorpus.pipeline.corpus import load_corpus

    options = corpus_options(paths, inputs)
    announce_bundled_corpus(paths, reporter)
    with TokenisingProgress(reporter.quiet) as progress:
        corpus = load_corpus(options, reporter.warn, progress=progress, validate=validate)
    cached = sum(d.from_cache for d in corpus.documents)
    report_inputs(corpus.documents, corpus.skipped, inputs.strict, reporter, allow_empty,
                  f"analysed {len(corpus.documents)} document(s), {cached} from the token cache")
    return corpus


def announce_bundled_corpus(paths: list[str] | None, reporter: Reporter) -> None:
    if not paths:
        from kcorpus.io.sources import bundled_corpus_dir

        reporter.note(f"no paths given: using the bundled sample corpus ({bundled_corpus_dir()})")


def report_inputs(documents, skipped, strict: bool, reporter: Reporter, allow_empty: bool, summary: str) -> None:
    """Warn about each skipped input and each document read with a warning, print the summary, and fail as
    --strict or an empty corpus demand. Every cause is reported, counted and fails --strict the same way."""
    warned = [(doc.id, warning) for doc in documents for warning in doc.warnings]
    for item in skipped:
        reporter.warn(f"skipped {item.id}: {item.reason}")
    for doc_id, warning in warned:
        reporter.warn(f"{doc_id}: {warning}")
    with_warnings = len({doc_id for doc_id, _ in warned})
    reporter.note(summary + (f"; skipped {len(skipped)}" if skipped else "")
                  + (f"; {with_warnings} with warnings" if with_warnings else ""))
    if strict and (skipped or with_warnings):
        problems = [f"{len(skipped)} input(s) skipped" if skipped else "",
                    f"{with_warnings} read with warnings" if with_warnings else ""]
        raise KcorpusError(f"{' and '.join(p for p in problems if p)} and --strict is set")
    if not documents and not allow_empty:
        raise KcorpusError("no documents to analyse: every input was skipped (see the warnings above)")


def term_filter(terms: TermOptions, default_pos: str = "nouns", default_stopwords: bool = True):
    from kcorpus.nlp.terms import TermFilter

    return TermFilter.from_options(
        terms.pos or default_pos, terms.min_length, terms.stopwords or (),
        default_stopwords and not terms.no_default_stopwords,
    )


def unit_spec(units: UnitOptions):
    from kcorpus.nlp.units import UnitSpec

    return UnitSpec.parse(units.unit, units.min_unit_tokens)


def output_options(flags: OutputFlags, title: str | None = None):
    """The output options, checked (format, -o suffix and folder) before any document is read."""
    from kcorpus.render.output import OutputOptions, resolve_format

    options = OutputOptions(flags.format, flags.output, flags.bom, not flags.no_escape_formulas,
                            flags.no_color, title)
    resolve_format(options, sys.stdout)
    return options


# --- commands ------------------------------------------------------------------------------------


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"kcorpus {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Corpus toolkit for Korean text."""


@command()
def tokenize(paths: Paths = None, inputs: InputOptions = None, terms: TermOptions = None,
             units: UnitOptions = None, out: OutputFlags = None) -> None:
    """One row per token: doc, unit, index, form, tag, lemma, start, end (--format text: one unit per line)."""
    from kcorpus.analyses import listings
    from kcorpus.render.output import write_lines, write_tables

    reporter = Reporter(out.quiet)
    flt, spec = term_filter(terms, "all", default_stopwords=False), unit_spec(units)
    options = output_options(out)
    corpus = open_corpus(paths, inputs, reporter)
    if out.format == "text" or (out.output and out.output.suffix.lower() == ".txt" and out.format == "auto"):
        write_lines(listings.unit_lines(corpus, flt, spec), options)
    else:
        write_tables(listings.token_frames(corpus, flt, spec), options)


@command()
def info(paths: Paths = None, inputs: InputOptions = None, terms: TermOptions = None,
         units: UnitOptions = None, out: OutputFlags = None) -> None:
    """One row per input: doc, encoding, chars, units, tokens, types, status (ok or why it was skipped)."""
    from kcorpus.analyses import listings
    from kcorpus.render.output import write_table

    reporter = Reporter(out.quiet)
    flt, spec, options = term_filter(terms, "all", default_stopwords=False), unit_spec(units), output_options(out)
    corpus = open_corpus(paths, inputs, reporter, allow_empty=True)
    write_table(listings.info_table(corpus, flt, spec), options)
    if not corpus.documents:
        raise KcorpusError("no documents to analyse: every input was skipped")


@command()
def clean(
    paths: Paths = None,
    sources: SourceFlags = None,
    out_dir: Annotated[Optional[Path], typer.Option(
        help="Write one cleaned .txt file per document into this folder instead of printing.")] = None,
    report: Annotated[bool, typer.Option("--report", help="Print counts of each repair per document instead.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --out-dir, replace files that already exist there (never done without it).")] = False,
    out: OutputFlags = None,
) -> None:
    """Repair PDF-extracted report text: rejoin wrapped lines, drop running headers, page numbers and
    footnote markers, and glue stray particles (SEMI 는 -> SEMI는). Several documents are printed one
    after another, each under a `==> id <==` line."""
    from kcorpus.analyses import listings
    from kcorpus.pipeline.corpus import clean_document, input_documents
    from kcorpus.render.output import write_lines, write_table

    reporter = Reporter(out.quiet)
    options = output_options(out)
    if out_dir is not None:
        listings.check_out_dir(out_dir)
    announce_bundled_corpus(paths, reporter)
    docs, skipped = input_documents(tuple(paths or ()), source_options(sources))
    targets = listings.cleaned_file_targets(out_dir, [doc.id for doc in docs], force) if out_dir else []
    cleaned = [(doc, clean_document(doc, True)) for doc in docs]
    report_inputs([replace(doc, warnings=doc.warnings + text.warnings) for doc, text in cleaned], skipped,
                  sources.strict, reporter, False, f"cleaned {len(docs)} document(s)")
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
    out: OutputFlags = None,
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
    from kcorpus.pipeline.cache import TokenCache, default_cache_dir

    cache = TokenCache(cache_dir or default_cache_dir())
    removed, kept = cache.clear()
    typer.echo(f"kcorpus: removed {removed} cache entries from {cache.root}"
               + (f"; kept {kept} other file(s) there, which are not kcorpus's" if kept else ""), err=True)


# --- word lists, keywords, comparison ------------------------------------------------------------


@dataclass
class CountOptions:
    ngram: Annotated[int, typer.Option(min=1, help="Count runs of N adjacent terms within a document (n-grams).")] = 1
    compounds: Annotated[bool, typer.Option(
        "--compounds", help="Join nouns written with no space between them (인간+안보 → 인간안보).")] = False


BUNDLES = (*BUNDLES, CountOptions)

PlotPath = Annotated[Optional[Path], typer.Option(
    metavar="FILE", help="Also draw a keyness bar chart (signed G2 of the top terms) to FILE.png, .svg or .html.")]
MinCount = Annotated[int, typer.Option(min=1, help="Minimum count of a term (see the command help).")]


def document_counts(corpus, flt, counting: CountOptions):
    """Term counts per document under the term filter and counting options."""
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.units import UnitSpec

    return count_matrix(corpus, flt, UnitSpec("document", 0, 0), ngram=counting.ngram,
                        compounds=counting.compounds)


def checked_plot_path(plot: Path | None) -> Path | None:
    from kcorpus.render.plots import check_plot_path

    return check_plot_path(plot) if plot else None


@command()
def freq(
    paths: Paths = None,
    by: Annotated[Optional[str], typer.Option(help="doc: one list per document, with a leading doc column.")] = None,
    min_count: Annotated[int, typer.Option(min=1, help="Minimum count (in the document with --by doc).")] = 1,
    top: Annotated[int, typer.Option(min=0, help="Keep the N most frequent terms (per document); 0: all.")] = 0,
    inputs: InputOptions = None, terms: TermOptions = None, counting: CountOptions = None, out: OutputFlags = None,
) -> None:
    """Word list: term, tag, count, per_10k, docs, dp (Gries' DP over documents), most frequent first.

    per_10k is per 10,000 counted terms. With --by doc, count and per_10k are the document's while docs
    and dp stay corpus-wide.
    """
    from kcorpus.errors import UsageError
    from kcorpus.render.output import write_table
    from kcorpus.analyses.freq import word_list

    if by not in (None, "doc"):
        raise UsageError(f"--by {by!r}: freq lists can only be split by doc")
    flt, options = term_filter(terms), output_options(out)
    corpus = open_corpus(paths, inputs, Reporter(out.quiet))
    table = word_list(document_counts(corpus, flt, counting), min_count=min_count, top=top, by_doc=by == "doc")
    write_table(table, options)


@command()
def keywords(
    paths: Paths = None,
    reference: Annotated[Optional[list[str]], typer.Option(
        metavar="PATH", help="Reference corpus (repeatable): key terms of all PATHS together against it.")] = None,
    reference_freq: Annotated[Optional[Path], typer.Option(
        metavar="FILE",
        help="Reference frequency list: a CSV with a header naming term and count (e.g. kcorpus freq output).")] = None,
    measure: Annotated[str, typer.Option(help="Rank by g2 (signed), log_ratio, tfidf or log_odds.")] = "g2",
    under: Annotated[bool, typer.Option("--under", help="Also list under-used terms.")] = False,
    min_count: Annotated[int, typer.Option(
        min=1, help="Test a term only if it occurs this often in the target (with --under: or in the reference).")] = 3,
    top: Annotated[int, typer.Option(min=0, help="Key terms per document; 0: all.")] = 20,
    alpha: Annotated[float, typer.Option(help="Significance level for G2 (1: no significance filter).")] = 0.05,
    no_bonferroni: Annotated[bool, typer.Option(
        "--no-bonferroni", help="Do not divide --alpha by the number of terms tested.")] = False,
    plot: PlotPath = None,
    inputs: InputOptions = None, terms: TermOptions = None, counting: CountOptions = None, out: OutputFlags = None,
) -> None:
    """Key terms of each document against the rest of the corpus, or of all PATHS against a reference.

    Columns: doc, rank, term, count, ref_count, per_10k, ref_per_10k, g2, p, log_ratio (+ tfidf or
    log_odds_z with that --measure). Against a reference, doc is "(all)". A term is tested when it occurs
    --min-count times in the target (or, with --under, in the reference); p is uncorrected, the filter
    uses alpha / number of tested terms (Bonferroni).
    """
    from kcorpus.analyses import keyness
    from kcorpus.errors import UsageError
    from kcorpus.render.output import write_table

    if reference and reference_freq:
        raise UsageError("use either --reference or --reference-freq, not both")
    if reference:
        from kcorpus.io.sources import check_paths

        check_paths(reference)
    options = keyness.KeywordOptions(measure, under, min_count, top, alpha, not no_bonferroni)
    plot = checked_plot_path(plot)
    ref_table = keyness.read_frequency_list(reference_freq) if reference_freq else None
    reporter = Reporter(out.quiet)
    flt, output = term_filter(terms), output_options(out)
    counts = document_counts(open_corpus(paths, inputs, reporter), flt, counting)
    if reference:
        ref_table = document_counts(open_corpus(reference, inputs, reporter), flt, counting)
    table = keyness.keywords(counts, ref_table, options)
    write_table(table, output)
    draw_keyness(plot, table, "doc", reporter)


@command()
def compare(
    paths: Paths = None,
    by: Annotated[str, typer.Option(
        help="Groups: doc, folder, file, or a metadata column of a table source (e.g. group).")] = "doc",
    min_count: Annotated[int, typer.Option(min=1, help="Minimum count of a term over all groups.")] = 3,
    top: Annotated[int, typer.Option(min=0, help="Keep the N terms that differ most; 0: all.")] = 0,
    wide: Annotated[bool, typer.Option("--wide", help="One row per term, count:<group> and per_10k:<group> columns.")
                    ] = False,
    plot: PlotPath = None,
    inputs: InputOptions = None, terms: TermOptions = None, counting: CountOptions = None, out: OutputFlags = None,
) -> None:
    """Term frequencies across documents or groups: term, group, count, per_10k, g2, p, log_ratio, log_odds_z.

    Each group is tested against the rest (with two groups: against the other). Rows are ranked by |g2|;
    --min-count is a term's total over all groups.
    """
    from kcorpus.analyses.compare import compare as compare_groups
    from kcorpus.render.output import write_table

    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    flt, options = term_filter(terms), output_options(out)
    corpus = open_corpus(paths, inputs, reporter, validate=lambda documents: check_group_column(by, documents))
    counts = document_counts(corpus, flt, counting)
    table = compare_groups(counts, by, min_count=min_count, top=top, wide=wide)
    write_table(table, options)
    if plot:
        long_table = compare_groups(counts, by, min_count=min_count, top=top) if wide else table
        draw_keyness(plot, long_table, "group", reporter)


def check_group_column(by: str, documents) -> None:
    """--by must name doc, folder, file or a column that the table sources have (checked before tokenising)."""
    from kcorpus.errors import UsageError

    if by in ("doc", "folder", "file") or not documents:
        return
    if not any(by in doc.meta for doc in documents):
        available = ", ".join(["doc", *sorted({key for doc in documents for key in doc.meta})])
        raise UsageError(f"--by {by!r} is not a metadata column; available: {available}")


def draw_keyness(plot: Path | None, table, panel: str, reporter: Reporter) -> None:
    if plot:
        from kcorpus.render.plots import keyness_chart

        reporter.note(f"wrote {keyness_chart(table, plot, panel=panel)}")


# --- topics --------------------------------------------------------------------------------------


@command()
def topics(
    paths: Paths = None,
    k: Annotated[str, typer.Option(
        "--k", help="Number of topics, or auto: fit every k of --k-range and keep the smallest whose mean NPMI "
                    "is within 0.02 of the best.")] = "auto",
    k_range: Annotated[str, typer.Option(help="LOW:HIGH, the k tried by --k auto.")] = "4:12",
    method: Annotated[str, typer.Option(
        help="nmf (Frobenius loss on TF-IDF), nmf-kl (Kullback-Leibler loss on TF-IDF) or lda (batch LDA on "
             "counts).")] = "nmf",
    seed: Annotated[int, typer.Option(min=0, help="Random seed; the same seed and input give the same output.")] = 0,
    min_df: Annotated[Optional[int], typer.Option(
        min=1, help="Model only terms found in at least N units.", show_default="max(2, 0.2% of units)")] = None,
    max_df: Annotated[Optional[float], typer.Option(
        help="Model only terms found in at most this share of units.", show_default="0.5")] = None,
    seed_words: Annotated[Optional[Path], typer.Option(
        help="Guided topics: a file with one topic per line, its seed terms separated by spaces "
             "(nmf methods).")] = None,
    show: Annotated[str, typer.Option(
        help="Table to write: topics, docs (topic mixture per document), units (dominant topic per unit), "
             "examples (most typical units), k (the k sweep) or seeds (whether seed terms stayed on top).")
    ] = "topics",
    top: Annotated[int, typer.Option(min=1, help="Terms listed per topic.")] = 10,
    save: Annotated[Optional[Path], typer.Option(help="Save the fitted model to directory DIR.")] = None,
    load: Annotated[Optional[Path], typer.Option(
        help="Assign topics with a model saved by --save, without refitting (its term and unit settings "
             "apply). A model is arrays and JSON only: loading one never runs code.")] = None,
    plot: Annotated[Optional[Path], typer.Option(
        help="Also draw top terms per topic and the topic mixture of each document to FILE.png, .svg "
             "or .html.")] = None,
    inputs: InputOptions = None, terms: TermOptions = None, units: UnitOptions = None, out: OutputFlags = None,
) -> None:
    """Topics of the units (paragraphs by default): NMF on TF-IDF of nouns, k chosen by NPMI coherence.

    In a terminal: topic, label, share, npmi, terms. As csv/tsv/json/jsonl/xlsx: topic, rank, term,
    weight (p(w|t)), relevance (lambda 0.6, Sievert & Shirley 2014). share is the topic's token-weighted
    share of all units; npmi is the mean NPMI of its top-10 term pairs over the fitted units.
    """
    from kcorpus.analyses import topics as topic_models
    from kcorpus.io.wordlists import read_seed_words
    from kcorpus.errors import UsageError
    from kcorpus.render.output import resolve_format, write_table

    if show not in topic_models.TABLES:
        raise UsageError(f"--show {show!r}: use one of {', '.join(topic_models.TABLES)}")
    if save and load:
        raise UsageError("use either --save (fit and save) or --load (apply a saved model), not both")
    options = output_options(out)
    long_terms = resolve_format(options, sys.stdout) != "table"
    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    if load:
        model = topic_models.TopicModel.load(load)
        reporter.note(f"using the saved model in {load} ({model.method}, k={model.k}; its term and unit settings)")
        ignored = [flag for flag, given in (
            ("--k", k != "auto"), ("--k-range", k_range != "4:12"), ("--method", method != "nmf"),
            ("--seed", seed != 0), ("--min-df", min_df is not None), ("--max-df", max_df is not None),
            ("--seed-words", seed_words is not None), ("--pos", terms.pos is not None),
            ("--unit", units.unit != "paragraph"), ("--min-unit-tokens", units.min_unit_tokens != 50),
        ) if given]
        if ignored:
            reporter.warn(f"{', '.join(ignored)} ignored with --load: the saved model's settings apply")
        result = topic_models.apply_topics(open_corpus(paths, inputs, reporter), model)
    else:
        settings = topic_models.TopicSettings(
            method=method, k=topic_models.parse_k(k), k_range=topic_models.parse_k_range(k_range), seed=seed,
            min_df=min_df, max_df=max_df,
            seed_words=read_seed_words(seed_words) if seed_words else (),
        )
        flt, spec = term_filter(terms), unit_spec(units)
        corpus = open_corpus(paths, inputs, reporter)
        result = topic_models.fit_topics(corpus, flt, spec, settings, warn=reporter.warn)
        report_topic_fit(result, reporter)
        if save:
            result.model.save(save)
            reporter.note(f"saved the model to {save}")
    write_table(result.table(show, long_terms, top), options)
    if plot:
        from kcorpus.render.plots import topic_chart

        reporter.note(f"wrote {topic_chart(result.term_table(top), result.doc_table(), plot)}")


def report_topic_fit(result, reporter: Reporter) -> None:
    """The chosen k and the fate of seed terms, on stderr."""
    sweep = result.sweep
    chosen = sweep[sweep["chosen"]].iloc[0]
    auto = result.model.settings.get("k_requested") == "auto"
    how = f"chosen from {sweep['k'].min()}–{sweep['k'].max()} by NPMI coherence" if auto else "as asked"
    reporter.note(f"k={chosen['k']} {how}; mean NPMI {chosen['npmi']:.3f}, diversity {chosen['diversity']:.3f} "
                  f"({len(result.model.terms)} terms over {result.unit_counts.shape[0]} units)")
    for row in result.seeds.itertuples():
        if row.kept:
            reporter.note(f"seeded topic {row.topic} kept its seed terms in its top 10: {row.in_top10}")
        else:
            reporter.warn(f"seeded topic {row.topic} lost seed terms from its top 10: {row.not_in_top10}")


# --- concordance and collocates ------------------------------------------------------------------


@dataclass
class QueryOptions:
    regex: Annotated[bool, typer.Option(
        "--regex", help="QUERY is a regular expression, searched in every token's form and lemma.")] = False
    surface: Annotated[bool, typer.Option(
        "--surface", help="QUERY is plain text, searched in the cleaned text (a space matches any whitespace).")
    ] = False

    def mode(self) -> str:
        from kcorpus.errors import UsageError

        if self.regex and self.surface:
            raise UsageError("use either --regex or --surface, not both")
        return "regex" if self.regex else "surface" if self.surface else "morpheme"


BUNDLES = (*BUNDLES, QueryOptions)

QueryText = Annotated[str, typer.Argument(
    help="A term (협력), a lemma (강화하다, 돕다), a phrase (인간 안보 = 인간안보), a term/TAG (협력/NNG, "
         "NN = NNG or NNP), or a pattern with --regex.", show_default=False, metavar="QUERY")]


def query_hits(corpus, query: str, queries: QueryOptions, inputs: InputOptions, pos: str | None = None) -> list:
    """The hits of QUERY; exit 1 with `kcorpus: no matches for 'QUERY'` (like grep) when there are none."""
    from kcorpus.nlp.analyzer import AnalyzerSettings
    from kcorpus.analyses.concordance import find_hits

    hits = find_hits(corpus.documents, query, mode=queries.mode(), pos=pos,
                     analyser=AnalyzerSettings.from_options(inputs.user_dict))
    if not hits:
        typer.echo(f"kcorpus: no matches for {query!r}", err=True)
        raise typer.Exit(1)
    return hits


@command()
def concordance(
    query: QueryText,
    paths: Paths = None,
    pos: Annotated[Optional[str], typer.Option(
        help="Only tokens with these tags match: NNG, NN (NNG or NNP), VV, a comma list, or nouns/content.")
    ] = None,
    width: Annotated[int, typer.Option(
        min=0, help="Characters of context on each side, in the cleaned text (line breaks shown as a space).")] = 30,
    tokens: Annotated[Optional[int], typer.Option(
        min=0, help="Context of N tokens (morphemes) on each side instead of --width.")] = None,
    sentence: Annotated[bool, typer.Option("--sentence", help="Keep the context within the hit's sentence.")] = False,
    sort: Annotated[str, typer.Option(
        help="doc (corpus order), left (by the words nearest the hit, right to left), right or match.")] = "doc",
    limit: Annotated[Optional[int], typer.Option(min=0, help="Keep the first N lines after sorting.")] = None,
    sample: Annotated[Optional[int], typer.Option(
        min=0, help="Keep N hits drawn at random; the same --seed gives the same lines.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of --sample.")] = 0,
    plot: Annotated[Optional[Path], typer.Option(
        help="Also draw a dispersion plot (a row per document, a tick per hit, all hits) to FILE.png, .svg "
             "or .html.")] = None,
    queries: QueryOptions = None, inputs: InputOptions = None, out: OutputFlags = None,
) -> None:
    """Keyword in context: doc, line, left, match, right for every hit of QUERY.

    QUERY matches morphemes, not strings: 협력 finds the noun in 협력을, 협력하여, 협력적; 강화하다
    finds 강화했다, 강화하는; a phrase matches consecutive morphemes whatever the spacing or line breaks.
    line is the 1-based line of the original source file where the hit starts.

    Exit status: 0 when QUERY matched, 1 when nothing matched (with "kcorpus: no matches for 'QUERY'"
    on stderr, like grep), 2 for a usage error such as a malformed --regex.
    """
    import shutil

    from kcorpus.analyses import concordance as kwic
    from kcorpus.render.output import resolve_format, write_table

    kwic.check_request(query, mode=queries.mode(), pos=pos, sort=sort)
    context = kwic.ContextSpec(width, tokens, sentence)
    options = output_options(out)
    as_table = resolve_format(options, sys.stdout) == "table"
    plot = checked_plot_path(plot)
    reporter = Reporter(out.quiet)
    corpus = open_corpus(paths, inputs, reporter)
    hits = query_hits(corpus, query, queries, inputs, pos)
    lines = kwic.concordance(corpus.documents, query, context=context, sort=sort, limit=limit, sample=sample,
                             seed=seed, hits=hits)
    if as_table:
        lines = kwic.fitted(lines, shutil.get_terminal_size().columns if sys.stdout.isatty() else None)
        options = replace(options, right_aligned=("left",), emphasised=("match",))
    write_table(lines, options)
    if plot:
        from kcorpus.render.plots import dispersion_plot

        drawn = dispersion_plot(kwic.dispersion(corpus.documents, hits), plot, title=f"{query}: {len(hits)} hits")
        reporter.note(f"wrote {drawn}")


@command()
def collocates(
    query: QueryText,
    paths: Paths = None,
    window: Annotated[int, typer.Option(min=0, help="Terms on each side of a hit, within its unit.")] = 5,
    left: Annotated[Optional[int], typer.Option(min=0, help="Terms on the left (default: --window).")] = None,
    right: Annotated[Optional[int], typer.Option(min=0, help="Terms on the right (default: --window).")] = None,
    min_count: MinCount = 3,
    measure: Annotated[str, typer.Option(help="Rank by log_dice, mi, t_score, g2 or count.")] = "log_dice",
    top: Annotated[int, typer.Option(min=0, help="Keep the N best collocates; 0: all.")] = 0,
    queries: QueryOptions = None, inputs: InputOptions = None, terms: TermOptions = None, units: UnitOptions = None,
    out: OutputFlags = None,
) -> None:
    """Collocates of QUERY: collocate, tag, count, node_count, collocate_count, expected, mi, t_score, log_dice, g2.

    Terms follow --pos (nouns by default). N = terms in the corpus; node_count (f_node) = hits of QUERY;
    collocate_count (f_coll) = the collocate's frequency in the corpus; count (O) = its occurrences in
    the windows (--left terms before and --right after each hit, inside the hit's --unit; the hit's own
    terms excluded; overlapping windows count twice). expected E = f_node * f_coll * S / N with
    S = left + right; mi = log2(O/E); t_score = (O - E)/sqrt(O); log_dice = 14 + log2(2O/(f_node + f_coll));
    g2 = signed log-likelihood of window vs rest. A collocate is listed when O >= --min-count.
    QUERY is matched as in kcorpus concordance (tag the node as QUERY/TAG; --pos is for collocates).
    Exit status 1 when QUERY matches nothing.
    """
    from kcorpus.analyses import collocates as colloc
    from kcorpus.analyses.concordance import check_request
    from kcorpus.render.output import write_table

    check_request(query, mode=queries.mode())
    span = colloc.Window(window if left is None else left, window if right is None else right)
    if measure not in colloc.MEASURES:
        from kcorpus.errors import UsageError

        raise UsageError(f"--measure {measure!r}: use one of {', '.join(colloc.MEASURES)}")
    flt, spec, options = term_filter(terms), unit_spec(units), output_options(out)
    corpus = open_corpus(paths, inputs, Reporter(out.quiet))
    hits = query_hits(corpus, query, queries, inputs)
    table = colloc.collocates(corpus.documents, hits, flt, spec, span, min_count=min_count, measure=measure,
                              limit=top or None)
    write_table(table, options)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        typer.echo("kcorpus: interrupted", err=True)
        sys.exit(130)
