"""What every command is made of: the typer app, its one-line usage errors, option bundles and the command
decorator (errors -> exit codes)."""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
import os
import sys
import typing
import warnings
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, Protocol, cast

import typer
from typer.core import TyperCommand, TyperGroup

from kcorpus import defaults
from kcorpus.errors import InvalidArgument, KcorpusError, KcorpusWarning

if TYPE_CHECKING:
    pass

NUMBER_TYPES = ("integer", "integer range", "int", "int range", "float", "float range")


class _ShowsHelp(Protocol):
    """click's NoArgsIsHelpError (not exported by typer, so matched by name): it prints the help."""

    exit_code: int

    def show(self) -> None: ...


class KcorpusGroup(TyperGroup):
    """Usage errors in one line on stderr (`kcorpus: error: …`), exit 2; an interrupt exits 130."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args=windows_expand_args, **extra
            )
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args=windows_expand_args, **extra)
        except typer.Abort:
            typer.echo("kcorpus: interrupted", err=True)
            sys.exit(130)
        except typer.TyperException as exc:  # click's UsageError, BadParameter, NoSuchOption ...
            if type(exc).__name__ == "NoArgsIsHelpError":  # `kcorpus` alone: the help, as before
                help_error = cast(_ShowsHelp, exc)
                help_error.show()
                sys.exit(help_error.exit_code)
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
    typer.Argument(
        help="Files, directories, globs or - for stdin. Default: the bundled sample corpus.",
        show_default=False,
        metavar="PATHS",
    ),
]


# --- option bundles ------------------------------------------------------------------------------
# Each bundle is a dataclass whose fields are typer options; a command asks for a bundle by
# annotating a parameter with its class, and `command` spreads the fields into the signature.

#: The default a command gives a bundle parameter (`inputs: InputOptions = BUNDLE`). It is never used:
#: `command` replaces the parameter with the bundle's fields. Typed Any, so every bundle type accepts it.
BUNDLE: Any = None


@dataclass
class SourceFlags:
    encoding: Annotated[
        Optional[str],
        typer.Option(help="Encoding of text files (default: detect UTF-8, UTF-8/16 with BOM, CP949/EUC-KR)."),
    ] = None
    text_column: Annotated[str, typer.Option(help="Text column of .csv/.tsv/.jsonl/.xlsx sources.")] = (
        defaults.TEXT_COLUMN
    )
    id_column: Annotated[
        Optional[str],
        typer.Option(help="Column holding document ids in table sources (default: file#line, its line in the file)."),
    ] = None
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any input is skipped or read with a warning.")] = (
        False
    )
    max_doc_mb: Annotated[
        int, typer.Option(min=1, help="Skip a document (a file, stdin or a table cell) larger than this many MB.")
    ] = defaults.MAX_DOC_MB
    max_line_chars: Annotated[
        int,
        typer.Option(min=1, help="Skip a document with a line longer than this many characters (not running text)."),
    ] = defaults.MAX_LINE_CHARS


@dataclass
class InputOptions(SourceFlags):
    meta: Annotated[
        Optional[list[Path]],
        typer.Option(
            metavar="FILE",
            help="Metadata sidecar (.csv/.tsv/.jsonl/.xlsx): one row per document, ids (file names, with or "
            "without suffix) in its id, doc or file column, the other columns joined onto the documents of PATHS "
            "(not of --reference) for --by. Repeatable: the rows of every sidecar.",
        ),
    ] = None
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Do not repair PDF-extracted text.")] = False
    user_dict: Annotated[
        Optional[Path], typer.Option(help="Kiwi user dictionary: form<TAB>tag[<TAB>score] per line.")
    ] = None
    hanja: Annotated[
        str,
        typer.Option(
            help="keep: Hanja stay as written (休職, counted apart from 휴직); hangul: read each Hanja as its "
            "Hangul reading (Unihan, with the initial-sound rule), so 休職 counts as 휴직; freq then shows the "
            "written form in an `original` column.",
        ),
    ] = defaults.HANJA
    cache_dir: Annotated[
        Optional[Path],
        typer.Option(help="Token cache directory (default: $KCORPUS_CACHE_DIR or the user cache directory)."),
    ] = None
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the token cache.")] = False
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Kiwi threads (default: all cores).")] = (
        None
    )
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            envvar="KCORPUS_SCHEDULER",
            show_envvar=True,
            help="Tokenise on a Dask cluster: tcp://HOST:PORT, or local:N for N local worker processes "
            "(needs the kcorpus[dask] extra).",
        ),
    ] = None


@dataclass
class TermOptions:
    pos: Annotated[
        Optional[str],
        typer.Option(
            help="Terms to keep: nouns, content (nouns + verb/adjective lemmas), all, or tags like NNG,NNP,VV.",
            show_default="nouns; all for tokenize and info",
        ),
    ] = None
    min_length: Annotated[int, typer.Option(min=1, help="Minimum term length in characters.")] = 1
    stopwords: Annotated[
        Optional[list[Path]], typer.Option(help="Extra stopword file, one term per line (repeatable).")
    ] = None
    stoplist: Annotated[
        Optional[str],
        typer.Option(
            help="Bundled stopword list: reports (policy reports), legal (statutes and bills: 조, 항, 호, 개정, "
            "신설, 부칙 ...) or none. stopwords/README.md gives the reason for every entry.",
            show_default="reports; none for tokenize and info",
        ),
    ] = None
    no_default_stopwords: Annotated[
        bool, typer.Option("--no-default-stopwords", help="The same as --stoplist none.")
    ] = False


@dataclass
class UnitOptions:
    unit: Annotated[str, typer.Option(help="Unit of analysis: document, paragraph, sentence or window:N.")] = (
        defaults.UNIT
    )
    min_unit_tokens: Annotated[
        int, typer.Option(min=0, help="Merge short paragraphs until a unit holds this many content tokens.")
    ] = defaults.MIN_UNIT_TOKENS


@dataclass
class OutputFlags:
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto, table, csv, tsv, json, jsonl, xlsx or text (tab-separated rows, no header; "
            "auto: table on a terminal, CSV when piped).",
        ),
    ] = "auto"
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to FILE; the format follows its suffix.")
    ] = None
    bom: Annotated[bool, typer.Option("--bom", help="Start with a UTF-8 BOM so Excel reads Korean correctly.")] = False
    no_escape_formulas: Annotated[
        bool, typer.Option("--no-escape-formulas", help="Do not prefix cells starting with = + - @ with a quote.")
    ] = False
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in tables (also NO_COLOR=1).")] = False
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes or summary on stderr.")] = False


def command(group: typer.Typer = app, name: str | None = None):
    """Register a command: spread option bundles into its signature and turn errors into exit codes."""

    def decorate(func):
        signature = inspect.signature(func)
        hints = typing.get_type_hints(func, include_extras=True)
        bundle_params = {n: hints[n] for n in signature.parameters if _is_bundle(hints.get(n))}
        params, annotations = [], {}
        for name_, param in signature.parameters.items():
            if name_ in bundle_params:
                continue
            params.append(param.replace(annotation=hints.get(name_, param.annotation)))
            annotations[name_] = hints.get(name_, param.annotation)
        for bundle in bundle_params.values():
            bundle_hints = _bundle_hints(bundle)
            for f in fields(bundle):
                default = None if f.default is MISSING else f.default
                params.append(
                    inspect.Parameter(
                        f.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=bundle_hints[f.name]
                    )
                )
                annotations[f.name] = bundle_hints[f.name]

        @functools.wraps(func)
        def wrapper(**kwargs):
            for param_name, bundle in bundle_params.items():
                kwargs[param_name] = bundle(**{f.name: kwargs.pop(f.name) for f in fields(bundle)})
            caught: list = []
            try:
                try:
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always", KcorpusWarning)
                        return func(**kwargs)
                finally:  # outside the recording block: a warning shown there would be recorded again, endlessly
                    _report_warnings(caught)
            except KcorpusError as exc:
                message = exc.worded(flag(exc.parameter)) if isinstance(exc, InvalidArgument) else exc.message
                typer.echo(f"kcorpus: error: {message}", err=True)
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

                typer.echo(
                    f"kcorpus: error: internal error ({bug_report(exc)}; KCORPUS_DEBUG=1 shows the traceback)", err=True
                )
                raise typer.Exit(1) from None

        del wrapper.__wrapped__
        # typeshed's function types do not declare __signature__, the attribute inspect.signature reads (PEP 362)
        wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = annotations
        return group.command(name, cls=KcorpusCommand)(wrapper)

    return decorate


def _report_warnings(caught) -> None:
    """The library's KcorpusWarnings as one `kcorpus: warning:` line each; other warnings as Python shows them."""
    for item in caught:
        if issubclass(item.category, KcorpusWarning):
            typer.echo(f"kcorpus: warning: {item.message}", err=True)
        else:
            warnings.showwarning(item.message, item.category, item.filename, item.lineno)


@functools.cache
def _bundle_hints(bundle: type) -> dict[str, Any]:
    """The evaluated annotations of an option bundle, once per bundle (typer copies each option's info
    before it changes it, so commands can share them): evaluating them per command cost a tenth of a
    second of `kcorpus --help`."""
    return typing.get_type_hints(bundle, include_extras=True)


def _is_bundle(hint) -> bool:
    """A parameter annotated with an option-bundle dataclass (SourceFlags, TermOptions, ...)."""
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def flag(parameter: str) -> str:
    """The option that sets a library parameter: min_count -> --min-count."""
    return "--" + parameter.replace("_", "-")


def _silence_stdout() -> None:
    """After the reader of a pipe went away (| head), send further output nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# --- shared steps --------------------------------------------------------------------------------
