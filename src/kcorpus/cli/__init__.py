"""The `kcorpus` command line: a thin shell over the library (options in, DataFrames out, errors to exit codes)."""

from kcorpus.cli.app import app, main

__all__ = ["app", "main"]
