#!/usr/bin/env python3
"""Markdown tables from the benchmarks' JSON output (docs/benchmarks.md).

    ./build/bench/bench_parse --benchmark_repetitions=5 \
        --benchmark_report_aggregates_only=true \
        --benchmark_out=parse.json --benchmark_out_format=json
    python3 bench/table.py parse.json [CHUNK ...]     # default: whole 16K

bench_parse: one table per CHUNK, every contender on every corpus, with GB/s
(1e9 bytes per second), millions of events per second, the ratios to the
scalar kernel and to the memchr baseline, and the fraction of the kernel's
floor (floor/CORPUS/SIZE/KERNEL), all measured in the same run.
bench_gateway: events/s, GB/s and memory per stream for each N and read
size, and the ratio of each read size's events/s to event-sized reads at the
same N. bench_validate: GB/s per corpus, and the ratios to the reference
reader and to the parser. Medians of the repetitions when there are several.
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
        runs[name] = (b["bytes_per_second"] / 1e9, b.get("events", 0.0) / 1e6,
                      b.get("mem_per_stream", 0.0), b.get("mem_idle", 0.0))
    ctx = doc.get("context", {})
    print(f"<!-- {ctx.get('date', '')}, {ctx.get('num_cpus', '?')} CPUs at "
          f"{ctx.get('mhz_per_cpu', '?')} MHz -->")
    gateway(runs)
    validate(runs)
    for chunk in chunks:
        rows = [n.split("/") for n in runs if n.startswith("parse/") and n.split("/")[3:4] == [chunk]]
        if not rows:
            continue
        sizes = sorted({r[2] for r in rows}, key=lambda s: int(s[:-1]))
        for size in sizes:
            fed = "one feed" if chunk == "whole" else f"{chunk} feeds"
            print(f"\n**{size}iB corpora, {fed}**\n")
            print("| corpus | contender | GB/s | M events/s | vs scalar | vs memchr | of floor |")
            print("|---|---|---:|---:|---:|---:|---:|")
            for corpus in ("llm", "tiny", "big", "mixed"):
                base = f"parse/{corpus}/{size}/{chunk}/"
                here = [r[4] for r in rows if r[1] == corpus and r[2] == size]
                scalar = runs.get(base + "scalar", (0, 0))[0]
                memchr = runs.get(base + "memchr", (0, 0))[0]
                for who in here:
                    gbps, meps = runs[base + who][:2]
                    vs = lambda ref: f"{gbps / ref:.2f}x" if ref else "-"
                    floor = runs.get(f"floor/{corpus}/{size}/{who}", (0,))[0]
                    of = f"{gbps / floor:.2f}" if floor else "-"
                    print(f"| {corpus} | {who} | {gbps:.2f} | {meps:.2f} | {vs(scalar)} | {vs(memchr)} "
                          f"| {of} |")
            floors = sorted(n for n in runs if n.startswith("floor/") and n.split("/")[2] == size)
            if floors:
                print("\n| floor | GB/s |\n|---|---:|")
                for n in floors:
                    print(f"| {n.split('/', 1)[1]} | {runs[n][0]:.2f} |")


def gateway(runs):
    names = [n.split("/") for n in runs if n.startswith("gateway/")]
    if not names:
        return
    print("\n**Gateway: N parsers fed round-robin** (events/s ratio to one-event reads at the same N)\n")
    print("| N | read | M events/s | GB/s | vs one-event reads | memory per stream (idle) |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in sorted({r[2] for r in names}, key=int):
        ref = runs.get(f"gateway/llm/{n}/event", (0, 0))[1]
        for read in ("event", "200B", "1500B"):
            key = f"gateway/llm/{n}/{read}"
            if key not in runs:
                continue
            gbps, meps, mem, idle = runs[key]
            ratio = f"{meps / ref:.2f}" if ref else "-"
            print(f"| {n} | {read} | {meps:.2f} | {gbps:.2f} | {ratio} | {mem:.0f} B ({idle:.0f} B) |")


def validate(runs):
    names = [n.split("/") for n in runs if n.startswith("validate/")]
    if not names:
        return
    for chunk in sorted({r[3] for r in names}):
        print(f"\n**Validator, 4 MiB, {'one feed' if chunk == 'whole' else chunk + ' feeds'}**\n")
        print("| corpus | fast GB/s | reference GB/s | parse GB/s | fast / reference | fast / parse |")
        print("|---|---:|---:|---:|---:|---:|")
        for corpus in ("llm", "tiny", "big", "mixed"):
            base = f"validate/{corpus}/4M/{chunk}/"
            fast, ref, parse = (runs.get(base + w, (0,))[0] for w in ("fast", "reference", "parse"))
            if not fast:
                continue
            print(f"| {corpus} | {fast:.2f} | {ref:.2f} | {parse:.2f} | {fast / ref:.2f}x "
                  f"| {fast / parse:.2f} |")


if __name__ == "__main__":
    main()
