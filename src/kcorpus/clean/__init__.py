"""Stage 2, clean: repair of PDF/HWP-extracted text, with a map from every character to its source line."""

from kcorpus.clean.repair import (
    CLEAN_VERSION,
    REPAIR_NAMES,
    CleanedText,
    CleanTrace,
    Junction,
    clean_text,
    passthrough,
    trace_clean,
)

__all__ = ["CLEAN_VERSION", "REPAIR_NAMES", "CleanedText", "CleanTrace", "Junction", "clean_text", "passthrough",
           "trace_clean"]
