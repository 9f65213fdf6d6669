#!/usr/bin/env python3
"""Turns a browser record (browser.json: case name -> events EventSource
dispatched) into one expected/<case>.jsonl per case, rendered exactly as
`ssecat --json` renders events: keys event, data, id in that order, no
spaces, non-ASCII as UTF-8 (json.dumps with ensure_ascii=False).

usage: tools/gen_conformance.py tests/conformance
"""
import json
import os
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    with open(os.path.join(root, "browser.json"), encoding="utf-8") as f:
        record = json.load(f)
    out_dir = os.path.join(root, "expected")
    os.makedirs(out_dir, exist_ok=True)
    for name, events in sorted(record.items()):
        lines = [
            json.dumps({"event": e["event"], "data": e["data"], "id": e["id"]},
                       ensure_ascii=False, separators=(",", ":"))
            for e in events
        ]
        path = os.path.join(out_dir, name[:-len(".sse")] + ".jsonl")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(line + "\n" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
