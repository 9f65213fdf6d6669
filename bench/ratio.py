#!/usr/bin/env python3
"""Speed ratios that survive a noisy machine: the median over many processes.

    python3 bench/ratio.py BENCH FILTER --twin=SUFFIX [--base=SUFFIX] [--runs 12] [--reps 5]
                           [--min-time 0.05]

Runs the Google Benchmark binary BENCH --runs times (a new process each
time, so each run gets its own address-space layout), each with
--benchmark_filter=FILTER, --reps interleaved repetitions of --min-time
seconds. In every run, each benchmark PREFIX+TWIN is divided by its
PREFIX+BASE (bytes per second, medians of the run's repetitions; BASE is
empty unless given); the median of those per-process ratios is printed
with its quartiles and every ratio.

Why: on a shared 2-vCPU VM one process can be 1.5x slower than the next
for the same benchmark, consistently through all its repetitions (where
its buffers fall relative to each other), so a single run's medians rank
two contenders by layout luck. Across processes the layouts vary, and the
median ratio settles. Example (the pull API against the callbacks):

    python3 bench/ratio.py build/bench/bench_parse \\
        'parse/(llm|tiny)/4M/16K/avx2(-pull)?$' --twin=-pull

and 200-byte reads against reads of one event, per parser count:

    python3 bench/ratio.py build/bench/bench_gateway 'gateway/llm/.*/(event|200B)$' \\
        --base=/event --twin=/200B
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def one_run(bench, flt, reps, min_time):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        subprocess.run([bench, f"--benchmark_filter={flt}", f"--benchmark_repetitions={reps}",
                        "--benchmark_enable_random_interleaving=true",
                        f"--benchmark_min_time={min_time}", f"--benchmark_out={out}",
                        "--benchmark_out_format=json"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            doc = json.load(f)
    speeds = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") == "iteration" and "bytes_per_second" in b:
            speeds.setdefault(b["run_name"], []).append(b["bytes_per_second"])
    return {n: statistics.median(v) for n, v in speeds.items()}, doc.get("context", {})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bench")
    ap.add_argument("filter")
    ap.add_argument("--twin", required=True,
                    help="the suffix naming the contender (write --twin=-pull)")
    ap.add_argument("--base", default="", help="the suffix naming the baseline (default: none)")
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--min-time", default="0.05")
    a = ap.parse_args()
    ratios, context = {}, {}
    for _ in range(a.runs):
        med, context = one_run(a.bench, a.filter, a.reps, a.min_time)
        for name, speed in med.items():
            if not name.endswith(a.base) or (a.twin.endswith(a.base) and name.endswith(a.twin)):
                continue
            other = med.get(name[: len(name) - len(a.base)] + a.twin)
            if other:
                ratios.setdefault(name, []).append(other / speed)
    if not ratios:
        sys.exit(f"ratio.py: no benchmark PREFIX{a.base} with a PREFIX{a.twin} twin matched "
                 f"{a.filter!r}")
    print(f"# {context.get('host_name', '?')}, {context.get('num_cpus', '?')} CPUs: "
          f"PREFIX{a.twin} / PREFIX{a.base}, bytes/s, median of {a.runs} processes "
          f"({a.reps} interleaved repetitions of {a.min_time} s each)")
    for name in sorted(ratios):
        r = sorted(ratios[name])
        q1, q3 = r[len(r) // 4], r[(3 * len(r)) // 4]
        print(f"{name}: {statistics.median(r):.3f} (quartiles {q1:.3f}-{q3:.3f}; "
              + " ".join(f"{x:.2f}" for x in r) + ")")


if __name__ == "__main__":
    main()
