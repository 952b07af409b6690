"""The import diet (issue 15): a warm command imports only what it needs.

Each command runs in a fresh interpreter through the console-script entry point (kcorpus.cli.main) on the
bundled corpus with a warm token cache; then its sys.modules is read. pandas is for the Python API
(DataFrames out), sklearn for topics, kiwipiepy for new tokens, matplotlib for --plot: a warm freq,
keywords, collocates, concordance or info needs none of them. scipy: counts are held in kcorpus's own CSR
(kcorpus.stats.csr), so a warm freq imports no scipy at all; keywords and collocates take G2 and p-values
from scipy.special's compiled module (cephes's log1p and erfc: NumPy's and libm's differ in the last bits,
and so would the printed numbers), without the scipy.special package's start-up (kcorpus.stats.special),
and never scipy.sparse. Nor does a warm run import the text repair (kcorpus.clean.repair):
its documents come from the token store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import CORPUS

HEAVY = ("pandas", "sklearn", "scipy", "kiwipiepy", "matplotlib", "dask", "distributed")
PROBE = """
import json, sys
sys.argv = ["kcorpus", *json.loads(sys.argv[1])]
from kcorpus.cli import main
try:
    main()
except SystemExit:
    pass
print("MODULES " + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})), file=sys.stderr)
""".replace("{heavy}", repr({*HEAVY, "kcorpus"}))

REPORTS = [str(path) for path in sorted(CORPUS.glob("*.txt"))]
COMMANDS = {
    "--help": (["--help"], ()),
    "freq --help": (["freq", "--help"], ()),
    "info": (["info", *REPORTS], ()),
    "concordance": (["concordance", "협력", *REPORTS], ()),
    "freq": (["freq", *REPORTS], ()),
    "keywords": (["keywords", *REPORTS], ("scipy",)),
    "collocates": (["collocates", "협력", *REPORTS], ("scipy",)),
}
# imported by no warm command above (the repair runs only on documents that are tokenised afresh)
NEVER = ("scipy.sparse", "scipy.stats", "scipy.optimize", "kcorpus.clean.repair", "kcorpus.clean.junctions")
# the scipy.special package module and the array-API layer it loads (a quarter of a second)
# and numpy.ma, which plain np.unique imports to check for masked arrays (15 ms; kcorpus.stats._core.distinct_ints)
NEVER_MODULES = ("scipy.special", "scipy._lib._array_api", "scipy._lib.array_api_compat", "numpy.ma")


def imported(args: list[str], env_cache) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        timeout=600,
        env={**os.environ, "KCORPUS_CACHE_DIR": str(env_cache)},
    )
    line = [text for text in out.stderr.decode().splitlines() if text.startswith("MODULES ")]
    assert line, out.stderr.decode()
    return json.loads(line[-1].removeprefix("MODULES "))


@pytest.fixture(scope="module")
def warm(shared_cache):
    """The bundled reports tokenised into the shared cache (in-process, once)."""
    from kcorpus import api

    api.read_corpus(REPORTS, cache_dir=shared_cache)
    return shared_cache


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_warm_command_imports_nothing_heavy_it_does_not_need(name, warm):
    args, allowed = COMMANDS[name]
    modules = imported(args, warm)
    heavy = sorted({module.split(".")[0] for module in modules} - {"kcorpus", *allowed})
    assert heavy == [], f"kcorpus {' '.join(args[:2])} imported {heavy}"
    never = [m for m in modules if any(m == name or m.startswith(name + ".") for name in NEVER)]
    assert never == [], f"kcorpus {' '.join(args[:2])} imported {never}"
    assert [m for m in modules if m in NEVER_MODULES] == [], f"kcorpus {' '.join(args[:2])}"


def test_scipy_special_ufuncs_alone_are_scipy_specials_own_and_leave_the_package_importable():
    """kcorpus.stats.special loads the compiled ufuncs without the package module; a later
    `import scipy.special` (a notebook's) gets the whole package, holding the very same functions."""
    code = (
        "import sys\n"
        "from kcorpus.stats.special import ufuncs\n"
        "u = ufuncs()\n"
        "print('scipy.special' in sys.modules, u.__name__)\n"
        "import scipy.special as s\n"
        "print(s.erfc is u.erfc, s.xlog1py is u.xlog1py, s.chdtri is u.chdtri, callable(s.logsumexp))\n"
        "print(round(float(u.chdtri(1.0, 0.05)), 6), ufuncs() is u)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, text=True)
    assert out.stdout.splitlines() == [
        "False scipy.special._ufuncs",
        "True True True True",
        "3.841459 True",
    ], out.stderr


def test_scipy_special_already_imported_is_used_as_it_is():
    code = "import scipy.special as s\nfrom kcorpus.stats.special import ufuncs\nprint(ufuncs() is s)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, text=True)
    assert out.stdout.strip() == "True", out.stderr


def test_the_command_table_of_one_command_is_the_full_apps():
    """`kcorpus freq` registers only freq's module, with the same options as the full app's freq."""
    code = (
        "import sys; from kcorpus.cli.root import load_commands, COMMAND_MODULES; import typer.main\n"
        "app = load_commands(['freq'])\n"
        "print(sorted(m.split('.')[-1] for m in sys.modules if m.startswith('kcorpus.cli.') and 'commands' in m))\n"
        "print([p.name for p in typer.main.get_command(app).commands['freq'].params])\n"
    )
    one = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, text=True)
    modules, params = one.stdout.splitlines()
    assert modules == "['count_commands']"
    from typer.main import get_command

    from kcorpus.cli import app

    assert params == str([p.name for p in get_command(app).commands["freq"].params])


def test_kiwi_version_is_the_package_metadata_version_without_importlib_metadata():
    code = (
        "import sys; from kcorpus.nlp.analyzer import kiwi_version; v = kiwi_version()\n"
        "print(v, 'importlib.metadata' in sys.modules, 'kiwipiepy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, text=True)
    from importlib.metadata import version

    assert out.stdout.split() == [version("kiwipiepy"), "False", "False"]


def test_main_has_typer_build_only_the_command_it_runs_and_keeps_the_app_whole():
    """`kcorpus freq` turns only freq into a click command (not keywords and compare, registered beside it);
    the app's commands are all there again afterwards."""
    code = (
        "import sys, typer.main\n"
        "from kcorpus.cli import root\n"
        "built = []\n"
        "original = typer.main.get_command_from_info\n"
        "def spy(*args, **kwargs):\n"
        '    info = args[0] if args else kwargs["command_info"]\n'
        "    built.append(root._command_name(info))\n"
        "    return original(*args, **kwargs)\n"
        "typer.main.get_command_from_info = spy\n"
        "sys.argv = ['kcorpus', 'freq', '--help']\n"
        "try:\n"
        "    root.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(built, sorted(root._command_name(info) for info in root.app.registered_commands), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, text=True)
    assert out.stderr.strip().splitlines()[-1] == "['freq'] ['compare', 'freq', 'keywords']", out.stderr
