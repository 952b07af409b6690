"""The `kcorpus` command line: `main` (the console script) and `app`, the typer app with every command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcorpus.cli.root import main

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # built on first use: `main` registers only the command it runs
        from kcorpus.cli.root import full_app

        return full_app()
    raise AttributeError(f"module 'kcorpus.cli' has no attribute {name!r}")
