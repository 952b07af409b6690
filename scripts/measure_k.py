"""Measure how `kcorpus topics --k auto` chooses k: on a small unbalanced corpus built here and on the
bundled corpus, print the k sweep, the chosen k with its held-out NPMI and stability, what the old rule
(smallest k within 0.02 of the best NPMI on the fitted units) would have chosen, and the stderr lines.

    python scripts/measure_k.py                  # both corpora
    python scripts/measure_k.py --keep DIR       # also keep the unbalanced corpus in DIR

The unbalanced corpus: one long document, the whole cleaned KIC report (134 paragraphs), and ten short
ones of three consecutive cleaned paragraphs each: seven from the KIEP report (paragraphs 0-2, 3-5, …,
18-20) and three from the Seoul report (0-2, 3-5, 6-8). Paragraphs shorter than 20 characters are left out.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def paragraphs(path: Path) -> list[str]:
    from kcorpus.clean import clean_text

    cleaned = clean_text(path.read_text(encoding="utf-8"))
    return [cleaned.text[s:e].strip() for s, e in cleaned.paragraphs if e - s > 20]


def build_unbalanced(target: Path) -> None:
    """One long document and ten short ones (see the module docstring)."""
    from kcorpus.io.sources import bundled_corpus_dir

    bundled = bundled_corpus_dir()
    target.mkdir(parents=True, exist_ok=True)
    long = paragraphs(bundled / "kic-china-startup-weekly-195-2020.txt")
    (target / "long-kic.txt").write_text("\n\n".join(long) + "\n", encoding="utf-8")
    kiep = paragraphs(bundled / "kiep-north-korea-external-relations-2024.txt")
    seoul = paragraphs(bundled / "seoul-city-diplomacy-covid19-2020.txt")
    pieces = [("kiep", kiep, start) for start in range(0, 21, 3)] + [("seoul", seoul, s) for s in (0, 3, 6)]
    for number, (name, source, start) in enumerate(pieces, start=1):
        text = "\n\n".join(source[start : start + 3])
        (target / f"short-{number:02d}-{name}.txt").write_text(text + "\n", encoding="utf-8")


def measure(label: str, paths: list[str], env: dict[str, str]) -> None:
    import pandas as pd

    from kcorpus.analyses.topics import choose_k

    command = [sys.executable, "-m", "kcorpus", "topics", *paths, "--show", "k", "--format", "csv"]
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    sweep = pd.read_csv(io.StringIO(run.stdout))
    chosen = sweep[sweep["chosen"]].iloc[0]
    old = choose_k(sweep["k"].tolist(), sweep["npmi"].tolist())
    print(f"== {label}")
    print(sweep.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(
        f"chosen k={int(chosen['k'])}: held-out NPMI {chosen['heldout_npmi']:.3f}, stability "
        f"{chosen['stability']:.3f}, NPMI on the fitted units {chosen['npmi']:.3f}; the old rule would choose k={old}"
    )
    print("stderr:")
    for line in run.stderr.splitlines():
        print(f"  {line}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="build the unbalanced corpus in DIR and keep it")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kcorpus-measure-k-cache",
        help="the token cache kept between runs",
    )
    args = parser.parse_args()
    env = {**os.environ, "KCORPUS_CACHE_DIR": str(args.cache_dir)}
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch) / "unbalanced"
        build_unbalanced(folder)
        measure(f"small unbalanced corpus ({folder})", [str(folder)], env)
    measure("bundled corpus", [], env)


if __name__ == "__main__":
    main()
