"""The pipeline up to tokens: sources -> clean -> tokens (from the cache, or from Kiwi)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from kcorpus.clean import CLEAN_VERSION, CleanedText, passthrough
from kcorpus.errors import bug_report
from kcorpus.io.sources import Document, Skipped, SourceOptions, bundled_corpus_glob, read_sources
from kcorpus.nlp.analyzer import Analyzer, AnalyzerSettings, kiwi_version, piece_spans
from kcorpus.nlp.terms import TermFilter, select_terms
from kcorpus.nlp.tokens import DocTokens
from kcorpus.nlp.units import DEFAULT_MIN_UNIT_TOKENS, UnitSpec, make_units
from kcorpus.pipeline.cache import TokenCache, default_cache_dir, entry_key
from kcorpus.pipeline.content import HeldContent, StoredContent, StoreReader, may_hold  # noqa: F401 - re-exported

if TYPE_CHECKING:
    from kcorpus.pipeline.recalled import RecalledDocuments

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]  # (documents, characters) just tokenised
Boundary = Callable[[str, str], bool]  # is there a word boundary between these two pieces of text?


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@dataclass(frozen=True)
class CorpusOptions:
    """Where the documents are and how to turn them into tokens."""

    paths: tuple[str, ...] = ()
    source: SourceOptions = SourceOptions()
    clean: bool = True
    analyzer: AnalyzerSettings = AnalyzerSettings()
    cache_dir: Path | None = None  # None: the default user cache directory
    use_cache: bool = True
    jobs: int = field(default_factory=default_jobs)
    scheduler: str | None = None  # a Dask scheduler address (tcp://HOST:PORT) or local:N; None = this process

    def input_paths(self) -> list[str]:
        return list(self.paths) or [bundled_corpus_glob()]


@dataclass(frozen=True)
class AnalysedDocument:
    """A document with its repaired text and its tokens. `doc.text` is dropped once the tokens are known
    (`chars` keeps its length); `cleaned` and `tokens` come from memory or from the token store."""

    doc: Document
    content: HeldContent | StoredContent
    from_cache: bool
    chars: int

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def cleaned(self) -> CleanedText:
        return self.content.load()[0]

    @property
    def tokens(self) -> DocTokens:
        return self.content.load()[1]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Why this document was analysed, but not exactly as it should have been."""
        return self.doc.warnings + self.content.warnings


INFO_COLUMNS = ["doc", "encoding", "chars", "units", "tokens", "types", "status"]


@dataclass
class Corpus:
    """The analysed documents and the inputs that were skipped, in input order, and how they were read."""

    documents: Sequence[AnalysedDocument]  # a list, or recalled.RecalledDocuments (made on demand)
    skipped: list[Skipped]
    kiwi_loaded: bool = False
    options: CorpusOptions = CorpusOptions()

    def __iter__(self) -> Iterator[AnalysedDocument]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return f"<Corpus: {len(self.documents)} documents, {len(self.skipped)} skipped>"

    def from_cache(self) -> int:
        """How many documents came from the token cache (recalled ones all did: none is made to count them)."""
        if getattr(self.documents, "recalled", False):
            return len(self.documents)
        return sum(analysed.from_cache for analysed in self.documents)

    def info(
        self,
        *,
        pos: str = "all",
        min_length: int = 1,
        stopwords=(),
        stoplist: str = "none",
        unit: str = "paragraph",
        min_unit_tokens: int = DEFAULT_MIN_UNIT_TOKENS,
    ):
        """A row per input, analysed or skipped: doc, encoding, chars, units, tokens, types, status
        (tokens and types of the terms `pos`, `min_length` and the stopword files keep)."""
        flt = TermFilter.from_options(pos, min_length, stopwords, stoplist)
        return info_table(self, flt, UnitSpec.parse(unit, min_unit_tokens)).to_pandas()


def warnings_of(documents: Sequence[AnalysedDocument]) -> list[tuple[str, str]]:
    """(id, warning) of each warning of each document, in order (of recalled ones, from the manifest's columns)."""
    warned = getattr(documents, "warned", None)
    return warned() if warned is not None else [(d.id, warning) for d in documents for warning in d.warnings]


def info_table(corpus: Corpus, flt: TermFilter, spec: UnitSpec):
    """Corpus.info with a term filter and unit spec already built, as a kcorpus Table (no pandas)."""
    from kcorpus.table import Table

    rows = []
    for analysed in corpus.documents:
        terms = select_terms(analysed.tokens, flt)
        rows.append(
            {
                "doc": analysed.id,
                "encoding": analysed.doc.encoding,
                "chars": analysed.chars,
                "units": len(make_units(analysed, spec)),
                "tokens": len(terms.term),
                "types": len(set(zip(terms.term, terms.tag))),
                "status": "ok",
            }
        )
    for skipped in corpus.skipped:
        rows.append(
            {
                "doc": skipped.id,
                "encoding": skipped.encoding,
                "chars": 0,
                "units": 0,
                "tokens": 0,
                "types": 0,
                "status": f"skipped: {skipped.reason}",
            }
        )
    if not rows:
        return Table.empty(INFO_COLUMNS)
    kinds = {"chars": "i", "units": "i", "tokens": "i", "types": "i"}
    return Table.from_rows([[row[name] for name in INFO_COLUMNS] for row in rows], INFO_COLUMNS, kinds)


def clean_text(text: str, **options) -> CleanedText:
    """kcorpus.clean.repair.clean_text, imported when first called: a run that repairs nothing (its documents
    come from the token store) does not import the repair and its stages."""
    from kcorpus.clean.repair import clean_text as repair

    return repair(text, **options)


def clean_document(
    doc: Document, enabled: bool, furniture: frozenset[str] = frozenset(), boundary: Boundary | None = None
) -> CleanedText:
    """Report repairs apply to plain-text files; table cells are taken as they are.
    `furniture`: the drop's running headers and page numbers (`drop_furniture` over the run's documents);
    `boundary`: Kiwi's word-boundary judge for the wraps the text itself cannot decide (`Analyzer.word_boundary`).

    A failure of the repair never loses the document: it is analysed without repair, with a warning.
    """
    if not enabled or doc.is_table_row:
        return passthrough(doc.text)
    import kcorpus.clean.repair  # noqa: F401 - here, before the try: a repair that cannot be imported is an error

    try:
        if doc.layout != "text":  # from a PDF/HWPX/HWP/DOCX reader: its paragraphs and furniture are known
            return clean_text(doc.text, shape=doc.layout, boundary=boundary)
        return clean_text(doc.text, furniture=furniture, boundary=boundary)
    except Exception as exc:  # noqa: BLE001 - one bad document never ends a run
        unrepaired = passthrough(doc.text)
        return replace(unrepaired, warnings=(f"text repair failed ({bug_report(exc)}); analysed without repair",))


def run_furniture(items: Iterable[Document | Skipped], options: CorpusOptions) -> frozenset[str]:
    """Running headers and page numbers shared by the documents of this run."""
    if not options.clean:
        return frozenset()
    from kcorpus.clean.drop import drop_furniture

    return drop_furniture(
        item.text for item in items if isinstance(item, Document) and not item.is_table_row and item.layout == "text"
    )


def furniture_key(text: str, furniture: frozenset[str]) -> str:
    """The part of a cache key that says which drop furniture was removed from `text` ("" for none)."""
    if not furniture:
        return ""
    from kcorpus.clean.drop import furniture_in

    held = furniture_in(text, furniture)
    if not held:
        return ""
    return "+" + hashlib.sha256("\n".join(sorted(held)).encode("utf-8")).hexdigest()[:16]


class Pipeline:
    """Turns documents into analysed documents, loading Kiwi only if some tokens are not cached."""

    def __init__(self, options: CorpusOptions, warn: Warn = lambda message: None, progress: Progress | None = None):
        if options.scheduler:  # a bad address or a missing Dask extra is a usage error, cached or not
            from kcorpus.pipeline.cluster import check_scheduler

            check_scheduler(options.scheduler)
        self.options = options
        self.warn = warn
        self.progress = progress
        root = (options.cache_dir or default_cache_dir()) if options.use_cache else None
        self.cache = TokenCache(root, warn)
        self.reader = StoreReader(self.cache)
        self.analyzer = Analyzer(options.analyzer, options.jobs)
        self._versions: tuple[str, str] | None = None  # (analyser fingerprint, Kiwi version), on first use
        self.furniture: frozenset[str] = frozenset()  # the drop's furniture, set by run()
        self.read: list[tuple[Document | Skipped, str | None, int]] = []  # run(): each item, its key and length

    def _settings(self) -> str:
        """What a run manifest must have been written under to be trusted: options, versions, reading code."""
        from kcorpus.pipeline import manifest

        source = self.options.source
        fields: list = [source.encoding, source.text_column, source.id_column, source.max_doc_bytes]
        fields += [source.max_line_chars, sorted(source.exclude), self.options.clean, CLEAN_VERSION]
        fields += self._key_versions()
        return json.dumps([fields, manifest.reading_code()])

    def _key_versions(self) -> tuple[str, str]:
        if self._versions is None:
            self._versions = (self.options.analyzer.fingerprint(), kiwi_version())
        return self._versions

    def recall(self) -> tuple[RecalledDocuments, list[Skipped]] | None:
        """The documents and skips of the last run over the same unchanged inputs, from the store, without
        reading them (pipeline/manifest.py, pipeline/recalled.py); None when they must be read."""
        from kcorpus.pipeline import manifest
        from kcorpus.pipeline.recalled import recalled_documents

        if not self.cache.enabled or self.cache.root is None:
            return None
        with manifest.collector_paused():
            found = manifest.recall(self.cache.root, self.options.input_paths(), self._settings())
            documents = recalled_documents(self.cache, self.reader, found) if found is not None else None
            if found is None or documents is None:
                return None
            if documents.moved:  # so the next run need not check these entries again (nor read the store's index)
                self.read = found.items
                self.remember((found.files, time.time_ns()), found.count)
        return documents, list(found.skips.values())

    def snapshot(self) -> tuple[dict | None, int]:
        """The inputs as they are before they are read, for `remember`."""
        from kcorpus.pipeline import manifest

        return manifest.snapshot(self.options.input_paths()) if self.cache.enabled else (None, 0)

    def remember(self, seen: tuple[dict | None, int], count: int) -> None:
        """Keep a manifest of the last run if every one of its `count` inputs ended whole in the store;
        `seen`: the inputs as `snapshot` found them before the run read them."""
        from kcorpus.pipeline import manifest

        if not self.cache.enabled or self.cache.root is None or len(self.read) != count:
            return
        contains = self.cache.contains
        if all(isinstance(item, Skipped) or (key is not None and contains(key)) for item, key, _ in self.read):
            paths, settings = self.options.input_paths(), self._settings()
            manifest.remember(self.cache.root, paths, settings, seen, self.read, self.cache.index)

    def key(self, doc: Document) -> str:
        fingerprint, version = self._key_versions()
        clean_version = CLEAN_VERSION if self.options.clean and not doc.is_table_row else "off"
        if clean_version != "off" and doc.layout == "text":  # only the drop furniture this document holds
            clean_version += furniture_key(doc.text, self.furniture)
        if doc.reader:  # text from a PDF/HWPX/HWP/DOCX reader: its layout and version decide the cleaning
            clean_version = f"{clean_version}|{doc.layout}|{doc.reader}"
        return entry_key(doc.text, clean_version, fingerprint, version)

    def run(self, items: Iterable[Document | Skipped]) -> Iterator[AnalysedDocument | Skipped]:
        """Analysed documents and skips, in input order, one at a time: cached tokens are read when their
        document's turn comes, and uncached documents stream through Kiwi together. A document that cannot
        be tokenised is skipped with the reason; the others go on."""
        items = list(items)
        self.furniture = run_furniture(items, self.options)
        keys = [self.key(item) if isinstance(item, Document) else None for item in items]
        stored = [key is not None and self.cache.verify(key, item.id) for item, key in zip(items, keys)]
        misses = [
            item
            for item, key, whole in zip(items, keys, stored)
            if isinstance(item, Document) and key is not None and not whole and not self.cache.contains(key)
        ]
        fresh = self._analyse(misses)
        miss_ids = {id(item) for item in misses}
        self.read = []
        try:
            for position, (item, key, whole) in enumerate(zip(items, keys, stored)):
                items[position] = None  # type: ignore[call-overload]  # the text is not needed past here
                if not isinstance(item, Document):  # a skip: it has no key
                    self.read.append((item, None, 0))
                    yield item
                    continue
                self.read.append((_textless(item), key, len(item.text)))
                assert key is not None  # every document has a key
                if whole:
                    content = StoredContent(self.reader, key, item.id)
                    yield AnalysedDocument(_textless(item), content, True, len(item.text))
                elif id(item) in miss_ids:
                    yield self._store(item, key, next(fresh))
                else:  # an entry of the first format, moved into the store as it is read
                    entry = self.cache.get(key, item.id)
                    if entry is None:  # damaged entry: it was reported and forgotten; analyse this document now
                        yield self._store(item, key, next(self._analyse([item])))
                    else:
                        held = HeldContent(CleanedText.from_dict(entry.cleaned), entry.tokens)
                        yield AnalysedDocument(_textless(item), held, True, len(item.text))
        finally:  # also on Ctrl-C: what was tokenised is kept
            self.cache.flush()

    def _analyse(self, docs: list[Document]) -> Iterator[tuple[CleanedText, DocTokens] | str]:
        """(cleaned, tokens) for each document, lazily and in order, or the reason it could not be tokenised.

        Documents stream through Kiwi together; if the stream fails, the documents not yet finished are
        tokenised one by one, so only the one that fails is lost.
        """
        if self.options.scheduler and docs:
            from kcorpus.pipeline.cluster import analyse_on_cluster

            yield from analyse_on_cluster(docs, self.options, self.furniture)
            return
        done = 0
        try:
            for result in self._tokenise(docs):
                done += 1
                yield result
            return
        except Exception:  # noqa: BLE001 - retried one by one below
            pass
        for doc in docs[done:]:
            try:
                yield next(self._tokenise([doc]))
            except Exception as exc:  # noqa: BLE001
                yield f"tokenising failed ({bug_report(exc)})"

    def _tokenise(self, docs: list[Document]) -> Iterator[tuple[CleanedText, DocTokens]]:
        judge = self.analyzer.word_boundary
        cleaned = (clean_document(doc, self.options.clean, self.furniture, judge) for doc in docs)
        pending: deque[CleanedText] = deque()

        def with_pieces():
            for text in cleaned:
                pending.append(text)
                yield text.text, piece_spans(text.text, text.paragraphs)

        for tokens in self.analyzer.tokenize_documents(with_pieces()):
            yield pending.popleft(), tokens

    def _store(
        self, doc: Document, key: str, result: tuple[CleanedText, DocTokens] | str
    ) -> AnalysedDocument | Skipped:
        if isinstance(result, str):
            return Skipped(doc.id, result, doc.encoding)
        cleaned, tokens = result
        if not cleaned.warnings:  # a failed repair is tried again next run (and its warning given again)
            self.cache.put(key, cleaned.to_dict(), tokens)
        if self.progress:
            self.progress(1, len(cleaned.text))
        return AnalysedDocument(_textless(doc), HeldContent(cleaned, tokens), False, len(doc.text))


def _textless(doc: Document) -> Document:
    """The document without its source text, which analyses do not read (they read the cleaned text)."""
    return replace(doc, text="")


def input_documents(
    paths: tuple[str, ...], source: SourceOptions = SourceOptions(), stdin=None
) -> tuple[list[Document], list[Skipped]]:
    """Read the inputs (the bundled corpus when there are none) without analysing them."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    for item in read_sources(list(paths) or [bundled_corpus_glob()], source, stdin):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            docs.append(item)
    return docs, skipped


def load_corpus(
    options: CorpusOptions = CorpusOptions(),
    warn: Warn = lambda message: None,
    stdin=None,
    progress: Progress | None = None,
    validate: Callable[[Sequence[Document]], None] | None = None,
) -> Corpus:
    """Read, clean and tokenise every document; tokens come from the cache when they can.
    `progress(docs, chars)` is called after each freshly tokenised document (1, its cleaned length);
    `validate(documents)` runs once everything is read and before anything is tokenised."""
    pipeline = Pipeline(options, warn, progress)
    recalled = pipeline.recall() if stdin is None else None
    if recalled is not None:
        if validate is not None:
            validate(recalled[0].docs)
        return Corpus(*recalled, False, options)
    seen = pipeline.snapshot() if stdin is None else (None, 0)
    items = list(read_sources(options.input_paths(), options.source, stdin))
    if validate is not None:
        validate([item for item in items if isinstance(item, Document)])
    documents: list[AnalysedDocument] = []
    skipped: list[Skipped] = []
    for item in pipeline.run(items):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            documents.append(item)
    if stdin is None:
        pipeline.remember(seen, len(items))
    return Corpus(documents, skipped, pipeline.analyzer.loaded, options)
