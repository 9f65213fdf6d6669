"""compare.py -- two builds of simdsse._core against each other, in one process.

    python3 compare.py OLD NEW [--ssegen PATH] [--shape llm] [--size 4M]
                       [--chunk 16384] [--rounds 21]

OLD and NEW are directories holding a simdsse/_core*.so (a CMake build's
bindings/python/, or a copy of it). Both are loaded into this process and
timed in interleaved rounds (which one goes first alternates), in process
CPU time: on a shared machine whose speed changes from one second to the
next, that cancels what bench.py's ratio to pure Python cannot. Reported:
NEW's median time over OLD's for feed() of the corpus in 16 KiB chunks
and for _decode_each of its data (the floor column of bench.py), and the
ratio of the fastest rounds. Both must give the same events. Name the CPU
beside any figure you quote.
"""

import argparse
import glob
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def load(directory):
    """The _core of directory/simdsse, as a module of its own (CPython keys
    an extension module by its file, so two builds can be loaded)."""
    found = glob.glob(os.path.join(directory, "simdsse", "_core*.so"))
    if not found:
        sys.exit(f"compare.py: no simdsse/_core*.so in {directory}")
    loader = importlib.machinery.ExtensionFileLoader("simdsse._core", found[0])
    spec = importlib.util.spec_from_file_location("simdsse._core", found[0], loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--ssegen", default=os.environ.get("SIMDSSE_SSEGEN",
                    os.path.join(HERE, "..", "..", "build", "ssegen")))
    ap.add_argument("--shape", default="llm")
    ap.add_argument("--size", default="4M")
    ap.add_argument("--chunk", type=int, default=16384)
    ap.add_argument("--rounds", type=int, default=21)
    args = ap.parse_args()

    builds = (load(args.old), load(args.new))
    data = subprocess.run([args.ssegen, args.shape, args.size], check=True,
                          stdout=subprocess.PIPE).stdout
    chunks = [data[i : i + args.chunk] for i in range(0, len(data), args.chunk)]

    def events(core):
        parser = core.Parser()
        return [e for chunk in chunks for e in parser.feed(chunk)]

    old_events = events(builds[0])
    assert [(e.event, e.data, e.id, e.retry) for e in old_events] == \
        [(e.event, e.data, e.id, e.retry) for e in events(builds[1])], "the builds differ"
    fields = [e.data.encode() for e in old_events]

    def feed(core):
        parser = core.Parser()
        for chunk in chunks:
            parser.feed(chunk)

    def decode(core):
        # The decoder feed() uses (builds before AVX-512 had one only).
        decoder = getattr(core.Parser(), "_decoder", None)
        core._decode_each(fields, decoder) if decoder else core._decode_each(fields)

    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f
                    if line.startswith("model name")), "unknown CPU")
    print(f"# {cpu}, Python {sys.version.split()[0]}; {args.shape} {args.size},"
          f" {len(old_events)} events, median of {args.rounds} interleaved rounds, CPU time")
    for name, fn in (("feed", feed), ("decode", decode)):
        times = ([], [])
        for r in range(args.rounds + 1):
            for k in ((0, 1) if r % 2 else (1, 0)):
                t = time.process_time()
                fn(builds[k])
                if r:  # the first round warms up
                    times[k].append(time.process_time() - t)
        old, new = (sorted(t)[len(t) // 2] for t in times)
        n = len(old_events)
        print(f"{name:7} old {old / n * 1e9:6.1f} ns/event  new {new / n * 1e9:6.1f} ns/event"
              f"  new/old {new / old:.3f}  (fastest {min(times[1]) / min(times[0]):.3f})")


if __name__ == "__main__":
    main()
