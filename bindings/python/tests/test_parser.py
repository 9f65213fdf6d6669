"""The Parser and Event API: fields, state, reconnection, limits, errors."""
import asyncio

import pytest

import simdsse


def test_event_fields():
    p = simdsse.Parser()
    (e,) = p.feed(b"event: delta\nid: 7\ndata: a\ndata: b\n\n")
    assert (e.event, e.data, e.id, e.retry) == ("delta", "a\nb", "7", None)
    (e,) = p.feed(b"data: next\n\n")
    # id is the last event ID (EventSource.lastEventId): it carries over.
    assert (e.event, e.data, e.id) == ("message", "next", "7")


def test_retry_and_last_event_id():
    p = simdsse.Parser(initial_retry_ms=1500)
    assert p.retry == 1500 and p.last_event_id == ""
    (e,) = p.feed(b"retry: 250\nid: x\xc3\xa9\ndata: d\n\n")
    assert e.retry == 250 and e.id == "x\u00e9"
    assert p.retry == 250 and p.last_event_id == "x\u00e9"
    (e,) = p.feed(b"data: again\n\n")
    assert e.retry is None
    # A retry in a block that dispatches nothing belongs to the next event.
    assert p.feed(b"retry: 9\n\n") == []
    (e,) = p.feed(b"data: z\n\n")
    assert e.retry == 9
    assert p.feed(b"retry: x1\n\n") == [] and p.retry == 9


def test_browser_decoding():
    p = simdsse.Parser()
    # Invalid UTF-8 becomes one U+FFFD per maximal subpart (WHATWG).
    (e,) = p.feed(b"data: a\xff\xe2\x82b\xf0\x9f\x98\n\n")
    assert e.data == "a\ufffd\ufffdb\ufffd"
    (e,) = p.feed(b"data: \xed\xa0\x80\xc0\xaf\n\n")
    assert e.data == "\ufffd" * 5


def test_line_ends_bom_and_split_chunks():
    p = simdsse.Parser()
    got = []
    for piece in [b"\xef", b"\xbb", b"\xbfdata: 1\r", b"\n\r", b"\ndata: 2\r\r", b"data: 3\n", b"\n"]:
        got += p.feed(piece)
    assert [e.data for e in got] == ["1", "2", "3"]


def test_finish_discards_and_needs_reset():
    p = simdsse.Parser()
    assert p.feed(b"id: 1\ndata: complete\n\ndata: cut") != []
    p.finish()
    with pytest.raises(simdsse.Error, match="reset"):
        p.feed(b"\n\n")
    p.reset()
    assert p.last_event_id == "1"
    (e,) = p.feed(b"data: new stream\n\n")
    assert (e.data, e.id) == ("new stream", "1")


def test_reset_drops_partial_event():
    p = simdsse.Parser()
    assert p.feed(b"data: half") == []
    p.reset()
    assert [e.data for e in p.feed(b"\n\ndata: b\n\n")] == ["b"]


def test_limit_error_goes_on():
    p = simdsse.Parser(max_line_length=16)
    stream = b"data: ok1\n\ndata: " + b"x" * 40 + b"\n\ndata: ok2\n\n"
    with pytest.raises(simdsse.LimitError) as info:
        p.feed(stream)
    err = info.value
    assert err.code == "line-too-long" and err.limit == "max_line_length"
    assert err.offset == len(b"data: ok1\n\n") + 16
    assert err.status == -1 and err.index == 1
    assert "offset" in str(err)
    assert [e.data for e in err.events] == ["ok1", "ok2"]
    assert err.errors == [err]
    # The parser goes on.
    assert [e.data for e in p.feed(b"data: ok3\n\n")] == ["ok3"]


def test_limit_error_split_and_each_limit():
    cases = [
        ({"max_data_length": 4}, b"data: 12345\n\n", "data-too-long"),
        ({"max_type_length": 2}, b"event: abc\ndata: 1\n\n", "type-too-long"),
        ({"max_id_length": 2}, b"id: abc\ndata: 1\n\n", "id-too-long"),
    ]
    for limits, stream, code in cases:
        p = simdsse.Parser(**limits)
        with pytest.raises(simdsse.LimitError) as info:
            for i in range(len(stream)):
                p.feed(stream[i : i + 1])
        assert info.value.code == code
        assert info.value.events == []


def test_iter_events_errors():
    stream = [b"data: a\n\ndata: " + b"x" * 100 + b"\n\ndata: b\n\n", b"data: c\n\n"]
    got = []
    with pytest.raises(simdsse.LimitError):
        for e in simdsse.iter_events(stream, max_line_length=50):
            got.append(e.data)
    assert got == ["a"]
    it = simdsse.iter_events(stream, max_line_length=50)
    assert next(it).data == "a"
    with pytest.raises(simdsse.LimitError):
        next(it)
    assert list(it) == []  # the error ended the iteration
    seen = []
    events = simdsse.iter_events(stream, max_line_length=50, on_error=seen.append)
    assert [e.data for e in events] == ["a", "b", "c"]
    assert [e.code for e in seen] == ["line-too-long"]
    # on_error is called where the error happened: after "a", before "b".
    log = []
    on_error = lambda err: log.append(err.code)  # noqa: E731
    for e in simdsse.iter_events(stream, max_line_length=50, on_error=on_error):
        log.append(e.data)
    assert log == ["a", "line-too-long", "b", "c"]

    async def source():
        for chunk in stream:
            yield chunk

    async def collect():
        log = []
        on_error = lambda err: log.append(err.code)  # noqa: E731
        async for e in simdsse.aiter_events(source(), max_line_length=50, on_error=on_error):
            log.append(e.data)
        return log

    assert asyncio.run(collect()) == ["a", "line-too-long", "b", "c"]


def test_no_limit_and_bad_limits():
    p = simdsse.Parser(max_line_length=None, max_data_length=None)
    big = b"x" * (3 << 20)
    (e,) = p.feed(b"data: " + big + b"\n\n")
    assert len(e.data) == len(big)
    for bad in (0, -1, "10", 1.5):
        with pytest.raises(ValueError):
            simdsse.Parser(max_line_length=bad)
    with pytest.raises(ValueError):
        simdsse.Parser(kernel="no-such-kernel")
    assert simdsse.Parser(initial_retry_ms=2**64 - 1).retry == 2**64 - 1
    for bad in (-1, 2**64, "5"):
        with pytest.raises(ValueError):
            simdsse.Parser(initial_retry_ms=bad)
    with pytest.raises(TypeError):
        simdsse.Parser(16)
    with pytest.raises(TypeError):
        simdsse.Parser().feed("a str, not bytes")


def test_kernels_and_introspection():
    names = simdsse.kernels()
    assert "scalar" in names and simdsse.default_kernel() in names
    p = simdsse.Parser()
    p.feed(b"data: 1\n\n")
    assert p.offset == 9 and p.memory > 0


def test_event_type():
    e = simdsse.Event(data="{\"a\": [1, 2]}")
    assert (e.event, e.id, e.retry) == ("message", "", None)
    assert e.json() == {"a": [1, 2]}
    assert e == simdsse.Event("message", '{"a": [1, 2]}', "", None)
    assert e != simdsse.Event(data="other")
    assert repr(e) == "Event(event='message', data='{\"a\": [1, 2]}', id='', retry=None)"
    with pytest.raises(AttributeError):
        e.data = "x"
    with pytest.raises(TypeError):
        simdsse.Event(retry="soon")


def test_type_and_id_strs_reused_only_when_equal():
    # A repeated ASCII type or id is one str object; any other bytes, a
    # new str (a non-ASCII str's code units are not its bytes: "\xe9" as
    # one byte is invalid UTF-8, unlike the str "é" of one unit 0xE9).
    p = simdsse.Parser()
    a, b, c, d, e = p.feed(b"".join(b"event: %s\nid: %s\ndata: x\n\n" % (v, v) for v in
                                    [b"t", b"t", b"t2", b"\xc3\xa9", b"\xe9"]))
    assert a.event is b.event and a.id is b.id
    assert [(x.event, x.id) for x in (a, b, c, d, e)] == [
        ("t", "t"), ("t", "t"), ("t2", "t2"), ("\u00e9", "\u00e9"), ("\ufffd", "\ufffd")]
    (f,) = p.feed(b"data: x\n\n")
    assert f.event == "message" and f.id == "\ufffd"


def test_type_and_id_across_small_and_large_feeds():
    # Large chunks are collected without the GIL and built after, small
    # ones built as they are parsed: what one path remembers of the
    # previous event must not mislead the other.
    pad = b": " + b"p" * (simdsse._core.NOGIL_BYTES) + b"\n"
    big = lambda ev: pad + b"event: " + ev + b"\nid: " + ev + b"\ndata: x\n\n"
    p = simdsse.Parser()
    seen = []
    for feed in (big(b"x"), b"event: a\nid: a\ndata: x\n\n", big(b"x"), big(b"x"), b"data: y\n\n",
                 big(b"a")):
        seen += [(e.event, e.id) for e in p.feed(feed)]
    assert seen == [("x", "x"), ("a", "a"), ("x", "x"), ("x", "x"), ("message", "x"), ("a", "a")]
