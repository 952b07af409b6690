"""The one error type users see: a message that says what went wrong and how to fix it."""

from __future__ import annotations

DATA_ERROR = 1
USAGE_ERROR = 2


class KcorpusError(Exception):
    """A user-facing error: one line on stderr, then exit with `exit_code`."""

    def __init__(self, message: str, exit_code: int = DATA_ERROR):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class KcorpusWarning(UserWarning):
    """Something a user should know that does not stop the work (the CLI prints it as one warning line)."""


def warn_caller(message: str) -> None:
    """A KcorpusWarning shown at the first line outside kcorpus (the user's cell in a notebook)."""
    import os
    import sys
    import types
    import warnings

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    level = 2
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(package):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, KcorpusWarning, stacklevel=level)


class UsageError(KcorpusError, ValueError):
    """A bad option value or combination (exit 2); in Python a ValueError."""

    def __init__(self, message: str):
        super().__init__(message, USAGE_ERROR)


def bug_report(exc: BaseException) -> str:
    """What to say about an unexpected exception: its type and message, and that it is a bug to report."""
    from kcorpus import __version__

    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}{': ' + detail if detail else ''}; a bug in kcorpus {__version__}, please report it"


class InvalidArgument(UsageError):
    """A bad argument to a library function, naming the parameter (`min_count must be 1 or more`).

    The command line words it with the option instead (`--min-count must be 1 or more`), exit 2.
    """

    def __init__(self, parameter: str, detail: str):
        self.parameter = parameter
        self.detail = detail
        super().__init__(self.worded(parameter))

    def worded(self, name: str) -> str:
        """The message with the parameter called `name`."""
        return f"{name} {self.detail}"
