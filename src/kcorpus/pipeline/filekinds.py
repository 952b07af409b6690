"""What a file of the cache is, by its first bytes: the cache removes only files it can tell are its own."""

from __future__ import annotations

from pathlib import Path


def begins_with(path: Path, *magics: bytes) -> bool:
    """Whether the file begins with one of `magics` (False if it cannot be read)."""
    try:
        with open(path, "rb") as file:
            head = file.read(max(map(len, magics)))
    except OSError:
        return False
    return any(head.startswith(magic) for magic in magics)
