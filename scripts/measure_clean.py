"""Measure kcorpus.clean on the bundled reports.

    python scripts/measure_clean.py                 # counts, paragraphs, particles, timing
    python scripts/measure_clean.py --sample 100    # + a reproducible sample of junctions to judge
    python scripts/measure_clean.py --judged scripts/clean_rules.md   # accuracy of the judged sample
    python scripts/measure_clean.py --kiwi          # + Kiwi's spacing model as an independent check,
                                                    #   and clean time relative to Kiwi tokenisation
    python scripts/measure_clean.py --lexical       # + the no-trailing-space fallback, simulated

Judgement lines (in a ``` block of the notes file) look like

    KIEP 17-19 word ok
    KIC 93-95 break wrong:space      # the right decision would have been "space"

A junction is identified by report and source lines "A-B"; the decision is what the
cleaner did ("word" = joined with nothing, "space", "break", "particle").
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kcorpus.clean import (  # noqa: E402
    clean_text,
    passthrough,
    trace_clean,
)
from kcorpus.clean.patterns import _PARTICLE_ALT  # noqa: E402

REPORTS = {
    "KIEP": "kiep-north-korea-external-relations-2024.txt",
    "SEOUL": "seoul-city-diplomacy-covid19-2020.txt",
    "KIC": "kic-china-startup-weekly-195-2020.txt",
}
# Latin/number (or Hanja, or a closing bracket) + stray space + particle, end-delimited
PARTICLE_SITE = re.compile(
    r"([A-Za-z0-9)）\u4e00-\u9fff]+)([ \t]+)(" + _PARTICLE_ALT + r")(?=[\s.,!?;:)\]’”'\"」』｣…·]|$)"
)


def load() -> dict[str, str]:
    return {k: (ROOT / "corpus" / v).read_text(encoding="utf-8") for k, v in REPORTS.items()}


def kind(decision: str) -> str:
    return "word" if decision == "particle" else decision


def report_counts(texts: dict[str, str]) -> dict:
    traces = {}
    print("## Per report\n")
    print(
        "| report | regime | style | capacity | paragraphs before (blank-line blocks) | after | junctions | word | space | particle | break |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, text in texts.items():
        tr = trace_clean(text)
        traces[name] = tr
        c = Counter(j.decision for j in tr.junctions)
        before = len(passthrough(text).paragraphs)
        print(
            f"| {name} | {tr.regime} | {tr.style} | {tr.capacity} | {before} | {len(tr.result.paragraphs)} "
            f"| {len(tr.junctions)} | {c['word']} | {c['space']} | {c['particle']} | {c['break']} |"
        )
    print("\n## Repairs per report\n")
    keys = list(next(iter(traces.values())).result.repairs)
    print("| rule | " + " | ".join(traces) + " |")
    print("|---|" + "---|" * len(traces))
    for k in keys:
        print(f"| {k} | " + " | ".join(str(tr.result.repairs[k]) for tr in traces.values()) + " |")
    print("\n## Junction decisions by reason\n")
    reasons = defaultdict(Counter)
    for name, tr in traces.items():
        for j in tr.junctions:
            reasons[(j.decision, j.reason)][name] += 1
    print("| decision | reason | " + " | ".join(traces) + " |")
    print("|---|---|" + "---|" * len(traces))
    for (d, r), cnt in sorted(reasons.items()):
        print(f"| {d} | {r} | " + " | ".join(str(cnt[n]) for n in traces) + " |")
    return traces


def particles(texts: dict[str, str], traces: dict) -> None:
    print("\n## Latin/number + space + particle sites (before -> after)\n")
    print("| report | before | after | removed | left (examples) |")
    print("|---|---|---|---|---|")
    for name, text in texts.items():
        before = PARTICLE_SITE.findall(text)
        after = PARTICLE_SITE.findall(traces[name].result.text)
        ex = Counter(f"{a[-6:]} {p}" for a, _, p in after).most_common(4)
        print(
            f"| {name} | {len(before)} | {len(after)} | {traces[name].result.repairs['particle_space_removed']} | {ex} |"
        )


def sample(traces: dict, n: int, seed: int) -> None:
    print(f"\n## Random sample of junctions to judge (seed {seed}, {n} per report)\n")
    rng = random.Random(seed)
    for name, tr in traces.items():
        js = list(tr.junctions)
        pick = sorted(rng.sample(range(len(js)), min(n, len(js))))
        print(f"### {name}")
        for i in pick:
            j = js[i]
            print(f"{name} {j.line_a}-{j.line_b} {j.decision:8} {j.reason:24} {j.a_tail[-22:]!r} | {j.b_head[:18]!r}")


def list_all(traces: dict, decision: str) -> None:
    print(f"\n## Every junction decided as {decision!r} (to judge all of them)\n")
    for name, tr in traces.items():
        for j in tr.junctions:
            if j.decision == decision:
                print(
                    f"{name} {j.line_a}-{j.line_b} {j.decision:8} {j.reason:24} {j.a_tail[-22:]!r} | {j.b_head[:18]!r}"
                )


def judged(traces: dict, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rows = re.findall(r"^(KIEP|SEOUL|KIC) (\d+)-(\d+) (\w+) (ok|unsure|wrong:\w+)", text, re.M)
    rows = list(dict.fromkeys(rows))  # a junction judged in two blocks counts once
    by = defaultdict(Counter)
    unsure = Counter()
    for name, a, b, d, verdict in rows:
        got = {(j.line_a, j.line_b): j for j in traces[name].junctions}.get((int(a), int(b)))
        if got is None or got.decision != d:
            print(f"! judgement {name} {a}-{b} {d} no longer matches the cleaner ({got and got.decision})")
            continue
        if verdict == "unsure":
            unsure[name] += 1  # e.g. a sentence end at a full line: paragraph or wrap?
            continue
        truth = kind(d) if verdict == "ok" else verdict.split(":")[1]
        by[name][(kind(d), truth)] += 1
    print(f"\n## Judged sample ({len(rows)} junctions from {path.name})\n")
    print(
        "| report | judged | unsure (left out) | right | accuracy | in-word breaks rejoined | word-boundary wraps wrongly glued | breaks right |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in traces:
        c = by[name]
        tot = sum(c.values())
        right = sum(v for (d, t), v in c.items() if d == t)
        iw = sum(v for (d, t), v in c.items() if t == "word")
        iw_ok = c[("word", "word")]
        wb = sum(v for (d, t), v in c.items() if t == "space")
        wb_glued = c[("word", "space")]
        br = sum(v for (d, t), v in c.items() if d == "break")
        br_ok = c[("break", "break")]
        acc = f"{right / tot:.1%}" if tot else "-"
        print(
            f"| {name} | {tot + unsure[name]} | {unsure[name]} | {right} | {acc} | {iw_ok}/{iw} | {wb_glued}/{wb} | {br_ok}/{br} |"
        )


def kiwi_check(texts: dict[str, str], traces: dict) -> None:
    """Kiwi's spacing model as an independent judge of every joined junction."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    print("\n## Kiwi spacing model vs. the cleaner (joined junctions only)\n")
    print("| report | joined | kiwi agrees | kiwi: space where cleaner glued | kiwi: glue where cleaner spaced |")
    print("|---|---|---|---|---|")
    disagreements = []
    for name, tr in traces.items():
        agree = glued_vs_space = space_vs_glued = 0
        for j in tr.junctions:
            if j.decision == "break":
                continue
            a = j.a_tail.split(" ")[-1]
            b = j.b_head.split(" ")[0]
            if not (re.search("[가-힣]$", a) and re.match("[가-힣]", b)):
                continue  # Kiwi's spacing only speaks for Hangul|Hangul junctions
            window = j.a_tail[-20:] + b + j.b_head[len(b) : len(b) + 15]
            spaced = kiwi.space(window.replace(" ", ""), reset_whitespace=True)
            # where does the junction fall in Kiwi's output? count Hangul up to it
            k = len(re.findall("[^ ]", j.a_tail[-20:]))
            pos, seen = 0, 0
            while pos < len(spaced) and seen < k:
                if spaced[pos] != " ":
                    seen += 1
                pos += 1
            kiwi_space = pos < len(spaced) and spaced[pos] == " "
            ours_space = j.decision == "space"
            if kiwi_space == ours_space:
                agree += 1
            elif ours_space:
                space_vs_glued += 1
                disagreements.append((name, j, "kiwi:word"))
            else:
                glued_vs_space += 1
                disagreements.append((name, j, "kiwi:space"))
        joined = agree + glued_vs_space + space_vs_glued
        print(f"| {name} | {joined} | {agree} | {glued_vs_space} | {space_vs_glued} |")
    print("\nDisagreements (judge these by hand):")
    for name, j, k in disagreements:
        print(f"{name} {j.line_a}-{j.line_b} {j.decision:8} {k:10} {j.a_tail[-20:]!r} | {j.b_head[:16]!r}")


def lexical(texts: dict[str, str], traces: dict) -> None:
    """Strip every trailing space and compare with the decisions made with them."""
    print("\n## Fallback without trailing-space evidence (simulated by stripping it)\n")
    print(
        "| report | joined junctions | same decision | glued where ref spaced | spaced where ref glued | break/join changed |"
    )
    print("|---|---|---|---|---|---|")
    for name, text in texts.items():
        stripped = "\n".join(line.rstrip() for line in text.split("\n"))
        tr = trace_clean(stripped)
        ref = {(j.line_a, j.line_b): kind(j.decision) for j in traces[name].junctions}
        c = Counter()
        for j in tr.junctions:
            r = ref.get((j.line_a, j.line_b))
            if r is None:
                continue
            d = kind(j.decision)
            if r == "break" or d == "break":
                c["bj" if r != d else "same_break"] += 1
            elif r == d:
                c["same"] += 1
            elif d == "word":
                c["glued"] += 1
            else:
                c["spaced"] += 1
        joined = c["same"] + c["glued"] + c["spaced"]
        print(f"| {name} ({tr.regime}) | {joined} | {c['same']} | {c['glued']} | {c['spaced']} | {c['bj']} |")


def timing(texts: dict[str, str], with_kiwi: bool) -> None:
    print("\n## Timing\n")
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        for t in texts.values():
            clean_text(t)
        runs.append(time.perf_counter() - t0)
    n = sum(len(t) for t in texts.values())
    med = statistics.median(runs)
    print(
        f"clean_text on the whole corpus ({n} chars): median {med * 1000:.1f} ms over 7 runs "
        f"(min {min(runs) * 1000:.1f} ms)"
    )
    t0 = time.perf_counter()
    s = 0
    for i in range(1_000_000):
        s += i
    loop = time.perf_counter() - t0
    print(
        f"machine speed reference: a 1M-step Python loop takes {loop * 1000:.0f} ms here "
        f"(clean_text = {med / loop:.2f} such loops)"
    )
    if with_kiwi:
        from kiwipiepy import Kiwi

        kiwi = Kiwi(num_workers=2)
        units = [p for t in texts.values() for p in clean_text(t).paragraph_texts()]
        list(kiwi.tokenize(units[:20]))
        t0 = time.perf_counter()
        list(kiwi.tokenize(units))
        k = time.perf_counter() - t0
        print(
            f"Kiwi tokenisation of the cleaned paragraphs (num_workers=2): {k * 1000:.0f} ms "
            f"({n / k:,.0f} chars/s); cleaning adds {100 * med / k:.1f}%"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=0, help="junctions per report to print for judging")
    ap.add_argument("--seed", type=int, default=20240201)
    ap.add_argument("--judged", type=Path, help="notes file with judgement lines")
    ap.add_argument(
        "--list", metavar="DECISION", help="print every junction with this decision (word/space/break/particle)"
    )
    ap.add_argument("--kiwi", action="store_true", help="independent check with Kiwi's spacing model")
    ap.add_argument("--lexical", action="store_true", help="simulate documents without trailing spaces")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()
    texts = load()
    traces = report_counts(texts)
    particles(texts, traces)
    if args.sample:
        sample(traces, args.sample, args.seed)
    if args.list:
        list_all(traces, args.list)
    if args.judged:
        judged(traces, args.judged)
    if args.kiwi:
        kiwi_check(texts, traces)
    if args.lexical:
        lexical(texts, traces)
    if not args.no_timing:
        timing(texts, args.kiwi)


if __name__ == "__main__":
    main()
