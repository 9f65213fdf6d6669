"""format_event / format_comment, and the round trip writer -> parser."""
import random

import pytest

import simdsse


def test_format_exact_bytes():
    assert simdsse.format_event("hi") == b"data: hi\n\n"
    assert (
        simdsse.format_event("a\nb", event="delta", id="7", retry=1000)
        == b"retry: 1000\nevent: delta\nid: 7\ndata: a\ndata: b\n\n"
    )
    assert simdsse.format_event(b"\xff", event=b"t") == b"event: t\ndata: \xff\n\n"
    assert simdsse.format_event(None, id="5") == b"id: 5\n\n"
    assert simdsse.format_event(None, retry=0) == b"retry: 0\n\n"
    assert simdsse.format_event("") == b"data: \n\n"
    assert simdsse.format_comment() == b":\n"
    assert simdsse.format_comment(" ping") == b": ping\n"
    assert simdsse.format_comment("a\r\nb") == b":a\n:b\n"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"event": "a\nb"}, "event"),
        ({"event": "a\rb"}, "event"),
        ({"id": "1\n"}, "id"),
        ({"id": "1\r2"}, "id"),
        ({"id": "1\x002"}, "id"),
        ({"retry": -1}, "retry"),
        ({"retry": "10"}, "retry"),
        ({"event": "ok", "id": "bad\n"}, "id"),
    ],
)
def test_injection_refused(kwargs, field):
    with pytest.raises(ValueError) as info:
        simdsse.format_event("data", **kwargs)
    assert isinstance(info.value, simdsse.FieldError)
    assert info.value.field == field
    assert str(info.value).startswith(field + ":")


def test_type_errors():
    with pytest.raises(TypeError):
        simdsse.format_event(12)
    with pytest.raises(TypeError):
        simdsse.format_comment(object())


def random_text(rng, n):
    alphabet = "ab :\n\r\t\u00e9\u6771\U0001f680\ufeff\x00"
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(n)))


def test_round_trip():
    rng = random.Random(13)
    written, expected = [], []
    last_id = ""
    for i in range(2000):
        data = random_text(rng, 40)
        event = random_text(rng, 8).replace("\r", "").replace("\n", "") or None
        id_ = rng.choice([None, str(i), ""])
        retry = rng.choice([None, rng.randrange(10**6)])
        written.append(simdsse.format_event(data, event=event, id=id_, retry=retry))
        if rng.random() < 0.2:
            written.append(simdsse.format_comment(random_text(rng, 20)))
        if id_ is not None:
            last_id = id_
        # The format has no CR: CR and CRLF in data come back as LF.
        want_data = data.replace("\r\n", "\n").replace("\r", "\n")
        expected.append((event or "message", want_data, last_id, retry))
    stream = b"".join(written)
    # Whole, it is parsed without the GIL (items collected, then built);
    # in pieces, with it (items built as they come): both paths, the same.
    assert len(stream) >= simdsse._core.NOGIL_BYTES
    for size in (0, 1, 17, 4096):
        p = simdsse.Parser()
        got = []
        for i in range(0, len(stream), size or len(stream)):
            got += p.feed(stream[i : i + (size or len(stream))])
        assert [(e.event, e.data, e.id, e.retry) for e in got] == expected
