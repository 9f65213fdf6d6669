#!/usr/bin/env python3
"""Instruction counts per unit of work, from callgrind (docs/benchmarks.md).

    python3 bench/cost.py BUILD_DIR [scan|parse|validate ...] [--kernels a,b]

Runs BUILD_DIR/bench/bench_cost under valgrind's callgrind for each case and
divides the instructions of its measured part by the units it reports:

  scan      the kernels' scan (and short-line variant) and the floor
            (bench/floor.c), instructions per 64-byte block, every corpus;
            and find_eol on each line's bytes, instructions per line;
  parse     a parser fed the 4 MiB llm and tiny corpora whole, one event a
            read, and in 200- and 1500-byte reads: instructions per event,
            the fixed cost of a feed, and the assembler per line;
  validate  the validator, instructions per byte, every corpus.

Counts are exact and repeat run to run, so they compare versions on a
shared machine where times do not. valgrind has no AVX-512: the avx512
kernel and floor are skipped (the CPU valgrind shows has none).
"""
import os
import re
import subprocess
import sys
import tempfile

CORPORA = ("llm", "tiny", "big", "mixed")


def run(bench, args, collect="cost_measured"):
    """(instructions collected, units dict) of one bench_cost run, or None."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        p = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             f"--toggle-collect={collect}", bench] + args,
            capture_output=True, text=True)
        if p.returncode != 0:
            return None
        with open(out) as f:
            m = re.search(r"^(?:totals|summary): (\d+)", f.read(), re.M)
    units = dict(kv.split("=") for kv in p.stdout.split())
    return int(m.group(1)), {k: int(v) for k, v in units.items()}


def scan(bench, kernels):
    print("\n**Scan: instructions per 64-byte block** (callgrind)\n")
    print("| kernel | variant | " + " | ".join(CORPORA) + " |")
    print("|---|---|" + "---:|" * len(CORPORA))
    for k in kernels:
        for what in ("scan", "scan-short", "floor"):
            cells = []
            for c in CORPORA:
                r = run(bench, [what, k, c])
                cells.append(f"{r[0] / r[1]['blocks']:.1f}" if r else "-")
            if set(cells) != {"-"}:
                print(f"| {k} | {what} | " + " | ".join(cells) + " |")
    print("\n**find_eol on each line's bytes: instructions per line** (callgrind)\n")
    print("| kernel | " + " | ".join(CORPORA) + " |")
    print("|---|" + "---:|" * len(CORPORA))
    for k in kernels:
        cells = []
        for c in CORPORA:
            r = run(bench, ["find-eol", k, c])
            cells.append(f"{r[0] / r[1]['lines']:.1f}" if r else "-")
        print(f"| {k} | " + " | ".join(cells) + " |")


def parse(bench, kernels):
    print("\n**Parse: instructions per event, per feed, per line** (callgrind)\n")
    print("| kernel | corpus | whole /event | event reads /event | 200 B /event "
          "| 1500 B /event | fixed cost a feed | assembler /line |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for k in kernels:
        for c in ("llm", "tiny"):
            r = {rd: run(bench, ["parse", k, c, rd]) for rd in ("whole", "event", "200", "1500")}
            if not all(r.values()):
                continue
            per = {rd: r[rd][0] / r[rd][1]["events"] for rd in r}
            fixed = (r["event"][0] - r["whole"][0]) / (r["event"][1]["feeds"] - 1)
            asm = run(bench, ["parse", k, c, "whole"], collect="simdsse__assemble")
            asm_line = asm[0] / asm[1]["lines"] if asm else float("nan")
            print(f"| {k} | {c} | {per['whole']:.0f} | {per['event']:.0f} | {per['200']:.0f} "
                  f"| {per['1500']:.0f} | {fixed:.0f} | {asm_line:.1f} |")


def validate(bench):
    print("\n**Validator: instructions per byte** (callgrind, whole feed)\n")
    print("| " + " | ".join(CORPORA) + " |")
    print("|" + "---:|" * len(CORPORA))
    cells = []
    for c in CORPORA:
        r = run(bench, ["validate", c, "whole"])
        cells.append(f"{r[0] / r[1]['bytes']:.2f}" if r else "-")
    print("| " + " | ".join(cells) + " |")


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    kernels = ["sse2", "avx2", "neon", "scalar"]
    if "--kernels" in args:
        i = args.index("--kernels")
        kernels = args[i + 1].split(",")
        del args[i:i + 2]
    bench = os.path.join(args[0], "bench", "bench_cost")
    parts = args[1:] or ["scan", "parse", "validate"]
    for part in parts:
        if part == "scan":
            scan(bench, kernels)
        elif part == "parse":
            parse(bench, kernels)
        elif part == "validate":
            validate(bench)
        else:
            sys.exit(f"unknown part {part}")


if __name__ == "__main__":
    main()
