"""Strings decoded as a browser decodes them, on both of the binding's
paths (src/utf8.c decodes valid UTF-8 itself and hands anything invalid to
CPython's decoder): every field must equal bytes.decode("utf-8",
"replace") (the WHATWG decoder: one U+FFFD per maximal subpart) and be a
well-formed str of the same kind (sys.getsizeof tells ASCII, 1-, 2- and
4-byte strs apart). The private _core._utf8_valid shows each decoder's own
decoding, so that the fallback cannot hide a mistake in it: it must take
exactly the valid strings.

There are two decoders: utf8.c's, and utf8_avx512.c's, which parsers whose
kernel is "avx512" use where the CPU has AVX-512 VBMI2. Every check runs
on each decoder this CPU has (_core._decoders())."""
import ctypes
import random
import sys

import pytest

import simdsse
from simdsse import _core

DECODERS = _core._decoders()

# Code points at the edges of each UTF-8 length and of each str kind (CR
# and LF would end the line).
EDGES = [0x00, 0x09, 0x7F, 0x80, 0xFF, 0x100, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000,
         0xFEFF, 0xFFFD, 0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF]

# Byte sequences a decoder must reject (each a maximal subpart or more).
INVALID = [b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xc2", b"\xc2\x7f", b"\xc2\xc0",
           b"\xdf", b"\xe0\x80\x80", b"\xe0\x9f\xbf", b"\xe0\xa0", b"\xe1\x80", b"\xed\xa0\x80",
           b"\xed\xbf\xbf", b"\xef\xbf", b"\xef\xc0\x80", b"\xf0\x80\x80\x80",
           b"\xf0\x8f\xbf\xbf", b"\xf0\x90\x80", b"\xf0\x90", b"\xf4\x90\x80\x80", b"\xf4\x8f\xbf",
           b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xfe", b"\xff", b"\xe2\x82\x41"]


def well_formed(s):
    """s is as CPython makes a str: of the narrowest kind (a copy made by
    slicing is), with the NUL after its last code point and the header
    field before its first one as in the copy (read through ctypes: a
    compact str's data ends the object). A copy of a one-character str is
    CPython's cached one, whose size grows once anything has asked for its
    UTF-8 form: such an s is held to s * 2 instead, by size only."""
    top = max(map(ord, s), default=0)
    width = 1 if top < 0x100 else 2 if top < 0x10000 else 4
    end = ctypes.string_at(id(s) + sys.getsizeof(s) - width, width)
    if len(s) == 1:
        twice = s * 2
        return (sys.getsizeof(s) == sys.getsizeof(twice) - width
                and s.isascii() == twice.isascii() and end == bytes(width))
    copy = (s + "x")[:-1]
    start = sys.getsizeof(s) - (len(s) + 1) * width - 8
    return (sys.getsizeof(s) == sys.getsizeof(copy) and s.isascii() == copy.isascii()
            and end == bytes(width)
            and ctypes.string_at(id(s) + start, 8) == ctypes.string_at(id(copy) + start, 8))


def same(got, raw):
    # Equal strs have the same kind (CPython compares kinds first); their
    # sizes may not be: see well_formed.
    want = raw.decode("utf-8", "replace")
    return got == want and well_formed(got)


def own(raw):
    """utf8.c's decoding of raw is right: a str for valid UTF-8, None for
    anything else."""
    try:
        want = raw.decode("utf-8")
    except UnicodeDecodeError:
        want = None
    for decoder in DECODERS:
        got = _core._utf8_valid(raw, decoder)
        if (got is None) != (want is None) or (want is not None and not same(got, raw)):
            return False
    return True


def parser(decoder):
    """A parser that makes its strs with decoder."""
    p = simdsse.Parser(kernel="avx512" if decoder == "avx512" else "scalar",
                       max_line_length=None, max_data_length=None)
    assert p._decoder == decoder
    return p


def fields(values, decoder):
    """The data of one event per value, through one parser."""
    stream = b"".join(b"data: " + v + b"\n\n" for v in values)
    events = parser(decoder).feed(stream)
    assert len(events) == len(values)
    return [e.data for e in events]


# ASCII with no two bytes alike within a block, so that a widening that
# swaps or repeats units shows.
ASCII = bytes(range(0x20, 0x7F)) * 2


def placed(middle):
    """middle between ASCII runs of every length that moves it across a
    16-byte block or 8-byte word, and after or before more non-ASCII."""
    out = []
    for before in (0, 1, 7, 8, 15, 16, 17, 31, 33):
        for after in (0, 1, 8, 15, 16, 17, 40):
            out.append(ASCII[:before] + middle + ASCII[-after:][:after])
    out += [b"\xc3\xa9" + middle + b"x" * 20, middle + b"\xe4\xb8\xad" + b"y" * 17,
            b"\xf0\x9f\x99\x82" * 3 + middle]
    return out


def check(values):
    for decoder in DECODERS:
        bad = [v for v, got in zip(values, fields(values, decoder)) if not same(got, v)]
        assert bad == [], decoder
    assert [v for v in values if not own(v)] == []


def test_which_parsers_use_which_decoder():
    for kernel in simdsse.kernels():
        avx512 = kernel == "avx512" and "avx512" in DECODERS
        assert simdsse.Parser(kernel=kernel)._decoder == ("avx512" if avx512 else "portable")
    if "avx512" not in DECODERS:
        pytest.skip("this CPU lacks AVX-512 VBMI2, or SIMDSSE_CPU_DISABLE took it away: "
                    "only the portable UTF-8 decoder was tested here")


def test_sequences_across_the_avx512_blocks():
    # utf8_avx512.c checks the bytes after the ASCII prefix 64 a step and
    # decodes them 32 (or, for 4-byte strs, 16) a step: each sequence,
    # valid or not, at every place across those steps from the first
    # non-ASCII byte, and again a full step later.
    values = []
    for seq in (b"\xc3\xa9", b"\xe4\xb8\xad", b"\xf0\x9f\x99\x82", b"\xed\x9f\xbf", b"\xc1\xbf",
                b"\xe0\x9f\xbf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80", b"\xff"):
        for first in (b"\xc3\xa9", b"\xe4\xb8\xad", b"\xf0\x9f\x99\x82"):
            for gap in list(range(0, 70)) + list(range(120, 132)):
                for after in (0, 1, 3, 40):
                    values.append(ASCII[:5] + first + ASCII[:gap] + seq + ASCII[:after])
    # ASCII prefixes widened 64 bytes a step, then the rest with masks.
    for first in (b"\xc3\xa9", b"\xe4\xb8\xad", b"\xf0\x9f\x99\x82"):
        for prefix in list(range(60, 70)) + list(range(124, 134)) + [190]:
            values.append(ASCII[:prefix] + first + b"q")
    check(values)


def test_ascii():
    check([ASCII[:n] for n in range(80)] + [b"\x00", b"\x7f", b"\x7f" * 17, ASCII * 9])


def test_short_values_every_length_and_position():
    # A non-ASCII byte (valid or not) at each place of each short length,
    # where loads of 4 and 8 bytes overlap.
    values = []
    for n in range(1, 20):
        for i in range(n):
            for seq in (b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x99\x82", b"\xff"):
                values.append(ASCII[:i] + seq + ASCII[i + 1 : n])
    check(values)


def test_ascii_runs_near_the_end():
    # The ASCII that ends a value (written first, from the block ending
    # there) and the runs before it where fewer than 16 or 8 units are
    # left, for values of about 16 code points, in each str kind.
    values = []
    for before in (0, 1, 3, 8, 15):
        for first in ("\u00e9", "\u4e2d", "\U0001f642"):
            for run in range(19):
                for last in ("", "\u00e8", "\u6587"):
                    for after in range(19):
                        text = ASCII.decode()[:before] + first + "r" * run + last + "t" * after
                        values.append(text.encode("utf-8"))
    check(values)


def test_long_strings():
    # Longer than the 255 blocks of 16 bytes a byte-wide counter covers.
    texts = ["\u00e9" * 5000, "\u4e2d" * 3000, "\U0001f642" * 2000,
             "a\u00e9b\u4e2dc\U0001f642" * 800, "x" * 9000 + "\u00e9"]
    check([text.encode("utf-8") for text in texts])


def test_every_edge_code_point_everywhere():
    values = []
    for cp in EDGES:
        values += placed(chr(cp).encode("utf-8"))
    check(values)


def test_kinds_follow_the_widest_code_point():
    # ASCII, Latin-1, BMP and astral strs, each with narrower ones mixed in.
    for text in ["plain", "caf\u00e9", "\u00ff\u0100", "\u20ac5", "\ud7ff\ue000",
                 "a\u00e9\u4e2d\U0001f642", "\U0010ffff"]:
        check(placed(text.encode("utf-8")))


def test_invalid_sequences_everywhere():
    values = []
    for seq in INVALID:
        values += placed(seq)
        values += placed(b"\xe4\xb8\xad" + seq)  # after a valid BMP sequence
    check(values)


def test_every_two_byte_sequence():
    check([bytes([a, b]) for a in range(0x80, 0x100) for b in range(0x100) if b not in (10, 13)]
          + [bytes([a]) for a in range(0x80, 0x100)])


def test_three_and_four_byte_boundaries():
    seconds = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
    values = []
    for lead in range(0xE0, 0x100):
        for b1 in seconds:
            for b2 in seconds:
                values.append(bytes([lead, b1, b2]))
                values.append(bytes([lead, b1, b2, 0x80]))
                values.append(bytes([lead, b1, 0x80, b2]))
    check([v for v in values if 10 not in v and 13 not in v])


@pytest.mark.parametrize("decoder", DECODERS)
def test_truncated_sequence_does_not_read_past_the_field(decoder):
    # Joined data lives in the parser's buffer, after a longer value of the
    # previous event: a decoder reading past the field's end would find the
    # rest of the sequence there and decode it whole. (Values over 16
    # bytes take utf8_avx512.c's path, shorter ones utf8.c's.)
    p = parser(decoder)
    for first in [b"a", ASCII[:20]]:
        for full in ["\u00e9", "\u20ac", "\U0001f642"]:
            raw = full.encode("utf-8")
            for cut in range(1, len(raw)):
                (a,) = p.feed(b"data: " + first + b"\ndata: " + raw + b"zz\n\n")
                (b,) = p.feed(b"data: " + first + b"\ndata: " + raw[:cut] + b"\n\n")
                assert a.data == first.decode() + "\n" + full + "zz"
                assert same(b.data, first + b"\n" + raw[:cut]), (full, cut)


@pytest.mark.parametrize("decoder", DECODERS)
def test_event_type_id_and_last_event_id(decoder):
    p = parser(decoder)
    for raw in [b"t\xc3\xa9", b"\xe4\xb8\xad", b"\xf0\x9f\x99\x82x", b"x\xffy", b"\xed\xa0\x80",
                b"type " * 4 + b"\xe4\xb8\xad", b"id " * 6 + b"\xed\xa0\x80"]:
        (e,) = p.feed(b"event: " + raw + b"\nid: " + raw + b"\ndata: d\n\n")
        assert same(e.event, raw) and same(e.id, raw) and same(p.last_event_id, raw)


def test_random_strings():
    rng = random.Random(13)
    valid = [b"\xc2\x80", b"\xc3\xbf", b"\xc4\x80", b"\xdf\xbf", b"\xe0\xa0\x80", b"\xe2\x82\xac",
             b"\xed\x9f\xbf", b"\xee\x80\x80", b"\xef\xbf\xbf", b"\xf0\x90\x80\x80",
             b"\xf0\x9f\x99\x82", b"\xf4\x8f\xbf\xbf"]
    pieces = [b"a", b" ", b"{", b"\x00", b"\x7f"] + valid + INVALID
    weights = [40, 10, 5, 1, 1] + [2] * len(valid) + [1] * len(INVALID)
    values = []
    for _ in range(3000):
        n = rng.choice([1, 2, 5, 20, 60, 150, 400])
        values.append(b"".join(rng.choices(pieces, weights, k=rng.randrange(n + 1))))
    check(values)
