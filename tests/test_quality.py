"""The habits of a maintained project, checked with every test run: ruff (lint and format) and mypy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
    reason="ruff is in the test extra: pip install '.[test]'",
)
def test_ruff_lint_and_format_are_clean():
    ruff = str(Path(sys.executable).parent / "ruff") if (Path(sys.executable).parent / "ruff").exists() else "ruff"
    lint = run(ruff, "check", "src", "tests", "scripts")
    assert lint.returncode == 0, lint.stdout[-3000:]
    style = run(ruff, "format", "--check", "src", "tests", "scripts")
    assert style.returncode == 0, style.stdout[-3000:]


def test_mypy_is_clean():
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install '.[test]'")
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout[-3000:]
