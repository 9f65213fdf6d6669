#!/usr/bin/env python3
"""Markdown tables from bench_parse's JSON output (docs/benchmarks.md).

    ./build/bench/bench_parse --benchmark_repetitions=5 \
        --benchmark_report_aggregates_only=true \
        --benchmark_out=parse.json --benchmark_out_format=json
    python3 bench/table.py parse.json [CHUNK ...]     # default: whole 16K

One table per CHUNK: every contender on every corpus, with GB/s (1e9 bytes
per second), millions of events per second, and the ratios to the scalar
kernel and to the memchr baseline measured in the same run. Medians of the
repetitions when there are several.
"""
import json
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    chunks = sys.argv[2:] or ["whole", "16K"]
    runs = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            continue
        runs[name] = (b["bytes_per_second"] / 1e9, b.get("events", 0.0) / 1e6)
    ctx = doc.get("context", {})
    print(f"<!-- {ctx.get('date', '')}, {ctx.get('num_cpus', '?')} CPUs at "
          f"{ctx.get('mhz_per_cpu', '?')} MHz -->")
    for chunk in chunks:
        rows = [n.split("/") for n in runs if n.split("/")[3:4] == [chunk]]
        if not rows:
            continue
        sizes = sorted({r[2] for r in rows}, key=lambda s: int(s[:-1]))
        for size in sizes:
            fed = "one feed" if chunk == "whole" else f"{chunk} feeds"
            print(f"\n**{size}iB corpora, {fed}**\n")
            print("| corpus | contender | GB/s | M events/s | vs scalar | vs memchr |")
            print("|---|---|---:|---:|---:|---:|")
            for corpus in ("llm", "tiny", "big", "mixed"):
                base = f"parse/{corpus}/{size}/{chunk}/"
                here = [r[4] for r in rows if r[1] == corpus and r[2] == size]
                scalar = runs.get(base + "scalar", (0, 0))[0]
                memchr = runs.get(base + "memchr", (0, 0))[0]
                for who in here:
                    gbps, meps = runs[base + who]
                    vs = lambda ref: f"{gbps / ref:.2f}x" if ref else "-"
                    print(f"| {corpus} | {who} | {gbps:.2f} | {meps:.2f} | {vs(scalar)} | {vs(memchr)} |")


if __name__ == "__main__":
    main()
