"""The public functions: one per command, keyword-only options named like the command's, DataFrames out.

`import kcorpus as kc` gives them lazily (see kcorpus/__init__.py); the command line calls these same
functions, so a notebook and `kcorpus freq` give the same numbers. Defaults are defined here once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence, cast

from kcorpus import defaults
from kcorpus.api_search import collocates, collocates_table, concordance, concordance_table, hits
from kcorpus.errors import InvalidArgument
from kcorpus.table import dataframe_api

if TYPE_CHECKING:
    import pandas as pd

    from kcorpus.analyses.topics import TopicModel, TopicResult
    from kcorpus.clean import CleanedText
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.pipeline.corpus import Corpus
    from kcorpus.table import Table

PathLike = str | os.PathLike
Paths = PathLike | Sequence[PathLike] | None
WordFiles = PathLike | Sequence[PathLike] | None

MB = 1024 * 1024
# kept here (kcorpus.api_search) so api.X names every command
__all__ = ["collocates", "collocates_table", "concordance", "concordance_table", "hits"]


def _paths(paths: Paths) -> tuple[str, ...]:
    if paths is None:
        return ()
    if isinstance(paths, (str, os.PathLike)):
        return (os.fspath(paths),)
    return tuple(os.fspath(p) for p in paths)


def _files(files: WordFiles) -> tuple[Path, ...]:
    return tuple(Path(p) for p in _paths(files))


def read_corpus(
    paths: Paths = None,
    *,
    encoding: str | None = None,
    text_column: str = defaults.TEXT_COLUMN,
    id_column: str | None = None,
    meta: PathLike | Sequence[PathLike] | None = None,
    clean: bool = True,
    user_dict: PathLike | None = None,
    hanja: str = defaults.HANJA,
    cache: bool = True,
    cache_dir: PathLike | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    max_doc_mb: int = defaults.MAX_DOC_MB,
    max_line_chars: int = defaults.MAX_LINE_CHARS,
    progress=None,
    validate=None,
    warn=None,
) -> Corpus:
    """Read, repair and tokenise documents: files, folders, globs, `-` (stdin) or table files.

    No paths: the bundled sample corpus. Inputs that cannot be read are in `corpus.skipped` with the
    reason, documents read with a warning carry it in `document.warnings`; `corpus.info()` lists both.
    A document's `cleaned` text and `tokens` are read from the token cache each time they are asked for
    (the last few are kept), so a large corpus does not sit in memory; its source text is not kept.
    `warn(message)` hears about the token cache (a damaged entry rebuilt); default: Python's warnings.
    `progress(docs, chars)` is called after each freshly tokenised document; `validate(documents)` runs
    once everything is read, before anything is tokenised. `meta`: a .csv/.tsv/.jsonl/.xlsx sidecar (or a
    list of them) whose rows are joined onto the documents by id (file name, with or without suffix);
    `warn` hears one line naming the documents without a row, the rows without a document and rows that
    fit several documents.
    """
    from kcorpus.io.sources import SourceOptions, check_encoding
    from kcorpus.nlp.analyzer import AnalyzerSettings
    from kcorpus.pipeline.corpus import CorpusOptions, default_jobs, load_corpus

    if jobs is not None and jobs < 1:
        raise InvalidArgument("jobs", "must be 1 or more")
    if max_doc_mb < 1:
        raise InvalidArgument("max_doc_mb", "must be 1 or more")
    if max_line_chars < 1:
        raise InvalidArgument("max_line_chars", "must be 1 or more")
    sidecars = [] if meta is None else [meta] if isinstance(meta, (str, os.PathLike)) else list(meta)
    options = CorpusOptions(
        paths=_paths(paths),
        source=SourceOptions(
            check_encoding(encoding),
            text_column,
            id_column,
            max_doc_bytes=max_doc_mb * MB,
            max_line_chars=max_line_chars,
            exclude=frozenset(os.path.realpath(path) for path in sidecars),
        ),
        clean=clean,
        analyzer=AnalyzerSettings.from_options(Path(user_dict) if user_dict else None, hanja),
        cache_dir=Path(cache_dir) if cache_dir else None,
        use_cache=cache,
        jobs=jobs or default_jobs(),
        scheduler=scheduler,
    )
    library = warn is None  # a notebook: skipped inputs are Python warnings too (the CLI reports its own)
    if warn is None:
        from kcorpus.errors import warn_caller as warn

    if not sidecars:
        corpus = load_corpus(options, warn, progress=progress, validate=validate)
    else:
        from kcorpus.io.meta import read_metas, validate_with_meta, with_meta

        table = read_metas(sidecars, encoding)
        corpus = load_corpus(options, warn, progress=progress, validate=validate_with_meta(validate, table))
        corpus = with_meta(corpus, table, warn)
    if library:
        _report_inputs(corpus, warn)
    return corpus


def _report_inputs(corpus: Corpus, warn) -> None:
    """Each skipped input and each document read with a warning, one line each, as the CLI words them."""
    for item in corpus.skipped:
        warn(f"skipped {item.id}: {item.reason}")
    for analysed in corpus.documents:
        for warning in analysed.doc.warnings:
            warn(f"{analysed.id}: {warning}")
    if not corpus.documents:
        warn("no documents read: every input was skipped" if corpus.skipped else "no documents read")


def term_filter(
    pos: str = defaults.POS, min_length: int = 1, stopwords: WordFiles = None, stoplist: str = defaults.STOPLIST
) -> TermFilter:
    """The terms an analysis counts: a POS preset or tag list, a minimum length, stopword files."""
    from kcorpus.nlp.terms import TermFilter

    return TermFilter.from_options(pos, min_length, _files(stopwords), stoplist)


def tokenize(
    corpus: Corpus,
    *,
    pos: str = "all",
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = "none",
    unit: str = defaults.UNIT,
    min_unit_tokens: int = defaults.MIN_UNIT_TOKENS,
) -> pd.DataFrame:
    """One row per kept token: doc, unit, index, form, tag, lemma, start, end (offsets in the cleaned text)."""
    import pandas as pd

    from kcorpus.analyses.listings import TOKEN_COLUMNS, token_frames
    from kcorpus.nlp.units import UnitSpec

    flt = term_filter(pos, min_length, stopwords, stoplist)
    frames = list(token_frames(corpus, flt, UnitSpec.parse(unit, min_unit_tokens)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TOKEN_COLUMNS)


def counts(
    corpus: Corpus,
    *,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
    ngram: int = 1,
    compounds: bool = False,
    flt: TermFilter | None = None,
):
    """The document-term count matrix (a CountMatrix: sparse counts, terms, tags, row and metadata frames)."""
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.units import UnitSpec

    flt = flt or term_filter(pos, min_length, stopwords, stoplist)
    return count_matrix(corpus, flt, UnitSpec("document", 0, 0), ngram=ngram, compounds=compounds)


def freq_table(
    corpus: Corpus,
    *,
    by: str | None = None,
    min_count: int = 1,
    top: int = 0,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
    ngram: int = 1,
    compounds: bool = False,
) -> Table:
    """Word list: term, tag, count, per_10k, docs, dp (Gries' DP), most frequent first; `by`: one list per
    document (doc) or group (folder, file, COLUMN, COLUMN:PERIOD), with a leading doc or group column,
    every column the group's own (docs and dp over its documents).

    A corpus read with `hanja="hangul"` adds `original`, the Hanja spelling a term was written in.
    """
    from kcorpus.analyses.freq import word_list, written_forms

    matrix = counts(
        corpus,
        pos=pos,
        min_length=min_length,
        stopwords=stopwords,
        stoplist=stoplist,
        ngram=ngram,
        compounds=compounds,
    )
    words = word_list(matrix, min_count=min_count, top=top, by=by)
    return written_forms(corpus, words) if corpus.options.analyzer.hanja == "hangul" else words


freq = dataframe_api(freq_table, "freq")


def keywords_table(
    corpus: Corpus,
    *,
    reference: Corpus | None = None,
    reference_freq: PathLike | None = None,
    by: str = "doc",
    new_only: bool = False,
    measure: str = "g2",
    under: bool = False,
    min_count: int = defaults.MIN_COUNT_KEYNESS,
    top: int = defaults.KEYWORDS_TOP,
    alpha: float = defaults.ALPHA,
    bonferroni: bool = True,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
    ngram: int = 1,
    compounds: bool = False,
) -> Table:
    """Key terms of each document (or group of `by`) against the rest, or of the whole corpus against
    `reference` (a corpus) or `reference_freq` (a CSV frequency list): doc, rank, term, count, ref_count,
    per_10k, ref_per_10k, g2, p, log_ratio (+ first_seen against a reference; `new_only` keeps those)."""
    from kcorpus.analyses import keyness

    if reference is not None and reference_freq is not None:
        raise InvalidArgument("reference", "and reference_freq: give one of them, not both")
    options = keyness.KeywordOptions(measure, under, min_count, top, alpha, bonferroni, new_only)
    flt = term_filter(pos, min_length, stopwords, stoplist)
    ref_table = keyness.read_frequency_list(Path(reference_freq)) if reference_freq is not None else None
    target = counts(corpus, ngram=ngram, compounds=compounds, flt=flt)
    if reference is not None:
        ref_table = counts(reference, ngram=ngram, compounds=compounds, flt=flt)
    return keyness.keywords(target, ref_table, options, by=by)


keywords = dataframe_api(keywords_table, "keywords")


def compare(
    corpus: Corpus,
    *,
    by: str = "doc",
    min_count: int = defaults.MIN_COUNT_KEYNESS,
    top: int = 0,
    wide: bool = False,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
    ngram: int = 1,
    compounds: bool = False,
) -> pd.DataFrame:
    """Term frequencies across groups (`by`: doc, folder, file, COLUMN or COLUMN:PERIOD) with keyness of each
    group against the rest: term, group, count, per_10k, g2, p, log_ratio, log_odds_z."""
    from kcorpus.analyses.compare import compare as compare_groups

    matrix = counts(
        corpus,
        pos=pos,
        min_length=min_length,
        stopwords=stopwords,
        stoplist=stoplist,
        ngram=ngram,
        compounds=compounds,
    )
    return compare_groups(matrix, by, min_count=min_count, top=top, wide=wide)


def topics(
    corpus: Corpus,
    *,
    k: int | str = defaults.K,
    k_range: str | tuple[int, int] = defaults.K_RANGE,
    method: str = defaults.METHOD,
    seed: int = 0,
    min_df: int | None = None,
    max_df: float | None = None,
    seed_words: PathLike | Iterable[Iterable[str]] | None = None,
    pos: str = defaults.POS,
    min_length: int = 1,
    stopwords: WordFiles = None,
    stoplist: str = defaults.STOPLIST,
    unit: str = defaults.UNIT,
    min_unit_tokens: int = defaults.MIN_UNIT_TOKENS,
    warn=None,
) -> TopicResult:
    """Topics of the units (NMF on TF-IDF by default; `k="auto"` picks k in `k_range` by NPMI coherence).

    The result has the tables of `kcorpus topics --show`: `.topics`, `.docs`, `.units`, `.examples`,
    `.k_sweep`, `.seeds`; `.transform(other_corpus)` places new documents on the same topics and
    `.save(folder)` writes the model (arrays and JSON; `load_topics` reads it back).
    """
    from kcorpus.analyses import topics as topic_models
    from kcorpus.io.wordlists import read_seed_words
    from kcorpus.nlp.units import UnitSpec

    if isinstance(seed_words, (str, os.PathLike)):
        seeds = read_seed_words(Path(seed_words))
    else:
        seeds = tuple(tuple(dict.fromkeys(words)) for words in seed_words or ())
    if isinstance(k_range, str):
        low_high = topic_models.parse_k_range(k_range)
    else:  # a (LOW, HIGH) tuple or list: TopicSettings checks it
        low_high = cast("tuple[int, int]", tuple(k_range))
    settings = topic_models.TopicSettings(
        method=method,
        k=topic_models.parse_k(str(k)),
        k_range=low_high,
        seed=seed,
        min_df=min_df,
        max_df=max_df,
        seed_words=seeds,
    )
    flt = term_filter(pos, min_length, stopwords, stoplist)
    return topic_models.fit_topics(
        corpus, flt, UnitSpec.parse(unit, min_unit_tokens), settings, warn=warn or (lambda message: None)
    )


def load_topics(folder: PathLike) -> TopicModel:
    """A model saved by `topics(...).save(folder)` or `kcorpus topics --save`; `.transform(corpus)` applies it."""
    from kcorpus.analyses.topics import TopicModel

    return TopicModel.load(Path(folder))


def clean_text(text: str, *, shape: str | None = None, furniture: frozenset[str] = frozenset()) -> CleanedText:
    """Repair PDF/HWP-extracted text: `.text`, `.paragraphs`, `.source_line(offset)`, `.repairs`, `.removed`,
    `.shape`; `shape` None (detect), "paragraphs" or "wrapped"; `furniture` from `kcorpus.clean.drop_furniture`."""
    from kcorpus.clean import clean_text as repair
    from kcorpus.nlp.analyzer import Analyzer

    # the wraps the text cannot decide are judged by Kiwi's spacing model, as in a corpus run
    return repair(text, shape=shape, furniture=furniture, boundary=Analyzer().word_boundary)


def write(
    frame: pd.DataFrame,
    target: PathLike | None = None,
    *,
    format: str = "auto",
    bom: bool = False,
    escape_formulas: bool = True,
) -> None:
    """Write a table as kcorpus writes it: csv, tsv, json, jsonl, xlsx or a terminal table (format auto: from
    the target's suffix, else a table on a terminal and CSV when piped); to stdout without a target."""
    from kcorpus.render.output import OutputOptions, write_table

    write_table(frame, OutputOptions(format, Path(target) if target is not None else None, bom, escape_formulas))
