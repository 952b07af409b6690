"""Warm commands against the floor of a bare import, measured interleaved in one run (issue 15, benchmark 5c).

    python scripts/bench_warm.py [--rounds 7] [--base main]

Each round runs, in turn: `python -c "import numpy"`, `python -c "import sklearn.decomposition"`,
`kcorpus --help`, and warm `concordance 협력`, `freq`, `keywords`, `info` and `topics` on the bundled
corpus, with a token cache of its own (filled by one cold run of each command first). With --base REF
the same kcorpus commands also run on that revision's code (exported with `git archive`, same virtualenv),
interleaved with this tree's, so before and after are measured under the same load.

Printed per command: median wall and CPU seconds (user + system of the child) over the rounds, and the
ratio of the median wall to the median wall of its floor (`import numpy`; `import sklearn.decomposition`
for topics), beside the issue's target for that ratio. The machines are shared: read CPU as well as wall.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOORS = {
    "import numpy": ["-c", "import numpy"],
    "import sklearn.decomposition": ["-c", "import sklearn.decomposition"],
}
# name, kcorpus arguments, floor, target ratio of wall to the floor's wall
COMMANDS = [
    ("--help", ["--help"], "import numpy", 1.5),
    ("concordance 협력", ["concordance", "협력"], "import numpy", 2.5),
    ("freq", ["freq"], "import numpy", 2.5),
    ("keywords", ["keywords"], "import numpy", 2.5),
    ("info", ["info"], "import numpy", 2.5),
    ("topics", ["topics"], "import sklearn.decomposition", 2.0),
]


def export_base(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src", "corpus", "stopwords"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def padded(text: str, width: int) -> str:
    """`text` left-justified to `width` terminal cells (a Hangul syllable takes two)."""
    cells = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - cells)


def timed(argv: list[str], env: dict) -> tuple[float, float, int]:
    """Wall and CPU seconds of one run, and its exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--base", help="also run the commands on this revision's code, interleaved (e.g. main)")
    parser.add_argument("--only", default="", help="comma list of command names (default: all)")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="compile kcorpus's sources on every run (PYTHONDONTWRITEBYTECODE=1), as a source tree with no "
        "writable __pycache__; by default bytecode is written once to a temporary folder, as an install has it",
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kcorpus-bench-warm-") as temp:
        work = Path(temp)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR", "PYTHONDONTWRITEBYTECODE")}
        if options.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:  # compiled once, as in an installed package (kept out of the source tree)
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        trees = {"head": ROOT / "src"}
        if options.base:
            (work / "base").mkdir()
            trees = {"base": export_base(options.base, work / "base"), **trees}
        envs = {
            name: {**env, "PYTHONPATH": str(tree), "KCORPUS_CACHE_DIR": str(work / f"cache-{name}")}
            for name, tree in trees.items()
        }
        commands = [c for c in COMMANDS if not options.only or c[0] in options.only.split(",")]
        runs: list[tuple[str, list[str], dict]] = [(floor, argv, env) for floor, argv in FLOORS.items()]
        for name, args, _, _ in commands:
            for tree in trees:
                label = f"{name} [{tree}]" if len(trees) > 1 else name
                runs.append((label, ["-m", "kcorpus", *args], envs[tree]))

        print(f"cold runs first (filling the token caches): {', '.join(trees)}", file=sys.stderr)
        for label, argv, run_env in runs:
            wall, _, code = timed([sys.executable, *argv], run_env)
            if code != 0:
                print(f"  {label}: exit {code}", file=sys.stderr)
        walls: dict[str, list[float]] = {label: [] for label, _, _ in runs}
        cpus: dict[str, list[float]] = {label: [] for label, _, _ in runs}
        for round_ in range(options.rounds):
            order = runs if round_ % 2 == 0 else runs[::-1]  # interleaved, alternating direction
            for label, argv, run_env in order:
                wall, cpu, _ = timed([sys.executable, *argv], run_env)
                walls[label].append(wall)
                cpus[label].append(cpu)
            print(f"round {round_ + 1}/{options.rounds} done", file=sys.stderr)

    median_wall = {label: statistics.median(values) for label, values in walls.items()}
    median_cpu = {label: statistics.median(values) for label, values in cpus.items()}
    load = os.getloadavg()
    bytecode = "compiled on every run" if options.no_bytecode else "bytecode cached"
    print(f"{options.rounds} rounds, interleaved, {bytecode}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'command':<40} {'wall s':>7} {'cpu s':>7} {'x floor':>8} {'target':>7}")
    for floor in FLOORS:
        print(f"{padded(floor, 40)} {median_wall[floor]:>7.3f} {median_cpu[floor]:>7.3f} {'':>8} {'':>7}")
    for name, _, floor, target in commands:
        for tree in trees:
            label = f"{name} [{tree}]" if len(trees) > 1 else name
            ratio = median_wall[label] / median_wall[floor]
            cpu_ratio = median_cpu[label] / median_cpu[floor]
            verdict = "ok" if ratio <= target else "over"
            print(
                f"{padded(label, 40)} {median_wall[label]:>7.3f} {median_cpu[label]:>7.3f} {ratio:>7.2f}x "
                f"{'<=' + str(target):>7} {verdict} (cpu {cpu_ratio:.2f}x {floor.split()[-1]})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
