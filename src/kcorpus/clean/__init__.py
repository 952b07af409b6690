"""Stage 2, clean: repair of PDF/HWP-extracted text, with a map from every character to its source line."""

from kcorpus.clean.drop import drop_furniture, furniture_in
from kcorpus.clean.repair import SHAPES, clean_text, trace_clean
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
    "SHAPES",
    "drop_furniture",
    "furniture_in",
    "Junction",
    "clean_text",
    "passthrough",
    "trace_clean",
]
