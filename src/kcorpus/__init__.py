"""kcorpus: a corpus toolkit for Korean text built on Kiwi.

    import kcorpus as kc
    corpus = kc.read_corpus("reports/")          # no paths: the bundled sample corpus
    kc.keywords(corpus, top=10)                  # pandas DataFrames, the same as `kcorpus keywords`
    model = kc.topics(corpus, k=8); model.topics

Functions are imported on first use, so `import kcorpus` (and `kcorpus --help`) stays fast.
"""

from __future__ import annotations

from importlib import import_module

from kcorpus.errors import InvalidArgument, KcorpusError, KcorpusWarning, UsageError

_API = (
    "read_corpus",
    "tokenize",
    "freq",
    "keywords",
    "compare",
    "concordance",
    "collocates",
    "topics",
    "load_topics",
    "clean_text",
    "write",
    "counts",
    "hits",
    "trends",
    "similar",
    "report",
)

__all__ = [*_API, "plot", "KcorpusError", "UsageError", "InvalidArgument", "KcorpusWarning", "__version__"]


_MODULES = {"trends": "kcorpus.api_time", "similar": "kcorpus.api_time", "report": "kcorpus.api_report"}


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(_MODULES.get(name, "kcorpus.api")), name)
    if name == "plot":
        return import_module("kcorpus.plot")
    if name == "__version__":  # read on first use: importlib.metadata costs a tenth of a second
        globals()["__version__"] = _installed_version()
        return globals()["__version__"]
    raise AttributeError(f"module 'kcorpus' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kcorpus")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
