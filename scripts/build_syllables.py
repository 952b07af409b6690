"""Write src/kcorpus/clean/syllables.tsv: how often each Hangul syllable starts and ends a word.

    python scripts/build_syllables.py

Counted on the bundled reports after cleaning (their junctions are judged right in
scripts/clean_rules.md); the junction decision pools these counts with the document's own when a
wrap has no trailing-space evidence.  Columns: syllable, occurrences, word starts, word ends
(words = space-separated tokens with punctuation stripped; syllables seen fewer than 3 times are left out).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kcorpus.clean import clean_text  # noqa: E402

HANGUL = re.compile("[\uac00-\ud7a3]+")


def main() -> None:
    occ: Counter = Counter()
    starts: Counter = Counter()
    ends: Counter = Counter()
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8")).text
        for token in text.split():
            # the Hangul run at each edge of a token (particles after Latin words are not word starts)
            runs = HANGUL.findall(token)
            if not runs:
                continue
            for run in runs:
                occ.update(run)
            lead = token.lstrip("‘“\"'(「『｢〈《[<")
            core = token.rstrip("’”\"')」』｣〉》]>.,;:!?…")
            if lead and HANGUL.match(lead[0]):
                starts[lead[0]] += 1
            if core and HANGUL.match(core[-1]):
                ends[core[-1]] += 1
    out = ROOT / "src" / "kcorpus" / "clean" / "syllables.tsv"
    rows = [f"{s}\t{n}\t{starts[s]}\t{ends[s]}" for s, n in sorted(occ.items()) if n >= 3]
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} syllables -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
