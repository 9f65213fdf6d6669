"""bench.py -- simdsse against a pure-Python parser in the same process.

    python3 bench.py [--ssegen PATH] [--size 4M] [--chunk 16384] [--rounds 15]
                     [--clock wall|cpu]

The baseline is the parser written the obvious way, the way httpx-sse
reads a response: bytes decoded incrementally to str, split into lines on
CR, LF and CRLF (httpx-sse's SSELineDecoder), each line fed to a field
decoder (its SSEDecoder), events made as objects of str. simdsse gets the
same bytes chunks and makes simdsse.Event objects, whose fields are str
too. Each chunk's events are handed to a consumer that drops them, as a
streaming client does once it has handled them. Corpora come from the
project's ssegen. Rounds alternate between the two; the median round is
reported, with the ratio of the medians and of the fastest rounds.

The last column, floor, is the most simdsse could reach: the ratio of the
baseline's median to the median time of making only the events' data strs
(fields already cut out), in C, with the decoder feed() uses, each str
dropped once made (simdsse._core._decode_each, a private benchmark aid,
with the decoder feed() uses: see Parser._decoder).
Parsing, types and ids (reused while they repeat) and the Event objects
come on top of it. Name the CPU beside any figure you quote.

--clock cpu times each round in this process's CPU time instead of wall
time: on a shared machine, time spent waiting for a core then counts for
neither contender (chunks stay below NOGIL_BYTES, so each runs on one
thread either way).
"""

import argparse
import codecs
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The source tree's simdsse/ has no _core: use the installed package (or
# PYTHONPATH=build/bindings/python), not the one next to this file.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != HERE]
import simdsse  # noqa: E402
from simdsse import _core  # noqa: E402


class ServerSentEvent:
    __slots__ = ("event", "data", "id", "retry")

    def __init__(self, event, data, id, retry):
        self.event, self.data, self.id, self.retry = event, data, id, retry


def _splitlines_sse(text):
    # Only CR, LF and CRLF end lines (str.splitlines knows more).
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if text[-1:] == "\n":
        lines.pop()
    return lines


class LineDecoder:
    """Text chunks to lines, a line end split across chunks kept whole."""

    def __init__(self):
        self.buffer = []
        self.trailing_cr = False

    def decode(self, text):
        if self.trailing_cr:
            text = "\r" + text
            self.trailing_cr = False
        if text.endswith("\r"):
            self.trailing_cr = True
            text = text[:-1]
        if not text:
            return []
        trailing_newline = text[-1] in "\n\r"
        lines = _splitlines_sse(text)
        if len(lines) == 1 and not trailing_newline:
            self.buffer.append(lines[0])
            return []
        if self.buffer:
            lines[0] = "".join(self.buffer) + lines[0]
            self.buffer = []
        if not trailing_newline:
            self.buffer = [lines.pop()]
        return lines


class SSEDecoder:
    """One line at a time, the standard's field steps."""

    def __init__(self):
        self._event = ""
        self._data = []
        self._last_event_id = ""
        self._retry = None

    def decode(self, line):
        if not line:
            if not self._data:
                self._event = ""
                return None
            sse = ServerSentEvent(
                self._event or "message", "\n".join(self._data), self._last_event_id, self._retry
            )
            self._event = ""
            self._data = []
            self._retry = None
            return sse
        if line.startswith(":"):
            return None
        fieldname, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if fieldname == "event":
            self._event = value
        elif fieldname == "data":
            self._data.append(value)
        elif fieldname == "id":
            if "\0" not in value:
                self._last_event_id = value
        elif fieldname == "retry":
            try:
                self._retry = int(value)
            except (TypeError, ValueError):
                pass
        return None


def baseline(chunks, sink):
    text = codecs.getincrementaldecoder("utf-8")(errors="replace")
    lines = LineDecoder()
    sse = SSEDecoder()
    for chunk in chunks:
        events = []
        for line in lines.decode(text.decode(chunk)):
            event = sse.decode(line)
            if event is not None:
                events.append(event)
        sink(events)


def with_simdsse(chunks, sink):
    parser = simdsse.Parser()
    for chunk in chunks:
        sink(parser.feed(chunk))
    parser.finish()


class Sink:
    """Takes each chunk's events and drops them, as a streaming client
    does once it has handled them (not timing the handling itself)."""

    def __init__(self, keep=None):
        self.events = 0
        self.keep = keep

    def __call__(self, events):
        self.events += len(events)
        if self.keep is not None:
            self.keep += events


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ssegen", default=os.environ.get("SIMDSSE_SSEGEN",
                    os.path.join(HERE, "..", "..", "build", "ssegen")))
    ap.add_argument("--size", default="4M")
    ap.add_argument("--chunk", type=int, default=16384)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--shapes", default="llm,tiny,big,mixed")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = ap.parse_args()
    clock = time.perf_counter if args.clock == "wall" else time.process_time

    print(f"# {cpu()}, Python {sys.version.split()[0]} ({sys.executable}), {os.cpu_count()} CPUs;"
          f" {args.size} corpora, {args.chunk}-byte chunks, median of {args.rounds},"
          f" {args.clock} time")
    print("shape  pure Python              simdsse                  ratio  (fastest)  floor")
    for shape in args.shapes.split(","):
        data = subprocess.run([args.ssegen, shape, args.size], check=True,
                              stdout=subprocess.PIPE).stdout
        chunks = [data[i : i + args.chunk] for i in range(0, len(data), args.chunk)]
        # Both give the same events (as browsers would), checked once.
        a, b = [], []
        baseline(chunks, Sink(a))
        with_simdsse(chunks, Sink(b))
        assert [(e.event, e.data, e.id) for e in a] == [(e.event, e.data, e.id) for e in b], shape
        del b
        fields = [e.data.encode() for e in a]
        decoder = simdsse.Parser()._decoder  # the one feed() uses
        times = {"base": [], "simdsse": [], "floor": []}
        for r in range(args.rounds + 1):
            for name, fn in (("base", baseline), ("simdsse", with_simdsse), ("floor", None)):
                sink = Sink()
                t = clock()
                if fn:
                    fn(chunks, sink)
                else:
                    _core._decode_each(fields, decoder)
                if r:  # the first round warms up
                    times[name].append(clock() - t)
                assert sink.events == (len(a) if fn else 0)
        med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}

        def fmt(t):
            return f"{len(data) / t / 1e6:7.1f} MB/s {len(a) / t / 1e6:6.2f} M ev/s"

        best = min(times["base"]) / min(times["simdsse"])
        ceiling = med["base"] / med["floor"]
        print(f"{shape:6} {fmt(med['base'])}   {fmt(med['simdsse'])}   "
              f"{med['base'] / med['simdsse']:5.1f}x  ({best:4.1f}x)  {ceiling:5.1f}x")


if __name__ == "__main__":
    main()
