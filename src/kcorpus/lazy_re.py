"""`re` whose `compile` waits for a pattern's first use.

kcorpus.clean.patterns compiles some fifty patterns when imported, and a warm run (tokens from the cache)
uses only the few that find the drop's running headers; compiling all of them cost about 0.05 s of every
command. `compile` here returns a LazyPattern, compiled on first use; after that its methods are the
compiled pattern's own (bound methods stored on the instance), so matching costs what it did.
Everything else is the `re` module's.
"""

from __future__ import annotations

import re as _re
from typing import Any

_METHODS = ("match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer", "scanner")
_ATTRIBUTES = ("pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """A regular expression compiled the first time one of its methods or attributes is used."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = _re.compile(*self._source)
        for attribute in (*_METHODS, *_ATTRIBUTES):
            self.__dict__[attribute] = getattr(compiled, attribute)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


def compile(pattern: str, flags: int = 0) -> LazyPattern:  # noqa: A001 - stands in for re.compile
    return LazyPattern(pattern, flags)


def __getattr__(name: str) -> Any:  # flags (re.I ...), escape, sub ...: the re module's own
    return getattr(_re, name)
