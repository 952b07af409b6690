"""Stage 2, clean: repair of PDF/HWP-extracted text, with a map from every character to its source line."""

from kcorpus.clean.repair import clean_text, trace_clean
from kcorpus.clean.text import (
    CLEAN_VERSION,
    REPAIR_NAMES,
    CleanedText,
    CleanTrace,
    Junction,
    passthrough,
)

__all__ = [
    "CLEAN_VERSION",
    "REPAIR_NAMES",
    "CleanedText",
    "CleanTrace",
    "Junction",
    "clean_text",
    "passthrough",
    "trace_clean",
]
