"""The public API: one function per command, and the command line gives exactly what the function gives.

Each command is run through the CLI and its API call on the same inputs; both tables are written as CSV
by the same writer and must be byte-identical.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kcorpus as kc

from conftest import KIEP, SEOUL

SRC = Path(kc.__file__).resolve().parent


@pytest.fixture(scope="module")
def corpus(shared_cache):  # module-scoped, so it runs before the autouse cache_env: name the test cache here
    return kc.read_corpus(cache_dir=shared_cache)


@pytest.fixture(scope="module")
def seoul(shared_cache):
    return kc.read_corpus(SEOUL, cache_dir=shared_cache)


def csv_of(frame: pd.DataFrame, tmp_path: Path, name: str = "api.csv") -> bytes:
    target = tmp_path / name
    kc.write(frame, target)
    return target.read_bytes()


CASES = [
    # (CLI arguments after the command, API function, keyword arguments)
    ("tokenize", ["--pos", "content"], kc.tokenize, {"pos": "content"}),
    ("info", [], lambda c: c.info(), {}),
    ("freq", ["--top", "50"], kc.freq, {"top": 50}),
    ("freq", ["--by", "doc", "--top", "5", "--ngram", "2"], kc.freq, {"by": "doc", "top": 5, "ngram": 2}),
    ("keywords", ["--top", "10", "--measure", "log_odds"], kc.keywords, {"top": 10, "measure": "log_odds"}),
    ("compare", ["--top", "30", "--wide"], kc.compare, {"top": 30, "wide": True}),
    (
        "concordance",
        ["협력", "--width", "12", "--sort", "left"],
        kc.concordance,
        {"query": "협력", "width": 12, "sort": "left"},
    ),
    (
        "collocates",
        ["협력", "--window", "3", "--measure", "mi"],
        kc.collocates,
        {"query": "협력", "window": 3, "measure": "mi"},
    ),
]


@pytest.mark.parametrize("command, args, function, options", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_cli_equals_api(cli, tmp_path, corpus, command, args, function, options):
    query = options.pop("query", None)
    frame = function(corpus, query, **options) if query else function(corpus, **options)
    options["query"] = query  # the parametrized dict is shared between runs
    if query is None:
        options.pop("query")
    positional = args[:1] if command in ("concordance", "collocates") else []
    rest = args[1:] if positional else args
    result = cli(command, *positional, *rest, "-o", tmp_path / "cli.csv", "--quiet")  # no paths: the bundled corpus
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "cli.csv").read_bytes() == csv_of(frame, tmp_path)


def test_topics_cli_equals_api(cli, tmp_path, seoul):
    model = kc.topics(seoul, k=4)
    for show, frame in (
        ("topics", model.topics),
        ("terms", model.terms),
        ("docs", model.docs),
        ("units", model.units),
        ("examples", model.examples),
        ("k", model.k_sweep),
    ):
        result = cli("topics", SEOUL, "--k", "4", "--show", show, "-o", tmp_path / "cli.csv", "--quiet")
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / "cli.csv").read_bytes() == csv_of(frame, tmp_path), show


def test_saved_topics_place_a_new_corpus_like_the_cli(cli, tmp_path, seoul):
    model = kc.topics(seoul, k=4)
    model.save(tmp_path / "model")
    loaded = kc.load_topics(tmp_path / "model")
    placed = loaded.transform(kc.read_corpus(KIEP))
    result = cli("topics", KIEP, "--load", tmp_path / "model", "--show", "docs", "-o", tmp_path / "cli.csv", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "cli.csv").read_bytes() == csv_of(placed.docs, tmp_path)
    # a notebook cell ending in the model shows one line; a saved model is plotted once placed
    assert repr(loaded) == f"<TopicModel: nmf, k=4, {len(loaded.terms):,} terms>"
    assert repr(model).startswith("<TopicResult: nmf, k=4, ") and len(repr(model)) < 120
    with pytest.raises(kc.InvalidArgument, match="plot model.transform"):
        kc.plot.topics(loaded)
    assert len(kc.plot.topics(placed).axes) >= 1


def test_bad_argument_is_a_value_error_naming_the_parameter(corpus):
    with pytest.raises(ValueError) as error:
        kc.freq(corpus, min_count=0)
    assert isinstance(error.value, kc.InvalidArgument) and isinstance(error.value, kc.KcorpusError)
    assert error.value.parameter == "min_count"
    assert str(error.value) == "min_count must be 1 or more"
    with pytest.raises(ValueError) as error:  # a bad combination is a kc.UsageError, a ValueError too
        kc.concordance(corpus, "")
    assert isinstance(error.value, kc.UsageError)
    with pytest.raises(kc.InvalidArgument, match=r"corpus is a path \(tiny/\): pass kc.read_corpus\('tiny/'\)"):
        kc.freq("tiny/")
    with pytest.raises(kc.InvalidArgument, match="reference is a path"):
        kc.keywords(corpus, reference="archive/")


def test_a_notebook_hears_skipped_inputs_at_its_own_line(tmp_path):
    table = tmp_path / "briefs.csv"
    table.write_text("id,text\na,반도체 수출\n", encoding="utf-8")
    with pytest.warns(kc.KcorpusWarning) as caught:
        corpus = kc.read_corpus(table, text_column="body", cache=False)
    assert len(corpus.documents) == 0
    assert [str(w.message) for w in caught] == [
        "skipped briefs.csv: no column 'body' (columns: id, text): pass --text-column",
        "no documents read: every input was skipped",
    ]
    assert {w.filename for w in caught} == {__file__}  # shown at the caller's line, not inside kcorpus


def test_the_cli_words_the_same_error_with_its_option(cli):
    result = cli("freq", SEOUL, "--ngram", "1", "--min-count", "1", "--top", "1", "--quiet")
    assert result.exit_code == 0
    result = cli("keywords", SEOUL, "--reference", KIEP, "--measure", "tfidf")
    assert result.exit_code == 2 and result.stderr.startswith("kcorpus: error: --measure tfidf")


def test_public_names_and_lazy_imports():
    assert set(kc.__all__) >= {
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
        "plot",
        "KcorpusError",
        "InvalidArgument",
        "__version__",
    }
    code = (
        "import sys, kcorpus; print(sorted(m for m in ('pandas', 'sklearn', 'kiwipiepy', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_clean_text_and_plots(corpus):
    cleaned = kc.clean_text("북한과 중국의 협력\n\n- 3 -\n")
    assert cleaned.text == "북한과 중국의 협력" and cleaned.removed == ((3, "page_number_removed", "- 3 -"),)
    keyness = kc.plot.keyness(kc.keywords(corpus, top=5))
    assert len(keyness.axes) >= 3
    dispersion = kc.plot.dispersion(corpus, "협력")
    assert "hits" in dispersion.axes[0].get_title()


def imports_of(path: Path) -> set[str]:
    """The kcorpus modules a module imports when it is imported (top-level statements; imports inside
    functions load lazily and cannot form an import cycle; `if TYPE_CHECKING:` blocks never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kcorpus"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kcorpus"))
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycles_between_modules():
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    graph = {
        name: {m for m in imports_of(path) if m in modules and m != name and not name.startswith(m + ".")}
        for name, path in modules.items()
    }
    graph["kcorpus"] = set()  # the package's lazy __getattr__ is not an import cycle
    cycles = []

    def visit(node, stack, done):
        if node in stack:
            cycles.append(stack[stack.index(node) :] + [node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, stack + [node], done)
        done.add(node)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert not cycles, cycles[:3]


def test_no_module_is_over_450_lines():
    sizes = {module_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in SRC.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 450} == {}


def test_a_corpus_let_go_closes_its_shard_files(tmp_path):
    import gc
    import warnings

    kc.read_corpus(SEOUL, cache_dir=tmp_path)  # tokenised into a new store
    corpus = kc.read_corpus(SEOUL, cache_dir=tmp_path)
    assert len(kc.concordance(corpus, "협력"))  # reads the shard
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        del corpus
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
