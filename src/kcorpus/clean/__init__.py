"""Stage 2, clean: repair of PDF/HWP-extracted text, with a map from every character to its source line.

The repair itself (kcorpus.clean.repair, kcorpus.clean.drop and the stages they use) is imported when one of
its names is first asked for: a warm run whose documents come from the token store reads only the cleaned
texts (kcorpus.clean.text) and repairs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from kcorpus.clean.text import (
    CLEAN_VERSION,
    REPAIR_NAMES,
    CleanedText,
    CleanTrace,
    Junction,
    passthrough,
)

if TYPE_CHECKING:
    from kcorpus.clean.drop import drop_furniture, furniture_in
    from kcorpus.clean.repair import SHAPES, clean_text, trace_clean

_LAZY = {
    "drop_furniture": "kcorpus.clean.drop",
    "furniture_in": "kcorpus.clean.drop",
    "SHAPES": "kcorpus.clean.repair",
    "clean_text": "kcorpus.clean.repair",
    "trace_clean": "kcorpus.clean.repair",
}

__all__ = [
    "CLEAN_VERSION",
    "REPAIR_NAMES",
    "CleanedText",
    "CleanTrace",
    "SHAPES",
    "drop_furniture",
    "furniture_in",
    "Junction",
    "clean_text",
    "passthrough",
    "trace_clean",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kcorpus.clean' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
