"""The `kcorpus` command line: the root of the app, the commands in their modules, and the entry point."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from typer.models import CommandInfo

from kcorpus import __version__
from kcorpus.cli import (  # noqa: F401 - registers the commands
    corpus_commands,
    count_commands,
    search_commands,
    time_commands,
    topic_commands,
)
from kcorpus.cli.options import _silence_stdout, app

COMMAND_ORDER = (
    "tokenize",
    "info",
    "clean",
    "freq",
    "keywords",
    "compare",
    "trends",
    "topics",
    "concordance",
    "collocates",
    "similar",
    "report",
)


def _command_name(info: CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None  # every command is registered with its function, named after it
    return info.callback.__name__


app.registered_commands.sort(key=lambda info: COMMAND_ORDER.index(_command_name(info)))


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"kcorpus {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Corpus toolkit for Korean text."""


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
