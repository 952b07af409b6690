"""Build src/kcorpus/nlp/data/hanja_readings.tsv from the Unicode Unihan database (field kHangul).

    apt-get install unicode-data        # Debian: /usr/share/unicode/Unihan_Readings.txt.bz2
    python scripts/build_hanja_table.py [PATH_TO_Unihan_Readings.txt(.bz2)]

One line per Hanja: the character, a tab, its standard Hangul reading (the reading Unihan marks
"E", the educational standard, else the first one listed). Unihan is published under the Unicode
License (unicode.org/license.txt), which allows redistribution with its copyright notice (kept in the file's header).
"""

from __future__ import annotations

import bz2
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = Path("/usr/share/unicode/Unihan_Readings.txt.bz2")
OUT = ROOT / "src" / "kcorpus" / "nlp" / "data" / "hanja_readings.tsv"


def standard_reading(value: str) -> str:
    """'녀:0E 여:0' -> '녀': the reading marked E, else the first."""
    readings = [item.partition(":") for item in value.split()]
    for reading, _, sources in readings:
        if "E" in sources:
            return reading
    return readings[0][0]


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    opener = bz2.open if source.suffix == ".bz2" else open
    version = ""
    table: dict[str, str] = {}
    with opener(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# Unicode version:"):
                version = line.split(":", 1)[1].strip()
            if line.startswith("#") or "\tkHangul\t" not in line:
                continue
            code, _, value = line.rstrip("\n").split("\t")
            table[chr(int(code[2:], 16))] = standard_reading(value)
    header = [
        f"# Hanja -> standard Hangul reading, from Unihan {version} (kHangul); {len(table)} characters.",
        "# Copyright (c) 1991-2022 Unicode, Inc. Distributed under the Unicode License",
        "# https://www.unicode.org/license.txt . Rebuilt by scripts/build_hanja_table.py.",
    ]
    body = [f"{char}\t{reading}" for char, reading in sorted(table.items())]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(table)} characters (Unihan {version})")


if __name__ == "__main__":
    main()
