"""feed() releases the GIL while it parses a large chunk.

The proof needs no timing: the parser marks itself busy for the whole of
feed(), and another thread calling feed() on it meanwhile gets
RuntimeError. If feed() held the GIL, no other thread could run while it
was busy, so that error could never be seen; seeing it proves another
thread ran Python code during the parse."""
import threading

import pytest

import simdsse

# 64 MiB of lines the parser ignores (unknown fields): parsing takes many
# milliseconds and builds no objects.
CHUNK = (b"x: " + b"y" * 65532 + b"\n") * 1024


def test_gil_released_while_parsing_large_chunks():
    assert len(CHUNK) >= simdsse._core.NOGIL_BYTES
    p = simdsse.Parser(max_line_length=None)
    stop = threading.Event()
    seen_busy = threading.Event()
    calls = [0]

    def prober():
        while not stop.is_set():
            calls[0] += 1
            try:
                p.feed(b"")
            except RuntimeError as err:
                assert "another thread" in str(err)
                seen_busy.set()

    t = threading.Thread(target=prober)
    t.start()
    try:
        for _ in range(50):
            assert p.feed(CHUNK) == []
            if seen_busy.is_set():
                break
    finally:
        stop.set()
        t.join()
    assert calls[0] > 0
    assert seen_busy.is_set(), "no other thread ran while feed() parsed 64 MiB: GIL not released"
    # The parser is intact afterwards.
    assert [e.data for e in p.feed(b"data: after\n\n")] == ["after"]


def test_small_chunks_parse_with_the_gil_held():
    # Below NOGIL_BYTES the parse is too short to be worth a GIL switch;
    # results are the same either way.
    p = simdsse.Parser()
    small = b"data: 1\n\n" * 100
    assert len(p.feed(small)) == 100
