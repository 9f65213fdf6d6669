"""The 300 hostile browser-recorded streams: every chunking must give
exactly what Chromium's EventSource dispatched (type, data, lastEventId),
strings decoded as the browser decoded them."""
import asyncio

import pytest

import simdsse
from conftest import chunks

CHUNKINGS = [0, 1, 2, 3, 7, 16, 63, 64, 65, 4096]


def triples(events):
    return [(e.event, e.data, e.id) for e in events]


@pytest.mark.parametrize("size", CHUNKINGS)
def test_parser_feed(conformance, size):
    failures = []
    for name, stream, expected in conformance:
        p = simdsse.Parser()
        got = []
        for piece in chunks(stream, size):
            got += p.feed(piece)
        p.finish()
        if triples(got) != expected:
            failures.append(name)
    assert failures == []


@pytest.mark.parametrize("kernel", simdsse.kernels())
def test_every_kernel(conformance, kernel):
    for name, stream, expected in conformance:
        p = simdsse.Parser(kernel=kernel)
        assert p.kernel == kernel
        got = []
        for piece in chunks(stream, 7):
            got += p.feed(piece)
        assert triples(got) == expected, name


def test_iter_events(conformance):
    for name, stream, expected in conformance:
        assert triples(simdsse.iter_events(chunks(stream, 5))) == expected, name


def test_aiter_events(conformance):
    async def source(pieces):
        for piece in pieces:
            await asyncio.sleep(0)
            yield piece

    async def run():
        for name, stream, expected in conformance:
            got = [e async for e in simdsse.aiter_events(source(chunks(stream, 11)))]
            assert triples(got) == expected, name

    asyncio.run(run())


def test_bytes_like_inputs(conformance):
    name, stream, expected = conformance[0]
    for kind in (bytes, bytearray, memoryview):
        p = simdsse.Parser()
        assert triples(p.feed(kind(stream))) == expected
