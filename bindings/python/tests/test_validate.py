"""simdsse.validate: diagnostics as the C validator reports them."""
import pytest

import simdsse


def test_diagnostics():
    stream = b"Data: x\n\nevent: lonely\n\ndata: ok\r\n\r\ndata: \xff\n\n"
    diags = simdsse.validate(stream)
    codes = [d.code for d in diags]
    assert codes == ["unknown-field", "event-without-data", "mixed-line-ends", "invalid-utf8"]
    d = diags[0]
    assert (d.line, d.column, d.offset, d.severity, d.suggestion) == (1, 1, 0, "error", "data")
    assert isinstance(d.message, str) and d.message
    assert diags[2].severity == "warning"
    bad = diags[3]
    assert (bad.line, bad.column) == (7, 7)
    assert bad.offset == stream.index(b"\xff")
    line, column, code, severity, message, offset, suggestion = bad
    assert code == "invalid-utf8"


def test_clean_and_options():
    assert simdsse.validate(b"data: fine\n\n") == []
    assert simdsse.validate(b"") == []
    long = b"data: " + b"x" * 100 + b"\n\n"
    assert [d.code for d in simdsse.validate(long, long_line=50)] == ["long-line"]
    assert simdsse.validate(long, long_line=None) == []
    many = b"Data: x\n" * 10 + b"\n"
    assert len(simdsse.validate(many)) == 10
    assert len(simdsse.validate(many, max_diagnostics=3)) == 3
    assert [d.code for d in simdsse.validate(b"retry: 99999\ndata: x\n\n", max_retry_ms=1000)] == [
        "retry-too-large"
    ]
    with pytest.raises(ValueError):
        simdsse.validate(b"", long_line=-1)


def test_large_input_without_gil():
    stream = b"data: x\n\n" * 20000 + b"Data: y\n\n"
    (d,) = simdsse.validate(stream)
    assert d.line == 40001 and d.code == "unknown-field"
