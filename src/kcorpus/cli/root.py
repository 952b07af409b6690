"""The root of the `kcorpus` command line and its entry point.

The commands live in one module per group. `main` imports only the module of the command it runs (all of
them for `kcorpus --help`, `--version` or a name it does not know) and has typer build only that command,
so a command pays for its own options and no other's; `full_app()` registers every command (tests,
documentation).
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated

import typer
from typer.models import CommandInfo

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
# the module (in kcorpus.cli) that registers each command; "cache" is the `kcorpus cache` group
COMMAND_MODULES = {
    "tokenize": "corpus_commands",
    "info": "corpus_commands",
    "clean": "corpus_commands",
    "cache": "corpus_commands",
    "freq": "count_commands",
    "keywords": "count_commands",
    "compare": "count_commands",
    "trends": "time_commands",
    "similar": "time_commands",
    "report": "time_commands",
    "topics": "topic_commands",
    "concordance": "search_commands",
    "collocates": "search_commands",
}


def _command_name(info: CommandInfo) -> str:
    if info.name:
        return info.name
    assert info.callback is not None  # every command is registered with its function, named after it
    return info.callback.__name__


def load_commands(names: list[str] | None = None) -> typer.Typer:
    """Register the commands `names` (and those their modules hold), or every command; the app, commands in
    COMMAND_ORDER."""
    modules = dict.fromkeys(COMMAND_MODULES[name] for name in (names or COMMAND_MODULES))
    for module in modules:
        import_module(f"kcorpus.cli.{module}")
    app.registered_commands.sort(key=lambda info: COMMAND_ORDER.index(_command_name(info)))
    return app


def full_app() -> typer.Typer:
    """The app with every command registered."""
    return load_commands()


def command_named(argv: list[str]) -> str | None:
    """The command `argv` runs, if it names a known one (the root takes no option with a value)."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in COMMAND_MODULES else None


def version_callback(value: bool) -> None:
    if value:
        from kcorpus import __version__  # read here: importlib.metadata costs a tenth of a second

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
    name = command_named(sys.argv[1:])
    load_commands([name] if name else None)
    registered = app.registered_commands
    if name and any(_command_name(info) == name for info in registered):
        # typer turns every registered command into a click command before it runs one: only the one that
        # runs (a command's help and errors name no other command)
        app.registered_commands = [info for info in registered if _command_name(info) == name]
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        typer.echo("kcorpus: interrupted", err=True)
        sys.exit(130)
    finally:
        app.registered_commands = registered
