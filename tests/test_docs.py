"""The documentation tells the truth (modelled on sqlite-utils' tests/test_docs.py).

- Every command and sub-command has a help text, and every option and argument a non-empty help.
- The README's examples run: each `$ kcorpus ...` line of a fenced block is run in-process and must print
  the lines the README shows under it; the Python example of "From Python" is run with exec and must print
  what its `print(...)  # expected` comments say.
- The README's install and test commands are the ones .ci/run runs.

When a test here fails after a change of output, run the command and paste what it prints into README.md.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main

from kcorpus.cli import app

from conftest import CORPUS, REPO

README = REPO / "README.md"
CI_SCRIPT = REPO / ".ci" / "run"
ELLIPSIS = "…"  # a README output whose last line is only this shows the first lines of a longer output


# ---------------------------------------------------------------------------------------------- help texts


def walk(command, path: tuple[str, ...] = ("kcorpus",)):
    """(path, command) for the command and every sub-command below it (typer vendors click: duck-typed)."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


COMMANDS = list(walk(typer.main.get_command(app)))
PARAMETERS = [(path, param) for path, command in COMMANDS for param in command.params]


def test_the_walk_finds_every_command():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"kcorpus topics", "kcorpus concordance", "kcorpus cache", "kcorpus cache clear"} <= names
    assert len(PARAMETERS) > 100


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(path) for path, _ in COMMANDS])
def test_every_command_has_a_help_text(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text: give the command a docstring"


@pytest.mark.parametrize(
    "path, param", PARAMETERS, ids=[f"{' '.join(path)} {param.name}" for path, param in PARAMETERS]
)
def test_every_option_and_argument_has_a_help(path, param):
    what = "/".join(param.opts) if param.param_type_name == "option" else param.name.upper()
    assert (getattr(param, "help", None) or "").strip(), f"{' '.join(path)} {what} has no help"


# ---------------------------------------------------------------------------------------------- README


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every ``` fenced block of a Markdown text."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.M | re.S)]


def section(text: str, title: str) -> str:
    """The text of a `## title` section, up to the next `## ` heading."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@dataclass
class Example:
    line: str  # as written in the README, after "$ "
    args: list[str]  # after "kcorpus", without the comment and the pipe
    pipe: list[str]  # the command after "|", if any
    shown: list[str]  # the output lines the README shows under it

    @property
    def id(self) -> str:
        return " ".join(["kcorpus", *self.args] + (["|", *self.pipe] if self.pipe else []))


def readme_examples(text: str) -> list[Example]:
    """Every `$ kcorpus ...` line of the README's fenced blocks, with the output lines shown under it."""
    examples: list[Example] = []
    for language, body in fenced_blocks(text):
        if language not in ("", "console", "text"):
            continue
        current = None  # lines before the block's first "$ " are not output
        for line in body.splitlines():
            if line.startswith("$ "):
                words = shlex.split(line[2:], comments=True)
                cut = words.index("|") if "|" in words else len(words)
                args = words[1:cut] if words[0] == "kcorpus" else []  # not kcorpus: not run
                current = Example(line[2:], args, words[cut + 1 :], [])
                examples.append(current)
            elif current is not None:
                current.shown.append(line.rstrip())
    for example in examples:
        while example.shown and not example.shown[-1]:
            example.shown.pop()
    return [e for e in examples if e.args]


# Why an example is not run. Every other `$ kcorpus` line of the README is run; one that shows no output
# must at least exit 0 (and write the file it names with --plot).
SKIPPED = {
    "kcorpus compare reports/ --by folder --wide": "reports/ stands for the reader's own folder of sub-folders",
}
# Commands that take over ~5 s even with every token cached (topics fits a model for every k of 4..12).
SLOW = {"topics"}

EXAMPLES = readme_examples(README.read_text(encoding="utf-8"))


def example_params():
    for example in EXAMPLES:
        marks = [pytest.mark.slow] if example.args[0] in SLOW else []
        if example.id in SKIPPED:
            marks.append(pytest.mark.skip(reason=SKIPPED[example.id]))
        yield pytest.param(example, marks=marks, id=example.id)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """Where README commands run: a copy of the bundled corpus as corpus/ (the README's relative paths),
    so that files the examples write (--plot, save) land here and not in the repository."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(CORPUS, folder / "corpus")
    return folder


@pytest.fixture
def in_workdir(workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return workdir


def test_the_readme_examples_are_found():
    ids = {example.id for example in EXAMPLES}
    assert {"kcorpus topics --top 6", "kcorpus freq --top 5", "kcorpus collocates 협력 --top 5"} <= ids
    assert sum(1 for example in EXAMPLES if example.shown) >= 7
    assert set(SKIPPED) <= ids, "a skipped example is no longer in the README: remove it from SKIPPED"


def piped(stdout: bytes, pipe: list[str]) -> bytes:
    """What `| head -c N` or `| head -n N` leaves of the output."""
    if len(pipe) == 3 and pipe[0] == "head" and pipe[1] in ("-c", "-n"):
        count = int(pipe[2])
        return stdout[:count] if pipe[1] == "-c" else b"".join(stdout.splitlines(keepends=True)[:count])
    raise AssertionError(f"the README pipes into {shlex.join(pipe)!r}: teach piped() what that does")


@pytest.mark.parametrize("example", list(example_params()))
def test_readme_example_prints_what_the_readme_shows(cli, in_workdir, example):
    table = bool(example.shown) and example.shown[0].startswith("┏")
    args = [*example.args, "--format", "table"] if table else example.args  # the README shows a terminal
    result = cli(*args)
    assert result.exit_code == 0, f"$ {example.line}\nexit {result.exit_code}: {result.stderr}"
    if "--plot" in args:
        assert (in_workdir / args[args.index("--plot") + 1]).stat().st_size > 0
    if not example.shown:
        return
    printed_bytes = piped(result.stdout_bytes, example.pipe) if example.pipe else result.stdout_bytes
    printed = [line.rstrip() for line in printed_bytes.decode("utf-8", "replace").splitlines()]
    shown = example.shown
    if shown[-1] == ELLIPSIS:
        shown = shown[:-1]
        printed = printed[: len(shown)]
    if printed != shown:
        diff = "\n".join(difflib.unified_diff(shown, printed, "README.md", "printed now", lineterm=""))
        pytest.fail(f"$ {example.line} now prints other lines than README.md shows:\n{diff}")


def python_example() -> str:
    blocks = [
        body
        for language, body in fenced_blocks(section(README.read_text(encoding="utf-8"), "From Python"))
        if language == "python"
    ]
    assert len(blocks) == 1, "From Python should hold one python block"
    return blocks[0]


def expected_prints(code: str) -> list[str]:
    """The lines the example says it prints: the comment after each `print(...)` line."""
    return [
        line.split("  # ", 1)[1] for line in code.splitlines() if line.lstrip().startswith("print(") and "  # " in line
    ]


@pytest.mark.slow  # 3-4 s with the bundled corpus cached (a k sweep, three charts), ~15 s when it tokenises it
def test_python_example_runs_and_prints_what_it_says(in_workdir):
    import matplotlib.pyplot as plt

    code = python_example()
    expected = expected_prints(code)
    assert len(expected) >= 4
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"{README}:From Python", "exec"), {"__name__": "readme_example"})
    finally:
        plt.close("all")
    printed = out.getvalue().splitlines()
    if printed != expected:
        diff = "\n".join(difflib.unified_diff(expected, printed, "README.md comments", "printed now", lineterm=""))
        pytest.fail(f"the Python example of README.md prints other lines than its comments say:\n{diff}")
    for written in (
        "keywords.csv",
        "keyness.png",
        "topics.png",
        "dispersion.png",
        "topics-2020/model.npz",
        "topics-2020/settings.json",
    ):
        assert (in_workdir / written).stat().st_size > 0, written


def test_every_public_name_and_every_command_is_in_the_readme():
    import kcorpus as kc

    text = README.read_text(encoding="utf-8")
    python = section(text, "From Python")
    missing = [name for name in kc.__all__ if not name.startswith("__") and f"kc.{name}" not in python]
    assert missing == [], f"From Python does not mention kc.{', kc.'.join(missing)}"
    commands = [
        " ".join(path) for path, command in COMMANDS if len(path) > 1 and not getattr(command, "commands", None)
    ]
    assert [c for c in commands if f"`{c}" not in text and f"$ {c}" not in text] == []


# ---------------------------------------------------------------------------------------------- CI


def readme_top_commands() -> list[str]:
    """The commands of the README's first block (install, then install-and-test), without comments."""
    language, body = fenced_blocks(README.read_text(encoding="utf-8"))[0]
    assert language == "bash"
    return [line.split("#", 1)[0].strip() for line in body.splitlines() if line.strip()]


def test_readme_install_and_test_commands_are_the_ones_ci_runs():
    install, install_and_test = readme_top_commands()
    assert install.split(" && ") == ["pip install .", "kcorpus topics"]
    assert install_and_test.split(" && ")[1] == "pytest -q"  # the full suite: no -m filter
    script = CI_SCRIPT.read_text(encoding="utf-8")
    assert re.findall(r"bash -c '([^']*)'", script) == [install_and_test], (
        ".ci/run must run the README's test command, exactly"
    )
    # Nothing else of the project's is installed by .ci/run: its only `pip install` of "." is that command's.
    project_installs = re.findall(r"pip install (\"?\.[^\s&']*)", script)
    assert project_installs == [install_and_test.split(" && ")[0].removeprefix("pip install ")]


def test_the_extras_script_and_marker_the_readme_names_exist():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11+")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    install, install_and_test = readme_top_commands()
    extras = re.search(r'pip install "\.\[([^\]]*)\]"', install_and_test)
    assert extras, install_and_test
    assert set(extras.group(1).split(",")) <= set(project["project"]["optional-dependencies"])
    assert "kcorpus" in project["project"]["scripts"]
    markers = project["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("slow:") for marker in markers)
    assert 'pytest -m "not slow"' in section(README.read_text(encoding="utf-8"), "Layout")
