"""What a file of the cache is, by its first bytes: the cache removes only files it can tell are its own;
and a damaged one is a ValueError to whoever reads it."""

from __future__ import annotations

import functools
import struct
from pathlib import Path


def begins_with(path: Path, *magics: bytes) -> bool:
    """Whether the file begins with one of `magics` (False if it cannot be read)."""
    try:
        with open(path, "rb") as file:
            head = file.read(max(map(len, magics)))
    except OSError:
        return False
    return any(head.startswith(magic) for magic in magics)


def damage_is_value_error(read):
    """`read`, raising ValueError for whatever bytes of a damaged file make it trip over."""

    @functools.wraps(read)
    def reading(*args, **kwargs):
        try:
            return read(*args, **kwargs)
        except (KeyError, TypeError, AttributeError, IndexError, struct.error, OverflowError) as exc:
            raise ValueError(f"damaged file ({type(exc).__name__}: {exc})") from None

    return reading
