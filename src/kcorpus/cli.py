"""The `kcorpus` command line: thin commands over the library, shared option bundles, errors -> exit codes."""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Annotated, Optional

import typer

from kcorpus import __version__
from kcorpus.errors import KcorpusError

app = typer.Typer(
    name="kcorpus",
    help="Corpus toolkit for Korean text: tokens, word lists, keywords, topics and concordances, built on Kiwi.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the token cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")

Paths = Annotated[
    Optional[list[str]],
    typer.Argument(help="Files, directories, globs or - for stdin. Default: the bundled sample corpus.",
                   show_default=False),
]


# --- option bundles ------------------------------------------------------------------------------
# Each bundle is a dataclass whose fields are typer options; a command asks for a bundle by
# annotating a parameter with its class, and `command` spreads the fields into the signature.


@dataclass
class InputOptions:
    encoding: Annotated[Optional[str], typer.Option(
        help="Encoding of text files (default: detect UTF-8, UTF-8/16 with BOM, CP949/EUC-KR).")] = None
    text_column: Annotated[str, typer.Option(help="Text column of .csv/.tsv/.jsonl/.xlsx sources.")] = "text"
    id_column: Annotated[Optional[str], typer.Option(
        help="Column holding document ids in table sources (default: file#row).")] = None
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any input is skipped.")] = False
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Do not repair PDF-extracted text.")] = False
    user_dict: Annotated[Optional[Path], typer.Option(
        help="Kiwi user dictionary: form<TAB>tag[<TAB>score] per line.")] = None
    cache_dir: Annotated[Optional[Path], typer.Option(
        help="Token cache directory (default: $KCORPUS_CACHE_DIR or the user cache directory).")] = None
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the token cache.")] = False
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Kiwi threads (default: all cores).")] = None


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


BUNDLES = (InputOptions, TermOptions, UnitOptions, OutputFlags)


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

        del wrapper.__wrapped__
        wrapper.__signature__ = inspect.Signature(params)
        wrapper.__annotations__ = annotations
        return group.command(name)(wrapper)

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


def corpus_options(paths: list[str] | None, inputs: InputOptions):
    from kcorpus.analyzer import AnalyzerSettings
    from kcorpus.corpus import CorpusOptions, default_jobs
    from kcorpus.sources import SourceOptions, check_encoding

    return CorpusOptions(
        paths=tuple(paths or ()),
        source=SourceOptions(check_encoding(inputs.encoding), inputs.text_column, inputs.id_column),
        clean=not inputs.no_clean,
        analyzer=AnalyzerSettings.from_options(inputs.user_dict),
        cache_dir=inputs.cache_dir,
        use_cache=not inputs.no_cache,
        jobs=inputs.jobs or default_jobs(),
    )


def open_corpus(paths: list[str] | None, inputs: InputOptions, reporter: Reporter, allow_empty: bool = False):
    """Read, clean and tokenise the inputs, reporting skips; the bundled corpus when no path is given."""
    from kcorpus.corpus import load_corpus
    from kcorpus.sources import bundled_corpus_dir

    options = corpus_options(paths, inputs)
    if options.uses_bundled_corpus:
        reporter.note(f"no paths given: using the bundled sample corpus ({bundled_corpus_dir()})")
    corpus = load_corpus(options, reporter.warn)
    for skipped in corpus.skipped:
        reporter.warn(f"skipped {skipped.id}: {skipped.reason}")
    cached = sum(d.from_cache for d in corpus.documents)
    summary = f"analysed {len(corpus.documents)} document(s), {cached} from the token cache"
    if corpus.skipped:
        summary += f"; skipped {len(corpus.skipped)}"
    reporter.note(summary)
    if inputs.strict and corpus.skipped:
        raise KcorpusError(f"{len(corpus.skipped)} input(s) skipped and --strict is set")
    if not corpus.documents and not allow_empty:
        raise KcorpusError("no documents to analyse: every input was skipped (see the warnings above)")
    return corpus


def term_filter(terms: TermOptions, default_pos: str = "nouns", default_stopwords: bool = True):
    from kcorpus.analyzer import TermFilter

    return TermFilter.from_options(
        terms.pos or default_pos, terms.min_length, terms.stopwords or (),
        default_stopwords and not terms.no_default_stopwords,
    )


def unit_spec(units: UnitOptions):
    from kcorpus.units import UnitSpec

    return UnitSpec.parse(units.unit, units.min_unit_tokens)


def output_options(flags: OutputFlags, title: str | None = None):
    from kcorpus.output import OutputOptions

    return OutputOptions(flags.format, flags.output, flags.bom, not flags.no_escape_formulas,
                         flags.no_color, title)


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
    from kcorpus import token_tables
    from kcorpus.output import write_lines, write_tables

    reporter = Reporter(out.quiet)
    corpus = open_corpus(paths, inputs, reporter)
    flt, spec = term_filter(terms, "all", default_stopwords=False), unit_spec(units)
    options = output_options(out)
    if out.format == "text" or (out.output and out.output.suffix.lower() == ".txt" and out.format == "auto"):
        write_lines(token_tables.unit_lines(corpus, flt, spec), options)
    else:
        write_tables(token_tables.token_frames(corpus, flt, spec), options)


@command()
def info(paths: Paths = None, inputs: InputOptions = None, terms: TermOptions = None,
         units: UnitOptions = None, out: OutputFlags = None) -> None:
    """One row per input: doc, encoding, chars, units, tokens, types, status (ok or why it was skipped)."""
    from kcorpus import token_tables
    from kcorpus.output import write_table

    reporter = Reporter(out.quiet)
    corpus = open_corpus(paths, inputs, reporter, allow_empty=True)
    flt = term_filter(terms, "all", default_stopwords=False)
    write_table(token_tables.info_table(corpus, flt, unit_spec(units)), output_options(out))
    if not corpus.documents:
        raise KcorpusError("no documents to analyse: every input was skipped")


@command(cache_app, "info")
def cache_info(
    cache_dir: Annotated[Optional[Path], typer.Option(help="Token cache directory.")] = None,
    out: OutputFlags = None,
) -> None:
    """Where the token cache is, how many entries it holds and its size."""
    import pandas as pd

    from kcorpus.cache import TokenCache, default_cache_dir
    from kcorpus.output import write_table

    details = TokenCache(cache_dir or default_cache_dir()).info()
    write_table(pd.DataFrame([details]), output_options(out))


@command(cache_app, "clear")
def cache_clear(
    cache_dir: Annotated[Optional[Path], typer.Option(help="Token cache directory.")] = None,
) -> None:
    """Remove every cached token table."""
    from kcorpus.cache import TokenCache, default_cache_dir

    cache = TokenCache(cache_dir or default_cache_dir())
    removed = cache.clear()
    typer.echo(f"kcorpus: removed {removed} cache entries from {cache.root}", err=True)


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
